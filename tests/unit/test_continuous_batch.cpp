// Continuous batching in closed form (models/serving/continuous_batch.hpp) against hand-worked schedules.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <vector>

#include "models/serving/continuous_batch.hpp"

using namespace dcsim::serving;
using What = ContinuousBatcher::What;

namespace {

// Runs the batcher to completion over arrivals (id, t, prompt, output); returns its events.
struct Arrival {
  std::uint64_t id;
  double t;
  std::uint32_t prompt, output;
};
std::vector<ContinuousBatcher::Event> run(ContinuousBatcher& b, std::vector<Arrival> arrivals) {
  std::vector<ContinuousBatcher::Event> out;
  std::size_t i = 0;
  while (i < arrivals.size() || b.next_change() < INFINITY) {
    if (i < arrivals.size() && arrivals[i].t <= b.next_change()) {
      b.submit(arrivals[i].id, arrivals[i].prompt, arrivals[i].output, arrivals[i].t);
      ++i;
    } else {
      b.advance(out);
    }
  }
  return out;
}
double at(const std::vector<ContinuousBatcher::Event>& ev, std::uint64_t id, What w) {
  for (const auto& e : ev) {
    if (e.id == id && e.what == w) return e.t;
  }
  return NAN;
}

}  // namespace

TEST_CASE("a lone request: time to first token is its prefill, then one decode iteration per token", "[serving][llm]") {
  // Prefill 20 ms + 0.1 ms per token; decode 10 ms + 1 ms per request (no dependence on the cache first).
  LlmLatency lat{.prefill_s = 0.02, .prefill_s_per_token = 1e-4, .decode_s = 0.01, .decode_s_per_request = 0.001};
  ContinuousBatcher b(lat, {});
  const auto ev = run(b, {{1, 5.0, 500, 100}});
  CHECK(at(ev, 1, What::first_token) == Approx(5.0 + 0.02 + 0.05));
  // End to end = TTFT + (n - 1) iterations of 11 ms.
  CHECK(at(ev, 1, What::finished) == Approx(5.07 + 99 * 0.011).epsilon(1e-12));
  CHECK(b.tokens_generated() == 100);
  CHECK(ev.size() == 2);  // two events for the request's life, not one per token
  // With the cache term (2 µs per cached token) the iterations lengthen as the cache grows: the sum of
  // t_decode(1, 501 + j) for j = 0..98, in closed form against the plain sum.
  LlmLatency lat2 = lat;
  lat2.decode_s_per_token = 2e-6;
  ContinuousBatcher b2(lat2, {});
  const auto ev2 = run(b2, {{1, 0.0, 500, 100}});
  double sum = 0.07;
  for (int j = 0; j < 99; ++j) sum += lat2.decode_time(1, 501 + j);
  CHECK(at(ev2, 1, What::finished) == Approx(sum).epsilon(1e-12));
}

TEST_CASE("saturated, the batch's throughput is its size over the iteration time", "[serving][llm]") {
  // 64 requests at once, batch limit 16, long outputs: 16 decode together; tokens/s -> 16 / t_decode(16).
  LlmLatency lat{.prefill_s = 0.01, .prefill_s_per_token = 1e-5, .decode_s = 0.02, .decode_s_per_request = 0.0005};
  ContinuousBatcher b(lat, LlmLimits{.max_batch = 16});
  std::vector<Arrival> a;
  for (std::uint64_t i = 0; i < 64; ++i) a.push_back({i, 0.0, 100, 2000});
  const auto ev = run(b, a);
  // Each wave: one prefill of 16 × 100 tokens, then 1999 iterations of 16 requests; but the first arrival
  // finds the GPU idle and starts a prefill alone (nothing waits to fill a batch), and the next 15 join in a
  // second one: one prefill's fixed time more in all.
  const double wave = lat.prefill_time(1600) + 1999 * lat.decode_time(16, 0);
  CHECK(at(ev, 63, What::finished) == Approx(4 * wave + lat.prefill_s).epsilon(1e-12));
  const double tokens_per_s = static_cast<double>(b.tokens_generated()) / (4 * wave + lat.prefill_s);
  CHECK(tokens_per_s == Approx(16 / lat.decode_time(16, 0)).epsilon(0.002));  // the prefills' share: 0.1 %
}

TEST_CASE("a hand-worked schedule: a join mid-decode waits for the iteration boundary and stalls the batch", "[serving][llm]") {
  // Prefill 100 ms flat; decode 10 ms + 10 ms per request. A (prompt 10, 5 tokens) at 0; B (10, 3) at 0.125.
  LlmLatency lat{.prefill_s = 0.1, .decode_s = 0.01, .decode_s_per_request = 0.01};
  ContinuousBatcher b(lat, {});
  const auto ev = run(b, {{1, 0.0, 10, 5}, {2, 0.125, 10, 3}});
  // A: prefill [0, 0.1] (token 1), decode alone at 20 ms: 0.12 (2), 0.14 (3). B arrives at 0.125, inside
  // the iteration ending 0.14: it joins there. Prefill [0.14, 0.24]: B's token 1. Both decode at 30 ms:
  // 0.27 (A 4, B 2), 0.30 (A 5: finished; B 3: finished).
  CHECK(at(ev, 1, What::first_token) == Approx(0.1));
  CHECK(at(ev, 2, What::first_token) == Approx(0.24));
  CHECK(at(ev, 1, What::finished) == Approx(0.30));
  CHECK(at(ev, 2, What::finished) == Approx(0.30));
  CHECK(b.tokens_generated() == 8);
}

TEST_CASE("a full KV cache preempts the request that joined last, which is recomputed later", "[serving][llm]") {
  // KV 60 tokens. A (20 prompt, 30 out) at 0, B (20, 10) at 0.05. Prefill 100 ms flat, decode 10 ms flat.
  LlmLatency lat{.prefill_s = 0.1, .decode_s = 0.01};
  ContinuousBatcher b(lat, LlmLimits{.kv_tokens = 60});
  const auto ev = run(b, {{1, 0.0, 20, 30}, {2, 0.05, 20, 10}});
  // A: prefill [0, 0.1] -> K 21; decode from 0.1; B arrives at 0.05 during A's prefill, joins at its end? No:
  // A's prefill ends at 0.1 with B waiting: B needs 21 + 21 + 2 = 44 <= 60: prefill [0.1, 0.2] (B's token 1),
  // K = 21 + 21 = 42. Decode both: K grows 2 per iteration; room for (60 - 42) / 2 = 9 iterations, to 0.29
  // (A 10, B 10: B is finished at the 9th: B has 1 + 9 = 10). So B finishes at 0.29 with no preemption, and
  // A goes on alone: 20 more tokens to 0.49.
  CHECK(at(ev, 2, What::first_token) == Approx(0.2));
  CHECK(at(ev, 2, What::finished) == Approx(0.29));
  CHECK(std::isnan(at(ev, 2, What::preempted)));
  CHECK(at(ev, 1, What::finished) == Approx(0.49));

  // Now B wants 20 tokens: at 0.29 the cache is full (K 60) with B still running: B is preempted, A runs to
  // its end (20 more, 0.49), then B is recomputed: a prefill of 20 + 10 tokens [0.49, 0.59] gives its 11th
  // token, then 9 iterations to 0.68. Its first token is not delivered twice.
  ContinuousBatcher c(lat, LlmLimits{.kv_tokens = 60});
  const auto ev2 = run(c, {{1, 0.0, 20, 30}, {2, 0.05, 20, 20}});
  CHECK(at(ev2, 2, What::preempted) == Approx(0.29));
  CHECK(at(ev2, 1, What::finished) == Approx(0.49));
  CHECK(at(ev2, 2, What::finished) == Approx(0.68));
  int firsts = 0;
  for (const auto& e : ev2) firsts += e.id == 2 && e.what == What::first_token;
  CHECK(firsts == 1);
  CHECK(c.tokens_generated() == 50);
}

TEST_CASE("continuous batching keeps Little's law and delivers every token, at a few events per request", "[serving][llm]") {
  // Poisson arrivals at 20/s for an hour, prompts and outputs spread over [50, 500] and [10, 400] tokens.
  LlmLatency lat{.prefill_s = 0.015, .prefill_s_per_token = 4e-5, .decode_s = 0.012, .decode_s_per_request = 2e-4,
                 .decode_s_per_token = 5e-8};
  ContinuousBatcher b(lat, LlmLimits{.kv_tokens = 200000, .max_batch = 128, .prefill_budget = 8192});
  std::vector<Arrival> a;
  std::uint64_t x = 88172645463325252ull;  // xorshift: a test's own stream
  const auto u = [&] {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    return static_cast<double>(x >> 11) * 0x1.0p-53;
  };
  double t = 0, want_tokens = 0;
  for (std::uint64_t i = 0; t < 3600; ++i) {
    t += -std::log(1 - u()) / 20;
    const auto p = static_cast<std::uint32_t>(50 + 450 * u()), o = static_cast<std::uint32_t>(10 + 390 * u());
    a.push_back({i, t, p, o});
    want_tokens += o;
  }
  const auto ev = run(b, a);
  CHECK(static_cast<double>(b.tokens_generated()) == want_tokens);
  std::map<std::uint64_t, double> done;
  for (const auto& e : ev) {
    if (e.what == What::finished) done[e.id] = e.t;
  }
  REQUIRE(done.size() == a.size());
  // L = λ W: the time-average number in the system (from the arrival and finish instants) against the
  // arrival rate times the mean time in the system, over the whole run (exact for a closed run).
  double sum_w = 0, last = 0;
  for (const Arrival& r : a) sum_w += done[r.id] - r.t, last = std::max(last, done[r.id]);
  std::vector<std::pair<double, int>> steps;
  for (const Arrival& r : a) steps.push_back({r.t, 1}), steps.push_back({done[r.id], -1});
  std::sort(steps.begin(), steps.end());
  double area = 0, prev = 0;
  int n = 0;
  for (const auto& [when, d] : steps) area += n * (when - prev), prev = when, n += d;
  CHECK(area / last == Approx(static_cast<double>(a.size()) / last * (sum_w / static_cast<double>(a.size()))).epsilon(1e-9));
  CHECK(ev.size() <= 3 * a.size());  // first token, finished, and the odd preemption: not one per token
}
