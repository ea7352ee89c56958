#!/usr/bin/env bash
# dcsim sweep -o DIR runs every run of a sweep, in parallel, and tables them in DIR/index.h5. The run files
# and the index are byte-identical (but for the wall times) whatever the number of threads, whatever the
# split into --runs parts or Slurm array tasks (emulated here by their variables; the real Slurm test is
# separate), after an interrupt and --resume, and when dcsim merge rebuilds the index. A run that fails
# is recorded with its error while the others go on, and the exit code says so. Bad usage exits 2.
# usage: sweep_run.sh DCSIM SOURCE_DIR
set -u
dcsim=$1
src=$2
scenario=$src/tests/data/sweep/mmc_servers.toml
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cd "$tmp" || fail "cannot enter $tmp"
same() { "$py" "$src/tests/cli/sweep_compare.py" "$1" "$2" >cmp.out 2>&1 || fail "$3: $(cat cmp.out)"; }

"$dcsim" sweep "$scenario" -o one -j 1 --progress-interval 0 >out 2>err || fail "-j 1: exit $?: $(cat err)"
grep -qF "12 selected, 12 ran, 0 skipped (complete), 0 failed" out || fail "-j 1 summary: $(cat out)"
grep -qF "index: one/index.h5 (12 complete, 0 failed, 0 incomplete, 0 not run)" out || fail "-j 1 index: $(cat out)"
grep -qE "^sweep: 12/12 done, 0 failed, 0 running on 1 thread, elapsed [0-9:]+, ETA 00:00$" err ||
  fail "no final progress line: $(cat err)"
[ "$(ls one/runs/*.h5 | wc -l)" -eq 12 ] || fail "want 12 run files: $(ls one/runs)"
ls one/runs | grep -q partial && fail "a complete sweep left partial files"

# The index's statistics, recomputed from its runs table with scipy: means, t intervals, paired differences.
"$py" - one/index.h5 <<'PY' || fail "the index's statistics"
import sys, h5py, numpy as np
from scipy import stats
f = h5py.File(sys.argv[1], "r")
point = f["runs/point"][:]
assert f["runs/replica"][:].tolist() == [0, 1] * 6
for m in ["mmc.mean_wait_s", "mmc.wait_p99_s", "mmc.utilisation"]:
    v = f["runs/metrics/" + m][:]
    for p in range(6):
        x = v[point == p]
        hw = stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / np.sqrt(len(x))
        assert np.isclose(f["points/mean/" + m][p], x.mean(), rtol=1e-12), (m, p)
        assert np.isclose(f["points/half_width/" + m][p], hw, rtol=1e-9), (m, p, f["points/half_width/" + m][p], hw)
        d = x - v[point == 0]
        dhw = stats.t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))
        assert np.isclose(f["differences/mean/" + m][p], d.mean(), rtol=1e-12, atol=1e-15), (m, p)
        assert np.isclose(f["differences/half_width/" + m][p], dhw, rtol=1e-9, atol=1e-15), (m, p)
    assert f["files/p0_servers-62_rate-50__s_r0"].attrs["status"] == "complete"  # the external link resolves
assert f["points/params/mmc.servers"][:].tolist() == [62, 62, 64, 64, 66, 66]
assert [s.decode() for s in f["points/params/mmc.arrival_rate"][:]] == ["50 /s", "57.6 /s"] * 3
assert f.attrs["status"] == "complete" and f.attrs["streams"] == "common"
PY

# The analysis reader gives the same tables as pandas frames.
"$py" - "$src/analysis" one <<'PY' || fail "analysis/dcsim_h5.py load_sweep"
import sys, warnings
warnings.simplefilter("error")
sys.path.insert(0, sys.argv[1])
import dcsim_h5, h5py
s = dcsim_h5.load_sweep(sys.argv[2])
f = h5py.File(sys.argv[2] + "/index.h5", "r")
assert s.runs.shape[0] == 12 and s.points.shape[0] == 6 and s.differences.shape[0] == 6
assert (s.runs["status"] == "complete").all() and (s.runs["wall_s"] > 0).all()
assert s.runs.loc[5, "mmc.servers"] == 64 and s.runs.loc[5, "replica"] == 1
assert s.points["mean"]["mmc.wait_p99_s"][3] == f["points/mean/mmc.wait_p99_s"][3]
assert s.points["param"]["mmc.arrival_rate"][1] == "57.6 /s"
assert s.differences["mean"]["mmc.mean_wait_s"][0] == 0.0 and s.units["mmc.mean_wait_s"] == "s"
PY

"$dcsim" sweep "$scenario" -o two -j 2 --quiet >out 2>err || fail "-j 2: exit $?: $(cat err)"
[ -s err ] && fail "--quiet printed: $(cat err)"
same one two "-j 1 against -j 2"

# Two parts: the first leaves the index unwritten, the second writes it.
"$dcsim" sweep "$scenario" -o parts -j 2 --runs 0-4,11 --quiet >out 2>err || fail "part 1: exit $?: $(cat err)"
grep -qF "index: not written: 6 runs of the sweep have not ended" out || fail "part 1: $(cat out)"
[ -e parts/index.h5 ] && fail "part 1 wrote an index with runs missing"
"$dcsim" sweep "$scenario" -o parts --runs 5-10 -j 1 --quiet >out 2>err || fail "part 2: exit $?: $(cat err)"
same one parts "one call against two parts"
# A later call with another path to the same scenario writes the same files: the path is the first call's.
cp -r one other && rm other/index.h5 other/runs/p4_*
(cd "$src" && "$dcsim" sweep tests/data/sweep/mmc_servers.toml -o "$tmp/other" --resume --quiet) >out 2>err ||
  fail "resume with a relative path: exit $?: $(cat err)"
same one other "a sweep against one resumed with another path to its scenario"

# Slurm array tasks, emulated by their variables (an array from 1, three tasks).
for t in 1 2 3; do
  SLURM_ARRAY_TASK_ID=$t SLURM_ARRAY_TASK_COUNT=3 SLURM_ARRAY_TASK_MIN=1 \
    "$dcsim" sweep "$scenario" -o tasks --runs slurm -j 1 --quiet >"out$t" 2>err || fail "task $t: exit $?: $(cat err)"
  grep -qF "4 selected, 4 ran" "out$t" || fail "task $t does not run a third of the runs: $(cat "out$t")"
done
same one tasks "one call against three array tasks"
rm tasks/index.h5
"$dcsim" merge tasks >out 2>err || fail "merge: exit $?: $(cat err)"
grep -qF "index: tasks/index.h5 (12 complete" out || fail "merge: $(cat out)"
same one tasks "merge against the sweep's own index"

# --resume redoes what is missing, incomplete or damaged, and only that.
cp -r one res
rm res/index.h5 res/runs/p1_*_r0.h5
mv res/runs/p3_servers-64_rate-57.6__s_r1.h5 res/runs/p3_servers-64_rate-57.6__s_r1.h5.partial
head -c 3000 one/runs/p5_servers-66_rate-57.6__s_r0.h5 >res/runs/p5_servers-66_rate-57.6__s_r0.h5
"$dcsim" sweep "$scenario" -o res --resume -j 2 --quiet >out 2>err || fail "--resume: exit $?: $(cat err)"
grep -qF "12 selected, 3 ran, 9 skipped (complete), 0 failed" out || fail "--resume: $(cat out)"
same one res "a sweep against a resumed one"

# An interrupt stops the sweep (exit 130), leaves no index; --resume finishes it identically.
"$dcsim" sweep "$scenario" -o long -j 2 --quiet --set simulation.duration=20h >out 2>err || fail "long: exit $?: $(cat err)"
"$dcsim" sweep "$scenario" -o intr -j 1 --quiet --set simulation.duration=20h >out 2>err &
pid=$!
for _ in $(seq 100); do [ "$(ls intr/runs 2>/dev/null | grep -c '\.status$')" -ge 2 ] && break; sleep 0.05; done
kill -INT $pid
wait $pid
rc=$?
[ $rc -eq 130 ] || fail "interrupted sweep: exit $rc, want 130: $(cat err)"
grep -qF "interrupted" err || fail "no word of the interrupt: $(cat err)"
[ -e intr/index.h5 ] && fail "an interrupted sweep wrote an index"
"$dcsim" sweep "$scenario" -o intr -j 2 --quiet --set simulation.duration=20h --resume >out 2>err ||
  fail "resume after interrupt: exit $?: $(cat err)"
same long intr "a sweep against an interrupted and resumed one"

# A run that fails at run time (its writes exceed a file-size limit) is recorded; the others go on.
"$dcsim" sweep "$scenario" -o failing -j 2 --quiet --set sweep.replicas=1 --set simulation.sample_interval=1s \
  --set 'sweep.axes[0].values=[62, 64]' --set 'sweep.axes[0].range=""' >/dev/null 2>err && fail "bad override accepted"
cat >fail.toml <<TOML
[simulation]
duration = "10 min"
warmup = "0 s"
sample_interval = "1 s"
[mmc]
arrival_rate = "50 /s"
service_rate = "1 /s"
servers = 64
[sweep]
[[sweep.axes]]
key = "simulation.duration"
values = ["10 min", "4 h", "20 min"]
TOML
(ulimit -f 400; exec "$dcsim" sweep fail.toml -o failing -j 2 --quiet) >out 2>err
rc=$?
[ $rc -eq 1 ] || fail "a sweep with a failed run: exit $rc, want 1: $(cat err)"
grep -qF "3 selected, 3 ran, 0 skipped (complete), 1 failed" out || fail "failed run: $(cat out)"
grep -qE "dcsim sweep: run p1_duration-4_h: .*File too large \(EFBIG\)" err || fail "the failure is not named: $(cat err)"
grep -qF "index: failing/index.h5 (2 complete, 1 failed" out || fail "failed run, index: $(cat out)"
"$py" - failing/index.h5 <<'PY' || fail "the index of a sweep with a failed run"
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
st = [s.decode() for s in f["runs/status"][:]]
assert st == ["complete", "failed", "complete"], st
err = f["runs/error"][1].decode()
assert "EFBIG" in err, err
assert f.attrs["status"] == "incomplete" and f.attrs["runs_failed"] == 1
m = f["runs/metrics/mmc.mean_wait_s"][:]
assert np.isfinite(m[0]) and np.isnan(m[1]) and np.isfinite(m[2]), m
assert f["points/replicas"][:].tolist() == [1, 0, 1]
assert "p0_duration-10_min" in f["files"] and "p2_duration-20_min" in f["files"]
PY
"$dcsim" merge failing >out 2>err
[ $? -eq 1 ] || fail "merge of a sweep with a failed run: want exit 1: $(cat out)"

# --precision adds replicas per point until each point's interval is within the target (or at the limit);
# the decisions depend on the run files only: the same files on one thread and on two.
for j in 1 2; do
  "$dcsim" sweep "$scenario" -o "prec$j" -j $j --quiet --precision 'mmc.mean_wait_s:10%' --precision 'mmc.utilisation:0.01' \
    --max-replicas 24 >"pout$j" 2>err || fail "--precision -j $j: exit $?: $(cat err)"
done
grep -qE "^precision: [2-9] stages$" pout1 || fail "--precision: want several stages: $(cat pout1)"
grep -qE "not needed\)$" pout1 || fail "--precision: no replica was spared: $(cat pout1)"
same prec1 prec2 "--precision on one thread against two"
"$py" - prec1/index.h5 <<'PY' || fail "--precision: a point misses its target below the limit"
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
n = f["points/replicas"][:]
assert len(set(n.tolist())) > 1, n  # the points needed different numbers of replicas
for p in range(len(n)):
    m, hw = f["points/mean/mmc.mean_wait_s"][p], f["points/half_width/mmc.mean_wait_s"][p]
    u = f["points/half_width/mmc.utilisation"][p]
    assert n[p] >= 3, (p, n[p])
    assert n[p] == 24 or (hw <= 0.10 * abs(m) and u <= 0.01), (p, n[p], hw / m, u)
st = [s.decode() for s in f["runs/status"][:]]
assert set(st) == {"complete", "skipped"}, set(st)
assert f.attrs["status"] == "complete"
PY
"$dcsim" sweep "$scenario" -o precbad --quiet --precision 'mmc.no_such_metric:5%' >out 2>err
[ $? -eq 2 ] || fail "--precision on an unknown metric: want exit 2: $(cat err)"
grep -qF "no run's summary has the metric 'mmc.no_such_metric'" err || fail "--precision unknown metric: $(cat err)"

# Bad usage: exit 2, one message, nothing run.
refuse() {
  local want=$1
  shift
  "$dcsim" "$@" >out 2>err
  local rc=$?
  [ $rc -eq 2 ] || fail "$*: exit $rc, want 2: $(cat err)"
  grep -qF -- "$want" err || fail "$*: want '$want' in: $(cat err)"
}
refuse "--jobs: expected an integer >= 1, found 0" sweep "$scenario" -o x -j 0
refuse "run 99 (in 0-99) does not exist: the sweep has 12 runs, 0-11" sweep "$scenario" -o x --runs 0-99
refuse "found 1,a (a is not a run index)" sweep "$scenario" -o x --runs 1,a
refuse "the variable SLURM_ARRAY_TASK_ID is not set" sweep "$scenario" -o x --runs slurm
refuse "give -o DIR" sweep "$scenario"
refuse "--precision: expected METRIC:TARGET" sweep "$scenario" -o x --precision 'mmc.mean_wait_s'
refuse "--max-replicas: expected at least the 3 replicas" sweep "$scenario" -o x --precision 'mmc.mean_wait_s:5%' --max-replicas 2
refuse "--precision decides which replicas run" sweep "$scenario" -o x --precision 'mmc.mean_wait_s:5%' --runs 0-3
touch afile
refuse "afile exists and is not a directory" sweep "$scenario" -o afile
mkdir foreign && touch foreign/notes.txt
refuse "holds no dcsim sweep (no sweep.toml)" sweep "$scenario" -o foreign
refuse "one holds another sweep" sweep "$scenario" -o one --set mmc.service_rate=2/s
refuse "not a sweep directory: it has no sweep.toml" merge foreign
[ -e x ] && fail "a refused sweep created its directory"

# The sbatch script: the array, the resources, and the command each task runs (checked by running it
# with a task's variables, as Slurm would).
"$dcsim" sweep "$scenario" --slurm-script -o "$tmp/batch" --tasks 4 --cpus-per-task 2 --time 00:30:00 --mem 2G \
  --set mmc.servers=64 >out 2>err || fail "--slurm-script: exit $?: $(cat err)"
grep -qF "wrote $tmp/batch/sweep.sbatch (a job array for 12 runs); submit it with: sbatch $tmp/batch/sweep.sbatch" out ||
  fail "--slurm-script: $(cat out)"
script=$tmp/batch/sweep.sbatch
bash -n "$script" || fail "the script is not valid bash"
for want in "#SBATCH --array=0-3" "#SBATCH --cpus-per-task=2" "#SBATCH --time=00:30:00" "#SBATCH --mem=2G" \
  "#SBATCH --requeue" "#SBATCH --output=$tmp/batch/slurm/%A_%a.out" "--runs slurm --resume" "--set 'mmc.servers=64'"; do
  grep -qF -- "$want" "$script" || fail "the script lacks '$want': $(cat "$script")"
done
[ -d "$tmp/batch/slurm" ] || fail "no directory for the tasks' logs"
for t in 0 1 2 3; do
  SLURM_ARRAY_TASK_ID=$t SLURM_ARRAY_TASK_COUNT=4 SLURM_ARRAY_TASK_MIN=0 SLURM_CPUS_PER_TASK=1 bash "$script" \
    >"bout$t" 2>&1 || fail "task $t of the script: $(cat "bout$t")"
done
same one batch "one call against the script's four tasks"
refuse "--time: expected a Slurm time limit" sweep "$scenario" --slurm-script -o y --time '1h;rm -rf /'
refuse "--tasks: expected at most the sweep's 12 runs" sweep "$scenario" --slurm-script -o y --tasks 13
refuse "--mem: expected a size such as 4G or 800M, found 4GB" sweep "$scenario" --slurm-script -o y --mem 4GB
refuse "--partition: expected a partition name" sweep "$scenario" --slurm-script -o y --partition $'gpu\n#SBATCH --x'
refuse "--cpus-per-task: expected an integer >= 1, found 0" sweep "$scenario" --slurm-script -o y --cpus-per-task 0
[ -e y ] && fail "a refused --slurm-script created its directory"
echo "ok"
