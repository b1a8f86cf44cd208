"""Figures of chapter 3, RFM: the score heatmap and the Pareto (80/20) curve."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from .. import i18n
from .._validation import InputError, require_columns
from ..i18n import N_, gettext as _

__all__ = ["HEATMAP_LABELS", "MARK_MARKERS", "pareto_plot", "rfm_heatmap"]

#: Colour-bar wording of :func:`rfm_heatmap` for the columns of :func:`crmlab.rfm.rfm_table`,
#: in English (translated when drawn). Each cell is the mean over the cell's customers,
#: so for ``monetary_total`` it is a mean of *totals*, not an average purchase.
HEATMAP_LABELS = {
    "monetary_total": N_("mean total spend per customer"),
    "monetary_mean": N_("mean of the customers' average spend per purchase"),
    "frequency": N_("mean number of purchases per customer"),
}

#: Money units :func:`rfm_heatmap` knows how to name in every language.
CURRENCIES = {"US$": N_("US$"), "元": N_("元"), "yuan": N_("yuan")}


#: Markers of the points :func:`pareto_plot` marks, in order, so they differ without colour.
MARK_MARKERS = ("o", "^", "D", "v", "P", "X")


def _score_label(dimension: str) -> str:
    return _("{letter} ({name}) score").format(letter=dimension[0].upper(),
                                                name=i18n.term(dimension))


def rfm_heatmap(table: pd.DataFrame, *, value: str = "monetary_total",
                currency: str | None = None, ax=None):
    """Heatmap of the mean of ``value`` for each recency × frequency score cell.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`crmlab.rfm.rfm_table`.
    value : str, default "monetary_total"
        The column averaged in each cell.
    currency : str, optional
        The money unit of ``value``, e.g. ``"US$"`` for CDNOW or ``"元"``; shown on the
        colour bar, e.g. "mean total spend per customer (US$)" (in Chinese
        「每位客户平均消费总额（美元）」).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
        Rows: R score (5 = most recent, on top); columns: F score; cells annotated with
        the mean and coloured by it; empty cells stay blank. Labels are in the session's
        language (:func:`crmlab.set_language`); the axes name R and F by the term list.

    Raises
    ------
    ValueError
        If ``table`` lacks ``r_score``, ``f_score`` or ``value``, or ``currency`` is not
        text.
    """
    func = "plotting.rfm_heatmap"
    require_columns(table, ["r_score", "f_score", value], func=func, arg="table")
    if currency is not None and not isinstance(currency, str):
        raise InputError(f"{func}: currency must be text such as 'US$' or '元', or None; got "
                         f"{currency!r}.")
    measure = (i18n.gettext(HEATMAP_LABELS[value]) if value in HEATMAP_LABELS
               else _("mean {column}").format(column=value))
    if currency:
        unit = i18n.gettext(CURRENCIES[currency]) if currency in CURRENCIES else currency
        measure = _("{measure} ({currency})").format(measure=measure, currency=unit)
    ax = ax or plt.figure(figsize=(6, 4.5)).add_subplot()
    scores = range(1, int(table[["r_score", "f_score"]].max().max()) + 1)
    grid = (table.pivot_table(index="r_score", columns="f_score", values=value,
                              aggfunc="mean", observed=True)
            .reindex(index=scores[::-1], columns=scores))   # unused scores stay visible
    sns.heatmap(grid, annot=True, fmt=".0f", cmap="Blues", ax=ax,
                cbar_kws={"label": measure})
    ax.grid(False)
    ax.set_xlabel(_score_label("frequency"))
    ax.set_ylabel(_score_label("recency"))
    ax.set_title(_("Mean per R × F score cell"))
    return ax


def pareto_plot(curve: pd.DataFrame, *, ax=None, marks: pd.DataFrame | None = None,
                label: str | None = None):
    """Draw a Pareto curve (top x% of customers → y% of value) with the 80/20 reference.

    Parameters
    ----------
    curve : DataFrame
        Output of :func:`crmlab.concentration.pareto_curve`.
    marks : DataFrame, optional
        Points to mark, with ``customer_share``, ``value_share`` and ``label`` columns
        (shares as fractions), e.g. the courseware's beer / cake / coffee examples. Each
        is named in the legend with its shares ("beer 23% → 81%"), not written next to
        the point: the courseware's points sit too close together to label.
    label : str, optional
        The name of the data in the legend, e.g. ``"CDNOW"`` (a dataset's name, the same
        in every language); default "data", translated.

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    ValueError
        If ``curve`` or ``marks`` lacks a needed column, or ``label`` is not text.
    """
    func = "plotting.pareto_plot"
    require_columns(curve, ["customer_share", "value_share"], func=func, arg="curve")
    if marks is not None:
        require_columns(marks, ["customer_share", "value_share", "label"], func=func,
                        arg="marks")
    if label is not None and not isinstance(label, str):
        raise InputError(f"{func}: label must be text such as 'CDNOW', or None; got "
                         f"{label!r}.")
    ax = ax or plt.figure(figsize=(5.5, 5)).add_subplot()
    ax.plot(curve["customer_share"], curve["value_share"], lw=2, label=label or _("data"))
    ax.plot([0, 1], [0, 1], color="grey", ls="--", lw=1, label=_("equal value"))
    ax.plot([0.2], [0.8], marker="s", color="black", ls="none",
            label=_("80/20 rule"))
    if marks is not None:
        for i, row in enumerate(marks.itertuples()):
            ax.plot(row.customer_share, row.value_share, ls="none", ms=7,
                    marker=MARK_MARKERS[i % len(MARK_MARKERS)],
                    label=f"{row.label} {row.customer_share:.0%} → {row.value_share:.0%}")
    ax.set_xlabel(_("{share}, largest first").format(share=i18n.term("customer_share")))
    ax.set_ylabel(i18n.term("value_share"))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.legend(loc="lower right", fontsize="small")
    ax.set_title(_("Pareto curve"))
    return ax
