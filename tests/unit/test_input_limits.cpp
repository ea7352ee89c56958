// Input limits and files that are not regular files: nesting is refused before anything recurses, big
// tables are read in linear time, sizes past the limits are named, and a directory, a device or a FIFO
// given as an input file says what it is.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

#include "sim/core/config.hpp"
#include "sim/core/input_file.hpp"
#include "sim/core/input_limits.hpp"
#include "sim/io/scenario.hpp"

using namespace dcsim;

namespace {

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

std::string table_of(std::size_t n) {
  std::string t = "[big]\n";
  for (std::size_t i = 0; i < n; ++i) t += "k" + std::to_string(i) + " = " + std::to_string(i) + "\n";
  return t;
}

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    char tmpl[] = "/tmp/dcsim_limits_XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::permissions(path / "unreadable.toml", std::filesystem::perms::owner_all, ec);
    std::filesystem::remove_all(path, ec);
  }
};

const auto too_deep = Catch::Contains("nesting deeper than 64 levels");

}  // namespace

TEST_CASE("a table of 200 000 keys is read through an index, in linear time", "[limits][config]") {
  const std::string text = table_of(200'000);
  const auto t0 = std::chrono::steady_clock::now();
  const ConfigValue v = io::parse_toml(text, "big.toml");
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const ConfigValue& big = *v.find("big");
  REQUIRE(big.entries().size() == 200'000);
  CHECK(big.indexed());
  CHECK(big.entries()[123'456].first == "k123456");  // file order kept
  CHECK(big.find("k199999")->as_integer() == 199'999);
  CHECK(big.find("k200000") == nullptr);
  CHECK(s < 5.0);  // a generous bound: the quadratic reader took minutes
  // Noting every key as asked stays linear too, and notes each key once.
  for (int round = 0; round < 2; ++round) {
    for (const auto& [k, _] : big.entries()) big.note_asked(k);
  }
  CHECK(big.asked().size() == 200'000);
}

TEST_CASE("set keeps the index of a table up to date when keys are replaced and added", "[limits][config]") {
  ConfigValue t = ConfigValue::make_table({});
  for (int i = 0; i < 10; ++i) t.set("k" + std::to_string(i), ConfigValue::make_integer(i, {}));
  CHECK_FALSE(t.indexed());  // small tables are scanned
  for (int i = 10; i < 100; ++i) t.set("k" + std::to_string(i), ConfigValue::make_integer(i, {}));
  CHECK(t.indexed());
  t.set("k5", ConfigValue::make_integer(-5, {}));
  t.set("k99", ConfigValue::make_integer(-99, {}));
  REQUIRE(t.entries().size() == 100);
  CHECK(t.entries()[5].second.as_integer() == -5);
  for (int i = 0; i < 100; ++i) {
    const ConfigValue* e = t.find("k" + std::to_string(i));
    REQUIRE(e);
    CHECK(e->as_integer() == (i == 5 || i == 99 ? -i : i));
  }
  const ConfigValue copy = t;  // a copy has its own index
  CHECK(copy.find("k42") == &copy.entries()[42].second);
}

TEST_CASE("nesting deeper than 64 levels is refused, with its place, before anything recurses", "[limits][scenario]") {
  const std::size_t n = 100'000;
  CHECK_THROWS_WITH(io::parse_toml("a = " + repeat("[", n) + repeat("]", n) + "\n", "d.toml"),
                    Catch::Contains("d.toml:1:") && too_deep);
  CHECK_THROWS_WITH(io::parse_toml("a = " + repeat("{b = ", n) + "1" + repeat("}", n) + "\n", "d.toml"), too_deep);
  CHECK_THROWS_WITH(io::parse_toml("x = 1\n" + repeat("a.", n) + "b = 1\n", "d.toml"),
                    Catch::Contains("d.toml:2:") && too_deep);
  CHECK_THROWS_WITH(io::parse_toml("[" + repeat("a.", n) + "b]\n", "d.toml"), too_deep);
  CHECK_THROWS_WITH(io::parse_toml("[[" + repeat("\"q\".", n) + "b]]\n", "d.toml"), too_deep);
  // Levels add up: a header, a dotted key and an inline table of 30 levels each.
  const std::string thirty = repeat("a.", 29) + "a";
  CHECK_THROWS_WITH(io::parse_toml("[" + thirty + "]\n" + thirty + " = " + repeat("{b = ", 30) + "1" +
                                       repeat("}", 30) + "\n", "d.toml"),
                    too_deep);
  // Arrays of tables that reach 65 levels through headers alone.
  std::string aot;
  for (int i = 1; i <= 40; ++i) aot += "[[" + repeat("t.", static_cast<std::size_t>(i) - 1) + "t]]\n";
  CHECK_THROWS_WITH(io::parse_toml(aot, "d.toml"), too_deep);
}

TEST_CASE("64 levels of nesting are accepted and strings and comments do not count", "[limits][scenario]") {
  const ConfigValue dotted = io::parse_toml(repeat("a.", 63) + "a = 1\n", "ok.toml");
  const ConfigValue* e = &dotted;
  for (int i = 0; i < 64; ++i) e = e->find("a");
  CHECK(e->as_integer() == 1);
  CHECK_NOTHROW(io::parse_toml("a = " + repeat("[", 63) + repeat("]", 63) + "\n", "ok.toml"));
  const std::string brackets = repeat("[{", 5000);
  const ConfigValue v = io::parse_toml("s = \"" + brackets + "\"\nl = '" + brackets + "'\nm = \"\"\"\n" + brackets +
                                           "\n\"\"\"\nn = '''" + brackets + "'''\n# " + brackets + "\n" +
                                           "\"a.b.c.d\" = 'x.y.z'\nf = 3.14159\n",
                                       "ok.toml");
  CHECK(v.find("s")->as_string() == brackets);
  CHECK(v.find("a.b.c.d")->as_string() == "x.y.z");
}

TEST_CASE("keys, key paths, arrays and strings past their limits are refused with the limit named", "[limits][scenario]") {
  CHECK_THROWS_WITH(io::parse_toml("[m]\n" + std::string(129, 'k') + " = 1\n", "l.toml"),
                    Catch::Contains("l.toml:2:1") && Catch::Contains("a key of 129 characters") &&
                        Catch::Contains("at most 128"));
  CHECK_NOTHROW(io::parse_toml(std::string(128, 'k') + " = 1\n", "l.toml"));
  const std::string seg = std::string(100, 's');
  CHECK_THROWS_WITH(io::parse_toml(repeat(seg + ".", 11) + "x = 1\n", "l.toml"),
                    Catch::Contains("l.toml:1:") && Catch::Contains("key paths are at most 1024"));
  std::string arr = "a = [";
  for (std::size_t i = 0; i <= limits::kMaxArrayLength; ++i) arr += "0,";
  CHECK_THROWS_WITH(io::parse_toml(arr + "]\n", "l.toml"),
                    Catch::Contains("key 'a': expected an array of at most 1000000 elements, found an array of 1000001"));
  CHECK_THROWS_WITH(io::parse_toml("[x]\ns = \"" + std::string(limits::kMaxStringBytes + 1, 'z') + "\"\n", "l.toml"),
                    Catch::Contains("l.toml:2:5") && Catch::Contains("key 'x.s': expected a string of at most 1048576 bytes"));
  CHECK_THROWS_WITH(io::scenario_from_text(std::string(limits::kMaxScenarioBytes + 1, '#'), "huge.toml", {}),
                    Catch::Contains("huge.toml: error: the scenario is larger than the limit of 16 MiB"));
}

TEST_CASE("override keys and values past the limits are refused before they are walked", "[limits][scenario]") {
  ConfigValue v = io::parse_toml("[mmc]\nservers = 4\n", "x.toml");
  CHECK_THROWS_WITH(io::apply_override(v, repeat("a.", 100'000) + "b=1"),
                    Catch::Contains("key paths are at most 1024"));
  CHECK_THROWS_WITH(io::apply_override(v, repeat("a.", 64) + "b=1"), too_deep);
  CHECK_THROWS_WITH(io::apply_override(v, std::string(200, 'k') + "=1"), Catch::Contains("a key of 200 characters"));
  CHECK_THROWS_WITH(io::apply_override(v, "mmc.x=" + repeat("[", 100'000)), too_deep);
  CHECK_THROWS_WITH(io::apply_override(v, "mmc.x=" + repeat("{a=", 100'000)), too_deep);
  // The value's levels count from where it is put.
  CHECK_THROWS_WITH(io::apply_override(v, repeat("a.", 40) + "b=" + repeat("[", 30) + repeat("]", 30)), too_deep);
  CHECK_NOTHROW(io::apply_override(v, repeat("a.", 10) + "b=" + repeat("[", 30) + repeat("]", 30)));
  // A long assignment is not echoed whole in the message.
  try {
    io::apply_override(v, "mmc.x=" + repeat("[", 100'000));
  } catch (const ConfigError& e) {
    CHECK(std::string(e.what()).size() < 400);
  }
}

TEST_CASE("overrides whose written form nests too deep are refused, naming the one that made it so",
          "[limits][scenario]") {
  // sites[0] gets a key path of 41 levels, fine as a [table]; making sites[1] a string turns `sites` into
  // a mixed array, which the writer puts inline, 2 levels deeper per step: too deep to read back.
  const std::string base = "[[sites]]\nname = \"a\"\n[[sites]]\nname = \"b\"\n";
  const std::string deep = "sites[0]." + repeat("a.", 40) + "a=1";
  ConfigValue ok = io::parse_toml(base, "x.toml");
  const std::string text = io::apply_overrides(ok, {"sites[1].name=\"c\"", deep});
  CHECK(text == io::to_toml(ok));
  CHECK(io::to_toml(io::parse_toml(text, "resolved.toml")) == text);
  ConfigValue v = io::parse_toml(base, "x.toml");
  CHECK_THROWS_WITH(io::apply_overrides(v, {"sites[1].name=\"c\"", deep, "sites[1]=", "simulation.seed=2"}),
                    Catch::StartsWith("--set sites[1]=: error: with this override the scenario would be written") &&
                        too_deep);
  // Without overrides the text is the tree's.
  ConfigValue w = io::parse_toml(base, "x.toml");
  CHECK(io::apply_overrides(w, std::vector<std::string>{}) == io::to_toml(w));
}

TEST_CASE("an input path that is not a regular file says what it is", "[limits][files]") {
  TempDir d;
  CHECK(input_file_problem((d.path / "missing.toml").string()) == "does not exist (no such file)");
  CHECK(input_file_problem(d.path.string()) == "is a directory");
  CHECK(input_file_problem("/dev/zero") == "is a character device, not a file");
  const std::string fifo = (d.path / "fifo").string();
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  CHECK(input_file_problem(fifo) == "is a FIFO (named pipe), not a file");  // and does not block
  const std::string ok = (d.path / "ok.toml").string();
  std::ofstream(ok) << "a = 1\n";
  CHECK(input_file_problem(ok).empty());
  CHECK(read_input_file(ok, 100, "scenario file") == "a = 1\n");
  CHECK_THROWS_WITH(read_input_file(ok, 3, "scenario file"),
                    Catch::Contains("ok.toml: error: the scenario file is larger than the limit of 3 bytes"));
  CHECK_THROWS_WITH(read_input_file("/dev/zero", 1 << 20, "scenario file"),
                    Catch::Contains("/dev/zero: error: the scenario file is a character device, not a file"));
  CHECK_THROWS_WITH(io::load_scenario(fifo, {}), Catch::Contains("is a FIFO (named pipe), not a file"));
  CHECK_THROWS_WITH(io::load_scenario(d.path.string(), {}), Catch::Contains("the scenario file is a directory"));
  CHECK_THROWS_WITH(io::load_scenario((d.path / "missing.toml").string(), {}),
                    Catch::Contains("missing.toml: error: the scenario file does not exist (no such file)"));
  const std::string unreadable = (d.path / "unreadable.toml").string();
  std::ofstream(unreadable) << "a = 1\n";
  chmod(unreadable.c_str(), 0);
  if (geteuid() != 0) {  // root reads anything
    CHECK(input_file_problem(unreadable) == "cannot be read (permission denied)");
  }
}
