#include "models/workload/workload.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

#include "models/workload/azure_trace.hpp"
#include "models/workload/names.hpp"
#include "sim/core/csv.hpp"
#include "sim/core/echo.hpp"

namespace dcsim::workload {

namespace {

constexpr double kDay = 86400.0;

// The users active on a given day: activity fraction × N(t).
class ActiveUsers final : public TimeFunction {
 public:
  ActiveUsers(const Population& p, double fraction) : p_(p), a_(fraction) {}
  double value(double t) const override { return a_ * p_.users(t); }
  Bounds bounds(double t0, double t1) const override {
    const Bounds b = p_.users_bounds(t0, t1);
    return {a_ * b.lo, a_ * b.hi};
  }
  double next_break(double t) const override { return p_.next_break(t); }

 private:
  const Population& p_;
  double a_;
};

void check_name(const Params& p, std::string_view key, const std::string& name) {
  if (name.empty() || !std::all_of(name.begin(), name.end(), [](char ch) {
        return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-';
      })) {
    p.fail(key, "a name of letters, digits, '_' or '-'");
  }
}

}  // namespace

struct WorkloadModel::Stream {
  std::size_t c, k;
  std::unique_ptr<ArrivalGenerator> gen;
  Rng size_rng, patience_rng, token_rng;
};

std::vector<TraceRecord> load_trace(const std::string& path, const std::vector<std::string>& classes,
                                    const std::vector<std::string>& tiers) {
  std::vector<TraceRecord> out;
  bool first = true;
  read_csv(path, [&](const CsvRow& r) {
    if (first) {
      first = false;
      // A header line names the columns.
      const std::string& f = r.text(0);
      if (f == "time_s" || f == "time") {
        if (r.size() < 3 || r.text(1) != "class" || r.text(2) != "tier" || (r.size() > 3 && r.text(3) != "size") ||
            r.size() > 4) {
          r.fail(0, "the header must be time_s,class,tier[,size]");
        }
        return;
      }
    }
    if (r.size() < 3 || r.size() > 4) {
      r.fail(r.size() < 3 ? r.size() - 1 : 4,
             "expected 3 or 4 columns (time_s,class,tier[,size]), found " + std::to_string(r.size()));
    }
    TraceRecord rec{};
    rec.t = r.number(0, "time_s");
    if (rec.t < 0 || rec.t > kMaxTimeS) {
      r.fail(0, "column 'time_s': expected a time in [0, 9.2e9] s (the simulation's range, about 292 years), found " +
                    r.shown(0));
    }
    if (!out.empty() && rec.t < out.back().t) {
      r.fail(0, "timestamps out of order: " + r.shown(0) + " s comes after " + echo_number(out.back().t) +
                    " s (the trace must be sorted by time)");
    }
    const std::size_t c = index_of(classes, r.text(1));
    if (c == classes.size()) {
      std::string hint = did_you_mean_hint(r.text(1), classes);
      if (!hint.empty()) hint = " (" + hint + ")";
      r.fail(1, "column 'class': unknown class \"" + r.shown(1) + "\"" + hint);
    }
    const std::size_t k = index_of(tiers, r.text(2));
    if (k == tiers.size()) {
      std::string hint = did_you_mean_hint(r.text(2), tiers);
      if (!hint.empty()) hint = " (" + hint + ")";
      r.fail(2, "column 'tier': unknown tier \"" + r.shown(2) + "\"" + hint);
    }
    rec.cls = static_cast<std::uint16_t>(c);
    rec.tier = static_cast<std::uint8_t>(k);
    rec.size = std::numeric_limits<double>::quiet_NaN();
    if (r.size() == 4 && !r.text(3).empty()) {
      rec.size = r.number(3, "size");
      if (!(rec.size > 0)) r.fail(3, "column 'size': expected a size factor > 0, found " + r.shown(3));
    }
    out.push_back(rec);
  });
  return out;
}

RateProfile load_rate_profile(const std::string& path, const std::vector<std::string>& class_names) {
  RateProfile prof;
  std::vector<int>& col_of_class = prof.column_of_class;
  col_of_class.assign(class_names.size(), -1);
  std::vector<double>& times = prof.times;
  std::vector<std::vector<double>>& cols = prof.columns;
  std::vector<std::string> col_names;
  bool header = true;
  read_csv(path, [&](const CsvRow& r) {
    if (header) {
      header = false;
      if (r.text(0) != "time_s" && r.text(0) != "time") {
        r.fail(0, "the first column must be 'time_s', found \"" + r.shown(0) + "\"");
      }
      for (std::size_t i = 1; i < r.size(); ++i) {
        const std::size_t c = index_of(class_names, r.text(i));
        if (c == class_names.size()) {
          std::string hint = did_you_mean_hint(r.text(i), class_names);
          if (!hint.empty()) hint = " (" + hint + ")";
          r.fail(i, "column '" + r.shown(i) + "' is not a workload class" + hint);
        }
        if (col_of_class[c] >= 0) {
          r.fail(i, "column '" + r.shown(i) + "' appears twice (first as column " +
                        std::to_string(col_of_class[c] + 2) + "): give each class one column");
        }
        col_of_class[c] = static_cast<int>(i - 1);
        col_names.push_back(r.text(i));
      }
      cols.assign(r.size() - 1, {});
      return;
    }
    if (r.size() != cols.size() + 1) {
      r.fail(std::min(r.size(), cols.size() + 1) - 1,
             "expected " + std::to_string(cols.size() + 1) + " columns, found " + std::to_string(r.size()));
    }
    const double t = r.number(0, "time_s");
    if (!(std::abs(t) <= kMaxTimeS)) {
      r.fail(0, "column 'time_s': expected a time in [-9.2e9, 9.2e9] s (the simulation's range, about 292 years), found " +
                    r.shown(0));
    }
    if (!times.empty() && t <= times.back()) {
      r.fail(0, "times must increase (the profile must be sorted by time): " + r.shown(0) + " s comes after " +
                    echo_number(times.back()) + " s");
    }
    times.push_back(t);
    for (std::size_t i = 0; i < cols.size(); ++i) {
      const double v = r.number(i + 1, col_names[i]);
      if (v < 0 || v > 1e9) {
        r.fail(i + 1, "column '" + echo(col_names[i]) + "': expected a rate in [0, 1e9] requests/s, found " + r.shown(i + 1));
      }
      cols[i].push_back(v);
    }
  });
  if (times.empty()) throw ConfigError(SourceLoc{path, 0, 0}, "the rate profile has no data rows");
  return prof;
}

WorkloadModel::~WorkloadModel() = default;

WorkloadModel::WorkloadModel(const Params& p, const RunSettings& rs, const RandomStreams& streams)
    : calendar_(rs.start_epoch), horizon_s_(rs.duration.to_seconds()), random_(streams) {
  // Tiers.
  std::vector<std::string> tier_names;
  for (const auto& t : p.tables("tiers")) {
    Tier tier;
    tier.name = t.name("name");
    check_name(t, "name", tier.name);
    if (index_of(tier_names, tier.name) != tier_names.size()) t.fail("name", "a tier name not used before");
    tier.share = t.quantity("share");
    // "infinite": users who never give up.
    if (t.string_value("patience") == std::optional<std::string>("infinite")) {
      tier.patience = Distribution::deterministic(std::numeric_limits<double>::max());
    } else {
      tier.patience = t.distribution("patience");
    }
    tier_names.push_back(tier.name);
    tiers_.push_back(std::move(tier));
  }
  if (tiers_.empty()) {
    // One tier of every user, with the declared default patience (read from an empty tier table).
    if (!p.schema()) throw std::logic_error("[workload] is read without the parameter tables");
    const ConfigValue none = ConfigValue::make_table(p.loc());
    const Params implicit(none, p.key_path("tiers[0]"), *p.schema());
    tiers_.push_back(Tier{"all", 1.0, implicit.distribution("patience")});
    tier_names.push_back("all");
  }
  double share_sum = 0;
  for (const auto& t : tiers_) share_sum += t.share;
  if (std::abs(share_sum - 1.0) > 1e-6) {
    p.fail("tiers", "tier shares that sum to 1", "they sum to " + echo_number(share_sum));
  }
  if (tiers_.size() > 255) p.fail("tiers", "at most 255 tiers");

  // Classes.
  std::vector<std::string> class_names;
  const auto class_tables = p.tables("classes");
  if (class_tables.empty()) p.fail("classes", "at least one [[workload.classes]] table");
  for (const auto& c : class_tables) {
    RequestClass rc;
    rc.name = c.name("name");
    check_name(c, "name", rc.name);
    if (index_of(class_names, rc.name) != class_names.size()) c.fail("name", "a class name not used before");
    // Requests per active user per day: one number for every tier, or a table by tier name.
    if (c.is_table("requests_per_user_day")) {
      const auto per = c.optional_table("requests_per_user_day");
      for (const auto& t : tiers_) rc.per_user_day.push_back(per->quantity(t.name));
      for (const auto& k : per->keys()) {
        if (index_of(tier_names, k) == tier_names.size()) {
          const std::string hint = did_you_mean_hint(k, tier_names, '\'');
          per->fail(k, "a tier name", hint);
        }
      }
    } else if (c.has("requests_per_user_day")) {
      const double r = c.quantity("requests_per_user_day");
      rc.per_user_day.assign(tiers_.size(), r);
    }
    if (auto sz = c.optional_table("size")) {
      const auto ref = sz->optional_table("reference");
      for (const char* f : {"pixels", "steps", "tokens"}) {
        if (!sz->has(f)) continue;
        SizeFactor s;
        s.name = f;
        s.dist = sz->distribution(f);
        s.reference = ref ? ref->quantity_or(f, s.dist.mean()) : s.dist.mean();
        rc.size.push_back(std::move(s));
      }
      if (rc.size.empty()) sz->fail("pixels", "at least one size factor: pixels, steps or tokens");
    }
    if (c.has("prompt_tokens") || c.has("output_tokens")) {
      rc.has_tokens = true;
      rc.prompt_tokens = c.distribution("prompt_tokens");
      rc.output_tokens = c.distribution("output_tokens");
    }
    class_names.push_back(rc.name);
    classes_.push_back(std::move(rc));
  }

  // Trace replay replaces the generated arrivals.
  if (p.has("trace")) {
    trace_mode_ = true;
    for (const char* k : {"population", "rate_profile", "diurnal", "weekly", "flash_crowds", "arrivals"}) {
      if (p.has(k)) p.fail(k, std::string("no '") + k + "' when replaying a trace (the trace fixes every arrival)");
    }
    // The format: as given, or from the file's first line.
    std::string format = p.choice_or("trace_format", "");
    if (format.empty()) {
      struct FirstLine {};
      format = "dcsim";
      try {
        read_csv(p.file_path("trace"), [&](const CsvRow& r) {
          if (is_azure_header(r)) format = "azure_llm";
          throw FirstLine{};
        });
      } catch (const FirstLine&) {
      }
    }
    if (format == "azure_llm") {
      load_azure(p, class_names, tier_names, rs, streams);
    } else {
      for (const char* k : {"trace_class", "trace_tier", "trace_align"}) {
        if (p.has(k)) p.fail(k, std::string("no '") + k + "' with a dcsim trace (time_s,class,tier[,size]: each row names its own)");
      }
      trace_ = load_trace(p.file_path("trace"), class_names, tier_names);
    }
    // Time scaling, then the loop's period: the span plus the mean gap between rows.
    const double scale = p.quantity("trace_time_scale");
    if (scale != 1) {
      for (auto& r : trace_) r.t *= scale;
    }
    if (p.boolean("trace_loop")) {
      if (trace_.size() < 2) p.fail("trace_loop", "a trace of at least two rows to loop (its period is its span plus its mean gap)");
      const double span = trace_.back().t - trace_.front().t;
      trace_period_ = span + span / static_cast<double>(trace_.size() - 1);
      if (!(trace_period_ > 0)) p.fail("trace_loop", "a trace whose rows span some time (all of its rows are at one instant)");
    }
    trace_class_rows_.assign(class_names.size(), 0);
    for (const auto& r : trace_) ++trace_class_rows_[r.cls];
    // Rows after the end of the run are not replayed; the summary counts them.
    if (trace_period_ == 0) {
      trace_after_end_ = static_cast<std::size_t>(
          trace_.end() - std::upper_bound(trace_.begin(), trace_.end(), horizon_s_,
                                          [](double t, const TraceRecord& r) { return t < r.t; }));
    }
    trace_rng_ = streams.stream("workload.trace");
    trace_token_rng_ = streams.stream("workload.trace.tokens");
    tokens_given_.assign(classes_.size(), false);
    for (std::size_t c = 0; c < classes_.size(); ++c) tokens_given_[c] = classes_[c].has_tokens;
    // An Azure trace gives every row's tokens.
    for (const auto& r : trace_) {
      if (r.generated_tokens > 0) tokens_given_[r.cls] = true;
    }
    for (auto& c : classes_) {
      if (c.per_user_day.empty()) c.per_user_day.assign(tiers_.size(), 0.0);
    }
    arrivals_.assign(classes_.size() * tiers_.size(), 0);
    at_measure_ = at_interval_ = arrivals_;
    return;
  }

  // Rate profile: columns named after classes.
  if (p.has("rate_profile")) {
    const RateProfile prof = load_rate_profile(p.file_path("rate_profile"), class_names);
    profile_.resize(classes_.size());
    for (std::size_t c = 0; c < classes_.size(); ++c) {
      if (prof.column_of_class[c] < 0) continue;
      classes_[c].profile_column = prof.column_of_class[c];
      profile_[c] = std::make_unique<PiecewiseLinear>(prof.times, prof.columns[static_cast<std::size_t>(prof.column_of_class[c])]);
    }
  }
  profile_.resize(classes_.size());

  bool needs_population = false;
  for (std::size_t c = 0; c < classes_.size(); ++c) {
    if (!profile_[c]) {
      needs_population = true;
      if (classes_[c].per_user_day.empty()) {
        class_tables[c].fail("requests_per_user_day", "requests per active user per day (or a rate_profile column)");
      }
    } else if (classes_[c].per_user_day.empty()) {
      classes_[c].per_user_day.assign(tiers_.size(), 1.0);  // split the profile by tier share only
    }
  }
  if (needs_population) {
    population_ = make_population(p.table("population"), horizon_s_, streams);
    activity_ = p.quantity("activity_fraction");
    active_ = std::make_unique<ActiveUsers>(*population_, activity_);
  }
  const std::string kind = p.choice("arrivals");
  gamma_ = kind == "gamma";
  if (gamma_) cv_ = p.quantity("cv");
  diurnal_ = std::make_unique<Diurnal>(make_diurnal(p.optional_table("diurnal"), calendar_));
  weekly_ = std::make_unique<Weekly>(make_weekly(p.optional_table("weekly"), calendar_));
  const auto crowds = make_flash_crowds(p.tables("flash_crowds"), class_names);

  for (std::size_t c = 0; c < classes_.size(); ++c) {
    std::vector<FlashCrowd> mine;
    for (const auto& f : crowds) {
      if (f.cls.empty() || f.cls == classes_[c].name) mine.push_back(f);
    }
    flash_.push_back(std::make_unique<FlashMultiplier>(std::move(mine)));
    double weight_sum = 0;
    for (std::size_t k = 0; k < tiers_.size(); ++k) weight_sum += tiers_[k].share * classes_[c].per_user_day[k];
    for (std::size_t k = 0; k < tiers_.size(); ++k) {
      std::vector<const TimeFunction*> f;
      double scale = 0;
      if (profile_[c]) {
        scale = weight_sum > 0 ? tiers_[k].share * classes_[c].per_user_day[k] / weight_sum : 0.0;
        f = {profile_[c].get()};
      } else {
        scale = tiers_[k].share * classes_[c].per_user_day[k] / kDay;
        f = {active_.get(), diurnal_.get(), weekly_.get()};
      }
      if (!flash_[c]->empty()) f.push_back(flash_[c].get());
      rates_.push_back(std::make_unique<Rate>(scale, std::move(f)));
    }
  }
  arrivals_.assign(classes_.size() * tiers_.size(), 0);
  at_measure_ = at_interval_ = arrivals_;
  for (const auto& c : classes_) tokens_given_.push_back(c.has_tokens);
}

double WorkloadModel::rate(std::size_t c, std::size_t k, double t) const {
  return rates_.empty() ? 0.0 : rates_[c * tiers_.size() + k]->value(t);
}

double WorkloadModel::expected_arrivals(std::size_t c, std::size_t k, double t0, double t1) const {
  return rates_.empty() ? 0.0 : rates_[c * tiers_.size() + k]->integral(t0, t1);
}

double WorkloadModel::expected_requests(std::size_t c, double t0, double t1) const {
  if (replaying_trace()) {
    // The rows in [t0, t1), shared among classes as in the whole trace.
    if (trace_.empty()) return 0.0;
    const auto before = [](const TraceRecord& r, double t) { return r.t < t; };
    const auto rows_in = [&](double u0, double u1) {
      return std::lower_bound(trace_.begin(), trace_.end(), u1, before) - std::lower_bound(trace_.begin(), trace_.end(), u0, before);
    };
    double n = 0;
    if (trace_period_ > 0) {
      // Every repetition that overlaps [t0, t1), shifted back onto the trace's own times.
      const double first = trace_.front().t, last = trace_.back().t;
      const double r0 = std::max(0.0, std::floor((t0 - last) / trace_period_)), r1 = std::floor((t1 - first) / trace_period_);
      const auto in_rep = [&](double rep) { return static_cast<double>(rows_in(t0 - rep * trace_period_, t1 - rep * trace_period_)); };
      if (r1 - r0 <= 4) {
        for (double rep = r0; rep <= r1; ++rep) n += in_rep(rep);
      } else {
        // The period exceeds the span, so every repetition but the two at each end lies wholly inside.
        n = in_rep(r0) + in_rep(r0 + 1) + in_rep(r1 - 1) + in_rep(r1) + (r1 - r0 - 3) * static_cast<double>(trace_.size());
      }
    } else {
      n = static_cast<double>(rows_in(t0, t1));
    }
    return n * static_cast<double>(trace_class_rows_[c]) / static_cast<double>(trace_.size());
  }
  double n = 0;
  for (std::size_t k = 0; k < tiers_.size(); ++k) n += expected_arrivals(c, k, t0, t1);
  return n;
}

std::string WorkloadModel::rate_key(std::size_t c) const {
  if (replaying_trace()) return "workload.trace";
  if (c < profile_.size() && profile_[c]) return "workload.rate_profile";
  return "workload.classes[" + std::to_string(c) + "].requests_per_user_day";
}

double WorkloadModel::mean_patience_s() const {
  double p = 0;
  for (const auto& t : tiers_) {
    const double m = t.patience.mean();
    if (!(m < 1e300)) return std::numeric_limits<double>::infinity();
    p += t.share * m;
  }
  return p;
}

void WorkloadModel::estimate(RunEstimate& e, SimTime duration) const {
  // One event per arrival; the class with the most requests is named.
  const double T = duration.to_seconds();
  double total = 0, most = -1;
  std::size_t top = 0;
  for (std::size_t c = 0; c < classes_.size(); ++c) {
    const double n = expected_requests(c, 0, T);
    total += n;
    if (n > most) most = n, top = c;
  }
  if (classes_.empty()) return;
  e.add({.key = rate_key(top),
         .what = "about " + echo_number(std::round(total)) + " request arrivals (most of class " + classes_[top].name + ")",
         .events_per_s = total / T,
         .bytes = static_cast<double>(trace_.capacity() * sizeof(TraceRecord))});
}

double WorkloadModel::active_users(double t) const { return active_ ? active_->value(t) : 0.0; }

Rng WorkloadModel::arrival_stream(std::size_t c, std::size_t k) const {
  return random_.stream("workload." + classes_[c].name + "." + tiers_[k].name + ".arrivals");
}

std::unique_ptr<ArrivalGenerator> WorkloadModel::make_generator(std::size_t c, std::size_t k, double start,
                                                                double end) const {
  const std::size_t i = c * tiers_.size() + k;
  Rng rng = arrival_stream(c, k);
  if (gamma_) return std::make_unique<RenewalGenerator>(*rates_[i], rng, cv_, start, end);
  return std::make_unique<NhppGenerator>(*rates_[i], rng, start, end);
}

double WorkloadModel::draw_size(std::size_t c, Rng& rng) const {
  double s = 1.0;
  for (const auto& f : classes_[c].size) s *= f.dist.sample(rng) / f.reference;
  return s;
}

void WorkloadModel::start(Engine& engine) {
  engine_ = &engine;
  register_probes(engine);
  if (trace_mode_) {
    schedule_trace();
    return;
  }
  for (std::size_t c = 0; c < classes_.size(); ++c) {
    for (std::size_t k = 0; k < tiers_.size(); ++k) {
      auto s = std::make_unique<Stream>();
      s->c = c;
      s->k = k;
      s->gen = make_generator(c, k, 0.0, horizon_s_);
      const std::string base = "workload." + classes_[c].name + "." + tiers_[k].name;
      s->size_rng = random_.stream(base + ".size");
      s->patience_rng = random_.stream(base + ".patience");
      s->token_rng = random_.stream(base + ".tokens");
      streams_.push_back(std::move(s));
      const std::size_t i = streams_.size() - 1;
      const double t = streams_[i]->gen->next();
      if (t < kInf) {
        engine.schedule_at(SimTime::from_seconds(t), phase::workload, [this, i] { on_arrival(i); });
      }
    }
  }
}

void WorkloadModel::draw_tokens(std::size_t c, Rng& rng, std::uint32_t& prompt, std::uint32_t& output) const {
  const RequestClass& rc = classes_[c];
  // Whole tokens: a prompt may be empty, an output has at least one token; at most 1e7 of each.
  const auto whole = [](double x, double lo) { return static_cast<std::uint32_t>(std::clamp(std::nearbyint(x), lo, 1e7)); };
  prompt = whole(rc.prompt_tokens.sample(rng), 0);
  output = whole(rc.output_tokens.sample(rng), 1);
}

void WorkloadModel::emit(std::size_t c, std::size_t k, SimTime now, double size, std::uint32_t prompt,
                         std::uint32_t output) {
  ++arrivals_[c * tiers_.size() + k];
  if (!sink_) return;
  Request r;
  r.prompt_tokens = prompt;
  r.output_tokens = output;
  r.id = next_id_++;
  r.created = r.first_created = now;
  r.size = size;
  r.cls = static_cast<std::uint16_t>(c);
  r.tier = static_cast<std::uint8_t>(k);
  Rng& prng = trace_mode_ ? trace_rng_ : streams_[c * tiers_.size() + k]->patience_rng;
  r.patience_s = tiers_[k].patience.sample(prng);
  sink_->submit(r);
}

void WorkloadModel::on_arrival(std::size_t i) {
  Stream& s = *streams_[i];
  const SimTime now = engine_->now();
  // Draw the size only when someone consumes it: a workload-only run stays a pure arrival count.
  std::uint32_t prompt = 0, output = 0;
  if (sink_ && classes_[s.c].has_tokens) draw_tokens(s.c, s.token_rng, prompt, output);
  emit(s.c, s.k, now, sink_ ? draw_size(s.c, s.size_rng) : 1.0, prompt, output);
  const double t = s.gen->next();
  if (t < kInf) {
    engine_->schedule_at(std::max(now, SimTime::from_seconds(t)), phase::workload, [this, i] { on_arrival(i); });
  }
}


void WorkloadModel::register_probes(Engine& e) {
  ProbeRegistry& pr = e.probes();
  if (population_) {
    pr.add_group({{"workload/users", "1", "users at the sample instant (base plus retained adopters)", Sampling::instant},
                  {"workload/active_users", "1", "users active on the day (activity fraction × users)", Sampling::instant},
                  {"workload/adoption_per_h", "1/h", "expected adoption rate at the sample instant, users per hour",
                   Sampling::instant}},
                 [this](SimTime now, std::span<double> out) {
                   const double t = now.to_seconds();
                   out[0] = population_->users(t);
                   out[1] = active_->value(t);
                   out[2] = population_->adoption_rate(t) * 3600.0;
                   peak_adoption_ = std::max(peak_adoption_, out[2]);
                 });
  }
  for (std::size_t c = 0; c < classes_.size(); ++c) {
    const std::string g = "workload/" + classes_[c].name + "/";
    if (!trace_mode_) {
      pr.add({g + "offered_rate", "1/s", "mean offered rate of " + classes_[c].name + " requests over the interval (all tiers)",
              Sampling::interval_mean},
             [this, c](SimTime now) {
               const double t1 = now.to_seconds(), t0 = interval_start_.to_seconds();
               double v = 0;
               for (std::size_t k = 0; k < tiers_.size(); ++k) {
                 v += t1 > t0 ? expected_arrivals(c, k, t0, t1) / (t1 - t0) : rate(c, k, t1);
               }
               return v;
             });
    }
    for (std::size_t k = 0; k < tiers_.size(); ++k) {
      const std::size_t i = c * tiers_.size() + k;
      pr.add({g + tiers_[k].name + "/arrivals", "1",
              "arrivals of " + classes_[c].name + " requests from the " + tiers_[k].name + " tier in the interval",
              Sampling::interval_count},
             [this, i](SimTime) { return static_cast<double>(arrivals_[i] - at_interval_[i]); });
    }
  }
  // Last: close the interval for every column above.
  pr.add_group({}, [this](SimTime now, std::span<double>) {
    at_interval_ = arrivals_;
    interval_start_ = now;
  });
}

void WorkloadModel::on_warmup_end(SimTime now) {
  measure_start_ = now;
  at_measure_ = arrivals_;
}

void WorkloadModel::finish(SimTime now, Summary& s) {
  const double t0 = measure_start_.to_seconds(), t1 = now.to_seconds();
  std::uint64_t total = 0;
  for (std::size_t c = 0; c < classes_.size(); ++c) {
    const std::string g = "workload." + classes_[c].name;
    std::uint64_t n = 0;
    double expected = 0;
    for (std::size_t k = 0; k < tiers_.size(); ++k) {
      const std::size_t i = c * tiers_.size() + k;
      n += arrivals_[i] - at_measure_[i];
      if (!trace_mode_) expected += expected_arrivals(c, k, t0, t1);
    }
    total += n;
    s.add_count(g + ".arrivals", static_cast<std::int64_t>(n), classes_[c].name + " requests arrived after warm-up");
    if (!trace_mode_) {
      s.add(g + ".expected_arrivals", expected, "1", "∫λ dt over the measured span: the expected number of arrivals");
    }
    for (std::size_t k = 0; k < tiers_.size(); ++k) {
      const std::size_t i = c * tiers_.size() + k;
      s.add_count(g + "." + tiers_[k].name + ".arrivals", static_cast<std::int64_t>(arrivals_[i] - at_measure_[i]),
                  classes_[c].name + " requests from the " + tiers_[k].name + " tier after warm-up");
    }
  }
  s.add_count("workload.arrivals", static_cast<std::int64_t>(total), "requests arrived after warm-up, all classes");
  if (trace_mode_) {
    s.add_count("workload.trace_rows_after_end", static_cast<std::int64_t>(trace_after_end_),
                "trace rows later than the end of the run, not replayed");
    s.add_count("workload.trace_rows_before_start", static_cast<std::int64_t>(trace_before_start_),
                "trace rows before simulation.start (trace_align = \"start\"), not replayed");
    if (trace_period_ > 0) {
      s.add_count("workload.trace_repetitions", static_cast<std::int64_t>(trace_rep_ + 1),
                  "times the trace was replayed, the last one in part (trace_loop)");
    }
  }
  if (population_) {
    s.add("workload.users_start", population_->users(0.0), "1", "users at t = 0");
    s.add("workload.users_end", population_->users(t1), "1", "users at the end");
    s.add("workload.adopters_end", population_->cumulative_adopters(t1), "1", "surge adopters by the end (before churn)");
    // The adoption peak over the run, on a 1-minute grid refined by golden-section search.
    double best_t = 0, best = population_->adoption_rate(0.0);
    for (double t = 60.0; t <= t1; t += 60.0) {
      const double v = population_->adoption_rate(t);
      if (v > best) {
        best = v;
        best_t = t;
      }
    }
    double a = std::max(0.0, best_t - 60.0), b = std::min(t1, best_t + 60.0);
    for (int it = 0; it < 60; ++it) {
      const double m1 = b - (b - a) * 0.6180339887, m2 = a + (b - a) * 0.6180339887;
      if (population_->adoption_rate(m1) < population_->adoption_rate(m2)) a = m1; else b = m2;
    }
    best_t = 0.5 * (a + b);
    best = std::max(best, population_->adoption_rate(best_t));
    s.add("workload.peak_adoption_per_h", best * 3600.0, "1/h", "largest expected adoption rate during the run");
    s.add("workload.peak_adoption_time_d", best_t / kDay, "d", "when the adoption rate peaked, days after t = 0");
    s.add_text("workload.population", population_->describe(), "the population model");
  }
}

void WorkloadModel::check_invariants(SimTime now) const {
  std::uint64_t sum = 0;
  for (const auto a : arrivals_) sum += a;
  if (sink_ && sum != next_id_ - 1) {
    throw SimulationError(now, "workload", "arrivals counted (" + std::to_string(sum) + ") differ from requests issued (" +
                                               std::to_string(next_id_ - 1) + ")");
  }
}

}  // namespace dcsim::workload
