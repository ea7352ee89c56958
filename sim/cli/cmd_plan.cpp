// dcsim plan: the command line of capacity planning (plan_run.hpp, study/plan.hpp).
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <thread>

#include "sim/cli/command_line.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/job.hpp"
#include "sim/cli/plan_run.hpp"

namespace dcsim::cli {

int cmd_plan(const std::vector<std::string>& args) {
  po::options_description desc(
      "dcsim plan SCENARIO -o DIR --vary KEY [--min A --max B] --slo 'METRIC<VALUE' [...] [options]\n"
      "The least value of a capacity (GPUs, servers, cooling units, design heat, a power envelope) that meets\n"
      "every SLO with the given confidence; with enumerated variables (--vary KEY=V1,V2) and --minimise, the\n"
      "cheapest feasible design and the Pareto front. Exit 0 with an answer, 1 when infeasible or a run failed");
  desc.add_options()("help,h", "this help")("scenario", po::value<std::string>()->required(), "scenario TOML file")(
      "output,o", po::value<std::string>(), "the plan's directory: DIR/runs/<name>.h5, DIR/plan.h5, DIR/plan.toml")(
      "vary", po::value<std::vector<std::string>>()->composing(),
      "KEY (searched, with --min/--max), KEY=A..B (searched), KEY=V1,V2,... or KEY=A:B:STEP (enumerated); repeatable, "
      "at most one searched")(
      "min", po::value<std::string>(), "least value of the searched variable (default: its smallest valid value, "
                                       "at least one step)")(
      "max", po::value<std::string>(), "largest value of the searched variable (default: 64 times the scenario's)")(
      "step", po::value<std::string>(), "resolution of the searched variable (default: 1 for an integer key, the power "
                                        "of ten at most 1 % of the scenario's value for a quantity)")(
      "slo", po::value<std::vector<std::string>>()->composing(),
      "METRIC<VALUE or METRIC>VALUE, a summary metric in its unit (repeatable; every one must be met)")(
      "replicas", po::value<int>()->default_value(5), "replicas per candidate (common random numbers), at least 2")(
      "confidence", po::value<double>()->default_value(0.95), "one-sided confidence that an SLO is met, in (0.5, 1)")(
      "statistic", po::value<std::string>()->default_value("median"),
      "what an SLO is on: the metric's 'median' over runs (an exact, distribution-free bound; needs at least "
      "log2(1/(1 - confidence)) replicas) or its 'mean' (Student's t bound)")(
      "minimise", po::value<std::string>(), "the metric to minimise over the feasible points ('cost' is costs.total_usd); "
                                            "needed with enumerated variables")(
      "jobs,j", po::value<int>(), "runs at once (default: the machine's cores)")(
      "set", po::value<std::vector<std::string>>()->composing(), "override a scenario value (repeatable)")(
      "seed", po::value<std::string>(), "scenario seed")("run-index", po::value<std::string>(), "first run index")(
      "quiet,q", "no progress reports");
  const auto parsed = parse(args, desc, "scenario");
  if (!parsed) return kOk;
  const po::variables_map& vm = *parsed;
  if (!vm.count("output")) throw po::error("give -o DIR (the plan's directory)");
  if (!vm.count("vary")) throw po::error("give --vary KEY (the capacity to size) or --vary KEY=V1,V2,... (values to compare)");
  if (!vm.count("slo")) throw po::error("give at least one --slo 'METRIC<VALUE'");
  if (vm.count("jobs") && vm["jobs"].as<int>() < 1) throw po::error("--jobs: expected an integer >= 1, found " + std::to_string(vm["jobs"].as<int>()));
  PlanSpec spec;
  spec.path = vm["scenario"].as<std::string>();
  spec.overrides = collect_overrides(vm);
  const int replicas = vm["replicas"].as<int>();
  if (replicas < 2 || replicas > 10000) {
    throw po::error("--replicas: expected 2 to 10000 (a confidence needs the spread of at least two), found " + std::to_string(replicas));
  }
  spec.replicas = static_cast<std::size_t>(replicas);
  spec.confidence = vm["confidence"].as<double>();
  if (!(spec.confidence > 0.5 && spec.confidence < 1)) {
    throw po::error("--confidence: expected a number in (0.5, 1) such as 0.95, found " + std::to_string(spec.confidence));
  }
  try {
    spec.statistic = study::parse_statistic(vm["statistic"].as<std::string>());
  } catch (const std::invalid_argument& e) {
    throw po::error(std::string("--statistic: ") + e.what());
  }
  if (spec.statistic == study::Statistic::median && spec.replicas < study::min_replicas(spec.confidence)) {
    throw po::error("--replicas: the median's bound at this confidence needs at least " +
                    std::to_string(study::min_replicas(spec.confidence)) + " replicas (0.5^R <= 1 - confidence), found " +
                    std::to_string(replicas) + "; give more, or --statistic mean");
  }
  if (vm.count("minimise")) spec.minimise = vm["minimise"].as<std::string>();
  for (const auto& t : vm["slo"].as<std::vector<std::string>>()) {
    try {
      spec.slos.push_back(study::parse_slo(t));
    } catch (const std::invalid_argument& e) {
      throw po::error(std::string("--slo: ") + e.what());
    }
  }
  study::VaryBounds bounds;
  if (vm.count("min")) bounds.min = vm["min"].as<std::string>();
  if (vm.count("max")) bounds.max = vm["max"].as<std::string>();
  if (vm.count("step")) bounds.step = vm["step"].as<std::string>();
  try {
    const io::Scenario sc = io::load_scenario(spec.path, spec.overrides);
    std::size_t searched = 0, enumerated = 0;
    for (const auto& a : vm["vary"].as<std::vector<std::string>>()) {
      const bool bare = a.find('=') == std::string::npos;
      study::PlanVar v = study::read_var(a, scenario_schema(), sc.root, bare ? bounds : study::VaryBounds{"", "", bounds.step});
      for (const auto& w : spec.vars) {
        if (w.key == v.key) throw po::error("--vary " + v.key + ": given twice");
      }
      (v.search ? searched : enumerated) += 1;
      spec.vars.push_back(std::move(v));
    }
    if (searched > 1) throw po::error("--vary: at most one searched variable (KEY or KEY=A..B); give the others values (KEY=V1,V2,...)");
    const bool bare_search = [&] {
      for (const auto& a : vm["vary"].as<std::vector<std::string>>()) {
        if (a.find('=') == std::string::npos) return true;
      }
      return false;
    }();
    if ((vm.count("min") || vm.count("max")) && !bare_search) {
      throw po::error("--min and --max bound a searched variable given as --vary KEY; there is none");
    }
    if (vm.count("step") && !searched) throw po::error("--step: there is no searched variable");
    if (enumerated && spec.minimise.empty()) {
      throw po::error("with enumerated variables (--vary KEY=V1,V2,...) the plan compares designs: say what to minimise "
                      "(--minimise cost, or a metric)");
    }
  } catch (const std::invalid_argument& e) {
    throw po::error(e.what());
  } catch (const ConfigError& e) {
    std::cerr << e.what() << "\n";
    return kBadInput;
  }
  PlanOptions opt;
  opt.dir = vm["output"].as<std::string>();
  opt.threads = vm.count("jobs") ? vm["jobs"].as<int>() : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  opt.interrupt = interrupt_flag();
  opt.progress = !vm.count("quiet");
  install_signal_handlers();
  PlanResult r;
  // Bad input found only once runs have reported (an SLO on a metric no run has) leaves nothing behind: the
  // directory this command created is removed (one that held this plan before is left as it was).
  std::error_code ec;
  const bool existed = std::filesystem::exists(opt.dir, ec);
  const auto bad_input = [&](const std::string& message) {
    std::cerr << message << "\n";
    if (!existed) std::filesystem::remove_all(opt.dir, ec);
    return kBadInput;
  };
  try {
    r = run_plan(spec, opt);
  } catch (const ConfigError& e) {
    return bad_input(e.what());
  } catch (const std::invalid_argument& e) {
    return bad_input(std::string("dcsim plan: ") + e.what());
  } catch (const std::runtime_error& e) {
    std::cerr << opt.dir << ": error: " << e.what() << "\n";
    return kBadInput;
  }
  std::cout << render_plan(spec, r);
  std::cout.flush();
  if (r.interrupted) return leave(interrupted_exit_code());
  write_plan_file(spec, r, opt.dir);
  std::cout << "plan: " << opt.dir << "/plan.h5\n";
  return leave(r.chosen && r.failed == 0 ? kOk : kFailed);
}

}  // namespace dcsim::cli
