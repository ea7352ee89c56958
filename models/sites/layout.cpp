#include "models/sites/layout.hpp"

#include <algorithm>
#include <cctype>

namespace dcsim::sites {

const std::vector<ParamDef>& Layout::parameter_table() {
  static const std::vector<ParamDef> t = {
      {.key = "sites", .type = ParamType::tables, .basis = Basis::optional,
       .help = "The data-centre sites of the fleet ([[sites]]): their clusters (serving) and cooling, climate and power (facility)."},
      {.key = "sites[].name", .type = ParamType::text, .basis = Basis::required,
       .help = "The site's name, unique in the fleet (names its series and summary figures)."},
      {.key = "sites[].clusters", .type = ParamType::tables, .basis = Basis::optional,
       .help = "The site's GPU clusters ([[sites.clusters]]), each serving one request class."},
      {.key = "sites[].clusters[].name", .type = ParamType::text, .basis = Basis::required,
       .help = "The cluster's name, unique in the fleet: letters, digits, '_' or '-'."},
  };
  return t;
}

Layout Layout::read(const Params& root) {
  Layout l;
  for (const auto& st : root.tables("sites")) {
    SiteEntry site{st.name("name"), st, {}};
    for (const auto& s : l.sites) {
      if (s.name == site.name) st.fail("name", "a site name not used before");
    }
    for (const auto& ctab : st.tables("clusters")) {
      ClusterEntry cl{ctab.name("name"), l.sites.size(), ctab};
      if (cl.name.empty() || !std::all_of(cl.name.begin(), cl.name.end(), [](char ch) {
            return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-';
          })) {
        ctab.fail("name", "a name of letters, digits, '_' or '-'");
      }
      for (const auto& c : l.clusters) {
        if (c.name == cl.name) ctab.fail("name", "a cluster name not used before");
      }
      site.clusters.push_back(l.clusters.size());
      l.clusters.push_back(std::move(cl));
    }
    l.sites.push_back(std::move(site));
  }
  return l;
}

}  // namespace dcsim::sites
