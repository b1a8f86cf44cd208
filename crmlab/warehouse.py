"""Larger than memory, and past one machine: the RFM table and the BG/NBD summary in SQL.

The two per-customer summaries that every later analysis starts from — the RFM table of
:func:`crmlab.rfm.customer_table` and the (frequency, recency, T) table of
:func:`crmlab.btyd.repeat_purchase_table` — computed by a SQL engine straight from CSV or
Parquet files (globs allowed), so the log never has to fit in memory: only the result,
one row per customer, does. The engines:

* ``"duckdb"`` (embedded, no server): ``memory_limit="2GB"`` caps its memory; what does not
  fit spills to a temporary directory that is removed afterwards.
* ``"spark"``: a local ``local[2]`` session (started on first use), or pass your own
  ``SparkSession`` as ``engine=spark`` to run on a cluster (paths such as ``s3://…/*.parquet``).

The result equals the pandas path on the same data: same index, columns, dtypes and
values (money to the last rounding of a float sum). One SQL text, kept in
``crmlab/sql/warehouse.sql``, runs unchanged on both engines; read that file to run the
same statements in another warehouse.

Money is summed as ``DECIMAL(38, 6)``: exact sums, identical in both engines (a sum of
floats depends on the order of addition); each amount is rounded to a millionth of its
unit on the way in, and amounts of 1e20 or more are refused. Dates are read from DATE and
TIMESTAMP columns, YYYYMMDD numbers, and text as pandas reads it: ``'2024-01-31'``,
``'2024/1/31'``, ``'2024.01.31'``, ``'31/01/2024'`` (``date_order``), ``'20240131'``, with
an optional time and time zone (``'2024-01-31T10:00:00+08:00'``: the local time as written);
other text forms (``'31 Jan 2024'``) and zone-aware TIMESTAMP columns are refused with a
message (read such files with pandas and pass the DataFrame, which is checked as the
pandas path checks it).

Bad input is reported as the pandas path reports it — missing columns listed with the
columns found, missing ids, dates that are not dates, amounts that are not numbers or are
negative, with the first offending rows of the file (row 0 is the first data row, as
pandas numbers them; Spark cannot number rows, so its messages give a count) — as
:class:`~crmlab.InputError`, never an engine traceback. With ``rejected="bad.csv"``
(DuckDB, files), bad rows are instead written to that side file with their reasons and
left out, as the ``crmlab`` command's pandas engine does.

Functions
---------
rfm_summary
    ``rfm.customer_table`` from a file or DataFrame, by DuckDB or Spark.
btyd_summary
    ``btyd.repeat_purchase_table`` from a file or DataFrame, by DuckDB or Spark.

See Also
--------
crmlab.warehouse_engines : the DuckDB and Spark engines and the SQL text they run.
crmlab.warehouse_sources : reading and checking a source, and the messages about bad rows.
crmlab.warehouse_bad_rows : bad rows named in messages, or (``rejected=``) written to a side
    file and left out.

Examples
--------
>>> import crmlab
>>> log = crmlab.load_dataset("cdnow_sample")
>>> table = btyd_summary(log, amount="dollars", calibration_end="1997-09-30")
>>> table[["frequency", "recency", "T"]].head(2).round(3)
             frequency  recency       T
customer_id
4                    2   30.429  38.857
18                   0    0.000  38.429
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._customers import UNIT_ATTR, read_date
from ._dates import require_dates
from ._units import DAYS_PER_UNIT
from ._validation import InputError, check_option, format_rows
from .warehouse_engines import date_literal, statement, timestamp_literal
from .warehouse_bad_rows import REJECTED_ATTR, RowFinder
from .warehouse_sources import MAX_AMOUNT, Job

__all__ = ["MAX_AMOUNT", "REJECTED_ATTR", "btyd_summary", "rfm_summary"]


def _times(text: pd.Series, unit) -> np.ndarray:
    """ISO text from the engines → datetime64 of ``unit`` (NaT for NULL)."""
    parsed = pd.to_datetime(text.astype(object), format="ISO8601")
    return parsed.to_numpy().astype("datetime64[us]").astype(unit)


def _customers(ids: pd.Series, name: str) -> tuple[np.ndarray, pd.Index]:
    """Sort order of the result rows and the customer index, as the pandas path builds it."""
    kind = ids.dtype.kind
    values = (ids.to_numpy(dtype=np.int64) if kind in "iu" else
              ids.to_numpy(dtype=np.float64) if kind == "f" else ids.to_numpy(dtype=object))
    codes, uniques = pd.factorize(values, sort=True)
    order = np.argsort(codes, kind="stable")
    return order, pd.Index(uniques, name=name)


def rfm_summary(source, *, customer: str = "customer_id", date: str = "date",
                amount: str = "amount", as_of=None, engine="duckdb", memory_limit=None,
                rejected=None, date_order=None, **options) -> pd.DataFrame:
    """:func:`crmlab.rfm.customer_table` computed by DuckDB or Spark, from a file or DataFrame.

    Parameters
    ----------
    source : str, path or DataFrame
        A CSV or Parquet file, a glob (``"logs/*.parquet"``), a folder of Parquet files, a
        URI your Spark cluster reads (``"s3://bucket/sales/"``), or a pandas DataFrame.
    customer, date, amount : str
        Column names, as for ``customer_table``.
    as_of : date-like, optional
        The analysis date; default the last transaction time.
    engine : {"duckdb", "spark"} or SparkSession, default "duckdb"
        ``"spark"`` starts (or reuses) a local ``local[2]`` session; pass a SparkSession to
        use yours.
    memory_limit : str, optional
        E.g. ``"2GB"``: DuckDB's memory cap (it spills to a temporary folder beyond it), or
        the driver memory of the local Spark session crmlab starts.
    rejected : str or path, optional
        A CSV file for the bad rows (DuckDB, file sources): the file is read as the
        ``crmlab`` command reads it, and a row with an empty id, a missing or unreadable
        date, or a missing, non-numeric, infinite or (with ``returns="error"``) negative
        amount is written there — row number, reason, every column as the file has it —
        and left out instead of stopping the summary. The result's
        ``attrs["crmlab_rejected"]`` says how many rows were read and rejected, by reason
        (:mod:`crmlab.warehouse_bad_rows`).
    date_order : {None, "dayfirst", "monthfirst", "clear"}, optional
        How text dates with the day and month first (``03/04/2024``) are read: by default
        as pandas reads them (month first unless the first number is over 12);
        ``"dayfirst"`` / ``"monthfirst"`` as the ``crmlab`` command's options say;
        ``"clear"``: only where the order shows (a number over 12), others are not dates.
    **options
        ``unit`` ("days", "weeks", "months"), ``returns`` ("error", "drop", "net") and
        ``same_day`` ("keep", "merge") as in ``customer_table``, with its defaults;
        ``window`` is not supported here (filter the log by date first).

    Returns
    -------
    DataFrame
        The same frame as ``customer_table`` on the same data: indexed by customer, sorted,
        with ``first_purchase``, ``last_purchase``, ``recency``, ``frequency``,
        ``monetary_total`` and ``monetary_mean``.

    Raises
    ------
    InputError
        As ``customer_table`` does (missing columns listed with those found, missing ids,
        bad dates, non-numeric or negative amounts, an ``as_of`` before the last
        transaction), naming the first offending rows of the file; also for unreadable files,
        an unknown engine, or an option the SQL path does not support.

    Examples
    --------
    >>> import crmlab
    >>> log = crmlab.load_dataset("cdnow_sample")
    >>> table = rfm_summary(log, amount="dollars", as_of="1998-06-30")
    >>> table[["recency", "frequency", "monetary_total"]].head(2)
                 recency  frequency  monetary_total
    customer_id
    4              200.0          4          100.50
    18             542.0          1           14.96
    """
    func = "warehouse.rfm_summary"
    unit, returns, same_day = _rfm_options(options, func)
    names = {"customer": customer, "date": date, "amount": amount}
    _names(names, func)
    _date_order(date_order, func)
    job = Job(source, names, engine, memory_limit, func=func, flavour="rfm", returns=returns,
              rejected=rejected, date_order=date_order)
    try:
        kept = "amount >= 0" if returns == "drop" else "TRUE"
        purchases = statement("purchases_merge" if same_day == "merge" else "purchases_keep",
                              kept=kept)
        result = job.run(statement("rfm_summary", purchases=purchases), source)
        t = job.time_unit
        latest = _times(result["latest"], t).max()
        if as_of is None:
            stamp = latest
        else:
            stamp = require_dates(pd.Series([as_of]), func=func, name="as_of").iloc[0]
            stamp = np.datetime64(stamp.to_datetime64(), "us").astype(t)
            if stamp < latest:
                raise InputError(_late(job, stamp, latest, source, func, returns))
        order, index = _customers(result["customer_id"], customer)
        result = result.iloc[order]
        last = _times(result["last_purchase"], t)
        frequency = result["frequency"].to_numpy(dtype=np.int64)
        total = result["monetary_total"].to_numpy(dtype=float)
        out = pd.DataFrame({
            "first_purchase": _times(result["first_purchase"], t),
            "last_purchase": last,
            "recency": (stamp - last) / np.timedelta64(1, "D") / DAYS_PER_UNIT[unit],
            "frequency": frequency,
            "monetary_total": total,
        }, index=index)
        with np.errstate(invalid="ignore", divide="ignore"):
            out["monetary_mean"] = np.where(frequency > 0, total / np.maximum(frequency, 1),
                                            np.nan)
        if job.report is not None:
            out.attrs[REJECTED_ATTR] = job.report
        return out
    finally:
        job.close()


def _late(job, stamp, latest, source, func, returns):
    """The pandas path's message for an as_of before the last transaction."""
    when = pd.Timestamp(stamp).date()
    last = pd.Timestamp(latest).date()
    if job.frame is not None:
        late = job.frame["date_raw"] > stamp
        where = f"at rows {format_rows(job.frame.index[late])}"
    else:
        kept = (f" AND {job.snippets['amount_value']} >= 0") if returns == "drop" else ""
        condition = f"{job.snippets['purchase_time']} > {timestamp_literal(pd.Timestamp(stamp))}"
        count = int(job.run(f"SELECT COUNT(*) AS n FROM crm_source WHERE {condition}{kept}",
                            source)["n"].iloc[0])
        rows = RowFinder(job.engine, job.kinds)
        _, where = job.guard(lambda: rows.find(condition + kept, count, "date"), source)
    return (f"{func}: as_of {when} is earlier than transactions {where} (last {last}). Choose a "
            f"later as_of or drop the later rows.")


def _rfm_options(options: dict, func: str):
    allowed = {"unit": "days", "returns": "error", "same_day": "keep", "window": None}
    unknown = [k for k in options if k not in allowed]
    if unknown:
        raise InputError(f"{func}: unknown option {unknown[0]!r}; rfm_summary takes "
                         f"customer_table's unit, returns and same_day.")
    if options.get("window") is not None:
        raise InputError(f"{func}: window is not supported by the SQL path; keep the rows of "
                         f"the window (dates after as_of − window) in the file, or use "
                         f"crmlab.rfm.customer_table on a DataFrame.")
    unit = options.get("unit", "days")
    returns = options.get("returns", "error")
    same_day = options.get("same_day", "keep")
    check_option(unit, list(DAYS_PER_UNIT), func=func, name="unit")
    check_option(returns, ("error", "drop", "net"), func=func, name="returns")
    check_option(same_day, ("keep", "merge"), func=func, name="same_day")
    return unit, returns, same_day


def _date_order(date_order, func: str) -> None:
    if date_order is not None:
        check_option(date_order, ("dayfirst", "monthfirst", "clear"), func=func,
                     name="date_order")


def _names(names: dict, func: str) -> None:
    for keyword, column in names.items():
        if column is None and keyword == "amount":
            continue
        if not isinstance(column, str) or not column:
            raise InputError(f"{func}: `{keyword}` must be one column name (a string); got "
                             f"{column!r}. Pass e.g. {keyword}='{keyword}'.")


def btyd_summary(source, *, customer: str = "customer_id", date: str = "date",
                 amount: str | None = "amount", calibration_end, holdout_end=None,
                 unit: str = "weeks", engine="duckdb", memory_limit=None,
                 rejected=None, date_order=None) -> pd.DataFrame:
    """:func:`crmlab.btyd.repeat_purchase_table` computed by DuckDB or Spark.

    Purchases on the same calendar day are merged into one; only customers whose first
    purchase is on or before ``calibration_end`` are kept.

    Parameters
    ----------
    source : str, path or DataFrame
        As for :func:`rfm_summary`.
    customer, date, amount : str
        Column names; ``amount=None`` skips the ``monetary`` column.
    calibration_end, holdout_end : date-like
        Last day of the calibration and of the holdout period (both inclusive).
    unit : {"weeks", "days", "months"}, default "weeks"
        Unit of ``recency``, ``T`` and ``duration_holdout``, recorded in
        ``attrs["crmlab_unit"]``.
    engine, memory_limit
        As for :func:`rfm_summary`.
    rejected : str or path, optional
        As for :func:`rfm_summary`; negative amounts are always bad rows here.
    date_order : optional
        As for :func:`rfm_summary`.

    Returns
    -------
    DataFrame
        The same frame as ``repeat_purchase_table``: ``frequency``, ``recency``, ``T``,
        ``monetary`` (mean spend of the repeat purchases), ``first_purchase`` and, with
        ``holdout_end``, ``frequency_holdout`` and ``duration_holdout``.

    Raises
    ------
    InputError
        As ``repeat_purchase_table`` does, naming the first offending rows of the file.

    Examples
    --------
    >>> import crmlab
    >>> log = crmlab.load_dataset("cdnow_sample")
    >>> table = btyd_summary(log, customer="sample_id", amount="dollars",
    ...                      calibration_end="1997-09-30", holdout_end="1998-06-30")
    >>> table[["frequency", "recency", "T", "frequency_holdout"]].head(2).round(3)
               frequency  recency       T  frequency_holdout
    sample_id
    1                  2   30.429  38.857                  1
    2                  1    1.714  38.857                  0
    """
    func = "warehouse.btyd_summary"
    names = {"customer": customer, "date": date, "amount": amount}
    _names(names, func)
    check_option(unit, list(DAYS_PER_UNIT), func=func, name="unit")
    cal_end = read_date(calibration_end, func=func, name="calibration_end").normalize()
    hold_end = None
    if holdout_end is not None:
        hold_end = read_date(holdout_end, func=func, name="holdout_end").normalize()
        if hold_end <= cal_end:
            raise InputError(f"{func}: holdout_end {hold_end.date()} must be after "
                             f"calibration_end {cal_end.date()}.")
    _date_order(date_order, func)
    job = Job(source, names, engine, memory_limit, func=func, flavour="btyd", rejected=rejected,
              date_order=date_order)
    try:
        sql = statement("btyd_summary", calibration_end=date_literal(cal_end),
                        holdout_end=date_literal(hold_end if hold_end is not None else cal_end))
        result = job.run(sql, source)
        if len(result) == 0:
            raise InputError(f"{func}: no customer made a first purchase on or before "
                             f"calibration_end {cal_end.date()}; choose a later date.")
        order, index = _customers(result["customer_id"], customer)
        result = result.iloc[order]
        t = job.time_unit
        days = DAYS_PER_UNIT[unit]
        first = pd.Series(_times(result["first_purchase"], t), index=index)
        last = pd.Series(_times(result["last_purchase"], t), index=index)
        frequency = result["calibration_days"].to_numpy(dtype=np.int64) - 1
        out = pd.DataFrame({
            "frequency": frequency,
            "recency": (last - first).dt.days / days,
            "T": (np.datetime64(cal_end.to_datetime64(), "us").astype(t) - first).dt.days / days,
        }, index=index)
        if amount is not None:
            repeat = (result["calibration_amount"].to_numpy(dtype=float)
                      - result["first_amount"].to_numpy(dtype=float))
            with np.errstate(all="ignore"):
                out["monetary"] = np.where(frequency > 0, repeat / np.maximum(frequency, 1),
                                           np.nan)
        out["first_purchase"] = first
        if hold_end is not None:
            out["frequency_holdout"] = result["holdout_days"].to_numpy(dtype=np.int64)
            out["duration_holdout"] = (hold_end - cal_end).days / days
        out.attrs[UNIT_ATTR] = unit
        if job.report is not None:
            out.attrs[REJECTED_ATTR] = job.report
        return out
    finally:
        job.close()

