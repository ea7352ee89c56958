#include "models/thermal/network.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <utility>

#include <boost/graph/connected_components.hpp>

namespace dcsim::thermal {

namespace {

constexpr double kEps = std::numeric_limits<double>::epsilon();
constexpr double kInf = std::numeric_limits<double>::infinity();

std::string quoted(std::string_view name) { return "'" + std::string(name) + "'"; }

[[noreturn]] void fail(const std::string& what) { throw std::invalid_argument("thermal network: " + what); }

// Cyclic Jacobi for a symmetric positive definite a (n×n, row-major; overwritten). On return lambda holds
// the eigenvalues in ascending order and the columns of q the matching orthonormal eigenvectors.
void symmetric_eigen(std::vector<double>& a, std::size_t n, std::vector<double>& lambda, std::vector<double>& q) {
  auto at = [n](std::vector<double>& m, std::size_t i, std::size_t j) -> double& { return m[i * n + j]; };
  q.assign(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i) at(q, i, i) = 1;
  bool converged = false;
  for (int sweep = 0; sweep < 100 && !converged; ++sweep) {
    converged = true;
    for (std::size_t p = 0; p + 1 < n; ++p) {
      for (std::size_t r = p + 1; r < n; ++r) {
        const double apr = at(a, p, r);
        if (std::abs(apr) <= kEps * std::sqrt(at(a, p, p) * at(a, r, r))) {
          at(a, p, r) = at(a, r, p) = 0;
          continue;
        }
        converged = false;
        const double theta = (at(a, r, r) - at(a, p, p)) / (2 * apr);
        const double t = std::abs(theta) > 1e150
                             ? 0.5 / theta
                             : std::copysign(1.0, theta) / (std::abs(theta) + std::sqrt(theta * theta + 1));
        const double c = 1 / std::sqrt(t * t + 1);
        const double s = t * c;
        at(a, p, p) -= t * apr;
        at(a, r, r) += t * apr;
        at(a, p, r) = at(a, r, p) = 0;
        for (std::size_t k = 0; k < n; ++k) {
          if (k != p && k != r) {
            const double akp = at(a, k, p), akr = at(a, k, r);
            at(a, k, p) = at(a, p, k) = c * akp - s * akr;
            at(a, k, r) = at(a, r, k) = s * akp + c * akr;
          }
          const double qkp = at(q, k, p), qkr = at(q, k, r);
          at(q, k, p) = c * qkp - s * qkr;
          at(q, k, r) = s * qkp + c * qkr;
        }
      }
    }
  }
  if (!converged) throw std::runtime_error("thermal network: Jacobi eigenvalue iteration did not converge");
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) { return at(a, i, i) < at(a, j, j); });
  lambda.resize(n);
  std::vector<double> sorted(n * n);
  for (std::size_t k = 0; k < n; ++k) {
    lambda[k] = at(a, order[k], order[k]);
    for (std::size_t i = 0; i < n; ++i) sorted[i * n + k] = at(q, i, order[k]);
  }
  q = std::move(sorted);
}

// Inverse of a symmetric positive definite a (n×n, row-major) by Cholesky, a = R Rᵀ.
std::vector<double> spd_inverse(const std::vector<double>& a, std::size_t n) {
  std::vector<double> r(n * n, 0.0);
  for (std::size_t j = 0; j < n; ++j) {
    double d = a[j * n + j];
    for (std::size_t k = 0; k < j; ++k) d -= r[j * n + k] * r[j * n + k];
    if (!(d > 0)) fail("the conductance matrix is not numerically positive definite (conductances too disparate)");
    r[j * n + j] = std::sqrt(d);
    for (std::size_t i = j + 1; i < n; ++i) {
      double x = a[i * n + j];
      for (std::size_t k = 0; k < j; ++k) x -= r[i * n + k] * r[j * n + k];
      r[i * n + j] = x / r[j * n + j];
    }
  }
  std::vector<double> inv(n * n, 0.0), y(n);
  for (std::size_t col = 0; col < n; ++col) {
    for (std::size_t i = 0; i < n; ++i) {  // R y = e_col
      double x = i == col ? 1.0 : 0.0;
      for (std::size_t k = 0; k < i; ++k) x -= r[i * n + k] * y[k];
      y[i] = x / r[i * n + i];
    }
    for (std::size_t i = n; i-- > 0;) {  // Rᵀ x = y
      double x = y[i];
      for (std::size_t k = i + 1; k < n; ++k) x -= r[k * n + i] * inv[k * n + col];
      inv[i * n + col] = x / r[i * n + i];
    }
  }
  return inv;
}

// out = A x for an n×n column-major A (out and x distinct), four rows at a time so that four independent
// sums are in flight.
void multiply(const double* a, std::size_t n, const double* x, double* out) noexcept {
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (std::size_t k = 0; k < n; ++k) {
      const double* column = a + k * n + i;
      s0 += column[0] * x[k];
      s1 += column[1] * x[k];
      s2 += column[2] * x[k];
      s3 += column[3] * x[k];
    }
    out[i] = s0;
    out[i + 1] = s1;
    out[i + 2] = s2;
    out[i + 3] = s3;
  }
  for (; i < n; ++i) {
    double sum = 0;
    for (std::size_t k = 0; k < n; ++k) sum += a[k * n + i] * x[k];
    out[i] = sum;
  }
}

// e^{−x} and e^{−x} − 1, both to full relative precision, for one transcendental: 1 + expm1 where
// e^{−x} ≥ 0.6, and e^{−x} − 1 beyond, where it is ≤ −0.39 and does not cancel.
struct Decay {
  double factor, minus_one;
};
Decay decay(double x) {
  if (x < 0.5) {
    const double g = std::expm1(-x);
    return {1 + g, g};
  }
  const double e = std::exp(-x);
  return {e, e - 1};
}

// f(t) = c + Σ_k b_k (e^{−λ_k t} − 1), so that f(0) = c exactly; bounds over an interval follow from the
// monotonicity of each term and of its derivative.
struct ExpSum {
  double c;
  std::span<const double> b, rate;

  double value(double t) const {
    double f = c;
    for (std::size_t k = 0; k < b.size(); ++k) f += b[k] * decay(rate[k] * t).minus_one;
    return f;
  }

  struct ValueAndSlope {
    double value, slope;
  };
  ValueAndSlope value_and_slope(double t) const {
    ValueAndSlope r{c, 0};
    for (std::size_t k = 0; k < b.size(); ++k) {
      const Decay d = decay(rate[k] * t);
      r.value += b[k] * d.minus_one;
      r.slope -= rate[k] * b[k] * d.factor;
    }
    return r;
  }

  struct Bounds {
    double value_max, slope_min, slope_max;
  };
  Bounds bounds(double u, double v) const {
    Bounds bd{c, 0, 0};
    for (std::size_t k = 0; k < b.size(); ++k) {
      const Decay du = decay(rate[k] * u), dv = decay(rate[k] * v);
      bd.value_max += std::max(b[k] * du.minus_one, b[k] * dv.minus_one);
      const double su = -rate[k] * b[k] * du.factor, sv = -rate[k] * b[k] * dv.factor;
      bd.slope_min += std::min(su, sv);
      bd.slope_max += std::max(su, sv);
    }
    return bd;
  }
};

// The earliest t with f(t) ≥ 0, searched by branch and bound (see the header); f < 0 on [0, u] on entry.
class FirstCrossing {
 public:
  // Times are resolved to 4ε relative, and near t = 0 to ε/4 of the shortest time constant, over which
  // the temperature moves by ~ε/4 of its span.
  FirstCrossing(const ExpSum& f, double shortest_time_constant_s)
      : f_(f), abs_tol_(0.25 * kEps * shortest_time_constant_s) {}

  double search(double u, double v, double fu, double fv) {
    // A safety net never reached in tests (a few intervals are typical): answer early rather than late.
    if (++intervals_ > kMaxIntervals) return u;
    const auto bd = f_.bounds(u, v);
    if (bd.value_max < 0 || bd.slope_max <= 0) return kInf;
    if (bd.slope_min > 0) return fv >= 0 ? polish(u, v, fu, fv) : kInf;
    const double m = u + 0.5 * (v - u);
    if (v - u <= tolerance(v) || !(m > u && m < v)) return fv >= 0 ? v : kInf;
    const double fm = f_.value(m);
    const double left = search(u, m, fu, fm);
    if (left < kInf) return left;
    if (fm >= 0) return m;
    return search(m, v, fm, fv);
  }

 private:
  static constexpr int kMaxIntervals = 100000;
  double tolerance(double t) const { return 4 * kEps * t + abs_tol_; }

  // Newton's method kept inside a bracket where f is increasing, f(a) < 0 ≤ f(b), with bisection when a
  // step leaves the bracket (as rtsafe, Press et al., Numerical Recipes §9.4). Once a Newton step is below
  // the tolerance the iterate is that close to the root, so one hop of a tolerance across it closes the
  // bracket from the other side. Returns the right end.
  double polish(double a, double b, double fa, double fb) const {
    double x = -fa < fb ? a : b;
    for (int iter = 0; iter < 100 && b - a > 2 * tolerance(b); ++iter) {
      const auto [fx, slope] = f_.value_and_slope(x);
      (fx >= 0 ? b : a) = x;
      const double step = fx / slope;
      double next = x - step;
      if (std::abs(step) <= 0.5 * tolerance(x)) next = fx >= 0 ? x - tolerance(x) : x + tolerance(x);
      if (iter >= 50 || !(slope > 0) || !(next > a && next < b)) next = a + 0.5 * (b - a);
      x = next;
    }
    return b;
  }

  const ExpSum& f_;
  double abs_tol_;
  int intervals_ = 0;
};

}  // namespace

struct Network::Structure {
  std::size_t n = 0, m = 0;
  std::vector<std::string> node_names, boundary_names;
  std::vector<double> heat_capacity_j_k;
  std::vector<double> rate_per_s;       // λ_k ascending
  std::vector<double> time_constant_s;  // 1/λ_k, descending
  // n×n matrices; those applied in the hot loop are column-major (see multiply()).
  std::vector<double> to_temp;           // V = C^{-1/2} Q, column-major: V_ik at k n + i
  std::vector<double> to_modal;          // V⁻¹ = Qᵀ C^{1/2}, row-major
  std::vector<double> forcing_to_modal;  // V⁻¹ L⁻¹, column-major
  struct BoundaryEdge {
    std::size_t node, boundary;
    double conductance_w_k;
  };
  std::vector<BoundaryEdge> boundary_edges;      // one per (node, boundary) pair
  std::vector<double> boundary_modal;            // W = G_bᵀ V, m×n: heat flow into b is W z − g_b T_b
  std::vector<double> boundary_conductance_w_k;  // g_b = Σ_i G_ib
};

// ---- NetworkBuilder -------------------------------------------------------------------------------------

NetworkBuilder::Vertex NetworkBuilder::add_vertex(std::string name, double heat_capacity_j_k, bool is_boundary) {
  if (name.empty()) fail("node names must not be empty");
  if (vertex_by_name_.count(name)) fail("duplicate node name " + quoted(name));
  const Vertex v = boost::add_vertex(NodeProperties{name, heat_capacity_j_k, is_boundary}, graph_);
  vertex_by_name_.emplace(std::move(name), v);
  return v;
}

NodeId NetworkBuilder::add_node(std::string name, double heat_capacity_j_k) {
  if (!(heat_capacity_j_k > 0) || !std::isfinite(heat_capacity_j_k)) {
    std::ostringstream os;
    os << "node " << quoted(name) << ": heat capacity must be a positive finite number of J/K, got "
       << heat_capacity_j_k;
    fail(os.str());
  }
  node_vertex_.push_back(add_vertex(std::move(name), heat_capacity_j_k, false));
  return NodeId{node_vertex_.size() - 1};
}

BoundaryId NetworkBuilder::add_boundary(std::string name, double temp_c) {
  if (!std::isfinite(temp_c)) fail("boundary " + quoted(name) + ": temperature must be finite");
  boundary_vertex_.push_back(add_vertex(std::move(name), 0.0, true));
  boundary_temp_c_.push_back(temp_c);
  return BoundaryId{boundary_vertex_.size() - 1};
}

void NetworkBuilder::add_edge(Vertex a, Vertex b, double conductance_w_k) {
  const auto& na = graph_[a].name;
  const auto& nb = graph_[b].name;
  if (!(conductance_w_k > 0) || !std::isfinite(conductance_w_k)) {
    std::ostringstream os;
    os << "conductance between " << quoted(na) << " and " << quoted(nb)
       << " must be a positive finite number of W/K, got " << conductance_w_k;
    fail(os.str());
  }
  if (a == b) fail("node " + quoted(na) + " is connected to itself");
  boost::add_edge(a, b, EdgeProperties{conductance_w_k}, graph_);
}

void NetworkBuilder::connect(NodeId a, NodeId b, double conductance_w_k) {
  if (a.index >= node_vertex_.size() || b.index >= node_vertex_.size())
    throw std::out_of_range("thermal network: connect: no such node");
  add_edge(node_vertex_[a.index], node_vertex_[b.index], conductance_w_k);
}

void NetworkBuilder::connect(NodeId a, BoundaryId b, double conductance_w_k) {
  if (a.index >= node_vertex_.size() || b.index >= boundary_vertex_.size())
    throw std::out_of_range("thermal network: connect: no such node or boundary");
  add_edge(node_vertex_[a.index], boundary_vertex_[b.index], conductance_w_k);
}

Network NetworkBuilder::build() const {
  const std::size_t n = node_vertex_.size(), m = boundary_vertex_.size();
  if (n == 0) fail("no interior nodes");

  // Every interior node must share a connected component with a boundary, or L is singular.
  std::vector<std::size_t> component(boost::num_vertices(graph_));
  const auto components = static_cast<std::size_t>(boost::connected_components(graph_, component.data()));
  std::vector<char> grounded(components, 0);
  for (const Vertex v : boundary_vertex_) grounded[component[v]] = 1;
  std::vector<std::string> floating;
  for (const Vertex v : node_vertex_)
    if (!grounded[component[v]]) floating.push_back(graph_[v].name);
  if (!floating.empty()) {
    std::string list;
    for (const auto& s : floating) list += (list.empty() ? "" : ", ") + quoted(s);
    fail("node " + quoted(floating.front()) + " has no path to a boundary node, so there is no steady state" +
         (floating.size() > 1 ? " (nodes without one: " + list + ")" : std::string()) +
         "; connect it to a cooling loop or to ambient");
  }

  auto s = std::make_shared<Network::Structure>();
  s->n = n;
  s->m = m;
  std::vector<std::size_t> index_of(boost::num_vertices(graph_));
  for (std::size_t i = 0; i < n; ++i) {
    index_of[node_vertex_[i]] = i;
    s->node_names.push_back(graph_[node_vertex_[i]].name);
    s->heat_capacity_j_k.push_back(graph_[node_vertex_[i]].heat_capacity_j_k);
  }
  for (std::size_t b = 0; b < m; ++b) {
    index_of[boundary_vertex_[b]] = b;
    s->boundary_names.push_back(graph_[boundary_vertex_[b]].name);
  }

  std::vector<double> laplacian(n * n, 0.0), to_boundary(n * m, 0.0);
  for (const auto e : boost::make_iterator_range(boost::edges(graph_))) {
    Vertex a = boost::source(e, graph_), b = boost::target(e, graph_);
    const double g = graph_[e].conductance_w_k;
    if (graph_[a].is_boundary) std::swap(a, b);
    if (graph_[a].is_boundary)
      fail("boundary nodes " + quoted(graph_[a].name) + " and " + quoted(graph_[b].name) + " are connected");
    const std::size_t i = index_of[a], j = index_of[b];
    laplacian[i * n + i] += g;
    if (graph_[b].is_boundary) {
      to_boundary[i * m + j] += g;
    } else {
      laplacian[j * n + j] += g;
      laplacian[i * n + j] -= g;
      laplacian[j * n + i] -= g;
    }
  }

  std::vector<double> inv_sqrt_c(n), sqrt_c(n);
  for (std::size_t i = 0; i < n; ++i) {
    sqrt_c[i] = std::sqrt(s->heat_capacity_j_k[i]);
    inv_sqrt_c[i] = 1 / sqrt_c[i];
  }
  std::vector<double> scaled(n * n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) scaled[i * n + j] = inv_sqrt_c[i] * laplacian[i * n + j] * inv_sqrt_c[j];
  std::vector<double> q;
  symmetric_eigen(scaled, n, s->rate_per_s, q);
  if (!(s->rate_per_s.front() > 0)) fail("the conductance matrix is not numerically positive definite");
  for (const double rate : s->rate_per_s) s->time_constant_s.push_back(1 / rate);

  s->to_temp.resize(n * n);
  s->to_modal.resize(n * n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t k = 0; k < n; ++k) {
      s->to_temp[k * n + i] = inv_sqrt_c[i] * q[i * n + k];
      s->to_modal[k * n + i] = q[i * n + k] * sqrt_c[i];
    }
  const std::vector<double> inverse = spd_inverse(laplacian, n);
  s->forcing_to_modal.assign(n * n, 0.0);
  for (std::size_t k = 0; k < n; ++k)
    for (std::size_t j = 0; j < n; ++j) {
      double x = 0;
      for (std::size_t i = 0; i < n; ++i) x += s->to_modal[k * n + i] * inverse[i * n + j];
      s->forcing_to_modal[j * n + k] = x;
    }

  s->boundary_modal.assign(m * n, 0.0);
  s->boundary_conductance_w_k.assign(m, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t b = 0; b < m; ++b) {
      const double g = to_boundary[i * m + b];
      if (g == 0) continue;
      s->boundary_edges.push_back({i, b, g});
      s->boundary_conductance_w_k[b] += g;
      for (std::size_t k = 0; k < n; ++k) s->boundary_modal[b * n + k] += g * s->to_temp[k * n + i];
    }

  return Network(std::move(s), boundary_temp_c_);
}

// ---- Network --------------------------------------------------------------------------------------------

Network::Network(std::shared_ptr<const Structure> structure, std::span<const double> boundary_temp_c)
    : s_(std::move(structure)),
      temp_c_(s_->n),
      modal_(s_->n),
      power_w_(s_->n, 0.0),
      boundary_temp_c_(boundary_temp_c.begin(), boundary_temp_c.end()),
      modal_steady_(s_->n),
      forcing_w_(s_->n),
      steady_heat_w_(s_->m),
      work_(s_->n) {
  refresh_forcing();
  modal_ = modal_steady_;
  steady_state(temp_c_);
}

std::size_t Network::checked(NodeId node) const {
  if (node.index >= s_->n) throw std::out_of_range("thermal network: no interior node " + std::to_string(node.index));
  return node.index;
}

std::size_t Network::checked(BoundaryId boundary) const {
  if (boundary.index >= s_->m)
    throw std::out_of_range("thermal network: no boundary node " + std::to_string(boundary.index));
  return boundary.index;
}

const std::string& Network::name(NodeId node) const { return s_->node_names[checked(node)]; }
const std::string& Network::name(BoundaryId boundary) const { return s_->boundary_names[checked(boundary)]; }

NodeId Network::node(std::string_view name) const {
  const auto it = std::find(s_->node_names.begin(), s_->node_names.end(), name);
  if (it == s_->node_names.end()) fail("no interior node " + quoted(name));
  return NodeId{static_cast<std::size_t>(it - s_->node_names.begin())};
}

double Network::heat_capacity_j_k(NodeId node) const { return s_->heat_capacity_j_k[checked(node)]; }
std::span<const double> Network::time_constants_s() const noexcept { return s_->time_constant_s; }

void Network::set_temperatures(std::span<const double> temps_c) {
  const std::size_t n = s_->n;
  if (temps_c.size() != n) fail("set_temperatures: expected " + std::to_string(n) + " values");
  for (std::size_t i = 0; i < n; ++i)
    if (!std::isfinite(temps_c[i])) fail("set_temperatures: non-finite temperature for " + quoted(s_->node_names[i]));
  for (std::size_t k = 0; k < n; ++k) {
    double z = 0;
    for (std::size_t i = 0; i < n; ++i) z += s_->to_modal[k * n + i] * temps_c[i];
    modal_[k] = z;
  }
  std::copy(temps_c.begin(), temps_c.end(), temp_c_.begin());
}

void Network::set_temperatures(double temp_c) {
  std::fill(work_.begin(), work_.end(), temp_c);
  set_temperatures(std::span<const double>(work_));
}

double Network::temperature(NodeId node) const { return temp_c_[checked(node)]; }

void Network::set_boundary(BoundaryId boundary, double temp_c) {
  const std::size_t b = checked(boundary);
  if (!std::isfinite(temp_c)) fail("set_boundary: non-finite temperature for " + quoted(s_->boundary_names[b]));
  if (boundary_temp_c_[b] == temp_c) return;  // unchanged: the steady state stays valid
  boundary_temp_c_[b] = temp_c;
  forcing_stale_ = true;
}

double Network::boundary_temperature(BoundaryId boundary) const { return boundary_temp_c_[checked(boundary)]; }

void Network::set_power(NodeId node, double power_w) {
  const std::size_t i = checked(node);
  if (!std::isfinite(power_w)) fail("set_power: non-finite power for " + quoted(s_->node_names[i]));
  if (power_w_[i] == power_w) return;  // unchanged: the steady state stays valid
  power_w_[i] = power_w;
  forcing_stale_ = true;
}

void Network::set_powers(std::span<const double> powers_w) {
  if (powers_w.size() != s_->n) fail("set_powers: expected " + std::to_string(s_->n) + " values");
  for (std::size_t i = 0; i < s_->n; ++i)
    if (!std::isfinite(powers_w[i])) fail("set_powers: non-finite power for " + quoted(s_->node_names[i]));
  std::copy(powers_w.begin(), powers_w.end(), power_w_.begin());
  forcing_stale_ = true;
}

double Network::power(NodeId node) const { return power_w_[checked(node)]; }

void Network::refresh_forcing() const {
  if (!forcing_stale_) return;
  const Structure& s = *s_;
  const std::size_t n = s.n;
  std::copy(power_w_.begin(), power_w_.end(), forcing_w_.begin());
  for (const auto& e : s.boundary_edges) forcing_w_[e.node] += e.conductance_w_k * boundary_temp_c_[e.boundary];
  multiply(s.forcing_to_modal.data(), n, forcing_w_.data(), modal_steady_.data());
  for (std::size_t b = 0; b < s.m; ++b) {
    const double* row = &s.boundary_modal[b * n];
    double flow = 0;
    for (std::size_t k = 0; k < n; ++k) flow += row[k] * modal_steady_[k];
    steady_heat_w_[b] = flow - s.boundary_conductance_w_k[b] * boundary_temp_c_[b];
  }
  forcing_stale_ = false;
}

double Network::advance(double h_s) { return advance(h_s, {}); }

double Network::advance(double h_s, std::span<double> heat_to_boundary_j) {
  const Structure& s = *s_;
  const std::size_t n = s.n, m = s.m;
  if (!(h_s >= 0) || !std::isfinite(h_s)) {
    std::ostringstream os;
    os << "advance: step must be finite and non-negative, got " << h_s << " s";
    fail(os.str());
  }
  if (!heat_to_boundary_j.empty() && heat_to_boundary_j.size() != m)
    fail("advance: expected room for " + std::to_string(m) + " boundary heats");
  refresh_forcing();
  // work_[k] = (z_k − z∞_k) ∫₀ʰ e^{−λ_k t} dt = (z_k − z∞_k) τ_k (1 − e^{−λ_k h}).
  for (std::size_t k = 0; k < n; ++k) {
    const Decay e = decay(s.rate_per_s[k] * h_s);
    const double d = modal_[k] - modal_steady_[k];
    modal_[k] = modal_steady_[k] + d * e.factor;
    work_[k] = -d * e.minus_one * s.time_constant_s[k];
  }
  double total_j = 0;
  for (std::size_t b = 0; b < m; ++b) {
    const double* row = &s.boundary_modal[b * n];
    double transient = 0;
    for (std::size_t k = 0; k < n; ++k) transient += row[k] * work_[k];
    const double heat_j = steady_heat_w_[b] * h_s + transient;
    if (!heat_to_boundary_j.empty()) heat_to_boundary_j[b] = heat_j;
    total_j += heat_j;
  }
  multiply(s.to_temp.data(), n, modal_.data(), temp_c_.data());
  return total_j;
}

void Network::steady_state(std::span<double> out_c) const {
  const std::size_t n = s_->n;
  if (out_c.size() != n) fail("steady_state: expected room for " + std::to_string(n) + " values");
  refresh_forcing();
  multiply(s_->to_temp.data(), n, modal_steady_.data(), out_c.data());
}

std::vector<double> Network::steady_state() const {
  std::vector<double> out(s_->n);
  steady_state(out);
  return out;
}

double Network::stored_energy_j() const noexcept {
  double e = 0;
  for (std::size_t i = 0; i < s_->n; ++i) e += s_->heat_capacity_j_k[i] * temp_c_[i];
  return e;
}

double Network::time_to_reach(NodeId node, double threshold_c, Crossing direction, double max_h_s) const {
  const std::size_t j = checked(node), n = s_->n;
  if (!(max_h_s >= 0) || !std::isfinite(threshold_c)) {
    std::ostringstream os;
    os << "time_to_reach(" << quoted(s_->node_names[j]) << "): need a finite threshold and max_h_s >= 0, got "
       << threshold_c << " °C and " << max_h_s << " s";
    fail(os.str());
  }
  refresh_forcing();
  // f(t) = sign (T_j(t) − θ) = sign (T_j(0) − θ) + Σ_k b_k (e^{−λ_k t} − 1), b_k = sign V_jk (z_k − z∞_k):
  // anchored on the stored temperature, so that f(0) agrees with temperature() to the last bit.
  const double sign = direction == Crossing::rising ? 1.0 : -1.0;
  for (std::size_t k = 0; k < n; ++k) work_[k] = sign * s_->to_temp[k * n + j] * (modal_[k] - modal_steady_[k]);
  const ExpSum f{sign * (temp_c_[j] - threshold_c), work_, s_->rate_per_s};
  const double f0 = f.value(0);
  if (f0 >= 0) return 0;
  // Beyond ~38 τ_max every computed e^{−λt} − 1 is −1 (e^{−38} < ε/2), so f is constant after 50 τ_max.
  const double horizon = std::min(max_h_s, 50 * s_->time_constant_s.front());
  if (horizon <= 0) return kInf;
  FirstCrossing search(f, s_->time_constant_s.back());
  const double t = search.search(0, horizon, f0, f.value(horizon));
  return t <= max_h_s ? t : kInf;
}

}  // namespace dcsim::thermal
