#include "sim/cli/plan_run.hpp"

#include <algorithm>
#include <cstdio>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "sim/cli/sweep.hpp"
#include "sim/cli/sweep_run.hpp"
#include "sim/core/echo.hpp"
#include "sim/core/input_file.hpp"
#include "sim/core/input_limits.hpp"
#include "sim/io/hdf5_output.hpp"

namespace fs = std::filesystem;

namespace dcsim::cli {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr const char* kHeader = "# dcsim plan of ";

const study::PlanVar* searched(const PlanSpec& s) {
  for (const auto& v : s.vars) {
    if (v.search) return &v;
  }
  return nullptr;
}

// The value of variable `a` at a point.
ConfigValue value_of(const PlanSpec& s, const std::vector<std::size_t>& line, const PlanPoint& p, std::size_t a) {
  const study::PlanVar& v = s.vars[a];
  if (v.search) return v.value(*p.k);
  std::size_t e = 0;
  for (std::size_t b = 0; b < a; ++b) e += s.vars[b].search ? 0 : 1;
  return v.values[line[e]];
}

std::string text_of(const PlanSpec& s, const std::vector<std::size_t>& line, const PlanPoint& p, std::size_t a) {
  const study::PlanVar& v = s.vars[a];
  return v.search ? v.text(*p.k) : study::value_text(value_of(s, line, p, a));
}

std::string point_name(const PlanSpec& s, const std::vector<std::size_t>& line, const PlanPoint& p) {
  std::string n;
  for (std::size_t a = 0; a < s.vars.size(); ++a) {
    n += (a ? "_" : "") + study::file_safe(s.vars[a].label, 24) + "-" + study::file_safe(text_of(s, line, p, a), 24);
  }
  return n;
}

std::string describe(const PlanSpec& s, const std::vector<std::size_t>& line, const PlanPoint& p) {
  std::string d;
  for (std::size_t a = 0; a < s.vars.size(); ++a) d += (a ? ", " : "") + s.vars[a].key + " = " + text_of(s, line, p, a);
  return d;
}

std::uint64_t base_run_index(const io::Scenario& sc) {
  if (const ConfigValue* sim = sc.root.find("simulation"); sim && sim->is_table()) {
    if (const ConfigValue* ri = sim->find("run_index"); ri && ri->type() == ConfigValue::Type::integer && ri->as_integer() >= 0) {
      return static_cast<std::uint64_t>(ri->as_integer());
    }
  }
  return 0;
}

// The sweep of some points (a zip of the variables' values at each), with the plan's run names.
Sweep stage_sweep(const PlanSpec& s, const io::Scenario& base, const PlanResult& r, const std::vector<std::size_t>& pts) {
  Sweep sw;
  sw.path = s.path;
  sw.resolved_text = base.resolved_text;
  sw.base = base;
  sw.spec.combine = study::Combine::zip;
  sw.spec.replicas = static_cast<std::int64_t>(s.replicas);
  sw.spec.streams = study::Streams::common;
  sw.spec.loc = SourceLoc{"dcsim plan", 0, 0};
  sw.spec.replicas_loc = SourceLoc{"--replicas", 0, 0};
  for (std::size_t a = 0; a < s.vars.size(); ++a) {
    study::Axis ax;
    ax.key = s.vars[a].key;
    ax.label = s.vars[a].label;
    ax.loc = SourceLoc{"--vary " + s.vars[a].key, 0, 0};
    for (const std::size_t p : pts) ax.values.push_back(value_of(s, r.lines[r.points[p].line], r.points[p], a));
    sw.spec.axes.push_back(std::move(ax));
  }
  sw.expansion = study::expand(sw.spec, base_run_index(base));
  for (auto& run : sw.expansion.runs) {
    const PlanPoint& p = r.points[pts[run.point]];
    run.name = point_name(s, r.lines[p.line], p) + "_r" + std::to_string(run.replica);
  }
  return sw;
}

std::string plan_text(const PlanSpec& s, const io::Scenario& base) {
  std::ostringstream o;
  o << kHeader << s.path << "\n# replicas " << s.replicas << ", confidence " << s.confidence << ", "
    << statistic_name(s.statistic);
  for (const auto& v : s.vars) {
    o << "\n# vary " << v.key;
    if (v.search) o << " in [" << v.text(v.lo) << ", " << v.text(v.hi) << "] by " << v.text(1);
    else o << " over " << v.values.size() << " values";
  }
  for (const auto& slo : s.slos) o << "\n# slo " << slo.text;
  if (!s.minimise.empty()) o << "\n# minimise " << s.minimise;
  o << "\n" << base.resolved_text;
  return o.str();
}

// DIR ready for the plan: new, empty, or holding this plan (whose runs are then reused).
void prepare_dir(const std::string& dir, const std::string& text) {
  std::error_code ec;
  const fs::path f = fs::path(dir) / "plan.toml";
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec)) throw std::runtime_error(dir + " exists and is not a directory; -o names the plan's directory");
    if (fs::exists(f, ec)) {
      const std::string old = read_input_file(f.string(), limits::kMaxScenarioBytes, "plan file");
      if (old != text) {
        throw std::runtime_error(dir + " holds another plan (its plan.toml is not this plan with these arguments); use "
                                       "another directory, or remove it");
      }
    } else if (!fs::is_empty(dir, ec)) {
      throw std::runtime_error(dir + " exists, is not empty and holds no dcsim plan (no plan.toml); use another directory");
    }
  }
  fs::create_directories(fs::path(dir) / "runs", ec);
  if (ec) throw std::runtime_error("cannot create " + dir + "/runs: " + ec.message());
  if (!fs::exists(f, ec)) {
    std::ofstream out(f, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + f.string());
  }
}

// Reads the metrics of a point's runs.
void read_point(PlanPoint& p, const std::string& dir, std::map<std::string, std::string>& units, std::size_t replicas) {
  p.metrics.clear();
  p.complete = 0;
  for (std::size_t k = 0; k < p.runs.size(); ++k) {
    const std::string file = (fs::path(dir) / "runs" / (p.runs[k] + ".h5")).string();
    io::OutputInfo info;
    try {
      info = io::read_output_info(file);
    } catch (const std::exception&) {
      continue;
    }
    if (info.root_attributes["status"] != "complete") continue;
    ++p.complete;
    for (const auto& x : info.summary) {
      double v = kNaN;
      if (const auto* d = std::get_if<double>(&x.value)) v = *d;
      else if (const auto* i = std::get_if<std::int64_t>(&x.value)) v = static_cast<double>(*i);
      else continue;
      auto& col = p.metrics[x.name];
      col.resize(replicas, kNaN);
      col[k] = v;
      units.emplace(x.name, x.units);
    }
  }
}

// A metric for people: four significant digits.
std::string num(double x) {
  if (std::isnan(x)) return "nan";
  char b[32];
  std::snprintf(b, sizeof b, "%.4g", x);
  return b;
}

std::string objective_metric(const std::string& m) { return m == "cost" ? "costs.total_usd" : m; }

double mean_of(const PlanPoint& p, const std::string& metric) {
  const auto it = p.metrics.find(metric);
  if (it == p.metrics.end()) return kNaN;
  return study::mean_interval(it->second).mean;
}

// The SLO's statistic of a metric over the point's replicas.
double centre_of(const PlanSpec& s, const PlanPoint& p, const std::string& metric) {
  if (s.statistic == study::Statistic::mean) return mean_of(p, metric);
  const auto it = p.metrics.find(metric);
  return it == p.metrics.end() ? kNaN : study::median(it->second);
}

}  // namespace

PlanResult run_plan(const PlanSpec& s, const PlanOptions& opt) {
  PlanResult r;
  r.objective = objective_metric(s.minimise);
  const io::Scenario base = io::load_scenario(s.path, s.overrides);
  const study::PlanVar* sv = searched(s);
  // The lines: every combination of the enumerated variables' values (the first varies slowest).
  std::vector<std::size_t> radix;
  for (const auto& v : s.vars) {
    if (!v.search) radix.push_back(v.values.size());
  }
  r.lines.push_back({});
  for (const std::size_t n : radix) {
    std::vector<std::vector<std::size_t>> next;
    for (const auto& l : r.lines) {
      for (std::size_t i = 0; i < n; ++i) {
        next.push_back(l);
        next.back().push_back(i);
      }
    }
    r.lines = std::move(next);
  }
  std::vector<std::optional<study::LeastFeasible>> search(r.lines.size());
  if (sv) {
    for (auto& x : search) x.emplace(sv->lo, sv->hi, sv->start);
  }
  // Every line is built at the search's bounds before anything runs: a value a model refuses is bad input.
  {
    PlanResult probe;
    probe.lines = r.lines;
    std::vector<std::size_t> pts;
    for (std::size_t l = 0; l < r.lines.size(); ++l) {
      for (const std::int64_t k : sv ? std::vector<std::int64_t>{sv->lo, sv->start, sv->hi} : std::vector<std::int64_t>{0}) {
        PlanPoint p;
        p.line = l;
        if (sv) p.k = k;
        probe.points.push_back(p);
        pts.push_back(probe.points.size() - 1);
      }
    }
    PlanSpec one = s;
    one.replicas = 1;
    (void)validate_sweep(stage_sweep(one, base, probe, pts));
  }
  prepare_dir(opt.dir, plan_text(s, base));

  std::map<std::pair<std::size_t, std::int64_t>, std::size_t> index;
  const std::size_t per_stage =
      std::max<std::size_t>(1, static_cast<std::size_t>(opt.threads) / (s.replicas * r.lines.size()));
  while (true) {
    std::vector<std::size_t> pts;
    for (std::size_t l = 0; l < r.lines.size(); ++l) {
      std::vector<std::optional<std::int64_t>> ks;
      if (search[l]) {
        for (const std::int64_t k : search[l]->propose(per_stage)) ks.emplace_back(k);
      } else if (r.stages == 0) {
        ks.emplace_back(std::nullopt);
      }
      for (const auto& k : ks) {
        const auto key = std::make_pair(l, k.value_or(0));
        if (index.count(key)) continue;
        PlanPoint p;
        p.line = l;
        p.k = k;
        p.stage = r.stages;
        index[key] = r.points.size();
        r.points.push_back(std::move(p));
        pts.push_back(r.points.size() - 1);
      }
    }
    if (pts.empty()) break;
    const Sweep sw = stage_sweep(s, base, r, pts);
    for (const auto& run : sw.expansion.runs) {
      r.points[pts[run.point]].runs.push_back(run.name);
      r.points[pts[run.point]].run_index.push_back(run.run_index);
    }
    SweepRunOptions ro;
    ro.dir = opt.dir;
    ro.threads = opt.threads;
    for (std::size_t i = 0; i < sw.expansion.runs.size(); ++i) ro.selection.push_back(i);
    ro.resume = true;  // a point tried by an earlier call of the same plan is not run again
    ro.interrupt = opt.interrupt;
    ro.progress = opt.progress;
    const SweepRunSummary rs = run_sweep(sw, ro);
    ++r.stages;
    r.runs += rs.ran;
    r.failed += rs.failed;
    r.wall_s += rs.wall_s;
    for (const auto& e : rs.errors) r.warnings.push_back(e);
    if (rs.interrupted) {
      r.interrupted = true;
      return r;
    }
    for (const std::size_t i : pts) {
      PlanPoint& p = r.points[i];
      read_point(p, opt.dir, r.units, s.replicas);
      p.feasible = p.complete > 0;
      p.slo_bound.clear();
      for (const auto& slo : s.slos) {
        const auto it = p.metrics.find(slo.metric);
        double b = kNaN;
        const bool met = it != p.metrics.end() && study::slo_met(slo, it->second, s.confidence, s.statistic, &b);
        p.slo_bound.push_back(b);
        p.feasible = p.feasible && met;
      }
      p.objective = r.objective.empty() ? static_cast<double>(p.k.value_or(0)) * (sv ? sv->step : 1) : mean_of(p, r.objective);
      if (search[p.line]) search[p.line]->observe(*p.k, p.feasible);
    }
    if (r.stages == 1) {
      // A metric that no completed run reports is a mistake in the command, not an infeasible SLO.
      std::vector<std::string> wanted;
      for (const auto& slo : s.slos) wanted.push_back(slo.metric);
      if (!r.objective.empty()) wanted.push_back(r.objective);
      const bool any = std::any_of(r.points.begin(), r.points.end(), [](const PlanPoint& p) { return p.complete > 0; });
      for (const auto& m : wanted) {
        if (any && !r.units.count(m)) {
          std::string hint = did_you_mean_hint(m, [&] {
            std::vector<std::string> names;
            for (const auto& [n, _] : r.units) names.push_back(n);
            return names;
          }());
          throw std::invalid_argument("no run's summary has the metric '" + echo(m) + "'" + (hint.empty() ? "" : " (" + hint + ")") +
                                      (m == "costs.total_usd" ? "; --minimise cost needs a [costs] section" : "") +
                                      "; dcsim info on a run file lists the metrics");
        }
      }
    }
  }

  // Each line's answer, the choice between the lines, the front, the warnings.
  r.line_answer.assign(r.lines.size(), std::nullopt);
  for (std::size_t l = 0; l < r.lines.size(); ++l) {
    std::optional<std::size_t> best;
    for (std::size_t i = 0; i < r.points.size(); ++i) {
      const PlanPoint& p = r.points[i];
      if (p.line != l || !p.feasible) continue;
      if (!best || (sv ? *p.k < *r.points[*best].k : false)) best = i;
    }
    r.line_answer[l] = best;
  }
  for (std::size_t i = 0; i < r.points.size(); ++i) {
    const PlanPoint& p = r.points[i];
    if (!p.feasible) continue;
    const bool better = !r.chosen || (r.objective.empty() ? (sv && *p.k < *r.points[*r.chosen].k)
                                                          : p.objective < r.points[*r.chosen].objective);
    if (better && (r.objective.empty() || std::isfinite(p.objective))) r.chosen = i;
  }
  if (r.chosen) r.points[*r.chosen].chosen = true;
  std::vector<std::size_t> feas;
  std::vector<std::vector<double>> rows;
  const bool co2 = r.units.count("facility.co2_t") && r.objective != "facility.co2_t";
  for (std::size_t i = 0; i < r.points.size(); ++i) {
    const PlanPoint& p = r.points[i];
    if (!p.feasible) continue;
    std::vector<double> row = {p.objective};
    for (const auto& slo : s.slos) row.push_back((slo.below ? 1 : -1) * centre_of(s, p, slo.metric));
    if (co2) row.push_back(mean_of(p, "facility.co2_t"));
    feas.push_back(i);
    rows.push_back(std::move(row));
  }
  for (const std::size_t f : study::pareto_front(rows)) r.points[feas[f]].pareto = true;
  if (sv) {
    for (std::size_t l = 0; l < r.lines.size(); ++l) {
      std::vector<std::size_t> line;
      for (std::size_t i = 0; i < r.points.size(); ++i) {
        if (r.points[i].line == l && r.points[i].complete > 0) line.push_back(i);
      }
      std::sort(line.begin(), line.end(), [&](std::size_t a, std::size_t b) { return *r.points[a].k < *r.points[b].k; });
      const std::string where = r.lines.size() > 1 && !line.empty() ? " (line " + std::to_string(l) + ")" : "";
      if (const std::size_t c = search[l]->contradictions()) {
        r.warnings.push_back("not monotone" + where + ": " + std::to_string(c) + " value" + (c == 1 ? "" : "s") + " of " +
                             sv->key + " met every SLO below a value that did not; the answer is the least value tried "
                             "that met them");
      }
      for (const auto& slo : s.slos) {
        std::vector<std::vector<double>> vals;
        for (const std::size_t i : line) {
          const auto it = r.points[i].metrics.find(slo.metric);
          vals.push_back(it == r.points[i].metrics.end() ? std::vector<double>{} : it->second);
        }
        for (const auto& [a, b] : study::wrong_way(slo, vals, s.confidence)) {
          const PlanPoint& pa = r.points[line[a]];
          const PlanPoint& pb = r.points[line[b]];
          r.warnings.push_back(slo.metric + " is not monotone in " + sv->key + where + ": " +
                               num(centre_of(s, pa, slo.metric)) + " at " + sv->text(*pa.k) + " but " +
                               num(centre_of(s, pb, slo.metric)) + " at " + sv->text(*pb.k) +
                               " (a paired difference beyond chance)");
        }
      }
    }
  }
  return r;
}

std::string render_plan(const PlanSpec& s, const PlanResult& r) {
  std::ostringstream o;
  const study::PlanVar* sv = searched(s);
  o << "plan: ";
  for (std::size_t a = 0; a < s.vars.size(); ++a) {
    const auto& v = s.vars[a];
    o << (a ? " x " : "") << v.key;
    if (v.search) o << " in [" << v.text(v.lo) << ", " << v.text(v.hi) << "]";
    else o << " in {" << [&] {
      std::string t;
      for (std::size_t i = 0; i < v.values.size(); ++i) t += (i ? ", " : "") + study::value_text(v.values[i]);
      return t;
    }() << "}";
  }
  o << "; SLO";
  for (std::size_t i = 0; i < s.slos.size(); ++i) o << (i ? ", " : " ") << s.slos[i].metric << (s.slos[i].below ? " < " : " > ") << num(s.slos[i].bound);
  o << " at " << num(100 * s.confidence) << " % confidence on the " << statistic_name(s.statistic) << " over runs; " << s.replicas
    << " replicas per candidate, common random numbers\n";
  // The table, by line then value.
  std::vector<std::size_t> order(r.points.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const PlanPoint &pa = r.points[a], &pb = r.points[b];
    if (pa.line != pb.line) return pa.line < pb.line;
    return pa.k.value_or(0) < pb.k.value_or(0);
  });
  std::vector<std::string> head;
  for (const auto& v : s.vars) head.push_back(v.label);
  head.push_back("n");
  const bool med = s.statistic == study::Statistic::median;
  for (const auto& slo : s.slos) head.push_back(slo.metric + (med ? " median" : " mean") + (slo.below ? " (upper bound)" : " (lower bound)"));
  if (!r.objective.empty()) head.push_back(r.objective);
  head.push_back("meets");
  std::vector<std::vector<std::string>> rows;
  for (const std::size_t i : order) {
    const PlanPoint& p = r.points[i];
    std::vector<std::string> row;
    for (std::size_t a = 0; a < s.vars.size(); ++a) row.push_back(text_of(s, r.lines[p.line], p, a));
    row.push_back(std::to_string(p.complete));
    for (std::size_t j = 0; j < s.slos.size(); ++j) {
      const auto it = p.metrics.find(s.slos[j].metric);
      if (med) {
        row.push_back(num(it == p.metrics.end() ? kNaN : study::median(it->second)) + " (" + num(p.slo_bound[j]) + ")");
        continue;
      }
      const study::Interval iv = it == p.metrics.end() ? study::Interval{} : study::mean_interval(it->second, s.confidence);
      row.push_back(num(iv.mean) + " ± " + num(iv.half_width) + " (" + num(p.slo_bound[j]) + ")");
    }
    if (!r.objective.empty()) row.push_back(num(p.objective));
    row.push_back(std::string(p.feasible ? "yes" : "no") + (p.chosen ? "  <- answer" : p.pareto && r.lines.size() > 1 ? "  front" : ""));
    rows.push_back(std::move(row));
  }
  std::vector<std::size_t> w(head.size());
  for (std::size_t c = 0; c < head.size(); ++c) {
    w[c] = head[c].size();
    for (const auto& row : rows) w[c] = std::max(w[c], row[c].size());
  }
  const auto line = [&](const std::vector<std::string>& cells) {
    o << " ";
    for (std::size_t c = 0; c < cells.size(); ++c) o << " " << cells[c] << std::string(c + 1 < cells.size() ? w[c] - cells[c].size() + 1 : 0, ' ');
    o << "\n";
  };
  line(head);
  for (const auto& row : rows) line(row);
  // The answer.
  if (r.interrupted) {
    o << "interrupted: no answer; dcsim plan with the same arguments goes on from the runs that completed\n";
    return o.str();
  }
  for (std::size_t l = 0; l < r.lines.size() && r.lines.size() > 1; ++l) {
    if (r.line_answer[l]) continue;
    PlanPoint p;
    p.line = l;
    std::string d;
    for (std::size_t a = 0, e = 0; a < s.vars.size(); ++a) {
      if (s.vars[a].search) continue;
      d += (e ? ", " : "") + s.vars[a].key + " = " + study::value_text(s.vars[a].values[r.lines[l][e]]);
      ++e;
    }
    o << "infeasible with " << d << (sv ? ": even " + sv->text(sv->hi) + " fails an SLO" : "") << "\n";
  }
  if (!r.chosen) {
    o << "answer: infeasible: no value tried meets every SLO at " << num(100 * s.confidence) << " % confidence";
    if (sv) o << " (the largest, " << sv->key << " = " << sv->text(sv->hi) << ", does not)";
    // The best reached: the point whose worst SLO is nearest to its bound.
    std::optional<std::size_t> best;
    double best_gap = INFINITY;
    for (std::size_t i = 0; i < r.points.size(); ++i) {
      double gap = -INFINITY;
      for (std::size_t j = 0; j < s.slos.size(); ++j) {
        const double b = r.points[i].slo_bound[j];
        const double g = s.slos[j].below ? (b - s.slos[j].bound) : (s.slos[j].bound - b);
        gap = std::max(gap, std::isfinite(g) ? g / std::max(std::fabs(s.slos[j].bound), 1e-300) : INFINITY);
      }
      if (gap < best_gap) best_gap = gap, best = i;
    }
    if (best) {
      const PlanPoint& p = r.points[*best];
      o << "; best reached at " << describe(s, r.lines[p.line], p) << ":";
      for (std::size_t j = 0; j < s.slos.size(); ++j) {
        o << " " << s.slos[j].metric << " " << num(centre_of(s, p, s.slos[j].metric)) << " (bound " << num(p.slo_bound[j]) << ")";
      }
    }
    o << "\n";
  } else {
    const PlanPoint& p = r.points[*r.chosen];
    o << "answer: " << describe(s, r.lines[p.line], p);
    if (!r.objective.empty()) o << " (" << r.objective << " " << num(p.objective) << ", the least of the feasible points)";
    else if (sv && *p.k == sv->lo) o << " (the lower bound: every value of the range meets the SLOs)";
    else if (sv) o << " (the least value meeting every SLO at " << num(100 * s.confidence) << " % confidence; "
                   << sv->text(*p.k - 1) << " does not)";
    o << "\n";
    if (r.lines.size() > 1) {
      std::size_t n = 0;
      for (const auto& q : r.points) n += q.pareto;
      o << "Pareto front (" << r.objective << ", the SLO metrics" << (r.units.count("facility.co2_t") ? ", facility.co2_t" : "")
        << "): " << n << " of the feasible points, marked 'front' or 'answer'\n";
    }
  }
  for (const auto& warning : r.warnings) o << "warning: " << warning << "\n";
  o << "runs: " << r.runs << " ran in " << r.stages << " stage" << (r.stages == 1 ? "" : "s") << " (" << r.points.size()
    << " candidates x " << s.replicas << " replicas), " << num(std::round(r.wall_s * 10) / 10) << " s\n";
  return o.str();
}

}  // namespace dcsim::cli
