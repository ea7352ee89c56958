#include "sim/cli/sweep_index.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

#include "sim/cli/sweep_run.hpp"
#include "sim/cli/version.hpp"
#include "sim/io/hdf5_output.hpp"
#include "sim/io/hdf5_table.hpp"
#include "sim/study/replicas.hpp"

namespace fs = std::filesystem;

namespace dcsim::cli {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct StatusFile {
  std::string status, error;
  double wall_s = kNaN;
  long long seed = -1;
  bool present = false;
};

StatusFile read_status(const std::string& path) {
  StatusFile s;
  std::ifstream in(path);
  if (!in) return s;
  std::string line;
  while (std::getline(in, line)) {
    const std::size_t sp = line.find(' ');
    const std::string key = line.substr(0, sp), value = sp == std::string::npos ? "" : line.substr(sp + 1);
    try {
      if (key == "status") s.status = value;
      if (key == "error") s.error = value;
      if (key == "wall_s") s.wall_s = std::stod(value);
      if (key == "seed") s.seed = std::stoll(value);
    } catch (const std::exception&) {  // a damaged status file reads as no status
    }
  }
  s.present = !s.status.empty();
  return s;
}

struct Record {
  std::string status, error, file;
  double wall_s = kNaN;
  long long seed = -1;
  std::map<std::string, double> metrics;
};

Record read_record(const std::string& dir, const study::SweepRun& run, std::map<std::string, std::pair<std::string, std::string>>& meta) {
  Record r;
  const StatusFile st = read_status(status_file(dir, run));
  r.wall_s = st.wall_s;
  r.seed = st.seed;
  const std::string final_path = run_file(dir, run);
  std::error_code ec;
  if (fs::is_regular_file(final_path, ec)) {
    try {
      const io::OutputInfo info = io::read_output_info(final_path);
      if (info.root_attributes.at("status") != "complete") throw std::runtime_error("status is not complete");
      r.status = "complete";
      r.file = "runs/" + run.name + ".h5";
      r.seed = std::stoll(info.root_attributes.at("seed"));
      for (const auto& x : info.summary) {
        double v = kNaN;
        if (const auto* d = std::get_if<double>(&x.value)) v = *d;
        else if (const auto* i = std::get_if<std::int64_t>(&x.value)) v = static_cast<double>(*i);
        else continue;
        r.metrics[x.name] = v;
        meta.emplace(x.name, std::make_pair(x.units, x.description));
      }
      return r;
    } catch (const std::exception& e) {
      r.status = "failed";
      r.error = std::string("the run's file cannot be read: ") + e.what();
      return r;
    }
  }
  const bool partial = fs::is_regular_file(final_path + ".partial", ec);
  if (partial) r.file = "runs/" + run.name + ".h5.partial";
  if (st.present && (st.status == "failed" || st.status == "skipped")) {
    r.status = st.status;
    r.error = st.error;
  } else {
    r.status = partial || st.present ? "incomplete" : "missing";
    if (st.present && st.status == "interrupted") r.error = st.error;
  }
  return r;
}

// An axis's values as one column: integers, numbers or text, whichever holds them all.
io::Column param_column(const std::string& name, const study::Axis& axis, const std::vector<std::size_t>& value_of_row) {
  bool all_int = true, all_num = true;
  for (const auto& v : axis.values) {
    all_int = all_int && v.type() == ConfigValue::Type::integer;
    all_num = all_num && v.is_number();
  }
  io::Column c;
  c.name = name;
  if (all_int) {
    std::vector<std::int64_t> x;
    for (std::size_t i : value_of_row) x.push_back(axis.values[i].as_integer());
    c.values = std::move(x);
  } else if (all_num) {
    std::vector<double> x;
    for (std::size_t i : value_of_row) x.push_back(axis.values[i].as_number());
    c.values = std::move(x);
  } else {
    std::vector<std::string> x;
    for (std::size_t i : value_of_row) x.push_back(study::value_text(axis.values[i]));
    c.values = std::move(x);
  }
  c.description = "the value of " + axis.key;
  return c;
}

std::string point_name(const Sweep& sweep, const study::SweepRun& first) {
  if (sweep.spec.replicas <= 1) return first.name;
  const std::size_t at = first.name.rfind("_r");
  return at == std::string::npos ? first.name : first.name.substr(0, at);
}

}  // namespace

IndexCounts count_runs(const Sweep& sweep, const std::string& dir) {
  IndexCounts c;
  for (const auto& run : sweep.expansion.runs) {
    std::error_code ec;
    if (fs::is_regular_file(run_file(dir, run), ec)) {
      ++c.complete;
      continue;
    }
    const StatusFile st = read_status(status_file(dir, run));
    if (st.present && st.status == "failed") {
      ++c.failed;
    } else if (st.present && st.status == "skipped") {
      ++c.not_needed;
    } else if (st.present || fs::is_regular_file(run_file(dir, run) + ".partial", ec)) {
      ++c.incomplete;
    } else {
      ++c.missing;
    }
  }
  return c;
}

IndexCounts write_index(const Sweep& sweep, const std::string& dir, double level) {
  const auto& runs = sweep.expansion.runs;
  const auto& axes = sweep.spec.axes;
  std::map<std::string, std::pair<std::string, std::string>> meta;  // metric -> units, description
  std::vector<Record> rec;
  rec.reserve(runs.size());
  IndexCounts counts;
  for (const auto& run : runs) {
    rec.push_back(read_record(dir, run, meta));
    const std::string& s = rec.back().status;
    if (s == "complete") ++counts.complete;
    else if (s == "failed") ++counts.failed;
    else if (s == "incomplete") ++counts.incomplete;
    else if (s == "skipped") ++counts.not_needed;
    else ++counts.missing;
  }

  io::TableFile t;
  const std::string status = counts.all_complete() ? "complete" : "incomplete";
  t.root_attributes = {
      {"dcsim_version", std::string(DCSIM_VERSION)},
      {"scenario_file", sweep.path},
      {"combine", std::string(sweep.spec.combine == study::Combine::grid ? "grid" : "zip")},
      {"streams", std::string(sweep.spec.streams == study::Streams::common ? "common" : "independent")},
      {"points", static_cast<std::int64_t>(sweep.expansion.points)},
      {"replicas", static_cast<std::int64_t>(sweep.spec.replicas)},
      {"runs", static_cast<std::int64_t>(runs.size())},
      {"baseline", static_cast<std::int64_t>(sweep.spec.baseline)},
      {"confidence_level", level},
      {"runs_complete", static_cast<std::int64_t>(counts.complete)},
      {"runs_failed", static_cast<std::int64_t>(counts.failed)},
      {"runs_missing", static_cast<std::int64_t>(counts.incomplete + counts.missing)},
      {"runs_not_needed", static_cast<std::int64_t>(counts.not_needed)},
      {"status", status},
  };
  t.groups.push_back({"/", {}, {io::Column{"scenario", std::vector<std::string>{sweep.resolved_text}, "", "the sweep as resolved"}}});

  // One row per run.
  {
    io::TableGroup g{"/runs", {}, {}};
    std::vector<std::int64_t> idx, point, replica, run_index, seed;
    std::vector<std::string> name, file, st, err;
    std::vector<double> wall;
    for (std::size_t i = 0; i < runs.size(); ++i) {
      idx.push_back(static_cast<std::int64_t>(runs[i].index));
      point.push_back(static_cast<std::int64_t>(runs[i].point));
      replica.push_back(static_cast<std::int64_t>(runs[i].replica));
      run_index.push_back(static_cast<std::int64_t>(runs[i].run_index));
      seed.push_back(rec[i].seed);
      name.push_back(runs[i].name);
      file.push_back(rec[i].file);
      st.push_back(rec[i].status);
      err.push_back(rec[i].error);
      wall.push_back(rec[i].wall_s);
    }
    g.columns = {{"run", idx, "", "the run's index in the sweep"},
                 {"point", point, "", "the point of the sweep"},
                 {"replica", replica, "", "the replica of the point"},
                 {"run_index", run_index, "", "simulation.run_index of the run (its random streams)"},
                 {"seed", seed, "", "simulation.seed of the run (-1: the run could not be built)"},
                 {"name", name, "", "the run's name: runs/<name>.h5"},
                 {"file", file, "", "the run's file, relative to the index (empty: none)"},
                 {"status", st, "", "complete, failed, incomplete, missing, or skipped (not needed by --precision)"},
                 {"error", err, "", "why the run failed"},
                 };
    t.groups.push_back(std::move(g));
    // The wall times are the only values that depend on the machine: they live in timing.h5, which
    // /runs/wall_s links to, so that index.h5 itself is the same byte for byte however the runs ran.
    io::TableFile timing;
    timing.groups.push_back({"/", {}, {{"wall_s", wall, "s", "wall time of each run of the sweep, in run order (NaN: not run)"}}});
    io::write_table_file((fs::path(dir) / "timing.h5").string(), timing);
    t.links.push_back({"/runs/wall_s", "timing.h5", "/wall_s"});
    io::TableGroup params{"/runs/params", {}, {}};
    for (std::size_t a = 0; a < axes.size(); ++a) {
      std::vector<std::size_t> v;
      for (const auto& r : runs) v.push_back(r.value[a]);
      params.columns.push_back(param_column(axes[a].key, axes[a], v));
    }
    t.groups.push_back(std::move(params));
    io::TableGroup metrics{"/runs/metrics", {}, {}};
    for (const auto& [m, ud] : meta) {
      std::vector<double> v;
      for (const auto& r : rec) {
        const auto it = r.metrics.find(m);
        v.push_back(it == r.metrics.end() ? kNaN : it->second);
      }
      metrics.columns.push_back({m, std::move(v), ud.first, ud.second});
    }
    t.groups.push_back(std::move(metrics));
  }

  // One row per point: the replicas' statistics, and the differences against the baseline point.
  const std::size_t points = sweep.expansion.points;
  std::vector<std::vector<std::size_t>> of_point(points);
  for (const auto& r : runs) of_point[r.point].push_back(r.index);
  {
    io::TableGroup g{"/points", {}, {}};
    std::vector<std::int64_t> pidx, done;
    std::vector<std::string> pname;
    for (std::size_t p = 0; p < points; ++p) {
      pidx.push_back(static_cast<std::int64_t>(p));
      pname.push_back(point_name(sweep, runs[of_point[p].front()]));
      std::int64_t n = 0;
      for (std::size_t i : of_point[p]) n += rec[i].status == "complete";
      done.push_back(n);
    }
    g.columns = {{"point", pidx, "", "the point's index"},
                 {"name", pname, "", "the point's name (its runs' names without the replica)"},
                 {"replicas", done, "", "the point's replicas that completed"}};
    t.groups.push_back(std::move(g));
    io::TableGroup params{"/points/params", {}, {}};
    for (std::size_t a = 0; a < axes.size(); ++a) {
      std::vector<std::size_t> v;
      for (std::size_t p = 0; p < points; ++p) v.push_back(runs[of_point[p].front()].value[a]);
      params.columns.push_back(param_column(axes[a].key, axes[a], v));
    }
    t.groups.push_back(std::move(params));
  }
  const bool paired = sweep.spec.streams == study::Streams::common;
  const auto base = static_cast<std::size_t>(sweep.spec.baseline);
  io::TableGroup mean{"/points/mean", {}, {}}, hw{"/points/half_width", {}, {}}, lo{"/points/low", {}, {}},
      hi{"/points/high", {}, {}}, nn{"/points/n", {}, {}};
  io::TableGroup dmean{"/differences/mean", {}, {}}, dhw{"/differences/half_width", {}, {}},
      dlo{"/differences/low", {}, {}}, dhi{"/differences/high", {}, {}}, dn{"/differences/n", {}, {}};
  for (const auto& [m, ud] : meta) {
    // values[p][k]: metric m of replica k of point p (NaN when that run did not complete).
    std::vector<std::vector<double>> values(points);
    for (std::size_t p = 0; p < points; ++p) {
      for (std::size_t i : of_point[p]) {
        const auto it = rec[i].metrics.find(m);
        values[p].push_back(it == rec[i].metrics.end() ? kNaN : it->second);
      }
    }
    std::vector<double> a, b, c, d, da, db, dc, dd;
    std::vector<std::int64_t> n, dnv;
    for (std::size_t p = 0; p < points; ++p) {
      const study::Interval iv = study::mean_interval(values[p], level);
      a.push_back(iv.mean);
      b.push_back(iv.half_width);
      c.push_back(iv.low());
      d.push_back(iv.high());
      n.push_back(static_cast<std::int64_t>(iv.n));
      const study::Interval df = paired ? study::paired_difference(values[p], values[base], level)
                                        : study::unpaired_difference(values[p], values[base], level);
      da.push_back(df.mean);
      db.push_back(df.half_width);
      dc.push_back(df.low());
      dd.push_back(df.high());
      dnv.push_back(static_cast<std::int64_t>(df.n));
    }
    mean.columns.push_back({m, a, ud.first, "mean over replicas: " + ud.second});
    hw.columns.push_back({m, b, ud.first, "half-width of the confidence interval of the mean (NaN: fewer than two replicas)"});
    lo.columns.push_back({m, c, ud.first, "lower end of the confidence interval"});
    hi.columns.push_back({m, d, ud.first, "upper end of the confidence interval"});
    nn.columns.push_back({m, n, "", "replicas with a value"});
    dmean.columns.push_back({m, da, ud.first, "mean difference from the baseline point"});
    dhw.columns.push_back({m, db, ud.first, "half-width of the confidence interval of the difference"});
    dlo.columns.push_back({m, dc, ud.first, "lower end"});
    dhi.columns.push_back({m, dd, ud.first, "upper end"});
    dn.columns.push_back({m, dnv, "", paired ? "pairs of replicas with both values" : "the smaller of the two replica counts"});
  }
  for (auto* g : {&mean, &hw, &lo, &hi, &nn}) t.groups.push_back(std::move(*g));
  dmean.attributes = {{"baseline", static_cast<std::int64_t>(base)},
                      {"paired", static_cast<std::int64_t>(paired ? 1 : 0)},
                      {"method", std::string(paired ? "paired t interval over replicas (common random numbers)"
                                                    : "Welch interval (independent streams)")}};
  for (auto* g : {&dmean, &dhw, &dlo, &dhi, &dn}) t.groups.push_back(std::move(*g));

  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (!rec[i].file.empty()) t.links.push_back({"/files/" + runs[i].name, rec[i].file, "/"});
  }
  io::write_table_file((fs::path(dir) / "index.h5").string(), t);
  return counts;
}

}  // namespace dcsim::cli
