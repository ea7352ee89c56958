// Sweeps: the [sweep] table, its expansion into runs and the check of every point before any run.
#include <catch2/catch.hpp>

#include <cmath>
#include <set>

#include "sim/cli/sweep.hpp"
#include "sim/io/scenario.hpp"

using namespace dcsim;

namespace {

const std::string kBase = R"([simulation]
duration = "1 h"
seed = 1
[mmc]
arrival_rate = "57.6 /s"
service_rate = "1 /s"
servers = 64
)";

cli::Sweep sweep_of(const std::string& sweep_toml, const std::vector<std::string>& overrides = {}) {
  return cli::sweep_from_text(kBase + sweep_toml, "s.toml", overrides);
}

std::string value(const cli::Sweep& s, const study::SweepRun& r, std::size_t axis) {
  return study::value_text(s.spec.axes[axis].values[r.value[axis]]);
}

}  // namespace

TEST_CASE("a grid varies the first axis slowest, then the replicas, with stable names", "[sweep]") {
  const cli::Sweep s = sweep_of(R"(
[sweep]
replicas = 2
[[sweep.axes]]
key = "mmc.servers"
values = [60, 64, 70]
[[sweep.axes]]
key = "mmc.arrival_rate"
name = "rate"
values = ["50 /s", "57.6 /s"]
)");
  REQUIRE(s.expansion.points == 6);
  REQUIRE(s.expansion.runs.size() == 12);
  const auto& r = s.expansion.runs;
  CHECK(r[0].name == "p0_servers-60_rate-50__s_r0");
  CHECK(r[1].name == "p0_servers-60_rate-50__s_r1");
  CHECK(r[2].name == "p1_servers-60_rate-57.6__s_r0");
  CHECK(r[11].name == "p5_servers-70_rate-57.6__s_r1");
  std::set<std::string> names;
  for (std::size_t i = 0; i < r.size(); ++i) {
    CHECK(r[i].index == i);
    CHECK(r[i].point == i / 2);
    CHECK(r[i].replica == i % 2);
    // Common random numbers: replica k of every point has run index k.
    CHECK(r[i].run_index == i % 2);
    CHECK(value(s, r[i], 0) == std::vector<std::string>{"60", "64", "70"}[i / 4]);
    CHECK(value(s, r[i], 1) == std::vector<std::string>{"50 /s", "57.6 /s"}[(i / 2) % 2]);
    names.insert(r[i].name);
  }
  CHECK(names.size() == r.size());
  // The same sweep expands the same way.
  const cli::Sweep again = sweep_of(R"(
[sweep]
replicas = 2
[[sweep.axes]]
key = "mmc.servers"
values = [60, 64, 70]
[[sweep.axes]]
key = "mmc.arrival_rate"
name = "rate"
values = ["50 /s", "57.6 /s"]
)");
  for (std::size_t i = 0; i < r.size(); ++i) CHECK(again.expansion.runs[i].name == r[i].name);
}

TEST_CASE("independent streams give every run its own run index, after the scenario's", "[sweep]") {
  const cli::Sweep s = sweep_of(R"(
[sweep]
replicas = 3
streams = "independent"
[[sweep.axes]]
key = "mmc.servers"
values = [60, 64]
)", {"simulation.run_index=100"});
  REQUIRE(s.expansion.runs.size() == 6);
  for (std::size_t i = 0; i < 6; ++i) CHECK(s.expansion.runs[i].run_index == 100 + i);
  const cli::Sweep c = sweep_of("[sweep]\nreplicas = 3\n[[sweep.axes]]\nkey = \"mmc.servers\"\nvalues = [60, 64]\n",
                                {"simulation.run_index=100"});
  for (std::size_t i = 0; i < 6; ++i) CHECK(c.expansion.runs[i].run_index == 100 + i % 3);
}

TEST_CASE("a zip takes the i-th value of every axis, and refuses axes of different lengths", "[sweep]") {
  const cli::Sweep s = sweep_of(R"(
[sweep]
combine = "zip"
[[sweep.axes]]
key = "mmc.servers"
values = [60, 64, 70]
[[sweep.axes]]
key = "mmc.arrival_rate"
values = ["50 /s", "55 /s", "60 /s"]
)");
  REQUIRE(s.expansion.runs.size() == 3);
  CHECK(value(s, s.expansion.runs[2], 0) == "70");
  CHECK(value(s, s.expansion.runs[2], 1) == "60 /s");
  CHECK_THROWS_WITH(sweep_of(R"(
[sweep]
combine = "zip"
[[sweep.axes]]
key = "mmc.servers"
values = [60, 64, 70]
[[sweep.axes]]
key = "mmc.arrival_rate"
values = ["50 /s", "55 /s"]
)"),
                    Catch::StartsWith("s.toml:15:7: error: key 'sweep.axes': expected axes of one length in a zip") &&
                        Catch::Contains("found axis mmc.arrival_rate with 2 values"));
}

TEST_CASE("ranges, log ranges and units generate the values they describe", "[sweep]") {
  const cli::Sweep s = sweep_of(R"(
[sweep]
[[sweep.axes]]
key = "mmc.servers"
range = "60:72:4"
[[sweep.axes]]
key = "mmc.service_rate"
range = "0.1:0.3:0.1"
unit = "/s"
[[sweep.axes]]
key = "mmc.arrival_rate"
logrange = "1:1000:4"
unit = "/s"
)");
  const auto& ax = s.spec.axes;
  REQUIRE(ax[0].values.size() == 4);  // 60, 64, 68, 72: the stop falls on a step
  CHECK(ax[0].values[3].type() == ConfigValue::Type::integer);
  CHECK(ax[0].values[3].as_integer() == 72);
  REQUIRE(ax[1].values.size() == 3);  // 0.1, 0.2, 0.3 despite 0.1 + 2 x 0.1 > 0.3 in binary
  CHECK(ax[1].values[2].as_string() == "0.3 /s");
  REQUIRE(ax[2].values.size() == 4);
  CHECK(ax[2].values[0].as_string() == "1 /s");
  CHECK(ax[2].values[1].as_string() == "10 /s");
  CHECK(ax[2].values[2].as_string() == "100 /s");
  CHECK(ax[2].values[3].as_string() == "1000 /s");
  CHECK(s.expansion.points == 4 * 3 * 4);
  CHECK_THROWS_WITH(sweep_of("[sweep]\n[[sweep.axes]]\nkey = \"mmc.servers\"\nrange = \"60:50:4\"\n"),
                    Catch::Contains("expected a step that leads from start to stop"));
  CHECK_THROWS_WITH(sweep_of("[sweep]\n[[sweep.axes]]\nkey = \"mmc.servers\"\nrange = \"60:70\"\n"),
                    Catch::Contains("key 'sweep.axes[0].range': expected \"start:stop:step\" with three numbers"));
  CHECK_THROWS_WITH(sweep_of("[sweep]\n[[sweep.axes]]\nkey = \"mmc.servers\"\nrange = \"1:1e9:1\"\n"),
                    Catch::Contains("at most 100000 values"));
  CHECK_THROWS_WITH(sweep_of("[sweep]\n[[sweep.axes]]\nkey = \"mmc.servers\"\nvalues = [1]\nrange = \"1:2:1\"\n"),
                    Catch::Contains("exactly one of values, range, logrange or lhs"));
}

TEST_CASE("a Latin hypercube puts one value in each of its strata on every axis, the same for one seed", "[sweep]") {
  const std::string lhs = R"(
[sweep]
samples = 20
[[sweep.axes]]
key = "mmc.servers"
lhs = "60:80"
integer = true
[[sweep.axes]]
key = "mmc.service_rate"
lhs = "0.5:1.5"
unit = "/s"
[[sweep.axes]]
key = "simulation.seed"
values = [1, 2]
)";
  const cli::Sweep s = sweep_of(lhs);
  // The two lhs axes move together (20 points), crossed with the seed axis.
  CHECK(s.expansion.points == 40);
  std::vector<int> strata(20, 0);
  for (const auto& v : s.spec.axes[1].values) {
    const double x = std::stod(v.as_string());  // "0.73... /s"
    REQUIRE(x >= 0.5);
    REQUIRE(x < 1.5);
    ++strata[static_cast<std::size_t>((x - 0.5) / 1.0 * 20)];
  }
  for (const int n : strata) CHECK(n == 1);
  for (const auto& v : s.spec.axes[0].values) {
    CHECK(v.type() == ConfigValue::Type::integer);
    CHECK(v.as_integer() >= 60);
    CHECK(v.as_integer() <= 80);
  }
  const cli::Sweep again = sweep_of(lhs);
  for (std::size_t i = 0; i < 20; ++i) CHECK(again.spec.axes[1].values[i].as_string() == s.spec.axes[1].values[i].as_string());
  std::string seeded = lhs;
  seeded.replace(seeded.find("samples = 20"), 12, "samples = 20\nseed = 2");
  const cli::Sweep reseeded = sweep_of(seeded);
  int same = 0;
  for (std::size_t i = 0; i < 20; ++i) same += reseeded.spec.axes[1].values[i].as_string() == s.spec.axes[1].values[i].as_string();
  CHECK(same < 20);
  CHECK_THROWS_WITH(sweep_of("[sweep]\n[[sweep.axes]]\nkey = \"mmc.servers\"\nlhs = \"60:80\"\n"),
                    Catch::Contains("key 'sweep.samples'") && Catch::Contains("the number of Latin-hypercube points"));
}

TEST_CASE("every point is checked before any run, and a refused value is reported where it is written", "[sweep]") {
  const cli::Sweep s = sweep_of(R"(
[sweep]
replicas = 4
[[sweep.axes]]
key = "mmc.servers"
values = [64, -3]
)");
  CHECK_THROWS_WITH(cli::validate_sweep(s), Catch::StartsWith("s.toml:13:15: error: key 'mmc.servers'") &&
                                                Catch::Contains("found -3") &&
                                                Catch::Contains("[in sweep run p1_servers--3_r0, point 1 of 2 (mmc.servers = -3)]"));
  // A misspelt key is an unknown key of the scenario, reported at the axis.
  const cli::Sweep typo = sweep_of("[sweep]\n[[sweep.axes]]\nkey = \"mmc.server\"\nvalues = [64]\n");
  CHECK_THROWS_WITH(cli::validate_sweep(typo), Catch::StartsWith("s.toml:10:7: error: unknown key 'mmc.server'") &&
                                                   Catch::Contains("did you mean 'servers'?"));
  // An index past the end of an array is refused at the axis.
  const cli::Sweep past = sweep_of("[sweep]\n[[sweep.axes]]\nkey = \"sites[3].gpus\"\nvalues = [64]\n");
  CHECK_THROWS_WITH(cli::validate_sweep(past), Catch::Contains("'sites' is not an array in the scenario"));
  // A good sweep passes, and each run's job carries the run's values and run index.
  const cli::Sweep ok = sweep_of("[sweep]\nreplicas = 2\n[[sweep.axes]]\nkey = \"mmc.servers\"\nvalues = [64, 70]\n");
  CHECK_NOTHROW(cli::validate_sweep(ok));
  const cli::Job job = cli::prepare_sweep_run(ok, ok.expansion.runs[3]);
  CHECK(job.run->settings().run_index == 1);
  CHECK(job.scenario.resolved_text.find("servers = 70") != std::string::npos);
  CHECK(job.scenario.resolved_text.find("[sweep]") == std::string::npos);
}

TEST_CASE("the sweep table's keys are checked like a model's, and dcsim run refuses a sweep", "[sweep]") {
  CHECK_THROWS_WITH(sweep_of("[sweep]\nreplica = 2\n"), Catch::Contains("unknown key 'sweep.replica'") &&
                                                           Catch::Contains("did you mean 'replicas'?"));
  CHECK_THROWS_WITH(sweep_of("[sweep]\nreplicas = 0\n"), Catch::Contains("key 'sweep.replicas'"));
  CHECK_THROWS_WITH(sweep_of("[sweep]\nbaseline = 3\n[[sweep.axes]]\nkey = \"mmc.servers\"\nvalues = [1, 2]\n"),
                    Catch::Contains("key 'sweep.baseline': expected the index of a point, below 2, found 3"));
  CHECK_THROWS_WITH(sweep_of("[sweep]\n[[sweep.axes]]\nkey = \"simulation.run_index\"\nvalues = [1, 2]\n"),
                    Catch::Contains("sweep.replicas sets the run index"));
  CHECK_THROWS_WITH(sweep_of("[sweep]\nreplicas = 10000\n[[sweep.axes]]\nkey = \"mmc.servers\"\nrange = \"1:1000:1\"\n"),
                    Catch::Contains("expected at most 1000000 runs, found 10000000 runs (1000 points x 10000 replicas)"));
  CHECK_THROWS_WITH(cli::sweep_from_text(kBase, "s.toml", {}), Catch::Contains("the scenario has no [sweep] table"));
  CHECK_THROWS_WITH(cli::prepare_job_from_text(kBase + "[sweep]\n", "s.toml", {}),
                    Catch::StartsWith("s.toml:8:") && Catch::Contains(": error: this scenario is a sweep ([sweep]): run it with dcsim sweep"));
  // A sweep without axes is its replicas.
  const cli::Sweep only = sweep_of("[sweep]\nreplicas = 3\n");
  CHECK(only.expansion.points == 1);
  CHECK(only.expansion.runs.size() == 3);
  CHECK(only.expansion.runs[2].name == "p0_r2");
  CHECK_NOTHROW(check_defaults(cli::scenario_schema()));
}
