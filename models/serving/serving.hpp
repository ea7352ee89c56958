// GPU serving: sites → clusters → GPUs, with queues, dynamic batching, routing, admission control,
// retries and failures. The serving side of an AI service under a surge.
//
// A cluster is a pool of identical GPUs with one model loaded: it serves one request class. Requests of
// that class are routed to one of its clusters (round robin, weighted, join-shortest-queue by load per GPU,
// power-of-d-choices, least expected delay; a hook lets later models add thermal or carbon penalties), pass
// admission (random drop, token buckets, daily quotas, shedding above a head-of-line delay), and wait in the
// cluster's queue: FIFO per lane, lanes in strict priority (e.g. paid before free), a capacity beyond which
// arrivals are rejected, and abandonment when a waiting request's patience runs out. A GPU that becomes
// free takes a batch: up to max_batch requests, waiting at most max_wait for the batch to fill (dynamic
// batching as in Triton); the requests of a batch finish together (service model in gpu.hpp).
// Rejected, shed and abandoned attempts come back with a probability after a backoff (fixed, or
// exponential with full jitter: U(0, min(cap, base·2^n))), as retry attempts counted apart.
// GPUs fail with a base annual rate (0.11 interruptions per GPU-year: Llama 3 405B on 16,384 H100s,
// DOMAIN.md §6) times a site environment multiplier times a per-group hazard multiplier (a hook the thermal
// model fills with an Arrhenius factor); a failed GPU's batch goes back to the head of the queue; it is
// repaired after a repair time unless its site has no repairs (a sealed vessel). The fleet changes on
// schedule: deliveries (with a commissioning delay), removals and maintenance drains.
//
// Power is piecewise constant between events and integrated exactly, per GPU and per cluster, two ways
// (their agreement is an invariant); each batch's energy is attributed to its requests.
//
// Accounting, per class and checked at the end of every run: attempts = completed + rejected + abandoned +
// shed + in system.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/serving/admission.hpp"
#include "models/serving/gpu.hpp"
#include "models/sites/layout.hpp"
#include "models/workload/request.hpp"
#include "models/workload/request_source.hpp"
#include "sim/core/config.hpp"
#include "sim/core/model.hpp"
#include "sim/core/run.hpp"
#include "sim/core/stats.hpp"

namespace dcsim::serving {

enum class Reject : std::uint8_t { rate_limit, quota, dropped, queue_full, too_long };
inline constexpr std::size_t kRejectReasons = 5;
const char* to_string(Reject r) noexcept;

struct SiteInfo {
  std::string name;
  double network_rtt_s = 0;       // added to every response time
  bool repairs = true;            // false: a sealed vessel
  double failure_multiplier = 1;  // environment (0.125 for a sealed nitrogen vessel, Project Natick)
  std::vector<std::size_t> clusters;
};

class ServingModel final : public Model, public workload::RequestSink {
 public:
  // Reads [serving] and the serving keys of the layout's sites and clusters (their names and order come from
  // the layout, which the model does not keep); the workload supplies classes, tiers and users (and takes
  // this model as its sink).
  ServingModel(const Params& root, const sites::Layout& layout, const RunSettings& rs, workload::RequestSource& wl);
  ~ServingModel() override;

  std::string_view name() const override { return "serving"; }
  void start(Engine& engine) override;
  void on_warmup_end(SimTime now) override;
  void finish(SimTime now, Summary& summary) override;
  void check_invariants(SimTime now) const override;
  void estimate(RunEstimate& e, SimTime duration) const override;
  void describe(Topology& t) const override;
  void submit(const workload::Request& r) override;

  // ---- coupling with later models (thermal, power, carbon) ----
  // Adds a score to each candidate cluster in routing (lower is preferred).
  void set_routing_hook(std::function<double(std::size_t cluster)> hook) { routing_hook_ = std::move(hook); }
  // Multiplies the failure hazard of a group; `bound` must be >= every value it returns.
  void set_hazard(std::function<double(std::size_t cluster, std::size_t group)> multiplier, double bound);
  // Called just before a group's power changes (after = false), so that an observer can integrate up to
  // now with the old power, and just after it (after = true). The listener must not call back into serving
  // before the change; after it, it may.
  void set_power_listener(std::function<void(std::size_t cluster, std::size_t group, bool after)> listener) {
    power_listener_ = std::move(listener);
  }
  std::size_t cluster_count() const noexcept;
  std::size_t group_count(std::size_t cluster) const;
  std::size_t group_gpus(std::size_t cluster, std::size_t group) const;  // GPUs in the group (any state)
  double group_power_w(std::size_t cluster, std::size_t group) const;    // GPU board power now
  double group_clock(std::size_t cluster, std::size_t group) const;
  // Sets a group's clock factor (thermal throttling, power capping); applies at once to the power of busy
  // GPUs and to the duration of batches started from now on.
  void set_group_clock(std::size_t cluster, std::size_t group, double factor);
  // A group's GPUs are shut down (too hot) or back on: shut-down GPUs take no new work, their batches go
  // back to the queue, and they draw no power.
  void set_group_shutdown(std::size_t cluster, std::size_t group, bool down);
  const std::string& cluster_name(std::size_t cluster) const;
  std::size_t cluster_site(std::size_t cluster) const;
  const GpuType& cluster_gpu_type(std::size_t cluster) const;
  double cluster_power_w(std::size_t cluster) const;         // GPUs + server overhead, now
  double cluster_energy_j(std::size_t cluster) const;        // ∫ power since t = 0
  double cluster_overhead_energy_j(std::size_t cluster) const;  // the server-overhead part of it
  double cluster_max_power_w(std::size_t cluster) const;     // every planned GPU at its power limit, plus overhead
  std::size_t cluster_gpus(std::size_t cluster) const;       // GPUs in the cluster (any state)
  std::size_t cluster_class(std::size_t cluster) const;      // index of the workload class it serves
  const std::string& class_name(std::size_t cls) const;
  std::size_t class_count() const noexcept;
  std::uint64_t cluster_completions_measured(std::size_t cluster) const;  // since the warm-up
  const std::vector<SiteInfo>& sites() const noexcept { return sites_; }
  std::size_t site_index(const std::string& name) const;     // sites_.size() if absent

  // ---- figures for tests ----
  struct ClassFigures {
    std::uint64_t attempts = 0, first_attempts = 0, retries = 0, completed = 0, abandoned = 0, shed = 0;
    std::uint64_t rejected[kRejectReasons] = {};
    std::uint64_t given_up = 0;
    SumStat response, wait;
  };
  // Measured after the warm-up, for class c and tier k.
  ClassFigures figures(std::size_t c, std::size_t k) const;
  double mean_in_system(std::size_t cluster) const;  // time average since the warm-up
  double mean_queue(std::size_t cluster) const;
  double utilisation(std::size_t cluster) const;

 private:
  struct Impl;  // impl.hpp
  std::unique_ptr<Impl> impl_;
  std::vector<SiteInfo> sites_;
  std::function<double(std::size_t)> routing_hook_;
  std::function<void(std::size_t, std::size_t, bool)> power_listener_;
};

}  // namespace dcsim::serving
