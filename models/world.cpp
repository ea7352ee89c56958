#include "models/world.hpp"

#include "models/queueing/mmc.hpp"
#include "models/ambient/climate.hpp"
#include "models/costs/costs.hpp"
#include "models/facility/facility.hpp"
#include "models/facility/spec.hpp"
#include "models/power/electrical.hpp"
#include "models/serving/params.hpp"
#include "models/serving/serving.hpp"
#include "models/sites/layout.hpp"
#include "models/workload/workload.hpp"

namespace dcsim::models {

const std::vector<std::string>& known_sections() {
  static const std::vector<std::string> k = {"mmc", "workload", "serving", "sites", "thermal", "costs"};
  return k;
}

const ParamSchema& parameter_schema() {
  static const ParamSchema s = [] {
    ParamSchema x;
    x.add(RunSettings::parameter_table());
    x.add(queueing::MMcParams::parameter_table());
    x.add(workload::parameter_table());
    x.add(sites::Layout::parameter_table());
    x.add(serving::parameter_table());
    x.add(facility::parameter_table());
    x.add(ambient::parameter_table());
    x.add(power::parameter_table());
    x.add(costs::parameter_table());
    return x;
  }();
  return s;
}

// The models are built in the order of their couplings; each is given only what it needs:
//
//   model      reads                                    needs
//   mmc        [mmc]                                    -
//   workload   [workload]                               -       (offers a workload::RequestSource)
//   layout     sites[].name, sites[].clusters[].name    -       (the sites and clusters, by index)
//   serving    [serving], serving keys of the layout    workload's RequestSource, layout
//   facility   [thermal], facility keys of the layout,  serving (power, GPU types), layout
//              [costs]
//
// The layout is a local of build(): it lives while every model is built, and the models copy what they
// keep (names, indices), so nothing refers to it once build() returns.
void build(const Params& root, Run& run) {
  for (const auto& s : known_sections()) (void)root.has(s);  // known names, for "did you mean"
  const SimTime measured = run.settings().duration - run.settings().warmup;
  bool any = false;
  if (auto p = root.optional_table("mmc")) {
    run.emplace_model<queueing::MMcModel>("mmc", queueing::MMcParams::from(*p), measured);
    any = true;
  }
  workload::WorkloadModel* wl = nullptr;
  if (auto p = root.optional_table("workload")) {
    wl = &run.emplace_model<workload::WorkloadModel>(*p, run.settings(), run.engine().random());
    any = true;
  }
  if (root.has("sites") || root.has("serving")) {
    if (!wl) root.fail("workload", "a [workload] section: the serving model serves its requests");
    const sites::Layout layout = sites::Layout::read(root);
    // Serving sees of the workload only what it needs (workload/request_source.hpp).
    workload::RequestSource& requests = *wl;
    auto& sv = run.emplace_model<serving::ServingModel>(root, layout, run.settings(), requests);
    if (facility::wanted(root, layout)) {
      run.emplace_model<facility::FacilityModel>(root, run.settings(), sv, layout);
    } else if (root.has("costs")) {
      root.fail("costs", "cooling loops (sites[].cooling) with [costs]: the costs are counted from the facility's "
                         "energy, water and carbon");
    }
  } else if (root.has("costs")) {
    root.fail("costs", "[[sites]] with clusters and cooling loops: [costs] prices a serving fleet");
  }
  if (!any) {
    std::string list;
    for (const auto& s : known_sections()) list += (list.empty() ? "[" : ", [") + s + "]";
    throw ConfigError(root.loc(), "", "at least one model section (" + list + ")", "none");
  }
}

}  // namespace dcsim::models
