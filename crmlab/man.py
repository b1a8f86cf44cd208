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
winner_map
    Which prospect wins at every weight vector of a grid over the weight simplex.
pairwise_margin
    The linear condition on the weights under which one prospect beats another.
score_bank_case
    The courseware's five-bank case (dataset ``man_banks``) under a chosen reading.

References
----------
客户关系管理课件 第3章 客户的发现与获取 (Zhengzhou College of Finance and Economics), 1.3.2
识别潜在客户, 思考题 "华为服务器销售客户优先级决策" (question and answer slides); digest in
``shared/seeds/000.md``, C9 and F1–F4.
"""

from __future__ import annotations

from fractions import Fraction
from math import lcm
from types import MappingProxyType

import numpy as np
import pandas as pd

from ._validation import (
    check_option,
    check_weights,
    require_columns,
    require_in_range,
    require_integer,
    require_numeric,
)

__all__ = [
    "DEFAULT_WEIGHTS",
    "DIMENSIONS",
    "PROFIT_ADJUSTMENT",
    "ROUNDING_RULES",
    "money_score",
    "pairwise_margin",
    "rank_prospects",
    "score_bank_case",
    "score_prospects",
    "winner_map",
]

#: The three MAN dimensions, in the courseware's order.
DIMENSIONS = ("money", "authority", "need")

#: The courseware's weights (F3): 总分 = Money×0.4 + Authority×0.3 + Need×0.3.
DEFAULT_WEIGHTS = MappingProxyType({"money": 0.4, "authority": 0.3, "need": 0.3})

#: Profit-trend adjustment of the Money score (F1): growth +1, stable 0, decline −1.
PROFIT_ADJUSTMENT = MappingProxyType({"up": 1, "flat": 0, "down": -1})

#: How the budget part of the Money score may be rounded. The courseware states no rule;
#: only ``"ceil"`` (round the budget part up, then adjust) reproduces all five of its scores.
#: ``"round"`` rounds halves up (2.5 -> 3), not to even.
ROUNDING_RULES = ("none", "ceil", "floor", "round")

#: Bounds of every MAN score (the courseware's 最低分保护机制 / 最高分限定机制).
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
        Lowest and highest possible score.

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
    Courseware ch. 3, 思考题 answer slide, Money rule (digest seed 000, F1).

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
    func = "man.money_score"
    check_option(rounding, ROUNDING_RULES, func=func, name="rounding")
    if not yi_per_point > 0:
        raise ValueError(f"{func}: yi_per_point must be > 0; got {yi_per_point!r}.")
    if not floor <= cap:
        raise ValueError(f"{func}: floor must not exceed cap; got floor={floor!r}, cap={cap!r}.")
    scalar = np.ndim(budget_yi) == 0 and np.ndim(profit_trend) == 0
    index = budget_yi.index if isinstance(budget_yi, pd.Series) else None
    budget = pd.Series(np.atleast_1d(budget_yi), index=index, dtype=object)
    budget = require_numeric(budget, func=func, name="budget_yi")
    require_in_range(
        budget, func=func, name="budget_yi", low=0,
        hint="A budget cannot be negative; check the sign and the unit (亿元).",
    )
    trend = pd.Series(np.broadcast_to(np.asarray(profit_trend, dtype=object), budget.shape),
                      index=budget.index)
    unknown = ~trend.isin(list(PROFIT_ADJUSTMENT))
    if unknown.any():
        raise ValueError(
            f"{func}: profit_trend must be one of {list(PROFIT_ADJUSTMENT)}; got "
            f"{trend[unknown].iloc[0]!r} at rows {list(trend.index[unknown][:5])}. "
            f"Map your labels first, e.g. .replace({{'增长': 'up', '稳定': 'flat', '下降': 'down'}})."
        )
    raw = _ROUNDERS[rounding](budget / yi_per_point) + trend.map(PROFIT_ADJUSTMENT).astype(float)
    score = raw.clip(floor, cap).rename("money")
    if scalar:
        return float(score.iloc[0])
    return score if index is not None else score.to_numpy()


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
    Courseware ch. 3, 思考题 answer slide, weighted total (digest seed 000, F3).

    Examples
    --------
    >>> s = pd.DataFrame({"money": [4, 1], "authority": [2, 4], "need": [2, 5]},
    ...                  index=["A", "B"])
    >>> rank_prospects(s)
       money  authority  need  total  rank
    A    4.0        2.0   2.0    2.8     2
    B    1.0        4.0   5.0    3.1     1
    """
    func = "man.rank_prospects"
    require_columns(scores, [money, authority, need], func=func, arg="scores")
    w = check_weights(weights, DIMENSIONS, func=func)
    out = pd.DataFrame(index=scores.index)
    for dim, col in zip(DIMENSIONS, (money, authority, need)):
        values = require_numeric(scores[col], func=func, name=f"column {col!r}")
        require_in_range(
            values, func=func, name=f"column {col!r}", low=SCORE_FLOOR, high=SCORE_CAP,
            hint="MAN scores run from 1 (worst) to 5 (best); apply the floor and cap first.",
        )
        out[dim] = values
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
    Courseware ch. 3, 思考题 (digest seed 000, F1–F4).

    Examples
    --------
    >>> import crmlab
    >>> banks = crmlab.load_dataset("man_banks").set_index("bank")
    >>> banks["budget_yi"] = banks["it_budget_yi"] + banks["special_grant_yi"]
    >>> score_prospects(banks, profit_trend="profit_trend_slide", authority="authority_doc",
    ...                 need="need_doc", rounding="ceil")["total"].round(2).to_dict()
    {'A': 2.8, 'B': 3.1, 'C': 2.9, 'D': 4.0, 'E': 1.4}
    """
    func = "man.score_prospects"
    require_columns(prospects, [budget, profit_trend, authority, need], func=func,
                    arg="prospects")
    scores = pd.DataFrame(
        {
            "money": money_score(prospects[budget], prospects[profit_trend],
                                 rounding=rounding, yi_per_point=yi_per_point),
            "authority": prospects[authority],
            "need": prospects[need],
        },
        index=prospects.index,
    )
    return rank_prospects(scores, weights=weights)


def _exact_integers(values: np.ndarray) -> np.ndarray:
    """Scale decimal scores (up to 6 digits) to integers with the same order and ties."""
    fracs = [Fraction(float(v)).limit_denominator(10**6) for v in values.ravel()]
    scale = lcm(*(f.denominator for f in fracs))
    return np.array([int(f * scale) for f in fracs], dtype=np.int64).reshape(values.shape)


def winner_map(
    scores: pd.DataFrame,
    *,
    steps: int = 20,
    money: str = "money",
    authority: str = "authority",
    need: str = "need",
) -> pd.DataFrame:
    """Find the winning prospect at every weight vector of a grid on the weight simplex.

    One row per prospect (three MAN scores) → one row per weight vector
    ``(i, j, steps - i - j) / steps``: ``(steps + 1)(steps + 2) / 2`` rows, 231 for the
    step-0.05 grid. The comparison is exact: scores are read as decimals (up to 6
    digits) and totals compared as integers, so ties are real ties.

    Parameters
    ----------
    scores : DataFrame
        One row per prospect, labelled by its index (e.g. the output of
        :func:`score_prospects`).
    steps : int, default 20
        Grid resolution: weights are multiples of ``1 / steps``.
    money, authority, need : str
        Column names of the three scores.

    Returns
    -------
    DataFrame
        ``w_money``, ``w_authority``, ``w_need`` (floats summing to 1) and ``winner``:
        the label of the best prospect, or the tied labels joined by ``"="`` in index
        order (e.g. ``"B=D"``).

    Examples
    --------
    >>> s = pd.DataFrame({"money": [4, 1], "authority": [5, 4], "need": [3, 5]},
    ...                  index=["D", "B"])
    >>> winner_map(s, steps=2)["winner"].tolist()
    ['B', 'B', 'D', 'D', 'D', 'D']
    """
    func = "man.winner_map"
    require_columns(scores, [money, authority, need], func=func, arg="scores")
    steps = require_integer(steps, func=func, name="steps", low=1)
    if len(scores) == 0:
        raise ValueError(f"{func}: `scores` has no rows; score at least one prospect.")
    values = np.column_stack([
        require_numeric(scores[c], func=func, name=f"column {c!r}").to_numpy()
        for c in (money, authority, need)
    ])
    exact = _exact_integers(values)
    lattice = np.array([(i, j, steps - i - j)
                        for i in range(steps + 1) for j in range(steps + 1 - i)])
    totals = lattice @ exact.T
    is_best = totals == totals.max(axis=1, keepdims=True)
    codes = is_best @ (1 << np.arange(len(scores), dtype=np.int64))
    labels = [str(x) for x in scores.index]
    names = {c: "=".join(l for k, l in enumerate(labels) if c >> k & 1) for c in np.unique(codes)}
    return pd.DataFrame({
        "w_money": lattice[:, 0] / steps,
        "w_authority": lattice[:, 1] / steps,
        "w_need": lattice[:, 2] / steps,
        "winner": [names[c] for c in codes],
    })


def pairwise_margin(
    scores: pd.DataFrame,
    a,
    b,
    *,
    money: str = "money",
    authority: str = "authority",
    need: str = "need",
) -> pd.Series:
    """Give the weight condition under which prospect ``a`` beats prospect ``b``.

    ``a`` beats ``b`` exactly when ``sum(margin[d] * w[d]) > 0``: the total is linear in
    the weights, so the difference of two totals is the weighted difference of scores.

    Returns
    -------
    Series
        Indexed by ``money``, ``authority``, ``need``: the score differences ``a − b``.

    Examples
    --------
    >>> s = pd.DataFrame({"money": [4, 1], "authority": [5, 4], "need": [3, 5]},
    ...                  index=["D", "B"])
    >>> pairwise_margin(s, "D", "B").tolist()   # D beats B iff 3 w_M + w_A - 2 w_N > 0
    [3.0, 1.0, -2.0]
    """
    func = "man.pairwise_margin"
    require_columns(scores, [money, authority, need], func=func, arg="scores")
    for label in (a, b):
        if label not in scores.index:
            raise ValueError(f"{func}: prospect {label!r} is not in the index "
                             f"{list(scores.index)}.")
    cols = [money, authority, need]
    diff = scores.loc[a, cols].astype(float) - scores.loc[b, cols].astype(float)
    return pd.Series(diff.to_numpy(), index=list(DIMENSIONS), name=f"{a} - {b}")


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
    Courseware ch. 3, 思考题 question and answer slides (digest seed 000, W7 and F4).

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
    table = banks.set_index("bank")
    budget = table["it_budget_yi"] + (table["special_grant_yi"] if count_grant else 0)
    trend = (table["profit_trend_slide"] if slide_adjustments
             else table["profit_trend_stated"].replace({"not stated": "flat"}))
    facts = pd.DataFrame({"budget_yi": budget, "profit_trend": trend,
                          "authority": table["authority_doc"], "need": table["need_doc"]})
    return score_prospects(facts, weights=weights, rounding=rounding)
