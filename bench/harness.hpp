// A small paired benchmark harness: runs a subject and its baseline alternately (A B A B ...) in the same
// process, several times, and reports medians and the ratio of medians. Alternating keeps a slow phase of
// a shared, noisy machine from landing on one side only.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace dcsim::bench {

inline double seconds_of(const std::function<void()>& f) {
  const auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

struct Paired {
  std::vector<double> a, b;  // seconds per repetition
  double median_a() const { return median(a); }
  double median_b() const { return median(b); }
  // Per-pair ratios b/a: how many times faster A is than B, with their median.
  double median_speedup() const {
    std::vector<double> r;
    for (std::size_t i = 0; i < a.size(); ++i) r.push_back(b[i] / a[i]);
    return median(r);
  }
};

inline Paired run_paired(int reps, const std::function<void()>& a, const std::function<void()>& b) {
  Paired p;
  for (int i = 0; i < reps; ++i) {
    p.a.push_back(seconds_of(a));
    p.b.push_back(seconds_of(b));
  }
  return p;
}

// Reads "--reps N" style options: returns the value after `flag` or `def`.
inline long arg_long(int argc, char** argv, const std::string& flag, long def) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (flag == argv[i]) return std::stol(argv[i + 1]);
  }
  return def;
}

}  // namespace dcsim::bench
