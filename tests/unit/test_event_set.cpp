#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <tuple>
#include <vector>

#include "sim/core/event_set.hpp"
#include "sim/core/random.hpp"

using namespace dcsim;

namespace {

// Pops everything, running each action.
void drain(EventSet& s) {
  while (!s.empty()) {
    SimTime t;
    s.pop(t)();
  }
}

}  // namespace

TEST_CASE("events run in order of time, then priority, then insertion", "[event_set]") {
  EventSet s;
  std::vector<int> order;
  auto* o = &order;
  s.push(SimTime::seconds(2), 10, [o] { o->push_back(4); });
  s.push(SimTime::seconds(1), 20, [o] { o->push_back(2); });
  s.push(SimTime::seconds(1), 10, [o] { o->push_back(0); });
  s.push(SimTime::seconds(1), 10, [o] { o->push_back(1); });  // same time and priority: after the first
  s.push(SimTime::seconds(1), 20, [o] { o->push_back(3); });
  s.push(SimTime::seconds(3), 0, [o] { o->push_back(5); });
  drain(s);
  CHECK(order == std::vector<int>{0, 1, 2, 3, 4, 5});
}

TEST_CASE("a cancelled event never fires and its handle goes stale", "[event_set]") {
  EventSet s;
  int fired = 0;
  auto* f = &fired;
  const EventHandle a = s.push(SimTime::seconds(1), 0, [f] { *f += 1; });
  const EventHandle b = s.push(SimTime::seconds(2), 0, [f] { *f += 10; });
  CHECK(s.pending(a));
  CHECK(s.cancel(a));
  CHECK_FALSE(s.pending(a));
  CHECK_FALSE(s.cancel(a));  // twice: no effect
  CHECK(s.size() == 1);
  drain(s);
  CHECK(fired == 10);
  CHECK_FALSE(s.pending(b));  // fired
  CHECK_FALSE(s.cancel(b));
  // The slot is reused by a new event: the old handle must not reach it.
  const EventHandle c = s.push(SimTime::seconds(5), 0, [f] { *f += 100; });
  CHECK(c.slot == b.slot);
  CHECK_FALSE(s.cancel(b));
  CHECK(s.pending(c));
  drain(s);
  CHECK(fired == 110);
}

TEST_CASE("rescheduling moves an event and orders it after events already at its new time", "[event_set]") {
  EventSet s;
  std::vector<int> order;
  auto* o = &order;
  const EventHandle a = s.push(SimTime::seconds(1), 5, [o] { o->push_back(1); });
  s.push(SimTime::seconds(3), 5, [o] { o->push_back(2); });
  s.push(SimTime::seconds(2), 5, [o] { o->push_back(0); });
  REQUIRE(s.reschedule(a, SimTime::seconds(3)));
  CHECK(s.time_of(a) == SimTime::seconds(3));
  CHECK(s.size() == 3);
  drain(s);
  CHECK(order == std::vector<int>{0, 2, 1});
  CHECK_FALSE(s.reschedule(a, SimTime::seconds(9)));  // fired: not pending
}

// A reference implementation: an ordered map keyed exactly as the engine promises.
struct Reference {
  std::map<std::tuple<std::int64_t, int, std::uint64_t>, int> q;
  std::map<int, std::tuple<std::int64_t, int, std::uint64_t>> where;
  std::uint64_t seq = 0;
  void push(int id, std::int64_t t, int p) {
    const auto k = std::make_tuple(t, p, seq++);
    q[k] = id;
    where[id] = k;
  }
  void cancel(int id) {
    q.erase(where.at(id));
    where.erase(id);
  }
  void reschedule(int id, std::int64_t t) {
    const int p = std::get<1>(where.at(id));
    cancel(id);
    push(id, t, p);
  }
  std::pair<std::int64_t, int> pop() {
    auto it = q.begin();
    const auto r = std::make_pair(std::get<0>(it->first), it->second);
    where.erase(it->second);
    q.erase(it);
    return r;
  }
};

TEST_CASE("the event set matches a reference ordered map under random operations", "[event_set]") {
  // Several delay distributions that stress different parts of the ladder: dense bursts at one instant,
  // exponential, bimodal (nanoseconds and hours), heavy-tailed, and long runs of equal times.
  const auto kind = GENERATE(0, 1, 2, 3, 4);
  Rng rng(1000 + static_cast<std::uint64_t>(kind));
  auto delay = [&]() -> std::int64_t {
    switch (kind) {
      case 0: return static_cast<std::int64_t>(rng.exponential(1.0) * 1e9);
      case 1: return rng.bernoulli(0.5) ? static_cast<std::int64_t>(rng.below(100)) : static_cast<std::int64_t>(3.6e12 * rng.uniform());
      case 2: return static_cast<std::int64_t>(1e6 * std::pow(rng.uniform_pos(), -1.5));  // Pareto-like
      case 3: return rng.bernoulli(0.7) ? 0 : static_cast<std::int64_t>(rng.below(1000)) * 1'000'000;
      default: return static_cast<std::int64_t>(rng.below(5));  // almost everything at a handful of instants
    }
  };
  EventSet s;
  Reference ref;
  std::vector<EventHandle> handles;
  std::vector<int> live_ids;
  int fired = -1;
  int* out = &fired;
  std::int64_t now = 0;
  int next_id = 0;
  for (int step = 0; step < 200'000; ++step) {
    const double u = rng.uniform();
    const bool grow = s.size() < 3000;
    if (s.empty() || (grow && u < 0.45) || (!grow && u < 0.3)) {
      const int id = next_id++;
      const std::int64_t t = now + delay();
      const int p = static_cast<int>(rng.below(4));
      handles.push_back(s.push(SimTime::from_ns(t), static_cast<Priority>(p), [out, id] { *out = id; }));
      ref.push(id, t, p);
      live_ids.push_back(id);
    } else if (u < 0.55 && !live_ids.empty()) {
      const std::size_t i = static_cast<std::size_t>(rng.below(live_ids.size()));
      const int id = live_ids[i];
      REQUIRE(s.cancel(handles[static_cast<std::size_t>(id)]));
      ref.cancel(id);
      live_ids[i] = live_ids.back();
      live_ids.pop_back();
    } else if (u < 0.65 && !live_ids.empty()) {
      const int id = live_ids[static_cast<std::size_t>(rng.below(live_ids.size()))];
      const std::int64_t t = now + delay();
      REQUIRE(s.reschedule(handles[static_cast<std::size_t>(id)], SimTime::from_ns(t)));
      ref.reschedule(id, t);
    } else {
      SimTime t;
      Callback cb = s.pop(t);
      cb();
      const auto [rt, rid] = ref.pop();
      REQUIRE(t.ns() == rt);
      REQUIRE(fired == rid);
      now = rt;
      live_ids.erase(std::find(live_ids.begin(), live_ids.end(), rid));
    }
    REQUIRE(s.size() == ref.q.size());
  }
  while (!s.empty()) {
    SimTime t;
    s.pop(t)();
    const auto [rt, rid] = ref.pop();
    REQUIRE(t.ns() == rt);
    REQUIRE(fired == rid);
  }
  CHECK(ref.q.empty());
}

TEST_CASE("many events at one instant keep their insertion order", "[event_set]") {
  // 20,000 completions at the same nanosecond, each scheduling a follow-up at that same instant: the
  // cascade must stay in FIFO order. (Its cost per event is measured by hold_bench's cascade section.)
  struct Ctx {
    EventSet s;
    std::vector<int> order;
    SimTime t0 = SimTime::seconds(10);
  } ctx;
  auto* c = &ctx;
  EventSet& s = ctx.s;
  const SimTime t0 = ctx.t0;
  std::vector<int>& order = ctx.order;
  for (int i = 0; i < 20'000; ++i) {
    s.push(t0, 96, [c, i] {
      c->order.push_back(i);
      c->s.push(c->t0, 96, [c, i] { c->order.push_back(100'000 + i); });
    });
  }
  while (!s.empty()) {
    SimTime t;
    s.pop(t)();
    REQUIRE(t == t0);
  }
  REQUIRE(order.size() == 40'000);
  for (int i = 0; i < 20'000; ++i) {
    REQUIRE(order[static_cast<std::size_t>(i)] == i);
    REQUIRE(order[static_cast<std::size_t>(20'000 + i)] == 100'000 + i);
  }
}

TEST_CASE("inserts that crowd Bottom are spread over a new, finer rung and still pop in order", "[event_set]") {
  // Two events far apart: the first pop spreads them over a coarse rung and leaves Bottom holding the
  // first bucket's range. Thousands of inserts inside that range then land in Bottom, which must hand them
  // to a new rung once it holds more than it can sort cheaply.
  EventSet s;
  std::vector<std::int64_t> times;
  s.push(SimTime::from_ns(0), 0, [] {});
  s.push(SimTime::seconds(1000), 0, [] {});
  SimTime t;
  s.pop(t);
  REQUIRE(t.ns() == 0);
  const std::size_t rungs_before = s.rung_count();
  Rng rng(11);
  for (int i = 0; i < 5000; ++i) {
    const std::int64_t at = 1 + static_cast<std::int64_t>(rng.uniform(0, 1e9));  // within the first bucket
    times.push_back(at);
    s.push(SimTime::from_ns(at), 0, [] {});
  }
  CHECK(s.rung_count() > rungs_before);
  std::sort(times.begin(), times.end());
  for (const std::int64_t expected : times) {
    s.pop(t);
    REQUIRE(t.ns() == expected);
  }
  s.pop(t);
  CHECK(t == SimTime::seconds(1000));
  CHECK(s.empty());
}

TEST_CASE("stale entries are compacted away when they outnumber live events", "[event_set]") {
  EventSet s;
  const EventHandle keep = s.push(SimTime::hours(5), 0, [] {});
  for (int i = 0; i < 100'000; ++i) {
    const EventHandle h = s.push(SimTime::seconds(1 + i), 0, [] {});
    s.cancel(h);
  }
  CHECK(s.size() == 1);
  CHECK(s.stale_entries() <= 4097);
  SimTime t;
  s.pop(t);
  CHECK(t == SimTime::hours(5));
  CHECK_FALSE(s.pending(keep));
}
