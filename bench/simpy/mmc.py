"""M/M/c FIFO in SimPy: the model of dcsim's scenarios/mmc.toml, written as a SimPy user would write it.

Poisson arrivals at rate λ, c servers as one simpy.Resource(capacity=c) (its queue is FIFO), exponential
service at rate μ per server, statistics after the warm-up. Parameters are read from the dcsim scenario,
so that both programs run the same queue; the mean wait is printed beside Erlang C's W_q, which shows it
is the queue dcsim's summary also compares with Erlang C (mmc.erlang_c_mean_wait_s).

Customers served per wall-second is the benchmark's figure: every customer is a SimPy process (a request,
a timeout, a release), which is what SimPy costs per customer in an ordinary model.

  usage: /usr/bin/python3 bench/simpy/mmc.py [--scenario scenarios/mmc.toml] [--seed N] [--duration '1 h']
"""
import argparse
import pathlib
import random
import time

import simpy

import common


def erlang_c_wait(c, lam, mu):
    """Erlang C mean wait W_q = C(c, a) / (cμ − λ), with a = λ/μ and C from the Erlang B recursion
    B(k) = a B(k−1) / (k + a B(k−1)), C = B / (1 − ρ (1 − B)), ρ = a/c (stable for large c)."""
    a = lam / mu
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    rho = a / c
    prob_wait = b / (1 - rho * (1 - b))
    return prob_wait / (c * mu - lam), prob_wait


def main():
    repo = pathlib.Path(__file__).resolve().parents[2]
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default=str(repo / "scenarios" / "mmc.toml"))
    ap.add_argument("--seed", type=int, default=None, help="default: the scenario's simulation.seed")
    ap.add_argument("--duration", default=None, help="default: the scenario's simulation.duration")
    args = ap.parse_args()

    sc = common.load(args.scenario)
    lam = common.rate_per_s(sc["mmc"]["arrival_rate"])
    mu = common.rate_per_s(sc["mmc"]["service_rate"])
    c = int(sc["mmc"]["servers"])
    horizon = common.seconds(args.duration or sc["simulation"]["duration"])
    warmup = common.seconds(sc["simulation"].get("warmup", "0 s"))
    seed = args.seed if args.seed is not None else sc["simulation"].get("seed", 1)
    if lam >= c * mu:
        raise SystemExit(f"unstable queue: λ = {lam} >= cμ = {c * mu}")

    # Two streams, as dcsim draws inter-arrival and service times from streams of their own.
    arrival_draw = random.Random(f"{seed}.arrivals").expovariate
    service_draw = random.Random(f"{seed}.service").expovariate
    env = simpy.Environment()
    servers = simpy.Resource(env, capacity=c)
    waits = common.BatchMeans(expected_count=lam * (horizon - warmup))
    st = {"served": 0, "waited": 0, "busy_s": 0.0, "arrivals": 0}

    def customer(arrived):
        with servers.request() as req:
            yield req
            start = env.now
            service = service_draw(mu)
            if start >= warmup:
                w = start - arrived
                waits.add(w)
                st["waited"] += w > 0
            # server time inside the measured span [warmup, horizon]
            st["busy_s"] += max(0.0, min(start + service, horizon) - max(start, warmup))
            yield env.timeout(service)
        if env.now >= warmup:
            st["served"] += 1

    def source():
        while True:
            yield env.timeout(arrival_draw(lam))
            if env.now >= warmup:
                st["arrivals"] += 1
            env.process(customer(env.now))

    env.process(source())
    t0 = time.perf_counter()
    env.run(until=horizon)
    loop_s = time.perf_counter() - t0

    wq_theory, pw_theory = erlang_c_wait(c, lam, mu)
    measured = horizon - warmup
    count = waits.size * len(waits.means) + waits.n
    mean_wait = (sum(waits.means) * waits.size + waits.acc) / count
    common.report([
        ("model", f"M/M/c c={c} lambda={lam:g}/s mu={mu:g}/s, {horizon:g} s after a {warmup:g} s warm-up, seed {seed}"),
        ("customers", st["served"]),
        ("arrivals", st["arrivals"]),
        ("mean_wait_s", f"{mean_wait:.6g}"),
        ("mean_wait_ci95_s", f"{waits.half_width():.3g}"),
        ("erlang_c_wait_s", f"{wq_theory:.6g}"),
        ("prob_wait", f"{st['waited'] / count:.6g}"),
        ("erlang_c_prob_wait", f"{pw_theory:.6g}"),
        ("utilisation", f"{st['busy_s'] / (c * measured):.6g}"),
        ("loop_s", f"{loop_s:.3f}"),
        ("customers_per_s", f"{st['served'] / loop_s:.0f}"),
    ])


if __name__ == "__main__":
    main()
