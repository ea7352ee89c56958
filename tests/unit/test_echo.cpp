// What error messages echo back is bounded: found values, CSV fields, names, key paths and numbers; and the
// input readers accept what other tools write (a byte-order mark, CRLF line ends) and refuse instants
// without a time zone.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "sim/core/calendar.hpp"
#include "sim/core/config.hpp"
#include "sim/core/csv.hpp"
#include "sim/core/echo.hpp"
#include "sim/core/units.hpp"
#include "sim/io/scenario.hpp"

using namespace dcsim;

namespace {

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  FAIL("no exception");
  return {};
}

std::string temp_file(const std::string& name, const std::string& bytes) {
  const auto p = std::filesystem::temp_directory_path() / ("dcsim_echo_" + std::to_string(::getpid()) + "_" + name);
  std::ofstream(p, std::ios::binary) << bytes;
  return p.string();
}

std::size_t characters(const std::string& s) {
  std::size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace

TEST_CASE("echo shows short text as it is and escapes control characters", "[echo]") {
  CHECK(echo("image") == "image");
  CHECK(echo("") == "");
  CHECK(echo("a\nb\tc\rd") == "a\\nb\\tc\\rd");
  CHECK(echo(std::string("x\0y", 3)) == "x\\x00y");
  CHECK(echo("\x7f") == "\\x7f");
  CHECK(echo(std::string(60, 'a')) == std::string(60, 'a'));  // exactly at the cap: nothing cut
}

TEST_CASE("echo cuts long text to its cap with an ellipsis and never splits a UTF-8 character", "[echo]") {
  const std::string cut = echo(std::string(61, 'a'));
  CHECK(cut == std::string(57, 'a') + "...");
  CHECK(echo(std::string(50'000'000, 'n')).size() == kEchoChars);
  CHECK(echo(std::string(200, 'p'), kEchoPathChars).size() == kEchoPathChars);

  std::string accents;
  for (int i = 0; i < 100; ++i) accents += "\xc3\xa9";  // é
  const std::string e = echo(accents);
  CHECK(characters(e) == kEchoChars);
  CHECK(e.size() == 57 * 2 + 3);
  for (std::size_t max : {10u, 11u, 12u, 13u}) {
    const std::string s = echo("a" + accents, max);
    INFO(max << ": " << s);
    CHECK(characters(s) <= max);
    CHECK(s.substr(s.size() - 3) == "...");
    // What precedes the ellipsis is whole characters: 'a' and then pairs of bytes.
    CHECK((s.size() - 3 - 1) % 2 == 0);
  }
  // Escapes count as what they print and are never cut in half.
  const std::string nl = echo(std::string(40, '\n'));
  CHECK(nl.size() <= kEchoChars);
  CHECK(nl == [] { std::string x; for (int i = 0; i < 28; ++i) x += "\\n"; return x + "..."; }());
}

TEST_CASE("echo escapes bytes that are not UTF-8, so that a message is always valid UTF-8", "[echo]") {
  CHECK(echo("caf\xc3\xa9") == "caf\xc3\xa9");              // é is shown as it is
  CHECK(echo("/\xcetmp") == "/\\xcetmp");                   // a lead byte without its continuation
  CHECK(echo("\x80") == "\\x80");                          // a continuation byte alone
  CHECK(echo("\xc0\xaf") == "\\xc0\\xaf");                 // an overlong '/'
  CHECK(echo("\xed\xa0\x80") == "\\xed\\xa0\\x80");        // a surrogate
  CHECK(echo("\xf4\x90\x80\x80").substr(0, 4) == "\\xf4");    // above U+10FFFF
  CHECK(echo("\xf0\x9f\x98\x80") == "\xf0\x9f\x98\x80");     // U+1F600 is fine
  CHECK(invalid_utf8_at(echo(std::string("\xff\xfe\xc3", 3))) == std::string_view::npos);
  // An escaped byte counts as the four characters it prints.
  CHECK(echo(std::string(20, '\xff'), 12) == "\\xff\\xff...");
}

TEST_CASE("invalid_utf8_at finds the first byte that does not begin a well-formed UTF-8 sequence", "[echo]") {
  CHECK(invalid_utf8_at("") == std::string_view::npos);
  CHECK(invalid_utf8_at("plain ascii = 1") == std::string_view::npos);
  CHECK(invalid_utf8_at("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80") == std::string_view::npos);  // é € 😀
  CHECK(invalid_utf8_at("ab\xce") == 2);             // truncated at the end
  CHECK(invalid_utf8_at("ab\xcetmp") == 2);          // lead byte, then ASCII
  CHECK(invalid_utf8_at("\xc1\xbf") == 0);           // overlong two-byte form
  CHECK(invalid_utf8_at("x\xe0\x80\x80") == 1);      // overlong three-byte form
  CHECK(invalid_utf8_at("x\xed\xbf\xbf") == 1);      // a surrogate
  CHECK(invalid_utf8_at("\xf4\x8f\xbf\xbf") == std::string_view::npos);  // U+10FFFF, the last
  CHECK(invalid_utf8_at("\xf4\x90\x80\x80") == 0);  // beyond it
  CHECK(invalid_utf8_at("\xf5\x80\x80\x80") == 0);
  CHECK(invalid_utf8_at("a\xbf") == 1);              // a continuation byte alone
}

TEST_CASE("numbers in messages are at most ten significant digits", "[echo]") {
  CHECK(echo_number(1e300) == "1e+300");
  CHECK(echo_number(0.1) == "0.1");
  CHECK(echo_number(123456789012345.0) == "1.23456789e+14");
  CHECK(message_of([] { (void)SimTime::from_seconds(1e300); }).size() < 80);
  CHECK_THAT(message_of([] { (void)SimTime::from_seconds(1e300); }), Catch::Contains("time of 1e+300 s"));
}

TEST_CASE("a found value is echoed bounded wherever a message shows it", "[echo]") {
  const std::string huge(100'000, '7');
  // A scenario string.
  CHECK(ConfigValue::make_string(huge, {}).render() == "\"" + std::string(57, '7') + "...\"");
  CHECK(ConfigValue::make_string("a\nb", {}).render() == "\"a\\nb\"");
  CHECK(ConfigValue::make_float(1e300, {}).render() == "1e+300");
  // A quantity whose number is 400 digits long.
  const std::string q = message_of([&] { (void)parse_quantity(std::string(400, '9') + " W", qty::power); });
  CHECK_THAT(q, Catch::Contains("beyond the range of a double"));
  CHECK(q.size() < 200);
  // A unit name 100,000 characters long.
  CHECK(message_of([&] { (void)parse_quantity("5 " + std::string(100'000, 'W'), qty::power); }).size() < 300);
  // A key 100,000 characters long is refused as too long, echoed bounded; an unknown key path of the
  // longest keys there may be (two of 128 characters) is echoed bounded too.
  const std::string long_key(100'000, 'k');
  const std::string refused = message_of([&] { (void)io::parse_toml(long_key + " = 1\n", "big.toml"); });
  CHECK_THAT(refused, Catch::StartsWith("big.toml:1:1: error: a key of 100000 characters ('kkkk") && Catch::Contains("...'"));
  CHECK(refused.size() < 300);
  const std::string key(128, 'k');
  const ConfigValue root = io::parse_toml("[" + key + "]\n" + key + " = 1\n", "big.toml");
  const std::string unknown = message_of([&] { check_unknown_keys(root); });
  CHECK_THAT(unknown, Catch::StartsWith("big.toml:1:") && Catch::Contains("unknown key 'kkkk") && Catch::Contains("...'"));
  CHECK(unknown.size() < 300);
  // A key path, and a "did you mean" candidate.
  CHECK(ConfigError(SourceLoc{"f.toml", 1, 1}, "sites." + key, "x", "y").what() ==
        "f.toml:1:1: error: key 'sites." + std::string(111, 'k') + "...': expected x, found y");
  CHECK(did_you_mean_hint(std::string(80, 'c'), {std::string(81, 'c')}) == "did you mean \"" + std::string(57, 'c') + "...\"?");
  // An override: the label echoes the assignment bounded too.
  ConfigValue r = io::parse_toml("[mmc]\nservers = 1\n", "s.toml");
  const std::string o = message_of([&] { io::apply_override(r, "mmc.servers[0]=" + huge); });
  CHECK_THAT(o, Catch::StartsWith("--set mmc.servers[0]=777"));
  CHECK(o.size() < 300);
}

TEST_CASE("a CSV field is echoed bounded in a located message", "[echo][csv]") {
  const std::string path = temp_file("field.csv", "time_s,x\n" + std::string(1'000'000, '1') + "x,2\n");
  const std::string m = message_of([&] {
    read_csv(path, [](const CsvRow& r) {
      if (r.line() == 2) (void)r.number(0, std::string(500, 'c'));
    });
  });
  CHECK_THAT(m, Catch::StartsWith(path + ":2:1: error: column 'ccc") && Catch::Contains("...': expected a number, found \"111"));
  CHECK(m.size() < path.size() + 200);
  std::filesystem::remove(path);
}

TEST_CASE("read_csv accepts a byte-order mark and CRLF line ends, with the columns an editor shows", "[csv]") {
  for (const std::string& bom : {std::string(), std::string("\xef\xbb\xbf")}) {
    for (const std::string& eol : {std::string("\n"), std::string("\r\n")}) {
      const std::string path = temp_file("bom.csv", bom + "time_s, image" + eol + "# note" + eol + "1,\"2\"" + eol + eol);
      std::vector<std::vector<std::string>> rows;
      std::vector<std::uint32_t> image_col;
      read_csv(path, [&](const CsvRow& r) {
        rows.push_back({});
        for (std::size_t i = 0; i < r.size(); ++i) rows.back().push_back(r.text(i));
        image_col.push_back(r.loc(1).column);
      });
      INFO("bom " << bom.size() << ", eol " << eol.size());
      REQUIRE(rows.size() == 2);
      CHECK(rows[0] == std::vector<std::string>{"time_s", "image"});
      CHECK(rows[1] == std::vector<std::string>{"1", "2"});
      CHECK(image_col == std::vector<std::uint32_t>{9, 3});
      std::filesystem::remove(path);
    }
  }
  // A BOM is only a BOM at the start of the file: elsewhere it is part of a field.
  const std::string path = temp_file("bom2.csv", "a\n\xef\xbb\xbf" "b\n");
  std::vector<std::string> first;
  read_csv(path, [&](const CsvRow& r) { first.push_back(r.text(0)); });
  CHECK(first == std::vector<std::string>{"a", "\xef\xbb\xbf" "b"});
  std::filesystem::remove(path);
}

TEST_CASE("an instant needs a time zone: parse_utc refuses a date alone or a local date-time, and says why",
          "[calendar]") {
  CHECK(parse_utc("2025-03-25T06:00:00Z") == 1742882400);
  CHECK(parse_utc("2025-03-25T07:00:00+01:00") == 1742882400);
  CHECK(parse_utc("2025-03-25 01:00-05:00") == 1742882400);
  std::string why;
  CHECK_FALSE(parse_utc("2025-03-25T06:00:00", &why));
  CHECK(why == "a local date-time has no time zone (add Z for UTC, e.g. 2025-03-25T06:00:00Z, or an offset such as +01:00)");
  why.clear();
  CHECK_FALSE(parse_utc("2025-03-25 06:00", &why));
  CHECK_THAT(why, Catch::Contains("e.g. 2025-03-25 06:00Z"));
  why.clear();
  CHECK_FALSE(parse_utc("2025-03-25", &why));
  CHECK(why == "a date alone names no instant (write e.g. 2025-03-25T00:00:00Z for UTC midnight)");
  why.clear();
  CHECK_FALSE(parse_utc("2025-03-25T06:00:00Q", &why));
  CHECK(why.empty());  // not a date-time at all: the caller's generic message
}
