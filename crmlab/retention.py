"""Retention economics (客户保持): margin multiples, timing conventions, the sBG model.

With a constant margin ``m`` per period, retention rate ``r`` and discount rate ``i``,
a customer's expected discounted margin is a geometric series. Textbooks sum it with
different timing assumptions, which changes the answer by a whole period's margin; this
module names each convention. The shifted-beta-geometric (sBG) model lets retention
rise with tenure because the customers who stay are the loyal ones.

Functions
---------
margin_multiple
    r / (1 + i − r): CLV in units of the per-period margin (Gupta & Lehmann).
margin_multiple_grid
    The multiple over a grid of retention and discount rates.
clv_conventions
    The three textbook formulas side by side (Fader & Hardie's reconciliation).
expected_lifetime
    1 / (1 − r) periods (geometric lifetime).
break_even_acquisition_cost
    The most one may pay to acquire a customer: the CLV at acquisition.
fit_sbg
    Shifted-beta-geometric fit to a cohort's survivor counts; projects survival.
constant_retention_rate
    The one retention rate that best fits the same counts (the model sBG replaces).

References
----------
Gupta, S. & Lehmann, D. R. (2003). Customers as assets. *Journal of Interactive
Marketing* 17(1), 9–24. Fader, P. S. & Hardie, B. G. S. (2012). Reconciling and
clarifying CLV formulas (note). Fader, P. S. & Hardie, B. G. S. (2007). How to project
customer retention. *Journal of Interactive Marketing* 21(1), 76–90.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import betaln

from ._mle import FitError, ModelFit, maximise
from ._validation import (InputError, check_option, require_finite_result, require_number,
                          require_numeric,
                          require_rate, require_vector)

__all__ = [
    "SBGFit",
    "break_even_acquisition_cost",
    "clv_conventions",
    "constant_retention_rate",
    "expected_lifetime",
    "fit_sbg",
    "margin_multiple",
    "margin_multiple_grid",
]


def margin_multiple(retention: float, discount: float) -> float:
    """CLV per unit of margin, r / (1 + i − r), margins received at each period's end.

    Parameters
    ----------
    retention : float
        Retention rate r per period, in (0, 1).
    discount : float
        Discount rate i per period, in (0, 1).

    References
    ----------
    Gupta & Lehmann (2003): CLV = m · r / (1 + i − r).

    Examples
    --------
    >>> round(margin_multiple(0.8, 0.10), 2)
    2.67
    """
    r = require_rate(retention, func="retention.margin_multiple", name="retention")
    i = require_rate(discount, func="retention.margin_multiple", name="discount")
    return r / (1 + i - r)


def _rates(values, *, func: str, name: str) -> list:
    """A non-empty sequence (or one number) of rates for a grid axis, as a list."""
    if isinstance(values, (int, float, np.number)):
        items = [values]
    elif (isinstance(values, (list, tuple, range, pd.Series, pd.Index))
          or (isinstance(values, np.ndarray) and values.ndim == 1)):
        items = list(values)
    else:
        raise ValueError(f"{func}: {name} must be a sequence of rates in (0, 1), e.g. "
                         f"(0.6, 0.7, 0.8); got {values!r}.")
    if not items:
        raise ValueError(f"{func}: {name} is empty; give at least one rate in (0, 1).")
    for v in items:
        require_rate(v, func=func, name=f"each of {name}")
    return items


def margin_multiple_grid(retentions=(0.6, 0.7, 0.8, 0.9),
                         discounts=(0.10, 0.12, 0.14, 0.16)) -> pd.DataFrame:
    """The margin multiple for every (discount, retention) pair.

    Parameters
    ----------
    retentions, discounts : sequence of float
        Rates in (0, 1); one number is a grid of one.

    Returns
    -------
    DataFrame
        Rows indexed by ``discount``, columns by ``retention``.

    References
    ----------
    Gupta & Lehmann (2003), Table 1 (the same grid).

    Examples
    --------
    >>> margin_multiple_grid().round(2).loc[0.10].tolist()
    [1.2, 1.75, 2.67, 4.5]
    """
    func = "retention.margin_multiple_grid"
    retentions = _rates(retentions, func=func, name="retentions")
    discounts = _rates(discounts, func=func, name="discounts")
    grid = [[margin_multiple(r, i) for r in retentions] for i in discounts]
    return pd.DataFrame(grid, index=pd.Index(list(discounts), name="discount"),
                        columns=pd.Index(list(retentions), name="retention"))


def clv_conventions(margin: float, retention: float, discount: float) -> pd.DataFrame:
    """The three textbook CLV formulas for a constant margin, with their timing.

    Parameters
    ----------
    margin : float
        Margin per period (any finite number; a negative margin gives a negative CLV).
    retention, discount : float
        Rates per period, in (0, 1).

    Returns
    -------
    DataFrame
        One row per convention: ``formula``, ``first_margin`` (when the first margin is
        received), ``used_by`` and ``clv``.

    References
    ----------
    Fader & Hardie (2012), "Reconciling and clarifying CLV formulas".

    Examples
    --------
    >>> clv_conventions(100, 0.8, 0.1)["clv"].round(2).tolist()
    [366.67, 266.67, 333.33]
    """
    func = "retention.clv_conventions"
    m = require_number(margin, func=func, name="margin")
    r = require_rate(retention, func=func, name="retention")
    d = require_rate(discount, func=func, name="discount")
    with np.errstate(all="ignore"):
        values = [m * (1 + d) / (1 + d - r), m * r / (1 + d - r), m / (1 + d - r)]
    require_finite_result(pd.Series(values), func=func, what="the CLV")
    return pd.DataFrame({
        "formula": ["m(1+d)/(1+d−r)", "m·r/(1+d−r)", "m/(1+d−r)"],
        "first_margin": ["now (period 0), then while retained",
                         "end of period 1, only if retained after the first period",
                         "end of period 1, certain"],
        "used_by": ["Blattberg et al. (2008); Steenburgh & Avery (2011)",
                    "Gupta & Lehmann (2003); Kotler & Keller (2012); Capon (2007)",
                    "Ofek (2002); Davis (2007)"],
        "clv": values,
    }, index=pd.Index(["start of period", "retained, end of period", "end of period"],
                      name="convention"))


def expected_lifetime(retention: float) -> float:
    """Expected number of periods as a customer, 1 / (1 − r) (the first one included).

    References
    ----------
    Mean of the geometric distribution with success (churn) probability 1 − r.

    Examples
    --------
    >>> round(expected_lifetime(0.85), 3)
    6.667
    """
    r = require_rate(retention, func="retention.expected_lifetime", name="retention")
    return 1 / (1 - r)


def break_even_acquisition_cost(margin: float, retention: float, discount: float, *,
                                convention: str = "start of period") -> float:
    """The largest acquisition cost that still pays back: the CLV at acquisition.

    ``convention`` picks a row of :func:`clv_conventions`; the default counts the first
    margin (the purchase that made the customer) as received at once.

    References
    ----------
    Fader & Hardie (2012); Blattberg, Malthouse & Neslin (2009) for the break-even rule.

    Examples
    --------
    >>> round(break_even_acquisition_cost(17.95, 0.995, 0.01), 2)   # Netflix, monthly
    1208.63
    """
    table = clv_conventions(margin, retention, discount)
    check_option(convention, list(table.index), func="retention.break_even_acquisition_cost",
                 name="convention")
    return float(table.loc[convention, "clv"])


# -------------------------------------------------------------------------------- sBG
@dataclass(frozen=True, repr=False)
class SBGFit(ModelFit):
    """A fitted shifted-beta-geometric model (see :func:`fit_sbg`); alpha, beta."""

    def _ab(self, func: str):
        try:
            a, b = self.params[["alpha", "beta"]].to_numpy(dtype=float)
        except (KeyError, TypeError, ValueError):
            raise ValueError(f"{func}: the model needs numeric parameters alpha, beta; got "
                             f"{dict(self.params)}.") from None
        if not (np.isfinite(a) and np.isfinite(b) and a > 0 and b > 0):
            raise ValueError(f"{func}: alpha and beta must be positive finite numbers; got "
                             f"alpha {a!r}, beta {b!r}.")
        return a, b

    @staticmethod
    def _periods(periods, *, func: str, low: float) -> np.ndarray:
        try:
            t = np.asarray(periods, dtype=float)
        except (TypeError, ValueError):
            raise ValueError(f"{func}: periods must be a number or an array of numbers >= "
                             f"{low:g}; got {periods!r}.") from None
        bad = ~np.isfinite(t) | (t < low)
        if bad.any():
            raise ValueError(f"{func}: periods must be finite numbers >= {low:g}; got "
                             f"{float(t[bad].ravel()[0])!r}.")
        return t

    def survival(self, periods) -> np.ndarray:
        """S(t) = B(α, β + t) / B(α, β): share of the cohort still a customer after t ≥ 0.

        References
        ----------
        Fader & Hardie (2007), eq. 3.
        """
        func = "SBGFit.survival"
        a, b = self._ab(func)
        t = self._periods(periods, func=func, low=0)
        return np.exp(betaln(a, b + t) - betaln(a, b))

    def retention(self, periods) -> np.ndarray:
        """r(t) = (β + t − 1) / (α + β + t − 1): retention from period t − 1 to t ≥ 1.

        References
        ----------
        Fader & Hardie (2007), eq. 4.
        """
        func = "SBGFit.retention"
        a, b = self._ab(func)
        t = self._periods(periods, func=func, low=1)
        return (b + t - 1) / (a + b + t - 1)


def _sbg_loglik(p, survivors):
    a, b = p
    t = np.arange(1, len(survivors))
    churned = survivors[:-1] - survivors[1:]
    log_p = betaln(a + 1, b + t - 1) - betaln(a, b)
    log_s = betaln(a, b + t[-1]) - betaln(a, b)
    return float(np.dot(churned, log_p) + survivors[-1] * log_s)


def fit_sbg(survivors, *, start=None) -> SBGFit:
    """Fit the sBG model to a cohort's survivor counts at periods 0, 1, …, n.

    Parameters
    ----------
    survivors : sequence of numbers
        Customers still active at the start (period 0) and after each period;
        non-increasing, at least two periods after the start.
    start : sequence of 2 floats, optional
        Starting (alpha, beta); default (1, 1).

    Raises
    ------
    ValueError
        If the counts are not at least 3 finite numbers, start at 0 or rise.
    FitError
        If the counts cannot identify the model: nobody churned, everybody churned in
        one period, or the log-likelihood is flat at the optimum.

    Returns
    -------
    SBGFit
        ``params`` (alpha, beta), ``se``, ``log_likelihood``, ``survival`` and
        ``retention`` for any periods (projections beyond the data included).

    References
    ----------
    Fader & Hardie (2007), eq. 1–5 and the "regular"/"high end" cohorts of Table 1.

    Examples
    --------
    >>> regular = [1000, 631, 468, 382, 326, 289, 262, 241]
    >>> fit_sbg(regular).params.round(3).tolist()
    [0.704, 1.182]
    """
    func = "retention.fit_sbg"
    try:
        s = (np.asarray(survivors, dtype=float)
             if not isinstance(survivors, (str, bytes, dict, set)) else np.array([]))
    except (TypeError, ValueError):
        s = np.array([])
    if s.ndim != 1 or len(s) < 3 or not np.all(np.isfinite(s)):
        raise ValueError(f"{func}: survivors must be at least 3 finite counts (period 0, "
                         f"1, 2, …); got {survivors!r}.")
    drop = np.diff(s)
    if s[0] <= 0 or np.any(s < 0) or np.any(drop > 0):
        where = int(np.argmax(drop > 0)) + 1 if np.any(drop > 0) else 0
        raise ValueError(f"{func}: survivors must start above 0 and never rise; period "
                         f"{where} has {s[where]:g} after {s[max(where - 1, 0)]:g}. Survival "
                         f"counts a fixed cohort, so new customers cannot join it.")
    if s[-1] == s[0]:
        raise FitError(f"{func}: nobody churned, so the churn distribution cannot be "
                       f"estimated.")
    if s[1] == 0:
        raise FitError(f"{func}: all {s[0]:g} customers churned in period 1, so every "
                       f"customer's churn probability looks like 1 and its spread across "
                       f"customers (alpha, beta) cannot be estimated. Use shorter periods "
                       f"(e.g. months instead of years) or a cohort that survives longer.")
    if s[-1] == 0 and np.count_nonzero(np.diff(s)) == 1:
        raise FitError(f"{func}: the whole cohort churned in one period, so the spread of "
                       f"churn probabilities across customers cannot be estimated. Use "
                       f"shorter periods or a cohort that survives longer.")
    names = ["alpha", "beta"]
    if start is None:
        start = np.array([1.0, 1.0])
    else:
        try:
            given = np.asarray(start, dtype=float)
        except (TypeError, ValueError):
            given = np.array([np.nan])
        if given.shape != (2,) or not np.all(np.isfinite(given)) or np.any(given <= 0):
            raise ValueError(f"{func}: start must be 2 positive numbers (alpha, beta); got "
                             f"{start!r}.")
        start = given
    best = maximise(lambda p: _sbg_loglik(p, s), start, names, func=func, scale=s[0])
    return SBGFit("sBG", pd.Series(best.params, index=names), pd.Series(best.se, index=names),
                  best.log_likelihood, float(s[0]), best.iterations, best.hessian_ok)


def constant_retention_rate(survivors) -> float:
    """The constant retention rate that best fits a cohort's survivor counts.

    If every customer stays from one period to the next with the same probability r, the
    maximum-likelihood estimate from counts S_0, S_1, …, S_n is

        r = 1 − (S_0 − S_n) / (S_0 + S_1 + … + S_{n−1}),

    customers lost over customer-periods at risk. Survival is then r^t: this is the model
    the sBG (:func:`fit_sbg`) replaces, and the one behind "CLV = m·r/(1 + i − r)".

    Parameters
    ----------
    survivors : sequence of numbers
        Customers still active at period 0, 1, …, n (n ≥ 1), starting above 0 and never
        rising.

    Returns
    -------
    float
        r, in [0, 1].

    Raises
    ------
    InputError
        If the counts are not at least 2 finite numbers, do not start above 0 or rise.

    References
    ----------
    Fader, P. S. & Hardie, B. G. S. (2007), How to project customer retention, *Journal of
    Interactive Marketing* 21(1), 76–90: the constant-retention projection against sBG.

    Examples
    --------
    Fader & Hardie's "regular" cohort, years 0–7 (per 1,000 customers):

    >>> r = constant_retention_rate([1000, 631, 468, 382, 326, 289, 262, 241])
    >>> round(r, 4), round(100 * r ** 12, 1)
    (0.774, 4.6)
    """
    func = "retention.constant_retention_rate"
    s = require_numeric(require_vector(survivors, func=func, name="survivors"), func=func,
                        name="survivors").to_numpy(dtype=float)
    if len(s) < 2:
        raise InputError(f"{func}: survivors must hold at least 2 counts (period 0 and 1); "
                         f"got {len(s)}.")
    if s[0] <= 0 or np.any(s < 0) or np.any(np.diff(s) > 0):
        raise InputError(f"{func}: survivors must start above 0 and never rise; got "
                         f"{s.tolist()}. Survival counts a fixed cohort, so new customers "
                         f"cannot join it.")
    return float(1 - (s[0] - s[-1]) / s[:-1].sum())
