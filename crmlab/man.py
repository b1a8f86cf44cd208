"""MAN rule (MAN法则): score prospects on Money, Authority and Need, and rank them.

The courseware scores each prospect 1–5 on three dimensions — Money (购买力, purchasing
power), Authority (决策权, decision authority) and Need (需求, a purchase need) — and
ranks prospects by a weighted total. Only the Money score has a written rule; Authority
and Need are judged against anchors (5 = a single clear decision-maker / an urgent need
that matches the product, 1 = multi-level approval / no clear need).

Functions
---------
money_score
    The courseware's Money rule: points per budget, ±1 for the profit trend, floor, cap.
score_prospects
    From raw prospect facts (budget, profit trend, Authority, Need) to the ranking table.
rank_prospects
    From already-scored dimensions to weighted totals and ranks.
score_bank_case
    The courseware's five-bank case (dataset ``man_banks``) under a chosen reading.

Moved names
-----------
How the ranking depends on the weights — ``winner_map``, ``pairwise_margin`` and
``MAX_STEPS`` — lives in :mod:`crmlab.man_sensitivity`; this module re-exports those
names (not in ``__all__``), so code written as ``man.winner_map(...)`` keeps working.

References
----------
客户关系管理课件 第3章 客户的发现与获取, 1.3.2 识别潜在客户: the MAN rule, and its 思考题
"华为服务器销售客户优先级决策" (question and answer slides). The deck names no institution
(its cover is a template, "XX学院XX老师"); a watermark, "ZHENGZHOU COLLEGE OF FINANCE AND
ECONOMICS ZHANG Ke", suggests Zhengzhou College of Finance and Economics.
"""

from __future__ import annotations

from types import MappingProxyType

import numpy as np
import pandas as pd

from ._validation import (
    InputError,
    check_option,
    check_weights,
    require_columns,
    require_flag,
    require_in_range,
    require_number,
    require_numeric,
    require_unique,
    require_vector,
)
from .man_sensitivity import MAX_STEPS, pairwise_margin, winner_map  # noqa: F401  (moved names)

__all__ = [
    "DEFAULT_WEIGHTS",
    "DIMENSIONS",
    "PROFIT_ADJUSTMENT",
    "ROUNDING_RULES",
    "money_score",
    "rank_prospects",
    "score_bank_case",
    "score_prospects",
]

#: The three MAN dimensions, in the courseware's order.
DIMENSIONS = ("money", "authority", "need")

#: The courseware's weights (ch. 3, 思考题 answer slide): 总分 = Money×0.4 + Authority×0.3 + Need×0.3.
DEFAULT_WEIGHTS = MappingProxyType({"money": 0.4, "authority": 0.3, "need": 0.3})

#: Profit-trend adjustment of the Money score (ch. 3, 思考题 answer slide): growth +1, stable 0, decline −1.
PROFIT_ADJUSTMENT = MappingProxyType({"up": 1, "flat": 0, "down": -1})

#: How the budget part of the Money score may be rounded. The courseware states no rule;
#: only ``"ceil"`` (round the budget part up, then adjust) reproduces all five of its scores.
#: ``"round"`` rounds halves up (2.5 -> 3), not to even.
ROUNDING_RULES = ("none", "ceil", "floor", "round")

#: Bounds of every MAN score: the courseware's 最低分保护机制 and 最高分限定机制 (worded on the
#: answer slide as the lowest / highest "总分", but they act on each score).
SCORE_FLOOR, SCORE_CAP = 1, 5

_ROUNDERS = {
    "none": lambda x: x,
    "ceil": np.ceil,
    "floor": np.floor,
    "round": lambda x: np.floor(x + 0.5),
}


def money_score(
    budget_yi,
    profit_trend="flat",
    *,
    rounding: str = "none",
    yi_per_point: float = 10,
    floor: float = SCORE_FLOOR,
    cap: float = SCORE_CAP,
):
    """Score purchasing power by the courseware's Money rule.

    ``Money = clip(R(budget_yi / yi_per_point) + adj, floor, cap)``, where ``adj`` is
    +1 for profit growth, 0 for a stable profit and −1 for a decline, and ``R`` is the
    rounding rule (the courseware states none).

    Parameters
    ----------
    budget_yi : float or array-like
        Annual budget in 亿元 (10亿 = ¥1 billion). A Series keeps its index.
    profit_trend : {"up", "flat", "down"} or array-like of them, default "flat"
    rounding : {"none", "ceil", "floor", "round"}, default "none"
        Rounding of the budget part, applied before the adjustment.
    yi_per_point : float, default 10
        Budget (亿元) worth one point: the courseware's "每10亿预算得1分".
    floor, cap : float, default 1 and 5
        Lowest and highest possible score; ``-inf`` / ``inf`` for none.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        The Money score, of the same shape as ``budget_yi``.

    Raises
    ------
    ValueError
        On a negative, missing or non-numeric budget, an unknown profit trend or
        rounding rule.

    Notes
    -----
    The floor and the cap apply to the Money score (the slide's "总分" notwithstanding):
    bank B's raw score 8/10 − 1 = −0.2 becomes 1, bank C's 50/10 + 1 = 6 becomes 5.

    References
    ----------
    Courseware ch. 3, 思考题 answer slide: Money = budget in ¥10亿 units + profit adjustment.

    Examples
    --------
    >>> money_score(30, "up")                    # bank A: 30/10 + 1
    4.0
    >>> money_score(8, "down")                   # bank B: -0.2, floored to 1
    1.0
    >>> money_score(12, "flat")                  # bank E by the stated rule
    1.2
    >>> money_score(12, "flat", rounding="ceil")  # what the slide shows for E
    2.0
    """
    return _money(budget_yi, profit_trend, rounding=rounding, yi_per_point=yi_per_point,
                  floor=floor, cap=cap, func="man.money_score", name="budget_yi")


def _money(budget_yi, profit_trend, *, rounding, yi_per_point, floor, cap, func, name):
    """:func:`money_score`, raising errors that name ``func`` (the function the user called)."""
    check_option(rounding, ROUNDING_RULES, func=func, name="rounding")
    yi_per_point = require_number(yi_per_point, func=func, name="yi_per_point", low=0,
                                  low_open=True)
    for name_, bound in (("floor", floor), ("cap", cap)):     # ±inf: no floor / no cap
        if isinstance(bound, (bool, np.bool_)) or not isinstance(
                bound, (int, float, np.integer, np.floating)) or np.isnan(float(bound)):
            raise InputError(f"{func}: {name_} must be a number (or ±inf for none); "
                             f"got {bound!r}.")
    floor, cap = float(floor), float(cap)
    if not floor <= cap:
        raise InputError(f"{func}: floor must not exceed cap; got floor={floor!r}, cap={cap!r}.")
    scalar = np.ndim(budget_yi) == 0 and np.ndim(profit_trend) == 0
    index = budget_yi.index if isinstance(budget_yi, pd.Series) else None
    budget = require_vector(budget_yi, func=func, name="budget_yi", scalar=True)
    budget = require_numeric(budget.set_axis(range(len(budget))), func=func, name=name)
    require_in_range(
        budget, func=func, name=name, low=0,
        hint="A budget cannot be negative; check the sign and the unit (亿元).",
    )
    if np.ndim(profit_trend) == 0:
        trend = pd.Series([profit_trend] * len(budget), dtype=object)
    else:
        if (isinstance(profit_trend, pd.Series) and index is not None
                and not profit_trend.index.equals(index)):
            raise InputError(f"{func}: profit_trend and budget_yi are Series with different "
                             f"indexes; align them first, e.g. profit_trend.reindex(budget_yi.index).")
        trend = require_vector(profit_trend, func=func, name="profit_trend").astype(object)
        if len(trend) != len(budget):
            raise InputError(f"{func}: profit_trend has {len(trend)} values but budget_yi has "
                             f"{len(budget)}; give one trend per budget, or one for all.")
        trend = trend.set_axis(range(len(trend)))
    known = np.fromiter((isinstance(t, str) and t in PROFIT_ADJUSTMENT for t in trend),
                        dtype=bool, count=len(trend))
    if not known.all():
        rows = (index if index is not None else trend.index)[~known]
        raise InputError(
            f"{func}: profit_trend must be one of {list(PROFIT_ADJUSTMENT)}; got "
            f"{trend[~known].iloc[0]!r} at rows {list(rows[:5])}. "
            f"Map your labels first, e.g. .replace({{'增长': 'up', '稳定': 'flat', '下降': 'down'}})."
        )
    adjustment = np.array([PROFIT_ADJUSTMENT[t] for t in trend], dtype=float)
    raw = _ROUNDERS[rounding](budget.to_numpy() / yi_per_point) + adjustment
    score = np.clip(raw, floor, cap)
    if scalar:
        return float(score[0])
    return pd.Series(score, index=index, name="money") if index is not None else score


def rank_prospects(
    scores: pd.DataFrame,
    *,
    weights=DEFAULT_WEIGHTS,
    money: str = "money",
    authority: str = "authority",
    need: str = "need",
) -> pd.DataFrame:
    """Weight the three MAN scores of each prospect and rank the prospects.

    One row per prospect with a score in 1–5 on each dimension → the same rows, in the
    same order and index, with columns ``money``, ``authority``, ``need``, ``total``
    and ``rank``.

    Parameters
    ----------
    scores : DataFrame
        One row per prospect; the index labels the prospects.
    weights : mapping or sequence of 3 floats, default ``DEFAULT_WEIGHTS`` (0.4/0.3/0.3)
        Weights of money, authority and need; non-negative, summing to 1 within 1e-9.
    money, authority, need : str
        Column names of the three scores in ``scores``.

    Returns
    -------
    DataFrame
        ``money``, ``authority``, ``need`` (floats, 1–5), ``total`` (the weighted sum,
        unrounded) and ``rank`` (1 = best; ties share the better rank). Totals are
        compared after rounding to 9 decimals, so floating-point noise cannot split a tie.

    References
    ----------
    Courseware ch. 3, 思考题 answer slide, weighted total (0.4·Money + 0.3·Authority + 0.3·Need).

    Examples
    --------
    >>> s = pd.DataFrame({"money": [4, 1], "authority": [2, 4], "need": [2, 5]},
    ...                  index=["A", "B"])
    >>> rank_prospects(s)
       money  authority  need  total  rank
    A    4.0        2.0   2.0    2.8     2
    B    1.0        4.0   5.0    3.1     1
    """
    return _rank(scores, weights, (money, authority, need), func="man.rank_prospects")


def _rank(scores, weights, columns, *, func):
    """:func:`rank_prospects`, raising errors that name ``func``."""
    require_columns(scores, dict(zip(DIMENSIONS, columns)), func=func, arg="scores")
    w = check_weights(weights, DIMENSIONS, func=func)
    out = pd.DataFrame(index=scores.index)
    for dim, col in zip(DIMENSIONS, columns):
        values = require_numeric(scores[col], func=func, name=f"column {col!r}")
        require_in_range(
            values, func=func, name=f"column {col!r}", low=SCORE_FLOOR, high=SCORE_CAP,
            hint="MAN scores run from 1 (worst) to 5 (best); apply the floor and cap first.",
        )
        out[dim] = values.to_numpy()
    out["total"] = sum(w[d] * out[d] for d in DIMENSIONS)
    out["rank"] = out["total"].round(9).rank(ascending=False, method="min").astype(int)
    return out


def score_prospects(
    prospects: pd.DataFrame,
    *,
    budget: str = "budget_yi",
    profit_trend: str = "profit_trend",
    authority: str = "authority",
    need: str = "need",
    weights=DEFAULT_WEIGHTS,
    rounding: str = "none",
    yi_per_point: float = 10,
) -> pd.DataFrame:
    """Score prospects from their facts with the MAN rule and rank them.

    One row per prospect (budget in 亿元, profit trend, Authority and Need scores) →
    one row per prospect with ``money``, ``authority``, ``need``, ``total``, ``rank``:
    :func:`money_score` on the budget and trend, then :func:`rank_prospects`.

    Parameters
    ----------
    prospects : DataFrame
        One row per prospect; the index labels the prospects.
    budget, profit_trend, authority, need : str
        Column names in ``prospects``.
    weights : mapping or sequence of 3 floats, default ``DEFAULT_WEIGHTS``
    rounding : {"none", "ceil", "floor", "round"}, default "none"
        See :func:`money_score`; the courseware's own scores need ``"ceil"``.
    yi_per_point : float, default 10

    Returns
    -------
    DataFrame
        As :func:`rank_prospects`.

    References
    ----------
    Courseware ch. 3, 1.3.2 and its 思考题 answer slide.

    Examples
    --------
    >>> import crmlab
    >>> banks = crmlab.load_dataset("man_banks").set_index("bank")
    >>> banks["budget_yi"] = banks["it_budget_yi"] + banks["special_grant_yi"]
    >>> score_prospects(banks, profit_trend="profit_trend_slide", authority="authority_doc",
    ...                 need="need_doc", rounding="ceil")["total"].round(2).to_dict()
    {'A': 2.8, 'B': 3.1, 'C': 2.9, 'D': 4.0, 'E': 1.4}
    """
    return _score(prospects, (budget, profit_trend, authority, need), weights=weights,
                  rounding=rounding, yi_per_point=yi_per_point, func="man.score_prospects")


def _score(prospects, columns, *, weights, rounding, yi_per_point, func):
    """:func:`score_prospects`, raising errors that name ``func``."""
    budget, profit_trend, authority, need = columns
    require_columns(prospects, {"budget": budget, "profit_trend": profit_trend,
                                "authority": authority, "need": need},
                    func=func, arg="prospects")
    money = _money(prospects[budget], prospects[profit_trend], rounding=rounding,
                   yi_per_point=yi_per_point, floor=SCORE_FLOOR, cap=SCORE_CAP, func=func,
                   name=f"column {budget!r}")
    names = ("money", authority, need) if len({"money", authority, need}) == 3 else DIMENSIONS
    scores = pd.DataFrame({names[0]: money.to_numpy(),
                           names[1]: prospects[authority].to_numpy(),
                           names[2]: prospects[need].to_numpy()}, index=prospects.index)
    return _rank(scores, weights, names, func=func)


def score_bank_case(
    banks: pd.DataFrame,
    *,
    weights=DEFAULT_WEIGHTS,
    rounding: str = "ceil",
    slide_adjustments: bool = True,
    count_grant: bool = True,
) -> pd.DataFrame:
    """Score the courseware's five-bank case under a chosen reading of its data.

    Dataset ``man_banks`` (one row per bank) → :func:`score_prospects` output indexed
    by bank. The defaults reproduce the answer slide (A 2.8, B 3.1, C 2.9, D 4.0, E 1.4).

    Parameters
    ----------
    banks : DataFrame
        ``crmlab.load_dataset("man_banks")`` or a frame with its columns ``bank``,
        ``it_budget_yi``, ``special_grant_yi``, ``profit_trend_stated``,
        ``profit_trend_slide``, ``authority_doc`` and ``need_doc``.
    weights : mapping or sequence of 3 floats, default 0.4/0.3/0.3
    rounding : {"none", "ceil", "floor", "round"}, default "ceil"
        ``"ceil"`` is the only rule that reproduces all five Money scores of the slide.
    slide_adjustments : bool, default True
        True: the profit adjustments of the answer slide (+1 for C and D, which the
        question data do not support). False: only what the question states (A up,
        B down; a trend that is not stated counts as flat, +0).
    count_grant : bool, default True
        True: D's ¥10亿 special digital grant is added to its ¥20亿 IT budget, as the
        slide does; False: the IT budget alone.

    References
    ----------
    Courseware ch. 3, 思考题 question and answer slides: the five banks' facts and the slide's scores and totals.

    Examples
    --------
    >>> import crmlab
    >>> banks = crmlab.load_dataset("man_banks")
    >>> round(float(score_bank_case(banks, slide_adjustments=False).loc["D", "total"]), 2)
    3.6
    """
    func = "man.score_bank_case"
    require_columns(banks, ["bank", "it_budget_yi", "special_grant_yi", "profit_trend_stated",
                            "profit_trend_slide", "authority_doc", "need_doc"],
                    func=func, arg="banks")
    slide_adjustments = require_flag(slide_adjustments, func=func, name="slide_adjustments")
    count_grant = require_flag(count_grant, func=func, name="count_grant")
    if banks["bank"].isna().any():
        raise InputError(f"{func}: column 'bank' has missing labels at rows "
                         f"{list(banks.index[banks['bank'].isna()][:5])}. Label every bank.")
    require_unique(banks["bank"], func=func, name="column 'bank'",
                   hint="Keep one row per bank.")
    budget = require_numeric(banks["it_budget_yi"], func=func, name="column 'it_budget_yi'")
    if count_grant:
        grant = require_numeric(banks["special_grant_yi"], func=func,
                                name="column 'special_grant_yi'")
        budget = budget + grant
    stated = banks["profit_trend_stated"].astype(object)
    trend = (banks["profit_trend_slide"] if slide_adjustments
             else stated.where(stated != "not stated", "flat"))
    facts = pd.DataFrame({"budget_yi": budget.to_numpy(), "profit_trend": trend.to_numpy(),
                          "authority": banks["authority_doc"].to_numpy(),
                          "need": banks["need_doc"].to_numpy()},
                         index=pd.Index(banks["bank"].to_numpy(), name="bank"))
    return _score(facts, ("budget_yi", "profit_trend", "authority", "need"), weights=weights,
                  rounding=rounding, yi_per_point=10, func=func)
