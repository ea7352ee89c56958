// A cluster's work: an arrival's way in (admission, routing, shedding, the queue-capacity check), the
// priority lanes (FIFO per lane, lanes in strict priority) and the patience timers of waiting requests,
// dynamic batching (a free GPU takes up to max_batch requests, waiting at most max_wait for the batch to
// fill), batch service and its completion, and the power of each GPU, integrated exactly at every change.
#include <algorithm>
#include <cmath>

#include "models/serving/impl.hpp"

namespace dcsim::serving {

// ---- arrivals -------------------------------------------------------------------------------------------

void ServingModel::submit(const workload::Request& req) {
  Impl& m = *impl_;
  ClassStats& s = m.stats[m.ct(req.cls, req.tier)];
  ++s.attempts;
  if (req.attempt == 0) ++s.first_attempts;
  if (const auto why = m.admission.refusal(req.cls, req.tier, m.now_s())) {
    m.reject(req, *why);
    return;
  }
  const std::size_t ci = m.router.route(req.cls);
  Cluster& cl = m.clusters[ci];
  ++cl.arrivals;
  ++cl.tiers[req.tier].arrivals;
  // Shedding by head-of-line delay.
  const auto hol_delay_s = [&] {
    return cl.queued > 0 ? (m.engine->now() - m.oldest_created(cl)).to_seconds() : -kInf;
  };
  if (m.admission.sheds(req.cls, req.tier, hol_delay_s)) {
    ++s.shed;
    ++cl.shed;
    ++cl.tiers[req.tier].shed;
    const std::uint32_t i = m.alloc_rec();
    m.recs[i].r = req;
    m.retry_or_give_up(i);
    return;
  }
  // An LLM request that can never fit the GPU's KV cache or (without chunked prefill) one prefill iteration
  // (a preempted request is recomputed with its output so far, so both must hold its prompt and output).
  const std::uint64_t llm_tokens = static_cast<std::uint64_t>(req.prompt_tokens) + req.output_tokens;
  if (cl.continuous && (llm_tokens > cl.svc->kv_tokens || (!cl.chunked_prefill && llm_tokens > cl.prefill_budget))) {
    m.reject(req, Reject::too_long);
    return;
  }
  if (cl.queued >= cl.queue_capacity) {
    ++cl.rejected;
    ++cl.tiers[req.tier].rejected;
    m.reject(req, Reject::queue_full);
    return;
  }
  const std::uint32_t i = m.alloc_rec();
  Rec& r = m.recs[i];
  r.r = req;
  r.cluster = static_cast<std::uint32_t>(ci);
  r.lane = m.lane_of_tier[req.tier];
  r.timer = EventHandle{};
  r.first_token_s = -1;
  m.push_back(cl, i);
  m.dispatch(ci);
  if (cl.continuous) {
    // Patience runs to the first token, wherever the request waits (the queue or its GPU's batcher). One
    // given to a GPU whose batcher promises its first token before the user's deadline needs no timer: the
    // user cannot give up first. The promise holds unless the GPU's clock changes or it preempts, when
    // llm_rearm gives the request its timer (a failure requeues it with one).
    const Rec& given = m.recs[i];
    if (given.state == kInService &&
        cl.llm[given.gpu].first_token_promise(i) + 1e-6 < req.created.to_seconds() + req.patience_s) {
      return;
    }
    m.arm_patience(i);
    return;
  }
  if (m.recs[i].state != kQueued) return;
  // Left waiting for a batch to fill while a GPU is idle: the batch timer starts it within max_wait, so a
  // user more patient than that cannot give up first and needs no timer.
  if (!cl.idle.empty() && m.oldest_created(cl) + cl.max_wait < req.created + SimTime::from_seconds(std::min(req.patience_s, 1e9))) return;
  m.arm_patience(i);
}

// ---- queues ---------------------------------------------------------------------------------------------

void ServingModel::Impl::push_back(Cluster& cl, std::uint32_t i) {
  Rec& r = recs[i];
  Lane& l = cl.lanes[r.lane];
  r.prev = l.tail;
  r.next = kNil;
  if (l.tail != kNil) recs[l.tail].next = i; else l.head = i;
  l.tail = i;
  ++l.size;
  r.state = kQueued;
  set_queued(cl, cl.queued + 1);
}

void ServingModel::Impl::push_front(Cluster& cl, std::uint32_t i) {
  Rec& r = recs[i];
  Lane& l = cl.lanes[r.lane];
  r.next = l.head;
  r.prev = kNil;
  if (l.head != kNil) recs[l.head].prev = i; else l.tail = i;
  l.head = i;
  ++l.size;
  r.state = kQueued;
  set_queued(cl, cl.queued + 1);
}

void ServingModel::Impl::unlink_raw(Cluster& cl, std::uint32_t i) {
  Rec& r = recs[i];
  Lane& l = cl.lanes[r.lane];
  if (r.prev != kNil) recs[r.prev].next = r.next; else l.head = r.next;
  if (r.next != kNil) recs[r.next].prev = r.prev; else l.tail = r.prev;
  --l.size;
}

void ServingModel::Impl::unlink(Cluster& cl, std::uint32_t i) {
  unlink_raw(cl, i);
  set_queued(cl, cl.queued - 1);
}

void ServingModel::Impl::set_queued(Cluster& cl, std::uint64_t q) {
  const SimTime now = engine->now();
  cl.queued = q;
  cl.queue_tw.set(now, static_cast<double>(q));
  cl.in_system_tw.set(now, static_cast<double>(cl.queued + cl.in_service));
}

void ServingModel::Impl::set_in_service(Cluster& cl, std::uint64_t n) {
  cl.in_service = n;
  cl.in_system_tw.set(engine->now(), static_cast<double>(cl.queued + cl.in_service));
}

SimTime ServingModel::Impl::oldest_created(const Cluster& cl) const {
  SimTime t = SimTime::max();
  for (const Lane& l : cl.lanes) {
    if (l.head != kNil) t = std::min(t, recs[l.head].r.created);
  }
  return t;
}

// ---- GPUs and power -------------------------------------------------------------------------------------

void ServingModel::Impl::set_gpu_power(std::size_t ci, std::uint32_t g, double w) {
  Cluster& cl = clusters[ci];
  Gpu& gpu = cl.gpus[g];
  if (w == gpu.power_w) return;
  if (self->power_listener_) self->power_listener_(ci, gpu.group, false);
  const double now = now_s();
  gpu.energy_j += gpu.power_w * (now - gpu.last_s);
  gpu.last_s = now;
  const double delta = w - gpu.power_w;
  gpu.power_w = w;
  cl.groups[gpu.group].power_w += delta;
  cl.gpu_power_w += delta;
  cl.power.set(engine->now(), cl.gpu_power_w + cl.overhead_w);
  if (self->power_listener_) self->power_listener_(ci, gpu.group, true);
}

void ServingModel::Impl::update_overhead(Cluster& cl) {
  cl.overhead_w = cl.overhead_per_gpu_w * static_cast<double>(cl.gpus.size() - cl.off);
  cl.overhead.set(engine->now(), cl.overhead_w);
  cl.power.set(engine->now(), cl.gpu_power_w + cl.overhead_w);
}

void ServingModel::Impl::update_counts(Cluster& cl) {
  const SimTime now = engine->now();
  cl.busy_tw.set(now, cl.busy);
  const std::uint32_t op = cl.operational();
  cl.operational_tw.set(now, op);
  cl.inv_capacity = op ? 1.0 / (static_cast<double>(op) * cl.max_batch) : kInf;
}

void ServingModel::Impl::push_idle(Cluster& cl, std::uint32_t g) {
  cl.gpus[g].idle_pos = static_cast<std::uint32_t>(cl.idle.size());
  cl.idle.push_back(g);
}

void ServingModel::Impl::remove_idle(Cluster& cl, std::uint32_t g) {
  const std::uint32_t pos = cl.gpus[g].idle_pos;
  const std::uint32_t last = cl.idle.back();
  cl.idle[pos] = last;
  cl.gpus[last].idle_pos = pos;
  cl.idle.pop_back();
  cl.gpus[g].idle_pos = kNil;
}

void ServingModel::Impl::make_idle(std::size_t ci, std::uint32_t g) {
  Cluster& cl = clusters[ci];
  cl.gpus[g].state = kIdle;
  set_gpu_power(ci, g, cl.type->idle_loaded_w);
  push_idle(cl, g);
}

// ---- batches --------------------------------------------------------------------------------------------

void ServingModel::Impl::arm_batch_timer(std::size_t ci, SimTime due) {
  Cluster& cl = clusters[ci];
  if (engine->pending(cl.batch_timer)) {
    if (engine->time_of(cl.batch_timer) <= due) return;
    engine->reschedule(cl.batch_timer, due);
    return;
  }
  const auto c32 = static_cast<std::uint32_t>(ci);
  cl.batch_timer = engine->schedule_at(due, phase::serving, [this, c32] { dispatch(c32); });
}

void ServingModel::Impl::dispatch(std::size_t ci) {
  Cluster& cl = clusters[ci];
  if (cl.continuous) {
    llm_dispatch(ci);
    return;
  }
  // A batch is filling under a pending timer: an arrival cannot make it due sooner (it is never the
  // oldest); only a full batch can.
  if (cl.queued < cl.max_batch && engine->pending(cl.batch_timer)) return;
  while (!cl.idle.empty() && cl.queued > 0) {
    if (cl.max_batch > 1 && cl.queued < cl.max_batch && cl.max_wait > SimTime::zero()) {
      // Integer time: the timer fires exactly at `due`, and then the batch goes.
      const SimTime due = oldest_created(cl) + cl.max_wait;
      if (engine->now() < due) {
        arm_batch_timer(ci, due);
        return;
      }
    }
    const std::uint32_t g = cl.idle.back();
    remove_idle(cl, g);
    start_batch(ci, g);
  }
}

void ServingModel::Impl::start_batch(std::size_t ci, std::uint32_t g) {
  Cluster& cl = clusters[ci];
  Gpu& gpu = cl.gpus[g];
  const double now = now_s();
  std::uint32_t b = 0;
  double size_sum = 0;
  std::uint32_t* slot = &cl.slots[static_cast<std::size_t>(g) * cl.max_batch];
  for (Lane& l : cl.lanes) {
    while (b < cl.max_batch && l.head != kNil) {
      const std::uint32_t i = l.head;
      unlink_raw(cl, i);
      Rec& r = recs[i];
      engine->cancel(r.timer);
      r.state = kInService;
      r.start_s = now;
      size_sum += r.r.size;
      slot[b++] = i;
      const double wait = now - r.r.created.to_seconds();
      stats[ct(cl.cls, r.r.tier)].wait.add(wait);
    }
  }
  gpu.batch = static_cast<std::uint16_t>(b);
  gpu.state = kBusy;
  gpu.batch_start_s = now;
  ++cl.busy;
  cl.in_service += b;
  set_queued(cl, cl.queued - b);  // one time-weighted update for the whole batch
  update_counts(cl);
  const Group& grp = cl.groups[gpu.group];
  set_gpu_power(ci, g, cl.type->busy_power_w(*cl.svc, grp.clock));
  const double s = cl.svc->batch_time(b) * (size_sum / b) / grp.clock * cl.svc->sample_factor(cl.service_rng);
  const auto c32 = static_cast<std::uint32_t>(ci);
  gpu.done = engine->schedule_at(engine->now() + SimTime::from_seconds(s), phase::serving,
                                 [this, c32, g] { batch_done(c32, g); });
}

void ServingModel::Impl::batch_done(std::size_t ci, std::uint32_t g) {
  Cluster& cl = clusters[ci];
  Gpu& gpu = cl.gpus[g];
  const double now = now_s();
  const double energy = gpu.power_w * (now - gpu.batch_start_s);  // attribution (the power is constant unless the clock changed)
  const double rtt = self->sites_[cl.site].network_rtt_s;
  const std::uint32_t* slot = &cl.slots[static_cast<std::size_t>(g) * cl.max_batch];
  for (std::uint32_t j = 0; j < gpu.batch; ++j) {
    const std::uint32_t i = slot[j];
    record_completion(cl, recs[i], now, rtt);
    free_rec_at(i);
  }
  cl.busy_energy_j += energy;
  cl.busy_host_j += cl.overhead_per_gpu_w * (now - gpu.batch_start_s);
  cl.completions += gpu.batch;
  set_in_service(cl, cl.in_service - gpu.batch);
  gpu.batch = 0;
  release_gpu(ci, g);
  dispatch(ci);
}

void ServingModel::Impl::record_completion(Cluster& cl, const Rec& r, double t, double rtt) {
  const double resp = t - r.r.created.to_seconds() + rtt;
  ClassStats& s = stats[ct(cl.cls, r.r.tier)];
  ++s.completed;
  s.response.add(resp);
  s.response_hist.record(resp);
  s.e2e.add(t - r.r.first_created.to_seconds() + rtt);
  ++cl.tiers[r.r.tier].completed;
  cl.response_tap[r.r.tier].record(resp);
}

void ServingModel::Impl::release_gpu(std::size_t ci, std::uint32_t g) {
  Cluster& cl = clusters[ci];
  Gpu& gpu = cl.gpus[g];
  --cl.busy;
  if (gpu.leaving) {
    gpu.leaving = false;
    gpu.state = kOff;
    ++cl.off;
    set_gpu_power(ci, g, 0.0);
    update_overhead(cl);
  } else if (cl.groups[gpu.group].down) {
    gpu.state = kDown;
    ++cl.down;
    set_gpu_power(ci, g, 0.0);
  } else {
    make_idle(ci, g);
  }
  update_counts(cl);
}

// Puts a busy GPU's batch back at the head of the queue (a failure or a thermal shutdown).
void ServingModel::Impl::requeue_batch(std::size_t ci, std::uint32_t g) {
  Cluster& cl = clusters[ci];
  if (cl.continuous) {
    llm_requeue(ci, g);
    return;
  }
  Gpu& gpu = cl.gpus[g];
  engine->cancel(gpu.done);
  // The re-queued requests are older than any the pending batch timer was set for: let the next
  // dispatch set it again.
  engine->cancel(cl.batch_timer);
  const std::uint32_t* slot = &cl.slots[static_cast<std::size_t>(g) * cl.max_batch];
  set_in_service(cl, cl.in_service - gpu.batch);
  for (std::uint32_t j = gpu.batch; j-- > 0;) {
    const std::uint32_t i = slot[j];
    push_front(cl, i);
    arm_patience(i);
  }
  gpu.batch = 0;
  --cl.busy;
}

// ---- patience -------------------------------------------------------------------------------------------

void ServingModel::Impl::arm_patience(std::uint32_t i) {
  Rec& r = recs[i];
  // A deadline beyond the horizon never fires: no timer (this also covers "infinite" patience).
  const double deadline_s = r.r.created.to_seconds() + r.r.patience_s;
  if (!(deadline_s < horizon_s)) return;
  const SimTime deadline = std::max(engine->now(), SimTime::from_seconds(deadline_s));
  r.timer = engine->schedule_at(deadline, phase::serving, [this, i] { abandon(i); });
}

// Requests queued without a patience timer (they were sure to start within max_wait on an idle GPU)
// need one as soon as the cluster has no idle GPU left.
void ServingModel::Impl::arm_missing_timers(Cluster& cl) {
  if (!cl.idle.empty()) return;
  for (const Lane& l : cl.lanes) {
    for (std::uint32_t i = l.head; i != kNil; i = recs[i].next) {
      if (!engine->pending(recs[i].timer)) arm_patience(i);
    }
  }
}

void ServingModel::Impl::abandon(std::uint32_t i) {
  Rec& r = recs[i];
  Cluster& cl = clusters[r.cluster];
  if (r.state == kInService) {
    // Continuous batching: given to a GPU, no first token yet. Still waiting in its batcher: the user
    // leaves; joining a prefill under way: the first token is being computed, and the user stays.
    const std::uint32_t g = r.gpu, ci = r.cluster;
    if (!cl.llm[g].withdraw(i)) return;
    set_in_service(cl, cl.in_service - 1);
    ++stats[ct(cl.cls, r.r.tier)].abandoned;
    ++cl.tiers[r.r.tier].abandoned;
    ++cl.abandoned;
    retry_or_give_up(i);
    llm_sync(ci, g);
    llm_dispatch(ci);
    return;
  }
  unlink(cl, i);
  ++stats[ct(cl.cls, r.r.tier)].abandoned;
  ++cl.tiers[r.r.tier].abandoned;
  ++cl.abandoned;
  retry_or_give_up(i);
}

}  // namespace dcsim::serving
