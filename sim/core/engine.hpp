// The event engine: one object per run, no globals.
//
// It owns the clock, the pending-event set, the run's random streams and its probe registry. Models
// schedule actions (small lambdas, see callback.hpp) at a time and a priority band (see phase in
// event_set.hpp) and keep handles to cancel or reschedule them. The engine knows nothing of what the
// models represent.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include "sim/core/event_set.hpp"
#include "sim/core/fingerprint.hpp"
#include "sim/core/probes.hpp"
#include "sim/core/random.hpp"
#include "sim/core/time.hpp"

namespace dcsim {

// Raised by model code for a broken invariant or an impossible state at run time; carries the simulated
// time and the entity so that the message can be acted on.
class SimulationError : public std::runtime_error {
 public:
  SimulationError(SimTime when, const std::string& entity, const std::string& what);
  SimTime when() const noexcept { return when_; }

 private:
  SimTime when_;
};

enum class StopReason { horizon, no_events, stopped, interrupted };
const char* to_string(StopReason r) noexcept;

class Engine {
 public:
  // With `fingerprint`, the engine hashes its event trace and its streams' draws (see fingerprint.hpp).
  Engine(std::uint64_t seed, std::uint64_t run_index, bool fingerprint = false);
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  SimTime now() const noexcept { return now_; }

  EventHandle schedule_at(SimTime t, Priority p, Callback cb) {
    if (t < now_) throw_past(t);
    return events_.push(t, p, cb);
  }
  EventHandle schedule_in(SimTime dt, Priority p, Callback cb) { return schedule_at(now_ + dt, p, cb); }
  // Cancels a pending event; false (and no effect) if it already fired or was cancelled.
  bool cancel(EventHandle h) noexcept { return events_.cancel(h); }
  // Moves a pending event to time t (>= now); false if it is not pending.
  bool reschedule(EventHandle h, SimTime t) {
    if (t < now_) throw_past(t);
    return events_.reschedule(h, t);
  }
  bool pending(EventHandle h) const noexcept { return events_.pending(h); }
  SimTime time_of(EventHandle h) const noexcept { return events_.time_of(h); }

  // Runs events with time <= horizon, then sets the clock to the horizon (unless stopped earlier).
  StopReason run_until(SimTime horizon);
  // Runs until no events are left, or until stopped.
  StopReason run();
  // Asks the loop to return after the current event.
  void stop() noexcept { stop_requested_ = true; }
  // A flag set asynchronously (a signal handler); checked before every event.
  void set_interrupt_flag(const std::atomic<bool>* flag) noexcept { interrupt_ = flag; }
  // Called every `every_events` events and once at the end of each run call (for progress reports).
  void set_monitor(std::uint64_t every_events, std::function<void()> fn);

  // A run whose clock stops advancing (every event schedules another at the same instant) is stopped with
  // a SimulationError once `events` have run at one instant (checked every 2^16 events; default 2^27,
  // seconds of wall time and far beyond any real cascade).
  void set_stall_limit(std::uint64_t events) noexcept { stall_limit_ = events; }

  std::uint64_t events_processed() const noexcept { return events_processed_; }
  std::size_t events_pending() const noexcept { return events_.size(); }
  const RandomStreams& random() const noexcept { return random_; }
  Rng stream(std::string_view name) const noexcept { return random_.stream(name); }
  // The run's fingerprint so far, or nullptr when it was not asked for.
  const Fingerprint* fingerprint() const noexcept { return fingerprint_.get(); }
  ProbeRegistry& probes() noexcept { return probes_; }
  const ProbeRegistry& probes() const noexcept { return probes_; }

 private:
  [[noreturn]] void throw_past(SimTime t) const;
  void check_stall();
  template <bool kMonitored>
  StopReason loop(SimTime horizon);

  EventSet events_;
  SimTime now_ = SimTime::zero();
  std::unique_ptr<Fingerprint> fingerprint_;  // before random_, which hands its address to the streams
  RandomStreams random_;
  ProbeRegistry probes_;
  std::uint64_t events_processed_ = 0;
  bool stop_requested_ = false;
  const std::atomic<bool>* interrupt_ = nullptr;
  std::uint64_t monitor_every_ = 0;
  std::function<void()> monitor_;
  static constexpr std::uint64_t kStallCheckMask = (std::uint64_t{1} << 16) - 1;
  std::uint64_t stall_limit_ = std::uint64_t{1} << 27;
  SimTime stall_at_ = SimTime::from_ns(-1);
  std::uint64_t stall_since_ = 0;  // events_processed_ when the clock was last seen at stall_at_ first
};

// A repeating event: fires at start, start + period, ... until stopped. The object must outlive its
// schedule (models own theirs as members).
class PeriodicTimer {
 public:
  PeriodicTimer(Engine& engine, SimTime period, Priority priority, std::function<void(SimTime)> action);
  PeriodicTimer(const PeriodicTimer&) = delete;
  PeriodicTimer& operator=(const PeriodicTimer&) = delete;
  ~PeriodicTimer() { stop(); }

  void start(SimTime first);
  void stop() noexcept;
  bool running() const noexcept { return engine_.pending(handle_); }
  SimTime period() const noexcept { return period_; }

 private:
  void fire();
  Engine& engine_;
  SimTime period_;
  Priority priority_;
  std::function<void(SimTime)> action_;
  EventHandle handle_;
  SimTime next_;
};

}  // namespace dcsim
