// A lumped thermal RC network, in the thermal–electrical duality of HotSpot (Huang, Skadron, Stan et al.,
// "HotSpot: a compact thermal modeling methodology for early-stage VLSI design", IEEE TVLSI 14(5), 2006):
// temperature ↔ voltage, heat flow ↔ current, thermal conductance ↔ conductance, heat capacity ↔ capacitance.
//
// Interior nodes i = 1..n with heat capacity C_i > 0 (J/K) and temperature T_i (°C), conductances G_ij > 0
// (W/K) between nodes, boundary nodes b held at given temperatures T_b (a cooling loop's supply, room air).
// With heat input P_i (W), piecewise constant between calls:
//
//   C dT/dt = P + G_b T_b − L T,   L_ii = Σ_j G_ij over all neighbours (boundaries included),
//                                  L_ij = −G_ij between interior nodes,  (G_b)_ib = G_ib.
//
// L is symmetric positive definite when every interior node reaches a boundary (build() checks it), so
// M = C⁻¹L is similar to S = C^{-1/2} L C^{-1/2} = Q Λ Qᵀ with Q orthogonal and 0 < λ_1 ≤ … ≤ λ_n. With
// V = C^{-1/2} Q, V⁻¹ = Qᵀ C^{1/2} and the steady state T∞ = L⁻¹ (P + G_b T_b), a step of length h is
//
//   T(h) = T∞ + V e^{−Λh} V⁻¹ (T(0) − T∞),
//
// exact for piecewise-constant inputs and stable for any h however stiff (e^{−λh} ∈ (0, 1]); time
// constants τ_k = 1/λ_k. No implicit-Euler fallback is needed: the decomposition is computed once per
// network shape, cannot fail for a validated network, and the update has no step-size restriction.
// The state is kept in modal coordinates z = V⁻¹ T, so a step costs n exponentials, one n×n product (two
// when the inputs changed) and O(n m) for the heat into the m boundaries, and allocates nothing.
//
// Heat into boundary b over a step, exact: Q_b = Σ_i G_ib ∫₀ʰ (T_i − T_b) dt with
//   ∫₀ʰ T dt = h T∞ + V diag((1 − e^{−λ_k h}) / λ_k) V⁻¹ (T(0) − T∞),
// so that Σ P h = Σ_b Q_b + Δ Σ_i C_i T_i holds to rounding.
//
// Threshold crossings: T_j(t) = T∞_j + Σ_k a_k e^{−λ_k t} need not be monotone (a die overshoots while its
// heat sink is still warm). time_to_reach() finds the first crossing by branch and bound. Each term is
// monotone in t, so on [u, v] max T_j ≤ T∞_j + Σ_k max(a_k e^{−λ_k u}, a_k e^{−λ_k v}), and likewise for
// the derivative. An interval is discarded only when these bounds prove that T_j stays short of the
// threshold on it (or moves away from it); the others are halved, left half first. Once the derivative
// bound proves T_j monotone on an interval whose ends bracket the threshold, its single root is polished
// by bracketed Newton. Since nothing is discarded without proof and intervals are settled left to right,
// no earlier crossing is missed; the one exception is a graze that comes within rounding (~1e-14 of the
// temperatures) of the threshold without the computed temperature crossing it. Typically a handful of
// intervals and ~7 Newton steps; a call where the bounds exclude a crossing at once costs O(n).
// "Reached" means T ≥ θ (rising) or T ≤ θ (falling), so at the crossing instant both directions count as
// reached: schedule the way back with hysteresis (throttle at 87 °C, release at 85 °C).
//
// Numerics: S is diagonalised once by cyclic Jacobi stopped by |s_pq| ≤ ε √(s_pp s_qq), which yields the
// eigenvalues of graded positive definite matrices (stiff networks) to high relative accuracy (Demmel and
// Veselić, SIAM J. Matrix Anal. Appl. 13(4), 1992); L⁻¹ comes from a Cholesky factorisation, so T∞ does not
// rest on the accuracy of the smallest eigenvalue. Suitable for n up to ~50 (O(n³) set-up).
//
// Description and validation use Boost.Graph (an undirected adjacency_list; connected_components() finds
// nodes without a path to a boundary); the hot loop uses flat arrays only. Copies of a Network share the
// immutable precomputed matrices, so one network per group of identical servers is cheap. Values for
// C and R (junction–coolant 0.02–0.04 K/W for cold plates, ≈0.07 K/W for air; time constants ms–1 s for
// the die, 10–30 s for the sink) are in DOMAIN.md §4 and belong to the callers.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/graph/adjacency_list.hpp>

namespace dcsim::thermal {

// An interior node (has a heat capacity) and a boundary node (held at a given temperature); indices
// count each kind separately, in the order the nodes were added.
struct NodeId {
  std::size_t index = 0;
};
struct BoundaryId {
  std::size_t index = 0;
};

// rising: the first time T ≥ threshold; falling: the first time T ≤ threshold.
enum class Crossing { rising, falling };

struct NodeProperties {
  std::string name;
  double heat_capacity_j_k = 0;  // 0 for a boundary node
  bool is_boundary = false;
};

struct EdgeProperties {
  double conductance_w_k = 0;  // parallel edges add
};

using NetworkGraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, NodeProperties, EdgeProperties>;

class Network;

// Collects the description; checks each call at once (names unique and non-empty, capacities and
// conductances positive and finite, no self-loops or boundary–boundary edges) and, in build(), that every
// interior node reaches a boundary. Errors are std::invalid_argument naming the node(s).
class NetworkBuilder {
 public:
  NodeId add_node(std::string name, double heat_capacity_j_k);
  BoundaryId add_boundary(std::string name, double temp_c);
  void connect(NodeId a, NodeId b, double conductance_w_k);
  void connect(NodeId a, BoundaryId b, double conductance_w_k);
  const NetworkGraph& graph() const noexcept { return graph_; }
  // Starts at rest: interior temperatures at the zero-power steady state, all powers 0.
  Network build() const;

 private:
  using Vertex = NetworkGraph::vertex_descriptor;
  Vertex add_vertex(std::string name, double heat_capacity_j_k, bool is_boundary);
  void add_edge(Vertex a, Vertex b, double conductance_w_k);

  NetworkGraph graph_;
  std::vector<Vertex> node_vertex_, boundary_vertex_;
  std::vector<double> boundary_temp_c_;
  std::map<std::string, Vertex, std::less<>> vertex_by_name_;
};

// The state (temperatures, powers, boundary temperatures) of one network. Not safe for concurrent calls on
// one object, const ones included (they refresh a cache); distinct copies are independent.
class Network {
 public:
  std::size_t size() const noexcept { return temp_c_.size(); }  // interior nodes
  std::size_t boundary_count() const noexcept { return boundary_temp_c_.size(); }
  const std::string& name(NodeId node) const;
  const std::string& name(BoundaryId boundary) const;
  NodeId node(std::string_view name) const;  // throws std::invalid_argument if there is none
  double heat_capacity_j_k(NodeId node) const;
  // τ_k = 1/λ_k, longest first.
  std::span<const double> time_constants_s() const noexcept;

  void set_temperatures(std::span<const double> temps_c);
  void set_temperatures(double temp_c);  // all interior nodes
  double temperature(NodeId node) const;
  std::span<const double> temperatures() const noexcept { return temp_c_; }
  void set_boundary(BoundaryId boundary, double temp_c);
  double boundary_temperature(BoundaryId boundary) const;
  void set_power(NodeId node, double power_w);
  void set_powers(std::span<const double> powers_w);
  double power(NodeId node) const;

  // Exact update over h_s ≥ 0 seconds with the current inputs. Returns the heat that flowed into all
  // boundaries during the step (J; negative if they heated the network); the overload also gives it per
  // boundary (heat_to_boundary_j.size() == boundary_count()).
  double advance(double h_s);
  double advance(double h_s, std::span<double> heat_to_boundary_j);

  // T∞ = L⁻¹ (P + G_b T_b) for the current inputs.
  void steady_state(std::span<double> out_c) const;
  std::vector<double> steady_state() const;
  // Σ C_i T_i, relative to 0 °C.
  double stored_energy_j() const noexcept;

  // The earliest t in [0, max_h_s] at which T_node(t) ≥ threshold_c (rising) or ≤ threshold_c (falling)
  // with the current inputs held; 0 if that already holds now, +inf if it does not happen by max_h_s
  // (which may be +inf). The returned time is at or just after the crossing (by at most ~8ε relative, or
  // ε/2 of the shortest time constant), so advancing by it puts the node on the far side up to rounding of
  // the temperature (~1e-14 relative); callers converting to integer time should round up.
  double time_to_reach(NodeId node, double threshold_c, Crossing direction, double max_h_s) const;

 private:
  friend class NetworkBuilder;
  struct Structure;
  explicit Network(std::shared_ptr<const Structure> structure, std::span<const double> boundary_temp_c);
  void refresh_forcing() const;
  std::size_t checked(NodeId node) const;
  std::size_t checked(BoundaryId boundary) const;

  std::shared_ptr<const Structure> s_;
  std::vector<double> temp_c_;                 // T = V z, kept in step with modal_
  std::vector<double> modal_;                  // z
  std::vector<double> power_w_;                // P
  std::vector<double> boundary_temp_c_;        // T_b
  mutable std::vector<double> modal_steady_;   // z∞ = V⁻¹ L⁻¹ (P + G_b T_b)
  mutable std::vector<double> forcing_w_;      // P + G_b T_b
  mutable std::vector<double> steady_heat_w_;  // steady heat flow into each boundary for the inputs
  mutable std::vector<double> work_;           // n scratch values
  mutable bool forcing_stale_ = true;
};

}  // namespace dcsim::thermal
