// The pending-event set: a ladder queue (Tang, Goh & Thng, "Ladder Queue: An O(1) priority queue structure
// for large-scale discrete event simulation", ACM TOMACS 15(3), 2005) with handles.
//
// Order is total and deterministic: time, then priority (lower first), then insertion sequence.
//
// Structure. Events far in the future are appended, unsorted, to Top. When everything nearer has been
// dequeued, Top is spread by time over the buckets of a rung (a calendar whose bucket width is a power of
// two nanoseconds); rung buckets are consumed in time order; a bucket with more than kThreshold events is
// spread over a finer child rung; a small bucket is sorted into Bottom, from which events are popped. So
// an event is touched O(1) times amortised, and mostly by sequential passes: this is what makes it faster
// than a binary heap once the pending set outgrows the caches.
//
// Event records (time, key, action) live in a pool of 64-byte slots reused through a free list: no heap
// allocation per event in steady state. Queue entries refer to a slot and carry the key they were queued
// with; cancelling frees the slot and rescheduling gives it a new key, so a stale entry is recognised and
// skipped when it reaches Bottom (lazy deletion). When stale entries outnumber live ones the queue is
// compacted. Handles are (slot, generation): a handle to an event that fired or was cancelled is harmless.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <memory>
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
  EventSet() = default;

  bool empty() const noexcept { return size_ == 0; }
  // Live (pending) events.
  std::size_t size() const noexcept { return size_; }
  std::uint64_t scheduled_total() const noexcept { return seq_; }

  EventHandle push(SimTime t, Priority p, Callback cb) {
    const std::uint32_t s = alloc_slot();
    Record& r = pool_[s];
    r.time = t.ns();
    r.key = make_key(p);
    r.cb = cb;
    r.state = kPending;
    ++size_;
    enqueue(Entry{r.time, r.key, s});
    return EventHandle{s, r.generation};
  }

  bool pending(EventHandle h) const noexcept {
    return h.slot < pool_.size() && pool_[h.slot].generation == h.generation && pool_[h.slot].state == kPending;
  }

  // Time of a pending event; undefined for a handle that is not pending.
  SimTime time_of(EventHandle h) const noexcept { return SimTime::from_ns(pool_[h.slot].time); }

  bool cancel(EventHandle h) noexcept {
    if (!pending(h)) return false;
    free_slot(h.slot);
    --size_;
    note_stale();
    return true;
  }

  // Moves a pending event to a new time; it gets a new insertion sequence, so among events at the new time
  // and priority it runs after those already scheduled. The handle stays valid. Returns false if not pending.
  bool reschedule(EventHandle h, SimTime t) {
    if (!pending(h)) return false;
    Record& r = pool_[h.slot];
    r.time = t.ns();
    r.key = make_key(static_cast<Priority>(r.key >> kSeqBits));
    enqueue(Entry{r.time, r.key, h.slot});
    note_stale();
    return true;
  }

  // The earliest event's time; the set must not be empty.
  SimTime top_time() { return SimTime::from_ns(front().time); }

  // Removes the earliest event and returns its action; `t` receives its time. The set must not be empty.
  Callback pop(SimTime& t) {
    const Entry e = front();
    return take(e, t);
  }

  // If the earliest event is at or before `horizon`, removes it into `cb`/`t` and returns true.
  bool pop_until(SimTime horizon, SimTime& t, Callback& cb) {
    const Entry e = front();
    if (e.time > horizon.ns()) return false;
    cb = take(e, t);
    return true;
  }

 public:
  void clear();

  // Diagnostics for tests and benchmarks.
  std::size_t rung_count() const noexcept { return nrungs_; }
  // The priority band of the event popped last.
  Priority last_band() const noexcept { return last_band_; }
  std::size_t stale_entries() const noexcept { return stale_; }

 private:
  static constexpr int kSeqBits = 56;
  static constexpr std::uint64_t kSeqMask = (std::uint64_t{1} << kSeqBits) - 1;
  static constexpr std::uint32_t kFree = 0;
  static constexpr std::uint32_t kPending = 1;
  static constexpr std::uint32_t kNil = std::numeric_limits<std::uint32_t>::max();
  static constexpr std::size_t kThreshold = 48;       // a bucket larger than this is spread over a finer rung
  static constexpr std::size_t kMaxRungs = 10;
  static constexpr std::size_t kBottomMax = 1024;     // Bottom larger than this (from inserts) becomes a rung
  static constexpr std::size_t kPrefetchDistance = 4;
  static constexpr std::size_t kInterleaveNodes = 1 << 16;  // above this many nodes, drain lists interleaved

  struct Record {
    std::int64_t time;
    std::uint64_t key;  // priority << 56 | sequence: unique per scheduling
    std::uint32_t generation;
    std::uint32_t state;
    Callback cb;
  };
  struct Entry {
    std::int64_t time;
    std::uint64_t key;
    std::uint32_t slot;
  };
  struct Node {
    Entry e;
    std::uint32_t next;
  };
  struct Bucket {
    std::uint32_t head;
    std::uint32_t count;
  };
  struct Rung {
    std::int64_t start = 0;
    int shift = 0;  // bucket width 2^shift ns
    std::size_t cur = 0;
    std::vector<Bucket> buckets;
    std::int64_t cur_start() const noexcept { return start + (static_cast<std::int64_t>(cur) << shift); }
  };

  Callback take(const Entry& e, SimTime& t) {
    ++head_;
    if (bottom_end() - head_ >= static_cast<std::ptrdiff_t>(kPrefetchDistance)) {
      __builtin_prefetch(&pool_[head_[kPrefetchDistance - 1].slot]);
    }
    t = SimTime::from_ns(e.time);
    last_band_ = static_cast<Priority>(e.key >> kSeqBits);
    Record& r = pool_[e.slot];
    Callback cb = r.cb;
    free_slot(e.slot);
    --size_;
    return cb;
  }

  static bool before(const Entry& a, const Entry& b) noexcept {
    return a.time < b.time || (a.time == b.time && a.key < b.key);
  }

  std::uint64_t make_key(Priority p) noexcept { return (std::uint64_t{p} << kSeqBits) | (seq_++ & kSeqMask); }

  std::uint32_t alloc_slot() {
    if (free_head_ != kNil) {
      const std::uint32_t s = free_head_;
      free_head_ = static_cast<std::uint32_t>(pool_[s].key);
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
    r.key = free_head_;  // the free list threads through the key field of free records
    free_head_ = s;
  }

  bool live(const Entry& e) const noexcept {
    const Record& r = pool_[e.slot];
    return r.state == kPending && r.key == e.key;
  }

  void note_stale() {
    ++stale_;
    if (stale_ > 4096 && stale_ > size_) compact();
  }

  void enqueue(const Entry& e) {
    if (e.time >= top_start_) {
      top_.push_back(e);
      if (e.time < top_min_) top_min_ = e.time;
      if (e.time > top_max_) top_max_ = e.time;
      return;
    }
    for (std::size_t i = 0; i < nrungs_; ++i) {
      Rung& r = rungs_[i];
      if (e.time >= r.cur_start()) {
        push_node(r.buckets[static_cast<std::size_t>((e.time - r.start) >> r.shift)], e);
        return;
      }
    }
    insert_bottom(e);
  }

  void push_node(Bucket& b, const Entry& e) {
    std::uint32_t n;
    if (free_node_ != kNil) {
      n = free_node_;
      free_node_ = nodes_[n].next;
    } else {
      n = static_cast<std::uint32_t>(nodes_.size());
      nodes_.emplace_back();
    }
    nodes_[n].e = e;
    nodes_[n].next = b.head;
    b.head = n;
    ++b.count;
  }

  // The earliest live entry, at Bottom's read position.
  const Entry& front() {
    for (;;) {
      if (head_ == bottom_end()) refill();
      const Entry& e = *head_;
      if (live(e)) return e;
      ++head_;
      --stale_;
    }
  }

  void insert_bottom(const Entry& e);
  void refill();
  void drain_interleaved(Rung& r, const Bucket& b);
  void spread_top();
  void spawn_rung(std::int64_t start, std::int64_t limit, std::size_t expected);
  void compact();

  std::vector<Record> pool_;
  std::vector<Node> nodes_;
  std::vector<Entry> top_;
  std::vector<Entry> scratch_;
  // Sorted, earliest first; entries before head_ have been popped. An insert moves the shorter side: the
  // entries after it, or those before it down into the last popped slot. So an event scheduled at the
  // current instant (the follow-up of a completion, sorting after everything there) is an append: a burst
  // of events at one instant costs a binary search per event, not a shift of the whole burst.
  std::vector<Entry> bottom_;
  const Entry* head_ = nullptr;
  const Entry* bottom_end() const noexcept { return std::to_address(bottom_.end()); }
  std::size_t popped() const noexcept { return static_cast<std::size_t>(head_ - bottom_.data()); }
  std::array<Rung, kMaxRungs + 1> rungs_;  // rungs_[0 .. nrungs_) in use, coarsest first
  std::size_t nrungs_ = 0;
  Priority last_band_ = 0;
  std::int64_t top_start_ = std::numeric_limits<std::int64_t>::min();
  std::int64_t top_min_ = std::numeric_limits<std::int64_t>::max();
  std::int64_t top_max_ = std::numeric_limits<std::int64_t>::min();
  std::size_t size_ = 0;
  std::size_t stale_ = 0;
  std::uint32_t free_head_ = kNil;
  std::uint32_t free_node_ = kNil;
  std::uint64_t seq_ = 0;
};

}  // namespace dcsim
