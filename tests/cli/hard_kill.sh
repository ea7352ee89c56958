#!/usr/bin/env bash
# A run killed with SIGKILL (or a power loss) loses at most the samples since the last scheduled flush:
# `dcsim info` reads the .partial it leaves, calls it incomplete and counts the samples kept. SIGINT and
# SIGTERM still stop a run cleanly (exit 130/143, readable partial with stop_reason "interrupted").
# usage: hard_kill.sh DCSIM SOURCE_DIR
set -u
dcsim=$1
src=$2
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
# 1-s samples over a long horizon: a flush every 1,024 samples, a run far longer than the test.
run=(run "$src/scenarios/mmc.toml" --quiet --set simulation.duration=1000h --set simulation.warmup=0
     --set simulation.sample_interval=1s)

# samples_in FILE: the sample count `dcsim info` reports, or nothing if it cannot read the file. While the
# writer runs it holds HDF5's file lock: the probe reads without it.
samples_in() { HDF5_USE_FILE_LOCKING=FALSE "$dcsim" info "$1" 2>/dev/null | sed -n 's/^time series: \([0-9]*\) samples.*/\1/p'; }

# pause_at_flush OUT: stops the run (SIGSTOP) at an instant where its partial holds whole flushes. The file
# is probed only while the writer is stopped; a probe that lands in the middle of a flush (a few ms every
# 1,024 samples) sees a half-written file, so the run goes on and the probe is tried again. Up to 60 s on
# a loaded machine; ~0.1 s normally.
pause_at_flush() {
  for _ in $(seq 600); do
    sleep 0.1
    [ -e "$1" ] && fail "the run ended early: $(cat "$tmp/e")"
    kill -STOP "$pid" 2>/dev/null || fail "the run ended early: $(cat "$tmp/e")"
    s=$(samples_in "$1.partial")
    [ -n "$s" ] && [ "$s" -gt 0 ] && return 0
    kill -CONT "$pid"
  done
  HDF5_USE_FILE_LOCKING=FALSE "$dcsim" info "$1.partial" >"$tmp/pi" 2>&1
  fail "no flush within 60 s; info says: $(head -3 "$tmp/pi"); run: $(cat "$tmp/e")"
}

# start OUT: a long run in the background, paused once a flush has put samples on disk.
start() {
  "$dcsim" "${run[@]}" -o "$1" >"$tmp/o" 2>"$tmp/e" &
  pid=$!
  pause_at_flush "$1"
}

for round in 1 2; do
  out="$tmp/k$round.h5"
  start "$out"
  if [ "$round" -eq 2 ]; then  # another point of the schedule: not just after the first flush
    kill -CONT "$pid"
    sleep 0.7
    pause_at_flush "$out"
  fi
  kill -9 "$pid"
  wait "$pid" 2>/dev/null
  pid=
  "$dcsim" info "$out.partial" >"$tmp/i" 2>"$tmp/ie" || fail "info after kill -9 exited $?: $(cat "$tmp/ie")"
  grep -qE "status +incomplete" "$tmp/i" || fail "after kill -9 the partial is not marked incomplete"
  grep -q "^incomplete: [1-9][0-9]* samples recorded" "$tmp/i" || fail "info does not call it incomplete: $(cat "$tmp/i")"
  grep -q "not closed by its run" "$tmp/i" || fail "info does not say the file was not closed by its run"
  n=$(samples_in "$out.partial")
  [ $((n % 1024)) -eq 0 ] || fail "after kill -9: $n samples, not a whole number of flushes of 1024"
  [ -e "$out" ] && fail "kill -9 left $out"
  echo "ok kill -9 (round $round): $n samples kept"
done

for sig in INT TERM; do
  out="$tmp/$sig.h5"
  start "$out"
  kill -"$sig" "$pid"
  kill -CONT "$pid"
  wait "$pid"
  rc=$?
  pid=
  want=$([ $sig = INT ] && echo 130 || echo 143)
  [ $rc -eq "$want" ] || fail "SIG$sig: exit $rc, want $want: $(cat "$tmp/e")"
  "$dcsim" info "$out.partial" >"$tmp/i" 2>"$tmp/ie" || fail "info after SIG$sig: $(cat "$tmp/ie")"
  grep -qE "stop_reason +interrupted" "$tmp/i" || fail "SIG$sig: stop_reason is not interrupted"
  grep -qE "status +incomplete" "$tmp/i" || fail "SIG$sig: not marked incomplete"
  echo "ok SIG$sig"
done
