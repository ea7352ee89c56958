"""Read dcsim output files (HDF5) into pandas.

The layout is documented in docs/hdf5-layout.md. Typical use:

    import dcsim_h5
    run = dcsim_h5.load("out/mmc.h5")
    run.meta["status"]                   # "complete" or "incomplete"
    run.timeseries["mmc/queue_length"]   # a pandas Series indexed by time in seconds
    run.start                            # the UTC instant of t = 0 (a pandas Timestamp)
    run.timeseries_utc()                 # the same frame indexed by UTC datetime
    run.topology["cluster"]              # one row per cluster: site, class, gpu_type, gpus, cooling_loop
    run.clusters_of("virginia")          # the names of a site's clusters
    run.summary["mmc.mean_wait_s"]       # a float
    print(run.scenario)                  # the resolved scenario, TOML text

    sweep = dcsim_h5.load_sweep("out/cooling_sweep")   # a sweep's directory (dcsim sweep -o DIR)
    sweep.runs                           # one row per run: point, replica, status, wall_s, params, metrics
    sweep.points["mean"]["mmc.mean_wait_s"]   # per point: ("param", key), and (mean | half_width | low | high | n, metric)
    sweep.differences                    # one row per point: the difference from the baseline point, with its interval

Only h5py, numpy and pandas are needed (Debian: python3-h5py python3-pandas).
"""
from __future__ import annotations

import dataclasses
from typing import Dict

import h5py
import numpy as np
import pandas as pd


def _text(v):
    if isinstance(v, bytes):
        return v.decode("utf-8")
    if isinstance(v, np.ndarray) and v.shape == ():
        return _text(v[()])
    return v


@dataclasses.dataclass
class Run:
    path: str
    meta: Dict[str, object]
    scenario: str
    timeseries: pd.DataFrame  # index: time (s); one column per series path
    units: Dict[str, str]      # series path -> unit
    descriptions: Dict[str, str]
    summary: pd.Series         # name -> value
    summary_units: Dict[str, str]
    start: pd.Timestamp        # the UTC instant of t = 0 (simulation.start)
    topology: Dict[str, pd.DataFrame]  # kind ("site", "cluster", "cooling_loop") -> rows by name

    def timeseries_utc(self) -> pd.DataFrame:
        """The time series indexed by UTC datetime (start + time) instead of seconds."""
        frame = self.timeseries.copy()
        frame.index = pd.DatetimeIndex(self.start + pd.to_timedelta(frame.index, unit="s"), name="time_utc")
        return frame

    def clusters_of(self, site: str):
        """The clusters of a site, in file order (empty without a fleet)."""
        c = self.topology.get("cluster")
        return [] if c is None else list(c.index[c["site"] == site])


def _walk(group: h5py.Group, prefix: str, out: Dict[str, h5py.Dataset]):
    for name, obj in group.items():
        path = f"{prefix}/{name}" if prefix else name
        if isinstance(obj, h5py.Group):
            _walk(obj, path, out)
        elif path != "time":
            out[path] = obj


def load(path: str) -> Run:
    with h5py.File(path, "r") as f:
        meta = {k: _text(v) for k, v in f.attrs.items()}
        if "dcsim_version" not in meta:
            raise ValueError(f"{path} is not a dcsim output file")
        scenario = _text(f["scenario"][()]) if "scenario" in f else ""
        series: Dict[str, h5py.Dataset] = {}
        time = np.array([])
        if "timeseries" in f:
            ts = f["timeseries"]
            time = ts["time"][:]
            _walk(ts, "", series)
        frame = pd.DataFrame({k: d[:] for k, d in series.items()}, index=pd.Index(time, name="time_s"))
        units = {k: _text(d.attrs.get("units", "")) for k, d in series.items()}
        desc = {k: _text(d.attrs.get("description", "")) for k, d in series.items()}
        summary = pd.Series({k: _text(v) for k, v in f["summary"].attrs.items()}) if "summary" in f else pd.Series()
        sunits = {}
        if "summary" in f and "units" in f["summary"]:
            sunits = {k: _text(v) for k, v in f["summary/units"].attrs.items()}
        # Files before the start was stored begin at the default start of the time then (2025-03-25).
        start = pd.Timestamp(meta.get("start_utc", "2025-03-25T00:00:00Z"))
        topology = {}
        if "topology" in f:
            for kind, g in f["topology"].items():
                topology[kind] = pd.DataFrame(_columns(g)).set_index("name")
    return Run(path, meta, scenario, frame, units, desc, summary, sunits, start, topology)


@dataclasses.dataclass
class Sweep:
    path: str
    meta: Dict[str, object]
    runs: pd.DataFrame         # index: run; columns point, replica, ..., wall_s, params, metrics
    points: pd.DataFrame       # index: point; columns ("point", name | replicas), ("param", key), (stat, metric)
    differences: pd.DataFrame  # index: point; columns (stat, metric) pairs, against meta["baseline"]
    units: Dict[str, str]      # metric -> unit


def _columns(group: h5py.Group) -> Dict[str, np.ndarray]:
    out = {}
    for name, obj in group.items():
        if isinstance(obj, h5py.Dataset) and obj.ndim == 1:
            v = obj[:]
            out[name] = [_text(x) for x in v] if v.dtype.kind in ("O", "S") else v
    return out


def load_sweep(path: str) -> Sweep:
    """A sweep's directory (or its index.h5) as pandas tables."""
    index = path if path.endswith(".h5") else f"{path}/index.h5"
    with h5py.File(index, "r") as f:
        meta = {k: _text(v) for k, v in f.attrs.items()}
        runs = pd.DataFrame(_columns(f["runs"]))
        runs = runs.join(pd.DataFrame(_columns(f["runs/params"]))).join(pd.DataFrame(_columns(f["runs/metrics"])))
        runs = runs.set_index("run")
        units = {k: _text(d.attrs.get("units", "")) for k, d in f["runs/metrics"].items()}
        cols = {("point", k): v for k, v in _columns(f["points"]).items() if k != "point"}
        cols.update({("param", k): v for k, v in _columns(f["points/params"]).items()})
        cols.update({(s, m): v for s in ("mean", "half_width", "low", "high", "n") for m, v in _columns(f["points/" + s]).items()})
        points = pd.DataFrame(cols)
        points.index.name = "point"
        diffs = pd.DataFrame({(s, m): v for s in ("mean", "half_width", "low", "high", "n")
                              for m, v in _columns(f["differences/" + s]).items()})
        diffs.index.name = "point"
    return Sweep(path, meta, runs, points, diffs, units)


if __name__ == "__main__":
    import sys

    for p in sys.argv[1:]:
        r = load(p)
        print(f"{p}: status {r.meta['status']}, {len(r.timeseries)} samples, {r.timeseries.shape[1]} series")
        print(r.timeseries.describe().T[["mean", "min", "max"]].to_string())
        print(r.summary.to_string())
