#include "sim/cli/sweep_run.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <sstream>
#include <thread>

#include "sim/cli/output_guard.hpp"
#include "sim/cli/progress.hpp"
#include "sim/core/input_file.hpp"
#include "sim/core/input_limits.hpp"
#include "sim/io/hdf5_output.hpp"

namespace fs = std::filesystem;

namespace dcsim::cli {

namespace {

constexpr const char* kHeader = "# dcsim sweep of ";

std::string sweep_file(const std::string& dir) { return (fs::path(dir) / "sweep.toml").string(); }

// Writes a small text file whole: a temporary file beside it, renamed over it.
void write_atomically(const std::string& path, const std::string& text) {
  const std::string temp = path + ".tmp." + std::to_string(::getpid()) + "." +
                           std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id()));
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      std::error_code ec;
      fs::remove(temp, ec);
      throw std::runtime_error("cannot write " + temp);
    }
  }
  std::error_code ec;
  fs::rename(temp, path, ec);
  if (ec) throw std::runtime_error("cannot rename " + temp + " to " + path + ": " + ec.message());
}

std::string one_line(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return s;
}

struct Ended {
  std::string status;  // complete, failed, interrupted
  std::string error;
  double wall_s = 0;
  long long seed = -1;  // -1 when the run could not be built
};

Ended run_one(const Sweep& sweep, const study::SweepRun& run, const std::string& dir, const std::atomic<bool>* interrupt) {
  Ended e;
  const auto t0 = std::chrono::steady_clock::now();
  try {
    Job job = prepare_sweep_run(sweep, run);
    const long long seed = static_cast<long long>(job.run->settings().seed);
    ExecuteOptions eo;
    eo.output_path = run_file(dir, run);
    eo.interrupt = interrupt;
    eo.progress = false;
    const JobResult r = execute_job(job, eo);
    if (!r.error.empty()) {
      e = {"failed", r.error, 0};
    } else if (r.outcome.reason == StopReason::interrupted) {
      e = {"interrupted", "interrupted at t = " + format_time(r.outcome.end), 0};
    } else if (!r.outcome.complete()) {
      e = {"failed", std::string("the run stopped early: ") + to_string(r.outcome.reason), 0};
    } else {
      e = {"complete", "", 0};
    }
    e.seed = seed;
  } catch (const std::exception& x) {
    e = {"failed", x.what(), 0};
  }
  e.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return e;
}

void write_status(const std::string& dir, const study::SweepRun& run, const Ended& e) {
  std::ostringstream s;
  s.precision(17);
  s << "status " << e.status << "\nseed " << e.seed << "\nwall_s " << e.wall_s << "\nerror " << one_line(e.error) << "\n";
  write_atomically(status_file(dir, run), s.str());
}

}  // namespace

std::string run_file(const std::string& dir, const study::SweepRun& run) {
  return (fs::path(dir) / "runs" / (run.name + ".h5")).string();
}

std::string status_file(const std::string& dir, const study::SweepRun& run) {
  return (fs::path(dir) / "runs" / (run.name + ".status")).string();
}

void record_not_needed(const std::string& dir, const study::SweepRun& run, const std::string& why) {
  write_status(dir, run, Ended{"skipped", why, 0});
}

bool run_complete(const std::string& dir, const study::SweepRun& run) {
  const std::string f = run_file(dir, run);
  std::error_code ec;
  if (!fs::is_regular_file(f, ec)) return false;
  try {
    return io::read_output_info(f).root_attributes["status"] == "complete";
  } catch (const std::exception&) {
    return false;
  }
}

std::string prepare_sweep_dir(Sweep& sweep, const std::string& dir) {
  std::error_code ec;
  const fs::file_status st = fs::status(dir, ec);
  const std::string body = sweep.resolved_text;
  if (fs::exists(st)) {
    if (!fs::is_directory(st)) return dir + " exists and is not a directory; -o names the sweep's directory";
    const std::string sf = sweep_file(dir);
    if (fs::exists(sf, ec)) {
      std::string old;
      try {
        old = read_input_file(sf, limits::kMaxScenarioBytes, "sweep file");
      } catch (const std::exception& e) {
        return std::string("cannot read ") + sf + ": " + e.what();
      }
      const std::size_t nl = old.find('\n');
      if (old.rfind(kHeader, 0) != 0 || nl == std::string::npos || old.substr(nl + 1) != body) {
        return dir + " holds another sweep (its sweep.toml is not this sweep with these overrides); use "
                     "another directory, or remove it";
      }
      sweep.path = old.substr(std::string(kHeader).size(), nl - std::string(kHeader).size());
    } else if (fs::directory_iterator(dir, ec) != fs::directory_iterator()) {
      return dir + " exists, is not empty and holds no dcsim sweep (no sweep.toml); use another directory";
    }
  }
  fs::create_directories(fs::path(dir) / "runs", ec);
  if (ec) return "cannot create " + (fs::path(dir) / "runs").string() + ": " + ec.message();
  if (!fs::exists(sweep_file(dir), ec)) {
    try {
      write_atomically(sweep_file(dir), kHeader + sweep.path + "\n" + body);
    } catch (const std::exception& e) {
      return e.what();
    }
  }
  return "";
}

Sweep load_sweep_dir(const std::string& dir) {
  const std::string sf = sweep_file(dir);
  if (!fs::is_directory(dir)) throw ConfigError(SourceLoc{dir, 0, 0}, "not a directory: dcsim merge needs the directory of a sweep (dcsim sweep -o DIR)");
  if (!fs::exists(sf)) throw ConfigError(SourceLoc{dir, 0, 0}, "not a sweep directory: it has no sweep.toml (dcsim sweep -o DIR writes it)");
  const std::string text = read_input_file(sf, limits::kMaxScenarioBytes, "sweep file");
  const std::size_t nl = text.find('\n');
  if (text.rfind(kHeader, 0) != 0 || nl == std::string::npos) {
    throw ConfigError(SourceLoc{sf, 1, 1}, std::string("expected a first line '") + kHeader + "SCENARIO' (written by dcsim sweep)");
  }
  const std::string path = text.substr(std::string(kHeader).size(), nl - std::string(kHeader).size());
  return sweep_from_text(text.substr(nl + 1), path, {});
}

SweepRunSummary run_sweep(const Sweep& sweep, const SweepRunOptions& opt) {
  const auto t0 = std::chrono::steady_clock::now();
  SweepRunSummary sum;
  sum.selected = opt.selection.size();
  const auto& runs = sweep.expansion.runs;
  std::vector<std::size_t> todo;
  std::mutex mutex;  // guards the counters, the errors and the progress display
  auto fail_now = [&](const study::SweepRun& run, const std::string& why) {
    write_status(opt.dir, run, Ended{"failed", why, 0});
    ++sum.failed;
    ++sum.failed_before;
    sum.errors.push_back("run " + run.name + ": " + why);
  };
  for (std::size_t i : opt.selection) {
    const study::SweepRun& run = runs.at(i);
    if (opt.resume && run_complete(opt.dir, run)) {
      ++sum.skipped;
      continue;
    }
    // Checked here, on one thread. The files of DIR/runs are the sweep's own (its sweep.toml says so): a
    // damaged one is replaced; a directory, a device or an input of the run in their place is not.
    if (const std::string why = check_output_path(run_file(opt.dir, run), {sweep.path}, true); !why.empty()) {
      fail_now(run, why);
      continue;
    }
    todo.push_back(i);
  }
  // Longest expected first, so that no long run starts last while the other threads idle (ties, and
  // the replicas of a point, in run order).
  if (opt.expected_cost.size() == sweep.expansion.points) {
    std::stable_sort(todo.begin(), todo.end(), [&](std::size_t a, std::size_t b) {
      return opt.expected_cost[runs[a].point] > opt.expected_cost[runs[b].point];
    });
  }
  if (opt.before_start) opt.before_start();
  int threads = std::max(1, std::min<int>(opt.threads, static_cast<int>(std::max<std::size_t>(todo.size(), 1))));
  if (!io::hdf5_threadsafe()) threads = 1;  // a libhdf5 built without its lock cannot write two files at once
  std::size_t done = sum.skipped + sum.failed, running = 0;
  std::unique_ptr<SweepProgress> progress;
  if (opt.progress) {
    progress = std::make_unique<SweepProgress>(sum.selected, threads, opt.progress_tty, opt.progress_interval_s);
    progress->update(done, sum.failed, 0, true);
  }
  auto body = [&](std::size_t k) {
    const study::SweepRun& run = runs[todo[k]];
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (opt.interrupt && opt.interrupt->load(std::memory_order_relaxed)) {
        ++sum.not_started;
        return;
      }
      ++running;
    }
    Ended e = run_one(sweep, run, opt.dir, opt.interrupt);
    std::string status_error;
    try {
      write_status(opt.dir, run, e);
    } catch (const std::exception& x) {
      status_error = x.what();
    }
    std::lock_guard<std::mutex> lock(mutex);
    --running;
    ++done;
    if (e.status == "interrupted") {
      sum.interrupted = true;
    } else {
      ++sum.ran;
    }
    if (e.status == "failed") {
      ++sum.failed;
      sum.errors.push_back("run " + run.name + ": " + e.error);
    }
    if (!status_error.empty()) sum.errors.push_back("run " + run.name + ": " + status_error);
    if (progress) progress->update(done, sum.failed, running);
  };
  // Positions in `todo` are handed out one at a time: by a counter here, or across the ranks of an MPI job.
  const std::size_t n = todo.size();
  std::atomic<std::size_t> counter{0};
  const std::function<std::size_t()> next = opt.next ? opt.next : std::function<std::size_t()>([&] { return counter++; });
  auto worker = [&] {
    for (std::size_t k = next(); k < n; k = next()) body(k);
  };
#if defined(DCSIM_OPENMP)
#pragma omp parallel num_threads(threads)
  worker();
#else
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
#endif
  if (opt.interrupt && opt.interrupt->load()) sum.interrupted = true;
  if (progress) {
    progress->update(done, sum.failed, 0, true);
    progress->finish();
  }
  sum.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return sum;
}

}  // namespace dcsim::cli
