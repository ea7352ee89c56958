#include <catch2/catch.hpp>

#include "sim/core/config.hpp"
#include "sim/core/param_table.hpp"
#include "sim/io/scenario.hpp"

using namespace dcsim;

namespace {
ConfigValue parse(const std::string& text) { return io::parse_toml(text, "test.toml"); }

ParamDef def(std::string key, const QuantityKind& kind, Range r = {}) {
  return {.key = std::move(key), .kind = &kind, .range = r, .basis = Basis::required, .help = "a quantity"};
}
ParamDef integer_def(std::string key, double lo, double hi) {
  return {.key = std::move(key), .type = ParamType::integer, .range = Range::closed(lo, hi), .basis = Basis::required,
          .help = "an integer"};
}
ParamDef table_def(std::string key, ParamType t = ParamType::table) {
  return {.key = std::move(key), .type = t, .basis = Basis::optional, .help = "a table"};
}

// The keys the tests below read.
const ParamSchema& schema() {
  static const ParamSchema s = [] {
    ParamSchema x;
    x.add({table_def("gpu"), def("gpu.power", qty::power), def("gpu.idle", qty::power),
           {.key = "gpu.absent", .kind = &qty::power, .def = "123 W", .basis = Basis::assumption, .help = "x"},
           integer_def("gpu.count", 1, 64),
           {.key = "gpu.model", .type = ParamType::choice, .choices = {"h100", "a100"}, .basis = Basis::required,
            .help = "x"},
           def("gpu.tdp_fraction", qty::fraction, Range::unit_interval()),
           def("gpu.ratio", qty::fraction, Range::unit_interval()), def("gpu.missing", qty::power),
           table_def("gpu.zones", ParamType::tables),
           {.key = "gpu.zones[].name", .type = ParamType::text, .basis = Basis::required, .help = "x"},
           table_def("mmc"), def("mmc.arrival_rate", qty::rate), integer_def("mmc.servers", 1, 10),
           table_def("simulation"), table_def("sim"), def("sim.duration", qty::time)});
    for (const char* k : {"a", "b", "c", "d", "e", "f"}) {
      x.add({{.key = k, .type = ParamType::distribution, .kind = &qty::time, .range = Range::non_negative(),
              .basis = Basis::required, .help = "a distribution"}});
    }
    return x;
  }();
  return s;
}
}  // namespace

TEST_CASE("parameters read quantities with units, integers, choices and tables", "[config]") {
  const ConfigValue root = parse(R"(
[gpu]
power = "700 W"
idle = 75
count = 8
model = "h100"
tdp_fraction = "90 %"
[[gpu.zones]]
name = "a"
[[gpu.zones]]
name = "b"
)");
  const Params p(root, "", schema());
  const Params g = p.table("gpu");
  CHECK(g.quantity("power") == 700);
  CHECK(g.quantity("idle") == 75);  // a bare number is in the canonical unit
  CHECK(g.quantity("absent") == 123);
  CHECK(g.integer("count") == 8);
  CHECK(g.choice("model") == "h100");
  CHECK(g.quantity("tdp_fraction") == Approx(0.9));
  const auto zones = g.tables("zones");
  REQUIRE(zones.size() == 2);
  CHECK(zones[0].text("name") == "a");
  CHECK(zones[1].text("name") == "b");
  CHECK(zones[1].path() == "gpu.zones[1]");
  CHECK_NOTHROW(check_unknown_keys(root));
}

TEST_CASE("parameter errors name file, line, column, key, expectation and what was found", "[config]") {
  const ConfigValue root = parse("[gpu]\npower = \"700 s\"\ncount = 0\nmodel = \"h10\"\nratio = 1.5\n");
  const Params g = Params(root, "", schema()).table("gpu");
  CHECK_THROWS_WITH(g.quantity("power"),
                    Catch::Contains("test.toml:2:9") && Catch::Contains("key 'gpu.power'") &&
                        Catch::Contains("expected a power") && Catch::Contains("found \"700 s\""));
  CHECK_THROWS_WITH(g.integer("count"), Catch::Contains("test.toml:3:9") &&
                                                   Catch::Contains("expected an integer in [1, 64], found 0"));
  CHECK_THROWS_WITH(g.choice("model"), Catch::Contains("did you mean \"h100\"?"));
  CHECK_THROWS_WITH(g.quantity("ratio"),
                    Catch::Contains("in [0, 1]") && Catch::Contains("out of range"));
  CHECK_THROWS_WITH(g.quantity("missing"), Catch::Contains("the key is missing"));
}

TEST_CASE("a missing key suggests a present key that looks like a typo of it", "[config]") {
  const ConfigValue root = parse("[mmc]\narival_rate = \"1 /s\"\n");
  const Params m = Params(root, "", schema()).table("mmc");
  CHECK_THROWS_WITH(m.quantity("arrival_rate"), Catch::Contains("did you mean 'arival_rate'?"));
}

TEST_CASE("keys nobody asked for are errors with a suggestion, reported in file order", "[config]") {
  const ConfigValue root = parse("[sim]\nduration = 1\n[mmc]\nservers = 2\nsevrers = 3\nzzz = 1\n");
  const Params p(root, "", schema());
  (void)p.has("simulation");
  const Params m = p.table("mmc");
  (void)m.integer("servers");
  // [sim] comes first in the file: it is reported first, with a suggestion.
  CHECK_THROWS_WITH(check_unknown_keys(root),
                    Catch::Contains("test.toml:1:2") && Catch::Contains("unknown key 'sim'") &&
                        Catch::Contains("did you mean 'simulation'?"));
  (void)p.table("sim").quantity("duration");
  CHECK_THROWS_WITH(check_unknown_keys(root),
                    Catch::Contains("unknown key 'mmc.sevrers'") && Catch::Contains("did you mean 'servers'?"));
}

TEST_CASE("did-you-mean finds near misses and ignores far ones", "[config]") {
  const std::vector<std::string> keys = {"arrival_rate", "service_rate", "servers", "capacity"};
  CHECK(did_you_mean("arival_rate", keys) == std::optional<std::string>("arrival_rate"));
  CHECK(did_you_mean("SERVERS", keys) == std::optional<std::string>("servers"));
  CHECK(did_you_mean("sevrers", keys) == std::optional<std::string>("servers"));
  CHECK_FALSE(did_you_mean("temperature", keys).has_value());
}

TEST_CASE("distributions are read from a quantity or a table", "[config]") {
  const ConfigValue root = parse(R"(
a = "11.6 s"
b = { kind = "lognormal", mean = "11.6 s", cv = 0.1 }
c = { kind = "exponential", mean = "1 min" }
d = { kind = "empirical", values = ["1 s", "2 s"], weights = [1, 3] }
e = { kind = "weibull", mean = "1 s" }
f = { kind = "gamma", mean = "1 s", cv = -1 }
)");
  const Params p(root, "", schema());
  CHECK(p.distribution("a").kind() == Distribution::Kind::deterministic);
  CHECK(p.distribution("b").mean() == Approx(11.6));
  CHECK(p.distribution("c").mean() == Approx(60));
  CHECK(p.distribution("d").mean() == Approx(1.75));
  CHECK_THROWS_WITH(p.distribution("e"), Catch::Contains("e.kind") && Catch::Contains("\"weibull\""));
  CHECK_THROWS_WITH(p.distribution("f"), Catch::Contains("f.cv") && Catch::Contains(">= 0"));
}
