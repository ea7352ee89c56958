#!/usr/bin/env bash
# What the search saves: dcsim plan (exponential search then k-ary bisection) against the plain grid over
# the same range, with the same replicas (common random numbers), SLOs and answer. Two cases:
#   mmc    M/M/c (lambda 57.6/s), mmc.servers in [56, 128], mean wait < 40 ms, 1-h runs: Erlang C says 65.
#          The grid is a dcsim sweep over every value; its answer is read from the sweep's index with the
#          plan's rule (the largest of the 5 replicas, the median's 95 % bound, below the SLO).
#   fleet  tests/data/plan/fleet.toml, image GPUs in [10, 40] x cooling kind (2), p99 < 42 s, minimise cost.
#          The grid is the same plan with every value enumerated (--vary KEY=10:40:1).
# Each case runs search and grid alternately REPEATS times (so both see the same machine load) and prints
# the runs each needed, the median wall time of each and the ratio of the medians.
# usage: bench/plan_vs_grid.sh DCSIM [REPEATS=3] [JOBS=machine's cores]
set -eu
dcsim=$1
repeats=${2:-3}
jobs=${3:-$(nproc)}
src=$(cd "$(dirname "$0")/.." && pwd)
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mmc_common=("$src/scenarios/mmc.toml" --slo 'mmc.mean_wait_s<0.04' --set 'simulation.duration="1 h"'
            --set 'simulation.warmup="5 min"')
fleet_common=("$src/tests/data/plan/fleet.toml" --vary 'sites[0].cooling[0].kind=air_chiller,liquid_dry_cooler'
              --slo 'serving.image.all.response_p99_s<42' --minimise cost)

# one NAME DIR ARGS...: runs a plan, prints "seconds runs answer"
one() {
  local dir=$1
  shift
  local t0 t1
  t0=$(date +%s.%N)
  "$dcsim" plan "$@" -o "$dir" -j "$jobs" -q >"$dir.out" 2>&1 || { echo "failed: $*: $(cat "$dir.out")" >&2; exit 1; }
  t1=$(date +%s.%N)
  local runs answer
  runs=$(sed -n 's/^runs: \([0-9]*\) ran.*/\1/p' "$dir.out")
  answer=$(sed -n 's/^answer: \(.*\)/\1/p' "$dir.out" | sed 's/ (.*//' | tr ' ' '_')
  echo "$("$py" -c "print(f'{$t1 - $t0:.3f}')") $runs $answer"
  rm -rf "$dir"
}

report() {
  "$py" - "$@" <<'PY'
import statistics, sys
name, rows = sys.argv[1], sys.argv[2:]
s = [r.split() for r in rows[0::2]]
g = [r.split() for r in rows[1::2]]
ts, tg = statistics.median(float(x[0]) for x in s), statistics.median(float(x[0]) for x in g)
assert len({x[2] for x in s + g}) == 1, f"answers differ: {s} {g}"
print(f"{name}: answer {s[0][2]}; search {s[0][1]} runs, median {ts:.2f} s; grid {g[0][1]} runs, median {tg:.2f} s; "
      f"runs {int(g[0][1]) / int(s[0][1]):.1f}x fewer, wall time {tg / ts:.1f}x less ({len(s)} repeats)")
PY
}

cat >"$tmp/grid.toml" <<TOML
[sweep]
scenario = "$src/scenarios/mmc.toml"
replicas = 5
[[sweep.axes]]
key = "mmc.servers"
values = [$(seq -s, 56 128)]
TOML
# grid DIR: the sweep, then "seconds runs answer" like one
grid() {
  local dir=$1 t0 t1
  t0=$(date +%s.%N)
  "$dcsim" sweep "$tmp/grid.toml" -o "$dir" -j "$jobs" -q --set 'simulation.duration="1 h"' \
    --set 'simulation.warmup="5 min"' >"$dir.out" 2>&1 || { echo "failed: sweep: $(cat "$dir.out")" >&2; exit 1; }
  t1=$(date +%s.%N)
  "$py" - "$dir/index.h5" "$t1" "$t0" <<'PY'
import h5py, sys
import numpy as np
f = h5py.File(sys.argv[1], "r")
c = f["runs/params/mmc.servers"][:]
w = f["runs/metrics/mmc.mean_wait_s"][:]
ok = sorted(v for v in set(c.tolist()) if w[c == v].max() < 0.04)
print(f"{float(sys.argv[2]) - float(sys.argv[3]):.3f} {len(c)} mmc.servers_=_{ok[0]}")
PY
  rm -rf "$dir"
}

rows=()
for r in $(seq 1 "$repeats"); do
  rows+=("$(one "$tmp/s$r" "${mmc_common[@]}" --vary mmc.servers --min 56 --max 128)")
  rows+=("$(grid "$tmp/g$r")")
done
report "mmc" "${rows[@]}"

rows=()
for r in $(seq 1 "$repeats"); do
  rows+=("$(one "$tmp/s$r" "${fleet_common[@]}" --vary 'sites[0].clusters[0].gpus=10..40')")
  rows+=("$(one "$tmp/g$r" "${fleet_common[@]}" --vary 'sites[0].clusters[0].gpus=10:40:1')")
done
report "fleet" "${rows[@]}"
