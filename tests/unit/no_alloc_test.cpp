// Steady-state scheduling must not allocate per event: after a warm-up, two million steps of a hold loop
// with a cancel/reschedule mix may only see the rare doubling of an internal array reaching a new high-water
// mark (at most a few, whatever the number of steps), never one allocation per event. Counted by replacing
// the global operator new in this binary.
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <new>

#include "sim/core/engine.hpp"
#include "sim/core/event_set.hpp"
#include "sim/core/random.hpp"

namespace {
std::atomic<long> g_allocations{0};
}

void* operator new(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

using namespace dcsim;

int main() {
  EventSet set;
  Rng rng(3);
  auto draw = [&] { return SimTime::from_seconds(rng.exponential(1.0)); };
  std::vector<EventHandle> handles(20'000);
  for (auto& h : handles) h = set.push(draw(), 100, [] {});
  // Warm-up: let every internal structure reach its working size.
  auto step = [&](long i) {
    SimTime t;
    set.pop(t);
    const EventHandle h = set.push(t + draw(), static_cast<Priority>(i % 4), [] {});
    auto& slot = handles[static_cast<std::size_t>(i) % handles.size()];
    if (i % 3 == 0) {
      set.cancel(slot);
      slot = set.push(t + draw(), 100, [] {});
    } else if (i % 3 == 1) {
      set.reschedule(slot, t + draw());
    }
    (void)h;
  };
  for (long i = 0; i < 2'000'000; ++i) step(i);
  const long before = g_allocations.load();
  for (long i = 2'000'000; i < 4'000'000; ++i) step(i);
  const long allocated = g_allocations.load() - before;
  std::printf("allocations during 2,000,000 steady-state steps: %ld\n", allocated);
  return allocated <= 8 ? 0 : 1;
}
