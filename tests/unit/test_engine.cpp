#include <catch2/catch.hpp>

#include <atomic>
#include <vector>

#include "sim/core/engine.hpp"

using namespace dcsim;
using namespace dcsim::literals;

TEST_CASE("run_until runs events up to and including the horizon and leaves the clock there", "[engine]") {
  Engine e(1, 0);
  std::vector<double> seen;
  auto* v = &seen;
  auto* eng = &e;
  e.schedule_at(1_s, phase::workload, [v, eng] { v->push_back(eng->now().to_seconds()); });
  e.schedule_at(5_s, phase::workload, [v, eng] { v->push_back(eng->now().to_seconds()); });
  e.schedule_at(6_s, phase::workload, [v, eng] { v->push_back(eng->now().to_seconds()); });
  CHECK(e.run_until(5_s) == StopReason::horizon);
  CHECK(seen == std::vector<double>{1.0, 5.0});
  CHECK(e.now() == 5_s);
  CHECK(e.events_pending() == 1);
  CHECK(e.run_until(10_s) == StopReason::no_events);
  CHECK(e.now() == 10_s);
  CHECK(e.events_processed() == 3);
}

TEST_CASE("run stops when no events are left, or when a model calls stop", "[engine]") {
  Engine e(1, 0);
  int n = 0;
  auto* pn = &n;
  auto* eng = &e;
  e.schedule_at(1_s, 0, [pn] { ++*pn; });
  e.schedule_at(2_s, 0, [pn, eng] {
    ++*pn;
    eng->stop();
  });
  e.schedule_at(3_s, 0, [pn] { ++*pn; });
  CHECK(e.run() == StopReason::stopped);
  CHECK(n == 2);
  CHECK(e.now() == 2_s);
  CHECK(e.run() == StopReason::no_events);
  CHECK(n == 3);
  CHECK(e.now() == 3_s);  // the clock stays at the last event: run() has no horizon to move it to
  CHECK(e.run_until(10_s) == StopReason::no_events);
  CHECK(e.now() == 10_s);  // run_until ends at its horizon
}

TEST_CASE("an interrupt flag set from outside stops the loop before the next event", "[engine]") {
  Engine e(1, 0);
  std::atomic<bool> flag{false};
  e.set_interrupt_flag(&flag);
  int n = 0;
  auto* pn = &n;
  auto* f = &flag;
  for (int i = 1; i <= 10; ++i) {
    e.schedule_at(SimTime::seconds(i), 0, [pn, f, i] {
      ++*pn;
      if (i == 4) f->store(true);
    });
  }
  CHECK(e.run_until(100_s) == StopReason::interrupted);
  CHECK(n == 4);
  CHECK(e.now() == 4_s);
}

TEST_CASE("scheduling in the past is an error that names the time", "[engine]") {
  Engine e(1, 0);
  e.schedule_at(5_s, 0, [] {});
  e.run_until(5_s);
  CHECK_THROWS_WITH(e.schedule_at(4_s, 0, [] {}), Catch::Contains("in the past"));
  CHECK_NOTHROW(e.schedule_at(5_s, 0, [] {}));
}

TEST_CASE("engine cancel and reschedule work through handles", "[engine]") {
  Engine e(1, 0);
  int fired = 0;
  auto* f = &fired;
  const EventHandle h = e.schedule_in(10_s, 0, [f] { *f = 1; });
  const EventHandle g = e.schedule_in(20_s, 0, [f] { *f = 2; });
  CHECK(e.cancel(h));
  CHECK(e.reschedule(g, 15_s));
  CHECK(e.time_of(g) == 15_s);
  e.run();
  CHECK(fired == 2);
  CHECK(e.now() == 15_s);
}

TEST_CASE("a periodic timer fires at exact multiples of its period and stops when asked", "[engine]") {
  Engine e(1, 0);
  std::vector<SimTime> ticks;
  PeriodicTimer timer(e, SimTime::from_seconds(0.1), phase::sample, [&](SimTime t) { ticks.push_back(t); });
  timer.start(SimTime::from_seconds(0.1));
  e.run_until(SimTime::seconds(1000));
  REQUIRE(ticks.size() == 10'000);
  for (std::size_t i = 0; i < ticks.size(); ++i) REQUIRE(ticks[i] == SimTime::from_seconds(0.1) * static_cast<std::int64_t>(i + 1));
  timer.stop();
  CHECK_FALSE(timer.running());
  CHECK(e.run_until(SimTime::seconds(2000)) == StopReason::no_events);
  CHECK(ticks.size() == 10'000);
}

TEST_CASE("samplers in the last priority band see the state after all events of their instant", "[engine]") {
  Engine e(1, 0);
  int state = 0;
  int seen = -1;
  PeriodicTimer sampler(e, 1_s, phase::sample, [&](SimTime) { seen = state; });
  sampler.start(1_s);
  auto* st = &state;
  e.schedule_at(1_s, phase::thermal, [st] { *st += 1; });
  e.schedule_at(1_s, phase::control, [st] { *st += 10; });
  e.run_until(1_s);
  CHECK(seen == 11);
}

TEST_CASE("the monitor hook is called every N events and at the end", "[engine]") {
  Engine e(1, 0);
  for (int i = 0; i < 1000; ++i) e.schedule_at(SimTime::milliseconds(i), 0, [] {});
  int calls = 0;
  e.set_monitor(100, [&] { ++calls; });
  e.run();
  CHECK(calls == 11);
}

TEST_CASE("a run whose clock stops advancing is stopped with a message that says so", "[engine]") {
  struct Loop {
    Engine* e;
    std::uint64_t left;  // events still to schedule at the same instant (0: forever)
    void step() {
      if (left == 1) return;
      if (left > 1) --left;
      e->schedule_in(SimTime::zero(), 1, [this] { step(); });
    }
  };
  Engine e(1, 0);
  e.set_stall_limit(1'000'000);
  Loop forever{&e, 0};
  e.schedule_at(SimTime::seconds(5), 1, [&forever] { forever.step(); });
  CHECK_THROWS_WITH(e.run_until(SimTime::hours(1)), Catch::Contains("t = 5") &&
                                                        Catch::Contains("simulated clock has stopped advancing"));
  CHECK(e.events_processed() < 1'200'000);  // stopped within a check interval of the limit

  // A long cascade that ends is not a stall, and neither is a clock that advances by the smallest step.
  Engine f(1, 0);
  f.set_stall_limit(1'000'000);
  Loop cascade{&f, 900'000};
  f.schedule_at(SimTime::seconds(5), 1, [&cascade] { cascade.step(); });
  struct Tick {
    Engine* e;
    int n;
    void step() {
      if (--n > 0) e->schedule_in(SimTime::from_ns(1), 1, [this] { step(); });
    }
  } tick{&f, 3'000'000};
  f.schedule_at(SimTime::seconds(6), 1, [&tick] { tick.step(); });
  CHECK_NOTHROW(f.run_until(SimTime::hours(1)));
  CHECK(f.events_processed() == 900'000 + 3'000'000);
}
