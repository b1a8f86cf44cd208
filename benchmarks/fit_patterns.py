"""Benchmark: BG/NBD + Gamma-Gamma fits on a simulated population of many customers.

A SYNTHETIC population (``--customers``, default 200,000 for a quick check; the README's
figures use ``--customers 10e6``) is simulated from known parameters — the BG/NBD and
Gamma-Gamma estimates on CDNOW (Fader, Hardie & Lee 2005; Fader & Hardie 2013):
r 0.243, alpha 4.414, a 0.793, b 2.426; p 6.25, q 3.74, gamma 15.44 (weeks, dollars).
Customers join on distinct calendar days spread over three years (so their T differ, and
the (x, t_x, T) patterns do not collapse as CDNOW replicated ×100 does); purchase times
are dated to the day and same-day purchases merged, as ``btyd.repeat_purchase_table``
makes them from dated transactions (``--continuous``: continuous purchase times, as the
model assumes; fitted through the same likelihood, as ``fit_bgnbd`` refuses two purchases
within a day).

Two child processes: the first simulates the customer table and writes it to Parquet; the
second reads it and fits both models. Printed: the fit times, the number of distinct
patterns the fits work on, the child's peak memory (``ru_maxrss`` from ``os.wait4``), and
the true parameters beside the recovered ones with their standard errors. Baseline in the
same run: the BG/NBD fit on one row per customer without merging patterns, when
``--customers`` is at most ``--rows-baseline`` (default 1 million).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

TRUE_BGNBD = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
TRUE_GG = {"p": 6.25, "q": 3.74, "gamma": 15.44}
DAYS = 3 * 365


def simulate(n: int, seed: int = 0, dated: bool = False):
    """(x, t_x, T, m̄) per customer in weeks, from the BG/NBD and Gamma-Gamma processes.

    Customer i makes the first purchase at the start of day ``joined[i]`` and is watched
    until the start of day ``DAYS - 1``: T = (DAYS - 1 - joined) / 7 weeks, one of about a
    thousand values. Purchase times are continuous, as the model assumes; with ``dated``
    they are dated to the day (recency in whole days) and same-day purchases merged, as a
    table built from dated transactions is.
    """
    rng = np.random.default_rng(seed)
    r, alpha, a, b = TRUE_BGNBD.values()
    joined = rng.integers(0, DAYS - 1, n)               # day of the first purchase
    big_t = (DAYS - 1 - joined) / 7.0
    lam = np.maximum(rng.gamma(r, 1 / alpha, n), 1e-12)   # purchases per week while alive
    drop = rng.beta(a, b, n)                            # P(drop out) after a repeat purchase
    x = np.zeros(n, dtype=np.int64)
    tx = np.zeros(n)
    t = np.zeros(n)                                     # weeks since the first purchase
    active = np.arange(n)
    while active.size:
        t[active] += rng.exponential(1.0, active.size) / lam[active]
        active = active[t[active] < big_t[active]]
        when = np.floor(7 * t[active]) / 7 if dated else t[active]
        new = when > tx[active] if dated else np.ones(active.size, dtype=bool)
        x[active[new]] += 1                             # dated: same-day purchases merge
        tx[active[new]] = when[new]
        active = active[rng.random(active.size) >= drop[active]]
    nu = rng.gamma(TRUE_GG["q"], 1 / TRUE_GG["gamma"], n)   # each customer's spend rate
    with np.errstate(divide="ignore", invalid="ignore"):
        shape = np.maximum(TRUE_GG["p"] * x, 1e-9)
        mean_spend = np.where(x > 0, rng.gamma(shape, 1.0) / (nu * np.maximum(x, 1)), np.nan)
    return {"frequency": x, "recency": tx, "T": big_t, "monetary": mean_spend}


def child_simulate(n: int, path: str, dated: bool) -> None:
    import pandas as pd
    started = time.perf_counter()
    table = pd.DataFrame(simulate(n, dated=dated))
    table.to_parquet(path)
    print(json.dumps({"seconds": time.perf_counter() - started,
                      "repeat_buyers": int((table["frequency"] > 0).sum())}))


def child_fit(path: str, baseline: int, dated: bool) -> None:
    import pandas as pd

    from crmlab import btyd, gamma_gamma
    from crmlab._bgnbd import collapse, gradient, loglik
    from crmlab._mle import maximise
    table = pd.read_parquet(path)
    table.attrs["crmlab_unit"] = "weeks"
    columns = [table[c].to_numpy(float) for c in ("frequency", "recency", "T")]
    out = {}
    started = time.perf_counter()
    if dated:
        fit = btyd.fit_bgnbd(table)
        params, se, ll = fit.params, fit.se, fit.log_likelihood
    else:
        # Continuous times may put a repeat purchase minutes after the first, which
        # fit_bgnbd refuses (it expects tables of dated purchases, same-day ones merged):
        # the same likelihood on the same merged patterns, through the fit's own internals.
        x, tx, big_t, w = collapse(*columns, weights=np.ones(len(table)))
        best = maximise(lambda p: loglik(p, x, tx, big_t, w), np.array([1.0, big_t.mean(), 1, 1]),
                        list(TRUE_BGNBD), func="bgnbd", scale=w.sum(),
                        gradient=lambda p: gradient(p, x, tx, big_t, w))
        params = pd.Series(best.params, index=list(TRUE_BGNBD))
        se = pd.Series(best.se, index=list(TRUE_BGNBD))
        ll = best.log_likelihood
    out["bgnbd_seconds"] = time.perf_counter() - started
    out["patterns"] = len(collapse(*columns, weights=np.ones(len(table)))[0])
    out["bgnbd"] = {k: [float(params[k]), float(se[k])] for k in params.index}
    out["bgnbd_ll"] = ll
    started = time.perf_counter()
    spend = gamma_gamma.fit_gamma_gamma(table)
    out["gg_seconds"] = time.perf_counter() - started
    out["gg"] = {k: [float(spend.params[k]), float(spend.se[k])] for k in spend.params.index}
    out["gg_customers"] = spend.n_obs
    if len(table) <= baseline:       # one term per customer, no patterns: the cost it saves
        w = np.ones(len(table))
        started = time.perf_counter()
        rows = maximise(lambda p: loglik(p, *columns, w), np.array([1.0, columns[2].mean(), 1, 1]),
                        list(TRUE_BGNBD), func="baseline",
                        gradient=lambda p: gradient(p, *columns, w), scale=len(w))
        out["rows_seconds"] = time.perf_counter() - started
        out["rows_ll"] = rows.log_likelihood
    print(json.dumps(out))


def run(args: list[str]):
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), *args], stdout=out,
                                stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = status
        out.seek(0)
        err.seek(0)
        text, problem = out.read().decode(), err.read().decode()
    if status != 0:
        raise SystemExit(f"child {args[:2]} failed: {problem.strip()[-2000:]}")
    return json.loads(text.strip().splitlines()[-1]), usage.ru_maxrss * 1024 / 1e9


def main() -> None:
    parser = argparse.ArgumentParser(description="BG/NBD + Gamma-Gamma on a simulated population")
    parser.add_argument("--customers", type=float, default=2e5)
    parser.add_argument("--rows-baseline", type=float, default=1e6)
    parser.add_argument("--data-dir", default=os.environ.get("TMPDIR", "/tmp"))
    parser.add_argument("--continuous", action="store_true",
                        help="continuous purchase times (default: dated to the day)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        if args.child[0] == "simulate":
            child_simulate(int(float(args.child[1])), args.child[2], args.child[3] == "dated")
        else:
            child_fit(args.child[1], int(float(args.child[2])), args.child[3] == "dated")
        return
    n = int(args.customers)
    path = os.path.join(args.data_dir, f"crmlab-bench-customers-{n}.parquet")
    try:
        sim, sim_peak = run(["--child", "simulate", str(n), path,
                             "continuous" if args.continuous else "dated"])
        print(f"simulated {n:,} customers ({sim['repeat_buyers']:,} repeat buyers) in "
              f"{sim['seconds']:.1f} s, peak {sim_peak:.2f} GB")
        fit, peak = run(["--child", "fit", path, str(args.rows_baseline),
                         "continuous" if args.continuous else "dated"])
    finally:
        if os.path.exists(path):
            os.remove(path)
    print(f"BG/NBD fit: {fit['bgnbd_seconds']:.1f} s on {fit['patterns']:,} distinct (x, t_x, T) "
          f"patterns of {n:,} customers; log-likelihood {fit['bgnbd_ll']:.2f}")
    if "rows_seconds" in fit:
        print(f"  baseline, one term per customer: {fit['rows_seconds']:.1f} s (log-likelihood "
              f"{fit['rows_ll']:.2f}); patterns {fit['rows_seconds'] / fit['bgnbd_seconds']:.1f}x "
              f"faster")
    print(f"Gamma-Gamma fit: {fit['gg_seconds']:.1f} s on {fit['gg_customers']:,.0f} repeat buyers")
    print(f"peak memory of the fitting child (reading the table, both fits): {peak:.2f} GB")
    print()
    print("| parameter | true | recovered | se | recovered/true |")
    print("|---|---:|---:|---:|---:|")
    for model, truth in (("bgnbd", TRUE_BGNBD), ("gg", TRUE_GG)):
        for name, true in truth.items():
            est, se = fit[model][name]
            print(f"| {name} | {true:g} | {est:.4f} | {se:.4f} | {est / true:.4f} |")


if __name__ == "__main__":
    main()
