"""Hypothesis strategies for bad input, and the "correct or clear error" assertion.

The fuzz tests of each compute module draw frames whose cells mix good values with NaN,
None, pd.NA, ±inf, negative and huge numbers, text, booleans, integer dates (YYYYMMDD and
seconds since 1970), time-zone-aware and naive timestamps; columns come as object,
float, nullable (``Int64``, ``Float64``, ``string``) or categorical dtypes; indexes may
repeat labels; columns may be missing or duplicated; frames may be empty or not frames.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from crmlab._validation import InputError

#: Cells no compute function should accept silently.
BAD_CELLS = st.sampled_from([
    np.nan, None, pd.NA, math.inf, -math.inf, -1.0, -3, 1e308, -1e308, 10**400, "x", "",
    "30亿", "nan", "inf", True, False, 1 + 2j, 20240101, 1704067200,
    pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-01 08:00", tz="Asia/Shanghai"),
    "2024-01-01T00:00+08:00", [1], {"a": 1},
])

#: Dates in every shape a user might hand over.
DATE_CELLS = st.sampled_from([
    "2024-01-01", "2024-02-29", "2024-03-15 10:30", "2023-12-31", 20240105, 20240110.0,
    pd.Timestamp("2024-01-20"), pd.Timestamp("2024-01-20 23:00", tz="Asia/Shanghai"),
    pd.Timestamp("2024-01-21 01:00", tz="UTC"), "2024-01-22T09:00+08:00", "2024-01-23T09:00Z",
    np.datetime64("2024-01-24"),
])
BAD_DATE_CELLS = st.sampled_from([
    np.nan, None, pd.NaT, "soon", "2024-13-01", 20241301, 1704067200, 0, -5, 3.5, True,
    math.inf, "", 10**30,
])

DTYPES = st.sampled_from(["as is"] * 4 + ["object", "float64", "Int64", "Float64", "string",
                                          "category", "datetime64[ns]"])


class Cells:
    """Where a column's cells come from: ``good`` values, and ``bad`` ones mixed in."""

    def __init__(self, good: st.SearchStrategy, bad: st.SearchStrategy = BAD_CELLS):
        self.good, self.bad = good, bad

    def draw(self, draw, rate: float):
        return draw(self.bad) if rate and draw(st.floats(0, 1)) < rate else draw(self.good)


def cells(good: st.SearchStrategy, bad: st.SearchStrategy = BAD_CELLS) -> Cells:
    """Cells usually from ``good``, sometimes from ``bad`` (the rate is drawn per frame)."""
    return Cells(good, bad)


RATES = st.sampled_from([0.0, 0.0, 0.03, 0.1, 0.3])


def one(cell: Cells) -> st.SearchStrategy:
    """A single cell: good, or now and then bad."""
    return st.composite(lambda draw: cell.draw(draw, draw(RATES)))()


@st.composite
def columns(draw, cell: Cells, *, min_size: int = 0, max_size: int = 12,
            size: int | None = None, rate: float | None = None) -> pd.Series:
    """A Series of drawn cells in a drawn dtype (object if the cells do not fit it)."""
    n = size if size is not None else draw(st.integers(min_size, max_size))
    rate = draw(RATES) if rate is None else rate
    values = [cell.draw(draw, rate) for _ in range(n)]
    series = pd.Series(values, dtype=object)
    dtype = draw(DTYPES)
    if dtype == "as is":
        try:
            return pd.Series(values)
        except (TypeError, ValueError, OverflowError):
            return series
    try:
        return series.astype(dtype)
    except (TypeError, ValueError, OverflowError, AttributeError):
        return series


@st.composite
def frames(draw, spec: dict, *, min_rows: int = 0, max_rows: int = 12) -> pd.DataFrame:
    """A DataFrame with one drawn column per ``spec`` entry (name -> :class:`Cells`).

    Each frame draws one rate of bad cells (often 0); sometimes a column is dropped or
    doubled, and the index repeats labels or is text.
    """
    n = draw(st.integers(min_rows, max_rows))
    rate = draw(RATES)
    data = {name: draw(columns(cell, size=n, rate=rate)) for name, cell in spec.items()}
    frame = pd.DataFrame({k: v.reset_index(drop=True) for k, v in data.items()})
    index = draw(st.sampled_from(["range", "range", "repeated", "text", "shuffled"]))
    if index == "repeated" and n:
        frame.index = [k // 2 for k in range(n)]
    elif index == "text":
        frame.index = [f"p{k}" for k in range(n)]
    elif index == "shuffled":
        frame.index = list(draw(st.permutations(range(n))))
    change = draw(st.sampled_from(["none"] * 10 + ["drop", "double"]))
    if change == "drop" and spec:
        frame = frame.drop(columns=draw(st.sampled_from(sorted(spec))))
    elif change == "double" and spec:
        name = draw(st.sampled_from(sorted(spec)))
        frame = pd.concat([frame, frame[[name]]], axis=1)
    return frame


#: Things that are not DataFrames at all.
NOT_FRAMES = st.sampled_from([None, 3, "frame", [[1, 2, 3]], {"money": [1]}, np.ones((2, 3))])


def or_not_a_frame(frame_strategy: st.SearchStrategy) -> st.SearchStrategy:
    """Mostly ``frame_strategy``; one draw in ten is not a DataFrame at all."""
    return st.integers(0, 9).flatmap(lambda k: NOT_FRAMES if k == 0 else frame_strategy)


def correct_or_clear(prefix: str, call):
    """Run ``call``; return its result, or None if it raised a clear crmlab error.

    A clear error is an :class:`~crmlab._validation.InputError` (a ``ValueError``) whose
    message starts with ``prefix + ":"``, e.g. ``"man.winner_map:"``. Any other exception
    (a raw pandas, numpy or Python error) and any warning fail the test.
    """
    try:
        return call()
    except ValueError as err:
        message = str(err)
        assert isinstance(err, InputError), f"{type(err).__name__} is not crmlab's: {message}"
        assert message.startswith(prefix + ":"), f"message does not name {prefix}: {message}"
        assert len(message) > len(prefix) + 20, f"message too short: {message}"
        return None


def finite_or_clear(call, prefixes: tuple[str, ...], *, columns=None):
    """Run ``call``; None if it raised a crmlab ``ValueError`` (InputError or FitError)
    whose message starts with one of ``prefixes``, else its result, whose numbers (the
    ``columns`` of a frame, or all its numeric columns) must be finite. Fitted-model
    objects are returned unchecked."""
    try:
        out = call()
    except (ValueError, TypeError) as error:
        assert str(error).startswith(prefixes), f"unclear error: {error!r}"
        assert isinstance(error, ValueError), repr(error)
        return None
    shown = out
    if isinstance(out, pd.DataFrame):
        shown = out[columns] if columns is not None else out.select_dtypes("number")
    if isinstance(shown, (pd.Series, pd.DataFrame, np.ndarray, int, float, np.number)):
        assert np.isfinite(np.asarray(shown, dtype=float)).all(), shown
    return out


def assert_finite(result, *, allow_nan: tuple[str, ...] = ()) -> None:
    """Every number in ``result`` is finite (columns in ``allow_nan`` may hold NaN)."""
    if result is None:
        return
    if isinstance(result, pd.DataFrame):
        for name in result.columns:
            column = result[name]
            if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(
                    column.dtype):
                x = column.to_numpy(dtype=float, na_value=np.nan)
                if name in allow_nan:
                    x = x[~np.isnan(x)]
                assert np.isfinite(x).all(), f"column {name!r} is not finite: {column.tolist()}"
        return
    if isinstance(result, pd.Series):
        if pd.api.types.is_numeric_dtype(result.dtype):
            assert np.isfinite(result.to_numpy(dtype=float)).all(), result.tolist()
        else:
            assert result.notna().all(), result.tolist()
        return
    x = np.asarray(result, dtype=float)
    assert np.isfinite(x).all(), result
