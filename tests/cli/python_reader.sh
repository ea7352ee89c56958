#!/usr/bin/env bash
# An h5py/pandas user reads a dcsim file without reading C++: run a short scenario, load it in Python.
# usage: python_reader.sh DCSIM SOURCE_DIR
set -eu
dcsim=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$dcsim" run "$src/scenarios/mmc.toml" -o "$tmp/m.h5" --quiet --set simulation.duration=3h >/dev/null
"$dcsim" run "$src/tests/data/plan/fleet.toml" -o "$tmp/f.h5" --quiet --set simulation.duration=1h >/dev/null
/usr/bin/python3 "$src/analysis/test_dcsim_h5.py" "$tmp/m.h5" "$tmp/f.h5"
