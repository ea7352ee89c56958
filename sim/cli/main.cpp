// The dcsim command: run, validate, sweep, merge, info, keys.
//
// Exit codes: 0 success; 1 a run-time failure (a broken invariant, an I/O error); 2 bad input or usage
// (nothing is written); 128 + signal when interrupted by SIGINT or SIGTERM (the output stays OUT.partial,
// readable, with status "incomplete").
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "models/world.hpp"
#include "sim/cli/command_line.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/contain.hpp"
#include "sim/cli/job.hpp"
#include "sim/cli/sweep.hpp"
#include "sim/cli/version.hpp"
#include "sim/core/echo.hpp"
#include "sim/core/input_file.hpp"
#include "sim/core/input_limits.hpp"
#include "sim/io/hdf5_output.hpp"

using namespace dcsim;
using namespace dcsim::cli;

namespace {

const char* kUsage =
    "usage: dcsim <command> [options]\n"
    "\n"
    "commands:\n"
    "  run SCENARIO [-o OUT.h5] [--force] [--set key=value]... [--seed N] [--run-index N] [--quiet] [--fingerprint]\n"
    "                        run a scenario, write HDF5, print a summary\n"
    "  validate SCENARIO [--set key=value]...\n"
    "                        check a scenario (units, ranges, unknown keys) without running it\n"
    "  sweep SCENARIO -o DIR [-j N] [--runs 0-9,15|slurm] [--resume] [--set key=value]...\n"
    "                        run every point of a scenario's [sweep] (with replicas) in parallel; DIR/index.h5\n"
    "                        tables them with means, confidence intervals and differences from a baseline\n"
    "  sweep SCENARIO --list | --slurm-script -o DIR [--tasks K] [--cpus-per-task C] [--time T]\n"
    "                        list the runs; or print an sbatch script that runs them as a Slurm job array\n"
    "  merge DIR             build DIR/index.h5 from the run files of a sweep (after array tasks, or failures)\n"
    "  plan SCENARIO -o DIR --vary KEY [--min A --max B] --slo 'METRIC<V'... [--replicas R] [--confidence C]\n"
    "                        the least capacity meeting every SLO with confidence; with --vary KEY=V1,V2 and\n"
    "                        --minimise cost, the cheapest feasible design and the Pareto front; DIR/plan.h5\n"
    "  info OUT.h5 [--scenario]\n"
    "                        show an output file's metadata, series and summary\n"
    "  keys [SECTION] [--markdown]\n"
    "                        the reference of every scenario key: type, unit, default, range, basis, help\n"
    "\n"
    "options:\n"
    "  -h, --help            this help (dcsim <command> --help for a command's options)\n"
    "  -V, --version         print the version\n"
    "\n"
    "exit codes: 0 ok, 1 run-time failure, 2 bad input or usage, 130/143 interrupted (SIGINT/SIGTERM)\n";

std::string with_commas(std::uint64_t v) {
  std::string s = std::to_string(v);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<std::size_t>(i), ",");
  return s;
}

std::string value_text(const Summary::Value& v) {
  char buf[64];
  if (const auto* d = std::get_if<double>(&v)) {
    std::snprintf(buf, sizeof buf, "%.6g", *d);
    return buf;
  }
  if (const auto* i = std::get_if<std::int64_t>(&v)) return with_commas(static_cast<std::uint64_t>(*i));
  return std::get<std::string>(v);
}

double peak_memory_mib() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

int cmd_run(const std::vector<std::string>& args) {
  po::options_description desc("dcsim run SCENARIO [options]");
  desc.add_options()("help,h", "this help")("scenario", po::value<std::string>()->required(), "scenario TOML file")(
      "output,o", po::value<std::string>(),
      "output HDF5 file (default out/<scenario name>.h5), written as OUT.partial and renamed when complete; "
      "never a device, FIFO or directory, never one of the run's inputs, and an existing file only if it is a "
      "dcsim output")(
      "force", "replace an existing -o file (and OUT.partial) even if it is not a dcsim output")(
      "set", po::value<std::vector<std::string>>()->composing(),
      "override a scenario value: --set key.path=value (repeatable)")(
      "seed", po::value<std::string>(), "scenario seed (same as --set simulation.seed=N)")(
      "run-index", po::value<std::string>(), "run index for independent replications (simulation.run_index)")(
      "quiet,q", "no progress reports")("fingerprint", "print the hash of the event trace and the random draws")(
      "progress-interval", po::value<double>()->default_value(10.0),
                                        "seconds between progress lines when stderr is not a terminal");
  const auto parsed = parse(args, desc, "scenario");
  if (!parsed) return kOk;
  const po::variables_map& vm = *parsed;
  const std::string scenario_path = vm["scenario"].as<std::string>();
  const bool quiet = vm.count("quiet") > 0;

  cli::Job job;
  try {
    job = cli::prepare_job(scenario_path, collect_overrides(vm), vm.count("fingerprint") > 0);
  } catch (const ConfigError& e) {
    std::cerr << e.what() << "\n";
    return kBadInput;
  }

  cli::ExecuteOptions opt;
  opt.output_path = vm.count("output") ? vm["output"].as<std::string>() : cli::default_output_path(scenario_path);
  if (const std::string why = cli::check_output_path(opt.output_path, job.inputs, vm.count("force") > 0);
      !why.empty()) {
    std::cerr << opt.output_path << ": error: cannot write the output file: " << why << "\n";
    return kBadInput;
  }
  opt.interrupt = interrupt_flag();
  opt.progress = !quiet;
  opt.progress_tty = isatty(STDERR_FILENO) == 1;
  opt.progress_interval_s = vm["progress-interval"].as<double>();
  install_signal_handlers();

  cli::JobResult r;
  try {
    r = cli::execute_job(job, opt);
  } catch (const std::exception& e) {
    std::cerr << "dcsim run: " << e.what() << "\n";
    return kFailed;
  }

  const RunSettings& rs = job.run->settings();
  const double events = static_cast<double>(r.outcome.events);
  std::printf("dcsim %s  %s  seed %llu  run %llu\n", DCSIM_VERSION, scenario_path.c_str(),
              static_cast<unsigned long long>(rs.seed), static_cast<unsigned long long>(rs.run_index));
  std::printf("  %-16s %s (%.6g s), measured after a %s warm-up\n", "simulated span",
              format_time(r.outcome.end).c_str(), r.outcome.end.to_seconds(), format_time(rs.warmup).c_str());
  std::printf("  %-16s %s\n", "events", with_commas(r.outcome.events).c_str());
  std::printf("  %-16s %.3f s (%.3g M events/s)\n", "wall time", r.wall_s, r.wall_s > 0 ? events / r.wall_s / 1e6 : 0.0);
  std::printf("  %-16s %.1f MiB\n", "peak memory", peak_memory_mib());
  std::printf("  %-16s %s (%llu samples, %zu series, status %s)\n", "output",
              r.output_path.empty() ? "none" : r.output_path.c_str(),
              static_cast<unsigned long long>(r.samples_saved), job.run->engine().probes().size(),
              r.error.empty() && r.outcome.complete() ? "complete" : "incomplete");
  if (const Fingerprint* fp = job.run->engine().fingerprint()) {
    std::printf("  %-16s %s (events %s: %s, draws %s: %s)\n", "fingerprint", Fingerprint::hex(fp->value()).c_str(),
                with_commas(fp->event_count()).c_str(), Fingerprint::hex(fp->events_hash()).c_str(),
                with_commas(fp->draw_count()).c_str(), Fingerprint::hex(fp->draws_hash()).c_str());
  }
  if (!r.summary.entries().empty()) {
    std::size_t w = 0;
    for (const auto& e : r.summary.entries()) w = std::max(w, e.name.size());
    std::printf("results\n");
    for (const auto& e : r.summary.entries()) {
      std::printf("  %-*s %12s %-5s %s\n", static_cast<int>(w), e.name.c_str(), value_text(e.value).c_str(),
                  e.unit == "1" ? "" : e.unit.c_str(), e.description.c_str());
    }
  }
  std::fflush(stdout);
  if (!r.error.empty()) {
    std::cerr << "dcsim run: the run failed: " << r.error << "\n";
    if (r.output_path.empty()) {
      std::cerr << "dcsim run: nothing was recorded: the failure came before the first flush, and "
                << opt.output_path << ".partial was removed\n";
    } else {
      std::cerr << "dcsim run: " << r.output_path << " holds the " << r.samples_saved
                << " samples written before the failure (status incomplete)\n";
    }
    return leave(kFailed);  // libhdf5 may hold a file it could not close: then its shutdown is skipped
  }
  if (r.outcome.reason == StopReason::interrupted) {
    std::cerr << "dcsim run: interrupted at t = " << format_time(r.outcome.end) << "; partial results in "
              << r.output_path << " (status incomplete)\n";
    return interrupted_exit_code();
  }
  return kOk;
}

int cmd_validate(const std::vector<std::string>& args) {
  po::options_description desc("dcsim validate SCENARIO [options]");
  desc.add_options()("help,h", "this help")("scenario", po::value<std::string>()->required(), "scenario TOML file")(
      "set", po::value<std::vector<std::string>>()->composing(), "override a scenario value (repeatable)")(
      "seed", po::value<std::string>(), "scenario seed")("run-index", po::value<std::string>(), "run index")(
      "print", "print the resolved scenario (TOML) on stdout");
  const auto parsed = parse(args, desc, "scenario");
  if (!parsed) return kOk;
  const po::variables_map& vm = *parsed;
  const std::string path = vm["scenario"].as<std::string>();
  try {
    if (cli::has_sweep(io::parse_toml(read_input_file(path, limits::kMaxScenarioBytes, "scenario file"), path))) {
      // Every point is built and checked; the replicas differ only in their run index.
      const cli::Sweep sweep = cli::load_sweep(path, collect_overrides(vm));
      (void)cli::validate_sweep(sweep);
      std::printf("%s: ok, a sweep of %zu point%s x %lld replica%s = %zu runs, every point checked\n", path.c_str(),
                  sweep.expansion.points, sweep.expansion.points == 1 ? "" : "s",
                  static_cast<long long>(sweep.spec.replicas), sweep.spec.replicas == 1 ? "" : "s",
                  sweep.expansion.runs.size());
      return kOk;
    }
    cli::Job job = cli::prepare_job(path, collect_overrides(vm));
    if (vm.count("print")) {
      std::cout << job.scenario.resolved_text;
      return kOk;
    }
    const RunSettings& rs = job.run->settings();
    std::printf("%s: ok (%zu model%s, %s simulated, %s warm-up, %lld samples, seed %llu)\n", path.c_str(),
                job.run->models().size(), job.run->models().size() == 1 ? "" : "s",
                format_time(rs.duration).c_str(), format_time(rs.warmup).c_str(),
                static_cast<long long>(rs.duration / rs.sample_interval), static_cast<unsigned long long>(rs.seed));
    const RunEstimate est = job.run->estimate();
    std::printf("  estimate: about %s events, %s of model state (budget %s events, %s)\n",
                echo_number(std::round(est.events(rs.duration))).c_str(), format_bytes(est.bytes()).c_str(),
                echo_number(rs.budget.max_events).c_str(), format_bytes(rs.budget.max_bytes).c_str());
  } catch (const ConfigError& e) {
    std::cerr << e.what() << "\n";
    return kBadInput;
  }
  return kOk;
}

// Reads and prints an output file (in a child process: see cmd_info).
int print_info(const std::string& path, bool scenario_only) {
  io::OutputInfo info;
  try {
    info = io::read_output_info(path);
  } catch (const std::exception& e) {
    std::cerr << path << ": error: " << e.what() << "\n";
    return kBadInput;
  }
  if (scenario_only) {
    std::cout << info.scenario_text;
    return kOk;
  }
  std::printf("%s\n", path.c_str());
  for (const auto& [k, v] : info.root_attributes) std::printf("  %-18s %s\n", k.c_str(), v.c_str());
  if (info.root_attributes["status"] != "complete") {
    const bool stopped = info.root_attributes.count("stop_reason") > 0;
    std::printf("incomplete: %llu samples recorded, up to t = %.6g s; %s\n",
                static_cast<unsigned long long>(info.samples), info.last_time_s,
                stopped ? "the run stopped early (stop_reason)"
                        : "the file was not closed by its run (killed, the machine stopped, or a write failed)");
  }
  std::printf("time series: %llu samples from %.6g s to %.6g s\n", static_cast<unsigned long long>(info.samples),
              info.first_time_s, info.last_time_s);
  std::size_t w = 0;
  for (const auto& s : info.series) w = std::max(w, s.path.size());
  for (const auto& s : info.series) {
    std::printf("  %-*s [%s] %s (%s)\n", static_cast<int>(w), s.path.c_str(), s.units.c_str(), s.description.c_str(),
                s.sampling.c_str());
  }
  std::printf("summary: %zu values\n", info.summary.size());
  w = 0;
  for (const auto& r : info.summary) w = std::max(w, r.name.size());
  for (const auto& r : info.summary) {
    std::printf("  %-*s %12s %-5s %s\n", static_cast<int>(w), r.name.c_str(), value_text(r.value).c_str(),
                r.units == "1" ? "" : r.units.c_str(), r.description.c_str());
  }
  return kOk;
}

int cmd_info(const std::vector<std::string>& args) {
  po::options_description desc("dcsim info OUT.h5 [options]");
  desc.add_options()("help,h", "this help")("file", po::value<std::string>()->required(), "dcsim output file")(
      "scenario", "print the resolved scenario stored in the file");
  const auto parsed = parse(args, desc, "file");
  if (!parsed) return kOk;
  const po::variables_map& vm = *parsed;
  const std::string path = vm["file"].as<std::string>();
  // A directory, a device or a FIFO is refused before HDF5 opens it (a FIFO would block).
  if (const std::string why = input_file_problem(path); !why.empty()) {
    std::cerr << path << ": error: the file " << why << "\n";
    return kBadInput;
  }
  // libhdf5 can crash on a damaged file: read and print in a child process, and turn a crash into a message.
  const bool scenario_only = vm.count("scenario") > 0;
  constexpr unsigned kInfoTimeoutS = 600;
  const cli::Contained c = cli::run_contained([&] { return print_info(path, scenario_only); }, kInfoTimeoutS);
  if (c.signal == SIGALRM) {
    std::cerr << path << ": error: cannot read the file: libhdf5 did not finish reading it in " << kInfoTimeoutS
              << " s; the file is damaged\n";
    return kBadInput;
  }
  if (c.signal == SIGPIPE) return 128 + SIGPIPE;  // whoever read our output stopped reading (`| head`): not damage
  if (c.signal != 0) {
    std::cerr << path << ": error: cannot read the file: libhdf5 crashed on it (" << c.describe_signal()
              << "); the file is damaged\n";
    return kBadInput;
  }
  return c.exit_code;
}

int cmd_keys(const std::vector<std::string>& args) {
  po::options_description desc("dcsim keys [SECTION] [options]");
  desc.add_options()("help,h", "this help")("section", po::value<std::string>(), "only this section (e.g. workload, sites)")(
      "markdown", "print Markdown (docs/scenario-keys.md is this output)");
  const auto parsed = parse(args, desc, "section");
  if (!parsed) return kOk;
  const po::variables_map& vm = *parsed;
  const ParamSchema& schema = cli::scenario_schema();
  const std::string section = vm.count("section") ? vm["section"].as<std::string>() : std::string();
  const auto sections = schema.sections();
  if (!section.empty() && std::find(sections.begin(), sections.end(), section) == sections.end()) {
    std::string list;
    for (const auto& s : sections) list += (list.empty() ? "" : ", ") + s;
    std::string hint = did_you_mean_hint(section, sections, '\'');
    std::cerr << "dcsim keys: unknown section '" << section << "'" << (hint.empty() ? "" : " (" + hint + ")")
              << "; sections: " << list << "\n";
    return kBadInput;
  }
  const bool md = vm.count("markdown") > 0;
  if (md) {
    std::cout << "# Scenario keys\n\n"
                 "Every key a scenario can hold, generated from the models' parameter tables by\n"
                 "`dcsim keys --markdown` (a test fails when this file differs; regenerate it with\n"
                 "`./build/release/dcsim keys --markdown > docs/scenario-keys.md`). Paths name array elements\n"
                 "`[]` and names the scenario chooses `<name>`. A bare number means the unit in the type column.\n"
                 "*Basis* says where a default comes from: **sourced** (with the source), an **assumption** (with\n"
                 "the reason), **derived** from other keys, or none: **required** keys must be given, **optional**\n"
                 "keys switch a feature on.\n\n";
  }
  std::cout << render_keys(schema, section, md);
  return kOk;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cerr << kUsage;
    return kBadInput;
  }
  const std::string cmd = args.front();
  if (cmd == "-h" || cmd == "--help" || cmd == "help") {
    std::cout << "dcsim " << DCSIM_VERSION << " — a discrete-event simulator of AI data centres\n\n" << kUsage;
    return kOk;
  }
  if (cmd == "-V" || cmd == "--version") {
    std::cout << "dcsim " << DCSIM_VERSION << "\n";
    return kOk;
  }
  args.erase(args.begin());
  try {
    if (cmd == "run") return cmd_run(args);
    if (cmd == "validate") return cmd_validate(args);
    if (cmd == "sweep") return cmd_sweep(args, argv[0]);
    if (cmd == "merge") return cmd_merge(args);
    if (cmd == "plan") return cmd_plan(args);
    if (cmd == "info") return cmd_info(args);
    if (cmd == "keys") return cmd_keys(args);
  } catch (const po::error& e) {
    std::cerr << "dcsim " << cmd << ": " << e.what() << "\n(see dcsim " << cmd << " --help)\n";
    return kBadInput;
  } catch (const std::exception& e) {
    std::cerr << "dcsim " << cmd << ": " << e.what() << "\n";
    return kFailed;
  }
  std::cerr << "dcsim: unknown command '" << cmd << "'\n\n" << kUsage;
  return kBadInput;
}
