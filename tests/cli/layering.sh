#!/usr/bin/env bash
# Dependencies point one way: core <- models, core <- io <- study, {models, io, study} <- cli. The engine knows nothing of
# GPUs; models know nothing of HDF5, TOML or the command line.
# usage: layering.sh SOURCE_DIR
set -u
cd "$1" || exit 1
bad=0
check() {  # check DIR PATTERN WHY
  local hits
  hits=$(grep -rnE "$2" "$1" --include='*.hpp' --include='*.cpp' 2>/dev/null)
  if [ -n "$hits" ]; then echo "FAIL: $3"; echo "$hits"; bad=1; fi
}
check sim/core '#include *["<](models/|sim/io/|sim/cli/|H5|hdf5|toml|boost/program_options)' \
  "sim/core must depend on the standard library only"
check models '#include *["<](sim/io/|sim/cli/|H5|hdf5|toml|boost/program_options)' \
  "models must not see HDF5, TOML or the command line"
check sim/io '#include *["<](models/|sim/cli/|sim/study/)' "sim/io must not depend on models, sweeps or the CLI"
check sim/core '#include *["<]sim/study/' "sim/core must not depend on sweeps"
check models '#include *["<]sim/study/' "models must not know of sweeps"
check sim/study '#include *["<](models/|sim/cli/|H5|hdf5|toml|boost/program_options)' \
  "sweeps (sim/study) must not see the models, HDF5, TOML or the command line"
for d in sim/core models sim/io sim/study; do
  check "$d" '#include *["<](mpi|omp)\.h' "$d must not see MPI or OpenMP: how runs share machines is the CLI's (sim/cli)"
done
[ $bad -eq 0 ] && echo "layering ok"
exit $bad
