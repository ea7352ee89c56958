// The serving model's scenario keys, read into plain structs: [serving] (GPU types, routing, priority
// lanes, retries, failures, admission rules, fleet changes) and the sites and clusters of [[sites]].
// All the reading (keys, defaults, ranges, messages, and the order of the reads, which decides which error
// a scenario with several gets) is in spec.cpp; the model is built from its result.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "models/serving/admission.hpp"
#include "models/serving/gpu.hpp"
#include "models/serving/serving.hpp"
#include "models/sites/layout.hpp"
#include "sim/core/config.hpp"
#include "sim/core/distribution.hpp"

namespace dcsim::serving {

inline constexpr double kInf = std::numeric_limits<double>::infinity();
inline constexpr double kYear = 365.25 * 86400.0;

enum class Policy { round_robin, weighted, jsq, power_of_d, least_expected_delay };
// The names of the routing policies in scenarios, in the order of Policy.
const std::vector<std::string>& policy_names();

struct ClusterSpec {
  std::string name;
  std::size_t site = 0, cls = 0;
  std::string gpu;      // a key of ServingSpec::gpu_types
  std::string service;  // a key of that type's service models
  std::uint32_t gpus = 0;  // initial GPUs (brought on line as a fleet change at t = 0)
  std::uint32_t gpus_per_group = 8;
  double overhead_per_gpu_w = 0;
  std::uint32_t max_batch = 1;
  SimTime max_wait;
  std::uint64_t queue_capacity = std::numeric_limits<std::uint64_t>::max();
  double weight = 1;
  // Continuous (iteration-level) batching of an LLM service instead of whole batches.
  bool continuous = false;
  std::uint64_t prefill_budget = 0;  // prompt tokens per prefill iteration (chunked: tokens per iteration)
  bool chunked_prefill = false;
};

struct AdmissionRuleSpec {
  std::size_t tier = 0;
  std::size_t cls = std::numeric_limits<std::size_t>::max();  // max: every class
  bool has_bucket = false;
  double rate = 0, burst = 0;  // token bucket, if has_bucket
  int quota = 0;
  double quota_shape = kInf;
  double drop = 0;
  double shed_delay_s = kInf;
};

struct FleetChangeSpec {
  double at_s = 0;
  std::size_t cluster = 0;
  enum class Kind { add, remove, drain } kind = Kind::add;
  std::uint32_t gpus = 0;
  double duration_s = 0;  // drain
};

struct ServingSpec {
  std::map<std::string, GpuType> gpu_types;
  Policy policy = Policy::jsq;
  std::size_t d = 2;
  std::vector<std::uint8_t> lane_of_tier;  // per tier
  std::size_t lanes = 1;
  // Retries.
  double retry_p = 0;
  RetryBackoff backoff;
  int max_attempts = 1;
  // Failures (always read: [serving.failures] or its defaults).
  double failure_rate_per_s = 0;
  Distribution repair_time;
  std::vector<SiteInfo> sites;
  std::vector<ClusterSpec> clusters;
  std::vector<std::vector<std::size_t>> by_class;  // per workload class, the clusters serving it (at least one)
  std::vector<AdmissionRuleSpec> rules;
  // The initial GPUs of each cluster (one `add` at t = 0 per cluster, in cluster order), then the scheduled
  // [[serving.fleet_changes]] in scenario order.
  std::vector<FleetChangeSpec> changes;
  // The SLOs of LLM requests served with continuous batching (goodput counts the requests that meet both).
  double ttft_slo_s = 0, tpot_slo_s = 0;
};

// Reads [serving] (absent: all defaults) and the serving keys of the layout's sites and clusters, for the
// given workload classes and tiers; serving's cluster indices are the layout's. Throws ConfigError.
// `class_tokens` says, per class, whether its requests carry token counts (a continuous cluster needs them).
ServingSpec read_serving_spec(const Params& root, const sites::Layout& layout,
                              const std::vector<std::string>& class_names, const std::vector<std::string>& tier_names,
                              const std::vector<bool>& class_tokens);

}  // namespace dcsim::serving
