#include "sim/cli/sweep.hpp"

#include <algorithm>
#include <filesystem>

#include "sim/core/echo.hpp"
#include "sim/core/input_file.hpp"
#include "sim/core/input_limits.hpp"

namespace dcsim::cli {

namespace {

// The message of a ConfigError without its "file:line:col: error: " prefix.
std::string message_of(const ConfigError& e) {
  const std::string w = e.what();
  const std::size_t at = w.find(": error: ");
  return at == std::string::npos ? w : w.substr(at + 9);
}

// A sweep file that names its scenario (sweep.scenario = "default.toml") holds [sweep] only: the scenario's
// tables, read from its own file (so that its relative paths and its messages' locations are its own),
// take the place of the rest.
void merge_named_scenario(ConfigValue& root, const std::string& path) {
  const ConfigValue* sw = root.find("sweep");
  const ConfigValue* named = sw && sw->is_table() ? sw->find("scenario") : nullptr;
  if (!named) return;
  if (!named->is_string() || named->as_string().empty()) {
    throw ConfigError(named->loc(), "key 'sweep.scenario': expected the path of a scenario file, found " +
                                        (named->is_string() ? std::string("an empty string") : std::string("a value that is not a string")));
  }
  for (const auto& [k, v] : root.entries()) {
    if (k != "sweep") {
      throw ConfigError(v.key_loc(), "a sweep file that names its scenario (sweep.scenario) holds [sweep] only, found '" +
                                         echo(k) + "': change the scenario with an axis or --set");
    }
  }
  const std::string base_path =
      (std::filesystem::path(path).parent_path() / named->as_string()).lexically_normal().string();
  std::string text;
  try {
    text = read_input_file(base_path, limits::kMaxScenarioBytes, "scenario file");
  } catch (const ConfigError& e) {
    throw ConfigError(named->loc(), "key 'sweep.scenario': " + message_of(e));
  }
  ConfigValue base = io::parse_toml(text, base_path);
  if (base.find("sweep")) throw ConfigError(named->loc(), "key 'sweep.scenario': " + base_path + " is itself a sweep");
  base.set("sweep", *sw);
  root = std::move(base);
}

Sweep sweep_from_tree(ConfigValue root, const std::string& path, const std::vector<std::string>& overrides) {
  Sweep s;
  s.path = path;
  merge_named_scenario(root, path);
  // Command-line overrides reach the whole file, [sweep] included (--set sweep.replicas=5).
  s.resolved_text = io::apply_overrides(root, overrides);
  const ConfigValue* raw = root.find("sweep");
  if (!raw) {
    throw ConfigError(SourceLoc{path, 0, 0}, "the scenario has no [sweep] table: dcsim sweep needs axes to vary "
                                             "(dcsim keys sweep lists its keys); dcsim run runs a single scenario");
  }
  // The sweep is read from a tree of its own, with the sweep's table only, so that its unknown keys are
  // reported like a model's; the scenario is the rest, in file order, with its locations.
  ConfigValue only = ConfigValue::make_table(root.loc());
  only.set("sweep", *raw);
  ConfigValue base = ConfigValue::make_table(root.loc());
  for (const auto& [k, v] : root.entries()) {
    if (k != "sweep") base.set(k, v);
  }
  {
    const Params top(only, "", scenario_schema());
    if (!top.is_table("sweep")) top.fail("sweep", "a table ([sweep])");
    s.spec = study::read_sweep(top.table("sweep"), *only.find("sweep"));
    check_unknown_keys(only);
  }
  s.base.path = path;
  s.base.root = std::move(base);
  s.base.resolved_text = io::apply_overrides(s.base.root, std::vector<io::Override>{});
  // The scenario's own run index (after --run-index) is where the sweep's run indices start.
  std::uint64_t run_index = 0;
  if (const ConfigValue* sim = s.base.root.find("simulation"); sim && sim->is_table()) {
    if (const ConfigValue* ri = sim->find("run_index"); ri && ri->type() == ConfigValue::Type::integer && ri->as_integer() >= 0) {
      run_index = static_cast<std::uint64_t>(ri->as_integer());
    }
  }
  s.expansion = study::expand(s.spec, run_index);
  return s;
}

}  // namespace

bool has_sweep(const ConfigValue& root) { return root.find("sweep") != nullptr; }

Sweep load_sweep(const std::string& path, const std::vector<std::string>& overrides) {
  const std::string text = read_input_file(path, limits::kMaxScenarioBytes, "scenario file");
  return sweep_from_text(text, path, overrides);
}

Sweep sweep_from_text(const std::string& text, const std::string& name, const std::vector<std::string>& overrides) {
  return sweep_from_tree(io::parse_toml(text, name), name, overrides);
}

std::string describe_point(const Sweep& sweep, const study::SweepRun& run) {
  std::string d = "point " + std::to_string(run.point) + " of " + std::to_string(sweep.expansion.points);
  if (sweep.spec.axes.empty()) return d;
  d += " (";
  for (std::size_t a = 0; a < sweep.spec.axes.size(); ++a) {
    const study::Axis& axis = sweep.spec.axes[a];
    d += (a ? ", " : "") + echo(axis.key) + " = " + echo(axis.values[run.value[a]].render());
  }
  return d + ")";
}

Job prepare_sweep_run(const Sweep& sweep, const study::SweepRun& run, bool fingerprint) {
  io::Scenario sc;
  sc.path = sweep.path;
  sc.root = sweep.base.root;
  try {
    sc.resolved_text = io::apply_overrides(sc.root, study::overrides_of(sweep.spec, run));
    return prepare_job_from_scenario(std::move(sc), fingerprint);
  } catch (const ConfigError& e) {
    throw ConfigError(e.loc(), message_of(e) + " [in sweep run " + run.name + ", " + describe_point(sweep, run) + "]");
  }
}

std::vector<double> validate_sweep(const Sweep& sweep) {
  std::vector<double> cost(sweep.expansion.points, 0.0);
  for (const study::SweepRun& run : sweep.expansion.runs) {
    if (run.replica != 0) continue;
    const Job job = prepare_sweep_run(sweep, run);
    cost[run.point] = job.run->estimate().events(job.run->settings().duration);
  }
  return cost;
}

std::string list_runs(const Sweep& sweep) {
  const auto& spec = sweep.spec;
  const auto& e = sweep.expansion;
  std::string out = sweep.path + ": " + std::to_string(e.points) + " point" + (e.points == 1 ? "" : "s") + " x " +
                    std::to_string(spec.replicas) + " replica" + (spec.replicas == 1 ? "" : "s") + " = " +
                    std::to_string(e.runs.size()) + " run" + (e.runs.size() == 1 ? "" : "s") + " (" +
                    (spec.combine == study::Combine::grid ? "grid" : "zip") + " of " + std::to_string(spec.axes.size()) +
                    (spec.axes.size() == 1 ? " axis" : " axes") + ", " +
                    (spec.streams == study::Streams::common ? "common random numbers" : "independent streams") +
                    ", baseline point " + std::to_string(spec.baseline) + ")\n";
  std::vector<std::string> head = {"run", "point", "replica", "run_index", "name"};
  for (const auto& a : spec.axes) head.push_back(a.key);
  std::vector<std::vector<std::string>> rows;
  for (const auto& r : e.runs) {
    std::vector<std::string> row = {std::to_string(r.index), std::to_string(r.point), std::to_string(r.replica),
                                    std::to_string(r.run_index), r.name};
    for (std::size_t a = 0; a < spec.axes.size(); ++a) row.push_back(echo(study::value_text(spec.axes[a].values[r.value[a]])));
    rows.push_back(std::move(row));
  }
  std::vector<std::size_t> w(head.size());
  for (std::size_t c = 0; c < head.size(); ++c) {
    w[c] = head[c].size();
    for (const auto& row : rows) w[c] = std::max(w[c], row[c].size());
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string l;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const bool last = c + 1 == cells.size();
      l += cells[c] + (last ? "" : std::string(w[c] - cells[c].size() + 2, ' '));
    }
    return l + "\n";
  };
  out += line(head);
  for (const auto& row : rows) out += line(row);
  return out;
}

}  // namespace dcsim::cli
