"""Figures of chapter 3, RFM: the score heatmap and the Pareto (80/20) curve."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from .._validation import InputError, require_columns

__all__ = ["HEATMAP_LABELS", "MARK_MARKERS", "pareto_plot", "rfm_heatmap"]

#: Colour-bar wording of :func:`rfm_heatmap` for the columns of :func:`crmlab.rfm.rfm_table`
#: (English, Chinese); the currency, if given, goes between them.
HEATMAP_LABELS = {
    "monetary_total": ("mean revenue per customer", "平均消费金额"),
    "monetary_mean": ("mean spend per purchase", "平均每次消费金额"),
    "frequency": ("mean number of purchases", "平均购买次数"),
}


#: Markers of the points :func:`pareto_plot` marks, in order, so they differ without colour.
MARK_MARKERS = ("o", "^", "D", "v", "P", "X")


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
        colour bar, e.g. "mean revenue per customer (US$) 平均消费金额".
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
        Rows: R score (5 = most recent, on top); columns: F score; cells annotated with
        the mean and coloured by it; empty cells stay blank.

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
    english, chinese = HEATMAP_LABELS.get(value, (f"mean {value}", ""))
    unit = f" ({currency})" if currency else ""
    ax = ax or plt.figure(figsize=(6, 4.5)).add_subplot()
    scores = range(1, int(table[["r_score", "f_score"]].max().max()) + 1)
    grid = (table.pivot_table(index="r_score", columns="f_score", values=value,
                              aggfunc="mean", observed=True)
            .reindex(index=scores[::-1], columns=scores))   # unused scores stay visible
    sns.heatmap(grid, annot=True, fmt=".0f", cmap="Blues", ax=ax,
                cbar_kws={"label": f"{english}{unit} {chinese}".strip()})
    ax.grid(False)
    ax.set_xlabel("F score 频率得分")
    ax.set_ylabel("R score 近度得分")
    ax.set_title("Cell means by R × F score 各R×F格的平均值")
    return ax


def pareto_plot(curve: pd.DataFrame, *, ax=None, marks: pd.DataFrame | None = None):
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

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    ValueError
        If ``curve`` or ``marks`` lacks a needed column.
    """
    func = "plotting.pareto_plot"
    require_columns(curve, ["customer_share", "value_share"], func=func, arg="curve")
    if marks is not None:
        require_columns(marks, ["customer_share", "value_share", "label"], func=func,
                        arg="marks")
    ax = ax or plt.figure(figsize=(5.5, 5)).add_subplot()
    ax.plot(curve["customer_share"], curve["value_share"], lw=2, label="data 数据")
    ax.plot([0, 1], [0, 1], color="grey", ls="--", lw=1, label="equal value 均等")
    ax.plot([0.2], [0.8], marker="s", color="black", ls="none", label="80/20 二八法则")
    if marks is not None:
        for i, row in enumerate(marks.itertuples()):
            ax.plot(row.customer_share, row.value_share, ls="none", ms=7,
                    marker=MARK_MARKERS[i % len(MARK_MARKERS)],
                    label=f"{row.label} {row.customer_share:.0%} → {row.value_share:.0%}")
    ax.set_xlabel("share of customers, largest first 客户占比")
    ax.set_ylabel("share of value 价值占比")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.legend(loc="lower right", fontsize="small")
    ax.set_title("Pareto curve 帕累托曲线")
    return ax


# ------------------------------------------------------------------- chapter 4: CLV
