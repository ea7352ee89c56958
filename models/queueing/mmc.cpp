#include "models/queueing/mmc.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

#include "models/queueing/erlang.hpp"
#include "sim/core/echo.hpp"

namespace dcsim::queueing {

const std::vector<ParamDef>& MMcParams::parameter_table() {
  static const std::vector<ParamDef> t = {
      {.key = "mmc", .type = ParamType::table, .basis = Basis::optional,
       .help = "An M/M/c(/K) queue: the platform's validation model (Erlang C)."},
      {.key = "mmc.arrival_rate", .kind = &qty::rate, .range = Range{0, 1e9, true, false}, .basis = Basis::required,
       .help = "Poisson arrival rate λ."},
      {.key = "mmc.service_rate", .kind = &qty::rate, .range = Range{0, 1e9, true, false}, .basis = Basis::required,
       .help = "Service rate μ of one server (exponential service times)."},
      {.key = "mmc.servers", .type = ParamType::integer, .range = Range::closed(1, 10'000'000),
       .basis = Basis::required, .help = "Number of servers c.", .capacity = true},
      {.key = "mmc.capacity", .type = ParamType::integer, .range = Range::at_least(1), .basis = Basis::optional,
       .source = "absent: no limit (M/M/c)",
       .help = "Most customers in the system K (waiting and in service), at least c; arrivals beyond are blocked."},
  };
  return t;
}

MMcParams MMcParams::from(const Params& p) {
  MMcParams m;
  m.arrival_rate = p.quantity("arrival_rate");
  m.service_rate = p.quantity("service_rate");
  m.servers = p.integer("servers");
  if (p.has("capacity")) {
    m.capacity = p.integer("capacity");
    if (*m.capacity < m.servers) p.fail("capacity", "an integer >= " + std::to_string(m.servers), "at least mmc.servers");
  }
  return m;
}

MMcModel::MMcModel(std::string name, const MMcParams& params, SimTime expected_measured_span)
    : name_(std::move(name)),
      p_(params),
      queue_(1024),
      // About 32 batches over the measured span (DOMAIN.md §9b: 20–50 batches).
      batch_size_(std::max<std::uint64_t>(
          1, static_cast<std::uint64_t>(params.arrival_rate * expected_measured_span.to_seconds() / 32.0))),
      wait_batches_(batch_size_) {}

void MMcModel::estimate(RunEstimate& e, SimTime duration) const {
  // Every arrival is an event and so is every departure. The queue holds what arrives faster than the c
  // servers clear it: nothing lasting when λ < cμ, else (λ − cμ)·T by the end; at most K − c with a capacity.
  const double lambda = p_.arrival_rate, cmu = static_cast<double>(p_.servers) * p_.service_rate;
  double waiting = lambda < cmu ? 0.0 : (lambda - cmu) * duration.to_seconds();
  if (p_.capacity) waiting = std::min(waiting, static_cast<double>(*p_.capacity - p_.servers));
  const double per_customer = sizeof(SimTime) + 32.0;  // the queue's slot and its event-set entry
  e.add({.key = name_ + ".arrival_rate",
         .what = "the arrivals and departures of " + name_ + " at " + echo_number(lambda) + " /s" +
                 (waiting > 0 ? ", its queue growing to " + echo_number(std::round(waiting)) : ""),
         .events_per_s = 2 * lambda,
         .bytes = waiting * per_customer});
}

void MMcModel::start(Engine& engine) {
  engine_ = &engine;
  arrival_rng_ = engine.stream(name_ + ".arrivals");
  service_rng_ = engine.stream(name_ + ".service");
  register_probes();
  engine.schedule_in(SimTime::from_seconds(arrival_rng_.exponential(p_.arrival_rate)), phase::workload,
                     [this] { on_arrival(); });
}

void MMcModel::register_probes() {
  ProbeRegistry& pr = engine_->probes();
  const std::string g = name_ + "/";
  struct Interval {
    TimeWindow queue, busy;
    std::uint64_t arrivals_at = 0, completions_at = 0;
    Histogram waits;
  };
  auto iv = std::make_shared<Interval>();
  wait_tap_ = &iv->waits;
  pr.add_group(
      {{g + "queue_length", "1", "customers waiting, time-averaged over the interval", Sampling::interval_mean},
       {g + "busy_servers", "1", "servers busy, time-averaged over the interval", Sampling::interval_mean},
       {g + "in_system", "1", "customers waiting or in service at the sample instant", Sampling::instant},
       {g + "arrivals", "1", "arrivals in the interval", Sampling::interval_count},
       {g + "completions", "1", "service completions in the interval", Sampling::interval_count},
       {g + "wait_mean_s", "s", "mean wait in queue of customers who started service in the interval",
        Sampling::interval_stat},
       {g + "wait_p50_s", "s", "median wait in queue (customers who started service in the interval)",
        Sampling::interval_stat},
       {g + "wait_p95_s", "s", "95th percentile wait in queue (same customers)", Sampling::interval_stat},
       {g + "wait_p99_s", "s", "99th percentile wait in queue (same customers)", Sampling::interval_stat}},
      // The probe owns its interval state: the model only feeds the interval histogram through a tap, so a
      // recorder's sampling changes nothing the model computes.
      [this, iv](SimTime now, std::span<double> out) {
        out[0] = iv->queue.mean(queue_len_, now);
        out[1] = iv->busy.mean(busy_servers_, now);
        out[2] = static_cast<double>(in_system());
        out[3] = static_cast<double>(arrivals_ - iv->arrivals_at);
        out[4] = static_cast<double>(completions_ - iv->completions_at);
        out[5] = iv->waits.mean();
        static constexpr double qs[] = {0.5, 0.95, 0.99};
        iv->waits.quantiles(qs, out.subspan(6, 3));
        iv->waits.reset();
        iv->queue.open(queue_len_, now);
        iv->busy.open(busy_servers_, now);
        iv->arrivals_at = arrivals_;
        iv->completions_at = completions_;
      });
}

void MMcModel::begin_service(SimTime arrived) {
  const SimTime now = engine_->now();
  const double wait = (now - arrived).to_seconds();
  const double service = service_rng_.exponential(p_.service_rate);
  ++busy_;
  busy_servers_.set(now, static_cast<double>(busy_));
  wait_tally_.add(wait);
  wait_batches_.add(wait);
  wait_hist_.record(wait);
  if (wait_tap_) wait_tap_->record(wait);
  response_tally_.add(wait + service);
  if (wait > 0) ++waited_;
  engine_->schedule_in(SimTime::from_seconds(service), phase::serving, [this] { on_departure(); });
}

void MMcModel::on_arrival() {
  const SimTime now = engine_->now();
  ++arrivals_;
  engine_->schedule_in(SimTime::from_seconds(arrival_rng_.exponential(p_.arrival_rate)), phase::workload,
                       [this] { on_arrival(); });
  if (p_.capacity && in_system() >= static_cast<std::size_t>(*p_.capacity)) {
    ++rejected_;
    return;
  }
  if (busy_ < p_.servers) {
    begin_service(now);
  } else {
    queue_.push_back(now);
    queue_len_.set(now, static_cast<double>(queue_.size()));
  }
}

void MMcModel::on_departure() {
  const SimTime now = engine_->now();
  ++completions_;
  --busy_;
  busy_servers_.set(now, static_cast<double>(busy_));
  if (!queue_.empty()) {
    const SimTime arrived = queue_.pop_front();
    queue_len_.set(now, static_cast<double>(queue_.size()));
    begin_service(arrived);
  }
}

void MMcModel::on_warmup_end(SimTime now) {
  measure_start_ = now;
  arrivals_at_measure_ = arrivals_;
  completions_at_measure_ = completions_;
  rejected_at_measure_ = rejected_;
  waited_ = 0;
  queue_window_.open(queue_len_, now);
  busy_window_.open(busy_servers_, now);
  wait_tally_.reset();
  response_tally_.reset();
  wait_batches_ = BatchMeans(batch_size_);
  wait_hist_.reset();
}

void MMcModel::finish(SimTime now, Summary& s) {
  const std::string g = name_ + ".";
  const double span = (now - measure_start_).to_seconds();
  const double arrived = static_cast<double>(arrivals_ - arrivals_at_measure_);
  const double lambda_hat = span > 0 ? arrived / span : 0.0;
  const double lq = queue_window_.mean(queue_len_, now);
  const double busy = busy_window_.mean(busy_servers_, now);
  const double wq = wait_tally_.mean();
  const double w = response_tally_.mean();
  s.add(g + "arrival_rate_per_s", lambda_hat, "1/s", "measured arrival rate");
  s.add(g + "throughput_per_s", span > 0 ? static_cast<double>(completions_ - completions_at_measure_) / span : 0.0,
        "1/s", "measured completion rate");
  s.add(g + "utilisation", busy / static_cast<double>(p_.servers), "1", "time-average fraction of servers busy");
  s.add(g + "mean_wait_s", wq, "s", "mean wait in queue W_q of customers who started service");
  s.add(g + "mean_wait_ci95_s", wait_batches_.half_width(), "s",
        "half-width of the 95 % batch-means confidence interval on mean_wait_s");
  s.add_count(g + "mean_wait_batches", static_cast<std::int64_t>(wait_batches_.batches()),
              "batches behind the confidence interval (about 32 over the measured span)");
  s.add(g + "mean_response_s", w, "s", "mean response time W = wait + service");
  s.add(g + "prob_wait", wait_tally_.count() ? static_cast<double>(waited_) / static_cast<double>(wait_tally_.count()) : 0.0,
        "1", "fraction of customers who waited (Erlang C's P_W)");
  const Histogram& h = wait_hist_;
  static constexpr double qs[] = {0.5, 0.95, 0.99, 0.999};
  double q[4];
  h.quantiles(qs, q);
  s.add(g + "wait_p50_s", q[0], "s", "median wait in queue");
  s.add(g + "wait_p95_s", q[1], "s", "95th percentile wait in queue");
  s.add(g + "wait_p99_s", q[2], "s", "99th percentile wait in queue");
  s.add(g + "wait_p999_s", q[3], "s", "99.9th percentile wait in queue");
  s.add(g + "mean_queue_length", lq, "1", "time-average number waiting L_q");
  s.add(g + "mean_in_system", lq + busy, "1", "time-average number in system L");
  s.add(g + "little_l_minus_lambda_w", (lq + busy) - lambda_hat * w, "1",
        "L - λW on the measured figures (Little's law: ~0 up to edge effects)");
  s.add_count(g + "arrivals", static_cast<std::int64_t>(arrivals_ - arrivals_at_measure_), "arrivals after warm-up");
  s.add_count(g + "completions", static_cast<std::int64_t>(completions_ - completions_at_measure_),
              "completions after warm-up");
  s.add_count(g + "rejected", static_cast<std::int64_t>(rejected_ - rejected_at_measure_),
              "arrivals rejected at capacity after warm-up");
  const double rho = p_.arrival_rate / (p_.service_rate * static_cast<double>(p_.servers));
  s.add(g + "offered_utilisation", rho, "1", "ρ = λ/(cμ) from the parameters");
  if (!p_.capacity && rho < 1.0) {
    s.add(g + "erlang_c_mean_wait_s", mmc_mean_wait(p_.servers, p_.arrival_rate, p_.service_rate), "s",
          "Erlang C mean wait W_q for the parameters (theory)");
    s.add(g + "erlang_c_prob_wait", erlang_c(p_.servers, p_.arrival_rate / p_.service_rate), "1",
          "Erlang C probability of waiting (theory)");
  }
}

void MMcModel::check_invariants(SimTime now) const {
  const std::uint64_t in_sys = in_system();
  if (arrivals_ != completions_ + rejected_ + in_sys) {
    throw SimulationError(now, name_, "conservation broken: arrivals " + std::to_string(arrivals_) + " != completed " +
                                          std::to_string(completions_) + " + rejected " + std::to_string(rejected_) +
                                          " + in system " + std::to_string(in_sys));
  }
  if (busy_ < 0 || busy_ > p_.servers) {
    throw SimulationError(now, name_, "busy servers " + std::to_string(busy_) + " outside [0, c]");
  }
  const double busy_time = busy_servers_.integral(now);
  if (busy_time > static_cast<double>(p_.servers) * now.to_seconds() * (1 + 1e-12) + 1e-9) {
    throw SimulationError(now, name_, "busy time exceeds capacity × span");
  }
}

}  // namespace dcsim::queueing
