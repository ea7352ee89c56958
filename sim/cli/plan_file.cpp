// DIR/plan.h5: the plan's points with their variables, feasibility and SLO bounds, every metric's mean and
// half-width over the replicas, the runs (linked), the SLOs and the answer (docs/hdf5-layout.md).
#include <cmath>
#include <filesystem>

#include "sim/cli/plan_run.hpp"
#include "sim/cli/version.hpp"
#include "sim/io/hdf5_table.hpp"
#include "sim/study/expand.hpp"

namespace dcsim::cli {

void write_plan_file(const PlanSpec& s, const PlanResult& r, const std::string& dir) {
  io::TableFile t;
  t.root_attributes = {
      {"dcsim_version", std::string(DCSIM_VERSION)},
      {"kind", std::string("dcsim plan")},
      {"scenario", s.path},
      {"confidence", s.confidence},
      {"statistic", std::string(study::statistic_name(s.statistic))},
      {"replicas", static_cast<std::int64_t>(s.replicas)},
      {"objective", r.objective},
      {"status", std::string(r.interrupted ? "interrupted" : r.chosen ? "feasible" : "infeasible")},
      {"answer_point", static_cast<std::int64_t>(r.chosen ? static_cast<std::int64_t>(*r.chosen) : -1)},
  };
  const std::size_t n = r.points.size();
  io::TableGroup pts{"/points", {}, {}};
  std::size_t e = 0;
  for (const auto& v : s.vars) {
    if (v.search) {
      std::vector<double> x(n);
      for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<double>(*r.points[i].k) * v.step;
      pts.columns.push_back({v.key, x, v.kind ? std::string(v.kind->unit) : "1", "the searched variable"});
    } else {
      std::vector<std::string> x(n);
      for (std::size_t i = 0; i < n; ++i) x[i] = study::value_text(v.values[r.lines[r.points[i].line][e]]);
      pts.columns.push_back({v.key, x, "", "an enumerated variable (as the scenario writes it)"});
      ++e;
    }
  }
  std::vector<std::int64_t> line(n), stage(n), complete(n), feasible(n), pareto(n), chosen(n);
  std::vector<double> objective(n);
  for (std::size_t i = 0; i < n; ++i) {
    const PlanPoint& p = r.points[i];
    line[i] = static_cast<std::int64_t>(p.line);
    stage[i] = static_cast<std::int64_t>(p.stage);
    complete[i] = static_cast<std::int64_t>(p.complete);
    feasible[i] = p.feasible;
    pareto[i] = p.pareto;
    chosen[i] = p.chosen;
    objective[i] = p.objective;
  }
  pts.columns.push_back({"line", line, "1", "the combination of enumerated values"});
  pts.columns.push_back({"stage", stage, "1", "the stage that ran the point (0 first)"});
  pts.columns.push_back({"replicas", complete, "1", "replicas that completed"});
  pts.columns.push_back({"feasible", feasible, "1", "1 when every SLO is met at the confidence"});
  pts.columns.push_back({"pareto", pareto, "1", "1 on the Pareto front of the feasible points"});
  pts.columns.push_back({"answer", chosen, "1", "1 for the plan's answer"});
  pts.columns.push_back({"objective", objective, r.objective.empty() ? "1" : r.units.count(r.objective) ? r.units.at(r.objective) : "",
                         r.objective.empty() ? "the searched value" : "mean of " + r.objective});
  for (std::size_t j = 0; j < s.slos.size(); ++j) {
    std::vector<double> b(n);
    for (std::size_t i = 0; i < n; ++i) b[i] = r.points[i].slo_bound[j];
    pts.columns.push_back({"slo" + std::to_string(j) + "_bound", b, r.units.count(s.slos[j].metric) ? r.units.at(s.slos[j].metric) : "",
                           "one-sided confidence bound of the " + std::string(study::statistic_name(s.statistic)) + " of " + s.slos[j].metric + " (SLO " + s.slos[j].text + ")"});
  }
  t.groups.push_back(std::move(pts));
  io::TableGroup mean{"/points/mean", {}, {}}, hw{"/points/half_width", {}, {}}, med{"/points/median", {}, {}};
  for (const auto& [m, unit] : r.units) {
    std::vector<double> a(n, NAN), h(n, NAN), md(n, NAN);
    for (std::size_t i = 0; i < n; ++i) {
      const auto it = r.points[i].metrics.find(m);
      if (it == r.points[i].metrics.end()) continue;
      const study::Interval iv = study::mean_interval(it->second, s.confidence);
      a[i] = iv.mean;
      h[i] = iv.half_width;
      md[i] = study::median(it->second);
    }
    mean.columns.push_back({m, a, unit, "mean over the replicas"});
    med.columns.push_back({m, md, unit, "median over the replicas"});
    hw.columns.push_back({m, h, unit, "half-width of the two-sided interval at the plan's confidence"});
  }
  t.groups.push_back(std::move(mean));
  t.groups.push_back(std::move(med));
  t.groups.push_back(std::move(hw));
  io::TableGroup slos{"/slos", {}, {}};
  std::vector<std::string> metric, op, text;
  std::vector<double> bound;
  for (const auto& slo : s.slos) {
    metric.push_back(slo.metric);
    op.push_back(slo.below ? "<" : ">");
    bound.push_back(slo.bound);
    text.push_back(slo.text);
  }
  slos.columns = {{"metric", metric, "", ""}, {"op", op, "", ""}, {"bound", bound, "", ""}, {"text", text, "", "as given"}};
  t.groups.push_back(std::move(slos));
  io::TableGroup runs{"/runs", {}, {}};
  std::vector<std::string> name;
  std::vector<std::int64_t> point, replica, run_index;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t k = 0; k < r.points[i].runs.size(); ++k) {
      name.push_back(r.points[i].runs[k]);
      point.push_back(static_cast<std::int64_t>(i));
      replica.push_back(static_cast<std::int64_t>(k));
      run_index.push_back(static_cast<std::int64_t>(r.points[i].run_index[k]));
      t.links.push_back({"/files/" + r.points[i].runs[k], "runs/" + r.points[i].runs[k] + ".h5", "/"});
    }
  }
  runs.columns = {{"name", name, "", "the run's file is runs/<name>.h5"},
                  {"point", point, "1", "row of /points"},
                  {"replica", replica, "1", ""},
                  {"run_index", run_index, "1", "simulation.run_index: the same for replica k of every point"}};
  t.groups.push_back(std::move(runs));
  io::write_table_file((std::filesystem::path(dir) / "plan.h5").string(), t);
}

}  // namespace dcsim::cli
