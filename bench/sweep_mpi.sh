#!/usr/bin/env bash
# MPI scaling of a sweep: `mpirun -np 2 dcsim sweep -j 1` against `mpirun -np 1 dcsim sweep -j 1`, the
# same 8 runs of the M/M/c scenario (12 simulated hours each, servers 60..67), alternating (A B A B ...),
# whole commands timed (MPI start-up included). Prints the medians and the median of the paired ratios
# (target >= 1.85x on 2 cores).
#   usage: bench/sweep_mpi.sh [REPS]     (after cmake --preset mpi && cmake --build --preset mpi)
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${1:-5}
dcsim=$PWD/build/mpi/dcsim
[ -x "$dcsim" ] || { echo "sweep_mpi.sh: build the MPI preset first (cmake --preset mpi && cmake --build --preset mpi)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp scenarios/mmc.toml "$tmp/s.toml"
printf '\n[sweep]\n[[sweep.axes]]\nkey = "mmc.servers"\nrange = "60:67:1"\n' >>"$tmp/s.toml"
mpi=(mpirun --allow-run-as-root --oversubscribe)
timed() {  # NP: seconds of one sweep on NP ranks
  rm -rf "$tmp/out"
  local t0 t1
  t0=$(date +%s.%N)
  "${mpi[@]}" -np "$1" "$dcsim" sweep "$tmp/s.toml" -o "$tmp/out" -j 1 --quiet --set simulation.duration=12h >/dev/null
  t1=$(date +%s.%N)
  echo "$t0 $t1" | awk '{printf "%.4f", $2 - $1}'
}
one=() two=() ratio=()
for _ in $(seq "$reps"); do
  a=$(timed 2)
  b=$(timed 1)
  two+=("$a") one+=("$b") ratio+=("$(echo "$a $b" | awk '{printf "%.4f", $2 / $1}')")
done
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
echo "sweep on MPI ranks: 8 runs of the M/M/c scenario (12 simulated hours each), $reps paired repetitions"
echo "  1 rank    $(median "${one[@]}") s (median)"
echo "  2 ranks   $(median "${two[@]}") s (median)"
echo "  speedup   $(median "${ratio[@]}")x (median of paired ratios; target >= 1.85x)"
