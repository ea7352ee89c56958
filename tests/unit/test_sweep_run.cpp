// Running a sweep in-process (cli/sweep_run, cli/sweep_index): the same files on one thread and on two,
// and replica statistics in the index that are those of the run files.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>

#include "read_file.hpp"
#include "sim/cli/sweep_index.hpp"
#include "sim/cli/sweep_run.hpp"
#include "sim/io/hdf5_output.hpp"
#include "sim/study/replicas.hpp"

using namespace dcsim;
namespace fs = std::filesystem;

namespace {

const std::string kSweep = R"([simulation]
duration = "20 min"
warmup = "2 min"
seed = 3
[mmc]
arrival_rate = "40 /s"
service_rate = "1 /s"
servers = 44
[sweep]
replicas = 3
[[sweep.axes]]
key = "mmc.servers"
values = [42, 44, 48]
)";

struct TempDir {
  fs::path path;
  TempDir() : path(fs::temp_directory_path() / ("dcsim_sweep_" + std::to_string(::getpid()) + "_" + std::to_string(counter()++))) {}
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  static int& counter() {
    static int c = 0;
    return c;
  }
};

cli::SweepRunSummary run_all(cli::Sweep s, const std::string& dir, int threads) {
  REQUIRE(cli::prepare_sweep_dir(s, dir).empty());
  cli::SweepRunOptions o;
  o.dir = dir;
  o.threads = threads;
  o.progress = false;
  for (const auto& r : s.expansion.runs) o.selection.push_back(r.index);
  return cli::run_sweep(s, o);
}

}  // namespace

TEST_CASE("a sweep on two threads writes exactly the files of the same sweep on one", "[sweep][threads]") {
  const cli::Sweep s = cli::sweep_from_text(kSweep, "s.toml", {});
  REQUIRE(s.expansion.runs.size() == 9);
  TempDir one, two;
  const auto r1 = run_all(s, one.path.string(), 1);
  const auto r2 = run_all(s, two.path.string(), 2);
  CHECK(r1.ran == 9);
  CHECK(r2.ran == 9);
  CHECK(r2.failed == 0);
  for (const auto& run : s.expansion.runs) {
    const std::string a = test::read_file(cli::run_file(one.path.string(), run));
    INFO(run.name);
    REQUIRE(!a.empty());
    CHECK(a == test::read_file(cli::run_file(two.path.string(), run)));
  }
  CHECK(cli::count_runs(s, two.path.string()).complete == 9);
}

TEST_CASE("the index's means and paired differences are those of the run files' summaries", "[sweep]") {
  const cli::Sweep s = cli::sweep_from_text(kSweep, "s.toml", {});
  TempDir d;
  REQUIRE(run_all(s, d.path.string(), 2).failed == 0);
  const cli::IndexCounts c = cli::write_index(s, d.path.string());
  CHECK(c.complete == 9);
  // The runs' mean waits, read back from their files, by point and replica.
  std::vector<std::vector<double>> w(3);
  for (const auto& run : s.expansion.runs) {
    const io::OutputInfo info = io::read_output_info(cli::run_file(d.path.string(), run));
    for (const auto& x : info.summary) {
      if (x.name == "mmc.mean_wait_s") w[run.point].push_back(std::get<double>(x.value));
    }
  }
  REQUIRE(w[0].size() == 3);
  // Fewer servers wait longer, in every replica (common random numbers make the comparison paired).
  for (std::size_t k = 0; k < 3; ++k) CHECK(w[0][k] > w[1][k]);
  const auto iv = study::mean_interval(w[0]);
  const auto diff = study::paired_difference(w[2], w[0]);
  CHECK(diff.mean < 0);
  CHECK(diff.high() < 0);  // 48 servers against 42: clearly shorter, and the paired interval says so
  CHECK(iv.n == 3);
  CHECK(fs::file_size(d.path / "index.h5") > 0);
}

TEST_CASE("common random numbers narrow the interval of a difference against independent streams", "[sweep]") {
  // The M/M/c of scenarios/mmc.toml (57.6 /s, 62 against 64 servers) over 2 hours, 10 replicas each. With
  // 20 replicas of 10 hours (README, Studies) the paired interval of the mean wait's difference is 2.0-2.1x
  // narrower than Welch's with independent streams; each width here is a statistic of 10 replicas, and
  // the bound, 0.75, asks for less than 1.4x.
  const std::string text = kSweep + "\n";
  const auto run = [&](const std::string& streams) {
    const cli::Sweep s = cli::sweep_from_text(
        text, "s.toml",
        {"sweep.replicas=10", "sweep.streams=\"" + streams + "\"", "sweep.axes[0].values=[62, 64]",
         "mmc.arrival_rate=\"57.6 /s\"", "simulation.duration=\"2 h\"", "simulation.warmup=\"10 min\""});
    TempDir d;
    REQUIRE(run_all(s, d.path.string(), 2).failed == 0);
    std::vector<std::vector<double>> w(2);
    for (const auto& r : s.expansion.runs) {
      for (const auto& x : io::read_output_info(cli::run_file(d.path.string(), r)).summary) {
        if (x.name == "mmc.mean_wait_s") w[r.point].push_back(std::get<double>(x.value));
      }
    }
    return w;
  };
  const auto c = run("common"), i = run("independent");
  const study::Interval paired = study::paired_difference(c[0], c[1]);
  const study::Interval welch = study::unpaired_difference(i[0], i[1]);
  INFO("paired " << paired.mean << " ± " << paired.half_width << ", Welch " << welch.mean << " ± " << welch.half_width);
  CHECK(paired.mean > 0);
  CHECK(welch.mean > 0);
  CHECK(paired.half_width < 0.75 * welch.half_width);
}
