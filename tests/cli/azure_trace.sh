#!/usr/bin/env bash
# A public Azure LLM inference trace (the format of AzurePublicDataset's AzureLLMInferenceTrace_*.csv,
# written here) replayed by `dcsim run` on a text cluster, looped over an hour, with whole batches and with
# continuous batching (the rows' tokens as prefill and decode); a bad row and a wrong class
# exit 2 with a located message and write nothing.
# usage: azure_trace.sh DCSIM
set -u
dcsim=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
printf 'TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.6805900,374,44\n2023-11-16 18:15:50.9951690,396,109\n2023-11-16 18:16:03.2036240,91,600\n' >"$tmp/az.csv"
cat >"$tmp/az.toml" <<'TOML'
[simulation]
duration = "1 h"
sample_interval = "10 min"
[workload]
trace = "az.csv"
trace_class = "text"
trace_loop = true
[[workload.tiers]]
name = "all"
share = 1
[[workload.classes]]
name = "text"
[workload.classes.size]
tokens = 600
[[sites]]
name = "s"
[[sites.clusters]]
name = "t"
class = "text"
gpu = "h100_sxm"
gpus = 4
max_batch = 8
max_wait = "50 ms"
TOML
out=$("$dcsim" run "$tmp/az.toml" -o "$tmp/az.h5" -q) || fail "the run failed: $out"
# The period is the span (16.52 s) plus the mean gap (8.26 s): 24.78 s; an hour holds 145.3 of them, so 146
# repetitions are started and 3 x 145 + 2 = 437 rows replayed (the 146th starts at 3593.8 s: rows at +0 and +4.3 s).
echo "$out" | grep -qE '^  workload.trace_repetitions +146 ' || fail "repetitions: $(echo "$out" | grep trace_repetitions)"
echo "$out" | grep -qE '^  serving.text.all.attempts +437 ' || fail "attempts: $(echo "$out" | grep 'text.all.attempts')"
# The same trace on continuous batching: each row's ContextTokens and GeneratedTokens are its prefill and
# decode; every attempt is served (light load), with TTFT and TPOT in the summary and TTFT series in the file.
cp "$tmp/az.toml" "$tmp/cb.toml"
sed -i 's/^max_wait = "50 ms"/scheduler = "continuous"/' "$tmp/cb.toml"
out=$("$dcsim" run "$tmp/cb.toml" -o "$tmp/cb.h5" -q) || fail "the continuous run failed: $out"
echo "$out" | grep -qE '^  serving.text.all.completed +437 ' || fail "continuous completed: $(echo "$out" | grep 'text.all.completed')"
echo "$out" | grep -qE '^  serving.text.all.ttft_p99_s +0\.[0-9]+ s ' || fail "ttft: $(echo "$out" | grep 'ttft_p99')"
echo "$out" | grep -qE '^  serving.text.all.tpot_mean_s ' || fail "no tpot: $out"
"$dcsim" info "$tmp/cb.h5" | grep -qF 'serving/t/all/ttft_p99_s' || fail "no TTFT series in the file"
# Bad input: a negative token count, at its line and column; a class that is not there.
sed -i 's/,396,109/,-396,109/' "$tmp/az.csv"
err=$("$dcsim" run "$tmp/az.toml" -o "$tmp/bad.h5" -q 2>&1); rc=$?
[ $rc -eq 2 ] || fail "a negative token count exited $rc: $err"
echo "$err" | grep -qF "az.csv:3:29: error: column 'ContextTokens': expected a whole number of tokens >= 0, found \"-396\"" || fail "message: $err"
ls "$tmp"/bad.h5* >/dev/null 2>&1 && fail "bad input left an output file"
sed -i 's/,-396,109/,396,109/; ' "$tmp/az.csv"
sed -i 's/trace_class = "text"/trace_class = "txt"/' "$tmp/az.toml"
err=$("$dcsim" run "$tmp/az.toml" -o "$tmp/bad.h5" -q 2>&1); rc=$?
[ $rc -eq 2 ] || fail "an unknown class exited $rc: $err"
echo "$err" | grep -qF "key 'workload.trace_class': expected the name of a class in [[workload.classes]], found \"txt\" (did you mean \"text\"?)" || fail "message: $err"
echo ok
