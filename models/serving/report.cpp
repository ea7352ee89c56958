// What the serving model reports: its probes (per cluster, and per class for retries, admission and
// giving up), the start of the measured span at the end of warm-up, the figures the tests read, and the
// summary.
#include <limits>
#include <memory>
#include <span>

#include "models/power/electrical.hpp"
#include "models/serving/impl.hpp"

namespace dcsim::serving {

namespace {

// A cluster probe's view at its previous sample: windows and counters to take differences against, and the
// histograms of the responses completed since (per tier).
struct IntervalSnapshot {
  TimeWindow queue, busy, power;
  std::uint64_t arrivals = 0, completions = 0, rejected = 0, abandoned = 0, shed = 0;
  std::uint64_t output_tokens = 0, preemptions = 0;
  std::vector<Histogram> response, ttft;  // ttft: continuous batching only
};

}  // namespace

// ---- probes -----------------------------------------------------------------------------------------------

void ServingModel::Impl::register_probes(ProbeRegistry& pr) {
  for (std::size_t ci = 0; ci < clusters.size(); ++ci) {
    Cluster& cl = clusters[ci];
    const std::string g = "serving/" + cl.name + "/";
    std::vector<SeriesInfo> cols = {
        {g + "queue_length", "1", "requests waiting, time-averaged over the interval", Sampling::interval_mean},
        {g + "busy_gpus", "1", "GPUs busy, time-averaged over the interval", Sampling::interval_mean},
        {g + "idle_gpus", "1", "GPUs idle at the sample instant", Sampling::instant},
        {g + "failed_gpus", "1", "GPUs failed at the sample instant", Sampling::instant},
        {g + "down_gpus", "1", "GPUs shut down by their temperature at the sample instant", Sampling::instant},
        {g + "active_gpus", "1", "GPUs on line (idle or busy) at the sample instant", Sampling::instant},
        {g + "arrivals", "1", "attempts routed to the cluster in the interval", Sampling::interval_count},
        {g + "throughput", "1/s", "requests completed per second over the interval", Sampling::interval_rate},
        {g + "rejected", "1", "attempts rejected because the queue was full", Sampling::interval_count},
        {g + "abandoned", "1", "waiting requests whose users gave up", Sampling::interval_count},
        {g + "shed", "1", "attempts shed above the head-of-line delay threshold", Sampling::interval_count},
        {g + "power_w", "W", "GPU and server power, time-averaged over the interval", Sampling::interval_mean},
        {g + "energy_per_request_j", "J", "GPU and server energy in the interval per request completed in it",
         Sampling::interval_stat},
    };
    for (const auto& t : tier_names) {
      for (const char* q : {"p50", "p95", "p99"}) {
        cols.push_back({g + t + "/response_" + q + "_s", "s",
                        std::string(q) + " response time (wait + service + network) of " + t +
                            " requests completed in the interval",
                        Sampling::interval_stat});
      }
    }
    if (cl.continuous) {
      for (const auto& t : tier_names) {
        for (const char* q : {"p50", "p99"}) {
          cols.push_back({g + t + "/ttft_" + q + "_s", "s",
                          std::string(q) + " time to first token (network included) of " + t +
                              " requests whose first token came in the interval",
                          Sampling::interval_stat});
        }
      }
      cols.push_back({g + "running", "1", "requests held by the GPUs (running, joining or waiting for KV room) at the sample instant",
                      Sampling::instant});
      cols.push_back({g + "output_tokens_per_s", "1/s", "output tokens of the requests completed in the interval, per second",
                      Sampling::interval_rate});
      cols.push_back({g + "preemptions", "1", "requests preempted (KV cache full) in the interval", Sampling::interval_count});
    }
    // The probe keeps its own interval: snapshots of the cluster's cumulative counters and integrals at its
    // previous sample, and the histograms the cluster records responses into.
    auto prev = std::make_shared<IntervalSnapshot>();
    prev->response.resize(tier_names.size());
    cl.response_tap = prev->response.data();
    if (cl.continuous) {
      prev->ttft.resize(tier_names.size());
      cl.ttft_tap = prev->ttft.data();
    }
    pr.add_group(std::move(cols), [this, ci, prev](SimTime now, std::span<double> out) {
      const Cluster& c = clusters[ci];
      IntervalSnapshot& p = *prev;
      const double dt = (now - p.power.start).to_seconds();
      out[0] = p.queue.mean(c.queue_tw, now);
      out[1] = p.busy.mean(c.busy_tw, now);
      out[2] = static_cast<double>(c.idle.size());
      out[3] = c.failed;
      out[4] = c.down;
      out[5] = c.operational();
      out[6] = static_cast<double>(c.arrivals - p.arrivals);
      const double done = static_cast<double>(c.completions - p.completions);
      out[7] = dt > 0 ? done / dt : 0.0;
      out[8] = static_cast<double>(c.rejected - p.rejected);
      out[9] = static_cast<double>(c.abandoned - p.abandoned);
      out[10] = static_cast<double>(c.shed - p.shed);
      out[11] = p.power.mean(c.power, now);
      // The power window's integral at its start is the energy at the previous sample.
      out[12] = done > 0 ? (c.power.integral(now) - p.power.integral_at_start) / done
                         : std::numeric_limits<double>::quiet_NaN();
      std::size_t o = 13;
      static constexpr double qs[] = {0.5, 0.95, 0.99};
      for (Histogram& h : p.response) {
        h.quantiles(qs, out.subspan(o, 3));
        h.reset();
        o += 3;
      }
      if (c.continuous) {
        static constexpr double q2[] = {0.5, 0.99};
        for (Histogram& h : p.ttft) {
          h.quantiles(q2, out.subspan(o, 2));
          h.reset();
          o += 2;
        }
        out[o++] = static_cast<double>(c.in_service);
        out[o++] = dt > 0 ? static_cast<double>(c.output_tokens - p.output_tokens) / dt : 0.0;
        out[o++] = static_cast<double>(c.preemptions - p.preemptions);
        p.output_tokens = c.output_tokens;
        p.preemptions = c.preemptions;
      }
      p.queue.open(c.queue_tw, now);
      p.busy.open(c.busy_tw, now);
      p.power.open(c.power, now);
      p.completions = c.completions;
      p.arrivals = c.arrivals;
      p.rejected = c.rejected;
      p.abandoned = c.abandoned;
      p.shed = c.shed;
    });
  }
  for (std::size_t c = 0; c < class_names.size(); ++c) {
    const std::string g = "serving/" + class_names[c] + "/";
    pr.add_group({{g + "retries", "1", "retry attempts of " + class_names[c] + " requests in the interval", Sampling::interval_count},
                  {g + "admission_rejected", "1", "attempts rejected by rate limits, quotas and drops in the interval",
                   Sampling::interval_count},
                  {g + "given_up", "1", "requests that failed for good (no retry left) in the interval", Sampling::interval_count}},
                 // The class's counters at the previous sample, kept by the probe.
                 [this, c, retries = std::uint64_t{0}, rejected = std::uint64_t{0}, given_up = std::uint64_t{0}](
                     SimTime, std::span<double> out) mutable {
                   out[0] = static_cast<double>(retries_c[c] - retries);
                   out[1] = static_cast<double>(rejected_c[c] - rejected);
                   out[2] = static_cast<double>(given_up_c[c] - given_up);
                   retries = retries_c[c];
                   rejected = rejected_c[c];
                   given_up = given_up_c[c];
                 });
  }
}

// ---- the measured span and the summary ----------------------------------------------------------------------

void ServingModel::on_warmup_end(SimTime now) {
  Impl& m = *impl_;
  m.measure_start = now;
  m.stats_ms = m.stats;
  for (auto& s : m.stats) {
    s.response.reset();
    s.wait.reset();
    s.e2e.reset();
    s.response_hist.reset();
    s.ttft.reset();
    s.tpot.reset();
    s.ttft_hist.reset();
    s.tpot_hist.reset();
  }
  for (auto& cl : m.clusters) {
    cl.ms_start = now;
    cl.power_ms.open(cl.power, now);
    cl.busy_ms.open(cl.busy_tw, now);
    cl.queue_ms.open(cl.queue_tw, now);
    cl.in_system_ms.open(cl.in_system_tw, now);
    cl.operational_ms.open(cl.operational_tw, now);
    cl.c_ms = cl.completions;
    cl.energy_ms = cl.power.integral(now);
    cl.busy_energy_ms = cl.busy_energy_j;
    cl.busy_host_ms = cl.busy_host_j;
    cl.preemptions_ms = cl.preemptions;
    cl.output_tokens_ms = cl.output_tokens;
  }
}

ServingModel::ClassFigures ServingModel::figures(std::size_t c, std::size_t k) const {
  const Impl& m = *impl_;
  const ClassStats& s = m.stats[m.ct(c, k)];
  ClassStats base;
  if (!m.stats_ms.empty()) base = m.stats_ms[m.ct(c, k)];
  ClassFigures f;
  f.attempts = s.attempts - base.attempts;
  f.first_attempts = s.first_attempts - base.first_attempts;
  f.retries = s.retries - base.retries;
  f.completed = s.completed - base.completed;
  f.abandoned = s.abandoned - base.abandoned;
  f.shed = s.shed - base.shed;
  for (std::size_t r = 0; r < kRejectReasons; ++r) f.rejected[r] = s.rejected[r] - base.rejected[r];
  f.given_up = s.given_up - base.given_up;
  f.response = s.response;
  f.wait = s.wait;
  return f;
}

double ServingModel::mean_in_system(std::size_t ci) const {
  const Cluster& cl = impl_->clusters[ci];
  return cl.in_system_ms.mean(cl.in_system_tw, impl_->engine->now());
}
double ServingModel::mean_queue(std::size_t ci) const {
  const Cluster& cl = impl_->clusters[ci];
  return cl.queue_ms.mean(cl.queue_tw, impl_->engine->now());
}
double ServingModel::utilisation(std::size_t ci) const {
  const Cluster& cl = impl_->clusters[ci];
  const SimTime now = impl_->engine->now();
  const double cap = cl.operational_ms.mean(cl.operational_tw, now);
  return cap > 0 ? cl.busy_ms.mean(cl.busy_tw, now) / cap : 0.0;
}

void ServingModel::finish(SimTime now, Summary& sum) {
  Impl& m = *impl_;
  const double span = (now - m.measure_start).to_seconds();
  const auto base_met = [&m](std::size_t c, std::size_t k) {
    return m.stats_ms.empty() ? std::uint64_t{0} : m.stats_ms[m.ct(c, k)].slo_met;
  };
  double fleet_energy = 0, fleet_busy_energy = 0;
  std::uint64_t fleet_done = 0;
  for (std::size_t c = 0; c < m.class_names.size(); ++c) {
    const std::string g = "serving." + m.class_names[c];
    double energy = 0, busy_energy = 0, busy = 0, cap = 0, host_busy = 0;
    std::uint64_t done = 0;
    bool llm_class = false;
    for (const std::size_t ci : m.by_class[c]) {
      const Cluster& cl = m.clusters[ci];
      energy += cl.power.integral(now) - cl.energy_ms;
      busy_energy += cl.busy_energy_j - cl.busy_energy_ms;
      done += cl.completions - cl.c_ms;
      busy += cl.busy_ms.mean(cl.busy_tw, now);
      cap += cl.operational_ms.mean(cl.operational_tw, now);
      host_busy += cl.busy_host_j - cl.busy_host_ms;  // the host's share (CPU, RAM, ...) while its GPUs serve
      llm_class = llm_class || cl.continuous;
    }
    // Energy on the basis of Luccioni et al. 2024 ("Power hungry processing", the 2.907 Wh per image the
    // press quotes): GPU, CPU and RAM during the batches that served the requests, no idle time and no
    // facility overhead; like the busy figure, each batch is booked whole at its completion.
    const double inference = busy_energy + host_busy;
    fleet_energy += energy;
    fleet_busy_energy += busy_energy;
    fleet_done += done;
    sum.add(g + ".gpu_utilisation", cap > 0 ? busy / cap : 0.0, "1", "busy GPUs / GPUs on line, time-averaged");
    sum.add(g + ".energy_per_request_busy_wh", done ? busy_energy / done / 3600.0 : 0.0, "Wh",
            "GPU energy of the batches that served the requests, per request (GPU only, busy time only)");
    sum.add(g + ".energy_per_request_it_wh", done ? energy / done / 3600.0 : 0.0, "Wh",
            "all GPU and server energy of the class's clusters (idle included) per request served");
    sum.add(g + ".energy_per_request_inference_wh", done ? inference / done / 3600.0 : 0.0, "Wh",
            "GPU and host (CPU, RAM) energy while serving, per request: the basis of Luccioni et al. 2024 (no idle "
            "time, no cooling or facility; 2.907 Wh per image there)");
    sum.add(g + ".inference_energy_kwh", inference / 3.6e6, "kWh",
            "GPU and host energy while serving the class's requests (the Luccioni et al. basis)");
    sum.add(g + ".it_energy_kwh", energy / 3.6e6, "kWh", "all GPU and server energy of the class's clusters (idle included)");
    for (std::size_t k = 0; k < m.tier_names.size(); ++k) {
      const std::string p = g + "." + m.tier_names[k];
      const ClassFigures f = figures(c, k);
      const ClassStats& s = m.stats[m.ct(c, k)];
      sum.add_count(p + ".attempts", static_cast<std::int64_t>(f.attempts), "attempts (first tries and retries)");
      sum.add_count(p + ".retries", static_cast<std::int64_t>(f.retries), "retry attempts");
      sum.add_count(p + ".completed", static_cast<std::int64_t>(f.completed), "requests served");
      sum.add_count(p + ".abandoned", static_cast<std::int64_t>(f.abandoned), "waiting attempts whose users gave up");
      sum.add_count(p + ".shed", static_cast<std::int64_t>(f.shed), "attempts shed above the delay threshold");
      for (std::size_t r = 0; r < kRejectReasons; ++r) {
        sum.add_count(p + ".rejected_" + to_string(static_cast<Reject>(r)), static_cast<std::int64_t>(f.rejected[r]),
                      std::string("attempts rejected: ") + to_string(static_cast<Reject>(r)));
      }
      sum.add_count(p + ".given_up", static_cast<std::int64_t>(f.given_up), "requests that failed for good");
      sum.add(p + ".response_mean_s", s.response.mean(), "s", "mean response time (wait + service + network)");
      static constexpr double qs[] = {0.5, 0.95, 0.99, 0.999};
      double q[4];
      s.response_hist.quantiles(qs, q);
      sum.add(p + ".response_p50_s", q[0], "s", "median response time");
      sum.add(p + ".response_p95_s", q[1], "s", "95th percentile response time");
      sum.add(p + ".response_p99_s", q[2], "s", "99th percentile response time");
      sum.add(p + ".response_p999_s", q[3], "s", "99.9th percentile response time");
      sum.add(p + ".wait_mean_s", s.wait.mean(), "s", "mean wait in queue");
      sum.add(p + ".end_to_end_mean_s", s.e2e.mean(), "s", "mean time from the first attempt to the response");
      if (llm_class) {
        double t[4], o[4];
        s.ttft_hist.quantiles(qs, t);
        s.tpot_hist.quantiles(qs, o);
        sum.add(p + ".ttft_mean_s", s.ttft.mean(), "s", "mean time to first token (wait + prefill + network)");
        sum.add(p + ".ttft_p50_s", t[0], "s", "median time to first token");
        sum.add(p + ".ttft_p99_s", t[2], "s", "99th percentile time to first token");
        sum.add(p + ".tpot_mean_s", s.tpot.mean(), "s", "mean time per output token after the first (inter-token latency)");
        sum.add(p + ".tpot_p50_s", o[0], "s", "median time per output token");
        sum.add(p + ".tpot_p99_s", o[2], "s", "99th percentile time per output token");
        const std::uint64_t met = s.slo_met - base_met(c, k);
        sum.add(p + ".slo_attainment", f.completed ? static_cast<double>(met) / static_cast<double>(f.completed) : 0.0, "1",
                "share of the requests served that met both the TTFT and the TPOT SLO (serving.slo)");
        sum.add(p + ".goodput_per_s", span > 0 ? static_cast<double>(met) / span : 0.0, "1/s",
                "requests served per second that met both SLOs (DistServe's goodput)");
      }
    }
  }
  for (std::size_t ci = 0; ci < m.clusters.size(); ++ci) {
    const Cluster& cl = m.clusters[ci];
    const std::string g = "serving." + cl.name;
    sum.add(g + ".utilisation", utilisation(ci), "1", "busy GPUs / GPUs on line, time-averaged");
    sum.add(g + ".mean_queue", mean_queue(ci), "1", "time-average number waiting");
    sum.add(g + ".energy_kwh", (cl.power.integral(now) - cl.energy_ms) / 3.6e6, "kWh", "GPU and server energy");
    sum.add_count(g + ".failures", static_cast<std::int64_t>(cl.failures), "GPU failures since t = 0");
    if (cl.continuous) {
      const double span_s = (now - cl.ms_start).to_seconds();
      sum.add(g + ".output_tokens_per_s", span_s > 0 ? static_cast<double>(cl.output_tokens - cl.output_tokens_ms) / span_s : 0.0,
              "1/s", "output tokens of the requests served, per second");
      sum.add_count(g + ".preemptions", static_cast<std::int64_t>(cl.preemptions - cl.preemptions_ms),
                    "requests preempted because the KV cache was full (recomputed later)");
      // A GPU is busy while it holds any request, so utilisation says little here: how full its batch is does.
      const double on_line = cl.operational_ms.mean(cl.operational_tw, now) * cl.max_batch;
      sum.add(g + ".batch_occupancy", on_line > 0 ? (mean_in_system(ci) - mean_queue(ci)) / on_line : 0.0, "1",
              "requests held by the GPUs (running, joining or waiting for KV room) / (GPUs on line x max_batch), time-averaged");
    }
  }
  sum.add("serving.it_energy_kwh", fleet_energy / 3.6e6, "kWh", "GPU and server energy of the whole fleet");
  sum.add("serving.it_energy_household_days", power::household_days(fleet_energy), "1",
          "IT energy in US household-days (10,715 kWh/yr, EIA)");
  sum.add("serving.energy_per_request_it_wh", fleet_done ? fleet_energy / fleet_done / 3600.0 : 0.0, "Wh",
          "fleet IT energy per request served, all classes");
  (void)fleet_busy_energy;
}

}  // namespace dcsim::serving
