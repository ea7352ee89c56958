#!/usr/bin/env bash
# Long fuzzing campaigns over the libFuzzer targets of the `fuzz` preset, and the figures the README quotes.
#
#   scripts/fuzz.sh [--runs N] [--jobs J] [--no-build] [TARGET...]
#                                                      fuzz each target for N executions (default 10 M), J at
#                                                      a time (default 2); targets: scenario set trace
#                                                      rate_profile epw (default: all); --no-build uses the
#                                                      targets as built (while another campaign runs them)
#   scripts/fuzz.sh --save-corpus                      merge each campaign corpus, minimized, into fuzz/corpus/
#                                                      (committed: the next campaign and ctest start from it)
#   scripts/fuzz.sh --dictionary DCSIM                 regenerate the key part of fuzz/dict/scenario.dict from
#                                                      `DCSIM keys`
#
# Builds the preset first. Each campaign grows build/fuzz/corpus/TARGET (kept between runs) from the seeds,
# with libFuzzer's limits of 2 GiB and 5 s per input (wall time: on a shared machine a 1 s limit reports
# inputs that merely waited for the CPU); a crash, hang, leak, sanitizer report or broken contract stops
# the campaign, is saved under build/fuzz/artifacts/ and counted as a finding. Then the whole corpus is
# replayed with the 1 s limit, and the slowest input's time is reported: that is the hang check. Every finding
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

if [[ "${1:-}" == "--save-corpus" ]]; then
  for t in scenario set trace rate_profile epw; do
    mkdir -p "fuzz/corpus/$t"
    extra=()
    [[ $t == epw ]] && extra=(-max_len=4096)
    build/fuzz/fuzz/${t}_fuzzer -merge=1 -timeout=5 "${extra[@]}" "fuzz/corpus/$t" "build/fuzz/corpus/$t" >/dev/null 2>&1
    echo "fuzz.sh: fuzz/corpus/$t: $(find "fuzz/corpus/$t" -type f | wc -l) inputs"
  done
  exit 0
fi

runs=10000000 jobs=2 build=1 targets=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[[ ${#targets[@]} -gt 0 ]] || targets=(scenario set trace rate_profile epw)

if [[ $build -eq 1 ]]; then
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz >/dev/null
fi
out=build/fuzz
mkdir -p "$out/logs" "$out/artifacts"
# Campaigns allocate millions of small trees: a smaller ASan quarantine and no allocation stacks make them
# about 1.4x faster (still halting on the first report; a finding's replay gives the full report).
export ASAN_OPTIONS=${ASAN_OPTIONS:-malloc_context_size=0:quarantine_size_mb=16}

seeds_of() {
  case $1 in
    scenario) echo scenarios tests/data/bad fuzz/corpus/scenario ;;
    set) echo fuzz/seeds/set fuzz/corpus/set ;;
    trace) echo fuzz/seeds/trace tests/data/csv fuzz/corpus/trace ;;
    rate_profile) echo fuzz/seeds/rate_profile tests/data/csv fuzz/corpus/rate_profile ;;
    epw) echo fuzz/seeds/epw tests/data/epw fuzz/corpus/epw ;;
    *) echo "fuzz.sh: unknown target $1" >&2; exit 2 ;;
  esac
}
# EPW inputs are bounded to 4 KiB (a header and about 20 rows): a full file costs a millisecond per input.
max_len_of() {
  case $1 in epw) echo -max_len=4096 ;; esac
}
dict_of() {
  case $1 in scenario | set) echo scenario.dict ;; trace | rate_profile) echo csv.dict ;; epw) echo epw.dict ;; esac
}

campaign() {
  local t=$1 start end
  mkdir -p "$out/corpus/$t"
  start=$(date +%s)
  # shellcheck disable=SC2046 # the seed directories are words
  # shellcheck disable=SC2046
  "$out/fuzz/${t}_fuzzer" -runs="$runs" -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 $(max_len_of "$t") \
    -dict="fuzz/dict/$(dict_of "$t")" -artifact_prefix="$out/artifacts/$t-" \
    "$out/corpus/$t" $(seeds_of "$t") >"$out/logs/$t.log" 2>&1 || true
  end=$(date +%s)
  echo "$((end - start))" >"$out/logs/$t.seconds"
  # The hang check: every input of the corpus once, each within 1 s; the slowest one's time.
  find "$out/corpus/$t" -type f -print0 | xargs -0 "$out/fuzz/${t}_fuzzer" -timeout=1 -rss_limit_mb=2048 \
    >"$out/logs/$t.replay.log" 2>&1 || echo "replay failed" >>"$out/logs/$t.replay.log"
  sed -nE 's/^Executed .* in ([0-9]+) ms$/\1/p' "$out/logs/$t.replay.log" | sort -n | tail -1 >"$out/logs/$t.slowest_ms"
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

printf '%-13s %12s %9s %7s %7s %8s %9s %8s %11s\n' target executions exec/s cov ft corpus findings seconds slowest_ms
status=0
for t in "${targets[@]}"; do
  log=$out/logs/$t.log
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+[[:space:]]+(DONE|NEW|REDUCE|pulse)' "$log" | tail -1 || true)
  cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")
  ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")
  corpus=$(find "$out/corpus/$t" -type f | wc -l)
  findings=$(find "$out/artifacts" -name "$t-*" -type f | wc -l)
  secs=$(cat "$out/logs/$t.seconds")
  rate=$(( ${execs:-0} / (secs > 0 ? secs : 1) ))
  slowest=$(cat "$out/logs/$t.slowest_ms")
  grep -q "replay failed" "$out/logs/$t.replay.log" && findings=$((findings + 1))
  printf '%-13s %12s %9s %7s %7s %8s %9s %8s %11s\n' "$t" "${execs:-?}" "$rate" "${cov:-?}" "${ft:-?}" "$corpus" "$findings" \
    "$secs" "${slowest:-?}"
  [[ "$findings" -eq 0 && -n "$execs" ]] || status=1
done
exit $status
