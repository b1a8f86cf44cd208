"""Figures of chapter 5, the satisfaction trap: the two stylised curves of the text, loyalty
against satisfaction in a real survey, the repurchase curve of the synthetic panel next to
the stylised curves, an NPS bar — and :func:`labelled`, which shows the chapter's tables
with their row and column labels in the session's language.

Every label is student-facing text, written in English inside ``_()`` and translated by
the chapter's catalog; the chapter's code passes no text of its own.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .. import defection, satisfaction
from ..i18n import N_, term
from ..i18n import gettext as _

__all__ = ["labelled", "nps_bar", "panel_curve_plot", "survey_loyalty_plot", "trap_curves_plot",
           "trap_data_plot"]

_BLUE, _ORANGE, _GREEN, _RED, _GREY = "#0173b2", "#de8f05", "#029e73", "#d55e00", "#999999"

#: Labels of the chapter's tables that are concepts of the term list.
_TERMS = {"loyalist/apostle": "type_loyalist", "mercenary": "type_mercenary",
          "hostage": "type_hostage", "defector/terrorist": "type_defector",
          "defection": "zone_defection", "indifference": "zone_indifference",
          "affection": "zone_affection", "nps": "nps", "csat": "csat",
          "basic": "basic_expectation", "latent": "latent_expectation"}

#: Every other label of the chapter's tables (column names of crmlab's results).
_LABELS = {
    "promoters": N_("promoters"), "passives": N_("passives"), "detractors": N_("detractors"),
    "customer": N_("customer"), "expectation": N_("expectation"),
    "experience": N_("experience"), "satisfaction": N_("satisfaction (experience − expectation)"),
    "courseware_formula": N_("courseware formula (expectation − experience)"),
    "satisfied": N_("satisfied"), "level": N_("satisfaction level"),
    "wom_ratio": N_("word-of-mouth ratio"),
    "unresolved_unchanged": N_("unresolved, unchanged purchases"),
    "satisfied_told": N_("people told by a satisfied complainant"),
    "unresolved_told": N_("people told by an unresolved complainant"),
    "boycott": N_("boycott"), "reduce": N_("reduce purchases"),
    "satisfied_buy_more": N_("satisfied who buy more"), "increase": N_("buy more"),
    "unchanged": N_("unchanged"), "resolution": N_("complaint"),
    "resolved": N_("resolved (fully satisfied)"), "unresolved": N_("not fully resolved"),
    "purchase_change": N_("purchases"), "customers": N_("customers"),
    "told": N_("people told"), "told_20_plus": N_("told 20 or more"),
    "spend_before": N_("spend before (元)"), "spend_after": N_("spend after (元)"),
    "kept": N_("share of spend kept"), "total": N_("total"), "n": N_("answers"),
    "mean": N_("mean"), "sd": N_("standard deviation"), "low": N_("95% interval, low"),
    "high": N_("95% interval, high"), "respondents": N_("respondents"),
    "count": N_("respondents"), "type": N_("loyalty type"),
    "ecsi_mobi": N_("ECSI mobile (1–10)"), "corp_rep_data": N_("corporate reputation (1–7)"),
    "dropped": N_("left out (an answer missing)"),
    "defectors": N_("defectors"), "share_of_defectors": N_("share of defectors"),
    "defection_rate_satisfied": N_("defection rate of the satisfied"),
    "defection_rate": N_("defection rate"), "repurchase_rate": N_("repurchase rate"),
    "model": N_("model"), "auc": N_("AUC (held out)"), "gain": N_("gain over CSAT alone"),
    "csat_only": N_("CSAT only"), "csat_latent": N_("CSAT + latent satisfaction"),
    "csat_competitor": N_("CSAT + competitor's offer, price sensitivity"),
    "all_features": N_("all four features"), "value": N_("value"),
    "latent_strength": N_("weight of latent expectations"),
    "basic_weight": N_("weight of basic expectations"),
    "competitor_pressure": N_("competitor pressure"), "auc_gap": N_("AUC gap"),
    "first_fifth": N_("first fifth (0 → 0.2)"), "last_fifth": N_("last fifth (0.8 → 1)"),
    "at_stake": N_("spend lost (元)"), "gain_latent": N_("gain from latent satisfaction"),
    "gain_competitor": N_("gain from the competitor features"),
    "basic_lift": N_("basic expectations: 30% of the gap closed"),
    "latent_lift": N_("latent expectations: 30% of the gap closed"),
    "csat_change": N_("change in mean CSAT"),
    "repurchase_change": N_("change in expected repurchase"),
    "ratio": N_("repurchase change per CSAT change"), "mercenaries": N_("mercenaries"),
    "share_of_satisfied": N_("share of the satisfied"),
    "satisfied_defectors": N_("satisfied defectors"),
    "basic_first_fifth": N_("basic curve: first fifth (0 → 0.2)"),
    "basic_last_fifth": N_("basic curve: last fifth (0.8 → 1)"),
    "lifetime_20": N_("expected lifetime at 20% defection (years)"),
    "lifetime_10": N_("expected lifetime at 10% defection (years)"),
    "lifetime_5": N_("expected lifetime at 5% defection (years)"),
    "ecsi_satisfied": N_("ECSI: satisfaction 9–10"),
    "corp_top_mean": N_("corporate reputation: mean loyalty at satisfaction 7"),
    "auc_baseline": N_("AUC, CSAT only"), "auc_latent": N_("AUC, CSAT + latent satisfaction"),
    "auc_competitor": N_("AUC, CSAT + competitor features"),
    "auc_full": N_("AUC, all four features"),
    "plain_gap": N_("AUC gap without latent weight and competitors"),
    "basic_lift_ratio": N_("repurchase/CSAT ratio, basic lift"),
    "latent_lift_ratio": N_("repurchase/CSAT ratio, latent lift"),
}


def label(name):
    """The label ``name`` of one of the chapter's tables in the session's language; any
    other value (a number, a name of your own) is returned as it is."""
    if not isinstance(name, str):
        return name
    if name in _TERMS:
        return term(_TERMS[name])
    return _(_LABELS[name]) if name in _LABELS else name


def labelled(data, *, missing: str | None = None):
    """``data`` (a DataFrame or Series of the chapter) as a table for display: its row
    labels, column labels and their names in the session's language, and missing values
    shown as ``missing`` if given (e.g. "—"). A Series becomes a one-column table (named
    after the Series, or "value"). The data keep their English names; use this only on
    what is shown.

    Examples
    --------
    >>> labelled(pd.Series({"boycott": 0.33, "reduce": 0.45})).index.tolist()
    ['boycott', 'reduce purchases']
    >>> labelled(pd.Series({"low": np.nan}), missing="—")
          value
    95% interval, low     —
    """
    if isinstance(data, pd.Series):
        data = data.to_frame(name=data.name if data.name is not None else "value")
    if missing is not None:
        data = data.astype(object).where(data.notna(), missing)
    out = data.rename(index=label, columns=label)
    out.index.names = [label(n) for n in out.index.names]
    out.columns.names = [label(n) for n in out.columns.names]
    return out


def trap_curves_plot(*, average_loyalty: float = satisfaction.AVERAGE_LOYALTY,
                     basic_weight: float = 1.0, latent_strength: float = 1.0, ax=None):
    """The courseware's two curves — loyalty against the satisfaction of basic and of latent
    expectations — drawn from :func:`crmlab.satisfaction.stylised_loyalty` with the
    chapter's steepness (:data:`crmlab.satisfaction.STEEPNESS`).

    ``basic_weight`` and ``latent_strength`` scale each curve's distance from the average
    level as the synthetic panel does (1 and 1: the pure curves). The courseware's figures
    are lost; the curves are a *stylised model of the text*, and the title says so.

    Returns
    -------
    matplotlib Axes
    """
    ax = ax or plt.figure(figsize=(6.5, 4)).add_subplot()
    s = np.linspace(0, 1, 101)
    curves = {kind: satisfaction.stylised_loyalty(s, kind=kind, average_loyalty=average_loyalty)
              for kind in ("basic", "latent")}
    basic = average_loyalty + basic_weight * (curves["basic"] - average_loyalty)
    latent = average_loyalty + latent_strength * (curves["latent"] - average_loyalty)
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

    Levels with fewer than 3 respondents have no interval (the band has a gap there). The
    y-axis is the answer's scale when the curve knows it (``loyalty_curve(..., scale=)``).

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
    scale = curve.attrs.get("scale")
    if scale:
        ax.set_ylim(scale[0] - 0.3, scale[1] + 0.6)
    ax.set_xlabel(_("satisfaction answer"))
    ax.set_ylabel(_("mean loyalty answer"))
    ax.set_title(_("Loyalty against satisfaction in a real survey"))
    ax.legend(loc="lower right", fontsize="small")
    return ax


def panel_curve_plot(curve: pd.DataFrame, *, model: pd.Series | None = None,
                     average_level: float | None = None, ax=None):
    """The repurchase rate at each CSAT level of the synthetic panel, with 95% Wilson
    intervals (:func:`crmlab.defection.loyalty_by_satisfaction`), optionally the model's
    mean repurchase probability at each level and, as a dashed line, the probability of
    repurchase at the average loyalty level (:func:`crmlab.defection.repurchase_probability`).

    Returns
    -------
    matplotlib Axes
    """
    ax = ax or plt.figure(figsize=(6.5, 4)).add_subplot()
    x = curve.index.to_numpy(dtype=float)
    ax.errorbar(x, curve["repurchase_rate"],
                yerr=[np.maximum(curve["repurchase_rate"] - curve["low"], 0),
                      np.maximum(curve["high"] - curve["repurchase_rate"], 0)],
                fmt="o", color=_BLUE, capsize=3, label=_("observed repurchase rate"))
    if model is not None:
        ax.plot(model.index.to_numpy(dtype=float), model.to_numpy(), "-", color=_ORANGE,
                label=_("model probability"))
    if average_level is not None:
        ax.axhline(average_level, color=_GREY, ls="--", lw=1,
                   label=_("repurchase at the average loyalty level"))
    ax.set_xlim(0.5, 10.5)
    ax.set_ylim(0, 1)
    ax.set_xticks(range(1, 11))
    ax.set_xlabel(term("csat"))
    ax.set_ylabel(_("share who repurchase"))
    ax.set_title(_("Synthetic panel: repurchase by satisfaction score"))
    ax.legend(loc="lower right", fontsize="small")
    return ax


def trap_data_plot(panel: pd.DataFrame):
    """The stylised curves (left) next to what the synthetic ``panel`` shows (right): the
    same average loyalty level L̄ and the panel's own weights on the left; on the right
    the repurchase rate by CSAT, the model's probability, and the repurchase probability
    at L̄ — the level basic satisfaction alone cannot lift customers above.

    Returns
    -------
    matplotlib Figure
    """
    params = panel.attrs.get("parameters", {})
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.2))
    average = defection.MECHANISM["average_loyalty"]
    trap_curves_plot(average_loyalty=average, basic_weight=params.get("basic_weight", 1.0),
                     latent_strength=params.get("latent_strength", 1.0), ax=left)
    panel_curve_plot(defection.loyalty_by_satisfaction(panel),
                     model=panel.groupby("csat")["p_repurchase"].mean(),
                     average_level=float(defection.repurchase_probability([average]).iloc[0]),
                     ax=right)
    fig.tight_layout()
    return fig


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
