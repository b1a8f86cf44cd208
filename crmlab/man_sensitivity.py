"""How the MAN ranking depends on its weights: the winner over the weight simplex.

The courseware ranks prospects by 0.4·Money + 0.3·Authority + 0.3·Need (:mod:`crmlab.man`)
and says nothing of other weights. A total is linear in the weights, so who wins is
decided by a few linear conditions: :func:`winner_map` finds the winner at every weight
vector of a grid, exactly, and :func:`pairwise_margin` gives the condition under which
one prospect beats another.

Functions
---------
winner_map
    Which prospect wins at every weight vector of a grid over the weight simplex.
pairwise_margin
    The linear condition on the weights under which one prospect beats another.

References
----------
客户关系管理课件 第3章 客户的发现与获取, 1.3.2 识别潜在客户: the MAN rule and the weights of
its 思考题 answer slide ("华为服务器销售客户优先级决策"); the sensitivity analysis is this
suite's own.
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
import pandas as pd

from ._lattice import best_sets, decimal_integers, weight_lattice
from ._validation import (
    InputError,
    require_columns,
    require_integer,
    require_numeric,
    require_unique,
)

__all__ = ["MAX_STEPS", "pairwise_margin", "winner_map"]

#: Finest grid :func:`winner_map` computes: weights in steps of 0.001 (501,501 vectors).
MAX_STEPS = 1000

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
    step-0.05 grid. The comparison is exact, for any number of prospects: each score is
    read as the decimal it prints as (``1.2`` is 12/10, ``0.30000000000000004`` is that
    decimal) and totals are compared in integer arithmetic, so ties are real ties.

    Parameters
    ----------
    scores : DataFrame
        One row per prospect, labelled by its index (e.g. the output of
        :func:`score_prospects`); the labels must be unique.
    steps : int, default 20
        Grid resolution: weights are multiples of ``1 / steps``; at most
        :data:`MAX_STEPS` (1000, a 0.001 grid of 501,501 weight vectors).
    money, authority, need : str
        Column names of the three scores.

    Returns
    -------
    DataFrame
        ``w_money``, ``w_authority``, ``w_need`` (floats summing to 1) and ``winner``:
        the label of the best prospect, or the tied labels joined by ``"="`` in index
        order (e.g. ``"B=D"``).

    Raises
    ------
    ValueError
        (a :class:`crmlab._validation.InputError`) on a missing column, no rows,
        non-numeric, missing or infinite scores, repeated labels, or ``steps`` outside
        1 .. :data:`MAX_STEPS`.

    Examples
    --------
    >>> s = pd.DataFrame({"money": [4, 1], "authority": [5, 4], "need": [3, 5]},
    ...                  index=["D", "B"])
    >>> winner_map(s, steps=2)["winner"].tolist()
    ['B', 'B', 'D', 'D', 'D', 'D']
    """
    func = "man_sensitivity.winner_map"
    require_columns(scores, {"money": money, "authority": authority, "need": need},
                    func=func, arg="scores")
    steps = require_integer(steps, func=func, name="steps", low=1)
    if steps > MAX_STEPS:
        raise InputError(f"{func}: steps must be at most {MAX_STEPS} (a 0.001 grid); got {steps}. "
                         f"A finer grid adds nothing to read: use pairwise_margin for the exact "
                         f"boundary between two prospects.")
    if len(scores) == 0:
        raise InputError(f"{func}: `scores` has no rows; score at least one prospect.")
    require_unique(scores.index, func=func, name="prospect labels (the index of `scores`)",
                   hint="Give each prospect its own label, e.g. scores.set_index('lead_id').")
    values = np.column_stack([
        require_numeric(scores[c], func=func, name=f"column {c!r}").to_numpy()
        for c in (money, authority, need)
    ])
    exact = decimal_integers(values)
    distinct = list(dict.fromkeys(exact))          # identical prospects always tie
    position = {v: k for k, v in enumerate(distinct)}
    members: list[list[int]] = [[] for _ in distinct]
    for row, vector in enumerate(exact):
        members[position[vector]].append(row)
    vectors = np.array([values[m[0]] for m in members], dtype=float)
    lattice = weight_lattice(steps)
    labels = [str(x) for x in scores.index]
    names: dict[tuple[int, ...], str] = {}
    winners = []
    for best in best_sets(lattice, vectors, distinct):
        if best not in names:
            names[best] = "=".join(labels[r] for r in sorted(r for b in best for r in members[b]))
        winners.append(names[best])
    return pd.DataFrame({
        "w_money": lattice[:, 0] / steps,
        "w_authority": lattice[:, 1] / steps,
        "w_need": lattice[:, 2] / steps,
        "winner": winners,
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
    func = "man_sensitivity.pairwise_margin"
    cols = [money, authority, need]
    require_columns(scores, {"money": money, "authority": authority, "need": need},
                    func=func, arg="scores")
    rows = []
    for label in (a, b):
        try:
            found = isinstance(label, Hashable) and label in scores.index
        except (TypeError, ValueError):
            found = False
        if not found:
            raise InputError(f"{func}: prospect {label!r} is not in the index "
                             f"{list(scores.index)[:20]}. Pass a label of the index, e.g. "
                             f"{scores.index[0]!r}." if len(scores) else
                             f"{func}: prospect {label!r} is not in the index: `scores` is empty.")
        rows.append(np.flatnonzero(scores.index == label))
    require_unique(scores.index[np.concatenate(rows)], func=func,
                   name="prospect labels (the index of `scores`)",
                   hint="Give each prospect its own label, e.g. scores.set_index('lead_id').")
    values = {col: require_numeric(scores[col].iloc[[rows[0][0], rows[1][0]]], func=func,
                                   name=f"column {col!r}").to_numpy() for col in cols}
    diff = np.array([values[c][0] - values[c][1] for c in cols])
    if not np.isfinite(diff).all():
        raise InputError(f"{func}: the score differences of {a!r} and {b!r} overflow a float "
                         f"(scores near 1e308); rescale the scores.")
    return pd.Series(diff, index=["money", "authority", "need"], name=f"{a} - {b}")
