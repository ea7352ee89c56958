// Sweeps across the ranks of an MPI job (the optional -DDCSIM_MPI=ON build, on Open MPI): `mpirun -np K
// dcsim sweep ...` runs one sweep with K processes, possibly on K machines sharing DIR. Every rank expands
// and checks the sweep and computes the same list of runs to run (longest expected first); the runs are
// handed out dynamically, one at a time, by rank 0, which works too: a thread of its own answers the
// others' requests (polling, with sleeps of 0.1 to 5 ms, so that it does not take a core from the runs:
// polling every 0.2 ms cost 12 % of the runs' speed). Rank 0 writes the index once every rank is done.
// The files are those of a one-process sweep, byte for byte.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "sim/cli/sweep_run.hpp"

namespace dcsim::cli::mpi {

// MPI_Init_thread (MPI_THREAD_SERIALIZED: one thread at a time calls MPI) and MPI_Finalize.
class Session {
 public:
  Session();
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  int rank() const noexcept { return rank_; }
  int size() const noexcept { return size_; }

 private:
  int rank_ = 0, size_ = 1;
};

void barrier();
// Rank 0's value, on every rank.
int broadcast(int value);
// The counts of every rank's summary, summed on rank 0 (other ranks get theirs back), and on rank 0 the
// runs each rank ran, in rank order.
SweepRunSummary reduce(const SweepRunSummary& mine, std::vector<std::size_t>& ran_by_rank);

// Hands out positions 0, 1, 2, ... across the ranks, each once. On every rank: start() (collective: a
// barrier, after which rank 0 answers; call it once every rank has computed its list), next() from any
// number of threads, finish() (collective) once the rank's threads are done: rank 0 then waits until
// every other rank has finished. Between start() and finish() only next() may call MPI.
class HandOut {
 public:
  HandOut();
  void start();
  ~HandOut();
  HandOut(const HandOut&) = delete;
  HandOut& operator=(const HandOut&) = delete;
  std::size_t next();
  void finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dcsim::cli::mpi
