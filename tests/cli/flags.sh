#!/usr/bin/env bash
# --seed, --run-index and --set are read strictly: a negative or non-numeric counter names the flag and
# what was typed (it used to wrap to 18446744073709551615 and blame simulation.seed); a --set with a control
# character (a newline would silently drop what follows) is refused; a huge --set is echoed bounded. Every
# refusal exits 2 and writes nothing; well-formed flags still work.
# usage: flags.sh DCSIM SOURCE_DIR
set -u
dcsim=$1
src=$2
scenario=$src/scenarios/mmc.toml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# refuse EXPECTED_MESSAGE ARGS...: `dcsim run` and `dcsim validate` exit 2, say EXPECTED_MESSAGE, write nothing.
refuse() {
  local want=$1
  shift
  for cmd in run validate; do
    local out=()
    [ "$cmd" = run ] && out=(-o "$tmp/out.h5" --quiet)
    "$dcsim" "$cmd" "$scenario" "${out[@]}" "$@" >"$tmp/stdout" 2>"$tmp/stderr"
    local rc=$?
    [ $rc -eq 2 ] || fail "dcsim $cmd $*: exit $rc, want 2; stderr: $(cat "$tmp/stderr")"
    grep -qF -- "$want" "$tmp/stderr" || fail "dcsim $cmd $*: stderr lacks '$want'; got: $(cat "$tmp/stderr")"
    ls "$tmp"/out.h5* >/dev/null 2>&1 && fail "dcsim $cmd $* left an output file"
  done
  return 0
}

refuse "--seed: expected an integer >= 0, found -3" --seed -3
refuse "--seed: expected an integer >= 0, found -3" --seed=-3
refuse "--run-index: expected an integer >= 0, found -1" --run-index=-1
refuse "--run-index: expected an integer >= 0, found abc" --run-index abc
refuse "--seed: expected an integer >= 0, found 1.5" --seed 1.5
refuse "--seed: expected an integer >= 0, found nothing" --seed ""
refuse "--seed: expected an integer <= 9223372036854775807, found 9223372036854775808" --seed 9223372036854775808
refuse "--run-index: expected an integer <= 9223372036854775807, found 99999999999999999999" --run-index 99999999999999999999
grep -q 18446744073709551 "$tmp/stderr" && fail "a counter still wraps: $(cat "$tmp/stderr")"

# A newline in --set used to keep the first line and drop the rest without a word.
refuse 'error: a control character (\n, 0x0a) at character 14 of the override' --set $'mmc.servers=8\nsimulation.duration="1 s"'
refuse 'a control character (\t, 0x09) at character 4 of the override' --set $'mmc\t.servers=8'
refuse 'a control character (\x7f, 0x7f)' --set $'mmc.servers=8\x7f'
refuse 'a control character (\r, 0x0d)' --set $'simulation.duration="1 h"\r'
# Overrides that turn an array of tables into a mixed array make the writer put a deep table inline, which
# nests deeper in text than its key path: refused, since the resolved scenario must read back (fuzz finding).
deep=$(printf 'a.%.0s' $(seq 40))a
"$dcsim" validate "$src/scenarios/surge_fleet.toml" --set "sites[0].$deep=1" --set "sites[1]=" >"$tmp/stdout" 2>"$tmp/stderr"
[ $? -eq 2 ] || fail "a mixed array made of a deep table was accepted"
grep -qF -- "--set sites[1]=: error: with this override the scenario would be written nesting deeper than 64 levels" "$tmp/stderr" ||
  fail "deep mixed array: $(cat "$tmp/stderr")"
# A byte that is not UTF-8 would make the resolved scenario in the output file unreadable (found by fuzzing).
refuse 'a byte that is not UTF-8 (0xce) at byte 24 of the override' --set $'workload.rate_profile=/\xcetmp'
refuse 'a byte that is not UTF-8 (0xc0)' --set $'simulation.duration="\xc0\xaf1 h"'

# A 20,000-character value is echoed in at most a line's worth.
big=$(head -c 20000 /dev/zero | tr '\0' 9)
refuse "key 'mmc.servers'" --set "mmc.servers=\"$big\""
[ "$(wc -c <"$tmp/stderr")" -lt 400 ] || fail "a huge --set is echoed in full: $(wc -c <"$tmp/stderr") bytes"

# Well-formed flags still work, leading zeros included.
"$dcsim" validate "$scenario" --seed 007 --run-index 0 >"$tmp/stdout" 2>"$tmp/stderr" ||
  fail "validate --seed 007 failed: $(cat "$tmp/stderr")"
grep -q "seed 7)" "$tmp/stdout" || fail "--seed 007 is not seed 7: $(cat "$tmp/stdout")"
"$dcsim" validate "$scenario" --seed 9223372036854775807 >"$tmp/stdout" 2>"$tmp/stderr" ||
  fail "the largest seed is refused: $(cat "$tmp/stderr")"
"$dcsim" run "$scenario" -o "$tmp/ok.h5" --quiet --seed 3 --run-index 2 --set simulation.duration=2min --set simulation.warmup=0s >"$tmp/stdout" 2>"$tmp/stderr" ||
  fail "run --seed 3 --run-index 2 failed: $(cat "$tmp/stderr")"
grep -q "seed 3  run 2" "$tmp/stdout" || fail "run does not report seed 3, run 2: $(head -1 "$tmp/stdout")"
echo "ok: flags"
