// The serving model's entities for the output (sim/core/topology.hpp): sites, and clusters with their site,
// request class, GPU type and initial GPUs.
#include <string>

#include "models/serving/impl.hpp"

namespace dcsim::serving {

void ServingModel::describe(Topology& t) const {
  const Impl& m = *impl_;
  for (const SiteInfo& s : sites_) t.add("site", s.name);
  for (std::size_t i = 0; i < m.clusters.size(); ++i) {
    const Cluster& cl = m.clusters[i];
    t.set("cluster", cl.name, "site", sites_[cl.site].name);
    t.set("cluster", cl.name, "class", m.class_names[cl.cls]);
    t.set("cluster", cl.name, "gpu_type", cl.type->name);
    // The GPUs the cluster starts with: the first fleet change of each cluster brings them on line.
    t.set("cluster", cl.name, "gpus", i < m.changes.size() ? std::to_string(m.changes[i].gpus) : "0");
  }
}

}  // namespace dcsim::serving
