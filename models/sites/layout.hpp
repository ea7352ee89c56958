// The fleet's layout: the [[sites]] tables and their [[sites.clusters]], read once, by name.
//
// Serving and facility both describe the same sites and clusters: serving their GPUs and queues,
// facility their cooling, climate and power. The layout is read before either, so both receive the same
// sites and clusters with the same indices and each reads its own keys from the same tables; neither
// re-reads the other's tables by position.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "sim/core/config.hpp"
#include "sim/core/param_table.hpp"

namespace dcsim::sites {

struct ClusterEntry {
  std::string name;      // unique in the fleet: letters, digits, '_' or '-'
  std::size_t site = 0;  // index into Layout::sites
  Params table;          // sites[i].clusters[j]
};

struct SiteEntry {
  std::string name;                  // unique in the fleet
  Params table;                      // sites[i]
  std::vector<std::size_t> clusters;  // indices into Layout::clusters, in file order
};

struct Layout {
  std::vector<SiteEntry> sites;
  std::vector<ClusterEntry> clusters;  // every site's clusters, site by site, in file order

  bool empty() const noexcept { return sites.empty(); }
  // Reads sites[].name and sites[].clusters[].name (an empty layout when there is no [[sites]]).
  static Layout read(const Params& root);
  // sites, sites[].name, sites[].clusters, sites[].clusters[].name.
  static const std::vector<ParamDef>& parameter_table();
};

}  // namespace dcsim::sites
