"""Customer lifetime value (客户终生价值, CLV) as the courseware defines it.

The courseware's formulas, written out in full and made computable, with options that
reproduce each of its ambiguities: the individual CLV, the group CLV from the churn
rate, the churn cost of a customer and of the base, the four CLV quadrants (贵宾型,
改进型, 维持型, 放弃型) and the lifecycle-profit components; and the expected group CLV
the courseware's mean-lifetime method overstates.

Functions
---------
clv_table, individual_clv
    V_K = Σ_{t=1..T} (Q_t − C_t)(1 + i)^−t, per period and in total.
churn_table
    Churn rate r_L, mean lifetime T = 1/r_L and replacements per year per firm.
group_clv, group_clv_methods
    Group CLV with T = 1/r_L: the annuity value for non-integer T and the Σ with T rounded.
expected_group_clv, lifetime_value_gap
    The expected group CLV when each lifetime is random (geometric with mean 1/r_L), and
    how far the courseware's value at the mean lifetime overstates it (Jensen's inequality).
churn_cost, base_churn_cost
    V_l = C_t + (V_k − V_t) and V_{q,l} = N · r_L · V_k.
clv_quadrants
    Current × future value → quadrant, with the thresholds as parameters.
lifecycle_profit
    Sum the components of lifecycle profit in either of the courseware's two lists.

References
----------
客户关系管理(第2.3.4讲): 4.2.3 CLV分析法, 单个客户终生价值计算, 客户群体的终生价值,
企业客户群体生命周期的计算, 客户的流失费用, 2.2.3 客户生命周期利润 and the CLV model
diagram.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ._validation import (
    require_finite_result,
    InputError,
    require_numeric,
    check_option,
    reject_rows,
    require_columns,
    require_in_range,
    require_number,
    require_rate,
)

#: Most periods a cash-flow table may have (100 years of months).
MAX_PERIODS = 1200


def _require_rows(data, *, func: str, arg: str = "data") -> None:
    if len(data) == 0:
        raise ValueError(f"{func}: `{arg}` has no rows; give at least one.")


def _require_flag(value, *, func: str, name: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{func}: {name} must be True or False; got {value!r}.")
    return bool(value)

__all__ = [
    "LIFECYCLE_ITEMS",
    "QUADRANTS",
    "base_churn_cost",
    "churn_cost",
    "churn_table",
    "clv_quadrants",
    "clv_table",
    "group_clv",
    "group_clv_summary",
    "group_clv_methods",
    "expected_group_clv",
    "individual_clv",
    "lifetime_value_gap",
    "lifecycle_profit",
]

#: The four customer types by current and future value (lectures 2–4, ch. 4 §4.2.3, the
#: CLV diagram). The slide has only labels; the placement (``current_value``,
#: ``future_value``) is our reading of their order, the one that matches the courseware's
#: definitions. ``courseware_name`` and ``description`` are what the courseware says of
#: each type (the description in English; 放弃型's is a paraphrase) — a description, not a
#: treatment: the courseware prescribes none except 着重培养 for 改进型.
QUADRANTS = pd.DataFrame(
    [("贵宾型", "Most Valuable Customer (MVC)", "最有价值客户", "high", "high",
      "the core of the business (业务的核心)"),
     ("改进型", "Most Growable Customer (MGC)", "最具成长性客户", "low", "high",
      "customers to cultivate (着重培养的客户)"),
     ("维持型", "ordinary customer", "普通客户", "high", "low",
      "some value, but small (有一定价值但数额较小)"),
     ("放弃型", "Below-Zero", "负值客户", "low", "low",
      "may never bring enough profit to cover their service costs")],
    columns=["quadrant", "alias", "courseware_name", "current_value", "future_value",
             "description"],
).set_index("quadrant")

#: Lifecycle-profit components and their sign, in the courseware's two versions: the text of
#: lectures 2–4, appended §2.2.3 (客户生命周期利润, its two lists give the signs) and the CLV
#: model diagram (客户终生价值模型), which has labels only: the signs of "diagram" are our
#: reading of the order of its labels (客户贡献 …, 客户成本 …, =, 客户终生价值).
LIFECYCLE_ITEMS = {
    "2.2.3": {"基本利润": 1, "关联销售": 1, "成本节约": 1, "推荐价值": 1,
              "获取成本": -1, "价格优惠": -1, "推荐破坏成本": -1},
    "diagram": {"基本利润": 1, "成本节约": 1, "交叉销售": 1, "推荐销售": 1, "增量销售": 1,
                "获取客户成本": -1, "忠诚回报成本": -1, "客户流失成本": -1},
}


def clv_table(cashflows: pd.DataFrame, *, discount: float, period: str = "t",
              revenue: str = "Q", cost: str = "C", revenue_is_net: bool = False) -> pd.DataFrame:
    """Discount each period's margin: the terms of V_K = Σ (Q_t − C_t)(1 + i)^−t.

    Parameters
    ----------
    cashflows : DataFrame
        One row per period t = 1, 2, … (whole numbers in [1, 1200], no repeats).
    discount : float
        The discount rate i per period, in (0, 1).
    period, revenue, cost : str
        Column names of t, Q_t and C_t.
    revenue_is_net : bool, default False
        The courseware calls Q_t "利润净额" (net profit) yet subtracts C_t again. True
        reads Q_t as already net and ignores C_t; False (default) reads Q_t as the gross
        contribution before the firm's cost for this customer.

    Returns
    -------
    DataFrame
        Indexed by ``t``: ``Q``, ``C``, ``margin`` (Q − C, or Q), ``discount_factor``
        (1 + i)^−t, ``present_value`` and ``cumulative_pv``.

    References
    ----------
    Courseware lecture 4.2.3, 单个客户终生价值计算: V_K = Σ_{t=1}^{T} (Q_t − C_t)(1 + i)^{−t}.

    Examples
    --------
    >>> flows = pd.DataFrame({"t": [1, 2], "Q": [110.0, 121.0], "C": [0.0, 0.0]})
    >>> clv_table(flows, discount=0.1)["present_value"].tolist()
    [100.0, 100.0]
    """
    func = "clv.clv_table"
    require_columns(cashflows, [period, revenue, cost], func=func, arg="cashflows")
    i = require_rate(discount, func=func, name="discount")
    revenue_is_net = _require_flag(revenue_is_net, func=func, name="revenue_is_net")
    _require_rows(cashflows, func=func, arg="cashflows")
    t = require_numeric(cashflows[period], func=func, name=f"column {period!r}")
    reject_rows((t < 1) | (t != np.round(t)), t, func=func, name=f"column {period!r}",
                problem="must be whole periods 1, 2, …",
                hint="The courseware sums from t = 1 (the first year's margin is discounted once).")
    reject_rows(t > MAX_PERIODS, t, func=func, name=f"column {period!r}",
                problem=f"must be at most {MAX_PERIODS} periods",
                hint="Beyond that the discounted terms are negligible; use the annuity "
                     "formula (group_clv) for long horizons.")
    reject_rows(t.duplicated(), t, func=func, name=f"column {period!r}",
                problem="has repeated periods", hint="Give one row per period.")
    q = require_numeric(cashflows[revenue], func=func, name=f"column {revenue!r}")
    c = require_numeric(cashflows[cost], func=func, name=f"column {cost!r}")
    require_in_range(c, func=func, name=f"column {cost!r}", low=0,
                     hint="Costs are positive amounts the firm spends on the customer.")
    with np.errstate(all="ignore"):
        margin = q if revenue_is_net else q - c
        factor = (1 + i) ** -t
        out = pd.DataFrame({"Q": q, "C": c if not revenue_is_net else 0.0 * c, "margin": margin,
                            "discount_factor": factor, "present_value": margin * factor})
        out.index = pd.Index(t.astype(int).to_numpy(), name="t")
        out = out.sort_index()
        out["cumulative_pv"] = out["present_value"].cumsum()
    return require_finite_result(out, func=func, what="the CLV table")


def individual_clv(cashflows: pd.DataFrame, *, discount: float, period: str = "t",
                   revenue: str = "Q", cost: str = "C", revenue_is_net: bool = False) -> float:
    """V_K, the sum of :func:`clv_table`'s present values (courseware 4.2.3, 单个客户终生价值计算).

    References
    ----------
    Courseware lecture 4.2.3, 单个客户终生价值计算: V_K = Σ_{t=1}^{T} (Q_t − C_t)(1 + i)^{−t}.

    Examples
    --------
    >>> flows = pd.DataFrame({"t": [1, 2, 3], "Q": [500.0] * 3, "C": [200.0] * 3})
    >>> round(individual_clv(flows, discount=0.08), 2)
    773.13
    """
    return float(clv_table(cashflows, discount=discount, period=period, revenue=revenue,
                           cost=cost, revenue_is_net=revenue_is_net)["present_value"].sum())


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
    func = "clv.churn_table"
    require_columns(data, [customers, lost], func=func)
    _require_rows(data, func=func)
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
    func = "clv.group_clv"
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
    func = "clv.group_clv_methods"
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
    func = "clv.expected_group_clv"
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
    func = "clv.lifetime_value_gap"
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
    func = "clv.churn_cost"
    include_sunk = _require_flag(include_sunk, func=func, name="include_sunk")
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
    func = "clv.base_churn_cost"
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
    func = "clv.group_clv_summary"
    n = require_number(customers, func=func, name="customers (N)", low=0)
    rate = _churn(churn, func=func)
    try:
        methods = group_clv_methods(margin, rate, discount)["value"]
    except InputError as err:   # name the function the user called
        raise InputError(str(err).replace("clv.group_clv_methods", func, 1)) from None
    vk = float(methods["annuity"])
    return pd.Series({
        "lifetime_years": 1 / rate, "lost_per_year": n * rate, "clv_annuity": vk,
        "clv_sum_floor": float(methods["floor"]), "clv_sum_round": float(methods["round"]),
        "clv_sum_ceil": float(methods["ceil"]),
        "clv_expected": expected_group_clv(margin, rate, discount),
        "group_value": require_finite_result(n * vk, func=func, what="the group value"),
        "group_churn_cost": require_finite_result(n * rate * vk, func=func,
                                            what="the group churn cost")}, name="value")


def clv_quadrants(data: pd.DataFrame, *, current: str = "current_value",
                  future: str = "future_value", current_threshold: float | None = None,
                  future_threshold: float | None = None) -> pd.DataFrame:
    """Place customers in the four CLV quadrants by current and future value.

    Parameters
    ----------
    data : DataFrame
    current, future : str
        Column names of current and future value.
    current_threshold, future_threshold : float, optional
        A value at or above the threshold is "high". The courseware sets none; the
        default is the column's median.

    Returns
    -------
    DataFrame
        ``data`` plus ``quadrant`` (贵宾型, 改进型, 维持型, 放弃型), ``alias`` and
        ``description`` (what the courseware says of the type) from :data:`QUADRANTS`.

    References
    ----------
    Lectures 2–4, ch. 4 §4.2.3, the CLV quadrant diagram (placement: our reading).

    Examples
    --------
    >>> people = pd.DataFrame({"current_value": [900, 100], "future_value": [100, 900]})
    >>> clv_quadrants(people, current_threshold=500, future_threshold=500)["quadrant"].tolist()
    ['维持型', '改进型']
    """
    func = "clv.clv_quadrants"
    require_columns(data, [current, future], func=func)
    _require_rows(data, func=func)
    cur = require_numeric(data[current], func=func, name=f"column {current!r}")
    fut = require_numeric(data[future], func=func, name=f"column {future!r}")
    ct = float(cur.median()) if current_threshold is None else require_number(
        current_threshold, func=func, name="current_threshold")
    ft = float(fut.median()) if future_threshold is None else require_number(
        future_threshold, func=func, name="future_threshold")
    level = {True: "high", False: "low"}
    key = pd.DataFrame({"current_value": (cur >= ct).map(level),
                        "future_value": (fut >= ft).map(level)})
    table = QUADRANTS.reset_index()
    placed = key.merge(table, on=["current_value", "future_value"], how="left")
    out = data.copy()
    for col in ("quadrant", "alias", "description"):
        out[col] = placed[col].to_numpy()
    return out


def lifecycle_profit(amounts: Mapping[str, float], *, scheme: str = "2.2.3") -> pd.DataFrame:
    """Customer lifecycle profit from its components, in either courseware list.

    Parameters
    ----------
    amounts : mapping
        Component name (as in :data:`LIFECYCLE_ITEMS`) → positive amount; missing
        components count as 0.
    scheme : {"2.2.3", "diagram"}
        The 2.2.3 text's list or the CLV-model diagram's list (they differ).

    Returns
    -------
    DataFrame
        Indexed by component: ``sign`` (+1 profit, −1 cost), ``amount``,
        ``contribution``; a final ``合计 total`` row.

    References
    ----------
    Courseware 2.2.3 (客户生命周期利润) and the CLV model diagram.

    Examples
    --------
    >>> table = lifecycle_profit({"基本利润": 1000, "推荐价值": 200, "获取成本": 300})
    >>> float(table.loc["合计 total", "contribution"])
    900.0
    """
    func = "clv.lifecycle_profit"
    check_option(scheme, LIFECYCLE_ITEMS, func=func, name="scheme")
    items = LIFECYCLE_ITEMS[scheme]
    if not isinstance(amounts, Mapping):
        raise InputError(f"{func}: amounts must be a mapping component → amount, e.g. "
                        f"{{'基本利润': 1000}}; got {type(amounts).__name__}.")
    unknown = [k for k in amounts if k not in items]
    if unknown:
        raise ValueError(f"{func}: {unknown[0]!r} is not a component of scheme {scheme!r}; "
                         f"its components are {list(items)}.")
    values = {k: require_number(amounts.get(k, 0.0), func=func, name=f"amount of {k!r}", low=0,
                                hint="Enter costs as positive amounts; the sign is applied.")
              for k in items}
    out = pd.DataFrame({"sign": items, "amount": values})
    with np.errstate(all="ignore"):
        out["contribution"] = out["sign"] * out["amount"]
        out.loc["合计 total"] = [np.nan, np.nan, out["contribution"].sum()]
    require_finite_result(out["contribution"], func=func, what="the lifecycle profit")
    return out.rename_axis("component")
