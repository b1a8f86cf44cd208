"""Input checks shared by every crmlab module, with one message template.

Every message says *where* (the function), *what* (column or argument), *the bad
value and the first offending rows*, and *how to fix it*. Compute functions call these
helpers at their public boundary, before converting anything.

Every helper raises :class:`InputError`, which is both a ``ValueError`` and a
``TypeError``: callers may catch either, and "not a DataFrame" is a ``ValueError`` too.

Dates have their own module, :mod:`crmlab._dates` (``require_dates``), which raises the
same :class:`InputError` with the same message template; callers import it from there.
"""

from __future__ import annotations

import difflib
from collections.abc import Hashable, Iterable, Mapping

import numpy as np
import pandas as pd

__all__ = [
    "format_rows",
    "format_value",
    "InputError",
    "check_option",
    "check_weights",
    "reject_rows",
    "require_number",
    "require_rate",
    "require_columns",
    "require_frame",
    "require_in_range",
    "require_finite_result",
    "require_integer",
    "require_numeric",
]

#: How many offending rows a message lists before it says "and N more".
SHOW_ROWS = 5


def format_rows(index: Iterable) -> str:
    """Format the first offending row labels of an index for a message."""
    labels = list(index)
    shown = ", ".join(format_value(x) for x in labels[:SHOW_ROWS])
    more = len(labels) - SHOW_ROWS
    return f"[{shown}]" + (f" and {more} more" if more > 0 else "")


def format_value(x) -> str:
    """Show a value as the user typed it: numpy scalars as plain Python numbers."""
    return repr(x.item() if isinstance(x, np.generic) else x)


def require_frame(data, *, func: str, arg: str = "data") -> None:
    """Raise :class:`InputError` unless ``data`` is a pandas DataFrame."""
    if not isinstance(data, pd.DataFrame):
        raise InputError(
            f"{func}: `{arg}` must be a pandas DataFrame with one row per item; "
            f"got {type(data).__name__}. Build one with pd.DataFrame(...) or "
            f"crmlab.load_dataset(...)."
        )


def require_columns(data, columns, *, func: str, arg: str = "data") -> None:
    """Raise :class:`InputError` naming every column of ``columns`` missing from ``data``.

    ``columns`` is either a list of fixed column names, or a mapping from the caller's
    keyword argument to the column name it holds (``{"amount": "amount"}``): then the
    message says which keyword to pass, e.g. ``customer_table(..., amount='amt')``. A
    close match among the frame's columns is suggested; a column that appears twice in
    ``data`` is refused too.
    """
    require_frame(data, func=func, arg=arg)
    keywords = dict(columns) if isinstance(columns, Mapping) else {}
    wanted = list(keywords.values()) if keywords else list(columns)
    for keyword, column in (keywords.items() if keywords else ((None, c) for c in wanted)):
        if not isinstance(column, Hashable) or isinstance(column, (list, tuple, set)):
            name = f"`{keyword}`" if keyword else "a column name"
            raise InputError(f"{func}: {name} must be one column name (a string); got "
                             f"{column!r}. Pass e.g. {keyword or 'column'}='amount'.")
    found = list(data.columns)
    missing = [c for c in wanted if c not in data.columns]
    if missing:
        column = missing[0]
        keyword = next((k for k, c in keywords.items() if c == column), None)
        close = difflib.get_close_matches(str(column), [str(c) for c in found], n=1, cutoff=0.5)
        guess = next((c for c in found if str(c) == close[0]), None) if close else None
        short = func.rsplit(".", 1)[-1]
        if keyword is not None:
            fix = (f"Pass the name of your column, e.g. {short}(..., {keyword}={guess!r})"
                   if guess is not None else
                   f"Pass the name of your column with {short}(..., {keyword}=...)")
            fix += f", or rename your column to {column!r}."
        else:
            fix = (f"Rename your column, e.g. .rename(columns={{{guess!r}: {column!r}}})."
                   if guess is not None else f"Add or rename a column to {column!r}.")
        raise InputError(
            f"{func}: column {column!r} is missing from `{arg}`"
            + (f" (also missing: {missing[1:]})" if len(missing) > 1 else "")
            + f"; found {found}. {fix}"
        )
    duplicated = [c for c in dict.fromkeys(wanted) if found.count(c) > 1]
    if duplicated:
        raise InputError(f"{func}: column {duplicated[0]!r} appears {found.count(duplicated[0])} "
                         f"times in `{arg}`; keep one, e.g. "
                         f"{arg}.loc[:, ~{arg}.columns.duplicated()].")


def require_numeric(values: pd.Series, *, func: str, name: str) -> pd.Series:
    """Return ``values`` as finite floats, or raise naming the bad entries and rows.

    Numeric text (``"30"``) and object or nullable columns (``Int64``, ``Float64``,
    ``string``) are converted. Text, booleans, dates, durations, complex numbers, missing
    values (NaN, ``None``, ``pd.NA``) and ±inf are refused, each with its first rows.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype(object)
    dtype = values.dtype
    if dtype.kind in "bMmc" or isinstance(dtype, pd.DatetimeTZDtype):
        what = {"b": "true/false values", "M": "dates", "m": "durations",
                "c": "complex numbers"}.get(dtype.kind, "dates")
        raise InputError(f"{func}: {name} must be numeric; got {what} (dtype {dtype}). "
                         f"Give numbers, e.g. .astype(float) for 0/1 flags.")
    present = values.notna().to_numpy()
    numbers = np.full(len(values), np.nan)
    if dtype.kind == "O":
        for k, x in enumerate(values):
            numbers[k] = _to_float(x)
    else:
        converted = pd.to_numeric(values, errors="coerce")
        numbers = converted.to_numpy(dtype=float, na_value=np.nan)
    bad = present & np.isnan(numbers)
    if bad.any():
        raise InputError(
            f"{func}: {name} must be numeric; got {format_value(values[bad].iloc[0])} at rows "
            f"{format_rows(values.index[bad])}. Remove units or text from these cells "
            f"(e.g. '30亿' -> 30)."
        )
    if not present.all():
        raise InputError(
            f"{func}: {name} has missing values (NaN) at rows {format_rows(values.index[~present])}. "
            f"Fill them in or drop these rows before scoring."
        )
    infinite = ~np.isfinite(numbers)
    if infinite.any():
        raise InputError(
            f"{func}: {name} must be finite; got {format_value(numbers[infinite][0])} at rows "
            f"{format_rows(values.index[infinite])}. Replace or drop infinite values (often a "
            f"division by zero or a number too large for a float)."
        )
    return pd.Series(numbers, index=values.index)


def _to_float(x) -> float:
    """One cell as a float: numbers and numeric text; NaN for anything else."""
    if isinstance(x, (bool, np.bool_, complex, np.complexfloating)):
        return np.nan
    if isinstance(x, str):
        try:
            return float(x.strip())
        except ValueError:
            return np.nan
    if isinstance(x, (int, float, np.integer, np.floating)) or hasattr(x, "__float__"):
        if isinstance(x, (pd.Timestamp, pd.Timedelta, np.datetime64, np.timedelta64)):
            return np.nan
        try:
            return float(x)
        except (TypeError, ValueError, OverflowError):
            return (np.inf if x > 0 else -np.inf) if isinstance(x, (int, np.integer)) else np.nan
    return np.nan


def require_in_range(
    values: pd.Series,
    *,
    func: str,
    name: str,
    low: float | None = None,
    high: float | None = None,
    hint: str = "",
) -> None:
    """Raise :class:`InputError` if any value lies outside ``[low, high]`` (bounds optional)."""
    bad = pd.Series(False, index=values.index)
    if low is not None:
        bad |= values < low
    if high is not None:
        bad |= values > high
    if bad.any():
        span = f"[{low}, {high}]" if low is not None and high is not None else (
            f">= {low}" if low is not None else f"<= {high}"
        )
        first = values[bad].iloc[0]
        raise InputError(
            f"{func}: {name} must be {span}; got {format_value(first)} at rows "
            f"{format_rows(values.index[bad])}." + (f" {hint}" if hint else "")
        )


def check_option(value, options: Iterable, *, func: str, name: str) -> None:
    """Raise :class:`InputError` unless ``value`` is one of ``options``."""
    options = list(options)
    try:
        known = isinstance(value, Hashable) and any(
            type(value) is type(o) and value == o for o in options)
    except (TypeError, ValueError):
        known = False
    if not known:
        raise InputError(f"{func}: {name} must be one of {options}; got {value!r}.")


def check_weights(
    weights: Mapping[str, float], names: Iterable[str], *, func: str, tol: float = 1e-9
) -> dict[str, float]:
    """Return ``weights`` as a dict of floats after checking keys, signs and their sum.

    The weights must name exactly ``names``, be non-negative and sum to 1 within ``tol``.
    """
    names = list(names)
    if not isinstance(weights, Mapping):
        if isinstance(weights, Iterable) and not isinstance(weights, str):
            weights = list(weights)
            if len(weights) != len(names):
                raise InputError(
                    f"{func}: weights must have {len(names)} entries ({', '.join(names)}); "
                    f"got {len(weights)}."
                )
            weights = dict(zip(names, weights))
        else:
            raise InputError(
                f"{func}: weights must be a mapping like {dict.fromkeys(names, 1 / len(names))} "
                f"or a sequence of {len(names)} numbers; got {type(weights).__name__}."
            )
    unknown = sorted(set(weights) - set(names))
    missing = [n for n in names if n not in weights]
    if unknown or missing:
        raise InputError(
            f"{func}: weights must name exactly {names}; "
            + (f"missing {missing}" if missing else "")
            + ("; " if missing and unknown else "")
            + (f"unknown {unknown}" if unknown else "")
            + "."
        )
    out = {}
    for n in names:
        w = weights[n]
        if isinstance(w, bool) or not isinstance(w, (int, float, np.integer, np.floating)):
            raise InputError(f"{func}: weight {n!r} must be a number; got {w!r}.")
        if not _finite(w) or w < 0:
            raise InputError(f"{func}: weight {n!r} must be a finite number >= 0; got {w!r}.")
        out[n] = float(w)
    total = sum(out.values())
    if abs(total - 1.0) > tol:
        raise InputError(
            f"{func}: weights must sum to 1 (within {tol:g}); got {total!r} from {out}. "
            f"Divide each weight by their sum."
        )
    return out


def reject_rows(bad: pd.Series, values: pd.Series, *, func: str, name: str, problem: str,
                hint: str) -> None:
    """Raise :class:`InputError` if ``bad`` marks any row: name, first bad value, rows, fix.

    ``problem`` completes "<name> ..." (e.g. "is larger than T"); ``hint`` says how to fix it.
    """
    if bad.any():
        first = values[bad].iloc[0]
        raise InputError(f"{func}: {name} {problem}; got {format_value(first)} at rows "
                         f"{format_rows(values.index[bad])}. {hint}")


def require_number(value, *, func: str, name: str, low: float | None = None,
                   high: float | None = None, low_open: bool = False,
                   high_open: bool = False, hint: str = "") -> float:
    """Return a scalar argument as a float, or raise naming it, its value and its range.

    ``low_open`` / ``high_open`` exclude the bound itself, e.g. a rate in (0, 1).
    """
    ok = (isinstance(value, (int, float, np.integer, np.floating))
          and not isinstance(value, (bool, np.bool_)) and _finite(value))
    if ok:
        x = float(value)
        ok = not ((low is not None and (x < low or (low_open and x == low)))
                  or (high is not None and (x > high or (high_open and x == high))))
    if not ok:
        lo = "" if low is None else ("(" if low_open else "[") + f"{low:g}"
        hi = "" if high is None else f"{high:g}" + (")" if high_open else "]")
        span = (f"in {lo}, {hi}" if low is not None and high is not None else
                f"{'>' if low_open else '>='} {low:g}" if low is not None else
                f"{'<' if high_open else '<='} {high:g}" if high is not None else "finite")
        raise InputError(f"{func}: {name} must be a number {span}; got {format_value(value)}."
                         + (f" {hint}" if hint else ""))
    return float(value)


class InputError(ValueError, TypeError):
    """A bad argument or column: the message names the function, the argument or column,
    the bad value, the first offending rows and how to fix it.

    It is both a ``ValueError`` and a ``TypeError``, so code that catches either keeps
    working, and "`data` is not a DataFrame" counts as a ``ValueError`` too.
    """


def _finite(x) -> bool:
    """Whether a real scalar is finite (Python ints too large for a float are not)."""
    try:
        return bool(np.isfinite(float(x)))
    except (OverflowError, TypeError, ValueError):
        return False


def require_vector(values, *, func: str, name: str = "values",
                   scalar: bool = False) -> pd.Series:
    """Return one-dimensional ``values`` as a Series (a Series keeps its index).

    Lists, tuples, 1-D arrays, Index objects and Series are accepted; a DataFrame, a 2-D
    array, a string, a mapping or a set are refused. With ``scalar=True`` a single value
    becomes a one-element Series.
    """
    if isinstance(values, pd.Series):
        return values
    if isinstance(values, pd.DataFrame):
        raise InputError(f"{func}: `{name}` must be one column of values, not a DataFrame; "
                         f"pick one column, e.g. frame['revenue'].")
    if isinstance(values, pd.Index):
        return pd.Series(values, dtype=values.dtype if values.dtype.kind != "O" else object)
    if isinstance(values, (str, bytes, Mapping, set, frozenset)) or (
            not scalar and not isinstance(values, (list, tuple, np.ndarray))):
        if scalar and np.ndim(values) == 0 and not isinstance(values, (Mapping, set, frozenset)):
            return pd.Series([values], dtype=object)
        raise InputError(f"{func}: `{name}` must be a list, array or Series of values; got "
                         f"{type(values).__name__} {_short(values)}. Wrap a single value in a "
                         f"list, e.g. [{_short(values)}].")
    array = np.asarray(values, dtype=object) if not isinstance(values, np.ndarray) else values
    if array.ndim == 0 and scalar:
        array = array.reshape(1)
    if array.ndim != 1:
        raise InputError(f"{func}: `{name}` must be one-dimensional; got shape {array.shape}. "
                         f"Pass one column, e.g. values[:, 0] or frame['revenue'].")
    return pd.Series(array, dtype=array.dtype if array.dtype.kind != "O" else object)


def _short(x) -> str:
    text = repr(x)
    return text if len(text) <= 40 else text[:37] + "..."


def require_unique(labels, *, func: str, name: str, hint: str) -> None:
    """Raise :class:`InputError` if ``labels`` (an Index or Series) repeats a value."""
    labels = pd.Index(labels)
    try:
        repeated = labels.duplicated(keep=False)
    except TypeError:
        bad = next(x for x in labels if not isinstance(x, Hashable))
        raise InputError(f"{func}: {name} must be text or numbers; got {_short(bad)}. "
                         f"{hint}") from None
    if repeated.any():
        raise InputError(f"{func}: {name} must be unique; {format_value(labels[repeated][0])} appears "
                         f"{int((labels == labels[repeated][0]).sum())} times, at positions "
                         f"{format_rows(np.flatnonzero(repeated).tolist())}. {hint}")


def require_flag(value, *, func: str, name: str) -> bool:
    """Return a True/False argument as a ``bool``; anything else (``"no"``, 0) is refused."""
    if not isinstance(value, (bool, np.bool_)):
        raise InputError(f"{func}: {name} must be True or False; got {format_value(value)}.")
    return bool(value)


def require_integer(value, *, func: str, name: str, low: int | None = None,
                    high: int | None = None) -> int:
    """Return a whole-number argument as an ``int``, or raise naming it, its value and range.

    Booleans and floats are refused (``2.0`` is a float, not a count); numpy integers are
    accepted.
    """
    ok = isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))
    if ok:
        ok = not ((low is not None and value < low) or (high is not None and value > high))
    if not ok:
        span = (f"in [{low}, {high}]" if low is not None and high is not None else
                f">= {low}" if low is not None else f"<= {high}" if high is not None else "")
        raise InputError(f"{func}: {name} must be a whole number {span}".rstrip()
                         + f"; got {format_value(value)}.")
    return int(value)


def require_rate(value, *, func: str, name: str) -> float:
    """Return a rate strictly inside (0, 1) as a float, or raise saying to use fractions."""
    return require_number(value, func=func, name=name, low=0, high=1, low_open=True,
                          high_open=True, hint="Give rates as fractions, e.g. 0.1 for 10%.")


def require_finite_result(value, *, func: str, what: str):
    """Return a computed ``value`` if every number in it is finite, else say it overflowed.

    For results of valid but extreme inputs (amounts near 1e300): the answer would be
    infinite, which is never a number a user can use.
    """
    numbers = value.select_dtypes("number") if isinstance(value, pd.DataFrame) else value
    if not np.all(np.isfinite(np.asarray(numbers, dtype=float))):
        raise InputError(f"{func}: {what} overflows (is infinite) for these inputs; amounts "
                         f"near 1e300 are not money, so check the units of the inputs.")
    return value
