#include "sim/cli/mpi_sweep.hpp"

// The C interface only (Open MPI's mpi.h otherwise pulls in its deprecated C++ bindings).
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace dcsim::cli::mpi {

namespace {
constexpr int kTagRequest = 1, kTagReply = 2, kTagDone = 3;
}

Session::Session() {
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided);
  if (provided < MPI_THREAD_SERIALIZED) {
    MPI_Finalize();
    throw std::runtime_error("the MPI library does not allow threads to call it one at a time (MPI_THREAD_SERIALIZED)");
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

Session::~Session() { MPI_Finalize(); }

void barrier() { MPI_Barrier(MPI_COMM_WORLD); }

int broadcast(int value) {
  MPI_Bcast(&value, 1, MPI_INT, 0, MPI_COMM_WORLD);
  return value;
}

SweepRunSummary reduce(const SweepRunSummary& mine, std::vector<std::size_t>& ran_by_rank) {
  // The failures found before any run started are found by every rank alike: counted once.
  unsigned long long in[6] = {mine.selected, mine.ran, mine.skipped, mine.failed - mine.failed_before, mine.not_started,
                              mine.interrupted ? 1ull : 0ull};
  unsigned long long out[6] = {};
  MPI_Reduce(in, out, 6, MPI_UNSIGNED_LONG_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  std::vector<unsigned long long> ran(static_cast<std::size_t>(size));
  MPI_Gather(&in[1], 1, MPI_UNSIGNED_LONG_LONG, ran.data(), 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
  ran_by_rank.assign(ran.begin(), ran.end());
  double wall = 0;  // the sweep took as long as its slowest rank
  MPI_Reduce(&mine.wall_s, &wall, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
  if (rank != 0) return mine;
  SweepRunSummary s = mine;
  // Every rank selected the same runs and skipped the same complete ones: those are counted once.
  s.ran = out[1];
  s.failed = out[3] + mine.failed_before;
  s.not_started = out[4];
  s.interrupted = out[5] > 0;
  s.wall_s = wall;
  return s;
}

struct HandOut::Impl {
  int rank = 0, size = 1;
  std::atomic<unsigned long long> counter{0};  // rank 0
  std::thread server;                          // rank 0: answers the other ranks
  std::mutex mutex;                            // other ranks: one thread at a time talks to rank 0

  // Polls for requests, sleeping between polls: from 0.1 ms after a request, doubling while none comes, up
  // to 5 ms (a blocking receive would spin a core in Open MPI). A request waits at most 5 ms for its run.
  void serve() {
    int finished = 0;
    auto pause = std::chrono::microseconds(100);
    while (finished < size - 1) {
      int flag = 0;
      MPI_Status st;
      MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
      if (!flag) {
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::microseconds(5000));
        continue;
      }
      pause = std::chrono::microseconds(100);
      int dummy = 0;
      MPI_Recv(&dummy, 1, MPI_INT, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      if (st.MPI_TAG == kTagRequest) {
        unsigned long long pos = counter++;
        MPI_Send(&pos, 1, MPI_UNSIGNED_LONG_LONG, st.MPI_SOURCE, kTagReply, MPI_COMM_WORLD);
      } else if (st.MPI_TAG == kTagDone) {
        ++finished;
      }
    }
  }
};

HandOut::HandOut() : impl_(std::make_unique<Impl>()) {
  MPI_Comm_rank(MPI_COMM_WORLD, &impl_->rank);
  MPI_Comm_size(MPI_COMM_WORLD, &impl_->size);
}

void HandOut::start() {
  MPI_Barrier(MPI_COMM_WORLD);  // every rank has its list before any is handed out
  if (impl_->rank == 0 && impl_->size > 1) impl_->server = std::thread([this] { impl_->serve(); });
}

HandOut::~HandOut() {
  if (impl_->server.joinable()) impl_->server.join();
}

std::size_t HandOut::next() {
  if (impl_->rank == 0) return static_cast<std::size_t>(impl_->counter++);
  std::lock_guard<std::mutex> lock(impl_->mutex);
  int dummy = 0;
  unsigned long long pos = 0;
  MPI_Send(&dummy, 1, MPI_INT, 0, kTagRequest, MPI_COMM_WORLD);
  MPI_Recv(&pos, 1, MPI_UNSIGNED_LONG_LONG, 0, kTagReply, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return static_cast<std::size_t>(pos);
}

void HandOut::finish() {
  if (impl_->rank != 0) {
    int dummy = 0;
    MPI_Send(&dummy, 1, MPI_INT, 0, kTagDone, MPI_COMM_WORLD);
  } else if (impl_->server.joinable()) {
    impl_->server.join();
  }
  MPI_Barrier(MPI_COMM_WORLD);
}

}  // namespace dcsim::cli::mpi
