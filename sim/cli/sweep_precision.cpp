#include "sim/cli/sweep_precision.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <stdexcept>

#include "sim/io/hdf5_output.hpp"

namespace dcsim::cli {

namespace {

// The named metrics of a run whose file is complete (NaN for one it lacks), or nothing when the run did not
// complete; `found` records which metrics any run had.
std::optional<std::vector<double>> metrics_of(const std::string& file, const std::vector<study::PrecisionTarget>& targets,
                                              std::vector<bool>& found) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return std::nullopt;
  io::OutputInfo info;
  try {
    info = io::read_output_info(file);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (info.root_attributes["status"] != "complete") return std::nullopt;
  std::vector<double> v(targets.size(), std::nan(""));
  for (const auto& x : info.summary) {
    for (std::size_t t = 0; t < targets.size(); ++t) {
      if (x.name != targets[t].metric) continue;
      if (const auto* d = std::get_if<double>(&x.value)) v[t] = *d;
      else if (const auto* i = std::get_if<std::int64_t>(&x.value)) v[t] = static_cast<double>(*i);
      found[t] = true;
    }
  }
  return v;
}

std::string percent(double x) {
  char b[32];
  std::snprintf(b, sizeof b, "%.3g%%", 100 * x);
  return b;
}

}  // namespace

PrecisionOutcome run_to_precision(const Sweep& sweep, SweepRunOptions opt, const std::vector<study::PrecisionTarget>& targets,
                                  std::size_t initial, double level) {
  const auto& runs = sweep.expansion.runs;
  const std::size_t points = sweep.expansion.points, max = static_cast<std::size_t>(sweep.spec.replicas);
  std::vector<std::vector<std::size_t>> of_point(points);
  for (const auto& r : runs) of_point[r.point].push_back(r.index);
  std::vector<std::size_t> want(points, std::min(std::max<std::size_t>(initial, 2), max));  // the caller starts at 3
  std::vector<bool> active(points, true);
  PrecisionOutcome out;
  out.points.resize(points);
  std::vector<bool> found(targets.size(), false);
  // Each run's file is read once, after the stage that ran it: the metrics, or nothing if it did not complete.
  std::vector<std::optional<std::vector<double>>> metrics(runs.size());
  std::vector<bool> read(runs.size(), false);
  std::vector<std::size_t> ran_up_to(points, 0);  // replicas 0 .. ran_up_to - 1 of each point have had a stage
  while (true) {
    // A stage runs the replicas each active point gained; the earlier ones are known.
    opt.selection.clear();
    for (std::size_t p = 0; p < points; ++p) {
      if (!active[p]) continue;
      for (std::size_t k = ran_up_to[p]; k < want[p]; ++k) opt.selection.push_back(of_point[p][k]);
      ran_up_to[p] = want[p];
    }
    std::sort(opt.selection.begin(), opt.selection.end());
    const SweepRunSummary s = run_sweep(sweep, opt);
    ++out.stages;
    out.runs.selected += out.stages == 1 ? s.selected : s.selected - s.skipped;
    out.runs.ran += s.ran;
    out.runs.failed += s.failed;
    out.runs.not_started += s.not_started;
    out.runs.wall_s += s.wall_s;
    out.runs.interrupted = s.interrupted;
    out.runs.errors.insert(out.runs.errors.end(), s.errors.begin(), s.errors.end());
    if (s.interrupted) return out;
    bool more = false;
    for (std::size_t p = 0; p < points; ++p) {
      if (!active[p]) continue;
      std::vector<std::vector<double>> values(targets.size());
      std::size_t complete = 0;
      for (std::size_t k = 0; k < want[p]; ++k) {
        const std::size_t i = of_point[p][k];
        if (!read[i]) {
          metrics[i] = metrics_of(run_file(opt.dir, runs[i]), targets, found);
          read[i] = true;
        }
        if (!metrics[i]) continue;
        ++complete;
        for (std::size_t t = 0; t < targets.size(); ++t) values[t].push_back((*metrics[i])[t]);
      }
      if (out.stages == 1) {
        for (std::size_t t = 0; t < targets.size(); ++t) {
          if (!found[t] && complete > 0) {
            throw std::invalid_argument("--precision: no run's summary has the metric '" + targets[t].metric +
                                        "' (dcsim info on a run file lists them)");
          }
        }
      }
      PointPrecision& pp = out.points[p];
      pp.replicas = complete;
      pp.met = complete >= 2;
      pp.worst.clear();
      std::size_t need = want[p];
      double worst_ratio = 0;
      for (std::size_t t = 0; t < targets.size(); ++t) {
        const study::Interval iv = study::mean_interval(values[t], level);
        if (targets[t].met_by(iv)) continue;
        pp.met = false;
        const double target_hw = targets[t].relative ? targets[t].value * std::fabs(iv.mean) : targets[t].value;
        const double ratio = target_hw > 0 && std::isfinite(iv.half_width) ? iv.half_width / target_hw : INFINITY;
        if (ratio >= worst_ratio) {
          worst_ratio = ratio;
          pp.worst = targets[t].metric + ": half-width " +
                     (targets[t].relative ? percent(iv.half_width / std::fabs(iv.mean)) : std::to_string(iv.half_width)) +
                     ", target " + (targets[t].relative ? percent(targets[t].value) : std::to_string(targets[t].value));
        }
        // n = (t s / h)^2 with s = half-width sqrt(n) / t: the replicas that make the half-width h.
        if (std::isfinite(ratio) && iv.n >= 2) {
          need = std::max(need, static_cast<std::size_t>(std::ceil(static_cast<double>(iv.n) * ratio * ratio)));
        } else {
          need = std::max(need, want[p] + 1);
        }
      }
      if (pp.met || want[p] >= max || complete < want[p]) {
        active[p] = false;  // met, at the limit, or some of its runs failed: no more replicas
        continue;
      }
      want[p] = std::min({max, std::max(need, want[p] + 1), 2 * want[p]});
      more = true;
    }
    if (!more) break;
  }
  // The replicas no point needed: recorded, so that the index counts the sweep as complete.
  for (std::size_t p = 0; p < points; ++p) {
    for (std::size_t k = want[p]; k < max; ++k) {
      record_not_needed(opt.dir, runs[of_point[p][k]],
                        "not needed: the point met its --precision targets with " + std::to_string(want[p]) + " replicas");
    }
  }
  return out;
}

}  // namespace dcsim::cli
