// Admission rules: building them from the spec, and the per-attempt checks (admission_rules.hpp).
#include "models/serving/admission_rules.hpp"

namespace dcsim::serving {

AdmissionRules::AdmissionRules(const std::vector<AdmissionRuleSpec>& specs, std::size_t classes, std::size_t tiers,
                               Calendar calendar, const workload::RequestSource& users)
    : tiers_(tiers), calendar_(calendar), users_(&users) {
  rules_for_.assign(classes * tiers, {});
  for (const AdmissionRuleSpec& a : specs) {
    Rule rule;
    rule.tier = a.tier;
    rule.cls = a.cls;
    if (a.has_bucket) {
      rule.has_bucket = true;
      rule.bucket = TokenBucket(a.rate, a.burst);
    }
    rule.quota = a.quota;
    rule.quota_shape = a.quota_shape;
    rule.drop = a.drop;
    rule.shed_delay_s = a.shed_delay_s;
    const std::size_t ri = rules_.size();
    rules_.push_back(rule);
    for (std::size_t c = 0; c < classes; ++c) {
      if (rule.cls == std::numeric_limits<std::size_t>::max() || rule.cls == c) rules_for_[c * tiers_ + rule.tier].push_back(ri);
    }
  }
}

std::optional<Reject> AdmissionRules::refusal(std::size_t c, std::size_t k, double now) {
  for (const std::size_t ri : rules_for_[c * tiers_ + k]) {
    Rule& rule = rules_[ri];
    if (rule.drop > 0 && rng_.bernoulli(rule.drop)) return Reject::dropped;
    if (rule.has_bucket && !rule.bucket.admit(now)) return Reject::rate_limit;
    if (rule.quota > 0) {
      const std::int64_t day = static_cast<std::int64_t>(std::floor(calendar_.epoch(now) / 86400.0));
      if (day != rule.day) {
        rule.day = day;
        rule.today = 0;
      }
      const double users = users_->active_users(now) * users_->tier_share(k);
      const double m = users > 0 ? static_cast<double>(rule.today) / users : kInf;
      ++rule.today;
      if (rng_.bernoulli(prob_at_least(rule.quota, m, rule.quota_shape))) return Reject::quota;
    }
  }
  return std::nullopt;
}

}  // namespace dcsim::serving
