#include "sim/core/event_set.hpp"

#include <algorithm>
#include <bit>
#include <cassert>

namespace dcsim {

namespace {

// Smallest k with 2^k >= x (x >= 1).
int ceil_log2(std::uint64_t x) { return x <= 1 ? 0 : 64 - std::countl_zero(x - 1); }

}  // namespace

void EventSet::clear() {
  pool_.clear();
  nodes_.clear();
  top_.clear();
  bottom_.clear();
  head_ = bottom_.data();
  nrungs_ = 0;
  top_start_ = std::numeric_limits<std::int64_t>::min();
  top_min_ = std::numeric_limits<std::int64_t>::max();
  top_max_ = std::numeric_limits<std::int64_t>::min();
  size_ = stale_ = 0;
  free_head_ = free_node_ = kNil;
  seq_ = 0;
}

void EventSet::spawn_rung(std::int64_t start, std::int64_t limit, std::size_t expected) {
  // A rung covering [start, limit) with about `expected` buckets of a power-of-two width.
  const std::uint64_t range = static_cast<std::uint64_t>(limit) - static_cast<std::uint64_t>(start);
  const std::uint64_t want = std::max<std::uint64_t>(1, range / std::max<std::size_t>(1, expected));
  const int shift = ceil_log2(want);
  const std::size_t nb = static_cast<std::size_t>(((range - 1) >> shift) + 1);
  Rung& r = rungs_[nrungs_++];
  r.start = start;
  r.shift = shift;
  r.cur = 0;
  r.buckets.assign(nb, Bucket{kNil, 0});
}

void EventSet::spread_top() {
  assert(!top_.empty());
  const std::int64_t start = top_min_;
  // Rung 0 covers [min, max] of Top; later events keep going to Top.
  const std::uint64_t range = static_cast<std::uint64_t>(top_max_) - static_cast<std::uint64_t>(top_min_) + 1;
  // About one bucket per event; four for small sets, where buckets are cheap and a narrower Bottom range
  // sends fewer inserts to Bottom's sorted insertion.
  const std::size_t nb_want = top_.size() < 4096 ? 4 * top_.size() : top_.size();
  const std::uint64_t want = std::max<std::uint64_t>(1, range / nb_want);
  const int shift = ceil_log2(want);
  const std::size_t nb = static_cast<std::size_t>(((range - 1) >> shift) + 1);
  Rung& r = rungs_[0];
  r.start = start;
  r.shift = shift;
  r.cur = 0;
  r.buckets.assign(nb, Bucket{kNil, 0});
  nrungs_ = 1;
  top_start_ = start + static_cast<std::int64_t>(static_cast<std::uint64_t>(nb) << shift);
  for (const Entry& e : top_) push_node(r.buckets[static_cast<std::size_t>((e.time - start) >> shift)], e);
  top_.clear();
  top_min_ = std::numeric_limits<std::int64_t>::max();
  top_max_ = std::numeric_limits<std::int64_t>::min();
}

void EventSet::refill() {
  bottom_.clear();
  for (;;) {
    if (nrungs_ == 0) {
      spread_top();
      continue;
    }
    Rung& r = rungs_[nrungs_ - 1];
    while (r.cur < r.buckets.size() && r.buckets[r.cur].count == 0) ++r.cur;
    if (r.cur == r.buckets.size()) {
      --nrungs_;
      continue;
    }
    const std::int64_t bstart = r.cur_start();
    Bucket b = r.buckets[r.cur];
    r.buckets[r.cur] = Bucket{kNil, 0};
    ++r.cur;  // consumed: its range now belongs to a child rung or to Bottom
    if (b.count > kThreshold && r.shift > 0 && nrungs_ < kMaxRungs) {
      const int child_shift = std::max(0, r.shift - ceil_log2(b.count));
      const std::size_t nb = std::size_t{1} << (r.shift - child_shift);
      Rung& c = rungs_[nrungs_++];
      c.start = bstart;
      c.shift = child_shift;
      c.cur = 0;
      c.buckets.assign(nb, Bucket{kNil, 0});
      for (std::uint32_t n = b.head; n != kNil;) {
        const std::uint32_t next = nodes_[n].next;
        Bucket& cb = c.buckets[static_cast<std::size_t>((nodes_[n].e.time - bstart) >> child_shift)];
        nodes_[n].next = cb.head;
        cb.head = n;
        ++cb.count;
        n = next;
      }
      continue;
    }
    if (nodes_.size() < kInterleaveNodes) {
      // Small queue: the nodes are in cache, walk the one list.
      bottom_.reserve(b.count);
      for (std::uint32_t n = b.head; n != kNil;) {
        const std::uint32_t next = nodes_[n].next;
        bottom_.push_back(nodes_[n].e);
        nodes_[n].next = free_node_;
        free_node_ = n;
        n = next;
      }
    } else {
      drain_interleaved(r, b);
    }
    std::sort(bottom_.begin(), bottom_.end(), [](const Entry& a, const Entry& c) { return before(a, c); });
    head_ = bottom_.data();
    for (std::size_t i = 0; i < std::min(bottom_.size(), kPrefetchDistance); ++i) __builtin_prefetch(&pool_[bottom_[i].slot]);
    return;
  }
}

void EventSet::drain_interleaved(Rung& r, const Bucket& b) {
  // Drain this bucket and the next few while they fit, walking their lists in an interleaved way so that
  // the cache misses of several lists overlap (memory-level parallelism): with a large pending set every
  // node is a cache miss, and a single list walk would pay them one after another.
  constexpr std::size_t kLanes = 8;
  std::uint32_t lanes[kLanes];
  std::size_t nl = 0;
  std::size_t total = b.count;
  lanes[nl++] = b.head;
  while (nl < kLanes && r.cur < r.buckets.size()) {
    const Bucket& nb = r.buckets[r.cur];
    if (nb.count != 0) {
      if (total + nb.count > kThreshold) break;
      total += nb.count;
      lanes[nl++] = nb.head;
      r.buckets[r.cur] = Bucket{kNil, 0};
    }
    ++r.cur;
  }
  bottom_.reserve(total);
  while (nl > 0) {
    for (std::size_t i = 0; i < nl;) {
      const std::uint32_t n = lanes[i];
      bottom_.push_back(nodes_[n].e);
      lanes[i] = nodes_[n].next;
      nodes_[n].next = free_node_;
      free_node_ = n;
      if (lanes[i] == kNil) {
        lanes[i] = lanes[--nl];
      } else {
        ++i;
      }
    }
  }
}

void EventSet::insert_bottom(const Entry& e) {
  std::size_t bot = popped();
  if (bot >= kBottomMax && 2 * bot >= bottom_.size()) {
    // More popped entries than live ones: drop them (amortised against the pops).
    bottom_.erase(bottom_.begin(), bottom_.begin() + static_cast<std::ptrdiff_t>(bot));
    bot = 0;
  }
  Entry* const first = bottom_.data() + bot;
  Entry* const last = bottom_.data() + bottom_.size();
  Entry* const at = std::upper_bound(first, last, e, [](const Entry& a, const Entry& b) { return before(a, b); });
  if (bot > 0 && at - first < last - at) {
    // Nearer the front: move the earlier entries one slot down, into the last popped slot.
    std::move(first, at, first - 1);
    at[-1] = e;
    --bot;
  } else {
    bottom_.insert(bottom_.begin() + (at - bottom_.data()), e);
  }
  head_ = bottom_.data() + bot;
  if (bottom_.size() - bot > kBottomMax && nrungs_ < kMaxRungs) {
    // Too many inserts landed in Bottom's range: spread it over a new, finest rung, if its entries span
    // more than one instant (a rung cannot split events that share a nanosecond).
    const std::int64_t limit = nrungs_ ? rungs_[nrungs_ - 1].cur_start() : top_start_;
    const std::int64_t start = head_->time;
    if (limit > start && bottom_.back().time > start) {
      spawn_rung(start, limit, bottom_.size() - bot);
      Rung& r = rungs_[nrungs_ - 1];
      for (const Entry* x = head_; x != bottom_end(); ++x) {
        push_node(r.buckets[static_cast<std::size_t>((x->time - start) >> r.shift)], *x);
      }
      bottom_.clear();
      head_ = bottom_.data();
    }
  }
}

void EventSet::compact() {
  std::vector<Entry>& keep = scratch_;  // reused: compaction must not allocate in steady state
  keep.clear();
  for (const Entry& e : top_) {
    if (live(e)) keep.push_back(e);
  }
  for (const Entry* x = head_; x != bottom_end(); ++x) {
    if (live(*x)) keep.push_back(*x);
  }
  for (std::size_t i = 0; i < nrungs_; ++i) {
    for (const Bucket& b : rungs_[i].buckets) {
      for (std::uint32_t n = b.head; n != kNil; n = nodes_[n].next) {
        if (live(nodes_[n].e)) keep.push_back(nodes_[n].e);
      }
    }
  }
  nodes_.clear();
  free_node_ = kNil;
  bottom_.clear();
  head_ = bottom_.data();
  nrungs_ = 0;
  top_.swap(keep);
  keep.clear();
  top_start_ = std::numeric_limits<std::int64_t>::min();
  top_min_ = std::numeric_limits<std::int64_t>::max();
  top_max_ = std::numeric_limits<std::int64_t>::min();
  for (const Entry& e : top_) {
    top_min_ = std::min(top_min_, e.time);
    top_max_ = std::max(top_max_, e.time);
  }
  stale_ = 0;
}

}  // namespace dcsim
