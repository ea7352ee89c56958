#!/usr/bin/env bash
# A malformed scenario must make `dcsim run` and `dcsim validate` exit 2, print an error that contains
# every "# expect:" line of the file (and the file name, or the CSV/EPW file it reads at file:line:col), and
# leave no output file behind.
# usage: bad_scenario.sh DCSIM SCENARIO
set -u
dcsim=$1
scenario=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

mapfile -t expects < <(sed -n 's/^# expect: //p' "$scenario")
[ ${#expects[@]} -gt 0 ] || fail "$scenario has no '# expect:' line"
mapfile -t sets < <(sed -n 's/^# set: //p' "$scenario")
args=()
for s in "${sets[@]}"; do args+=(--set "$s"); done

for cmd in run validate; do
  if [ "$cmd" = run ]; then
    "$dcsim" run "$scenario" -o "$tmp/out.h5" --quiet "${args[@]}" >"$tmp/stdout" 2>"$tmp/stderr"
  else
    "$dcsim" validate "$scenario" "${args[@]}" >"$tmp/stdout" 2>"$tmp/stderr"
  fi
  rc=$?
  [ $rc -eq 2 ] || fail "dcsim $cmd exited $rc, want 2; stderr: $(cat "$tmp/stderr")"
  for e in "${expects[@]}"; do
    grep -qF -- "$e" "$tmp/stderr" || fail "dcsim $cmd: error lacks '$e'; got: $(cat "$tmp/stderr")"
  done
  grep -qF -- "$(basename "$scenario")" "$tmp/stderr" || grep -qF -- "--set" "$tmp/stderr" ||
    grep -qE "\.(csv|epw):[0-9]+:[0-9]+: error" "$tmp/stderr" ||
    fail "dcsim $cmd: error does not name the file: $(cat "$tmp/stderr")"
  ls "$tmp"/out.h5* >/dev/null 2>&1 && fail "dcsim $cmd left an output file"
done
echo "ok: $(head -1 "$tmp/stderr")"
