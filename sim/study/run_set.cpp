#include "sim/study/run_set.hpp"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

#include "sim/core/echo.hpp"

namespace dcsim::study {

namespace {

// A decimal run index; `what` is the whole text for messages.
std::size_t index_of(const std::string& s, const std::string& what) {
  if (s.empty() || s.size() > 18 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    throw std::invalid_argument("expected run indices and ranges such as 0-9,15, found " + echo(what) +
                                (s.empty() ? " (an empty item)" : " (" + echo(s) + " is not a run index)"));
  }
  return static_cast<std::size_t>(std::stoull(s));
}

}  // namespace

std::vector<std::size_t> parse_run_set(const std::string& text, std::size_t runs) {
  std::vector<std::size_t> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, comma - start);
    const std::size_t dash = item.find('-');
    const std::size_t lo = index_of(dash == std::string::npos ? item : item.substr(0, dash), text);
    const std::size_t hi = dash == std::string::npos ? lo : index_of(item.substr(dash + 1), text);
    if (hi < lo) throw std::invalid_argument("the range " + echo(item) + " of " + echo(text) + " runs backwards");
    if (hi >= runs) {
      throw std::invalid_argument("run " + std::to_string(hi) + " (in " + echo(text) + ") does not exist: the sweep has " +
                                  std::to_string(runs) + " run" + (runs == 1 ? "" : "s") +
                                  (runs ? ", 0-" + std::to_string(runs - 1) : ""));
    }
    for (std::size_t r = lo; r <= hi; ++r) out.push_back(r);
    start = comma + 1;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::size_t> task_share(std::size_t runs, std::size_t task, std::size_t tasks) {
  std::vector<std::size_t> out;
  if (tasks == 0) return out;
  for (std::size_t r = task; r < runs; r += tasks) out.push_back(r);
  return out;
}

ArrayTask slurm_array_task() {
  auto number = [](const char* name, bool required) -> long long {
    const char* v = std::getenv(name);
    if (!v || !*v) {
      if (!required) return 0;
      throw std::invalid_argument(std::string("--runs slurm: the variable ") + name +
                                  " is not set (run it as a task of a Slurm job array: sbatch --array=...; "
                                  "dcsim sweep --slurm-script writes such a script)");
    }
    const std::string s = v;
    if (s.size() > 9 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      throw std::invalid_argument(std::string("--runs slurm: ") + name + " is " + echo(s) + ", expected an integer >= 0");
    }
    return std::stoll(s);
  };
  const long long id = number("SLURM_ARRAY_TASK_ID", true);
  const long long count = number("SLURM_ARRAY_TASK_COUNT", true);
  const long long min = number("SLURM_ARRAY_TASK_MIN", false);
  // A stepped array (--array=0-15:4) has ids min, min + step, ...: SLURM_ARRAY_TASK_STEP.
  long long step = number("SLURM_ARRAY_TASK_STEP", false);
  if (step == 0) step = 1;
  if (count < 1 || id < min || (id - min) % step != 0 || (id - min) / step >= count) {
    throw std::invalid_argument("--runs slurm: task " + std::to_string(id) + " is not one of the " + std::to_string(count) +
                                " tasks of an array from " + std::to_string(min) + " in steps of " + std::to_string(step) +
                                " (SLURM_ARRAY_TASK_ID, _MIN, _STEP, _COUNT)");
  }
  return {static_cast<std::size_t>((id - min) / step), static_cast<std::size_t>(count)};
}

}  // namespace dcsim::study
