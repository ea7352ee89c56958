// A request to the AI service, as the workload creates it and the serving side consumes it.
#pragma once

#include <cstdint>

#include "sim/core/time.hpp"

namespace dcsim::workload {

struct Request {
  std::uint64_t id = 0;
  SimTime created;          // this attempt's arrival
  SimTime first_created;    // the first attempt's arrival (differs for retries)
  double size = 1.0;        // service cost relative to the class's reference request
  double patience_s = 0;    // a waiting user gives up after this long (infinity: never)
  std::uint16_t cls = 0;    // index into the workload's classes
  std::uint8_t tier = 0;    // index into the workload's tiers
  std::uint8_t attempt = 0; // 0 for a first attempt, n for the n-th retry
  // An LLM request's prompt and output tokens (both 0 for a class without token counts).
  std::uint32_t prompt_tokens = 0, output_tokens = 0;
};

// Where the workload sends requests (the serving model); without one the workload only counts them.
class RequestSink {
 public:
  virtual ~RequestSink() = default;
  virtual void submit(const Request& r) = 0;
};

}  // namespace dcsim::workload
