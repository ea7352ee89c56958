#!/usr/bin/env bash
# CSV and EPW input files written by other tools: a UTF-8 byte-order mark, CRLF and lone-CR line ends are read as
# the same file without them (they used to give "the first column must be 'time_s'" for a header that is
# time_s), and a malformed row in such a file is still located at the right line and column.
# usage: input_files.sh DCSIM
set -u
dcsim=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
bom=$'\xef\xbb\xbf'

# variant NAME MODE < text: writes $tmp/NAME with a BOM (bom), CRLF ends (crlf), both (both), lone CR ends
# (cr, as old Mac tools write) or none of these (plain).
variant() {
  local text
  text=$(cat)
  case $2 in
    bom | both) printf '%s' "$bom" >"$tmp/$1" ;;
    *) : >"$tmp/$1" ;;
  esac
  if [ "$2" = crlf ] || [ "$2" = both ]; then
    printf '%s\n' "$text" | sed 's/$/\r/' >>"$tmp/$1"
  elif [ "$2" = cr ]; then
    printf '%s\n' "$text" | tr '\n' '\r' >>"$tmp/$1"
  else
    printf '%s\n' "$text" >>"$tmp/$1"
  fi
}

workload='[[workload.classes]]
name = "image"
[[workload.tiers]]
name = "all"
share = 1'

for mode in plain bom crlf both cr; do
  # A trace: every row replayed, whichever way the file is written.
  variant trace.csv $mode <<'CSV'
time_s,class,tier,size
1,image,all,1
2.5,image,all,
# a comment line
30,image,all,2
CSV
  printf '[simulation]\nduration = "1 min"\n[workload]\ntrace = "trace.csv"\n%s\n' "$workload" >"$tmp/trace.toml"
  "$dcsim" run "$tmp/trace.toml" -o "$tmp/trace.h5" --quiet >"$tmp/stdout" 2>"$tmp/stderr" ||
    fail "$mode trace: exit $?: $(cat "$tmp/stderr")"
  grep -Eq "^  workload.arrivals +3 " "$tmp/stdout" || fail "$mode trace: not 3 arrivals: $(grep arrivals "$tmp/stdout")"
  rm -f "$tmp/trace.h5"

  # A rate profile.
  variant rates.csv $mode <<'CSV'
time_s,image
0,2
3600,4
CSV
  printf '[simulation]\nduration = "1 h"\n[workload]\nrate_profile = "rates.csv"\n%s\n' "$workload" >"$tmp/rates.toml"
  "$dcsim" validate "$tmp/rates.toml" >"$tmp/stdout" 2>"$tmp/stderr" || fail "$mode rate profile: $(cat "$tmp/stderr")"

  # A malformed row is located the same way (line 3, column 3 of the file as an editor shows it).
  variant bad.csv $mode <<'CSV'
time_s,image
0,2
1,x
CSV
  printf '[simulation]\nduration = "1 h"\n[workload]\nrate_profile = "bad.csv"\n%s\n' "$workload" >"$tmp/bad.toml"
  "$dcsim" validate "$tmp/bad.toml" >"$tmp/stdout" 2>"$tmp/stderr"
  rc=$?
  [ $rc -eq 2 ] || fail "$mode malformed profile: exit $rc, want 2"
  grep -qF "bad.csv:3:3: error: column 'image': expected a number, found \"x\"" "$tmp/stderr" ||
    fail "$mode malformed profile: $(cat "$tmp/stderr")"

  # An EPW weather file (8 header lines and 8760 hourly rows).
  {
    echo "LOCATION,Testville,Uusimaa,FIN,dcsim test data,000000,60.20,24.96,2.0,10.0"
    echo "DESIGN CONDITIONS,0"
    echo "TYPICAL/EXTREME PERIODS,0"
    echo "GROUND TEMPERATURES,0"
    echo "HOLIDAYS/DAYLIGHT SAVINGS,No,0,0,0"
    echo "COMMENTS 1,Invented values"
    echo "COMMENTS 2,A flat year"
    echo "DATA PERIODS,1,1,Data,Monday, 1/ 1,12/31"
    awk 'BEGIN { split("31 28 31 30 31 30 31 31 30 31 30 31", dim, " ");
      for (m = 1; m <= 12; ++m) for (d = 1; d <= dim[m]; ++d) for (h = 1; h <= 24; ++h)
        printf "2001,%d,%d,%d,60,?9?9?9?9E0?9?9?9?9?9?9?9?9?9?9?9?9?9?9?9*9*9?9?9?9,10.0,5.0,70,101325,0,0,280,0,0,0,0,0,0,0,180,3.0,5,5,20.0,77777,9,999999999,5,0.1,0,88,0.2,0,1\n", m, d, h }'
  } | variant weather.epw $mode
  sed -e 's/^preset = "us_southeast"$/epw = "weather.epw"/' "$(dirname "$0")/../data/bad/cooling_failures_exceed_units.toml" |
    grep -v "^#" | sed -e '/^\[\[sites.cooling.unit_failures\]\]$/,/^duration = "5 min"$/d' >"$tmp/epw.toml"
  grep -q 'epw = "weather.epw"' "$tmp/epw.toml" || fail "could not build the EPW scenario"
  "$dcsim" validate "$tmp/epw.toml" >"$tmp/stdout" 2>"$tmp/stderr" || fail "$mode EPW: $(cat "$tmp/stderr")"
done

# A binary file named as a trace (no line end for megabytes) is refused at its first line, without
# reading it whole into memory.
head -c $((3 << 20)) /dev/urandom | tr -d '\n\r' >"$tmp/binary.csv"
printf '[simulation]\nduration = "1 min"\n[workload]\ntrace = "binary.csv"\n%s\n' "$workload" >"$tmp/binary.toml"
"$dcsim" validate "$tmp/binary.toml" >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
[ $rc -eq 2 ] || fail "binary trace: exit $rc, want 2"
grep -qF "binary.csv:1:1: error: a line longer than the limit of 1 MiB (is this a text file?)" "$tmp/stderr" ||
  fail "binary trace: $(cat "$tmp/stderr")"
echo "ok: BOM, CRLF and CR variants of traces, rate profiles and EPW files; a binary trace refused at line 1"
