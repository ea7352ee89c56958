// Capacity planning: the least value of a capacity (GPUs, servers, cooling units, design heat, a power
// envelope) that meets service-level objectives with a stated confidence, and, over several variables, the
// cheapest feasible design and the Pareto front. The pieces here know nothing of runs: the command
// (sim/cli/plan_run.hpp) evaluates the candidates they propose.
//
// Feasibility with confidence. A candidate is evaluated by R replicas with common random numbers (replica k
// of every candidate has the same streams), so each SLO metric has R independent values, and an SLO is a
// statement about the distribution of the metric over runs of the scenario:
//   median (the default): "METRIC < V" is met at confidence γ when an order statistic of the R values is
//     below V: the k-th smallest, k the least with P(Binomial(R, 1/2) >= k) <= 1 − γ (R = 5 at γ = 0.95:
//     the largest value). If the true median is at or above V, every value at or below the k-th is below V
//     with probability at most 1 − γ, whatever the metric's distribution: the bound is exact and
//     distribution-free (continuous metrics; ties only make it conservative). R must be at least
//     log2(1/(1 − γ)) (5 at 0.95, 7 at 0.99).
//   mean: the one-sided upper γ bound of the mean, mean + t_{R-1, γ} · s/√R < V. Exact for normal values;
//     for a skewed metric with few replicas the error exceeds 1 − γ (Student's t is first-order wrong in
//     the skewness): measured 7-8 % at γ = 0.95 with R = 5 on M/M/c mean waits (skewness 0.6); see README.
// "METRIC > V" is the mirror image (the k-th largest, the lower bound). The metric is what a run reports:
// an SLO on a p99 is on the p99 of a run of the scenario's length.
//
// The search (LeastFeasible) assumes feasibility is monotone in the capacity: starting from the scenario's
// value it doubles (or halves) until it brackets the least feasible value, then splits the bracket into
// k + 1 parts per stage (k candidates evaluated in parallel; k = 1 is bisection) down to one step. A
// feasible candidate below an infeasible one contradicts monotonicity: it is counted and reported.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sim/core/config.hpp"
#include "sim/core/param_table.hpp"
#include "sim/study/replicas.hpp"

namespace dcsim::study {

// ---- service-level objectives -----------------------------------------------------------------------------

struct Slo {
  std::string metric;  // a summary entry's name, "serving.image.p99_latency_s"
  bool below = true;   // METRIC < V (true) or METRIC > V
  double bound = 0;
  std::string text;    // as given
};
// Parses "METRIC<VALUE" or "METRIC>VALUE" (also <= and >=, read as < and >: a continuous metric equals its
// bound with probability 0). Throws std::invalid_argument with what was expected and found.
Slo parse_slo(const std::string& text);

enum class Statistic { median, mean };
const char* statistic_name(Statistic s);
// "median" or "mean"; anything else throws std::invalid_argument saying so.
Statistic parse_statistic(const std::string& text);

// The one-sided confidence bound, on the SLO's side (upper for "<", lower for ">"), of the median or the
// mean of the metric over runs, from the replicas' finite values; NaN when there are too few (the median:
// fewer than min_replicas(confidence); the mean: fewer than two). A NaN bound never meets an SLO.
double slo_bound(const Slo& slo, std::span<const double> values, double confidence, Statistic stat);
bool slo_met(const Slo& slo, std::span<const double> values, double confidence, Statistic stat, double* bound = nullptr);
// The least number of replicas whose order-statistic bound exists at `confidence`: 0.5^n <= 1 - confidence.
std::size_t min_replicas(double confidence);
// The sample median of the finite values (NaN when there are none).
double median(std::span<const double> values);

// ---- variables --------------------------------------------------------------------------------------------

// A variable of the plan, from --vary:
//   KEY            searched, between --min and --max
//   KEY=A..B       searched, between A and B
//   KEY=V1,V2,...  enumerated: these values (any key: a cooling kind, a preset)
//   KEY=A:B:S      enumerated: A, A + S, ..., up to B
struct PlanVar {
  std::string key;
  std::string label;                 // the key's last name, for run names and columns
  bool search = false;
  // A searched variable takes the values k · step for integers k in [lo, hi] (in the key's canonical unit;
  // step 1 for an integer key).
  std::int64_t lo = 0, hi = 0;
  double step = 1;
  bool integer = true;
  std::int64_t start = 0;            // where the search starts: the scenario's value (clamped), or lo
  const QuantityKind* kind = nullptr;
  // An enumerated variable's values, as scenario values.
  std::vector<ConfigValue> values;

  ConfigValue value(std::int64_t k) const;  // a searched variable's k-th value
  std::string text(std::int64_t k) const;   // the same for people: "8000", "250 kW"
};

struct VaryBounds {
  std::string min, max, step;  // --min, --max, --step as typed (empty: not given)
};

// Reads a --vary argument against the scenario's keys: a searched key must be declared capacity-like in
// its parameter table (ParamDef::capacity) and be an integer or a quantity; its bounds are read in the
// key's kind ("250 kW"); without --max the search may go to 64 times the scenario's value. `root` is the
// scenario (for the value the search starts from). Throws std::invalid_argument.
PlanVar read_var(const std::string& arg, const ParamSchema& schema, const ConfigValue& root, const VaryBounds& bounds);

// ---- the search of one variable -------------------------------------------------------------------------

class LeastFeasible {
 public:
  LeastFeasible(std::int64_t lo, std::int64_t hi, std::int64_t start);

  bool done() const;
  // Up to k candidates not tried yet (at least one while not done).
  std::vector<std::int64_t> propose(std::size_t k) const;
  void observe(std::int64_t x, bool feasible);

  // The least feasible value tried once done; nothing when even hi fails.
  std::optional<std::int64_t> answer() const;
  // Feasible values tried below an infeasible one (0 when what was seen is monotone).
  std::size_t contradictions() const;
  const std::map<std::int64_t, bool>& tried() const noexcept { return tried_; }

 private:
  std::int64_t lo_, hi_, start_;
  std::map<std::int64_t, bool> tried_;
  // The least feasible value tried (hi + 1 when none), and the largest infeasible value below it (lo - 1).
  std::int64_t least_feasible() const;
  std::int64_t largest_infeasible_below(std::int64_t b) const;
};

// ---- several objectives ----------------------------------------------------------------------------------

// The indices of the rows no other row dominates (all objectives minimised; a row with a NaN is left out).
// A row dominates another when it is no worse in every objective and better in one.
std::vector<std::size_t> pareto_front(const std::vector<std::vector<double>>& rows);

// Where an SLO metric moves the wrong way between two candidates of one line (more capacity, worse metric)
// by more than chance: the paired difference of consecutive candidates (common random numbers) whose
// two-sided interval at `confidence` lies wholly on the wrong side. `x` ascending; `values[i]` the
// replicas of candidate i. Returns the pairs (i, i + 1).
std::vector<std::pair<std::size_t, std::size_t>> wrong_way(const Slo& slo, const std::vector<std::vector<double>>& values,
                                                          double confidence);

}  // namespace dcsim::study
