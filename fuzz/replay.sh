#!/usr/bin/env bash
# Runs a fuzz target once over every file in the given directories (its seeds and past findings): each must
# pass, within libFuzzer's 1 s limit per input.
# usage: replay.sh FUZZER DIR...
set -euo pipefail
fuzzer=$1
shift
files=()
for d in "$@"; do
  [ -d "$d" ] || continue
  while IFS= read -r -d '' f; do files+=("$f"); done < <(find "$d" -maxdepth 1 -type f ! -name 'README*' -print0 | sort -z)
done
[ ${#files[@]} -gt 0 ] || { echo "replay: no inputs in $*"; exit 1; }
"$fuzzer" -timeout=1 -rss_limit_mb=2048 "${files[@]}" 2>"${TMPDIR:-/tmp}/replay.$$.log" || {
  tail -40 "${TMPDIR:-/tmp}/replay.$$.log"
  rm -f "${TMPDIR:-/tmp}/replay.$$.log"
  exit 1
}
rm -f "${TMPDIR:-/tmp}/replay.$$.log"
echo "ok: ${#files[@]} inputs"
