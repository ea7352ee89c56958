#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/thermal/network.hpp"

using namespace dcsim::thermal;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Uniform on [0, 1) from the raw bits of mt19937_64, whose output the standard fixes (the standard
// distributions are not portable).
double uniform01(std::mt19937_64& rng) { return std::ldexp(static_cast<double>(rng() >> 11), -53); }
double log_uniform(std::mt19937_64& rng, double lo, double hi) { return lo * std::pow(hi / lo, uniform01(rng)); }
std::size_t pick(std::mt19937_64& rng, std::size_t n) {
  return std::min(n - 1, static_cast<std::size_t>(uniform01(rng) * static_cast<double>(n)));
}

double rel_err(double got, double want) { return std::abs(got - want) / std::max(std::abs(want), 1e-300); }

// The message of the std::invalid_argument thrown by f (empty if none was thrown).
template <typename F>
std::string invalid_argument_message(F&& f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return {};
}

// A die–sink–ambient Cauer ladder (DOMAIN.md §4).
struct Ladder {
  double die_c_j_k, sink_c_j_k, die_sink_w_k, sink_air_w_k, air_c;
  NodeId die{}, sink{};
  BoundaryId air{};
  Network build() {
    NetworkBuilder b;
    die = b.add_node("die", die_c_j_k);
    sink = b.add_node("sink", sink_c_j_k);
    air = b.add_boundary("air", air_c);
    b.connect(die, sink, die_sink_w_k);
    b.connect(sink, air, sink_air_w_k);
    return b.build();
  }
};

// A random connected network: n nodes, m boundaries, every node reaching boundary 0 through a random
// spanning tree, plus extra edges; capacities and conductances spread over several decades.
Network random_network(std::mt19937_64& rng, std::size_t n, std::size_t m) {
  NetworkBuilder b;
  std::vector<NodeId> nodes;
  std::vector<BoundaryId> bounds;
  for (std::size_t i = 0; i < n; ++i) nodes.push_back(b.add_node("n" + std::to_string(i), log_uniform(rng, 1e-2, 1e4)));
  for (std::size_t j = 0; j < m; ++j)
    bounds.push_back(b.add_boundary("b" + std::to_string(j), 15 + 30 * uniform01(rng)));
  b.connect(nodes[0], bounds[0], log_uniform(rng, 0.1, 1e3));
  for (std::size_t i = 1; i < n; ++i) b.connect(nodes[i], nodes[pick(rng, i)], log_uniform(rng, 0.1, 1e3));
  for (std::size_t j = 1; j < m; ++j) b.connect(nodes[pick(rng, n)], bounds[j], log_uniform(rng, 0.1, 1e3));
  for (std::size_t e = 0; e < n / 2; ++e) {
    const std::size_t i = pick(rng, n), k = pick(rng, n);
    if (i != k) b.connect(nodes[i], nodes[k], log_uniform(rng, 0.1, 1e3));
  }
  return b.build();
}

// T_node(t) with the current inputs held, by an exact step on a copy.
double temperature_after(const Network& net, NodeId node, double t) {
  Network copy = net;
  copy.advance(t);
  return copy.temperature(node);
}

}  // namespace

TEST_CASE("a single node's step response is T_b + P R (1 - exp(-t/RC)) for one big step or many small ones",
          "[thermal]") {
  const double c_j_k = 400, r_k_w = 0.07, power_w = 700, air_c = 25, tau_s = r_k_w * c_j_k;
  NetworkBuilder b;
  const NodeId gpu = b.add_node("gpu", c_j_k);
  const BoundaryId air = b.add_boundary("air", air_c);
  b.connect(gpu, air, 1 / r_k_w);
  Network net = b.build();
  REQUIRE(net.size() == 1);
  REQUIRE(net.temperature(gpu) == Approx(air_c).epsilon(1e-15));
  REQUIRE(net.time_constants_s().size() == 1);
  CHECK(rel_err(net.time_constants_s()[0], tau_s) < 1e-14);
  net.set_power(gpu, power_w);

  for (double t = 1e-4; t < 2000; t *= 1.7) {
    const double want_c = air_c - power_w * r_k_w * std::expm1(-t / tau_s);
    const double want_heat_j = power_w * (t + tau_s * std::expm1(-t / tau_s));  // ∫ (T − T_b)/R dt
    Network one = net;
    const double heat_j = one.advance(t);
    Network many = net;
    double many_heat_j = 0;
    for (int i = 0; i < 1000; ++i) many_heat_j += many.advance(t / 1000);
    INFO("t = " << t << " s: one step " << one.temperature(gpu) << ", 1000 steps " << many.temperature(gpu)
                << ", analytic " << want_c);
    CHECK(rel_err(one.temperature(gpu), want_c) < 1e-12);
    CHECK(rel_err(many.temperature(gpu), want_c) < 1e-12);
    CHECK(rel_err(many.temperature(gpu), one.temperature(gpu)) < 1e-12);
    // Heat is exact relative to the heat put in (it is a small difference of it early on).
    CHECK(std::abs(heat_j - want_heat_j) < 1e-12 * power_w * t);
    CHECK(std::abs(many_heat_j - want_heat_j) < 1e-12 * power_w * t);
  }
}

TEST_CASE("steady states match resistor networks solved by hand", "[thermal]") {
  SECTION("a die-heatsink-air chain") {
    Ladder l{10, 400, 50, 20, 25};  // R_ds = 0.02 K/W, R_sa = 0.05 K/W
    Network net = l.build();
    net.set_power(l.die, 700);
    const auto t = net.steady_state();
    CHECK(rel_err(t[l.sink.index], 25 + 700 * 0.05) < 1e-9);
    CHECK(rel_err(t[l.die.index], 25 + 700 * (0.05 + 0.02)) < 1e-9);
    net.advance(1e6);
    CHECK(rel_err(net.temperature(l.die), 74) < 1e-9);
  }
  SECTION("two dies on a shared cold plate cooled by water and air") {
    NetworkBuilder b;
    const NodeId d1 = b.add_node("die1", 20), d2 = b.add_node("die2", 20), plate = b.add_node("plate", 800);
    const BoundaryId water = b.add_boundary("water", 30), air = b.add_boundary("air", 20);
    b.connect(d1, plate, 50);
    b.connect(d2, plate, 50);
    b.connect(plate, water, 100);
    b.connect(plate, air, 10);
    Network net = b.build();
    net.set_power(d1, 500);
    net.set_power(d2, 250);
    // Plate: 750 = 100 (T − 30) + 10 (T − 20), so T = 3950/110; each die sits P/G above it.
    const double plate_c = 3950.0 / 110;
    const auto t = net.steady_state();
    CHECK(rel_err(t[plate.index], plate_c) < 1e-9);
    CHECK(rel_err(t[d1.index], plate_c + 10) < 1e-9);
    CHECK(rel_err(t[d2.index], plate_c + 5) < 1e-9);
    net.advance(1e6);
    std::vector<double> heat_j(2);
    net.advance(100, heat_j);
    CHECK(rel_err(heat_j[water.index], 100 * 100 * (plate_c - 30)) < 1e-9);
    CHECK(rel_err(heat_j[air.index], 100 * 10 * (plate_c - 20)) < 1e-9);
  }
  SECTION("a mesh: two coupled nodes each tied to ambient") {
    NetworkBuilder b;
    const NodeId a = b.add_node("a", 5), c = b.add_node("c", 7);
    const BoundaryId amb = b.add_boundary("ambient", 20);
    b.connect(a, c, 10);
    b.connect(a, amb, 10);
    b.connect(c, amb, 10);
    Network net = b.build();
    net.set_power(a, 100);
    // c: 0 = 10 (T_c − 20) + 10 (T_c − T_a); a: 100 = 10 (T_a − 20) + 10 (T_a − T_c): T_a = 80/3, T_c = 70/3.
    const auto t = net.steady_state();
    CHECK(rel_err(t[a.index], 80.0 / 3) < 1e-9);
    CHECK(rel_err(t[c.index], 70.0 / 3) < 1e-9);
  }
}

TEST_CASE("heat in equals heat to boundaries plus the change of stored heat over random power sequences", "[thermal]") {
  std::mt19937_64 rng(20250325);
  for (int trial = 0; trial < 40; ++trial) {
    const std::size_t n = 2 + pick(rng, 9), m = 1 + pick(rng, 3);
    Network net = random_network(rng, n, m);
    std::vector<double> temps(n);
    for (auto& x : temps) x = 20 + 60 * uniform01(rng);
    net.set_temperatures(temps);
    const double e0_j = net.stored_energy_j();
    double in_j = 0, out_j = 0;
    std::vector<double> per_boundary_j(m);
    for (int seg = 0; seg < 200; ++seg) {
      net.set_power(NodeId{pick(rng, n)}, 1000 * uniform01(rng));
      if (uniform01(rng) < 0.1) net.set_boundary(BoundaryId{pick(rng, m)}, 15 + 30 * uniform01(rng));
      const double h_s = log_uniform(rng, 1e-4, 1e4);
      double step_in_j = 0;
      for (std::size_t i = 0; i < n; ++i) step_in_j += net.power(NodeId{i}) * h_s;
      const double before_j = net.stored_energy_j();
      const double step_out_j = net.advance(h_s, per_boundary_j);
      double sum_j = 0;
      for (const double q : per_boundary_j) sum_j += q;
      REQUIRE(rel_err(sum_j, step_out_j) < 1e-12);
      const double delta_j = net.stored_energy_j() - before_j;
      // Per step, rounding in ΔE is relative to the stored heat itself.
      CHECK(std::abs(step_in_j - step_out_j - delta_j) <=
            1e-9 * std::max({std::abs(step_in_j), std::abs(step_out_j), std::abs(delta_j)}) +
                1e-13 * std::abs(before_j));
      in_j += step_in_j;
      out_j += step_out_j;
    }
    const double delta_j = net.stored_energy_j() - e0_j;
    INFO("trial " << trial << ": n = " << n << ", in " << in_j << " J, out " << out_j << " J, stored " << delta_j);
    CHECK(std::abs(in_j - out_j - delta_j) <= 1e-9 * std::max(std::abs(in_j), std::abs(out_j)));
  }
}

TEST_CASE("a stiff network with 1 ms and 1000 s time constants stays exact with one-hour steps", "[thermal]") {
  // τ_fast ≈ C_d / G_ds = 1 ms; τ_slow ≈ C_s / G_sa = 1000 s (the die's capacity is negligible).
  Ladder l{0.05, 20000, 50, 20, 25};
  Network net = l.build();
  const auto tau = net.time_constants_s();
  REQUIRE(tau.size() == 2);
  CHECK(tau[0] == Approx(1000).epsilon(0.01));
  CHECK(tau[1] == Approx(1e-3).epsilon(0.01));

  // Independent closed form in long double: eigenpairs of M = C⁻¹L from the 2×2 characteristic polynomial.
  using LD = long double;
  const LD a = LD(l.die_sink_w_k) / l.die_c_j_k, bb = -LD(l.die_sink_w_k) / l.die_c_j_k;
  const LD c = -LD(l.die_sink_w_k) / l.sink_c_j_k, d = LD(l.die_sink_w_k + l.sink_air_w_k) / l.sink_c_j_k;
  const LD tr = a + d, det = a * d - bb * c;
  const LD lam_fast = (tr + std::sqrt(tr * tr - 4 * det)) / 2, lam_slow = det / lam_fast;
  const double power_w = 700;
  const LD sink_inf = l.air_c + power_w / LD(l.sink_air_w_k), die_inf = sink_inf + power_w / LD(l.die_sink_w_k);
  auto closed_form = [&](LD t, LD die0, LD sink0) {
    // Eigenvectors (b, λ − a): first component −G/C_d ≠ 0 for both.
    const LD v1[2] = {bb, lam_slow - a}, v2[2] = {bb, lam_fast - a};
    const LD r0 = die0 - die_inf, r1 = sink0 - sink_inf;
    const LD dd = v1[0] * v2[1] - v2[0] * v1[1];
    const LD al1 = (r0 * v2[1] - v2[0] * r1) / dd, al2 = (v1[0] * r1 - r0 * v1[1]) / dd;
    const LD e1 = std::exp(-lam_slow * t), e2 = std::exp(-lam_fast * t);
    return std::pair<double, double>{double(die_inf + al1 * v1[0] * e1 + al2 * v2[0] * e2),
                                     double(sink_inf + al1 * v1[1] * e1 + al2 * v2[1] * e2)};
  };

  const double die0 = 90, sink0 = 40;  // die far from the sink: the fast mode is excited
  const std::vector<double> start{die0, sink0};
  net.set_temperatures(start);
  net.set_power(l.die, power_w);
  for (const double t : {1e-5, 1e-3, 5e-3, 0.1, 10.0}) {
    const double die_c = temperature_after(net, l.die, t), sink_c = temperature_after(net, l.sink, t);
    const auto [want_die, want_sink] = closed_form(t, die0, sink0);
    INFO("t = " << t << " s");
    CHECK(rel_err(die_c, want_die) < 1e-12);
    CHECK(rel_err(sink_c, want_sink) < 1e-12);
  }
  double t = 0;
  for (int hour = 1; hour <= 10; ++hour) {
    net.advance(3600);
    t += 3600;
    const auto [want_die, want_sink] = closed_form(t, die0, sink0);
    INFO("after " << hour << " one-hour steps");
    CHECK(std::isfinite(net.temperature(l.die)));
    CHECK(rel_err(net.temperature(l.die), want_die) < 1e-12);
    CHECK(rel_err(net.temperature(l.sink), want_sink) < 1e-12);
    CHECK(net.temperature(l.die) <= double(die_inf) + 1e-9);  // no overshoot (explicit Euler would blow up)
  }
  // Mixed tiny and huge steps agree with the closed form too.
  Network mixed = l.build();
  mixed.set_temperatures(start);
  mixed.set_power(l.die, power_w);
  double tm = 0;
  for (int i = 0; i < 100; ++i) {
    const double h_s = i % 2 ? 1e-4 : 37.0;
    mixed.advance(h_s);
    tm += h_s;
  }
  const auto [want_die, want_sink] = closed_form(tm, die0, sink0);
  CHECK(rel_err(mixed.temperature(l.die), want_die) < 1e-12);
  CHECK(rel_err(mixed.temperature(l.sink), want_sink) < 1e-12);
}

TEST_CASE("time_to_reach finds the first of two crossings of an overshooting die", "[thermal]") {
  // The sink starts hot (80 °C) and the die cold: with 700 W the die rises within ~0.2 s to ~94 °C, then
  // falls with the sink towards its steady 74 °C. 85 °C is crossed upward, then downward.
  Ladder l{10, 400, 50, 20, 25};
  Network net = l.build();
  const std::vector<double> start{25, 80};
  net.set_temperatures(start);
  net.set_power(l.die, 700);
  const double horizon_s = 200;
  REQUIRE(temperature_after(net, l.die, horizon_s) < 85);  // the end of the window is below: no naive bracket

  // Brute force: the first grid point of a fine scan on the far side of the threshold.
  auto scan = [&](const Network& from, double threshold_c, Crossing dir, double dt) {
    Network copy = from;
    for (double t = dt; t <= horizon_s; t += dt) {
      copy.advance(dt);
      const double x = copy.temperature(l.die);
      if (dir == Crossing::rising ? x >= threshold_c : x <= threshold_c) return t;
    }
    return kInf;
  };
  const double dt = 1e-3;
  const double up_s = net.time_to_reach(l.die, 85, Crossing::rising, horizon_s);
  const double up_scan_s = scan(net, 85, Crossing::rising, dt);
  INFO("rising: " << up_s << " s, scan " << up_scan_s << " s");
  REQUIRE(up_s < 1);
  CHECK(up_s <= up_scan_s + 1e-12);
  CHECK(up_s > up_scan_s - dt - 1e-12);
  CHECK(temperature_after(net, l.die, up_s) >= 85);
  CHECK(temperature_after(net, l.die, up_s) == Approx(85).epsilon(1e-12));

  Network hot = net;
  hot.advance(up_s);
  CHECK(hot.time_to_reach(l.die, 85, Crossing::rising, horizon_s) == 0);
  // At the crossing T = 85 °C is both "≥ 85" and "≤ 85": a caller waits for the fall with hysteresis.
  const double down_s = hot.time_to_reach(l.die, 84, Crossing::falling, horizon_s);
  const double down_scan_s = scan(hot, 84, Crossing::falling, dt);
  INFO("falling: " << down_s << " s after the rise, scan " << down_scan_s << " s");
  REQUIRE(down_s > 1);
  REQUIRE(down_s < kInf);
  CHECK(down_s <= down_scan_s + 1e-9);
  CHECK(down_s > down_scan_s - dt - 1e-9);
  CHECK(temperature_after(hot, l.die, down_s) <= 84);
  CHECK(temperature_after(hot, l.die, down_s) == Approx(84).epsilon(1e-12));

  // Just below and just above the peak of the overshoot.
  double peak_c = 0;
  for (double t = 0; t < 2; t += 1e-4) peak_c = std::max(peak_c, temperature_after(net, l.die, t));
  CHECK(net.time_to_reach(l.die, peak_c - 1e-6, Crossing::rising, horizon_s) < 2);
  CHECK(net.time_to_reach(l.die, peak_c + 1e-3, Crossing::rising, horizon_s) == kInf);
  CHECK(net.time_to_reach(l.die, 60, Crossing::falling, kInf) == 0);     // already below
  CHECK(hot.time_to_reach(l.die, 60, Crossing::falling, kInf) == kInf);  // settles at 74 °C
  CHECK(hot.time_to_reach(l.die, 74.5, Crossing::falling, kInf) < kInf);
}

TEST_CASE("time_to_reach finds a millisecond spike that a coarse scan of a long window misses", "[thermal]") {
  // A hot spreader dumps its heat into a big cold sink within ~1 ms; the die beside it warms briefly
  // (a ~ms spike) and settles back with the sink near 25 °C.
  NetworkBuilder b;
  const NodeId die = b.add_node("die", 0.01), spreader = b.add_node("spreader", 0.1), sink = b.add_node("sink", 1000);
  b.connect(die, spreader, 10);
  b.connect(spreader, sink, 100);
  b.connect(sink, b.add_boundary("air", 25), 1);
  Network net = b.build();
  const std::vector<double> start{25, 100, 25};
  net.set_temperatures(start);
  double peak_c = 0, peak_s = 0;
  for (double t = 1e-6; t < 0.05; t += 1e-6) {
    const double x = temperature_after(net, die, t);
    if (x > peak_c) {
      peak_c = x;
      peak_s = t;
    }
  }
  REQUIRE(peak_c > 25.01);
  REQUIRE(peak_s < 0.01);
  const double threshold_c = 25 + 0.8 * (peak_c - 25);
  for (int k = 1; k <= 4000; ++k) REQUIRE(temperature_after(net, die, k * 0.25) < threshold_c);
  const double t = net.time_to_reach(die, threshold_c, Crossing::rising, 1000);
  INFO("peak " << peak_c << " °C at " << peak_s << " s; threshold " << threshold_c << " °C reached at " << t << " s");
  CHECK(t < peak_s);
  CHECK(temperature_after(net, die, t) == Approx(threshold_c).epsilon(1e-12));
  CHECK(temperature_after(net, die, 0.999 * t) < threshold_c);
  CHECK(net.time_to_reach(die, peak_c - 1e-6, Crossing::rising, 1000) < peak_s + 1e-6);
  CHECK(net.time_to_reach(die, peak_c + 1e-3, Crossing::rising, 1000) == kInf);  // sampled peak: ±1e-5 K
}

TEST_CASE("time_to_reach agrees with a brute-force scan on random networks", "[thermal]") {
  std::mt19937_64 rng(87);
  int crossings = 0, earlier_than_scan = 0;
  for (int trial = 0; trial < 150; ++trial) {
    const std::size_t n = 2 + pick(rng, 4);
    Network net = random_network(rng, n, 1 + pick(rng, 2));
    std::vector<double> temps(n);
    for (auto& x : temps) x = 20 + 80 * uniform01(rng);
    net.set_temperatures(temps);
    for (std::size_t i = 0; i < n; ++i)
      if (uniform01(rng) < 0.6) net.set_power(NodeId{i}, 2000 * uniform01(rng));
    const NodeId node{pick(rng, n)};
    const double horizon_s = 3 * net.time_constants_s()[0];
    const int points = 4000;
    const double dt = horizon_s / points;
    std::vector<double> path(points + 1);
    for (int k = 0; k <= points; ++k) path[k] = temperature_after(net, node, k * dt);
    const auto [lo, hi] = std::minmax_element(path.begin(), path.end());
    const double threshold_c = *lo + (*hi - *lo) * (0.05 + 0.9 * uniform01(rng));
    const Crossing dir = path[0] < threshold_c ? Crossing::rising : Crossing::falling;
    auto beyond = [&](double x) { return dir == Crossing::rising ? x >= threshold_c : x <= threshold_c; };
    double scan_s = kInf;
    for (int k = 0; k <= points; ++k)
      if (beyond(path[k])) {
        scan_s = k * dt;
        break;
      }
    const double got_s = net.time_to_reach(node, threshold_c, dir, horizon_s);
    INFO("trial " << trial << ": threshold " << threshold_c << ", found " << got_s << " s, scan " << scan_s << " s");
    REQUIRE(scan_s < kInf);  // the threshold lies inside the sampled range
    ++crossings;
    CHECK(got_s <= scan_s * (1 + 1e-12));
    const double at_c = temperature_after(net, node, got_s);
    CHECK(std::abs(at_c - threshold_c) <= 1e-9 * std::abs(threshold_c));
    if (got_s < scan_s - dt) {
      ++earlier_than_scan;  // a spike narrower than the grid: only genuine if the far side is really reached
      CHECK(beyond(at_c));
    }
  }
  INFO(earlier_than_scan << " of " << crossings << " crossings were spikes the scan missed");
  CHECK(earlier_than_scan <= crossings / 10);
}

TEST_CASE("the two-node Cauer ladder matches a fine RK4 integration of its two ODEs", "[thermal]") {
  Ladder l{20, 400, 50, 20, 30};
  Network net = l.build();
  struct Segment {
    double power_w, length_s;
  };
  const std::vector<Segment> profile{{700, 20}, {200, 15}, {900, 25}, {0, 10}};

  double td = l.air_c, ts = l.air_c, p = 0;
  auto rhs = [&](double d, double s, double& dd, double& ds) {
    dd = (p - (d - s) * l.die_sink_w_k) / l.die_c_j_k;
    ds = ((d - s) * l.die_sink_w_k - (s - l.air_c) * l.sink_air_w_k) / l.sink_c_j_k;
  };
  const double h = 1e-4;
  for (const auto& seg : profile) {
    p = seg.power_w;
    net.set_power(l.die, seg.power_w);
    for (int second = 0; second < seg.length_s; ++second) {
      for (int i = 0; i < 10000; ++i) {
        double k1d, k1s, k2d, k2s, k3d, k3s, k4d, k4s;
        rhs(td, ts, k1d, k1s);
        rhs(td + h / 2 * k1d, ts + h / 2 * k1s, k2d, k2s);
        rhs(td + h / 2 * k2d, ts + h / 2 * k2s, k3d, k3s);
        rhs(td + h * k3d, ts + h * k3s, k4d, k4s);
        td += h / 6 * (k1d + 2 * k2d + 2 * k3d + k4d);
        ts += h / 6 * (k1s + 2 * k2s + 2 * k3s + k4s);
      }
      net.advance(1.0);
      INFO(seg.power_w << " W segment, second " << second);
      CHECK(rel_err(net.temperature(l.die), td) < 1e-9);
      CHECK(rel_err(net.temperature(l.sink), ts) < 1e-9);
    }
  }
}

TEST_CASE("invalid networks are rejected with the offending node named", "[thermal]") {
  SECTION("an isolated node has no steady state") {
    NetworkBuilder b;
    const NodeId die = b.add_node("die", 10);
    b.connect(die, b.add_boundary("air", 25), 10);
    b.add_node("orphan", 5);
    const auto msg = invalid_argument_message([&] { (void)b.build(); });
    CHECK_THAT(msg, Catch::Contains("'orphan'") && Catch::Contains("no path to a boundary"));
  }
  SECTION("an island of nodes without a boundary has no steady state") {
    NetworkBuilder b;
    const NodeId die = b.add_node("die", 10), x = b.add_node("island_x", 5), y = b.add_node("island_y", 5);
    b.connect(die, b.add_boundary("air", 25), 10);
    b.connect(x, y, 3);
    const auto msg = invalid_argument_message([&] { (void)b.build(); });
    CHECK_THAT(msg, Catch::Contains("'island_x'") && Catch::Contains("'island_y'"));
  }
  SECTION("a network without boundaries") {
    NetworkBuilder b;
    b.add_node("lonely", 1);
    CHECK_THAT(invalid_argument_message([&] { (void)b.build(); }), Catch::Contains("'lonely'"));
  }
  SECTION("zero, negative or NaN conductance") {
    NetworkBuilder b;
    const NodeId die = b.add_node("die", 10), sink = b.add_node("sink", 100);
    const BoundaryId air = b.add_boundary("air", 25);
    for (const double g : {0.0, -1.0, std::nan("")}) {
      CHECK_THAT(invalid_argument_message([&] { b.connect(die, sink, g); }),
                 Catch::Contains("'die'") && Catch::Contains("'sink'"));
      CHECK_THAT(invalid_argument_message([&] { b.connect(sink, air, g); }),
                 Catch::Contains("'sink'") && Catch::Contains("'air'"));
    }
    CHECK_THAT(invalid_argument_message([&] { b.connect(die, die, 1); }), Catch::Contains("'die'"));
  }
  SECTION("duplicate names, empty names and non-positive heat capacities") {
    NetworkBuilder b;
    b.add_node("die", 10);
    b.add_boundary("air", 25);
    CHECK_THAT(invalid_argument_message([&] { b.add_node("die", 5); }), Catch::Contains("duplicate node name 'die'"));
    CHECK_THAT(invalid_argument_message([&] { b.add_boundary("die", 5); }), Catch::Contains("'die'"));
    CHECK_THAT(invalid_argument_message([&] { b.add_node("air", 5); }), Catch::Contains("'air'"));
    CHECK_THAT(invalid_argument_message([&] { b.add_node("hbm", 0); }), Catch::Contains("'hbm'"));
    CHECK_THAT(invalid_argument_message([&] { b.add_node("vrm", -3); }), Catch::Contains("'vrm'"));
    CHECK_FALSE(invalid_argument_message([&] { b.add_node("", 1); }).empty());
  }
  SECTION("out-of-range handles and bad arguments") {
    Ladder l{10, 400, 50, 20, 25};
    Network net = l.build();
    CHECK_THROWS_AS(net.temperature(NodeId{2}), std::out_of_range);
    CHECK_THROWS_AS(net.set_boundary(BoundaryId{1}, 30), std::out_of_range);
    CHECK_THROWS_AS(net.advance(-1), std::invalid_argument);
    CHECK_THROWS_AS(net.advance(std::nan("")), std::invalid_argument);
    CHECK_THROWS_AS(net.set_temperatures(std::vector<double>{1, 2, 3}), std::invalid_argument);
    CHECK_THROWS_AS(net.node("nope"), std::invalid_argument);
    CHECK_THAT(invalid_argument_message([&] { net.set_power(l.die, std::nan("")); }), Catch::Contains("'die'"));
    CHECK_THAT(invalid_argument_message([&] { net.set_boundary(l.air, kInf); }), Catch::Contains("'air'"));
  }
}

TEST_CASE("a network starts at rest, looks nodes up by name, and its copies are independent", "[thermal]") {
  NetworkBuilder b;
  const NodeId die = b.add_node("die", 10), sink = b.add_node("sink", 400);
  const BoundaryId water = b.add_boundary("water", 32), air = b.add_boundary("air", 22);
  b.connect(die, sink, 50);
  b.connect(sink, water, 40);
  b.connect(sink, air, 10);
  CHECK(boost::num_vertices(b.graph()) == 4);
  CHECK(boost::num_edges(b.graph()) == 3);
  Network net = b.build();
  CHECK(net.size() == 2);
  CHECK(net.boundary_count() == 2);
  CHECK(net.node("sink").index == sink.index);
  CHECK(net.name(air) == "air");
  // At rest the sink sits at the conductance-weighted mean of the boundaries: (40·32 + 10·22)/50 = 30 °C.
  CHECK(net.temperature(sink) == Approx(30).epsilon(1e-14));
  CHECK(net.temperature(die) == Approx(30).epsilon(1e-14));
  CHECK(net.advance(0) == 0);
  CHECK(net.advance(1000) == Approx(0).margin(1e-9));

  Network other = net;
  other.set_power(die, 500);
  other.advance(60);
  CHECK(other.temperature(die) > 40);
  CHECK(net.temperature(die) == Approx(30).epsilon(1e-14));
  net.set_boundary(water, 40);
  net.advance(1e5);
  CHECK(net.temperature(sink) == Approx((40 * 40 + 10 * 22) / 50.0).epsilon(1e-12));
  net.set_temperatures(50.0);
  CHECK(net.temperature(die) == Approx(50).epsilon(1e-14));
  CHECK(net.temperature(sink) == Approx(50).epsilon(1e-14));
}
