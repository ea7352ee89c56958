// The dcsim command: run, validate, sweep, merge, info, keys.
//
// Exit codes: 0 success; 1 a run-time failure (a broken invariant, an I/O error); 2 bad input or usage
// (nothing is written); 128 + signal when interrupted by SIGINT or SIGTERM (the output stays OUT.partial,
// readable, with status "incomplete").
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/program_options.hpp>
#include <csignal>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "models/world.hpp"
#include "sim/cli/contain.hpp"
#include "sim/cli/job.hpp"
#if defined(DCSIM_MPI)
#include "sim/cli/mpi_sweep.hpp"
#endif
#include "sim/cli/slurm_script.hpp"
#include "sim/cli/sweep.hpp"
#include "sim/cli/sweep_index.hpp"
#include "sim/cli/sweep_precision.hpp"
#include "sim/cli/sweep_run.hpp"
#include "sim/cli/version.hpp"
#include "sim/core/echo.hpp"
#include "sim/core/input_file.hpp"
#include "sim/core/input_limits.hpp"
#include "sim/io/hdf5_output.hpp"
#include "sim/study/replicas.hpp"
#include "sim/study/run_set.hpp"

namespace po = boost::program_options;
using namespace dcsim;

namespace {

// The one piece of global state: a signal handler can reach nothing else.
std::atomic<bool> g_interrupted{false};
volatile std::sig_atomic_t g_signal = 0;

extern "C" void on_signal(int sig) {
  g_signal = sig;
  g_interrupted.store(true, std::memory_order_relaxed);
}

void install_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  // Past a file-size limit (ulimit -f) a write then fails with EFBIG, reported like a full disk, instead
  // of the process being killed half-way through writing.
  std::signal(SIGXFSZ, SIG_IGN);
}

constexpr int kOk = 0, kFailed = 1, kBadInput = 2;

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

struct CommandLine {
  po::variables_map vm;
  bool help = false;
};

// Parses a subcommand's arguments; throws po::error on bad usage.
CommandLine parse(const std::vector<std::string>& args, const po::options_description& desc,
                  const po::positional_options_description& pos) {
  CommandLine cl;
  po::store(po::command_line_parser(args).options(desc).positional(pos).run(), cl.vm);
  cl.help = cl.vm.count("help") > 0;
  if (!cl.help) po::notify(cl.vm);
  return cl;
}

// The value of --seed or --run-index: decimal digits, at most 2^63 - 1 (a scenario integer). Read here, not
// by Boost (which wraps "-3" to 2^64 - 3), so that the message names the flag and what was typed.
std::string counter_flag(const po::variables_map& vm, const char* flag) {
  const std::string s = vm[flag].as<std::string>();
  const std::string found = echo(s);
  const bool digits = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits) throw po::error(std::string("--") + flag + ": expected an integer >= 0, found " + (s.empty() ? "nothing" : found));
  const std::string trimmed = s.substr(std::min(s.find_first_not_of('0'), s.size() - 1));
  const std::string max = "9223372036854775807";
  if (trimmed.size() > max.size() || (trimmed.size() == max.size() && trimmed > max)) {
    throw po::error(std::string("--") + flag + ": expected an integer <= " + max + ", found " + found);
  }
  return trimmed;
}

std::vector<std::string> collect_overrides(const po::variables_map& vm) {
  std::vector<std::string> o;
  if (vm.count("set")) o = vm["set"].as<std::vector<std::string>>();
  if (vm.count("seed")) o.push_back("simulation.seed=" + counter_flag(vm, "seed"));
  if (vm.count("run-index")) o.push_back("simulation.run_index=" + counter_flag(vm, "run-index"));
  return o;
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
  po::positional_options_description pos;
  pos.add("scenario", 1);
  const CommandLine cl = parse(args, desc, pos);
  if (cl.help) {
    std::cout << desc << "\n";
    return kOk;
  }
  const auto& vm = cl.vm;
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
  opt.interrupt = &g_interrupted;
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
    if (io::hdf5_file_left_open()) {
      // libhdf5 holds a file it could not close and would crash closing it at exit: skip its shutdown.
      std::cout.flush();
      std::cerr.flush();
      std::fflush(nullptr);
      _exit(kFailed);
    }
    return kFailed;
  }
  if (r.outcome.reason == StopReason::interrupted) {
    std::cerr << "dcsim run: interrupted at t = " << format_time(r.outcome.end) << "; partial results in "
              << r.output_path << " (status incomplete)\n";
    return 128 + (g_signal ? static_cast<int>(g_signal) : SIGINT);
  }
  return kOk;
}

int cmd_validate(const std::vector<std::string>& args) {
  po::options_description desc("dcsim validate SCENARIO [options]");
  desc.add_options()("help,h", "this help")("scenario", po::value<std::string>()->required(), "scenario TOML file")(
      "set", po::value<std::vector<std::string>>()->composing(), "override a scenario value (repeatable)")(
      "seed", po::value<std::string>(), "scenario seed")("run-index", po::value<std::string>(), "run index")(
      "print", "print the resolved scenario (TOML) on stdout");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  const CommandLine cl = parse(args, desc, pos);
  if (cl.help) {
    std::cout << desc << "\n";
    return kOk;
  }
  const std::string path = cl.vm["scenario"].as<std::string>();
  try {
    if (cli::has_sweep(io::parse_toml(read_input_file(path, limits::kMaxScenarioBytes, "scenario file"), path))) {
      // Every point is built and checked; the replicas differ only in their run index.
      const cli::Sweep sweep = cli::load_sweep(path, collect_overrides(cl.vm));
      (void)cli::validate_sweep(sweep);
      std::printf("%s: ok, a sweep of %zu point%s x %lld replica%s = %zu runs, every point checked\n", path.c_str(),
                  sweep.expansion.points, sweep.expansion.points == 1 ? "" : "s",
                  static_cast<long long>(sweep.spec.replicas), sweep.spec.replicas == 1 ? "" : "s",
                  sweep.expansion.runs.size());
      return kOk;
    }
    cli::Job job = cli::prepare_job(path, collect_overrides(cl.vm));
    if (cl.vm.count("print")) {
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

// The runs this call runs: --runs SPEC, --runs slurm (this array task's share), or all.
std::vector<std::size_t> selected_runs(const po::variables_map& vm, std::size_t runs) {
  std::vector<std::size_t> all(runs);
  for (std::size_t i = 0; i < runs; ++i) all[i] = i;
  if (!vm.count("runs")) return all;
  const std::string spec = vm["runs"].as<std::string>();
  try {
    if (spec == "slurm") {
      const study::ArrayTask t = study::slurm_array_task();
      return study::task_share(runs, t.task, t.tasks);
    }
    return study::parse_run_set(spec, runs);
  } catch (const std::invalid_argument& e) {
    throw po::error(std::string("--runs: ") + e.what());
  }
}

int report_index(const cli::Sweep& sweep, const std::string& dir) {
  const cli::IndexCounts c = cli::write_index(sweep, dir);
  std::printf("index: %s/index.h5 (%zu complete, %zu failed, %zu incomplete, %zu not run", dir.c_str(), c.complete,
              c.failed, c.incomplete, c.missing);
  if (c.not_needed) std::printf(", %zu not needed", c.not_needed);
  std::printf(")\n");
  return c.all_complete() ? kOk : kFailed;
}

int sweep_outcome(const cli::Sweep& sweep, const std::string& dir, const std::string& path,
                  const cli::SweepRunSummary& r, const std::string& where);

int cmd_sweep(const std::vector<std::string>& args, const char* argv0) {
  po::options_description desc("dcsim sweep SCENARIO (--list | -o DIR) [options]");
  desc.add_options()("help,h", "this help")("scenario", po::value<std::string>()->required(), "scenario TOML file with a [sweep] table")(
      "list", "print the runs of the sweep (index, point, replica, run index, name, the axes' values) without checking them")(
      "output,o", po::value<std::string>(), "the sweep's directory: DIR/runs/<name>.h5, DIR/index.h5, DIR/sweep.toml")(
      "jobs,j", po::value<int>(), "runs at once (default: the machine's cores)")(
      "runs", po::value<std::string>(), "only these runs: indices and ranges such as 0-9,15, or 'slurm' for this task's "
                                        "share of a Slurm job array (SLURM_ARRAY_TASK_ID of SLURM_ARRAY_TASK_COUNT)")(
      "resume", "skip the runs whose files are complete; redo the others")(
      "precision", po::value<std::vector<std::string>>()->composing(),
      "METRIC:2% (relative) or METRIC:0.5 (absolute): add replicas to each point until the 95 % interval of the "
      "metric is that narrow (repeatable; every target must be met)")(
      "max-replicas", po::value<int>()->default_value(50), "--precision: at most this many replicas per point")(
      "slurm-script", "print an sbatch script that runs the sweep as a job array into -o DIR, then exit")(
      "tasks", po::value<int>(), "--slurm-script: tasks of the array (default: the runs, at most 1000)")(
      "cpus-per-task", po::value<int>()->default_value(1), "--slurm-script: cores per task (its -j)")(
      "time", po::value<std::string>()->default_value("01:00:00"), "--slurm-script: time limit per task")(
      "mem", po::value<std::string>(), "--slurm-script: memory per task (sbatch --mem)")(
      "partition", po::value<std::string>(), "--slurm-script: partition")(
      "set", po::value<std::vector<std::string>>()->composing(), "override a scenario value before the axes (repeatable)")(
      "seed", po::value<std::string>(), "scenario seed")("run-index", po::value<std::string>(), "first run index")(
      "quiet,q", "no progress reports")(
      "progress-interval", po::value<double>()->default_value(10.0), "seconds between progress lines when stderr is not a terminal");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  const CommandLine cl = parse(args, desc, pos);
  if (cl.help) {
    std::cout << desc << "\n";
    return kOk;
  }
  const auto& vm = cl.vm;
  const bool list = vm.count("list") > 0, script = vm.count("slurm-script") > 0;
  if (!list && !vm.count("output")) throw po::error("give -o DIR (the sweep's directory), or --list to print its runs");
  if (list && (vm.count("output") || script)) throw po::error("--list prints the runs and runs nothing: it takes no -o or --slurm-script");
  if (vm.count("jobs") && vm["jobs"].as<int>() < 1) {
    throw po::error("--jobs: expected an integer >= 1, found " + std::to_string(vm["jobs"].as<int>()));
  }
  const std::string path = vm["scenario"].as<std::string>();
  std::vector<study::PrecisionTarget> targets;
  if (vm.count("precision")) {
    for (const auto& t : vm["precision"].as<std::vector<std::string>>()) {
      try {
        targets.push_back(study::parse_precision(t));
      } catch (const std::invalid_argument& e) {
        throw po::error(std::string("--precision: ") + e.what());
      }
    }
    if (vm.count("runs") || script || list) throw po::error("--precision decides which replicas run: it takes no --runs, --list or --slurm-script");
  }
  const int max_replicas = vm["max-replicas"].as<int>();
  cli::Sweep sweep;
  std::vector<double> expected_cost;
  std::size_t initial_replicas = 0;
  try {
    sweep = cli::load_sweep(path, collect_overrides(vm));
    if (list) {
      std::cout << cli::list_runs(sweep);
      return kOk;
    }
    if (!targets.empty()) {
      // Expanded with every replica a point may need; which of them run is decided as they finish.
      initial_replicas = static_cast<std::size_t>(std::max<std::int64_t>(3, sweep.spec.replicas));
      if (max_replicas < static_cast<int>(initial_replicas)) {
        throw po::error("--max-replicas: expected at least the " + std::to_string(initial_replicas) +
                        " replicas each point starts with, found " + std::to_string(max_replicas));
      }
      auto o = collect_overrides(vm);
      o.push_back("sweep.replicas=" + std::to_string(max_replicas));
      sweep = cli::load_sweep(path, o);
    }
    expected_cost = cli::validate_sweep(sweep);  // every point, before anything runs
  } catch (const ConfigError& e) {
    std::cerr << e.what() << "\n";
    return kBadInput;
  }
  const std::string dir = vm["output"].as<std::string>();
  if (script) {
    cli::SlurmScriptOptions so;
    so.dcsim = argv0;
    so.scenario = path;
    so.dir = dir;
    so.overrides = vm.count("set") ? vm["set"].as<std::vector<std::string>>() : std::vector<std::string>{};
    if (vm.count("seed")) so.overrides.push_back("simulation.seed=" + counter_flag(vm, "seed"));
    if (vm.count("run-index")) so.overrides.push_back("simulation.run_index=" + counter_flag(vm, "run-index"));
    so.runs = sweep.expansion.runs.size();
    if (vm.count("tasks")) so.tasks = vm["tasks"].as<int>();
    so.cpus_per_task = vm["cpus-per-task"].as<int>();
    so.time = vm["time"].as<std::string>();
    if (vm.count("mem")) so.mem = vm["mem"].as<std::string>();
    if (vm.count("partition")) so.partition = vm["partition"].as<std::string>();
    std::string text;
    try {
      text = cli::slurm_script(so);
    } catch (const std::invalid_argument& e) {
      throw po::error(e.what());
    }
    // The directory is made ready now: Slurm opens each task's log in DIR/slurm before the task starts.
    if (const std::string why = cli::prepare_sweep_dir(sweep, dir); !why.empty()) {
      std::cerr << dir << ": error: " << why << "\n";
      return kBadInput;
    }
    const std::string file = dir + "/sweep.sbatch";
    std::error_code ec;
    std::filesystem::create_directories(dir + "/slurm", ec);
    std::ofstream out(file, std::ios::trunc);
    out << text;
    out.close();
    if (ec || !out) {
      std::cerr << "dcsim sweep: cannot write " << file << (ec ? ": " + ec.message() : std::string()) << "\n";
      return kFailed;
    }
    std::printf("wrote %s (a job array for %zu runs); submit it with: sbatch %s\n", file.c_str(), so.runs, file.c_str());
    return kOk;
  }
  const std::vector<std::size_t> selection = selected_runs(vm, sweep.expansion.runs.size());
#if defined(DCSIM_MPI)
  // Under mpirun the ranks share the sweep (mpi_sweep.hpp); alone, this is a one-process sweep.
  cli::mpi::Session mpi;
  const int rank = mpi.rank(), ranks = mpi.size();
#else
  const int rank = 0, ranks = 1;
#endif
  std::string why = rank == 0 ? cli::prepare_sweep_dir(sweep, dir) : std::string();
#if defined(DCSIM_MPI)
  if (cli::mpi::broadcast(why.empty() ? 0 : 1) != 0) return rank == 0 ? (std::cerr << dir << ": error: " << why << "\n", kBadInput) : kBadInput;
  if (rank != 0) why = cli::prepare_sweep_dir(sweep, dir);  // finds rank 0's sweep.toml
  cli::mpi::HandOut handout;
#endif
  if (!why.empty()) {
    std::cerr << dir << ": error: " << why << "\n";
    return kBadInput;
  }
  cli::SweepRunOptions opt;
  opt.dir = dir;
  opt.threads = vm.count("jobs") ? vm["jobs"].as<int>() : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  opt.selection = selection;
  opt.expected_cost = expected_cost;
  opt.resume = vm.count("resume") > 0;
  opt.interrupt = &g_interrupted;
  opt.progress = !vm.count("quiet") && ranks == 1;
#if defined(DCSIM_MPI)
  if (ranks > 1) {
    opt.before_start = [&] { handout.start(); };
    opt.next = [&] { return handout.next(); };
  }
#endif
  opt.progress_tty = isatty(STDERR_FILENO) == 1;
  opt.progress_interval_s = vm["progress-interval"].as<double>();
  install_signal_handlers();
  cli::SweepRunSummary r;
  if (!targets.empty()) {
    if (ranks > 1) throw po::error("--precision runs in one process: not under mpirun");
    cli::PrecisionOutcome p;
    try {
      p = cli::run_to_precision(sweep, opt, targets, initial_replicas);
    } catch (const std::invalid_argument& e) {
      std::cerr << "dcsim sweep: " << e.what() << "\n";
      return kBadInput;
    }
    r = p.runs;
    std::printf("precision: %zu stage%s\n", p.stages, p.stages == 1 ? "" : "s");
    for (std::size_t k = 0; k < p.points.size(); ++k) {
      const auto& pp = p.points[k];
      std::printf("  point %zu: %zu replicas, %s\n", k, pp.replicas,
                  pp.met ? "every target met" : ("not met at --max-replicas or after a failure: " + pp.worst).c_str());
    }
  } else {
    r = cli::run_sweep(sweep, opt);
  }
  constexpr std::size_t kShown = 10;
  const std::string who = ranks > 1 ? "rank " + std::to_string(rank) + ": " : "";
  for (std::size_t i = 0; i < r.errors.size() && i < kShown; ++i) std::cerr << "dcsim sweep: " << who << r.errors[i] << "\n";
  if (r.errors.size() > kShown) std::cerr << "dcsim sweep: " << who << "... and " << r.errors.size() - kShown << " more (see the index's /runs/error)\n";
#if defined(DCSIM_MPI)
  std::string where;
  if (ranks > 1) {
    handout.finish();
    std::vector<std::size_t> ran_by_rank;
    r = cli::mpi::reduce(r, ran_by_rank);
    if (rank != 0) return cli::mpi::broadcast(0);
    where = " on " + std::to_string(ranks) + " ranks (";
    for (std::size_t k = 0; k < ran_by_rank.size(); ++k) where += (k ? " + " : "") + std::to_string(ran_by_rank[k]);
    where += " runs)";
  }
#else
  const std::string where;
#endif
  const int code = sweep_outcome(sweep, dir, path, r, where);
#if defined(DCSIM_MPI)
  if (ranks > 1) return cli::mpi::broadcast(code);
#endif
  return code;
}

// What a sweep prints and returns once its runs are done: the counts, the index when nothing is left to
// run, and the exit code (1 when a run failed).
int sweep_outcome(const cli::Sweep& sweep, const std::string& dir, const std::string& path,
                  const cli::SweepRunSummary& r, const std::string& where) {
  std::printf("dcsim %s  %s  sweep of %zu runs: %zu selected, %zu ran, %zu skipped (complete), %zu failed, %.3f s%s\n",
              DCSIM_VERSION, path.c_str(), sweep.expansion.runs.size(), r.selected, r.ran, r.skipped, r.failed, r.wall_s,
              where.c_str());
  std::fflush(stdout);
  auto leave = [](int code) {
    if (io::hdf5_file_left_open()) {  // see cmd_run
      std::cout.flush();
      std::cerr.flush();
      std::fflush(nullptr);
      _exit(code);
    }
    return code;
  };
  if (r.interrupted) {
    std::cerr << "dcsim sweep: interrupted; the runs that did not finish are incomplete; dcsim sweep ... --resume "
                 "goes on from there\n";
    return leave(128 + (g_signal ? static_cast<int>(g_signal) : SIGINT));
  }
  const cli::IndexCounts c = cli::count_runs(sweep, dir);
  int code = r.failed ? kFailed : kOk;
  if (c.all_ended()) {
    try {
      if (report_index(sweep, dir) != kOk) code = kFailed;
    } catch (const std::exception& e) {
      std::cerr << "dcsim sweep: " << e.what() << "\n";
      code = kFailed;
    }
  } else {
    std::printf("index: not written: %zu runs of the sweep have not ended (other tasks may be running them); "
                "dcsim merge %s builds it from what is there\n", c.incomplete + c.missing, dir.c_str());
  }
  if (r.failed) std::cerr << "dcsim sweep: " << r.failed << " run" << (r.failed == 1 ? "" : "s") << " failed\n";
  return leave(code);
}

int cmd_merge(const std::vector<std::string>& args) {
  po::options_description desc("dcsim merge DIR");
  desc.add_options()("help,h", "this help")("dir", po::value<std::string>()->required(), "a sweep's directory (dcsim sweep -o DIR)");
  po::positional_options_description pos;
  pos.add("dir", 1);
  const CommandLine cl = parse(args, desc, pos);
  if (cl.help) {
    std::cout << desc << "\n";
    return kOk;
  }
  const std::string dir = cl.vm["dir"].as<std::string>();
  cli::Sweep sweep;
  try {
    sweep = cli::load_sweep_dir(dir);
  } catch (const ConfigError& e) {
    std::cerr << e.what() << "\n";
    return kBadInput;
  }
  return report_index(sweep, dir);
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
  po::positional_options_description pos;
  pos.add("file", 1);
  const CommandLine cl = parse(args, desc, pos);
  if (cl.help) {
    std::cout << desc << "\n";
    return kOk;
  }
  const std::string path = cl.vm["file"].as<std::string>();
  // A directory, a device or a FIFO is refused before HDF5 opens it (a FIFO would block).
  if (const std::string why = input_file_problem(path); !why.empty()) {
    std::cerr << path << ": error: the file " << why << "\n";
    return kBadInput;
  }
  // libhdf5 can crash on a damaged file: read and print in a child process, and turn a crash into a message.
  const bool scenario_only = cl.vm.count("scenario") > 0;
  constexpr unsigned kInfoTimeoutS = 600;
  const cli::Contained c = cli::run_contained([&] { return print_info(path, scenario_only); }, kInfoTimeoutS);
  if (c.signal == SIGALRM) {
    std::cerr << path << ": error: cannot read the file: libhdf5 did not finish reading it in " << kInfoTimeoutS
              << " s; the file is damaged\n";
    return kBadInput;
  }
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
  po::positional_options_description pos;
  pos.add("section", 1);
  const CommandLine cl = parse(args, desc, pos);
  if (cl.help) {
    std::cout << desc << "\n";
    return kOk;
  }
  const ParamSchema& schema = cli::scenario_schema();
  const std::string section = cl.vm.count("section") ? cl.vm["section"].as<std::string>() : std::string();
  const auto sections = schema.sections();
  if (!section.empty() && std::find(sections.begin(), sections.end(), section) == sections.end()) {
    std::string list;
    for (const auto& s : sections) list += (list.empty() ? "" : ", ") + s;
    std::string hint = did_you_mean_hint(section, sections, '\'');
    std::cerr << "dcsim keys: unknown section '" << section << "'" << (hint.empty() ? "" : " (" + hint + ")")
              << "; sections: " << list << "\n";
    return kBadInput;
  }
  const bool md = cl.vm.count("markdown") > 0;
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
