// The classic hold model (Jones, CACM 1986) on the engine's event set against a plain
// std::priority_queue<(time, seq)>: with n events pending, each hold removes the earliest event and
// schedules a new one at its time plus an exponential increment (mean 1 s). Both sides draw their
// increments from the same precomputed table, so the comparison is of the data structures alone.
//
// Then a same-instant cascade: n events at one nanosecond, each scheduling a follow-up at that same
// instant when it runs (a burst of completions that each start the next batch), on both sides. This is
// where a sorted insertion buffer can go quadratic; both sides must stay O(log n) per event.
//
//   usage: hold_bench [--reps 7] [--holds-per-event 3]
#include <cstdint>
#include <functional>
#include <queue>
#include <tuple>
#include <utility>
#include <vector>

#include "bench/harness.hpp"
#include "sim/core/event_set.hpp"
#include "sim/core/random.hpp"

using namespace dcsim;

namespace {

std::vector<std::int64_t> increments() {
  Rng rng(42);
  std::vector<std::int64_t> v(1 << 16);
  for (auto& x : v) x = static_cast<std::int64_t>(rng.exponential(1.0) * 1e9) + 1;
  return v;
}

struct EngineSide {
  EventSet set;
  std::uint64_t checksum = 0;
  void fill(std::size_t n, const std::vector<std::int64_t>& inc) {
    set.clear();
    for (std::size_t i = 0; i < n; ++i) set.push(SimTime::from_ns(inc[i & 0xffff]), 128, [] {});
  }
  void holds(std::size_t h, const std::vector<std::int64_t>& inc, std::size_t& k) {
    for (std::size_t i = 0; i < h; ++i) {
      SimTime t;
      Callback cb = set.pop(t);
      checksum += static_cast<std::uint64_t>(t.ns());
      set.push(t + SimTime::from_ns(inc[k++ & 0xffff]), 128, cb);
    }
  }
};

struct BaselineSide {
  using Item = std::pair<std::int64_t, std::uint64_t>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> pq;
  std::uint64_t seq = 0;
  std::uint64_t checksum = 0;
  void fill(std::size_t n, const std::vector<std::int64_t>& inc) {
    pq = {};
    for (std::size_t i = 0; i < n; ++i) pq.emplace(inc[i & 0xffff], seq++);
  }
  void holds(std::size_t h, const std::vector<std::int64_t>& inc, std::size_t& k) {
    for (std::size_t i = 0; i < h; ++i) {
      const std::int64_t t = pq.top().first;
      pq.pop();
      checksum += static_cast<std::uint64_t>(t);
      pq.emplace(t + inc[k++ & 0xffff], seq++);
    }
  }
};

// The same-instant cascade: returns a checksum of the run order so that the sides can be compared.
std::uint64_t engine_cascade(std::size_t n) {
  struct Ctx {
    EventSet set;
    std::uint64_t checksum = 0;
    std::uint64_t k = 0;
  } c;
  const SimTime t0 = SimTime::seconds(10);
  for (std::size_t i = 0; i < n; ++i) {
    c.set.push(t0, 96, [cp = &c, t0] {
      cp->checksum = cp->checksum * 31 + cp->k++;
      cp->set.push(t0, 96, [cp] { cp->checksum = cp->checksum * 31 + cp->k++; });
    });
  }
  SimTime t;
  while (!c.set.empty()) c.set.pop(t)();
  return c.checksum;
}

std::uint64_t baseline_cascade(std::size_t n) {
  using Item = std::tuple<std::int64_t, std::uint64_t, bool>;  // time, seq, schedules a follow-up
  std::priority_queue<Item, std::vector<Item>, std::greater<>> pq;
  std::uint64_t seq = 0, checksum = 0, k = 0;
  const std::int64_t t0 = SimTime::seconds(10).ns();
  for (std::size_t i = 0; i < n; ++i) pq.emplace(t0, seq++, true);
  while (!pq.empty()) {
    const bool follow = std::get<2>(pq.top());
    pq.pop();
    checksum = checksum * 31 + k++;
    if (follow) pq.emplace(t0, seq++, false);
  }
  return checksum;
}

}  // namespace

int main(int argc, char** argv) {
  const int reps = static_cast<int>(bench::arg_long(argc, argv, "--reps", 7));
  const long per_event = bench::arg_long(argc, argv, "--holds-per-event", 3);
  const auto inc = increments();
  std::printf("hold model, exponential increments (mean 1 s), %d paired repetitions, medians\n", reps);
  std::printf("%10s %12s %16s %16s %9s\n", "pending", "holds", "engine ns/hold", "pq ns/hold", "speedup");
  for (const std::size_t n : {std::size_t{1000}, std::size_t{10000}, std::size_t{100000}, std::size_t{1000000}}) {
    const std::size_t holds = std::max<std::size_t>(2'000'000, static_cast<std::size_t>(per_event) * n);
    EngineSide e;
    BaselineSide b;
    std::size_t ke = 0, kb = 0;
    e.fill(n, inc);
    b.fill(n, inc);
    e.holds(n * 2, inc, ke);  // reach the steady-state distribution of pending times
    b.holds(n * 2, inc, kb);
    const auto p = bench::run_paired(reps, [&] { e.holds(holds, inc, ke); }, [&] { b.holds(holds, inc, kb); });
    if (e.checksum != b.checksum) {
      std::fprintf(stderr, "hold_bench: the two sides popped different times (checksums differ)\n");
      return 1;
    }
    std::printf("%10zu %12zu %16.1f %16.1f %8.2fx\n", n, holds, p.median_a() / static_cast<double>(holds) * 1e9,
                p.median_b() / static_cast<double>(holds) * 1e9, p.median_speedup());
  }
  std::printf("\nsame-instant cascade: n events at one instant, each scheduling one more there\n");
  std::printf("%10s %12s %16s %16s %9s\n", "n", "events", "engine ns/event", "pq ns/event", "speedup");
  for (const std::size_t n : {std::size_t{10000}, std::size_t{100000}}) {
    std::uint64_t ce = 0, cb = 0;
    const auto p = bench::run_paired(reps, [&] { ce = engine_cascade(n); }, [&] { cb = baseline_cascade(n); });
    if (ce != cb) {
      std::fprintf(stderr, "hold_bench: the cascade ran in different orders\n");
      return 1;
    }
    const double events = 2.0 * static_cast<double>(n);
    std::printf("%10zu %12.0f %16.1f %16.1f %8.2fx\n", n, events, p.median_a() / events * 1e9, p.median_b() / events * 1e9,
                p.median_speedup());
  }
  return 0;
}
