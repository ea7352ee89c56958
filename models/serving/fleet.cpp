// Fleet changes: the initial GPUs (an `add` at t = 0), deliveries (after their commissioning delay),
// removals and maintenance drains. New GPUs come in groups of the cluster's granularity; GPUs taken out go
// at once when idle, failed or shut down, and after their batch when busy.
#include <algorithm>

#include "models/serving/impl.hpp"

namespace dcsim::serving {

void ServingModel::Impl::add_gpus(std::size_t ci, std::uint32_t n) {
  Cluster& cl = clusters[ci];
  const double now = now_s();
  while (n > 0) {
    Group grp;
    grp.first = static_cast<std::uint32_t>(cl.gpus.size());
    grp.count = std::min(n, cl.gpus_per_group);
    const auto gi = static_cast<std::uint32_t>(cl.groups.size());
    cl.groups.push_back(grp);
    for (std::uint32_t j = 0; j < grp.count; ++j) {
      Gpu gpu;
      gpu.group = gi;
      gpu.last_s = now;
      gpu.state = kOff;
      cl.gpus.push_back(gpu);
      if (cl.continuous) {
        LlmLimits lim;
        lim.kv_tokens = cl.svc->kv_tokens;
        lim.max_batch = cl.max_batch;
        lim.prefill_budget = cl.prefill_budget;
        lim.chunked_prefill = cl.chunked_prefill;
        cl.llm.emplace_back(cl.svc->llm_latency, lim);
        cl.llm.back().set_speed(cl.groups[gi].clock);
      }
      ++cl.off;
    }
    n -= grp.count;
  }
  cl.slots.resize(cl.gpus.size() * cl.max_batch, kNil);
}

// Brings GPUs [from, gpus.size()) on line (new deliveries).
void ServingModel::Impl::commission(std::size_t ci, std::uint32_t from) {
  Cluster& cl = clusters[ci];
  for (std::uint32_t g = from; g < cl.gpus.size(); ++g) {
    --cl.off;
    make_idle(ci, g);
  }
  update_overhead(cl);
  update_counts(cl);
  schedule_failure_candidate(ci);
  dispatch(ci);
}

// Takes n GPUs out: idle ones at once, busy ones after their batch. Returns those taken.
std::vector<std::uint32_t> ServingModel::Impl::take_out(std::size_t ci, std::uint32_t n) {
  Cluster& cl = clusters[ci];
  std::vector<std::uint32_t> taken;
  while (n > 0 && !cl.idle.empty()) {
    const std::uint32_t g = cl.idle.back();
    remove_idle(cl, g);
    cl.gpus[g].state = kOff;
    ++cl.off;
    set_gpu_power(ci, g, 0.0);
    taken.push_back(g);
    --n;
  }
  for (std::uint32_t g = static_cast<std::uint32_t>(cl.gpus.size()); n > 0 && g-- > 0;) {
    Gpu& gpu = cl.gpus[g];
    if (gpu.state == kBusy && !gpu.leaving) {
      gpu.leaving = true;
      close_gpu(cl, g);  // continuous batching: it takes no more requests
      taken.push_back(g);
      --n;
    } else if (gpu.state == kFailed || gpu.state == kDown) {
      if (gpu.state == kFailed) --cl.failed; else --cl.down;
      gpu.state = kOff;
      ++cl.off;
      taken.push_back(g);
      --n;
    }
  }
  update_overhead(cl);
  update_counts(cl);
  arm_missing_timers(cl);
  return taken;
}

void ServingModel::Impl::apply_change(std::size_t k) {
  FleetChange& ch = changes[k];
  Cluster& cl = clusters[ch.cluster];
  switch (ch.kind) {
    case FleetChange::Kind::add: {
      const auto from = static_cast<std::uint32_t>(cl.gpus.size());
      add_gpus(ch.cluster, ch.gpus);
      commission(ch.cluster, from);
      break;
    }
    case FleetChange::Kind::remove: take_out(ch.cluster, ch.gpus); break;
    case FleetChange::Kind::drain: {
      ch.drained = take_out(ch.cluster, ch.gpus);
      const auto k32 = static_cast<std::uint32_t>(k);
      engine->schedule_in(SimTime::from_seconds(ch.duration_s), phase::fleet, [this, k32] { end_drain(k32); });
      break;
    }
  }
}

void ServingModel::Impl::end_drain(std::size_t k) {
  FleetChange& ch = changes[k];
  Cluster& cl = clusters[ch.cluster];
  for (const std::uint32_t g : ch.drained) {
    Gpu& gpu = cl.gpus[g];
    if (gpu.state == kOff) {
      --cl.off;
      make_idle(ch.cluster, g);
    } else if (gpu.leaving) {
      gpu.leaving = false;
    }
  }
  update_overhead(cl);
  update_counts(cl);
  dispatch(ch.cluster);
}

}  // namespace dcsim::serving
