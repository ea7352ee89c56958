#include "models/queueing/erlang.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>
#include <stdexcept>

namespace dcsim::queueing {

double erlang_b(std::int64_t servers, double a) {
  if (servers < 0 || !(a >= 0)) throw std::invalid_argument("erlang_b needs servers >= 0 and load >= 0");
  double b = 1.0;
  for (std::int64_t k = 1; k <= servers; ++k) b = a * b / (static_cast<double>(k) + a * b);
  return b;
}

double erlang_c(std::int64_t servers, double a) {
  if (servers < 1) throw std::invalid_argument("erlang_c needs at least one server");
  const double rho = a / static_cast<double>(servers);
  if (rho >= 1.0) return 1.0;
  const double b = erlang_b(servers, a);
  return b / (1.0 - rho * (1.0 - b));
}

double mmc_mean_wait(std::int64_t servers, double lambda, double mu) {
  const double cap = static_cast<double>(servers) * mu;
  if (lambda >= cap) return std::numeric_limits<double>::infinity();
  return erlang_c(servers, lambda / mu) / (cap - lambda);
}

ErlangA erlang_a(std::int64_t c, double lambda, double mu, double theta) {
  if (c < 1 || !(lambda > 0) || !(mu > 0) || !(theta > 0)) throw std::invalid_argument("erlang_a needs c >= 1 and rates > 0");
  // Unnormalised π_n by the recursion π_n = π_{n-1} λ / death(n), in logs to stay finite.
  std::vector<double> logp{0.0};
  double maxlog = 0;
  for (std::int64_t n = 1;; ++n) {
    const double death = static_cast<double>(std::min(n, c)) * mu + static_cast<double>(std::max<std::int64_t>(n - c, 0)) * theta;
    logp.push_back(logp.back() + std::log(lambda / death));
    maxlog = std::max(maxlog, logp.back());
    if (n > c && logp.back() < maxlog - 40) break;  // e^-40 ≈ 4e-18
  }
  double z = 0, queue = 0, waiting_states = 0;
  for (std::size_t n = 0; n < logp.size(); ++n) {
    const double p = std::exp(logp[n] - maxlog);
    z += p;
    const double q = static_cast<double>(std::max<std::int64_t>(static_cast<std::int64_t>(n) - c, 0));
    queue += q * p;
    if (static_cast<std::int64_t>(n) >= c) waiting_states += p;
  }
  queue /= z;
  return ErlangA{theta * queue / lambda, waiting_states / z, queue / lambda};
}

double mg1_mean_wait(double lambda, double es, double scv) {
  const double rho = lambda * es;
  if (rho >= 1.0) return std::numeric_limits<double>::infinity();
  return lambda * (1.0 + scv) * es * es / (2.0 * (1.0 - rho));
}

}  // namespace dcsim::queueing
