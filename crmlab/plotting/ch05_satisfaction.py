"""Figures of chapter 5, the satisfaction trap: the two stylised curves of the text, loyalty
against satisfaction in a real survey, the repurchase curve of the synthetic panel, and
an NPS bar.

Every label is student-facing text, written in English inside ``_()`` and translated by
the chapter's catalog; the chapter's code passes no text of its own.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .. import satisfaction
from ..i18n import gettext as _
from ..i18n import term

__all__ = ["nps_bar", "panel_curve_plot", "survey_loyalty_plot", "trap_curves_plot"]

_BLUE, _ORANGE, _GREEN, _RED, _GREY = "#0173b2", "#de8f05", "#029e73", "#d55e00", "#999999"


def trap_curves_plot(*, average_loyalty: float = 0.5, steepness: float = 4.0, ax=None):
    """The courseware's two curves — loyalty against the satisfaction of basic and of latent
    expectations — drawn from :func:`crmlab.satisfaction.stylised_loyalty`.

    The courseware's figures are lost; the curves are a *stylised model of the text*, and
    the title says so.

    Returns
    -------
    matplotlib Axes
    """
    ax = ax or plt.figure(figsize=(6.5, 4)).add_subplot()
    s = np.linspace(0, 1, 101)
    basic = satisfaction.stylised_loyalty(s, kind="basic", average_loyalty=average_loyalty,
                                          steepness=steepness)
    latent = satisfaction.stylised_loyalty(s, kind="latent", average_loyalty=average_loyalty,
                                           steepness=steepness)
    ax.plot(s, basic, color=_BLUE, lw=2, label=term("basic_expectation"))
    ax.plot(s, latent, color=_ORANGE, lw=2, label=term("latent_expectation"))
    ax.axhline(average_loyalty, color=_GREY, ls="--", lw=1, label=term("average_loyalty"))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(_("satisfaction level (0 = not met, 1 = fully met)"))
    ax.set_ylabel(term("loyalty"))
    ax.set_title(_("Stylised model of the text, not data"))
    ax.legend(loc="lower right", fontsize="small")
    return ax


def survey_loyalty_plot(curve: pd.DataFrame, *, ax=None, colour: str = _BLUE, label=None):
    """Mean loyalty at each satisfaction level with its 95% interval and the number of
    respondents, from :func:`crmlab.satisfaction.loyalty_curve`.

    Parameters
    ----------
    curve : DataFrame
        ``respondents``, ``mean``, ``low``, ``high``, indexed by satisfaction level.
    label : str, optional
        Legend text for this survey (e.g. an item name such as ``"CUSA1 → CUSL1"``).

    Returns
    -------
    matplotlib Axes
    """
    ax = ax or plt.figure(figsize=(6.5, 4)).add_subplot()
    x = curve.index.to_numpy(dtype=float)
    ax.fill_between(x, curve["low"], curve["high"], color=colour, alpha=0.18,
                    label=_("95% interval"))
    ax.plot(x, curve["mean"], "o-", color=colour, label=label or _("mean loyalty"))
    for xi, yi, n in zip(x, curve["mean"], curve["respondents"]):
        ax.annotate(_("n={n}").format(n=int(n)), (xi, yi), textcoords="offset points",
                    xytext=(0, 7), ha="center", fontsize=7, color=_GREY)
    ax.set_xlabel(_("satisfaction answer"))
    ax.set_ylabel(_("mean loyalty answer"))
    ax.set_title(_("Loyalty against satisfaction in a real survey"))
    ax.legend(loc="upper left", fontsize="small")
    return ax


def panel_curve_plot(curve: pd.DataFrame, *, model: pd.Series | None = None, ax=None):
    """The repurchase rate at each CSAT level of the synthetic panel, with 95% Wilson
    intervals (:func:`crmlab.defection.loyalty_by_satisfaction`), and optionally the
    model's mean repurchase probability at each level.

    Returns
    -------
    matplotlib Axes
    """
    ax = ax or plt.figure(figsize=(6.5, 4)).add_subplot()
    x = curve.index.to_numpy(dtype=float)
    ax.errorbar(x, curve["repurchase_rate"],
                yerr=[curve["repurchase_rate"] - curve["low"],
                      curve["high"] - curve["repurchase_rate"]],
                fmt="o", color=_BLUE, capsize=3, label=_("observed repurchase rate"))
    if model is not None:
        ax.plot(model.index.to_numpy(dtype=float), model.to_numpy(), "-", color=_ORANGE,
                label=_("model probability"))
    ax.set_xlim(0.5, 10.5)
    ax.set_ylim(0, 1)
    ax.set_xticks(range(1, 11))
    ax.set_xlabel(term("csat"))
    ax.set_ylabel(_("share who repurchase"))
    ax.set_title(_("Synthetic panel: repurchase by satisfaction score"))
    ax.legend(loc="lower right", fontsize="small")
    return ax


def nps_bar(summary: pd.Series, *, ax=None):
    """One horizontal bar split into detractors, passives and promoters, with the NPS in the
    title (:func:`crmlab.satisfaction.net_promoter_score` output).

    Returns
    -------
    matplotlib Axes
    """
    ax = ax or plt.figure(figsize=(6.5, 1.8)).add_subplot()
    left = 0.0
    for key, colour in (("detractors", _RED), ("passives", _GREY), ("promoters", _GREEN)):
        share = float(summary[key])
        ax.barh([0], [share], left=left, color=colour, label=term(key[:-1]))
        if share > 0.06:
            ax.text(left + share / 2, 0, f"{share:.0%}", ha="center", va="center",
                    color="white", fontsize=9)
        left += share
    ax.set_xlim(0, 1)
    ax.set_yticks([])
    ax.set_xlabel(_("share of answers"))
    ax.set_title(_("NPS {nps:+.1f} points ({n} answers)").format(nps=float(summary["nps"]),
                                                                 n=int(summary["n"])))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.55), ncol=3, fontsize="small")
    return ax
