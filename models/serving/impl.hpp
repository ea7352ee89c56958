// ServingModel::Impl, shared by the serving model's files (private to models/serving):
//   serving.cpp          construction from the spec, start, the invariants, the coupling accessors
//   queues.cpp           arrivals, cluster queues and patience, batching, GPU service, power accounting
//   routing.cpp          the Router (routing.hpp)
//   admission_rules.cpp  the AdmissionRules (admission_rules.hpp)
//   retries.cpp          rejections, retries with backoff, giving up
//   llm_service.cpp      continuous batching of LLM requests: a batcher per GPU, TTFT, TPOT, goodput
//   failures.cpp         GPU failures and repairs
//   fleet.cpp            fleet changes: deliveries, removals, drains
//   report.cpp           probes, the measured span (warm-up end) and the summary
// The state it works on is in state.hpp; the scenario is read by spec.cpp.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "models/serving/admission.hpp"
#include "models/serving/admission_rules.hpp"
#include "models/serving/routing.hpp"
#include "models/serving/serving.hpp"
#include "models/serving/spec.hpp"
#include "models/serving/state.hpp"
#include "sim/core/distribution.hpp"
#include "sim/core/probes.hpp"

namespace dcsim::serving {

struct ServingModel::Impl {
  ServingModel* self = nullptr;
  const workload::RequestSource* source = nullptr;  // the workload, for the pre-run estimate
  double horizon_s = 0;
  Engine* engine = nullptr;
  std::vector<std::string> class_names, tier_names;
  std::map<std::string, GpuType> gpu_types;
  std::vector<Cluster> clusters;
  std::vector<std::vector<std::size_t>> by_class;
  Router router;
  AdmissionRules admission;
  std::vector<std::uint8_t> lane_of_tier;
  std::size_t lanes = 1;
  // Retries.
  Rng retry_rng;
  double retry_p = 0;
  RetryBackoff backoff;
  int max_attempts = 1;
  // Failures.
  double failure_rate_per_s = 0.11 / kYear;
  Distribution repair_time = Distribution::exponential(24 * 3600.0);
  std::function<double(std::size_t, std::size_t)> hazard;
  double hazard_bound = 1;
  std::vector<FleetChange> changes;
  // SLOs of continuously batched requests.
  double ttft_slo_s = 0, tpot_slo_s = 0;
  std::vector<ContinuousBatcher::Event> llm_events;  // scratch
  std::vector<std::uint64_t> llm_ids;                // scratch
  // Requests.
  std::vector<Rec> recs;
  std::uint32_t free_rec = kNil;
  std::vector<ClassStats> stats, stats_ms;  // [class * tiers + tier]; stats_ms: counters at warm-up end
  std::vector<std::uint64_t> retries_c, rejected_c, given_up_c;  // per class, since t = 0
  SimTime measure_start;

  double now_s() const { return engine->now().to_seconds(); }
  std::size_t ct(std::size_t c, std::size_t k) const { return c * tier_names.size() + k; }

  std::uint32_t alloc_rec() {
    if (free_rec != kNil) {
      const std::uint32_t i = free_rec;
      free_rec = recs[i].next;
      return i;
    }
    recs.emplace_back();
    return static_cast<std::uint32_t>(recs.size() - 1);
  }
  void free_rec_at(std::uint32_t i) {
    recs[i].state = kFreeRec;
    recs[i].next = free_rec;
    free_rec = i;
  }

  // ---- arrivals, queues, batches, GPUs and power (queues.cpp) ----
  void push_back(Cluster& cl, std::uint32_t i);
  void push_front(Cluster& cl, std::uint32_t i);
  void unlink_raw(Cluster& cl, std::uint32_t i);
  void unlink(Cluster& cl, std::uint32_t i);
  void set_queued(Cluster& cl, std::uint64_t q);
  void set_in_service(Cluster& cl, std::uint64_t n);
  SimTime oldest_created(const Cluster& cl) const;
  void set_gpu_power(std::size_t ci, std::uint32_t g, double w);
  void update_overhead(Cluster& cl);
  void update_counts(Cluster& cl);
  void push_idle(Cluster& cl, std::uint32_t g);
  void remove_idle(Cluster& cl, std::uint32_t g);
  void make_idle(std::size_t ci, std::uint32_t g);
  void arm_batch_timer(std::size_t ci, SimTime due);
  void dispatch(std::size_t ci);
  void start_batch(std::size_t ci, std::uint32_t g);
  void batch_done(std::size_t ci, std::uint32_t g);
  // A completed request's response and end-to-end times and its counters.
  void record_completion(Cluster& cl, const Rec& r, double t, double rtt);
  // A busy GPU whose work ended: off if it was leaving, down if its group is, otherwise idle.
  void release_gpu(std::size_t ci, std::uint32_t g);
  // Puts a busy GPU's batch back at the head of the queue (a failure or a thermal shutdown).
  void requeue_batch(std::size_t ci, std::uint32_t g);
  void arm_patience(std::uint32_t i);
  // Requests queued without a patience timer (they were sure to start within max_wait on an idle GPU)
  // need one as soon as the cluster has no idle GPU left.
  void arm_missing_timers(Cluster& cl);
  void abandon(std::uint32_t i);

  // ---- continuous batching of LLM requests (llm_service.cpp) ----
  void llm_dispatch(std::size_t ci);
  void llm_change(std::size_t ci, std::uint32_t g);  // the GPU's batch changes (its batcher's next change)
  // After the GPU's batcher changed: energy attribution, state, power, the stack of GPUs with room, and
  // the event of its next change.
  void llm_sync(std::size_t ci, std::uint32_t g);
  void llm_requeue(std::size_t ci, std::uint32_t g);  // its requests back at the head of the queue
  void llm_finished(Cluster& cl, std::uint32_t i, double t);
  // Patience timers for the requests waiting in GPU g's batcher that went without one on its promise.
  void llm_rearm(std::size_t ci, std::uint32_t g);
  void book_busy_energy(Cluster& cl, Gpu& gpu, double now);  // the serving energy since the last booking
  void open_gpu(Cluster& cl, std::uint32_t g);
  void close_gpu(Cluster& cl, std::uint32_t g);
  std::uint32_t pop_head(Cluster& cl);  // the head of the highest non-empty lane, unlinked

  // ---- retries (retries.cpp) ----
  void retry_or_give_up(std::uint32_t i);
  void retry(std::uint32_t i);
  void reject(const workload::Request& req, Reject why);

  // ---- failures and repairs (failures.cpp) ----
  void schedule_failure_candidate(std::size_t ci);
  void failure_candidate(std::size_t ci);
  void fail_gpu(std::size_t ci, std::uint32_t g);
  void repair(std::size_t ci, std::uint32_t g);

  // ---- fleet changes (fleet.cpp) ----
  void add_gpus(std::size_t ci, std::uint32_t n);
  // Brings GPUs [from, gpus.size()) on line (new deliveries).
  void commission(std::size_t ci, std::uint32_t from);
  // Takes n GPUs out: idle ones at once, busy ones after their batch. Returns those taken.
  std::vector<std::uint32_t> take_out(std::size_t ci, std::uint32_t n);
  void apply_change(std::size_t k);
  void end_drain(std::size_t k);

  // ---- report (report.cpp) ----
  void register_probes(ProbeRegistry& pr);
};

}  // namespace dcsim::serving
