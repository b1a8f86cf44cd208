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
TIMESTAMP columns, ISO text (``'2024-01-31'``, ``'2024-01-31 10:15:00'``) and YYYYMMDD
numbers or text; other text forms and time-zone-aware timestamps are refused with a message
(read such files with pandas and pass the DataFrame, which is checked as the pandas path
checks it).

Bad input is reported as the pandas path reports it — missing columns listed with the
columns found, missing ids, dates that are not dates, amounts that are not numbers or are
negative, with the first offending rows of the file (row 0 is the first data row, as
pandas numbers them; Spark cannot number rows, so its messages give a count) — as
:class:`~crmlab.InputError`, never an engine traceback.

Functions
---------
rfm_summary
    ``rfm.customer_table`` from a file or DataFrame, by DuckDB or Spark.
btyd_summary
    ``btyd.repeat_purchase_table`` from a file or DataFrame, by DuckDB or Spark.

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

import glob
import os
import re
import shutil
import tempfile
import warnings
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from ._customers import UNIT_ATTR, id_kind, read_date
from ._units import DAYS_PER_UNIT
from ._validation import (SHOW_ROWS, InputError, check_option, format_rows, format_value,
                          reject_rows, require_columns, require_dates, require_numeric)

__all__ = ["btyd_summary", "rfm_summary"]

#: Amounts at or above this size are refused: sums are exact DECIMAL(38, 6).
MAX_AMOUNT = 1e20

_CSV = (".csv", ".csv.gz", ".tsv", ".tsv.gz")
_PARQUET = (".parquet", ".pq", ".parq")
_MEMORY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*$", re.I)
_SPARK_PANDAS_NOTE = "PySpark does not yet fully support pandas"


# --------------------------------------------------------------------------- the SQL
@lru_cache(maxsize=1)
def _statements() -> dict[str, str]:
    """The named statements of ``crmlab/sql/warehouse.sql`` (comment lines removed)."""
    text = resources.files(__package__).joinpath("sql/warehouse.sql").read_text("utf-8")
    out, name, lines = {}, None, []
    for line in text.splitlines() + ["-- name: _end"]:
        if line.startswith("-- name: "):
            if name is not None:
                out[name] = "\n".join(lines).strip()
            name, lines = line[len("-- name: "):].strip(), []
        elif not line.lstrip().startswith("--"):
            lines.append(line)
    return out


def _sql(name: str, **fields) -> str:
    return _statements()[name].format(**fields)


def _date_literal(stamp: pd.Timestamp) -> str:
    return f"DATE '{stamp:%Y-%m-%d}'"


def _timestamp_literal(stamp: pd.Timestamp) -> str:
    return f"TIMESTAMP '{stamp:%Y-%m-%d %H:%M:%S.%f}'"


def _kind(type_name: str, *, engine: str, fmt: str | None) -> str:
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


# ------------------------------------------------------------------------- engines
class _Engine:
    """What both engines offer: register the source, run a statement, number rows."""

    name = "engine"
    numbers_rows = False

    def run(self, sql: str) -> pd.DataFrame:
        raise NotImplementedError

    def execute(self, sql: str) -> None:
        self.run(sql)

    def number_rows(self) -> None:
        """Make crm_source.source_row count rows from 0 in each file, where possible."""

    def close(self) -> None:
        pass


class _DuckDB(_Engine):
    name = "DuckDB"
    numbers_rows = True

    def __init__(self, memory_limit, func):
        try:
            import duckdb
        except ImportError:
            raise InputError(f"{func}: engine='duckdb' needs the duckdb package: pip install "
                             f"duckdb (or crmlab[warehouse]).") from None
        self.duckdb = duckdb
        self.tmp = tempfile.TemporaryDirectory(prefix="crmlab-duckdb-")
        config = {"temp_directory": self.tmp.name, "preserve_insertion_order": False}
        if memory_limit is not None:
            config["memory_limit"] = memory_limit
        self.con = duckdb.connect(":memory:", config=config)
        self.view = None

    def run(self, sql):
        return self.con.execute(sql).df()

    def execute(self, sql):
        self.con.execute(sql)

    def columns(self, relation: str) -> dict[str, str]:
        rows = self.con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()
        return {r[0]: r[1] for r in rows}

    def describe(self, paths, fmt) -> dict[str, str]:
        files = "[" + ", ".join(_quote_text(p) for p in paths) + "]"
        self.files, self.fmt = files, fmt
        return self.columns(f"read_parquet({files})" if fmt == "parquet" else f"read_csv({files})")

    def register_files(self, names: dict[str, str | None], found) -> dict[str, str]:
        files = self.files
        if self.fmt == "parquet":
            self.relation = f"read_parquet({files}, filename = true, file_row_number = true)"
            row = "file_row_number"
        else:
            # dates and amounts as text: the SQL checks read them, so a bad cell far down a
            # big file is reported, not a conversion error of the CSV reader
            text = [names[k] for k in ("date", "amount") if names.get(k) in found]
            types = ", ".join(f"{_quote_text(c)}: 'VARCHAR'" for c in text)
            self.relation = f"read_csv({files}, filename = true, types = {{{types}}})"
            row = "CAST(NULL AS BIGINT)"
        self.names = names
        self._view(row)
        return self.columns("crm_source")

    def _view(self, row):
        n = self.names
        cols = ", ".join(f"{_quote_ident(n[k]) if n.get(k) else 'CAST(NULL AS DOUBLE)'} AS {k}_raw"
                         for k in ("customer", "date", "amount"))
        self.con.execute(f"CREATE OR REPLACE VIEW crm_source AS SELECT {cols}, filename AS "
                         f"source_file, {row} AS source_row FROM {self.relation}")

    def number_rows(self):
        """Number a CSV's rows in file order (slow: only to locate bad rows)."""
        if "read_csv" in getattr(self, "relation", ""):
            self.con.execute("SET preserve_insertion_order = true")
            self.con.execute("SET threads = 1")
            self._view("row_number() OVER (PARTITION BY filename) - 1")

    def register_frame(self, frame: pd.DataFrame):
        self.con.register("crm_frame", frame)
        self.con.execute("CREATE OR REPLACE VIEW crm_source AS SELECT customer_raw, date_raw, "
                         "amount_raw, CAST(NULL AS VARCHAR) AS source_file, "
                         "CAST(NULL AS BIGINT) AS source_row FROM crm_frame")

    def close(self):
        try:
            self.con.close()
        finally:
            self.tmp.cleanup()


class _Spark(_Engine):
    name = "Spark"

    def __init__(self, session, memory_limit, func):
        with _quiet():
            if session is None:
                session = _local_spark(memory_limit, func)
            elif memory_limit is not None:
                raise InputError(f"{func}: memory_limit applies to DuckDB and to the local Spark "
                                 f"session crmlab starts; for your own SparkSession set "
                                 f"spark.driver.memory / spark.executor.memory when building it.")
            # A session of our own: its temporary views and time zone do not touch the user's.
            self.spark = session.newSession()
            self.spark.conf.set("spark.sql.session.timeZone", "UTC")

    def run(self, sql):
        with _quiet():
            frame = self.spark.sql(sql)
            if hasattr(frame, "toArrow"):
                return frame.toArrow().to_pandas()
            rows = frame.collect()
            return pd.DataFrame.from_records([r.asDict() for r in rows], columns=frame.columns)

    def execute(self, sql):
        with _quiet():
            self.spark.sql(sql)

    def describe(self, paths, fmt) -> dict[str, str]:
        with _quiet():
            reader = self.spark.read
            self.source = (reader.parquet(*paths) if fmt == "parquet" else
                           reader.csv(list(paths), header=True, inferSchema=True))
            return {f.name: f.dataType.simpleString() for f in self.source.schema.fields}

    def register_files(self, names, found) -> dict[str, str]:
        with _quiet():
            self._register(self.source, names)
            return {f.name: f.dataType.simpleString()
                    for f in self.spark.table("crm_source").schema.fields}

    def _register(self, frame, names):
        from pyspark.sql import functions as F
        cols = [(F.col("`" + names[k].replace("`", "``") + "`") if names.get(k)
                 else F.lit(None).cast("double")).alias(f"{k}_raw")
                for k in ("customer", "date", "amount")]
        cols += [F.lit(None).cast("string").alias("source_file"),
                 F.lit(None).cast("bigint").alias("source_row")]
        frame.select(*cols).createOrReplaceTempView("crm_source")

    def register_frame(self, frame):
        import pyarrow as pa
        with _quiet():
            table = pa.Table.from_pandas(frame, preserve_index=False)
            self._register(self.spark.createDataFrame(table),
                           {"customer": "customer_raw", "date": "date_raw",
                            "amount": "amount_raw"})

    def close(self):
        with _quiet():
            for view in ("crm_log", "crm_source"):
                self.spark.catalog.dropTempView(view)


class _quiet(warnings.catch_warnings):
    """Silence pyspark's notice that it was not built for pandas 3 (it works here)."""

    def __enter__(self):
        out = super().__enter__()
        warnings.filterwarnings("ignore", message=_SPARK_PANDAS_NOTE, category=FutureWarning)
        return out


def _local_spark(memory_limit, func):
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise InputError(f"{func}: engine='spark' needs pyspark (pip install pyspark) and "
                         f"Java 17 or later.") from None
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise InputError(f"{func}: engine='spark' needs Java (17 or later), e.g. apt-get "
                         f"install openjdk-17-jre-headless; java was not found.")
    builder = (SparkSession.builder.master("local[2]").appName("crmlab")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "2"))
    if memory_limit is not None:
        builder = builder.config("spark.driver.memory", f"{_megabytes(memory_limit)}m")
    try:
        session = builder.getOrCreate()
    except Exception as err:                        # the JVM did not start
        raise InputError(f"{func}: could not start a local Spark session: "
                         f"{_first_line(err)}") from None
    session.sparkContext.setLogLevel("ERROR")
    return session


def _megabytes(limit: str) -> int:
    number, unit = _MEMORY.match(limit).groups()
    power = {"b": 0, "kb": 1, "kib": 1, "mb": 2, "mib": 2, "gb": 3, "gib": 3, "tb": 4, "tib": 4}
    return max(1, int(float(number) * 1024 ** power[unit.lower()] / 1024 ** 2))


def _quote_text(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _quote_ident(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def _first_line(err: Exception) -> str:
    text = str(err).strip().splitlines()
    return text[0][:300] if text else type(err).__name__


def _engine(engine, memory_limit, func) -> _Engine:
    if memory_limit is not None and (not isinstance(memory_limit, str)
                                     or not _MEMORY.match(memory_limit)):
        raise InputError(f"{func}: memory_limit must be text like '2GB' or '500MB'; got "
                         f"{memory_limit!r}.")
    if isinstance(engine, str):
        check_option(engine, ["duckdb", "spark"], func=func, name="engine")
        return _DuckDB(memory_limit, func) if engine == "duckdb" else _Spark(None, memory_limit, func)
    if hasattr(engine, "sql") and hasattr(engine, "newSession") and hasattr(engine, "read"):
        return _Spark(engine, memory_limit, func)
    raise InputError(f"{func}: engine must be 'duckdb', 'spark' or a SparkSession; got "
                     f"{type(engine).__name__}.")


# ------------------------------------------------------------------------- sources
def _files(source, func) -> tuple[list[str], str, str]:
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


class _Rows:
    """Where a message's bad rows are: index labels (DataFrame) or file rows (SQL)."""

    def __init__(self, engine, kinds):
        self.engine, self.kinds = engine, kinds

    def find(self, condition: str, count: int, column: str):
        """(first bad value, "at rows [...]" text) of the rows matching ``condition``."""
        self.engine.number_rows()
        ex = self.engine.run(_sql("examples", condition=condition))
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


# ------------------------------------------------------------------ checks: messages
def _columns_missing(found: dict, names: dict, func: str) -> None:
    """Missing columns listed with the columns found, as require_columns says it."""
    wanted = {k: v for k, v in names.items() if v is not None}
    require_columns(pd.DataFrame(columns=list(found)), wanted, func=func, arg="source")


def _check_file(engine: _Engine, kinds: dict, names: dict, *, func: str, flavour: str,
                returns: str = "error") -> dict:
    """Run the checks statement; raise the pandas path's message for the first problem."""
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
        what = {"bool": "true/false values", "timestamp": "dates"}.get(kinds["amount"],
                                                                      f"type {kinds['amount_type']}")
        raise InputError(f"{func}: column {amount!r} must be numeric; got {what}. Give numbers, "
                         f"e.g. .astype(float) for 0/1 flags.")
    snippets = _snippets(kinds, amount)
    counts = engine.run(_sql("checks", **snippets)).iloc[0]
    n = int(counts["n_rows"])
    rows = _Rows(engine, kinds)
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
    if counts["zoned_dates"]:
        value, where = rows.find(f"date_raw IS NOT NULL AND {snippets['zoned']}",
                                 int(counts["zoned_dates"]), "date")
        raise InputError(f"{func}: column {date!r} has dates with a time-zone offset, e.g. "
                         f"{format_value(value)} {where}; the SQL engines do not read them in "
                         f"their local time as the pandas path does. Remove the offsets (keep "
                         f"the local time) or read the file with pandas and pass the DataFrame.")
    if counts["bad_dates"]:
        value, where = rows.find(f"date_raw IS NOT NULL AND {snippets['purchase_time']} IS NULL",
                                 int(counts["bad_dates"]), "date")
        raise InputError(f"{func}: column {date!r} has values that are not dates, e.g. "
                         f"{format_value(value)} {where}. Use ISO dates like '2024-01-31' (the "
                         f"SQL path reads ISO dates and times and YYYYMMDD numbers; read other "
                         f"forms with pandas and pass the DataFrame).")
    if amount is None:
        return counts
    a = snippets["amount_value"]
    if counts["text_amounts"]:
        value, where = rows.find(f"amount_raw IS NOT NULL AND {a} IS NULL",
                                 int(counts["text_amounts"]), "amount")
        raise InputError(f"{func}: column {amount!r} must be numeric; got {format_value(value)} "
                         f"{where}. Remove units or text from these cells (e.g. '30亿' -> 30).")
    if counts["missing_amounts"]:
        _, where = rows.find(f"amount_raw IS NULL OR isnan({a})", int(counts["missing_amounts"]),
                             "amount")
        raise InputError(f"{func}: column {amount!r} has missing values (NaN) {where}. Fill them "
                         f"in or drop these rows before scoring.")
    if counts["infinite_amounts"]:
        value, where = rows.find(f"ABS({a}) > 1.7976931348623157E308",
                                 int(counts["infinite_amounts"]), "amount")
        raise InputError(f"{func}: column {amount!r} must be finite; got {format_value(value)} "
                         f"{where}. Replace or drop infinite values (often a division by zero or "
                         f"a number too large for a float).")
    if counts["huge_amounts"]:
        value, where = rows.find(f"ABS({a}) >= 1E20", int(counts["huge_amounts"]), "amount")
        raise InputError(_huge(func, amount, value, where))
    if counts["negative_amounts"] and (flavour == "btyd" or returns == "error"):
        value, where = rows.find(f"{a} < 0", int(counts["negative_amounts"]), "amount")
        raise InputError(_negative(func, amount, value, where, flavour))
    if returns == "drop" and not counts["nonnegative_amounts"]:
        raise InputError(_all_negative(func, amount))
    return counts


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


def _snippets(kinds: dict, amount) -> dict[str, str]:
    time = {"timestamp": "time_from_timestamp", "text": "time_from_text",
            "number": "time_from_number"}[kinds["date"]]
    money = ("amount_none" if amount is None else
             {"number": "amount_from_number", "text": "amount_from_text"}[kinds["amount"]])
    zoned = _sql("zoned_text") if kinds["date"] == "text" else "FALSE"
    return {"purchase_time": _sql(time), "amount_value": _sql(money), "zoned": zoned}


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
                             f"{format_rows(ids.index[ids.isna()])}. Drop or fill these rows first.")
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
    if ids.dtype == object or pd.api.types.is_string_dtype(ids.dtype):
        kinds = {id_kind(x) for x in ids}
        types = sorted({type(x).__name__ for x in ids})
        if not kinds <= {"number", "text"}:
            raise InputError(f"{func}: customer ids in column {customer!r} must be text or "
                             f"numbers; got types {types}. Convert them, e.g. .astype(str).")
        if len(kinds) > 1:
            raise InputError(f"{func}: column {customer!r} mixes id types {types} (is 1 the same "
                             f"customer as '1'?); make them one type, e.g. .astype(str).")
    elif ids.dtype.kind not in "iuf":
        raise InputError(f"{func}: customer ids in column {customer!r} must be text or numbers; "
                         f"got dtype {ids.dtype}. Convert them, e.g. .astype(str).")
    frame = pd.DataFrame({"customer_raw": ids.to_numpy(),
                          "date_raw": dates.to_numpy().astype("datetime64[us]"),
                          "amount_raw": money.to_numpy(dtype=float)}, index=data.index)
    if returns == "drop":
        frame = frame[frame["amount_raw"] >= 0]
        if frame.empty:
            raise InputError(_all_negative(func, amount))
    return frame


# ------------------------------------------------------------------------ the work
class _Job:
    """One summary: engine, source registered as crm_source, crm_log created."""

    def __init__(self, source, names, engine, memory_limit, *, func, flavour, returns="error"):
        self.func, self.names, self.frame = func, names, None
        if not isinstance(source, (pd.DataFrame, str, os.PathLike)):
            raise InputError(f"{func}: `source` must be a path to a CSV or Parquet file (globs "
                             f"allowed) or a pandas DataFrame; got {type(source).__name__}.")
        files = None if isinstance(source, pd.DataFrame) else _files(source, func)
        self.engine = _engine(engine, memory_limit, func)
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
                                 f"{fmt.upper()}: {_first_line(err)}") from None
            _columns_missing(found, self.names, func)
            typed = self.guard(lambda: self.engine.register_files(self.names, found), source)
            kinds = {k: _kind(typed[f"{k}_raw"], engine=self.engine.name.lower(), fmt=fmt)
                     for k in ("customer", "date", "amount")}
            kinds.update({f"{k}_type": typed[f"{k}_raw"] for k in ("customer", "date", "amount")})
            if self.names["amount"] is None:
                kinds["amount"] = "number"
            self.kinds = kinds
            self.guard(lambda: _check_file(self.engine, kinds, self.names, func=func,
                                           flavour=flavour, returns=returns), source)
        self.snippets = _snippets(self.kinds, self.names["amount"])
        self.guard(lambda: self.engine.execute(_sql("log", **self.snippets)), source)

    def guard(self, work, source):
        """Run ``work``; an engine error becomes an InputError naming the source."""
        try:
            return work()
        except InputError:
            raise
        except Exception as err:
            raise InputError(f"{self.func}: {self.engine.name} could not summarise "
                             f"{_describe(source)}: {_first_line(err)}") from None

    def run(self, sql, source):
        return self.guard(lambda: self.engine.run(sql), source)

    def close(self):
        self.engine.close()


def _describe(source) -> str:
    return repr(os.fspath(source)) if isinstance(source, (str, os.PathLike)) else "the DataFrame"


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
                **options) -> pd.DataFrame:
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
    job = _Job(source, names, engine, memory_limit, func=func, flavour="rfm", returns=returns)
    try:
        kept = "amount >= 0" if returns == "drop" else "TRUE"
        purchases = _sql("purchases_merge" if same_day == "merge" else "purchases_keep", kept=kept)
        result = job.run(_sql("rfm_summary", purchases=purchases), source)
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
        condition = f"{job.snippets['purchase_time']} > {_timestamp_literal(pd.Timestamp(stamp))}"
        count = int(job.run(f"SELECT COUNT(*) AS n FROM crm_source WHERE {condition}{kept}",
                            source)["n"].iloc[0])
        _, where = job.guard(lambda: _Rows(job.engine, job.kinds).find(condition + kept, count,
                                                                         "date"), source)
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


def _names(names: dict, func: str) -> None:
    for keyword, column in names.items():
        if column is None and keyword == "amount":
            continue
        if not isinstance(column, str) or not column:
            raise InputError(f"{func}: `{keyword}` must be one column name (a string); got "
                             f"{column!r}. Pass e.g. {keyword}='{keyword}'.")


def btyd_summary(source, *, customer: str = "customer_id", date: str = "date",
                 amount: str | None = "amount", calibration_end, holdout_end=None,
                 unit: str = "weeks", engine="duckdb", memory_limit=None) -> pd.DataFrame:
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
    job = _Job(source, names, engine, memory_limit, func=func, flavour="btyd")
    try:
        sql = _sql("btyd_summary", calibration_end=_date_literal(cal_end),
                   holdout_end=_date_literal(hold_end if hold_end is not None else cal_end))
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
        return out
    finally:
        job.close()
