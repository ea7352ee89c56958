#include "models/queueing/erlang.hpp"

#include <limits>
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

double mg1_mean_wait(double lambda, double es, double scv) {
  const double rho = lambda * es;
  if (rho >= 1.0) return std::numeric_limits<double>::infinity();
  return lambda * (1.0 + scv) * es * es / (2.0 * (1.0 - rho));
}

}  // namespace dcsim::queueing
