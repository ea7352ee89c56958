// Routing: which of a request class's clusters takes an attempt. Round robin, weighted (random in
// proportion to the clusters' weights), join-shortest-queue by load per unit of capacity, power-of-d
// choices (the best of d distinct clusters drawn at random), and least expected delay (queueing + one batch
// + network). A hook set by a later model (thermal, carbon) adds a score to each candidate; lower wins, the
// first candidate on ties.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "models/serving/spec.hpp"
#include "models/serving/state.hpp"
#include "sim/core/random.hpp"

namespace dcsim::serving {

class Router {
 public:
  Router() = default;
  // Routes among `clusters` as grouped by `by_class`; reads the sites' network delays and the hook as they
  // are at each call. All are the model's and must outlive the router.
  Router(Policy policy, std::size_t d, const std::vector<std::vector<std::size_t>>& by_class,
         const std::vector<Cluster>& clusters, const std::vector<SiteInfo>& sites,
         const std::function<double(std::size_t)>& hook)
      : policy_(policy), d_(d), rr_(by_class.size(), 0), by_class_(&by_class), clusters_(&clusters), sites_(&sites),
        hook_(&hook) {}

  void set_rng(Rng rng) { rng_ = rng; }
  // The cluster for an attempt of class c.
  std::size_t route(std::size_t c);

 private:
  // Work per unit of capacity: (waiting + in service + 1) / (GPUs on line × max batch).
  static double load_of(const Cluster& cl) {
    return static_cast<double>(cl.queued + cl.in_service + 1) * cl.inv_capacity;
  }
  double expected_delay(const Cluster& cl) const;
  double score(std::size_t ci, bool delay) const;
  template <bool kDelay>
  std::size_t best_of(const std::vector<std::size_t>& cs) const;

  Policy policy_ = Policy::jsq;
  std::size_t d_ = 2;
  std::vector<std::size_t> rr_;  // per class, the round-robin counter
  const std::vector<std::vector<std::size_t>>* by_class_ = nullptr;
  const std::vector<Cluster>* clusters_ = nullptr;
  const std::vector<SiteInfo>* sites_ = nullptr;
  const std::function<double(std::size_t)>* hook_ = nullptr;
  Rng rng_;
};

}  // namespace dcsim::serving
