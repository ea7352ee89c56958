#!/usr/bin/env bash
# dcsim against SimPy 3 on the same two queues:
#   mmc    scenarios/mmc.toml (M/M/c, c = 64, ρ = 0.9, 10 h after a 30-min warm-up) and bench/simpy/mmc.py
#   surge  bench/simpy/surge.toml (a logistic x diurnal NHPP into 12 FIFO servers, 2 days) and surge.py
# Each SimPy script reads its parameters from the dcsim scenario, so the two sides cannot drift apart.
# SimPy and dcsim run alternately (A B A B ...) REPEATS times per model, so that both see the same machine
# load; repetition r uses seed r on both sides. Printed: the median wall time of each side (the whole
# process, start-up and output included; and the simulation loop alone, as each program reports it),
# customers served per wall-second (after the warm-up, the same count on both sides) and the ratio
# dcsim/SimPy; then, as the check that both simulate the same queue, the mean over the repetitions of the
# mean wait and the utilisation on each side with its standard error, and their difference in standard
# errors (|z| < 2: the same within the noise). Nothing is written into the source tree (outputs go to a
# temporary directory; Python writes no bytecode).
# usage: bench/simpy/compare.sh [BUILD_DIR=build/release] [REPEATS=3]
# needs: SimPy 3 for the system Python (Debian: python3-simpy3, installed by scripts/setup.sh)
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build/release}
repeats=${2:-3}
dcsim=$build/dcsim
py=/usr/bin/python3
[[ -x $dcsim ]] || { echo "compare.sh: no dcsim at $dcsim (build it, or give the build directory)" >&2; exit 2; }
"$py" -c 'import simpy, sys; sys.exit(0 if simpy.__version__.startswith("3.") else 1)' 2>/dev/null ||
  { echo "compare.sh: $py cannot import SimPy 3 (Debian: apt-get install python3-simpy3)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rows=$tmp/rows

now() { date +%s.%N; }

# value FILE KEY: the figure named KEY in a 'key value ...' listing, without thousands separators
value() { awk -v k="$2" '$1 == k { gsub(",", "", $2); print $2; exit }' "$1"; }

# run_simpy MODEL REP SCRIPT
run_simpy() {
  local out=$tmp/$1.simpy.$2 t0 t1
  t0=$(now)
  "$py" -B "$src/bench/simpy/$3" --seed "$2" >"$out"
  t1=$(now)
  echo "$1 simpy $2 $t0 $t1 $(value "$out" loop_s) $(value "$out" customers) $(value "$out" mean_wait_s)" \
       "$(value "$out" utilisation)" >>"$rows"
}

# run_dcsim MODEL REP SCENARIO SERVED_KEY WAIT_KEY UTILISATION_KEY
run_dcsim() {
  local out=$tmp/$1.dcsim.$2 t0 t1
  t0=$(now)
  "$dcsim" run "$3" -o "$tmp/$1.h5" --force -q --seed "$2" >"$out"
  t1=$(now)
  local loop
  loop=$(awk '$1 == "wall" && $2 == "time" { print $3; exit }' "$out")
  echo "$1 dcsim $2 $t0 $t1 $loop $(value "$out" "$4") $(value "$out" "$5") $(value "$out" "$6")" >>"$rows"
}

for r in $(seq 1 "$repeats"); do
  run_simpy mmc "$r" mmc.py
  run_dcsim mmc "$r" "$src/scenarios/mmc.toml" mmc.completions mmc.mean_wait_s mmc.utilisation
done
# theory, as each side computes it
erlang="$(value "$tmp/mmc.simpy.1" erlang_c_wait_s) $(value "$tmp/mmc.dcsim.1" mmc.erlang_c_mean_wait_s)"
erlang="$erlang $(value "$tmp/mmc.dcsim.1" mmc.offered_utilisation)"
for r in $(seq 1 "$repeats"); do
  run_simpy surge "$r" surge.py
  run_dcsim surge "$r" "$src/bench/simpy/surge.toml" serving.job.all.completed serving.job.all.wait_mean_s \
        serving.queue.utilisation
done

"$py" - "$rows" "$repeats" $erlang <<'PY'
import math, statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
repeats = int(sys.argv[2])
wq_simpy, wq_dcsim, rho = (float(x) for x in sys.argv[3:6])
med = statistics.median

def mean_se(xs):
    return statistics.fmean(xs), (statistics.stdev(xs) / math.sqrt(len(xs)) if len(xs) > 1 else math.nan)

for model in ("mmc", "surge"):
    side = {s: [r for r in rows if r[0] == model and r[1] == s] for s in ("simpy", "dcsim")}
    fig = {}
    for s, rs in side.items():
        wall = [float(r[4]) - float(r[3]) for r in rs]
        loop = [float(r[5]) for r in rs]
        served = [int(r[6]) for r in rs]
        fig[s] = dict(wall=med(wall), loop=med(loop), served=med(served),
                      rate=med(n / w for n, w in zip(served, wall)),
                      loop_rate=med(n / w for n, w in zip(served, loop)),
                      wait=mean_se([float(r[7]) for r in rs]), util=mean_se([float(r[8]) for r in rs]))
    a, b = fig["simpy"], fig["dcsim"]
    print(f"{model}: medians of {repeats} alternating repetitions (seeds 1-{repeats})")
    for name, f in (("SimPy", a), ("dcsim", b)):
        print(f"  {name:<6} {f['served']:>10,.0f} customers  wall {f['wall']:8.3f} s  {f['rate']:>12,.0f} customers/s"
              f"   (loop alone {f['loop']:.3f} s, {f['loop_rate']:,.0f} customers/s)")
    print(f"  ratio dcsim/SimPy: {b['rate'] / a['rate']:.0f}x customers per wall-second "
          f"({b['loop_rate'] / a['loop_rate']:.0f}x on the loop alone)")
    for what, unit in (("wait", "mean wait (s)"), ("util", "utilisation")):
        (ma, sa), (mb, sb) = a[what], b[what]
        z = (mb - ma) / math.hypot(sa, sb) if repeats > 1 else math.nan
        print(f"  {unit:<14} SimPy {ma:.5g} ± {sa:.2g}   dcsim {mb:.5g} ± {sb:.2g}   "
              f"difference {z:+.1f} standard errors")
    if model == "mmc":
        print(f"  Erlang C: mean wait {wq_simpy:.5g} s (SimPy script) / {wq_dcsim:.5g} s (dcsim), utilisation {rho:.4g}")
PY
