// The serving stack at fleet scale: scenarios/surge_fleet.toml (20,000 GPUs in 4 sites, image and text
// clusters, batching, JSQ routing, rate limits, quotas, shedding, retries, failures) under the calibrated
// surge, built and run as `dcsim run` does (without the HDF5 sink), against the hand-written M/M/c loop of
// mmc_bench in the same process. Throughput is requests handled (every attempt, from arrival through
// admission and routing to completion or rejection, with statistics) per second of wall time; the target
// is at least 0.4× the hand-written loop's customers per second.
//
// The same fleet is also run with the thermal and cooling models removed (the [thermal] table and the
// sites' ambient, cooling and carbon tables): the difference of wall times is the share of the thermal and
// cooling models, whose target is at most 25 %.
//
// --memory also runs the scenario for 1 and for 7 simulated days in child processes and compares their
// peak resident memory, which must not grow with simulated time. Image demand only (the text rate set to 0
// keeps the 7-day run to minutes), with the surge's adoption switched off (p ≈ 0) so that the load is
// stationary: with the surge on, memory follows the growing queues (bounded by their capacities), not time.
//
// --text compares the two text service models on the same fleet and text arrivals (image demand off,
// thermal and cooling off): continuous batching (the scenario's text clusters as shipped) against whole
// batches (the same clusters with scheduler = "batch", batches of up to 32 and a 50-ms wait, as they were
// before); the figure is text requests handled per wall-second, paired, and its target is a ratio of at
// least 0.8.
//
//   usage: serving_bench [--reps 3] [--minutes 60] [--memory] [--text | --text-only]
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "bench/handwritten_mmc.hpp"
#include "bench/harness.hpp"
#include "models/serving/serving.hpp"
#include "models/world.hpp"
#include "sim/core/run.hpp"
#include "sim/io/scenario.hpp"

using namespace dcsim;

namespace {

struct FleetRun {
  std::uint64_t requests = 0;  // attempts handled
  std::uint64_t events = 0;
};

// The table without the keys in `drop` (tables change only through set, which keeps their index).
ConfigValue without(const ConfigValue& t, std::initializer_list<std::string_view> drop) {
  ConfigValue out = ConfigValue::make_table(t.loc());
  for (const auto& [k, v] : t.entries()) {
    if (std::find(drop.begin(), drop.end(), k) == drop.end()) out.set(k, v);
  }
  return out;
}

// Removes the thermal and cooling models from a scenario tree.
void strip_facility(ConfigValue& root) {
  root = without(root, {"thermal"});
  if (ConfigValue* sites = root.find("sites")) {
    for (ConfigValue& site : sites->items()) site = without(site, {"ambient", "cooling", "carbon"});
  }
}

// Takes the continuous-batching keys off the text clusters (the second of each site), which whole batches
// do not accept.
void strip_prefill_budget(ConfigValue& root) {
  if (ConfigValue* sites = root.find("sites")) {
    for (ConfigValue& site : sites->items()) {
      if (ConfigValue* cl = site.find("clusters"); cl && cl->items().size() > 1) cl->items()[1] = without(cl->items()[1], {"prefill_budget"});
    }
  }
}

FleetRun run_fleet(const std::vector<std::string>& overrides, bool facility = true, bool whole_text_batches = false) {
  io::Scenario sc = io::load_scenario(DCSIM_SOURCE_DIR "/scenarios/surge_fleet.toml", overrides);
  if (!facility) strip_facility(sc.root);
  if (whole_text_batches) strip_prefill_budget(sc.root);
  const Params root(sc.root, "", models::parameter_schema());
  Run run(RunSettings::from(root.table("simulation")));
  models::build(root, run);
  run.execute();
  run.check_invariants();
  const Summary s = run.summarize();
  FleetRun r;
  r.events = run.engine().events_processed();
  // Every attempt of every class and tier since t = 0: the run's summary counts those after the warm-up,
  // so the scenario is run without one.
  for (const auto& e : s.entries()) {
    if (e.name.rfind("serving.", 0) == 0 && e.name.size() > 9 && e.name.substr(e.name.size() - 9) == ".attempts") {
      r.requests += static_cast<std::uint64_t>(std::get<std::int64_t>(e.value));
    }
  }
  return r;
}

// Peak resident memory (MiB) of a child process running the fleet for `days` simulated days.
double peak_memory_mib(int days) {
  const pid_t pid = fork();
  if (pid == 0) {
    run_fleet({"simulation.duration=" + std::to_string(days) + "d", "simulation.warmup=0",
               "simulation.sample_interval=10min", "workload.classes[1].requests_per_user_day=0.0",
               "workload.population.p=1e-12 /day"});
    _exit(0);
  }
  int status = 0;
  rusage ru{};
  wait4(pid, &status, 0, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;
}

}  // namespace

int main(int argc, char** argv) {
  const int reps = static_cast<int>(bench::arg_long(argc, argv, "--reps", 3));
  const long minutes = bench::arg_long(argc, argv, "--minutes", 60);
  bool memory = false, text = false, text_only = false;
  for (int i = 1; i < argc; ++i) {
    memory |= std::strcmp(argv[i], "--memory") == 0;
    text_only |= std::strcmp(argv[i], "--text-only") == 0;
    text |= text_only || std::strcmp(argv[i], "--text") == 0;
  }

  const std::vector<std::string> over = {"simulation.duration=" + std::to_string(minutes) + "min", "simulation.warmup=0",
                                         "simulation.sample_interval=10min"};
  FleetRun fleet, with_facility;
  bench::MMcResult mmc;
  const SimTime mmc_horizon = SimTime::hours(20);
  if (!text_only) {
    const auto p = bench::run_paired(reps, [&] { fleet = run_fleet(over, false); },
                                     [&] { mmc = bench::handwritten_mmc(mmc_horizon, 64, 57.6, 1.0, 7); });
    const auto f = bench::run_paired(reps, [&] { with_facility = run_fleet(over, true); }, [&] { fleet = run_fleet(over, false); });
    const double fleet_rate = static_cast<double>(fleet.requests) / p.median_a();
    const double mmc_rate = static_cast<double>(mmc.customers) / p.median_b();
    std::printf("20,000-GPU surge fleet, %ld simulated minutes from t = 0, %d paired repetitions, medians\n", minutes, reps);
    std::printf("  (serving figures without the thermal and cooling models)\n");
    std::printf("  requests handled     %llu (%llu events)\n", static_cast<unsigned long long>(fleet.requests),
                static_cast<unsigned long long>(fleet.events));
    std::printf("  serving stack        %.2f M requests/s\n", fleet_rate / 1e6);
    std::printf("  hand-written M/M/c   %.2f M customers/s\n", mmc_rate / 1e6);
    std::printf("  ratio                %.2fx (target >= 0.4x)\n", fleet_rate / mmc_rate);
    std::printf("  with thermal+cooling %.2f s vs %.2f s without: the thermal and cooling models take %.1f %% of the wall "
                "time (target <= 25 %%)\n",
                f.median_a(), f.median_b(), 100.0 * (f.median_a() - f.median_b()) / f.median_a());
  }
  if (text) {
    std::vector<std::string> cont = over;  // the scenario's text clusters as shipped: continuous batching
    cont.push_back("workload.classes[0].requests_per_user_day=0.0");
    std::vector<std::string> whole = cont;  // the same clusters on whole batches, as they were before
    for (int s = 0; s < 4; ++s) {
      const std::string c = "sites[" + std::to_string(s) + "].clusters[1].";
      for (const char* kv : {"scheduler=\"batch\"", "max_batch=32", "max_wait=\"50 ms\""}) whole.push_back(c + kv);
    }
    FleetRun w, c;
    const auto t = bench::run_paired(reps, [&] { w = run_fleet(whole, false, true); }, [&] { c = run_fleet(cont, false); });
    const double wr = static_cast<double>(w.requests) / t.median_a(), cr = static_cast<double>(c.requests) / t.median_b();
    std::printf("  text, whole batches  %.2f M requests/s (%llu requests, %llu events)\n", wr / 1e6,
                static_cast<unsigned long long>(w.requests), static_cast<unsigned long long>(w.events));
    std::printf("  text, continuous     %.2f M requests/s (%llu requests, %llu events)\n", cr / 1e6,
                static_cast<unsigned long long>(c.requests), static_cast<unsigned long long>(c.events));
    std::printf("  ratio                %.2fx (target >= 0.8x)\n", cr / wr);
  }
  if (memory) {
    const double one = peak_memory_mib(1), seven = peak_memory_mib(7);
    std::printf("  peak memory          %.1f MiB for 1 day, %.1f MiB for 7 days (stationary image demand; ratio %.2f)\n",
                one, seven, seven / one);
  }
  return 0;
}
