// The serving model's run-time state, in plain structs (private to models/serving): a request's record in
// the pool, a cluster's priority lanes, its GPUs and GPU groups, per-class and per-tier counters, a
// scheduled fleet change, and the cluster that holds them together. The behaviour lives in the .cpp files
// listed in impl.hpp.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "models/serving/continuous_batch.hpp"
#include "models/serving/gpu.hpp"
#include "models/serving/serving.hpp"
#include "models/serving/spec.hpp"
#include "models/workload/request.hpp"
#include "sim/core/engine.hpp"
#include "sim/core/random.hpp"
#include "sim/core/stats.hpp"

namespace dcsim::serving {

inline constexpr std::uint32_t kNil = std::numeric_limits<std::uint32_t>::max();

enum RecState : std::uint8_t { kFreeRec, kQueued, kInService, kRetryWait };
enum GpuState : std::uint8_t { kIdle, kBusy, kFailed, kOff, kDown };

// A request attempt in the model: in a lane's doubly linked list while queued, in a GPU's batch slots while
// in service, or waiting for its retry. Records are pooled (a free list threaded through `next`).
struct Rec {
  workload::Request r;
  EventHandle timer;
  double start_s = 0;  // when service started
  double first_token_s = -1;  // continuous batching: when its first token came (-1: not yet)
  std::uint32_t gpu = 0;      // continuous batching: the GPU it is assigned to, while in service
  std::uint32_t prev = kNil, next = kNil;
  std::uint32_t cluster = 0;
  std::uint8_t lane = 0;
  std::uint8_t state = kFreeRec;
};

struct Lane {
  std::uint32_t head = kNil, tail = kNil;
  std::uint64_t size = 0;
};

struct Gpu {
  double power_w = 0;
  double last_s = 0;
  double energy_j = 0;
  double batch_start_s = 0;
  EventHandle done;
  std::uint32_t group = 0;
  std::uint32_t idle_pos = kNil;  // position in the idle stack
  std::uint32_t open_pos = kNil;  // continuous batching: position in the stack of busy GPUs with room
  std::uint16_t batch = 0;
  std::uint8_t state = kOff;
  bool leaving = false;
};

struct Group {
  double power_w = 0;
  double clock = 1.0;
  std::uint32_t first = 0, count = 0;
  bool down = false;
};

struct TierStats {
  std::uint64_t arrivals = 0, completed = 0, abandoned = 0, shed = 0, rejected = 0;
};

struct ClassStats {
  std::uint64_t attempts = 0, first_attempts = 0, retries = 0, completed = 0, abandoned = 0, shed = 0;
  std::uint64_t rejected[kRejectReasons] = {};
  std::uint64_t given_up = 0;
  SumStat response, wait, e2e;
  Histogram response_hist;
  // Continuous batching: time to first token and time per output token (after the first), and the
  // requests that met both SLOs.
  SumStat ttft, tpot;
  Histogram ttft_hist, tpot_hist;
  std::uint64_t slo_met = 0;
};

// A scheduled change as read, and the GPUs a drain took out (given back when it ends).
struct FleetChange : FleetChangeSpec {
  std::vector<std::uint32_t> drained;
};

struct Cluster {
  std::string name;
  std::size_t site = 0, cls = 0;
  const GpuType* type = nullptr;
  const ServiceModel* svc = nullptr;
  std::uint32_t max_batch = 1;
  SimTime max_wait;
  std::uint64_t queue_capacity = std::numeric_limits<std::uint64_t>::max();
  double overhead_per_gpu_w = 0;
  std::uint32_t gpus_per_group = 8;
  double weight = 1;
  // Continuous batching: one batcher per GPU, and the busy GPUs that can take another request.
  bool continuous = false;
  std::uint64_t prefill_budget = 0;
  bool chunked_prefill = false;
  std::vector<ContinuousBatcher> llm;
  std::vector<std::uint32_t> open;
  std::uint64_t preemptions = 0, output_tokens = 0, preemptions_ms = 0, output_tokens_ms = 0;

  std::vector<Gpu> gpus;
  std::vector<Group> groups;
  std::vector<std::uint32_t> idle;
  std::vector<std::uint32_t> slots;  // gpus.size() × max_batch request indices
  std::vector<Lane> lanes;
  std::uint64_t queued = 0, in_service = 0;
  std::uint32_t busy = 0, failed = 0, off = 0, down = 0;
  EventHandle batch_timer;
  EventHandle failure_event;
  Rng service_rng, failure_rng, repair_rng;
  std::uint64_t failures = 0;

  double gpu_power_w = 0, overhead_w = 0;
  TimeWeighted power{0.0}, overhead{0.0}, busy_tw{0.0}, operational_tw{0.0}, queue_tw{0.0}, in_system_tw{0.0};
  TimeWindow power_ms, busy_ms, queue_ms, in_system_ms, operational_ms;
  std::vector<TierStats> tiers;
  // Per tier, the probe's histograms of the responses completed in its current interval: the probe owns
  // and clears them (an interval's quantiles need its exact extremes, which no cumulative histogram keeps).
  Histogram* response_tap = nullptr;
  Histogram* ttft_tap = nullptr;  // continuous batching: the same for times to first token
  std::uint64_t completions = 0, arrivals = 0, abandoned = 0, shed = 0, rejected = 0;
  std::uint64_t c_ms = 0;
  double energy_ms = 0;
  double busy_energy_j = 0, busy_energy_ms = 0;  // attributed to completed requests
  double busy_host_j = 0, busy_host_ms = 0;      // the host's share (overhead per GPU) over the same batches
  SimTime ms_start;

  std::uint32_t operational() const noexcept {
    return static_cast<std::uint32_t>(gpus.size()) - failed - off - down;
  }
  double inv_capacity = 0;  // 1 / (GPUs on line × max batch), or +inf with none: kept by update_counts()
};

}  // namespace dcsim::serving
