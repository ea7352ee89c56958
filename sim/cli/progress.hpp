// Progress reports on stderr: a one-line bar redrawn in place on a terminal, plain periodic lines
// otherwise (logs, CI), nothing when quiet.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

#include "sim/core/time.hpp"

namespace dcsim::cli {

class Progress {
 public:
  Progress(SimTime horizon, bool tty, double line_interval_s);
  // Called by the engine's monitor hook.
  void update(SimTime now, std::uint64_t events);
  // Clears the bar (terminal) before the summary is printed.
  void finish();

 private:
  using Clock = std::chrono::steady_clock;
  SimTime horizon_;
  bool tty_;
  double interval_s_;
  Clock::time_point start_, last_;
  bool drawn_ = false;
};

// The progress of a sweep: runs done, failed and running of the selection, and an ETA from the mean wall
// time per finished run and the number of threads. Called by the thread that finishes a run (serialised).
class SweepProgress {
 public:
  SweepProgress(std::size_t total, int threads, bool tty, double line_interval_s);
  void update(std::size_t done, std::size_t failed, std::size_t running, bool force = false);
  void finish();

 private:
  using Clock = std::chrono::steady_clock;
  std::size_t total_;
  int threads_;
  bool tty_;
  double interval_s_;
  Clock::time_point start_, last_;
  bool drawn_ = false;
};

}  // namespace dcsim::cli
