// Iteration-level batching of LLM requests on one GPU, in closed form between batch changes
// (continuous_batch.hpp).
#include "models/serving/continuous_batch.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace dcsim::serving {

ContinuousBatcher::ContinuousBatcher(LlmLatency lat, LlmLimits lim) : base_(lat), lat_(lat), lim_(lim) {
  if (!(lat_.decode_time(1, 0) > 0) || !(lat_.prefill_time(0) >= 0)) {
    throw std::invalid_argument("the decode iteration must take time (a_d + b_d > 0) and a prefill no negative time");
  }
  if (lim_.chunked_prefill && lim_.prefill_budget <= lim_.max_batch) {
    throw std::invalid_argument("with chunked prefill the token budget of an iteration (" + std::to_string(lim_.prefill_budget) +
                                ") must exceed max_batch (" + std::to_string(lim_.max_batch) + "), to leave room for a chunk");
  }
}

namespace {
// The tokens a joiner's prefill processes with chunked prefill: its prompt and output so far, at least one
// (an empty prompt still takes an iteration to give its first token).
template <class R>
std::uint64_t fill_tokens(const R& r) {
  return std::max<std::uint64_t>(1, r.tokens());
}
}  // namespace

double ContinuousBatcher::first_token_promise(std::uint64_t id) const {
  constexpr double never = std::numeric_limits<double>::infinity();
  if (lim_.chunked_prefill) return never;
  if (phase_ == Phase::prefill && wait_.empty()) {  // it found the GPU idle: its prefill is under way
    for (const Req& r : joining_) {
      if (r.id == id) return next_;
    }
    return never;
  }
  if (wait_.empty() || wait_.back().id != id) return never;
  // The cache when the next prefill is composed (at most: finishes only free it), and the running batch.
  std::uint64_t k = cached_, b = run_.size();
  if (phase_ == Phase::prefill) {
    k += joining_cache_;
    b += joining_.size();
  } else if (phase_ == Phase::decode) {
    if (due_ == Due::kv_full) return never;  // a preemption comes first
    k += due_n_ * b;
  } else {
    return never;
  }
  // Everything waiting joins the next prefill if the budget, the batch limit and the cache take it all:
  // the last joiner's need (its cache, and room for the next iteration) is the largest of the checks.
  const std::uint64_t tokens = wait_.tokens();
  k += tokens + wait_.size();
  if (tokens > lim_.prefill_budget || b + wait_.size() > lim_.max_batch || k + b + wait_.size() > lim_.kv_tokens) return never;
  return next_ + lat_.prefill_time(static_cast<double>(lim_.prefill_budget));
}

bool ContinuousBatcher::later(const Req& a, const Req& b) noexcept { return a.key > b.key; }

void ContinuousBatcher::join_run(Req& r) {
  if (seq_ == std::uint32_t{1} << kSeqBits) {
    // Renumber the running requests' join orders 0..b-1 (their relative order, hence the heap, unchanged).
    std::vector<std::pair<std::uint32_t, std::size_t>> order;
    for (std::size_t j = 0; j < run_.size(); ++j) order.emplace_back(run_[j].seq(), j);
    std::sort(order.begin(), order.end());
    for (std::size_t j = 0; j < order.size(); ++j) {
      Req& q = run_[order[j].second];
      q.key = q.end() << kSeqBits | j;
    }
    seq_ = static_cast<std::uint32_t>(run_.size());
  }
  r.key = (iter_ + (r.output - r.done)) << kSeqBits | seq_++;
  cached_ += r.tokens();
  run_.push_back(r);
  std::push_heap(run_.begin(), run_.end(), later);
}

double ContinuousBatcher::prefill_share() const noexcept {
  if (phase_ == Phase::prefill) return 1;
  if (phase_ != Phase::decode || chunk_ == 0) return 0;
  if (run_.empty()) return 1;
  return seg_bp_ * static_cast<double>(chunk_) / seg_a_;
}

std::uint64_t ContinuousBatcher::cached_tokens() const noexcept { return cached_; }

double ContinuousBatcher::decode_span(std::uint64_t n) const {
  const double dn = static_cast<double>(n);
  return dn * seg_a_ + seg_g_ * dn * (dn - 1) / 2;
}

std::uint64_t ContinuousBatcher::iterations_within(double dt) const {
  if (!(dt > 0)) return 0;
  const double a = seg_a_, c = seg_g_;
  double n = c > 0 ? (-(a - c / 2) + std::sqrt((a - c / 2) * (a - c / 2) + 2 * c * dt)) / c : dt / a;
  auto k = static_cast<std::uint64_t>(std::max(0.0, std::floor(n)));
  while (decode_span(k + 1) <= dt) ++k;  // the root is exact to a few ulps: settle it on T itself
  while (k > 0 && decode_span(k) > dt) --k;
  return k;
}

void ContinuousBatcher::submit(std::uint64_t id, std::uint32_t prompt, std::uint32_t output, double now) {
  if (output == 0) throw std::invalid_argument("a request must generate at least one token");
  if (output >= std::uint32_t{1} << 31) throw std::invalid_argument("a request of 2^31 output tokens or more");
  if (id > std::numeric_limits<std::uint32_t>::max()) throw std::invalid_argument("a request id must be below 2^32");
  if (static_cast<std::uint64_t>(prompt) + output > lim_.kv_tokens) {
    throw std::invalid_argument("a request of " + std::to_string(prompt) + " + " + std::to_string(output) +
                                " tokens can never fit a KV cache of " + std::to_string(lim_.kv_tokens) + " tokens");
  }
  if (!lim_.chunked_prefill && static_cast<std::uint64_t>(prompt) + output > lim_.prefill_budget) {
    // A preempted request is recomputed with its output so far: its prompt and output must fit the budget.
    throw std::invalid_argument("a request of " + std::to_string(prompt) + " + " + std::to_string(output) +
                                " tokens can exceed the prefill budget of " + std::to_string(lim_.prefill_budget) + " tokens");
  }
  wait_.push_back(Req{static_cast<std::uint32_t>(id), prompt, output});
  switch (phase_) {
    case Phase::idle: next_segment(now); break;
    case Phase::prefill: break;  // the prefill's end looks at the queue
    case Phase::decode: {
      // Nothing can join before a request leaves. (Chunked: the joiners of the stream count too.)
      if (run_.size() + joining_.size() >= lim_.max_batch) break;
      // Join at the first iteration boundary at or after now.
      std::uint64_t nb = iterations_within(now - t0_);
      if (t0_ + decode_span(nb) < now) ++nb;
      if (nb < due_n_) {
        due_ = Due::join;
        due_n_ = nb;
        next_ = t0_ + decode_span(nb);
      }
      break;
    }
  }
}

bool ContinuousBatcher::withdraw(std::uint64_t id) {
  const auto it = std::find_if(wait_.begin(), wait_.end(), [id](const Req& r) { return r.id == id; });
  if (it == wait_.end()) return false;
  wait_.erase(it);
  // Idle with the queue emptied, or a change planned for a join that no longer has a joiner: plan again.
  // A join planned for a queue now empty: the decode segment goes on as if the request had never come.
  if (phase_ == Phase::decode && due_ == Due::join && wait_.empty()) plan_decode();
  return true;
}

void ContinuousBatcher::clear(std::vector<std::uint64_t>& ids) {
  std::vector<Req> by_join(run_.begin(), run_.end());
  std::sort(by_join.begin(), by_join.end(), [](const Req& a, const Req& b) { return a.seq() < b.seq(); });
  for (const Req& r : by_join) ids.push_back(r.id);
  for (const Req& r : joining_) ids.push_back(r.id);
  for (const Req& r : wait_) ids.push_back(r.id);
  run_.clear();
  cached_ = 0;
  joining_.clear();
  stream_ = reserved_ = 0;
  head_filled_ = 0;
  chunk_ = 0;
  wait_.clear();
  phase_ = Phase::idle;
  due_ = Due::none;
  due_n_ = 0;
  next_ = std::numeric_limits<double>::infinity();
}

void ContinuousBatcher::set_speed(double f) {
  lat_ = base_;
  lat_.prefill_s /= f;
  lat_.prefill_s_per_token /= f;
  lat_.decode_s /= f;
  lat_.decode_s_per_request /= f;
  lat_.decode_s_per_token /= f;
}

void ContinuousBatcher::start_prefill(double now) {
  joining_.clear();
  std::uint64_t k = cached_tokens(), tokens = 0;
  while (!wait_.empty() && run_.size() + joining_.size() < lim_.max_batch) {
    const Req& r = wait_.front();
    const std::uint64_t p = r.tokens();  // recomputed with its output so far
    // Room for its cache and, unless it is alone, for the batch's next decode iteration too: a request that
    // joined only to be preempted at once would thrash.
    const bool alone = run_.empty() && joining_.empty();
    const std::uint64_t need = k + p + 1 + (alone ? 0 : run_.size() + joining_.size() + 1);
    if (tokens + p > lim_.prefill_budget || need > lim_.kv_tokens) break;
    tokens += p;
    k += p + 1;
    joining_.push_back(r);
    wait_.pop_front();
  }
  joining_cache_ = k - cached_tokens();
  if (!joining_.empty()) {
    phase_ = Phase::prefill;
    t0_ = now;
    due_ = Due::prefill_end;
    due_n_ = 0;
    next_ = now + lat_.prefill_time(static_cast<double>(tokens));
  } else if (!run_.empty()) {
    start_decode(now);
  } else {
    phase_ = Phase::idle;
    due_ = Due::none;
    next_ = std::numeric_limits<double>::infinity();
  }
}

void ContinuousBatcher::start_decode(double now) {
  phase_ = Phase::decode;
  t0_ = now;
  k0_ = cached_tokens();
  chunk_ = 0;
  seg_a_ = lat_.decode_time(static_cast<double>(run_.size()), static_cast<double>(k0_));
  seg_g_ = lat_.decode_s_per_token * static_cast<double>(run_.size());
  plan_decode();
}

void ContinuousBatcher::plan_decode() {
  const std::uint64_t b = run_.size();
  const std::uint64_t none = std::numeric_limits<std::uint64_t>::max();
  const std::uint64_t n_fin = b == 0 ? none : run_.front().end() - iter_;  // the next to finish is on top
  const std::uint64_t held = k0_ + reserved_;  // the running requests' cache and the joiners' reservations
  const std::uint64_t n_kv = b == 0 ? none : held + b > lim_.kv_tokens ? 0 : (lim_.kv_tokens - held) / b;
  if (n_kv < n_fin) {
    due_ = Due::kv_full;
    due_n_ = n_kv;
  } else {
    due_ = Due::finish;
    due_n_ = n_fin;
  }
  if (chunk_ > 0) {
    // The first joiner's prompt is done, or the stream is short of another full chunk (the segment's chunk
    // size would change): whichever comes first.
    const Req& h = joining_.front();
    const std::uint64_t left = fill_tokens(h) - head_filled_;
    const std::uint64_t n_c = std::min((left + chunk_ - 1) / chunk_, stream_ / chunk_);
    if (n_c <= due_n_) {
      due_ = Due::chunk;
      due_n_ = n_c;
    }
  }
  next_ = t0_ + decode_span(due_n_);
}

void ContinuousBatcher::admit_stream() {
  std::uint64_t k = cached_ + reserved_;
  while (!wait_.empty() && run_.size() + joining_.size() < lim_.max_batch) {
    const Req& r = wait_.front();
    const std::uint64_t p = fill_tokens(r);  // recomputed with its output so far
    // As in start_prefill: its cache, and room for the batch's next iteration unless it is alone.
    const bool alone = run_.empty() && joining_.empty();
    if (k + p + 1 + (alone ? 0 : run_.size() + joining_.size() + 1) > lim_.kv_tokens) break;
    k += p + 1;
    reserved_ += p + 1;
    stream_ += p;
    joining_.push_back(r);
    wait_.pop_front();
  }
}

void ContinuousBatcher::start_segment(double now) {
  admit_stream();
  if (stream_ == 0) {
    if (!run_.empty()) {
      start_decode(now);
    } else {
      phase_ = Phase::idle;
      due_ = Due::none;
      chunk_ = 0;
      next_ = std::numeric_limits<double>::infinity();
    }
    return;
  }
  const std::uint64_t b = run_.size();
  phase_ = Phase::decode;
  t0_ = now;
  k0_ = cached_tokens();
  chunk_ = std::min(lim_.prefill_budget - b, stream_);  // the budget exceeds max_batch (constructor)
  const double c = static_cast<double>(chunk_);
  seg_bp_ = lat_.prefill_s_per_token;
  seg_a_ = b > 0 ? lat_.decode_time(static_cast<double>(b), static_cast<double>(k0_)) + seg_bp_ * c : lat_.prefill_time(c);
  seg_g_ = lat_.decode_s_per_token * static_cast<double>(b);
  plan_decode();
}

void ContinuousBatcher::advance_stream(std::uint64_t n, double t, std::vector<Event>& out) {
  std::uint64_t tokens = n * chunk_;  // at most the stream (the segment ends before it runs short)
  stream_ -= tokens;
  std::size_t j = 0;
  for (; j < joining_.size(); ++j) {
    Req& r = joining_[j];
    const std::uint64_t p = fill_tokens(r);
    if (tokens < p - head_filled_) {
      head_filled_ += static_cast<std::uint32_t>(tokens);
      break;
    }
    tokens -= p - head_filled_;
    head_filled_ = 0;
    reserved_ -= p + 1;
    prefilled(r, t, out);  // the iteration with the prompt's last chunk produces its next token
  }
  joining_.erase(joining_.begin(), joining_.begin() + static_cast<std::ptrdiff_t>(j));
}

void ContinuousBatcher::prefilled(Req& r, double t, std::vector<Event>& out) {
  ++r.done;
  ++generated_;
  if (!r.started) {
    r.started = true;
    out.push_back({What::first_token, r.id, t});
  }
  if (r.done == r.output) {
    out.push_back({What::finished, r.id, t});
  } else {
    join_run(r);
  }
}

void ContinuousBatcher::advance(std::vector<Event>& out) {
  const double t = next_;
  if (phase_ == Phase::idle) return;
  if (phase_ == Phase::prefill) {
    for (Req& r : joining_) prefilled(r, t, out);
    joining_.clear();
    start_prefill(t);
    return;
  }
  const std::size_t b = run_.size();  // the requests that decoded in the segment (joiners join at its end)
  // A decode segment's change: its iterations so far, and the requests whose last token they gave, off the
  // top of the heap (in join order among them).
  const std::uint64_t n = due_n_;
  iter_ += n;
  generated_ += n * b;
  cached_ += n * b;
  while (!run_.empty() && run_.front().end() == iter_) {
    const Req& r = run_.front();
    out.push_back({What::finished, r.id, t});
    cached_ -= static_cast<std::uint64_t>(r.prompt) + r.output;
    std::pop_heap(run_.begin(), run_.end(), later);
    run_.pop_back();
  }
  if (chunk_ > 0) advance_stream(n, t, out);
  // The cache is full for another iteration: the request that joined last gives its cache up (chunked: a
  // joiner of the stream first, the newest first).
  while (!joining_.empty() && cached_ + reserved_ + run_.size() > lim_.kv_tokens) {
    const Req& r = joining_.back();
    const std::uint64_t p = fill_tokens(r);
    stream_ -= p - (joining_.size() == 1 ? head_filled_ : 0);
    if (joining_.size() == 1) head_filled_ = 0;
    reserved_ -= p + 1;
    out.push_back({What::preempted, r.id, t});
    wait_.push_front(r);
    joining_.pop_back();
  }
  while (!run_.empty() && cached_ + run_.size() > lim_.kv_tokens) {
    const auto it = std::max_element(run_.begin(), run_.end(), [](const Req& x, const Req& y) { return x.seq() < y.seq(); });
    Req r = *it;
    r.done = r.output - static_cast<std::uint32_t>(r.end() - iter_);
    cached_ -= r.tokens();
    out.push_back({What::preempted, r.id, t});
    wait_.push_front(r);
    *it = run_.back();
    run_.pop_back();
    std::make_heap(run_.begin(), run_.end(), later);  // rare: a full cache
  }
  next_segment(t);
}

}  // namespace dcsim::serving
