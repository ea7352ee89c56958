#include "sim/cli/job.hpp"

#include <chrono>
#include <filesystem>
#include <limits>

#include <unistd.h>

#include "models/world.hpp"
#include "sim/cli/progress.hpp"
#include "sim/cli/version.hpp"
#include "sim/io/hdf5_output.hpp"
#include "sim/study/sweep_spec.hpp"

namespace dcsim::cli {

const ParamSchema& scenario_schema() {
  static const ParamSchema s = [] {
    ParamSchema x = models::parameter_schema();
    x.add(study::parameter_table());
    return x;
  }();
  return s;
}

namespace {
void build_run(Job& job, bool fingerprint) {
  if (const ConfigValue* sw = job.scenario.root.find("sweep")) {
    throw ConfigError(sw->key_loc(), "this scenario is a sweep ([sweep]): run it with dcsim sweep, which runs "
                                     "every point of its axes (dcsim sweep SCENARIO --list shows them)");
  }
  const Params root(job.scenario.root, "", models::parameter_schema());
  RunSettings settings = RunSettings::from(root.table("simulation"));
  settings.fingerprint = fingerprint;
  job.run = std::make_unique<Run>(settings);
  models::build(root, *job.run);
  check_unknown_keys(job.scenario.root);
  // Before t = 0: a run beyond its budget of events or memory is refused, at the key responsible.
  std::string key;
  const std::string why = over_budget(job.run->estimate(), settings.budget, settings.duration, key);
  if (!why.empty()) throw ConfigError(locate(job.scenario.root, key), "key '" + key + "': " + why);
  for (auto& f : root.files_read()) job.inputs.push_back(std::move(f));
}
}  // namespace

Job prepare_job(const std::string& scenario_path, const std::vector<std::string>& overrides, bool fingerprint) {
  Job job;
  job.scenario = io::load_scenario(scenario_path, overrides);
  job.inputs.push_back(scenario_path);
  build_run(job, fingerprint);
  return job;
}

Job prepare_job_from_text(const std::string& text, const std::string& name, const std::vector<std::string>& overrides,
                          bool fingerprint) {
  Job job;
  job.scenario = io::scenario_from_text(text, name, overrides);
  build_run(job, fingerprint);
  return job;
}

Job prepare_job_from_scenario(io::Scenario scenario, bool fingerprint) {
  Job job;
  job.scenario = std::move(scenario);
  job.inputs.push_back(job.scenario.path);
  build_run(job, fingerprint);
  return job;
}

std::string default_output_path(const std::string& scenario_path) {
  return (std::filesystem::path("out") / std::filesystem::path(scenario_path).stem()).string() + ".h5";
}

JobResult run_to_summary(Job& job, const RunOptions& opt) {
  JobResult result;
  Run& run = *job.run;
  const auto t0 = std::chrono::steady_clock::now();
  for (SampleSink* sink : opt.sinks) run.add_sink(*sink);
  Engine& engine = run.engine();
  engine.set_interrupt_flag(opt.interrupt);
  std::unique_ptr<Progress> progress;
  if (opt.progress) {
    progress = std::make_unique<Progress>(run.settings().duration, opt.progress_tty, opt.progress_interval_s);
    engine.set_monitor(1 << 14, [&] { progress->update(engine.now(), engine.events_processed()); });
  }
  try {
    result.outcome = run.execute();
    if (progress) progress->finish();
    run.check_invariants();
    result.summary = run.summarize();
  } catch (const std::exception& e) {
    if (progress) progress->finish();
    result.error = e.what();
    result.outcome.end = engine.now();
    result.outcome.events = engine.events_processed();
  }
  result.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return result;
}

JobResult execute_job(Job& job, const ExecuteOptions& opt) {
  const RunSettings& rs = job.run->settings();
  io::OutputMetadata meta;
  meta.dcsim_version = DCSIM_VERSION;
  meta.seed = rs.seed;
  meta.run_index = rs.run_index;
  meta.scenario_file = job.scenario.path;
  meta.scenario_text = job.scenario.resolved_text;
  meta.duration_s = rs.duration.to_seconds();
  meta.warmup_s = rs.warmup.to_seconds();
  meta.sample_interval_s = rs.sample_interval.to_seconds();
  meta.start_epoch_s = rs.start_epoch;
  meta.topology = job.run->topology();
  const auto expected = static_cast<std::size_t>(rs.duration / rs.sample_interval) + 1;
  io::Hdf5Recorder recorder(opt.output_path, meta, expected);
  const Engine& engine = job.run->engine();
  recorder.set_event_counter([&engine] { return engine.events_processed(); });

  RunOptions ro;
  ro.sinks = {&recorder};
  ro.interrupt = opt.interrupt;
  ro.progress = opt.progress;
  ro.progress_tty = opt.progress_tty;
  ro.progress_interval_s = opt.progress_interval_s;
  JobResult result = run_to_summary(job, ro);
  const auto t0 = std::chrono::steady_clock::now();
  try {
    if (!result.error.empty()) throw std::runtime_error(result.error);
    recorder.write_summary(result.summary);
    const double end_s = result.outcome.end.to_seconds();
    result.output_path = result.outcome.complete()
                             ? recorder.close_complete(end_s, to_string(result.outcome.reason))
                             : recorder.close_incomplete(end_s, to_string(result.outcome.reason));
  } catch (const std::exception& e) {
    result.error = e.what();
    try {
      if (!recorder.failed()) {
        result.output_path = recorder.close_incomplete(job.run->engine().now().to_seconds(), std::string("error: ") + e.what());
      }
    } catch (const std::exception& e2) {
      result.error += std::string("; then ") + e2.what();
    }
    if (result.output_path.empty()) result.output_path = recorder.partial_path();
    if (recorder.failed() && !recorder.flushed_any()) {
      // Nothing readable ever reached the disk: the empty file is removed rather than left to look like results.
      std::error_code ec;
      std::filesystem::remove(recorder.partial_path(), ec);
      result.output_path.clear();
    }
  }
  result.samples_saved = recorder.rows_flushed();
  result.wall_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return result;
}

}  // namespace dcsim::cli
