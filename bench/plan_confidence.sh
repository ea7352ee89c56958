#!/usr/bin/env bash
# Is the plan's confidence honest? On M/M/c (lambda 57.6/s, mu 1/s) the SLO bound V is set to the true
# median (or mean, with STATISTIC=mean) of a run's mean wait at c = 64, estimated from TRUTH independent
# replications, so that 64 is just infeasible and the true least c is 65: the hardest case for the
# one-sided bound, where 64 is accepted with probability close to 1 - confidence. N plans with seeds 1..N
# then count how often the answer is below 65. Prints the fraction with its 95 % Wilson interval.
# usage: bench/plan_confidence.sh DCSIM [N=200] [DURATION=1 h] [CONFIDENCE=0.95] [REPLICAS=5] [TRUTH=4000]
#        [STATISTIC=median]
set -eu
dcsim=$1
n=${2:-200}
duration=${3:-1 h}
confidence=${4:-0.95}
replicas=${5:-5}
truth=${6:-4000}
statistic=${7:-median}
src=$(cd "$(dirname "$0")/.." && pwd)
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
set_args=(--set "simulation.duration=\"$duration\"" --set 'simulation.warmup="5 min"')

# The truth at c = 64: the median or mean over TRUTH replications with a seed no plan uses.
cat >"$tmp/truth.toml" <<TOML
[sweep]
scenario = "$src/scenarios/mmc.toml"
replicas = $truth
streams = "independent"
[[sweep.axes]]
key = "mmc.servers"
values = [64]
TOML
"$dcsim" sweep "$tmp/truth.toml" -o "$tmp/truth" -q "${set_args[@]}" --seed 999999 >/dev/null
read -r v lo hi <<<"$("$py" -c "
import h5py, math, sys
import numpy as np
x = np.sort(h5py.File(sys.argv[1], 'r')['runs/metrics/mmc.mean_wait_s'][:])
n = len(x)
if sys.argv[2] == 'mean':
    m, h = x.mean(), 1.96 * x.std(ddof=1) / math.sqrt(n)
    print('%.17g %.4g %.4g' % (m, m - h, m + h))
else:
    # the median, and its distribution-free 95 % interval from the order statistics n/2 -+ 0.98 sqrt(n)
    d = int(math.ceil(0.98 * math.sqrt(n)))
    print('%.17g %.4g %.4g' % (np.median(x), x[max(n // 2 - d, 0)], x[min(n // 2 + d, n - 1)]))
" "$tmp/truth/index.h5" "$statistic")"
echo "truth: the $statistic of a run's mean wait at c = 64 over $truth runs of $duration: $v s (95 % interval $lo-$hi)"

below=0
at=0
above=0
for s in $(seq 1 "$n"); do
  out=$("$dcsim" plan "$src/scenarios/mmc.toml" -o "$tmp/p$s" --vary mmc.servers --min 56 --max 128 \
        --slo "mmc.mean_wait_s<$v" --replicas "$replicas" --confidence "$confidence" --statistic "$statistic" "${set_args[@]}" --seed "$s" -q | grep '^answer: ')
  c=$(echo "$out" | sed -n 's/^answer: mmc.servers = \([0-9]*\).*/\1/p')
  if [ -z "$c" ]; then echo "plan $s: no answer: $out"; exit 1; fi
  if [ "$c" -lt 65 ]; then below=$((below + 1)); elif [ "$c" -eq 65 ]; then at=$((at + 1)); else above=$((above + 1)); fi
  rm -rf "$tmp/p$s"
done
"$py" -c "
import math, sys
n, k, at, above, conf = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
p = k / n; z = 1.96
c = (p + z*z/(2*n)) / (1 + z*z/n); h = z * math.sqrt(p*(1-p)/n + z*z/(4*n*n)) / (1 + z*z/n)
print(f'plans: {n}; answer below the true least c (65): {k} ({100*p:.1f} %, 95 % Wilson interval {100*(c-h):.1f}-{100*(c+h):.1f} %); '
      f'at 65: {at}; above: {above}; allowed by the confidence: {100*(1-conf):.0f} %')
" "$n" "$below" "$at" "$above" "$confidence"
