"""Customer lifetime value (客户终生价值, CLV) of one customer, as the courseware defines it.

The courseware's formulas, written out in full and made computable, with options that
reproduce each of its ambiguities: the individual CLV from a customer's cash flows, the
four CLV quadrants (贵宾型, 改进型, 维持型, 放弃型) and the lifecycle-profit components.
The customer base — churn, lifetime, group CLV, churn cost — is :mod:`crmlab.group_clv`.

Functions
---------
clv_table, individual_clv
    V_K = Σ_{t=1..T} (Q_t − C_t)(1 + i)^−t, per period and in total.
clv_quadrants
    Current × future value → quadrant, with the thresholds as parameters.
lifecycle_profit
    Sum the components of lifecycle profit in either of the courseware's two lists.

Moved names
-----------
``churn_table``, ``group_clv``, ``group_clv_methods``, ``group_clv_summary``,
``expected_group_clv``, ``lifetime_value_gap``, ``churn_cost``, ``base_churn_cost`` and
``MIN_CHURN`` live in :mod:`crmlab.group_clv`; this module re-exports them (not in
``__all__``), so code written as ``clv.churn_table(...)`` keeps working.

References
----------
客户关系管理(第2.3.4讲): 4.2.3 CLV分析法, 单个客户终生价值计算, 2.2.3 客户生命周期利润 and
the CLV model and quadrant diagrams.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ._clv_inputs import require_rows
from ._validation import (
    InputError,
    check_option,
    reject_rows,
    require_columns,
    require_finite_result,
    require_flag,
    require_in_range,
    require_number,
    require_numeric,
    require_rate,
)
from .group_clv import (  # noqa: F401  (re-exported: see "Moved names")
    MIN_CHURN,
    base_churn_cost,
    churn_cost,
    churn_table,
    expected_group_clv,
    group_clv,
    group_clv_methods,
    group_clv_summary,
    lifetime_value_gap,
)

__all__ = [
    "LIFECYCLE_ITEMS",
    "MAX_PERIODS",
    "QUADRANTS",
    "clv_quadrants",
    "clv_table",
    "individual_clv",
    "lifecycle_profit",
]

#: Most periods a cash-flow table may have (100 years of months).
MAX_PERIODS = 1200

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
    revenue_is_net = require_flag(revenue_is_net, func=func, name="revenue_is_net")
    require_rows(cashflows, func=func, arg="cashflows")
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
    require_rows(data, func=func)
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
