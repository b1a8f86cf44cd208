"""Figures of chapter 1, customer identification: choosing k for personas, lifecycle stages
over time, the customer pyramid and the key-customer matrix.

Every label is student-facing text, written in English inside ``_()`` and translated by
the chapter's catalog ``ch01_identification``, or a term of the term list; the chapter's
code passes no text of its own (dataset names are chosen from :data:`DATA_NAMES`).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .. import identify, tiers
from .._validation import InputError, check_option, require_columns
from ..i18n import N_, gettext as _
from ..i18n import term

__all__ = ["DATA_NAMES", "k_selection_plot", "key_matrix_plot", "pyramid_plot", "stage_plot"]

_BLUE, _ORANGE, _GREEN, _RED, _GREY = "#0173b2", "#de8f05", "#029e73", "#d55e00", "#999999"
#: Colours of the lifecycle stages, from acquisition to the end of the relationship.
_STAGE_COLOURS = {"potential": "#cccccc", "acquisition": "#cccccc", "development": "#56b4e9",
                  "growth": _GREEN, "maturity": _BLUE, "decline": _ORANGE,
                  "termination": _RED}
#: Colours of the pyramid's tiers, top to bottom.
_TIER_COLOURS = {"Platinum": "#8c8c8c", "Gold": "#e6b422", "Iron": "#6b7b8c", "Lead": "#3d3d3d"}

#: The data a figure may be drawn for, by key, with the name shown in its title.
DATA_NAMES = {"event_log": N_("synthetic event log"), "caravan": N_("Caravan customers"),
              "cdnow": N_("CDNOW cohort")}


def _data_name(data, func: str) -> str:
    check_option(data, list(DATA_NAMES), func=func, name="data")
    return _(DATA_NAMES[data])


def k_selection_plot(selection: pd.DataFrame, *, data: str = "event_log", ax=None):
    """Mean silhouette (left axis) and inertia (right axis) of k-means for each k, with the
    chosen k marked: the figure behind :func:`crmlab.personas.select_k`'s table.

    Parameters
    ----------
    selection : DataFrame
        :func:`crmlab.personas.select_k`'s table (index ``k``; ``inertia``, ``silhouette``,
        ``chosen``).
    data : {"event_log", "caravan", "cdnow"}
        Which data the table is of (named in the title).

    Returns
    -------
    matplotlib Axes
        The silhouette axes; the inertia axes is its twin.
    """
    func = "plotting.k_selection_plot"
    require_columns(selection, ["inertia", "silhouette", "chosen"], func=func, arg="selection")
    name = _data_name(data, func)
    ax = ax or plt.figure(figsize=(6, 4)).add_subplot()
    k = selection.index.to_numpy(dtype=int)
    ax.plot(k, selection["silhouette"], "o-", color=_BLUE, lw=2, label=term("silhouette"))
    right = ax.twinx()
    right.plot(k, selection["inertia"], "s--", color=_GREY, lw=1, label=term("inertia"))
    right.grid(False)
    chosen = selection.index[selection["chosen"].astype(bool)]
    if len(chosen):
        best = int(chosen[0])
        ax.plot([best], [selection.loc[best, "silhouette"]], "o", ms=14, mfc="none",
                mec=_RED, mew=2, label=_("chosen k = {k}").format(k=best))
    ax.set_xticks(k)
    ax.set_xlabel(_("number of personas k"))
    ax.set_ylabel(term("silhouette"))
    right.set_ylabel(term("inertia"))
    # one scale for every data set, so that weak structure looks weak
    low = min(0.0, float(selection["silhouette"].min()) - 0.05)
    ax.set_ylim(low, max(0.6, float(selection["silhouette"].max()) + 0.05))
    right.set_ylim(0, float(selection["inertia"].max()) * 1.05)
    handles = ax.get_legend_handles_labels()
    extra = right.get_legend_handles_labels()
    ax.legend(handles[0] + extra[0], handles[1] + extra[1], loc="upper center",
              bbox_to_anchor=(0.5, -0.22), ncol=2, fontsize="small", frameon=False)
    ax.set_title(_("Choosing k: {data}").format(data=name))
    return ax


def stage_plot(counts: pd.DataFrame, *, ax=None):
    """Customers in each lifecycle stage at several analysis dates, as stacked bars.

    Parameters
    ----------
    counts : DataFrame
        One row per analysis date (the index, dates or text), one column per stage of
        :data:`crmlab.identify.LIFECYCLES` (``potential``, ``development``, ``growth``,
        ``maturity``, ``decline``, ``termination``, or the 5-stage ``acquisition``),
        holding customer counts; missing stages count as 0.

    Returns
    -------
    matplotlib Axes
    """
    func = "plotting.stage_plot"
    if not isinstance(counts, pd.DataFrame) or counts.empty:
        raise InputError(f"{func}: `counts` must be a non-empty DataFrame of customers per "
                         f"stage (rows: analysis dates; columns: stages).")
    unknown = [c for c in counts.columns if c not in identify.STAGE_TERMS]
    if unknown:
        raise InputError(f"{func}: unknown stage column {unknown[0]!r}; stages are "
                         f"{list(identify.STAGE_TERMS)}.")
    order = [s for s in _STAGE_COLOURS if s in counts.columns]
    ax = ax or plt.figure(figsize=(7, 4)).add_subplot()
    labels = []
    for d in counts.index:
        try:
            labels.append(pd.Timestamp(d).strftime("%Y-%m"))
        except (TypeError, ValueError):
            labels.append(str(d))
    x = np.arange(len(counts))
    bottom = np.zeros(len(counts))
    for stage in order:
        values = counts[stage].fillna(0).to_numpy(dtype=float)
        ax.bar(x, values, bottom=bottom, color=_STAGE_COLOURS[stage], width=0.7,
               label=term(identify.STAGE_TERMS[stage]))
        bottom += values
    ax.set_xticks(x, labels, rotation=30, ha="right")
    ax.set_xlabel(_("analysis date"))
    ax.set_ylabel(_("customers"))
    ax.set_ylim(0, bottom.max() * 1.02)
    ax.grid(axis="x", visible=False)
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize="small", frameon=False)
    ax.set_title(_("Customers by lifecycle stage"))
    return ax


def pyramid_plot(summary: pd.DataFrame, *, basis: str | None = None, ax=None):
    """The customer pyramid: one centred bar per tier, Platinum on top, as wide as the
    tier's share of customers, annotated with its shares of customers and of value.
    ``basis`` ("revenue" or "value") names in the title what the tiers were cut by.

    Parameters
    ----------
    summary : DataFrame
        :func:`crmlab.tiers.tier_summary` of pyramid tiers (index Platinum … Lead;
        ``customer_share``, ``value_share``).

    Returns
    -------
    matplotlib Axes
    """
    func = "plotting.pyramid_plot"
    check_option(basis, (None, "revenue", "value"), func=func, name="basis")
    require_columns(summary, ["customer_share", "value_share"], func=func, arg="summary")
    unknown = [t for t in summary.index if t not in tiers.PYRAMID_TIERS]
    if unknown:
        raise InputError(f"{func}: unknown tier {unknown[0]!r}; the pyramid's tiers are "
                         f"{list(tiers.PYRAMID_TIERS)}.")
    ax = ax or plt.figure(figsize=(7, 4)).add_subplot()
    shown = summary.reindex([t for t in tiers.PYRAMID_TIERS if t in summary.index])
    widest = max(float(shown["customer_share"].max()), 1e-9)
    for row, (tier, values) in enumerate(shown.iterrows()):
        y = len(shown) - 1 - row
        width = float(values["customer_share"]) / widest
        ax.barh(y, width, left=-width / 2, height=0.8, color=_TIER_COLOURS[tier])
        ax.text(0, y, term(tiers.TIER_TERMS[tier]), ha="center", va="center", color="white",
                fontsize=11)
        ax.text(0.55, y, _("{customers:.1%} of customers · {value:.1%} of value").format(
            customers=float(values["customer_share"]), value=float(values["value_share"])),
            ha="left", va="center", fontsize=9)
    ax.set_xlim(-0.55, 1.75)
    ax.set_ylim(-0.6, len(shown) - 0.4)
    ax.axis("off")
    titles = {None: _("Customer pyramid: bar width = share of customers"),
              "revenue": _("Customer pyramid by revenue; bar width = share of customers"),
              "value": _("Customer pyramid by value; bar width = share of customers")}
    ax.set_title(titles[basis])
    return ax


def key_matrix_plot(matrix: pd.DataFrame, *, ax=None):
    """The key-customer matrix: each customer's value against the firm's position with it,
    the two cuts, and the suite's quadrant names.

    Parameters
    ----------
    matrix : DataFrame
        :func:`crmlab.tiers.key_customer_matrix`'s result (``value``, ``position``,
        ``quadrant``; its ``attrs["cuts"]``); the index labels the points.

    Returns
    -------
    matplotlib Axes
    """
    func = "plotting.key_matrix_plot"
    require_columns(matrix, ["value", "position", "quadrant"], func=func, arg="matrix")
    cuts = matrix.attrs.get("cuts") or {"value": float(matrix["value"].median()),
                                        "position": float(matrix["position"].median())}
    ax = ax or plt.figure(figsize=(6, 5)).add_subplot()
    colours = {"key": _GREEN, "win": _ORANGE, "maintain": _BLUE, "low priority": _GREY}
    ax.scatter(matrix["position"], matrix["value"],
               c=[colours.get(q, _GREY) for q in matrix["quadrant"]], s=60, zorder=3)
    for label, x, y in zip(matrix.index, matrix["position"], matrix["value"]):
        ax.annotate(str(label), (x, y), textcoords="offset points", xytext=(6, 4), fontsize=9)
    ax.axvline(cuts["position"], color=_GREY, ls="--", lw=1)
    ax.axhline(cuts["value"], color=_GREY, ls="--", lw=1)
    # room in the corners for the quadrant names, clear of the points
    x = matrix["position"].to_numpy(dtype=float)
    y = matrix["value"].to_numpy(dtype=float)
    x_pad = 0.15 * (np.ptp(x) or 1.0)
    y_pad = 0.18 * (np.ptp(y) or 1.0)
    x_low, x_high = x.min() - x_pad, x.max() + x_pad
    y_low, y_high = y.min() - y_pad, y.max() + y_pad
    ax.set_xlim(x_low, x_high)
    ax.set_ylim(y_low, y_high)
    corners = {"key": (x_high, y_high, "right", "top"), "win": (x_low, y_high, "left", "top"),
               "maintain": (x_high, y_low, "right", "bottom"),
               "low priority": (x_low, y_low, "left", "bottom")}
    for quadrant, (x, y, ha, va) in corners.items():      # inset from the frame
        ax.annotate(term(tiers.TIER_TERMS[quadrant]), (x, y), textcoords="offset points",
                    xytext=(-5 if ha == "right" else 5, -4 if va == "top" else 4), ha=ha,
                    va=va, fontsize=10, color=colours[quadrant])
    ax.set_xlabel(_("the firm's position with the customer"))
    ax.set_ylabel(_("the customer's value to the firm"))
    ax.set_title(_("Key-customer matrix (the suite's reading)"))
    return ax
