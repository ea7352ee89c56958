#!/usr/bin/env bash
# A sweep run as a real Slurm job array: the test starts a one-node Slurm of its own on 127.0.0.1 (munged,
# slurmctld and slurmd from Debian's munge and slurm-wlm, with their own key, sockets, ports and state in a
# temporary directory), writes the sweep's sbatch script with dcsim sweep --slurm-script, submits it with
# sbatch --wait, and requires the run files and index.h5 to be those of a one-machine run, byte for byte.
# Without root or without the packages it fails and says why (scripts/setup.sh installs them).
# usage: slurm_sweep.sh DCSIM SOURCE_DIR
set -u
dcsim=$1
src=$2
scenario=$src/tests/data/sweep/mmc_servers.toml
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  sleep 0.5
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*"
  for log in "$tmp"/*.log; do [ -f "$log" ] && { echo "--- $log"; tail -20 "$log"; }; done
  exit 1
}
[ "$(id -u)" -eq 0 ] || fail "the Slurm test needs root (SlurmUser=root); it cannot run as $(id -un)"
for b in munged slurmctld slurmd sbatch scontrol; do
  command -v "$b" >/dev/null || [ -x "/usr/sbin/$b" ] || fail "$b is not installed (scripts/setup.sh installs munge and slurm-wlm)"
done
export PATH=$PATH:/usr/sbin
cd "$tmp" || fail "cannot enter $tmp"

# Free ports for slurmctld and slurmd, on loopback.
ports=$(/usr/bin/python3 - <<'PY'
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(" ".join(str(x.getsockname()[1]) for x in s))
PY
)
read -r ctld_port d_port <<<"$ports"

mkdir -p munge state spool
chmod 700 munge
dd if=/dev/urandom of=munge/munge.key bs=1024 count=1 status=none
chmod 400 munge/munge.key
munged --force --key-file="$tmp/munge/munge.key" --socket="$tmp/munge/munge.socket" \
  --pid-file="$tmp/munge/munged.pid" --log-file="$tmp/munged.log" --seed-file="$tmp/munge/munge.seed" ||
  fail "munged did not start"
for _ in $(seq 50); do [ -f munge/munged.pid ] && break; sleep 0.1; done
pids+=("$(cat munge/munged.pid)")

node=dcsimnode
cat >slurm.conf <<CONF
ClusterName=dcsimtest
SlurmctldHost=localhost(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$ctld_port
SlurmdPort=$d_port
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$tmp/munge/munge.socket
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=$node NodeAddr=127.0.0.1 NodeHostname=$(hostname -s) CPUs=2 RealMemory=1000 State=UNKNOWN
PartitionName=test Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$tmp/slurm.conf
slurmctld -f "$SLURM_CONF" -i || fail "slurmctld did not start"
for _ in $(seq 50); do [ -f slurmctld.pid ] && break; sleep 0.1; done
[ -f slurmctld.pid ] || fail "slurmctld wrote no pid file"
pids+=("$(cat slurmctld.pid)")
slurmd -f "$SLURM_CONF" -N "$node" || fail "slurmd did not start"
for _ in $(seq 50); do [ -f slurmd.pid ] && break; sleep 0.1; done
[ -f slurmd.pid ] || fail "slurmd wrote no pid file"
pids+=("$(cat slurmd.pid)")
ready=0
for _ in $(seq 150); do
  if scontrol show node "$node" 2>/dev/null | grep -qE "State=IDLE"; then ready=1; break; fi
  sleep 0.2
done
[ $ready -eq 1 ] || fail "the node did not become idle: $(scontrol show node "$node" 2>&1 | head -5)"

# The same sweep on this machine, then as a job array of 4 tasks of 1 core each.
"$dcsim" sweep "$scenario" -o local -j 2 --quiet >out 2>err || fail "the local sweep: exit $?: $(cat err)"
"$dcsim" sweep "$scenario" --slurm-script -o "$tmp/array" --tasks 4 --time 5 >out 2>err ||
  fail "--slurm-script: exit $?: $(cat err)"
timeout 300 sbatch --wait --quiet "$tmp/array/sweep.sbatch" >sbatch.out 2>&1 ||
  fail "sbatch --wait: exit $?: $(cat sbatch.out); task logs: $(tail -n 5 "$tmp"/array/slurm/*.out 2>/dev/null)"
[ "$(ls "$tmp"/array/slurm/*.out | wc -l)" -eq 4 ] || fail "want the logs of 4 array tasks: $(ls "$tmp/array/slurm")"
grep -l "index: $tmp/array/index.h5 (12 complete" "$tmp"/array/slurm/*.out >/dev/null ||
  fail "no task wrote the index: $(cat "$tmp"/array/slurm/*.out)"
/usr/bin/python3 "$src/tests/cli/sweep_compare.py" local "$tmp/array" >cmp.out 2>&1 ||
  fail "the Slurm array against the local sweep: $(cat cmp.out)"
echo "ok: $(cat cmp.out)"
