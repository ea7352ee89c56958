#include "sim/core/engine.hpp"

#include <cstdio>

namespace dcsim {

SimulationError::SimulationError(SimTime when, const std::string& entity, const std::string& what)
    : std::runtime_error("at t = " + format_time(when) + " (" + std::to_string(when.to_seconds()) + " s), " +
                         entity + ": " + what),
      when_(when) {}

const char* to_string(StopReason r) noexcept {
  switch (r) {
    case StopReason::horizon: return "horizon";
    case StopReason::no_events: return "no_events";
    case StopReason::stopped: return "stopped";
    case StopReason::interrupted: return "interrupted";
  }
  return "?";
}

Engine::Engine(std::uint64_t seed, std::uint64_t run_index, bool fingerprint)
    : fingerprint_(fingerprint ? std::make_unique<Fingerprint>() : nullptr), random_(seed, run_index, fingerprint_.get()) {}

void Engine::throw_past(SimTime t) const {
  throw SimulationError(now_, "engine",
                        "an event was scheduled in the past, at " + std::to_string(t.to_seconds()) + " s");
}

void Engine::check_stall() {
  if (now_ != stall_at_) {
    stall_at_ = now_;
    stall_since_ = events_processed_;
    return;
  }
  const std::uint64_t n = events_processed_ - stall_since_;
  if (n >= stall_limit_) {
    throw SimulationError(now_, "engine",
                          "the simulated clock has stopped advancing: " + std::to_string(n) +
                              " events in a row at the same instant (a cycle of events that schedule each other "
                              "with no delay)");
  }
}

void Engine::set_monitor(std::uint64_t every_events, std::function<void()> fn) {
  monitor_every_ = every_events;
  monitor_ = std::move(fn);
}

template <bool kMonitored>
StopReason Engine::loop(SimTime horizon) {
  std::uint64_t countdown = monitor_every_;
  for (;;) {
    if (stop_requested_) {
      stop_requested_ = false;
      return StopReason::stopped;
    }
    if (interrupt_ && interrupt_->load(std::memory_order_relaxed)) return StopReason::interrupted;
    if (events_.empty()) return StopReason::no_events;
    SimTime t;
    Callback cb;
    if (!events_.pop_until(horizon, t, cb)) {
      now_ = horizon;
      return StopReason::horizon;
    }
    now_ = t;
    ++events_processed_;
    if (fingerprint_) [[unlikely]] fingerprint_->add_event(t.ns(), events_.last_band());
    cb();
    if ((events_processed_ & kStallCheckMask) == 0) [[unlikely]] check_stall();
    if constexpr (kMonitored) {
      if (--countdown == 0) {
        countdown = monitor_every_;
        monitor_();
      }
    }
  }
}

StopReason Engine::run_until(SimTime horizon) {
  const StopReason r = (monitor_ && monitor_every_ > 0) ? loop<true>(horizon) : loop<false>(horizon);
  if (r == StopReason::no_events && horizon != SimTime::max()) now_ = horizon;
  if (monitor_) monitor_();
  return r;
}

StopReason Engine::run() { return run_until(SimTime::max()); }

PeriodicTimer::PeriodicTimer(Engine& engine, SimTime period, Priority priority, std::function<void(SimTime)> action)
    : engine_(engine), period_(period), priority_(priority), action_(std::move(action)) {
  if (period <= SimTime::zero()) throw std::invalid_argument("periodic timer needs a positive period");
}

void PeriodicTimer::start(SimTime first) {
  stop();
  next_ = first;
  handle_ = engine_.schedule_at(first, priority_, [this] { fire(); });
}

void PeriodicTimer::stop() noexcept {
  engine_.cancel(handle_);
  handle_ = EventHandle{};
}

void PeriodicTimer::fire() {
  const SimTime t = next_;
  // Schedule the next firing from the nominal time, so that the period never drifts.
  next_ = t + period_;
  handle_ = engine_.schedule_at(next_, priority_, [this] { fire(); });
  action_(t);
}

}  // namespace dcsim
