#!/usr/bin/env bash
# The dcsim command's contract: help, version, subcommands, exit codes, validate and info.
# usage: contract.sh DCSIM SOURCE_DIR
set -u
dcsim=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
expect_rc() { local want=$1; shift; "$@" >"$tmp/o" 2>"$tmp/e"; local rc=$?; [ $rc -eq "$want" ] || fail "'$*' exited $rc, want $want: $(cat "$tmp/e")"; }

expect_rc 0 "$dcsim" --help
for w in run validate info; do grep -qw "$w" "$tmp/o" || fail "--help does not mention $w"; done
expect_rc 0 "$dcsim" --version
grep -qE '^dcsim [0-9]+\.[0-9]+\.[0-9]+' "$tmp/o" || fail "--version prints '$(cat "$tmp/o")'"
expect_rc 2 "$dcsim"
expect_rc 2 "$dcsim" frobnicate
expect_rc 2 "$dcsim" run
expect_rc 2 "$dcsim" run "$src/scenarios/mmc.toml" --no-such-option
expect_rc 0 "$dcsim" run --help
expect_rc 2 "$dcsim" validate "$tmp/missing.toml"
grep -q "missing.toml" "$tmp/e" || fail "missing file error does not name it"
expect_rc 0 "$dcsim" validate "$src/scenarios/mmc.toml"
grep -q ": ok" "$tmp/o" || fail "validate does not say ok"
expect_rc 0 "$dcsim" validate "$src/scenarios/mmc.toml" --print --set mmc.servers=3
grep -q "servers = 3" "$tmp/o" || fail "validate --print does not show the override"
# Every shipped scenario and benchmark scenario validates, models built (a study file lists its runs).
for f in "$src"/scenarios/*.toml "$src"/bench/simpy/*.toml; do
  if grep -q '^\[sweep\]' "$f"; then expect_rc 0 "$dcsim" sweep "$f" --list; else expect_rc 0 "$dcsim" validate "$f"; fi
done
expect_rc 2 "$dcsim" run "$src/scenarios/mmc.toml" -o /proc/none/x.h5 --quiet
grep -q "cannot write the output file" "$tmp/e" || fail "unwritable output: $(cat "$tmp/e")"
expect_rc 2 "$dcsim" info "$tmp/none.h5"
echo "not hdf5" > "$tmp/x.h5"
expect_rc 2 "$dcsim" info "$tmp/x.h5"

# A short run writes the file, prints the summary, and info reads it back.
expect_rc 0 "$dcsim" run "$src/scenarios/mmc.toml" -o "$tmp/m.h5" --quiet --set simulation.duration=20min --set simulation.warmup=0 --seed 5
for w in "simulated span" events "wall time" "peak memory" output mmc.mean_wait_s; do
  grep -q "$w" "$tmp/o" || fail "run summary lacks '$w'"
done
[ -s "$tmp/e" ] && fail "--quiet still printed on stderr: $(cat "$tmp/e")"
[ -f "$tmp/m.h5" ] || fail "no output file"
expect_rc 0 "$dcsim" info "$tmp/m.h5"
for w in "status.*complete" "seed.*5" "mmc/queue_length" "mmc.mean_wait_s"; do
  grep -qE "$w" "$tmp/o" || fail "info lacks '$w'"
done
expect_rc 0 "$dcsim" info "$tmp/m.h5" --scenario
grep -q 'seed = 5' "$tmp/o" || fail "info --scenario does not show the resolved seed"
# Progress lines on a non-terminal stderr.
expect_rc 0 "$dcsim" run "$src/scenarios/mmc.toml" -o "$tmp/p.h5" --set simulation.duration=2h --set simulation.warmup=0 --progress-interval 0
grep -q "progress:" "$tmp/e" || fail "no progress lines on a non-terminal stderr"
# --fingerprint prints the hash of the trace, the same for the same seed, and leaves the file as it was.
expect_rc 0 "$dcsim" run "$src/scenarios/mmc.toml" -o "$tmp/f1.h5" --quiet --fingerprint --set simulation.duration=20min --set simulation.warmup=0 --seed 5
grep -qE "fingerprint +[0-9a-f]{16} \(events [0-9,]+: [0-9a-f]{16}, draws [0-9,]+: [0-9a-f]{16}\)" "$tmp/o" || fail "no fingerprint line: $(grep fingerprint "$tmp/o")"
fp1=$(grep fingerprint "$tmp/o")
expect_rc 0 "$dcsim" run "$src/scenarios/mmc.toml" -o "$tmp/f2.h5" --quiet --fingerprint --set simulation.duration=20min --set simulation.warmup=0 --seed 5
[ "$fp1" = "$(grep fingerprint "$tmp/o")" ] || fail "the fingerprint differs between two identical runs"
cmp -s "$tmp/f1.h5" "$tmp/m.h5" || fail "--fingerprint changed the output file"
echo "cli contract holds"
