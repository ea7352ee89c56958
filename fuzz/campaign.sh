#!/usr/bin/env bash
# A bounded fuzzing campaign: runs FUZZER for RUNS executions from the seed directories into CORPUS (kept
# between runs), with a fixed random seed (the same executions every time from the same corpus), with limits of 5 s (wall time, which a busy machine stretches) and 2 GiB per input. Any crash,
# hang, leak, sanitizer report or broken contract stops it with a non-zero exit and leaves the input in
# CORPUS/../artifacts/. (The 1 s limit is checked by replay.sh and by scripts/fuzz.sh's corpus replay.)
# usage: campaign.sh FUZZER CORPUS RUNS "DICT_ARGS" SEED_DIR...
set -euo pipefail
fuzzer=$1 corpus=$2 runs=$3 dict=$4
shift 4
mkdir -p "$corpus" "$corpus/../artifacts"
seeds=()
for d in "$@"; do [ -d "$d" ] && seeds+=("$d"); done
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# shellcheck disable=SC2086 # DICT_ARGS is empty or one -dict= argument
if ! "$fuzzer" -runs="$runs" -seed=1 -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 \
     -artifact_prefix="$corpus/../artifacts/$(basename "$fuzzer")-" $dict "$corpus" "${seeds[@]}" >"$log" 2>&1; then
  tail -60 "$log"
  exit 1
fi
grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb)" "$log" || tail -5 "$log"
