// The pending-event set: a calendar queue (Brown, CACM 1988) with handles.
//
// Order is total and deterministic: time, then priority (lower first), then insertion sequence.
// Events live in a pool of fixed 64-byte records reused through a free list, so steady-state operation does
// not allocate. Each bucket of the calendar is a doubly linked list of records sorted by (time, key), with a
// tail pointer so that the common case (a later event, or events at one instant in insertion order) appends
// in O(1). Cancel unlinks in O(1) through a handle (slot, generation); a handle to an event that has fired or
// been cancelled is detected by its generation and is harmless.
//
// The bucket width is a power of two nanoseconds, re-estimated from the events at the front of the queue
// whenever the number of buckets changes (size doubles or halves) and whenever the measured cost per operation
// (empty buckets skipped plus list steps walked) drifts above a threshold, so the queue adapts when a run's
// time scale changes (e.g. from microsecond arrivals to hour-long idle periods).
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "sim/core/callback.hpp"
#include "sim/core/time.hpp"

namespace dcsim {

using Priority = std::uint8_t;

// Priority bands for simultaneous events: at one instant, control runs first, then the fleet, workload,
// serving, power and thermal models, and samplers last so that they see the state after that instant.
namespace phase {
inline constexpr Priority control = 0;
inline constexpr Priority fleet = 32;
inline constexpr Priority workload = 64;
inline constexpr Priority serving = 96;
inline constexpr Priority power = 128;
inline constexpr Priority thermal = 160;
inline constexpr Priority cooling = 192;
inline constexpr Priority sample = 255;
}  // namespace phase

struct EventHandle {
  std::uint32_t slot = std::numeric_limits<std::uint32_t>::max();
  std::uint32_t generation = 0;
  bool valid() const noexcept { return slot != std::numeric_limits<std::uint32_t>::max(); }
};

class EventSet {
 public:
  static constexpr std::uint32_t kNil = std::numeric_limits<std::uint32_t>::max();

  EventSet();

  bool empty() const noexcept { return size_ == 0; }
  std::size_t size() const noexcept { return size_; }
  std::uint64_t scheduled_total() const noexcept { return seq_; }

  EventHandle push(SimTime t, Priority p, Callback cb) {
    const std::uint32_t s = alloc_slot();
    Record& r = pool_[s];
    r.time = t.ns();
    r.key = make_key(p);
    r.cb = cb;
    r.state = kPending;
    link(s);
    grow_if_needed();
    return EventHandle{s, r.generation};
  }

  bool pending(EventHandle h) const noexcept {
    return h.slot < pool_.size() && pool_[h.slot].generation == h.generation && pool_[h.slot].state == kPending;
  }

  // Time of a pending event; undefined for a handle that is not pending.
  SimTime time_of(EventHandle h) const noexcept { return SimTime::from_ns(pool_[h.slot].time); }

  bool cancel(EventHandle h) noexcept {
    if (!pending(h)) return false;
    unlink(h.slot);
    free_slot(h.slot);
    shrink_if_needed();
    return true;
  }

  // Moves a pending event to a new time; it gets a new insertion sequence, so among events at the new time
  // and priority it runs after those already scheduled. The handle stays valid. Returns false if not pending.
  bool reschedule(EventHandle h, SimTime t) noexcept {
    if (!pending(h)) return false;
    unlink(h.slot);
    Record& r = pool_[h.slot];
    r.time = t.ns();
    r.key = make_key(static_cast<Priority>(r.key >> kSeqBits));
    link(h.slot);
    return true;
  }

  // The earliest event's time; the set must not be empty. May advance the internal cursor.
  SimTime top_time() { return SimTime::from_ns(pool_[find_min()].time); }

  // Removes the earliest event and returns its action; `t` receives its time. The set must not be empty.
  Callback pop(SimTime& t) {
    const std::uint32_t s = find_min();
    Record& r = pool_[s];
    t = SimTime::from_ns(r.time);
    Callback cb = r.cb;
    unlink_head(s);
    free_slot(s);
    shrink_if_needed();
    return cb;
  }

  void clear();

  // Diagnostics for tests and benchmarks.
  std::size_t bucket_count() const noexcept { return heads_.size(); }
  int width_log2() const noexcept { return shift_; }

 private:
  static constexpr int kSeqBits = 56;
  static constexpr std::uint64_t kSeqMask = (std::uint64_t{1} << kSeqBits) - 1;
  static constexpr std::uint32_t kFree = 0;
  static constexpr std::uint32_t kPending = 1;
  static constexpr std::size_t kMinBuckets = 16;

  struct Record {
    std::int64_t time;
    std::uint64_t key;  // priority << 56 | sequence
    std::uint32_t next;
    std::uint32_t prev;
    std::uint32_t generation;
    std::uint32_t state;
    Callback cb;
  };

  std::uint64_t make_key(Priority p) noexcept { return (std::uint64_t{p} << kSeqBits) | (seq_++ & kSeqMask); }

  static bool before(const Record& a, const Record& b) noexcept {
    return a.time < b.time || (a.time == b.time && a.key < b.key);
  }

  std::uint32_t alloc_slot() {
    if (free_head_ != kNil) {
      const std::uint32_t s = free_head_;
      free_head_ = pool_[s].next;
      return s;
    }
    pool_.emplace_back();
    pool_.back().generation = 1;
    return static_cast<std::uint32_t>(pool_.size() - 1);
  }

  void free_slot(std::uint32_t s) noexcept {
    Record& r = pool_[s];
    r.state = kFree;
    ++r.generation;
    r.next = free_head_;
    free_head_ = s;
    --size_;
  }

  void link(std::uint32_t s) noexcept {
    Record& r = pool_[s];
    const std::int64_t vb = r.time >> shift_;
    if (size_ == 0 || vb < cur_vb_) cur_vb_ = vb;
    ++size_;
    const std::size_t b = static_cast<std::size_t>(vb) & mask_;
    std::uint32_t t = tails_[b];
    if (t == kNil) {
      heads_[b] = tails_[b] = s;
      r.next = r.prev = kNil;
      return;
    }
    if (!before(r, pool_[t])) {  // append: the common case
      pool_[t].next = s;
      r.prev = t;
      r.next = kNil;
      tails_[b] = s;
      return;
    }
    // Walk backwards from the tail to the last record that precedes r.
    std::uint32_t p = pool_[t].prev;
    ++ops_cost_;
    while (p != kNil && before(r, pool_[p])) {
      p = pool_[p].prev;
      ++ops_cost_;
    }
    const std::uint32_t n = (p == kNil) ? heads_[b] : pool_[p].next;
    r.prev = p;
    r.next = n;
    pool_[n].prev = s;
    if (p == kNil) heads_[b] = s; else pool_[p].next = s;
  }

  void unlink(std::uint32_t s) noexcept {
    Record& r = pool_[s];
    const std::size_t b = static_cast<std::size_t>(r.time >> shift_) & mask_;
    if (r.prev == kNil) heads_[b] = r.next; else pool_[r.prev].next = r.next;
    if (r.next == kNil) tails_[b] = r.prev; else pool_[r.next].prev = r.prev;
  }

  void unlink_head(std::uint32_t s) noexcept {
    Record& r = pool_[s];
    const std::size_t b = static_cast<std::size_t>(r.time >> shift_) & mask_;
    heads_[b] = r.next;
    if (r.next == kNil) tails_[b] = kNil; else pool_[r.next].prev = kNil;
  }

  std::uint32_t find_min() {
    // Scan at most one "year" of buckets from the cursor; fall back to a direct search.
    const std::size_t nb = heads_.size();
    std::int64_t vb = cur_vb_;
    for (std::size_t i = 0; i < nb; ++i, ++vb) {
      const std::uint32_t h = heads_[static_cast<std::size_t>(vb) & mask_];
      if (h != kNil && (pool_[h].time >> shift_) == vb) {
        ops_cost_ += i;
        cur_vb_ = vb;
        if (++ops_ >= check_every_) check_cost();
        return h;
      }
    }
    return direct_search();
  }

  std::uint32_t direct_search();
  void grow_if_needed() {
    if (size_ > 2 * heads_.size()) rebuild(heads_.size() * 2);
  }
  void shrink_if_needed() {
    if (heads_.size() > kMinBuckets && size_ < heads_.size() / 4) rebuild(heads_.size() / 2);
  }
  void check_cost();
  void rebuild(std::size_t buckets);
  int estimate_shift();

  std::vector<Record> pool_;
  std::vector<std::uint32_t> heads_;
  std::vector<std::uint32_t> tails_;
  std::vector<std::int64_t> scratch_;
  std::size_t mask_ = 0;
  int shift_ = 20;  // initial width ~1 ms
  std::int64_t cur_vb_ = 0;
  std::size_t size_ = 0;
  std::uint32_t free_head_ = kNil;
  std::uint64_t seq_ = 0;
  std::uint64_t ops_ = 0;
  std::uint64_t ops_cost_ = 0;
  std::uint64_t check_every_ = 1024;
};

}  // namespace dcsim
