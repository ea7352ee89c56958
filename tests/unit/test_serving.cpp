#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "models/queueing/erlang.hpp"
#include "models/serving/serving.hpp"
#include "tests/unit/build_run.hpp"
#include "tests/unit/format.hpp"
#include "tests/unit/queue_scenario.hpp"

using namespace dcsim;

namespace {

using test::queue_scenario;

// The run and its serving model.
struct Built {
  std::unique_ptr<test::BuiltRun> b;
  std::unique_ptr<Run>& run;
  serving::ServingModel* serving;
  explicit Built(std::unique_ptr<test::BuiltRun> x)
      : b(std::move(x)), run(b->run), serving(b->model<serving::ServingModel>()) {}
};

std::unique_ptr<Built> build(const std::string& text, std::uint64_t run_index = 0) {
  return std::make_unique<Built>(test::build_run(text, run_index));
}

struct Rep {
  double wq, w, l, lambda, abandon, util;
};

Rep run_once(const std::string& text, std::uint64_t run_index) {
  auto b = build(text, run_index);
  b->run->execute();
  b->run->check_invariants();
  const auto f = b->serving->figures(0, 0);
  const double span = (b->run->engine().now() - b->run->settings().warmup).to_seconds();
  return {f.wait.mean(), f.response.mean(), b->serving->mean_in_system(0), static_cast<double>(f.completed) / span,
          static_cast<double>(f.abandoned) / static_cast<double>(f.attempts), b->serving->utilisation(0)};
}

// Independent replications (run indices 0..n-1): mean and 95 % half-width of a figure across them.
template <class F>
std::pair<double, double> replicate(const std::string& text, int n, F figure) {
  Tally t;
  for (int r = 0; r < n; ++r) t.add(figure(run_once(text, static_cast<std::uint64_t>(r))));
  return {t.mean(), student_t_quantile(0.975, n - 1) * t.stddev() / std::sqrt(static_cast<double>(n))};
}

}  // namespace

TEST_CASE("serving reproduces Erlang C's mean wait for the DOMAIN.md test vectors", "[serving][validation]") {
  struct Case {
    int c;
    double lambda;
    double hours;
    double theory;
  };
  // DOMAIN.md §9: c = 10, λ = 8 → W_q = 0.204590; c = 100, λ = 90 → 0.021694; c = 1, ρ = 0.8 → 4.0, all with
  // μ = 1. Run on a time scale stretched 2.5 times (mean service 2.5 s, λ / 2.5, W_q × 2.5), so that a mean
  // taken for a rate, or a rate for a mean, cannot pass.
  const Case k = GENERATE(Case{10, 8, 60, 0.204590}, Case{100, 90, 12, 0.021694}, Case{1, 0.8, 600, 4.0});
  const int reps = 10;
  const double scale = 2.5;
  const auto [wq, hw] = replicate(queue_scenario(k.hours * scale, k.lambda / scale, k.c, "exponential", scale), reps,
                                  [&](const Rep& r) { return r.wq / scale; });
  INFO("c = " << k.c << ", λ = " << k.lambda << ": W_q = " << wq << " ± " << hw << " (theory " << k.theory << ")");
  CHECK(hw <= 0.05 * k.theory);
  CHECK(std::abs(wq - k.theory) <= 3 * hw);
}

TEST_CASE("serving reproduces Pollaczek-Khinchine for M/D/1", "[serving][validation]") {
  // M/D/1 at ρ = 0.8, E[S] = 0.4 s (λ = 2 /s): W_q = ρ E[S] / (2(1 − ρ)) = 0.8 s.
  const auto [wq, hw] = replicate(queue_scenario(120, 2.0, 1, "deterministic", 0.4), 10, [](const Rep& r) { return r.wq; });
  INFO("W_q = " << wq << " ± " << hw);
  CHECK(queueing::mg1_mean_wait(2.0, 0.4, 0.0) == Approx(0.8));
  CHECK(hw <= 0.05 * 0.8);
  CHECK(std::abs(wq - queueing::mg1_mean_wait(2.0, 0.4, 0.0)) <= 3 * hw);
}

TEST_CASE("Little's law holds on every validation run", "[serving][validation]") {
  for (const auto& text : {queue_scenario(40, 8, 10, "exponential"), queue_scenario(40, 0.8, 1, "deterministic"),
                           queue_scenario(40, 9.5, 10, "exponential")}) {
    const Rep r = run_once(text, 3);
    INFO("L = " << r.l << ", λW = " << r.lambda * r.w);
    CHECK(std::abs(r.l - r.lambda * r.w) <= 0.01 * r.l);
  }
}

TEST_CASE("abandonment matches Erlang-A for M/M/c+M", "[serving][validation]") {
  // c = 10, λ = 4, μ = 0.4 (critically loaded), exponential patience of mean 5 s (θ = 0.2).
  const std::string text = queue_scenario(50, 4, 10, "exponential", 2.5, "",
                                          "[workload.tiers.patience]\nkind = \"exponential\"\nmean = \"5 s\"\n");
  // The tier above declares patience "infinite" then a table: replace it.
  std::string t = text;
  t.replace(t.find("patience = \"infinite\"\n"), std::string("patience = \"infinite\"\n").size(), "");
  const auto theory = queueing::erlang_a(10, 4.0, 0.4, 0.2);
  const auto [pa, hw] = replicate(t, 10, [](const Rep& r) { return r.abandon; });
  INFO("P(abandon) = " << pa << " ± " << hw << " (Erlang-A " << theory.prob_abandon << ")");
  CHECK(hw <= 0.05 * theory.prob_abandon);
  CHECK(std::abs(pa - theory.prob_abandon) <= 3 * hw);
}

TEST_CASE("batching with a maximum batch of one is no batching", "[serving]") {
  auto a = build(queue_scenario(20, 8, 10, "exponential"));
  auto b = build(queue_scenario(20, 8, 10, "exponential", 1.0, "max_batch = 1\nmax_wait = \"3 s\"\n"));
  a->run->execute();
  b->run->execute();
  const auto fa = a->serving->figures(0, 0), fb = b->serving->figures(0, 0);
  CHECK(fa.completed == fb.completed);
  CHECK(fa.wait.mean() == fb.wait.mean());
  CHECK(fa.response.mean() == fb.response.mean());
}

namespace {
std::string write_trace(const std::string& name, const std::string& rows) {
  const auto p = std::filesystem::temp_directory_path() / ("dcsim_srv_" + std::to_string(::getpid()) + "_" + name);
  std::ofstream(p) << "time_s,class,tier\n" << rows;
  return p.string();
}
}  // namespace

TEST_CASE("dynamic batching waits at most max_wait for a batch to fill", "[serving]") {
  // One GPU, batch time 0.5 s + 0.1 s·b (deterministic), max batch 8, max wait 0.2 s. A trace fixes every
  // arrival, so the schedule can be worked out by hand.
  std::string rows;
  for (int i = 0; i < 50; ++i) rows += std::to_string(10 * i + 1) + ",job,all\n";  // lone requests, 10 s apart
  for (int i = 0; i < 8; ++i) rows += std::to_string(1000 + 0.005 * i) + ",job,all\n";  // 8 within 35 ms
  for (int i = 0; i < 3; ++i) rows += std::to_string(2000 + 0.01 * i) + ",job,all\n";  // 3 within 20 ms
  const std::string trace = write_trace("batch.csv", rows);
  std::string text = queue_scenario(1, 1, 1, "deterministic", 0.1, "max_batch = 8\nmax_wait = \"0.2 s\"\n");
  text.replace(text.find("t0 = \"0 s\""), 10, "t0 = \"0.5 s\"");
  text.replace(text.find("[workload.population]"), 0, "trace = \"" + trace + "\"\n");
  text.erase(text.find("[workload.population]"), text.find("[[workload.classes]]") - text.find("[workload.population]"));
  text.replace(text.find("requests_per_user_day = 1\n"), 26, "");
  text.replace(text.find("warmup = \"0.25 h\""), 17, "warmup = \"0 s\"");
  auto b = build(text);
  b->run->execute();
  b->run->check_invariants();
  const auto f = b->serving->figures(0, 0);
  REQUIRE(f.completed == 61);
  // Lone requests wait exactly max_wait, then run alone: 0.2 s + 0.6 s.
  // The burst of 8 fills a batch at its 8th arrival: waits 35, 30, ..., 0 ms; all finish 1.3 s after it.
  // The 3 wait for max_wait from the first arrival (0.2, 0.19, 0.18 s) and finish 0.8 s after it + 0.2 s.
  const double waits = 50 * 0.2 + (0.035 + 0.030 + 0.025 + 0.020 + 0.015 + 0.010 + 0.005 + 0) + (0.2 + 0.19 + 0.18);
  const double responses = 50 * 0.8 + (8 * 1.3 + 0.14) + (3 * 1.0 - 0.03);
  CHECK(f.wait.mean() == Approx(waits / 61).epsilon(1e-9));
  CHECK(f.response.mean() == Approx(responses / 61).epsilon(1e-9));
  CHECK(f.wait.max() == Approx(0.2).epsilon(1e-9));
  std::filesystem::remove(trace);
}

TEST_CASE("batches fill and nobody waits for max_wait under heavy load", "[serving]") {
  std::string text = queue_scenario(5, 1000, 200, "deterministic", 0.1, "max_batch = 8\nmax_wait = \"0.2 s\"\n");
  text.replace(text.find("t0 = \"0 s\""), 10, "t0 = \"0.5 s\"");
  auto busy = build(text);
  busy->run->execute();
  busy->run->check_invariants();
  const auto g = busy->serving->figures(0, 0);
  CHECK(g.wait.mean() < 0.05);  // batches of 8 fill in ~8 ms at 1000/s
  CHECK(static_cast<double>(g.completed) == Approx(1000.0 * 3.75 * 3600).epsilon(0.01));
}

TEST_CASE("weighted routing splits arrivals in proportion to the clusters' weights", "[serving]") {
  // Two clusters of 10 GPUs with weights 3 and 1, λ = 2 /s, mean service 2.5 s: 3.75 and 1.25 Erlangs.
  std::string t = queue_scenario(20, 2.0, 10, "exponential", 2.5, "weight = 3\n");
  t += "[[sites.clusters]]\nname = \"other\"\nclass = \"job\"\ngpu = \"server\"\ngpus = 10\nweight = 1\n";
  t.insert(t.find("[[serving.gpu_types]]"), "[serving]\nrouting = \"weighted\"\n");
  auto b = build(t);
  b->run->execute();
  b->run->check_invariants();
  // ~108,000 arrivals over the measured 15 h: the split's sd is 0.13 %, the utilisation's about 1 %.
  CHECK(b->serving->utilisation(0) == Approx(0.375).epsilon(0.03));
  CHECK(b->serving->utilisation(1) == Approx(0.125).epsilon(0.03));
  // The class's GPU utilisation over both clusters: 5 Erlangs on 20 GPUs.
  CHECK(b->run->summarize().number("serving.job.gpu_utilisation") == Approx(0.25).epsilon(0.03));
}

TEST_CASE("a serving scenario needs no [serving] table when its sites use preset GPUs", "[serving]") {
  auto b = build(R"([simulation]
duration = "2 h"
warmup = "30 min"
sample_interval = "30 min"
[workload]
[workload.population]
kind = "constant"
users = 86400
[[workload.classes]]
name = "image"
requests_per_user_day = 0.5
[[workload.tiers]]
name = "all"
share = 1
patience = "infinite"
[[sites]]
name = "s"
[[sites.clusters]]
name = "c"
class = "image"
gpu = "h100_sxm"
gpus = 16
)");
  b->run->execute();
  b->run->check_invariants();
  // 0.5 /s of 11.64-s images: 5.8 Erlangs on 16 GPUs.
  CHECK(b->serving->utilisation(0) == Approx(0.5 * 11.64 / 16).epsilon(0.1));
}

TEST_CASE("join-shortest-queue beats round robin on heterogeneous clusters", "[serving]") {
  // Two clusters of 10 and 2 GPUs, λ = 0.8 × 12 μ: round robin sends half to the small one (ρ = 2.4).
  auto text = [](const std::string& policy) {
    std::string t = queue_scenario(10, 9.6, 10, "exponential");
    t += "[[sites.clusters]]\nname = \"small\"\nclass = \"job\"\ngpu = \"server\"\ngpus = 2\n";
    t.insert(t.find("[[serving.gpu_types]]"), "[serving]\nrouting = \"" + policy + "\"\n");
    return t;
  };
  double wait[4];
  const char* policies[] = {"round_robin", "jsq", "power_of_d", "least_expected_delay"};
  for (int i = 0; i < 4; ++i) {
    auto b = build(text(policies[i]));
    b->run->execute();
    b->run->check_invariants();
    wait[i] = b->serving->figures(0, 0).wait.mean();
    INFO(policies[i] << ": mean wait " << wait[i]);
    CHECK(std::isfinite(wait[i]));
  }
  CHECK(wait[1] * 100 < wait[0]);
  CHECK(wait[2] * 100 < wait[0]);  // with two clusters, power-of-2 is JSQ
  CHECK(wait[3] * 100 < wait[0]);
  // Erlang C for the pooled 12 GPUs is a lower bound JSQ should come near (within a factor 2).
  CHECK(wait[1] < 2 * queueing::mmc_mean_wait(12, 9.6, 1.0) + 0.05);
}

TEST_CASE("a token bucket admits exactly its rate over a long window", "[serving][admission]") {
  // Offered 20/s, bucket 5/s with a burst of 10: admitted = 5 T + 10 up to the last token.
  std::string text = queue_scenario(1, 20, 100, "deterministic", 0.01);
  text.insert(text.find("[[serving.gpu_types]]"),
              "[[serving.admission]]\ntier = \"all\"\nrate_limit = { rate = \"5 /s\", burst = 10 }\n");
  text.replace(text.find("warmup = \"0.25 h\""), 17, "warmup = \"0 s\"");
  auto b = build(text);
  b->run->execute();
  b->run->check_invariants();
  const auto f = b->serving->figures(0, 0);
  const double admitted = static_cast<double>(f.attempts - f.rejected[0]);
  CHECK(admitted <= 5.0 * 3600 + 10);
  CHECK(admitted >= 5.0 * 3600 + 10 - 2);
  CHECK(f.rejected[0] > 0.7 * f.attempts);
}

TEST_CASE("a rate limit of one class leaves the other class's attempts alone; a shared one limits both", "[serving][admission]") {
  // Two classes at 20/s each, a cluster each. A bucket for "job" at 5/s (burst 10) admits 5 T + 10 of its
  // attempts and none of the other class's are touched; a bucket of the tier (no class) at 10/s is shared:
  // 10 T + 10 admitted in all, split between the classes.
  const auto two_classes = [](const std::string& rule) {
    std::string text = queue_scenario(1, 20, 100, "deterministic", 0.01);
    text.replace(text.find("warmup = \"0.25 h\""), 17, "warmup = \"0 s\"");
    text.insert(text.find("[[workload.tiers]]"), "[[workload.classes]]\nname = \"chat\"\nrequests_per_user_day = 20\n");
    text.insert(text.find("[[serving.gpu_types]]"), rule);
    text.insert(text.find("[[sites]]"), "[serving.gpu_types.service.chat]\nbatch_time = { t0 = \"0 s\", t1 = \"0.01 s\" }\n"
                                        "active_power = \"683 W\"\n");
    text += "[[sites.clusters]]\nname = \"c2\"\nclass = \"chat\"\ngpu = \"server\"\ngpus = 100\n";
    auto b = build(text);
    b->run->execute();
    b->run->check_invariants();
    const auto job = b->serving->figures(0, 0), chat = b->serving->figures(1, 0);
    return std::pair{static_cast<double>(job.attempts - job.rejected[0]), static_cast<double>(chat.attempts - chat.rejected[0])};
  };
  {
    const auto [job, chat] = two_classes("[[serving.admission]]\ntier = \"all\"\nclass = \"job\"\nrate_limit = { rate = \"5 /s\", burst = 10 }\n");
    CHECK(job <= 5.0 * 3600 + 10);
    CHECK(job >= 5.0 * 3600 + 10 - 2);
    CHECK(chat > 20 * 3600 * 0.98);  // every chat attempt admitted: Poisson at 20/s for an hour, 72,000 ± 268
  }
  {
    const auto [job, chat] = two_classes("[[serving.admission]]\ntier = \"all\"\nrate_limit = { rate = \"10 /s\", burst = 10 }\n");
    CHECK(job + chat <= 10.0 * 3600 + 10);
    CHECK(job + chat >= 10.0 * 3600 + 10 - 2);
    CHECK(job == Approx(chat).epsilon(0.05));  // equal offered loads share the bucket evenly
  }
}

TEST_CASE("a token bucket never holds more than its burst, however long it idles", "[serving][admission]") {
  // 5 tokens/s, burst 10. It starts full: a same-instant burst of 25 admits exactly 10.
  serving::TokenBucket b(5.0, 10.0);
  auto burst = [&](double t, int n) {
    int admitted = 0;
    for (int i = 0; i < n; ++i) admitted += b.admit(t) ? 1 : 0;
    return admitted;
  };
  CHECK(burst(0.0, 25) == 10);
  // 1 s later 5 tokens have refilled.
  CHECK(burst(1.0, 25) == 5);
  // After an hour's idling the bucket is full again but no fuller: 10, not 18,000.
  CHECK(burst(3601.0, 100) == 10);
  // A partial refill: 0.3 s gives 1.5 tokens, so one admission and half a token kept for later.
  CHECK(burst(3601.3, 5) == 1);
  CHECK(burst(3601.4, 5) == 1);  // 0.5 + 0.5 tokens
  CHECK(burst(3601.5, 5) == 0);  // 0.5 tokens
  CHECK(b.rate() == 5.0);
  CHECK(b.burst() == 10.0);
}

TEST_CASE("exponential backoff doubles from its base up to its cap, with full jitter", "[serving][admission]") {
  serving::RetryBackoff b;
  b.base_s = 1.5;
  b.cap_s = 10;
  // The jitter's upper end: 1.5, 3, 6, then the cap of 10 (not 12, 24, ...).
  CHECK(b.delay_s(0, 0.999) == Approx(0.999 * 1.5));
  CHECK(b.delay_s(1, 0.5) == Approx(1.5));
  CHECK(b.delay_s(2, 0.25) == Approx(1.5));
  CHECK(b.delay_s(3, 0.5) == Approx(5.0));
  CHECK(b.delay_s(7, 0.5) == Approx(5.0));
  CHECK(b.delay_s(2, 0.0) == 0.0);
  // Drawn with a stream, the delays after attempt n average min(cap, base 2^n) / 2 (uniform: sd m/√3).
  Rng rng(17);
  for (int n = 0; n < 5; ++n) {
    Tally t;
    for (int i = 0; i < 100'000; ++i) t.add(b.delay_s(n, rng.uniform()));
    const double m = std::min(10.0, 1.5 * std::ldexp(1.0, n));
    INFO("attempt " << n);
    CHECK(t.mean() == Approx(m / 2).margin(4 * m / std::sqrt(3.0) / 2 / std::sqrt(1e5)));
    CHECK(t.max() <= m);
  }
  // Fixed backoff always waits its base, whatever the attempt.
  b.exponential = false;
  CHECK(b.delay_s(0, 0.3) == 1.5);
  CHECK(b.delay_s(6, 0.9) == 1.5);
}

TEST_CASE("retries raise the offered load by the expected factor", "[serving][admission]") {
  // Drop probability p = 0.3, retry probability r = 0.5, at most 10 attempts: each first attempt makes
  // (1 − (pr)^10)/(1 − pr) attempts on average.
  std::string text = queue_scenario(30, 20, 100, "deterministic", 0.01);
  text.insert(text.find("[[serving.gpu_types]]"),
              "[serving.retry]\nprobability = 0.5\nbackoff = \"fixed\"\nbase = \"0.1 s\"\nmax_attempts = 10\n"
              "[[serving.admission]]\ntier = \"all\"\ndrop_probability = 0.3\n");
  auto b = build(text);
  b->run->execute();
  b->run->check_invariants();
  const auto f = b->serving->figures(0, 0);
  const double pr = 0.15;
  const double expected = (1 - std::pow(pr, 10)) / (1 - pr);
  const double ratio = static_cast<double>(f.attempts) / static_cast<double>(f.first_attempts);
  // Attempts per first attempt are geometric: variance pr/(1 − pr)², n ≈ 1.8 M first attempts.
  const double sd = std::sqrt(pr / ((1 - pr) * (1 - pr)) / static_cast<double>(f.first_attempts));
  INFO("attempts per first attempt " << ratio << ", expected " << expected << " ± " << sd);
  CHECK(std::abs(ratio - expected) <= 4 * sd);
  CHECK(f.retries == f.attempts - f.first_attempts);
}

TEST_CASE("a daily quota rejects attempts as the Poisson user model predicts", "[serving][admission]") {
  // 86,400 users each attempting 5 requests a day on average, quota 3: by the Palm property an attempt
  // made when the mean count per user is m is over quota with probability P(Poisson(m) >= 3); averaged
  // over the day (m rising linearly from 0 to 5) the rejected fraction is (1/5) ∫_0^5 P(Poisson(m) >= 3) dm.
  std::string text = queue_scenario(48, 5, 100, "deterministic", 0.01);
  text.insert(text.find("[[serving.gpu_types]]"),
              "[[serving.admission]]\ntier = \"all\"\nclass = \"job\"\ndaily_quota = 3\n");
  text.replace(text.find("warmup = \"5 h\""), 14, "warmup = \"24 h\"");
  auto b = build(text);
  b->run->execute();
  const auto f = b->serving->figures(0, 0);
  double integral = 0;
  const int n = 5000;
  for (int i = 0; i < n; ++i) integral += serving::prob_at_least(3, 5.0 * (i + 0.5) / n) / n;
  const double measured = static_cast<double>(f.rejected[1]) / static_cast<double>(f.attempts);
  INFO("rejected fraction " << measured << ", model " << integral);
  CHECK(measured == Approx(integral).margin(4 * std::sqrt(integral * (1 - integral) / static_cast<double>(f.attempts))));
}

TEST_CASE("strict priority serves paid requests first and shedding drops only the free tier", "[serving][admission]") {
  // 10 GPUs at 110 % load: free requests queue up and are shed past 20 s; paid ones barely wait.
  std::string text = queue_scenario(10, 11, 10, "exponential");
  text.replace(text.find("[[workload.tiers]]\nname = \"all\"\nshare = 1\npatience = \"infinite\"\n"),
               std::string("[[workload.tiers]]\nname = \"all\"\nshare = 1\npatience = \"infinite\"\n").size(),
               "[[workload.tiers]]\nname = \"free\"\nshare = 0.8\npatience = \"infinite\"\n"
               "[[workload.tiers]]\nname = \"paid\"\nshare = 0.2\npatience = \"infinite\"\n");
  text.insert(text.find("[[serving.gpu_types]]"),
              "[serving]\npriority_tiers = [\"paid\"]\n[[serving.admission]]\ntier = \"free\"\nshed_above_delay = \"20 s\"\n");
  auto b = build(text);
  b->run->execute();
  b->run->check_invariants();
  const auto free = b->serving->figures(0, 0), paid = b->serving->figures(0, 1);
  CHECK(free.shed > 0);
  CHECK(paid.shed == 0);
  CHECK(paid.wait.mean() < 0.1 * free.wait.mean());
  CHECK(free.wait.mean() < 25.0);  // shedding caps the queue near the threshold
}

TEST_CASE("three priority tiers wait as Cobham's formula for non-preemptive M/M/c priority queues says",
          "[serving][admission][validation]") {
  // 10 GPUs, exponential service of mean 2.5 s (μ = 0.4 /s), ρ = 0.9 split paid 15 %, plus 25 %, free 60 %,
  // lanes in the order priority_tiers = ["paid", "plus"], free last. With equal service rates (Cobham 1954;
  // Kleinrock vol. 2 §3.7) W_k = [C(c, a) / (c μ)] / ((1 − σ_{k−1})(1 − σ_k)), σ_k the load of lanes 1..k.
  // Reversing paid and plus moves their waits to 0.34 s and 0.22 s, far outside the intervals below.
  const double mu = 0.4, lambda = 0.9 * 10 * mu;
  std::string text = queue_scenario(20, lambda, 10, "exponential", 1 / mu);
  const std::string one_tier = "[[workload.tiers]]\nname = \"all\"\nshare = 1\npatience = \"infinite\"\n";
  text.replace(text.find(one_tier), one_tier.size(),
               "[[workload.tiers]]\nname = \"free\"\nshare = 0.6\npatience = \"infinite\"\n"
               "[[workload.tiers]]\nname = \"paid\"\nshare = 0.15\npatience = \"infinite\"\n"
               "[[workload.tiers]]\nname = \"plus\"\nshare = 0.25\npatience = \"infinite\"\n");
  text.insert(text.find("[[serving.gpu_types]]"), "[serving]\npriority_tiers = [\"paid\", \"plus\"]\n");
  const double share[3] = {0.6, 0.15, 0.25};  // tiers in file order: free, paid, plus
  const double base = queueing::erlang_c(10, lambda / mu) / (10 * mu);
  const double s1 = 0.15 * 0.9, s2 = s1 + 0.25 * 0.9, s3 = 0.9;
  const double expected[3] = {base / ((1 - s2) * (1 - s3)), base / (1 - s1), base / ((1 - s1) * (1 - s2))};
  const int n = 8;
  Tally reps[3], rate[3];
  for (int r = 0; r < n; ++r) {
    auto b = build(text, static_cast<std::uint64_t>(r));
    b->run->execute();
    b->run->check_invariants();
    const double span = (b->run->engine().now() - b->run->settings().warmup).to_seconds();
    for (std::size_t k = 0; k < 3; ++k) {
      const auto f = b->serving->figures(0, k);
      reps[k].add(f.wait.mean());
      rate[k].add(static_cast<double>(f.completed) / span);
    }
  }
  const char* names[3] = {"free", "paid", "plus"};
  for (std::size_t k = 0; k < 3; ++k) {
    const double half = student_t_quantile(0.975, n - 1) * reps[k].stddev() / std::sqrt(static_cast<double>(n));
    INFO(names[k] << ": mean wait " << reps[k].mean() << " ± " << half << " s, Cobham " << expected[k] << " s");
    CHECK(std::abs(reps[k].mean() - expected[k]) <= half);
    CHECK(half <= 0.05 * expected[k]);
    CHECK(rate[k].mean() == Approx(share[k] * lambda).epsilon(0.01));
  }
}

TEST_CASE("GPU failures leave the expected share of GPUs failed and sealed sites never repair", "[serving][failures]") {
  // MTBF 10 h per GPU (876 per GPU-year), repairs of mean 2 h: each GPU is failed 2/12 of the time.
  std::string text = queue_scenario(2000, 0.5, 40, "exponential");
  text.insert(text.find("[[serving.gpu_types]]"),
              "[serving.failures]\nrate_per_gpu_year = 876.6\nrepair_time = { kind = \"exponential\", mean = \"2 h\" }\n");
  auto b = build(text);
  b->run->execute();
  b->run->check_invariants();
  const auto info = b->run->summarize();
  const double failures = info.number("serving.c.failures");
  // Failures over 2000 h: each GPU fails at rate 1/10 h while up (10/12 of the time): 40 × 2000/12 ≈ 6667.
  CHECK(failures == Approx(40 * 2000.0 / 12).epsilon(4 / std::sqrt(40 * 2000.0 / 12)));

  std::string sealed = queue_scenario(200, 0.5, 40, "exponential");
  sealed.insert(sealed.find("[[serving.gpu_types]]"), "[serving.failures]\nrate_per_gpu_year = 876.6\n");
  sealed.replace(sealed.find("name = \"s\"\n"), 11, "name = \"s\"\nrepairs = false\n");
  auto s = build(sealed);
  s->run->execute();
  s->run->check_invariants();
  const auto si = s->run->summarize();
  // Without repairs GPUs only go: after 200 h at MTBF 10 h few of the 40 remain (40 e^-20 ≈ 0).
  CHECK(si.number("serving.c.failures") == 40);
}

TEST_CASE("scheduled deliveries, removals and drains change the GPUs on line", "[serving][fleet]") {
  std::string text = queue_scenario(30, 5, 10, "exponential");
  text.insert(text.find("[[serving.gpu_types]]"),
              "[[serving.fleet_changes]]\nat = \"10 h\"\ncluster = \"c\"\nadd = 6\ncommissioning = \"2 h\"\n"
              "[[serving.fleet_changes]]\nat = \"20 h\"\ncluster = \"c\"\nremove = 4\n"
              "[[serving.fleet_changes]]\nat = \"24 h\"\ncluster = \"c\"\ndrain = 5\nduration = \"3 h\"\n");
  text.replace(text.find("sample_interval = \"5 h\""), 23, "sample_interval = \"1 h\"");
  struct Sink : SampleSink {
    std::size_t col = 0;
    std::vector<double> active;
    void begin(std::span<const SeriesInfo> cols) override {
      for (std::size_t i = 0; i < cols.size(); ++i) {
        if (cols[i].path == "serving/c/active_gpus") col = i;
      }
    }
    void row(SimTime, std::span<const double> v) override { active.push_back(v[col]); }
  } sink;
  auto b = build(text);
  b->run->add_sink(sink);
  b->run->execute();
  b->run->check_invariants();
  REQUIRE(sink.active.size() == 30);
  CHECK(sink.active[10] == 10);  // at 11 h: the delivery is still commissioning
  CHECK(sink.active[12] == 16);  // at 13 h: on line
  CHECK(sink.active[21] == 12);  // at 22 h: 4 removed
  CHECK(sink.active[25] == 7);   // at 26 h: 5 drained
  CHECK(sink.active[28] == 12);  // at 29 h: back
}

TEST_CASE("energy is power integrated exactly and attributed to requests", "[serving][energy]") {
  // Deterministic 1-s jobs at 683 W on 10 GPUs: each request carries 683 J of busy GPU energy.
  auto b = build(queue_scenario(10, 5, 10, "deterministic"));
  b->run->execute();
  CHECK_NOTHROW(b->run->check_invariants());  // ∫ power = Σ per-GPU energy + overhead, to 1e-9
  const auto s = b->run->summarize();
  CHECK(s.number("serving.job.energy_per_request_busy_wh") == Approx(683.0 / 3600).epsilon(1e-9));
  // IT energy: busy 5 GPUs × 683 W + idle 5 × 140 W + overhead 10 × 1500/8 W, per 5 requests/s.
  const double it_w = 5 * 683.0 + 5 * 140.0 + 10 * 187.5;
  CHECK(s.number("serving.job.energy_per_request_it_wh") == Approx(it_w / 5 / 3600).epsilon(0.01));
  // On the basis of Luccioni et al. (GPU and host while serving, no idle): 683 W and the host's 187.5 W per
  // GPU for the 1 s of each job, exactly; below the IT figure, which carries the idle half of the fleet.
  CHECK(s.number("serving.job.energy_per_request_inference_wh") == Approx((683.0 + 187.5) / 3600).epsilon(1e-9));
  CHECK(s.number("serving.job.inference_energy_kwh") ==
        Approx(s.number("serving.job.energy_per_request_inference_wh") * s.number("serving.job.all.completed") / 1000).epsilon(1e-9));
  CHECK(s.number("serving.job.it_energy_kwh") == Approx(s.number("serving.it_energy_kwh")).epsilon(1e-12));  // one class
  CHECK(s.number("serving.job.energy_per_request_inference_wh") < 0.75 * s.number("serving.job.energy_per_request_it_wh"));
}

TEST_CASE("malformed serving sections give located errors", "[serving]") {
  struct Bad {
    std::string from, to, message;
  };
  const std::vector<Bad> cases = {
      {"gpu = \"server\"", "gpu = \"h100\"", "did you mean \"h100_sxm\"?"},
      {"class = \"job\"\ngpu", "class = \"jobs\"\ngpu", "did you mean \"job\"?"},
      {"gpus = 10", "gpus = -1", "expected an integer in [0, 10000000], found -1"},
      {"active_power = \"683 W\"", "active_power = \"800 W\"", "active powers within the power limit"},
      {"distribution = { kind = \"exponential\" }", "distribution = { kind = \"weibull\" }",
       "expected one of \"deterministic\", \"exponential\", \"lognormal\", found \"weibull\""},
  };
  for (const auto& c : cases) {
    std::string text = queue_scenario(1, 1, 10, "exponential");
    text.replace(text.find(c.from), c.from.size(), c.to);
    INFO(c.to);
    CHECK_THROWS_WITH(build(text), Catch::Contains("test.toml:") && Catch::Contains(c.message));
  }
}

TEST_CASE("the routing hook steers requests and the hazard hook scales failures", "[serving]") {
  std::string text = queue_scenario(10, 5, 10, "exponential");
  text += "[[sites.clusters]]\nname = \"other\"\nclass = \"job\"\ngpu = \"server\"\ngpus = 10\n";
  text.insert(text.find("[[serving.gpu_types]]"), "[serving.failures]\nrate_per_gpu_year = 8766\n");
  auto b = build(text);
  // Penalise cluster 0 heavily: everything goes to cluster 1 (e.g. a thermal-aware policy avoiding a hot site).
  b->serving->set_routing_hook([](std::size_t c) { return c == 0 ? 1e6 : 0.0; });
  // The base rate times 4 in cluster 0 (bound 4), no failures in cluster 1.
  b->serving->set_hazard([](std::size_t c, std::size_t) { return c == 0 ? 4.0 : 0.0; }, 4.0);
  b->run->execute();
  b->run->check_invariants();
  const auto s = b->run->summarize();
  CHECK(s.number("serving.c.utilisation") == 0.0);
  CHECK(s.number("serving.other.utilisation") > 0.4);
  CHECK(s.number("serving.other.failures") == 0);
  // 10 GPUs at 4 × 1/h (MTBF 15 min each while up, 24 h mean repair): almost all fail within 10 h.
  CHECK(s.number("serving.c.failures") >= 9);
}
