// Reading the serving model's scenario keys into the structs of spec.hpp. Every read of [serving] and of
// the clusters of [[sites]] is here, in the order the model has always read them (GPU types, routing,
// priority lanes, retries, failures, sites and clusters, admission rules, fleet changes), so that a
// scenario with several mistakes is told about the same one first.
#include "models/serving/spec.hpp"

#include <algorithm>
#include <cctype>

namespace dcsim::serving {

ServingSpec read_serving_spec(const Params& root, const std::vector<std::string>& class_names,
                              const std::vector<std::string>& tier_names) {
  ServingSpec m;
  const std::size_t nc = class_names.size(), nt = tier_names.size();

  const ConfigValue empty_table;  // stands for an absent [serving]
  const Params sv = root.has("serving") ? root.table("serving") : Params(empty_table, "serving");
  m.gpu_types = read_gpu_types(sv.tables("gpu_types"));

  // Routing.
  const std::string pol = sv.choice("routing", {"round_robin", "weighted", "jsq", "power_of_d", "least_expected_delay"}, "jsq");
  m.policy = pol == "round_robin" ? Policy::round_robin
             : pol == "weighted"  ? Policy::weighted
             : pol == "jsq"       ? Policy::jsq
             : pol == "power_of_d" ? Policy::power_of_d
                                   : Policy::least_expected_delay;
  m.d = static_cast<std::size_t>(sv.integer("d", 2, 1, 16));

  // Priority lanes: tiers listed first, in order; the others share the last lane.
  m.lane_of_tier.assign(nt, 0);
  if (sv.has("priority_tiers")) {
    const auto pt = sv.texts("priority_tiers");
    for (std::size_t k = 0; k < nt; ++k) m.lane_of_tier[k] = static_cast<std::uint8_t>(pt.size());
    for (std::size_t i = 0; i < pt.size(); ++i) {
      const auto it = std::find(tier_names.begin(), tier_names.end(), pt[i]);
      if (it == tier_names.end()) sv.fail("priority_tiers", "names of workload tiers", "\"" + pt[i] + "\" is not one");
      m.lane_of_tier[static_cast<std::size_t>(it - tier_names.begin())] = static_cast<std::uint8_t>(i);
    }
    m.lanes = pt.size() + 1;
  }

  // Retries.
  if (auto r = sv.optional_table("retry")) {
    m.retry_p = r->quantity("probability", qty::fraction, Range::unit_interval());
    m.backoff.exponential = r->choice("backoff", {"fixed", "exponential"}, "exponential") == "exponential";
    m.backoff.base_s = r->quantity("base", qty::time, m.backoff.base_s, Range::positive());
    m.backoff.cap_s = r->quantity("cap", qty::time, m.backoff.cap_s, Range::positive());
    m.max_attempts = static_cast<int>(r->integer("max_attempts", 5, 1, 255));
  }

  // Failures.
  if (auto f = sv.optional_table("failures")) {
    m.failure_rate_per_s = f->quantity("rate_per_gpu_year", qty::dimensionless, 0.11, Range::non_negative()) / kYear;
    m.repair_time = f->distribution("repair_time", qty::time, m.repair_time, Range::positive());
  }

  // Sites and clusters.
  const auto site_tables = root.tables("sites");
  if (site_tables.empty()) root.fail("sites", "at least one [[sites]] table with [[sites.clusters]]");
  std::vector<std::string> cluster_names;
  for (const auto& st : site_tables) {
    SiteInfo site;
    site.name = st.text("name");
    for (const auto& s : m.sites) {
      if (s.name == site.name) st.fail("name", "a site name not used before");
    }
    site.network_rtt_s = st.quantity("network_rtt", qty::time, 0.0, Range::non_negative());
    site.repairs = st.boolean("repairs", true);
    site.failure_multiplier = st.quantity("failure_multiplier", qty::dimensionless, 1.0, Range::non_negative());
    const std::size_t si = m.sites.size();
    for (const auto& ctab : st.tables("clusters")) {
      ClusterSpec cl;
      cl.name = ctab.text("name");
      if (cl.name.empty() || !std::all_of(cl.name.begin(), cl.name.end(), [](char ch) {
            return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-';
          })) {
        ctab.fail("name", "a name of letters, digits, '_' or '-'");
      }
      if (std::find(cluster_names.begin(), cluster_names.end(), cl.name) != cluster_names.end()) {
        ctab.fail("name", "a cluster name not used before");
      }
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
        ctab.fail("gpu", "a GPU type (a preset: h100_sxm, h200, a100, b200, or one of [[serving.gpu_types]])", hint);
      }
      cl.gpu = gpu;
      const GpuType& type = m.gpu_types.at(gpu);
      const std::string service = ctab.text("service", cls);
      if (!type.service.count(service)) {
        ctab.fail("service", "a service model of GPU type '" + gpu + "'",
                  "define [serving.gpu_types.service." + service + "] or set service = \"image\" or \"text\"");
      }
      cl.service = service;
      const auto n = static_cast<std::uint32_t>(ctab.integer("gpus", 0, 10'000'000));
      cl.gpus = n;
      const auto per_server = static_cast<std::uint32_t>(ctab.integer("gpus_per_server", 8, 1, 1024));
      // GPU groups are the thermal model's granularity: one GPU, one server, or a group of identical servers.
      const std::string gran = ctab.choice("granularity", {"gpu", "server", "group"}, "server");
      cl.gpus_per_group = gran == "gpu" ? 1 : per_server;
      if (gran == "group") {
        cl.gpus_per_group = per_server * static_cast<std::uint32_t>(ctab.integer("servers_per_group", 1, 100000));
      }
      cl.overhead_per_gpu_w = ctab.quantity("server_overhead", qty::power, 1500.0, Range::non_negative()) / per_server;
      cl.max_batch = static_cast<std::uint32_t>(ctab.integer("max_batch", 1, 1, 1024));
      cl.max_wait = ctab.duration("max_wait", SimTime::zero());
      cl.queue_capacity = static_cast<std::uint64_t>(
          ctab.integer("queue_capacity", std::numeric_limits<std::int64_t>::max(), 0, std::numeric_limits<std::int64_t>::max()));
      cl.weight = ctab.quantity("weight", qty::dimensionless, std::max(1.0, static_cast<double>(n)), Range::positive());
      m.clusters.push_back(std::move(cl));
      site.clusters.push_back(m.clusters.size() - 1);
      cluster_names.push_back(m.clusters.back().name);
      // The initial GPUs come on line as a fleet change at t = 0 (applied in start()).
      m.changes.push_back(FleetChangeSpec{0.0, m.clusters.size() - 1, FleetChangeSpec::Kind::add, n, 0.0});
    }
    if (site.clusters.empty()) st.fail("clusters", "at least one [[sites.clusters]] table");
    m.sites.push_back(std::move(site));
  }

  m.by_class.assign(nc, {});
  for (std::size_t i = 0; i < m.clusters.size(); ++i) m.by_class[m.clusters[i].cls].push_back(i);
  for (std::size_t c = 0; c < nc; ++c) {
    if (m.by_class[c].empty()) {
      root.fail("sites", "a cluster serving every workload class", "class \"" + class_names[c] + "\" has none");
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
      const double rate = tb->quantity("rate", qty::rate, Range::positive());
      rule.rate = rate;
      rule.burst = tb->quantity("burst", qty::dimensionless, std::max(1.0, rate), Range::at_least(1));
    }
    rule.quota = static_cast<int>(a.integer("daily_quota", 0, 0, 1'000'000));
    if (rule.quota > 0 && rule.cls == std::numeric_limits<std::size_t>::max()) {
      a.fail("daily_quota", "a `class` for the quota to count (e.g. class = \"image\")");
    }
    rule.quota_shape = a.quantity("quota_heterogeneity", qty::dimensionless, kInf, Range::positive());
    rule.drop = a.quantity("drop_probability", qty::fraction, 0.0, Range::unit_interval());
    rule.shed_delay_s = a.quantity("shed_above_delay", qty::time, kInf, Range::non_negative());
    m.rules.push_back(rule);
  }

  // Scheduled fleet changes.
  for (const auto& f : sv.tables("fleet_changes")) {
    FleetChangeSpec ch;
    ch.at_s = f.quantity("at", qty::time, Range::non_negative());
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
      ch.gpus = static_cast<std::uint32_t>(f.integer("add", 1, 10'000'000));
      ch.at_s += f.quantity("commissioning", qty::time, 0.0, Range::non_negative());
    } else if (f.has("remove")) {
      ch.kind = FleetChangeSpec::Kind::remove;
      ch.gpus = static_cast<std::uint32_t>(f.integer("remove", 1, 10'000'000));
    } else {
      ch.kind = FleetChangeSpec::Kind::drain;
      ch.gpus = static_cast<std::uint32_t>(f.integer("drain", 1, 10'000'000));
      ch.duration_s = f.quantity("duration", qty::time, Range::positive());
    }
    m.changes.push_back(ch);
  }
  return m;
}

}  // namespace dcsim::serving
