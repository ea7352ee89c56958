// The hand-written single-loop M/M/c that the benchmarks compare against: one std::priority_queue of
// (time, kind, seq), the engine's random streams, the same statistics objects as MMcModel. It is what a
// careful programmer writes for one model without a general engine.
#pragma once

#include <queue>
#include <tuple>
#include <vector>

#include "sim/core/random.hpp"
#include "sim/core/ring_buffer.hpp"
#include "sim/core/stats.hpp"
#include "sim/core/time.hpp"

namespace dcsim::bench {

struct MMcResult {
  std::uint64_t customers = 0;
  double mean_wait = 0;
};

inline MMcResult handwritten_mmc(SimTime horizon, std::int64_t servers, double lambda, double mu, std::uint64_t seed) {
  const RandomStreams streams(seed, 0);
  Rng arrivals = streams.stream("mmc.arrivals");
  Rng service = streams.stream("mmc.service");
  // Same tie order as the engine: time, then priority band (arrival 64 < departure 96), then sequence.
  using Ev = std::tuple<std::int64_t, int, std::uint64_t>;
  std::priority_queue<Ev, std::vector<Ev>, std::greater<>> pq;
  std::uint64_t seq = 0;
  RingBuffer<SimTime> queue(1024);
  std::int64_t busy = 0;
  std::uint64_t completions = 0;
  TimeWeighted queue_len, busy_servers;
  Tally waits, responses;
  BatchMeans batches(std::max<std::uint64_t>(1, static_cast<std::uint64_t>(lambda * horizon.to_seconds() / 32)));
  IntervalHistogram hist;
  auto begin_service = [&](SimTime now, SimTime arrived) {
    const double wait = (now - arrived).to_seconds();
    const double s = service.exponential(mu);
    ++busy;
    busy_servers.set(now, static_cast<double>(busy));
    waits.add(wait);
    batches.add(wait);
    hist.record(wait);
    responses.add(wait + s);
    pq.emplace((now + SimTime::from_seconds(s)).ns(), 96, seq++);
  };
  pq.emplace(SimTime::from_seconds(arrivals.exponential(lambda)).ns(), 64, seq++);
  while (!pq.empty()) {
    const auto [tn, kind, sq] = pq.top();
    if (tn > horizon.ns()) break;
    pq.pop();
    const SimTime now = SimTime::from_ns(tn);
    if (kind == 64) {
      pq.emplace((now + SimTime::from_seconds(arrivals.exponential(lambda))).ns(), 64, seq++);
      if (busy < servers) {
        begin_service(now, now);
      } else {
        queue.push_back(now);
        queue_len.set(now, static_cast<double>(queue.size()));
      }
    } else {
      ++completions;
      --busy;
      busy_servers.set(now, static_cast<double>(busy));
      if (!queue.empty()) {
        const SimTime a = queue.pop_front();
        queue_len.set(now, static_cast<double>(queue.size()));
        begin_service(now, a);
      }
    }
  }
  return {completions, waits.mean()};
}

}  // namespace dcsim::bench
