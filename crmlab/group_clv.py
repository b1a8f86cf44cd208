"""Group CLV (客户群体的终生价值): churn, lifetime and what churn costs, as the courseware defines them.

The courseware's formulas for a customer base, written out in full and made computable,
with options that reproduce each of its ambiguities: the churn rate and mean lifetime of
a base, the group CLV from the churn rate, the churn cost of a customer and of the base;
and the expected group CLV the courseware's mean-lifetime method overstates. The CLV of
one customer from its cash flows, the quadrants and lifecycle profit are in
:mod:`crmlab.clv`.

Functions
---------
churn_table
    Churn rate r_L, mean lifetime T = 1/r_L and replacements per year per firm.
group_clv, group_clv_methods
    Group CLV with T = 1/r_L: the annuity value for non-integer T and the Σ with T rounded.
expected_group_clv, lifetime_value_gap
    The expected group CLV when each lifetime is random (geometric with mean 1/r_L), and
    how far the courseware's value at the mean lifetime overstates it (Jensen's inequality).
churn_cost, base_churn_cost
    V_l = C_t + (V_k − V_t) and V_{q,l} = N · r_L · V_k.
group_clv_summary
    Lifetime, replacements, group CLV by each lifetime rule, its expectation, group value
    and group churn cost of one customer base.

References
----------
客户关系管理(第2.3.4讲): 4.2.3 CLV分析法, 客户群体的终生价值, 企业客户群体生命周期的计算,
客户的流失费用.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._clv_inputs import require_rows
from ._validation import (InputError, check_option, reject_rows, require_columns,
                          require_finite_result, require_flag, require_number, require_numeric,
                          require_rate)

__all__ = [
    "MIN_CHURN",
    "base_churn_cost",
    "churn_cost",
    "churn_table",
    "expected_group_clv",
    "group_clv",
    "group_clv_methods",
    "group_clv_summary",
    "lifetime_value_gap",
]


def churn_table(data: pd.DataFrame, *, customers: str = "customers",
                lost: str = "lost_per_year") -> pd.DataFrame:
    """Churn rate, mean lifetime and replacements needed, per row (courseware 企业客户群体生命周期的计算).

    Returns
    -------
    DataFrame
        ``data`` plus ``churn_rate`` (lost / customers), ``lifetime_years`` (1 / churn
        rate) and ``replacements_per_year`` (= lost, to keep the base constant).

    References
    ----------
    Courseware 企业客户群体生命周期的计算 (lecture 4.2.3 and 2.2.2): r_L = lost / N, T = 1 / r_L.

    Examples
    --------
    >>> firms = pd.DataFrame({"customers": [100, 100], "lost_per_year": [20, 10]})
    >>> churn_table(firms)["lifetime_years"].tolist()
    [5.0, 10.0]
    """
    func = "group_clv.churn_table"
    require_columns(data, [customers, lost], func=func)
    require_rows(data, func=func)
    n = require_numeric(data[customers], func=func, name=f"column {customers!r}")
    k = require_numeric(data[lost], func=func, name=f"column {lost!r}")
    reject_rows(n <= 0, data[customers], func=func, name=f"column {customers!r}", problem="must be > 0",
                hint="Count the customers at the start of the year.")
    reject_rows((k <= 0) | (k >= n), data[lost], func=func, name=f"column {lost!r}",
                problem=f"must be between 0 and {customers!r} (exclusive)",
                hint="With no churn the lifetime is infinite; with total churn it is one year.")
    out = data.copy()
    out["churn_rate"] = k / n
    out["lifetime_years"] = n / k
    out["replacements_per_year"] = k
    return out


def group_clv(margin: float, churn: float, discount: float, *,
              lifetime: str = "annuity") -> float:
    """Group CLV with T = 1/r_L years of a constant annual margin A = Q_q − C_q.

    Parameters
    ----------
    margin : float
        Annual margin of the group A (the courseware's stable-volume assumption).
    churn : float
        Churn rate r_L per year, in [1e-12, 1) (:data:`MIN_CHURN`).
    discount : float
        Discount rate i, in (0, 1).
    lifetime : {"annuity", "floor", "round", "ceil"}
        "annuity": A·[1 − (1 + i)^−T]/i, which accepts non-integer T; otherwise the
        courseware's Σ_{t=1..T} A(1 + i)^−t with T rounded so (the courseware gives no
        rounding rule). The Σ is computed in its closed form A·[1 − (1 + i)^−n]/i for
        the whole number n, so a tiny churn rate (T of a billion years) costs nothing.

    References
    ----------
    Courseware lecture 4.2.3, 客户群体的终生价值, steps 1–4.

    Examples
    --------
    >>> round(group_clv(1000, 0.3, 0.1), 2), round(group_clv(1000, 0.3, 0.1, lifetime="floor"), 2)
    (2721.79, 2486.85)
    """
    func = "group_clv.group_clv"
    a = require_number(margin, func=func, name="margin")
    r = _churn(churn, func=func)
    i = require_rate(discount, func=func, name="discount")
    check_option(lifetime, ("annuity", "floor", "round", "ceil"), func=func, name="lifetime")
    years = 1 / r
    n = years if lifetime == "annuity" else _whole_years(years, lifetime)
    with np.errstate(all="ignore"):
        value = float(a * (-np.expm1(-n * np.log1p(i)) / i))    # A·[1 − (1 + i)^−n]/i
    return require_finite_result(value, func=func, what="the group CLV")


#: Smallest churn rate the group CLV accepts: a mean lifetime of at most 10^12 years.
MIN_CHURN = 1e-12


def _churn(churn, *, func: str) -> float:
    r = require_rate(churn, func=func, name="churn")
    if r < MIN_CHURN:
        raise InputError(f"{func}: churn must be at least {MIN_CHURN:g} (a mean lifetime of "
                         f"at most 10^12 years); got {churn!r}. For no churn at all the group "
                         f"CLV is the perpetuity margin / discount.")
    return r


def _whole_years(years: float, rule: str) -> int:
    years = float(f"{years:.12g}")       # 1/0.2 is 5.000000000000001, 1/1e-9 999999999.9…
    return int({"floor": np.floor(years), "round": np.floor(years + 0.5),
                "ceil": np.ceil(years)}[rule])


def group_clv_methods(margin: float, churn: float, discount: float) -> pd.DataFrame:
    """:func:`group_clv` under each lifetime rule, with the T it uses.

    References
    ----------
    Courseware lecture 4.2.3, 客户群体的终生价值, as :func:`group_clv`.

    Examples
    --------
    >>> group_clv_methods(1000, 0.3, 0.1)["years"].round(2).tolist()
    [3.33, 3.0, 3.0, 4.0]
    """
    func = "group_clv.group_clv_methods"
    require_number(margin, func=func, name="margin")
    require_rate(discount, func=func, name="discount")
    years = 1 / _churn(churn, func=func)
    used = {"annuity": years, **{k: float(_whole_years(years, k))
                                 for k in ("floor", "round", "ceil")}}
    return pd.DataFrame({"years": used, "value": {k: group_clv(margin, churn, discount,
                                                               lifetime=k) for k in used}}
                        ).rename_axis("lifetime")


def expected_group_clv(margin: float, churn: float, discount: float) -> float:
    """Expected group CLV per customer when lifetimes are random: A / (i + r_L).

    The courseware's group CLV (:func:`group_clv`) puts the *mean* lifetime T = 1/r_L into
    the annuity. But a churn rate r_L means each customer's lifetime L is random: a
    customer still here at the start of a year leaves during it with probability r_L, so
    L ~ Geometric(r_L) on {1, 2, …} with P(L ≥ t) = (1 − r_L)^(t−1) and mean E[L] = 1/r_L,
    exactly the courseware's T. Under the courseware's own timing (margin A at the end of
    each year t = 1, …, L, the last one included) the expected value is

        E[Σ_{t=1..L} A(1 + i)^−t] = Σ_{t≥1} A(1 + i)^−t (1 − r_L)^(t−1) = A / (i + r_L).

    The annuity factor is concave in the number of years, so by Jensen's inequality the
    value at the mean lifetime is never below this expectation (:func:`lifetime_value_gap`).
    With retention r = 1 − r_L this is the "end of period, certain" convention of Fader &
    Hardie (2012), m/(1 + d − r).

    Parameters
    ----------
    margin : float
        Annual margin A = Q_q − C_q per customer (or of the group).
    churn : float
        Churn rate r_L per year, in [1e-12, 1) (:data:`MIN_CHURN`).
    discount : float
        Discount rate i per year, in (0, 1).

    Returns
    -------
    float
        A / (i + r_L).

    Raises
    ------
    InputError
        If an argument is not a finite number or a rate is out of range.

    See Also
    --------
    group_clv : the courseware's value at the mean lifetime T = 1/r_L.
    lifetime_value_gap : both values side by side, and the overstatement.

    References
    ----------
    Courseware lecture 4.2.3, 客户群体的终生价值 (steps 1–4, T = 1/r_L and the annuity
    present-value method). Fader, P. S. & Hardie, B. G. S. (2012), "Reconciling and
    clarifying CLV formulas" (the m/(1 + d − r) convention).

    Examples
    --------
    The courseware's firm 1 (20% churn, T = 5 years) at a 10% discount rate:

    >>> round(expected_group_clv(100, 0.2, 0.1), 2), round(group_clv(100, 0.2, 0.1), 2)
    (333.33, 379.08)
    """
    func = "group_clv.expected_group_clv"
    a = require_number(margin, func=func, name="margin")
    r = _churn(churn, func=func)
    i = require_rate(discount, func=func, name="discount")
    with np.errstate(all="ignore"):
        value = float(a / (i + r))
    return require_finite_result(value, func=func, what="the expected group CLV")


def lifetime_value_gap(margin: float, churn: float, discount: float) -> pd.Series:
    """The courseware's group CLV at the mean lifetime against its expectation.

    Parameters
    ----------
    margin, churn, discount : float
        As :func:`group_clv`: annual margin A, churn rate r_L, discount rate i.

    Returns
    -------
    Series
        ``mean_lifetime`` T = 1/r_L; ``value_at_mean_lifetime`` A·[1 − (1 + i)^−T]/i
        (:func:`group_clv`, the courseware's method); ``expected_value`` A/(i + r_L)
        (:func:`expected_group_clv`, the lifetime L ~ Geometric(r_L) with the same mean
        and the same end-of-year timing); ``overstatement`` value_at_mean_lifetime /
        expected_value − 1 (≥ 0 for every r_L and i; NaN when A = 0).

    References
    ----------
    Courseware lecture 4.2.3, 客户群体的终生价值. Jensen's inequality: for a concave
    annuity factor a(n), a(E[L]) ≥ E[a(L)].

    Examples
    --------
    The two firms of the courseware (20% and 10% churn) at a 10% discount rate:

    >>> round(float(lifetime_value_gap(100, 0.2, 0.1)["overstatement"]), 3)
    0.137
    >>> round(float(lifetime_value_gap(100, 0.1, 0.1)["overstatement"]), 3)
    0.229
    """
    func = "group_clv.lifetime_value_gap"
    a = require_number(margin, func=func, name="margin")
    r = _churn(churn, func=func)
    i = require_rate(discount, func=func, name="discount")
    at_mean, expected = group_clv(a, r, i), expected_group_clv(a, r, i)
    gap = at_mean / expected - 1 if expected != 0 else np.nan
    return pd.Series({"mean_lifetime": 1 / r, "value_at_mean_lifetime": at_mean,
                      "expected_value": expected, "overstatement": gap}, name="value")


def churn_cost(invested: float, lifetime_value: float, realised: float, *,
               include_sunk: bool = True) -> float:
    """Churn cost of one customer, V_l = C_t + (V_k − V_t) (courseware 客户的流失费用).

    ``include_sunk=False`` drops C_t — money already spent, lost whether or not the
    customer leaves — leaving the forgone future value V_k − V_t.

    References
    ----------
    Courseware lecture 4.2.3, 客户的流失费用 (one customer).

    Examples
    --------
    >>> churn_cost(300, 2000, 800), churn_cost(300, 2000, 800, include_sunk=False)
    (1500.0, 1200.0)
    """
    func = "group_clv.churn_cost"
    include_sunk = require_flag(include_sunk, func=func, name="include_sunk")
    c = require_number(invested, func=func, name="invested (C_t)", low=0)
    vk = require_number(lifetime_value, func=func, name="lifetime_value (V_k)")
    vt = require_number(realised, func=func, name="realised (V_t)")
    with np.errstate(all="ignore"):
        value = (c if include_sunk else 0.0) + (vk - vt)
    return require_finite_result(value, func=func, what="the churn cost")


def base_churn_cost(customers: float, churn: float, lifetime_value: float) -> float:
    """Churn cost of the customer base per period, V_{q,l} = N · r_L · V_k (courseware 客户的流失费用).

    References
    ----------
    Courseware lecture 4.2.3, 客户的流失费用 (the customer base).

    Examples
    --------
    >>> base_churn_cost(100, 0.2, 1.0) / base_churn_cost(100, 0.1, 1.0)
    2.0
    """
    func = "group_clv.base_churn_cost"
    n = require_number(customers, func=func, name="customers (N)", low=0)
    value = n * require_rate(churn, func=func, name="churn (r_L)") * require_number(
        lifetime_value, func=func, name="lifetime_value (V_k)")
    return require_finite_result(value, func=func, what="the base churn cost")


def group_clv_summary(customers: float, churn: float, margin: float,
                      discount: float) -> pd.Series:
    """Group CLV and churn of a customer base in one table (courseware lecture 4.2.3).

    Parameters
    ----------
    customers : float
        N, customers in the base.
    churn : float
        r_L, the share lost per year, in (0, 1).
    margin : float
        Annual margin per customer.
    discount : float
        i, the discount rate, in (0, 1).

    Returns
    -------
    Series
        ``lifetime_years`` T = 1/r_L; ``lost_per_year`` N·r_L (= the replacements needed to
        keep the base); ``clv_annuity`` per customer and its Σ versions with T rounded
        down, half up and up (``clv_sum_floor``, ``clv_sum_round``, ``clv_sum_ceil``);
        ``clv_expected`` A/(i + r_L), the expected value when lifetimes are geometric with
        mean T (:func:`expected_group_clv`; the annuity at T overstates it);
        ``group_value`` N × annuity CLV; ``group_churn_cost`` V_{q,l} = N·r_L·V_k with V_k
        the annuity CLV.

    References
    ----------
    Courseware lecture 4.2.3: 客户群体的终生价值, 企业客户群体生命周期的计算, 客户的流失费用.

    Examples
    --------
    >>> group_clv_summary(100, 0.2, 100.0, 0.1)[["lifetime_years", "lost_per_year"]].tolist()
    [5.0, 20.0]
    """
    func = "group_clv.group_clv_summary"
    n = require_number(customers, func=func, name="customers (N)", low=0)
    rate = _churn(churn, func=func)
    try:
        methods = group_clv_methods(margin, rate, discount)["value"]
    except InputError as err:   # name the function the user called
        raise InputError(str(err).replace("group_clv.group_clv_methods", func, 1)) from None
    vk = float(methods["annuity"])
    return pd.Series({
        "lifetime_years": 1 / rate, "lost_per_year": n * rate, "clv_annuity": vk,
        "clv_sum_floor": float(methods["floor"]), "clv_sum_round": float(methods["round"]),
        "clv_sum_ceil": float(methods["ceil"]),
        "clv_expected": expected_group_clv(margin, rate, discount),
        "group_value": require_finite_result(n * vk, func=func, what="the group value"),
        "group_churn_cost": require_finite_result(n * rate * vk, func=func,
                                            what="the group churn cost")}, name="value")
