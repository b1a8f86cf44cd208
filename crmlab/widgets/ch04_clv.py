"""Chapter 4 dashboards, CLV: the CLV table editor, group CLV, retention curves, BG/NBD."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from .. import btyd, clv, group_clv, i18n, retention
from ..i18n import N_, gettext as _
from ..plotting.ch04_clv import CONVENTION_LABELS
from .core import Panel, html_table, ipywidgets, svg_lines

__all__ = ["bgnbd_what_if", "clv_table_editor", "group_clv_panel", "retention_curve_panel"]


def _per_year(text: str, years: int) -> list[float]:
    """'500, 600' → one value per year: missing years repeat the last value."""
    values = []
    for v in str(text).replace("，", ",").split(","):
        try:
            values += [float(v)] if v.strip() else []
        except ValueError:
            raise ValueError(_("{value} is not a number; write one value per year, "
                               "separated by commas, e.g. '500, 550, 600'.").format(
                                   value=repr(v.strip()))) from None
    values = values or [0.0]
    return (values + [values[-1]] * years)[:years]


#: The rows of the group-CLV panel (keys of :func:`crmlab.group_clv.group_clv_summary`).
GROUP_LABELS = {
    "lifetime_years": N_("mean lifetime T = 1/r_L (years)"),
    "lost_per_year": N_("customers lost, and to be replaced, per year"),
    "clv_annuity": N_("CLV per customer: annuity for T years"),
    "clv_sum_floor": N_("CLV per customer: Σ with T rounded down"),
    "clv_sum_round": N_("CLV per customer: Σ with T rounded half up"),
    "clv_sum_ceil": N_("CLV per customer: Σ with T rounded up"),
    "clv_expected": N_("expected CLV per customer: A/(i + r_L)"),
    "group_value": N_("group value: N × annuity CLV"),
    "group_churn_cost": N_("group churn cost: V_{q,l} = N·r_L·V_k"),
}


def _table_headers() -> dict:
    """Headers of the CLV table (columns of :func:`crmlab.clv.clv_table`)."""
    return {"margin": _("margin"), "discount_factor": _("discount factor"),
            "present_value": _("present value"), "cumulative_pv": _("cumulative PV")}


@lru_cache(maxsize=1)
def _cdnow_fit():
    """The BG/NBD fitted to the CDNOW sample's calibration period (as in chapter 4)."""
    return btyd.fit_bgnbd(btyd.cdnow_table())


def clv_table_editor(*, years: int = 5, revenue: str = "500, 550, 600, 600, 600",
                     cost: str = "200", discount: float = 0.08) -> Panel:
    """Individual CLV (courseware 4.2.3, 单个客户终生价值计算) from a per-year table the user edits.

    Controls: ``years`` T (1–20), ``revenue`` and ``cost`` (Q_t and C_t as comma-separated
    values per year; the last value repeats), ``discount`` i (0.5–20 %) and ``reading``
    ("Q_t gross: subtract C_t" or "Q_t already net: ignore C_t"). ``.result`` is the
    :func:`crmlab.clv.clv_table` frame, or a one-cell error frame when a value is not a
    number; ``.result["cumulative_pv"].iloc[-1]`` is V_K.

    Examples
    --------
    >>> panel = clv_table_editor(years=2, revenue="110, 121", cost="0", discount=0.1)
    >>> panel.result["present_value"].round(6).tolist()
    [100.0, 100.0]
    """
    w = ipywidgets()
    readings = (_("Q_t gross: subtract C_t"), _("Q_t already net: ignore C_t"))
    controls = {
        "years": w.IntSlider(value=years, min=1, max=20, description="T"),
        "revenue": w.Text(value=revenue, description="Q_t"),
        "cost": w.Text(value=cost, description="C_t"),
        "discount": w.FloatSlider(value=discount, min=0.005, max=0.2, step=0.005,
                                  readout_format=".1%", description="i"),
        "reading": w.Dropdown(options=readings, value=readings[0], description=_("Q_t is")),
    }

    def compute(years, revenue, cost, discount, reading):
        try:
            flows = pd.DataFrame({"t": range(1, years + 1), "Q": _per_year(revenue, years),
                                  "C": _per_year(cost, years)})
            return clv.clv_table(flows, discount=discount,
                                 revenue_is_net=reading == readings[1])
        except ValueError as err:
            return pd.DataFrame({"error": [str(err)]})

    def render(result):
        if "error" in result:
            return f"<span style='color:crimson'>{result['error'].iloc[0]}</span>"
        return (html_table(result, headers=_table_headers())
                + "<p><b>V_K = {value:,.2f}</b></p>".format(
                    value=result["cumulative_pv"].iloc[-1]))

    return Panel(controls, compute, render)


def group_clv_panel(*, customers: int = 100, churn: float = 0.3, margin: float = 100.0,
                    discount: float = 0.1) -> Panel:
    """Group CLV and churn (courseware lecture 4.2.3) for a base of N customers.

    Controls: ``customers`` N, ``churn`` r_L, ``margin`` (annual margin per customer),
    ``discount`` i. ``.result`` is a Series: ``lifetime_years`` T = 1/r_L,
    ``lost_per_year`` (= replacements needed), ``clv_annuity`` per customer and its Σ
    versions with T rounded down / half up / up, ``clv_expected`` (the expected value
    when lifetimes are geometric with mean T), ``group_value`` (N × annuity CLV) and
    ``group_churn_cost`` V_{q,l} = N·r_L·V_k (V_k = the annuity CLV).

    The default churn rate is 30% (T = 3.33 years), where the rounding rules disagree;
    at the courseware's 20% and 10% (T = 5 and 10) every rule gives the same value.

    Examples
    --------
    >>> panel = group_clv_panel()
    >>> panel.result[["clv_sum_floor", "clv_annuity", "clv_sum_ceil"]].round(2).tolist()
    [248.69, 272.18, 316.99]
    >>> "<td>30</td>" in panel.view.value          # a count, not 30.00
    True
    """
    w = ipywidgets()
    controls = {
        "customers": w.IntSlider(value=customers, min=10, max=10000, step=10, description="N"),
        "churn": w.FloatSlider(value=churn, min=0.01, max=0.5, step=0.01, readout_format=".0%",
                               description="r_L"),
        "margin": w.FloatSlider(value=margin, min=10, max=1000, step=10,
                                description=_("margin per year")),
        "discount": w.FloatSlider(value=discount, min=0.01, max=0.2, step=0.005,
                                  readout_format=".1%", description="i"),
    }

    def compute(customers, churn, margin, discount):
        return group_clv.group_clv_summary(customers, churn, margin, discount)

    def render(result):
        def show(key, value):
            if key == "lost_per_year":      # a head count: whole when it is whole
                whole = abs(value - round(value)) < 1e-9 * max(1.0, abs(value))
                return f"{value:,.0f}" if whole else f"{value:,.1f}"
            return f"{value:,.2f}"
        labels = [i18n.gettext(GROUP_LABELS.get(k, k)) for k in result.index]
        shown = pd.DataFrame({_("value"): [show(k, v) for k, v in result.items()]},
                             index=pd.Index(labels, name=_("quantity")))
        gap = result["clv_annuity"] / result["clv_expected"] - 1
        return (html_table(shown) + _(
            "<p>The annuity at the mean lifetime overstates the expected value by "
            "<b>{gap:.1%}</b> (lifetimes are random, with mean T = {T:.2f} years).</p>"
        ).format(gap=gap, T=result["lifetime_years"]))

    return Panel(controls, compute, render)


def retention_curve_panel(*, margin: float = 100.0, discount: float = 0.1) -> Panel:
    """CLV against the retention rate under the three timing conventions.

    Controls: ``margin`` m and ``discount`` i. ``.result`` is a DataFrame indexed by
    retention r (0.50–0.95) with one CLV column per convention of
    :func:`crmlab.retention.clv_conventions`.

    Examples
    --------
    >>> panel = retention_curve_panel()
    >>> panel.result.loc[0.8].round(2).tolist()
    [366.67, 266.67, 333.33]
    """
    w = ipywidgets()
    controls = {
        "margin": w.FloatSlider(value=margin, min=10, max=1000, step=10, description="m"),
        "discount": w.FloatSlider(value=discount, min=0.01, max=0.3, step=0.01,
                                  readout_format=".0%", description="i"),
    }

    def compute(margin, discount):
        rates = np.round(np.arange(0.50, 0.951, 0.05), 2)
        rows = [retention.clv_conventions(margin, r, discount)["clv"].rename(r) for r in rates]
        return pd.DataFrame(rows).rename_axis("retention")

    def render(result):
        names = {c: i18n.gettext(CONVENTION_LABELS[c]) if c in CONVENTION_LABELS else c
                 for c in result.columns}
        return svg_lines(result.index.to_numpy(), {names[c]: result[c].to_numpy()
                                                    for c in result.columns},
                         x_label=_("retention rate r"), y_label="CLV") + \
            html_table(result.iloc[::3].rename(columns=names).rename_axis(
                _("retention rate r")))

    return Panel(controls, compute, render)


def bgnbd_what_if(fit=None, *, horizon: float = 39.0) -> Panel:
    """One customer under a fitted BG/NBD model: P(alive) and expected purchases.

    ``fit``: a :func:`crmlab.btyd.fit_bgnbd` result; by default the BG/NBD fitted to the
    CDNOW sample's calibration period (to 1997-09-30), as in chapter 4.

    Controls: ``frequency`` x, ``recency`` t_x, ``T`` and ``horizon`` (weeks ahead).
    Recency is capped at T and set to 0 when x = 0 (the model's definitions), and the
    view says so. ``.result`` is a Series: ``frequency``, ``recency``, ``T``, ``p_alive``,
    ``expected_purchases``, ``note``.

    Examples
    --------
    >>> from crmlab import btyd
    >>> panel = bgnbd_what_if(btyd.fit_bgnbd(btyd.cdnow_table()))
    >>> panel.controls["frequency"].value = 2
    >>> panel.controls["recency"].value = 30.43
    >>> panel.controls["T"].value = 38.86
    >>> round(float(panel.result["expected_purchases"]), 3)
    1.226
    """
    w = ipywidgets()
    if fit is None:
        fit = _cdnow_fit()
    controls = {
        "frequency": w.IntSlider(value=2, min=0, max=30, description="x"),
        "recency": w.FloatSlider(value=30.0, min=0, max=78, step=0.01, description="t_x"),
        "T": w.FloatSlider(value=38.86, min=0.5, max=78, step=0.01, description="T"),
        "horizon": w.FloatSlider(value=horizon, min=1, max=104, step=1,
                                 description=_("weeks ahead")),
    }

    def compute(frequency, recency, T, horizon):
        note = ""
        if frequency == 0 and recency > 0:
            recency, note = 0.0, _("x = 0, so t_x is 0 by definition.")
        elif recency > T:
            recency, note = T, _("t_x cannot exceed T; using t_x = T.")
        one = pd.DataFrame({"frequency": [frequency], "recency": [recency], "T": [T]})
        return pd.Series({
            "frequency": frequency, "recency": recency, "T": T,
            "p_alive": fit.p_alive(one).iloc[0],
            "expected_purchases": fit.conditional_expected_purchases(one, horizon).iloc[0],
            "note": note})

    def render(result):
        return (_("<p>P(alive) = <b>{p:.3f}</b>; expected purchases in the next {weeks:g} "
                  "weeks = <b>{n:.3f}</b></p>").format(
                      p=result["p_alive"], weeks=controls["horizon"].value,
                      n=result["expected_purchases"])
                + ("<p style='color:crimson'>{note}</p>".format(note=result["note"])
                   if result["note"] else ""))

    return Panel(controls, compute, render)
