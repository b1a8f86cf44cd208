"""Chapter 5 dashboards, the satisfaction trap: the trap explorer and the NPS calculator.

Their static twins in the chapter are :func:`crmlab.plotting.trap_curves_plot` with
:func:`crmlab.plotting.panel_curve_plot` and the printed AUCs (trap explorer), and
:func:`crmlab.plotting.nps_bar` (NPS calculator).
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from .. import defection, satisfaction
from ..i18n import gettext as _
from ..i18n import term
from .core import Panel, html_table, ipywidgets, svg_lines

__all__ = ["nps_calculator", "trap_explorer"]


def _trap(latent_strength: float, competitor_pressure: float, *, n: int, seed: int) -> dict:
    panel = defection.make_satisfaction_panel(n, seed, latent_strength=latent_strength,
                                              competitor_pressure=competitor_pressure)
    s = np.linspace(0, 1, 41)
    average = defection.MECHANISM["average_loyalty"]
    basic = satisfaction.stylised_loyalty(s, kind="basic", average_loyalty=average)
    latent = satisfaction.stylised_loyalty(s, kind="latent", average_loyalty=average)
    models = defection.churn_models(panel)
    trapped = defection.satisfied_defectors(panel)
    summary = pd.Series({
        "auc_baseline": models["auc_baseline"], "auc_full": models["auc_full"],
        "auc_gap": models["auc_gap"], "defection_rate": float(panel["defected"].mean()),
        "share_of_defectors": trapped["share_of_defectors"]})
    return {"s": s, "basic": basic.to_numpy(),
            "latent": (average + latent_strength * (latent - average)).to_numpy(),
            "curve": defection.loyalty_by_satisfaction(panel), "summary": summary}


def _trap_view(result: dict) -> str:
    curves = svg_lines(result["s"], {term("basic_expectation"): result["basic"],
                                     term("latent_expectation"): result["latent"]},
                       ymax=1.0, x_label=_("satisfaction level"), y_label=term("loyalty"))
    curve = result["curve"]
    levels = np.arange(1, 11)
    rate = curve["repurchase_rate"].reindex(levels).interpolate().bfill().ffill()
    data = svg_lines(levels, {_("repurchase rate"): rate.to_numpy()}, ymax=1.0,
                     x_label=term("csat"), y_label=_("repurchase rate"))
    s = result["summary"]
    table = pd.DataFrame({_("value"): [s["auc_baseline"], s["auc_full"], s["auc_gap"],
                                       s["defection_rate"], s["share_of_defectors"]]},
                         index=[_("AUC, CSAT only"), _("AUC, all features"), _("AUC gap"),
                                _("defection rate"), _("satisfied defectors (CSAT ≥ 8)")])
    note = html.escape(_("w_latent: weight of latent expectations; p_offer: probability of a "
                         "competitor's offer. Curves: stylised model of the text. Panel: "
                         "synthetic data."))
    return (f"<div style='display:flex;flex-wrap:wrap;gap:12px'><div>{curves}</div>"
            f"<div>{data}</div></div>{html_table(table, default='{:.3f}')}<p>{note}</p>")


def trap_explorer(*, n: int = 2000, seed: int = defection.PANEL_SEED) -> Panel:
    """Sliders for the weight of latent expectations and for competitor pressure over the
    synthetic panel: the two stylised curves, the panel's repurchase curve, the AUCs of
    churn predicted from CSAT alone and from all features, and the share of satisfied
    defectors.

    Examples
    --------
    >>> panel = trap_explorer()
    >>> round(float(panel.result["summary"]["auc_gap"]), 3)
    0.152
    >>> panel.controls["latent_strength"].value = 0.0
    >>> panel.controls["competitor_pressure"].value = 0.0
    >>> bool(abs(panel.result["summary"]["auc_gap"]) < 0.05)
    True
    """
    w = ipywidgets()
    controls = {
        "latent_strength": w.FloatSlider(value=0.6, min=0.0, max=1.0, step=0.1,
                                         description="w_latent", tooltip=_("latent weight"),
                                         continuous_update=False),
        "competitor_pressure": w.FloatSlider(value=0.3, min=0.0, max=1.0, step=0.1,
                                             description="p_offer",
                                             tooltip=_("competitor pressure"),
                                             continuous_update=False)}
    return Panel(controls, lambda **v: _trap(n=n, seed=seed, **v), _trap_view)


def _nps(**counts) -> pd.Series:
    scores = np.repeat(np.arange(11), [counts[f"s{k}"] for k in range(11)])
    if scores.size == 0:
        return pd.Series({"n": 0.0, "promoters": np.nan, "passives": np.nan,
                          "detractors": np.nan, "nps": np.nan})
    return satisfaction.net_promoter_score(scores)


def _nps_view(summary: pd.Series) -> str:
    if summary["n"] == 0:
        return "<p>" + html.escape(_("Give at least one answer.")) + "</p>"
    parts = []
    for key, colour in (("detractors", "#d55e00"), ("passives", "#999999"),
                        ("promoters", "#029e73")):
        share = float(summary[key])
        parts.append(f"<span style='display:inline-block;height:1.4em;width:{share * 100:.1f}%;"
                     f"background:{colour}'></span>")
    table = pd.DataFrame({_("value"): [summary["n"], summary["promoters"], summary["passives"],
                                       summary["detractors"], summary["nps"]]},
                         index=[_("answers"), term("promoter"), term("passive"),
                                term("detractor"), term("nps")])
    head = html.escape(_("NPS {nps:+.1f} points").format(nps=float(summary["nps"])))
    return (f"<b>{head}</b><div style='width:30em;display:flex'>{''.join(parts)}</div>"
            + html_table(table, formats={_("value"): "{:,.3f}"}))


def nps_calculator(scores=(10, 9, 8, 7, 6, 0)) -> Panel:
    """An NPS calculator: one slider per answer 0–10 holding how many customers gave it;
    shows the shares of promoters, passives and detractors and the NPS.

    Examples
    --------
    >>> calc = nps_calculator()
    >>> float(calc.result["nps"])
    0.0
    >>> calc.controls["s10"].value = 3
    >>> round(float(calc.result["nps"]), 2)
    25.0
    """
    w = ipywidgets()
    counts = np.bincount(np.asarray(scores, dtype=int), minlength=11)
    controls = {f"s{k}": w.IntSlider(value=int(counts[k]), min=0, max=50,
                                     description=str(k), continuous_update=False)
                for k in range(11)}
    return Panel(controls, _nps, _nps_view)
