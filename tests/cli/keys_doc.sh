#!/usr/bin/env bash
# docs/scenario-keys.md is generated from the parameter tables: it must equal `dcsim keys --markdown`.
# usage: keys_doc.sh DCSIM SOURCE_DIR
set -u
dcsim=$1
doc=$2/docs/scenario-keys.md
[ -f "$doc" ] || { echo "FAIL: $doc is missing"; exit 1; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$dcsim" keys --markdown >"$out" || { echo "FAIL: dcsim keys --markdown exited $?"; exit 1; }
if ! diff -u "$doc" "$out"; then
  echo "FAIL: docs/scenario-keys.md differs from 'dcsim keys --markdown' (regenerate it:"
  echo "      ./build/release/dcsim keys --markdown > docs/scenario-keys.md)"
  exit 1
fi
# The text reference and one section work too; an unknown section is bad usage (exit 2).
"$dcsim" keys >/dev/null || { echo "FAIL: dcsim keys"; exit 1; }
"$dcsim" keys simulation | grep -q "simulation.duration" || { echo "FAIL: dcsim keys simulation"; exit 1; }
"$dcsim" keys simulatoin 2>"$out" >/dev/null; rc=$?
[ $rc -eq 2 ] || { echo "FAIL: an unknown section exits $rc, not 2"; exit 1; }
grep -q "did you mean 'simulation'" "$out" || { echo "FAIL: no did-you-mean: $(cat "$out")"; exit 1; }
echo "scenario keys reference ok"
