// Named random streams and the distributions the models draw from.
//
// A stream is a xoshiro256** generator (Blackman & Vigna 2018) whose 256-bit state is filled by SplitMix64
// from a 64-bit key derived from (scenario seed, run index, stream name). Each component asks for its
// streams by name ("workload.arrivals.image", "serving.site0.failures"), so adding a component, a stream or a
// sweep dimension never shifts the draws of another stream: the key of a stream depends only on its own name.
//
// The distributions are implemented here rather than taken from <random>, whose algorithms differ between
// standard libraries; golden-value tests pin the draws so that a run is reproducible from scenario + seed +
// run index on any platform with an IEEE-754 libm.
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
#include <string_view>
#include <vector>

#include "sim/core/fingerprint.hpp"

namespace dcsim {

// A stable 64-bit hash (FNV-1a with a SplitMix64 finaliser); never std::hash, which is not stable.
std::uint64_t stable_hash(std::string_view s) noexcept;

constexpr std::uint64_t splitmix64_mix(std::uint64_t z) noexcept {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

class Rng {
 public:
  // With a fingerprint, every 64-bit output is also mixed into its trace of draws (copies share it).
  explicit Rng(std::uint64_t key = 0, Fingerprint* fingerprint = nullptr) noexcept : fp_(fingerprint) { seed(key); }

  void seed(std::uint64_t key) noexcept {
    std::uint64_t x = key;
    for (auto& w : s_) {
      x += 0x9e3779b97f4a7c15ULL;
      w = splitmix64_mix(x);
    }
  }

  std::uint64_t next_u64() noexcept {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    if (fp_) [[unlikely]] fp_->add_draw(result);
    return result;
  }

  // Uniform on [0, 1) with 53 random bits.
  double uniform() noexcept { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  // Uniform on (0, 1]: safe to take the logarithm of.
  double uniform_pos() noexcept { return static_cast<double>((next_u64() >> 11) + 1) * 0x1.0p-53; }
  double uniform(double a, double b) noexcept { return a + (b - a) * uniform(); }
  // Uniform integer on [0, n) without modulo bias (Lemire's method).
  std::uint64_t below(std::uint64_t n) noexcept;

  double exponential(double rate) noexcept { return -std::log(uniform_pos()) / rate; }
  // Standard normal by the ziggurat method (Marsaglia & Tsang, J. Stat. Software 5(8), 2000, in Doornik's
  // ZIGNOR form, 2005): one 64-bit draw and a comparison for ~99 % of values, no hidden state.
  double normal() noexcept;
  double normal(double mean, double sd) noexcept { return mean + sd * normal(); }
  double lognormal(double mu, double sigma) noexcept { return std::exp(mu + sigma * normal()); }
  // Gamma(shape k, scale theta): Marsaglia & Tsang (ACM TOMS 2000); k < 1 by the boost U^(1/k).
  double gamma(double shape, double scale) noexcept;
  bool bernoulli(double p) noexcept { return uniform() < p; }
  // Poisson counts: inversion for small means, PTRS (Hörmann 1993) above 10.
  std::uint64_t poisson(double mean) noexcept;

  // Jump ahead by 2^128 draws: for splitting one stream into non-overlapping substreams.
  void jump() noexcept;

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4]{};
  Fingerprint* fp_ = nullptr;
};

// The factory of a run's streams: everything random in a run comes from here.
class RandomStreams {
 public:
  // With a fingerprint, the streams it hands out trace their draws into it.
  RandomStreams(std::uint64_t seed, std::uint64_t run_index, Fingerprint* fingerprint = nullptr) noexcept
      : seed_(seed), run_index_(run_index), fp_(fingerprint) {}

  std::uint64_t seed() const noexcept { return seed_; }
  std::uint64_t run_index() const noexcept { return run_index_; }

  std::uint64_t key(std::string_view name) const noexcept {
    return splitmix64_mix(seed_ ^ splitmix64_mix(run_index_ ^ splitmix64_mix(stable_hash(name))));
  }
  Rng stream(std::string_view name) const noexcept { return Rng(key(name), fp_); }

 private:
  std::uint64_t seed_;
  std::uint64_t run_index_;
  Fingerprint* fp_ = nullptr;
};

// A discrete distribution over 0..n-1 with given weights: Walker/Vose alias method, O(1) per draw.
class AliasTable {
 public:
  AliasTable() = default;
  explicit AliasTable(const std::vector<double>& weights);
  std::size_t size() const noexcept { return prob_.size(); }
  std::size_t sample(Rng& rng) const noexcept {
    const std::size_t i = static_cast<std::size_t>(rng.below(prob_.size()));
    return rng.uniform() < prob_[i] ? i : alias_[i];
  }
  double probability(std::size_t i) const noexcept { return p_[i]; }

 private:
  std::vector<double> prob_;
  std::vector<std::size_t> alias_;
  std::vector<double> p_;
};

}  // namespace dcsim
