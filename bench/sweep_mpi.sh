#!/usr/bin/env bash
# MPI scaling of a sweep: `mpirun -np 2 dcsim sweep -j 1` against `mpirun -np 1 dcsim sweep -j 1`, the
# same 8 runs of the M/M/c scenario (HOURS simulated hours each, default 12; servers 60..67), alternating.
# Two figures each: the sweep's own wall time, as dcsim reports it (from the first run's start to the
# slowest rank's end: the scaling, target >= 1.85x on 2 cores), and the whole command's (with mpirun's
# start-up of about 0.4 s, which is the same whatever the sweep's size).
#   usage: bench/sweep_mpi.sh [REPS] [HOURS]     (after cmake --preset mpi && cmake --build --preset mpi)
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${1:-5}
hours=${2:-12}
dcsim=$PWD/build/mpi/dcsim
[ -x "$dcsim" ] || { echo "sweep_mpi.sh: build the MPI preset first (cmake --preset mpi && cmake --build --preset mpi)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp scenarios/mmc.toml "$tmp/s.toml"
printf '\n[sweep]\n[[sweep.axes]]\nkey = "mmc.servers"\nrange = "60:67:1"\n' >>"$tmp/s.toml"
mpi=(mpirun --allow-run-as-root --oversubscribe)
timed() {  # NP: "sweep_seconds command_seconds" of one sweep on NP ranks
  rm -rf "$tmp/out"
  local t0 t1 sweep
  t0=$(date +%s.%N)
  sweep=$("${mpi[@]}" -np "$1" "$dcsim" sweep "$tmp/s.toml" -o "$tmp/out" -j 1 --quiet --set simulation.duration=${hours}h |
    sed -n 's/.* failed, \([0-9.]*\) s.*/\1/p')
  t1=$(date +%s.%N)
  echo "$sweep $t0 $t1" | awk '{printf "%.4f %.4f", $1, $3 - $2}'
}
one=() two=() ratio=() cone=() ctwo=() cratio=()
for _ in $(seq "$reps"); do
  read -r a ca <<<"$(timed 2)"
  read -r b cb <<<"$(timed 1)"
  two+=("$a") one+=("$b") ratio+=("$(echo "$a $b" | awk '{printf "%.4f", $2 / $1}')")
  ctwo+=("$ca") cone+=("$cb") cratio+=("$(echo "$ca $cb" | awk '{printf "%.4f", $2 / $1}')")
done
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
echo "sweep on MPI ranks: 8 runs of the M/M/c scenario ($hours simulated hours each), $reps paired repetitions (medians)"
echo "             sweep      command (with mpirun's start-up)"
echo "  1 rank     $(median "${one[@]}") s   $(median "${cone[@]}") s"
echo "  2 ranks    $(median "${two[@]}") s   $(median "${ctwo[@]}") s"
echo "  speedup    $(median "${ratio[@]}")x    $(median "${cratio[@]}")x   (median of paired ratios; target >= 1.85x for the sweep)"
