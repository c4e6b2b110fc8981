#!/usr/bin/env bash
# `make test-slurm`: a real one-node Slurm cluster on localhost (munged,
# slurmctld, slurmd), a 3-shard array of a tiny HebbFF study plus the
# dependent merge submitted through submit.sh, and the merged outputs
# compared byte for byte with the one-process `hebbff study`.
#
# Installs Debian's slurm-wlm and munge if missing (needs root and apt).
# Everything else lives under $SLURM_TEST_DIR (default /tmp/rnnscope-slurm):
# config, state, logs, results. Idempotent: daemons left from an earlier run
# are stopped first; the daemons it started are stopped on exit.
# Environment: RNNSCOPE = rnnscope binary (default: the one `cargo test`
# builds, target/debug/rnnscope at opt-level 2 — `cargo test --no-run`, a
# no-op after `make test`; `cargo build --profile test` would rebuild it);
# SLURM_TEST_CPUS = CPUs the node advertises (default nproc).
#
#   test-local.sh        the test (cluster up, jobs, compare, cluster down)
#   test-local.sh up     only start the one-node cluster and leave it running
#                        (then: export SLURM_CONF=$SLURM_TEST_DIR/slurm.conf)
#   test-local.sh down   stop the daemons an earlier `up` started
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
base=${SLURM_TEST_DIR:-/tmp/rnnscope-slurm}
timeout_s=${SLURM_TEST_TIMEOUT:-600}
log() { echo "test-slurm: $*" >&2; }
die() { log "FAILED: $*"; for f in "$base"/slurmctld.log "$base"/slurmd.log "$base"/run/logs/*.out; do
          [[ -f $f ]] && { echo "--- $f" >&2; tail -n 30 "$f" >&2; }; done; exit 1; }

# Wait up to $1 seconds for the command "${@:2}" to succeed.
wait_for() {
  local t=$1; shift
  for ((i = 0; i < t * 2; i++)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  return 1
}

# ---- 1. packages
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null \
   || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
  [[ $(id -u) -eq 0 ]] || die "slurm-wlm/munge missing and not root: apt-get install slurm-wlm munge"
  log "installing slurm-wlm and munge (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
fi
[[ $(id -u) -eq 0 ]] || die "the one-node cluster runs its daemons as root (SlurmUser=root)"

# ---- 2. the rnnscope binary
if [[ -z ${RNNSCOPE:-} ]]; then
  log "cargo test --no-run (builds target/debug/rnnscope, optimised)"
  (cd "$repo" && cargo test --quiet --no-run)
  RNNSCOPE=$repo/target/debug/rnnscope
fi
[[ -x $RNNSCOPE ]] || die "no rnnscope binary at $RNNSCOPE"
export RNNSCOPE

# ---- 3. configuration (one node "localhost" = 127.0.0.1, no cgroups, no accounting daemon)
stop_ours() {
  for d in slurmd slurmctld; do
    local pf=$base/$d.pid
    if [[ -f $pf ]]; then
      local pid; pid=$(cat "$pf")
      if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        wait_for 15 bash -c "! kill -0 $pid" || kill -9 "$pid" 2>/dev/null || true
      fi
      rm -f "$pf"
    fi
  done
  if [[ -f $base/munged.started ]]; then
    local mp; mp=$(cat /run/munge/munged.pid 2>/dev/null || true)
    [[ -n $mp ]] && kill "$mp" 2>/dev/null || true
    rm -f "$base/munged.started"
  fi
}
stop_ours
mode=${1:-test}
if [[ $mode == down ]]; then log "stopped"; exit 0; fi
rm -rf "$base/state" "$base/spool" "$base/run" "$base"/*.log
mkdir -p "$base/state" "$base/spool" "$base/run"
cpus=${SLURM_TEST_CPUS:-$(nproc)}
conf=$base/slurm.conf
cat >"$conf" <<CONF
ClusterName=rnnscope-test
SlurmctldHost=localhost(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=${SLURM_TEST_PORT:-6917}
SlurmdPort=$(( ${SLURM_TEST_PORT:-6917} + 1 ))
AuthType=auth/munge
StateSaveLocation=$base/state
SlurmdSpoolDir=$base/spool
SlurmctldPidFile=$base/slurmctld.pid
SlurmdPidFile=$base/slurmd.pid
SlurmctldLogFile=$base/slurmctld.log
SlurmdLogFile=$base/slurmd.log
ProctrackType=proctrack/pgid
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MinJobAge=600
$( [[ -n ${SLURM_TEST_CPUS:-} ]] && echo "SlurmdParameters=config_overrides" )
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$conf

# ---- 4. daemons (bounded waits)
trap 'stop_ours' EXIT
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  [[ -s /etc/munge/munge.key ]] || { mungekey --create --force 2>/dev/null || \
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none; }
  chown -R munge:munge /etc/munge 2>/dev/null || true
  chmod 0700 /etc/munge; chmod 0400 /etc/munge/munge.key
  mkdir -p /run/munge /var/lib/munge /var/log/munge
  chown munge:munge /run/munge /var/lib/munge /var/log/munge 2>/dev/null || true
  log "starting munged"
  if id munge >/dev/null 2>&1; then runuser -u munge -- /usr/sbin/munged; else /usr/sbin/munged --force; fi
  touch "$base/munged.started"
  wait_for 20 bash -c 'munge -n | unmunge' || die "munged did not start"
fi
log "starting slurmctld and slurmd"
slurmctld -f "$conf" || die "slurmctld did not start"
wait_for 30 scontrol ping || die "slurmctld does not answer scontrol ping"
slurmd -f "$conf" -N localhost || die "slurmd did not start"
node_idle() { sinfo -h -N -o '%T' | grep -qE '^(idle|mixed|allocated)'; }
wait_for 60 node_idle || die "the node never became idle: $(sinfo -N 2>&1)"
log "cluster up: $(sinfo -h -N -o '%N %T %c CPUs')"
if [[ $mode == up ]]; then trap - EXIT; log "left running; SLURM_CONF=$conf; stop with: $0 down"; exit 0; fi

# ---- 5. a tiny study: 3 shards + merge through submit.sh, and the same study in one process
study=(hebbff study --instances 5 --n 16 --m 12 --r 2 --epochs 40 --snapshot-every 10
       --lr 0.01 --test-len 200 --window 20 --runs 1 --corr-window 3 --seed 3 --threads 1)
ids=$("$repo/scripts/slurm/submit.sh" --shards 3 --cpus 1 --time 10:00 "$base/run" -- "${study[@]}") \
  || die "submit.sh failed"
log "submitted: $ids"
array=${ids#array=}; array=${array%% *}; merge=${ids##*merge=}
"$RNNSCOPE" "${study[@]}" --out "$base/one" >/dev/null 2>"$base/one.log" || die "one-process study failed"

# ---- 6. wait (squeue until both jobs left the queue), then their final states
deadline=$((SECONDS + timeout_s))
while squeue -h -j "$array,$merge" 2>/dev/null | grep -q .; do
  ((SECONDS < deadline)) || { scancel "$array" "$merge" || true; die "jobs still queued after ${timeout_s}s: $(squeue)"; }
  sleep 2
done
state() {  # sacct when accounting is available, else scontrol (jobs kept MinJobAge s)
  local s
  s=$(sacct -n -X -P -j "$1" -o State 2>/dev/null | sort -u | tr '\n' ' ' || true)
  [[ -n ${s// /} ]] || s=$(scontrol show job "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | sort -u | cut -d= -f2 | tr '\n' ' ')
  echo "${s% }"
}
log "array $array: $(state "$array"); merge $merge: $(state "$merge")"
[[ $(state "$array") == COMPLETED ]] || die "the shard array did not complete"
[[ $(state "$merge") == COMPLETED ]] || die "the merge job did not complete"

# ---- 7. compare
shopt -s nullglob
files=("$base/run/shards"/shard-*-of-0003.json)
[[ ${#files[@]} -eq 3 ]] || die "expected 3 shard files, found ${#files[@]}"
for f in summary.json instances.json curves.csv; do
  cmp -s "$base/run/$f" "$base/one/$f" || die "$f of the merged Slurm run differs from the one-process study"
done
log "OK: 3 Slurm array tasks + dependent merge = the one-process study (summary.json, instances.json, curves.csv identical)"
