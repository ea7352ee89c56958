// Parameter tables: declarations drive reading, defaults are checked against their own kinds and ranges,
// and every key of every shipped scenario is declared.
#include <catch2/catch.hpp>

#include <filesystem>
#include <stdexcept>

#include "models/world.hpp"
#include "sim/cli/job.hpp"
#include "sim/core/param_table.hpp"
#include "sim/io/scenario.hpp"

using namespace dcsim;

namespace {

ConfigValue parse(const std::string& text) { return io::parse_toml(text, "test.toml"); }

// A small table of every reader's kind, for the tests below.
ParamSchema toy_schema() {
  ParamSchema s;
  s.add({
      {.key = "gpu", .type = ParamType::table, .basis = Basis::required, .help = "a GPU"},
      {.key = "gpu.power", .kind = &qty::power, .range = Range::positive(), .def = "700 W", .basis = Basis::sourced,
       .source = "a data sheet", .help = "board power"},
      {.key = "gpu.idle", .kind = &qty::power, .range = Range::non_negative(), .basis = Basis::derived,
       .source = "a tenth of the board power", .help = "idle power"},
      {.key = "gpu.count", .type = ParamType::integer, .range = Range::closed(1, 100), .def = "8",
       .basis = Basis::assumption, .help = "GPUs per server"},
      {.key = "gpu.model", .type = ParamType::choice, .choices = {"h100", "a100"}, .def = "h100",
       .basis = Basis::assumption, .help = "the model"},
      {.key = "gpu.limit", .kind = &qty::temperature, .basis = Basis::optional, .help = "a temperature limit"},
      {.key = "gpu.service", .type = ParamType::distribution, .kind = &qty::time, .range = Range::positive(),
       .def = "exponential(mean = 60 s)", .basis = Basis::assumption, .help = "a service time"},
      {.key = "gpu.zones", .type = ParamType::tables, .basis = Basis::optional, .help = "zones"},
      {.key = "gpu.zones[].name", .type = ParamType::text, .basis = Basis::required, .help = "a zone's name"},
      {.key = "gpu.shares", .type = ParamType::table, .basis = Basis::optional, .help = "shares by tier"},
      {.key = "gpu.shares.<tier>", .kind = &qty::fraction, .range = Range::unit_interval(), .basis = Basis::required,
       .help = "a tier's share"},
  });
  return s;
}

}  // namespace

TEST_CASE("a declared key is read with its kind, range and default from the table", "[params]") {
  const ParamSchema s = toy_schema();
  const ConfigValue root = parse(R"(
[gpu]
count = 4
limit = "85 degC"
[gpu.shares]
free = 0.25
[[gpu.zones]]
name = "a"
)");
  const Params g = Params(root, "", s).table("gpu");
  CHECK(g.pattern() == "gpu");
  CHECK(g.quantity("power") == 700);                // the table's default
  CHECK(g.quantity_or("idle", 70.0) == 70);         // derived: the caller's value
  CHECK(g.integer("count") == 4);                   // the scenario's value
  CHECK(g.choice("model") == "h100");
  CHECK(g.optional_quantity("limit") == Approx(85));
  CHECK(g.distribution("service").mean() == Approx(60));
  CHECK(g.table("shares").quantity("free") == Approx(0.25));  // a key named by the scenario
  const auto zones = g.tables("zones");
  REQUIRE(zones.size() == 1);
  CHECK(zones[0].pattern() == "gpu.zones[]");
  CHECK(zones[0].text("name") == "a");
  CHECK_NOTHROW(check_unknown_keys(root));
}

TEST_CASE("a value out of the declared range is a precise error", "[params]") {
  const ParamSchema s = toy_schema();
  const ConfigValue root = parse("[gpu]\ncount = 400\npower = \"-3 W\"\n");
  const Params g = Params(root, "", s).table("gpu");
  CHECK_THROWS_WITH(g.integer("count"), Catch::Contains("test.toml:2:9") &&
                                            Catch::Contains("key 'gpu.count': expected an integer in [1, 100], found 400"));
  CHECK_THROWS_WITH(g.quantity("power"), Catch::Contains("key 'gpu.power': expected a power > 0 W"));
}

TEST_CASE("reading a key that no table declares, or with the wrong reader, is a programming error", "[params]") {
  const ParamSchema s = toy_schema();
  const ConfigValue root = parse("[gpu]\n");
  const Params g = Params(root, "", s).table("gpu");
  CHECK_THROWS_AS(g.quantity("voltage"), std::logic_error);
  CHECK_THROWS_AS(g.quantity_or("power", 1.0), std::logic_error);     // power's default is in the table
  CHECK_THROWS_AS(g.optional_quantity("power"), std::logic_error);    // power is not optional
  CHECK_THROWS_AS(g.choice("count"), std::logic_error);               // count has no choices
  CHECK_THROWS_AS(g.has("voltage"), std::logic_error);  // structural reads too
  CHECK_THROWS_AS(g.table("voltage"), std::logic_error);
}

TEST_CASE("a malformed table is refused when it is assembled", "[params]") {
  ParamSchema s;
  CHECK_THROWS_AS(s.add({{.key = "a", .kind = &qty::power, .def = "1 W", .basis = Basis::sourced, .help = "x"}}),
                  std::logic_error);  // sourced without a source
  CHECK_THROWS_AS(s.add({{.key = "b", .kind = &qty::power, .def = "1 W", .basis = Basis::required, .help = "x"}}),
                  std::logic_error);  // a default on a required key
  CHECK_THROWS_AS(s.add({{.key = "c", .kind = &qty::power, .basis = Basis::required}}), std::logic_error);  // no help
  CHECK_THROWS_AS(s.add({{.key = "d", .basis = Basis::required, .help = "x"}}), std::logic_error);  // no kind
  s.add({{.key = "e", .kind = &qty::power, .basis = Basis::required, .help = "x"}});
  CHECK_THROWS_AS(s.add({{.key = "e", .kind = &qty::power, .basis = Basis::required, .help = "y"}}),
                  std::logic_error);  // declared twice
}

TEST_CASE("a default that does not read as its own kind, or lies out of its range, is caught", "[params]") {
  ParamSchema wrong_unit;
  wrong_unit.add({{.key = "t", .type = ParamType::duration, .def = "5 W", .basis = Basis::assumption, .help = "x"}});
  CHECK_THROWS_AS(check_defaults(wrong_unit), ConfigError);
  ParamSchema out_of_range;
  out_of_range.add({{.key = "f", .kind = &qty::fraction, .range = Range::unit_interval(), .def = "1.5",
                     .basis = Basis::assumption, .help = "x"}});
  CHECK_THROWS_WITH(check_defaults(out_of_range), Catch::Contains("default of 'f'") && Catch::Contains("out of range"));
  ParamSchema bad_choice;
  bad_choice.add({{.key = "c", .type = ParamType::choice, .choices = {"a", "b"}, .def = "z",
                   .basis = Basis::assumption, .help = "x"}});
  CHECK_THROWS_AS(check_defaults(bad_choice), ConfigError);
  CHECK_NOTHROW(check_defaults(toy_schema()));
}

TEST_CASE("every default of every model's table reads and lies in its range", "[params]") {
  const ParamSchema& s = models::parameter_schema();
  CHECK_NOTHROW(check_defaults(s));
  for (const auto& d : s.defs()) {
    INFO(d.key);
    CHECK(!d.help.empty());
    if (d.basis == Basis::sourced) CHECK(!d.source.empty());
  }
}

TEST_CASE("every key of every shipped scenario is declared in a parameter table", "[params]") {
  const ParamSchema& s = cli::scenario_schema();  // the models' tables and the sweep's
  std::size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(std::string(DCSIM_SOURCE_DIR) + "/scenarios")) {
    if (e.path().extension() != ".toml") continue;
    ++files;
    const io::Scenario sc = io::load_scenario(e.path().string());
    INFO(e.path().filename().string());
    CHECK(undeclared_keys(s, sc.root).empty());
  }
  CHECK(files >= 4);
  // The walk can fail: a key no table declares is found, inside arrays of tables and named tables too.
  const ConfigValue bad = parse("[simulation]\nduration = 1\nvoltage = 3\n[[sites]]\nname = \"a\"\nheight = 2\n");
  CHECK(undeclared_keys(s, bad) == std::vector<std::string>{"simulation.voltage", "sites[0].height"});
}
