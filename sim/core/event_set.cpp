#include "sim/core/event_set.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace dcsim {

EventSet::EventSet() : heads_(kMinBuckets, kNil), tails_(kMinBuckets, kNil), mask_(kMinBuckets - 1) {}

void EventSet::clear() {
  pool_.clear();
  heads_.assign(kMinBuckets, kNil);
  tails_.assign(kMinBuckets, kNil);
  mask_ = kMinBuckets - 1;
  cur_vb_ = 0;
  size_ = 0;
  free_head_ = kNil;
  ops_ = ops_cost_ = 0;
  check_every_ = 1024;
}

std::uint32_t EventSet::direct_search() {
  std::uint32_t best = kNil;
  for (const std::uint32_t h : heads_) {
    if (h != kNil && (best == kNil || before(pool_[h], pool_[best]))) best = h;
  }
  ops_cost_ += heads_.size();
  cur_vb_ = pool_[best].time >> shift_;
  if (++ops_ >= check_every_) check_cost();
  return best;
}

void EventSet::check_cost() {
  // Average work per pop above this means the width no longer fits the event density.
  constexpr std::uint64_t kMaxCostPerOp = 6;
  const bool too_costly = ops_cost_ > kMaxCostPerOp * ops_;
  ops_ = 0;
  ops_cost_ = 0;
  if (too_costly && size_ > 1) {
    const int old_shift = shift_;
    rebuild(heads_.size());
    // If re-estimating changed nothing, the distribution is one the calendar cannot fix; back off so that
    // rebuilds stay amortised.
    check_every_ = (shift_ == old_shift) ? check_every_ * 2 : std::max<std::uint64_t>(1024, 2 * size_);
  } else {
    check_every_ = std::max<std::uint64_t>(1024, 2 * size_);
  }
}

int EventSet::estimate_shift() {
  scratch_.clear();
  for (const Record& r : pool_) {
    if (r.state == kPending) scratch_.push_back(r.time);
  }
  const std::size_t n = scratch_.size();
  if (n < 2) return shift_;
  // Brown's estimate: the mean separation of the events at the front, ignoring outliers, times three.
  // Identical times are skipped so that a burst at one instant does not collapse the width to 1 ns.
  for (std::size_t k = std::min<std::size_t>(n, 64);; k = std::min(n, k * 8)) {
    std::nth_element(scratch_.begin(), scratch_.begin() + static_cast<std::ptrdiff_t>(k - 1), scratch_.end());
    std::vector<std::int64_t> front(scratch_.begin(), scratch_.begin() + static_cast<std::ptrdiff_t>(k));
    std::sort(front.begin(), front.end());
    front.erase(std::unique(front.begin(), front.end()), front.end());
    if (front.size() >= 2) {
      const double span = static_cast<double>(front.back() - front.front());
      const double avg = span / static_cast<double>(front.size() - 1);
      double sum = 0;
      std::size_t cnt = 0;
      for (std::size_t i = 1; i < front.size(); ++i) {
        const double sep = static_cast<double>(front[i] - front[i - 1]);
        if (sep <= 2 * avg) {
          sum += sep;
          ++cnt;
        }
      }
      const double width = 3.0 * (cnt ? sum / static_cast<double>(cnt) : avg);
      const int s = width <= 1 ? 0 : static_cast<int>(std::lround(std::log2(width)));
      return std::clamp(s, 0, 50);
    }
    if (k == n) return shift_;
  }
}

void EventSet::rebuild(std::size_t buckets) {
  buckets = std::max(kMinBuckets, std::bit_ceil(buckets));
  shift_ = estimate_shift();
  heads_.assign(buckets, kNil);
  tails_.assign(buckets, kNil);
  mask_ = buckets - 1;
  size_ = 0;
  for (std::uint32_t s = 0; s < pool_.size(); ++s) {
    if (pool_[s].state == kPending) link(s);
  }
}

}  // namespace dcsim
