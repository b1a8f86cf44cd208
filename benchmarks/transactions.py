"""A seeded generator of realistic transaction logs, written to Parquet in chunks.

The data are SYNTHETIC. Customers join on calendar days spread over several years and buy
at their own rate from their first day on (a gamma-distributed rate per customer, so a few
buy often and most rarely); amounts are log-normal, in cents. Rows are drawn in chunks
and appended to one Parquet file, so the whole log is never in memory: generating 100
million rows needs about as much memory as one chunk.

Usage::

    python benchmarks/transactions.py --rows 20e6 --out /tmp/log-20m.parquet

Columns: ``customer_id`` (int64), ``date`` (DATE), ``amount`` (float64, two decimals).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

START = np.datetime64("2020-01-01")
YEARS = 5
CHUNK = 2_000_000


def customers_for(rows: int) -> int:
    """About 20 purchases per customer on average (CDNOW: 3)."""
    return max(1, int(rows) // 20)


def write_log(path: str, rows: int, *, customers: int | None = None, seed: int = 0,
              chunk: int = CHUNK) -> dict:
    """Write ``rows`` purchases of ``customers`` to ``path``; return a short description.

    Each chunk draws its customers with probability proportional to their buying rate
    (gamma, shape 0.5), then a day uniformly between the customer's joining day and the end
    of the period: joining days are distinct calendar days over :data:`YEARS` years (a
    customer's first purchase in the log is on or after it).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = int(rows)
    customers = customers_for(rows) if customers is None else int(customers)
    rng = np.random.default_rng(seed)
    days = int(YEARS * 365.25)
    joined = rng.integers(0, days - 30, customers)             # joining day per customer
    # purchases in the log ∝ the customer's daily rate × the days since joining
    rate = rng.gamma(0.5, 1.0, customers) * (days - joined) / days
    cumulative = np.cumsum(rate / rate.sum())
    schema = pa.schema([("customer_id", pa.int64()), ("date", pa.date32()),
                        ("amount", pa.float64())])
    start = int(START.astype("datetime64[D]").astype(np.int64))
    written = 0
    with pq.ParquetWriter(path, schema, compression="snappy") as writer:
        while written < rows:
            n = min(chunk, rows - written)
            ids = np.searchsorted(cumulative, rng.random(n) * cumulative[-1]).clip(0, customers - 1)
            first = joined[ids]
            day = first + (rng.random(n) * (days - first)).astype(np.int64)
            cents = np.round(rng.lognormal(3.5, 0.9, n) * 100)
            writer.write_table(pa.table({
                "customer_id": ids.astype(np.int64),
                "date": pa.array((start + day).astype(np.int32), pa.int32()).cast(pa.date32()),
                "amount": cents / 100,
            }, schema=schema))
            written += n
    return {"rows": rows, "customers": customers, "seed": seed,
            "first_day": str(START), "last_day": str(START + np.timedelta64(days - 1, "D"))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=float, default=1e6)
    parser.add_argument("--customers", type=float, default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    started = time.perf_counter()
    info = write_log(args.out, int(args.rows), seed=args.seed,
                     customers=None if args.customers is None else int(args.customers))
    print(f"{info['rows']:,} rows of {info['customers']:,} customers ({info['first_day']} to "
          f"{info['last_day']}) written to {args.out} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
