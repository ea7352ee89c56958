#!/usr/bin/env bash
# Long fuzzing campaigns over the libFuzzer targets of the `fuzz` preset, and the figures the README quotes.
#
#   scripts/fuzz.sh [--runs N] [--jobs J] [TARGET...]   fuzz each target for N executions (default 10 M), J at
#                                                      a time (default 2); targets: scenario set trace
#                                                      rate_profile epw (default: all)
#   scripts/fuzz.sh --dictionary DCSIM                 regenerate the key part of fuzz/dict/scenario.dict from
#                                                      `DCSIM keys`
#
# Builds the preset first. Each campaign grows build/fuzz/corpus/TARGET (kept between runs) from the seeds,
# with libFuzzer's limits of 1 s and 2 GiB per input; a crash, hang, leak, sanitizer report or broken
# contract stops the campaign, is saved under build/fuzz/artifacts/ and counted as a finding. Every finding
# becomes a file in fuzz/regressions/TARGET/ plus a test of the suite, is fixed, and the campaign is run
# again from the corpus it had grown. The log of each campaign is build/fuzz/logs/TARGET.log; the table at the end gives
# executions, rate, edges covered (libFuzzer's cov), features (ft), corpus size and findings.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == "--dictionary" ]]; then
  dcsim=${2:?usage: scripts/fuzz.sh --dictionary DCSIM}
  dict=fuzz/dict/scenario.dict
  {
    sed -n '/^# ---- keys/q;p' "$dict"
    echo "# ---- keys (scripts/fuzz.sh --dictionary): every key segment and keyword choice of dcsim keys"
    "$dcsim" keys | grep -E '^  [a-z]' | awk '{print $1}' | tr '.' '\n' | sed -e 's/\[\]//g' -e 's/^<.*>$//' |
      grep -v '^$' | sort -u | sed 's/.*/"&"/'
    "$dcsim" keys | grep -oE 'one of [a-z0-9_]+(, [a-z0-9_]+)*' | sed 's/^one of //' | tr ',' '\n' |
      sed 's/^ *//' | grep -vx 'default' | sort -u | sed 's/.*/"&"/'
  } | awk '/^#/ || !seen[$0]++' >"$dict.new"
  mv "$dict.new" "$dict"
  echo "fuzz.sh: $(grep -vc '^#' "$dict") entries in $dict"
  exit 0
fi

runs=10000000 jobs=2 targets=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[[ ${#targets[@]} -gt 0 ]] || targets=(scenario set trace rate_profile epw)

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz >/dev/null
out=build/fuzz
mkdir -p "$out/logs" "$out/artifacts"

seeds_of() {
  case $1 in
    scenario) echo scenarios tests/data/bad ;;
    set) echo fuzz/seeds/set ;;
    trace) echo fuzz/seeds/trace tests/data/csv ;;
    rate_profile) echo fuzz/seeds/rate_profile tests/data/csv ;;
    epw) echo fuzz/seeds/epw tests/data/epw ;;
    *) echo "fuzz.sh: unknown target $1" >&2; exit 2 ;;
  esac
}
dict_of() {
  case $1 in scenario | set) echo scenario.dict ;; trace | rate_profile) echo csv.dict ;; epw) echo epw.dict ;; esac
}

campaign() {
  local t=$1 start end
  mkdir -p "$out/corpus/$t"
  start=$(date +%s)
  # shellcheck disable=SC2046 # the seed directories are words
  "$out/fuzz/${t}_fuzzer" -runs="$runs" -timeout=1 -rss_limit_mb=2048 -print_final_stats=1 \
    -dict="fuzz/dict/$(dict_of "$t")" -artifact_prefix="$out/artifacts/$t-" \
    "$out/corpus/$t" $(seeds_of "$t") >"$out/logs/$t.log" 2>&1 || true
  end=$(date +%s)
  echo "$((end - start))" >"$out/logs/$t.seconds"
}

running=0
for t in "${targets[@]}"; do
  seeds_of "$t" >/dev/null
  campaign "$t" &
  running=$((running + 1))
  if [[ $running -ge $jobs ]]; then
    wait -n
    running=$((running - 1))
  fi
done
wait

printf '%-13s %12s %9s %7s %7s %8s %9s %8s\n' target executions exec/s cov ft corpus findings seconds
status=0
for t in "${targets[@]}"; do
  log=$out/logs/$t.log
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+ +(DONE|NEW|REDUCE|pulse)' "$log" | tail -1)
  cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")
  ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")
  corpus=$(find "$out/corpus/$t" -type f | wc -l)
  findings=$(find "$out/artifacts" -name "$t-*" -type f | wc -l)
  secs=$(cat "$out/logs/$t.seconds")
  rate=$(( ${execs:-0} / (secs > 0 ? secs : 1) ))
  printf '%-13s %12s %9s %7s %7s %8s %9s %8s\n' "$t" "${execs:-?}" "$rate" "${cov:-?}" "${ft:-?}" "$corpus" "$findings" "$secs"
  [[ "$findings" -eq 0 && -n "$execs" ]] || status=1
done
exit $status
