"""Figures of chapter 4, CLV: the quadrant diagram, retention, value quadrants, BG/NBD fit
checks, sBG survival.

Every title, axis label, legend entry and annotation is English inside ``_("...")`` and
translated by the chapter's catalog (``ch04_clv``) at call time, so the Chinese edition of
the chapter draws Chinese figures from the same code. Quadrant names are the courseware's
(贵宾型 …) in both languages.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from .. import i18n
from ..i18n import N_, gettext as _
from .core import TIE_COLOUR


__all__ = ["CONVENTION_LABELS", "COHORT_LABELS", "clv_quadrant_plot", "holdout_plot",
           "p_alive_plot", "quadrant_diagram", "retention_curve_plot", "survival_plot",
           "tracking_plot"]

#: The names of the three timing conventions of ``retention.clv_conventions`` (its index),
#: shown in legends; translated where they are drawn.
CONVENTION_LABELS = {
    "start of period": N_("start of period: m(1+d)/(1+d−r)"),
    "retained, end of period": N_("end of period, if retained: m·r/(1+d−r)"),
    "end of period": N_("end of period, first margin certain: m/(1+d−r)"),
}

#: Readable names of the two cohorts of the ``retention_cohorts`` data set.
COHORT_LABELS = {"regular": N_("regular cohort"), "high_end": N_("high-end cohort")}

#: The four quadrants (courseware lecture 4.2.3): where the diagram puts them, their colour.
_QUADRANT_KEYS = {"贵宾型": "quadrant_vip", "改进型": "quadrant_improve",
                  "维持型": "quadrant_maintain", "放弃型": "quadrant_abandon"}
_PALETTE = sns.color_palette("colorblind", 8).as_hex()
_QUADRANT_COLOURS = dict(zip(_QUADRANT_KEYS, [_PALETTE[0], _PALETTE[2], _PALETTE[1],
                                              _PALETTE[7]]))


def _label(table: dict, key) -> str:
    """``table[key]`` translated, or the key itself when the table does not know it."""
    return i18n.gettext(table[key]) if key in table else str(key)


def quadrant_diagram(*, ax=None):
    """The courseware's four customer types (lecture 4.2.3) as a 2 × 2 diagram.

    Current value on the horizontal axis, future value on the vertical one; each cell
    holds the courseware's name, its other name and the courseware's description. The
    placement is our reading of the order of the slide's labels (the slide has no axes
    values, no thresholds).
    """
    ax = ax or plt.figure(figsize=(7, 4.6)).add_subplot()
    quote = N_("“{text}”")
    cells = {   # name: (column, row, other name, the courseware's description, how shown)
        "改进型": (0, 1, N_("Most Growable Customer (MGC)"), N_("customers to cultivate"),
                  quote),
        "贵宾型": (1, 1, N_("Most Valuable Customer (MVC)"), N_("the core of the business"),
                  quote),
        "放弃型": (0, 0, N_("Below-Zero customer"),
                  N_("may never bring enough profit to cover their service costs"),
                  N_("(paraphrase) {text}")),
        "维持型": (1, 0, N_("ordinary customer"), N_("some value, but small"), quote),
    }
    for name, (col, row, other, says, shown) in cells.items():
        colour = _QUADRANT_COLOURS[name]
        ax.add_patch(plt.Rectangle((col, row), 1, 1, facecolor=colour, alpha=0.15,
                                   edgecolor="white", lw=3))
        ax.text(col + 0.5, row + 0.68, name, ha="center", va="center", fontsize="x-large",
                color=colour)
        ax.text(col + 0.5, row + 0.45, i18n.gettext(other), ha="center", va="center",
                fontsize="small")
        width = 18 if i18n.get_language() == "zh" else 34     # a CJK character is wide
        text = textwrap.fill(i18n.gettext(shown).format(text=i18n.gettext(says)),
                             width=width)
        ax.text(col + 0.5, row + 0.22, text, ha="center", va="center", fontsize="small",
                style="italic")
    ax.set_xlim(0, 2)
    ax.set_ylim(0, 2)
    ax.set_xticks([0.5, 1.5], [_("low"), _("high")])
    ax.set_yticks([0.5, 1.5], [_("low"), _("high")])
    ax.grid(False)
    ax.set_xlabel(i18n.term("current_value"))
    ax.set_ylabel(i18n.term("future_value"))
    ax.set_title(_("The four customer types by current and future value"))
    return ax


def retention_curve_plot(curve: pd.DataFrame, *, ax=None):
    """CLV against retention, one line per timing convention.

    ``curve``: indexed by retention, one column per convention (the result of
    :func:`crmlab.widgets.retention_curve_panel`, or built from
    :func:`crmlab.retention.clv_conventions`).
    """
    ax = ax or plt.figure(figsize=(6, 4)).add_subplot()
    for column in curve.columns:
        ax.plot(curve.index, curve[column], marker="o", ms=3,
                label=_label(CONVENTION_LABELS, column))
    ax.set_xlabel(_("retention rate r"))
    ax.set_ylabel(i18n.term("clv"))
    ax.set_title(_("CLV by retention rate, for each timing convention"))
    ax.legend(fontsize="small")
    return ax


def clv_quadrant_plot(data: pd.DataFrame, *, current_threshold: float,
                      future_threshold: float, current: str = "current_value",
                      future: str = "future_value", scale: str = "symlog",
                      horizon_months: int | None = None, currency: str | None = None,
                      ax=None):
    """Scatter of current × future value coloured by quadrant (from ``clv_quadrants``).

    Each quadrant's name and count sit in its corner of the axes, so no legend covers the
    data. The largest group is drawn with the smallest, most transparent markers and
    below the others, so a crowd of 1,700 customers shows its density without hiding the
    small groups.

    Parameters
    ----------
    data : DataFrame
        The output of :func:`crmlab.clv.clv_quadrants`.
    current_threshold, future_threshold : float
        Drawn as dashed lines.
    scale : {"symlog", "linear"}
        "symlog" (default): logarithmic above 1, linear from 0 to 1, so skewed amounts
        and zeros both fit; the axes start at 0 (amounts are not negative).
    horizon_months, currency : optional
        Say what the axes measure: the current value is past spend and the future value
        a ``horizon_months``-month CLV, both in ``currency``. Without them the axes carry
        the courseware's names only.
    """
    ax = ax or plt.figure(figsize=(6.5, 5)).add_subplot()
    counts = data["quadrant"].value_counts()
    order = counts.index.tolist()            # largest group first, so small ones stay visible
    for rank, name in enumerate(order):
        group = data[data["quadrant"] == name]
        crowd = rank == 0 and len(group) > 200
        ax.scatter(group[current], group[future], s=3 if crowd else 9,
                   alpha=0.18 if crowd else 0.6, linewidths=0,
                   color=_QUADRANT_COLOURS.get(name, TIE_COLOUR), rasterized=len(group) > 500,
                   zorder=1 if crowd else 2)
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
                color=_QUADRANT_COLOURS[name], fontsize="small", zorder=5,
                bbox={"facecolor": "white", "edgecolor": _QUADRANT_COLOURS[name],
                      "alpha": 0.9, "boxstyle": "round,pad=0.25"})
    if horizon_months is not None:
        unit = currency or ""
        ax.set_xlabel(_("current value: past spend ({currency})").format(currency=unit))
        ax.set_ylabel(_("future value: {months}-month CLV ({currency})").format(
            months=horizon_months, currency=unit))
    else:
        ax.set_xlabel(i18n.term("current_value"))
        ax.set_ylabel(i18n.term("future_value"))
    ax.set_title(_("The four CLV quadrants"))
    return ax


def holdout_plot(table: pd.DataFrame, *, ax=None):
    """Actual vs predicted mean holdout purchases by calibration frequency (``holdout_check``)."""
    ax = ax or plt.figure(figsize=(6, 4)).add_subplot()
    x = np.arange(len(table))
    ax.plot(x, table["actual"], marker="o", label=_("actual"))
    ax.plot(x, table["predicted"], marker="s", ls="--", label=_("predicted by BG/NBD"))
    ax.set_xticks(x, table.index)
    ax.set_xlabel(_("repeat purchases in the calibration period (x)"))
    ax.set_ylabel(_("mean purchases in the holdout period"))
    ax.set_title(_("Holdout check"))
    ax.legend()
    return ax


def tracking_plot(track: pd.DataFrame, *, calibration_end: float | None = None, ax=None):
    """Cumulative repeat purchases per week, actual vs predicted (``cumulative_tracking``)."""
    ax = ax or plt.figure(figsize=(7, 4)).add_subplot()
    ax.plot(track.index, track["actual"], label=_("actual"))
    ax.plot(track.index, track["predicted"], ls="--", label=_("predicted by BG/NBD"))
    if calibration_end is not None:
        ax.axvline(calibration_end, color="grey", ls=":", lw=1)
        ax.annotate(_("end of calibration"), (calibration_end, 0), xytext=(4, 8),
                    textcoords="offset points", fontsize="small")
    ax.set_xlabel(_("week"))
    ax.set_ylabel(_("cumulative repeat purchases"))
    ax.set_title(_("Weekly tracking"))
    ax.legend()
    return ax


def p_alive_plot(grid: pd.DataFrame, *, ax=None):
    """Heatmap of P(alive) over frequency (rows) × recency (columns) for one T.

    Impossible cells are left blank: a customer without a repeat purchase (x = 0) has
    t_x = 0 by definition, and t_x cannot exceed T (``grid.attrs["T"]``, if set).
    """
    ax = ax or plt.figure(figsize=(7, 4.5)).add_subplot()
    x = grid.index.to_numpy(dtype=float)[:, None]
    t_x = grid.columns.to_numpy(dtype=float)[None, :]
    T = grid.attrs.get("T")
    impossible = ((x == 0) & (t_x > 0)) | ((t_x > T) if T is not None else False)
    sns.heatmap(grid, ax=ax, cmap="viridis", vmin=0, vmax=1, mask=impossible,
                cbar_kws={"label": i18n.term("p_alive")})
    ax.invert_yaxis()
    ax.set_xlabel(_("recency t_x: week of the last purchase"))
    ax.set_ylabel(_("frequency x: repeat purchases"))
    if T is None:
        ax.set_title(_("P(alive) by frequency and recency"))
    else:
        ax.set_title(_("P(alive) after T = {T:g} weeks (blank: impossible)").format(T=T))
    return ax


def survival_plot(actual: pd.DataFrame, projected: pd.DataFrame, *, fitted_until: int,
                  constant: pd.DataFrame | None = None, ax=None):
    """Survival (%) by year: actual per cohort (columns) and sBG projections (dashed).

    ``constant``, optional: projections of a constant retention rate per cohort, drawn
    dotted, to show what sBG corrects. Cohorts named ``regular`` and ``high_end`` (the
    ``retention_cohorts`` data) get readable, translated names.
    """
    ax = ax or plt.figure(figsize=(8.5, 4)).add_subplot()
    for k, cohort in enumerate(actual.columns):
        colour = sns.color_palette("colorblind", 4)[k]
        name = _label(COHORT_LABELS, cohort)
        ax.plot(actual.index, actual[cohort], marker="o", ms=3, color=colour,
                label=_("{cohort}: actual").format(cohort=name))
        ax.plot(projected.index, projected[cohort], ls="--", color=colour,
                label=_("{cohort}: sBG projection").format(cohort=name))
        if constant is not None:
            ax.plot(constant.index, constant[cohort], ls=":", lw=1.5, color=colour,
                    label=_("{cohort}: constant retention rate").format(cohort=name))
    ax.axvline(fitted_until, color="grey", ls=":", lw=1)
    ax.set_xlabel(_("year"))
    ax.set_ylabel(_("still customers (%)"))
    ax.set_title(_("sBG retention projections"))
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1))   # off the data
    return ax
