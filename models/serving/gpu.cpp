#include "models/serving/gpu.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "sim/core/echo.hpp"

namespace dcsim::serving {

double ServiceModel::batch_time(double b) const {
  if (batch.empty()) return t0_s + t1_s * b;
  if (batch.size() == 1) return time_s[0] * b / batch[0];
  // Linear between table points, linear extrapolation from the last two beyond either end.
  std::size_t i = static_cast<std::size_t>(std::upper_bound(batch.begin(), batch.end(), b) - batch.begin());
  i = std::clamp<std::size_t>(i, 1, batch.size() - 1);
  const double w = (b - batch[i - 1]) / (batch[i] - batch[i - 1]);
  return std::max(0.0, time_s[i - 1] + (time_s[i] - time_s[i - 1]) * w);
}

void ServiceModel::finalise() {
  switch (shape) {
    case Shape::deterministic: factor = Distribution::deterministic(1.0); break;
    case Shape::exponential: factor = Distribution::exponential(1.0); break;
    case Shape::lognormal: factor = Distribution::lognormal(1.0, cv); break;
  }
}

namespace {

ServiceModel image_model(double t1, double t16, double power) {
  ServiceModel s;
  s.batch = {1, 16};
  s.time_s = {t1, t16};
  s.active_power_w = power;
  s.shape = ServiceModel::Shape::lognormal;
  s.cv = 0.03;  // run-to-run spread of a fixed-step diffusion: small (assumption)
  s.finalise();
  return s;
}

// The LLM latency of continuous batching, per GPU, for a 7B-parameter model on one GPU (TP 1; gpu.hpp).
struct LlmPreset {
  double ap_ms, bp_us, ad_ms, bd_us, cd_us;
  std::uint64_t kv_tokens;
  double prefill_w, decode_w;
};

ServiceModel text_model(double scale, double power, const LlmPreset& l) {
  ServiceModel s;
  s.llm = true;
  s.llm_latency = {.prefill_s = l.ap_ms * 1e-3, .prefill_s_per_token = l.bp_us * 1e-6, .decode_s = l.ad_ms * 1e-3,
                   .decode_s_per_request = l.bd_us * 1e-6, .decode_s_per_token = l.cd_us * 1e-6};
  s.kv_tokens = l.kv_tokens;
  s.prefill_power_w = l.prefill_w;
  s.decode_power_w = l.decode_w;
  s.t0_s = 2.0 * scale;
  s.t1_s = 0.53 * scale;
  s.active_power_w = power;
  s.shape = ServiceModel::Shape::lognormal;
  s.cv = 0.5;  // response lengths vary (assumption)
  s.finalise();
  return s;
}

}  // namespace

// Fitted to TensorRT-LLM's published LLaMA-7B tables (TP 1; gpu.hpp), powers from SplitwiseSim.
constexpr LlmPreset kH100Llm{5.067, 15.10, 13.30, 15.98, 0.0131, 250'000, 700, 380};
constexpr LlmPreset kA100Llm{8.200, 60.94, 16.51, 43.04, 0.1709, 110'000, 400, 250};
// Assumptions: H200 prefills as an H100 and decodes 0.7× as long (HBM 4.8 vs 3.35 TB/s), 141 GB;
// B200 prefills and decodes in half an H100's time, 192 GB; their phase powers scaled from the H100's.
constexpr LlmPreset kH200Llm{5.067, 15.10, 13.30 * 0.7, 15.98 * 0.7, 0.0131 * 0.7, 460'000, 700, 380};
constexpr LlmPreset kB200Llm{5.067 * 0.5, 15.10 * 0.5, 13.30 * 0.5, 15.98 * 0.5, 0.0131 * 0.5, 640'000, 1000, 540};

const std::vector<std::string>& gpu_preset_names() {
  static const std::vector<std::string> n = {"h100_sxm", "h200", "a100", "b200"};
  return n;
}

GpuType gpu_preset(const std::string& name) {
  GpuType g;
  g.name = name;
  if (name == "h100_sxm") {
    g.power_limit_w = 700;
    g.idle_w = 75;
    g.idle_loaded_w = 140;
    g.max_clock_mhz = 1980;
    g.service["image"] = image_model(11.64, 176.6, 683);
    g.service["text"] = text_model(1.0, 550, kH100Llm);
  } else if (name == "h200") {
    g.power_limit_w = 700;
    g.idle_w = 75;
    g.idle_loaded_w = 140;
    g.max_clock_mhz = 1980;
    g.service["image"] = image_model(11.64, 176.6, 683);
    g.service["text"] = text_model(0.85, 550, kH200Llm);  // more HBM bandwidth helps decoding (assumption)
  } else if (name == "a100") {
    g.power_limit_w = 400;
    g.idle_w = 52;
    g.idle_loaded_w = 90;
    g.max_clock_mhz = 1410;
    g.service["image"] = image_model(11.64 * 2.5, 176.6 * 2.5, 390);
    g.service["text"] = text_model(2.5, 330, kA100Llm);
  } else if (name == "b200") {
    g.power_limit_w = 1000;
    g.idle_w = 150;
    g.idle_loaded_w = 200;
    g.max_clock_mhz = 1965;
    g.service["image"] = image_model(7.75, 7.75 * 176.6 / 11.64, 861);
    g.service["text"] = text_model(0.67, 800, kB200Llm);
  } else {
    throw std::out_of_range("unknown GPU preset '" + name + "'");
  }
  return g;
}

ServiceModel read_service(const Params& p, const ServiceModel* base) {
  ServiceModel s = base ? *base : ServiceModel{};
  if (p.has("batch_time")) {
    const Params bt = p.table("batch_time");
    if (bt.has("batch") || bt.has("time")) {
      s.batch = bt.quantities("batch");
      s.time_s = bt.quantities("time");
      if (s.batch.size() != s.time_s.size() || s.batch.empty()) {
        bt.fail("time", "one time per batch size (" + std::to_string(s.batch.size()) + ")");
      }
      for (std::size_t i = 1; i < s.batch.size(); ++i) {
        if (s.batch[i] <= s.batch[i - 1]) bt.fail("batch", "increasing batch sizes");
      }
    } else {
      s.batch.clear();
      s.time_s.clear();
      s.t0_s = bt.quantity("t0");
      s.t1_s = bt.quantity("t1");
    }
  } else if (!base && !p.has("prefill")) {
    p.fail("batch_time", "a batch service time: { t0 = \"0 s\", t1 = \"11.64 s\" } or { batch = [1, 16], time = [...] }");
  }
  if (p.has("distribution")) {
    const Params d = p.table("distribution");
    const std::string k = d.choice("kind");
    s.shape = k == "deterministic" ? ServiceModel::Shape::deterministic
              : k == "exponential" ? ServiceModel::Shape::exponential
                                   : ServiceModel::Shape::lognormal;
    s.cv = s.shape == ServiceModel::Shape::lognormal ? d.quantity("cv") : 0.0;
  }
  s.active_power_w = base ? p.quantity_or("active_power", s.active_power_w) : p.quantity("active_power");
  // LLM latencies for continuous batching: all three parts for a service that has none, key by key over a
  // preset's.
  if (p.has("prefill") || p.has("decode") || p.has("kv_tokens")) {
    const bool have = s.llm;
    if (!have) {
      for (const char* k : {"prefill", "decode", "kv_tokens"}) {
        if (!p.has(k)) p.fail(k, "prefill, decode and kv_tokens together (the LLM latency model of continuous batching)");
      }
      s.prefill_power_w = s.decode_power_w = s.active_power_w;
    }
    // Over a preset's, each key overrides its field; for a new LLM service each is required.
    const auto q = [have](const Params& t, const char* key, double& field) {
      field = have ? t.quantity_or(key, field) : t.quantity(key);
    };
    LlmLatency& l = s.llm_latency;
    if (auto pf = p.optional_table("prefill")) {
      q(*pf, "fixed", l.prefill_s);
      q(*pf, "per_token", l.prefill_s_per_token);
    }
    if (auto dc = p.optional_table("decode")) {
      q(*dc, "fixed", l.decode_s);
      q(*dc, "per_request", l.decode_s_per_request);
      q(*dc, "per_cached_token", l.decode_s_per_token);
      if (!(l.decode_time(1, 0) > 0)) dc->fail("fixed", "a decode iteration that takes time (fixed + per_request > 0)");
    }
    if (p.has("kv_tokens")) s.kv_tokens = static_cast<std::uint64_t>(p.integer("kv_tokens"));
    s.llm = true;
  }
  if (s.llm) {
    s.prefill_power_w = p.quantity_or("prefill_power", s.prefill_power_w);
    s.decode_power_w = p.quantity_or("decode_power", s.decode_power_w);
  } else {
    for (const char* k : {"prefill_power", "decode_power"}) {
      if (p.has(k)) p.fail(k, "no phase power without the LLM latency model (prefill, decode, kv_tokens)");
    }
  }
  s.finalise();
  return s;
}

std::map<std::string, GpuType> read_gpu_types(const std::vector<Params>& tables) {
  std::map<std::string, GpuType> out;
  for (const auto& n : gpu_preset_names()) out[n] = gpu_preset(n);
  for (const auto& t : tables) {
    const std::string name = t.name("name");
    std::string preset = name;
    if (t.has("preset")) {
      preset = t.text("preset");
      if (!out.count(preset)) {
        std::vector<std::string> known;
        for (const auto& [k, _] : out) known.push_back(k);
        const std::string hint = did_you_mean_hint(preset, known);
        t.fail("preset", "a GPU preset or a type defined above", hint);
      }
    }
    GpuType g;
    const bool have_base = out.count(preset) > 0;
    if (have_base) g = out.at(preset);
    g.name = name;
    const auto q = [&](const char* key, double& field) {
      field = have_base ? t.quantity_or(key, field) : t.quantity(key);
    };
    q("power_limit", g.power_limit_w);
    q("idle_power", g.idle_w);
    q("idle_loaded_power", g.idle_loaded_w);
    g.max_clock_mhz = t.quantity_or("max_clock", g.max_clock_mhz * 1e6) / 1e6;
    g.dvfs_exponent = t.quantity_or("dvfs_exponent", g.dvfs_exponent);
    if (auto sv = t.optional_table("service")) {
      for (const auto& k : sv->keys()) {
        const auto it = g.service.find(k);
        g.service[k] = read_service(sv->table(k), it == g.service.end() ? nullptr : &it->second);
      }
    }
    if (g.service.empty()) t.fail("service", "at least one [serving.gpu_types.service.<name>] table");
    for (const auto& [k, s] : g.service) {
      const double top = std::max({s.active_power_w, s.llm ? s.prefill_power_w : 0.0, s.llm ? s.decode_power_w : 0.0});
      if (top > g.power_limit_w * 1.0001) {
        t.fail("service", "active powers within the power limit (" + echo_number(g.power_limit_w) + " W)",
               "service '" + k + "' draws " + std::to_string(top) + " W");
      }
    }
    out[name] = std::move(g);
  }
  return out;
}

}  // namespace dcsim::serving
