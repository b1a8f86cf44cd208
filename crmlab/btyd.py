"""Buy-till-you-die models (概率模型): BG/NBD purchases.

A non-contractual customer buys at a steady random rate while "alive" and may drop out
silently after any purchase. From each customer's purchase history — frequency ``x``
(repeat purchases), recency ``t_x`` (time of the last purchase, measured from the
first) and ``T`` (time since the first purchase) — the BG/NBD model predicts whether
the customer is still alive and how many purchases follow. The spend per purchase
(Gamma-Gamma) and the CLV per customer built on both are in :mod:`crmlab.gamma_gamma`.

Note the two recencies: RFM's recency (``rfm.customer_table``) is the time *since* the
last purchase; the BTYD recency ``t_x`` is the time *from the first to the last*
purchase. A customer's RFM recency is ``T − t_x``.

Functions
---------
repeat_purchase_table
    Transactions → ``frequency``, ``recency``, ``T``, repeat spend and holdout counts.
fit_bgnbd
    BG/NBD maximum likelihood; the result predicts P(alive) and expected purchases.
holdout_check, cumulative_tracking
    Predicted against actual holdout purchases, by calibration frequency and by week.

References
----------
Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). "Counting your customers" the easy
way: an alternative to the Pareto/NBD model. *Marketing Science* 24(2), 275–284 (BG/NBD,
CDNOW estimates and the conditional expectation).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._bgnbd import (HYP_HINT, alive, collapse, expected_given, expected_new, gradient,
                     loglik, parameters)
from ._customers import (UNIT_ATTR, customer_arrays, finite_result, horizons, read_date,
                         read_dates, require_fit, require_id_kind, same_unit, start_values,
                         table_unit)
from ._mle import FitError, ModelFit, maximise
from ._units import DAYS_PER_UNIT
from .datasets import load_dataset
from ._validation import (check_option, reject_rows, require_columns, require_frame,
                          require_in_range, require_integer, require_numeric)

__all__ = [
    "BGNBDFit",
    "CDNOW_CALIBRATION_END",
    "FitError",
    "UNIT_ATTR",
    "cdnow_table",
    "cumulative_tracking",
    "fit_bgnbd",
    "holdout_check",
    "repeat_purchase_table",
]


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
        :func:`~crmlab.gamma_gamma.customer_lifetime_value` use it.

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
    dates = read_dates(transactions[date], func=func, name=f"column {date!r}").dt.normalize()
    cal_end = read_date(calibration_end, func=func, name="calibration_end").normalize()
    log = pd.DataFrame({"id": ids.to_numpy(), "date": dates.to_numpy()})
    if amount is not None:
        money = require_numeric(transactions[amount], func=func, name=f"column {amount!r}")
        require_in_range(money, func=func, name=f"column {amount!r}", low=0,
                         hint="Drop returns or net them out before fitting spend models.")
        log["amount"] = money.to_numpy()
    else:
        log["amount"] = 0.0
    require_id_kind(ids, func=func, name=f"column {customer!r}")
    log = log.groupby(["id", "date"], sort=True, as_index=False)["amount"].sum()
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
        hold_end = read_date(holdout_end, func=func, name="holdout_end").normalize()
        if hold_end <= cal_end:
            raise ValueError(f"{func}: holdout_end {hold_end.date()} must be after "
                             f"calibration_end {cal_end.date()}.")
        hold = log[(log["date"] > cal_end) & (log["date"] <= hold_end)]
        out["frequency_holdout"] = hold.groupby("id").size().reindex(out.index, fill_value=0)
        out["duration_holdout"] = (hold_end - cal_end).days / days
    out.index.name = customer
    out.attrs[UNIT_ATTR] = unit
    return out


#: The calibration end of Fader, Hardie & Lee (2005) for CDNOW: the first 39 weeks.
CDNOW_CALIBRATION_END = "1997-09-30"


def cdnow_table(calibration_end=CDNOW_CALIBRATION_END, holdout_end=None) -> pd.DataFrame:
    """The CDNOW 1/10 sample's repeat-purchase table, as chapter 4 and the paper build it.

    :func:`repeat_purchase_table` of the ``cdnow_sample`` data set, indexed by the paper's
    ``sample_id``, in weeks, with the repeat spend in dollars; calibration to
    ``calibration_end`` (by default the paper's, 1997-09-30) and a holdout to
    ``holdout_end`` if given. A fresh table each call.

    References
    ----------
    Fader, Hardie & Lee (2005), "Counting your customers" the easy way, section 4.

    Examples
    --------
    >>> cbs = cdnow_table()
    >>> len(cbs), cbs.loc[1, ["frequency", "recency", "T"]].round(2).tolist()
    (2357, [2.0, 30.43, 38.86])
    """
    return repeat_purchase_table(load_dataset("cdnow_sample"), customer="sample_id",
                                 amount="dollars", calibration_end=calibration_end,
                                 holdout_end=holdout_end)


# --------------------------------------------------------------------------- BG/NBD
@dataclass(frozen=True, repr=False)
class BGNBDFit(ModelFit):
    """A fitted BG/NBD model (see :func:`fit_bgnbd`); parameters r, alpha, a, b.

    ``unit`` is the time unit of the data it was fitted on (from the table's
    ``attrs["crmlab_unit"]``, or ``fit_bgnbd(..., unit=...)``); None if unknown. Tables
    in another unit are refused, and ``t`` horizons are in this unit.
    """

    unit: str | None = None

    def _p(self, func: str = "BGNBDFit"):
        return parameters(self.params, func)

    def _table(self, data, frequency, recency, T, func):
        require_frame(data, func=func)
        same_unit(self.unit, data, func)
        x, tx, big_t, _ = customer_arrays(data, frequency, recency, T, func=func)
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
        return pd.Series(alive(p, x, tx, big_t), index=data.index, name="p_alive")

    def conditional_expected_purchases(self, data: pd.DataFrame, t, *,
                                       frequency="frequency", recency="recency",
                                       T="T") -> pd.Series:
        """Expected purchases in the next ``t`` periods given x, t_x, T (≥ 0, finite).

        ``t`` is in the unit of the fit (:attr:`unit`): one horizon for every customer, or
        one per customer (a Series with the customers' index, such as a table's
        ``duration_holdout``, or an array of the same length).

        References
        ----------
        Fader, Hardie & Lee (2005), eq. 10.
        """
        func = "BGNBDFit.conditional_expected_purchases"
        p = self._p(func)
        x, tx, big_t = self._table(data, frequency, recency, T, func)
        t = horizons(t, data.index, func=func)
        what = f"E[X({t:g})]" if np.ndim(t) == 0 else "E[X(t)]"
        value = finite_result(expected_given(p, x, tx, big_t, t), data.index, func=func,
                               what=what, hint=HYP_HINT)
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
        value = expected_new(p, times)
        if not np.all(np.isfinite(value)):
            raise ValueError(f"{func}: E[X(t)] is not finite at t = "
                             f"{times[~np.isfinite(value)].ravel()[0]:g}. {HYP_HINT}")
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
        frequency (one repeat purchase a day) and lets
        :func:`~crmlab.gamma_gamma.customer_lifetime_value` convert months into periods.

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
    >>> fit = fit_bgnbd(cdnow_table())
    >>> fit.params.round(3).tolist(), round(fit.log_likelihood, 1), fit.unit
    ([0.243, 4.414, 0.793, 2.426], -9582.4, 'weeks')
    """
    func = "btyd.fit_bgnbd"
    require_frame(data, func=func)
    if unit is not None:
        check_option(unit, list(DAYS_PER_UNIT), func=func, name="unit")
        recorded = table_unit(data)
        if recorded is not None and recorded != unit:
            raise ValueError(f"{func}: unit={unit!r} but `data` counts time in {recorded} "
                             f"(its attrs[{UNIT_ATTR!r}]); rebuild the table with "
                             f"unit={unit!r} or leave unit out.")
    else:
        unit = table_unit(data)
    x, tx, big_t, w = customer_arrays(data, frequency, recency, T, func=func, weights=weights,
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
    x, tx, big_t, w = collapse(x, tx, big_t, weights=w)
    names = ["r", "alpha", "a", "b"]
    start = start_values(start, names, func, [1.0, float(np.average(big_t, weights=w)), 1.0, 1.0])
    best = maximise(
        lambda p: loglik(p, x, tx, big_t, w), start, names, func=func,
        gradient=lambda p: gradient(p, x, tx, big_t, w), scale=w.sum())
    return BGNBDFit("BG/NBD", pd.Series(best.params, index=names),
                    pd.Series(best.se, index=names), best.log_likelihood, float(w.sum()),
                    best.iterations, best.hessian_ok, unit=unit)


# ---------------------------------------------------------------------- model checks
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
    require_fit(fit, BGNBDFit, func=func, name="fit", maker="btyd.fit_bgnbd")
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
    require_fit(fit, BGNBDFit, func=func, name="fit", maker="btyd.fit_bgnbd")
    periods = require_integer(periods, func=func, name="periods", low=1, high=10_000)
    require_columns(data, ["first_purchase"], func=func)
    require_columns(transactions, [customer, date], func=func, arg="transactions")
    known = same_unit(fit.unit, data, func)
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
    first = read_dates(data["first_purchase"], func=func, name="column 'first_purchase'")
    origin = first.min() if start is None else read_date(start, func=func, name="start")
    birth = ((first - origin).dt.days / days).to_numpy()
    grid = np.arange(1, periods + 1, dtype=float)
    births, counts = np.unique(birth, return_counts=True)
    expected = expected_new(p, np.maximum(grid[:, None] - births[None, :], 0))
    predicted = finite_result(expected @ counts, pd.Index(grid.astype(int), name="period"),
                               func=func, what="the predicted purchases", hint=HYP_HINT)
    ids = transactions[customer]
    reject_rows(ids.isna(), ids, func=func, name=f"column {customer!r}",
                problem="has missing customer ids",
                hint="Fill in the ids or drop these rows, as for repeat_purchase_table.")
    log = pd.DataFrame({"id": ids.to_numpy(),
                        "date": read_dates(transactions[date], func=func,
                                       name=f"column {date!r}").dt.normalize().to_numpy()})
    log = log[log["id"].isin(data.index)].drop_duplicates()
    repeat = log[log["date"] > log["id"].map(first)]
    when = ((repeat["date"] - origin).dt.days / days).to_numpy()
    actual = np.searchsorted(np.sort(when), grid, side="left")
    return pd.DataFrame({"actual": actual, "predicted": predicted},
                        index=pd.Index(grid.astype(int), name="period"))
