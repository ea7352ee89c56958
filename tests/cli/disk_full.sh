#!/usr/bin/env bash
# A write that fails during a run (a full disk; here a file-size limit, `ulimit -f`, which makes writes past
# it fail with EFBIG: no mount needed) must end the run with exit 1 and a message naming the file, the write
# and the system error, without a crash at exit, and leave OUT.partial readable, holding what was flushed
# before the failure. dcsim itself ignores SIGXFSZ, so the limit is not a kill.
# usage: disk_full.sh DCSIM SOURCE_DIR
set -u
dcsim=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
# 1-s samples over 3 h: 10,800 samples, flushed every 1,024, about 1 MiB of output.
run=(run "$src/scenarios/mmc.toml" --quiet --set simulation.duration=3h --set simulation.warmup=0
     --set simulation.sample_interval=1s)

# Limits in KiB (bash's ulimit -f unit): one hit during the first scheduled flushes, one later, one at the
# very end (the summary) would need exact sizes, so a spread is tried; the smallest fails at creation.
# Limits in KiB (bash's ulimit -f unit): below what the file's layout needs (the failure comes before the
# first flush: nothing is kept), and at several points of the run; hard limits and soft-only limits (-S).
for limit in 1 40 "-S 40" 260 400 "-S 300"; do
  out="$tmp/l${limit// /}.h5"
  (ulimit -f $limit; exec timeout 60 "$dcsim" "${run[@]}" -o "$out") >"$tmp/o" 2>"$tmp/e"
  rc=$?
  [ $rc -eq 1 ] || fail "limit ${limit} KiB: exit $rc, want 1: $(cat "$tmp/e")"
  grep -qF "File too large (EFBIG)" "$tmp/e" || fail "limit ${limit} KiB: no system error in: $(cat "$tmp/e")"
  grep -qE "cannot write $out.partial \((flushing to disk|flushing samples [0-9]+ to [0-9]+)\)" "$tmp/e" ||
    fail "limit ${limit} KiB: the message does not name the file and the write that failed: $(cat "$tmp/e")"
  [ -e "$out" ] && fail "limit ${limit} KiB: an incomplete run left $out, presented as complete"
  if grep -qF "nothing was recorded" "$tmp/e"; then
    [ -e "$out.partial" ] && fail "limit ${limit} KiB: an unreadable stub was left"
    case "$limit" in 1|40|"-S 40") ;; *) fail "limit ${limit} KiB: nothing recorded: $(cat "$tmp/e")";; esac
  else
    saved=$(sed -n 's/.*holds the \([0-9]*\) samples written before the failure.*/\1/p' "$tmp/e")
    [ -n "$saved" ] || fail "limit ${limit} KiB: no count of the samples kept: $(cat "$tmp/e")"
    "$dcsim" info "$out.partial" >"$tmp/i" 2>"$tmp/ie" ||
      fail "limit ${limit} KiB: info cannot read the partial: $(cat "$tmp/ie")"
    grep -qE "status +incomplete" "$tmp/i" || fail "limit ${limit} KiB: the partial is not marked incomplete"
    grep -qF "time series: $saved samples" "$tmp/i" ||
      fail "limit ${limit} KiB: the partial does not hold the $saved samples reported: $(grep 'time series' "$tmp/i")"
    case "$limit" in 400|"-S 300") [ "$saved" -gt 0 ] || fail "limit ${limit} KiB: no samples kept";; esac
  fi
  echo "ok ${limit} KiB: $(head -1 "$tmp/e")"
done
