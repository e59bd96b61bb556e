#!/usr/bin/env bash
# Submits a sweep: an array job (jobs/sweep.sbatch), one result file per task, and the merge
# (jobs/merge.sbatch) under --dependency=afterok on the whole array. If a task fails the merge is
# cancelled (--kill-on-invalid-dep=yes) rather than left pending forever.
#
#   jobs/submit-sweep.sh -t 100 -n 1000000                      # 100 run ranges of 1e6 runs
#   jobs/submit-sweep.sh -t 20 -n 500000 -m seeds --seed-base 1000 -o results/seeds.h5
#   jobs/submit-sweep.sh -t 100 -n 1000000 -- --account=abc --partition=compute
#
# Options:
#   -t, --tasks N        array tasks (required)
#   -n, --runs R         runs per task (default: $WEDGE_RUNS, else 1000000)
#   -m, --mode M         ranges (run ranges of one seed, default) or seeds (one seed per task)
#   -c, --config FILE    scenario (default: $WEDGE_CONFIG, else configs/baseline.toml)
#   -p, --parts DIR      folder of the part files (default: results/sweep-<array job id>)
#   -o, --output OUT     merged file (default: <parts folder>.h5)
#       --seed-base B    first seed of a seeds sweep (default: $WEDGE_SEED_BASE, else 1)
#       --throttle K     at most K tasks at a time (--array=0-(N-1)%K)
#   -- SBATCH_OPTIONS    given to both sbatch calls (account, partition, time, resources, ...)
# Other WEDGE_* variables (WEDGE_BIN, WEDGE_SEED, WEDGE_ARGS) reach the jobs via the environment.
# Prints "array_job=ID" and "merge_job=ID" on stdout.
set -euo pipefail
JOBS=$(dirname "$(readlink -f "$0")")

usage() { sed -n '2,/^# Prints/p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }
tasks=""
throttle=""
while (($# > 0)); do
  [[ $1 == -- || $1 == -h || $1 == --help || $# -ge 2 ]] || { echo "submit-sweep: $1 needs a value" >&2; exit 2; }
  case $1 in
    -t | --tasks) tasks=$2; shift 2 ;;
    -n | --runs) export WEDGE_RUNS=$2; shift 2 ;;
    -m | --mode) export WEDGE_SWEEP=$2; shift 2 ;;
    -c | --config) export WEDGE_CONFIG=$2; shift 2 ;;
    -p | --parts) export WEDGE_PARTS=$2; shift 2 ;;
    -o | --output) export WEDGE_OUT=$2; shift 2 ;;
    --seed-base) export WEDGE_SEED_BASE=$2; shift 2 ;;
    --throttle) throttle=%$2; shift 2 ;;
    -h | --help) usage 0 ;;
    --) shift; break ;;
    *) echo "submit-sweep: unknown option $1 (--help for the options)" >&2; exit 2 ;;
  esac
done
[[ $tasks =~ ^[1-9][0-9]*$ ]] || { echo "submit-sweep: --tasks N is required (N >= 1); --help for the options" >&2; exit 2; }
case ${WEDGE_SWEEP:-ranges} in ranges | seeds) ;; *) echo "submit-sweep: --mode ranges|seeds" >&2; exit 2 ;; esac
export WEDGE_RUNS=${WEDGE_RUNS:-1000000}

# sbatch passes this environment (WEDGE_*) to the jobs. --parsable prints "id" or "id;cluster".
array=$(sbatch --parsable --array="0-$((tasks - 1))$throttle" "$@" "$JOBS/sweep.sbatch" < /dev/null)
array=${array%%;*}
# Without --parts the array tasks write to results/sweep-<array job id>: tell the merge.
export WEDGE_PARTS=${WEDGE_PARTS:-results/sweep-$array}
merge=$(WEDGE_EXPECT=$tasks sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes \
          "$@" "$JOBS/merge.sbatch" < /dev/null) || {
  echo "submit-sweep: the merge job was not accepted; cancelling array job $array" >&2
  scancel "$array" || true
  exit 1
}
merge=${merge%%;*}
echo "submit-sweep: array job $array ($tasks tasks x $WEDGE_RUNS runs, ${WEDGE_SWEEP:-ranges})" \
     "-> $WEDGE_PARTS; merge job $merge (afterok:$array) -> ${WEDGE_OUT:-${WEDGE_PARTS%/}.h5}" >&2
echo "array_job=$array"
echo "merge_job=$merge"
