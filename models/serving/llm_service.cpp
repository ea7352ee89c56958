// Continuous (iteration-level) batching of LLM requests on a cluster (scheduler = "continuous"): each GPU
// runs a ContinuousBatcher (continuous_batch.hpp) and has one pending event, its batcher's next change.
//
// Requests wait in the cluster's priority lanes, as with whole batches, and are given to a GPU while it
// holds fewer than max_batch requests (running, joining or waiting inside its batcher for KV-cache room):
// an idle GPU first, else a busy one with room. A GPU is busy while it holds any request. Patience runs to
// the first token: a request still waiting inside a batcher may be withdrawn when its user gives up; one
// whose prefill is under way stays (its first token is being computed). A preempted request stays on its
// GPU and is recomputed there. A failed or shut-down GPU gives its requests back to the head of the queue.
//
// Power: prefill_power during a prefill iteration, decode_power during decode iterations (a hybrid
// iteration of chunked prefill: the two weighed by its share of prefill time), the loaded idle power when
// empty, each scaled by the group's clock as busy power is. The clock also slows the
// iterations (1/f), from the batch's next change on. Energy is booked to the cluster's serving energy
// (the inference basis) over the time each GPU holds requests.
#include <algorithm>

#include "models/serving/impl.hpp"

namespace dcsim::serving {

std::uint32_t ServingModel::Impl::pop_head(Cluster& cl) {
  for (Lane& l : cl.lanes) {
    if (l.head != kNil) {
      const std::uint32_t i = l.head;
      unlink(cl, i);
      return i;
    }
  }
  return kNil;
}

void ServingModel::Impl::open_gpu(Cluster& cl, std::uint32_t g) {
  if (cl.gpus[g].open_pos != kNil) return;
  cl.gpus[g].open_pos = static_cast<std::uint32_t>(cl.open.size());
  cl.open.push_back(g);
}

void ServingModel::Impl::close_gpu(Cluster& cl, std::uint32_t g) {
  const std::uint32_t pos = cl.gpus[g].open_pos;
  if (pos == kNil) return;
  const std::uint32_t last = cl.open.back();
  cl.open[pos] = last;
  cl.gpus[last].open_pos = pos;
  cl.open.pop_back();
  cl.gpus[g].open_pos = kNil;
}

void ServingModel::Impl::llm_dispatch(std::size_t ci) {
  Cluster& cl = clusters[ci];
  const double now = now_s();
  while (cl.queued > 0 && (!cl.idle.empty() || !cl.open.empty())) {
    std::uint32_t g;
    if (!cl.idle.empty()) {
      g = cl.idle.back();
      remove_idle(cl, g);
      cl.gpus[g].state = kBusy;
      cl.gpus[g].batch_start_s = now;
      ++cl.busy;
      update_counts(cl);
    } else {
      g = cl.open.back();
    }
    // Every request the GPU has room for, in priority order.
    ContinuousBatcher& b = cl.llm[g];
    while (cl.queued > 0 && b.assigned() < cl.max_batch) {
      const std::uint32_t i = pop_head(cl);
      Rec& r = recs[i];
      r.state = kInService;
      r.start_s = now;
      r.gpu = g;
      stats[ct(cl.cls, r.r.tier)].wait.add(now - r.r.created.to_seconds());
      set_in_service(cl, cl.in_service + 1);
      // A request that was preempted and requeued has had its first token: it needs no patience.
      b.submit(i, r.r.prompt_tokens, r.r.output_tokens, now);
    }
    llm_sync(ci, g);
  }
}

void ServingModel::Impl::llm_sync(std::size_t ci, std::uint32_t g) {
  Cluster& cl = clusters[ci];
  Gpu& gpu = cl.gpus[g];
  ContinuousBatcher& b = cl.llm[g];
  if (gpu.state != kBusy) return;
  book_busy_energy(cl, gpu, now_s());
  if (b.assigned() == 0) {
    engine->cancel(gpu.done);
    close_gpu(cl, g);
    release_gpu(ci, g);
    return;
  }
  if (!gpu.leaving && b.assigned() < cl.max_batch) open_gpu(cl, g); else close_gpu(cl, g);
  const double f = cl.groups[gpu.group].clock;
  const double share = b.prefill_share();
  const double active = b.idle() ? cl.type->idle_loaded_w
                        : share == 1 ? cl.svc->prefill_power_w
                        : share == 0 ? cl.svc->decode_power_w
                                     : cl.svc->decode_power_w + share * (cl.svc->prefill_power_w - cl.svc->decode_power_w);
  set_gpu_power(ci, g, b.idle() ? active : cl.type->phase_power_w(active, f));
  // The event of the next change: integer time, never before now.
  const SimTime due = std::max(engine->now(), SimTime::from_seconds(b.next_change()));
  if (engine->pending(gpu.done)) {
    if (engine->time_of(gpu.done) != due) engine->reschedule(gpu.done, due);
  } else {
    const auto c32 = static_cast<std::uint32_t>(ci);
    gpu.done = engine->schedule_at(due, phase::serving, [this, c32, g] { llm_change(c32, g); });
  }
}

void ServingModel::Impl::book_busy_energy(Cluster& cl, Gpu& gpu, double now) {
  cl.busy_energy_j += gpu.power_w * (now - gpu.batch_start_s);
  cl.busy_host_j += cl.overhead_per_gpu_w * (now - gpu.batch_start_s);
  gpu.batch_start_s = now;
}

void ServingModel::Impl::llm_finished(Cluster& cl, std::uint32_t i, double t) {
  Rec& r = recs[i];
  const double rtt = self->sites_[cl.site].network_rtt_s;
  const double created = r.r.created.to_seconds();
  record_completion(cl, r, t, rtt);
  ClassStats& s = stats[ct(cl.cls, r.r.tier)];
  // Time per output token: the mean gap between tokens after the first (none for a one-token output).
  const double ttft = r.first_token_s - created + rtt;
  bool met = ttft <= ttft_slo_s;
  if (r.r.output_tokens > 1) {
    const double tpot = (t - r.first_token_s) / static_cast<double>(r.r.output_tokens - 1);
    s.tpot.add(tpot);
    s.tpot_hist.record(tpot);
    met = met && tpot <= tpot_slo_s;
  }
  s.slo_met += met;
  cl.output_tokens += r.r.output_tokens;
  ++cl.completions;
  set_in_service(cl, cl.in_service - 1);
  free_rec_at(i);
}

void ServingModel::Impl::llm_change(std::size_t ci, std::uint32_t g) {
  Cluster& cl = clusters[ci];
  ContinuousBatcher& b = cl.llm[g];
  llm_events.clear();
  b.advance(llm_events);
  const double rtt = self->sites_[cl.site].network_rtt_s;
  bool preempted = false;
  for (const auto& e : llm_events) {
    const auto i = static_cast<std::uint32_t>(e.id);
    Rec& r = recs[i];
    switch (e.what) {
      case ContinuousBatcher::What::first_token: {
        engine->cancel(r.timer);
        if (r.first_token_s >= 0) break;  // recomputed after a requeue: its user saw the first token already
        r.first_token_s = e.t;
        const double ttft = e.t - r.r.created.to_seconds() + rtt;
        ClassStats& s = stats[ct(cl.cls, r.r.tier)];
        s.ttft.add(ttft);
        s.ttft_hist.record(ttft);
        cl.ttft_tap[r.r.tier].record(ttft);
        break;
      }
      case ContinuousBatcher::What::finished: llm_finished(cl, i, e.t); break;
      case ContinuousBatcher::What::preempted:
        ++cl.preemptions;
        preempted = true;
        break;
    }
  }
  if (preempted) llm_rearm(ci, g);  // a preempted request is back ahead of those promised a first token
  llm_sync(ci, g);
  llm_dispatch(ci);
}

void ServingModel::Impl::llm_rearm(std::size_t ci, std::uint32_t g) {
  llm_ids.clear();
  clusters[ci].llm[g].waiting(llm_ids);
  for (const std::uint64_t id : llm_ids) {
    const auto i = static_cast<std::uint32_t>(id);
    if (recs[i].first_token_s < 0 && !engine->pending(recs[i].timer)) arm_patience(i);
  }
}

void ServingModel::Impl::llm_requeue(std::size_t ci, std::uint32_t g) {
  Cluster& cl = clusters[ci];
  Gpu& gpu = cl.gpus[g];
  book_busy_energy(cl, gpu, now_s());
  engine->cancel(gpu.done);
  close_gpu(cl, g);
  llm_ids.clear();
  cl.llm[g].clear(llm_ids);
  set_in_service(cl, cl.in_service - llm_ids.size());
  // Back at the head in the order they were given to the GPU; a request that has not had its first
  // token keeps its patience (its timer still runs).
  for (std::size_t j = llm_ids.size(); j-- > 0;) {
    const auto i = static_cast<std::uint32_t>(llm_ids[j]);
    const bool waiting_user = recs[i].first_token_s < 0 && engine->pending(recs[i].timer);
    push_front(cl, i);
    if (!waiting_user && recs[i].first_token_s < 0) arm_patience(i);
  }
  --cl.busy;
}

}  // namespace dcsim::serving
