"""Chapter 5 dashboards, the satisfaction trap: the trap explorer and the NPS calculator.

Their static twins in the chapter are :func:`crmlab.plotting.trap_data_plot` with the
table of :func:`crmlab.defection.auc_table` at the chapter's parameters (trap explorer),
and :func:`crmlab.plotting.nps_bar` of :data:`NPS_START`, the calculator's starting
answers (NPS calculator).
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from .. import defection, satisfaction
from ..i18n import gettext as _
from ..i18n import term
from .core import Panel, html_table, ipywidgets, svg_lines

__all__ = ["NPS_START", "nps_calculator", "trap_explorer"]

#: The NPS calculator's starting answers: 30 customers, most of them passives (7–8) — a
#: satisfied-looking sample with a modest NPS.
NPS_START = tuple(np.repeat(np.arange(11), (1, 0, 0, 1, 0, 2, 3, 6, 8, 5, 4)).tolist())


def _trap(basic_weight: float, latent_strength: float, competitor_pressure: float, *,
          n: int, seed: int) -> dict:
    panel = defection.make_satisfaction_panel(n, seed, latent_strength=latent_strength,
                                              competitor_pressure=competitor_pressure,
                                              basic_weight=basic_weight)
    s = np.linspace(0, 1, 41)
    average = defection.MECHANISM["average_loyalty"]
    basic = satisfaction.stylised_loyalty(s, kind="basic", average_loyalty=average)
    latent = satisfaction.stylised_loyalty(s, kind="latent", average_loyalty=average)
    models = defection.churn_models(panel)
    trapped = defection.satisfied_defectors(panel)
    summary = pd.Series({
        **models.drop(["n_train", "n_test"]),
        "defection_rate": float(panel["defected"].mean()),
        "share_of_defectors": trapped["share_of_defectors"]})
    return {"s": s, "basic": (average + basic_weight * (basic - average)).to_numpy(),
            "latent": (average + latent_strength * (latent - average)).to_numpy(),
            "curve": defection.loyalty_by_satisfaction(panel), "summary": summary,
            "table": defection.auc_table(models)}


def _trap_view(result: dict) -> str:
    curves = svg_lines(result["s"], {term("basic_expectation"): result["basic"],
                                     term("latent_expectation"): result["latent"]},
                       ymax=1.0, x_label=_("satisfaction level"), y_label=term("loyalty"))
    curve = result["curve"]
    levels = np.arange(1, 11)
    rate = curve["repurchase_rate"].reindex(levels).interpolate().bfill().ffill()
    data = svg_lines(levels, {_("repurchase rate"): rate.to_numpy()}, ymax=1.0,
                     x_label=term("csat"), y_label=_("repurchase rate"))
    table = result["table"]
    models = pd.DataFrame({_("AUC (held out)"): table["auc"].to_numpy(),
                           _("gain over CSAT alone"): table["gain"].to_numpy()},
                          index=[_("CSAT only"), _("CSAT + latent satisfaction"),
                                 _("CSAT + competitor's offer, price sensitivity"),
                                 _("all four features")])
    s = result["summary"]
    shares = pd.DataFrame({_("value"): [s["defection_rate"], s["share_of_defectors"]]},
                          index=[_("defection rate"), _("satisfied defectors (CSAT ≥ 8)")])
    note = html.escape(_("Curves: stylised model of the text, weighted as in the panel. "
                         "Panel: synthetic data; AUC on the same held-out 30% of customers."))
    return (f"<div style='display:flex;flex-wrap:wrap;gap:12px'><div>{curves}</div>"
            f"<div>{data}</div></div>{html_table(models, default='{:.3f}')}"
            f"{html_table(shares, default='{:.1%}')}<p>{note}</p>")


def trap_explorer(*, n: int = defection.PANEL_SIZE, seed: int = defection.PANEL_SEED,
                  basic_weight: float = 1.0, latent_strength: float = 0.6,
                  competitor_pressure: float = 0.3) -> Panel:
    """Sliders for the weights of basic and of latent expectations and for competitor
    pressure over the synthetic panel: the two stylised curves as weighted, the panel's
    repurchase curve, the AUCs of churn predicted from CSAT alone, with latent
    satisfaction, with the competitor's offer and price sensitivity, and with all of them,
    the defection rate and the share of satisfied defectors.

    Examples
    --------
    >>> panel = trap_explorer()
    >>> round(float(panel.result["summary"]["auc_gap"]), 3)
    0.111
    >>> panel.controls["latent_strength"].value = 0.0
    >>> panel.controls["competitor_pressure"].value = 0.0
    >>> bool(abs(panel.result["summary"]["auc_gap"]) < 0.02)
    True
    """
    w = ipywidgets()
    wide = {"description_width": "initial"}

    def slider(value, description, tooltip):
        return w.FloatSlider(value=value, min=0.0, max=1.0, step=0.1, description=description,
                             tooltip=tooltip, style=wide, continuous_update=False)

    controls = {
        "basic_weight": slider(basic_weight, _("weight of basic expectations"),
                               _("how far unmet basic expectations pull loyalty down")),
        "latent_strength": slider(latent_strength, _("weight of latent expectations"),
                                  _("how far met latent expectations lift loyalty")),
        "competitor_pressure": slider(competitor_pressure, _("competitor pressure"),
                                      _("probability of a competitor's offer"))}
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


def nps_calculator(scores=NPS_START) -> Panel:
    """An NPS calculator: one slider per answer 0–10 holding how many customers gave it;
    shows the shares of promoters, passives and detractors and the NPS. It starts at the
    answers ``scores`` (default :data:`NPS_START`).

    Examples
    --------
    >>> calc = nps_calculator()
    >>> round(float(calc.result["nps"]), 2)
    6.67
    >>> calc.controls["s10"].value = 10
    >>> round(float(calc.result["nps"]), 2)
    22.22
    """
    w = ipywidgets()
    counts = np.bincount(np.asarray(scores, dtype=int), minlength=11)
    controls = {f"s{k}": w.IntSlider(value=int(counts[k]), min=0, max=50,
                                     description=str(k), continuous_update=False)
                for k in range(11)}
    return Panel(controls, _nps, _nps_view)
