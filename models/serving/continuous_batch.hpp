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
// The KV cache holds at most M tokens; a decode iteration needs one more slot per running request, and when
// the cache is full the request that joined last is preempted: its cache is freed and it waits again at
// the head of the queue, to be recomputed (a prefill of its prompt and its output so far; its first token
// was already delivered).
//
// Cost of simulating it: between two changes of the batch (a join, a finish, a preemption) the decode
// iterations are uniform in b and grow K by b each, so n iterations from K0 take
//     T(n) = n (a_d + b_d b + c_d K0) + c_d b n (n − 1) / 2,
// and the instant of the next change is found by solving T(n) for n: a few events per request, not one per
// token. The class knows nothing of the engine: the caller submits requests, asks for the next change and
// advances to it.
#pragma once

#include <cstdint>
#include <deque>
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
};

class ContinuousBatcher {
 public:
  enum class What : std::uint8_t { first_token, finished, preempted };
  struct Event {
    What what;
    std::uint64_t id;
    double t;
  };

  // Throws std::invalid_argument if a decode iteration takes no time or a prefill negative time.
  ContinuousBatcher(LlmLatency lat, LlmLimits lim);

  // A request arrives at `now` (not before the last change). Throws std::invalid_argument if it can never
  // fit the KV cache or the prefill budget, or has no output.
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
  bool prefilling() const noexcept { return phase_ == Phase::prefill; }
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
  struct Req {
    std::uint64_t id;
    std::uint32_t prompt;  // tokens to prefill (prompt, plus the output so far after a preemption)
    std::uint32_t output;  // output tokens in all
    std::uint32_t done = 0;  // output tokens produced
    bool started = false;    // its first token was delivered
  };
  enum class Phase : std::uint8_t { idle, prefill, decode };

  double decode_span(std::uint64_t n) const;        // T(n) of the current decode segment
  std::uint64_t iterations_within(double dt) const;  // the largest n with T(n) <= dt
  void plan();                                       // sets next_ from the state
  void start_prefill(double now);                    // the joiners that fit, or a decode segment
  void start_decode(double now);
  void plan_decode();                                // the decode segment's next change, from t0_ and k0_

  LlmLatency base_, lat_, seg_;  // at full clock, at the current speed, and of the decode segment under way
  LlmLimits lim_;
  std::vector<Req> run_;     // in the order they joined
  std::deque<Req> wait_;
  std::vector<Req> joining_;  // in the prefill iteration under way
  Phase phase_ = Phase::idle;
  double t0_ = 0;            // start of the current iteration (prefill) or segment (decode)
  std::uint64_t k0_ = 0;     // cached tokens at the segment's start
  double next_ = std::numeric_limits<double>::infinity();
  enum class Due : std::uint8_t { none, prefill_end, finish, kv_full, join } due_ = Due::none;
  std::uint64_t due_n_ = 0;  // decode iterations at the change
  bool join_pending_ = false;
  std::uint64_t generated_ = 0;
  std::uint64_t cached_ = 0;  // K: the running requests' prompts and outputs so far (as of the last change)
};

}  // namespace dcsim::serving
