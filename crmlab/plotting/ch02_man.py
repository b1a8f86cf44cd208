"""Figures of chapter 2, the MAN case: the ranking bar and the weight-sensitivity map."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .core import colour

__all__ = ["ranking_bar", "ranking_bar_html", "winner_map_plot"]


def ranking_bar(table: pd.DataFrame, *, ax=None, title: str | None = None):
    """Draw prospects' weighted totals as horizontal bars, best on top.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`crmlab.man.rank_prospects` (``total`` and ``rank`` columns),
        indexed by prospect.
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib Axes
    """
    ax = ax or plt.figure(figsize=(6, 3)).add_subplot()
    ordered = table.sort_values(["rank", "total"], ascending=[False, True])
    labels = [str(x) for x in ordered.index]
    bars = ax.barh(labels, ordered["total"], color=[colour(x) for x in labels])
    ax.bar_label(bars, labels=[f"{v:.2f}" for v in ordered["total"]], padding=3)
    ax.set_xlim(0, 5.4)
    ax.set_xlabel("weighted total 加权总分 (1–5)")
    ax.set_ylabel("prospect 客户")
    ax.set_title(title or "MAN ranking 排名")
    return ax


def ranking_bar_html(table: pd.DataFrame, *, title: str = "", scale: float = 5.0) -> str:
    """Render prospects' weighted totals as an HTML bar chart, best on top.

    The live twin of :func:`ranking_bar` for dashboards: it renders in under a
    millisecond and needs no font on the server (the browser draws the text).

    Parameters
    ----------
    table : DataFrame
        Output of :func:`crmlab.man.rank_prospects`.
    title : str, optional
    scale : float, default 5
        The total that fills the whole bar width.

    Examples
    --------
    >>> t = pd.DataFrame({"total": [2.8, 4.0], "rank": [2, 1]}, index=["A", "D"])
    >>> html = ranking_bar_html(t)
    >>> html.index(">D<") < html.index(">A<")
    True
    """
    rows = []
    for label, row in table.sort_values(["rank", "total"], ascending=[True, False]).iterrows():
        width = max(0.0, min(1.0, row["total"] / scale)) * 100
        rows.append(
            f'<div style="display:flex;align-items:center;margin:2px 0">'
            f'<span style="width:2em;text-align:right;margin-right:6px">{label}</span>'
            f'<span style="width:{width:.1f}%;max-width:75%;height:1.2em;'
            f'background:{colour(str(label))}"></span>'
            f'<span style="margin-left:6px">{row["total"]:.2f}</span></div>'
        )
    head = f"<b>{title}</b>" if title else ""
    return f'<div style="font-family:sans-serif;width:32em">{head}{"".join(rows)}</div>'


def winner_map_plot(wmap: pd.DataFrame, *, ax=None, boundary: pd.Series | None = None):
    """Colour every weight vector of a winner map by its winning prospect.

    The x axis is the Money weight, the y axis the Authority weight; the Need weight is
    what is left, ``1 − x − y``, so the grid fills a triangle.

    Parameters
    ----------
    wmap : DataFrame
        Output of :func:`crmlab.man.winner_map`.
    ax : matplotlib Axes, optional
    boundary : Series, optional
        Output of :func:`crmlab.man.pairwise_margin`; its break-even line
        ``margin · w = 0`` is drawn.

    Returns
    -------
    matplotlib Axes
    """
    ax = ax or plt.figure(figsize=(7.5, 5)).add_subplot()
    for label, part in wmap.groupby("winner", sort=True):
        tie = "=" in label
        ax.scatter(part["w_money"], part["w_authority"], s=18 if tie else 12,
                   marker="x" if tie else "s", color=colour(label),
                   label=f"tie {label} 并列" if tie else f"{label} wins 胜出")
    if boundary is not None:
        m, a, n = (float(boundary[d]) for d in ("money", "authority", "need"))
        # m·x + a·y + n·(1 − x − y) = 0  →  (m − n)·x + (a − n)·y = −n
        x = np.linspace(0, 1, 201)
        if a != n:
            y = (-n - (m - n) * x) / (a - n)
            keep = (y >= 0) & (x + y <= 1)
            ax.plot(x[keep], y[keep], color="black", lw=1.2, label=f"{boundary.name} = 0")
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.set_aspect("equal")
    ax.set_xlabel("Money weight w_M (购买力权重)")
    ax.set_ylabel("Authority weight w_A (决策权权重)")
    ax.set_title("Winner at each weight vector 各权重下的胜出者\n(w_N = 1 − w_M − w_A)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1), fontsize="small")
    return ax
