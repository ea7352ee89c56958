// Progress reports on stderr: a one-line bar redrawn in place on a terminal, plain periodic lines
// otherwise (logs, CI), nothing when quiet.
#pragma once

#include <chrono>
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

}  // namespace dcsim::cli
