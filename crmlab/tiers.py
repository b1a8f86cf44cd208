"""Customer tiering (客户分级): the customer pyramid, HSBC's tiers, a weighted index, a matrix.

The courseware defines tiering as dividing existing customers into grades by their value
and importance to the firm and serving each grade differently ("'以客户为中心'并不代表以所有
客户为中心"), when there are more customers than the firm can manage one by one, repeat
buyers, and differences in value between them. It names the methods; this module computes
them:

* :func:`customer_pyramid` — Platinum / Gold / Iron / Lead (Zeithaml, Rust & Lemon 2001).
  The tier names are theirs; the cut-offs are parameters. The default bands (top 20%,
  next 30%, next 30%, bottom 20%) are **the suite's choice**: they circulate in vendor
  material and are not in the article.
* :func:`hsbc_tier` / :func:`hsbc_tiers` — the courseware's HSBC case: A–D from loyalty ×
  value, E inactive customers, F possible customers (:data:`HSBC_TIERS`).
* :func:`tiering_index` — the courseware's tiering indicators (客户订单金额, 客户利润贡献,
  客户信用状况, 客户发展前景) combined into a weighted index (综合加权); the courseware gives
  no weights, so equal weights are the default and the suite's choice.
* :func:`key_customer_matrix` — a 2×2 of customer value against the firm's position with
  the customer. The courseware's key-customer matrix (关键客户识别与选择矩阵) is cut off in
  the only copy of the slides, so its axes and quadrant names here are **the suite's own**.
* :func:`tier_summary` — customers and value per tier, for any of these.
* :func:`example_accounts` — ten INVENTED business customers with the four indicators, and
  :func:`indicator_table` — their indicators as numbers (credit grades by
  :data:`CREDIT_SCALE`, the suite's scale).

References
----------
Courseware ch. 3 (《客户关系管理课件》第3章), §3 客户分级管理: definition, reasons, conditions,
methods (客户金字塔模型, 关键客户识别与选择矩阵, RFM), 客户分级指标 and 综合加权; the pyramid's
attribution there reads "2002, 泽丝曼尔".
Lectures 2–4, ch. 4, case 汇丰银行的客户区分 (HSBC, tiers A–F).
Zeithaml, V. A., Rust, R. T., & Lemon, K. N. (2001). The customer pyramid: Creating and
serving profitable customers. *California Management Review* 43(4), 118–142.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .i18n import N_, Words
from ._validation import (
    InputError,
    check_option,
    check_weights,
    format_rows,
    require_columns,
    require_frame,
    require_numeric,
)

__all__ = ["CREDIT_SCALE", "HSBC_TIERS", "HSBC_WORDS", "KEY_MATRIX_QUADRANTS",
           "PYRAMID_CUTOFFS", "PYRAMID_TIERS", "TIERING_INDICATORS", "TIER_TERMS",
           "customer_pyramid", "example_accounts", "hsbc_tier", "hsbc_tiers", "indicator_table",
           "key_customer_matrix", "tier_summary", "tiering_index"]

#: Zeithaml, Rust & Lemon's (2001) tiers, top to bottom.
PYRAMID_TIERS = ("Platinum", "Gold", "Iron", "Lead")

#: The term-list keys of the pyramid tiers and of the key-customer matrix's quadrants.
TIER_TERMS = {"Platinum": "pyramid_platinum", "Gold": "pyramid_gold", "Iron": "pyramid_iron",
              "Lead": "pyramid_lead", "key": "km_key", "win": "km_win",
              "maintain": "km_maintain", "low priority": "km_low_priority"}

#: Default pyramid cut-offs: cumulative shares of customers from the top (the suite's choice).
PYRAMID_CUTOFFS = (0.2, 0.5, 0.8)

#: The courseware's HSBC tiers (lectures 2–4, ch. 4): B and C are both named 大中型 there.
HSBC_TIERS = pd.DataFrame({
    "tier": list("ABCDEF"),
    "name_zh": ["顶级", "大中型", "大中型", "小型", "非活跃客户", "可能客户"],
    "name_en": ["top", "large/medium", "large/medium", "small", "inactive customers",
                "possible customers"],
    "status": ["active"] * 4 + ["inactive", "prospect"],
    "loyalty": ["high", "low", "high", "low", None, None],
    "value": ["high", "high", "low", "low", None, None],
})

#: Display text of :data:`HSBC_TIERS`' status, loyalty and value levels, translated where
#: shown (``i18n.localise``): the case's 高忠诚度/低忠诚度, 高价值/低价值 read 高/低 under the
#: columns 忠诚度 and 价值; F's status is the case's 可能客户.
HSBC_WORDS = Words({"high": N_("high"), "low": N_("low"), "active": N_("active"),
                    "inactive": N_("inactive"), "prospect": N_("prospect")})

#: The courseware's tiering indicators (客户分级指标), as column names.
TIERING_INDICATORS = ("order_amount", "profit_contribution", "credit_status", "prospects")

#: The suite's quadrant names of :func:`key_customer_matrix`, by (high value?, strong position?).
KEY_MATRIX_QUADRANTS = {(True, True): "key", (True, False): "win", (False, True): "maintain",
                        (False, False): "low priority"}

_LEVELS = {"high": True, "low": False, "高": True, "低": False}
_STATUS = {"active": "active", "inactive": "inactive", "prospect": "prospect", "活跃": "active",
           "非活跃": "inactive", "可能客户": "prospect", "潜在": "prospect"}


def _values(data, column, func) -> pd.Series:
    require_columns(data, {"value": column} if isinstance(column, str) else [column],
                    func=func)
    values = require_numeric(data[column], func=func, name=f"column {column!r}")
    if values.empty:
        raise InputError(f"{func}: `data` is empty; there are no customers to tier.")
    return values


def customer_pyramid(data: pd.DataFrame, value: str = "value", *,
                     cutoffs=PYRAMID_CUTOFFS, by: str = "share") -> pd.DataFrame:
    """Place each customer in the pyramid's Platinum / Gold / Iron / Lead tiers.

    ``by="share"``: customers are ranked by ``value`` and ``cutoffs`` are cumulative shares
    of customers from the top — with the default (0.2, 0.5, 0.8), a customer is Platinum if
    fewer than 20% of customers have a strictly higher value, Gold if fewer than 50%, Iron
    if fewer than 80%, else Lead. Equal values always share a tier (the better one), so a
    higher value never gives a lower tier, and a tie at a boundary can give a tier more
    than its share. ``by="value"``: ``cutoffs`` are value thresholds,
    highest first (Platinum ≥ the first, Gold ≥ the second, Iron ≥ the third), e.g.
    ``(5000, 1000, 0)`` makes every loss-making customer Lead.

    The default bands are the suite's choice: Zeithaml, Rust & Lemon (2001) define the
    tiers by profitability and give no percentages.

    Returns
    -------
    DataFrame
        Aligned with ``data``: ``value``, ``above_share`` (share of customers with a
        strictly higher value) and ``tier``.

    Examples
    --------
    >>> d = pd.DataFrame({"value": [900, 50, 400, 400, 10, 300, 120, 80, 60, -20]})
    >>> customer_pyramid(d)["tier"].tolist()     # the two 400s share Platinum: 3 of 10
    ['Platinum', 'Iron', 'Platinum', 'Platinum', 'Lead', 'Gold', 'Gold', 'Iron', 'Iron', 'Lead']
    >>> customer_pyramid(d, cutoffs=(500, 100, 0), by="value")["tier"].tolist()
    ['Platinum', 'Iron', 'Gold', 'Gold', 'Iron', 'Gold', 'Gold', 'Iron', 'Iron', 'Lead']
    """
    func = "tiers.customer_pyramid"
    check_option(by, ("share", "value"), func=func, name="by")
    values = _values(data, value, func)
    cuts = _cutoffs(cutoffs, by, func)
    x = values.to_numpy()
    ordered = np.sort(x)
    above = (len(x) - np.searchsorted(ordered, x, side="right")) / len(x)
    if by == "share":
        position = np.searchsorted(np.asarray(cuts), above, side="right")
    else:
        position = np.array([sum(v < c for c in cuts) for v in x], dtype=int)
    return pd.DataFrame({"value": x, "above_share": above,
                         "tier": np.asarray(PYRAMID_TIERS, dtype=object)[position]},
                        index=data.index)


def _cutoffs(cutoffs, by, func) -> list:
    ok = isinstance(cutoffs, (tuple, list, np.ndarray)) and len(cutoffs) == 3
    numbers = []
    if ok:
        for c in cutoffs:
            if isinstance(c, (bool, np.bool_)) or not isinstance(
                    c, (int, float, np.integer, np.floating)) or not np.isfinite(c):
                ok = False
                break
            numbers.append(float(c))
    if ok and by == "share":
        ok = all(0 < c < 1 for c in numbers) and numbers == sorted(set(numbers))
        want = "three shares strictly between 0 and 1, increasing, e.g. (0.2, 0.5, 0.8)"
    elif ok:
        ok = numbers == sorted(set(numbers), reverse=True)
        want = "three value thresholds, strictly decreasing, e.g. (5000, 1000, 0)"
    else:
        want = ("three shares strictly between 0 and 1, increasing, e.g. (0.2, 0.5, 0.8)"
                if by == "share" else "three value thresholds, strictly decreasing")
    if not ok:
        raise InputError(f"{func}: cutoffs with by={by!r} must be {want}; got {cutoffs!r}.")
    return numbers


def _level(value, func, name):
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    key = value.strip().lower() if isinstance(value, str) else value
    if isinstance(key, str) and key in _LEVELS:
        return _LEVELS[key]
    raise InputError(f"{func}: {name} must be 'high' or 'low' (or True/False, 高/低); got "
                     f"{value!r}.")


def hsbc_tier(loyalty=None, value=None, *, status: str = "active") -> str:
    """The courseware's HSBC tier (A–F) of one customer.

    Active customers: A high loyalty and high value (顶级), B low loyalty and high value,
    C high loyalty and low value (both 大中型 in the courseware), D low and low (小型).
    ``status="inactive"`` gives E (非活跃客户) and ``status="prospect"`` gives F (可能客户),
    whatever the loyalty and value (which may then be left out).

    Examples
    --------
    >>> hsbc_tier("low", "high"), hsbc_tier("high", "low"), hsbc_tier(status="inactive")
    ('B', 'C', 'E')
    """
    func = "tiers.hsbc_tier"
    state = _STATUS.get(status.strip().lower()) if isinstance(status, str) else None
    if state is None:
        raise InputError(f"{func}: status must be one of ['active', 'inactive', 'prospect']; "
                         f"got {status!r}.")
    if state == "inactive":
        return "E"
    if state == "prospect":
        return "F"
    loyal, valuable = _level(loyalty, func, "loyalty"), _level(value, func, "value")
    return {(True, True): "A", (False, True): "B", (True, False): "C", (False, False): "D"}[
        (loyal, valuable)]


def hsbc_tiers(data: pd.DataFrame, *, loyalty: str = "loyalty", value: str = "value",
               status: str | None = "status") -> pd.DataFrame:
    """HSBC tiers of every row of ``data`` (see :func:`hsbc_tier`), with the tier names.

    ``status=None`` treats every row as an active customer. Returns ``tier``, ``name_zh``
    and ``name_en``, aligned with ``data``; the first bad cell is named with its row.

    Examples
    --------
    >>> d = pd.DataFrame({"loyalty": ["high", "low", None], "value": ["high", "low", None],
    ...                   "status": ["active", "active", "prospect"]})
    >>> hsbc_tiers(d)[["tier", "name_zh"]]
      tier name_zh
    0    A      顶级
    1    D      小型
    2    F    可能客户
    """
    func = "tiers.hsbc_tiers"
    columns = {"loyalty": loyalty, "value": value} | ({"status": status} if status else {})
    require_columns(data, columns, func=func)
    tiers = []
    for row, label in enumerate(data.index):
        state = data[status].iloc[row] if status else "active"
        try:
            tiers.append(hsbc_tier(data[loyalty].iloc[row], data[value].iloc[row],
                                   status=state))
        except InputError as error:
            reason = str(error).split(": ", 1)[1]
            raise InputError(f"{func}: row {label!r}: {reason}") from None
    names = HSBC_TIERS.set_index("tier")
    return pd.DataFrame({"tier": tiers, "name_zh": names.loc[tiers, "name_zh"].to_numpy(),
                         "name_en": names.loc[tiers, "name_en"].to_numpy()}, index=data.index)


def tiering_index(data: pd.DataFrame, weights=None, *, scale: str = "minmax",
                  normalise: bool = False) -> pd.DataFrame:
    """The courseware's tiering indicators combined into one weighted index (综合加权).

    Parameters
    ----------
    data : DataFrame
        One row per customer with numeric indicator columns (text ratings such as a credit
        grade must be mapped to numbers first, e.g. ``{"AAA": 4, "AA": 3, "A": 2, "B": 1}``).
    weights : mapping column -> weight, optional
        Non-negative. Default: equal weights on :data:`TIERING_INDICATORS` (the suite's
        choice; the courseware gives no weights).
    scale : {"minmax", "rank", "none"}, default "minmax"
        How indicators are made comparable before weighting: ``"minmax"`` maps each to
        [0, 1] (a constant column becomes 0.5), ``"rank"`` to its percentile rank (ties
        averaged), ``"none"`` uses the values as given (already on one scale).
    normalise : bool, default False
        False: the weights must sum to 1. True: they are divided by their sum, and the
        frame's ``attrs["note"]`` says so.

    Returns
    -------
    DataFrame
        The scaled indicators, ``index`` (their weighted sum) and ``rank`` (1 = highest),
        aligned with ``data``; ``attrs["weights"]`` holds the weights used.

    Examples
    --------
    >>> d = pd.DataFrame({"order_amount": [100, 300, 200], "profit_contribution": [10, 20, 60],
    ...                   "credit_status": [3, 2, 1], "prospects": [5, 1, 3]})
    >>> tiering_index(d)[["index", "rank"]]
       index  rank
    0  0.500     1
    1  0.425     3
    2  0.500     1
    >>> out = tiering_index(d, {"order_amount": 2, "profit_contribution": 2}, normalise=True)
    >>> out.attrs["weights"], out["index"].round(3).tolist()
    ({'order_amount': 0.5, 'profit_contribution': 0.5}, [0.0, 0.6, 0.75])
    """
    func = "tiers.tiering_index"
    check_option(scale, ("minmax", "rank", "none"), func=func, name="scale")
    if not isinstance(normalise, (bool, np.bool_)):
        raise InputError(f"{func}: normalise must be True or False; got {normalise!r}.")
    require_frame(data, func=func)
    if weights is None:
        weights = dict.fromkeys(TIERING_INDICATORS, 1 / len(TIERING_INDICATORS))
    if not isinstance(weights, Mapping) or not weights:
        raise InputError(f"{func}: weights must be a mapping from indicator column to weight, "
                         f"e.g. {dict.fromkeys(TIERING_INDICATORS[:2], 0.5)}; got {weights!r}.")
    names = list(weights)
    require_columns(data, names, func=func)
    if data.empty:
        raise InputError(f"{func}: `data` is empty; there are no customers to tier.")
    note = ""
    if normalise:
        for name, w in weights.items():
            if not _number(w) or not np.isfinite(w) or w < 0:
                raise InputError(f"{func}: weight {name!r} must be a finite number >= 0; "
                                 f"got {w!r}.")
        total = float(sum(weights.values()))
        if total <= 0:
            raise InputError(f"{func}: the weights sum to 0; give at least one positive weight.")
        weights = {n: float(w) / total for n, w in weights.items()}
        note = f"weights divided by their sum ({total:g}) so that they sum to 1"
    used = check_weights(weights, names, func=func, tol=1e-9)
    out = pd.DataFrame(index=data.index)
    for name in names:
        x = require_numeric(data[name], func=func, name=f"column {name!r}")
        if scale == "minmax":
            span = x.max() - x.min()
            x = (x - x.min()) / span if span > 0 else pd.Series(0.5, index=x.index)
        elif scale == "rank":
            x = x.rank(method="average", pct=True)
        out[name] = x.to_numpy()
    out["index"] = sum(w * out[n] for n, w in used.items())
    out["rank"] = out["index"].rank(method="min", ascending=False).astype(int)
    out.attrs["weights"] = used
    out.attrs["note"] = note
    return out


def _number(w) -> bool:
    return isinstance(w, (int, float, np.integer, np.floating)) and not isinstance(
        w, (bool, np.bool_))


def key_customer_matrix(data: pd.DataFrame, *, value: str = "value",
                        position: str = "position", value_cut=None,
                        position_cut=None) -> pd.DataFrame:
    """A 2×2 of a customer's value to the firm against the firm's position with the customer.

    The suite's own reading of the courseware's 关键客户识别与选择矩阵, whose axes are lost:
    ``value`` (what the customer is worth to the firm, e.g. profit) against ``position``
    (how strong the firm is with the customer, e.g. its share of the customer's wallet).
    Cuts default to each column's median; a value equal to the cut counts as high.
    Quadrants (:data:`KEY_MATRIX_QUADRANTS`): "key" (high value, strong position: keep and
    grow), "win" (high value, weak position: invest to win share), "maintain" (low value,
    strong position: serve efficiently), "low priority" (low value, weak position).

    Examples
    --------
    >>> d = pd.DataFrame({"value": [90, 80, 10, 5], "position": [0.7, 0.1, 0.8, 0.2]})
    >>> key_customer_matrix(d)["quadrant"].tolist()
    ['key', 'win', 'maintain', 'low priority']
    """
    func = "tiers.key_customer_matrix"
    require_columns(data, {"value": value, "position": position}, func=func)
    if data.empty:
        raise InputError(f"{func}: `data` is empty; there are no customers to place.")
    axes = {}
    for name, column, cut in (("value", value, value_cut), ("position", position, position_cut)):
        x = require_numeric(data[column], func=func, name=f"column {column!r}")
        if cut is None:
            cut = float(x.median())
        elif not _number(cut) or not np.isfinite(cut):
            raise InputError(f"{func}: {name}_cut must be a finite number or None (the "
                             f"median); got {cut!r}.")
        axes[name] = (x.to_numpy(), float(cut))
    high = axes["value"][0] >= axes["value"][1]
    strong = axes["position"][0] >= axes["position"][1]
    quadrant = [KEY_MATRIX_QUADRANTS[(bool(h), bool(s))] for h, s in zip(high, strong)]
    out = pd.DataFrame({"value": axes["value"][0], "position": axes["position"][0],
                        "high_value": high, "strong_position": strong, "quadrant": quadrant},
                       index=data.index)
    out.attrs["cuts"] = {"value": axes["value"][1], "position": axes["position"][1]}
    return out


def tier_summary(tiers: pd.Series, values, *, order=None) -> pd.DataFrame:
    """Customers, value and their shares per tier, in tier order (empty tiers shown as 0).

    ``order`` defaults to :data:`PYRAMID_TIERS` when the labels are pyramid tiers, else
    the sorted labels.

    Examples
    --------
    >>> t = pd.Series(["Gold", "Platinum", "Gold", "Lead"])
    >>> tier_summary(t, [50, 100, 30, -5])[["customers", "value", "value_share"]]
              customers  value  value_share
    tier
    Platinum          1  100.0     0.571429
    Gold              2   80.0     0.457143
    Iron              0    0.0     0.000000
    Lead              1   -5.0    -0.028571
    """
    func = "tiers.tier_summary"
    if not isinstance(tiers, pd.Series):
        raise InputError(f"{func}: `tiers` must be a Series of tier labels, e.g. "
                         f"customer_pyramid(data)['tier']; got {type(tiers).__name__}.")
    money = require_numeric(pd.Series(np.asarray(values, dtype=object) if not isinstance(
        values, pd.Series) else values.to_numpy(), index=tiers.index), func=func, name="values")
    if len(money) != len(tiers):
        raise InputError(f"{func}: `values` has {len(money)} entries for {len(tiers)} tiers.")
    missing = tiers.isna().to_numpy()
    if missing.any():
        raise InputError(f"{func}: `tiers` has missing labels at rows "
                         f"{format_rows(tiers.index[missing])}; tier every customer first.")
    labels = tiers.astype(str)
    if order is None:
        order = PYRAMID_TIERS if set(labels) <= set(PYRAMID_TIERS) else sorted(set(labels))
    frame = pd.DataFrame({"tier": labels.to_numpy(), "value": money.to_numpy()})
    grouped = frame.groupby("tier")["value"]
    out = pd.DataFrame({"customers": grouped.size(), "value": grouped.sum()}).reindex(
        list(order), fill_value=0)
    out.index.name = "tier"
    out["customers"] = out["customers"].astype(int)
    out["value"] = out["value"].astype(float)
    total = money.sum()
    out["customer_share"] = out["customers"] / len(labels)
    out["value_share"] = out["value"] / total if total != 0 else np.nan
    return out


#: Credit ratings of :func:`example_accounts` as numbers for the index: the suite's scale (the
#: courseware's credit standards, 5C/5P/5W/6A, list factors but give no grades or scale).
CREDIT_SCALE = {"AAA": 4, "AA": 3, "A": 2, "B": 1}


def example_accounts() -> pd.DataFrame:
    """Ten INVENTED business customers (A–J) with the courseware's four tiering indicators.

    ``order_amount`` and ``profit_contribution`` are in 万元 a year, ``credit_rating`` a
    grade (AAA best), ``prospects`` an analyst's 1–5 rating of the customer's development
    prospects, ``share_of_wallet`` the firm's share of what the customer buys in its
    category (its position with the customer). Invented for this chapter (no courseware
    data exist); ``attrs["synthetic"]`` is True.

    Examples
    --------
    >>> accounts = example_accounts()
    >>> int(accounts.loc["A", "order_amount"]), accounts.loc["A", "credit_rating"]
    (1200, 'B')
    """
    table = pd.DataFrame({
        "order_amount": [1200, 800, 650, 400, 300, 250, 180, 120, 90, 60],
        "profit_contribution": [60, 120, 95, 70, 55, 20, 35, -5, 18, 8],
        "credit_rating": ["B", "AAA", "AA", "AA", "A", "A", "AAA", "B", "AA", "A"],
        "prospects": [2, 4, 5, 3, 5, 2, 4, 1, 3, 2],
        "share_of_wallet": [0.70, 0.55, 0.20, 0.80, 0.15, 0.60, 0.35, 0.90, 0.10, 0.25],
    }, index=pd.Index(list("ABCDEFGHIJ"), name="account"))
    table.attrs["synthetic"] = True
    return table


def indicator_table(accounts: pd.DataFrame) -> pd.DataFrame:
    """The four indicators of ``accounts`` as numbers, named as
    :data:`TIERING_INDICATORS` (credit ratings by :data:`CREDIT_SCALE`)."""
    return pd.DataFrame({"order_amount": accounts["order_amount"],
                         "profit_contribution": accounts["profit_contribution"],
                         "credit_status": accounts["credit_rating"].map(CREDIT_SCALE),
                         "prospects": accounts["prospects"]}, index=accounts.index)
