// Continuous batching in closed form (models/serving/continuous_batch.hpp) against hand-worked schedules.
#include <catch2/catch.hpp>

#include <cmath>
#include <algorithm>
#include <deque>
#include <map>
#include <tuple>
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

TEST_CASE("chunked prefill: a long prompt shares iterations with the running decode instead of stalling it", "[serving][llm]") {
  // Prefill 100 ms + 1 ms per token; decode 10 ms + 10 ms per request; a budget of 101 tokens per iteration.
  // A (prompt 10, 5 tokens) at 0; B (prompt 250, 3 tokens) at 0.125.
  LlmLatency lat{.prefill_s = 0.1, .prefill_s_per_token = 0.001, .decode_s = 0.01, .decode_s_per_request = 0.01};
  ContinuousBatcher b(lat, LlmLimits{.max_batch = 4, .prefill_budget = 101, .chunked_prefill = true});
  const auto ev = run(b, {{1, 0.0, 10, 5}, {2, 0.125, 250, 3}});
  // A alone: one iteration of its 10-token prompt (0.1 + 0.01 = 0.11, token 1), then 20-ms decodes: 0.13 (2).
  // B joins at 0.13: hybrid iterations of A's decode and 100 of B's tokens, 0.02 + 0.1 = 0.12 s each:
  // 0.25 (A 3), 0.37 (A 4); then the last 50 tokens: 0.02 + 0.05 = 0.07 s, to 0.44 (A 5: finished; B's first
  // token). B alone: 0.46 (2), 0.48 (3: finished).
  CHECK(at(ev, 1, What::first_token) == Approx(0.11));
  CHECK(at(ev, 1, What::finished) == Approx(0.44));
  CHECK(at(ev, 2, What::first_token) == Approx(0.44));
  CHECK(at(ev, 2, What::finished) == Approx(0.48));
  CHECK(b.tokens_generated() == 8);
  // Without chunks (and a budget that holds B), A stalls for B's whole prefill, 0.1 + 0.25 s from 0.13, and
  // its last three tokens come at 0.51, 0.54 (both decoding, 30 ms) and 0.56: chunking cut A's longest gap
  // between tokens from 0.38 s to 0.12 s, and B's first token came 0.04 s earlier too (no prefill fixed cost).
  ContinuousBatcher whole(lat, LlmLimits{.max_batch = 4});
  const auto ev2 = run(whole, {{1, 0.0, 10, 5}, {2, 0.125, 250, 3}});
  CHECK(at(ev2, 2, What::first_token) == Approx(0.48));
  CHECK(at(ev2, 1, What::finished) == Approx(0.56));
  // A prompt longer than the budget is served in chunks, not refused; a budget that leaves no room beside
  // max_batch decodes is refused.
  ContinuousBatcher c(lat, LlmLimits{.max_batch = 4, .prefill_budget = 101, .chunked_prefill = true});
  CHECK_NOTHROW(c.submit(1, 5000, 10, 0.0));
  CHECK_THROWS_AS(ContinuousBatcher(lat, LlmLimits{.max_batch = 64, .prefill_budget = 64, .chunked_prefill = true}),
                  std::invalid_argument);
  // The share of prefill work in the hybrid iteration: 0.1 of its 0.12 s.
  ContinuousBatcher d(lat, LlmLimits{.max_batch = 4, .prefill_budget = 101, .chunked_prefill = true});
  std::vector<ContinuousBatcher::Event> out;
  d.submit(1, 10, 5, 0.0);
  CHECK(d.prefill_share() == 1);  // alone: a prefill iteration
  d.advance(out);
  CHECK(d.prefill_share() == 0);  // decoding
  d.submit(2, 250, 3, 0.125);
  d.advance(out);  // the join at 0.13
  CHECK(d.prefill_share() == Approx(0.1 / 0.12));
}

namespace {

// The same schedule stepped one iteration at a time, without any closed form: at each iteration boundary
// the finished requests leave, the cache check preempts, waiting requests are admitted, and the next
// iteration (a prefill, a plain decode, or with chunked prefill a hybrid) is composed and timed.
std::vector<ContinuousBatcher::Event> reference(const LlmLatency& lat, const LlmLimits& lim, const std::vector<Arrival>& a) {
  struct R {
    std::uint64_t id;
    std::uint32_t prompt, output, done = 0;
    bool started = false;
  };
  std::vector<ContinuousBatcher::Event> out;
  std::vector<R> run, joining;
  std::deque<R> wait;
  std::uint64_t cached = 0, reserved = 0, filled = 0;  // filled: tokens of joining[0]'s prompt processed
  const auto fill = [](const R& r) { return std::max<std::uint64_t>(1, std::uint64_t{r.prompt} + r.done); };
  std::size_t i = 0;
  double t = 0;
  const auto first_or_join = [&](R r, double when) {
    ++r.done;
    if (!r.started) r.started = true, out.push_back({What::first_token, r.id, when});
    if (r.done == r.output) {
      out.push_back({What::finished, r.id, when});
    } else {
      run.push_back(r);
      cached += std::uint64_t{r.prompt} + r.done;
    }
  };
  for (;;) {
    while (i < a.size() && a[i].t <= t) wait.push_back({a[i].id, a[i].prompt, a[i].output}), ++i;
    // Admission, as the model's start_prefill (whole prompts within the budget) or its stream (chunked).
    std::vector<R> prefill;
    std::uint64_t k = cached + reserved, tokens = 0;
    while (!wait.empty() && run.size() + joining.size() + prefill.size() < lim.max_batch) {
      const R& r = wait.front();
      const std::uint64_t p = lim.chunked_prefill ? fill(r) : std::uint64_t{r.prompt} + r.done;
      const bool alone = run.empty() && joining.empty() && prefill.empty();
      if (k + p + 1 + (alone ? 0 : run.size() + joining.size() + prefill.size() + 1) > lim.kv_tokens) break;
      if (!lim.chunked_prefill && tokens + p > lim.prefill_budget) break;
      tokens += p;
      k += p + 1;
      if (lim.chunked_prefill) {
        reserved += p + 1;
        joining.push_back(r);
      } else {
        prefill.push_back(r);
      }
      wait.pop_front();
    }
    std::uint64_t stream = 0;
    for (const R& r : joining) stream += fill(r);
    stream -= filled;
    const std::uint64_t b = run.size();
    if (!prefill.empty()) {  // a prefill iteration: the running requests stall
      t += lat.prefill_time(static_cast<double>(tokens));
      for (const R& r : prefill) first_or_join(r, t);
      continue;
    }
    if (stream == 0 && b == 0) {  // idle until the next arrival, which starts alone
      if (i == a.size()) break;
      t = a[i].t;
      wait.push_back({a[i].id, a[i].prompt, a[i].output}), ++i;
      continue;
    }
    const std::uint64_t c = std::min(lim.chunked_prefill ? lim.prefill_budget - b : 0, stream);
    t += b > 0 ? lat.decode_time(static_cast<double>(b), static_cast<double>(cached)) + lat.prefill_s_per_token * static_cast<double>(c)
               : lat.prefill_time(static_cast<double>(c));
    std::size_t keep = 0;
    for (std::size_t j = 0; j < b; ++j) {
      R& r = run[j];
      ++r.done;
      ++cached;
      if (r.done < r.output) {
        run[keep++] = r;
      } else {
        out.push_back({What::finished, r.id, t});
        cached -= std::uint64_t{r.prompt} + r.done;
      }
    }
    run.resize(keep);
    std::uint64_t left = c;
    while (left > 0 && !joining.empty()) {
      const std::uint64_t need = fill(joining.front()) - filled;
      if (left < need) {
        filled += left;
        break;
      }
      left -= need;
      filled = 0;
      reserved -= fill(joining.front()) + 1;
      const R r = joining.front();
      joining.erase(joining.begin());
      first_or_join(r, t);
    }
    while (!joining.empty() && cached + reserved + run.size() > lim.kv_tokens) {
      if (joining.size() == 1) filled = 0;
      reserved -= fill(joining.back()) + 1;
      out.push_back({What::preempted, joining.back().id, t});
      wait.push_front(joining.back());
      joining.pop_back();
    }
    while (!run.empty() && cached + run.size() > lim.kv_tokens) {
      cached -= std::uint64_t{run.back().prompt} + run.back().done;
      out.push_back({What::preempted, run.back().id, t});
      wait.push_front(run.back());
      run.pop_back();
    }
  }
  return out;
}

}  // namespace

TEST_CASE("the closed form gives the schedule an iteration-by-iteration reference gives, with and without chunks",
          "[serving][llm][validation]") {
  // Poisson arrivals near saturation, prompts in [0, 2000] and outputs in [1, 300]; a small KV cache makes
  // preemptions (of running requests and, chunked, of joiners). Every event's instant must agree.
  LlmLatency lat{.prefill_s = 0.015, .prefill_s_per_token = 4e-5, .decode_s = 0.012, .decode_s_per_request = 2e-4,
                 .decode_s_per_token = 5e-8};
  std::uint64_t x = 0x9E3779B97F4A7C15ull;
  const auto u = [&] {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    return static_cast<double>(x >> 11) * 0x1.0p-53;
  };
  std::vector<Arrival> a;
  double t = 0;
  for (std::uint64_t i = 0; i < 4000; ++i) {
    t += -std::log(1 - u()) / 12;
    a.push_back({i, t, static_cast<std::uint32_t>(2000 * u()), static_cast<std::uint32_t>(1 + 299 * u())});
  }
  for (const bool chunked : {false, true}) {
    for (const std::uint64_t kv : {std::uint64_t{1000000}, std::uint64_t{12000}}) {
      const LlmLimits lim{.kv_tokens = kv, .max_batch = 48, .prefill_budget = chunked ? 512u : 4096u, .chunked_prefill = chunked};
      INFO("chunked " << chunked << ", KV " << kv);
      ContinuousBatcher b(lat, lim);
      auto got = run(b, a), want = reference(lat, lim, a);
      const auto key = [](const ContinuousBatcher::Event& e) { return std::tuple(e.id, e.t, e.what); };
      std::sort(got.begin(), got.end(), [&](auto& l, auto& r) { return key(l) < key(r); });
      std::sort(want.begin(), want.end(), [&](auto& l, auto& r) { return key(l) < key(r); });
      REQUIRE(got.size() == want.size());
      std::size_t bad = 0, preempted = 0;
      double worst = 0;
      for (std::size_t j = 0; j < got.size(); ++j) {
        bad += got[j].id != want[j].id || got[j].what != want[j].what;
        worst = std::max(worst, std::abs(got[j].t - want[j].t));
        preempted += got[j].what == What::preempted;
      }
      CHECK(bad == 0);
      CHECK(worst < 1e-9 * t);
      if (kv < 1000000) CHECK(preempted > 20);  // the small cache does preempt
    }
  }
}

TEST_CASE("a batcher's promise of a first token is kept, and withheld when it cannot be sure", "[serving][llm]") {
  LlmLatency lat{.prefill_s = 0.1, .prefill_s_per_token = 0.001, .decode_s = 0.01, .decode_s_per_request = 0.01};
  {
    ContinuousBatcher b(lat, LlmLimits{.max_batch = 4, .prefill_budget = 300});
    b.submit(1, 10, 5, 0.0);
    CHECK(b.first_token_promise(1) == Approx(0.11));  // idle: its own prefill, exactly
    CHECK(b.first_token_promise(2) == INFINITY);       // not a request it holds
    std::vector<ContinuousBatcher::Event> out;
    b.advance(out);
    b.submit(2, 20, 5, 0.125);  // joins at the boundary 0.13; the next prefill holds at most 300 tokens
    CHECK(b.first_token_promise(2) == Approx(0.13 + 0.1 + 0.3));
    b.submit(3, 290, 5, 0.126);  // 20 + 290 tokens exceed the budget: 3 may wait for the prefill after
    CHECK(b.first_token_promise(3) == INFINITY);
  }
  {
    ContinuousBatcher c(lat, LlmLimits{.max_batch = 4, .prefill_budget = 300, .chunked_prefill = true});
    c.submit(1, 10, 5, 0.0);
    CHECK(c.first_token_promise(1) == INFINITY);  // chunked: no promises
  }
  // Poisson arrivals near saturation: every promise made at a submit is kept (no preemptions here, one
  // speed), and most requests get one.
  std::uint64_t x = 0x2545F4914F6CDD1Dull;
  const auto u = [&] {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    return static_cast<double>(x >> 11) * 0x1.0p-53;
  };
  LlmLatency l2{.prefill_s = 0.015, .prefill_s_per_token = 4e-5, .decode_s = 0.012, .decode_s_per_request = 2e-4,
                .decode_s_per_token = 5e-8};
  ContinuousBatcher b(l2, LlmLimits{.kv_tokens = 1000000, .max_batch = 48, .prefill_budget = 4096});
  std::vector<ContinuousBatcher::Event> out;
  std::map<std::uint64_t, double> promised;
  double t = 0;
  for (std::uint64_t i = 0; i < 4000; ++i) {
    t += -std::log(1 - u()) / 12;
    while (b.next_change() < t) b.advance(out);
    if (b.assigned() >= 48) continue;  // the cluster gives a GPU no more than max_batch
    b.submit(i, static_cast<std::uint32_t>(2000 * u()), static_cast<std::uint32_t>(1 + 299 * u()), t);
    if (const double p = b.first_token_promise(i); p < INFINITY) promised[i] = p;
  }
  while (b.next_change() < INFINITY) b.advance(out);
  std::size_t kept = 0;
  for (const auto& e : out) {
    if (e.what == What::first_token && promised.count(e.id)) kept += e.t <= promised[e.id] + 1e-12;
  }
  CHECK(kept == promised.size());
  CHECK(promised.size() > 2000);
}

TEST_CASE("running requests finish in the order they joined across the wrap of the join counter", "[serving][llm]") {
  // 2^24 joins and more (the heap key's join order wraps there and is renumbered): waves of 1,024 requests
  // of two tokens, which join together and finish together, in the order they joined.
  LlmLatency lat{.prefill_s = 1e-3, .decode_s = 1e-3};
  ContinuousBatcher b(lat, LlmLimits{.max_batch = 1024, .prefill_budget = 1 << 20});
  std::vector<ContinuousBatcher::Event> out;
  std::uint64_t id = 0, disordered = 0, finished = 0;
  double t = 0;
  const std::uint64_t n = (std::uint64_t{1} << 24) + 5 * 1024;
  while (id < n) {
    for (int j = 0; j < 1024; ++j) b.submit(id++ & 0xFFFFFFFF, 0, 2, t);
    while (b.next_change() < INFINITY) {
      out.clear();
      b.advance(out);
      std::uint64_t last = 0;
      bool first = true;
      for (const auto& e : out) {
        if (e.what != What::finished) continue;
        ++finished;
        disordered += !first && e.id <= last;
        last = e.id, first = false;
      }
    }
    t = b.next_change() < INFINITY ? b.next_change() : t + 1;
  }
  CHECK(finished == id);
  CHECK(disordered == 0);
  CHECK(b.tokens_generated() == 2 * id);
}
