"""Read dcsim output files (HDF5) into pandas.

The layout is documented in docs/hdf5-layout.md. Typical use:

    import dcsim_h5
    run = dcsim_h5.load("out/mmc.h5")
    run.meta["status"]                   # "complete" or "incomplete"
    run.timeseries["mmc/queue_length"]   # a pandas Series indexed by time in seconds
    run.summary["mmc.mean_wait_s"]       # a float
    print(run.scenario)                  # the resolved scenario, TOML text

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
    return Run(path, meta, scenario, frame, units, desc, summary, sunits)


if __name__ == "__main__":
    import sys

    for p in sys.argv[1:]:
        r = load(p)
        print(f"{p}: status {r.meta['status']}, {len(r.timeseries)} samples, {r.timeseries.shape[1]} series")
        print(r.timeseries.describe().T[["mean", "min", "max"]].to_string())
        print(r.summary.to_string())
