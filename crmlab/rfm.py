"""RFM analysis (RFM分析法): recency, frequency and monetary value per customer, and scores.

R, *Recency* (最近一次购买): time since the last purchase. F, *Frequency* (消费频率):
purchases in a window. M, *Monetary* (购买金额): the amount bought in the window — as a
total (the courseware's definition) or as an average per purchase (what its airline
table scores).

Functions
---------
customer_table
    From a transaction log to one row of recency, frequency and monetary per customer.
score_by_rules
    Score values with a rule table (bounds and inclusive flags), reporting values that
    no rule or two rules claim — the courseware's airline table has both.
quantile_scores
    1–5 scores from the quantiles of the data, recency reversed; ties share a score.
rfm_table
    ``customer_table`` + quantile scores + the RFM code ("545") and sum (3–15).
segment
    Named segments from the scores (the R ``rfm`` package's scheme by default).
sum_tiers
    Low / middle / high tiers of the RFM sum (crmlab's convention, any number of bins).
segment_summary
    Customers, purchases, revenue and average order value per segment.

References
----------
客户关系管理(第2.3.4讲), 4.2.3 RFM分析法 and the airline table 某航空公司RFM分析法; digest
``shared/seeds/002.md`` §2.C and F3. Hughes, A. M., *Strategic Database Marketing*:
quintile codes 5 (best) to 1, 5×5×5 = 125 cells. R package ``rfm`` (rsquaredacademy):
quantile breaks and the segment scheme of its documentation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from ._validation import (
    InputError,
    _rows as _labels,
    _value,
    check_option,
    require_columns,
    require_dates,
    require_flag,
    require_frame,
    require_in_range,
    require_integer,
    require_number,
    require_numeric,
    require_vector,
)
from ._units import DAYS_PER_UNIT

__all__ = [
    "DAYS_PER_UNIT",
    "MAX_BINS",
    "R_RFM_SEGMENTS",
    "customer_table",
    "quantile_scores",
    "rfm_table",
    "score_by_rules",
    "segment",
    "segment_summary",
    "sum_tiers",
]


#: The R ``rfm`` package's documented segment scheme, first match wins, else "Others":
#: (name, recency low, high, frequency low, high, monetary low, high) on 1–5 scores.
R_RFM_SEGMENTS = (
    ("Champions", 5, 5, 5, 5, 5, 5),
    ("Potential Loyalist", 3, 5, 3, 5, 2, 5),
    ("Loyal Customers", 2, 4, 2, 4, 2, 4),
    ("Promising", 3, 4, 1, 3, 3, 5),
    ("New Customers", 4, 5, 1, 3, 1, 5),
    ("Can't Lose Them", 1, 2, 3, 4, 4, 5),
    ("At Risk", 1, 2, 2, 5, 4, 5),
    ("Need Attention", 1, 3, 3, 5, 3, 5),
    ("About To Sleep", 2, 3, 1, 3, 1, 4),
    ("Lost", 1, 1, 1, 5, 1, 5),
)


#: Most quantile bins :func:`quantile_scores` makes; :func:`rfm_table` allows 9, so that
#: each score is one digit of the RFM code.
MAX_BINS = 100

#: The options :func:`rfm_table` passes on to :func:`customer_table`.
SUMMARY_OPTIONS = ("customer", "date", "amount", "as_of", "unit", "window", "returns",
                   "same_day")


def _rows(mask: pd.Series) -> str:
    return _labels(mask.index[mask])


def customer_table(
    transactions: pd.DataFrame,
    *,
    customer: str = "customer_id",
    date: str = "date",
    amount: str = "amount",
    as_of=None,
    unit: str = "days",
    window: float | None = None,
    returns: str = "error",
    same_day: str = "keep",
) -> pd.DataFrame:
    """Summarise a transaction log into recency, frequency and monetary value per customer.

    One row per transaction (``customer``, ``date``, ``amount``) → one row per customer,
    indexed by customer id and sorted, with the columns below.

    Parameters
    ----------
    transactions : DataFrame
    customer, date, amount : str
        Column names. Dates may be strings in any format pandas parses.
    as_of : date-like, optional
        The analysis date (recency is measured back from it). Default: the last
        transaction date. It may not be earlier than the last transaction.
    unit : {"days", "weeks", "months"}, default "days"
        Unit of ``recency`` and ``window``; a month is 365.2425/12 days.
    window : float, optional
        Count purchases and money only in ``(as_of − window, as_of]`` (e.g. 24 months,
        as the airline table). Default: the whole log.
    returns : {"error", "drop", "net"}, default "error"
        What to do with negative amounts (returns): raise, drop those rows, or subtract
        them from the monetary total (they never count as purchases).
    same_day : {"keep", "merge"}, default "keep"
        ``"merge"`` counts a customer's purchases on one calendar day as one purchase
        (their amounts summed), the convention of the CDNOW literature.

    Returns
    -------
    DataFrame
        ``first_purchase``, ``last_purchase`` (dates), ``recency`` (float, in ``unit``),
        ``frequency`` (purchases in the window), ``monetary_total`` (money in the window,
        net of returns if ``returns="net"``) and ``monetary_mean`` (total / frequency;
        NaN for a customer with no purchase in the window).

    Raises
    ------
    ValueError
        Naming the column and the first offending rows: missing columns, an empty log,
        unparseable dates, missing customer ids, non-numeric or negative amounts (with
        ``returns="error"``), an ``as_of`` before the last transaction.

    Examples
    --------
    >>> log = pd.DataFrame({"customer_id": ["a", "a", "b"],
    ...                     "date": ["2024-01-01", "2024-01-11", "2024-01-05"],
    ...                     "amount": [10.0, 30.0, 5.0]})
    >>> customer_table(log, as_of="2024-01-21")[["recency", "frequency", "monetary_total"]]
                 recency  frequency  monetary_total
    customer_id
    a               10.0          2            40.0
    b               16.0          1             5.0
    """
    return _customer_table(transactions, customer=customer, date=date, amount=amount,
                           as_of=as_of, unit=unit, window=window, returns=returns,
                           same_day=same_day, func="rfm.customer_table")


def _customer_table(transactions, *, customer="customer_id", date="date", amount="amount",
                    as_of=None, unit="days", window=None, returns="error", same_day="keep",
                    func):
    """:func:`customer_table`, raising errors that name ``func``."""
    require_columns(transactions, {"customer": customer, "date": date, "amount": amount},
                    func=func, arg="transactions")
    check_option(unit, DAYS_PER_UNIT, func=func, name="unit")
    check_option(returns, ("error", "drop", "net"), func=func, name="returns")
    check_option(same_day, ("keep", "merge"), func=func, name="same_day")
    if window is not None:
        window = require_number(window, func=func, name="window", low=0, low_open=True,
                                hint=f"Give the window's length in {unit}, or None for all.")
    if len(transactions) == 0:
        raise InputError(f"{func}: `transactions` is empty; there is nothing to summarise.")
    ids = transactions[customer]
    if ids.isna().any():
        raise InputError(f"{func}: column {customer!r} has missing customer ids at rows "
                         f"{_rows(ids.isna())}. Drop or fill these rows first.")
    dates = require_dates(transactions[date], func=func, name=f"column {date!r}")
    money = require_numeric(transactions[amount], func=func, name=f"column {amount!r}")
    negative = money < 0
    if negative.any() and returns == "error":
        raise InputError(
            f"{func}: column {amount!r} has negative amounts (returns?), e.g. "
            f"{_value(money[negative].iloc[0])} at rows {_rows(negative)}. Pass returns='drop' to "
            f"ignore them or returns='net' to subtract them from the monetary total."
        )
    log = pd.DataFrame({"id": ids.to_numpy(), "date": dates.to_numpy(), "amount": money.to_numpy()})
    if returns == "drop":
        log = log[log["amount"] >= 0]
        if log.empty:
            raise InputError(f"{func}: every amount in column {amount!r} is negative, so "
                             f"returns='drop' leaves no purchase. Check the sign of the amounts.")
    last_date = log["date"].max()
    as_of = last_date if as_of is None else require_dates(pd.Series([as_of]), func=func,
                                                         name="as_of").iloc[0]
    if as_of < last_date:
        late = pd.Series(log["date"].to_numpy() > as_of, index=transactions.index[log.index])
        raise InputError(f"{func}: as_of {as_of.date()} is earlier than transactions at rows "
                         f"{_rows(late)} (last {last_date.date()}). Choose a later as_of or "
                         f"drop the later rows.")
    if same_day == "merge":
        log = (log.assign(date=log["date"].dt.normalize())
               .groupby(["id", "date"], sort=False, as_index=False)["amount"].sum())
    days = DAYS_PER_UNIT[unit]
    if log["id"].dtype.kind == "O":
        kinds = {"number" if isinstance(x, (int, float, np.number)) and not isinstance(
            x, (bool, np.bool_)) else type(x).__name__ for x in log["id"]}
        types = sorted({type(x).__name__ for x in log["id"]})
        if not kinds <= {"number", "str"}:
            raise InputError(f"{func}: customer ids in column {customer!r} must be text or "
                             f"numbers; got types {types}. Convert them, e.g. .astype(str).")
        if len(kinds) > 1:
            raise InputError(f"{func}: column {customer!r} mixes id types {types} (is 1 the same "
                             f"customer as '1'?); make them one type, e.g. .astype(str).")
    codes, uniques = pd.factorize(log["id"], sort=True)
    n = len(uniques)
    stamp = log["date"].to_numpy()
    ticks = stamp.view("int64")          # unbuffered ufunc.at: ~15x faster than groupby here
    first = np.full(n, np.iinfo(np.int64).max)
    last = np.full(n, np.iinfo(np.int64).min)
    np.minimum.at(first, codes, ticks)
    np.maximum.at(last, codes, ticks)
    first, last = first.view(stamp.dtype), last.view(stamp.dtype)
    in_window = np.ones(len(log), dtype=bool)
    if window is not None and window * days <= (as_of - log["date"].min()) / pd.Timedelta(days=1):
        in_window = stamp > (as_of - pd.Timedelta(days=window * days)).to_datetime64()
    values = log["amount"].to_numpy()
    purchase = in_window & (values >= 0)
    frequency = np.bincount(codes[purchase], minlength=n)
    total = np.bincount(codes[in_window], weights=values[in_window], minlength=n)
    if not np.isfinite(total).all():
        raise InputError(f"{func}: column {amount!r} sums to more than a float can hold for "
                         f"customers {_labels(uniques[~np.isfinite(total)])}; rescale the "
                         f"amounts (e.g. to thousands).")
    out = pd.DataFrame({
        "first_purchase": first,
        "last_purchase": last,
        "recency": (as_of.to_datetime64() - last) / np.timedelta64(1, "D") / days,
        "frequency": frequency,
        "monetary_total": total,
    }, index=pd.Index(uniques, name=customer))
    with np.errstate(invalid="ignore", divide="ignore"):
        out["monetary_mean"] = np.where(frequency > 0, total / np.maximum(frequency, 1), np.nan)
    return out


def score_by_rules(values, rules: pd.DataFrame, *, dimension: str) -> pd.DataFrame:
    """Score values with a rule table and report values with no score or two scores.

    A rule is ``(dimension, score, lower, lower_inclusive, upper, upper_inclusive)``;
    a missing bound is unbounded. A value gets every score whose interval contains it.

    Parameters
    ----------
    values : array-like or Series
    rules : DataFrame
        E.g. ``crmlab.load_dataset("airline_rfm_rules")`` filtered to one version.
    dimension : str
        Which rules to use, e.g. ``"frequency"``.

    Returns
    -------
    DataFrame
        ``value``, ``score`` (float; NaN unless exactly one rule matches), ``matches``
        (the matching scores as text, e.g. ``"4|5"``) and ``status`` (``"ok"``,
        ``"no score"``, ``"two scores"``, or ``"missing"`` for a missing value, e.g. the
        average spend of a customer with no purchase in the window).

    Examples
    --------
    >>> import crmlab
    >>> rules = crmlab.load_dataset("airline_rfm_rules").query("version == 'courseware'")
    >>> score_by_rules([8, 24], rules, dimension="frequency")[["score", "status"]]
       score    status
    0    3.0        ok
    1    NaN  no score
    """
    func = "rfm.score_by_rules"
    require_columns(rules, ["dimension", "score", "lower", "lower_inclusive", "upper",
                            "upper_inclusive"], func=func, arg="rules")
    if not isinstance(dimension, str):
        raise InputError(f"{func}: dimension must be a string such as 'frequency'; got "
                         f"{dimension!r}.")
    chosen = rules[rules["dimension"].astype(object).to_numpy() == dimension]
    if chosen.empty:
        raise InputError(f"{func}: no rules for dimension {dimension!r}; the table has "
                         f"{sorted(map(str, rules['dimension'].dropna().unique()))}.")
    series = require_vector(values, func=func, scalar=True)
    present = series.notna().to_numpy()
    x = np.full(len(series), np.nan)
    x[present] = require_numeric(series[present], func=func, name=dimension).to_numpy()
    x = x[:, None]
    lo, hi = (_bound(chosen[c], fill, func) for c, fill in (("lower", -np.inf), ("upper", np.inf)))
    lo_in, hi_in = (_flag_column(chosen[c], func) for c in ("lower_inclusive", "upper_inclusive"))
    scores = require_numeric(chosen["score"], func=func, name="column 'score' of `rules`")
    hit = np.where(lo_in, x >= lo, x > lo) & np.where(hi_in, x <= hi, x < hi)
    shown = chosen["score"].to_numpy()
    count = hit.sum(axis=1)
    single = np.where(count == 1, (hit * scores.to_numpy()).sum(axis=1), np.nan)
    return pd.DataFrame({
        "value": x[:, 0],
        "score": single,
        "matches": ["|".join(str(s) for s in shown[row]) for row in hit],
        "status": np.select([~present, count == 1, count == 0],
                            ["missing", "ok", "no score"], "two scores"),
    }, index=series.index)


def _bound(column: pd.Series, fill: float, func: str) -> np.ndarray:
    """A rule bound as floats: missing means unbounded (``fill``); ±inf is kept."""
    out = np.full(len(column), fill)
    given = column.notna().to_numpy()
    cells = column[given].astype(object)
    infinite = np.array([isinstance(v, (float, np.floating)) and np.isinf(v) for v in cells],
                        dtype=bool)
    out[np.flatnonzero(given)[infinite]] = cells[infinite].astype(float).to_numpy()
    out[np.flatnonzero(given)[~infinite]] = require_numeric(
        cells[~infinite], func=func, name=f"column {column.name!r} of `rules`").to_numpy()
    return out


def _flag_column(column: pd.Series, func: str) -> np.ndarray:
    """A rule table's True/False column; 0/1 are accepted, text and missing refused."""
    ok = np.array([isinstance(v, (bool, np.bool_)) or (
        isinstance(v, (int, float, np.integer, np.floating)) and v in (0, 1))
        for v in column.astype(object)], dtype=bool)
    if not ok.all():
        raise InputError(f"{func}: column {column.name!r} of `rules` must be True or False; "
                         f"got {_value(column[~ok].iloc[0])} at rows {_labels(column.index[~ok])}. "
                         f"Map text first, e.g. .map({{'True': True, 'False': False}}).")
    return column.astype(object).astype(bool).to_numpy()


def quantile_scores(values, *, bins: int = 5, reverse: bool = False,
                    ties: str = "share") -> pd.Series:
    """Score values 1..bins by their quantiles (5 = highest, or lowest with ``reverse``).

    Parameters
    ----------
    values : array-like or Series
    bins : int, default 5
        2 to :data:`MAX_BINS` (100).
    reverse : bool, default False
        True for recency: the smallest values (most recent) score ``bins``.
    ties : {"share", "first"}, default "share"
        ``"share"``: cut points are the type-7 quantiles of the values (numpy's and R's
        default) and bins are right-closed, as ``pandas.qcut``; equal values always share
        a score, so with many ties some scores may be unused. This is the R ``rfm``
        package's approach (quantile breaks), not its exact breaks (it shifts them by
        +1 for integer data). ``"first"``: rank with ties broken by row order, then equal
        counts per score, as ``dplyr::ntile``; equal values may get different scores.

    Returns
    -------
    Series of int
        Aligned with ``values``.

    Examples
    --------
    >>> quantile_scores([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).tolist()
    [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    >>> quantile_scores([1, 1, 1, 1, 1, 1, 2, 3, 4, 5]).tolist()   # ties share a score
    [1, 1, 1, 1, 1, 1, 4, 4, 5, 5]
    """
    return _quantile_scores(values, bins=bins, reverse=reverse, ties=ties,
                            func="rfm.quantile_scores", name="values")


def _quantile_scores(values, *, bins, reverse, ties, func, name):
    """:func:`quantile_scores`, raising errors that name ``func``."""
    bins = require_integer(bins, func=func, name="bins", low=2, high=MAX_BINS)
    reverse = require_flag(reverse, func=func, name="reverse")
    check_option(ties, ("share", "first"), func=func, name="ties")
    series = require_vector(values, func=func, name=name)
    x = require_numeric(series, func=func, name=name).to_numpy()
    if len(x) == 0:
        raise InputError(f"{func}: no values to score; `{name}` is empty.")
    if reverse:
        x = -x
    top = np.max(np.abs(x))
    if top > 2.0 ** 1000:     # scale by a power of two (exact) so quantiles cannot overflow
        x = np.ldexp(x, -int(np.frexp(top)[1]))
    if ties == "share":
        cuts = np.quantile(x, np.arange(1, bins) / bins)
        score = 1 + np.searchsorted(cuts, x, side="left")
    else:
        order = np.argsort(x, kind="stable")
        rank = np.empty(len(x), dtype=np.int64)
        rank[order] = np.arange(len(x))
        score = 1 + rank * bins // len(x)
    return pd.Series(score.astype(int), index=series.index)


def rfm_table(
    transactions: pd.DataFrame,
    *,
    bins: int = 5,
    ties: str = "share",
    monetary: str = "monetary_total",
    **summary_options,
) -> pd.DataFrame:
    """Summarise transactions and score each customer on R, F and M by quantiles.

    One row per transaction → :func:`customer_table` plus ``r_score``, ``f_score``,
    ``m_score`` (1..bins; recency reversed), ``rfm_code`` (the scores written side by
    side, e.g. ``"545"``) and ``rfm_sum`` (3..3·bins). The code (Hughes' 125 cells for 5
    bins) and the sum are conventions, not courseware content: the courseware gives no
    rule for combining the three scores.

    Parameters
    ----------
    transactions : DataFrame
    bins : int, default 5
        2 to 9, so that each score is one digit of ``rfm_code``.
    ties : {"share", "first"}, default "share"
        See :func:`quantile_scores`.
    monetary : {"monetary_total", "monetary_mean"}, default "monetary_total"
        Which monetary measure to score; a customer with no purchase in the window has no
        ``monetary_mean`` and scores as 0.
    **summary_options
        Passed to :func:`customer_table` (column names, ``as_of``, ``unit``, ``window``,
        ``returns``, ``same_day``).

    Examples
    --------
    >>> log = pd.DataFrame({"customer_id": list("aabbbc"),
    ...                     "date": ["2024-01-01", "2024-03-01", "2024-02-01",
    ...                              "2024-02-15", "2024-03-30", "2024-01-10"],
    ...                     "amount": [10, 20, 5, 5, 5, 100]})
    >>> rfm_table(log, bins=3, as_of="2024-03-31")[["r_score", "f_score", "m_score", "rfm_code"]]
                 r_score  f_score  m_score rfm_code
    customer_id
    a                  2        2        2      222
    b                  3        3        1      331
    c                  1        1        3      113
    """
    func = "rfm.rfm_table"
    bins = require_integer(bins, func=func, name="bins", low=2, high=9)
    check_option(monetary, ("monetary_total", "monetary_mean"), func=func, name="monetary")
    unknown = [k for k in summary_options if k not in SUMMARY_OPTIONS]
    if unknown:
        raise InputError(f"{func}: unknown option {unknown[0]!r}; rfm_table passes only "
                         f"{list(SUMMARY_OPTIONS)} on to customer_table.")
    table = _customer_table(transactions, func=func, **summary_options)
    for score, column, reverse in (("r_score", "recency", True), ("f_score", "frequency", False),
                                   ("m_score", monetary, False)):
        table[score] = _quantile_scores(table[column].fillna(0), bins=bins, reverse=reverse,
                                        ties=ties, func=func, name=column)
    scores = table[["r_score", "f_score", "m_score"]].astype(str)
    table["rfm_code"] = scores["r_score"] + scores["f_score"] + scores["m_score"]
    table["rfm_sum"] = table[["r_score", "f_score", "m_score"]].sum(axis=1)
    return table


def segment(scores: pd.DataFrame, *, scheme=R_RFM_SEGMENTS, other: str = "Others",
            r: str = "r_score", f: str = "f_score", m: str = "m_score") -> pd.Series:
    """Name each customer's segment from its R, F and M scores; the first matching rule wins.

    Parameters
    ----------
    scores : DataFrame
        With 1–5 score columns (e.g. :func:`rfm_table` with ``bins=5``).
    scheme : sequence of (name, r_lo, r_hi, f_lo, f_hi, m_lo, m_hi)
        Default: the R ``rfm`` package's documented scheme, :data:`R_RFM_SEGMENTS`.
    other : str, default "Others"
        Name for customers no rule matches.

    Returns
    -------
    Series of str
        Named ``segment``, aligned with ``scores``.

    Examples
    --------
    >>> s = pd.DataFrame({"r_score": [5, 1, 3], "f_score": [5, 1, 1], "m_score": [5, 1, 1]})
    >>> segment(s).tolist()
    ['Champions', 'Lost', 'About To Sleep']
    """
    func = "rfm.segment"
    require_frame(scores, func=func, arg="scores")
    require_columns(scores, {"r": r, "f": f, "m": m}, func=func, arg="scores")
    rules = _scheme(scheme, func)
    values = [require_numeric(scores[c], func=func, name=f"column {c!r}").to_numpy()
              for c in (r, f, m)]
    labels = np.full(len(scores), other, dtype=object)
    free = np.ones(len(scores), dtype=bool)
    for name, *bounds in rules:
        hit = free.copy()
        for x, lo, hi in zip(values, bounds[0::2], bounds[1::2]):
            hit &= (x >= lo) & (x <= hi)
        labels[hit] = name
        free &= ~hit
    return pd.Series(labels, index=scores.index, name="segment", dtype=object)


def _scheme(scheme, func: str) -> list:
    """Check a segment scheme: (name, r_lo, r_hi, f_lo, f_hi, m_lo, m_hi) rows, lo <= hi."""
    if isinstance(scheme, (str, bytes, Mapping)) or not isinstance(scheme, Iterable):
        raise InputError(f"{func}: scheme must be a sequence of (name, r_lo, r_hi, f_lo, f_hi, "
                         f"m_lo, m_hi) rules, like R_RFM_SEGMENTS; got {type(scheme).__name__}.")
    rules = []
    for k, rule in enumerate(scheme):
        ok = isinstance(rule, (tuple, list)) and len(rule) == 7 and all(
            isinstance(b, (int, float, np.integer, np.floating))
            and not isinstance(b, (bool, np.bool_)) and not np.isnan(b) for b in rule[1:])
        if ok:
            ok = all(lo <= hi for lo, hi in zip(rule[1::2], rule[2::2]))
        if not ok:
            raise InputError(f"{func}: scheme rule {k} must be (name, r_lo, r_hi, f_lo, f_hi, "
                             f"m_lo, m_hi) with numbers lo <= hi; got {rule!r}.")
        rules.append(tuple(rule))
    return rules


def sum_tiers(table: pd.DataFrame, *, bins: int = 5,
              labels=("low", "middle", "high")) -> pd.Series:
    """Cut the RFM sum into equal-width tiers of its range ``[3, 3·bins]``.

    A convention of this suite (not courseware, not Hughes): with 5 bins and three
    tiers the range 3–15 is cut at 7 and 11: sums 3–6 are "low", 7–10 "middle",
    11–15 "high". ``bins`` must be the one the table was scored with: a sum outside
    ``[3, 3·bins]`` is refused.

    Examples
    --------
    >>> sum_tiers(pd.DataFrame({"rfm_sum": [3, 6, 7, 10, 11, 15]})).tolist()
    ['low', 'low', 'middle', 'middle', 'high', 'high']
    """
    func = "rfm.sum_tiers"
    require_columns(table, ["rfm_sum"], func=func, arg="table")
    bins = require_integer(bins, func=func, name="bins", low=2, high=MAX_BINS)
    if isinstance(labels, (str, bytes, Mapping)) or not isinstance(labels, Iterable):
        raise InputError(f"{func}: labels must be a sequence of tier names, e.g. "
                         f"('low', 'middle', 'high'); got {labels!r}.")
    labels = list(labels)
    if not labels:
        raise InputError(f"{func}: labels must name at least one tier; got an empty sequence.")
    sums = require_numeric(table["rfm_sum"], func=func, name="column 'rfm_sum'")
    require_in_range(sums, func=func, name="column 'rfm_sum'", low=3, high=3 * bins,
                     hint=f"An RFM sum of {bins} bins runs from 3 to {3 * bins}; pass the bins "
                          f"the table was scored with.")
    low, high = 3, 3 * bins
    edges = np.linspace(low, high, len(labels) + 1)
    position = np.clip(np.searchsorted(edges, sums.to_numpy() + 0.5) - 1, 0, len(labels) - 1)
    names = np.empty(len(labels), dtype=object)
    for k, label in enumerate(labels):
        names[k] = label
    return pd.Series(names[position], index=table.index, name="segment")


def segment_summary(table: pd.DataFrame, segments: pd.Series, *,
                    frequency: str = "frequency", monetary: str = "monetary_total") -> pd.DataFrame:
    """Customers, purchases, revenue, their shares and average order value per segment.

    ``segments`` is aligned with ``table`` by index if it is a Series with the same
    labels (in any order), else by position (same length).

    Returns
    -------
    DataFrame
        Indexed by segment, sorted by revenue: ``customers``, ``purchases``,
        ``revenue``, ``customer_share``, ``revenue_share``, ``aov`` (revenue / purchases;
        NaN for a segment with no purchase). An empty table gives an empty summary.

    Raises
    ------
    ValueError
        (:class:`~crmlab._validation.InputError`) on missing columns, non-numeric,
        missing or infinite values, negative purchase counts, missing segment labels,
        segments that do not match the table, or total revenue 0 (no shares).
    """
    func = "rfm.segment_summary"
    require_columns(table, {"frequency": frequency, "monetary": monetary}, func=func,
                    arg="table")
    labels = _aligned(segments, table.index, func)
    purchases = require_numeric(table[frequency], func=func, name=f"column {frequency!r}")
    require_in_range(purchases, func=func, name=f"column {frequency!r}", low=0,
                     hint="Purchase counts cannot be negative.")
    revenue = require_numeric(table[monetary], func=func, name=f"column {monetary!r}")
    frame = pd.DataFrame({"segment": labels, "purchases": purchases.to_numpy(),
                          "revenue": revenue.to_numpy()})
    grouped = frame.groupby("segment", sort=True)
    out = pd.DataFrame({
        "customers": grouped.size(),
        "purchases": grouped["purchases"].sum(),
        "revenue": grouped["revenue"].sum(),
    })
    total = out["revenue"].sum()
    if len(out) and (total == 0 or not np.isfinite(total)):
        raise InputError(f"{func}: the revenue in column {monetary!r} sums to {float(total)!r}, so "
                         f"revenue shares are undefined; check the column (returns netted out?).")
    out["customer_share"] = out["customers"] / max(out["customers"].sum(), 1)
    out["revenue_share"] = out["revenue"] / (total if len(out) else 1.0)
    out["aov"] = out["revenue"] / out["purchases"].where(out["purchases"] > 0)
    if pd.api.types.is_integer_dtype(table[frequency].dtype):
        out["purchases"] = out["purchases"].astype(table[frequency].dtype)
    return out.sort_values("revenue", ascending=False)


def _aligned(segments, index: pd.Index, func: str) -> np.ndarray:
    """Segment labels as an array in the order of ``index``; missing labels refused."""
    if isinstance(segments, pd.Series):
        if segments.index.equals(index):
            labels = segments.to_numpy()
        elif (index.is_unique and segments.index.is_unique and len(segments) == len(index)
              and set(segments.index) == set(index)):
            labels = segments.reindex(index).to_numpy()
        else:
            raise InputError(f"{func}: the index of `segments` does not match the table's "
                             f"(e.g. {list(segments.index[:3])} vs {list(index[:3])}); pass "
                             f"labels for the same customers, e.g. rfm.segment(table).")
    else:
        labels = require_vector(segments, func=func, name="segments").to_numpy()
        if len(labels) != len(index):
            raise InputError(f"{func}: `segments` has {len(labels)} labels for {len(index)} "
                             f"customers; give one label per row of the table.")
    missing = pd.isna(pd.Series(labels, dtype=object)).to_numpy()
    if missing.any():
        raise InputError(f"{func}: `segments` has missing labels at rows "
                         f"{_labels(index[missing])}. Label every customer (e.g. 'Others').")
    try:
        pd.Index(labels).unique().sort_values()
    except TypeError:
        raise InputError(f"{func}: `segments` mixes label types "
                         f"{sorted({type(x).__name__ for x in labels})}; make them one type, "
                         f"e.g. .astype(str).") from None
    return labels
