// GPU types and their service models.
//
// A GPU type is a named preset (h100_sxm, h200, a100, b200) whose every field a scenario may override:
// power limit, idle power without and with a model loaded, maximum clock, DVFS exponent, and per request
// class a service model. Sources (DOMAIN.md §2, §3, §10):
//   h100_sxm: 700 W limit, 75 W idle with no context, 140 W with a model loaded (nvidia-smi dump of a Hopper
//             SXM; gpu-burn issue #114), SM clock 1980 MHz. FLUX.1-dev 1024², 50 steps: 11.64 s at batch 1,
//             176.6 s at batch 16, 683 W average (ML.ENERGY leaderboard v3).
//   b200:     ~1000 W (vendor, via introl.com); FLUX.1-dev 7.75 s at batch 1, 861 W (ML.ENERGY v3). Idle
//             powers are unverified: assumed 150 W / 200 W.
//   h200:     700 W (vendor). FLUX timing assumed equal to H100 (same compute; an assumption).
//   a100:     400 W limit, ~52 W idle (nvidia-smi dumps), 1410 MHz. FLUX timing derived, not measured: the
//             H100/A100 dense BF16 ratio (989/312 TFLOPS) is 3.2; we assume 2.5× the H100 time (29.1 s) —
//             unverified. Loaded idle assumed 90 W.
//   text (all types): no per-token measurement in DOMAIN.md; the model t(b) = 2.0 s + 0.53 s·b for a
//             600-token reference response at 550 W is an assumption calibrated so that a batch of 16 costs
//             ~0.1 Wh of GPU energy per query (Google 2025: 0.10 Wh accelerator-only per median prompt).
//             A100 ×2.5, B200 ×0.67 (assumptions).
//   text with continuous batching (scheduler = "continuous"): a 7B-parameter LLM on one GPU (TP 1), fitted
//             to NVIDIA TensorRT-LLM's published LLaMA-7B tables (docs/source/performance.md, v0.5/v0.6.1,
//             commit 138f96d4): the prefill a_p + b_p·n through the batch-1 first-token latencies at 128 and
//             2048 prompt tokens (H100 FP8: 7 and 36 ms; A100 FP16: 16 and 133 ms); the decode iteration
//             a_d + b_d·b + c_d·K by least squares on the static-batch throughput rows (H100: 4 rows, within
//             4.7 % of each; A100: 3 rows, exact), each row's time less its prefill over its output tokens.
//               H100: a_p 5.07 ms, b_p 15.1 µs/token; a_d 13.3 ms, b_d 16.0 µs/request, c_d 0.0131 µs/token.
//               A100: a_p 8.20 ms, b_p 60.9 µs/token; a_d 16.5 ms, b_d 43.0 µs/request, c_d 0.171 µs/token.
//             KV cache (derived): LLaMA-7B keeps 2 × 32 layers × 32 heads × 128 × bytes per value per token:
//             256 KiB in FP8 (H100, as benchmarked), 512 KiB in FP16 (A100); 90 % of memory less the weights
//             (7 GB FP8, 13.5 GB FP16) gives ~250,000 tokens on an 80 GB H100, ~110,000 on an 80 GB A100.
//             Phase powers: SplitwiseSim's constants (Patel et al., ISCA 2024): H100 prefill 700 W, decode
//             380 W; A100 400 W, 250 W. H200 and B200: assumptions (gpu.cpp).
//
// Service time of a batch of b requests of class c on a GPU at clock factor f (compute-bound, throughput ∝ f):
//   S = T_c(b) · s̄ / f · X
// with T_c(b) a table over batch sizes (linear in between, linear extrapolation beyond) or t0 + t1·b, s̄ the
// mean size of the batch's requests (a batch runs at the pace of its mean size: an approximation), and X a
// random factor of mean 1: deterministic, exponential or lognormal with a given cv, so that classic queueing
// cases (M/M/c, M/D/1) can be set up exactly.
// Power of a GPU: idle (model loaded) when idle; when busy P = P_idle + (P_active,c − P_idle)·f^α, α = 3
// by default (dynamic power ∝ f·V², V ∝ f; DOMAIN.md §3).
#pragma once

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "models/serving/continuous_batch.hpp"
#include "sim/core/config.hpp"
#include "sim/core/distribution.hpp"
#include "sim/core/random.hpp"

namespace dcsim::serving {

struct ServiceModel {
  std::vector<double> batch;   // batch sizes of the table (empty: linear model)
  std::vector<double> time_s;  // T(b) at those sizes
  double t0_s = 0, t1_s = 0;   // linear model T(b) = t0 + t1·b
  enum class Shape { deterministic, exponential, lognormal } shape = Shape::deterministic;
  double cv = 0;               // lognormal only
  double active_power_w = 0;   // average board power when busy at full clock
  Distribution factor;         // X, mean 1
  // An LLM served with continuous batching (clusters with scheduler = "continuous"): the latency of a
  // prefill and of a decode iteration at full clock, the KV cache of one GPU in tokens, and the board power
  // of each phase at full clock (continuous_batch.hpp has the model).
  bool llm = false;
  LlmLatency llm_latency;
  std::uint64_t kv_tokens = 0;
  double prefill_power_w = 0, decode_power_w = 0;

  double batch_time(double b) const;  // T(b), seconds
  double sample_factor(Rng& rng) const { return shape == Shape::deterministic ? 1.0 : factor.sample(rng); }
  void finalise();                    // builds `factor` from shape and cv
};

struct GpuType {
  std::string name;
  double power_limit_w = 0;
  double idle_w = 0;         // no model loaded (also the draw of a GPU that is off-duty but powered)
  double idle_loaded_w = 0;  // model loaded, no work
  double max_clock_mhz = 0;
  double dvfs_exponent = 3;
  std::map<std::string, ServiceModel> service;  // by service name ("image", "text", or a class name)

  // Power while busy at clock factor f.
  double busy_power_w(const ServiceModel& s, double f) const { return phase_power_w(s.active_power_w, f); }
  // Power of a phase drawing `active_w` at full clock, at clock factor f.
  double phase_power_w(double active_w, double f) const {
    const double scale = f == 1 ? 1.0 : std::pow(f, dvfs_exponent);  // pow(1, x) is 1: the same, without the call
    return idle_loaded_w + (active_w - idle_loaded_w) * scale;
  }
};

const std::vector<std::string>& gpu_preset_names();
GpuType gpu_preset(const std::string& name);  // throws std::out_of_range

// Reads [[serving.gpu_types]] entries: `name`, optional `preset` (default: the name, if it is a preset), then
// overrides of any field, and [serving.gpu_types.service.<name>] tables. Presets not mentioned stay
// available under their own names.
std::map<std::string, GpuType> read_gpu_types(const std::vector<Params>& tables);

ServiceModel read_service(const Params& p, const ServiceModel* base);

}  // namespace dcsim::serving
