// GPU failures and repairs. Failures of a cluster's GPUs are drawn as one Poisson stream of candidates at
// the bound of the hazard (base rate × site environment × the hook's bound), each hitting a random GPU and
// accepted in proportion to its group's hazard (thinning); a failed GPU's batch goes back to the head of
// the queue, and it is repaired after a repair time unless its site has no repairs.
#include "models/serving/impl.hpp"

namespace dcsim::serving {

void ServingModel::Impl::schedule_failure_candidate(std::size_t ci) {
  Cluster& cl = clusters[ci];
  engine->cancel(cl.failure_event);
  const double env = self->sites_[cl.site].failure_multiplier;
  const double rate = static_cast<double>(cl.gpus.size()) * failure_rate_per_s * env * hazard_bound;
  if (!(rate > 0)) return;
  const auto c32 = static_cast<std::uint32_t>(ci);
  cl.failure_event = engine->schedule_in(SimTime::from_seconds(cl.failure_rng.exponential(rate)), phase::fleet,
                                         [this, c32] { failure_candidate(c32); });
}

void ServingModel::Impl::failure_candidate(std::size_t ci) {
  Cluster& cl = clusters[ci];
  const auto g = static_cast<std::uint32_t>(cl.failure_rng.below(cl.gpus.size()));
  Gpu& gpu = cl.gpus[g];
  // Thinning: a candidate hits an operational GPU and is accepted in proportion to its group's hazard.
  const double mult = hazard ? hazard(ci, gpu.group) : 1.0;
  const double u = cl.failure_rng.uniform();
  if ((gpu.state == kIdle || gpu.state == kBusy) && u * hazard_bound < mult) fail_gpu(ci, g);
  schedule_failure_candidate(ci);
}

void ServingModel::Impl::fail_gpu(std::size_t ci, std::uint32_t g) {
  Cluster& cl = clusters[ci];
  Gpu& gpu = cl.gpus[g];
  ++cl.failures;
  if (gpu.state == kBusy) {
    requeue_batch(ci, g);
  } else {
    remove_idle(cl, g);
  }
  gpu.state = kFailed;
  ++cl.failed;
  set_gpu_power(ci, g, 0.0);
  update_counts(cl);
  arm_missing_timers(cl);
  if (self->sites_[cl.site].repairs) {
    const auto c32 = static_cast<std::uint32_t>(ci);
    engine->schedule_in(SimTime::from_seconds(repair_time.sample(cl.repair_rng)), phase::fleet,
                        [this, c32, g] { repair(c32, g); });
  }
  dispatch(ci);
}

void ServingModel::Impl::repair(std::size_t ci, std::uint32_t g) {
  Cluster& cl = clusters[ci];
  Gpu& gpu = cl.gpus[g];
  if (gpu.state != kFailed) return;
  --cl.failed;
  if (cl.groups[gpu.group].down) {
    gpu.state = kDown;
    ++cl.down;
  } else {
    make_idle(ci, g);
  }
  update_counts(cl);
  dispatch(ci);
}

}  // namespace dcsim::serving
