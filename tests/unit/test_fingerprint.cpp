// Fingerprints: the hash of a run's event trace and random draws, and the regression table of
// tests/regression/fingerprints.csv.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "sim/cli/job.hpp"
#include "tests/unit/read_file.hpp"
#include "sim/core/engine.hpp"

using namespace dcsim;

namespace {

using test::read_file;

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

struct Fp {
  std::uint64_t value, events, draws;
  Summary summary;
};

Fp fingerprint_of(const std::string& scenario, std::vector<std::string> overrides, bool on = true) {
  const std::string path = std::string(DCSIM_SOURCE_DIR) + "/" + scenario;
  cli::Job job = cli::prepare_job_from_text(read_file(path), path, overrides, on);
  const cli::JobResult r = cli::run_to_summary(job, {});
  REQUIRE(r.error.empty());
  const Fingerprint* f = job.run->engine().fingerprint();
  if (!on) {
    REQUIRE(f == nullptr);
    return {0, 0, 0, r.summary};
  }
  REQUIRE(f != nullptr);
  return {f->value(), f->event_count(), f->draw_count(), r.summary};
}

}  // namespace

TEST_CASE("a fingerprint covers every event and draw, and taking it changes no result", "[fingerprint]") {
  const std::vector<std::string> o = {"simulation.duration=10min", "simulation.warmup=1min"};
  const Fp a = fingerprint_of("scenarios/mmc.toml", o), b = fingerprint_of("scenarios/mmc.toml", o);
  CHECK(a.value == b.value);
  CHECK(a.events == static_cast<std::uint64_t>(a.summary.number("run.events")));
  CHECK(a.draws > 0.9 * static_cast<double>(a.events));  // one draw per arrival and per service, about
  const Fp off = fingerprint_of("scenarios/mmc.toml", o, false);
  REQUIRE(off.summary.entries().size() == a.summary.entries().size());
  for (std::size_t i = 0; i < a.summary.entries().size(); ++i) {
    INFO(a.summary.entries()[i].name);
    CHECK(a.summary.entries()[i].value == off.summary.entries()[i].value);
  }
  // Another seed, another run index, or a changed parameter: another fingerprint.
  CHECK(fingerprint_of("scenarios/mmc.toml", {"simulation.duration=10min", "simulation.warmup=1min", "simulation.seed=2"}).value != a.value);
  CHECK(fingerprint_of("scenarios/mmc.toml", {"simulation.duration=10min", "simulation.warmup=1min", "simulation.run_index=1"}).value != a.value);
  CHECK(fingerprint_of("scenarios/mmc.toml", {"simulation.duration=10min", "simulation.warmup=1min", "mmc.servers=65"}).value != a.value);
}

TEST_CASE("shipped scenarios keep the fingerprints of tests/regression/fingerprints.csv", "[fingerprint][regression]") {
  std::istringstream csv(read_file(std::string(DCSIM_SOURCE_DIR) + "/tests/regression/fingerprints.csv"));
  std::size_t rows = 0;
  bool header = false;
  for (std::string line; std::getline(csv, line);) {
    if (line.empty() || line[0] == '#') continue;
    if (!header) {
      REQUIRE(line == "scenario,overrides,horizon,fingerprint");
      header = true;
      continue;
    }
    const auto f = split(line, ',');
    REQUIRE(f.size() == 4);
    std::vector<std::string> overrides;
    if (!f[1].empty()) overrides = split(f[1], ';');
    overrides.push_back("simulation.duration=" + f[2]);
    const Fp fp = fingerprint_of(f[0], overrides);
    const std::string got = Fingerprint::hex(fp.value);
    INFO(f[0] << " [" << f[1] << "] to " << f[2] << ": expected " << f[3] << ", got " << got
              << " (if the change is intended, the row is: " << f[0] << "," << f[1] << "," << f[2] << "," << got << ")");
    CHECK(got == f[3]);
    ++rows;
  }
  CHECK(rows >= 6);
}
