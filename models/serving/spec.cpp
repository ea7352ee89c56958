// Reading the serving model's scenario keys into the structs of spec.hpp. Every read of [serving] and of
// the serving keys of [[sites]] and their clusters is here, in the order the model has always read them
// (GPU types, routing, priority lanes, retries, failures, sites and clusters, admission rules, fleet
// changes), so that a scenario with several mistakes is told about the same one first. The keys, their
// kinds, ranges and defaults are declared in params.cpp; the sites' and clusters' names come from the
// layout (models/sites/layout.hpp), read before serving.
#include "models/serving/spec.hpp"

#include <algorithm>

#include "sim/core/echo.hpp"

namespace dcsim::serving {

const std::vector<std::string>& policy_names() {
  static const std::vector<std::string> n = {"round_robin", "weighted", "jsq", "power_of_d", "least_expected_delay"};
  return n;
}

namespace {

// What a run can hold: every GPU that comes on line (the clusters' initial GPUs and every add) has serving
// state, and every thermal group a network of its own. Ten million GPUs is several times the largest
// fleets; two million thermal groups hold ten million GPUs in 8-GPU servers, or two million GPUs at
// per-GPU granularity. Beyond these a run would need tens of GB or never finish: refused before t = 0,
// naming the key that crosses the line.
struct FleetLimits {
  static constexpr std::uint64_t kMaxGpus = 10'000'000;
  static constexpr std::uint64_t kMaxGroups = 2'000'000;
  std::uint64_t gpus = 0, groups = 0;
  void add(const Params& p, std::string_view key, std::uint64_t n, std::uint64_t gpus_per_group) {
    gpus += n;
    groups += (n + gpus_per_group - 1) / gpus_per_group;
    if (gpus > kMaxGpus) {
      p.fail(key, "a fleet of at most 10000000 GPUs over the run (every cluster's gpus and every fleet change's add)",
             "this brings it to " + std::to_string(gpus));
    }
    if (groups > kMaxGroups) {
      p.fail(key, "at most 2000000 thermal groups over the run",
             "this brings them to " + std::to_string(groups) +
                 ": use granularity = \"server\" or \"group\" for clusters this large");
    }
  }
};

}  // namespace

ServingSpec read_serving_spec(const Params& root, const sites::Layout& layout,
                              const std::vector<std::string>& class_names, const std::vector<std::string>& tier_names,
                              const std::vector<bool>& class_tokens) {
  FleetLimits limits;
  ServingSpec m;
  const std::size_t nc = class_names.size(), nt = tier_names.size();

  const ConfigValue empty_table;  // stands for an absent [serving] or [serving.failures]
  const Params sv = root.has("serving") ? root.table("serving") : Params(empty_table, "serving", *root.schema());
  m.gpu_types = read_gpu_types(sv.tables("gpu_types"));

  // Routing.
  const std::string pol = sv.choice("routing");
  const auto& policies = policy_names();
  m.policy = static_cast<Policy>(std::find(policies.begin(), policies.end(), pol) - policies.begin());
  m.d = static_cast<std::size_t>(sv.integer("d"));

  // Priority lanes: tiers listed first, in order; the others share the last lane.
  m.lane_of_tier.assign(nt, 0);
  if (sv.has("priority_tiers")) {
    const auto pt = sv.texts("priority_tiers");
    for (std::size_t k = 0; k < nt; ++k) m.lane_of_tier[k] = static_cast<std::uint8_t>(pt.size());
    for (std::size_t i = 0; i < pt.size(); ++i) {
      const auto it = std::find(tier_names.begin(), tier_names.end(), pt[i]);
      if (it == tier_names.end()) sv.fail("priority_tiers", "names of workload tiers", "\"" + echo(pt[i]) + "\" is not one");
      m.lane_of_tier[static_cast<std::size_t>(it - tier_names.begin())] = static_cast<std::uint8_t>(i);
    }
    m.lanes = pt.size() + 1;
  }

  // SLOs of continuously batched LLM requests.
  {
    const auto st = sv.optional_table("slo");
    const Params s = st ? *st : Params(empty_table, "serving.slo", *root.schema());
    m.ttft_slo_s = s.quantity("ttft");
    m.tpot_slo_s = s.quantity("tpot");
  }

  // Retries.
  if (auto r = sv.optional_table("retry")) {
    m.retry_p = r->quantity("probability");
    m.backoff.exponential = r->choice("backoff") == "exponential";
    m.backoff.base_s = r->quantity("base");
    m.backoff.cap_s = r->quantity("cap");
    m.max_attempts = static_cast<int>(r->integer("max_attempts"));
  }

  // Failures: on whether or not [serving.failures] is given (an absent table reads as its defaults).
  {
    const auto ft = sv.optional_table("failures");
    const Params f = ft ? *ft : Params(empty_table, "serving.failures", *root.schema());
    m.failure_rate_per_s = f.quantity("rate_per_gpu_year") / kYear;
    m.repair_time = f.distribution("repair_time");
  }

  // Sites and clusters, as the layout lists them: serving's cluster i is the layout's cluster i.
  if (layout.empty()) root.fail("sites", "at least one [[sites]] table with [[sites.clusters]]");
  std::vector<std::string> cluster_names;
  for (const auto& c : layout.clusters) cluster_names.push_back(c.name);
  for (std::size_t si = 0; si < layout.sites.size(); ++si) {
    const sites::SiteEntry& se = layout.sites[si];
    const Params& st = se.table;
    SiteInfo site;
    site.name = se.name;
    site.network_rtt_s = st.quantity("network_rtt");
    site.repairs = st.boolean("repairs");
    site.failure_multiplier = st.quantity("failure_multiplier");
    for (const std::size_t ci : se.clusters) {
      const sites::ClusterEntry& ce = layout.clusters[ci];
      const Params& ctab = ce.table;
      ClusterSpec cl;
      cl.name = ce.name;
      cl.site = si;
      const std::string cls = ctab.text("class");
      const auto it = std::find(class_names.begin(), class_names.end(), cls);
      if (it == class_names.end()) {
        const std::string hint = did_you_mean_hint(cls, class_names);
        ctab.fail("class", "the name of a workload class", hint);
      }
      cl.cls = static_cast<std::size_t>(it - class_names.begin());
      const std::string gpu = ctab.text("gpu");
      if (!m.gpu_types.count(gpu)) {
        std::vector<std::string> known;
        for (const auto& [k, _] : m.gpu_types) known.push_back(k);
        const std::string hint = did_you_mean_hint(gpu, known);
        std::string presets;
        for (const auto& p : gpu_preset_names()) presets += p + ", ";
        ctab.fail("gpu", "a GPU type (a preset: " + presets + "or one of [[serving.gpu_types]])", hint);
      }
      cl.gpu = gpu;
      const GpuType& type = m.gpu_types.at(gpu);
      const std::string service = ctab.has("service") ? ctab.text("service") : cls;
      if (!type.service.count(service)) {
        ctab.fail("service", "a service model of GPU type '" + gpu + "'",
                  "define [serving.gpu_types.service." + echo(service) + "] or set service = \"image\" or \"text\"");
      }
      cl.service = service;
      const auto n = static_cast<std::uint32_t>(ctab.integer("gpus"));
      cl.gpus = n;
      const auto per_server = static_cast<std::uint32_t>(ctab.integer("gpus_per_server"));
      // GPU groups are the thermal model's granularity: one GPU, one server, or a group of identical servers.
      const std::string gran = ctab.choice("granularity");
      cl.gpus_per_group = gran == "gpu" ? 1 : per_server;
      if (gran == "group") {
        cl.gpus_per_group = per_server * static_cast<std::uint32_t>(ctab.integer("servers_per_group"));
      }
      cl.overhead_per_gpu_w = ctab.quantity("server_overhead") / per_server;
      cl.max_batch = static_cast<std::uint32_t>(ctab.integer("max_batch"));
      cl.max_wait = ctab.duration("max_wait");
      cl.queue_capacity = ctab.has("queue_capacity") ? static_cast<std::uint64_t>(ctab.integer("queue_capacity"))
                                                     : static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
      cl.weight = ctab.quantity_or("weight", std::max(1.0, static_cast<double>(n)));
      cl.continuous = ctab.choice("scheduler") == "continuous";
      if (cl.continuous) {
        if (!type.service.at(service).llm) {
          ctab.fail("scheduler", "a service model with LLM latencies (prefill, decode, kv_tokens) for continuous batching",
                    "service '" + echo(service) + "' of GPU type '" + echo(gpu) + "' has whole-batch times only");
        }
        if (!class_tokens[cl.cls]) {
          ctab.fail("scheduler", "a class whose requests carry tokens for continuous batching",
                    "class \"" + echo(cls) + "\" has no prompt_tokens and output_tokens (nor an Azure trace giving them)");
        }
        if (cl.max_batch < 2 && !ctab.has("max_batch")) {
          ctab.fail("max_batch", "the most requests running at once on a GPU with continuous batching (e.g. 64)");
        }
        cl.prefill_budget = static_cast<std::uint64_t>(ctab.integer("prefill_budget"));
        cl.chunked_prefill = ctab.boolean("chunked_prefill");
        if (cl.chunked_prefill && cl.prefill_budget <= cl.max_batch) {
          ctab.fail("prefill_budget", "with chunked_prefill, a token budget per iteration above max_batch (" +
                    std::to_string(cl.max_batch) + "), to leave room for a prompt chunk beside the decodes",
                    std::to_string(cl.prefill_budget));
        }
      }
      limits.add(ctab, "gpus", n, cl.gpus_per_group);
      m.clusters.push_back(std::move(cl));
      site.clusters.push_back(ci);
      // The initial GPUs come on line as a fleet change at t = 0 (applied in start()).
      m.changes.push_back(FleetChangeSpec{0.0, ci, FleetChangeSpec::Kind::add, n, 0.0});
    }
    if (site.clusters.empty()) st.fail("clusters", "at least one [[sites.clusters]] table");
    m.sites.push_back(std::move(site));
  }

  m.by_class.assign(nc, {});
  for (std::size_t i = 0; i < m.clusters.size(); ++i) m.by_class[m.clusters[i].cls].push_back(i);
  for (std::size_t c = 0; c < nc; ++c) {
    if (m.by_class[c].empty()) {
      root.fail("sites", "a cluster serving every workload class", "class \"" + echo(class_names[c]) + "\" has none");
    }
  }

  // Admission rules.
  for (const auto& a : sv.tables("admission")) {
    AdmissionRuleSpec rule;
    const std::string tier = a.text("tier");
    const auto tit = std::find(tier_names.begin(), tier_names.end(), tier);
    if (tit == tier_names.end()) {
      const std::string hint = did_you_mean_hint(tier, tier_names);
      a.fail("tier", "the name of a workload tier", hint);
    }
    rule.tier = static_cast<std::size_t>(tit - tier_names.begin());
    if (a.has("class")) {
      const std::string cls = a.text("class");
      const auto cit = std::find(class_names.begin(), class_names.end(), cls);
      if (cit == class_names.end()) a.fail("class", "the name of a workload class");
      rule.cls = static_cast<std::size_t>(cit - class_names.begin());
    }
    if (auto tb = a.optional_table("rate_limit")) {
      rule.has_bucket = true;
      const double rate = tb->quantity("rate");
      rule.rate = rate;
      rule.burst = tb->quantity_or("burst", std::max(1.0, rate));
    }
    rule.quota = static_cast<int>(a.integer("daily_quota"));
    if (rule.quota > 0 && rule.cls == std::numeric_limits<std::size_t>::max()) {
      a.fail("daily_quota", "a `class` for the quota to count (e.g. class = \"image\")");
    }
    rule.quota_shape = a.optional_quantity("quota_heterogeneity").value_or(kInf);
    rule.drop = a.quantity("drop_probability");
    rule.shed_delay_s = a.optional_quantity("shed_above_delay").value_or(kInf);
    m.rules.push_back(rule);
  }

  // Scheduled fleet changes.
  for (const auto& f : sv.tables("fleet_changes")) {
    FleetChangeSpec ch;
    ch.at_s = f.quantity("at");
    const std::string cn = f.text("cluster");
    const auto it = std::find(cluster_names.begin(), cluster_names.end(), cn);
    if (it == cluster_names.end()) {
      const std::string hint = did_you_mean_hint(cn, cluster_names);
      f.fail("cluster", "the name of a cluster", hint);
    }
    ch.cluster = static_cast<std::size_t>(it - cluster_names.begin());
    const int kinds = f.has("add") + f.has("remove") + f.has("drain");
    if (kinds != 1) f.fail("add", "exactly one of add, remove or drain (a number of GPUs)");
    if (f.has("add")) {
      ch.kind = FleetChangeSpec::Kind::add;
      ch.gpus = static_cast<std::uint32_t>(f.integer("add"));
      ch.at_s += f.quantity("commissioning");
      limits.add(f, "add", ch.gpus, m.clusters[ch.cluster].gpus_per_group);
    } else if (f.has("remove")) {
      ch.kind = FleetChangeSpec::Kind::remove;
      ch.gpus = static_cast<std::uint32_t>(f.integer("remove"));
    } else {
      ch.kind = FleetChangeSpec::Kind::drain;
      ch.gpus = static_cast<std::uint32_t>(f.integer("drain"));
      ch.duration_s = f.quantity("duration");
    }
    m.changes.push_back(ch);
  }
  return m;
}

}  // namespace dcsim::serving
