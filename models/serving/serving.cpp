// The serving model's life: building it from the spec (spec.cpp reads the scenario), start (random
// streams, the initial fleet, probes), the end-of-run invariants, and the accessors and levers other models
// couple through (hazard, clocks, shutdowns). The rest is in the files listed in impl.hpp.
#include "models/serving/serving.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "models/serving/impl.hpp"

namespace dcsim::serving {

const char* to_string(Reject r) noexcept {
  switch (r) {
    case Reject::rate_limit: return "rate_limit";
    case Reject::quota: return "quota";
    case Reject::dropped: return "dropped";
    case Reject::queue_full: return "queue_full";
    case Reject::too_long: return "too_long";
  }
  return "?";
}

// ---- construction ---------------------------------------------------------------------------------------

ServingModel::~ServingModel() = default;

ServingModel::ServingModel(const Params& root, const sites::Layout& layout, const RunSettings& rs,
                           workload::RequestSource& wl)
    : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.self = this;
  m.source = &wl;
  m.horizon_s = rs.duration.to_seconds();
  for (std::size_t c = 0; c < wl.class_count(); ++c) m.class_names.push_back(wl.class_name(c));
  for (std::size_t k = 0; k < wl.tier_count(); ++k) m.tier_names.push_back(wl.tier_name(k));
  const std::size_t nc = m.class_names.size(), nt = m.tier_names.size();

  std::vector<bool> tokens;
  for (std::size_t c = 0; c < wl.class_count(); ++c) tokens.push_back(wl.has_tokens(c));
  ServingSpec spec = read_serving_spec(root, layout, m.class_names, m.tier_names, tokens);
  m.gpu_types = std::move(spec.gpu_types);
  m.lane_of_tier = std::move(spec.lane_of_tier);
  m.lanes = spec.lanes;
  m.retry_p = spec.retry_p;
  m.backoff = spec.backoff;
  m.max_attempts = spec.max_attempts;
  m.failure_rate_per_s = spec.failure_rate_per_s;
  m.repair_time = std::move(spec.repair_time);
  m.ttft_slo_s = spec.ttft_slo_s;
  m.tpot_slo_s = spec.tpot_slo_s;
  sites_ = std::move(spec.sites);
  for (const ClusterSpec& cs : spec.clusters) {
    Cluster cl;
    cl.name = cs.name;
    cl.site = cs.site;
    cl.cls = cs.cls;
    cl.type = &m.gpu_types.at(cs.gpu);
    cl.svc = &cl.type->service.at(cs.service);
    cl.gpus_per_group = cs.gpus_per_group;
    cl.overhead_per_gpu_w = cs.overhead_per_gpu_w;
    cl.max_batch = cs.max_batch;
    cl.max_wait = cs.max_wait;
    cl.queue_capacity = cs.queue_capacity;
    cl.weight = cs.weight;
    cl.continuous = cs.continuous;
    cl.prefill_budget = cs.prefill_budget;
    cl.chunked_prefill = cs.chunked_prefill;
    cl.lanes.assign(m.lanes, Lane{});
    cl.tiers.resize(nt);
    m.clusters.push_back(std::move(cl));
  }
  m.by_class = std::move(spec.by_class);
  m.router = Router(spec.policy, spec.d, m.by_class, m.clusters, sites_, routing_hook_);
  m.admission = AdmissionRules(spec.rules, nc, nt, Calendar(rs.start_epoch), wl);
  // The initial GPUs of each cluster first (changes [0, clusters)), then the scheduled changes.
  for (const FleetChangeSpec& ch : spec.changes) m.changes.push_back(FleetChange{ch, {}});

  m.stats.resize(nc * nt);
  m.retries_c.assign(nc, 0);
  m.rejected_c.assign(nc, 0);
  m.given_up_c.assign(nc, 0);
  wl.set_sink(this);
}

// ---- running --------------------------------------------------------------------------------------------

void ServingModel::start(Engine& engine) {
  Impl& m = *impl_;
  m.engine = &engine;
  m.router.set_rng(engine.stream("serving.routing"));
  m.admission.set_rng(engine.stream("serving.admission"));
  m.retry_rng = engine.stream("serving.retry");
  for (auto& cl : m.clusters) {
    cl.service_rng = engine.stream("serving." + cl.name + ".service");
    cl.failure_rng = engine.stream("serving." + cl.name + ".failures");
    cl.repair_rng = engine.stream("serving." + cl.name + ".repairs");
  }
  // The initial fleet comes on line at t = 0, before any arrival; later changes at their times.
  for (std::size_t k = 0; k < m.changes.size(); ++k) {
    if (m.changes[k].at_s == 0.0 && k < m.clusters.size()) {
      m.apply_change(k);
    } else {
      const auto k32 = static_cast<std::uint32_t>(k);
      engine.schedule_at(SimTime::from_seconds(m.changes[k].at_s), phase::fleet, [this, k32] { impl_->apply_change(k32); });
    }
  }

  m.register_probes(engine.probes());
}

void ServingModel::check_invariants(SimTime now) const {
  const Impl& m = *impl_;
  // Conservation of attempts, per class.
  for (std::size_t c = 0; c < m.class_names.size(); ++c) {
    std::uint64_t attempts = 0, done = 0, rejected = 0, abandoned = 0, shed = 0, in_system = 0;
    for (std::size_t k = 0; k < m.tier_names.size(); ++k) {
      const ClassStats& s = m.stats[m.ct(c, k)];
      attempts += s.attempts;
      done += s.completed;
      abandoned += s.abandoned;
      shed += s.shed;
      for (const auto r : s.rejected) rejected += r;
    }
    for (const std::size_t ci : m.by_class[c]) in_system += m.clusters[ci].queued + m.clusters[ci].in_service;
    if (attempts != done + rejected + abandoned + shed + in_system) {
      throw SimulationError(now, "serving, class " + m.class_names[c],
                            "attempts " + std::to_string(attempts) + " != completed " + std::to_string(done) +
                                " + rejected " + std::to_string(rejected) + " + abandoned " + std::to_string(abandoned) +
                                " + shed " + std::to_string(shed) + " + in system " + std::to_string(in_system));
    }
  }
  for (const Cluster& cl : m.clusters) {
    // Busy GPU time never exceeds the GPU time on line.
    if (cl.busy_tw.integral(now) > cl.operational_tw.integral(now) * (1 + 1e-12) + 1e-6) {
      throw SimulationError(now, "cluster " + cl.name, "busy GPU time exceeds the GPU time on line");
    }
    // Energy two ways: per GPU (integrated at each of its power changes) plus server overhead, against the
    // cluster's time-weighted power.
    double per_gpu = cl.overhead.integral(now);
    for (const Gpu& g : cl.gpus) per_gpu += g.energy_j + g.power_w * (now.to_seconds() - g.last_s);
    const double total = cl.power.integral(now);
    if (std::abs(per_gpu - total) > 1e-9 * std::max(1.0, std::abs(total))) {
      throw SimulationError(now, "cluster " + cl.name,
                            "energy mismatch: ∫ power = " + std::to_string(total) + " J but the GPUs and servers sum to " +
                                std::to_string(per_gpu) + " J");
    }
  }
}

// ---- coupling accessors -----------------------------------------------------------------------------------

void ServingModel::set_hazard(std::function<double(std::size_t, std::size_t)> multiplier, double bound) {
  impl_->hazard = std::move(multiplier);
  impl_->hazard_bound = std::max(1.0, bound);
}
std::size_t ServingModel::cluster_count() const noexcept { return impl_->clusters.size(); }
std::size_t ServingModel::group_count(std::size_t c) const { return impl_->clusters[c].groups.size(); }
std::size_t ServingModel::group_gpus(std::size_t c, std::size_t g) const { return impl_->clusters[c].groups[g].count; }
double ServingModel::group_power_w(std::size_t c, std::size_t g) const { return impl_->clusters[c].groups[g].power_w; }
double ServingModel::group_clock(std::size_t c, std::size_t g) const { return impl_->clusters[c].groups[g].clock; }
const std::string& ServingModel::cluster_name(std::size_t c) const { return impl_->clusters[c].name; }
std::size_t ServingModel::cluster_site(std::size_t c) const { return impl_->clusters[c].site; }
const GpuType& ServingModel::cluster_gpu_type(std::size_t c) const { return *impl_->clusters[c].type; }
double ServingModel::cluster_power_w(std::size_t c) const {
  const Cluster& cl = impl_->clusters[c];
  return cl.gpu_power_w + cl.overhead_w;
}
double ServingModel::cluster_energy_j(std::size_t c) const {
  return impl_->clusters[c].power.integral(impl_->engine->now());
}
double ServingModel::cluster_overhead_energy_j(std::size_t c) const {
  return impl_->clusters[c].overhead.integral(impl_->engine->now());
}
double ServingModel::cluster_max_power_w(std::size_t c) const {
  const Cluster& cl = impl_->clusters[c];
  // The planned fleet: the initial GPUs (a change at t = 0) and every scheduled delivery.
  std::uint64_t n = 0;
  for (const auto& ch : impl_->changes) {
    if (ch.cluster == c && ch.kind == FleetChange::Kind::add) n += ch.gpus;
  }
  return static_cast<double>(n) * (cl.type->power_limit_w + cl.overhead_per_gpu_w);
}
std::size_t ServingModel::cluster_gpus(std::size_t c) const { return impl_->clusters[c].gpus.size(); }
std::size_t ServingModel::cluster_class(std::size_t c) const { return impl_->clusters[c].cls; }
const std::string& ServingModel::class_name(std::size_t cls) const { return impl_->class_names[cls]; }
std::size_t ServingModel::class_count() const noexcept { return impl_->class_names.size(); }
std::uint64_t ServingModel::cluster_completions_measured(std::size_t c) const {
  return impl_->clusters[c].completions - impl_->clusters[c].c_ms;
}

std::size_t ServingModel::site_index(const std::string& name) const {
  for (std::size_t i = 0; i < sites_.size(); ++i) {
    if (sites_[i].name == name) return i;
  }
  return sites_.size();
}

void ServingModel::set_group_clock(std::size_t ci, std::size_t gi, double f) {
  Impl& m = *impl_;
  Cluster& cl = m.clusters[ci];
  Group& grp = cl.groups[gi];
  if (grp.clock == f) return;
  grp.clock = f;
  if (cl.continuous) {
    for (std::uint32_t g = grp.first; g < grp.first + grp.count; ++g) {
      cl.llm[g].set_speed(f);
      m.llm_rearm(ci, g);  // a slower clock voids the batcher's promises of first tokens
      if (cl.gpus[g].state == kBusy) m.llm_sync(ci, g);  // the phase's power at the new clock
    }
    return;
  }
  for (std::uint32_t g = grp.first; g < grp.first + grp.count; ++g) {
    if (cl.gpus[g].state == kBusy) m.set_gpu_power(ci, g, cl.type->busy_power_w(*cl.svc, f));
  }
}

void ServingModel::set_group_shutdown(std::size_t ci, std::size_t gi, bool down) {
  Impl& m = *impl_;
  Cluster& cl = m.clusters[ci];
  Group& grp = cl.groups[gi];
  if (grp.down == down) return;
  grp.down = down;
  for (std::uint32_t g = grp.first; g < grp.first + grp.count; ++g) {
    Gpu& gpu = cl.gpus[g];
    if (down) {
      if (gpu.state == kBusy) {
        m.requeue_batch(ci, g);
      } else if (gpu.state == kIdle) {
        m.remove_idle(cl, g);
      } else {
        continue;  // failed or off: stays so
      }
      if (gpu.leaving) {
        gpu.leaving = false;
        gpu.state = kOff;
        ++cl.off;
      } else {
        gpu.state = kDown;
        ++cl.down;
      }
      m.set_gpu_power(ci, g, 0.0);
    } else if (gpu.state == kDown) {
      --cl.down;
      m.make_idle(ci, g);
    }
  }
  m.update_overhead(cl);
  m.update_counts(cl);
  m.arm_missing_timers(cl);
  m.dispatch(ci);
}

}  // namespace dcsim::serving
