"""Figures for the chapters, and a plotting style that renders Chinese labels anywhere.

Plot functions take the *output* of a compute function, draw on ``ax`` (or a new axes),
and return the axes; they never compute scores themselves.

:func:`use_style` sets a font-fallback list: the system's CJK fonts first where present
(Noto Sans CJK SC, WenQuanYi Micro Hei, Microsoft YaHei, PingFang SC), then Noto Sans SC
(OFL-1.1), which ships in the ``pylopdf-fonts-zh-cn`` wheel and is registered here, so a
machine with no CJK font at all still renders Chinese without a missing-glyph warning.
"""

from __future__ import annotations

from importlib import resources

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib import font_manager

from ._validation import InputError, require_columns

__all__ = ["CJK_FONTS", "HEATMAP_LABELS", "MARK_MARKERS", "clv_quadrant_plot", "font_family", "holdout_plot", "p_alive_plot",
           "pareto_plot", "ranking_bar", "ranking_bar_html", "retention_curve_plot",
           "rfm_heatmap", "survival_plot", "tracking_plot", "use_style", "winner_map_plot"]

#: System CJK fonts preferred when installed, in this order.
CJK_FONTS = ("Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC")

#: The free font guaranteed by the ``pylopdf-fonts-zh-cn`` dependency.
BUNDLED_FONT = ("pylopdf_fonts_zh_cn", "NotoSansSC-Regular.otf", "Noto Sans SC")

#: One colour per prospect label, so a bank keeps its colour across figures.
PALETTE = dict(zip("ABCDE", [sns.color_palette("colorblind", 10).as_hex()[i]
                             for i in (0, 1, 2, 4, 5)]))
TIE_COLOUR = "#999999"


def _register_bundled_font() -> str:
    package, filename, family = BUNDLED_FONT
    path = resources.files(package) / filename
    if family not in {f.name for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(path))
    return family


def font_family() -> list[str]:
    """Return the font-fallback list: installed system CJK fonts, the bundled font, DejaVu."""
    bundled = _register_bundled_font()
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return [f for f in CJK_FONTS if f in installed] + [bundled, "DejaVu Sans"]


def use_style() -> None:
    """Set crmlab's figure style: seaborn's whitegrid theme with CJK-capable fonts.

    Examples
    --------
    >>> use_style()
    >>> import matplotlib.pyplot as plt
    >>> plt.rcParams["font.family"][-2:]
    ['Noto Sans SC', 'DejaVu Sans']
    """
    sns.set_theme(style="whitegrid", context="notebook")
    plt.rcParams["font.family"] = font_family()
    plt.rcParams["axes.unicode_minus"] = True
    plt.rcParams["figure.dpi"] = 100


def _colour(label: str) -> str:
    return PALETTE.get(label, TIE_COLOUR)


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
    bars = ax.barh(labels, ordered["total"], color=[_colour(x) for x in labels])
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
            f'background:{_colour(str(label))}"></span>'
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
                   marker="x" if tie else "s", color=_colour(label),
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


#: Colour-bar wording of :func:`rfm_heatmap` for the columns of :func:`crmlab.rfm.rfm_table`
#: (English, Chinese); the currency, if given, goes between them.
HEATMAP_LABELS = {
    "monetary_total": ("mean revenue per customer", "平均消费金额"),
    "monetary_mean": ("mean spend per purchase", "平均每次消费金额"),
    "frequency": ("mean number of purchases", "平均购买次数"),
}


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


#: Markers of the points :func:`pareto_plot` marks, in order, so they differ without colour.
MARK_MARKERS = ("o", "^", "D", "v", "P", "X")


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
