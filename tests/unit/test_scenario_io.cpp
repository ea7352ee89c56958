#include <catch2/catch.hpp>

#include <fstream>

#include "sim/core/config.hpp"
#include "sim/io/scenario.hpp"

using namespace dcsim;

TEST_CASE("TOML syntax errors give file, line and column", "[scenario]") {
  CHECK_THROWS_WITH(io::parse_toml("[simulation\nduration = 1\n", "x.toml"),
                    Catch::Contains("x.toml:1:") && Catch::Contains("TOML syntax"));
  CHECK_THROWS_WITH(io::parse_toml("a = 1\na = 2\n", "x.toml"), Catch::Contains("x.toml:2:"));
}

TEST_CASE("tables keep the order of the file", "[scenario]") {
  const ConfigValue v = io::parse_toml("zeta = 1\nalpha = 2\n[m]\nz = 1\na = 2\n", "x.toml");
  REQUIRE(v.entries().size() == 3);
  CHECK(v.entries()[0].first == "zeta");
  CHECK(v.entries()[1].first == "alpha");
  CHECK(v.entries()[2].second.entries()[0].first == "z");
}

TEST_CASE("overrides set values, create keys and address array elements", "[scenario]") {
  ConfigValue v = io::parse_toml("[mmc]\nservers = 4\n[[sites]]\ngpus = 8\n[[sites]]\ngpus = 16\n", "x.toml");
  io::apply_override(v, "mmc.servers=32");
  io::apply_override(v, "mmc.arrival_rate=2 /s");  // not TOML: taken as a string
  io::apply_override(v, "sites[1].gpus=64");
  io::apply_override(v, "simulation.seed=9");  // creates [simulation]
  CHECK(v.find("mmc")->find("servers")->as_integer() == 32);
  CHECK(v.find("mmc")->find("arrival_rate")->as_string() == "2 /s");
  CHECK(v.find("sites")->items()[1].find("gpus")->as_integer() == 64);
  CHECK(v.find("simulation")->find("seed")->as_integer() == 9);
  CHECK(v.find("mmc")->find("servers")->loc().to_string() == "--set mmc.servers=32");
  CHECK_THROWS_WITH(io::apply_override(v, "sites[5].gpus=1"), Catch::Contains("out of range"));
  CHECK_THROWS_WITH(io::apply_override(v, "mmc.servers.x=1"), Catch::Contains("not a table"));
  CHECK_THROWS_WITH(io::apply_override(v, "noequals"), Catch::Contains("key.path=value"));
  CHECK_THROWS_WITH(io::apply_override(v, "a..b=1"), Catch::Contains("empty name"));
}

TEST_CASE("the resolved scenario is TOML that reads back to the same values", "[scenario]") {
  const std::string text = R"(
title = "a \"quoted\" name"
[simulation]
duration = "7 d"
seed = 42
ratio = 0.1
big = 1e300
flag = true
list = [1, 2.5, "x"]
inline = { a = 1, b = "two" }
[[sites]]
name = "hamina"
[sites.cooling]
kind = "seawater"
[[sites]]
name = "lulea"
)";
  ConfigValue v = io::parse_toml(text, "x.toml");
  io::apply_override(v, "simulation.seed=7");
  const std::string out = io::to_toml(v);
  const ConfigValue back = io::parse_toml(out, "resolved.toml");
  CHECK(io::to_toml(back) == out);
  const ConfigValue& sim = *back.find("simulation");
  CHECK(sim.find("seed")->as_integer() == 7);
  CHECK(sim.find("ratio")->as_number() == 0.1);
  CHECK(sim.find("big")->as_number() == 1e300);
  CHECK(back.find("sites")->items()[0].find("cooling")->find("kind")->as_string() == "seawater");
  CHECK(back.find("sites")->items()[1].find("name")->as_string() == "lulea");
  CHECK(back.find("title")->as_string() == "a \"quoted\" name");
}

TEST_CASE("a missing scenario file is a located error", "[scenario]") {
  CHECK_THROWS_WITH(io::load_scenario("/nonexistent/dir/s.toml"),
                    Catch::Contains("/nonexistent/dir/s.toml") && Catch::Contains("does not exist (no such file)"));
}
