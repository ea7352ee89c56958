#!/usr/bin/env bash
# Installs the Debian 12 packages dcsim needs to build, test and analyse, and nothing else.
# Idempotent: packages already installed are left alone, and apt is not touched when nothing is missing.
# Usage: scripts/setup.sh   (Open MPI and Slurm included: the cluster tests start a one-node Slurm and mpirun)
set -euo pipefail

packages=(
  g++ cmake make pkg-config
  libboost-graph-dev libboost-program-options-dev
  libhdf5-dev hdf5-tools
  catch2 libtomlplusplus-dev libbenchmark-dev
  python3 python3-h5py python3-numpy python3-pandas python3-matplotlib python3-simpy3
  clang libclang-rt-14-dev
  python3-scipy
  openmpi-bin libopenmpi-dev slurm-wlm munge
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

echo "setup: installing ${missing[*]}" >&2
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q >/dev/null
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done" >&2
