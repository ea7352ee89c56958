#!/usr/bin/env bash
# dcsim plan from the command line: the answer and its file, resume, determinism whatever the threads, an
# infeasible SLO, a two-variable plan against the plain grid over the same range, and bad input (exit 2).
# usage: plan.sh DCSIM SOURCE_DIR
set -u
dcsim=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
py=/usr/bin/python3

mmc=(--set 'simulation.duration="1 h"' --set 'simulation.warmup="5 min"')

# 1. M/M/c: lambda = 57.6/s, mu = 1/s, W_q < 0.04 s: Erlang C gives c = 65 (W_q 0.0340; 0.0485 at 64).
"$dcsim" plan "$src/scenarios/mmc.toml" -o "$tmp/a" --vary mmc.servers --slo 'mmc.mean_wait_s<0.04' "${mmc[@]}" -q -j 2 >"$tmp/a.out" 2>&1
rc=$?
[ $rc -eq 0 ] || fail "plan exited $rc: $(cat "$tmp/a.out")"
grep -q "^answer: mmc.servers = 65 " "$tmp/a.out" || fail "answer: $(cat "$tmp/a.out")"
"$py" - "$tmp/a/plan.h5" <<'PY' || fail "plan.h5"
import sys, h5py
with h5py.File(sys.argv[1], "r") as f:
    assert f.attrs["status"] == b"feasible" or f.attrs["status"] == "feasible", f.attrs["status"]
    p = f["points"]
    c = p["mmc.servers"][:]
    ok = p["feasible"][:]
    ans = p["answer"][:]
    assert ans.sum() == 1
    i = int(ans.argmax())
    assert c[i] == 65 and ok[i] == 1
    j = [k for k in range(len(c)) if c[k] == 64]
    assert j and ok[j[0]] == 0, "64 must have been tried and failed"
    assert p["replicas"][i] == 5
    # every run of the plan is linked, replica k has the same run index at every point
    runs = f["runs"]
    assert len(runs["name"]) == 5 * len(c)
    ri = {}
    for pt, rep, idx in zip(runs["point"][:], runs["replica"][:], runs["run_index"][:]):
        ri.setdefault(rep, set()).add(idx)
    assert all(len(v) == 1 for v in ri.values()), ri
    w = f["points/mean/mmc.mean_wait_s"][:]
    assert w[i] < 0.04
    assert f["files/" + runs["name"][0].decode()].attrs["status"] in (b"complete", "complete")
PY

# 2. The same plan again resumes: no run runs, the same file. -j 1 gives the same file as -j 2.
"$dcsim" plan "$src/scenarios/mmc.toml" -o "$tmp/a" --vary mmc.servers --slo 'mmc.mean_wait_s<0.04' "${mmc[@]}" -q -j 2 >"$tmp/a2.out" 2>&1 || fail "resume: $(cat "$tmp/a2.out")"
grep -q "^runs: 0 ran" "$tmp/a2.out" || fail "resume ran runs: $(cat "$tmp/a2.out")"
cp "$tmp/a/plan.h5" "$tmp/a_first.h5"
"$dcsim" plan "$src/scenarios/mmc.toml" -o "$tmp/b" --vary mmc.servers --slo 'mmc.mean_wait_s<0.04' "${mmc[@]}" -q -j 1 >"$tmp/b.out" 2>&1 || fail "-j 1: $(cat "$tmp/b.out")"
cmp -s "$tmp/a_first.h5" "$tmp/b/plan.h5" || fail "plan.h5 differs between -j 2 and -j 1"
# Another plan in the same directory is refused.
"$dcsim" plan "$src/scenarios/mmc.toml" -o "$tmp/a" --vary mmc.servers --slo 'mmc.mean_wait_s<0.03' "${mmc[@]}" -q >"$tmp/c.out" 2>&1
[ $? -eq 2 ] || fail "another plan in the same directory: $(cat "$tmp/c.out")"
grep -q "holds another plan" "$tmp/c.out" || fail "message: $(cat "$tmp/c.out")"

# 3. Infeasible: a mean response below the mean service time cannot be met by any c; exit 1.
"$dcsim" plan "$src/scenarios/mmc.toml" -o "$tmp/inf" --vary mmc.servers --max 256 --slo 'mmc.mean_response_s<0.9' "${mmc[@]}" -q >"$tmp/inf.out" 2>&1
rc=$?
[ $rc -eq 1 ] || fail "infeasible exited $rc: $(cat "$tmp/inf.out")"
grep -q "^answer: infeasible" "$tmp/inf.out" || fail "infeasible: $(cat "$tmp/inf.out")"
grep -q "best reached at mmc.servers = " "$tmp/inf.out" || fail "best reached: $(cat "$tmp/inf.out")"
"$py" -c "import h5py,sys; f=h5py.File(sys.argv[1]); s=f.attrs['status']; assert s in (b'infeasible','infeasible'), s; assert f['points/feasible'][:].sum()==0" "$tmp/inf/plan.h5" || fail "infeasible plan.h5"

# 4. Two variables, minimise cost: the plan's design is the cheapest feasible one of the plain grid over
# the same range, and it is on the grid's Pareto front.
fleet="$src/tests/data/plan/fleet.toml"
slo='serving.image.all.response_p99_s<42'
kinds='sites[0].cooling[0].kind=air_chiller,liquid_dry_cooler'
"$dcsim" plan "$fleet" -o "$tmp/two" --vary 'sites[0].clusters[0].gpus=10..40' --vary "$kinds" --slo "$slo" --minimise cost -q >"$tmp/two.out" 2>&1 || fail "two-variable plan: $(cat "$tmp/two.out")"
"$dcsim" plan "$fleet" -o "$tmp/grid" --vary 'sites[0].clusters[0].gpus=10:40:1' --vary "$kinds" --slo "$slo" --minimise cost -q >"$tmp/grid.out" 2>&1 || fail "grid plan: $(cat "$tmp/grid.out")"
a=$(grep "^answer: " "$tmp/two.out" | sed 's/ (.*//')
b=$(grep "^answer: " "$tmp/grid.out" | sed 's/ (.*//')
[ -n "$a" ] && [ "$a" = "$b" ] || fail "the plan's answer '$a' is not the grid's '$b'"
"$py" - "$tmp/two/plan.h5" "$tmp/grid/plan.h5" <<'PY' || fail "Pareto front of the grid"
import sys, h5py
def rows(path):
    f = h5py.File(path, "r")
    p = f["points"]
    g = p["sites[0].clusters[0].gpus"][:]
    k = [x.decode() if isinstance(x, bytes) else x for x in p["sites[0].cooling[0].kind"][:]]
    return f, p, g, k
f, p, g, k = rows(sys.argv[1])
i = int(p["answer"][:].argmax())
design = (float(g[i]), k[i])
F, P, G, K = rows(sys.argv[2])
front = {(float(x), y) for x, y, on in zip(G, K, P["pareto"][:]) if on}
assert design in front, (design, sorted(front))
# the grid ran every point; the search far fewer
assert len(G) == 31 * 2 and len(g) < len(G) / 2, (len(g), len(G))
PY

# 5. Bad input: exit 2 and a message naming what was expected.
bad() {
  local what=$1
  shift
  "$dcsim" plan "$@" >"$tmp/bad.out" 2>&1
  local rc=$?
  [ $rc -eq 2 ] || fail "'$*' exited $rc, want 2: $(cat "$tmp/bad.out")"
  grep -qF -- "$what" "$tmp/bad.out" || fail "'$*': message lacks '$what': $(cat "$tmp/bad.out")"
}
m="$src/scenarios/mmc.toml"
bad "no run's summary has the metric 'mmc.p99_wait'" "$m" -o "$tmp/x1" --vary mmc.servers --slo 'mmc.p99_wait<1' "${mmc[@]}" -q
[ -e "$tmp/x1" ] && fail "the plan with an unknown metric left its directory behind: $(ls -R "$tmp/x1" | head)"
bad "not a capacity the planner can size" "$m" -o "$tmp/x2" --vary mmc.arrival_rate --slo 'mmc.mean_wait_s<1' -q
bad "not a scenario key" "$m" -o "$tmp/x3" --vary mmc.servrs --slo 'mmc.mean_wait_s<1' -q
bad "expected METRIC<VALUE or METRIC>VALUE" "$m" -o "$tmp/x4" --vary mmc.servers --slo 'mmc.mean_wait_s' -q
bad "expected a finite number" "$m" -o "$tmp/x4" --vary mmc.servers --slo 'mmc.mean_wait_s<1 s' -q
bad "at most one searched variable" "$fleet" -o "$tmp/x5" --vary 'sites[0].cooling[0].design_heat=10 kW..100 kW' --vary 'sites[0].clusters[0].gpus' --slo 'x<1' -q
bad "say what to minimise" "$fleet" -o "$tmp/x6" --vary 'sites[0].clusters[0].gpus' --vary "$kinds" --slo "$slo" -q
bad "--replicas: expected 2 to 10000" "$m" -o "$tmp/x7" --vary mmc.servers --slo 'mmc.mean_wait_s<1' --replicas 1 -q
bad "--confidence: expected a number in (0.5, 1)" "$m" -o "$tmp/x8" --vary mmc.servers --slo 'mmc.mean_wait_s<1' --confidence 1.5 -q
bad "expected bounds in [1, 10000000]" "$m" -o "$tmp/x9" --vary mmc.servers --max 20000000 --slo 'mmc.mean_wait_s<1' -q
bad "--minimise cost needs a [costs] section" "$m" -o "$tmp/x10" --vary mmc.servers --slo 'mmc.mean_wait_s<1' --minimise cost "${mmc[@]}" -q
bad "expected one of" "$fleet" -o "$tmp/x11" --vary 'sites[0].clusters[0].gpus' --vary 'sites[0].cooling[0].kind=air_chiller,ice' --slo "$slo" --minimise cost -q
bad "give -o DIR" "$m" --vary mmc.servers --slo 'mmc.mean_wait_s<1'
bad "give at least one --slo" "$m" -o "$tmp/x12" --vary mmc.servers
bad "needs at least 5 replicas" "$m" -o "$tmp/x14" --vary mmc.servers --slo 'mmc.mean_wait_s<1' --replicas 4 -q
bad "--statistic: expected 'median' or 'mean', found 'p50'" "$m" -o "$tmp/x15" --vary mmc.servers --slo 'mmc.mean_wait_s<1' --statistic p50 -q
echo "ok"
