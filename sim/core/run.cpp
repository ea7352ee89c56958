#include "sim/core/run.hpp"

namespace dcsim {

RunSettings RunSettings::from(const Params& p) {
  RunSettings s;
  s.duration = p.duration("duration", Range::positive());
  s.warmup = p.duration("warmup", SimTime::zero(), Range::non_negative());
  if (s.warmup >= s.duration) p.fail("warmup", "a time shorter than simulation.duration");
  s.sample_interval = p.duration("sample_interval", SimTime::minutes(1), Range::positive());
  if (s.sample_interval > s.duration) p.fail("sample_interval", "a time no longer than simulation.duration");
  if (s.duration / s.sample_interval > 100'000'000) {
    p.fail("sample_interval", "at most 1e8 samples per run", "raise the interval or shorten the run");
  }
  s.seed = static_cast<std::uint64_t>(p.integer("seed", 1, 0, std::numeric_limits<std::int64_t>::max()));
  s.run_index = static_cast<std::uint64_t>(p.integer("run_index", 0, 0, std::numeric_limits<std::int64_t>::max()));
  s.start_epoch = p.datetime("start", s.start_epoch);
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

void Run::check_invariants() const {
  for (const auto& m : models_) m->check_invariants(engine_.now());
}

}  // namespace dcsim
