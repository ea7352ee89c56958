#include <catch2/catch.hpp>

#include <cmath>

#include "models/queueing/erlang.hpp"
#include "models/queueing/mmc.hpp"
#include "sim/core/run.hpp"
#include "tests/unit/build_run.hpp"

using namespace dcsim;

namespace {

struct MMcResult {
  double wq, hw, theory, little_gap, mean_in_system, prob_wait, erlang_c, lambda, throughput, utilisation, span_s;
  std::uint64_t customers;
};

// Service of mean 2.5 s (μ = 0.4 /s, so that a mean taken for a rate shows), λ = ρ c μ. The durations are
// in units of the mean service time: the number of customers is as for μ = 1.
MMcResult run_mmc(std::int64_t c, double rho, SimTime duration, SimTime warmup, std::uint64_t seed) {
  const double mu = 0.4;
  RunSettings rs;
  rs.duration = SimTime::from_seconds(duration.to_seconds() / mu);
  rs.warmup = SimTime::from_seconds(warmup.to_seconds() / mu);
  rs.sample_interval = SimTime::hours(1);
  rs.seed = seed;
  Run run(rs);
  queueing::MMcParams p;
  p.servers = c;
  p.service_rate = mu;
  p.arrival_rate = rho * static_cast<double>(c) * mu;
  auto& m = run.emplace_model<queueing::MMcModel>("mmc", p, rs.duration - rs.warmup);
  run.execute();
  run.check_invariants();
  const Summary s = run.summarize();
  return {s.number("mmc.mean_wait_s"),
          s.number("mmc.mean_wait_ci95_s"),
          queueing::mmc_mean_wait(c, p.arrival_rate, mu),
          s.number("mmc.little_l_minus_lambda_w"),
          s.number("mmc.mean_in_system"),
          s.number("mmc.prob_wait"),
          queueing::erlang_c(c, p.arrival_rate / mu),
          p.arrival_rate,
          s.number("mmc.throughput_per_s"),
          s.number("mmc.utilisation"),
          (rs.duration - rs.warmup).to_seconds(),
          m.completions()};
}

}  // namespace

// DOMAIN.md §9b: choose the run length so that the 95 % batch-means half-width is a few percent of the
// theoretical value, then require |estimate - theory| <= 3 half-widths, and that the half-width itself is
// below the intended precision (so the test cannot pass by being noisy).
TEST_CASE("M/M/c mean wait matches Erlang C at rho = 0.5, 0.8 and 0.95", "[mmc][validation]") {
  struct Case {
    double rho;
    double hours;
    double precision;  // required relative half-width
  };
  const Case cs = GENERATE(Case{0.5, 2000, 0.05}, Case{0.8, 500, 0.03}, Case{0.95, 2000, 0.05});
  const std::int64_t c = 8;
  const auto r = run_mmc(c, cs.rho, SimTime::from_seconds(cs.hours * 3600), SimTime::hours(10), 12345);
  INFO("rho " << cs.rho << ": W_q " << r.wq << " ± " << r.hw << " (theory " << r.theory << "), " << r.customers
              << " customers");
  CHECK(r.hw <= cs.precision * r.theory);
  CHECK(std::abs(r.wq - r.theory) <= 3 * r.hw);
  // Erlang C's probability of waiting; its binomial-like standard error is tiny next to the wait's.
  CHECK(std::abs(r.prob_wait - r.erlang_c) <= 3 * r.hw / r.theory * r.erlang_c + 0.01);
  // Little's law on the measured figures: L = λW up to edge effects of the window.
  CHECK(std::abs(r.little_gap) <= 1e-3 * r.mean_in_system);
  // Throughput is the arrival rate (Poisson count: sd √(λT)/T) and utilisation ρ (4 sd of the count's
  // share, plus the busy servers' correlation: 1 %).
  CHECK(r.throughput == Approx(r.lambda).margin(4 * std::sqrt(r.lambda * r.span_s) / r.span_s));
  CHECK(r.utilisation == Approx(cs.rho).epsilon(0.01));
}

TEST_CASE("a scenario's M/M/c sizes its batch means for about 32 batches over the measured span", "[mmc]") {
  // 2 h after a 30-min warm-up at λ = 57.6 /s: batches of 57.6 × 5400 / 32 customers.
  auto b = test::build_run("[simulation]\nduration = \"2 h\"\nwarmup = \"30 min\"\nsample_interval = \"10 min\"\n"
                           "[mmc]\narrival_rate = \"57.6 /s\"\nservice_rate = \"0.4 /s\"\nservers = 160\n");
  b->run->execute();
  const Summary s = b->run->summarize();
  CHECK(s.number("mmc.mean_wait_batches") >= 31);
  CHECK(s.number("mmc.mean_wait_batches") <= 33);
  CHECK(s.number("mmc.arrival_rate_per_s") == Approx(57.6).margin(4 * std::sqrt(57.6 * 5400) / 5400));
}

TEST_CASE("M/M/c/K rejects arrivals beyond its capacity and conserves customers", "[mmc]") {
  RunSettings rs;
  rs.duration = SimTime::hours(200);
  rs.sample_interval = SimTime::hours(1);
  Run run(rs);
  queueing::MMcParams p;
  p.servers = 2;
  p.service_rate = 1.0;
  p.arrival_rate = 3.0;  // overloaded: only the capacity keeps it stable
  p.capacity = 4;
  auto& m = run.emplace_model<queueing::MMcModel>("mmc", p, rs.duration);
  run.execute();
  CHECK_NOTHROW(run.check_invariants());
  CHECK(m.in_system() <= 4);
  // M/M/2/4 blocking probability (birth-death chain): p_n ∝ a^n/n! for n <= 2, then a^2/2·(a/2)^(n-2).
  const double a = 3.0;
  const double w[] = {1, a, a * a / 2, a * a / 2 * (a / 2), a * a / 2 * (a / 2) * (a / 2)};
  double z = 0;
  for (double x : w) z += x;
  const double blocking = w[4] / z;
  const double measured = static_cast<double>(m.rejections()) / static_cast<double>(m.arrivals());
  // Standard error of a proportion from ~2e6 correlated arrivals: allow 0.005 absolute.
  CHECK(measured == Approx(blocking).margin(0.005));
}

TEST_CASE("the M/M/c probes own their interval state: the sample interval changes no result", "[mmc][sampling]") {
  const auto summary_at = [](const std::string& interval) {
    auto b = test::build_run("[simulation]\nduration = \"3 h\"\nwarmup = \"20 min\"\nsample_interval = \"" + interval +
                             "\"\n[mmc]\narrival_rate = \"7 /s\"\nservice_rate = \"1 /s\"\nservers = 8\ncapacity = 40\n");
    b->run->execute();
    return b->run->summarize();
  };
  const Summary ref = summary_at("1 min");
  for (const char* interval : {"7 min", "1 h", "61 s"}) {
    const Summary s = summary_at(interval);
    REQUIRE(s.entries().size() == ref.entries().size());
    for (std::size_t i = 0; i < ref.entries().size(); ++i) {
      const auto& a = ref.entries()[i];
      if (a.name == "run.samples" || a.name == "run.events") continue;  // sampling is counted in these two
      INFO(interval << ": " << a.name);
      CHECK(a.value == s.entries()[i].value);  // bit for bit
    }
  }
}
