#include "sim/cli/progress.hpp"

#include <cstdio>
#include <string>

namespace dcsim::cli {

namespace {
std::string clock_text(double s) {
  if (!(s >= 0) || s > 1e7) return "--:--";
  const long t = static_cast<long>(s + 0.5);
  char buf[32];
  if (t >= 3600) {
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", t / 3600, (t / 60) % 60, t % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%02ld:%02ld", t / 60, t % 60);
  }
  return buf;
}
}  // namespace

Progress::Progress(SimTime horizon, bool tty, double line_interval_s)
    : horizon_(horizon), tty_(tty), interval_s_(line_interval_s), start_(Clock::now()), last_(start_) {}

void Progress::update(SimTime now, std::uint64_t events) {
  const auto t = Clock::now();
  const double since = std::chrono::duration<double>(t - last_).count();
  if (since < (tty_ ? 0.2 : interval_s_)) return;
  last_ = t;
  const double elapsed = std::chrono::duration<double>(t - start_).count();
  const double frac = horizon_.ns() > 0 ? std::min(1.0, now.to_seconds() / horizon_.to_seconds()) : 1.0;
  const double eta = frac > 0 ? elapsed * (1 - frac) / frac : -1;
  const double rate = elapsed > 0 ? static_cast<double>(events) / elapsed : 0;
  if (tty_) {
    constexpr int kWidth = 28;
    const int fill = static_cast<int>(frac * kWidth);
    std::string bar(static_cast<std::size_t>(fill), '#');
    bar += std::string(static_cast<std::size_t>(kWidth - fill), '.');
    std::fprintf(stderr, "\r[%s] %5.1f%%  t = %s  %.3g M events/s  ETA %s   ", bar.c_str(), 100 * frac,
                 format_time(now).c_str(), rate / 1e6, clock_text(eta).c_str());
    drawn_ = true;
  } else {
    std::fprintf(stderr, "progress: %5.1f%%  t = %s  %.3g M events/s  elapsed %s  ETA %s\n", 100 * frac,
                 format_time(now).c_str(), rate / 1e6, clock_text(elapsed).c_str(), clock_text(eta).c_str());
  }
  std::fflush(stderr);
}

void Progress::finish() {
  if (tty_ && drawn_) std::fprintf(stderr, "\r%*s\r", 100, "");
  drawn_ = false;
}

SweepProgress::SweepProgress(std::size_t total, int threads, bool tty, double line_interval_s)
    : total_(total), threads_(threads), tty_(tty), interval_s_(line_interval_s), start_(Clock::now()), last_(start_) {}

void SweepProgress::update(std::size_t done, std::size_t failed, std::size_t running, bool force) {
  const auto t = Clock::now();
  if (!force && std::chrono::duration<double>(t - last_).count() < (tty_ ? 0.2 : interval_s_)) return;
  last_ = t;
  const double elapsed = std::chrono::duration<double>(t - start_).count();
  // Runs finish at about `done / elapsed` per second; what is left takes the rest at that rate.
  const double eta = done > 0 ? elapsed * static_cast<double>(total_ - done) / static_cast<double>(done) : -1;
  const char* end = tty_ ? "   " : "\n";
  std::fprintf(stderr, "%ssweep: %zu/%zu done, %zu failed, %zu running on %d thread%s, elapsed %s, ETA %s%s",
               tty_ ? "\r" : "", done, total_, failed, running, threads_, threads_ == 1 ? "" : "s",
               clock_text(elapsed).c_str(), done == total_ ? "00:00" : clock_text(eta).c_str(), end);
  drawn_ = tty_;
  std::fflush(stderr);
}

void SweepProgress::finish() {
  if (tty_ && drawn_) std::fprintf(stderr, "\n");
  drawn_ = false;
}

}  // namespace dcsim::cli
