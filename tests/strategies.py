"""Hypothesis strategies for bad input, and the "correct or clear error" assertion.

The fuzz tests of each compute module draw frames whose cells mix good values with NaN,
None, pd.NA, ±inf, negative and huge numbers, text, booleans, integer dates (YYYYMMDD and
seconds since 1970), time-zone-aware and naive timestamps; columns come as object,
float, nullable (``Int64``, ``Float64``, ``string``) or categorical dtypes; indexes may
repeat labels; columns may be missing or duplicated; frames may be empty or not frames.

The section after holds what the tests of ``btyd`` and ``gamma_gamma`` share: fixed-parameter
models, random valid customer histories, nasty and mutated customer tables and logs; the
last, what the tests of ``clv`` and ``group_clv`` share: spoiled tables and scalar arguments.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

import numpy as np
import pandas as pd
from hypothesis import strategies as st

import crmlab
from crmlab import btyd
from crmlab._validation import InputError
from crmlab.btyd import BGNBDFit

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


# ------------------------------------------- customer tables of btyd and gamma_gamma
#: Fader, Hardie & Lee's (2005) BG/NBD estimates on CDNOW (r, alpha, a, b).
PAPER = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}


def at(params, cls=BGNBDFit):
    """A model with fixed parameters (``BGNBDFit`` or ``GammaGammaFit``), not fitted."""
    names = list(params)
    return cls("fixed", pd.Series(params), pd.Series(np.nan, index=names), np.nan, 0, 0)


@st.composite
def customers(draw, rows=5, most=30, least_share=0.0):
    """Valid customer histories: frequency, recency (a share of T, 0 when x = 0), T."""
    n = draw(st.integers(1, rows))
    x = draw(st.lists(st.integers(0, most), min_size=n, max_size=n))
    big_t = draw(st.lists(st.floats(0.5, 80), min_size=n, max_size=n))
    share = draw(st.lists(st.floats(least_share, 1), min_size=n, max_size=n))
    tx = [0.0 if k == 0 else s * t for k, s, t in zip(x, share, big_t)]
    return pd.DataFrame({"frequency": x, "recency": tx, "T": big_t})


#: Cells that no BTYD function may accept silently.
NASTY = [np.nan, np.inf, -np.inf, -1, -0.5, 0, 1e300, 1e-300, "x", "", None, pd.NA, pd.NaT,
         True, 20240101, 2.5, pd.Timestamp("1997-03-01", tz="UTC")]


def nasty_cells(good):
    """Cells from ``good``, now and then one of :data:`NASTY`."""
    return st.one_of(good, good, st.sampled_from(NASTY))


@st.composite
def nasty_frames(draw, spec, max_rows=5):
    """A frame whose columns mix good cells with NaN, inf, negatives, text, NA, dates…"""
    n = draw(st.integers(0, max_rows))
    data = {}
    for name, good in spec.items():
        values = pd.Series(draw(st.lists(nasty_cells(good), min_size=n, max_size=n)),
                           dtype=object)
        kind = draw(st.sampled_from(["infer", "object", "nullable"]))
        if kind == "infer":
            values = pd.Series(values.tolist())
        elif kind == "nullable":
            try:
                values = values.astype("Float64")
            except (TypeError, ValueError):
                pass
        data[name] = values
    frame = pd.DataFrame(data)
    if n > 1 and draw(st.booleans()):
        frame.index = [7] * n                           # duplicated ids
    if spec and draw(st.integers(0, 9)) == 0:
        frame = frame.drop(columns=draw(st.sampled_from(list(spec))))
    if draw(st.integers(0, 19)) == 0:
        return draw(st.sampled_from([None, [1, 2], "table", {"frequency": [1]}]))
    return frame


#: Good cells of a customer table and of a transaction log; scalar arguments of all kinds.
TABLE = {"frequency": st.integers(0, 4), "recency": st.floats(0, 10), "T": st.floats(0.1, 10),
         "monetary": st.floats(0, 100), "frequency_holdout": st.integers(0, 3),
         "duration_holdout": st.just(5.0),
         "first_purchase": st.sampled_from(["1997-01-01", "1997-01-20", "1997-02-03"])}
LOG = {"customer_id": st.sampled_from([1, 2, 3]),
       "date": st.one_of(st.dates(pd.Timestamp("1996-12-01").date(),
                                  pd.Timestamp("1997-06-01").date()).map(str),
                         st.sampled_from([19970105, 19970210, 19971301,
                                          pd.Timestamp("1997-01-09", tz="Asia/Shanghai")])),
       "amount": st.floats(0, 50)}
SCALARS = st.one_of(st.integers(-3, 60), st.floats(allow_nan=True, allow_infinity=True),
                    st.sampled_from([None, "12", True, [1], pd.NA]))


@st.composite
def mutated(draw, clean, spec):
    """A valid frame as is, with one nasty cell, or a frame of nasty cells throughout."""
    mode = draw(st.sampled_from(["clean", "one", "many"]))
    if mode == "many":
        return draw(nasty_frames(spec))
    frame = draw(clean).copy()
    if mode == "one" and len(frame):
        column = draw(st.sampled_from(list(frame.columns)))
        row = draw(st.integers(0, len(frame) - 1))
        frame[column] = frame[column].astype(object)
        frame.iloc[row, frame.columns.get_loc(column)] = draw(st.sampled_from(NASTY))
    if len(frame) > 1 and draw(st.booleans()):
        frame.index = [7] * len(frame)
    if draw(st.booleans()):
        for column in frame.select_dtypes("number").columns:
            frame[column] = frame[column].astype("Float64")
    return frame


def complete_table(table):
    """A :func:`customers` table with the other columns the BTYD functions read."""
    repeat = table["frequency"] > 0
    return table.assign(monetary=np.where(repeat, 10.0 + table["T"], np.nan),
                        frequency_holdout=table["frequency"] % 3, duration_holdout=5.0,
                        first_purchase=pd.Timestamp("1997-01-01")
                        + pd.to_timedelta(table["frequency"] * 3, unit="D"))


@lru_cache(maxsize=1)
def cdnow_sample_table() -> pd.DataFrame:
    """The CDNOW sample's customer table (calibration to 1997-09-30, holdout to 1998-06-30)."""
    return btyd.repeat_purchase_table(crmlab.load_dataset("cdnow_sample"), customer="sample_id",
                                      amount="dollars", calibration_end="1997-09-30",
                                      holdout_end="1998-06-30")


#: Valid tables: 300 CDNOW customers (fits converge) or a few random histories (they may not).
VALID_TABLE = st.one_of(
    st.integers(0, 2**32 - 1).map(
        lambda seed: cdnow_sample_table().sample(300, random_state=seed)),
    customers(rows=12, most=4, least_share=0.1).map(complete_table))

#: Valid transaction logs of up to 12 purchases by customers 1-4 in early 1997.
VALID_LOG = st.lists(st.tuples(st.integers(1, 4), st.dates(pd.Timestamp("1997-01-01").date(),
                                                             pd.Timestamp("1997-04-30").date()),
                               st.floats(0, 50)), min_size=1, max_size=12).map(
    lambda rows: pd.DataFrame(rows, columns=["customer_id", "date", "amount"]).assign(
        date=lambda d: pd.to_datetime(d["date"])))


# ----------------------------------------------------------------- language of the text
_ENGLISH_RUN = re.compile(r"[A-Za-z][a-z]+(?:[ ,;:'’/-]+[A-Za-z][a-z]+){2,}")
_EXEMPT = re.compile(
    r"`[^`]*`"                                  # code: crmlab.exercise_data("rfm-1")
    r"|<[^>]*>"                                 # HTML tags of widget views
    r"|(?<=[\u4e00-\u9fff）)])\s*[（(][^（）()]*[）)]"  # a gloss after Chinese: 终生价值（customer lifetime value）
    r"|https?://\S+")


def english_sentences(text: str) -> list[str]:
    """Runs of three or more English words in ``text`` — a sentence left untranslated.

    Code in backticks, HTML tags and a parenthesised English gloss after a Chinese term
    do not count; neither do one- or two-word names (BG/NBD, Gamma-Gamma, CDNOW, Fader
    & Hardie).

    >>> english_sentences("对，客户 B 胜出（customer lifetime value）")
    []
    >>> english_sentences("对：round up the Money score")
    ['round up the Money score']
    """
    return _ENGLISH_RUN.findall(_EXEMPT.sub(" ", str(text)))


# ---- shared by the tests of the courseware-CLV modules (clv, group_clv) and acquisition
#: Cells that spoil an input table of the CLV modules.
CLV_NASTY = [np.nan, np.inf, -np.inf, -1, 0, 1e300, "x", "", None, pd.NA, True, 2.5, 10**12]
#: Scalar arguments of the CLV modules: rates, margins, counts, and what is none of these.
CLV_SCALARS = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**6, 10**6),
                        st.floats(0, 1), st.sampled_from([None, "0.1", True, [0.1], pd.NA, 1e-9,
                                                          np.float64(0.3), 1 + 1j]))


@st.composite
def spoiled_frames(draw, clean, columns, nasty=CLV_NASTY):
    """A valid frame from ``clean``, one with a ``nasty`` cell, or one of nasty cells;
    nullable/object dtypes, repeated labels; now and then empty, without one of ``columns``,
    or not a frame."""
    frame = draw(clean).copy()
    mode = draw(st.sampled_from(["clean", "one", "many"]))
    if mode != "clean" and len(frame):
        for _ in range(1 if mode == "one" else 4):
            column = draw(st.sampled_from(list(frame.columns)))
            frame[column] = frame[column].astype(object)
            frame.iloc[draw(st.integers(0, len(frame) - 1)),
                       frame.columns.get_loc(column)] = draw(st.sampled_from(nasty))
    if len(frame) > 1 and draw(st.booleans()):
        frame.index = [3] * len(frame)
    if draw(st.booleans()):
        for column in frame.select_dtypes("number").columns:
            frame[column] = frame[column].astype("Float64")
    if draw(st.integers(0, 9)) == 0:
        frame = frame.iloc[:0]
    if draw(st.integers(0, 9)) == 0:
        frame = frame.drop(columns=draw(st.sampled_from(columns)))
    if draw(st.integers(0, 19)) == 0:
        return draw(st.sampled_from([None, [1, 2], "table"]))
    return frame
