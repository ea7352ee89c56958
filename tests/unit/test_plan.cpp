// The planner's pieces: SLOs, variables, the search against oracles with known thresholds, the Pareto
// front and the wrong-way check; and the plan itself on M/M/c, against Erlang C.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <random>
#include <string>
#include <unistd.h>

#include "models/queueing/erlang.hpp"
#include "sim/cli/job.hpp"
#include "sim/cli/plan_run.hpp"
#include "sim/io/scenario.hpp"
#include "sim/study/plan.hpp"

using namespace dcsim;
using study::LeastFeasible;

namespace {

// Runs the search against "feasible iff x >= t" with k candidates a stage; returns the answer and counts.
struct Searched {
  std::optional<std::int64_t> answer;
  std::size_t evaluations = 0, stages = 0;
};
Searched search(std::int64_t lo, std::int64_t hi, std::int64_t start, std::size_t k, auto feasible) {
  LeastFeasible s(lo, hi, start);
  Searched out;
  while (!s.done()) {
    const auto c = s.propose(k);
    REQUIRE(!c.empty());
    REQUIRE(c.size() <= k);
    for (const auto x : c) {
      REQUIRE(x >= lo);
      REQUIRE(x <= hi);
      s.observe(x, feasible(x));
    }
    ++out.stages;
    out.evaluations += c.size();
    REQUIRE(out.stages < 200);
  }
  out.answer = s.answer();
  return out;
}

}  // namespace

TEST_CASE("plan: an SLO is METRIC<VALUE or METRIC>VALUE; anything else is refused with what was expected", "[plan]") {
  const auto s = study::parse_slo("serving.image.paid.response_p99_s < 30");
  CHECK(s.metric == "serving.image.paid.response_p99_s");
  CHECK(s.below);
  CHECK(s.bound == 30);
  CHECK_FALSE(study::parse_slo("facility.pue>=1.1").below);
  CHECK(study::parse_slo("facility.pue>=1.1").bound == Approx(1.1));
  for (const char* bad : {"p99", "<3", "x<", "x<abc", "x<3 s", "x y<3", "x<inf"}) {
    INFO(bad);
    CHECK_THROWS_AS(study::parse_slo(bad), std::invalid_argument);
  }
  CHECK_THROWS_WITH(study::parse_slo("x<3 s"), Catch::Contains("in the metric's unit"));
}

TEST_CASE("plan: an SLO is met when the one-sided confidence bound of the mean is beyond it", "[plan]") {
  const study::Slo below = study::parse_slo("m<9.9");
  // mean 9, s = sqrt(2/3), n = 4: upper 95 % bound 9 + 2.3534 * 0.408 = 9.961 (t_{3, 0.95} = 2.3534).
  const std::vector<double> v = {8, 9, 9, 10};
  const double s = std::sqrt(2.0 / 3.0);
  double b = 0;
  CHECK_FALSE(study::slo_met(below, v, 0.95, study::Statistic::mean, &b));
  CHECK(b == Approx(9 + 2.353363 * s / 2).epsilon(1e-6));
  CHECK(study::slo_met(below, v, 0.80, study::Statistic::mean, &b));  // t_{3, 0.80} = 0.9785: 9.399
  CHECK(b == Approx(9 + 0.978472 * s / 2).epsilon(1e-6));
  CHECK(study::slo_met(study::parse_slo("m>8"), v, 0.95, study::Statistic::mean, &b));
  CHECK(b == Approx(9 - 2.353363 * s / 2).epsilon(1e-6));
  CHECK_FALSE(study::slo_met(below, std::vector<double>{1}, 0.95, study::Statistic::mean));               // one value: no confidence
  CHECK_FALSE(study::slo_met(below, std::vector<double>{NAN, NAN, NAN}, 0.95, study::Statistic::mean));   // every run failed
}

TEST_CASE("plan: the median's bound is the order statistic that the binomial tail gives", "[plan]") {
  const study::Slo below = study::parse_slo("m<10");
  const study::Slo above = study::parse_slo("m>0");
  const auto med = study::Statistic::median;
  // n = 5 at 0.95: P(Bin(5, 1/2) >= 5) = 1/32 <= 0.05 < P(>= 4) = 6/32, so the bound is the largest value.
  const std::vector<double> five = {3, 1, 4, 1.5, 9};
  CHECK(study::slo_bound(below, five, 0.95, med) == 9);
  CHECK(study::slo_bound(above, five, 0.95, med) == 1);
  CHECK(study::median(five) == 3);
  // At 0.80: P(>= 4) = 6/32 = 0.1875 <= 0.2, so the 4th smallest.
  CHECK(study::slo_bound(below, five, 0.80, med) == 4);
  CHECK(study::slo_bound(above, five, 0.80, med) == 1.5);
  // n = 10 at 0.95: P(>= 9) = 11/1024 <= 0.05 < P(>= 8) = 56/1024: the 9th smallest, the second largest.
  const std::vector<double> ten = {10, 1, 9, 2, 8, 3, 7, 4, 6, 5};
  CHECK(study::slo_bound(below, ten, 0.95, med) == 9);
  CHECK(study::slo_bound(above, ten, 0.95, med) == 2);
  CHECK(study::median(ten) == 5.5);
  // Too few for the confidence: 0.5^4 = 0.0625 > 0.05, and 0.5^5 <= 0.05; at 0.99, 7 (0.5^7 = 0.0078).
  CHECK(std::isnan(study::slo_bound(below, std::vector<double>{1, 2, 3, 4}, 0.95, med)));
  CHECK(study::min_replicas(0.95) == 5);
  CHECK(study::min_replicas(0.99) == 7);
  CHECK(study::min_replicas(0.75) == 2);
  CHECK_FALSE(study::slo_met(below, std::vector<double>{1, 2, 3, 4}, 0.95, med));
  // A failed run is not a value: four finite ones are too few.
  CHECK_FALSE(study::slo_met(below, std::vector<double>{1, 2, NAN, 3, 4}, 0.95, med));
  CHECK(study::slo_met(below, five, 0.95, med));
  CHECK_FALSE(study::slo_met(study::parse_slo("m<9"), five, 0.95, med));  // the bound must be strictly below
  CHECK(study::parse_statistic("median") == med);
  CHECK_THROWS_WITH(study::parse_statistic("p50"), Catch::Contains("expected 'median' or 'mean', found 'p50'"));
}

TEST_CASE("plan: the median's bound wrongly accepts a metric whose median is the SLO at the binomial rate", "[plan]") {
  // Skewed values (lognormal, median exp(0) = 1) with the SLO at the true median: "met" exactly when the
  // bound falls below 1, whose probability is the binomial tail, 1/32 for n = 5 and 11/1024 for n = 10 at
  // 0.95, whatever the distribution. Independent trials: the binomial error of the rate is the right one.
  const study::Slo at_median = study::parse_slo("m<1");
  std::mt19937_64 rng(20261203);
  std::lognormal_distribution<double> d(0.0, 1.0);
  for (const auto& [n, p] : {std::pair<std::size_t, double>{5, 1.0 / 32}, {10, 11.0 / 1024}}) {
    const int trials = 200000;
    int met = 0;
    std::vector<double> v(n);
    for (int t = 0; t < trials; ++t) {
      for (auto& x : v) x = d(rng);
      met += study::slo_met(at_median, v, 0.95, study::Statistic::median);
    }
    const double rate = static_cast<double>(met) / trials;
    const double sd = std::sqrt(p * (1 - p) / trials);
    INFO("n = " << n << ": rate " << rate << ", expected " << p);
    CHECK(std::fabs(rate - p) < 4 * sd);
  }
}

TEST_CASE("plan: the search finds every threshold of a monotone oracle, in logarithmically many evaluations", "[plan]") {
  for (const std::size_t k : {1u, 2u, 3u, 7u}) {
    for (const std::int64_t start : {1, 37, 100, 5000}) {
      for (std::int64_t t = 1; t <= 1000; t += (t < 20 ? 1 : 37)) {
        INFO("k " << k << ", start " << start << ", threshold " << t);
        const auto r = search(1, 1000, start, k, [&](std::int64_t x) { return x >= t; });
        REQUIRE(r.answer);
        CHECK(*r.answer == t);
        CHECK(r.stages <= 2 * 10 + 2);  // doubling to the bracket, then halving it: ~2 log2(1000)
      }
    }
  }
  // k-ary: more candidates a stage, fewer stages.
  const auto one = search(1, 1 << 20, 1, 1, [](std::int64_t x) { return x >= 777'777; });
  const auto seven = search(1, 1 << 20, 1, 7, [](std::int64_t x) { return x >= 777'777; });
  CHECK(*one.answer == 777'777);
  CHECK(*seven.answer == 777'777);
  CHECK(seven.stages * 2 < one.stages);
}

TEST_CASE("plan: the bounds are boundary cases, and nothing feasible is infeasible", "[plan]") {
  auto r = search(5, 900, 100, 1, [](std::int64_t) { return true; });
  CHECK(*r.answer == 5);  // the least value of the range
  r = search(5, 900, 100, 1, [](std::int64_t x) { return x >= 900; });
  CHECK(*r.answer == 900);  // the largest
  r = search(5, 900, 100, 2, [](std::int64_t) { return false; });
  CHECK_FALSE(r.answer);  // infeasible: the maximum was tried and failed
  LeastFeasible one(3, 3, 3);
  CHECK(one.propose(4) == std::vector<std::int64_t>{3});
  one.observe(3, false);
  CHECK(one.done());
  CHECK_FALSE(one.answer());
}

TEST_CASE("plan: a non-monotone oracle is counted, and the answer is the least feasible value tried", "[plan]") {
  LeastFeasible s(1, 64, 16);
  // Feasible only in [12, 20]: the first stage tries 16 (feasible) and 32 (not), then the search goes down
  // from 16: 8 and 4 fail, 11 fails, 13 and then 12 meet it.
  const auto oracle = [](std::int64_t x) { return x >= 12 && x <= 20; };
  while (!s.done()) {
    for (const auto x : s.propose(2)) s.observe(x, oracle(x));
  }
  CHECK(s.tried().count(32));
  CHECK(s.contradictions() == 3);  // 12, 13 and 16 met it below 32, which did not
  CHECK(*s.answer() == 12);
}

TEST_CASE("plan: the Pareto front is the rows no other row dominates", "[plan]") {
  // cost, latency
  const std::vector<std::vector<double>> rows = {{10, 5}, {12, 3}, {11, 6}, {15, 3}, {9, 9}, {10, 5}, {NAN, 1}};
  const auto f = study::pareto_front(rows);
  CHECK(f == std::vector<std::size_t>{0, 1, 4, 5});  // equal rows do not dominate each other
  CHECK(study::pareto_front({}).empty());
}

TEST_CASE("plan: a metric that worsens with capacity beyond chance is flagged, noise is not", "[plan]") {
  const study::Slo slo = study::parse_slo("m<1");
  std::mt19937_64 g(7);
  std::normal_distribution<double> n(0, 1);
  std::vector<std::vector<double>> v(3);
  for (int k = 0; k < 10; ++k) {
    const double common = n(g);
    v[0].push_back(5 + common + 0.01 * n(g));
    v[1].push_back(4 + common + 0.01 * n(g));  // better
    v[2].push_back(4.5 + common + 0.01 * n(g));  // worse than its smaller neighbour: wrong way
  }
  const auto w = study::wrong_way(slo, v, 0.95);
  REQUIRE(w.size() == 1);
  CHECK(w[0] == std::make_pair<std::size_t, std::size_t>(1, 2));
  // Pure noise around one mean: not flagged (with these seeds; the check is a 95 % test per pair).
  std::vector<std::vector<double>> flat(2);
  for (int k = 0; k < 10; ++k) flat[0].push_back(n(g)), flat[1].push_back(n(g));
  CHECK(study::wrong_way(slo, flat, 0.95).empty());
}

TEST_CASE("plan: --vary is read against the parameter tables: capacities are searched, other keys enumerated", "[plan]") {
  const ConfigValue root = io::parse_toml(
      "[mmc]\narrival_rate = \"57.6 /s\"\nservice_rate = \"1 /s\"\nservers = 64\n"
      "[[sites]]\nname = \"s\"\n[[sites.cooling]]\nname = \"l\"\nkind = \"air_chiller\"\ndesign_heat = \"250 kW\"\n",
      "t.toml");
  const auto& schema = cli::scenario_schema();
  auto v = study::read_var("mmc.servers", schema, root, {});
  CHECK(v.search);
  CHECK(v.integer);
  CHECK(v.lo == 1);
  CHECK(v.hi == 64 * 64);
  CHECK(v.start == 64);
  v = study::read_var("mmc.servers=10..100", schema, root, {});
  CHECK((v.lo == 10 && v.hi == 100 && v.start == 64));
  v = study::read_var("mmc.servers", schema, root, {"", "", "8"});
  CHECK(v.step == 8);
  CHECK(v.text(v.start) == "64");
  // A quantity: steps of a power of ten below 1 % of the scenario's value (250 kW: 1 kW).
  v = study::read_var("sites[0].cooling[0].design_heat", schema, root, {"100 kW", "1 MW", ""});
  CHECK(v.step == 1000);
  CHECK((v.lo == 100 && v.hi == 1000 && v.start == 250));
  CHECK(v.text(250) == "250000 W");
  // Enumerated.
  v = study::read_var("sites[0].cooling[0].kind=air_chiller,liquid_dry_cooler", schema, root, {});
  CHECK_FALSE(v.search);
  REQUIRE(v.values.size() == 2);
  CHECK(v.values[1].as_string() == "liquid_dry_cooler");
  v = study::read_var("mmc.servers=60:70:5", schema, root, {});
  REQUIRE(v.values.size() == 3);
  CHECK(v.values[2].as_integer() == 70);
  // Refused.
  const auto refused = [&](const std::string& arg, const study::VaryBounds& b, const std::string& what) {
    INFO(arg);
    CHECK_THROWS_WITH(study::read_var(arg, schema, root, b), Catch::Contains(what));
  };
  refused("mmc.arrival_rate", {}, "not a capacity the planner can size");
  refused("sites[0].cooling[0].kind", {}, "not a capacity");
  refused("mmc.nonsense", {}, "not a scenario key");
  refused("mmc.servers", {"0", "", ""}, "expected bounds in [1, 10000000]");
  refused("mmc.servers", {"100", "10", ""}, "min <= max");
  refused("mmc.servers", {"ten", "", ""}, "expected an integer");
  refused("mmc.servers=1..5", {"", "9", ""}, "not both");
  refused("sites[0].cooling[0].design_heat", {"100 kg", "", ""}, "expected a power");
  refused("sites[0].grid_limit", {}, "no value to start from; give --max");
}

namespace {

// An M/M/c plan, in-process: the least c with mean wait below `slo_s`.
std::optional<std::int64_t> plan_mmc(double lambda, double slo_s, std::uint64_t seed, const std::string& duration,
                                     const std::string& min = "", const std::string& max = "", std::size_t replicas = 5) {
  const std::string dir = std::filesystem::temp_directory_path() / ("dcsim_plan_" + std::to_string(::getpid()) + "_" +
                                                                   std::to_string(seed) + "_" + std::to_string(lambda));
  std::filesystem::remove_all(dir);
  cli::PlanSpec s;
  s.path = DCSIM_SOURCE_DIR "/scenarios/mmc.toml";
  s.overrides = {"mmc.arrival_rate=\"" + std::to_string(lambda) + " /s\"", "simulation.duration=\"" + duration + "\"",
                 "simulation.warmup=\"5 min\"", "simulation.seed=" + std::to_string(seed)};
  const io::Scenario sc = io::load_scenario(s.path, s.overrides);
  s.vars.push_back(study::read_var("mmc.servers", cli::scenario_schema(), sc.root, {min, max, ""}));
  s.slos.push_back(study::parse_slo("mmc.mean_wait_s<" + std::to_string(slo_s)));
  s.replicas = replicas;
  cli::PlanOptions o;
  o.dir = dir;
  o.threads = 2;
  o.progress = false;
  const cli::PlanResult r = cli::run_plan(s, o);
  std::filesystem::remove_all(dir);
  if (!r.chosen) return std::nullopt;
  return *r.points[*r.chosen].k;
}

// Erlang C: the least c with W_q(c) < w.
std::int64_t erlang_least(double lambda, double mu, double w) {
  for (std::int64_t c = static_cast<std::int64_t>(std::floor(lambda / mu)) + 1;; ++c) {
    if (queueing::mmc_mean_wait(c, lambda, mu) < w) return c;
  }
}

}  // namespace

TEST_CASE("plan: on M/M/c the plan finds the c that Erlang C gives for a waiting-time SLO", "[plan][mmc]") {
  // (λ, SLO) chosen so that W_q at the answer and one below it are well apart from the SLO (at least three
  // standard deviations of a 1-h run's mean wait, so that the largest of 5 replicas, the median's 95 %
  // bound, falls on the same side as W_q): the plan must then find Erlang C's c.
  struct Case {
    double lambda, slo;
  };
  for (const Case c : {Case{57.6, 0.04}, Case{20.0, 0.1}, Case{100.0, 0.01}, Case{5.0, 0.2}}) {
    const std::int64_t want = erlang_least(c.lambda, 1.0, c.slo);
    INFO("lambda " << c.lambda << ", SLO " << c.slo << ", Erlang C: c = " << want << " (W_q " <<
         queueing::mmc_mean_wait(want, c.lambda, 1.0) << ", at c - 1: " <<
         queueing::mmc_mean_wait(want - 1, c.lambda, 1.0) << ")");
    CHECK(plan_mmc(c.lambda, c.slo, 1, "1 h") == want);
  }
  // Boundary: the range's least value already meets the SLO (c = 70 at λ = 20 hardly queues).
  CHECK(plan_mmc(20.0, 0.1, 1, "1 h", "70", "200") == 70);
  // Boundary: only the largest value does (λ = 57.6, W_q < 0.04 needs 65).
  CHECK(plan_mmc(57.6, 0.04, 1, "1 h", "40", "65") == 65);
  // Infeasible: below the largest value, nothing meets it.
  CHECK_FALSE(plan_mmc(57.6, 0.04, 1, "1 h", "40", "64"));
}
