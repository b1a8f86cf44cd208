"""Dates in crmlab's inputs: one parser for every date column and date argument.

:func:`require_dates` turns a column (or a one-element Series of an argument such as
``as_of``) into time-zone-naive ``datetime64`` values, or raises :class:`InputError` with
the message template of :mod:`crmlab._validation`: the function, the column or argument,
the first bad value, its rows and how to fix it. Compute functions call it at their
public boundary, as they call the other checks of :mod:`crmlab._validation`.

What it refuses, and why: a date without a four-digit year (``'24-01-31'``: pandas would
guess the century or the order), a whole number that is not an 8-digit ``YYYYMMDD``
(seconds since 1970 would otherwise be read as nanoseconds), an impossible day
(``20230229``) and a missing date. Time-zone-aware dates keep their local wall time.

Examples
--------
>>> import pandas as pd
>>> dates = require_dates(pd.Series([20240131, "2024-02-01"]), func="f", name="d")
>>> dates.dt.date.astype(str).tolist()
['2024-01-31', '2024-02-01']
>>> require_dates(pd.Series(["2024-01-31", "24-01-31"]), func="f", name="column 'd'")
Traceback (most recent call last):
...
crmlab._validation.InputError: f: column 'd' has dates without a four-digit year, e.g. '24-01-31' at rows [1]; ...
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd

from ._validation import InputError, format_rows, format_value

__all__ = ["require_dates"]


def require_dates(values: pd.Series, *, func: str, name: str) -> pd.Series:
    """Return ``values`` as time-zone-naive dates, or raise naming the bad values and rows.

    Accepted: datetime columns, date strings in any format pandas parses that write the
    year in full (``'24-01-31'`` is refused: pandas would guess the century), ``date`` and
    ``Timestamp`` objects, and 8-digit integers read as ``YYYYMMDD`` (20240131). Other
    integers (e.g. seconds since 1970) are refused, not read as nanoseconds.
    Time-zone-aware dates (even mixed zones, or mixed with naive dates) are converted to
    naive dates in their own zone's local time (``tz_localize(None)``): 2024-01-31 23:30
    in Beijing stays 2024-01-31 23:30. Missing dates (NaT, NaN, ``None``) are refused.
    """
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values.dt.tz_localize(None).pipe(_no_missing_dates, values, func, name)
    if values.dtype.kind == "M":
        return _no_missing_dates(values, values, func, name)
    if values.dtype.kind in "iuf":
        return _no_missing_dates(_yyyymmdd(values, func, name), values, func, name)
    if values.dtype.kind not in "OU" and not pd.api.types.is_string_dtype(values.dtype):
        raise InputError(f"{func}: {name} must be dates; got dtype {values.dtype}. "
                         f"Use ISO dates like '2024-01-31'.")
    cells = values.astype(object)
    number = np.fromiter((isinstance(x, (int, float, np.integer, np.floating))
                          and not isinstance(x, (bool, np.bool_)) for x in cells),
                         dtype=bool, count=len(cells))
    parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us]")
    if number.any():
        floats = np.fromiter((_finite_float(x) for x in cells[number]), dtype=float,
                             count=int(number.sum()))
        parsed[number] = _yyyymmdd(pd.Series(floats, index=values.index[number]), func, name)
    other = ~number & cells.notna().to_numpy()
    if other.any():
        parsed[other] = _parse_text_dates(cells[other])
        _refuse_short_years(cells[other], parsed[other], func, name)
    return _no_missing_dates(parsed, values, func, name)


#: A year written in full: four digits on their own, or the start of eight (20240131).
_FULL_YEAR = re.compile(r"(?<!\d)(?:\d{4}|\d{8})(?!\d)")


def _refuse_short_years(cells: pd.Series, parsed: pd.Series, func: str, name: str) -> None:
    """Refuse text that pandas read as a date although it has no four-digit year
    ('24-01-31', '1-1-1', 'Jan 5', '1_000'): the century, the order or the year would be
    guessed, a silently wrong date. Text that is no date at all is left to the caller."""
    text = np.fromiter((isinstance(x, str) for x in cells), dtype=bool, count=len(cells))
    text &= parsed.notna().to_numpy()
    if not text.any():
        return
    strings = cells[text].astype(str)
    short = ~strings.str.contains(_FULL_YEAR).to_numpy()
    if short.any():
        rows = strings.index[short]
        raise InputError(
            f"{func}: {name} has dates without a four-digit year, e.g. "
            f"{format_value(strings[short].iloc[0])} at rows {format_rows(rows)}; pandas would "
            f"guess the century or the order. Write the year in full, like '2024-01-31'.")


def _finite_float(x) -> float:
    """``float(x)``, or NaN for an integer too large for a float (10**400)."""
    try:
        return float(x)
    except OverflowError:
        return np.nan


def _parse_text_dates(cells: pd.Series) -> pd.Series:
    """Parse strings, dates and Timestamps; aware ones become naive local time; bad -> NaT."""
    parsed = pd.Series(pd.NaT, index=cells.index, dtype="datetime64[us]")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            fast = pd.to_datetime(cells, errors="coerce", format="mixed")
        if isinstance(fast.dtype, pd.DatetimeTZDtype):
            fast = fast.dt.tz_localize(None)
        if fast.dtype.kind == "M":
            parsed = fast.astype("datetime64[us]")
    except (ValueError, TypeError, OverflowError, Warning):
        pass
    for k in np.flatnonzero(parsed.isna().to_numpy()):   # mixed zones, or the fast path failed
        try:
            stamp = pd.Timestamp(cells.iloc[k])
            stamp = stamp.tz_localize(None) if stamp.tzinfo is not None else stamp
            parsed.iloc[k] = stamp.as_unit("us")
        except (ValueError, TypeError, OverflowError):
            pass
    return parsed


def _yyyymmdd(numbers: pd.Series, func: str, name: str) -> pd.Series:
    """Read whole numbers 10000101..99991231 as YYYYMMDD dates; refuse other numbers."""
    x = numbers.to_numpy(dtype=float, na_value=np.nan)
    present = ~np.isnan(x)
    whole = present & np.isfinite(x) & (x == np.round(x)) & (x >= 1e7) & (x < 1e8)
    if (present & ~whole).any():
        bad = present & ~whole
        raise InputError(
            f"{func}: {name} has numbers that are not dates, e.g. {format_value(numbers[bad].iloc[0])} "
            f"at rows {format_rows(numbers.index[bad])}. Only 8-digit YYYYMMDD numbers (20240131) "
            f"are read as dates; use ISO dates like '2024-01-31', or convert seconds since "
            f"1970 with pd.to_datetime(x, unit='s')."
        )
    text = pd.Series(np.where(present, np.nan_to_num(x).astype(np.int64).astype(str), ""),
                     index=numbers.index)
    parsed = pd.to_datetime(text.where(present, None), format="%Y%m%d", errors="coerce")
    invalid = present & parsed.isna().to_numpy()
    if invalid.any():
        raise InputError(
            f"{func}: {name} has 8-digit numbers that are not valid YYYYMMDD dates, e.g. "
            f"{format_value(numbers[invalid].iloc[0])} at rows {format_rows(numbers.index[invalid])}. "
            f"Check month (01-12) and day; or use ISO dates like '2024-01-31'."
        )
    return parsed.astype("datetime64[us]")


def _no_missing_dates(parsed: pd.Series, values: pd.Series, func: str, name: str) -> pd.Series:
    bad = parsed.isna().to_numpy()
    if bad.any():
        missing = values.isna().to_numpy() & bad
        if missing.any():
            raise InputError(f"{func}: {name} has missing dates at rows "
                             f"{format_rows(values.index[missing])}. Fill them in or drop these rows.")
        raise InputError(f"{func}: {name} has values that are not dates, e.g. "
                         f"{format_value(values[bad].iloc[0])} at rows {format_rows(values.index[bad])}. "
                         f"Use ISO dates like '2024-01-31'.")
    return parsed
