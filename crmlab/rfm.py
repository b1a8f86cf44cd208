"""RFM analysis (RFM模型; the courseware: RFM分析法): recency, frequency and monetary value
per customer, and scores.

R, *Recency* (最近一次消费; the courseware: 最近一次购买): time since the last purchase.
F, *Frequency* (消费频率): purchases in a window. M, *Monetary* (消费金额; the courseware:
购买金额): the amount bought in the window — as a total (the courseware's definition) or as
an average per purchase (what its airline table scores). The names are the term list's
(:func:`crmlab.i18n.term`).

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

Segments built on these scores (named segments, sum tiers, per-segment summaries) are in
:mod:`crmlab.segments`.

References
----------
《客户关系管理（第2.3.4讲）》 (lectures 2–4), ch. 4 §4.2.3 RFM分析法 and the airline table
某航空公司RFM分析法.
Hughes, A. M., *Strategic Database Marketing*:
quintile codes 5 (best) to 1, 5×5×5 = 125 cells. R package ``rfm`` (rsquaredacademy):
quantile breaks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._customers import require_id_kind
from ._dates import require_dates
from ._validation import (
    InputError,
    format_rows as _labels,
    format_value as _value,
    check_option,
    require_columns,
    require_flag,
    require_integer,
    require_number,
    require_numeric,
    require_vector,
)
from ._units import DAYS_PER_UNIT

__all__ = [
    "DAYS_PER_UNIT",
    "MAX_BINS",
    "customer_table",
    "quantile_scores",
    "rfm_table",
    "score_by_rules",
]


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
        Column names. Dates may be strings in any format pandas parses, with the year in full.
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
    require_id_kind(ids, func=func, name=f"column {customer!r}")
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
