#!/usr/bin/env bash
# A sweep shared by the ranks of a real MPI job (the -DDCSIM_MPI=ON build, Debian's Open MPI): mpirun -np 2
# hands the runs out between the ranks, rank 0 writes the index; the run files and index.h5 are those of
# a one-process sweep of the same binary, byte for byte, also when the MPI sweep is done in two parts
# (--runs, then --resume). Fails and says why when mpirun is missing (scripts/setup.sh installs it).
# usage: mpi_sweep.sh DCSIM SOURCE_DIR
set -u
dcsim=$1
src=$2
scenario=$src/tests/data/sweep/mmc_servers.toml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v mpirun >/dev/null || fail "mpirun is not installed (scripts/setup.sh installs openmpi-bin)"
cd "$tmp" || fail "cannot enter $tmp"
mpi=(mpirun --allow-run-as-root --oversubscribe -np 2)

"$dcsim" sweep "$scenario" -o local -j 2 --quiet >out 2>err || fail "the one-process sweep: exit $?: $(cat err)"
timeout 300 "${mpi[@]}" "$dcsim" sweep "$scenario" -o ranks -j 1 --quiet >out 2>err ||
  fail "mpirun -np 2: exit $?: $(cat out) $(cat err)"
grep -qF "12 selected, 12 ran, 0 skipped (complete), 0 failed" out || fail "mpirun: the ranks did not run the 12 runs once: $(cat out)"
grep -qF " on 2 ranks" out || fail "mpirun: not run by 2 ranks: $(cat out)"
[ "$(grep -c "^dcsim" out)" -eq 1 ] || fail "mpirun: want one summary (rank 0's): $(cat out)"
grep -qF "index: ranks/index.h5 (12 complete" out || fail "mpirun: rank 0 wrote no index: $(cat out)"
/usr/bin/python3 "$src/tests/cli/sweep_compare.py" local ranks >cmp.out 2>&1 || fail "mpirun -np 2 against one process: $(cat cmp.out)"

# The hand-out is shared: both ranks ran runs.
shares=$(sed -n 's/.* on 2 ranks (\([0-9]*\) + \([0-9]*\) runs).*/\1 \2/p' out)
read -r r0 r1 <<<"$shares"
[ -n "${r1:-}" ] && [ "$r0" -gt 0 ] && [ "$r1" -gt 0 ] && [ $((r0 + r1)) -eq 12 ] ||
  fail "mpirun: want both ranks to run some of the 12 runs: $(cat out)"

timeout 300 "${mpi[@]}" "$dcsim" sweep "$scenario" -o parts -j 1 --quiet --runs 0-6 >out 2>err ||
  fail "mpirun --runs 0-6: exit $?: $(cat err)"
grep -qF "7 selected, 7 ran" out || fail "mpirun --runs 0-6: $(cat out)"
timeout 300 "${mpi[@]}" "$dcsim" sweep "$scenario" -o parts -j 2 --quiet --resume >out 2>err ||
  fail "mpirun --resume: exit $?: $(cat err)"
grep -qF "12 selected, 5 ran, 7 skipped (complete), 0 failed" out || fail "mpirun --resume: $(cat out)"
/usr/bin/python3 "$src/tests/cli/sweep_compare.py" local parts >cmp.out 2>&1 || fail "mpirun in two parts against one process: $(cat cmp.out)"

# A run that cannot be written (a directory in its file's place) fails once, whichever rank finds it, told once.
"$dcsim" sweep "$scenario" -o failing --runs 0 --quiet >out 2>err || fail "failing, first run: $(cat err)"
mkdir failing/runs/p2_servers-64_rate-50__s_r0.h5
timeout 300 "${mpi[@]}" "$dcsim" sweep "$scenario" -o failing -j 1 --quiet --resume >out 2>err
rc=$?
[ $rc -eq 1 ] || fail "mpirun with a failing run: exit $rc, want 1: $(cat out) $(cat err)"
grep -qF "12 selected, 10 ran, 1 skipped (complete), 1 failed" out || fail "mpirun with a failing run: $(cat out)"
[ "$(grep -c "run p2_servers-64_rate-50__s_r0: " err)" -eq 1 ] || fail "the failure is not told once: $(cat err)"

# A bad sweep: exit 2 from mpirun, the message told once (not once per rank), nothing run.
timeout 120 "${mpi[@]}" "$dcsim" sweep "$scenario" -o bad --quiet --set 'sweep.axes[1].values=["50 /s", "-1 /s"]' >out 2>err
rc=$?
[ $rc -eq 2 ] || fail "mpirun with a bad sweep: exit $rc, want 2: $(cat err)"
[ "$(grep -c "error: key 'mmc.arrival_rate'" err)" -eq 1 ] || fail "the bad value is not told once: $(cat err)"
[ -e bad ] && fail "a bad sweep under mpirun created its directory"
echo "ok: $(cat cmp.out)"
