// M/M/c (c = 64, ρ = 0.9) through the engine and the models layer (a Run with the MMcModel, as
// `dcsim run` builds it, without output) against a hand-written single-loop M/M/c with a
// std::priority_queue, the same random streams, the same order of draws and the same statistics. Both
// sides must produce the same mean wait to the last bit: the benchmark checks it, so the comparison is of
// the machinery alone.
//
//   usage: mmc_bench [--reps 5] [--hours 20]
#include <cstdio>
#include <cstring>
#include <vector>

#include "bench/handwritten_mmc.hpp"
#include "bench/harness.hpp"
#include "models/queueing/mmc.hpp"
#include "sim/core/run.hpp"

using namespace dcsim;

namespace {

constexpr std::int64_t kServers = 64;
constexpr double kMu = 1.0;
constexpr double kLambda = 0.9 * kServers * kMu;
constexpr std::uint64_t kSeed = 7;

using Result = bench::MMcResult;

// The engine side: what `dcsim run scenarios/mmc.toml` does, minus the HDF5 sink.
Result engine_side(SimTime horizon) {
  RunSettings rs;
  rs.duration = horizon;
  rs.sample_interval = SimTime::minutes(1);
  rs.seed = kSeed;
  Run run(rs);
  queueing::MMcParams p;
  p.arrival_rate = kLambda;
  p.service_rate = kMu;
  p.servers = kServers;
  auto& m = run.emplace_model<queueing::MMcModel>("mmc", p, horizon);
  run.execute();
  return {m.completions(), m.waits().mean()};
}

}  // namespace

int main(int argc, char** argv) {
  const int reps = static_cast<int>(bench::arg_long(argc, argv, "--reps", 5));
  const SimTime horizon = SimTime::hours(bench::arg_long(argc, argv, "--hours", 20));
  Result re, rh;
  const auto p = bench::run_paired(reps, [&] { re = engine_side(horizon); },
                                  [&] { rh = bench::handwritten_mmc(horizon, kServers, kLambda, kMu, kSeed); });
  std::printf("M/M/c, c = %lld, rho = 0.9, %s simulated, %d paired repetitions, medians\n",
              static_cast<long long>(kServers), format_time(horizon).c_str(), reps);
  std::printf("  customers served     %llu (engine) / %llu (hand-written)\n",
              static_cast<unsigned long long>(re.customers), static_cast<unsigned long long>(rh.customers));
  std::printf("  mean wait            %.9f s / %.9f s (%s)\n", re.mean_wait, rh.mean_wait,
              std::memcmp(&re.mean_wait, &rh.mean_wait, sizeof(double)) == 0 ? "identical" : "DIFFERENT");
  const double ce = static_cast<double>(re.customers) / p.median_a();
  const double ch = static_cast<double>(rh.customers) / p.median_b();
  std::printf("  engine + models      %.2f M customers/s\n", ce / 1e6);
  std::printf("  hand-written loop    %.2f M customers/s\n", ch / 1e6);
  std::printf("  ratio                %.2fx (engine / hand-written; paired median %.2fx)\n", ce / ch, p.median_speedup());
  if (re.customers != rh.customers || std::memcmp(&re.mean_wait, &rh.mean_wait, sizeof(double)) != 0) {
    std::fprintf(stderr, "mmc_bench: the two sides disagree: the comparison is void\n");
    return 1;
  }
  return 0;
}
