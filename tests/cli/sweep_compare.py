"""Compares two sweep directories: every run file byte for byte, and index.h5 byte for byte except the bytes
of /runs/wall_s (the only machine-dependent values), whose values must be finite for complete runs.
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
for f in ra:
    if not filecmp.cmp(os.path.join(a, "runs", f), os.path.join(b, "runs", f), shallow=False):
        fail(f"runs/{f} differs between {a} and {b}")
ia, ib = os.path.join(a, "index.h5"), os.path.join(b, "index.h5")
da, db = open(ia, "rb").read(), open(ib, "rb").read()
if len(da) != len(db):
    fail(f"index.h5 sizes differ: {len(da)} vs {len(db)}")
with h5py.File(ia, "r") as fa, h5py.File(ib, "r") as fb:
    wa = fa["runs/wall_s"]
    off, n = wa.id.get_offset(), wa.size * 8
    status = [s.decode() for s in fa["runs/status"][:]]
    for s, w in zip(status, wa[:]):
        if s == "complete" and not (np.isfinite(w) and w > 0):
            fail(f"a complete run with wall time {w}")
    if fb["runs/wall_s"].id.get_offset() != off:
        fail("wall_s is not at the same place in both indexes")
diff = np.nonzero(np.frombuffer(da, np.uint8) != np.frombuffer(db, np.uint8))[0].tolist()
outside = [i for i in diff if not (off <= i < off + n)]
if outside:
    fail(f"index.h5 differs in {len(outside)} bytes outside /runs/wall_s (first at {outside[0]})")
print(f"same: {len(ra)} run files, index.h5 identical but for {len(diff)} bytes of wall_s")
