// The demand side: users, request classes and tiers, time profiles, and the arrival processes that turn
// them into requests (see population.hpp, profiles.hpp, arrivals.hpp for the equations).
//
// For class c and tier k the rate is
//   λ_ck(t) = a · N(t) · s_k · r_ck / 86400 s · D(t) · W(t) · F_c(t)
// with N(t) the users, a the activity fraction (share of users active on a given day), s_k the tier's share
// of users, r_ck requests per active user per day, D and W the diurnal and weekly profiles (mean 1), F_c the
// flash-crowd multiplier. A class may instead take its rate from a rate-profile CSV (time_s, one column per
// class, requests/s, interpolated linearly), split between tiers in proportion to s_k r_ck. Or the whole
// workload replays a request trace CSV (time_s, class, tier[, size]) exactly.
//
// Each (class, tier) is an independent arrival process with its own random streams, so adding a class or a
// tier never changes another's arrivals. At arrival each request draws its size (the product of its class's
// size factors, e.g. pixels × steps, each relative to a reference) and its patience (per tier).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "models/workload/arrivals.hpp"
#include "models/workload/population.hpp"
#include "models/workload/profiles.hpp"
#include "models/workload/request.hpp"
#include "models/workload/request_source.hpp"
#include "sim/core/calendar.hpp"
#include "sim/core/config.hpp"
#include "sim/core/distribution.hpp"
#include "sim/core/model.hpp"
#include "sim/core/param_table.hpp"
#include "sim/core/run.hpp"

namespace dcsim::workload {

// The keys of [workload] (params.cpp): what WorkloadModel, make_population and the profiles read.
const std::vector<ParamDef>& parameter_table();

struct SizeFactor {
  std::string name;  // pixels, steps, tokens
  Distribution dist;
  double reference;
};

struct RequestClass {
  std::string name;
  std::vector<double> per_user_day;  // per tier: requests per active user per day
  std::vector<SizeFactor> size;
  // An LLM's prompt and output tokens per request (both or neither; a trace's rows may give them instead).
  bool has_tokens = false;
  Distribution prompt_tokens, output_tokens;
  int profile_column = -1;           // column of the rate-profile CSV, or -1
};

struct Tier {
  std::string name;
  double share;
  Distribution patience;
};

struct TraceRecord {
  double t;
  std::uint16_t cls;
  std::uint8_t tier;
  double size;  // NaN: draw from the class
  std::uint32_t context_tokens = 0, generated_tokens = 0;  // from an Azure trace (0: not given)
};

// Loads a request trace: time_s,class,tier[,size]; a header line is optional. Timestamps must not
// decrease and must lie in [0, 9.2e9] s (what SimTime represents). Throws ConfigError with file, line and
// column; the whole file is read and checked before the run starts.
std::vector<TraceRecord> load_trace(const std::string& path, const std::vector<std::string>& classes,
                                    const std::vector<std::string>& tiers);

// A rate profile as read: the knot times (increasing, within SimTime's range) and, for each column after
// time_s, the requests/s of one class at those times (in [0, 1e9]).
struct RateProfile {
  std::vector<double> times;
  std::vector<int> column_of_class;  // per class of `classes`: its column in `columns`, or -1 if none
  std::vector<std::vector<double>> columns;
};

// Loads a rate profile: a header time_s,<class>,<class>... naming classes of `classes` (each at most once),
// then at least one row. Throws ConfigError with file, line and column; read whole before the run starts.
RateProfile load_rate_profile(const std::string& path, const std::vector<std::string>& classes);

class WorkloadModel final : public Model, public RequestSource {
 public:
  // Builds the workload from [workload]; throws ConfigError.
  WorkloadModel(const Params& p, const RunSettings& rs, const RandomStreams& streams);
  ~WorkloadModel() override;

  std::string_view name() const override { return "workload"; }
  void start(Engine& engine) override;
  void on_warmup_end(SimTime now) override;
  void finish(SimTime now, Summary& summary) override;
  void check_invariants(SimTime now) const override;
  void estimate(RunEstimate& e, SimTime duration) const override;

  // ---- RequestSource: what the serving model uses ----
  void set_sink(RequestSink* sink) noexcept override { sink_ = sink; }
  std::size_t class_count() const override { return classes_.size(); }
  const std::string& class_name(std::size_t c) const override { return classes_[c].name; }
  std::size_t tier_count() const override { return tiers_.size(); }
  const std::string& tier_name(std::size_t k) const override { return tiers_[k].name; }
  double tier_share(std::size_t k) const override { return tiers_[k].share; }
  double expected_requests(std::size_t c, double t0, double t1) const override;
  std::string rate_key(std::size_t c) const override;
  double mean_patience_s() const override;
  bool has_tokens(std::size_t c) const override { return tokens_given_[c]; }

  const std::vector<RequestClass>& classes() const noexcept { return classes_; }
  const std::vector<Tier>& tiers() const noexcept { return tiers_; }
  const Population* population() const noexcept { return population_.get(); }
  bool replaying_trace() const noexcept { return !trace_.empty() || trace_mode_; }
  // The rate of (class, tier) at t, requests/s (0 in trace mode), and its integral.
  double rate(std::size_t c, std::size_t k, double t) const;
  double expected_arrivals(std::size_t c, std::size_t k, double t0, double t1) const;
  double active_users(double t) const override;
  std::uint64_t arrivals(std::size_t c, std::size_t k) const { return arrivals_[c * tiers_.size() + k]; }
  // Draws a request's size for class c from stream `rng` (used for retries too).
  double draw_size(std::size_t c, Rng& rng) const;

  // The rate function of (class, tier) (not in trace mode).
  const Rate& rate_function(std::size_t c, std::size_t k) const { return *rates_[c * tiers_.size() + k]; }
  // The random stream a (class, tier) draws its arrival times from.
  Rng arrival_stream(std::size_t c, std::size_t k) const;
  // A fresh generator for (class, tier) over [start, end).
  std::unique_ptr<ArrivalGenerator> make_generator(std::size_t c, std::size_t k, double start, double end) const;

 private:
  struct Stream;
  void register_probes(Engine& e);
  void on_arrival(std::size_t i);
  void on_trace();
  double trace_time(std::size_t i, std::size_t rep) const { return trace_[i].t + static_cast<double>(rep) * trace_period_; }
  void wrap_trace();  // past the last row of a looping trace: on to the next repetition
  void schedule_trace();
  // Reads an azure_llm trace into trace_ (the [workload] trace_* keys).
  void load_azure(const Params& p, const std::vector<std::string>& class_names, const std::vector<std::string>& tier_names,
                  const RunSettings& rs, const RandomStreams& streams);
  // A request of class c, tier k, arriving now; its tokens as given (a trace's), or drawn from the class's
  // distributions with `token_rng` when it has them.
  void emit(std::size_t c, std::size_t k, SimTime now, double size, std::uint32_t prompt, std::uint32_t output);
  void draw_tokens(std::size_t c, Rng& rng, std::uint32_t& prompt, std::uint32_t& output) const;

  Calendar calendar_;
  double horizon_s_;
  std::vector<RequestClass> classes_;
  std::vector<Tier> tiers_;
  double activity_ = 1.0;
  bool gamma_ = false;
  double cv_ = 1.0;
  std::unique_ptr<Population> population_;
  std::unique_ptr<TimeFunction> active_;
  std::unique_ptr<Diurnal> diurnal_;
  std::unique_ptr<Weekly> weekly_;
  std::vector<std::unique_ptr<FlashMultiplier>> flash_;   // per class
  std::vector<std::unique_ptr<PiecewiseLinear>> profile_;  // per class (null: population-driven)
  std::vector<std::unique_ptr<Rate>> rates_;               // per (class, tier)
  std::vector<std::unique_ptr<Stream>> streams_;           // per (class, tier)
  std::vector<TraceRecord> trace_;
  std::vector<std::size_t> trace_class_rows_;  // rows per class (for the estimate)
  bool trace_mode_ = false;
  std::size_t trace_next_ = 0;
  std::size_t trace_after_end_ = 0;  // rows later than the horizon (not replayed)
  std::size_t trace_before_start_ = 0;  // rows before simulation.start (trace_align = "start": skipped)
  double trace_period_ = 0;  // > 0: the trace repeats with this period (trace_loop)
  std::size_t trace_rep_ = 0;  // the repetition being replayed
  Rng trace_rng_, trace_token_rng_;
  std::vector<bool> tokens_given_;  // per class: its requests carry tokens
  RandomStreams random_;  // by value: the model must not depend on its caller's object living on

  Engine* engine_ = nullptr;
  RequestSink* sink_ = nullptr;
  std::uint64_t next_id_ = 1;
  std::vector<std::uint64_t> arrivals_, at_measure_, at_interval_;
  SimTime measure_start_, interval_start_;
  double peak_adoption_ = 0;
};

}  // namespace dcsim::workload
