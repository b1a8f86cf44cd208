"""Figures of chapter 2, the MAN case: the ranking bar and the weight-sensitivity map.

Every title, axis label, legend entry and annotation is English inside ``_()`` (catalog
``ch02_man``) or a concept name from the term list, so a figure speaks the language set
with :func:`crmlab.set_language`; a chapter passes no text of its own into them.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..i18n import gettext as _
from ..i18n import term
from .core import TIE_COLOUR, colour

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
        Default: "MAN rule: ranking", in the current language. The axes are labelled
        with the term list's "weighted total score" and "potential customer".

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
    ax.set_xlabel(_("{total} (1–5)").format(total=term("weighted_total")))
    ax.set_ylabel(term("potential_customer"))
    ax.set_title(title or _("{man}: ranking").format(man=term("man_rule")))
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


#: Marker shapes of ties on the winner map, one per kind of tie (winners are squares).
TIE_MARKERS = ("o", "D", "^", "v", "P", "X")


def winner_map_plot(wmap: pd.DataFrame, *, ax=None, boundary: pd.Series | None = None,
                    courseware_weights=None):
    """Colour every weight vector of a winner map by its winning prospect.

    The x axis is the Money weight, the y axis the Authority weight; the Need weight is
    what is left, ``1 − x − y``, so the grid fills a triangle. A single winner is a square
    in its colour; each kind of tie has a marker of its own, split between the colours of
    the two tied prospects (grey when more than two tie), so "B = D" and "C = D" stay
    apart.

    Parameters
    ----------
    wmap : DataFrame
        Output of :func:`crmlab.man_sensitivity.winner_map`.
    ax : matplotlib Axes, optional
    boundary : Series, optional
        Output of :func:`crmlab.man_sensitivity.pairwise_margin`; its break-even line
        ``margin · w = 0`` is drawn.
    courseware_weights : mapping or sequence of 3 floats, optional
        Weights (money, authority, need) to mark with a star, labelled as the
        courseware's, e.g. :data:`crmlab.man.DEFAULT_WEIGHTS`.

    Returns
    -------
    matplotlib Axes
    """
    ax = ax or plt.figure(figsize=(7.5, 5)).add_subplot()
    ties = 0
    for label, part in wmap.groupby("winner", sort=True):
        tied = label.split("=")
        if len(tied) == 1:
            ax.scatter(part["w_money"], part["w_authority"], s=12, marker="s",
                       color=colour(label), label=_("{bank} wins").format(bank=label))
            continue
        two = len(tied) == 2
        ax.plot(part["w_money"], part["w_authority"], linestyle="none",
                marker=TIE_MARKERS[ties % len(TIE_MARKERS)], markersize=7,
                fillstyle="left" if two else "full",
                markerfacecolor=colour(tied[0]) if two else TIE_COLOUR,
                markerfacecoloralt=colour(tied[1]) if two else TIE_COLOUR,
                markeredgecolor="black", markeredgewidth=0.6,
                label=_("tie {banks}").format(banks=" = ".join(tied)))
        ties += 1
    if boundary is not None:
        m, a, n = (float(boundary[d]) for d in ("money", "authority", "need"))
        # m·x + a·y + n·(1 − x − y) = 0  →  (m − n)·x + (a − n)·y = −n
        x = np.linspace(0, 1, 201)
        if a != n:
            y = (-n - (m - n) * x) / (a - n)
            keep = (y >= 0) & (x + y <= 1)
            ax.plot(x[keep], y[keep], color="black", lw=1.2, label=f"{boundary.name} = 0")
    if courseware_weights is not None:
        w = (list(courseware_weights.values()) if hasattr(courseware_weights, "values")
             else list(courseware_weights))
        ax.plot([w[0]], [w[1]], marker="*", markersize=14, color="black", linestyle="none")
        ax.annotate(_("courseware's weights {weights}").format(
                        weights=" / ".join(f"{v:g}" for v in w)),
                    (w[0], w[1]), xytext=(w[0] + 0.05, w[1] + 0.15),
                    fontsize="small", bbox={"facecolor": "white", "edgecolor": "none"})
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.set_aspect("equal")
    ax.set_xlabel(_("{money} weight w_M").format(money=term("money")))
    ax.set_ylabel(_("{authority} weight w_A").format(authority=term("authority")))
    ax.set_title(_("Winner at each weight vector") + "\n(w_N = 1 − w_M − w_A)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1), fontsize="small")
    return ax
