#!/usr/bin/env bash
# A real one-node Slurm cluster on this machine, for tests/slurm/test_slurm.sh and for trying the
# job scripts in jobs/ by hand. Needs root, slurm-wlm and munge (scripts/install-deps.sh).
#
#   bash tests/slurm/cluster.sh start    # (re)start: munged if none answers, slurmctld, slurmd;
#                                        # waits until the node is idle; prints SLURM_CONF=...
#   bash tests/slurm/cluster.sh stop     # cancel its jobs, stop what start started, remove its dir
#   bash tests/slurm/cluster.sh status   # sinfo and squeue of the cluster
#   eval "$(bash tests/slurm/cluster.sh env)"   # export SLURM_CONF for sbatch, squeue, scontrol
#
# Everything lives in one scratch folder, $WEDGE_SLURM_DIR (default /tmp/wedge-slurm): slurm.conf,
# state, spool, logs and the record of the process ids this script started. `stop` signals only
# those processes (and the slurmstepd's of this cluster's jobs, recognised by their working
# directory under $DIR), never by name, and leaves a munged it did not start alone. `start` first cleans up
# whatever a previous, interrupted start left behind, so it can be run again at any time.
# Ports: $WEDGE_SLURMCTLD_PORT (6817) and $WEDGE_SLURMD_PORT (6818). Nothing reads stdin.
set -Eeuo pipefail

DIR=${WEDGE_SLURM_DIR:-/tmp/wedge-slurm}
CONF=$DIR/slurm.conf
PIDS=$DIR/pids                       # lines "name pid" of the processes this script started
CTLD_PORT=${WEDGE_SLURMCTLD_PORT:-6817}
SLURMD_PORT=${WEDGE_SLURMD_PORT:-6818}
HOST=$(hostname -s)
MUNGE_KEY=/etc/munge/munge.key
MUNGE_RUN=/run/munge

log() { echo "cluster: $*" >&2; }
die() { log "error: $*"; exit 1; }

# Whether pid $2 is alive and still the program $1 (a pid may have been reused since); a Slurm
# daemon must also have been started with this cluster's slurm.conf.
is_ours() {
  local name=$1 pid=$2 cmd
  cmd=$({ tr '\0' ' ' < "/proc/$pid/cmdline"; } 2> /dev/null) || return 1
  [[ $cmd == *"$name"* ]] || return 1
  [[ $name == munged || $cmd == *" -f $CONF "* ]]
}

# slurmstepd's of this cluster's jobs: they run in our slurmd's working directory (its log
# folder, under $DIR). Their environment cannot be read: slurmstepd overwrites it with its title.
stepd_pids() {
  local p
  for p in /proc/[0-9]*; do
    { tr '\0' ' ' < "$p/cmdline"; } 2>/dev/null | grep -q '^slurmstepd' || continue
    [[ $(readlink "$p/cwd" 2>/dev/null) == "$DIR"/* ]] && echo "${p#/proc/}"
  done
  return 0
}

# The given pids and all their descendants.
with_descendants() {
  (($# > 0)) || return 0
  ps -e -o pid=,ppid= | awk -v roots="$*" '
    BEGIN { n = split(roots, r, " "); for (i = 1; i <= n; i++) keep[r[i]] = 1 }
    { parent[$1] = $2 }
    END {
      do { changed = 0
        for (p in parent) if (!(p in keep) && (parent[p] in keep)) { keep[p] = 1; changed = 1 }
      } while (changed)
      for (p in keep) print p
    }'
}

# Sends TERM to each pid, waits up to $1 seconds, then KILLs what is left.
terminate() {
  local grace=$1; shift
  local pid i
  (($# > 0)) || return 0
  kill -TERM "$@" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do
    local alive=0
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    ((alive)) || return 0
    sleep 0.1
  done
  kill -KILL "$@" 2>/dev/null || true
}

stop() {
  [[ -d $DIR ]] || { log "nothing to stop ($DIR does not exist)"; return 0; }
  local name pid
  local -a daemons=() munge=() made_dirs=()
  if [[ -f $PIDS ]]; then
    while read -r name pid; do
      [[ $name == dir ]] && { made_dirs+=("$pid"); continue; }
      is_ours "$name" "$pid" || continue
      if [[ $name == munged ]]; then munge+=("$pid"); else daemons+=("$pid"); fi
    done < "$PIDS"
  fi
  # Cancel the cluster's jobs while the controller still answers, so no job step survives it.
  if [[ -f $CONF ]] && ((${#daemons[@]} > 0)); then
    SLURM_CONF=$CONF timeout 10 scancel --quiet --full --user=root < /dev/null 2>/dev/null || true
    local i
    for ((i = 0; i < 50; i++)); do
      [[ -z $(stepd_pids) ]] && break
      sleep 0.2
    done
  fi
  local -a steps
  mapfile -t steps < <(stepd_pids)
  mapfile -t steps < <(with_descendants "${steps[@]}")   # job steps and the jobs' processes
  terminate 5 "${steps[@]}"
  terminate 10 "${daemons[@]}"
  terminate 5 "${munge[@]}"
  local d
  for d in "${made_dirs[@]}"; do rmdir "$d" 2> /dev/null || true; done
  rm -rf "$DIR"
  log "stopped (${#daemons[@]} slurm daemons, ${#munge[@]} munged, ${#steps[@]} leftover job processes)"
}

munge_answers() { timeout 5 munge -n < /dev/null 2>/dev/null | timeout 5 unmunge > /dev/null 2>&1; }

start_munge() {
  if [[ ! -s $MUNGE_KEY ]]; then
    log "creating $MUNGE_KEY"
    install -d -o munge -g munge -m 0700 "$(dirname "$MUNGE_KEY")"
    mungekey --create --keyfile="$MUNGE_KEY" < /dev/null 2>/dev/null \
      || dd if=/dev/urandom of="$MUNGE_KEY" bs=1024 count=1 status=none
    chown munge:munge "$MUNGE_KEY"
    chmod 0400 "$MUNGE_KEY"
  fi
  if munge_answers; then
    log "using the munged that is already running"
    return 0
  fi
  # The package's folders; created only where missing (a fresh container may lack /run/munge).
  if [[ ! -d $MUNGE_RUN ]]; then
    install -d -o munge -g munge -m 0755 "$MUNGE_RUN"
    echo "dir $MUNGE_RUN" >> "$PIDS"   # removed by stop (when empty)
  fi
  [[ -d /var/lib/munge ]] || install -d -o munge -g munge -m 0711 /var/lib/munge
  [[ -d /var/log/munge ]] || install -d -o munge -g munge -m 0700 /var/log/munge
  rm -f "$MUNGE_RUN/munged.pid"
  # munged daemonizes and writes its pid file; --force lets it replace a stale socket.
  runuser -u munge -- /usr/sbin/munged --force < /dev/null > "$DIR/munged.out" 2>&1 \
    || { cat "$DIR/munged.out" >&2; die "munged did not start"; }
  local i
  for ((i = 0; i < 100; i++)); do
    [[ -s $MUNGE_RUN/munged.pid ]] && munge_answers && break
    sleep 0.1
  done
  munge_answers || die "munged does not answer"
  echo "munged $(cat "$MUNGE_RUN/munged.pid")" >> "$PIDS"
}

write_conf() {
  local cpus mem
  cpus=$(nproc)   # the CPUs this process may use (a container's cpuset), not the host's
  # Slurm drains a node that has less memory than configured: leave 10% margin.
  mem=$(awk '/^MemTotal:/ {printf "%d", $2 / 1024 * 0.9}' /proc/meminfo)
  mkdir -p "$DIR/state" "$DIR/spool" "$DIR/log" "$DIR/tmp"
  cat > "$CONF" <<EOF
# Written by tests/slurm/cluster.sh: a one-node test cluster, everything under $DIR.
ClusterName=wedgetest
SlurmctldHost=$HOST(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
AuthType=auth/munge
# A requeued job waits cred_expire seconds before it may start again (default 120).
AuthInfo=cred_expire=5
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
# Also where mpi/pmix makes its per-step folders (spmix_appdir_<uid>_<job>.<step>): under $DIR,
# so that job ids reused by a later cluster never meet a folder a killed step left in /tmp.
TmpFS=$DIR/tmp
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=pmix
JobRequeue=1
ReturnToService=2
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=2,bf_interval=2
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
InactiveLimit=0
KillWait=10
MinJobAge=600
SlurmdTimeout=60
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF
}

node_state() { SLURM_CONF=$CONF timeout 10 sinfo -h -N -n "$HOST" -o %T < /dev/null 2>/dev/null | head -1 || true; }

start() {
  [[ $(id -u) -eq 0 ]] || die "run as root (the test cluster runs its daemons as root)"
  local tool
  for tool in slurmctld slurmd sinfo munged munge unmunge runuser; do
    command -v "$tool" > /dev/null || [[ -x /usr/sbin/$tool ]] || die "$tool not found: bash scripts/install-deps.sh"
  done
  stop  # leftovers of an earlier run
  mkdir -p "$DIR"
  : > "$PIDS"
  # If anything below fails, take down what was started.
  trap 'log "start failed; logs: $DIR/log"; tail -n 20 "$DIR"/log/*.log >&2 2>/dev/null || true; stop' ERR
  start_munge
  write_conf
  export SLURM_CONF=$CONF
  # Both daemons fork into the background and write their pid files; -c/-i: a fresh state.
  /usr/sbin/slurmctld -f "$CONF" -c -i < /dev/null > "$DIR/log/slurmctld.out" 2>&1
  wait_pidfile slurmctld "$DIR/slurmctld.pid"
  /usr/sbin/slurmd -f "$CONF" < /dev/null > "$DIR/log/slurmd.out" 2>&1
  wait_pidfile slurmd "$DIR/slurmd.pid"
  local i state=""
  for ((i = 0; i < 120; i++)); do
    state=$(node_state)
    [[ $state == idle ]] && break
    # A node left down or drained by an earlier cluster comes back here.
    if [[ $state == down* || $state == drain* ]]; then
      timeout 10 scontrol update nodename="$HOST" state=resume < /dev/null > /dev/null 2>&1 || true
    fi
    sleep 0.5
  done
  [[ $state == idle ]] || { log "node $HOST is '$state', not idle, after 60 s"; false; }
  trap - ERR
  log "node $HOST idle ($(nproc) CPUs); logs in $DIR/log"
  echo "SLURM_CONF=$CONF"
}

wait_pidfile() {
  local name=$1 file=$2 i
  for ((i = 0; i < 100; i++)); do
    if [[ -s $file ]] && is_ours "$name" "$(cat "$file")"; then
      echo "$name $(cat "$file")" >> "$PIDS"
      return 0
    fi
    sleep 0.1
  done
  log "$name did not start"
  cat "$DIR/log/$name.out" >&2 || true
  return 1
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  status)
    [[ -f $CONF ]] || die "not running ($CONF does not exist)"
    SLURM_CONF=$CONF sinfo < /dev/null
    SLURM_CONF=$CONF squeue < /dev/null ;;
  env) echo "export SLURM_CONF=$CONF" ;;
  *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
