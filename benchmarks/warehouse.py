"""Benchmark: the RFM table and the BTYD summary, pandas path against DuckDB, on big logs.

For each size (``--rows``, default 1 million for a quick check; the README's figures use
``--rows 20e6 --rows 100e6``) a seeded SYNTHETIC Parquet log is written in chunks
(benchmarks/transactions.py), then each of four runs happens in its own child process:

* pandas: ``pd.read_parquet`` + ``rfm.customer_table`` / ``btyd.repeat_purchase_table``
  (the baseline), under an address-space limit (``--pandas-limit``, default 8GB) so that
  "does not fit" shows as a MemoryError instead of swapping the machine;
* DuckDB: ``warehouse.rfm_summary`` / ``warehouse.btyd_summary`` on the file, with
  ``memory_limit`` well below the data's in-memory size (``--duckdb-memory``, default a
  fifth of it, at least 100MB); a run that runs out of memory is reported and repeated
  with twice the limit, up to the data's in-memory size.

Printed per run: seconds (inside the child, after imports), peak memory (the child's
``ru_maxrss`` from ``os.wait4``: everything the process held, DuckDB's buffers too), and
the ratios DuckDB/pandas from the same run. Where both succeed, their frequency and money
totals are compared. A failing pandas run is reported as "fails at N rows under X GB".
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from transactions import customers_for, write_log  # noqa: E402

AS_OF = "2024-12-31"
CALIBRATION_END, HOLDOUT_END = "2023-12-31", "2024-12-31"
BYTES_PER_ROW = 24          # int64 id + datetime64 date + float64 amount, as a pandas frame


def _bytes(text: str) -> int:
    units = {"KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12}
    text = text.strip().upper()
    for suffix, factor in units.items():
        if text.endswith(suffix):
            return int(float(text[:-len(suffix)]) * factor)
    return int(float(text))


def child(task: str, engine: str, path: str, memory: str) -> None:
    """Run one summary and print a JSON line: seconds, customers, totals or the error."""
    try:
        import numpy as np
        import pandas as pd

        from crmlab import btyd, rfm, warehouse
        if engine == "idle":                     # the imports alone, for scale
            import duckdb  # noqa: F401
            import pyarrow  # noqa: F401
            print(json.dumps({"seconds": 0.0, "customers": 0, "frequency": 0, "money": 0.0}))
            return
        started = time.perf_counter()
        if engine == "pandas":
            log = pd.read_parquet(path)
            if task == "rfm":
                table = rfm.customer_table(log, as_of=AS_OF)
            else:
                table = btyd.repeat_purchase_table(log, calibration_end=CALIBRATION_END,
                                                   holdout_end=HOLDOUT_END)
            del log
        elif task == "rfm":
            table = warehouse.rfm_summary(path, as_of=AS_OF, memory_limit=memory)
        else:
            table = warehouse.btyd_summary(path, calibration_end=CALIBRATION_END,
                                           holdout_end=HOLDOUT_END, memory_limit=memory)
        seconds = time.perf_counter() - started
        money = "monetary_total" if task == "rfm" else "monetary"
        total = (table[money] * (table["frequency"] if task == "btyd" else 1)).sum()
        print(json.dumps({"seconds": seconds, "customers": len(table),
                          "frequency": int(table["frequency"].sum()),
                          "money": float(np.round(total, 2))}))
    except MemoryError:
        print(json.dumps({"error": "MemoryError"}))
        sys.exit(3)
    except Exception as err:                     # e.g. pyarrow's own out-of-memory error
        print(json.dumps({"error": f"{type(err).__name__}: {str(err).splitlines()[0][:120]}"}))
        sys.exit(4)


def run_child(task, engine, path, memory, limit_bytes):
    """Start a child, wait for it, and return its JSON and its own peak RSS in GB."""
    def limit():
        if limit_bytes:
            resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))
    env = dict(os.environ, ARROW_DEFAULT_MEMORY_POOL="system")   # honest RSS, no arena cache
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--child", task,
                                 engine, path, memory], stdout=out, stderr=err,
                                preexec_fn=limit, env=env)
        _, status, usage = os.wait4(proc.pid, 0)    # this child's own rusage
        proc.returncode = status
        out.seek(0)
        err.seek(0)
        out, err = out.read(), err.read()
    wall = time.perf_counter() - started
    lines = [line for line in out.decode().splitlines() if line.startswith("{")]
    result = json.loads(lines[-1]) if lines else {
        "error": f"exit status {status}: {err.decode().strip().splitlines()[-1:]}"}
    result["peak_gb"] = usage.ru_maxrss * 1024 / 1e9       # ru_maxrss is in KiB on Linux
    result["wall"] = wall
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description="pandas vs DuckDB on big Parquet logs")
    parser.add_argument("--rows", type=float, action="append",
                        help="rows of the generated log; repeat for several sizes (default 1e6)")
    parser.add_argument("--duckdb-memory", default="auto",
                        help="DuckDB memory_limit, e.g. 500MB; auto: a fifth of the in-memory size")
    parser.add_argument("--pandas-limit", default="8GB",
                        help="address-space limit of the pandas child (0: none)")
    parser.add_argument("--data-dir", default=os.environ.get("TMPDIR", "/tmp"))
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument("--tasks", default="rfm,btyd")
    parser.add_argument("--engines", default="pandas,duckdb")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    sizes = [int(r) for r in (args.rows or [1e6])]
    pandas_limit = _bytes(args.pandas_limit) if args.pandas_limit not in ("0", "") else 0
    print(f"pandas child address-space limit: "
          f"{pandas_limit / 1e9:.0f} GB" if pandas_limit else "no limit")
    idle = run_child("rfm", "idle", "-", "-", 0)
    print(f"a child that only imports pandas, pyarrow, duckdb and crmlab peaks at "
          f"{idle['peak_gb']:.2f} GB")
    rows_out = []
    os.makedirs(args.data_dir, exist_ok=True)     # --data-dir may name a new folder
    for rows in sizes:
        path = os.path.join(args.data_dir, f"crmlab-bench-{rows}.parquet")
        if not os.path.exists(path):
            started = time.perf_counter()
            write_log(path, rows, seed=1)
            print(f"generated {rows:,} rows ({customers_for(rows):,} customers) in "
                  f"{time.perf_counter() - started:.0f} s: {os.path.getsize(path) / 1e9:.2f} GB "
                  f"Parquet")
        in_memory = rows * BYTES_PER_ROW
        memory = (args.duckdb_memory if args.duckdb_memory != "auto" else
                  f"{max(100, in_memory // 5 // 10**6)}MB")
        print(f"{rows:,} rows: {in_memory / 1e9:.2f} GB in memory as a pandas frame; DuckDB "
              f"memory_limit {memory}")
        engines = args.engines.split(",")
        for task in args.tasks.split(","):
            base = (run_child(task, "pandas", path, memory, pandas_limit) if "pandas" in engines
                    else {"error": "not run", "peak_gb": float("nan")})
            limit = memory
            duck = run_child(task, "duckdb", path, limit, 0) if "duckdb" in engines else {
                "error": "not run", "peak_gb": float("nan")}
            # out of memory: say so, then find the limit that works (doubling, up to the
            # in-memory size of the data)
            while "Out of Memory" in duck.get("error", "") and _bytes(limit) * 2 <= in_memory:
                print(f"  {task:4s} DuckDB: out of memory under {limit} ({duck['wall']:.0f} s); "
                      f"trying {_bytes(limit) * 2 // 10**6}MB")
                limit = f"{_bytes(limit) * 2 // 10**6}MB"
                duck = run_child(task, "duckdb", path, limit, 0)
            rows_out.append((rows, task, limit, base, duck))
            report(rows, task, limit, base, duck, pandas_limit)
        if not args.keep:
            os.remove(path)
    print()
    print("| rows | summary | pandas s | pandas peak GB | DuckDB s | DuckDB peak GB "
          "(memory_limit) | DuckDB/pandas time | DuckDB/pandas memory |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for rows, task, memory, base, duck in rows_out:
        p_s = f"{base['seconds']:.1f}" if "seconds" in base else f"fails ({base['error']})"
        p_m = f"{base['peak_gb']:.2f}"
        d_s = f"{duck['seconds']:.1f}" if "seconds" in duck else f"fails ({duck['error']})"
        ratio_t = (f"{duck['seconds'] / base['seconds']:.2f}"
                   if "seconds" in base and "seconds" in duck else "–")
        ratio_m = (f"{duck['peak_gb'] / base['peak_gb']:.2f}"
                   if "seconds" in base and "seconds" in duck else "–")
        print(f"| {rows / 1e6:g}M | {task} | {p_s} | {p_m} | {d_s} | {duck['peak_gb']:.2f} "
              f"({memory}) | {ratio_t} | {ratio_m} |")


def report(rows, task, memory, base, duck, pandas_limit):
    for name, r in (("pandas", base), ("DuckDB", duck)):
        if "seconds" in r:
            print(f"  {task:4s} {name:6s}: {r['seconds']:7.1f} s, peak {r['peak_gb']:.2f} GB, "
                  f"{r['customers']:,} customers")
        else:
            limit = f" under {pandas_limit / 1e9:.0f} GB" if name == "pandas" and pandas_limit else ""
            print(f"  {task:4s} {name:6s}: fails at {rows:,} rows{limit}: {r['error']} "
                  f"(peak {r['peak_gb']:.2f} GB)")
    if "seconds" in base and "seconds" in duck:
        same = (base["customers"], base["frequency"]) == (duck["customers"], duck["frequency"]) \
            and abs(base["money"] - duck["money"]) <= 1e-9 * abs(base["money"]) + 0.01
        print(f"  {task:4s} DuckDB/pandas: time {duck['seconds'] / base['seconds']:.2f}, "
              f"memory {duck['peak_gb'] / base['peak_gb']:.2f}; same totals: {same}")
        if not same:
            print(f"  !! totals differ: pandas {base}, DuckDB {duck}")


if __name__ == "__main__":
    main()
