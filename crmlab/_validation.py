"""Input checks shared by every crmlab module, with one message template.

Every message says *where* (the function), *what* (column or argument), *the bad
value and the first offending rows*, and *how to fix it*. Compute functions call these
helpers at their public boundary, before converting anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

__all__ = [
    "check_option",
    "check_weights",
    "reject_rows",
    "require_number",
    "require_rate",
    "require_columns",
    "require_dates",
    "require_frame",
    "require_in_range",
    "require_integer",
    "require_numeric",
]

#: How many offending rows a message lists before it says "and N more".
SHOW_ROWS = 5


def _rows(index: Iterable) -> str:
    """Format the first offending row labels of an index for a message."""
    labels = list(index)
    shown = ", ".join(repr(x) for x in labels[:SHOW_ROWS])
    more = len(labels) - SHOW_ROWS
    return f"[{shown}]" + (f" and {more} more" if more > 0 else "")


def _value(x) -> str:
    """Show a value as the user typed it: numpy scalars as plain Python numbers."""
    return repr(x.item() if isinstance(x, np.generic) else x)


def require_frame(data, *, func: str, arg: str = "data") -> None:
    """Raise ``TypeError`` unless ``data`` is a pandas DataFrame."""
    if not isinstance(data, pd.DataFrame):
        raise TypeError(
            f"{func}: `{arg}` must be a pandas DataFrame with one row per item; "
            f"got {type(data).__name__}. Build one with pd.DataFrame(...) or "
            f"crmlab.load_dataset(...)."
        )


def require_columns(data, columns: Iterable[str], *, func: str, arg: str = "data") -> None:
    """Raise ``ValueError`` naming every column of ``columns`` missing from ``data``."""
    require_frame(data, func=func, arg=arg)
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise ValueError(
            f"{func}: column {missing[0]!r} is missing from `{arg}`"
            + (f" (also missing: {missing[1:]})" if len(missing) > 1 else "")
            + f"; found {list(data.columns)}. Rename your column or pass its name, "
            f"e.g. {func.rsplit('.', 1)[-1]}(..., <option>={list(data.columns)[0]!r})."
        )


def require_numeric(values: pd.Series, *, func: str, name: str) -> pd.Series:
    """Return ``values`` as floats, or raise naming the non-numeric entries and rows."""
    converted = pd.to_numeric(values, errors="coerce")
    bad = converted.isna() & values.notna()
    if bad.any():
        first = values[bad].iloc[0]
        raise ValueError(
            f"{func}: {name} must be numeric; got {_value(first)} at rows {_rows(values.index[bad])}. "
            f"Remove units or text from these cells (e.g. '30亿' -> 30)."
        )
    missing = converted.isna()
    if missing.any():
        raise ValueError(
            f"{func}: {name} has missing values (NaN) at rows {_rows(values.index[missing])}. "
            f"Fill them in or drop these rows before scoring."
        )
    return converted.astype(float)


def require_in_range(
    values: pd.Series,
    *,
    func: str,
    name: str,
    low: float | None = None,
    high: float | None = None,
    hint: str = "",
) -> None:
    """Raise ``ValueError`` if any value lies outside ``[low, high]`` (bounds optional)."""
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
        raise ValueError(
            f"{func}: {name} must be {span}; got {_value(first)} at rows "
            f"{_rows(values.index[bad])}." + (f" {hint}" if hint else "")
        )


def check_option(value, options: Iterable, *, func: str, name: str) -> None:
    """Raise ``ValueError`` unless ``value`` is one of ``options``."""
    options = list(options)
    if value not in options:
        raise ValueError(f"{func}: {name} must be one of {options}; got {value!r}.")


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
                raise ValueError(
                    f"{func}: weights must have {len(names)} entries ({', '.join(names)}); "
                    f"got {len(weights)}."
                )
            weights = dict(zip(names, weights))
        else:
            raise TypeError(
                f"{func}: weights must be a mapping like {dict.fromkeys(names, 1 / len(names))} "
                f"or a sequence of {len(names)} numbers; got {type(weights).__name__}."
            )
    unknown = sorted(set(weights) - set(names))
    missing = [n for n in names if n not in weights]
    if unknown or missing:
        raise ValueError(
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
            raise TypeError(f"{func}: weight {n!r} must be a number; got {w!r}.")
        if not np.isfinite(w) or w < 0:
            raise ValueError(f"{func}: weight {n!r} must be a finite number >= 0; got {w!r}.")
        out[n] = float(w)
    total = sum(out.values())
    if abs(total - 1.0) > tol:
        raise ValueError(
            f"{func}: weights must sum to 1 (within {tol:g}); got {total!r} from {out}. "
            f"Divide each weight by their sum."
        )
    return out


def reject_rows(bad: pd.Series, values: pd.Series, *, func: str, name: str, problem: str,
                hint: str) -> None:
    """Raise ``ValueError`` if ``bad`` marks any row: name, first bad value, rows, fix.

    ``problem`` completes "<name> ..." (e.g. "is larger than T"); ``hint`` says how to fix it.
    """
    if bad.any():
        first = values[bad].iloc[0]
        raise ValueError(f"{func}: {name} {problem}; got {_value(first)} at rows "
                         f"{_rows(values.index[bad])}. {hint}")


def require_number(value, *, func: str, name: str, low: float | None = None,
                   high: float | None = None, low_open: bool = False,
                   high_open: bool = False, hint: str = "") -> float:
    """Return a scalar argument as a float, or raise naming it, its value and its range.

    ``low_open`` / ``high_open`` exclude the bound itself, e.g. a rate in (0, 1).
    """
    ok = (isinstance(value, (int, float, np.integer, np.floating))
          and not isinstance(value, bool) and np.isfinite(value))
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
        raise ValueError(f"{func}: {name} must be a number {span}; got {_value(value)}."
                         + (f" {hint}" if hint else ""))
    return float(value)


def require_integer(value, *, func: str, name: str, low: int | None = None,
                    high: int | None = None) -> int:
    """Return a whole-number argument as an ``int``, or raise naming it, its value and range.

    Booleans and floats are refused (``2.0`` is a float, not a count); numpy integers are
    accepted.
    """
    ok = isinstance(value, (int, np.integer)) and not isinstance(value, bool)
    if ok:
        ok = not ((low is not None and value < low) or (high is not None and value > high))
    if not ok:
        span = (f"in [{low}, {high}]" if low is not None and high is not None else
                f">= {low}" if low is not None else f"<= {high}" if high is not None else "")
        raise ValueError(f"{func}: {name} must be a whole number {span}".rstrip()
                         + f"; got {_value(value)}.")
    return int(value)


def require_rate(value, *, func: str, name: str) -> float:
    """Return a rate strictly inside (0, 1) as a float, or raise saying to use fractions."""
    return require_number(value, func=func, name=name, low=0, high=1, low_open=True,
                          high_open=True, hint="Give rates as fractions, e.g. 0.1 for 10%.")


def require_dates(values: pd.Series, *, func: str, name: str) -> pd.Series:
    """Return ``values`` parsed as dates, or raise naming the first unparseable value and rows."""
    if pd.api.types.is_datetime64_any_dtype(values):
        parsed = values
    else:
        parsed = pd.to_datetime(values, errors="coerce", format="mixed")
    bad = parsed.isna()
    if bad.any():
        raise ValueError(f"{func}: {name} has values that are not dates, e.g. "
                         f"{_value(values[bad].iloc[0])} at rows {_rows(values.index[bad])}. "
                         f"Use ISO dates like '2024-01-31'.")
    return parsed


def require_finite(values: pd.Series, *, func: str, name: str) -> pd.Series:
    """Return ``values`` as finite floats: :func:`require_numeric`, then reject ±inf.

    Added for the model-fitting modules (``btyd``, ``retention``, ``clv``,
    ``acquisition``); once ``require_numeric`` rejects infinities itself this is a thin
    alias of it.
    """
    converted = require_numeric(values, func=func, name=name)
    bad = ~np.isfinite(converted.to_numpy())
    if bad.any():
        rows = values.index[bad]
        raise ValueError(
            f"{func}: {name} must be finite; got {_value(converted[bad].iloc[0])} at rows "
            f"{_rows(rows)}. Replace infinite values (often a division by zero upstream) "
            f"or drop these rows."
        )
    return converted
