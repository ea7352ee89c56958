// Fingerprints of a run, as OMNeT++'s fingerprint tests use them: a hash of the event trace (each event's
// time and priority band, in execution order) and of every random draw (each 64-bit output of every
// stream, in the order drawn). Two runs with equal fingerprints made the same events at the same instants
// and drew the same numbers; a change to any model's behaviour changes it. The hashes are order-dependent
// word mixes (rotate, xor, multiply by the 64-bit golden ratio) finished with SplitMix64: fast enough to
// run on every event and draw, not meant to resist deliberate collisions.
//
// Event kinds and entities are not part of the trace: events are plain callbacks without a label.
#pragma once

#include <bit>
#include <cstdint>
#include <cstdio>
#include <string>

namespace dcsim {

class Fingerprint {
 public:
  void add_event(std::int64_t time_ns, std::uint8_t band) noexcept {
    events_ = mix(mix(events_, static_cast<std::uint64_t>(time_ns)), band);
    ++event_count_;
  }
  void add_draw(std::uint64_t x) noexcept {
    draws_ = mix(draws_, x);
    ++draw_count_;
  }

  std::uint64_t event_count() const noexcept { return event_count_; }
  std::uint64_t draw_count() const noexcept { return draw_count_; }
  std::uint64_t events_hash() const noexcept { return finish(events_ ^ event_count_); }
  std::uint64_t draws_hash() const noexcept { return finish(draws_ ^ draw_count_); }
  // Both traces in one number.
  std::uint64_t value() const noexcept { return finish(events_hash() ^ std::rotl(draws_hash(), 32)); }
  // 16 lower-case hex digits.
  static std::string hex(std::uint64_t v) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
    return buf;
  }

 private:
  static constexpr std::uint64_t mix(std::uint64_t h, std::uint64_t x) noexcept {
    return (std::rotl(h, 5) ^ x) * 0x9e3779b97f4a7c15ULL;
  }
  static constexpr std::uint64_t finish(std::uint64_t z) noexcept {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::uint64_t events_ = 0, draws_ = 0, event_count_ = 0, draw_count_ = 0;
};

}  // namespace dcsim
