"""Benchmark: the RFM customer table on 1,000,000 synthetic transactions (100,000 customers).

Prints the median time of ``crmlab.rfm.customer_table`` and of a NumPy lower bound run
in the same process (factorize the ids, then bincount/reduce: the least work any
implementation must do), and their ratio; target ≤ 3×. If the ``lifetimes`` package can
be imported (it is not a crmlab dependency), also prints the ratio against its
``summary_data_from_transaction_data``; target: crmlab ≥ 3× faster.

The data are SYNTHETIC: seeded random ids, dates and amounts.
"""

from __future__ import annotations

import statistics
import time

import numpy as np
import pandas as pd

from crmlab import rfm

N_ROWS, N_CUSTOMERS, SEED = 1_000_000, 100_000, 7
AS_OF = pd.Timestamp("2025-12-31")


def synthetic_log() -> pd.DataFrame:
    rng = np.random.default_rng(SEED)
    return pd.DataFrame({
        "customer_id": rng.integers(0, N_CUSTOMERS, N_ROWS),
        "date": AS_OF - pd.to_timedelta(rng.integers(0, 730, N_ROWS), unit="D"),
        "amount": np.round(rng.lognormal(4, 1, N_ROWS), 2),
    })


def numpy_lower_bound(log: pd.DataFrame):
    codes, uniques = pd.factorize(log["customer_id"].to_numpy(), sort=True)
    stamp = log["date"].to_numpy().astype("datetime64[D]").astype(np.int64)
    last = np.full(len(uniques), np.iinfo(np.int64).min)
    np.maximum.at(last, codes, stamp)
    frequency = np.bincount(codes, minlength=len(uniques))
    money = np.bincount(codes, weights=log["amount"].to_numpy(), minlength=len(uniques))
    return last, frequency, money


def median_seconds(func, repeat: int = 5) -> float:
    func()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    log = synthetic_log()
    table = rfm.customer_table(log, as_of=AS_OF)
    _, frequency, money = numpy_lower_bound(log)
    assert (table["frequency"].to_numpy() == frequency).all()
    assert np.allclose(table["monetary_total"].to_numpy(), money)
    t_crm = median_seconds(lambda: rfm.customer_table(log, as_of=AS_OF))
    t_np = median_seconds(lambda: numpy_lower_bound(log))
    print(f"customer_table, {N_ROWS:,} rows / {len(table):,} customers: {t_crm * 1000:.0f} ms; "
          f"NumPy lower bound {t_np * 1000:.0f} ms; ratio {t_crm / t_np:.2f} (target <= 3)")
    try:
        from lifetimes.utils import summary_data_from_transaction_data
    except Exception as err:  # not a dependency; report and go on
        print(f"lifetimes not available here ({type(err).__name__}); ratio against it skipped")
        return
    t_lt = median_seconds(lambda: summary_data_from_transaction_data(
        log, "customer_id", "date", "amount", observation_period_end=AS_OF), repeat=1)
    print(f"lifetimes summary_data_from_transaction_data: {t_lt * 1000:.0f} ms; "
          f"crmlab is {t_lt / t_crm:.1f}x faster (target >= 3)")


if __name__ == "__main__":
    main()
