// The pre-run estimate (sim/core/run_estimate.hpp): its arithmetic, the budget check, and each model's part
// against what a run does: the M/M/c part is the closed form 2λT, which a run's events match within their
// Poisson spread; the workload part is the integral of its rate; serving's in-flight bound follows Little's
// law for an overloaded cluster whose users give up.
#include <catch2/catch.hpp>

#include <cmath>

#include "build_run.hpp"
#include "queue_scenario.hpp"
#include "sim/core/units.hpp"

using namespace dcsim;

namespace {

const Demand* find_demand(const RunEstimate& e, const std::string& key) {
  for (const auto& d : e.demands()) {
    if (d.key == key) return &d;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("a run estimate sums its parts and names the largest when over budget", "[estimate]") {
  RunEstimate e;
  e.add({.key = "a", .what = "A", .events_per_s = 10, .bytes = 1000});
  e.add({.key = "b", .what = "B", .events_per_s = 30, .bytes = 10});
  CHECK(e.events(SimTime::seconds(100)) == Approx(4000));
  CHECK(e.bytes() == Approx(1010));
  CHECK(e.most_events()->key == "b");
  CHECK(e.most_memory()->key == "a");

  std::string key;
  CHECK(over_budget(e, RunBudget{.max_events = 4000, .max_bytes = 1010}, SimTime::seconds(100), key).empty());
  const std::string ev = over_budget(e, RunBudget{.max_events = 3999, .max_bytes = 1e9}, SimTime::seconds(100), key);
  CHECK(key == "b");
  CHECK_THAT(ev, Catch::Contains("about 4000 events") && Catch::Contains("simulation.max_events = 3999") &&
                     Catch::Contains("most of them from B"));
  const std::string mem = over_budget(e, RunBudget{.max_events = 1e9, .max_bytes = 1000}, SimTime::seconds(100), key);
  CHECK(key == "a");
  CHECK_THAT(mem, Catch::Contains("about 1010 B of memory") && Catch::Contains("the most for A"));
  // No memory budget (0) is no limit.
  CHECK(over_budget(e, RunBudget{.max_events = 1e9, .max_bytes = 0}, SimTime::seconds(100), key).empty());

  CHECK(format_bytes(512) == "512 B");
  CHECK(format_bytes(1.5 * 1024 * 1024) == "1.5 MiB");
  CHECK(format_bytes(40.0 * (1ull << 30)) == "40 GiB");
  CHECK(physical_memory_bytes() > 1e8);
}

TEST_CASE("memory budgets are written with byte units", "[estimate][units]") {
  CHECK(parse_quantity("16 GiB", qty::memory) == Approx(17179869184.0));
  CHECK(parse_quantity("1.5 kB", qty::memory) == Approx(1500));
  CHECK(parse_quantity("2 TB", qty::memory) == Approx(2e12));
  CHECK(parse_quantity("512 MiB", qty::memory) == Approx(536870912.0));
  CHECK_THROWS_WITH(parse_quantity("16 GW", qty::memory), Catch::Contains("amount of memory"));
  CHECK_THROWS(parse_quantity("16 GiB", qty::power));
}

TEST_CASE("the M/M/c estimate is 2λT, and a run's events match it within their Poisson spread", "[estimate][mmc]") {
  auto b = test::build_run(R"(
[simulation]
duration = "10000 s"
sample_interval = "100 s"
[mmc]
arrival_rate = "10 /s"
service_rate = "1 /s"
servers = 12
)");
  const RunEstimate e = b->run->estimate();
  const Demand* d = find_demand(e, "mmc.arrival_rate");
  REQUIRE(d);
  CHECK(d->events_per_s == Approx(20));
  CHECK(d->bytes == 0);  // ρ < 1: no lasting queue
  const double expected = e.events(SimTime::seconds(10000));
  CHECK(expected == Approx(2 * 10 * 10000 + 100));
  const RunOutcome out = b->run->execute();
  // Arrivals are Poisson(λT) (sd √(λT) = 316) and departures follow them: 5 sd of both.
  CHECK(std::abs(static_cast<double>(out.events) - expected) < 5 * 2 * std::sqrt(10.0 * 10000));
}

TEST_CASE("an overloaded M/M/c/K estimate holds its full queue; without K the queue grows as (λ − cμ)T",
          "[estimate][mmc]") {
  const std::string base = R"(
[simulation]
duration = "1000 s"
[mmc]
arrival_rate = "30 /s"
service_rate = "1 /s"
servers = 10
)";
  auto open = test::build_run(base);
  const double grows = find_demand(open->run->estimate(), "mmc.arrival_rate")->bytes;
  auto capped = test::build_run(base + "capacity = 110\n");
  const double full = find_demand(capped->run->estimate(), "mmc.arrival_rate")->bytes;
  CHECK(grows / full == Approx((30.0 - 10.0) * 1000 / 100));
}

TEST_CASE("the workload estimate is the integral of its rate, which a run's arrivals match", "[estimate][workload]") {
  auto b = test::build_run(R"(
[simulation]
duration = "2 h"
sample_interval = "10 min"
[workload]
[workload.population]
kind = "constant"
users = 864000
[workload.diurnal]
kind = "table"
hourly = [0.5, 1.5]
[[workload.classes]]
name = "image"
requests_per_user_day = 1
[[workload.tiers]]
name = "all"
share = 1
)");
  const RunEstimate e = b->run->estimate();
  const Demand* d = find_demand(e, "workload.classes[0].requests_per_user_day");
  REQUIRE(d);
  const double arrivals = d->events_per_s * 7200;
  const RunOutcome out = b->run->execute();
  const double events = static_cast<double>(out.events) - 12;  // less the 12 samples
  CHECK(std::abs(events - arrivals) < 5 * std::sqrt(arrivals));
}

TEST_CASE("serving's in-flight estimate of an overloaded cluster follows Little's law with patience",
          "[estimate][serving]") {
  // λ = 2 /s on 1 GPU serving one 1-s job at a time (μ = 1 /s): the queue settles where abandonment at
  // rate q/P balances the excess λ − μ, q ≈ (λ − μ)·P, so the memory for it scales with the patience.
  // λ = 2 /s (the helper's users × requests per user-day), one GPU of 1 s per job.
  auto scenario = [](const std::string& patience) {
    return test::queue_scenario(10, 2, 1, "deterministic", 1.0, "", "",
                                "{ kind = \"exponential\", mean = \"" + patience + "\" }");
  };
  auto in_flight = [&](const std::string& patience) {
    auto b = test::build_run(scenario(patience));
    const RunEstimate e = b->run->estimate();  // bound: a range-for over a temporary's member dangles
    for (const auto& d : e.demands()) {
      if (d.what.find("in flight") != std::string::npos) return d.bytes;
    }
    FAIL("no in-flight demand");
    return 0.0;
  };
  CHECK(in_flight("10 min") / in_flight("1 min") == Approx(10).epsilon(0.05));
}

TEST_CASE("locate finds a key's value, or its deepest present ancestor", "[estimate][config]") {
  const ConfigValue root = io::parse_toml(R"(
[simulation]
duration = "1 h"
[[sites]]
name = "a"
[[sites]]
name = "b"
[[sites.clusters]]
name = "c"
gpus = 8
)", "t.toml");
  CHECK(locate(root, "sites[1].clusters[0].gpus").line == 10);
  CHECK(locate(root, "sites[1].clusters[0].granularity").line == 8);  // absent: its table
  CHECK(locate(root, "simulation.duration").line == 3);
  CHECK(locate(root, "sites[7].name").line == 4);  // no such element: the array
  CHECK(locate(root, "nothing.at.all").line == 1);
}
