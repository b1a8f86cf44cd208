"""Buy-till-you-die models (概率模型): BG/NBD purchases and Gamma-Gamma spend.

A non-contractual customer buys at a steady random rate while "alive" and may drop out
silently after any purchase. From each customer's purchase history — frequency ``x``
(repeat purchases), recency ``t_x`` (time of the last purchase, measured from the
first) and ``T`` (time since the first purchase) — the BG/NBD model predicts whether
the customer is still alive and how many purchases follow; the Gamma-Gamma model
predicts the average spend; together they give a CLV per customer.

Note the two recencies: RFM's recency (``rfm.customer_table``) is the time *since* the
last purchase; the BTYD recency ``t_x`` is the time *from the first to the last*
purchase. A customer's RFM recency is ``T − t_x``.

Functions
---------
repeat_purchase_table
    Transactions → ``frequency``, ``recency``, ``T``, repeat spend and holdout counts.
fit_bgnbd
    BG/NBD maximum likelihood; the result predicts P(alive) and expected purchases.
fit_gamma_gamma
    Gamma-Gamma spend model on the repeat buyers; expected average spend per customer.
customer_lifetime_value
    Discounted expected spend over the next months from both fits.
holdout_check, cumulative_tracking
    Predicted against actual holdout purchases, by calibration frequency and by week.

References
----------
Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). "Counting your customers" the easy
way: an alternative to the Pareto/NBD model. *Marketing Science* 24(2), 275–284 (BG/NBD,
CDNOW estimates and the conditional expectation). Fader, P. S. & Hardie, B. G. S.
(2013). The Gamma-Gamma model of monetary value (note). The discounted-sum CLV is the
definition of the lifetimes package (``GammaGammaFitter.customer_lifetime_value``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import digamma, expit, gammaln, hyp2f1

from ._mle import FitError, ModelFit, maximise
from ._validation import (
    require_numeric,
    check_option,
    reject_rows,
    require_columns,
    require_dates,
    require_frame,
    require_in_range,
    require_integer,
    require_number,
)
from ._units import DAYS_PER_UNIT

__all__ = [
    "BGNBDFit",
    "FitError",
    "GammaGammaFit",
    "PERIODS_PER_MONTH",
    "UNIT_ATTR",
    "cumulative_tracking",
    "customer_lifetime_value",
    "fit_bgnbd",
    "fit_gamma_gamma",
    "holdout_check",
    "repeat_purchase_table",
]

#: Key of ``DataFrame.attrs`` where :func:`repeat_purchase_table` records the time unit of
#: ``recency``, ``T`` and ``duration_holdout``; fits and CLV read it to refuse mixed units.
UNIT_ATTR = "crmlab_unit"

#: Model periods in one CLV month, per unit: 4.345 weeks (the constant of lifetimes'
#: ``customer_lifetime_value``, freq="W") expressed in each unit, so the same customer
#: gets the same CLV whatever unit the table counts time in.
PERIODS_PER_MONTH = {"weeks": 4.345, "days": 4.345 * 7,
                     "months": 4.345 * 7 / DAYS_PER_UNIT["months"]}

#: With an unknown unit, the most repeat purchases per period of recency a fit accepts:
#: one a day if the unit were a year (repeat_purchase_table merges same-day purchases).
_MOST_PER_PERIOD_UNKNOWN = 366.0


def _ids(index, show: int = 5) -> str:
    """The first labels of an index as a list for a message, with "and N more"."""
    labels = [x.item() if isinstance(x, np.generic) else x for x in index]
    more = len(labels) - show
    return repr(labels[:show])[:-1] + (f", … and {more} more]" if more > 0 else "]")


def _whose(data) -> str:
    """How a message names a table's rows: "customer_id", or "index" without a name."""
    return f"{data.index.name}" if data.index.name is not None else "index"


def _kind(x) -> str:
    """Kind of a customer id, to refuse columns that mix numbers and text."""
    if isinstance(x, (bool, np.bool_)):
        return "bool"
    if isinstance(x, (int, float, np.integer, np.floating)):
        return "number"
    return "text" if isinstance(x, str) else type(x).__name__


def _dates(values: pd.Series, *, func: str, name: str) -> pd.Series:
    """Tz-naive dates from a column (ISO text, datetimes, tz-aware datetimes in their local
    time, YYYYMMDD numbers such as 20240131): :func:`~crmlab._validation.require_dates`."""
    return require_dates(values, func=func, name=name)


def _date(value, *, func: str, name: str) -> pd.Timestamp:
    """One date argument (``calibration_end`` …) as a tz-naive Timestamp."""
    if isinstance(value, (list, tuple, set, dict, np.ndarray, pd.Series, pd.DataFrame)):
        raise ValueError(f"{func}: {name} must be one date like '1997-09-30'; got a "
                         f"{type(value).__name__}.")
    return _dates(pd.Series([value]), func=func, name=name).iloc[0]


def _table_unit(data) -> str | None:
    unit = data.attrs.get(UNIT_ATTR) if isinstance(data, pd.DataFrame) else None
    return unit if isinstance(unit, str) and unit in DAYS_PER_UNIT else None


def _same_unit(fit_unit, data, func: str) -> str | None:
    """The unit of a fit and a table, refusing two different known units."""
    table_unit = _table_unit(data)
    if fit_unit is not None and table_unit is not None and fit_unit != table_unit:
        raise ValueError(
            f"{func}: `data` counts time in {table_unit} (repeat_purchase_table(..., "
            f"unit={table_unit!r})) but the BG/NBD model was fitted in {fit_unit}, so its "
            f"rates are per {fit_unit[:-1]}. Rebuild the table with unit={fit_unit!r} or "
            f"refit on this table."
        )
    return fit_unit or table_unit


def _start(start, names, func: str, default) -> np.ndarray:
    """Starting values: ``len(names)`` positive finite numbers."""
    if start is None:
        return np.asarray(default, dtype=float)
    try:
        values = np.asarray(start, dtype=float)
    except (TypeError, ValueError):
        values = np.array([np.nan])
    if values.shape != (len(names),) or not np.all(np.isfinite(values)) or np.any(values <= 0):
        raise ValueError(f"{func}: start must be {len(names)} positive numbers "
                         f"({', '.join(names)}); got {start!r}.")
    return values


# ------------------------------------------------------------------------ data prep
def repeat_purchase_table(
    transactions: pd.DataFrame,
    *,
    customer: str = "customer_id",
    date: str = "date",
    amount: str | None = "amount",
    calibration_end,
    holdout_end=None,
    unit: str = "weeks",
) -> pd.DataFrame:
    """Summarise a transaction log per customer for the BTYD models.

    Purchases on the same calendar day are merged into one (the CDNOW convention).
    Only customers whose first purchase is on or before ``calibration_end`` are kept.

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase.
    customer, date : str
        Column names.
    amount : str or None
        Column of amounts; None skips the ``monetary`` column.
    calibration_end, holdout_end : date-like
        Last day of the calibration and of the holdout period (both inclusive).
    unit : {"weeks", "days", "months"}, default "weeks"
        Unit of ``recency``, ``T`` and ``duration_holdout``; recorded in
        ``attrs["crmlab_unit"]`` (:data:`UNIT_ATTR`) so that :func:`fit_bgnbd` and
        :func:`customer_lifetime_value` use it.

    Returns
    -------
    DataFrame
        Indexed by customer: ``frequency`` (repeat purchases in calibration), ``recency``
        (first to last calibration purchase), ``T`` (first purchase to
        ``calibration_end``), ``monetary`` (mean amount of the repeat purchases; NaN if
        there are none), ``first_purchase``; with ``holdout_end`` also
        ``frequency_holdout`` and ``duration_holdout``.

    Raises
    ------
    ValueError
        Naming the column and rows: missing customer ids, dates that cannot be read
        (numbers are read as YYYYMMDD; time-zone-aware dates keep their local date),
        negative, missing or infinite amounts, ids of mixed kinds (1 and "1").

    Examples
    --------
    >>> log = pd.DataFrame({"customer_id": [1, 1, 1, 2], "amount": [5.0, 7.0, 3.0, 9.0],
    ...                     "date": ["1997-01-01", "1997-01-15", "1997-02-12", "1997-01-08"]})
    >>> table = repeat_purchase_table(log, calibration_end="1997-01-29", holdout_end="1997-02-26")
    >>> table[["frequency", "recency", "T", "monetary", "frequency_holdout"]]
                 frequency  recency    T  monetary  frequency_holdout
    customer_id
    1                    1      2.0  4.0       7.0                  1
    2                    0      0.0  3.0       NaN                  0
    """
    func = "btyd.repeat_purchase_table"
    cols = [customer, date] + ([amount] if amount is not None else [])
    require_columns(transactions, cols, func=func, arg="transactions")
    check_option(unit, list(DAYS_PER_UNIT), func=func, name="unit")
    if len(transactions) == 0:
        raise ValueError(f"{func}: `transactions` has no rows; pass one row per purchase.")
    ids = transactions[customer]
    reject_rows(ids.isna(), ids, func=func, name=f"column {customer!r}",
                problem="has missing customer ids",
                hint="Every purchase must belong to a customer: fill in the ids or drop "
                     "these rows (rfm.customer_table refuses them too).")
    dates = _dates(transactions[date], func=func, name=f"column {date!r}").dt.normalize()
    cal_end = _date(calibration_end, func=func, name="calibration_end").normalize()
    log = pd.DataFrame({"id": ids.to_numpy(), "date": dates.to_numpy()})
    if amount is not None:
        money = require_numeric(transactions[amount], func=func, name=f"column {amount!r}")
        require_in_range(money, func=func, name=f"column {amount!r}", low=0,
                         hint="Drop returns or net them out before fitting spend models.")
        log["amount"] = money.to_numpy()
    else:
        log["amount"] = 0.0
    kinds = ({_kind(x) for x in ids} if ids.dtype == object else set())
    try:
        if len(kinds) > 1:
            raise TypeError
        log = log.groupby(["id", "date"], sort=True, as_index=False)["amount"].sum()
    except TypeError:
        kinds = sorted({type(x).__name__ for x in ids})
        raise ValueError(f"{func}: column {customer!r} mixes kinds of ids ({', '.join(kinds)}), "
                         f"so the same customer may appear as two (1 and '1'); convert it to "
                         f"one kind, e.g. transactions[{customer!r}].astype(str).") from None
    first = log.groupby("id")["date"].transform("min")
    log = log[first <= cal_end]
    first = first[log.index]
    if log.empty:
        raise ValueError(f"{func}: no customer made a first purchase on or before "
                         f"calibration_end {cal_end.date()}; choose a later date.")
    days = DAYS_PER_UNIT[unit]
    cal = log[log["date"] <= cal_end]
    g = cal.groupby("id")
    out = pd.DataFrame({
        "frequency": g.size() - 1,
        "recency": (g["date"].max() - g["date"].min()).dt.days / days,
        "T": (cal_end - g["date"].min()).dt.days / days,
    })
    if amount is not None:
        first_amount = cal[cal["date"] == first[cal.index]].groupby("id")["amount"].sum()
        with np.errstate(all="ignore"):
            repeat_total = g["amount"].sum() - first_amount
            out["monetary"] = np.where(out["frequency"] > 0,
                                       repeat_total / out["frequency"].clip(lower=1), np.nan)
        overflow = out["monetary"].notna() & ~np.isfinite(out["monetary"].fillna(0.0))
        reject_rows(overflow, out["monetary"], func=func, name=f"column {amount!r}",
                    problem="sums to infinity for these customers",
                    hint="Amounts near 1e300 are not money; check the units.")
    out["first_purchase"] = g["date"].min()
    if holdout_end is not None:
        hold_end = _date(holdout_end, func=func, name="holdout_end").normalize()
        if hold_end <= cal_end:
            raise ValueError(f"{func}: holdout_end {hold_end.date()} must be after "
                             f"calibration_end {cal_end.date()}.")
        hold = log[(log["date"] > cal_end) & (log["date"] <= hold_end)]
        out["frequency_holdout"] = hold.groupby("id").size().reindex(out.index, fill_value=0)
        out["duration_holdout"] = (hold_end - cal_end).days / days
    out.index.name = customer
    out.attrs[UNIT_ATTR] = unit
    return out


def _customers(data, frequency, recency, T, *, func, weights=None, strict=False, unit=None):
    """Validated arrays x, t_x, T (and weights) from a customer table.

    Always: finite numbers, x whole and ≥ 0, t_x ≥ 0, T > 0, t_x ≤ T, t_x = 0 when x = 0.
    ``strict`` (fitting) also refuses histories that cannot happen with same-day purchases
    merged: x > 0 with t_x = 0, and more than one repeat purchase per day of t_x (``unit``
    gives the days per period; unknown, at most 366 per period).
    """
    cols = [frequency, recency, T] + ([weights] if weights is not None else [])
    require_columns(data, cols, func=func)
    if len(data) == 0:
        raise ValueError(f"{func}: `data` has no customers; pass one row per customer, e.g. "
                         f"from btyd.repeat_purchase_table.")
    x = require_numeric(data[frequency], func=func, name=f"column {frequency!r}")
    tx = require_numeric(data[recency], func=func, name=f"column {recency!r}")
    big_t = require_numeric(data[T], func=func, name=f"column {T!r}")
    for name, v in ((frequency, x), (recency, tx)):
        require_in_range(v, func=func, name=f"column {name!r}", low=0,
                         hint="Counts and times cannot be negative.")
    reject_rows(big_t <= 0, big_t, func=func, name=f"column {T!r}", problem="must be > 0",
                hint="T is the time from the first purchase to the end of calibration; "
                     "drop customers who joined on the last day.")
    reject_rows(x != np.round(x), x, func=func, name=f"column {frequency!r}",
                problem="must be whole numbers of repeat purchases", hint="Round or recount.")
    reject_rows(tx > big_t + 1e-9, tx, func=func, name=f"column {recency!r}",
                problem=f"is larger than {T!r} (the last purchase after the end of calibration)",
                hint="Recency is measured from the first purchase, not back from today; "
                     "see repeat_purchase_table.")
    reject_rows((x == 0) & (tx > 0), tx, func=func, name=f"column {recency!r}",
                problem="is > 0 for customers with frequency 0",
                hint="A customer without repeat purchases has recency 0.")
    if strict:
        reject_rows((x > 0) & (tx == 0), x, func=func, name=f"column {frequency!r}",
                    problem=f"is > 0 for customers with {recency!r} 0 (repeat purchases at "
                            f"the moment of the first one)",
                    hint="Recency is the time from the first to the last purchase; merge "
                         "same-day purchases (repeat_purchase_table does) or fix the recency.")
        most = DAYS_PER_UNIT[unit] if unit is not None else _MOST_PER_PERIOD_UNKNOWN
        per = (f"one repeat purchase a day ({most:g} per {unit[:-1]} of {recency!r})"
               if unit is not None else
               f"{most:g} repeat purchases per period of {recency!r} (one a day even if "
               f"the period were a year)")
        reject_rows(x > tx * most + 1e-6, x, func=func, name=f"column {frequency!r}",
                    problem=f"is more than {per}",
                    hint="Such a history cannot happen with same-day purchases merged: check "
                         "that frequency counts repeat purchases and that recency and T are "
                         "in the table's unit (see repeat_purchase_table(..., unit=...)).")
    w = np.ones(len(x))
    if weights is not None:
        wt = require_numeric(data[weights], func=func, name=f"column {weights!r}")
        require_in_range(wt, func=func, name=f"column {weights!r}", low=0,
                         hint="Weights count customers per row.")
        w = wt.to_numpy()
    return x.to_numpy(), tx.to_numpy(), big_t.to_numpy(), w


def _collapse(x, tx, big_t, w):
    """Merge identical (x, t_x, T) rows into one with summed weight (exact likelihood)."""
    key = np.zeros(len(x), dtype=np.int64)
    for column in (x, tx, big_t):                  # hash-based: O(n), no row sort
        codes, uniques = pd.factorize(column)
        key = key * len(uniques) + codes
    codes, _ = pd.factorize(key)
    first = np.zeros(codes.max() + 1, dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes))[::-1]
    return x[first], tx[first], big_t[first], np.bincount(codes, weights=w)


# --------------------------------------------------------------------------- BG/NBD
def _bgnbd_terms(p, x, tx, big_t):
    r, alpha, a, b = p
    l1 = -(r + x) * np.log(alpha + big_t)
    with np.errstate(divide="ignore", invalid="ignore"):
        l2 = np.where(x > 0, np.log(a) - np.log(np.where(x > 0, b + x - 1, 1.0))
                      - (r + x) * np.log(alpha + tx), -np.inf)
    return l1, l2, np.logaddexp(l1, l2)


def _bgnbd_loglik(p, x, tx, big_t, w):
    r, alpha, a, b = p
    *_, s = _bgnbd_terms(p, x, tx, big_t)
    ll = (gammaln(r + x) - gammaln(r) + r * np.log(alpha) + gammaln(a + b) + gammaln(b + x)
          - gammaln(b) - gammaln(a + b + x) + s)
    return float(np.dot(w, ll))


def _bgnbd_gradient(p, x, tx, big_t, w):
    r, alpha, a, b = p
    l1, l2, s = _bgnbd_terms(p, x, tx, big_t)
    w1, w2 = np.exp(l1 - s), np.exp(l2 - s)
    bx1 = np.where(x > 0, b + x - 1, 1.0)
    d_r = digamma(r + x) - digamma(r) + np.log(alpha) - w1 * np.log(alpha + big_t) \
        - w2 * np.log(alpha + tx)
    d_alpha = r / alpha - (r + x) * (w1 / (alpha + big_t) + w2 / (alpha + tx))
    d_a = digamma(a + b) - digamma(a + b + x) + w2 / a
    d_b = digamma(a + b) + digamma(b + x) - digamma(b) - digamma(a + b + x) - w2 / bx1
    return np.array([np.dot(w, d) for d in (d_r, d_alpha, d_a, d_b)])


def _alive(p, x, tx, big_t):
    """P(alive | x, t_x, T), FHL (2005) eq. 9 computed in logs."""
    r, alpha, a, b = p
    with np.errstate(divide="ignore"):
        odds = np.where(x > 0, np.log(a) - np.log(np.maximum(b + x - 1, 1e-300))
                        + (r + x) * (np.log(alpha + big_t) - np.log(alpha + tx)), -np.inf)
    return expit(-odds)


def _expected_given(p, x, tx, big_t, t):
    """E[X(t) | x, t_x, T], FHL (2005) eq. 10 (P(alive) × the alive customer's term)."""
    r, alpha, a, b = p
    with np.errstate(all="ignore"):
        z = t / (alpha + big_t + t)
        head = (a + b + x - 1) / (a - 1)
        body = 1 - np.exp((r + x) * np.log((alpha + big_t) / (alpha + big_t + t))) \
            * hyp2f1(r + x, b + x, a + b + x - 1, z)
        return head * body * _alive(p, x, tx, big_t)


def _expected_new(p, t):
    """E[X(t)] for a new customer, FHL (2005) eq. 7."""
    r, alpha, a, b = p
    with np.errstate(all="ignore"):
        return (a + b - 1) / (a - 1) * (
            1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, t / (alpha + t)))


def _finite_result(value, index, *, func: str, what: str, hint: str) -> np.ndarray:
    """Refuse NaN/inf (and clearly negative) expectations; clip rounding below 0."""
    value = np.asarray(value, dtype=float)
    bad = ~np.isfinite(value) | (value < -1e-8)
    if bad.any():
        flat = pd.Series(value.ravel(), index=index)
        reject_rows(pd.Series(bad.ravel(), index=index), flat, func=func, name=what,
                    problem="cannot be computed for these customers", hint=hint)
    return np.maximum(value, 0.0)


_HYP_HINT = ("The hypergeometric series of FHL (2005) eq. 10 does not converge for such "
             "extreme values (or a = 1 exactly); check the units of recency, T and t, or "
             "use a shorter horizon.")


@dataclass(frozen=True, repr=False)
class BGNBDFit(ModelFit):
    """A fitted BG/NBD model (see :func:`fit_bgnbd`); parameters r, alpha, a, b.

    ``unit`` is the time unit of the data it was fitted on (from the table's
    ``attrs["crmlab_unit"]``, or ``fit_bgnbd(..., unit=...)``); None if unknown. Tables
    in another unit are refused, and ``t`` horizons are in this unit.
    """

    unit: str | None = None

    def _p(self, func: str = "BGNBDFit"):
        try:
            p = self.params[["r", "alpha", "a", "b"]].to_numpy(dtype=float)
        except (KeyError, TypeError, ValueError):
            raise ValueError(f"{func}: the model needs numeric parameters r, alpha, a, b; "
                             f"got {dict(self.params)}.") from None
        if not np.all(np.isfinite(p)) or np.any(p <= 0):
            raise ValueError(f"{func}: parameters r, alpha, a, b must be positive finite "
                             f"numbers; got {dict(zip(['r', 'alpha', 'a', 'b'], p))}.")
        return p

    def _table(self, data, frequency, recency, T, func):
        require_frame(data, func=func)
        _same_unit(self.unit, data, func)
        x, tx, big_t, _ = _customers(data, frequency, recency, T, func=func)
        return x, tx, big_t

    def p_alive(self, data: pd.DataFrame, *, frequency="frequency", recency="recency",
                T="T") -> pd.Series:
        """P(alive | x, t_x, T) per customer, in [0, 1] (1 for customers with x = 0).

        References
        ----------
        Fader, Hardie & Lee (2005), eq. 9, computed in logs.
        """
        func = "BGNBDFit.p_alive"
        p = self._p(func)
        x, tx, big_t = self._table(data, frequency, recency, T, func)
        return pd.Series(_alive(p, x, tx, big_t), index=data.index, name="p_alive")

    def conditional_expected_purchases(self, data: pd.DataFrame, t: float, *,
                                       frequency="frequency", recency="recency",
                                       T="T") -> pd.Series:
        """Expected purchases in the next ``t`` periods given x, t_x, T (≥ 0, finite).

        ``t`` is in the unit of the fit (:attr:`unit`).

        References
        ----------
        Fader, Hardie & Lee (2005), eq. 10.
        """
        func = "BGNBDFit.conditional_expected_purchases"
        t = require_number(t, func=func, name="t", low=0)
        p = self._p(func)
        x, tx, big_t = self._table(data, frequency, recency, T, func)
        value = _finite_result(_expected_given(p, x, tx, big_t, t), data.index, func=func,
                               what=f"E[X({t:g})]", hint=_HYP_HINT)
        return pd.Series(value, index=data.index, name="expected_purchases")

    def expected_purchases(self, t) -> np.ndarray:
        """E[X(t)] for a new customer, for each ``t`` ≥ 0 (in the unit of the fit).

        References
        ----------
        Fader, Hardie & Lee (2005), eq. 7.
        """
        func = "BGNBDFit.expected_purchases"
        p = self._p(func)
        try:
            times = np.asarray(t, dtype=float)
        except (TypeError, ValueError):
            raise ValueError(f"{func}: t must be a number or an array of numbers >= 0; got "
                             f"{t!r}.") from None
        if times.size and (not np.all(np.isfinite(times)) or np.any(times < 0)):
            bad = float(times[~np.isfinite(times) | (times < 0)].ravel()[0])
            raise ValueError(f"{func}: t must be finite numbers >= 0; got {bad!r}.")
        value = _expected_new(p, times)
        if not np.all(np.isfinite(value)):
            raise ValueError(f"{func}: E[X(t)] is not finite at t = "
                             f"{times[~np.isfinite(value)].ravel()[0]:g}. {_HYP_HINT}")
        return np.maximum(value, 0.0)


def fit_bgnbd(data: pd.DataFrame, *, frequency: str = "frequency", recency: str = "recency",
              T: str = "T", weights: str | None = None, start=None,
              unit: str | None = None) -> BGNBDFit:
    """Fit the BG/NBD model by maximum likelihood.

    Parameters
    ----------
    data : DataFrame
        One row per customer (or per pattern, with ``weights``), e.g. from
        :func:`repeat_purchase_table`.
    frequency, recency, T : str
        Column names of x, t_x and T.
    weights : str, optional
        Column of customer counts per row.
    start : sequence of 4 floats, optional
        Starting (r, alpha, a, b); default (1, mean T, 1, 1).
    unit : {"weeks", "days", "months"}, optional
        Time unit of recency and T; default the table's ``attrs["crmlab_unit"]`` (set by
        :func:`repeat_purchase_table`). Recorded on the fit; it bounds the plausible
        frequency (one repeat purchase a day) and lets :func:`customer_lifetime_value`
        convert months into periods.

    Returns
    -------
    BGNBDFit
        ``params`` (r, alpha, a, b), ``se``, ``log_likelihood``, ``unit``, ``summary()``,
        and ``p_alive``, ``conditional_expected_purchases``, ``expected_purchases``.

    Raises
    ------
    ValueError
        On bad input (naming column and rows): negatives, NaN, inf, non-whole frequency,
        recency > T, recency > 0 with frequency 0, frequency > 0 with recency 0, more than
        one repeat purchase a day, T ≤ 0, no repeat purchase at all, a ``unit`` that
        differs from the table's.
    FitError
        If no repeat buyer shows a gap before the end of calibration (no sign of
        drop-out), the optimiser fails, a parameter runs off to 0 or infinity, or the
        log-likelihood is flat at the optimum.

    References
    ----------
    Fader, Hardie & Lee (2005), eq. 6. Identical (x, t_x, T) rows are merged with
    summed weights before fitting; the likelihood is unchanged.

    Examples
    --------
    >>> import crmlab
    >>> cbs = repeat_purchase_table(crmlab.load_dataset("cdnow_sample"), amount="dollars",
    ...                             calibration_end="1997-09-30")
    >>> fit = fit_bgnbd(cbs)
    >>> fit.params.round(3).tolist(), round(fit.log_likelihood, 1), fit.unit
    ([0.243, 4.414, 0.793, 2.426], -9582.4, 'weeks')
    """
    func = "btyd.fit_bgnbd"
    require_frame(data, func=func)
    if unit is not None:
        check_option(unit, list(DAYS_PER_UNIT), func=func, name="unit")
        table_unit = _table_unit(data)
        if table_unit is not None and table_unit != unit:
            raise ValueError(f"{func}: unit={unit!r} but `data` counts time in {table_unit} "
                             f"(its attrs[{UNIT_ATTR!r}]); rebuild the table with "
                             f"unit={unit!r} or leave unit out.")
    else:
        unit = _table_unit(data)
    x, tx, big_t, w = _customers(data, frequency, recency, T, func=func, weights=weights,
                                 strict=True, unit=unit)
    repeat = (x > 0) & (w > 0)
    if not np.any(repeat):
        raise ValueError(f"{func}: no customer made a repeat purchase (column {frequency!r} "
                         f"is all 0), so purchase rates and drop-out cannot be estimated.")
    if np.all(tx[repeat] >= big_t[repeat] - 1e-9):
        raise FitError(
            f"{func}: every repeat buyer ({int(repeat.sum())} rows) made their last purchase "
            f"at the end of calibration (column {recency!r} = {T!r}), so the data show no "
            f"sign of drop-out and the drop-out parameters a and b cannot be estimated (a "
            f"would run off to 0). Use a longer calibration period, check that {recency!r} "
            f"is the time from the first to the last purchase, or use a model without "
            f"drop-out (NBD)."
        )
    x, tx, big_t, w = _collapse(x, tx, big_t, w)
    names = ["r", "alpha", "a", "b"]
    start = _start(start, names, func, [1.0, float(np.average(big_t, weights=w)), 1.0, 1.0])
    best = maximise(
        lambda p: _bgnbd_loglik(p, x, tx, big_t, w), start, names, func=func,
        gradient=lambda p: _bgnbd_gradient(p, x, tx, big_t, w), scale=w.sum())
    return BGNBDFit("BG/NBD", pd.Series(best.params, index=names),
                    pd.Series(best.se, index=names), best.log_likelihood, float(w.sum()),
                    best.iterations, best.hessian_ok, unit=unit)


# ---------------------------------------------------------------------- Gamma-Gamma
def _gg_loglik(p, x, m):
    pp, q, g = p
    return float(np.sum(gammaln(pp * x + q) - gammaln(pp * x) - gammaln(q) + q * np.log(g)
                        + (pp * x - 1) * np.log(m) + pp * x * np.log(x)
                        - (pp * x + q) * np.log(g + x * m)))


@dataclass(frozen=True, repr=False)
class GammaGammaFit(ModelFit):
    """A fitted Gamma-Gamma spend model (see :func:`fit_gamma_gamma`); p, q, gamma.

    ``extra["excluded"]`` lists the repeat buyers left out with
    ``nonpositive="exclude"``; :attr:`note`, the repr and ``summary().attrs["note"]``
    say how many.
    """

    def _p(self, func: str):
        try:
            p = self.params[["p", "q", "gamma"]].to_numpy(dtype=float)
        except (KeyError, TypeError, ValueError):
            raise ValueError(f"{func}: the model needs numeric parameters p, q, gamma; got "
                             f"{dict(self.params)}.") from None
        if not np.all(np.isfinite(p)) or np.any(p <= 0) or p[1] <= 1:
            raise ValueError(f"{func}: parameters p, q, gamma must be positive finite numbers "
                             f"with q > 1 (else the mean spend p·γ/(q − 1) does not exist); "
                             f"got {dict(zip(['p', 'q', 'gamma'], p))}.")
        return p

    def expected_spend(self, data: pd.DataFrame, *, frequency="frequency",
                       monetary="monetary") -> pd.Series:
        """E[average spend | x, m̄]: the population mean for x = 0, shrunk m̄ otherwise.

        ``monetary`` is read only for repeat buyers (x > 0) and must be ≥ 0 there; a
        customer left out of the fit with ``monetary`` 0 gets p·γ / (p·x + q − 1).

        References
        ----------
        Fader & Hardie (2013), eq. 5: E[Z | p, q, γ, m̄, x] = p(γ + x·m̄) / (p·x + q − 1).
        """
        func = "GammaGammaFit.expected_spend"
        p, q, g = self._p(func)
        require_columns(data, [frequency, monetary], func=func)
        x = require_numeric(data[frequency], func=func, name=f"column {frequency!r}")
        require_in_range(x, func=func, name=f"column {frequency!r}", low=0,
                         hint="Counts cannot be negative.")
        reject_rows(x != np.round(x), x, func=func, name=f"column {frequency!r}",
                    problem="must be whole numbers of repeat purchases", hint="Round or recount.")
        m = require_numeric(data[monetary].where(x > 0, 0.0), func=func,
                           name=f"column {monetary!r} (repeat buyers)")
        require_in_range(m, func=func, name=f"column {monetary!r} (repeat buyers)", low=0,
                         hint="Average spend cannot be negative; net out returns first.")
        with np.errstate(all="ignore"):
            value = p * (g + x * m) / (p * x + q - 1)
        value = _finite_result(value.to_numpy(), data.index, func=func, what="the expected spend",
                               hint="Spend near 1e300 is not money; check the units.")
        return pd.Series(value, index=data.index, name="expected_spend")


def fit_gamma_gamma(data: pd.DataFrame, *, frequency: str = "frequency",
                    monetary: str = "monetary", start=None,
                    nonpositive: str = "error") -> GammaGammaFit:
    """Fit the Gamma-Gamma model of average spend to the repeat buyers (x > 0).

    Parameters
    ----------
    data : DataFrame
        One row per customer; rows with frequency 0 are ignored (their ``monetary`` may
        be NaN).
    frequency, monetary : str
        Column names of x and of the mean spend of the x repeat purchases.
    start : sequence of 3 floats, optional
        Starting (p, q, gamma); default (1, 2, 1) scaled to the data.
    nonpositive : {"error", "exclude"}, default "error"
        What to do with repeat buyers whose ``monetary`` is ≤ 0 (e.g. all repeat orders
        free), which the model, a gamma distribution of spend, cannot describe: "error"
        raises naming them; "exclude" leaves them out of this fit, as lifetimes and
        pymc-marketing do by asking for positive spend, and records them in
        ``extra["excluded"]`` and :attr:`~crmlab._mle.ModelFit.note`. Keep them in the
        BG/NBD data: their purchases are real.

    Returns
    -------
    GammaGammaFit
        ``params`` (p, q, gamma), ``se``, ``log_likelihood``, ``n_obs`` (repeat buyers
        fitted), ``note`` and ``expected_spend``.

    Raises
    ------
    ValueError
        Naming column and customers: missing, infinite or negative values, non-whole
        frequency, spend ≤ 0 of repeat buyers (with ``nonpositive="error"``), fewer than
        two repeat buyers to fit.
    FitError
        If the optimiser fails or q ≤ 1 (no finite mean spend).

    References
    ----------
    Fader & Hardie (2013), the Gamma-Gamma model of monetary value; the likelihood of
    the average spend (with the x^{px} Jacobian).

    Examples
    --------
    >>> import crmlab
    >>> cbs = repeat_purchase_table(crmlab.load_dataset("cdnow_sample"), amount="dollars",
    ...                             calibration_end="1997-09-30")
    >>> fit_gamma_gamma(cbs).params.round(2).tolist()
    [6.25, 3.74, 15.45]
    """
    func = "btyd.fit_gamma_gamma"
    check_option(nonpositive, ["error", "exclude"], func=func, name="nonpositive")
    require_columns(data, [frequency, monetary], func=func)
    if len(data) == 0:
        raise ValueError(f"{func}: `data` has no customers; pass one row per customer, e.g. "
                         f"from btyd.repeat_purchase_table.")
    x = require_numeric(data[frequency], func=func, name=f"column {frequency!r}")
    require_in_range(x, func=func, name=f"column {frequency!r}", low=0,
                     hint="Counts cannot be negative.")
    reject_rows(x != np.round(x), x, func=func, name=f"column {frequency!r}",
                problem="must be whole numbers of repeat purchases", hint="Round or recount.")
    repeat = (x > 0).to_numpy()
    m = require_numeric(data[monetary][repeat], func=func,
                       name=f"column {monetary!r} (repeat buyers)")
    bad = (m <= 0).to_numpy()
    if bad.any() and nonpositive == "error":
        raise ValueError(
            f"{func}: column {monetary!r} must be > 0 for repeat buyers (frequency > 0), "
            f"whose spend the model describes; got {float(m[bad].iloc[0])!r} for {int(bad.sum())} "
            f"customer(s) with {_whose(data)} {_ids(m.index[bad])}. Pass "
            f"nonpositive='exclude' to leave them out of the spend fit (they stay in the "
            f"BG/NBD data, so do not drop their orders)."
        )
    keep = ~bad
    if keep.sum() < 2:
        raise ValueError(f"{func}: need at least 2 repeat buyers (frequency > 0) with "
                         f"{monetary!r} > 0; got {int(keep.sum())}.")
    xs, ms = x[repeat][keep].to_numpy(), m[keep].to_numpy()
    names = ["p", "q", "gamma"]
    start = _start(start, names, func, [1.0, 2.0, float(ms.mean())])
    best = maximise(lambda p: _gg_loglik(p, xs, ms), start, names, func=func,
                    scale=len(xs))
    params = best.params
    if params[1] <= 1:
        raise FitError(f"{func}: q = {params[1]:.3g} ≤ 1, so the mean spend p·γ/(q − 1) "
                       f"does not exist; the spend data are too heavy-tailed for this model.")
    extra = {"excluded": list(m.index[bad])}
    if bad.any():
        extra["note"] = (f"{int(bad.sum())} repeat buyer(s) with {monetary} ≤ 0 left out: "
                         f"{_whose(data)} {_ids(m.index[bad], 3)}")
    return GammaGammaFit("Gamma-Gamma", pd.Series(params, index=names),
                         pd.Series(best.se, index=names), best.log_likelihood,
                         float(len(xs)), best.iterations, best.hessian_ok, extra=extra)


# ------------------------------------------------------------------ CLV and checks
def _require_fit(fit, cls, *, func: str, name: str):
    if not isinstance(fit, cls):
        maker = "fit_bgnbd" if cls is BGNBDFit else "fit_gamma_gamma"
        raise ValueError(f"{func}: {name} must be a {cls.__name__} from btyd.{maker}(...); "
                         f"got {type(fit).__name__}.")


def customer_lifetime_value(purchases: BGNBDFit, spend: GammaGammaFit, data: pd.DataFrame,
                            *, months: int = 12, monthly_discount: float = 0.01,
                            periods_per_month: float | None = None, frequency="frequency",
                            recency="recency", T="T", monetary="monetary") -> pd.Series:
    """CLV per customer: expected spend in each coming month, discounted monthly.

    CLV = Σ_{k=1..months} E[spend] · (E[Y(k·f)] − E[Y((k−1)·f)]) / (1 + d)^k, with f
    model periods per month and d the monthly discount rate.

    Parameters
    ----------
    purchases : BGNBDFit
    spend : GammaGammaFit
    data : DataFrame
        Customers (frequency, recency, T, monetary), in the unit of ``purchases``.
    months : int, default 12
        Horizon, a whole number of months in [1, 1200].
    monthly_discount : float, default 0.01
        In [0, 1).
    periods_per_month : float, optional
        Model periods per month. Default: :data:`PERIODS_PER_MONTH` of the unit of the fit
        or the table (4.345 weeks, lifetimes' constant; 30.415 days; 0.9993 months), and
        4.345 when neither records a unit. A value that makes a month shorter than 27.5
        or longer than 31.5 days in a known unit is refused.

    Raises
    ------
    ValueError
        If the table and the fit count time in different units, or
        ``periods_per_month`` does not fit the unit, or any input is invalid.

    References
    ----------
    lifetimes 0.11.3, ``GammaGammaFitter.customer_lifetime_value`` (same definition).

    Examples
    --------
    >>> import crmlab
    >>> cbs = repeat_purchase_table(crmlab.load_dataset("cdnow_sample"), amount="dollars",
    ...                             calibration_end="1997-09-30")
    >>> clv = customer_lifetime_value(fit_bgnbd(cbs), fit_gamma_gamma(cbs), cbs)
    >>> round(float(clv.sum()))
    71508
    """
    func = "btyd.customer_lifetime_value"
    _require_fit(purchases, BGNBDFit, func=func, name="purchases")
    _require_fit(spend, GammaGammaFit, func=func, name="spend")
    months = require_integer(months, func=func, name="months", low=1, high=1200)
    d = require_number(monthly_discount, func=func, name="monthly_discount", low=0, high=1,
                       high_open=True)
    require_frame(data, func=func)
    unit = _same_unit(purchases.unit, data, func)
    if periods_per_month is None:
        f = PERIODS_PER_MONTH[unit or "weeks"]
    else:
        f = require_number(periods_per_month, func=func, name="periods_per_month", low=0,
                           low_open=True)
        if unit is not None and not 27.5 <= f * DAYS_PER_UNIT[unit] <= 31.5:
            raise ValueError(
                f"{func}: periods_per_month={f:g} makes a month {f * DAYS_PER_UNIT[unit]:.4g} "
                f"days, but the data count time in {unit}; a month is "
                f"{PERIODS_PER_MONTH[unit]:.4g} {unit}. Leave periods_per_month out to use "
                f"that, or rebuild the table in the unit you meant."
            )
    p = purchases._p(func)
    value = spend.expected_spend(data, frequency=frequency, monetary=monetary).to_numpy()
    x, tx, big_t, _ = _customers(data, frequency, recency, T, func=func)
    total = np.zeros(len(data))
    before = np.zeros(len(data))
    for k in range(1, months + 1):
        upto = _expected_given(p, x, tx, big_t, k * f)
        total += value * (upto - before) / (1 + d) ** k
        before = upto
    total = _finite_result(total, data.index, func=func, what="the CLV", hint=_HYP_HINT)
    return pd.Series(total, index=data.index, name="clv")


def holdout_check(fit: BGNBDFit, data: pd.DataFrame, *, top: int = 7,
                  frequency="frequency", recency="recency", T="T",
                  holdout="frequency_holdout", duration="duration_holdout") -> pd.DataFrame:
    """Actual vs predicted mean holdout purchases by calibration frequency (0..top+).

    Returns
    -------
    DataFrame
        Indexed by ``frequency`` ("0" … f"{top}+"): ``customers``, ``actual`` and
        ``predicted`` (means per customer).

    References
    ----------
    Fader, Hardie & Lee (2005), Figure 4 (conditional expectations by frequency).
    """
    func = "btyd.holdout_check"
    _require_fit(fit, BGNBDFit, func=func, name="fit")
    top = require_integer(top, func=func, name="top", low=1)
    require_columns(data, [frequency, holdout, duration], func=func)
    if len(data) == 0:
        raise ValueError(f"{func}: `data` has no customers.")
    t = require_numeric(data[duration], func=func, name=f"column {duration!r}")
    reject_rows(t <= 0, t, func=func, name=f"column {duration!r}", problem="must be > 0",
                hint="It is the length of the holdout period.")
    if t.nunique() != 1:
        raise ValueError(f"{func}: column {duration!r} must be one holdout length for all "
                         f"customers; got {sorted(t.unique())[:5]}.")
    actual = require_numeric(data[holdout], func=func, name=f"column {holdout!r}")
    require_in_range(actual, func=func, name=f"column {holdout!r}", low=0,
                     hint="It counts purchases in the holdout period.")
    predicted = fit.conditional_expected_purchases(data, float(t.iloc[0]), frequency=frequency,
                                                   recency=recency, T=T)
    x = require_numeric(data[frequency], func=func, name=f"column {frequency!r}")
    group = x.clip(upper=top).astype(int).to_numpy()
    out = pd.DataFrame({"customers": pd.Series(group).value_counts().sort_index(),
                        "actual": actual.groupby(group).mean(),
                        "predicted": predicted.groupby(group).mean()})
    out.index = pd.Index([f"{k}+" if k == top else str(k) for k in out.index], name="frequency")
    return out


def cumulative_tracking(fit: BGNBDFit, transactions: pd.DataFrame, data: pd.DataFrame, *,
                        customer: str = "customer_id", date: str = "date",
                        start=None, periods: int = 78, unit: str | None = None) -> pd.DataFrame:
    """Cumulative repeat purchases per period, actual and predicted, for the whole cohort.

    A customer who first bought at time s (in periods since ``start``) is predicted to
    have made E[X(t − s)] repeat purchases by time t.

    Parameters
    ----------
    periods : int, default 78
        Whole number of periods in [1, 10000].
    unit : {"weeks", "days", "months"}, optional
        Default: the unit of the fit, else of ``data``, else weeks; a unit that differs
        from the fit's is refused.

    Returns
    -------
    DataFrame
        Indexed by ``period`` (1..periods): ``actual`` and ``predicted`` cumulative repeat
        purchases (same-day purchases merged), for the customers in ``data``.

    References
    ----------
    Fader, Hardie & Lee (2005), Figure 3 (cumulative tracking, eq. 7 per cohort).
    """
    func = "btyd.cumulative_tracking"
    _require_fit(fit, BGNBDFit, func=func, name="fit")
    periods = require_integer(periods, func=func, name="periods", low=1, high=10_000)
    require_columns(data, ["first_purchase"], func=func)
    require_columns(transactions, [customer, date], func=func, arg="transactions")
    known = _same_unit(fit.unit, data, func)
    if unit is None:
        unit = known or "weeks"
    else:
        check_option(unit, list(DAYS_PER_UNIT), func=func, name="unit")
        if known is not None and unit != known:
            raise ValueError(f"{func}: unit={unit!r} but the fit and table count time in "
                             f"{known}; leave unit out or pass unit={known!r}.")
    if len(data) == 0:
        raise ValueError(f"{func}: `data` has no customers.")
    reject_rows(pd.Series(data.index.duplicated(), index=data.index),
                pd.Series(data.index, index=data.index), func=func, name="the index of `data`",
                problem="repeats customers", hint="Give one row per customer.")
    p = fit._p(func)
    days = DAYS_PER_UNIT[unit]
    first = _dates(data["first_purchase"], func=func, name="column 'first_purchase'")
    origin = first.min() if start is None else _date(start, func=func, name="start")
    birth = ((first - origin).dt.days / days).to_numpy()
    grid = np.arange(1, periods + 1, dtype=float)
    births, counts = np.unique(birth, return_counts=True)
    expected = _expected_new(p, np.maximum(grid[:, None] - births[None, :], 0))
    predicted = _finite_result(expected @ counts, pd.Index(grid.astype(int), name="period"),
                               func=func, what="the predicted purchases", hint=_HYP_HINT)
    ids = transactions[customer]
    reject_rows(ids.isna(), ids, func=func, name=f"column {customer!r}",
                problem="has missing customer ids",
                hint="Fill in the ids or drop these rows, as for repeat_purchase_table.")
    log = pd.DataFrame({"id": ids.to_numpy(),
                        "date": _dates(transactions[date], func=func,
                                       name=f"column {date!r}").dt.normalize().to_numpy()})
    log = log[log["id"].isin(data.index)].drop_duplicates()
    repeat = log[log["date"] > log["id"].map(first)]
    when = ((repeat["date"] - origin).dt.days / days).to_numpy()
    actual = np.searchsorted(np.sort(when), grid, side="left")
    return pd.DataFrame({"actual": actual, "predicted": predicted},
                        index=pd.Index(grid.astype(int), name="period"))
