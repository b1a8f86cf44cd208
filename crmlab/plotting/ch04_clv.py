"""Figures of chapter 4, CLV: retention, value quadrants, BG/NBD fit checks, sBG survival."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from .core import TIE_COLOUR


__all__ = ["clv_quadrant_plot", "holdout_plot", "p_alive_plot", "retention_curve_plot",
           "survival_plot", "tracking_plot"]


def retention_curve_plot(curve: pd.DataFrame, *, ax=None):
    """CLV against retention, one line per timing convention.

    ``curve``: indexed by retention, one column per convention (the result of
    :func:`crmlab.widgets.retention_curve_panel`, or built from
    :func:`crmlab.retention.clv_conventions`).
    """
    ax = ax or plt.figure(figsize=(6, 4)).add_subplot()
    for column in curve.columns:
        ax.plot(curve.index, curve[column], marker="o", ms=3, label=column)
    ax.set_xlabel("retention rate r 保留率")
    ax.set_ylabel("CLV 客户终生价值")
    ax.set_title("CLV by retention and timing convention 不同计时约定下的CLV")
    ax.legend(fontsize="small")
    return ax


def clv_quadrant_plot(data: pd.DataFrame, *, current_threshold: float,
                      future_threshold: float, current: str = "current_value",
                      future: str = "future_value", scale: str = "symlog", ax=None):
    """Scatter of current × future value coloured by quadrant (from ``clv_quadrants``).

    Each quadrant's name and count sit in its corner of the axes, so no legend covers the
    data; points are small and translucent, so the dense 放弃型 corner shows its density.

    Parameters
    ----------
    data : DataFrame
        The output of :func:`crmlab.clv.clv_quadrants`.
    current_threshold, future_threshold : float
        Drawn as dashed lines.
    scale : {"symlog", "linear"}
        "symlog" (default): logarithmic above 1, linear from 0 to 1, so skewed amounts
        and zeros both fit; the axes start at 0 (amounts are not negative).
    """
    ax = ax or plt.figure(figsize=(6.5, 5)).add_subplot()
    palette = sns.color_palette("colorblind", 8).as_hex()     # blue, green, orange, grey
    colours = dict(zip(["贵宾型", "改进型", "维持型", "放弃型"],
                       [palette[0], palette[2], palette[1], palette[7]]))
    counts = data["quadrant"].value_counts()
    order = counts.index.tolist()            # largest group first, so small ones stay visible
    for name in order:
        group = data[data["quadrant"] == name]
        ax.scatter(group[current], group[future], s=7, alpha=0.45, linewidths=0,
                   color=colours.get(name, TIE_COLOUR), rasterized=len(group) > 500)
    ax.axvline(current_threshold, color="grey", ls="--", lw=1)
    ax.axhline(future_threshold, color="grey", ls="--", lw=1)
    if scale == "symlog":
        ax.set_xscale("symlog", linthresh=1)
        ax.set_yscale("symlog", linthresh=1)
    room = 3.0 if scale == "symlog" else 1.15      # head room for the corner labels
    ax.set_xlim(left=0, right=float(data[current].max()) * room)
    ax.set_ylim(bottom=0, top=float(data[future].max()) * room)
    corners = {"贵宾型": (0.98, 0.98, "right", "top"), "改进型": (0.02, 0.98, "left", "top"),
               "维持型": (0.98, 0.02, "right", "bottom"),
               "放弃型": (0.02, 0.02, "left", "bottom")}
    for name, (x, y, ha, va) in corners.items():
        ax.text(x, y, f"{name} {counts.get(name, 0):,}", transform=ax.transAxes, ha=ha, va=va,
                color=colours[name], fontsize="small",
                bbox={"facecolor": "white", "edgecolor": colours[name], "alpha": 0.85,
                      "boxstyle": "round,pad=0.25"})
    ax.set_xlabel("current value 客户当前价值")
    ax.set_ylabel("future value 客户未来价值")
    ax.set_title("Four CLV quadrants 客户价值矩阵")
    return ax


def holdout_plot(table: pd.DataFrame, *, ax=None):
    """Actual vs predicted mean holdout purchases by calibration frequency (``holdout_check``)."""
    ax = ax or plt.figure(figsize=(6, 4)).add_subplot()
    x = np.arange(len(table))
    ax.plot(x, table["actual"], marker="o", label="actual 实际")
    ax.plot(x, table["predicted"], marker="s", ls="--", label="BG/NBD predicted 预测")
    ax.set_xticks(x, table.index)
    ax.set_xlabel("purchases in calibration (x) 校准期重复购买次数")
    ax.set_ylabel("mean purchases in holdout 验证期平均购买次数")
    ax.set_title("Holdout check, 39 weeks 验证期检验")
    ax.legend()
    return ax


def tracking_plot(track: pd.DataFrame, *, calibration_end: float | None = None, ax=None):
    """Cumulative repeat purchases per week, actual vs predicted (``cumulative_tracking``)."""
    ax = ax or plt.figure(figsize=(7, 4)).add_subplot()
    ax.plot(track.index, track["actual"], label="actual 实际")
    ax.plot(track.index, track["predicted"], ls="--", label="BG/NBD predicted 预测")
    if calibration_end is not None:
        ax.axvline(calibration_end, color="grey", ls=":", lw=1)
        ax.annotate("end of calibration 校准期结束", (calibration_end, 0), xytext=(4, 8),
                    textcoords="offset points", fontsize="small")
    ax.set_xlabel("week 周")
    ax.set_ylabel("cumulative repeat purchases 累计重复购买")
    ax.set_title("Weekly tracking 逐周跟踪")
    ax.legend()
    return ax


def p_alive_plot(grid: pd.DataFrame, *, ax=None):
    """Heatmap of P(alive) over frequency (rows) × recency (columns) for one T."""
    ax = ax or plt.figure(figsize=(7, 4.5)).add_subplot()
    sns.heatmap(grid, ax=ax, cmap="viridis", vmin=0, vmax=1,
                cbar_kws={"label": "P(alive) 仍活跃概率"})
    ax.invert_yaxis()
    ax.set_xlabel("recency t_x (weeks) 最后一次购买时间")
    ax.set_ylabel("frequency x 重复购买次数")
    ax.set_title("P(alive) at T = {:g} weeks".format(grid.attrs.get("T", float("nan"))))
    return ax


def survival_plot(actual: pd.DataFrame, projected: pd.DataFrame, *, fitted_until: int,
                  constant: pd.DataFrame | None = None, ax=None):
    """Survival (%) by year: actual per cohort (columns) and sBG projections (dashed).

    ``constant``, optional: projections of a constant retention rate per cohort, drawn
    dotted, to show what sBG corrects.
    """
    ax = ax or plt.figure(figsize=(8.5, 4)).add_subplot()
    for k, cohort in enumerate(actual.columns):
        colour = sns.color_palette("colorblind", 4)[k]
        ax.plot(actual.index, actual[cohort], marker="o", ms=3, color=colour,
                label=f"{cohort} actual 实际")
        ax.plot(projected.index, projected[cohort], ls="--", color=colour,
                label=f"{cohort} sBG")
        if constant is not None:
            ax.plot(constant.index, constant[cohort], ls=":", lw=1.5, color=colour,
                    label=f"{cohort} constant r 固定保留率")
    ax.axvline(fitted_until, color="grey", ls=":", lw=1)
    ax.set_xlabel("year 年")
    ax.set_ylabel("% still customers 留存比例 (%)")
    ax.set_title("sBG retention projections 留存预测")
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1))   # off the data
    return ax
