#include "sim/core/run.hpp"

#include "sim/core/echo.hpp"

namespace dcsim {

const std::vector<ParamDef>& RunSettings::parameter_table() {
  static const std::vector<ParamDef> t = {
      {.key = "simulation", .type = ParamType::table, .basis = Basis::required,
       .help = "The run: its span, warm-up, sampling, random seed and calendar."},
      {.key = "simulation.duration", .type = ParamType::duration, .range = Range::positive(),
       .basis = Basis::required, .help = "Simulated span of the run, from t = 0."},
      {.key = "simulation.warmup", .type = ParamType::duration, .range = Range::non_negative(), .def = "0 s",
       .basis = Basis::assumption, .source = "no warm-up unless the scenario asks for one",
       .help = "Initial span excluded from the summary's statistics (shorter than the duration)."},
      {.key = "simulation.sample_interval", .type = ParamType::duration, .range = Range::positive(),
       .def = "1 min", .basis = Basis::assumption, .source = "resolves the diurnal cycle and thermal transients",
       .help = "Interval between rows of the recorded time series (at most 1e8 rows per run)."},
      {.key = "simulation.seed", .type = ParamType::integer, .range = Range::non_negative(), .def = "1",
       .basis = Basis::assumption, .help = "Seed of every random stream of the run."},
      {.key = "simulation.run_index", .type = ParamType::integer, .range = Range::non_negative(), .def = "0",
       .basis = Basis::assumption, .help = "Replication index: runs with the same seed and different indices are independent."},
      {.key = "simulation.start", .type = ParamType::datetime, .def = "2025-03-25T00:00:00Z",
       .basis = Basis::sourced, .source = "image generation launched in ChatGPT on 25 March 2025: the surge's day 0",
       .help = "Instant of t = 0, with a time zone (Z or an offset such as +01:00), for calendars (diurnal and weekly profiles, climates, prices)."},
      {.key = "simulation.max_events", .kind = &qty::dimensionless, .range = Range::closed(1, 1e18), .def = "1e12",
       .basis = Basis::assumption, .source = "2-4 days of computing at the engine's 3-7 M events/s",
       .help = "Budget of events: a run estimated to need more is refused before t = 0, naming the key responsible."},
      {.key = "simulation.max_memory", .kind = &qty::memory, .range = Range{0, 1e18, true, false},
       .basis = Basis::optional, .source = "absent: 80 % of this machine's physical memory",
       .help = "Budget of memory: a run estimated to need more is refused before t = 0, naming the key responsible."},
  };
  return t;
}

RunSettings RunSettings::from(const Params& p) {
  RunSettings s;
  s.duration = p.duration("duration");
  s.warmup = p.duration("warmup");
  if (s.warmup >= s.duration) p.fail("warmup", "a time shorter than simulation.duration");
  s.sample_interval = p.duration("sample_interval");
  if (s.sample_interval > s.duration) p.fail("sample_interval", "a time no longer than simulation.duration");
  if (s.duration / s.sample_interval > 100'000'000) {
    p.fail("sample_interval", "at most 1e8 samples per run", "raise the interval or shorten the run");
  }
  s.seed = static_cast<std::uint64_t>(p.integer("seed"));
  s.run_index = static_cast<std::uint64_t>(p.integer("run_index"));
  s.start_epoch = p.datetime("start");
  s.budget.max_events = p.quantity("max_events");
  s.budget.max_bytes = p.optional_quantity("max_memory").value_or(0.8 * physical_memory_bytes());
  return s;
}

Run::Run(const RunSettings& settings) : settings_(settings), engine_(settings.seed, settings.run_index, settings.fingerprint) {}

Model& Run::add_model(std::unique_ptr<Model> m) {
  models_.push_back(std::move(m));
  return *models_.back();
}

void Run::sample(SimTime t) {
  engine_.probes().sample(t, row_);
  for (auto* s : sinks_) s->row(t, row_);
  last_sample_ = t;
  ++samples_;
}

RunEstimate Run::estimate() const {
  RunEstimate e;
  const double interval = settings_.sample_interval.to_seconds();
  e.add({.key = "simulation.sample_interval", .what = "sampling every " + echo_number(interval) + " s",
         .events_per_s = 1.0 / interval, .bytes = 0});
  for (const auto& m : models_) m->estimate(e, settings_.duration);
  return e;
}

RunOutcome Run::execute() {
  // Models register their probes and schedule their first events; then the sinks learn the columns.
  for (auto& m : models_) m->start(engine_);
  row_.assign(engine_.probes().size(), 0.0);
  for (auto* s : sinks_) s->begin(engine_.probes().columns());
  if (settings_.warmup > SimTime::zero()) {
    engine_.schedule_at(settings_.warmup, phase::control, [this] {
      for (auto& m : models_) m->on_warmup_end(engine_.now());
    });
  }
  sampler_ = std::make_unique<PeriodicTimer>(engine_, settings_.sample_interval, phase::sample,
                                             [this](SimTime t) { sample(t); });
  sampler_->start(settings_.sample_interval);

  outcome_.reason = engine_.run_until(settings_.duration);
  sampler_->stop();
  outcome_.end = engine_.now();
  if (outcome_.complete() && last_sample_ < settings_.duration) sample(settings_.duration);  // a short last interval
  outcome_.events = engine_.events_processed();
  outcome_.samples = samples_;
  return outcome_;
}

Summary Run::summarize() {
  Summary s;
  const SimTime now = engine_.now();
  s.add("run.simulated_s", now.to_seconds(), "s", "simulated span from t = 0");
  s.add("run.measured_s", (now - std::min(now, settings_.warmup)).to_seconds(), "s",
        "span after the warm-up, over which the summary statistics are measured");
  s.add_count("run.events", static_cast<std::int64_t>(engine_.events_processed()), "events processed");
  s.add_count("run.samples", static_cast<std::int64_t>(samples_), "time-series samples recorded");
  for (auto& m : models_) m->finish(now, s);
  return s;
}

Topology Run::topology() const {
  Topology t;
  for (const auto& m : models_) m->describe(t);
  return t;
}

void Run::check_invariants() const {
  for (const auto& m : models_) m->check_invariants(engine_.now());
}

}  // namespace dcsim
