#!/usr/bin/env bash
# dcsim sweep --list prints the expansion of a [sweep] (the same every time); dcsim validate checks every
# point before anything runs and names the run, the point and the key of a bad value (exit 2); dcsim run
# refuses a sweep; --set reaches the [sweep] table too. Nothing is written by any of these.
# usage: sweep_list.sh DCSIM SOURCE_DIR
set -u
dcsim=$1
src=$2
scenario=$src/tests/data/sweep/mmc_servers.toml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cd "$tmp" || fail "cannot enter $tmp"

"$dcsim" sweep "$scenario" --list >list1 2>err || fail "--list: exit $?: $(cat err)"
"$dcsim" sweep "$scenario" --list >list2 2>err || fail "--list again: exit $?"
cmp -s list1 list2 || fail "the same sweep listed differently twice"
head -1 list1 | grep -qF "6 points x 2 replicas = 12 runs (grid of 2 axes, common random numbers, baseline point 0)" ||
  fail "--list header: $(head -1 list1)"
[ "$(wc -l <list1)" -eq 14 ] || fail "--list: want a header, a column line and 12 runs; got $(wc -l <list1) lines"
grep -qE '^5 +2 +1 +1 +p2_servers-64_rate-50__s_r1 +64 +50 /s$' list1 || fail "--list lacks run 5: $(cat list1)"
grep -qE '^11 +5 +1 +1 +p5_servers-66_rate-57.6__s_r1 +66 +57.6 /s$' list1 || fail "--list lacks run 11"

# --set reaches the sweep: three replicas, independent streams (run indices 0..17, after --run-index 100..117).
"$dcsim" sweep "$scenario" --list --set sweep.replicas=3 --set 'sweep.streams="independent"' --run-index 100 >list3 2>err ||
  fail "--list --set: exit $?: $(cat err)"
head -1 list3 | grep -qF "6 points x 3 replicas = 18 runs (grid of 2 axes, independent streams" || fail "$(head -1 list3)"
grep -qE '^17 +5 +2 +117 +p5_servers-66_rate-57.6__s_r2 ' list3 || fail "independent run indices: $(tail -1 list3)"

"$dcsim" validate "$scenario" >out 2>err || fail "validate: exit $?: $(cat err)"
grep -qF "ok, a sweep of 6 points x 2 replicas = 12 runs, every point checked" out || fail "validate: $(cat out)"

# refuse EXPECTED ARGS...: exit 2, EXPECTED on stderr, nothing written.
refuse() {
  local want=$1
  shift
  "$dcsim" "$@" >out 2>err
  local rc=$?
  [ $rc -eq 2 ] || fail "dcsim $*: exit $rc, want 2; stderr: $(cat err)"
  grep -qF -- "$want" err || fail "dcsim $*: stderr lacks '$want'; got: $(cat err)"
  [ "$(ls | grep -cvE '^(out|err|list[0-9])$')" -eq 0 ] || fail "dcsim $* wrote $(ls)"
  return 0
}
# A bad value on one axis: the point, the run and the key are named, before any run.
refuse "[in sweep run p1_servers-62_rate--1__s_r0, point 1 of 6 (mmc.servers = 62, mmc.arrival_rate = \"-1 /s\")]" \
  validate "$scenario" --set 'sweep.axes[1].values=["50 /s", "-1 /s"]'
refuse "mmc.arrival_rate" validate "$scenario" --set 'sweep.axes[1].values=["50 /s", "-1 /s"]'
# A key no model has.
refuse "mmc.servrs" validate "$scenario" --set 'sweep.axes[0].key="mmc.servrs"'
# A range whose step is zero, a sweep key that does not exist, a sweep-less scenario.
refuse "sweep.axes[0].range" sweep "$scenario" --list --set 'sweep.axes[0].range="62:66:0"'
refuse "sweep.replica" sweep "$scenario" --list --set sweep.replica=3
refuse "has no [sweep] table" sweep "$src/scenarios/mmc.toml" --list
refuse "this scenario is a sweep ([sweep]): run it with dcsim sweep" run "$scenario" -o "$tmp/x.h5" --quiet

# A sweep file that names its scenario: the scenario's tables, read from its own file, with the axes.
mkdir -p study
cat >study/named.toml <<TOML
[sweep]
scenario = "../$(basename "$scenario")"
[[sweep.axes]]
key = "mmc.servers"
values = [60, 70]
TOML
cp "$scenario" ./base.toml
sed -i '/^\[sweep\]/,$d' base.toml
sed -i "s|^scenario = .*|scenario = \"../base.toml\"|" study/named.toml
"$dcsim" validate study/named.toml >out 2>err || fail "validate of a sweep file naming its scenario: exit $?: $(cat err)"
grep -qF "ok, a sweep of 2 points x 1 replica = 2 runs, every point checked" out || fail "named scenario: $(cat out)"
"$dcsim" sweep study/named.toml --list --set mmc.arrival_rate=40/s >out 2>err || fail "named --list: $(cat err)"
grep -qE '^1 +1 +0 +0 +p1_servers-70 +70$' out || fail "named scenario, --list: $(cat out)"
cat >study/extra.toml <<TOML
[mmc]
servers = 3
[sweep]
scenario = "../base.toml"
TOML
cat >study/missing.toml <<TOML
[sweep]
scenario = "nowhere.toml"
TOML
cat >study/nested.toml <<TOML
[sweep]
scenario = "../$(basename "$scenario")"
TOML
cp "$scenario" "./$(basename "$scenario")"
keep() { [ "$(ls | grep -cvE '^(out|err|list[0-9]|study|base.toml|'"$(basename "$scenario")"')$')" -eq 0 ] || fail "wrote $(ls)"; }
for case in "extra:study/extra.toml:1:2: error: a sweep file that names its scenario (sweep.scenario) holds [sweep] only, found 'mmc'" \
            "missing:study/missing.toml:2:12: error: key 'sweep.scenario':" \
            "nested:is itself a sweep"; do
  f=${case%%:*}
  want=${case#*:}
  "$dcsim" validate "study/$f.toml" >out 2>err
  rc=$?
  [ $rc -eq 2 ] || fail "sweep file $f: exit $rc, want 2: $(cat err)"
  grep -qF -- "$want" err || fail "sweep file $f: want '$want' in: $(cat err)"
  keep
done
echo "ok"
