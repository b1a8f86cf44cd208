"""Reading a user's table and writing results: CSV or Parquet, chosen by the file's extension.

Every problem with a file becomes a :class:`CLIError` with one line that says what is wrong
and what to do (a missing file, an Excel or image file, text that is not UTF-8, an empty
file, a header without rows, a missing column), never a traceback.

CSV cells are read as text, so that ids keep their leading zeros ("007") and the cleaning
step (:mod:`crmlab.cli.clean`) sees what the file says and can report a bad cell as
written. Parquet columns keep their types.
"""

from __future__ import annotations

import difflib
import shlex
from pathlib import Path

import pandas as pd

__all__ = ["CLIError", "CSV", "PARQUET", "check_columns", "read_table", "side_path",
           "write_table"]

#: Extensions read and written as CSV (tab-separated for .tsv) and as Parquet.
CSV = (".csv", ".tsv")
PARQUET = (".parquet", ".pq")
_COMPRESSED = (".gz", ".bz2", ".zip", ".xz", ".zst")
_SIGNATURES = {b"\x89PNG": "a PNG image", b"PK\x03\x04": "a ZIP archive (an .xlsx or .docx "
               "file?)", b"PAR1": "a Parquet file", b"%PDF": "a PDF document",
               b"\xff\xd8\xff": "a JPEG image", b"\xd0\xcf\x11\xe0": "an old Excel (.xls) or "
               "Office file", b"GIF8": "a GIF image"}
_CHUNK_ROWS = 500_000


class CLIError(Exception):
    """A problem with the input or the options: its message is the one line shown."""


def _kind(path: Path, *, role: str) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in _COMPRESSED and role == "input":
        suffixes = suffixes[:-1]
    last = suffixes[-1] if suffixes else ""
    if last in CSV:
        return "tsv" if last == ".tsv" else "csv"
    if last in PARQUET:
        return "parquet"
    hint = (" Save it as CSV (UTF-8) or Parquet first (Excel: File > Save As > CSV UTF-8)."
            if last in (".xlsx", ".xls", ".xlsm", ".ods") else "")
    shown = last or "no extension"
    raise CLIError(f"{path}: cannot {'read' if role == 'input' else 'write'} a "
                   f"{shown!s} file; use a name ending in .csv, .tsv, .parquet or .pq."
                   + hint)


def _sniff(path: Path) -> None:
    """Refuse a file whose first bytes show it is not text (an image, an archive …)."""
    with open(path, "rb") as handle:
        head = handle.read(8192)
    for magic, what in _SIGNATURES.items():
        if head.startswith(magic):
            raise CLIError(f"{path}: this is {what}, not a CSV text file. Export the table "
                           f"as CSV (UTF-8) or Parquet and name it accordingly.")
    if b"\x00" in head:
        raise CLIError(f"{path}: this is a binary file, not CSV text (it contains NUL "
                       f"bytes). Export the table as CSV (UTF-8) or Parquet.")


def read_table(path, *, encoding: str = "utf-8", sep: str | None = None,
               progress=None) -> pd.DataFrame:
    """Read a CSV (all cells as text) or Parquet file; raise :class:`CLIError` on any problem.

    ``progress`` is a :class:`~crmlab.cli.progress.Progress` (bytes read, row groups).
    """
    path = Path(path)
    kind = _kind(path, role="input")
    if not path.exists():
        raise CLIError(f"{path}: no such file.")
    if path.is_dir():
        raise CLIError(f"{path}: is a folder, not a file.")
    if path.stat().st_size == 0:
        raise CLIError(f"{path}: the file is empty (no header, no rows).")
    if kind == "parquet":
        frame = _read_parquet(path, progress)
    else:
        if path.suffix.lower() not in _COMPRESSED:
            _sniff(path)
        frame = _read_csv(path, kind, encoding=encoding, sep=sep, progress=progress)
    if len(frame.columns) == 0:
        raise CLIError(f"{path}: the file has no columns.")
    if len(frame) == 0:
        raise CLIError(f"{path}: the file has a header ({', '.join(map(str, frame.columns))}) "
                       f"but no rows.")
    return frame


def _read_csv(path: Path, kind: str, *, encoding, sep, progress) -> pd.DataFrame:
    sep = sep if sep is not None else ("\t" if kind == "tsv" else ",")
    codec = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    options = dict(sep=sep, dtype=str, keep_default_na=False, na_values=[], encoding=codec,
                   chunksize=_CHUNK_ROWS, skipinitialspace=False)
    compressed = path.suffix.lower() in _COMPRESSED
    try:
        if compressed:
            chunks = list(pd.read_csv(path, compression="infer", **options))
        else:
            size = path.stat().st_size
            chunks = []
            with open(path, "rb") as handle, (progress.bar(size, f"reading {path.name}", "B", True)
                                              if progress else _nullcontext()) as bar:
                seen = 0
                for chunk in pd.read_csv(handle, **options):
                    chunks.append(chunk)
                    if bar is not None:
                        bar.update(handle.tell() - seen)
                        seen = handle.tell()
    except LookupError:
        raise CLIError(f"unknown --encoding {encoding!r}; try utf-8 or gbk.") from None
    except UnicodeDecodeError as err:
        raise CLIError(f"{path}: the text is not {encoding} (byte 0x{err.object[err.start]:02x} "
                       f"at position {err.start}). A Chinese Excel export is often GBK: pass "
                       f"--encoding gbk.") from None
    except pd.errors.EmptyDataError:
        raise CLIError(f"{path}: the file has no header and no rows.") from None
    except pd.errors.ParserError as err:
        raise CLIError(f"{path}: not a readable CSV table: {_first_line(err)}. Check the "
                       f"separator (--sep) and quoting.") from None
    except (OSError, ValueError) as err:
        raise CLIError(f"{path}: cannot read it as CSV: {_first_line(err)}") from None
    if not chunks:                     # a header and no rows
        return pd.read_csv(path, sep=sep, dtype=str, nrows=0, encoding=codec)
    frame = pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]
    return frame.reset_index(drop=True)


def _read_parquet(path: Path, progress) -> pd.DataFrame:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise CLIError("reading Parquet needs pyarrow: pip install pyarrow") from None
    try:
        handle = pq.ParquetFile(path)
        parts = []
        with (progress.bar(handle.num_row_groups, f"reading {path.name}", "row groups")
              if progress else _nullcontext()) as bar:
            for k in range(handle.num_row_groups):
                parts.append(handle.read_row_group(k))
                if bar is not None:
                    bar.update(1)
        if parts:
            import pyarrow as pa

            table = pa.concat_tables(parts)
        else:
            table = handle.schema_arrow.empty_table()
        return table.to_pandas().reset_index(drop=True)
    except CLIError:
        raise
    except Exception as err:   # pyarrow raises ArrowInvalid, OSError, … for damaged files
        raise CLIError(f"{path}: cannot read it as Parquet: {_first_line(err)}") from None


def check_columns(frame: pd.DataFrame, wanted: dict[str, str], *, path) -> None:
    """Raise :class:`CLIError` naming each missing column, the columns found and the option.

    ``wanted`` maps the command-line option (``--customer``) to the column it names.
    """
    found = [str(c) for c in frame.columns]
    missing = {opt: col for opt, col in wanted.items() if col not in frame.columns}
    if not missing:
        duplicated = [c for c in wanted.values() if found.count(c) > 1]
        if duplicated:
            raise CLIError(f"{path}: column {duplicated[0]!r} appears more than once.")
        return
    parts = []
    for option, column in missing.items():
        close = difflib.get_close_matches(column, found, n=1, cutoff=0.6)
        parts.append(f"{column!r} (set it with {option} NAME"
                     + (f", e.g. {option} {shlex.quote(close[0])}" if close else "") + ")")
    hint = ""
    if len(found) == 1 and any(s in found[0] for s in (";", "\t", "|")):
        hint = " The file seems to use another separator: pass --sep ';' (or '\\t', '|')."
    raise CLIError(f"{path}: column{'s' if len(parts) > 1 else ''} {', '.join(parts)} not "
                   f"found; the file has columns {found}.{hint}")


def side_path(out, tag: str) -> Path:
    """``results.parquet`` → ``results.<tag>.csv``: where a side table is written."""
    out = Path(out)
    stem = out.name
    for suffix in CSV + PARQUET:
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    return out.with_name(f"{stem}.{tag}.csv")


def check_output(out, *, inputs=()) -> Path:
    """The output path, checked before any work: extension, folder, not an input file."""
    out = Path(out)
    _kind(out, role="output")
    if out.suffix.lower() in _COMPRESSED:
        raise CLIError(f"{out}: write an uncompressed .csv or .parquet file.")
    if not out.parent.exists():
        raise CLIError(f"{out}: the folder {out.parent} does not exist.")
    for source in inputs:
        if Path(source).exists() and out.exists() and out.resolve() == Path(source).resolve():
            raise CLIError(f"{out}: the output would overwrite the input file; choose another "
                           f"name.")
    return out


def write_table(frame: pd.DataFrame, out, *, index: bool = True) -> Path:
    """Write ``frame`` as CSV or Parquet by the extension of ``out``."""
    out = Path(out)
    kind = _kind(out, role="output")
    try:
        if kind == "parquet":
            try:
                import pyarrow  # noqa: F401
            except ImportError:
                raise CLIError("writing Parquet needs pyarrow: pip install pyarrow") from None
            frame.to_parquet(out, index=index)
        else:
            frame.to_csv(out, index=index, sep="\t" if kind == "tsv" else ",",
                         float_format="%.15g")
    except OSError as err:
        raise CLIError(f"{out}: cannot write it: {err.strerror or err}.") from None
    return out


def _first_line(err) -> str:
    text = str(err).strip().splitlines()
    return text[0] if text else type(err).__name__


class _nullcontext:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False
