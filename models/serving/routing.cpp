// The routing policies of routing.hpp.
#include "models/serving/routing.hpp"

#include <algorithm>
#include <utility>

namespace dcsim::serving {

double Router::expected_delay(const Cluster& cl) const {
  const double op = cl.operational();
  if (op <= 0) return kInf;
  const double tb = cl.svc->batch_time(cl.max_batch);
  const double throughput = op * cl.max_batch / tb;
  const double wait = std::max(0.0, static_cast<double>(cl.queued + cl.in_service) - op * cl.max_batch + 1) / throughput;
  return wait + cl.svc->batch_time(1) + (*sites_)[cl.site].network_rtt_s;
}

double Router::score(std::size_t ci, bool delay) const {
  const Cluster& cl = (*clusters_)[ci];
  double s = delay ? expected_delay(cl) : load_of(cl);
  if (*hook_) s += (*hook_)(ci);
  return s;
}

// The candidate with the lowest score (first on ties).
template <bool kDelay>
std::size_t Router::best_of(const std::vector<std::size_t>& cs) const {
  const bool hooked = static_cast<bool>(*hook_);
  std::size_t best = cs[0];
  double bs = kInf;
  for (const std::size_t ci : cs) {
    double s = kDelay ? expected_delay((*clusters_)[ci]) : load_of((*clusters_)[ci]);
    if (hooked) s += (*hook_)(ci);
    if (s < bs) {
      bs = s;
      best = ci;
    }
  }
  return best;
}

std::size_t Router::route(std::size_t c) {
  const auto& cs = (*by_class_)[c];
  const std::size_t n = cs.size();
  if (n == 1) return cs[0];
  switch (policy_) {
    case Policy::round_robin: return cs[rr_[c]++ % n];
    case Policy::weighted: {
      double total = 0;
      for (const std::size_t ci : cs) total += (*clusters_)[ci].weight;
      double u = rng_.uniform() * total;
      for (const std::size_t ci : cs) {
        u -= (*clusters_)[ci].weight;
        if (u < 0) return ci;
      }
      return cs.back();
    }
    case Policy::jsq: return best_of<false>(cs);
    case Policy::least_expected_delay: return best_of<true>(cs);
    case Policy::power_of_d: {
      if (d_ >= n) return best_of<false>(cs);
      // d distinct candidates by a partial Fisher–Yates shuffle of the indices.
      std::size_t idx[16];
      const std::size_t m = std::min<std::size_t>(n, 16);
      for (std::size_t j = 0; j < m; ++j) idx[j] = j;
      std::size_t best = kNil;
      double bs = kInf;
      for (std::size_t j = 0; j < d_ && j < m; ++j) {
        const std::size_t k = j + static_cast<std::size_t>(rng_.below(m - j));
        std::swap(idx[j], idx[k]);
        const std::size_t ci = cs[idx[j]];
        const double s = score(ci, false);
        if (best == kNil || s < bs) {
          bs = s;
          best = ci;
        }
      }
      return best;
    }
  }
  return cs[0];
}

}  // namespace dcsim::serving
