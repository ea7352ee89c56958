// dcsim sweep and dcsim merge: the command line of the sweep layer (sweep.hpp, sweep_run.hpp,
// sweep_index.hpp, sweep_precision.hpp, slurm_script.hpp, and mpi_sweep.hpp in the MPI build).
#include "sim/cli/commands.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "sim/cli/command_line.hpp"
#if defined(DCSIM_MPI)
#include "sim/cli/mpi_sweep.hpp"
#endif
#include "sim/cli/slurm_script.hpp"
#include "sim/cli/sweep.hpp"
#include "sim/cli/sweep_index.hpp"
#include "sim/cli/sweep_precision.hpp"
#include "sim/cli/sweep_run.hpp"
#include "sim/cli/version.hpp"
#include "sim/study/replicas.hpp"
#include "sim/study/run_set.hpp"

namespace dcsim::cli {

namespace {

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

int report_index(const Sweep& sweep, const std::string& dir) {
  const IndexCounts c = write_index(sweep, dir);
  std::printf("index: %s/index.h5 (%zu complete, %zu failed, %zu incomplete, %zu not run", dir.c_str(), c.complete,
              c.failed, c.incomplete, c.missing);
  if (c.not_needed) std::printf(", %zu not needed", c.not_needed);
  std::printf(")\n");
  return c.all_complete() ? kOk : kFailed;
}

// What a sweep prints and returns once its runs are done: the counts, the index when nothing is left to
// run, and the exit code (1 when a run failed).
int sweep_outcome(const Sweep& sweep, const std::string& dir, const std::string& path,
                  const SweepRunSummary& r, const std::string& where) {
  std::printf("dcsim %s  %s  sweep of %zu runs: %zu selected, %zu ran, %zu skipped (complete), %zu failed, %.3f s%s\n",
              DCSIM_VERSION, path.c_str(), sweep.expansion.runs.size(), r.selected, r.ran, r.skipped, r.failed, r.wall_s,
              where.c_str());
  std::fflush(stdout);
  if (r.interrupted) {
    std::cerr << "dcsim sweep: interrupted; the runs that did not finish are incomplete; dcsim sweep ... --resume "
                 "goes on from there\n";
    return leave(interrupted_exit_code());
  }
  const IndexCounts c = count_runs(sweep, dir);
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


}  // namespace

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
  const auto parsed = parse(args, desc, "scenario");
  if (!parsed) return kOk;
  const po::variables_map& vm = *parsed;
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
  Sweep sweep;
  std::vector<double> expected_cost;
  std::size_t initial_replicas = 0;
  try {
    sweep = load_sweep(path, collect_overrides(vm));
    if (list) {
      std::cout << list_runs(sweep);
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
      sweep = load_sweep(path, o);
    }
    expected_cost = validate_sweep(sweep);  // every point, before anything runs
  } catch (const ConfigError& e) {
#if defined(DCSIM_MPI)
    // Every rank of an mpirun checks the sweep and finds the same mistake: the first rank tells it (MPI
    // is not started yet; Open MPI's launcher says which rank this process will be).
    if (const char* r = std::getenv("OMPI_COMM_WORLD_RANK"); r && std::string(r) != "0") return kBadInput;
#endif
    std::cerr << e.what() << "\n";
    return kBadInput;
  }
  const std::string dir = vm["output"].as<std::string>();
  if (script) {
    SlurmScriptOptions so;
    so.dcsim = argv0;
    so.scenario = path;
    so.dir = dir;
    so.overrides = collect_overrides(vm);
    so.runs = sweep.expansion.runs.size();
    if (vm.count("tasks")) so.tasks = vm["tasks"].as<int>();
    so.cpus_per_task = vm["cpus-per-task"].as<int>();
    so.time = vm["time"].as<std::string>();
    if (vm.count("mem")) so.mem = vm["mem"].as<std::string>();
    if (vm.count("partition")) so.partition = vm["partition"].as<std::string>();
    std::string text;
    try {
      text = slurm_script(so);
    } catch (const std::invalid_argument& e) {
      throw po::error(e.what());
    }
    // The directory is made ready now: Slurm opens each task's log in DIR/slurm before the task starts.
    if (const std::string why = prepare_sweep_dir(sweep, dir); !why.empty()) {
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
  mpi::Session mpi;
  const int rank = mpi.rank(), ranks = mpi.size();
#else
  const int rank = 0, ranks = 1;
#endif
  std::string why = rank == 0 ? prepare_sweep_dir(sweep, dir) : std::string();
#if defined(DCSIM_MPI)
  if (mpi::broadcast(why.empty() ? 0 : 1) != 0) return rank == 0 ? (std::cerr << dir << ": error: " << why << "\n", kBadInput) : kBadInput;
  if (rank != 0) why = prepare_sweep_dir(sweep, dir);  // finds rank 0's sweep.toml
  mpi::HandOut handout;
#endif
  if (!why.empty()) {
    std::cerr << dir << ": error: " << why << "\n";
    return kBadInput;
  }
  SweepRunOptions opt;
  opt.dir = dir;
  opt.threads = vm.count("jobs") ? vm["jobs"].as<int>() : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  opt.selection = selection;
  opt.expected_cost = expected_cost;
  opt.resume = vm.count("resume") > 0;
  opt.interrupt = interrupt_flag();
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
  SweepRunSummary r;
  if (!targets.empty()) {
    if (ranks > 1) throw po::error("--precision runs in one process: not under mpirun");
    PrecisionOutcome p;
    try {
      p = run_to_precision(sweep, opt, targets, initial_replicas);
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
    r = run_sweep(sweep, opt);
  }
  constexpr std::size_t kShown = 10;
  const std::string who = ranks > 1 ? "rank " + std::to_string(rank) + ": " : "";
  // The refusals before any run are the same on every rank: rank 0 tells them.
  const std::size_t first = rank == 0 ? 0 : std::min(r.failed_before, r.errors.size());
  for (std::size_t i = first; i < r.errors.size() && i < first + kShown; ++i) std::cerr << "dcsim sweep: " << who << r.errors[i] << "\n";
  if (r.errors.size() > first + kShown) {
    std::cerr << "dcsim sweep: " << who << "... and " << r.errors.size() - first - kShown << " more (see the index's /runs/error)\n";
  }
#if defined(DCSIM_MPI)
  std::string where;
  if (ranks > 1) {
    handout.finish();
    std::vector<std::size_t> ran_by_rank;
    r = mpi::reduce(r, ran_by_rank);
    if (rank != 0) return mpi::broadcast(0);
    where = " on " + std::to_string(ranks) + " ranks (";
    for (std::size_t k = 0; k < ran_by_rank.size(); ++k) where += (k ? " + " : "") + std::to_string(ran_by_rank[k]);
    where += " runs)";
  }
#else
  const std::string where;
#endif
  const int code = sweep_outcome(sweep, dir, path, r, where);
#if defined(DCSIM_MPI)
  if (ranks > 1) return mpi::broadcast(code);
#endif
  return code;
}

int cmd_merge(const std::vector<std::string>& args) {
  po::options_description desc("dcsim merge DIR");
  desc.add_options()("help,h", "this help")("dir", po::value<std::string>()->required(), "a sweep's directory (dcsim sweep -o DIR)");
  const auto parsed = parse(args, desc, "dir");
  if (!parsed) return kOk;
  const po::variables_map& vm = *parsed;
  const std::string dir = vm["dir"].as<std::string>();
  Sweep sweep;
  try {
    sweep = load_sweep_dir(dir);
  } catch (const ConfigError& e) {
    std::cerr << e.what() << "\n";
    return kBadInput;
  }
  return report_index(sweep, dir);
}

}  // namespace dcsim::cli
