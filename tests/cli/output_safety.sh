#!/usr/bin/env bash
# `dcsim run -o` never destroys what it names: a device, a FIFO or a directory is refused, an input of the
# run (the scenario, a rate profile) is refused however it is reached (symlink, hard link, ../), an
# existing file that is not a dcsim output needs --force, and an existing dcsim output is replaced.
# Every refusal exits 2, names the path and the reason, and writes nothing.
# usage: output_safety.sh DCSIM SOURCE_DIR
set -u
dcsim=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
short=(--quiet --set simulation.duration=10min --set simulation.warmup=0)
cp "$src/scenarios/mmc.toml" "$tmp/s.toml"
cp "$tmp/s.toml" "$tmp/s.orig"
n=0

# refuse OUT REASON [extra args]: exit 2, the message names OUT and REASON, no OUT.partial appears, and the
# scenario is untouched.
refuse() {
  local out=$1 reason=$2; shift 2
  local before; before=$(ls -A "$tmp" | sort)
  timeout 20 "$dcsim" run "$tmp/s.toml" -o "$out" "${short[@]}" "$@" >"$tmp/.o" 2>"$tmp/.e"
  local rc=$?
  rm -f "$tmp/.o"
  [ $rc -eq 2 ] || fail "-o $out exited $rc, want 2: $(cat "$tmp/.e")"
  grep -qF -- "$reason" "$tmp/.e" || fail "-o $out: message lacks '$reason': $(cat "$tmp/.e")"
  grep -qF -- "$out" "$tmp/.e" || fail "-o $out: message does not name the path: $(cat "$tmp/.e")"
  [ "$(wc -l <"$tmp/.e")" -eq 1 ] || fail "-o $out: more than one line: $(cat "$tmp/.e")"
  rm -f "$tmp/.e"
  [ "$(ls -A "$tmp" | sort)" = "$before" ] || fail "-o $out wrote something: $(ls -A "$tmp")"
  cmp -s "$tmp/s.toml" "$tmp/s.orig" || fail "-o $out changed the scenario"
  n=$((n + 1))
}

# Devices, FIFOs, directories. Devices only through symbolic links in $tmp: code that wrongly writes and
# renames then replaces the link, never the machine's /dev/null (as `-o /dev/null` did before this test).
ln -s /dev/null "$tmp/null.h5"
refuse "$tmp/null.h5" "is a character device" --force
[ -c /dev/null ] || fail "/dev/null is no longer a device"
ln -s /dev/zero "$tmp/z.h5.partial"
refuse "$tmp/z.h5" "z.h5.partial exists and is a character device"
rm "$tmp/null.h5" "$tmp/z.h5.partial"
mkfifo "$tmp/fifo.h5"
refuse "$tmp/fifo.h5" "is a FIFO" --force
mkfifo "$tmp/p.h5.partial"
refuse "$tmp/p.h5" "p.h5.partial exists and is a FIFO"
rm "$tmp/p.h5.partial" "$tmp/fifo.h5"
mkdir "$tmp/d.h5"
refuse "$tmp/d.h5" "is a directory"
rmdir "$tmp/d.h5"

# The run's inputs, by identity: the scenario itself, through a symlink, a hard link, ../ and .partial.
refuse "$tmp/s.toml" "is the run's input" --force
ln -s s.toml "$tmp/link.h5"
refuse "$tmp/link.h5" "is the run's input" --force
ln "$tmp/s.toml" "$tmp/hard.h5"
refuse "$tmp/hard.h5" "is the run's input" --force
mkdir "$tmp/sub"
refuse "$tmp/sub/../s.toml" "is the run's input"
ln -s ../s.toml "$tmp/sub/x.h5.partial"
refuse "$tmp/sub/x.h5" "x.h5.partial is the run's input" --force
rm "$tmp/link.h5" "$tmp/hard.h5" "$tmp/sub/x.h5.partial"
ln -s nowhere "$tmp/dangling.h5"
refuse "$tmp/dangling.h5" "is a dangling symbolic link"
rm "$tmp/dangling.h5"

# A rate profile the scenario reads is an input too.
mkdir "$tmp/w"
printf 'time_s,image\n0,10\n3600,30\n' >"$tmp/w/rates.csv"
cat >"$tmp/w/w.toml" <<'TOML'
[simulation]
duration = "1 h"
sample_interval = "10 min"
[workload]
rate_profile = "rates.csv"
[[workload.classes]]
name = "image"
TOML
cp "$tmp/w/rates.csv" "$tmp/rates.orig"
"$dcsim" run "$tmp/w/w.toml" -o "$tmp/w/../w/rates.csv" --quiet --force >"$tmp/o" 2>"$tmp/e"
rc=$?
[ $rc -eq 2 ] || fail "-o the rate profile exited $rc, want 2: $(cat "$tmp/e")"
grep -qF "is the run's input" "$tmp/e" || fail "-o the rate profile: $(cat "$tmp/e")"
cmp -s "$tmp/w/rates.csv" "$tmp/rates.orig" || fail "-o the rate profile changed it"
n=$((n + 1))

# A file that is not a dcsim output: refused without --force (text, an empty file, a non-dcsim HDF5 file).
echo "my notes" >"$tmp/notes.h5"
refuse "$tmp/notes.h5" "exists and is not a dcsim output file; use --force"
grep -q "my notes" "$tmp/notes.h5" || fail "the notes were changed"
: >"$tmp/empty.h5"
refuse "$tmp/empty.h5" "is not a dcsim output file"
if python3 -c 'import h5py' 2>/dev/null; then
  python3 -c 'import h5py,sys; h5py.File(sys.argv[1], "w").attrs["x"] = 1' "$tmp/other.h5"
  refuse "$tmp/other.h5" "is not a dcsim output file"
else
  echo "skip: no h5py for the non-dcsim HDF5 case"
fi
# ... and replaced with --force.
"$dcsim" run "$tmp/s.toml" -o "$tmp/notes.h5" "${short[@]}" --force >"$tmp/o" 2>"$tmp/e" || fail "--force: $(cat "$tmp/e")"
"$dcsim" info "$tmp/notes.h5" >"$tmp/o" 2>"$tmp/e" || fail "--force did not write a dcsim output: $(cat "$tmp/e")"

# An existing dcsim output is replaced as before, and so is a leftover OUT.partial.
"$dcsim" run "$tmp/s.toml" -o "$tmp/notes.h5" "${short[@]}" --seed 9 >"$tmp/o" 2>"$tmp/e" || fail "replacing a dcsim output: $(cat "$tmp/e")"
"$dcsim" info "$tmp/notes.h5" | grep -qE "seed +9" || fail "the dcsim output was not replaced"
cp "$tmp/notes.h5" "$tmp/r.h5.partial"
"$dcsim" run "$tmp/s.toml" -o "$tmp/r.h5" "${short[@]}" >"$tmp/o" 2>"$tmp/e" || fail "replacing a leftover .partial: $(cat "$tmp/e")"
[ -f "$tmp/r.h5" ] && [ ! -e "$tmp/r.h5.partial" ] || fail "the leftover .partial was not replaced"
echo "output safety holds ($n refusals)"
