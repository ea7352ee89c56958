// Diffusion (image) service: time from steps × resolution × batch per GPU type, energy from the published
// board power (ML.ENERGY leaderboard v3: FLUX.1-dev, 1024², 50 steps, H100 11.64 s at batch 1 and 176.6 s
// at batch 16, 683 W; gpu.hpp).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/unit/build_run.hpp"

using namespace dcsim;

namespace {

// `n` image requests at t = 10 s on one GPU of `gpu`, with the given steps and pixels, the service's
// random factor off (the preset's lognormal spread is 3 %).
Summary images(const std::string& gpu, const std::string& steps, const std::string& pixels, int n, int max_batch) {
  const auto p = std::filesystem::temp_directory_path() / "dcsim_diffusion.csv";
  {
    std::ofstream f(p);
    f << "time_s,class,tier\n";
    for (int i = 0; i < n; ++i) f << "10,image,all\n";
  }
  const std::string text = R"([simulation]
duration = "1 h"
sample_interval = "30 min"
[workload]
trace = ")" + p.string() + R"("
[[workload.classes]]
name = "image"
[workload.classes.size]
steps = )" + steps + R"(
pixels = )" + pixels + R"(
reference = { steps = 50, pixels = 1048576 }
[[workload.tiers]]
name = "all"
share = 1
[[serving.gpu_types]]
name = ")" + gpu + R"("
[serving.gpu_types.service.image]
distribution = { kind = "deterministic" }
[[sites]]
name = "s"
[[sites.clusters]]
name = "c"
class = "image"
gpu = ")" + gpu + R"("
gpus = 1
max_batch = )" + std::to_string(max_batch) + "\nmax_wait = \"1 s\"\n";
  auto b = test::build_run(text);
  b->run->execute();
  b->run->check_invariants();
  return b->run->summarize();
}

}  // namespace

TEST_CASE("an image's service time and energy follow steps × resolution, at ML.ENERGY's H100 figures", "[serving][diffusion]") {
  // The reference image: 11.64 s and 683 W × 11.64 s = 2.208 Wh of GPU energy.
  const Summary ref = images("h100_sxm", "50", "1048576", 1, 1);
  CHECK(ref.number("serving.image.all.response_mean_s") == Approx(11.64).epsilon(1e-9));
  CHECK(ref.number("serving.image.energy_per_request_busy_wh") == Approx(683 * 11.64 / 3600).epsilon(1e-9));
  // Half the steps: half the time and energy; 1536² pixels: 2.25 times.
  const Summary half = images("h100_sxm", "25", "1048576", 1, 1);
  CHECK(half.number("serving.image.all.response_mean_s") == Approx(11.64 / 2).epsilon(1e-9));
  CHECK(half.number("serving.image.energy_per_request_busy_wh") == Approx(683 * 11.64 / 2 / 3600).epsilon(1e-9));
  const Summary big = images("h100_sxm", "50", "2359296", 1, 1);
  CHECK(big.number("serving.image.all.response_mean_s") == Approx(11.64 * 2.25).epsilon(1e-9));
  // A batch of 16 takes ML.ENERGY's 176.6 s: 11.04 s of GPU time per image instead of 11.64.
  const Summary batch = images("h100_sxm", "50", "1048576", 16, 16);
  CHECK(batch.number("serving.image.all.response_mean_s") == Approx(176.6).epsilon(1e-9));
  CHECK(batch.number("serving.image.energy_per_request_busy_wh") == Approx(683 * 176.6 / 16 / 3600).epsilon(1e-9));
  // Steps and resolution as distributions: the batch runs at the pace of its mean size.
  const Summary mixed = images("h100_sxm", R"({ kind = "empirical", values = [25, 50], weights = [0.5, 0.5] })", "1048576", 16, 16);
  const double t = mixed.number("serving.image.all.response_mean_s");
  CHECK(t > 176.6 * 0.5);
  CHECK(t < 176.6);
  // B200: ML.ENERGY's 7.75 s at 861 W.
  const Summary b200 = images("b200", "50", "1048576", 1, 1);
  CHECK(b200.number("serving.image.all.response_mean_s") == Approx(7.75).epsilon(1e-9));
  CHECK(b200.number("serving.image.energy_per_request_busy_wh") == Approx(861 * 7.75 / 3600).epsilon(1e-9));
}
