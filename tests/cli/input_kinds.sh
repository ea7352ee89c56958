#!/usr/bin/env bash
# Scenario inputs that are not regular files or that exceed the input limits: /dev/zero, a directory, a
# FIFO, an oversized file, and nesting 100 000 levels deep (generated here, in the file and through --set)
# must make `dcsim run` and `dcsim validate` exit 2 quickly with one message saying what is wrong, and
# leave no output file. A crash (exit >= 128), a hang (timeout) or a second message fails the test.
# usage: input_kinds.sh DCSIM SOURCE_DIR
set -u
dcsim=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# check WANT_SUBSTRING SCENARIO [ARGS...]: both commands exit 2 within 10 s with the message, nothing written.
check() {
  local want=$1 scenario=$2
  shift 2
  for cmd in run validate; do
    local extra=()
    [ "$cmd" = run ] && extra=(-o "$tmp/out.h5" --quiet)
    timeout 10 "$dcsim" "$cmd" "$scenario" "${extra[@]}" "$@" >"$tmp/stdout" 2>"$tmp/stderr"
    local rc=$?
    [ $rc -eq 2 ] || fail "dcsim $cmd $(basename "$scenario") exited $rc, want 2; stderr: $(head -c 500 "$tmp/stderr")"
    grep -qF -- "$want" "$tmp/stderr" || fail "dcsim $cmd $(basename "$scenario"): lacks '$want': $(head -c 500 "$tmp/stderr")"
    [ "$(wc -l <"$tmp/stderr")" -eq 1 ] || fail "dcsim $cmd: want one line, got: $(head -c 500 "$tmp/stderr")"
    [ "$(wc -c <"$tmp/stderr")" -lt 1000 ] || fail "dcsim $cmd: the message is $(wc -c <"$tmp/stderr") bytes long"
    ls "$tmp"/out.h5* >/dev/null 2>&1 && fail "dcsim $cmd left an output file"
  done
  return 0
}
rep() { printf "%${2}s" "" | sed "s/ /$1/g"; }  # rep STRING N: STRING repeated N times

# Files that are not regular files.
check "/dev/zero: error: the scenario file is a character device, not a file" /dev/zero
mkdir "$tmp/dir.toml"
check "dir.toml: error: the scenario file is a directory" "$tmp/dir.toml"
mkfifo "$tmp/fifo.toml"
check "fifo.toml: error: the scenario file is a FIFO (named pipe), not a file" "$tmp/fifo.toml"
check "missing.toml: error: the scenario file does not exist (no such file)" "$tmp/missing.toml"
ln -s "$tmp/dir.toml" "$tmp/link.toml"
check "link.toml: error: the scenario file is a directory" "$tmp/link.toml"
if [ "$(id -u)" -ne 0 ]; then
  cp "$src/scenarios/mmc.toml" "$tmp/secret.toml" && chmod 000 "$tmp/secret.toml"
  check "secret.toml: error: the scenario file cannot be read (permission denied)" "$tmp/secret.toml"
fi
# dcsim info refuses them too (HDF5 would block on a FIFO).
for f in "$tmp/fifo.toml" "$tmp/dir.toml" /dev/zero; do
  timeout 10 "$dcsim" info "$f" >/dev/null 2>"$tmp/stderr"
  rc=$?
  [ $rc -eq 2 ] || fail "dcsim info $f exited $rc, want 2: $(cat "$tmp/stderr")"
  grep -qE "is a (FIFO|directory|character device)" "$tmp/stderr" || fail "dcsim info $f: $(cat "$tmp/stderr")"
done

# An output path that is a device or a FIFO is refused, not replaced by the renamed output file.
if mknod "$tmp/null" c 1 3 2>/dev/null; then
  timeout 10 "$dcsim" run "$src/scenarios/mmc.toml" -o "$tmp/null" --quiet >/dev/null 2>"$tmp/stderr"
  rc=$?
  [ $rc -eq 2 ] || fail "run -o a character device exited $rc, want 2"
  grep -qF "null: error: cannot write the output file: $tmp/null exists and is a character device" "$tmp/stderr" ||
    fail "run -o a character device: $(cat "$tmp/stderr")"
  [ -c "$tmp/null" ] || fail "the character device was replaced"
fi
timeout 10 "$dcsim" run "$src/scenarios/mmc.toml" -o "$tmp/fifo.toml" --quiet >/dev/null 2>"$tmp/stderr"
[ $? -eq 2 ] && grep -qF "fifo.toml exists and is a FIFO" "$tmp/stderr" || fail "run -o a FIFO: $(cat "$tmp/stderr")"
[ -p "$tmp/fifo.toml" ] || fail "the FIFO was replaced"

# A file past the size limit (16 MiB): refused before it is parsed.
{ cat "$src/scenarios/mmc.toml"; head -c $((17 * 1024 * 1024)) /dev/zero | tr '\0' '#'; } >"$tmp/huge.toml"
check "huge.toml: error: the scenario file is larger than the limit of 16 MiB" "$tmp/huge.toml"

# Nesting 100 000 levels deep, of each kind, after a valid scenario.
n=100000
base="$tmp/base.toml"
cp "$src/scenarios/mmc.toml" "$base"
gen() { { cat "$base"; printf '%s\n' "$2"; } >"$tmp/$1.toml"; }
gen arrays "[extra]
a = $(rep '[' $n)$(rep ']' $n)"
gen inline "[extra]
a = $(rep '{b=' $n)1$(rep '}' $n)"
gen dotted "[extra]
$(rep 'a.' $n)b = 1"
gen header "[$(rep 'a.' $n)b]"
gen aot "[[$(rep '"q".' $n)b]]"
gen mixed "[extra]
a = [$(rep '{b=[' $n)"
for k in arrays inline dotted header aot mixed; do
  check "nesting deeper than 64 levels" "$tmp/$k.toml"
  grep -qE "$k.toml:[0-9]+:[0-9]+: error:" "$tmp/stderr" || fail "$k: the message has no line and column: $(head -c 300 "$tmp/stderr")"
done

# The same through --set: a deep key, a deep value, a long key (one argument holds at most 128 KiB).
check "key paths are at most 1024" "$src/scenarios/mmc.toml" --set "$(rep 'a.' 60000)b=1"
check "nesting deeper than 64 levels" "$src/scenarios/mmc.toml" --set "$(rep 'a.' 70)b=1"
check "nesting deeper than 64 levels" "$src/scenarios/mmc.toml" --set "mmc.x=$(rep '[' $n)"
check "nesting deeper than 64 levels" "$src/scenarios/mmc.toml" --set "mmc.x=$(rep '{a=' 30000)"
check "a key of 300 characters" "$src/scenarios/mmc.toml" --set "mmc.$(rep k 300)=1"
echo "ok"
