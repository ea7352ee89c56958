"""Compares two sweep directories: every run file and index.h5 byte for byte; the wall times (timing.h5,
linked from the index as /runs/wall_s) must read through the link and be finite for the complete runs.
usage: sweep_compare.py DIR_A DIR_B"""
import filecmp
import os
import sys

import h5py
import numpy as np


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


a, b = sys.argv[1], sys.argv[2]
ra = sorted(f for f in os.listdir(os.path.join(a, "runs")) if f.endswith(".h5"))
rb = sorted(f for f in os.listdir(os.path.join(b, "runs")) if f.endswith(".h5"))
if ra != rb:
    fail(f"different run files: {ra} vs {rb}")
for f in ra + ["../index.h5"]:
    if not filecmp.cmp(os.path.join(a, "runs", f), os.path.join(b, "runs", f), shallow=False):
        fail(f"runs/{f} differs between {a} and {b}")
for d in (a, b):
    with h5py.File(os.path.join(d, "index.h5"), "r") as f:
        status = [s.decode() for s in f["runs/status"][:]]
        wall = f["runs/wall_s"][:]
        if len(wall) != len(status):
            fail(f"{d}: {len(wall)} wall times for {len(status)} runs")
        for s, w in zip(status, wall):
            if s == "complete" and not (np.isfinite(w) and w > 0):
                fail(f"{d}: a complete run with wall time {w}")
print(f"same: {len(ra)} run files and index.h5, byte for byte")
