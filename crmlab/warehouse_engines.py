"""The SQL engines of :mod:`crmlab.warehouse`: DuckDB and Spark behind one small interface.

:mod:`crmlab.warehouse` writes its statements once, in ``crmlab/sql/warehouse.sql``; this
module reads them (:func:`statement`) and runs them on an engine. An engine registers the
transaction source as the view ``crm_source(customer_raw, date_raw, amount_raw,
source_file, source_row)``, runs a statement and returns a pandas DataFrame:

* :class:`DuckDBEngine`: an embedded, in-memory DuckDB connection with a memory cap
  (``memory_limit="2GB"``) and a temporary folder it spills to, removed on close; it reads
  CSV and Parquet files itself and can number their rows (to name bad rows).
* :class:`SparkEngine`: a new session of a local ``local[2]`` Spark (started on first use)
  or of the user's own ``SparkSession``, with the session time zone UTC; it cannot number
  the rows of a file.

Neither engine is imported until one is opened (:func:`open_engine`), so importing crmlab
or :mod:`crmlab.warehouse` loads neither duckdb nor pyspark.

Classes
-------
Engine
    What both engines offer: run, execute, number_rows, close.
DuckDBEngine, SparkEngine
    The two engines.

Functions
---------
open_engine
    ``"duckdb"``, ``"spark"`` or a SparkSession → an engine, with the options checked.
statements, statement
    The named statements of ``crmlab/sql/warehouse.sql`` and ``rejected.sql`` (DuckDB
    only); one with its fields filled in.
date_literal, timestamp_literal, quote_text, quote_ident
    SQL literals and identifiers written by crmlab (never from user text but column names).
first_line
    The first line of an engine's error, for a one-line message.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import warnings
from functools import lru_cache
from importlib import resources

import pandas as pd

from ._validation import InputError, check_option

__all__ = ["SQL_FILES", "DuckDBEngine", "Engine", "SparkEngine", "date_literal", "first_line",
           "open_engine", "quiet", "quote_ident", "quote_text", "statement", "statements",
           "timestamp_literal"]

_MEMORY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*$", re.I)
_SPARK_PANDAS_NOTE = "PySpark does not yet fully support pandas"
#: The characters Python's str.strip() removes (Unicode white space).
_SPACES = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
#: ... as a regular expression for DuckDB's regexp_replace: TRIM(text, characters) scans the
#: character list for every character of every cell (8x slower on a 6-million-row CSV).
_STRIP = "^[{0}]+|[{0}]+$".format("".join(f"\\x{{{ord(c):04x}}}" for c in _SPACES))
#: DuckDB's CSV reader: its longest line (its default), and its default buffer, 16 of them.
_CSV_LINE, _CSV_BUFFER = 2 * 2**20, 32 * 2**20


# --------------------------------------------------------------------------- the SQL
#: The SQL files: the portable statements, and the DuckDB-only ones for rejected rows.
SQL_FILES = ("sql/warehouse.sql", "sql/rejected.sql")


@lru_cache(maxsize=1)
def statements() -> dict[str, str]:
    """The named statements of :data:`SQL_FILES` (comment lines removed)."""
    out = {}
    for path in SQL_FILES:
        text = resources.files(__package__).joinpath(path).read_text("utf-8")
        name, lines = None, []
        for line in text.splitlines() + ["-- name: _end"]:
            if line.startswith("-- name: "):
                if name is not None:
                    out[name] = "\n".join(lines).strip()
                name, lines = line[len("-- name: "):].strip(), []
            elif not line.lstrip().startswith("--"):
                lines.append(line)
    return out


def statement(name: str, **fields) -> str:
    """The statement ``name`` with its ``{placeholders}`` filled in from ``fields``."""
    return statements()[name].format(**fields)


def date_literal(stamp: pd.Timestamp) -> str:
    """``DATE '2024-01-31'``: a date literal both dialects read."""
    return f"DATE '{stamp:%Y-%m-%d}'"


def timestamp_literal(stamp: pd.Timestamp) -> str:
    """``TIMESTAMP '2024-01-31 10:15:00.000000'``: a literal both dialects read."""
    return f"TIMESTAMP '{stamp:%Y-%m-%d %H:%M:%S.%f}'"


# ------------------------------------------------------------------------- engines
class Engine:
    """What both engines offer: register the source, run a statement, number rows."""

    name = "engine"
    numbers_rows = False

    def run(self, sql: str) -> pd.DataFrame:
        raise NotImplementedError

    def execute(self, sql: str) -> None:
        self.run(sql)

    def number_rows(self, on: bool = True) -> None:
        """Make crm_source.source_row count rows from 0 in each file, where possible
        (``on=False``: stop numbering them)."""

    def close(self) -> None:
        pass


class DuckDBEngine(Engine):
    """An in-memory DuckDB connection that spills to a temporary folder of its own."""

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
        self.csv_options = self._csv_buffer(memory_limit)

    def _csv_buffer(self, memory_limit) -> str:
        """``buffer_size = N`` for read_csv under a memory limit, else nothing.

        The CSV reader keeps a few buffers per thread pinned in memory, outside what it can
        spill, each 32 MiB by default: under a 100MB limit on two threads they alone nearly
        fill it and the aggregation that follows runs out of memory (Parquet has no such
        buffers). Each buffer is held to an eighth of the limit per thread, at least the
        longest line DuckDB reads (2 MiB), at most its default.
        """
        if memory_limit is None:
            return ""
        threads = int(self.con.execute("SELECT current_setting('threads')").fetchone()[0])
        size = megabytes(memory_limit) * 2**20 // (8 * max(1, threads))
        return f", buffer_size = {min(_CSV_BUFFER, max(_CSV_LINE, size))}"

    def run(self, sql):
        return self.con.execute(sql).df()

    def execute(self, sql):
        self.con.execute(sql)

    def columns(self, relation: str) -> dict[str, str]:
        rows = self.con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()
        return {r[0]: r[1] for r in rows}

    def describe(self, paths, fmt) -> dict[str, str]:
        files = "[" + ", ".join(quote_text(p) for p in paths) + "]"
        self.files, self.fmt, self.several = files, fmt, len(paths) > 1
        return self.columns(f"read_parquet({files})" if fmt == "parquet" else
                            f"read_csv({files}{self.csv_options})")

    def register_files(self, names: dict[str, str | None], found, *,
                       as_text: bool = False) -> dict[str, str]:
        """Register the files as ``crm_input`` (``as_text``: every CSV cell as text, and every
        column of the file kept, for the side file of bad rows) and ``crm_source``."""
        files = self.files
        if self.fmt == "parquet":
            self.relation = f"read_parquet({files}, filename = true, file_row_number = true)"
            row = "file_row_number"
        else:
            # dates and amounts as text: the SQL checks read them, so a bad cell far down a
            # big file is reported, not a conversion error of the CSV reader
            text = [names[k] for k in ("date", "amount") if names.get(k) in found]
            types = ", ".join(f"{quote_text(c)}: 'VARCHAR'" for c in text)
            read = "all_varchar = true" if as_text else f"types = {{{types}}}"
            self.relation = f"read_csv({files}, filename = true, {read}{self.csv_options})"
            row = "CAST(NULL AS BIGINT)"
        self.names, self.kept = names, list(found) if as_text else []
        # as the crmlab command reads a cell: stripped as Python strips it (tabs, form feeds,
        # no-break and ideographic spaces too, not only the spaces TRIM takes)
        self.strip = {c for c in found if as_text and (self.fmt == "csv" or
                                                       found[c].upper() == "VARCHAR")}
        self._view(row)
        self.con.execute("CREATE OR REPLACE VIEW crm_source AS SELECT customer_raw, date_raw, "
                         "amount_raw, source_file, source_row FROM crm_input")
        return self.columns("crm_source")

    def _view(self, row):
        def raw(key):
            name = self.names.get(key)
            if not name:
                return "CAST(NULL AS DOUBLE)"
            return (f"regexp_replace({quote_ident(name)}, {quote_text(_STRIP)}, '', 'g')"
                    if name in self.strip else quote_ident(name))

        cols = ", ".join(f"{raw(k)} AS {k}_raw" for k in ("customer", "date", "amount"))
        kept = "".join(f"{quote_ident(c)}, " for c in self.kept)
        self.con.execute(f"CREATE OR REPLACE VIEW crm_input AS SELECT {kept}{cols}, filename AS "
                         f"source_file, {row} AS source_row FROM {self.relation}")

    def number_rows(self, on=True):
        """Number a CSV's rows in file order, one thread (slow: only to name bad rows);
        ``on=False`` goes back to unnumbered rows on every thread."""
        if "read_csv" not in getattr(self, "relation", ""):
            return
        if on:
            self.con.execute("SET preserve_insertion_order = true")
            self.con.execute("SET threads = 1")
            # one file: a streaming window, in constant memory; several: per file
            self._view(f"row_number() OVER ({'PARTITION BY filename' if self.several else ''})"
                       f" - 1")
        else:
            self.con.execute("RESET threads")
            self.con.execute("SET preserve_insertion_order = false")
            self._view("CAST(NULL AS BIGINT)")

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


class SparkEngine(Engine):
    """A new session of a Spark session (crmlab's local one or yours), time zone UTC."""

    name = "Spark"

    def __init__(self, session, memory_limit, func):
        with quiet():
            if session is None:
                session = local_spark(memory_limit, func)
            elif memory_limit is not None:
                raise InputError(f"{func}: memory_limit applies to DuckDB and to the local Spark "
                                 f"session crmlab starts; for your own SparkSession set "
                                 f"spark.driver.memory / spark.executor.memory when building it.")
            # A session of our own: its temporary views and time zone do not touch the user's.
            self.spark = session.newSession()
            self.spark.conf.set("spark.sql.session.timeZone", "UTC")

    def run(self, sql):
        with quiet():
            frame = self.spark.sql(sql)
            if hasattr(frame, "toArrow"):
                return frame.toArrow().to_pandas()
            rows = frame.collect()
            return pd.DataFrame.from_records([r.asDict() for r in rows], columns=frame.columns)

    def execute(self, sql):
        with quiet():
            self.spark.sql(sql)

    def describe(self, paths, fmt) -> dict[str, str]:
        with quiet():
            reader = self.spark.read
            self.source = (reader.parquet(*paths) if fmt == "parquet" else
                           reader.csv(list(paths), header=True, inferSchema=True))
            return {f.name: f.dataType.simpleString() for f in self.source.schema.fields}

    def register_files(self, names, found) -> dict[str, str]:
        with quiet():
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
        with quiet():
            table = pa.Table.from_pandas(frame, preserve_index=False)
            self._register(self.spark.createDataFrame(table),
                           {"customer": "customer_raw", "date": "date_raw",
                            "amount": "amount_raw"})

    def close(self):
        with quiet():
            for view in ("crm_log", "crm_source"):
                self.spark.catalog.dropTempView(view)


class quiet(warnings.catch_warnings):
    """Silence pyspark's notice that it was not built for pandas 3 (it works here)."""

    def __enter__(self):
        out = super().__enter__()
        warnings.filterwarnings("ignore", message=_SPARK_PANDAS_NOTE, category=FutureWarning)
        return out


def local_spark(memory_limit, func):
    """Start (or reuse) the local ``local[2]`` Spark session crmlab runs on."""
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
        builder = builder.config("spark.driver.memory", f"{megabytes(memory_limit)}m")
    try:
        session = builder.getOrCreate()
    except Exception as err:                        # the JVM did not start
        raise InputError(f"{func}: could not start a local Spark session: "
                         f"{first_line(err)}") from None
    session.sparkContext.setLogLevel("ERROR")
    return session


def megabytes(limit: str) -> int:
    """``"2GB"`` -> 2048 (MiB), for Spark's driver memory."""
    number, unit = _MEMORY.match(limit).groups()
    power = {"b": 0, "kb": 1, "kib": 1, "mb": 2, "mib": 2, "gb": 3, "gib": 3, "tb": 4, "tib": 4}
    return max(1, int(float(number) * 1024 ** power[unit.lower()] / 1024 ** 2))


def quote_text(text: str) -> str:
    """A string literal: ``'it''s'``."""
    return "'" + str(text).replace("'", "''") + "'"


def quote_ident(name: str) -> str:
    """A double-quoted DuckDB identifier (inner quotes doubled)."""
    return '"' + str(name).replace('"', '""') + '"'


def first_line(err: Exception) -> str:
    """The first line of an error (at most 300 characters), for a one-line message."""
    text = str(err).strip().splitlines()
    return text[0][:300] if text else type(err).__name__


def open_engine(engine, memory_limit, func) -> Engine:
    """An engine from ``"duckdb"``, ``"spark"`` or a SparkSession, or InputError."""
    if memory_limit is not None and (not isinstance(memory_limit, str)
                                     or not _MEMORY.match(memory_limit)):
        raise InputError(f"{func}: memory_limit must be text like '2GB' or '500MB'; got "
                         f"{memory_limit!r}.")
    if isinstance(engine, str):
        check_option(engine, ["duckdb", "spark"], func=func, name="engine")
        if engine == "duckdb":
            return DuckDBEngine(memory_limit, func)
        return SparkEngine(None, memory_limit, func)
    if hasattr(engine, "sql") and hasattr(engine, "newSession") and hasattr(engine, "read"):
        return SparkEngine(engine, memory_limit, func)
    raise InputError(f"{func}: engine must be 'duckdb', 'spark' or a SparkSession; got "
                     f"{type(engine).__name__}.")

