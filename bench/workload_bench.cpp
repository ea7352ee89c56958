// Arrival generation for one simulated week of the calibrated 2025 surge (scenarios/surge_workload.toml,
// image class, both tiers: ~700 M requests), generation only, against drawing the same number of arrivals
// from a homogeneous Poisson process at the mean rate with the same generator. The target is a ratio of at
// least 0.5: thinning and the rate profile cost at most as much again as the exponential draws.
//
//   usage: workload_bench [--reps 3] [--days 7]
#include <cmath>
#include <cstdio>

#include "bench/harness.hpp"
#include "models/workload/workload.hpp"
#include "models/world.hpp"
#include "sim/io/scenario.hpp"

using namespace dcsim;

int main(int argc, char** argv) {
  const int reps = static_cast<int>(bench::arg_long(argc, argv, "--reps", 3));
  const double days = static_cast<double>(bench::arg_long(argc, argv, "--days", 7));
  io::Scenario sc = io::load_scenario(DCSIM_SOURCE_DIR "/scenarios/surge_workload.toml",
                                      {"simulation.duration=" + std::to_string(static_cast<int>(days)) + "d"});
  const Params root(sc.root, "", models::parameter_schema());
  const RunSettings rs = RunSettings::from(root.table("simulation"));
  const RandomStreams streams(rs.seed, rs.run_index);
  const workload::WorkloadModel w(root.table("workload"), rs, streams);
  const std::size_t image = 0;
  const double end = days * 86400.0;

  std::uint64_t n = 0;
  double last = 0;
  auto surge = [&] {
    n = 0;
    for (std::size_t k = 0; k < w.tiers().size(); ++k) {
      // The concrete generator, as the model's arrival events use it (through a virtual call there).
      workload::NhppGenerator g(w.rate_function(image, k), w.arrival_stream(image, k), 0.0, end);
      for (double t = g.next(); t < workload::kInf; t = g.next()) {
        ++n;
        last = t;
      }
    }
  };
  std::uint64_t m = 0;
  double sink = 0;
  auto homogeneous = [&] {
    Rng rng = streams.stream("bench.homogeneous");
    const double rate = static_cast<double>(n) / end;
    double t = 0;
    for (m = 0; m < n; ++m) t += -std::log(rng.uniform_pos()) / rate;
    sink = t;
  };
  surge();  // fixes n for the baseline
  const auto p = bench::run_paired(reps, surge, homogeneous);
  double expected = 0;
  for (std::size_t k = 0; k < w.tiers().size(); ++k) expected += w.expected_arrivals(image, k, 0.0, end);
  std::printf("surge arrivals, %.0f simulated days, image class, %d paired repetitions, medians\n", days, reps);
  std::printf("  arrivals generated   %llu (expected ∫λ = %.0f, %+.2f sd)\n", static_cast<unsigned long long>(n),
              expected, (static_cast<double>(n) - expected) / std::sqrt(expected));
  std::printf("  surge (exact NHPP)   %.1f M arrivals/s\n", static_cast<double>(n) / p.median_a() / 1e6);
  std::printf("  homogeneous Poisson  %.1f M arrivals/s\n", static_cast<double>(m) / p.median_b() / 1e6);
  std::printf("  ratio                %.2fx (target >= 0.5x)  [%g %g]\n", p.median_b() / p.median_a(), last, sink);
  return 0;
}
