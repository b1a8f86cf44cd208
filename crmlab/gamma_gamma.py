"""Spend and value per customer (客户价值): the Gamma-Gamma spend model and the CLV.

The Gamma-Gamma model describes what a repeat buyer spends per purchase: each
customer's amounts vary around the customer's own mean, the means vary across customers,
and spend is assumed independent of how often the customer buys. Fitted to the repeat
buyers of a customer table (:func:`crmlab.btyd.repeat_purchase_table`, column
``monetary``), it predicts the expected average spend of every customer; with the
expected purchases of a BG/NBD fit (:func:`crmlab.btyd.fit_bgnbd`) it gives a CLV per
customer.

Functions
---------
fit_gamma_gamma
    Gamma-Gamma spend model on the repeat buyers; expected average spend per customer.
customer_lifetime_value
    Discounted expected spend over the next months from both fits.

References
----------
Fader, P. S. & Hardie, B. G. S. (2013). The Gamma-Gamma model of monetary value (note).
Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). "Counting your customers" the easy
way: an alternative to the Pareto/NBD model. *Marketing Science* 24(2), 275–284 (the
conditional expectation of purchases that the CLV discounts). The discounted-sum CLV is
the definition of the lifetimes package (``GammaGammaFitter.customer_lifetime_value``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import digamma, gammaln

from ._bgnbd import HYP_HINT, weighted_sum, collapse, expected_given, parameters
from ._customers import customer_arrays, finite_result, require_fit, same_unit, start_values
from ._mle import FitError, ModelFit, maximise
from ._units import DAYS_PER_UNIT
from ._validation import (check_option, reject_rows, require_columns, require_frame,
                          require_in_range, require_integer, require_number, require_numeric)
from .btyd import BGNBDFit

__all__ = [
    "FitError",
    "GammaGammaFit",
    "PERIODS_PER_MONTH",
    "customer_lifetime_value",
    "fit_gamma_gamma",
]

#: Model periods in one CLV month, per unit: 4.345 weeks (the constant of lifetimes'
#: ``customer_lifetime_value``, freq="W") expressed in each unit, so the same customer
#: gets the same CLV whatever unit the table counts time in.
PERIODS_PER_MONTH = {"weeks": 4.345, "days": 4.345 * 7,
                     "months": 4.345 * 7 / DAYS_PER_UNIT["months"]}


def _ids(index, show: int = 5) -> str:
    """The first labels of an index as a list for a message, with "and N more"."""
    labels = [x.item() if isinstance(x, np.generic) else x for x in index]
    more = len(labels) - show
    return repr(labels[:show])[:-1] + (f", … and {more} more]" if more > 0 else "]")


def _whose(data) -> str:
    """How a message names a table's rows: "customer_id", or "index" without a name."""
    return f"{data.index.name}" if data.index.name is not None else "index"


def _gg_loglik(p, x, m, w=None):
    """The Gamma-Gamma log-likelihood of average spends ``m`` of ``x`` repeat purchases,
    summed with weights ``w`` (customers per (x, m) pattern; 1 each by default)."""
    pp, q, g = p
    ll = (gammaln(pp * x + q) - gammaln(pp * x) - gammaln(q) + q * np.log(g)
          + (pp * x - 1) * np.log(m) + pp * x * np.log(x) - (pp * x + q) * np.log(g + x * m))
    return float(np.sum(ll) if w is None else weighted_sum(w, ll))


def _gg_gradient(p, x, m, w):
    """The analytic gradient of :func:`_gg_loglik` in (p, q, gamma)."""
    pp, q, g = p
    both = digamma(pp * x + q)
    log_gxm = np.log(g + x * m)
    d_p = x * (both - digamma(pp * x) + np.log(m) + np.log(x) - log_gxm)
    d_q = both - digamma(q) + np.log(g) - log_gxm
    d_g = q / g - (pp * x + q) / (g + x * m)
    return np.array([weighted_sum(w, d) for d in (d_p, d_q, d_g)])


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
        value = finite_result(value.to_numpy(), data.index, func=func, what="the expected spend",
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
    >>> from crmlab import btyd
    >>> cbs = btyd.cdnow_table()
    >>> fit_gamma_gamma(cbs).params.round(2).tolist()
    [6.25, 3.74, 15.45]
    """
    func = "gamma_gamma.fit_gamma_gamma"
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
    start = start_values(start, names, func, [1.0, 2.0, float(ms.mean())])
    # identical (x, m) rows merged into patterns with counts: same likelihood, and a cost
    # that follows the number of distinct patterns
    xs, ms, w = collapse(xs, ms, weights=np.ones(len(xs)))
    best = maximise(lambda p: _gg_loglik(p, xs, ms, w), start, names, func=func,
                    gradient=lambda p: _gg_gradient(p, xs, ms, w), scale=w.sum())
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
                         float(w.sum()), best.iterations, best.hessian_ok, extra=extra)


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
        From :func:`crmlab.btyd.fit_bgnbd`.
    spend : GammaGammaFit
        From :func:`fit_gamma_gamma`.
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
    >>> from crmlab import btyd
    >>> cbs = btyd.cdnow_table()
    >>> clv = customer_lifetime_value(btyd.fit_bgnbd(cbs), fit_gamma_gamma(cbs), cbs)
    >>> round(float(clv.sum()))
    71508
    """
    func = "gamma_gamma.customer_lifetime_value"
    require_fit(purchases, BGNBDFit, func=func, name="purchases", maker="btyd.fit_bgnbd")
    require_fit(spend, GammaGammaFit, func=func, name="spend",
                maker="gamma_gamma.fit_gamma_gamma")
    months = require_integer(months, func=func, name="months", low=1, high=1200)
    d = require_number(monthly_discount, func=func, name="monthly_discount", low=0, high=1,
                       high_open=True)
    require_frame(data, func=func)
    unit = same_unit(purchases.unit, data, func)
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
    p = parameters(purchases.params, func)
    value = spend.expected_spend(data, frequency=frequency, monetary=monetary).to_numpy()
    x, tx, big_t, _ = customer_arrays(data, frequency, recency, T, func=func)
    total = np.zeros(len(data))
    before = np.zeros(len(data))
    for k in range(1, months + 1):
        upto = expected_given(p, x, tx, big_t, k * f)
        total += value * (upto - before) / (1 + d) ** k
        before = upto
    total = finite_result(total, data.index, func=func, what="the CLV", hint=HYP_HINT)
    return pd.Series(total, index=data.index, name="clv")
