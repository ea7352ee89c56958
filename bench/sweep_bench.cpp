// The sweep layer: how a sweep's runs share the machine's cores, and what the sweep machinery itself
// costs per run.
//
// Scaling: a sweep of --runs runs of the M/M/c scenario (servers 60, 61, ...: runs of about the same
// length, --hours simulated hours each) on 2 threads against the same sweep on 1 thread, alternating in
// this process (A B A B ...); the median of the paired ratios is the speedup (target >= 1.85x on 2 cores).
//
// Overhead: for scenarios/cooling_sweep.toml (the default scenario's 18 runs: the heaviest model build of
// the shipped scenarios), the time to expand the sweep, to build and check every point (validation), and
// to write the index from the run files (runs of 10 simulated minutes, so that they exist), each per run
// (target: all three < 50 ms per run together).
//
//   usage: sweep_bench [--reps 5] [--runs 8] [--hours 12]
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "bench/harness.hpp"
#include "sim/cli/sweep_index.hpp"
#include "sim/cli/sweep_run.hpp"

using namespace dcsim;
namespace fs = std::filesystem;

namespace {

std::string file_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string temp_dir(const std::string& name) {
  return (fs::temp_directory_path() / ("dcsim_sweep_bench_" + std::to_string(::getpid()) + "_" + name)).string();
}

cli::SweepRunSummary run_in(cli::Sweep s, const std::string& dir, int threads) {
  std::error_code ec;
  fs::remove_all(dir, ec);
  if (const std::string why = cli::prepare_sweep_dir(s, dir); !why.empty()) {
    std::fprintf(stderr, "sweep_bench: %s\n", why.c_str());
    std::exit(1);
  }
  cli::SweepRunOptions o;
  o.dir = dir;
  o.threads = threads;
  o.progress = false;
  for (const auto& r : s.expansion.runs) o.selection.push_back(r.index);
  const cli::SweepRunSummary sum = cli::run_sweep(s, o);
  if (sum.failed) {
    std::fprintf(stderr, "sweep_bench: %zu runs failed: %s\n", sum.failed, sum.errors.front().c_str());
    std::exit(1);
  }
  return sum;
}

}  // namespace

int main(int argc, char** argv) {
  const int reps = static_cast<int>(bench::arg_long(argc, argv, "--reps", 5));
  const long runs = bench::arg_long(argc, argv, "--runs", 8);
  const long hours = bench::arg_long(argc, argv, "--hours", 12);

  const std::string mmc = std::string(DCSIM_SOURCE_DIR) + "/scenarios/mmc.toml";
  const std::string text = file_text(mmc) + "\n[sweep]\n[[sweep.axes]]\nkey = \"mmc.servers\"\nrange = \"60:" +
                           std::to_string(60 + runs - 1) + ":1\"\n";
  const cli::Sweep s = cli::sweep_from_text(text, mmc, {"simulation.duration=" + std::to_string(hours) + "h"});
  const std::string d1 = temp_dir("1"), d2 = temp_dir("2");
  const bench::Paired p = bench::run_paired(reps, [&] { run_in(s, d2, 2); }, [&] { run_in(s, d1, 1); });
  std::printf("sweep scaling: %zu runs of the M/M/c scenario (%ld simulated hours each), %d paired repetitions\n",
              s.expansion.runs.size(), hours, reps);
  std::printf("  1 thread   %.3f s (median)\n  2 threads  %.3f s (median)\n  speedup    %.2fx (median of paired ratios; target >= 1.85x)\n",
              p.median_b(), p.median_a(), p.median_speedup());

  const std::string cooling = std::string(DCSIM_SOURCE_DIR) + "/scenarios/cooling_sweep.toml";
  std::vector<double> expand_s, validate_s, index_s;
  const std::string d3 = temp_dir("3");
  cli::Sweep c;
  for (int i = 0; i < reps; ++i) {
    expand_s.push_back(bench::seconds_of([&] { c = cli::load_sweep(cooling, {"simulation.duration=10min", "simulation.warmup=0s"}); }));
    validate_s.push_back(bench::seconds_of([&] { (void)cli::validate_sweep(c); }));
    if (i == 0) run_in(c, d3, 2);
    index_s.push_back(bench::seconds_of([&] { (void)cli::write_index(c, d3); }));
  }
  const double n = static_cast<double>(c.expansion.runs.size());
  const double e = bench::median(expand_s) / n * 1e3, v = bench::median(validate_s) / n * 1e3, x = bench::median(index_s) / n * 1e3;
  std::printf("sweep overhead per run: scenarios/cooling_sweep.toml, %zu runs (%zu points), medians of %d\n",
              c.expansion.runs.size(), c.expansion.points, reps);
  std::printf("  expansion  %.3f ms\n  validation %.3f ms\n  index      %.3f ms\n  total      %.3f ms (target < 50 ms)\n", e, v, x, e + v + x);
  std::error_code ec;
  for (const auto& d : {d1, d2, d3}) fs::remove_all(d, ec);
  return 0;
}
