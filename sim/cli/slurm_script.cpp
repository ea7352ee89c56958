#include "sim/cli/slurm_script.hpp"

#include <algorithm>
#include <filesystem>
#include <regex>
#include <stdexcept>

#include "sim/core/echo.hpp"

namespace fs = std::filesystem;

namespace dcsim::cli {

namespace {

std::string quoted(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string absolute(const std::string& p) {
  std::error_code ec;
  const fs::path a = fs::absolute(p, ec);
  return ec ? p : a.lexically_normal().string();
}

void require(bool ok, const std::string& option, const std::string& expected, const std::string& found) {
  if (!ok) throw std::invalid_argument(option + ": expected " + expected + ", found " + echo(found));
}

}  // namespace

std::string slurm_script(const SlurmScriptOptions& o) {
  require(o.runs > 0, "--slurm-script", "a sweep with runs", "none");
  const int tasks = o.tasks > 0 ? o.tasks : static_cast<int>(std::min<std::size_t>(o.runs, kMaxArrayTasks));
  require(o.tasks >= 0, "--tasks", "an integer >= 1", std::to_string(o.tasks));
  require(static_cast<std::size_t>(tasks) <= o.runs, "--tasks", "at most the sweep's " + std::to_string(o.runs) + " runs",
          std::to_string(tasks));
  require(o.cpus_per_task >= 1, "--cpus-per-task", "an integer >= 1", std::to_string(o.cpus_per_task));
  // What sbatch accepts (minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS), and nothing that could end
  // the #SBATCH line.
  require(std::regex_match(o.time, std::regex(R"((\d+-)?\d+(:\d{1,2}){0,2})")), "--time",
          "a Slurm time limit such as 90, 01:30:00 or 2-00:00:00", o.time);
  require(o.mem.empty() || std::regex_match(o.mem, std::regex(R"(\d+[KMGT]?)")), "--mem", "a size such as 4G or 800M", o.mem);
  require(o.partition.empty() || std::regex_match(o.partition, std::regex(R"([A-Za-z0-9_.-]+)")), "--partition",
          "a partition name", o.partition);
  const std::string dir = absolute(o.dir);
  std::string name = fs::path(o.scenario).stem().string();
  name.erase(std::remove_if(name.begin(), name.end(), [](char c) { return !(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'); }),
             name.end());
  std::string s;
  s += "#!/bin/bash\n";
  s += "# The sweep of " + o.scenario + " (" + std::to_string(o.runs) + " runs) as a Slurm job array of " +
       std::to_string(tasks) + " tasks, written by dcsim sweep --slurm-script.\n";
  s += "# Submit with sbatch. Task t runs runs t, t + " + std::to_string(tasks) +
       ", ... with --resume: a requeued or resubmitted task\n";
  s += "# skips the runs it finished. The task that finishes last writes index.h5; dcsim merge builds it from\n";
  s += "# whatever is there (after failures, too).\n";
  s += "#SBATCH --job-name=dcsim-" + (name.empty() ? std::string("sweep") : name) + "\n";
  s += "#SBATCH --array=0-" + std::to_string(tasks - 1) + "\n";
  s += "#SBATCH --ntasks=1\n";
  s += "#SBATCH --cpus-per-task=" + std::to_string(o.cpus_per_task) + "\n";
  s += "#SBATCH --time=" + o.time + "\n";
  if (!o.mem.empty()) s += "#SBATCH --mem=" + o.mem + "\n";
  if (!o.partition.empty()) s += "#SBATCH --partition=" + o.partition + "\n";
  s += "#SBATCH --output=" + (fs::path(dir) / "slurm" / "%A_%a.out").string() + "\n";
  s += "#SBATCH --open-mode=append\n";
  s += "#SBATCH --requeue\n";
  s += "set -euo pipefail\n";
  s += "exec " + quoted(absolute(o.dcsim)) + " sweep " + quoted(absolute(o.scenario)) + " -o " + quoted(dir) +
       " --runs slurm --resume -j \"${SLURM_CPUS_PER_TASK:-" + std::to_string(o.cpus_per_task) + "}\"";
  for (const auto& x : o.overrides) s += " --set " + quoted(x);
  s += "\n";
  return s;
}

}  // namespace dcsim::cli
