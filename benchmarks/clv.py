"""Benchmark: BG/NBD fits on CDNOW (2,357 customers) and on CDNOW replicated ×100.

Prints seconds and the log-likelihood of ``crmlab.btyd.fit_bgnbd`` and, in the same
process, of two baselines:

* a plain maximum-likelihood fit (the same log-likelihood, scipy Nelder-Mead, no gradient,
  one row per customer) — always available;
* lifetimes' ``BetaGeoFitter``, if the ``lifetimes`` package can be imported (it is not a
  crmlab dependency and needs pandas < 3: run this script in a separate environment),
  both on one row per customer and with its ``weights`` on merged (x, t_x, T) patterns.

Target: crmlab ≥ 3× faster than lifetimes at a log-likelihood within 0.01 (per the sample;
×100 on the replicated data). crmlab merges identical (x, t_x, T) rows before fitting, so
its time barely depends on the replication; the lifetimes-with-weights line shows what the
same trick gives lifetimes.
"""

from __future__ import annotations

import statistics
import time

import numpy as np
import pandas as pd
from scipy import optimize

import crmlab
from crmlab import btyd
from crmlab._bgnbd import loglik as bgnbd_loglik

REPLICATES = 100


def seconds(func, repeat: int = 3):
    result = func()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def plain_fit(cbs: pd.DataFrame) -> float:
    """Baseline: Nelder-Mead on log-parameters, numeric everything, one row per customer."""
    x, tx, T = (cbs[c].to_numpy(float) for c in ("frequency", "recency", "T"))
    w = np.ones(len(x))
    res = optimize.minimize(lambda th: -bgnbd_loglik(np.exp(th), x, tx, T, w) / len(x),
                            np.zeros(4), method="Nelder-Mead",
                            options={"xatol": 1e-8, "fatol": 1e-10, "maxiter": 20000})
    return -res.fun * len(x)


def loglik_at(params, data: pd.DataFrame) -> float:
    """The BG/NBD log-likelihood of ``data`` at ``params`` (lifetimes reports a rescaled one)."""
    x, tx, T = (data[c].to_numpy(float) for c in ("frequency", "recency", "T"))
    return bgnbd_loglik(np.asarray(params, float), x, tx, T, np.ones(len(x)))


def main() -> None:
    sample = btyd.repeat_purchase_table(crmlab.load_dataset("cdnow_sample"),
                                        customer="sample_id", amount="dollars",
                                        calibration_end="1997-09-30")[["frequency", "recency", "T"]]
    big = pd.concat([sample] * REPLICATES, ignore_index=True)
    lifetimes = None
    try:
        from lifetimes import BetaGeoFitter
        lifetimes = BetaGeoFitter
    except Exception as err:  # not a dependency; report and go on
        print(f"lifetimes not available here ({type(err).__name__}); ratios against it skipped")
    for name, data, reps in (("CDNOW sample", sample, 5), (f"CDNOW x{REPLICATES}", big, 3)):
        t_crm, fit = seconds(lambda: btyd.fit_bgnbd(data), reps)
        print(f"{name} ({len(data):,} customers): crmlab {t_crm:.3f} s, "
              f"LL {fit.log_likelihood:.4f}, iterations {fit.iterations}")
        t_plain, ll_plain = seconds(lambda: plain_fit(data), 1)
        print(f"  plain Nelder-Mead baseline: {t_plain:.3f} s, LL {ll_plain:.4f}; "
              f"crmlab {t_plain / t_crm:.1f}x faster")
        if lifetimes is None:
            continue
        t_lt, lt = seconds(lambda: lifetimes().fit(data["frequency"], data["recency"],
                                                   data["T"]), 1)
        ll_lt = loglik_at(lt.params_[["r", "alpha", "a", "b"]].to_numpy(), data)
        print(f"  lifetimes BetaGeoFitter: {t_lt:.3f} s, LL {ll_lt:.4f} "
              f"(|diff| {abs(ll_lt - fit.log_likelihood):.4f}); crmlab {t_lt / t_crm:.1f}x faster "
              f"(target >= 3)")
        pat = data.value_counts().rename("weight").reset_index()
        t_ltw, ltw = seconds(lambda: lifetimes().fit(pat["frequency"], pat["recency"], pat["T"],
                                                     weights=pat["weight"]), 1)
        ll_ltw = loglik_at(ltw.params_[["r", "alpha", "a", "b"]].to_numpy(), data)
        print(f"  lifetimes with weights on {len(pat):,} patterns: {t_ltw:.3f} s, "
              f"LL {ll_ltw:.4f}; "
              f"crmlab {t_ltw / t_crm:.1f}x faster")


if __name__ == "__main__":
    main()
