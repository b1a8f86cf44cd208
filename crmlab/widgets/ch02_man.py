"""Chapter 2 dashboards, the MAN case: the weights dashboard over the five-bank table."""

from __future__ import annotations

import pandas as pd

from .. import i18n, man, plotting
from ..datasets import load_dataset
from ..i18n import N_, term
from ..i18n import gettext as _
from .core import ipywidgets

__all__ = ["ManDashboard", "man_dashboard"]

#: The rounding rules of the dropdown, as a student reads them (translated when shown).
ROUNDING_LABELS = {"none": N_("none (the rule as written)"),
                   "ceil": N_("up (ceil, as the slide)"),
                   "floor": N_("down (floor)"),
                   "round": N_("to the nearest point (round)")}


def _dashboard_box(w):
    """A VBox whose plain-text form (what a notebook viewer without widgets shows, and what
    a saved notebook keeps beside the widget) says what the dashboard is, in the session's
    language, instead of a truncated list of its children."""

    class DashboardBox(w.VBox):
        def __repr__(self) -> str:
            return _("MAN dashboard: weight sliders, a rounding menu, two switches and the "
                     "live ranking (run it in Jupyter)")

    return DashboardBox


class ManDashboard:
    """MAN weights dashboard: three weight sliders that always sum to 1, a rounding
    dropdown, toggles for the slide's unsupported +1 adjustments and D's grant, and a
    live ranking bar chart (HTML, redrawn on every change; the chapter's static
    matplotlib figure is :func:`crmlab.plotting.ranking_bar`).

    Attributes
    ----------
    widget : ipywidgets.VBox
        What to display.
    sliders : dict of str to FloatSlider
        ``"money"``, ``"authority"``, ``"need"``.
    rounding, slide_adjustments, count_grant : ipywidgets controls
    chart : ipywidgets.HTML
        The ranking bar chart.
    ranking : DataFrame
        The ranking currently shown (:func:`crmlab.man.score_bank_case` output).
    """

    def __init__(self, banks: pd.DataFrame):
        w = ipywidgets()
        self.banks = banks
        self._syncing = False
        wide = {"description_width": "initial"}
        self.sliders = {
            dim: w.FloatSlider(value=man.DEFAULT_WEIGHTS[dim], min=0.0, max=1.0, step=0.01,
                               description=term(dim), readout_format=".2f",
                               continuous_update=False, style=wide,
                               # room for a track beside the long English labels
                               layout=w.Layout(width="36em"))
            for dim in man.DIMENSIONS
        }
        self.rounding = w.Dropdown(
            options=[(i18n.gettext(ROUNDING_LABELS[r]), r) for r in man.ROUNDING_RULES],
            value="ceil", description=_("rounding of Money"), style=wide)
        self.slide_adjustments = w.Checkbox(value=True, style=wide,
                                            description=_("the slide's +1 for C and D"))
        grant = banks.set_index("bank")["special_grant_yi"].get("D", 0)
        self.count_grant = w.Checkbox(value=True, style=wide, description=_(
            "count D's special grant (¥{grant:g}亿)").format(grant=float(grant)))
        self.chart = w.HTML()
        for dim, slider in self.sliders.items():
            slider.observe(lambda change, dim=dim: self._rebalance(dim), names="value")
        for control in (self.rounding, self.slide_adjustments, self.count_grant):
            control.observe(lambda change: self.update(), names="value")
        heading = w.HTML(_("<b>Weights</b> (moving one rescales the other two, so that "
                           "the three always sum to 1)"))
        self.widget = _dashboard_box(w)([
            w.HBox([w.VBox([heading, *self.sliders.values()]),
                    w.VBox([self.rounding, self.slide_adjustments, self.count_grant])]),
            self.chart,
        ])
        self.update()

    @property
    def weights(self) -> dict[str, float]:
        """Current weights, normalised so that they sum to 1."""
        values = {d: s.value for d, s in self.sliders.items()}
        total = sum(values.values())
        return {d: v / total for d, v in values.items()}

    def _rebalance(self, moved: str) -> None:
        """Scale the two other sliders so that the three sum to 1, then update."""
        if self._syncing:
            return
        others = [d for d in man.DIMENSIONS if d != moved]
        rest = 1.0 - self.sliders[moved].value
        current = sum(self.sliders[d].value for d in others)
        self._syncing = True
        try:
            for d in others:
                share = self.sliders[d].value / current if current > 0 else 0.5
                self.sliders[d].value = rest * share
        finally:
            self._syncing = False
        self.update()

    def update(self) -> pd.DataFrame:
        """Recompute the ranking from the controls and redraw the chart."""
        self.ranking = man.score_bank_case(
            self.banks, weights=self.weights, rounding=self.rounding.value,
            slide_adjustments=self.slide_adjustments.value, count_grant=self.count_grant.value,
        )
        shown = " / ".join(f"{d[0].upper()} {v:.2f}" for d, v in self.weights.items())
        self.chart.value = plotting.ranking_bar_html(
            self.ranking, title=_("weighted totals at weights {weights}").format(weights=shown))
        return self.ranking


def man_dashboard(banks: pd.DataFrame | None = None) -> ManDashboard:
    """Build the MAN weights dashboard for the five-bank case.

    Parameters
    ----------
    banks : DataFrame, optional
        Defaults to ``crmlab.load_dataset("man_banks")``.

    Returns
    -------
    ManDashboard
        Display ``.widget``; read ``.ranking``.

    Examples
    --------
    >>> dash = man_dashboard()
    >>> dash.sliders["need"].value = 0.6     # money and authority rescale to keep 4 : 3
    >>> {d: round(v, 4) for d, v in dash.weights.items()}
    {'money': 0.2286, 'authority': 0.1714, 'need': 0.6}
    >>> dash.ranking["rank"].idxmin()
    'B'
    """
    return ManDashboard(load_dataset("man_banks") if banks is None else banks)
