// The facility model's lifecycle: built from the spec (spec.cpp), started with the engine, stepped, checked.
// The other rooms are listed in impl.hpp.
#include "models/facility/facility.hpp"

#include <algorithm>
#include <stdexcept>
#include <cmath>

#include "models/facility/impl.hpp"
#include "models/reliability/arrhenius.hpp"

namespace dcsim::facility {

// ---- the step -------------------------------------------------------------------------------------------

void FacilityModel::Impl::step() {
  const SimTime now = engine->now();
  const double dt = (now - last_step).to_seconds();
  if (!(dt > 0)) return;
  const double t0 = last_step.to_seconds(), t1 = now.to_seconds();
  for (ClusterT& ct : clusters) {
    ensure_groups(ct);
    for (std::size_t g = 0; g < ct.groups.size(); ++g) advance_group(ct, g);
    const double oh = serving->cluster_overhead_energy_j(ct.cluster);
    loops[ct.loop].heat_acc_j += oh - ct.overhead_last_j;
    ct.overhead_last_j = oh;
    const double it = serving->cluster_energy_j(ct.cluster);
    ct.it_step_j = it - ct.it_last_j;
    ct.it_last_j = it;
  }
  for (Site& site : sites) {
    site.amb = site.climate->at(0.5 * (t0 + t1));
    double it_j = 0;
    for (const std::size_t c : site.clusters) it_j += clusters[c].it_step_j;
    double cooling_w = 0, water = 0;
    for (const std::size_t l : site.loops) {
      plant_step(loops[l], site, dt);
      cooling_w += loops[l].last_power_w;
      water += loops[l].last_water_m3_s * dt;
    }
    account_site(site, it_j, cooling_w, water, dt, t0, t1);
  }
  last_step = now;
  const double horizon = max_step.to_seconds();
  for (std::size_t ci = 0; ci < clusters.size(); ++ci) {
    ClusterT& ct = clusters[ci];
    for (std::size_t g = 0; g < ct.groups.size(); ++g) {
      ct.groups[g].net.set_boundary(ct.coolant, loops[ct.loop].supply_c);
      control(ct, g);
      schedule_crossing(ci, g, horizon);
    }
    // Every step, not only on a change of clock: the power cap can take over from temperature (or give
    // way to it) at the same clock, which changes the cause.
    set_counts(ct);
  }
}

// ---- construction ---------------------------------------------------------------------------------------

bool wanted(const Params& root, const sites::Layout& layout) {
  if (root.has("thermal")) return true;
  for (const auto& st : layout.sites) {
    if (st.table.has("cooling")) return true;
  }
  return false;
}

FacilityModel::~FacilityModel() = default;

FacilityModel::FacilityModel(const Params& root, const RunSettings& rs, serving::ServingModel& serving,
                             const sites::Layout& layout)
    : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.serving = &serving;
  m.calendar = Calendar(rs.start_epoch);
  if (serving.cluster_count() != layout.clusters.size() || serving.sites().size() != layout.sites.size()) {
    throw std::logic_error("facility: serving's sites and clusters are not the layout's");
  }
  FacilitySpec spec = read_spec(root, m.calendar, serving, layout);
  m.max_step = spec.max_step;
  m.activation_ev = spec.activation_ev;
  m.reference_c = spec.reference_c;
  m.hazard_on = spec.hazard_on;
  m.costs = spec.costs;
  for (std::size_t si = 0; si < spec.sites.size(); ++si) {
    SiteSpec& ss = spec.sites[si];
    Site site;
    site.name = layout.sites[si].name;
    site.repairs = serving.sites()[si].repairs;
    site.climate = std::move(ss.climate);
    site.carbon = std::move(ss.carbon);
    site.price = std::move(ss.price);
    site.ups = std::move(ss.ups);
    site.fixed_w = ss.fixed_w;
    site.grid_limit_w = ss.grid_limit_w;
    for (LoopSpec& ls : ss.loops) {
      Loop lp;
      lp.plant = ls.kind->make(ls);
      lp.spec = std::move(ls);
      lp.site = si;
      lp.units_up = lp.spec.units + lp.spec.spares;
      lp.supply_c = lp.spec.setpoint_c;
      lp.return_c = lp.supply_c;
      lp.stored0_j = lp.spec.heat_capacity_j_k * lp.supply_c;
      site.loops.push_back(m.loops.size());
      m.loops.push_back(std::move(lp));
    }
    for (std::size_t k = 0; k < ss.clusters.size(); ++k) {
      const ClusterSpec& cs = ss.clusters[k];
      ClusterT ct;
      ct.cluster = layout.sites[si].clusters[k];
      ct.site = si;
      ct.loop = site.loops[cs.loop];
      m.loops[ct.loop].clusters.push_back(m.clusters.size());
      ct.lim = cs.lim;
      Impl::build_prototype(ct, cs.path, m.loops[ct.loop].spec.path, m.loops[ct.loop].spec.setpoint_c);
      site.clusters.push_back(m.clusters.size());
      m.clusters.push_back(std::move(ct));
    }
    m.sites.push_back(std::move(site));
  }
}

void FacilityModel::start(Engine& engine) {
  Impl& m = *impl_;
  m.engine = &engine;
  for (std::size_t l = 0; l < m.loops.size(); ++l) {
    Loop& lp = m.loops[l];
    lp.rng = engine.stream("facility." + m.sites[lp.site].name + "." + lp.spec.name + ".units");
    m.schedule_unit_failure(l);
    for (const UnitOutage& o : lp.spec.outages) {
      const auto l32 = static_cast<std::uint32_t>(l);
      const int n = o.units;
      engine.schedule_at(SimTime::from_seconds(o.at_s), phase::cooling, [this, l32, n] {
        Impl& mm = *impl_;
        mm.step();
        mm.loops[l32].units_up = std::max(0, mm.loops[l32].units_up - n);
        mm.schedule_unit_failure(l32);
      });
      if (m.sites[lp.site].repairs) {
        engine.schedule_at(SimTime::from_seconds(o.at_s + o.duration_s), phase::cooling,
                           [this, l32, n] { impl_->unit_back(l32, n); });
      }
    }
  }
  // Groups exist once serving has put its initial fleet on line (serving starts first).
  for (ClusterT& ct : m.clusters) {
    m.ensure_groups(ct);
    ct.overhead_last_j = 0;
  }
  m.serving->set_power_listener(
      [this](std::size_t c, std::size_t g, bool after) { impl_->on_power_change(c, g, after); });
  if (m.hazard_on) {
    const double bound = reliability::arrhenius_factor(m.activation_ev, m.reference_c, 100.0);
    m.serving->set_hazard(
        [this, bound](std::size_t c, std::size_t g) {
          const Impl& mm = *impl_;
          const ClusterT& ct = mm.clusters[c];
          if (g >= ct.groups.size()) return 1.0;
          return std::min(bound, reliability::arrhenius_factor(mm.activation_ev, mm.reference_c, mm.die_temp(ct, g)));
        },
        bound);
  }
  m.ticker = std::make_unique<PeriodicTimer>(engine, m.max_step, phase::thermal, [this](SimTime) { impl_->step(); });
  m.ticker->start(m.max_step);

  add_probes(engine.probes());
}

void FacilityModel::check_invariants(SimTime now) const {
  const Impl& m = *impl_;
  // Read-only: the balances are taken as of now without advancing anything. Serving's energy integrals
  // run to now; a GPU group's network has taken its heat up to its own last advance (the power since then
  // is pending), and server overhead reaches the loops at the thermal steps (the overhead since the last
  // step is pending).
  // GPU heat into the networks equals the GPU energy serving integrated, and all IT heat is either
  // removed by a plant, stored in a GPU network or a loop, or pending.
  double gpu_in = 0, gpu_serving = 0, stored = 0, it_heat = 0, removed = 0, pending = 0;
  for (const ClusterT& ct : m.clusters) {
    const double overhead = m.serving->cluster_overhead_energy_j(ct.cluster);
    gpu_serving += m.serving->cluster_energy_j(ct.cluster) - overhead;
    it_heat += m.serving->cluster_energy_j(ct.cluster);
    pending += overhead - ct.overhead_last_j;
    for (std::size_t g = 0; g < ct.groups.size(); ++g) {
      const Group& grp = ct.groups[g];
      const double h = std::max(0.0, now.to_seconds() - grp.last_s);
      const double pending_in = h > 0 ? m.serving->group_power_w(ct.cluster, g) * h : 0.0;
      gpu_in += grp.heat_in_j + pending_in;
      pending += pending_in;
      stored += grp.net.stored_energy_j() * grp.gpus - grp.stored0_j;
    }
  }
  for (const Loop& lp : m.loops) {
    removed += lp.heat_removed_j;
    stored += lp.spec.heat_capacity_j_k * lp.supply_c - lp.stored0_j + lp.heat_acc_j;
  }
  stored += pending;
  const double scale = std::max(1.0, it_heat);
  if (std::abs(gpu_in - gpu_serving) > 1e-6 * scale) {
    throw SimulationError(now, "facility", "GPU heat into the thermal networks (" + std::to_string(gpu_in) +
                                               " J) differs from the GPU energy served (" + std::to_string(gpu_serving) + " J)");
  }
  if (std::abs(it_heat - removed - stored) > 1e-6 * scale) {
    throw SimulationError(now, "facility", "energy balance broken: IT heat " + std::to_string(it_heat) + " J != removed " +
                                               std::to_string(removed) + " J + stored " + std::to_string(stored) + " J");
  }
  // The throttled GPUs by cause add up to the throttled GPUs, now and as GPU-hours since t = 0.
  for (const ClusterT& ct : m.clusters) {
    std::uint32_t n = 0;
    double h = 0;
    for (std::size_t k = 0; k < kThrottleCauses; ++k) {
      n += ct.throttled_by[k];
      h += ct.throttled_by_tw[k].integral(now);
    }
    const double total = ct.throttled_tw.integral(now);
    if (n != ct.throttled || std::abs(h - total) > 1e-9 * std::max(1.0, total)) {
      throw SimulationError(now, "facility." + m.serving->cluster_name(ct.cluster),
                            "throttled GPUs by cause (" + std::to_string(n) + " now, " + std::to_string(h) +
                                " GPU-s) do not add up to the throttled GPUs (" + std::to_string(ct.throttled) + ", " +
                                std::to_string(total) + " GPU-s)");
    }
  }
  // Each site's facility energy, water and carbon are attributed to its clusters in full.
  for (const Site& site : m.sites) {
    double fac = 0, water = 0, co2 = 0;
    for (const std::size_t c : site.clusters) {
      fac += m.clusters[c].facility_j;
      water += m.clusters[c].water_m3;
      co2 += m.clusters[c].co2_kg;
    }
    const auto off = [](double part, double whole) { return std::abs(part - whole) > 1e-9 * std::max(1.0, std::abs(whole)); };
    if (!site.clusters.empty() && (off(fac, site.facility_j) || off(water, site.water_m3) || off(co2, site.co2_kg))) {
      throw SimulationError(now, "facility." + site.name,
                            "the clusters' shares of facility energy (" + std::to_string(fac) + " J), water or carbon do not "
                            "add up to the site's (" + std::to_string(site.facility_j) + " J)");
    }
  }
}

double FacilityModel::gpu_temperature_c(std::size_t cluster, std::size_t group) const {
  return impl_->die_temp(impl_->clusters[cluster], group);
}

double FacilityModel::loop_supply_c(std::size_t site, std::size_t loop) const {
  return impl_->loops[impl_->sites[site].loops[loop]].supply_c;
}

}  // namespace dcsim::facility
