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
    check_option,
    reject_rows,
    require_columns,
    require_dates,
    require_in_range,
    require_integer,
    require_number,
    require_numeric,
)
from ._units import DAYS_PER_UNIT

__all__ = [
    "BGNBDFit",
    "FitError",
    "GammaGammaFit",
    "cumulative_tracking",
    "customer_lifetime_value",
    "fit_bgnbd",
    "fit_gamma_gamma",
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

    Returns
    -------
    DataFrame
        Indexed by customer: ``frequency`` (repeat purchases in calibration), ``recency``
        (first to last calibration purchase), ``T`` (first purchase to
        ``calibration_end``), ``monetary`` (mean amount of the repeat purchases; NaN if
        there are none), ``first_purchase``; with ``holdout_end`` also
        ``frequency_holdout`` and ``duration_holdout``.

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
    check_option(unit, DAYS_PER_UNIT, func=func, name="unit")
    dates = require_dates(transactions[date], func=func, name=f"column {date!r}").dt.normalize()
    cal_end = require_dates(pd.Series([calibration_end]), func=func, name="calibration_end")[0]
    log = pd.DataFrame({"id": transactions[customer].to_numpy(), "date": dates.to_numpy()})
    if amount is not None:
        money = require_numeric(transactions[amount], func=func, name=f"column {amount!r}")
        require_in_range(money, func=func, name=f"column {amount!r}", low=0,
                         hint="Drop returns or net them out before fitting spend models.")
        log["amount"] = money.to_numpy()
    else:
        log["amount"] = 0.0
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
        repeat_total = g["amount"].sum() - first_amount
        with np.errstate(invalid="ignore", divide="ignore"):
            out["monetary"] = np.where(out["frequency"] > 0,
                                       repeat_total / out["frequency"].clip(lower=1), np.nan)
    out["first_purchase"] = g["date"].min()
    if holdout_end is not None:
        hold_end = require_dates(pd.Series([holdout_end]), func=func, name="holdout_end")[0]
        if hold_end <= cal_end:
            raise ValueError(f"{func}: holdout_end {hold_end.date()} must be after "
                             f"calibration_end {cal_end.date()}.")
        hold = log[(log["date"] > cal_end) & (log["date"] <= hold_end)]
        out["frequency_holdout"] = hold.groupby("id").size().reindex(out.index, fill_value=0)
        out["duration_holdout"] = (hold_end - cal_end).days / days
    out.index.name = customer
    return out


def _customers(data, frequency, recency, T, *, func, weights=None):
    """Validated arrays x, t_x, T (and weights) from a customer table."""
    cols = [frequency, recency, T] + ([weights] if weights else [])
    require_columns(data, cols, func=func)
    if len(data) == 0:
        raise ValueError(f"{func}: `data` has no customers.")
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
    w = np.ones(len(x))
    if weights:
        wt = require_numeric(data[weights], func=func, name=f"column {weights!r}")
        require_in_range(wt, func=func, name=f"column {weights!r}", low=0)
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


@dataclass(frozen=True, repr=False)
class BGNBDFit(ModelFit):
    """A fitted BG/NBD model (see :func:`fit_bgnbd`); parameters r, alpha, a, b."""

    def _p(self):
        return self.params[["r", "alpha", "a", "b"]].to_numpy()

    def p_alive(self, data: pd.DataFrame, *, frequency="frequency", recency="recency",
                T="T") -> pd.Series:
        """P(alive | x, t_x, T) per customer (Fader, Hardie & Lee 2005, eq. 9 in logs)."""
        x, tx, big_t, _ = _customers(data, frequency, recency, T, func="BGNBDFit.p_alive")
        r, alpha, a, b = self._p()
        with np.errstate(divide="ignore"):
            odds = np.where(x > 0, np.log(a) - np.log(np.maximum(b + x - 1, 1e-300))
                            + (r + x) * (np.log(alpha + big_t) - np.log(alpha + tx)), -np.inf)
        return pd.Series(expit(-odds), index=data.index, name="p_alive")

    def conditional_expected_purchases(self, data: pd.DataFrame, t: float, *,
                                       frequency="frequency", recency="recency",
                                       T="T") -> pd.Series:
        """Expected purchases in the next ``t`` periods given x, t_x, T (FHL 2005, eq. 10)."""
        func = "BGNBDFit.conditional_expected_purchases"
        t = require_number(t, func=func, name="t", low=0)
        x, tx, big_t, _ = _customers(data, frequency, recency, T, func=func)
        r, alpha, a, b = self._p()
        z = t / (alpha + big_t + t)
        head = (a + b + x - 1) / (a - 1)
        body = 1 - np.exp((r + x) * np.log((alpha + big_t) / (alpha + big_t + t))) \
            * hyp2f1(r + x, b + x, a + b + x - 1, z)
        alive = self.p_alive(data, frequency=frequency, recency=recency, T=T).to_numpy()
        # eq. 10 divides by 1 + δ·a/(b+x−1)·(...)^(r+x), i.e. multiplies by P(alive)
        value = head * body * alive
        return pd.Series(value, index=data.index, name="expected_purchases")

    def expected_purchases(self, t) -> np.ndarray:
        """E[X(t)] for a new customer, for each ``t`` (FHL 2005, eq. 7)."""
        t = np.asarray(t, dtype=float)
        r, alpha, a, b = self._p()
        return (a + b - 1) / (a - 1) * (
            1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, t / (alpha + t)))


def fit_bgnbd(data: pd.DataFrame, *, frequency: str = "frequency", recency: str = "recency",
              T: str = "T", weights: str | None = None, start=None) -> BGNBDFit:
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

    Returns
    -------
    BGNBDFit
        ``params`` (r, alpha, a, b), ``se``, ``log_likelihood``, ``summary()``, and
        ``p_alive``, ``conditional_expected_purchases``, ``expected_purchases``.

    Raises
    ------
    ValueError
        On bad input (naming column and rows): negatives, NaN, recency > T, recency > 0
        with frequency 0, T ≤ 0, no repeat purchase at all.
    FitError
        If the optimiser fails or a parameter runs off to 0 or infinity.

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
    >>> fit.params.round(3).tolist(), round(fit.log_likelihood, 1)
    ([0.243, 4.414, 0.793, 2.426], -9582.4)
    """
    func = "btyd.fit_bgnbd"
    x, tx, big_t, w = _customers(data, frequency, recency, T, func=func, weights=weights)
    if not np.any((x > 0) & (w > 0)):
        raise ValueError(f"{func}: no customer made a repeat purchase (column {frequency!r} "
                         f"is all 0), so purchase rates and drop-out cannot be estimated.")
    x, tx, big_t, w = _collapse(x, tx, big_t, w)
    start = np.array([1.0, float(np.average(big_t, weights=w)), 1.0, 1.0]
                     if start is None else start, dtype=float)
    names = ["r", "alpha", "a", "b"]
    best = maximise(
        lambda p: _bgnbd_loglik(p, x, tx, big_t, w), start, names, func=func,
        gradient=lambda p: _bgnbd_gradient(p, x, tx, big_t, w), scale=w.sum())
    return BGNBDFit("BG/NBD", pd.Series(best.params, index=names),
                    pd.Series(best.se, index=names), best.log_likelihood, float(w.sum()),
                    best.iterations, best.hessian_ok)


# ---------------------------------------------------------------------- Gamma-Gamma
def _gg_loglik(p, x, m):
    pp, q, g = p
    return float(np.sum(gammaln(pp * x + q) - gammaln(pp * x) - gammaln(q) + q * np.log(g)
                        + (pp * x - 1) * np.log(m) + pp * x * np.log(x)
                        - (pp * x + q) * np.log(g + x * m)))


@dataclass(frozen=True, repr=False)
class GammaGammaFit(ModelFit):
    """A fitted Gamma-Gamma spend model (see :func:`fit_gamma_gamma`); p, q, gamma."""

    def expected_spend(self, data: pd.DataFrame, *, frequency="frequency",
                       monetary="monetary") -> pd.Series:
        """E[average spend | x, m̄]: the population mean for x = 0, shrunk m̄ otherwise."""
        func = "GammaGammaFit.expected_spend"
        require_columns(data, [frequency, monetary], func=func)
        x = require_numeric(data[frequency], func=func, name=f"column {frequency!r}")
        require_in_range(x, func=func, name=f"column {frequency!r}", low=0)
        m = data[monetary].where(x > 0, 0.0)
        m = require_numeric(m, func=func, name=f"column {monetary!r} (repeat buyers)")
        p, q, g = self.params[["p", "q", "gamma"]]
        value = p * (g + x * m) / (p * x + q - 1)
        return pd.Series(value.to_numpy(), index=data.index, name="expected_spend")


def fit_gamma_gamma(data: pd.DataFrame, *, frequency: str = "frequency",
                    monetary: str = "monetary", start=None) -> GammaGammaFit:
    """Fit the Gamma-Gamma model of average spend to the repeat buyers (x > 0).

    Parameters
    ----------
    data : DataFrame
        One row per customer; rows with frequency 0 are ignored.
    frequency, monetary : str
        Column names of x and of the mean spend of the x repeat purchases.
    start : sequence of 3 floats, optional
        Starting (p, q, gamma); default (1, 2, 1) scaled to the data.

    Returns
    -------
    GammaGammaFit
        ``params`` (p, q, gamma), ``se``, ``log_likelihood`` and ``expected_spend``.

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
    require_columns(data, [frequency, monetary], func=func)
    x = require_numeric(data[frequency], func=func, name=f"column {frequency!r}")
    require_in_range(x, func=func, name=f"column {frequency!r}", low=0)
    repeat = x > 0
    if repeat.sum() < 2:
        raise ValueError(f"{func}: need at least 2 repeat buyers (frequency > 0); got "
                         f"{int(repeat.sum())}.")
    m = require_numeric(data.loc[repeat, monetary], func=func,
                        name=f"column {monetary!r} (repeat buyers)")
    reject_rows(m <= 0, m, func=func, name=f"column {monetary!r}", problem="must be > 0",
                hint="Average spend must be positive; drop zero-value orders.")
    xs, ms = x[repeat].to_numpy(), m.to_numpy()
    start = np.array([1.0, 2.0, float(ms.mean())] if start is None else start, dtype=float)
    names = ["p", "q", "gamma"]
    best = maximise(lambda p: _gg_loglik(p, xs, ms), start, names, func=func,
                    scale=len(xs))
    params = best.params
    if params[1] <= 1:
        raise FitError(f"{func}: q = {params[1]:.3g} ≤ 1, so the mean spend p·γ/(q − 1) "
                       f"does not exist; the spend data are too heavy-tailed for this model.")
    return GammaGammaFit("Gamma-Gamma", pd.Series(params, index=names),
                         pd.Series(best.se, index=names), best.log_likelihood,
                         float(len(xs)), best.iterations, best.hessian_ok)


# ------------------------------------------------------------------ CLV and checks
def customer_lifetime_value(purchases: BGNBDFit, spend: GammaGammaFit, data: pd.DataFrame,
                            *, months: int = 12, monthly_discount: float = 0.01,
                            periods_per_month: float = 4.345, frequency="frequency",
                            recency="recency", T="T", monetary="monetary") -> pd.Series:
    """CLV per customer: expected spend in each coming month, discounted monthly.

    CLV = Σ_{k=1..months} E[spend] · (E[Y(k·f)] − E[Y((k−1)·f)]) / (1 + d)^k, with f
    model periods per month (4.345 weeks, lifetimes' constant) and d the monthly
    discount rate.

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
    months = require_integer(months, func=func, name="months", low=1)
    d = require_number(monthly_discount, func=func, name="monthly_discount", low=0, high=1,
                       high_open=True)
    f = require_number(periods_per_month, func=func, name="periods_per_month", low=0,
                       low_open=True)
    value = spend.expected_spend(data, frequency=frequency, monetary=monetary).to_numpy()
    total = np.zeros(len(data))
    before = np.zeros(len(data))
    for k in range(1, months + 1):
        upto = purchases.conditional_expected_purchases(
            data, k * f, frequency=frequency, recency=recency, T=T).to_numpy()
        total += value * (upto - before) / (1 + d) ** k
        before = upto
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
    """
    func = "btyd.holdout_check"
    require_columns(data, [holdout, duration], func=func)
    t = require_numeric(data[duration], func=func, name=f"column {duration!r}")
    if t.nunique() != 1:
        raise ValueError(f"{func}: column {duration!r} must be one holdout length for all "
                         f"customers; got {sorted(t.unique())[:5]}.")
    predicted = fit.conditional_expected_purchases(data, float(t.iloc[0]), frequency=frequency,
                                                   recency=recency, T=T)
    group = data[frequency].clip(upper=top).astype(int)
    out = pd.DataFrame({"customers": group.value_counts().sort_index(),
                        "actual": data[holdout].groupby(group).mean(),
                        "predicted": predicted.groupby(group).mean()})
    out.index = pd.Index([f"{k}+" if k == top else str(k) for k in out.index], name="frequency")
    return out


def cumulative_tracking(fit: BGNBDFit, transactions: pd.DataFrame, data: pd.DataFrame, *,
                        customer: str = "customer_id", date: str = "date",
                        start=None, periods: int = 78, unit: str = "weeks") -> pd.DataFrame:
    """Cumulative repeat purchases per period, actual and predicted, for the whole cohort.

    A customer who first bought at time s (in periods since ``start``) is predicted to
    have made E[X(t − s)] repeat purchases by time t.

    Returns
    -------
    DataFrame
        Indexed by ``period`` (1..periods): ``actual`` and ``predicted`` cumulative repeat
        purchases (same-day purchases merged), for the customers in ``data``.
    """
    func = "btyd.cumulative_tracking"
    require_columns(data, ["first_purchase"], func=func)
    days = DAYS_PER_UNIT[unit]
    first = data["first_purchase"]
    origin = first.min() if start is None else pd.Timestamp(start)
    birth = ((first - origin).dt.days / days).to_numpy()
    grid = np.arange(1, periods + 1, dtype=float)
    predicted = np.array([fit.expected_purchases(np.maximum(t - birth, 0)).sum() for t in grid])
    log = pd.DataFrame({"id": transactions[customer].to_numpy(),
                        "date": require_dates(transactions[date], func=func,
                                             name=date).dt.normalize().to_numpy()})
    log = log[log["id"].isin(data.index)].drop_duplicates()
    repeat = log[log["date"] > log["id"].map(first)]
    when = ((repeat["date"] - origin).dt.days / days).to_numpy()
    actual = np.searchsorted(np.sort(when), grid, side="left")
    return pd.DataFrame({"actual": actual, "predicted": predicted},
                        index=pd.Index(grid.astype(int), name="period"))
