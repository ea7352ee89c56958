// The facility model's part of the pre-run estimate (sim/core/run_estimate.hpp): every GPU group's thermal
// network, updated at every thermal step.
#include <algorithm>

#include "models/facility/impl.hpp"
#include "sim/core/echo.hpp"

namespace dcsim::facility {

void FacilityModel::estimate(RunEstimate& e, SimTime /*duration*/) const {
  const Impl& m = *impl_;
  // A group holds its state and a small thermal network (a few nodes, their matrices): about 256 bytes
  // on the heap besides the struct.
  constexpr double kPerGroup = sizeof(Group) + 256.0;
  double groups = 0, biggest = -1;
  const ClusterT* top = nullptr;
  for (const ClusterT& ct : m.clusters) {
    const double n = static_cast<double>(m.serving->group_count(ct.cluster));
    groups += n;
    if (n > biggest) biggest = n, top = &ct;
  }
  if (!top) return;
  std::size_t in_site = 0;
  for (const ClusterT& ct : m.clusters) in_site += ct.site == top->site && ct.cluster < top->cluster;
  const double step = m.max_step.to_seconds();
  e.add({.key = "thermal.max_step",
         .what = "thermal steps every " + echo_number(step) + " s over " + echo_number(groups) + " GPU groups",
         .events_per_s = (1.0 + groups) / step,
         .bytes = 0});
  e.add({.key = "sites[" + std::to_string(top->site) + "].clusters[" + std::to_string(in_site) + "].gpus",
         .what = "the thermal state of " + echo_number(groups) + " GPU groups (the most in one cluster: " +
                 echo_number(biggest) + ")",
         .events_per_s = 0,
         .bytes = groups * kPerGroup});
}

}  // namespace dcsim::facility
