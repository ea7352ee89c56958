// Rejected, shed and abandoned attempts: with probability `retry.probability` (and attempts left) the
// attempt comes back after a backoff (admission.hpp: fixed, or exponential with full jitter) as a retry,
// counted apart; otherwise the request has failed for good ("given up").
#include "models/serving/impl.hpp"

namespace dcsim::serving {

void ServingModel::Impl::retry_or_give_up(std::uint32_t i) {
  Rec& r = recs[i];
  const std::size_t c = r.r.cls;
  if (r.r.attempt + 1 < max_attempts && retry_p > 0 && retry_rng.bernoulli(retry_p)) {
    const double delay = backoff.delay_s(r.r.attempt, backoff.exponential ? retry_rng.uniform() : 0.0);
    r.state = kRetryWait;
    engine->schedule_in(SimTime::from_seconds(delay), phase::workload, [this, i] { retry(i); });
    return;
  }
  ++stats[ct(c, r.r.tier)].given_up;
  ++given_up_c[c];
  free_rec_at(i);
}

void ServingModel::Impl::retry(std::uint32_t i) {
  workload::Request r = recs[i].r;
  free_rec_at(i);
  r.attempt = static_cast<std::uint8_t>(r.attempt + 1);
  r.created = engine->now();
  ++stats[ct(r.cls, r.tier)].retries;
  ++retries_c[r.cls];
  self->submit(r);
}

void ServingModel::Impl::reject(const workload::Request& req, Reject why) {
  ++stats[ct(req.cls, req.tier)].rejected[static_cast<std::size_t>(why)];
  ++rejected_c[req.cls];
  const std::uint32_t i = alloc_rec();
  recs[i].r = req;
  retry_or_give_up(i);
}

}  // namespace dcsim::serving
