"""Bad rows of a file for the SQL engines: named in a message, or written to a side file.

Without ``rejected``, the first bad rows of a file are named in the message that stops
:func:`crmlab.warehouse.rfm_summary` or :func:`~crmlab.warehouse.btyd_summary`
(:class:`RowFinder`: rows counted from 0, as pandas numbers them, per file; Spark cannot
number rows, so its messages give a count).

With ``rejected="OUT.rejected.csv"`` (:func:`write_rejected_rows`), the summaries read a
file as the ``crmlab`` command's pandas engine reads it (:mod:`crmlab.cli.clean`) and
handle its bad rows the same way: a row with an empty customer id, a missing date or one that is not
a date, or a missing, non-numeric, infinite or (unless ``returns`` nets or drops them)
negative amount is written to the side file — its row number (1 = the first row after the
header), the reason, then every column as the file has it — and left out; the summary is
made of the other rows. Nothing is read into memory but the first rows of each kind: the
rows are flagged in one SQL pass, and numbered and copied to the file by DuckDB (``COPY``)
only when there is a bad row, so a file larger than memory works as it does without
``rejected``.

Reading as the command reads: a CSV cell is text; a cell that says nothing (``''``,
``NA``, ``null``, ``-`` …, :data:`crmlab.cli.dates.NULLS`) is missing; ids are trimmed
and, when every kept id is a whole number as written (no leading zero), integers. Dates
are read as the SQL path reads them (2024-01-31, 2024/1/31, 31/01/2024, 20240131, with a
time and a zone); a date in a form only the pandas engine reads (``31 Jan 2024``), or
``03/04/2024`` with ``date_order="clear"`` (the command without --dayfirst/--monthfirst),
is a bad row whose reason says so. The statements are in ``crmlab/sql/rejected.sql``
(DuckDB only: Spark cannot number the rows of a file). What still stops, as without
``rejected``: missing columns, dates in several time zones, amounts of 1e20 or more, and
every row rejected.

Classes
-------
RowFinder
    Where the bad rows of a message are: file rows (DuckDB), a count (Spark).

Functions
---------
write_rejected_rows
    Flag, count and write the bad rows; make ``crm_source`` the rows left; the report,
    which the summaries keep in ``attrs[REJECTED_ATTR]``.
require_rejected_path
    The side file's path, refused for Spark, a DataFrame or the input file itself.
"""

from __future__ import annotations

import os
import re

import pandas as pd

from ._validation import SHOW_ROWS, InputError
from .warehouse_engines import DuckDBEngine, quote_ident, quote_text, statement

__all__ = ["KINDS", "REJECTED_ATTR", "RowFinder", "require_rejected_path", "write_rejected_rows"]

#: Key of ``DataFrame.attrs`` holding the report of :func:`write_rejected_rows`: ``path``,
#: ``rows`` (read), ``rejected``, ``reasons`` ({kind: {"rows": count, "first": [row
#: numbers]}}) and ``first`` ("row 2: reason", or None). Plain JSON, so the frame still
#: writes to Parquet.
REJECTED_ATTR = "crmlab_rejected"

#: The kinds of bad row, in the order the pandas engine checks and names them, with the
#: flag column of ``crm_flags`` for each.
KINDS = {"empty customer id": "empty_id", "missing date": "missing_date",
         "unreadable date": "unreadable_date", "missing amount": "missing_amount",
         "non-numeric amount": "non_numeric_amount", "infinite amount": "infinite_amount",
         "negative amount": "negative_amount"}

_MISSING = {"text": "missing_text", "number": "missing_number", "timestamp": "missing_time"}


# ------------------------------------------------------------ named in a message
class RowFinder:
    """Where a message's bad rows are: index labels (DataFrame) or file rows (SQL)."""

    def __init__(self, engine, kinds):
        self.engine, self.kinds = engine, kinds

    def find(self, condition: str, count: int, column: str):
        """(first bad value, "at rows [...]" text) of the rows matching ``condition``."""
        self.engine.number_rows()
        ex = self.engine.run(statement("examples", condition=condition))
        value = ex[f"{column}_text"].iloc[0] if len(ex) else None
        if value is not None and (self.kinds.get(column) == "number" or column == "amount"):
            try:       # shown as the pandas path shows it: a number, not its text
                value = int(value) if re.fullmatch(r"-?\d+", value.strip()) else float(value)
                value = float(value) if column == "amount" else value
            except ValueError:
                pass
        rows = ex["source_row"] if len(ex) else pd.Series([], dtype=float)
        if len(ex) == 0 or rows.isna().all():
            return value, f"in {count:,} row{'s' if count != 1 else ''}"
        first_file = ex["source_file"].iloc[0]
        mine = ex[ex["source_file"] == first_file]
        labels = [int(r) for r in mine["source_row"].iloc[:SHOW_ROWS]]
        more = count - len(labels)
        where = f"at rows {labels}" + (f" and {more} more" if more > 0 else "")
        if isinstance(first_file, str):
            where += f" of {os.path.basename(first_file)}"
        return value, where


# ------------------------------------------------------------ written to a side file
def require_rejected_path(rejected, engine, paths, func: str) -> str:
    """The side file's path, or :class:`InputError` when ``rejected`` cannot be used here."""
    if not isinstance(rejected, (str, os.PathLike)):
        raise InputError(f"{func}: rejected must be the path of a CSV file for the bad rows, "
                         f"e.g. 'sales.rejected.csv'; got {type(rejected).__name__}.")
    if not (isinstance(engine, str) and engine == "duckdb"):
        raise InputError(f"{func}: rejected= needs engine='duckdb' (it numbers the rows of the "
                         f"file and writes the bad ones with COPY; Spark cannot number rows). "
                         f"On Spark, leave out the bad rows in your cluster first.")
    if paths is None:
        raise InputError(f"{func}: rejected= needs a file; a DataFrame is checked as the pandas "
                         f"path checks it (bad rows raise). Clean the DataFrame first, or pass "
                         f"the file.")
    path = os.path.abspath(os.path.expanduser(os.fspath(rejected)))
    if path in {os.path.abspath(p) for p in paths}:
        raise InputError(f"{func}: rejected {os.fspath(rejected)!r} is the input file; give "
                         f"another path, e.g. 'OUT.rejected.csv'.")
    return path


def _snippets(kinds: dict, amount, negative: bool, purchase_time: str, amount_value: str):
    """The fields of ``rejected_flags`` and ``rejected_table`` for these column kinds."""
    customer, date = kinds["customer"], kinds["date"]
    return {
        "id_missing": statement(_MISSING[customer], column="customer_raw"),
        "date_missing": statement(_MISSING[date], column="date_raw"),
        "amount_missing": ("FALSE" if amount is None else
                           statement(_MISSING[kinds["amount"]], column="amount_raw")),
        "purchase_time": purchase_time, "amount_value": amount_value,
        "negative": "TRUE" if negative and amount is not None else "FALSE",
        "id_reason": statement(f"id_reason_{customer}"),
        "date_reason": ("CAST(NULL AS VARCHAR)" if date == "timestamp" else
                        statement(f"date_reason_{date}")),
        "whole_id": statement(f"whole_id_{customer}"),
    }


def write_rejected_rows(engine: DuckDBEngine, kinds: dict, names: dict, columns: list[str],
                        path: str, *, negative: bool, snippets: dict, several_files: bool,
                        func: str, source_name: str) -> dict:
    """Flag, count and write the bad rows of ``crm_input``; ``crm_source`` becomes the rest.

    ``kinds`` are the column kinds of the source (text, number, timestamp), ``columns``
    the file's columns (written after ``row`` and ``reason``), ``negative`` whether
    negative amounts are bad rows, ``snippets`` the reading of times and amounts
    (``purchase_time``, ``amount_value``). Returns the report stored under
    :data:`REJECTED_ATTR`; raises :class:`InputError` when every row is bad.
    """
    fields = _snippets(kinds, names["amount"], negative, snippets["purchase_time"],
                       snippets["amount_value"])
    engine.execute(statement("rejected_flags", **fields))
    counts = engine.run(statement("rejected_counts", whole_id=fields["whole_id"])).iloc[0]
    rows, bad = int(counts["n_rows"]), int(counts["rejected"])
    report = {"path": path, "rows": rows, "rejected": bad, "reasons": {}, "first": None}
    if bad:
        engine.number_rows()
    try:
        engine.execute(statement("rejected_table", condition="rejected" if bad else "FALSE",
                                 id_reason=fields["id_reason"],
                                 date_reason=fields["date_reason"],
                                 amount_value=fields["amount_value"]))
    finally:
        if bad:
            engine.number_rows(on=False)
    for kind, flag in KINDS.items():
        if int(counts[flag]):
            first = engine.run(statement("rejected_first", flag=flag))
            report["reasons"][kind] = {"rows": int(counts[flag]),
                                       "first": [int(r) for r in first["row_number"]]}
    if bad:
        first = engine.run(statement("rejected_first", flag="TRUE")).iloc[0]
        report["first"] = f"row {int(first['row_number'])}: {first['reason']}"
    shown = ", ".join(quote_ident(c) for c in columns)
    engine.execute(statement("rejected_file", file='source_file AS "file", ' if several_files
                             else "", columns=shown, path=quote_text(path)))
    if bad and bad == rows:
        raise InputError(f"{func}: every row of {source_name} was rejected ({report['first']}); "
                         f"the {rows:,} rows and their reasons are in {path}. Check the column "
                         f"names (customer=, date=, amount=).")
    engine.execute(statement("rejected_kept", customer=_kept_ids(kinds, int(counts["text_ids"])),
                             **fields))
    return report


def _kept_ids(kinds: dict, text_ids: int) -> str:
    """The ids of the rows left, as the crmlab command reads them: trimmed text, or integers
    when every one is a whole number (``text_ids``: how many are not)."""
    if kinds["customer"] == "text":
        return "TRIM(customer_raw)" if text_ids else "CAST(TRIM(customer_raw) AS BIGINT)"
    fractional = kinds.get("customer_type", "").upper().startswith(("DOUBLE", "FLOAT", "REAL",
                                                                    "DECIMAL"))
    return "CAST(customer_raw AS BIGINT)" if fractional and not text_ids else "customer_raw"
