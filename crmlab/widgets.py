"""Interactive dashboards (ipywidgets) over the compute and plotting modules.

Each factory returns an object holding the widget *and* the data it shows, so a test
can set control values and read the result without a kernel. Callbacks hold no
business logic: everything a dashboard shows, a plain function call also produces.
"""

from __future__ import annotations

import pandas as pd

from . import concentration, man, plotting, rfm
from .datasets import load_dataset

try:
    import ipywidgets as w
except ImportError:  # pragma: no cover - exercised only without the [lab] extra
    w = None

__all__ = ["ManDashboard", "abc_explorer", "man_dashboard", "rfm_scorer", "segment_explorer"]


def _require_ipywidgets() -> None:
    if w is None:
        raise ImportError("crmlab.widgets needs ipywidgets: pip install 'crmlab[lab]'.")


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
        _require_ipywidgets()
        self.banks = banks
        self._syncing = False
        self.sliders = {
            dim: w.FloatSlider(value=man.DEFAULT_WEIGHTS[dim], min=0.0, max=1.0, step=0.01,
                               description=f"w_{dim}", readout_format=".2f",
                               continuous_update=False)
            for dim in man.DIMENSIONS
        }
        self.rounding = w.Dropdown(options=list(man.ROUNDING_RULES), value="ceil",
                                   description="rounding")
        self.slide_adjustments = w.Checkbox(value=True, description="slide's +1 for C and D")
        self.count_grant = w.Checkbox(value=True, description="count D's ¥10亿 grant")
        self.chart = w.HTML()
        for dim, slider in self.sliders.items():
            slider.observe(lambda change, dim=dim: self._rebalance(dim), names="value")
        for control in (self.rounding, self.slide_adjustments, self.count_grant):
            control.observe(lambda change: self.update(), names="value")
        self.widget = w.VBox([
            w.HBox([w.VBox(list(self.sliders.values())),
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
        self.chart.value = plotting.ranking_bar_html(self.ranking, title=f"weights {shown}")
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


class _Panel:
    """A set of controls, one compute function, and an HTML view of its result."""

    def __init__(self, controls: dict, compute, render):
        _require_ipywidgets()
        self.controls, self._compute, self._render = controls, compute, render
        self.view = w.HTML()
        for control in controls.values():
            control.observe(lambda change: self.update(), names="value")
        self.widget = w.VBox([w.VBox(list(controls.values())), self.view])
        self.update()

    def update(self):
        """Recompute from the controls and redraw the view."""
        self.result = self._compute(**{k: c.value for k, c in self.controls.items()})
        self.view.value = self._render(self.result)
        return self.result


def rfm_scorer(rules: pd.DataFrame | None = None) -> _Panel:
    """Score one customer with the airline table, literally and as corrected.

    Sliders: months since the last purchase, purchases in the past 24 months, average
    spend per purchase (元). ``.result`` is a DataFrame with one row per table version
    and dimension: ``value``, ``score``, ``matches``, ``status``.

    Examples
    --------
    >>> panel = rfm_scorer()
    >>> panel.controls["purchases"].value = 24
    >>> panel.result.loc[("courseware", "frequency"), "status"]
    'no score'
    """
    rules = load_dataset("airline_rfm_rules") if rules is None else rules
    controls = {
        "months": w.FloatSlider(value=2, min=0, max=36, step=0.5, description="months"),
        "purchases": w.IntSlider(value=8, min=0, max=60, description="purchases"),
        "average_spend": w.FloatSlider(value=2500, min=0, max=10000, step=1,
                                       description="avg spend 元"),
    }

    def compute(months, purchases, average_spend):
        parts = []
        for version in ("courseware", "crmlab_corrected"):
            table = rules[rules["version"] == version]
            for dim, value in (("recency", months), ("frequency", purchases),
                               ("monetary", average_spend)):
                row = rfm.score_by_rules([value], table, dimension=dim)
                parts.append(row.assign(version=version, dimension=dim))
        return pd.concat(parts).set_index(["version", "dimension"])

    def render(result):
        rows = "".join(
            f"<tr><td>{v}</td><td>{d}</td><td>{r.value:g}</td>"
            f"<td>{'' if pd.isna(r.score) else int(r.score)}</td>"
            f"<td style='color:{'black' if r.status == 'ok' else 'crimson'}'>{r.status}"
            f"{' (' + r.matches + ')' if r.status == 'two scores' else ''}</td></tr>"
            for (v, d), r in result.iterrows())
        return ("<table><tr><th>table</th><th>dimension</th><th>value</th><th>score</th>"
                f"<th>status</th></tr>{rows}</table>")

    return _Panel(controls, compute, render)


def abc_explorer(values: pd.Series) -> _Panel:
    """ABC classes of customer values with sliders for the two cumulative-share cut-offs.

    ``.result`` is a DataFrame indexed by class: ``customers``, ``customer_share``,
    ``value_share``. The cut-offs are the user's choice: the courseware gives none. If the
    B slider is set at or below A, B is taken as A + 0.05 (capped at 1) so that A < B.

    Examples
    --------
    >>> panel = abc_explorer(pd.Series([50, 30, 10, 5, 3, 2]))
    >>> panel.result["customers"].tolist()
    [2, 2, 2]
    """
    controls = {
        "a": w.FloatSlider(value=0.8, min=0.05, max=0.95, step=0.05, description="A up to"),
        "b": w.FloatSlider(value=0.95, min=0.1, max=1.0, step=0.05, description="B up to"),
    }

    def compute(a, b):
        b = max(b, min(a + 0.05, 1.0))
        classes = concentration.abc_classes(values, a=a, b=b)
        grouped = values.groupby(classes)
        out = pd.DataFrame({"customers": grouped.size(), "value": grouped.sum()})
        out = out.reindex(["A", "B", "C"], fill_value=0)
        out["customer_share"] = out["customers"] / out["customers"].sum()
        out["value_share"] = out["value"] / out["value"].sum()
        return out.drop(columns="value")

    def render(result):
        rows = "".join(f"<tr><td>{k}</td><td>{r.customers:,}</td><td>{r.customer_share:.1%}</td>"
                       f"<td>{r.value_share:.1%}</td></tr>" for k, r in result.iterrows())
        return ("<table><tr><th>class</th><th>customers</th><th>share of customers</th>"
                f"<th>share of value</th></tr>{rows}</table>")

    return _Panel(controls, compute, render)


SCHEMES = ("R rfm package (10 segments, 5 bins)", "RFM sum tiers (crmlab)")


def segment_explorer(transactions: pd.DataFrame, **summary_options) -> _Panel:
    """Segment customers with a chosen number of quantile bins and segment scheme.

    Controls: ``bins`` (3–7) and ``scheme`` (:data:`SCHEMES`). ``.result`` is the
    :func:`crmlab.rfm.segment_summary` table. The R ``rfm`` scheme is defined on 1–5
    scores, so with another number of bins it is not applied and ``.result`` is empty.
    ``summary_options`` go to :func:`crmlab.rfm.rfm_table` (column names, ``as_of``, …).

    Examples
    --------
    >>> log = pd.DataFrame({"customer_id": list("abcdef"),
    ...     "date": ["2024-01-01", "2024-02-01", "2024-03-01", "2024-03-05", "2024-03-20",
    ...              "2024-03-30"], "amount": [5, 10, 20, 40, 80, 160]})
    >>> panel = segment_explorer(log)
    >>> panel.controls["scheme"].value = SCHEMES[1]
    >>> panel.result.index.tolist()
    ['high', 'middle', 'low']
    """
    controls = {
        "bins": w.IntSlider(value=5, min=3, max=7, description="bins"),
        "scheme": w.Dropdown(options=list(SCHEMES), value=SCHEMES[0], description="scheme"),
    }
    cache: dict[int, pd.DataFrame] = {}

    def compute(bins, scheme):
        if bins not in cache:
            cache[bins] = rfm.rfm_table(transactions, bins=bins, **summary_options)
        table = cache[bins]
        if scheme == SCHEMES[0]:
            if bins != 5:
                return pd.DataFrame(columns=["customers", "purchases", "revenue",
                                             "customer_share", "revenue_share", "aov"])
            labels = rfm.segment(table)
        else:
            labels = rfm.sum_tiers(table, bins=bins)
        return rfm.segment_summary(table, labels)

    def render(result):
        if result.empty:
            return ("<span style='color:crimson'>The R rfm scheme is defined on 1–5 scores: "
                    "set bins to 5 or choose the sum tiers.</span>")
        rows = "".join(f"<tr><td>{k}</td><td>{r.customers:,}</td><td>{r.customer_share:.1%}</td>"
                       f"<td>{r.revenue_share:.1%}</td></tr>" for k, r in result.iterrows())
        return ("<table><tr><th>segment</th><th>customers</th><th>share of customers</th>"
                f"<th>share of revenue</th></tr>{rows}</table>")

    return _Panel(controls, compute, render)
