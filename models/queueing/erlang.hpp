// Closed forms for Markovian multi-server queues, used by models (theoretical references in summaries) and
// by the validation tests.
//
//   Erlang B  B(c, a):  blocking probability of M/M/c/c, offered load a = λ/μ, by the stable recursion
//                       B(0) = 1, B(k) = a·B(k-1) / (k + a·B(k-1)).
//   Erlang C  C(c, a):  probability of waiting in M/M/c, C = B / (1 - ρ(1 - B)), ρ = a/c < 1.
//   W_q = C / (cμ - λ);  L_q = λ·W_q (Little).
// Source: any queueing text, e.g. Kleinrock, Queueing Systems Vol. 1 (1975), §3.5; test vectors in
// DOMAIN.md §9 (c = 10, λ = 8, μ = 1: P_W = 0.409180, W_q = 0.204590).
#pragma once

#include <cstdint>

namespace dcsim::queueing {

double erlang_b(std::int64_t servers, double offered_load);
double erlang_c(std::int64_t servers, double offered_load);
// Mean wait in queue of M/M/c; infinity when λ >= cμ.
double mmc_mean_wait(std::int64_t servers, double arrival_rate, double service_rate);
// Erlang-A (M/M/c+M: exponential patience of mean 1/θ; Garnett, Mandelbaum & Reiman, MSOM 4(3), 2002),
// solved exactly as its birth–death chain: birth λ, death min(n, c)μ + max(n − c, 0)θ, truncated where the
// stationary probabilities fall below 1e-16. P(abandon) = θ E[(N − c)+] / λ; mean wait W_q = E[(N − c)+] / λ.
struct ErlangA {
  double prob_abandon;
  double prob_wait;
  double mean_wait;  // over all arrivals (those who abandon included)
};
ErlangA erlang_a(std::int64_t servers, double arrival_rate, double service_rate, double abandon_rate);
// Pollaczek–Khinchine mean wait of M/G/1: λE[S²] / (2(1-ρ)), with E[S²] = (1 + scv)·E[S]².
double mg1_mean_wait(double arrival_rate, double mean_service, double service_scv);

}  // namespace dcsim::queueing
