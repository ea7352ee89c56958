// Iteration-level ("continuous") batching of LLM requests on one GPU, as vLLM and Orca schedule it, computed
// in closed form between changes of the batch.
//
// A request has a prompt of p tokens and an output of o tokens. It waits (FIFO), then joins the running
// batch at an iteration boundary through a prefill iteration, which processes the prompts of every request
// joining there (as many as fit the token budget, the batch limit and the KV cache, with room left for the
// batch's next decode iteration unless the request is alone) in
//     t_prefill(n) = a_p + b_p · n            (n prompt tokens in the iteration)
// and gives each its first token. The running requests then advance together by decode iterations, each
// producing one token per request, in
//     t_decode(b, K) = a_d + b_d · b + c_d · K   (b requests, K tokens cached: prompts and outputs so far)
// Without chunked prefill the running requests stall during a prefill iteration (vLLM's default schedule).
// With chunked prefill (Sarathi-Serve, Agrawal et al., OSDI 2024) the prefill budget is the tokens of one
// iteration: the running requests decode in every iteration, and the joiners' prompts, in FIFO order,
// fill the rest of the budget in chunks; a joiner gets its first token at the end of the iteration that
// holds its prompt's last chunk, and decodes from the next. Such a hybrid iteration of b running requests
// and c prompt tokens takes
//     t_hybrid(b, K, c) = t_decode(b, K) + b_p · c    (b > 0; a_p + b_p · c without running requests),
// an assumption in Sarathi-Serve's spirit: the prompt tokens ride on the decode's weight reads, so only
// their per-token cost is added. A joiner's cache (its prompt and first token) is reserved when it joins.
// The KV cache holds at most M tokens; a decode iteration needs one more slot per running request, and when
// the cache is full the request that joined last is preempted: its cache is freed and it waits again at
// the head of the queue, to be recomputed (a prefill of its prompt and its output so far; its first token
// was already delivered).
//
// Cost of simulating it: between two changes of the batch (a join, a finish, a preemption) the decode
// iterations are uniform in b and grow K by b each, so n iterations from K0 take
//     T(n) = n (a_d + b_d b + c_d K0) + c_d b n (n − 1) / 2,
// and the instant of the next change is found by solving T(n) for n: a few events per request, not one per
// token. A hybrid segment is the same sum with t_hybrid in place of t_decode (c is constant in it: it ends
// when a joiner's prompt is done or the stream of prompts runs short of a full chunk). The class knows nothing of the engine: the caller submits requests, asks for the next change and
// advances to it.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

namespace dcsim::serving {

struct LlmLatency {
  double prefill_s = 0, prefill_s_per_token = 0;                       // a_p, b_p
  double decode_s = 0, decode_s_per_request = 0, decode_s_per_token = 0;  // a_d, b_d, c_d (per cached token)
  double prefill_time(double tokens) const { return prefill_s + prefill_s_per_token * tokens; }
  double decode_time(double b, double cached) const { return decode_s + decode_s_per_request * b + decode_s_per_token * cached; }
};

struct LlmLimits {
  std::uint64_t kv_tokens = std::numeric_limits<std::uint64_t>::max();     // M
  std::uint32_t max_batch = std::numeric_limits<std::uint32_t>::max();     // running requests at most
  std::uint64_t prefill_budget = std::numeric_limits<std::uint64_t>::max();  // prompt tokens per prefill iteration
  // Sarathi-Serve's chunked prefill: prefill_budget is then the tokens of one iteration (decodes and
  // prompt chunks), which must exceed max_batch; a prompt of any length is served in chunks.
  bool chunked_prefill = false;
};

class ContinuousBatcher {
 public:
  enum class What : std::uint8_t { first_token, finished, preempted };
  struct Event {
    What what;
    std::uint64_t id;
    double t;
  };

  // Throws std::invalid_argument if a decode iteration takes no time or a prefill negative time, or if a
  // chunked prefill's budget leaves no room for a chunk beside max_batch decodes.
  ContinuousBatcher(LlmLatency lat, LlmLimits lim);

  // A request arrives at `now` (not before the last change). Throws std::invalid_argument if it can never
  // fit the KV cache or (without chunked prefill) the prefill budget, or has no output.
  void submit(std::uint64_t id, std::uint32_t prompt_tokens, std::uint32_t output_tokens, double now);
  // The instant of the next change of the batch (infinity when idle with nothing waiting).
  double next_change() const noexcept { return next_; }
  // Applies the change due at next_change(), appending what happened to `out`.
  void advance(std::vector<Event>& out);

  std::size_t running() const noexcept { return run_.size(); }
  std::size_t waiting() const noexcept { return wait_.size(); }
  // Requests given to the batcher and not finished: running, joining in a prefill, or waiting.
  std::size_t assigned() const noexcept { return run_.size() + joining_.size() + wait_.size(); }
  bool idle() const noexcept { return phase_ == Phase::idle; }
  // The share of the current iteration's time that is prefill work: 1 in a prefill iteration, 0 in a plain
  // decode iteration, b_p·c / t_hybrid in a hybrid one (chunked prefill). The power model weighs the two
  // phases' powers by it.
  double prefill_share() const noexcept;
  // The latest instant by which request `id`, submitted last, will have its first token, if the batcher can
  // promise it whatever arrives after it: it is in the prefill under way, or everything waiting (it last)
  // will join the next prefill, which starts at the next change and holds at most prefill_budget tokens.
  // The promise holds at the current speed and without a preemption on this GPU (the caller re-arms what
  // it relied on when either happens). Infinity when it cannot promise (chunked prefill: never).
  double first_token_promise(std::uint64_t id) const;
  // The requests waiting inside the batcher (for the next prefill or for KV room), appended to `ids`.
  void waiting(std::vector<std::uint64_t>& ids) const {
    for (const Req& r : wait_) ids.push_back(r.id);
  }
  // Takes a waiting request out (a user who gave up before the first token). False if it is not waiting
  // (running, or joining in the prefill under way: its first token is being computed).
  bool withdraw(std::uint64_t id);
  // Empties the batcher (its GPU failed or shut down): every request given to it and not finished, those
  // that joined first first, appended to `ids`. Its tokens so far are lost.
  void clear(std::vector<std::uint64_t>& ids);
  // Latency at clock factor f: every iteration takes 1/f as long. Takes effect from the next change of the
  // batch (an iteration or a decode segment under way keeps its pace).
  void set_speed(double f);
  std::uint64_t cached_tokens() const noexcept;  // K now (as of the last change)
  std::uint64_t tokens_generated() const noexcept { return generated_; }  // output tokens delivered so far

 private:
  // 24 bytes: a GPU holds up to max_batch of them, and a fleet thousands of GPUs.
  struct Req {
    std::uint32_t id;
    std::uint32_t prompt;        // tokens to prefill (prompt, plus the output so far after a preemption)
    std::uint32_t output;        // output tokens in all
    std::uint32_t done : 31 = 0;  // output tokens produced (while running: as of joining; see end())
    std::uint32_t started : 1 = 0;  // its first token was delivered
    // While running: the decode iteration (of iter_) that gives its last token, and below it the order it
    // joined in (mod 2^24, renumbered before it wraps): the heap's key.
    std::uint64_t key = 0;
    std::uint64_t tokens() const noexcept { return std::uint64_t{prompt} + done; }  // its prefill (and cache)
    std::uint64_t end() const noexcept { return key >> kSeqBits; }
    std::uint32_t seq() const noexcept { return static_cast<std::uint32_t>(key & ((std::uint64_t{1} << kSeqBits) - 1)); }
  };
  static constexpr int kSeqBits = 24;
  enum class Phase : std::uint8_t { idle, prefill, decode };
  // The waiting requests, FIFO: a vector read from a head index (a preempted request goes back in front),
  // emptied in place when drained, so a GPU's queue allocates once rather than in deque blocks. It keeps
  // the sum of its requests' tokens() (what their prefill would process).
  class Fifo {
   public:
    bool empty() const noexcept { return head_ == v_.size(); }
    std::size_t size() const noexcept { return v_.size() - head_; }
    std::uint64_t tokens() const noexcept { return tokens_; }
    const Req& front() const { return v_[head_]; }
    const Req& back() const { return v_.back(); }
    void push_back(const Req& r) { v_.push_back(r), tokens_ += r.tokens(); }
    void push_front(const Req& r) {
      if (head_ > 0) v_[--head_] = r; else v_.insert(v_.begin(), r);
      tokens_ += r.tokens();
    }
    void pop_front() {
      tokens_ -= v_[head_].tokens();
      if (++head_ == v_.size()) clear();
    }
    void clear() noexcept { v_.clear(), head_ = 0, tokens_ = 0; }
    std::vector<Req>::const_iterator begin() const { return v_.begin() + static_cast<std::ptrdiff_t>(head_); }
    std::vector<Req>::const_iterator end() const { return v_.end(); }
    void erase(std::vector<Req>::const_iterator it) {
      tokens_ -= it->tokens();
      v_.erase(it);
      if (empty()) clear();
    }

   private:
    std::vector<Req> v_;
    std::size_t head_ = 0;
    std::uint64_t tokens_ = 0;
  };

  double decode_span(std::uint64_t n) const;        // T(n) of the current decode segment
  std::uint64_t iterations_within(double dt) const;  // the largest n with T(n) <= dt
  void plan();                                       // sets next_ from the state
  void start_prefill(double now);                    // the joiners that fit, or a decode segment
  void start_decode(double now);
  void join_run(Req& r);                             // into run_, the heap on the iteration it ends at
  static bool later(const Req& a, const Req& b) noexcept;  // a ends after b (the heap's order)
  void plan_decode();                                // the segment's next change, from t0_, k0_ and the stream
  void start_segment(double now);                    // chunked: admits joiners, then a hybrid or decode segment
  void admit_stream();                               // chunked: waiting requests into the prefill stream
  void advance_stream(std::uint64_t n, double t, std::vector<Event>& out);  // n hybrid iterations' chunks
  void prefilled(Req& r, double t, std::vector<Event>& out);  // its prefill gave its next token: run or finish
  void next_segment(double t) { lim_.chunked_prefill ? start_segment(t) : start_prefill(t); }

  LlmLatency base_, lat_;  // at full clock, and at the current speed
  LlmLimits lim_;
  // The running requests, a heap on the decode iteration they end at (then the order they joined), the
  // next to finish on top: a change touches only the requests it finishes, not every running request.
  std::vector<Req> run_;
  std::uint64_t iter_ = 0;  // decode iterations so far (running requests all advance one per iteration)
  std::uint32_t seq_ = 0;   // the next join's order (below 2^kSeqBits)
  std::uint64_t joining_cache_ = 0;  // the cache the prefill under way adds (prompt, output so far, one token each)
  Fifo wait_;
  std::vector<Req> joining_;  // in the prefill iteration under way (chunked: the prefill stream, FIFO)
  Phase phase_ = Phase::idle;
  double t0_ = 0;            // start of the current iteration (prefill) or segment (decode)
  std::uint64_t k0_ = 0;     // cached tokens at the segment's start
  double next_ = std::numeric_limits<double>::infinity();
  double seg_a_ = 0, seg_g_ = 0;  // the segment's first iteration time, and its growth per iteration
  double seg_bp_ = 0;             // the segment's prefill time per prompt token (its speed's)
  std::uint64_t chunk_ = 0;       // prompt tokens per iteration of the segment (0: a plain decode segment)
  std::uint64_t stream_ = 0;      // chunked: the joiners' prompt tokens not processed yet
  std::uint64_t reserved_ = 0;    // chunked: KV reserved for the joiners (prompt and first token each)
  std::uint32_t head_filled_ = 0;  // chunked: tokens of the first joiner's prompt processed so far
  enum class Due : std::uint8_t { none, prefill_end, finish, kv_full, join, chunk } due_ = Due::none;
  std::uint64_t due_n_ = 0;  // decode iterations at the change
  bool join_pending_ = false;
  std::uint64_t generated_ = 0;
  std::uint64_t cached_ = 0;  // K: the running requests' prompts and outputs so far (as of the last change)
};

}  // namespace dcsim::serving
