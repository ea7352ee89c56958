// The serving model's part of the pre-run estimate (sim/core/run_estimate.hpp): the fleet's state, the
// requests in flight at the peak, and the events of serving them.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "models/serving/impl.hpp"
#include "sim/core/echo.hpp"

namespace dcsim::serving {

void ServingModel::estimate(RunEstimate& e, SimTime duration) const {
  const Impl& m = *impl_;
  const double T = duration.to_seconds();

  // The fleet: every GPU the run will have (initial and delivered), its batch slots and its group.
  std::vector<double> gpus_of(m.clusters.size(), 0.0);
  for (std::size_t i = 0; i < m.clusters.size(); ++i) gpus_of[i] = static_cast<double>(m.clusters[i].gpus.size());
  for (const auto& ch : m.changes) {
    if (ch.kind == FleetChangeSpec::Kind::add) gpus_of[ch.cluster] += ch.gpus;
  }
  std::size_t biggest = 0;
  double fleet_bytes = 0, biggest_bytes = -1;
  for (std::size_t i = 0; i < m.clusters.size(); ++i) {
    const Cluster& cl = m.clusters[i];
    const double per_gpu = sizeof(Gpu) + 4.0 * cl.max_batch + 4.0 + sizeof(Group) / std::max(1u, cl.gpus_per_group);
    const double b = gpus_of[i] * per_gpu;
    fleet_bytes += b;
    if (b > biggest_bytes) biggest_bytes = b, biggest = i;
  }
  if (!m.clusters.empty()) {
    const Cluster& cl = m.clusters[biggest];
    std::size_t in_site = 0;
    for (std::size_t i = 0; i < biggest; ++i) in_site += m.clusters[i].site == cl.site;
    e.add({.key = "sites[" + std::to_string(cl.site) + "].clusters[" + std::to_string(in_site) + "].gpus",
           .what = "the state of " + echo_number(std::accumulate(gpus_of.begin(), gpus_of.end(), 0.0)) +
                   " GPUs (the most in cluster " + cl.name + ")",
           .events_per_s = 0,
           .bytes = fleet_bytes});
  }

  // Requests in flight at the peak, per class: those in service, plus the queue of a fluid model whose
  // arrivals are the workload's expected requests times the attempts a retry policy allows, whose service
  // is the class's clusters at full batch, and whose waiting requests give up at the mean patience P:
  // q' = λ − μ − q/P, solved exactly over bins of at least a minute with λ constant in each,
  // q ← max(0, q·e^(−Δt/P) + (λ − μ)·P·(1 − e^(−Δt/P))) (q + (λ − μ)·Δt without abandonment), bounded by
  // finite queue capacities.
  const std::size_t bins = static_cast<std::size_t>(std::clamp(T / 60.0, 1.0, 2000.0));
  const double dt = T / static_cast<double>(bins);
  const double patience = m.source->mean_patience_s();
  const bool abandons = std::isfinite(patience) && patience > 0;
  const double keep = abandons ? std::exp(-dt / patience) : 1.0;
  const double gain = abandons ? patience * (1 - keep) / dt : 1.0;  // of the bin's net inflow
  double attempts = 0;
  for (int i = 0; i < std::max(1, m.max_attempts); ++i) attempts += std::pow(m.retry_p, i);
  double total = 0, most = -1, in_flight = 0;
  std::size_t top = 0;
  for (std::size_t c = 0; c < m.class_names.size(); ++c) {
    double capacity = 0, slots = 0, queue_cap = 0;
    bool bounded = !m.by_class[c].empty();
    for (const std::size_t i : m.by_class[c]) {
      const Cluster& cl = m.clusters[i];
      const double b = cl.max_batch;
      if (cl.continuous) {
        // A full batch of nominal LLM requests (1000 prompt and 250 output tokens; an estimate only): each
        // prefilled once, then 250 decode iterations shared by the batch.
        const LlmLatency& l = cl.svc->llm_latency;
        const double batch_life = b * l.prefill_time(1000) + 250 * l.decode_time(b, b * 1125);
        capacity += gpus_of[i] * b / std::max(1e-9, batch_life);
      } else {
        capacity += gpus_of[i] * b / std::max(1e-9, cl.svc->batch_time(b));
      }
      slots += gpus_of[i] * b;
      if (cl.queue_capacity == std::numeric_limits<std::uint64_t>::max()) bounded = false;
      else queue_cap += static_cast<double>(cl.queue_capacity);
    }
    double q = 0, peak = 0, n = 0;
    for (std::size_t j = 0; j < bins; ++j) {
      const double a =
          attempts * m.source->expected_requests(c, static_cast<double>(j) * dt, static_cast<double>(j + 1) * dt);
      n += a;
      q = std::max(0.0, q * keep + (a - capacity * dt) * gain);
      peak = std::max(peak, q);
    }
    if (bounded) peak = std::min(peak, queue_cap);
    in_flight += peak + slots;
    total += n;
    if (n > most) most = n, top = c;
  }
  if (!m.class_names.empty()) {
    e.add({.key = m.source->rate_key(top),
           .what = "serving about " + echo_number(std::round(total)) + " attempts (about two events each), up to " +
                   echo_number(std::round(in_flight)) + " in flight",
           .events_per_s = 2 * total / T,
           .bytes = in_flight * (sizeof(Rec) + 32.0)});
  }
}

}  // namespace dcsim::serving
