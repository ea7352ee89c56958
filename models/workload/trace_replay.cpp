// Trace replay (workload.hpp): reading an Azure LLM inference trace into the replayed rows, and replaying
// the rows once or in a loop.
#include <algorithm>
#include <cmath>
#include <limits>

#include "models/workload/azure_trace.hpp"
#include "models/workload/names.hpp"
#include "models/workload/workload.hpp"
#include "sim/core/csv.hpp"
#include "sim/core/echo.hpp"
#include "sim/core/time.hpp"

namespace dcsim::workload {

void WorkloadModel::load_azure(const Params& p, const std::vector<std::string>& class_names,
                               const std::vector<std::string>& tier_names, const RunSettings& rs,
                               const RandomStreams& streams) {
  const std::string cls_name = p.text("trace_class");
  const std::size_t c = index_of(class_names, cls_name);
  if (c == class_names.size()) p.fail("trace_class", "the name of a class in [[workload.classes]]", did_you_mean_hint(cls_name, class_names));
  // GeneratedTokens become the request's size through the class's reference response length.
  const SizeFactor* tokens = nullptr;
  for (const SizeFactor& f : classes_[c].size) {
    if (f.name == "tokens") tokens = &f;
  }
  if (!tokens) {
    p.fail("trace_class", "a class with a size.tokens factor (its reference.tokens turns GeneratedTokens into a service size), "
                          "but class '" + cls_name + "' has none");
  }
  std::optional<std::size_t> tier;
  if (p.has("trace_tier")) {
    const std::string t = p.text("trace_tier");
    tier = index_of(tier_names, t);
    if (*tier == tier_names.size()) p.fail("trace_tier", "the name of a tier in [[workload.tiers]]", did_you_mean_hint(t, tier_names));
  }
  const bool align_start = p.choice("trace_align") == "start";

  // Tiers drawn by share from a stream of their own (the same rows, the same tiers, whatever else runs).
  Rng tier_rng = streams.stream("workload.trace.tier");
  std::vector<double> cum;
  double acc = 0;
  for (const Tier& t : tiers_) cum.push_back(acc += t.share);

  bool header = true;
  AzureRow prev{};
  bool have_prev = false;
  TraceInstant origin{};
  const std::string path = p.file_path("trace");
  read_csv(path, [&](const CsvRow& r) {
    if (header) {
      header = false;
      if (!is_azure_header(r)) r.fail(0, "an azure_llm trace starts with the header TIMESTAMP,ContextTokens,GeneratedTokens");
      return;
    }
    const AzureRow row = parse_azure_row(r, have_prev ? &prev : nullptr);
    if (!have_prev) origin = align_start ? TraceInstant{rs.start_epoch, 0.0} : row.at;
    prev = row;
    have_prev = true;
    // Seconds from the origin, whole seconds first (epoch seconds as doubles would lose microseconds).
    const double t = static_cast<double>(row.at.s - origin.s) + (row.at.frac - origin.frac);
    if (t < 0) {
      ++trace_before_start_;
      return;
    }
    if (t > kMaxTimeS) r.fail(0, "column 'TIMESTAMP': more than 9.2e9 s (about 292 years) after the trace's origin");
    TraceRecord rec{};
    rec.t = t;
    rec.cls = static_cast<std::uint16_t>(c);
    std::size_t k = 0;
    if (tier) {
      k = *tier;
    } else if (tiers_.size() > 1) {
      const double u = tier_rng.uniform() * acc;
      k = std::min<std::size_t>(static_cast<std::size_t>(std::upper_bound(cum.begin(), cum.end(), u) - cum.begin()),
                                tiers_.size() - 1);
    }
    rec.tier = static_cast<std::uint8_t>(k);
    rec.context_tokens = row.context_tokens;
    rec.generated_tokens = row.generated_tokens;
    rec.size = static_cast<double>(row.generated_tokens) / tokens->reference;
    trace_.push_back(rec);
  });
}

void WorkloadModel::wrap_trace() {
  if (trace_next_ == trace_.size() && trace_period_ > 0) {
    trace_next_ = 0;
    ++trace_rep_;
  }
}

void WorkloadModel::schedule_trace() {
  wrap_trace();
  if (trace_next_ >= trace_.size()) return;
  const double t = trace_time(trace_next_, trace_rep_);
  if (t <= horizon_s_) engine_->schedule_at(SimTime::from_seconds(t), phase::workload, [this] { on_trace(); });
}

void WorkloadModel::on_trace() {
  const SimTime now = engine_->now();
  // Every record at this instant, in file order (across the end of a repetition too).
  for (;;) {
    wrap_trace();
    if (trace_next_ >= trace_.size() || SimTime::from_seconds(trace_time(trace_next_, trace_rep_)) > now) break;
    const TraceRecord& r = trace_[trace_next_++];
    const double size = std::isnan(r.size) ? (sink_ ? draw_size(r.cls, trace_rng_) : 1.0) : r.size;
    std::uint32_t prompt = r.context_tokens, output = r.generated_tokens;
    if (output == 0 && sink_ && classes_[r.cls].has_tokens) draw_tokens(r.cls, trace_token_rng_, prompt, output);
    emit(r.cls, r.tier, now, size, prompt, output);
  }
  schedule_trace();
}

}  // namespace dcsim::workload
