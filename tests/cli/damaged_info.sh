#!/usr/bin/env bash
# `dcsim info` on a file that is not a sound dcsim output exits 2 with one line naming the file, never
# crashes, hangs or calls it fine: an empty file, text, an HDF5 signature followed by junk, a dcsim output
# truncated at several offsets, and with bytes flipped in the superblock, in metadata and in data. A flip
# in a byte no reader checks (free space, a string's text) can go unnoticed: those offsets may read as
# fine (unused entries of B-tree nodes, the text of strings in the global heap), but must still exit 0 or
# 2 with one line, never crash; at least 70 % of scattered flips must be caught.
# usage: damaged_info.sh DCSIM SOURCE_DIR
set -u
dcsim=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
"$dcsim" run "$src/scenarios/mmc.toml" -o "$tmp/good.h5" --quiet --set simulation.duration=6h --set simulation.warmup=0 \
  --set simulation.sample_interval=10s >/dev/null || fail "cannot make a good file"
"$dcsim" info "$tmp/good.h5" >/dev/null || fail "info fails on a good file"
# A reader that stops reading (`| head`) is not damage: no message (the child dies of SIGPIPE, exit 141).
"$dcsim" info "$tmp/good.h5" 2>"$tmp/pipe_e" | true
[ -s "$tmp/pipe_e" ] && fail "info into a closed pipe says: $(cat "$tmp/pipe_e")"
size=$(stat -c %s "$tmp/good.h5")
cases=0

# info_rc FILE: runs info (with a time limit) and checks the shape of its answer; prints the exit code.
info_rc() {
  timeout 60 "$dcsim" info "$1" >"$tmp/o" 2>"$tmp/e"
  local rc=$?
  case $rc in
    0) [ -s "$tmp/e" ] && fail "$2: exit 0 but stderr: $(cat "$tmp/e")" ;;
    2) [ "$(wc -l <"$tmp/e")" -eq 1 ] || fail "$2: not one line: $(cat "$tmp/e")"
       grep -qF "$1: error: " "$tmp/e" || fail "$2: the message does not name the file: $(cat "$tmp/e")" ;;
    *) fail "$2: info exited $rc: $(cat "$tmp/e")" ;;
  esac

  echo $rc
}
# must_reject FILE WHAT EXPECT: exit 2 and the message contains EXPECT.
must_reject() {
  local rc; rc=$(info_rc "$1" "$2") || exit 1
  [ "$rc" -eq 2 ] || fail "$2: reported as fine"
  grep -qF -- "$3" "$tmp/e" || fail "$2: message lacks '$3': $(cat "$tmp/e")"
}
# flip FILE OFFSET: a copy of the good file with the byte at OFFSET inverted.
flip() {
  cp "$tmp/good.h5" "$1"
  printf "$(printf '\\%03o' $(( 255 - $(od -An -tu1 -j "$2" -N1 "$tmp/good.h5") )))" |
    dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

: >"$tmp/empty.h5"
must_reject "$tmp/empty.h5" "empty file" "the file is empty"
echo "plain text" >"$tmp/text.h5"
must_reject "$tmp/text.h5" "text file" "not an HDF5 file"
{ printf '\211HDF\r\n\032\n'; head -c 3000 /dev/urandom; } >"$tmp/junk.h5"
must_reject "$tmp/junk.h5" "signature then junk" "error"

for off in 8 48 100 1000 $((size / 3)) $((size / 2)) $((size - 200)) $((size - 1)); do
  head -c "$off" "$tmp/good.h5" >"$tmp/t.h5"
  must_reject "$tmp/t.h5" "truncated at $off of $size" "error"
  cases=$((cases + 1))
done

# Superblock (version 2, checksummed): a spread of bytes after the signature.
for off in 8 9 10 13 20 28 36 44 47; do
  flip "$tmp/f.h5" "$off"
  must_reject "$tmp/f.h5" "superblock byte $off flipped" "error"
  cases=$((cases + 1))
done

# Elsewhere: a spread of offsets over metadata and data. Each must answer properly; most must be caught.
caught=0 tried=0
for off in $(seq 48 $((size / 50)) "$((size - 1))"); do
  flip "$tmp/f.h5" "$off"
  rc=$(info_rc "$tmp/f.h5" "byte $off flipped") || exit 1
  tried=$((tried + 1))
  [ "$rc" -eq 2 ] && caught=$((caught + 1))
done
[ $((caught * 10)) -ge $((tried * 7)) ] || fail "only $caught of $tried flipped bytes were caught"
echo "damaged files answered properly: $((cases + 3 + tried)) cases; $caught of $tried scattered flips caught"
