// The admission rules of a run: [[serving.admission]] tables turned into state (token buckets, the day's
// attempt count of each quota) and applied to each attempt of a (class, tier) in scenario order: random
// drop, then token bucket, then daily quota; and shedding at the routed cluster above a head-of-line delay.
// The building blocks and their equations are in admission.hpp.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "models/serving/admission.hpp"
#include "models/serving/serving.hpp"
#include "models/serving/spec.hpp"
#include "models/workload/request_source.hpp"
#include "sim/core/calendar.hpp"
#include "sim/core/random.hpp"

namespace dcsim::serving {

struct Rule {
  std::size_t tier = 0;
  std::size_t cls = std::numeric_limits<std::size_t>::max();  // max: every class
  bool has_bucket = false;
  TokenBucket bucket;
  int quota = 0;
  double quota_shape = kInf;
  std::int64_t day = std::numeric_limits<std::int64_t>::min();
  std::uint64_t today = 0;  // attempts today
  double drop = 0;
  double shed_delay_s = kInf;
};

class AdmissionRules {
 public:
  AdmissionRules() = default;
  // `users` gives the active users and tier shares the quotas divide attempts by; it must outlive the rules.
  AdmissionRules(const std::vector<AdmissionRuleSpec>& specs, std::size_t classes, std::size_t tiers,
                 Calendar calendar, const workload::RequestSource& users);

  void set_rng(Rng rng) { rng_ = rng; }
  // Why an attempt of class c, tier k at now_s is refused (the first rule to refuse it), or nothing.
  std::optional<Reject> refusal(std::size_t c, std::size_t k, double now_s);
  // Whether an arrival of (c, k) is shed at a cluster: `hol_delay_s()` gives the cluster's head-of-line
  // delay, and is called only if a rule sheds (-inf for an empty queue: never shed).
  template <class HolDelay>
  bool sheds(std::size_t c, std::size_t k, HolDelay&& hol_delay_s) const {
    for (const std::size_t ri : rules_for_[c * tiers_ + k]) {
      const Rule& rule = rules_[ri];
      if (std::isfinite(rule.shed_delay_s) && hol_delay_s() > rule.shed_delay_s) return true;
    }
    return false;
  }

 private:
  std::vector<Rule> rules_;
  std::vector<std::vector<std::size_t>> rules_for_;  // [class * tiers + tier] → rule indices
  std::size_t tiers_ = 1;
  Calendar calendar_;
  const workload::RequestSource* users_ = nullptr;
  Rng rng_;
};

}  // namespace dcsim::serving
