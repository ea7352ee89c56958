// Test helper: the queueing scenario the serving tests share — one class "job" on a test GPU type.
#pragma once

#include <algorithm>
#include <string>

#include "format.hpp"

namespace dcsim::test {

// A scenario with one class "job" served by GPUs of a test type whose batch time is t1·b (seconds) with a
// given shape; arrivals Poisson at `rate` per second.
inline std::string queue_scenario(double hours, double rate, int gpus, const std::string& shape, double t1 = 1.0,
                           const std::string& extra = "", const std::string& tier_extra = "",
                           const std::string& patience = "\"infinite\"") {
  return std::string(R"(
[simulation]
duration = ")") +
         test::num(hours) +
         R"( h"
warmup = ")" +
         test::num(std::min(5.0, hours / 4)) +
         R"( h"
sample_interval = ")" +
         test::num(std::min(5.0, hours / 4)) +
         R"( h"
[workload]
[workload.population]
kind = "constant"
users = 86400
[[workload.classes]]
name = "job"
requests_per_user_day = )" +
         test::num(rate) +
         R"(
[[workload.tiers]]
name = "all"
share = 1
patience = )" + patience + R"(
)" +
         tier_extra +
         R"(
[[serving.gpu_types]]
name = "server"
power_limit = "700 W"
idle_power = "75 W"
idle_loaded_power = "140 W"
max_clock = "1980 MHz"
[serving.gpu_types.service.job]
batch_time = { t0 = "0 s", t1 = ")" +
         test::num(t1) +
         R"( s" }
distribution = { kind = ")" +
         shape +
         R"(" }
active_power = "683 W"
[[sites]]
name = "s"
[[sites.clusters]]
name = "c"
class = "job"
gpu = "server"
gpus = )" +
         std::to_string(gpus) +
         R"(
)" +
         extra +
         R"(
)";
}

}  // namespace dcsim::test
