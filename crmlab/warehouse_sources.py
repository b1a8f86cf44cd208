"""Reading and checking a transaction source for the SQL engines of :mod:`crmlab.warehouse`.

A source is a CSV or Parquet file, a glob or folder of them, a URI a Spark cluster reads,
or a pandas DataFrame. :class:`Job` opens an engine, registers the source as the view
``crm_source``, checks it and creates the checked log ``crm_log(customer_id,
purchase_time, amount)`` that the summaries of :mod:`crmlab.warehouse` read.

The checks say what the pandas path (:func:`crmlab.rfm.customer_table`,
:func:`crmlab.btyd.repeat_purchase_table`) says about the same data: missing columns
listed with the columns found, missing ids, dates that are not dates, amounts that are
not numbers or are negative — with the first offending rows of the file (row 0 is the
first data row, as pandas numbers them; Spark cannot number rows, so its messages give a
count). Files are checked by one SQL pass that counts every kind of bad row
(``checks`` in ``crmlab/sql/warehouse.sql``); rows are numbered only to name them. A
DataFrame is checked as the pandas path checks it.

Dates are read from DATE and TIMESTAMP columns, YYYYMMDD numbers, and text in the forms
pandas reads (``time_from_text`` in ``crmlab/sql/warehouse.sql``: 2024-01-31, 2024/1/31,
31/01/2024, 20240131, with a time and a zone kept as local time); zone-aware TIMESTAMP
columns and other text forms are refused with a message. Money is
summed as ``DECIMAL(38, 6)``, so amounts of :data:`MAX_AMOUNT` (1e20) or more are refused.

Classes
-------
Job
    One summary: engine opened, source registered and checked, ``crm_log`` created.

Functions
---------
source_files
    A path, glob, folder or URI → the files, their format and a name for messages.
column_kind
    An engine's column type → timestamp, zoned, text, number, bool or other.
check_file, require_source_columns
    The checks of a file source, raising the pandas path's messages.
text_date_fields
    The fields of the SQL that reads text dates (its two forms, the day/month order).
"""

from __future__ import annotations

import glob
import os

import numpy as np
import pandas as pd

from ._customers import require_id_kind
from ._dates import require_dates
from ._validation import (InputError, format_rows, format_value, reject_rows, require_columns,
                          require_numeric)
from .warehouse_bad_rows import RowFinder, require_rejected_path, write_rejected_rows
from .warehouse_engines import Engine, first_line, open_engine, statement

__all__ = ["MAX_AMOUNT", "Job", "check_file", "check_types", "column_kind",
           "require_source_columns", "source_files", "text_date_fields"]

#: Amounts at or above this size are refused: sums are exact DECIMAL(38, 6).
MAX_AMOUNT = 1e20

_CSV = (".csv", ".csv.gz", ".tsv", ".tsv.gz")
_PARQUET = (".parquet", ".pq", ".parq")


def column_kind(type_name: str, *, engine: str, fmt: str | None) -> str:
    """The kind of a column type: timestamp, zoned, text, number, bool or other."""
    t = type_name.lower()
    if "with time zone" in t or t == "timestamptz":
        return "zoned"
    if t == "timestamp" and engine == "spark" and fmt == "parquet":
        return "zoned"       # Spark reads naive Parquet timestamps as timestamp_ntz
    if t == "date" or t.startswith("timestamp"):
        return "timestamp"
    if t.startswith(("varchar", "string", "text", "char")):
        return "text"
    if t.startswith(("tinyint", "smallint", "int", "bigint", "hugeint", "utinyint", "usmallint",
                     "uinteger", "ubigint", "uhugeint", "long", "short", "byte", "float",
                     "double", "real", "decimal", "numeric")):
        return "number"
    if t.startswith(("bool", "boolean")):
        return "bool"
    return "other"


# ------------------------------------------------------------------------- sources
def source_files(source, func) -> tuple[list[str], str, str]:
    """A path (glob, directory of Parquet files or URI) → paths for the engines, format, name."""
    path = os.fspath(source)
    remote = "://" in path
    name = path.rstrip("/").rsplit("/", 1)[-1]
    lower = path.lower().rstrip("/")
    if remote:
        matched = [path]
    else:
        path = os.path.expanduser(path)
        matched = sorted(glob.glob(path, recursive=True)) if glob.has_magic(path) else (
            [path] if os.path.exists(path) else [])
        if not matched:
            raise InputError(f"{func}: no file matches {source!r}; give the path of a CSV or "
                             f"Parquet file (globs like 'data/*.parquet' are allowed).")
    if not remote and len(matched) == 1 and os.path.isdir(matched[0]):
        inside = sorted(glob.glob(os.path.join(matched[0], "**", "*.parquet"), recursive=True))
        if not inside:
            raise InputError(f"{func}: the folder {source!r} holds no .parquet files; give a "
                             f"CSV or Parquet file or a folder of Parquet files.")
        return inside, "parquet", name
    if lower.endswith(_CSV):
        fmt = "csv"
    elif lower.endswith(_PARQUET):
        fmt = "parquet"
    else:
        suffixes = {os.path.splitext(m)[1].lower() for m in matched}
        fmt = ("csv" if suffixes <= set(_CSV) else "parquet" if suffixes <= set(_PARQUET)
               else None)
        if fmt is None:
            raise InputError(f"{func}: {source!r} is not a CSV or Parquet file by its name (it "
                             f"should end in .csv or .parquet); rename or convert it.")
    if not remote:
        for m in matched[:1]:
            with open(m, "rb") as handle:
                head = handle.read(4096)
            if fmt == "parquet" and not head.startswith(b"PAR1"):
                raise InputError(f"{func}: {m!r} is not a Parquet file (it does not start with "
                                 f"the Parquet mark PAR1); is it a CSV file with another name?")
            if fmt == "csv" and not m.lower().endswith(".gz") and b"\0" in head:
                raise InputError(f"{func}: {m!r} is not a CSV file (it holds binary data); give "
                                 f"a CSV or Parquet file.")
    return matched, fmt, name


# ------------------------------------------------------------------ checks: messages
def require_source_columns(found: dict, names: dict, func: str) -> None:
    """Missing columns listed with the columns found, as require_columns says it."""
    wanted = {k: v for k, v in names.items() if v is not None}
    require_columns(pd.DataFrame(columns=list(found)), wanted, func=func, arg="source")


def check_types(kinds: dict, names: dict, *, func: str) -> None:
    """Refuse column types the SQL path cannot read: ids that are not text or numbers,
    time-zone-aware or non-date dates, amounts that are not numbers or text."""
    customer, date, amount = names["customer"], names["date"], names["amount"]
    if kinds["customer"] not in ("number", "text"):
        raise InputError(f"{func}: customer ids in column {customer!r} must be text or numbers; "
                         f"got type {kinds['customer_type']}. Convert them, e.g. to text.")
    if kinds["date"] == "zoned":
        raise InputError(f"{func}: column {date!r} holds time-zone-aware timestamps; the SQL "
                         f"engines read them in UTC, not in their local time as the pandas path "
                         f"does. Store local times without a zone, or read the file with pandas "
                         f"and pass the DataFrame.")
    if kinds["date"] not in ("timestamp", "text", "number"):
        raise InputError(f"{func}: column {date!r} must be dates; got type {kinds['date_type']}. "
                         f"Use ISO dates like '2024-01-31'.")
    if amount is not None and kinds["amount"] not in ("number", "text"):
        what = {"bool": "true/false values", "timestamp": "dates"}.get(
            kinds["amount"], f"type {kinds['amount_type']}")
        raise InputError(f"{func}: column {amount!r} must be numeric; got {what}. Give numbers, "
                         f"e.g. .astype(float) for 0/1 flags.")


def check_file(engine: Engine, kinds: dict, names: dict, *, func: str, flavour: str,
               returns: str = "error", date_order=None, one_zone: bool = False) -> dict:
    """Run the checks statement; raise the pandas path's message for the first problem.

    ``date_order``: as for :func:`text_date_fields`; ``one_zone``: refuse dates in several
    time zones (the crmlab command's pandas engine converts those to UTC)."""
    customer, date, amount = names["customer"], names["date"], names["amount"]
    check_types(kinds, names, func=func)
    snippets = _snippets(kinds, amount, date_order)
    counts = engine.run(statement("checks", **snippets)).iloc[0]
    n = int(counts["n_rows"])
    rows = RowFinder(engine, kinds)
    if n == 0:
        raise InputError(f"{func}: `source` is empty; there is nothing to summarise." if flavour
                         == "rfm" else f"{func}: `source` has no rows; pass one row per purchase.")
    if counts["missing_ids"]:
        value, where = rows.find("customer_raw IS NULL", int(counts["missing_ids"]), "customer")
        if flavour == "rfm":
            raise InputError(f"{func}: column {customer!r} has missing customer ids {where}. "
                             f"Drop or fill these rows first.")
        raise InputError(f"{func}: column {customer!r} has missing customer ids; got None "
                         f"{where}. Every purchase must belong to a customer: fill in the ids "
                         f"or drop these rows (rfm.customer_table refuses them too).")
    if counts["missing_dates"]:
        _, where = rows.find("date_raw IS NULL", int(counts["missing_dates"]), "date")
        raise InputError(f"{func}: column {date!r} has missing dates {where}. Fill them in or "
                         f"drop these rows.")
    if counts["zoned_dates"] and one_zone:
        zones = engine.run(statement("zones", zoned=snippets["zoned"]))["zone"]
        offsets = {_offset(z) for z in zones if z}
        if len(offsets) > 1:
            raise InputError(f"{func}: column {date!r} has dates in {len(offsets)} time zones "
                             f"({', '.join(sorted(zones)[:5])}); the crmlab command's pandas "
                             f"engine converts them to UTC (or --timezone), the SQL path keeps "
                             f"each local time as written. Use --engine pandas.")
    if counts["bad_dates"]:
        value, where = rows.find(f"date_raw IS NOT NULL AND {snippets['purchase_time']} IS NULL",
                                 int(counts["bad_dates"]), "date")
        raise InputError(f"{func}: column {date!r} has values that are not dates, e.g. "
                         f"{format_value(value)} {where}. Use ISO dates like '2024-01-31' (the "
                         f"SQL path reads 2024-01-31, 2024/1/31, 31/01/2024 and 20240131, with "
                         f"a time and a zone; read other forms, such as 31 Jan 2024, with "
                         f"pandas and pass the DataFrame).")
    if amount is None:
        return counts
    a = snippets["amount_value"]
    negative = flavour == "btyd" or returns == "error"
    problems = (   # count, the rows that have it, the message from the first value and rows
        ("text_amounts", f"amount_raw IS NOT NULL AND {a} IS NULL",
         lambda value, where: f"{func}: column {amount!r} must be numeric; got "
                              f"{format_value(value)} {where}. Remove units or text from these "
                              f"cells (e.g. '30亿' -> 30)."),
        ("missing_amounts", f"amount_raw IS NULL OR isnan({a})",
         lambda value, where: f"{func}: column {amount!r} has missing values (NaN) {where}. "
                              f"Fill them in or drop these rows before scoring."),
        ("infinite_amounts", f"ABS({a}) > 1.7976931348623157E308",
         lambda value, where: f"{func}: column {amount!r} must be finite; got "
                              f"{format_value(value)} {where}. Replace or drop infinite values "
                              f"(often a division by zero or a number too large for a float)."),
        ("huge_amounts", f"ABS({a}) >= 1E20",
         lambda value, where: _huge(func, amount, value, where)),
        ("negative_amounts" if negative else None, f"{a} < 0",
         lambda value, where: _negative(func, amount, value, where, flavour)),
    )
    for count, condition, message in problems:
        if count is not None and counts[count]:
            raise InputError(message(*rows.find(condition, int(counts[count]), "amount")))
    if returns == "drop" and not counts["nonnegative_amounts"]:
        raise InputError(_all_negative(func, amount))
    return counts


def _offset(zone: str) -> int:
    """Minutes east of UTC of a zone as written: Z, UTC, GMT, +08:00, +0800, +08."""
    zone = zone.strip().upper()
    if zone in ("Z", "UTC", "GMT"):
        return 0
    digits = zone[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + (int(digits[2:4]) if len(digits) > 2 else 0)
    return -minutes if zone.startswith("-") else minutes


def _huge(func, amount, value, where):
    return (f"{func}: column {amount!r} has amounts of 1e20 or more, e.g. {format_value(value)} "
            f"{where}; the SQL path sums money exactly (DECIMAL(38, 6)), which holds amounts below "
            f"1e20. Rescale the amounts (e.g. to thousands) or use the pandas path.")


def _negative(func, amount, value, where, flavour):
    if flavour == "rfm":
        return (f"{func}: column {amount!r} has negative amounts (returns?), e.g. "
                f"{format_value(value)} {where}. Pass returns='drop' to ignore them or "
                f"returns='net' to subtract them from the monetary total.")
    return (f"{func}: column {amount!r} must be >= 0; got {format_value(value)} {where}. Drop "
            f"returns or net them out before fitting spend models.")


def _all_negative(func, amount):
    return (f"{func}: every amount in column {amount!r} is negative, so returns='drop' leaves no "
            f"purchase. Check the sign of the amounts.")


def _snippets(kinds: dict, amount, date_order=None) -> dict[str, str]:
    """The SQL that reads the purchase time and the amount of a row (warehouse.sql)."""
    time = {"timestamp": "time_from_timestamp", "text": "time_from_text",
            "number": "time_from_number"}[kinds["date"]]
    money = ("amount_none" if amount is None else
             {"number": "amount_from_number", "text": "amount_from_text"}[kinds["amount"]])
    zoned = statement("zoned_text") if kinds["date"] == "text" else "FALSE"
    fields = text_date_fields(date_order) if kinds["date"] == "text" else {}
    return {"purchase_time": statement(time, **fields), "amount_value": statement(money),
            "zoned": zoned}


def text_date_fields(date_order=None) -> dict[str, str]:
    """The fields of time_from_text: the parts of its two date forms, and the day/month
    order (None: month first unless the first number is over 12; "dayfirst"; "monthfirst";
    "clear": only dates whose order shows)."""
    fields = {}
    time_form = statement("time_form")
    for form in ("iso", "dmy"):
        pattern = statement(f"{form}_form", time_form=time_form)
        for group in (0, 1, 2, 3, 4, 5):
            fields[f"{form}_{group}"] = statement("date_part", pattern=pattern, group=group)
        fields[f"clock_{form}"] = statement("clock", **{
            name: statement("date_part", pattern=pattern, group=group)
            for name, group in (("hour", 6), ("minute", 7), ("second", 8), ("fraction", 9))})
    order = {None: statement("day_first_unless_impossible", **fields), "dayfirst": "TRUE",
             "monthfirst": "FALSE", "clear": statement("day_first_when_clear", **fields)}
    fields["day_first"] = order[date_order]
    return fields


def _check_frame(data: pd.DataFrame, names: dict, *, func: str, flavour: str,
                 returns: str = "error") -> pd.DataFrame:
    """A DataFrame checked as the pandas path checks it → customer_raw, date_raw, amount_raw."""
    customer, date, amount = names["customer"], names["date"], names["amount"]
    wanted = {k: v for k, v in names.items() if v is not None}
    require_columns(data, wanted, func=func, arg="source")
    if len(data) == 0:
        raise InputError(f"{func}: `source` is empty; there is nothing to summarise." if flavour
                         == "rfm" else f"{func}: `source` has no rows; pass one row per purchase.")
    ids = data[customer]
    if flavour == "rfm":
        if ids.isna().any():
            raise InputError(f"{func}: column {customer!r} has missing customer ids at rows "
                             f"{format_rows(ids.index[ids.isna()])}. Drop or fill these rows "
                             f"first.")
    else:
        reject_rows(ids.isna(), ids, func=func, name=f"column {customer!r}",
                    problem="has missing customer ids",
                    hint="Every purchase must belong to a customer: fill in the ids or drop "
                         "these rows (rfm.customer_table refuses them too).")
    dates = require_dates(data[date], func=func, name=f"column {date!r}")
    if amount is not None:
        money = require_numeric(data[amount], func=func, name=f"column {amount!r}")
        huge = money.abs() >= MAX_AMOUNT
        if huge.any():
            raise InputError(_huge(func, amount, money[huge].iloc[0],
                                   f"at rows {format_rows(money.index[huge])}"))
        negative = money < 0
        if negative.any() and (flavour == "btyd" or returns == "error"):
            raise InputError(_negative(func, amount, money[negative].iloc[0],
                                       f"at rows {format_rows(money.index[negative])}", flavour))
    else:
        money = pd.Series(0.0, index=data.index)
    require_id_kind(ids, func=func, name=f"column {customer!r}")
    frame = pd.DataFrame({"customer_raw": ids.to_numpy(),
                          "date_raw": dates.to_numpy().astype("datetime64[us]"),
                          "amount_raw": money.to_numpy(dtype=float)}, index=data.index)
    if returns == "drop":
        frame = frame[frame["amount_raw"] >= 0]
        if frame.empty:
            raise InputError(_all_negative(func, amount))
    return frame


# ------------------------------------------------------------------------ the work
class Job:
    """One summary: engine, source registered as crm_source, crm_log created."""

    def __init__(self, source, names, engine, memory_limit, *, func, flavour, returns="error",
                 rejected=None, date_order=None):
        self.func, self.names, self.frame, self.report = func, names, None, None
        self.date_order = date_order
        if not isinstance(source, (pd.DataFrame, str, os.PathLike)):
            raise InputError(f"{func}: `source` must be a path to a CSV or Parquet file (globs "
                             f"allowed) or a pandas DataFrame; got {type(source).__name__}.")
        files = None if isinstance(source, pd.DataFrame) else source_files(source, func)
        self.rejected = None if rejected is None else require_rejected_path(
            rejected, engine, files and files[0], func)
        self.engine = open_engine(engine, memory_limit, func)
        try:
            self._read(source, files, flavour, returns)
        except BaseException:
            self.engine.close()
            raise

    def _read(self, source, files, flavour, returns):
        func, names = self.func, self.names
        if isinstance(source, pd.DataFrame):
            self.frame = _check_frame(source, names, func=func, flavour=flavour, returns=returns)
            self.time_unit = require_dates(source[names["date"]].iloc[:1], func=func,
                                           name="date").dtype
        else:
            self.time_unit = np.dtype("datetime64[us]")
        self._start(files, source, flavour, returns)

    def _start(self, files, source, flavour, returns):
        func = self.func
        if self.frame is not None:
            self.engine.register_frame(self.frame)
            kinds = {"customer": "number", "date": "timestamp", "amount": "number"}
            self.kinds = kinds
        else:
            paths, fmt, _ = files
            try:
                found = self.engine.describe(paths, fmt)
            except Exception as err:
                raise InputError(f"{func}: {self.engine.name} could not read {source!r} as "
                                 f"{fmt.upper()}: {first_line(err)}") from None
            require_source_columns(found, self.names, func)
            options = {} if self.rejected is None else {"as_text": True}
            typed = self.guard(lambda: self.engine.register_files(self.names, found, **options),
                               source)
            self.kinds = kinds = self._kinds(typed, fmt)
            if self.rejected is not None:
                self.guard(lambda: self._reject(found, files, flavour, returns), source)
                self.kinds = kinds = self._kinds(self.engine.columns("crm_source"), fmt)
            counts = self.guard(lambda: check_file(
                self.engine, kinds, self.names, func=func, flavour=flavour, returns=returns,
                date_order=self.date_order, one_zone=self.rejected is not None), source)
            if self.report is not None and int(counts["n_rows"]) != (self.report["rows"]
                                                                     - self.report["rejected"]):
                raise InputError(f"{func}: internal check failed: {int(counts['n_rows']):,} rows "
                                 f"left and {self.report['rejected']:,} rejected are not the "
                                 f"{self.report['rows']:,} rows read; please report this.")
        self.snippets = _snippets(self.kinds, self.names["amount"], self.date_order)
        self.guard(lambda: self.engine.execute(statement("log", **self.snippets)), source)

    def _kinds(self, typed: dict, fmt: str) -> dict:
        kinds = {k: column_kind(typed[f"{k}_raw"], engine=self.engine.name.lower(), fmt=fmt)
                 for k in ("customer", "date", "amount")}
        kinds.update({f"{k}_type": typed[f"{k}_raw"] for k in ("customer", "date", "amount")})
        if self.names["amount"] is None:
            kinds["amount"] = "number"
        return kinds

    def _reject(self, found, files, flavour, returns):
        """Write the bad rows to the side file; crm_source becomes the other rows."""
        check_types(self.kinds, self.names, func=self.func)
        paths, _, name = files
        self.report = write_rejected_rows(
            self.engine, self.kinds, self.names, list(found), self.rejected,
            negative=flavour == "btyd" or returns == "error",
            snippets=_snippets(self.kinds, self.names["amount"], self.date_order),
            several_files=len(paths) > 1,
            func=self.func, source_name=name)

    def guard(self, work, source):
        """Run ``work``; an engine error becomes an InputError naming the source."""
        try:
            return work()
        except InputError:
            raise
        except Exception as err:
            raise InputError(f"{self.func}: {self.engine.name} could not summarise "
                             f"{_describe(source)}: {first_line(err)}") from None

    def run(self, sql, source):
        return self.guard(lambda: self.engine.run(sql), source)

    def close(self):
        self.engine.close()


def _describe(source) -> str:
    return repr(os.fspath(source)) if isinstance(source, (str, os.PathLike)) else "the DataFrame"

