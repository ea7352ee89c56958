// What a consumer of requests (the serving model) needs from the workload, and nothing more: the names of
// the request classes and tiers, each tier's share of users, the users active at an instant (for daily
// quotas), the expected requests of a class (for the pre-run estimate), and a place to plug in the sink that receives the requests. WorkloadModel implements it; serving
// depends on this interface only, so that it can be built, tested or fed without the whole workload model.
#pragma once

#include <cstddef>
#include <string>

#include "models/workload/request.hpp"

namespace dcsim::workload {

class RequestSource {
 public:
  virtual ~RequestSource() = default;

  virtual std::size_t class_count() const = 0;
  virtual const std::string& class_name(std::size_t c) const = 0;
  virtual std::size_t tier_count() const = 0;
  virtual const std::string& tier_name(std::size_t k) const = 0;
  virtual double tier_share(std::size_t k) const = 0;  // the tier's share of users
  virtual double active_users(double t) const = 0;     // users active at t (simulated seconds)
  // The expected number of requests of class c arriving in [t0, t1) (for the pre-run estimate), and the
  // scenario key that drives that number ("workload.classes[0].requests_per_user_day").
  virtual double expected_requests(std::size_t c, double t0, double t1) const = 0;
  virtual std::string rate_key(std::size_t c) const = 0;
  // The mean patience of a request, weighted by tier share, seconds (infinity: some users never give up).
  virtual double mean_patience_s() const = 0;
  // Whether every request of class c carries its prompt and output tokens (an LLM served with continuous
  // batching needs them).
  virtual bool has_tokens(std::size_t c) const = 0;
  // Where the requests go from now on (one sink; nullptr: nowhere).
  virtual void set_sink(RequestSink* sink) = 0;
};

}  // namespace dcsim::workload
