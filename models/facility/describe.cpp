// The facility model's entities for the output (sim/core/topology.hpp): cooling loops ("site/loop", with
// their site, kind and design heat) and the loop that cools each cluster.
#include <string>

#include "models/facility/impl.hpp"
#include "sim/core/echo.hpp"

namespace dcsim::facility {

void FacilityModel::describe(Topology& t) const {
  const Impl& m = *impl_;
  const auto loop_name = [&](const Loop& lp) { return m.sites[lp.site].name + "/" + lp.spec.name; };
  for (const Loop& lp : m.loops) {
    const std::string n = loop_name(lp);
    t.set("cooling_loop", n, "site", m.sites[lp.site].name);
    t.set("cooling_loop", n, "loop", lp.spec.name);
    t.set("cooling_loop", n, "kind", std::string(lp.spec.kind->name));
    t.set("cooling_loop", n, "design_heat_w", echo_number(lp.spec.design_heat_w));
  }
  for (const ClusterT& ct : m.clusters) t.set("cluster", m.serving->cluster_name(ct.cluster), "cooling_loop", loop_name(m.loops[ct.loop]));
}

}  // namespace dcsim::facility
