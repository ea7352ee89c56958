"""Checks that a dcsim output file is readable from Python as the layout document promises.
usage: test_dcsim_h5.py OUT.h5"""
import math
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import dcsim_h5  # noqa: E402

run = dcsim_h5.load(sys.argv[1])
assert run.meta["status"] == "complete", run.meta
for key in ("dcsim_version", "seed", "run_index", "scenario_file", "duration_s", "sample_interval_s"):
    assert key in run.meta, key
assert "[simulation]" in run.scenario
ts = run.timeseries
assert len(ts) > 1 and ts.index.is_monotonic_increasing
assert ts.index[0] == run.meta["sample_interval_s"]
assert "mmc/queue_length" in ts.columns and run.units["mmc/queue_length"] == "1"
assert run.units["mmc/wait_p99_s"] == "s"
# Little's law on the whole run from the time series alone: busy servers averaged over time is ~ λ/μ.
busy = float(ts["mmc/busy_servers"].mean())
lam = float(ts["mmc/arrivals"].sum()) / float(ts.index[-1])
assert abs(busy - lam) / lam < 0.05, (busy, lam)
assert math.isfinite(float(run.summary["mmc.mean_wait_s"]))
assert run.summary_units["mmc.mean_wait_s"] == "s"
# The start as a UTC instant, and the frame on it.
assert run.start == __import__("pandas").Timestamp(run.meta["start_utc"]) and run.start.tzname() == "UTC", run.start
utc = run.timeseries_utc()
assert (utc.index[0] - run.start).total_seconds() == ts.index[0]
# With a fleet (a second file): clusters by site and the loop that cools them.
if len(sys.argv) > 2:
    fleet = dcsim_h5.load(sys.argv[2])
    cl = fleet.topology["cluster"]
    assert sorted(cl.columns) == ["class", "cooling_loop", "gpu_type", "gpus", "site"], list(cl.columns)
    assert fleet.clusters_of("s") == ["c"], fleet.clusters_of("s")
    assert cl.loc["c", "cooling_loop"] == "s/loop" and cl.loc["c", "gpus"] == "16"
    loop = fleet.topology["cooling_loop"].loc["s/loop"]
    assert loop["site"] == "s" and loop["kind"] == "air_chiller" and float(loop["design_heat_w"]) == 40e3, loop
    assert list(fleet.topology["site"].index) == ["s"]
    assert str(fleet.start) == "2025-07-01 00:00:00+00:00", fleet.start
print(f"ok: {len(ts)} samples, {ts.shape[1]} series, {len(run.summary)} summary values")
