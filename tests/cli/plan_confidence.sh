#!/usr/bin/env bash
# The plan's confidence is honest: on M/M/c with the SLO at the true median of a run's mean wait at c = 64
# (so the true least c is 65), 100 plans with seeds 1..100 (5 replicas, 95 %, 20-min runs) answer below 65
# in at most 10 of them. The median's bound wrongly accepts 64 with probability 1/32 (3.1 %, expected 3.1
# plans), so 11 or more has probability 0.0003 for an honest bound; the binomial limit for 5 % allowed is
# P(Bin(100, 0.05) >= 11) = 0.011. A bound one order statistic too loose (the 4th of 5: 6/32 = 19 %) gives
# 10 or fewer with probability 0.013. The measurement itself, with 400 plans of 1-h runs, is
# bench/plan_confidence.sh (README, Studies).
set -eu
dcsim=$1
src=$2
out=$(bash "$src/bench/plan_confidence.sh" "$dcsim" 100 "20 min" 0.95 5 1000 median)
echo "$out"
below=$(echo "$out" | sed -n 's/.*answer below the true least c (65): \([0-9]*\) .*/\1/p')
[ -n "$below" ] || { echo "FAIL: no count in the output" >&2; exit 1; }
[ "$below" -le 10 ] || { echo "FAIL: $below of 100 plans answered below the true least c; at most 10 allowed" >&2; exit 1; }
echo ok
