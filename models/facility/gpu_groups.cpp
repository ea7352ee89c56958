// GPU thermal groups: each serving group's RC network, advanced at its power changes and at every step, its
// throttle controller, and the prediction of its next threshold crossing.
#include <algorithm>
#include <cmath>

#include "models/facility/impl.hpp"

namespace dcsim::facility {

void FacilityModel::Impl::build_prototype(ClusterT& ct, const ThermalPath& path, Path kind, double coolant_c) {
  thermal::NetworkBuilder b;
  ct.die = b.add_node("die", path.die_heat_capacity_j_k);
  ct.sink = b.add_node(kind == Path::air ? "heat_sink" : "cold_plate", path.sink_heat_capacity_j_k);
  ct.coolant = b.add_boundary("coolant", coolant_c);
  b.connect(ct.die, ct.sink, 1.0 / path.die_to_sink_k_w);
  b.connect(ct.sink, ct.coolant, 1.0 / path.sink_to_coolant_k_w);
  ct.proto = std::make_shared<thermal::Network>(b.build());
}

Group FacilityModel::Impl::make_group(ClusterT& ct, std::size_t g, double boundary_c) {
  Group grp(*ct.proto);
  grp.gpus = static_cast<std::uint32_t>(serving->group_gpus(ct.cluster, g));
  grp.net.set_boundary(ct.coolant, boundary_c);
  grp.net.set_power(ct.die, 0.0);
  std::vector<double> ss = grp.net.steady_state();
  grp.net.set_temperatures(ss);
  grp.last_s = engine ? now_s() : 0.0;
  grp.stored0_j = grp.net.stored_energy_j() * grp.gpus;
  return grp;
}

void FacilityModel::Impl::ensure_groups(ClusterT& ct) {
  const std::size_t n = serving->group_count(ct.cluster);
  while (ct.groups.size() < n) ct.groups.push_back(make_group(ct, ct.groups.size(), loops[ct.loop].supply_c));
}

void FacilityModel::Impl::advance_group(ClusterT& ct, std::size_t g) {
  Group& grp = ct.groups[g];
  const double now = now_s();
  const double h = now - grp.last_s;
  if (!(h > 0)) return;
  const double p = serving->group_power_w(ct.cluster, g) / grp.gpus;
  grp.net.set_power(ct.die, p);
  const double out = grp.net.advance(h) * grp.gpus;
  grp.heat_in_j += p * h * grp.gpus;
  grp.heat_out_j += out;
  loops[ct.loop].heat_acc_j += out;
  grp.last_s = now;
}

void FacilityModel::Impl::set_counts(ClusterT& ct) {
  std::uint32_t th = 0, dn = 0;
  std::array<std::uint32_t, kThrottleCauses> by{};
  const double cap = sites[ct.site].clock_cap;
  for (const Group& grp : ct.groups) {
    if (grp.state == kDown) {
      dn += grp.gpus;
    } else if (grp.applied < 1.0) {
      th += grp.gpus;
      by[throttle_cause(grp.state, grp.f_thermal, cap)] += grp.gpus;
    }
  }
  const SimTime now = engine->now();
  ct.throttled = th;
  ct.down = dn;
  ct.throttled_tw.set(now, th);
  ct.down_tw.set(now, dn);
  for (std::size_t k = 0; k < kThrottleCauses; ++k) {
    if (by[k] != ct.throttled_by[k]) ct.throttled_by_tw[k].set(now, by[k]);
    ct.throttled_by[k] = by[k];
  }
}

// The thermal controller of one group, at its current temperature.
bool FacilityModel::Impl::control(ClusterT& ct, std::size_t g) {
  Group& grp = ct.groups[g];
  const double T = die_temp(ct, g);
  ct.max_temp_c = std::max(ct.max_temp_c, T);
  const ThrottleState before = grp.state;
  const ThrottleDecision d = throttle(grp.state, T, ct.lim);
  if (d.state == kDown && before != kDown) serving->set_group_shutdown(ct.cluster, g, true);
  if (d.state != kDown && before == kDown) serving->set_group_shutdown(ct.cluster, g, false);
  grp.state = d.state;
  if (d.state != kDown) grp.f_thermal = d.clock;
  const double f = std::min(grp.f_thermal, sites[ct.site].clock_cap);
  const bool changed = f != grp.applied || before != grp.state;
  if (f != grp.applied) {
    grp.applied = f;
    serving->set_group_clock(ct.cluster, g, f);
  }
  return changed;
}

// Schedules an extra thermal step for a group whose temperature will cross a threshold before the next
// periodic step.
void FacilityModel::Impl::schedule_crossing(std::size_t ci, std::size_t g, double horizon_s) {
  ClusterT& ct = clusters[ci];
  Group& grp = ct.groups[g];
  engine->cancel(grp.crossing);
  const Limits& L = ct.lim;
  double t = kInf;
  const auto up = [&](double th) {
    t = std::min(t, grp.net.time_to_reach(ct.die, th, thermal::Crossing::rising, horizon_s));
  };
  const auto down = [&](double th) {
    t = std::min(t, grp.net.time_to_reach(ct.die, th, thermal::Crossing::falling, horizon_s));
  };
  switch (grp.state) {
    case kNormal: up(L.max_operating_c); break;
    case kSoftware: up(L.slowdown_c); down(L.max_operating_c); break;
    case kHardware: up(L.shutdown_c); down(L.max_operating_c); break;
    case kDown: down(L.restart_c); break;
  }
  if (!(t < horizon_s)) return;
  // Round up to the next nanosecond: at the scheduled instant the threshold has been reached.
  const SimTime at = engine->now() + SimTime::nanoseconds(static_cast<std::int64_t>(std::ceil(t * 1e9)) + 1);
  const auto c32 = static_cast<std::uint32_t>(ci);
  const auto g32 = static_cast<std::uint32_t>(g);
  grp.crossing = engine->schedule_at(at, phase::thermal, [this, c32, g32] { on_crossing(c32, g32); });
}

void FacilityModel::Impl::on_crossing(std::size_t ci, std::size_t g) {
  ClusterT& ct = clusters[ci];
  advance_group(ct, g);
  if (control(ct, g)) set_counts(ct);
  const double next_tick = (last_step + max_step).to_seconds();
  schedule_crossing(ci, g, std::max(0.0, next_tick - now_s()));
}

void FacilityModel::Impl::on_power_change(std::size_t c, std::size_t g, bool after) {
  ClusterT& ct = clusters[c];
  if (g >= ct.groups.size()) ensure_groups(ct);
  if (!after) {
    advance_group(ct, g);  // up to now, with the power that held until now
    return;
  }
  // The new power may bring a threshold crossing before the next step: predict it again. In the normal
  // state only a rise in power can bring the next crossing (87 °C, rising) nearer; a crossing predicted
  // with the higher power and no longer due just re-evaluates the group harmlessly when it fires.
  Group& grp = ct.groups[g];
  const double p_new = serving->group_power_w(c, g) / grp.gpus;
  const bool rose = p_new > grp.net.power(ct.die);
  grp.net.set_power(ct.die, p_new);
  if (grp.state == kNormal && !rose) return;
  const double next_tick = (last_step + max_step).to_seconds();
  schedule_crossing(c, g, std::max(0.0, next_tick - now_s()));
}

}  // namespace dcsim::facility
