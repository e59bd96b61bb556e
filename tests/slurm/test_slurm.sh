#!/usr/bin/env bash
# The job scripts of jobs/ on a real one-node Slurm cluster (tests/slurm/cluster.sh), each result
# compared dataset by dataset, bit for bit (h5diff), with a direct `wedge run` of the same study:
#   (a) jobs/forecast.sbatch, 2 MPI ranks x 1 thread through srun --mpi=pmix;
#   (b) jobs/submit-sweep.sh: a 2-task array over run ranges, then jobs/merge.sbatch under
#       --dependency=afterok;
#   (c) jobs/long.sbatch signalled with USR1 while running: it checkpoints (exit 75), requeues
#       itself, continues from the checkpoint and finishes; resubmitting it changes nothing;
#   (d) jobs/long.sbatch without any signal: wedge's --walltime budget, taken from the job's time
#       limit, stops it; it requeues itself until done.
#   (e) the build installed into a prefix (cmake --install) and tests/slurm/module.sbatch, which
#       loads its Lmod module (module use PREFIX/share/modulefiles; module load wedge) and runs a
#       forecast with srun: the installed wedge, its man page and configs are found, unload
#       removes it, and the file has the datasets of a direct run.
#
#   bash tests/slurm/test_slurm.sh WEDGE_BIN SOURCE_DIR [BUILD_DIR]   (as root; about 2 minutes)
#
# BUILD_DIR (for (e)) defaults to the folder of WEDGE_BIN.
# WEDGE_SLURM_TESTS="a b c d e" picks parts; WEDGE_SLURM_KEEP=1 keeps the scratch folder (job logs,
# files) for a look afterwards. Every wait is bounded; the cluster is stopped on exit.
set -uo pipefail
[[ $# -eq 2 || $# -eq 3 ]] || { echo "usage: $0 WEDGE_BIN SOURCE_DIR [BUILD_DIR]" >&2; exit 2; }
BIN=$(readlink -f "$1")
SRC=$(readlink -f "$2")
BUILD=$(readlink -f "${3:-$(dirname "$BIN")}")
HERE=$(dirname "$(readlink -f "$0")")
PARTS=${WEDGE_SLURM_TESTS:-a b c d e}
START=$SECONDS

# One run at a time (the cluster has one folder and fixed ports): lock this script's own file, so
# no lock file is left behind. Then remove the scratch folders of runs that were killed outright.
exec 9< "$0"
flock -w 300 9 || { echo "another test_slurm.sh still runs after 300 s"; echo "0 passed, 1 failed"; exit 1; }
for old in /tmp/wedge-slurm-test.*; do
  [[ -f $old/owner ]] && ! kill -0 "$(cat "$old/owner")" 2> /dev/null && rm -rf "$old"
done
WORK=$(mktemp -d /tmp/wedge-slurm-test.XXXXXX)
echo $$ > "$WORK/owner"

cleanup() {
  bash "$HERE/cluster.sh" stop < /dev/null || true
  if [[ -n ${WEDGE_SLURM_KEEP:-} ]]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=../lib.sh
source "$HERE/../lib.sh"
note() { echo "  [$((SECONDS - START)) s] $*"; }

# One field (JobState, Restarts, ExitCode, ...) of a job, from the controller.
job_field() {
  timeout 10 scontrol show job -o "$1" < /dev/null 2>/dev/null | head -1 \
    | tr ' ' '\n' | sed -n "s/^$2=//p" | head -1
}

# Waits until job $1 has ended (at most $2 seconds); prints its final state.
wait_job() {
  local id=$1 limit=$2 state="" end=$((SECONDS + $2))
  while ((SECONDS < end)); do
    state=$(job_field "$id" JobState)
    case $state in
      COMPLETED | FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY | BOOT_FAIL | DEADLINE | PREEMPTED)
        echo "$state"; return 0 ;;
    esac
    sleep 1
  done
  echo "still ${state:-unknown} after $limit s"
  return 1
}

show_log() { echo "  --- $1"; sed 's/^/  | /' "$1" 2>/dev/null | tail -n "${2:-40}"; }

wedge_has() {  # whether `wedge SUBCOMMAND --help` mentions WORD
  "$BIN" "$1" --help 2>/dev/null | grep -q -- "$2"
}

unset SLURM_CONF
echo "starting the one-node cluster"
if ! eval "$(bash "$HERE/cluster.sh" start < /dev/null | grep '^SLURM_CONF=' | sed 's/^/export /')" \
    || [[ -z ${SLURM_CONF:-} ]]; then
  bad "cluster did not start"
  echo "$PASSED passed, $FAILED failed"
  exit 1
fi
ok "one-node cluster up ($SLURM_CONF)"

sed -e 's/^batch_size = 65536/batch_size = 4096/' "$SRC/configs/baseline.toml" > "$WORK/small.toml"
CFG=$WORK/small.toml
export WEDGE_BIN=$BIN WEDGE_CONFIG=$CFG
N=60000
direct60k() {  # the reference for (a) and (b), made once
  [[ -f $WORK/direct60k.h5 ]] \
    || timeout 120 "$BIN" run "$CFG" -n $N --threads 2 -o "$WORK/direct60k.h5" -q > /dev/null
}

# (a) A hybrid forecast: 2 ranks x 1 thread on the one node.
if [[ $PARTS == *a* ]]; then
  mkdir -p "$WORK/a"
  id=$(WEDGE_RUNS=$N WEDGE_OUT=$WORK/a/forecast.h5 timeout 30 sbatch --parsable \
         --nodes=1 --ntasks-per-node=2 --cpus-per-task=1 --time=5 \
         --output="$WORK/a/job.out" --chdir="$WORK/a" "$SRC/jobs/forecast.sbatch" < /dev/null)
  id=${id%%;*}
  note "forecast job $id submitted"
  state=$(wait_job "$id" 120)
  note "forecast job $id: $state, exit code $(job_field "$id" ExitCode)"
  if [[ $state == COMPLETED ]] && direct60k && same_datasets "$WORK/direct60k.h5" "$WORK/a/forecast.h5"; then
    ok "(a) forecast.sbatch (srun --mpi=pmix, 2x1) equals a direct run"
  else
    show_log "$WORK/a/job.out"; bad "(a) forecast.sbatch"
  fi
  if h5dump -a /ranks_x_threads "$WORK/a/forecast.h5" 2> /dev/null | grep -q '"2x1"'; then
    ok "(a) the job ran as 2 ranks x 1 thread"
  else
    bad "(a) ranks x threads attribute is not 2x1"
  fi
fi

# (b) An array over run ranges [0, N/2) and [N/2, N), merged by a dependent job.
if [[ $PARTS == *b* ]]; then
  mkdir -p "$WORK/b"
  if ! wedge_has merge "Usage" || ! wedge_has run "--first-run"; then
    bad "(b) wedge has no \`merge\` subcommand or no \`run --first-run\` yet: the sweep cannot run"
  else
    out=$(cd "$WORK/b" && WEDGE_OUT=$WORK/b/merged.h5 timeout 60 bash "$SRC/jobs/submit-sweep.sh" \
            --tasks 2 --runs $((N / 2)) --mode ranges --parts "$WORK/b/parts" \
            -- --ntasks-per-node=1 --cpus-per-task=1 --time=5 < /dev/null)
    while read -r line; do echo "  $line"; done <<< "$out"
    array=$(echo "$out" | sed -n 's/^array_job=//p')
    merge=$(echo "$out" | sed -n 's/^merge_job=//p')
    if [[ -z $array || -z $merge ]]; then
      bad "(b) submit-sweep.sh did not print array_job= and merge_job="
    else
      state=$(wait_job "$merge" 150)
      note "array job $array, merge job $merge: $state, exit code $(job_field "$merge" ExitCode)"
      if [[ $state == COMPLETED ]] && direct60k && same_datasets "$WORK/direct60k.h5" "$WORK/b/merged.h5"; then
        ok "(b) array over run ranges + merge (afterok) equals a direct run of the total"
      else
        for f in "$WORK"/b/*.out; do show_log "$f" 20; done
        bad "(b) array + merge"
      fi
      nparts=$(find "$WORK/b/parts" -name '*.h5' 2> /dev/null | wc -l)
      if [[ $nparts -eq 2 ]]; then ok "(b) one file per array task"; else bad "(b) $nparts part files, expected 2"; fi
    fi
    # The other kind of sweep: one seed per task, merged into one study of 2 x 10000 runs.
    out=$(cd "$WORK/b" && timeout 60 bash "$SRC/jobs/submit-sweep.sh" --tasks 2 --runs 10000 \
            --mode seeds --seed-base 100 --parts "$WORK/b/seeds" -o "$WORK/b/seeds.h5" \
            -- --ntasks-per-node=1 --cpus-per-task=1 --time=5 < /dev/null)
    merge=$(echo "$out" | sed -n 's/^merge_job=//p')
    state="not submitted"
    [[ -z $merge ]] || state=$(wait_job "$merge" 120)
    if [[ $state == COMPLETED ]] && "$BIN" info "$WORK/b/seeds.h5" 2> /dev/null | grep -q '20000 runs'; then
      ok "(b) array over seeds + merge: one study of 20000 runs"
    else
      for f in "$WORK"/b/*.out; do show_log "$f" 10; done
      bad "(b) array over seeds + merge (state $state)"
    fi
  fi
fi

# (c) A long job, signalled as at the end of its time limit: checkpoint, requeue, finish.
if [[ $PARTS == *c* ]]; then
  mkdir -p "$WORK/c"
  NC=3000000
  if ! wedge_has run "--restart" || ! wedge_has run "--checkpoint-interval"; then
    bad "(c) wedge has no \`run --restart\` / \`--checkpoint-interval\` yet: the long job cannot run"
  else
    out_c=$WORK/c/long.h5
    id=$(WEDGE_RUNS=$NC WEDGE_OUT=$out_c WEDGE_CHECKPOINT_INTERVAL=2 WEDGE_ARGS="--progress-interval 1" \
           timeout 30 sbatch --parsable --nodes=1 --ntasks-per-node=2 --cpus-per-task=1 --time=10 \
           --output="$WORK/c/job.out" --chdir="$WORK/c" "$SRC/jobs/long.sbatch" < /dev/null)
    id=${id%%;*}
    note "long job $id submitted"
    # Signal once wedge is really running: its first periodic checkpoint is on disk.
    end=$((SECONDS + 90))
    while ((SECONDS < end)) && [[ ! -f $out_c.checkpoint ]]; do
      state=$(job_field "$id" JobState)
      [[ $state == RUNNING || $state == PENDING || $state == CONFIGURING ]] || break
      sleep 0.5
    done
    if [[ ! -f $out_c.checkpoint ]]; then
      note "no checkpoint appeared (job state $(job_field "$id" JobState))"
      show_log "$WORK/c/job.out"; bad "(c) long.sbatch wrote no periodic checkpoint"
    else
      note "checkpoint on disk; scancel --signal=USR1 --batch $id"
      timeout 10 scancel --signal=USR1 --batch "$id" < /dev/null
      state=$(wait_job "$id" 240)
      restarts=$(job_field "$id" Restarts)
      note "long job $id: $state, exit code $(job_field "$id" ExitCode), restarts ${restarts:-?}"
      if [[ $state == COMPLETED && ${restarts:-0} -ge 1 ]] && grep -q 'exit code 75' "$WORK/c/job.out"; then
        ok "(c) USR1 -> checkpoint -> exit 75 -> scontrol requeue -> finished"
      else
        show_log "$WORK/c/job.out" 60; bad "(c) checkpoint/requeue cycle (state $state, restarts ${restarts:-?})"
      fi
      note "direct run of $NC runs for comparison"
      if timeout 300 "$BIN" run "$CFG" -n $NC --threads 2 -o "$WORK/c/direct.h5" -q > /dev/null \
          && same_datasets "$WORK/c/direct.h5" "$out_c"; then
        ok "(c) the requeued job's file equals an uninterrupted run"
      else
        bad "(c) requeued result differs from an uninterrupted run"
      fi
      if grep -q 'start #1' "$WORK/c/job.out" && grep -q 'restarted from a checkpoint' "$WORK/c/job.out"; then
        ok "(c) the requeued job continued from the checkpoint"
      else
        bad "(c) no sign in the log that the second start continued from the checkpoint"
      fi
      left=$(find "$WORK/c" -name 'long.h5.*' -printf '%f ')
      if [[ -z $left ]]; then ok "(c) no checkpoint or partial file left once complete"
      else bad "(c) left behind once complete: $left"; fi
      # --restart is safe to repeat: the same job again leaves the complete file as it is.
      sum=$(md5sum < "$out_c")
      id=$(WEDGE_RUNS=$NC WEDGE_OUT=$out_c timeout 30 sbatch --parsable --nodes=1 --ntasks-per-node=2 \
             --cpus-per-task=1 --time=5 --output="$WORK/c/again.out" --chdir="$WORK/c" \
             "$SRC/jobs/long.sbatch" < /dev/null)
      id=${id%%;*}
      state=$(wait_job "$id" 60)
      if [[ $state == COMPLETED && $(md5sum < "$out_c") == "$sum" && $(job_field "$id" Restarts) == 0 ]]; then
        ok "(c) resubmitting a finished long job changes nothing and ends at once"
      else
        show_log "$WORK/c/again.out"; bad "(c) resubmitting a finished long job (state $state)"
      fi
    fi
  fi
fi

# (d) No signal at all: wedge's own --walltime budget (the job's time left, from squeue, minus
# WEDGE_WALLTIME_MARGIN) stops it, and long.sbatch requeues until the study is done.
if [[ $PARTS == *d* ]]; then
  mkdir -p "$WORK/d"
  ND=3000000   # about 12 s of work here: 2 or 3 starts of ~5 s each
  if ! wedge_has run "--walltime"; then
    bad "(d) wedge has no \`run --walltime\` yet"
  else
    out_d=$WORK/d/long.h5
    # A 1-minute limit and a 50-second margin: a budget of about 10 s per start. The USR1 is moved
    # to 5 s before the end, where the budget has long stopped wedge.
    id=$(WEDGE_RUNS=$ND WEDGE_OUT=$out_d WEDGE_WALLTIME_MARGIN=50 timeout 30 sbatch --parsable \
           --nodes=1 --ntasks-per-node=2 --cpus-per-task=1 --time=1 --signal=B:USR1@5 \
           --output="$WORK/d/job.out" --chdir="$WORK/d" "$SRC/jobs/long.sbatch" < /dev/null)
    id=${id%%;*}
    note "walltime job $id submitted"
    state=$(wait_job "$id" 150)
    restarts=$(job_field "$id" Restarts)
    note "walltime job $id: $state, exit code $(job_field "$id" ExitCode), restarts ${restarts:-?}"
    if [[ $state == COMPLETED && ${restarts:-0} -ge 1 ]] && grep -q -- '--walltime' "$WORK/d/job.out" \
        && ! grep -q SIGUSR1 "$WORK/d/job.out"; then
      ok "(d) --walltime budget from the job's time limit -> exit 75 -> requeue -> finished"
    else
      show_log "$WORK/d/job.out" 60; bad "(d) walltime budget cycle (state $state, restarts ${restarts:-?})"
    fi
    if timeout 300 "$BIN" run "$CFG" -n $ND --threads 2 -o "$WORK/d/direct.h5" -q > /dev/null \
        && same_datasets "$WORK/d/direct.h5" "$out_d"; then
      ok "(d) the file equals an uninterrupted run"
    else
      bad "(d) result differs from an uninterrupted run"
    fi
  fi
fi

# (e) The installed tree and its Lmod module inside a job, as a site would offer wedge.
if [[ $PARTS == *e* ]]; then
  mkdir -p "$WORK/e"
  P=$WORK/e/prefix
  NE=6000
  if [[ ! -f /usr/share/lmod/lmod/init/bash ]]; then
    bad "(e) /usr/share/lmod/lmod/init/bash not found: bash scripts/install-deps.sh (lmod)"
  elif ! cmake --install "$BUILD" --prefix "$P" > "$WORK/e/install.log" 2>&1; then
    show_log "$WORK/e/install.log"; bad "(e) cmake --install $BUILD --prefix $P"
  else
    # The environment of a user who has not loaded anything: no wedge, no module path of ours.
    id=$(env -u WEDGE_BIN -u WEDGE_CONFIG -u MODULEPATH -u LOADEDMODULES -u _LMFILES_ \
           WEDGE_MODULEPATH="$P/share/modulefiles" WEDGE_RUNS=$NE timeout 30 sbatch --parsable \
           --nodes=1 --ntasks-per-node=2 --cpus-per-task=1 --output="$WORK/e/job.out" \
           --chdir="$WORK/e" "$HERE/module.sbatch" < /dev/null)
    id=${id%%;*}
    note "module job $id submitted"
    state=$(wait_job "$id" 120)
    note "module job $id: $state, exit code $(job_field "$id" ExitCode)"
    out=$WORK/e/job.out
    if [[ $state == COMPLETED ]] && grep -qxF "version: $("$BIN" --version)" "$out" \
        && grep -qxF "which: $P/bin/wedge" "$out"; then
      ok "(e) module load wedge in a job: the installed wedge is on PATH"
    else
      show_log "$out"; bad "(e) module load wedge in a job (state $state)"
    fi
    if grep -qxF "man: $P/share/man/man1/wedge.1" "$out" && grep -qxF "configs: $P/share/wedge/configs" "$out" \
        && grep -qxF "after unload: none" "$out"; then
      ok "(e) the module sets MANPATH and WEDGE_CONFIGS; module unload takes wedge off PATH"
    else
      show_log "$out"; bad "(e) MANPATH / WEDGE_CONFIGS / unload"
    fi
    if [[ $state == COMPLETED ]] \
        && timeout 60 "$BIN" run "$SRC/configs/baseline.toml" -n $NE --threads 2 -o "$WORK/e/direct.h5" -q > /dev/null \
        && same_datasets "$WORK/e/direct.h5" "$WORK/e/module.h5" \
        && h5dump -a /ranks_x_threads "$WORK/e/module.h5" 2> /dev/null | grep -q '"2x1"'; then
      ok "(e) the module job's forecast (srun, 2 ranks x 1 thread) equals a direct run"
    else
      bad "(e) the module job's forecast differs from a direct run, or is missing"
    fi
  fi
fi

note "total $((SECONDS - START)) s"
finish
