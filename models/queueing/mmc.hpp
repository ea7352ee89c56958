// M/M/c (optionally M/M/c/K): Poisson arrivals at rate λ, c identical servers with exponential service at
// rate μ each, FIFO, an optional system capacity K beyond which arrivals are rejected.
//
// The validation model of the platform and the seed of the serving model. It draws inter-arrival times
// from the stream "<name>.arrivals" and service times from "<name>.service" at the start of service, so a
// hand-written loop with the same streams reproduces it draw for draw (bench/mmc_bench.cpp does).
//
// Measured after the warm-up: waiting time in queue W_q (mean with a batch-means 95 % CI, quantiles),
// response time W, time-average queue length L_q and number in system L, utilisation, throughput; the
// summary also reports Erlang C's W_q for comparison and Little's law L = λW on the measured figures.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sim/core/config.hpp"
#include "sim/core/param_table.hpp"
#include "sim/core/model.hpp"
#include "sim/core/ring_buffer.hpp"
#include "sim/core/stats.hpp"

namespace dcsim::queueing {

struct MMcParams {
  double arrival_rate = 1.0;  // λ, 1/s
  double service_rate = 1.0;  // μ per server, 1/s
  std::int64_t servers = 1;   // c
  std::optional<std::int64_t> capacity;  // K: customers in the system (waiting + in service)

  static MMcParams from(const Params& p);
  static const std::vector<ParamDef>& parameter_table();
};

class MMcModel final : public Model {
 public:
  MMcModel(std::string name, const MMcParams& params, SimTime expected_measured_span);

  std::string_view name() const override { return name_; }
  void start(Engine& engine) override;
  void on_warmup_end(SimTime now) override;
  void finish(SimTime now, Summary& summary) override;
  void check_invariants(SimTime now) const override;
  void estimate(RunEstimate& e, SimTime duration) const override;

  // Measured figures, for tests.
  const Tally& waits() const noexcept { return wait_tally_; }
  const BatchMeans& wait_batches() const noexcept { return wait_batches_; }
  std::uint64_t arrivals() const noexcept { return arrivals_; }
  std::uint64_t completions() const noexcept { return completions_; }
  std::uint64_t rejections() const noexcept { return rejected_; }
  std::size_t in_system() const noexcept { return queue_.size() + static_cast<std::size_t>(busy_); }

 private:
  void on_arrival();
  void on_departure();
  void begin_service(SimTime arrived);
  void register_probes();

  std::string name_;
  MMcParams p_;
  Engine* engine_ = nullptr;
  Rng arrival_rng_, service_rng_;
  RingBuffer<SimTime> queue_;
  std::int64_t busy_ = 0;

  // Since t = 0 (conservation invariants).
  std::uint64_t arrivals_ = 0, completions_ = 0, rejected_ = 0;
  TimeWeighted queue_len_, busy_servers_;
  // Since the end of the warm-up (summary).
  SimTime measure_start_;
  std::uint64_t arrivals_at_measure_ = 0, completions_at_measure_ = 0, rejected_at_measure_ = 0;
  std::uint64_t waited_ = 0;
  TimeWindow queue_window_, busy_window_;
  Tally wait_tally_, response_tally_;
  std::uint64_t batch_size_;
  BatchMeans wait_batches_;
  Histogram wait_hist_;
  // The waits probe's interval histogram (owned by the probe), fed as customers start service.
  Histogram* wait_tap_ = nullptr;
};

}  // namespace dcsim::queueing
