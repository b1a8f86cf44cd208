"""Interactive dashboards (ipywidgets) over the compute and plotting modules.

Each factory returns an object holding the widget *and* the data it shows, so a test
can set control values and read the result without a kernel. Callbacks hold no
business logic: everything a dashboard shows, a plain function call also produces.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import clv, concentration, man, plotting, retention, rfm
from .datasets import load_dataset

try:
    import ipywidgets as w
except ImportError:  # pragma: no cover - exercised only without the [lab] extra
    w = None

__all__ = ["ManDashboard", "abc_explorer", "bgnbd_what_if", "clv_table_editor",
           "group_clv_panel", "man_dashboard", "retention_curve_panel", "rfm_scorer",
           "segment_explorer"]


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


# ------------------------------------------------------------------- chapter 4: CLV
def _frame_html(frame: pd.DataFrame, fmt: str = "{:,.2f}") -> str:
    head = "".join(f"<th>{c}</th>" for c in [frame.index.name or ""] + list(frame.columns))
    body = "".join("<tr><td>{}</td>{}</tr>".format(
        k, "".join(f"<td>{fmt.format(v) if isinstance(v, float) else v}</td>" for v in row))
        for k, row in zip(frame.index, frame.itertuples(index=False)))
    return f"<table><tr>{head}</tr>{body}</table>"


def _per_year(text: str, years: int) -> list[float]:
    """'500, 600' → one value per year: missing years repeat the last value."""
    values = []
    for v in str(text).replace("，", ",").split(","):
        try:
            values += [float(v)] if v.strip() else []
        except ValueError:
            raise ValueError(f"{v.strip()!r} is not a number; write one value per year, "
                             f"separated by commas, e.g. '500, 550, 600'.") from None
    values = values or [0.0]
    return (values + [values[-1]] * years)[:years]


def clv_table_editor(*, years: int = 5, revenue: str = "500, 550, 600, 600, 600",
                     cost: str = "200", discount: float = 0.08) -> _Panel:
    """Individual CLV (courseware F4) from a per-year table the user edits.

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
    readings = ("Q_t gross: subtract C_t", "Q_t already net: ignore C_t")
    controls = {
        "years": w.IntSlider(value=years, min=1, max=20, description="T years"),
        "revenue": w.Text(value=revenue, description="Q_t"),
        "cost": w.Text(value=cost, description="C_t"),
        "discount": w.FloatSlider(value=discount, min=0.005, max=0.2, step=0.005,
                                  readout_format=".1%", description="i"),
        "reading": w.Dropdown(options=readings, value=readings[0], description="Q_t is"),
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
        return (_frame_html(result) + f"<p><b>V_K = {result['cumulative_pv'].iloc[-1]:,.2f}"
                "</b></p>")

    return _Panel(controls, compute, render)


def group_clv_panel(*, customers: int = 100, churn: float = 0.2, margin: float = 100.0,
                    discount: float = 0.1) -> _Panel:
    """Group CLV and churn (courseware F5–F8) for a base of N customers.

    Controls: ``customers`` N, ``churn`` r_L, ``margin`` (annual margin per customer),
    ``discount`` i. ``.result`` is a Series: ``lifetime_years`` T = 1/r_L,
    ``lost_per_year`` (= replacements needed), ``clv_annuity`` per customer and its Σ
    versions with T rounded down / half up / up, ``group_value`` (N × annuity CLV) and
    ``group_churn_cost`` V_{q,l} = N·r_L·V_k (V_k = the annuity CLV).

    Examples
    --------
    >>> panel = group_clv_panel()
    >>> panel.result[["lifetime_years", "lost_per_year"]].tolist()
    [5.0, 20.0]
    """
    controls = {
        "customers": w.IntSlider(value=customers, min=10, max=10000, step=10, description="N"),
        "churn": w.FloatSlider(value=churn, min=0.01, max=0.5, step=0.01, readout_format=".0%",
                               description="r_L"),
        "margin": w.FloatSlider(value=margin, min=10, max=1000, step=10,
                                description="margin/yr"),
        "discount": w.FloatSlider(value=discount, min=0.01, max=0.2, step=0.005,
                                  readout_format=".1%", description="i"),
    }

    def compute(customers, churn, margin, discount):
        methods = clv.group_clv_methods(margin, churn, discount)["value"]
        vk = methods["annuity"]
        return pd.Series({
            "lifetime_years": 1 / churn, "lost_per_year": customers * churn,
            "clv_annuity": vk, "clv_sum_floor": methods["floor"],
            "clv_sum_round": methods["round"], "clv_sum_ceil": methods["ceil"],
            "group_value": customers * vk,
            "group_churn_cost": clv.base_churn_cost(customers, churn, vk)})

    def render(result):
        return _frame_html(result.to_frame("value").rename_axis("quantity"))

    return _Panel(controls, compute, render)


def _svg_lines(x, lines: dict, *, width=420, height=220, ymax=None) -> str:
    ymax = ymax or max(float(np.nanmax(v)) for v in lines.values()) * 1.05
    colours = ["#0173b2", "#de8f05", "#029e73"]
    sx = lambda v: 40 + (v - x[0]) / (x[-1] - x[0]) * (width - 50)   # noqa: E731
    sy = lambda v: height - 25 - v / ymax * (height - 35)              # noqa: E731
    paths = "".join(
        f"<polyline fill='none' stroke='{colours[k % 3]}' stroke-width='2' points='"
        + " ".join(f"{sx(a):.1f},{sy(b):.1f}" for a, b in zip(x, v)) + "'/>"
        f"<text x='{width - 5}' y='{15 + 14 * k}' text-anchor='end' font-size='11' "
        f"fill='{colours[k % 3]}'>{name}</text>" for k, (name, v) in enumerate(lines.items()))
    axes = (f"<line x1='40' y1='{height - 25}' x2='{width - 10}' y2='{height - 25}' "
            f"stroke='grey'/><text x='40' y='{height - 8}' font-size='11'>{x[0]:g}</text>"
            f"<text x='{width - 10}' y='{height - 8}' font-size='11' text-anchor='end'>"
            f"{x[-1]:g}</text><text x='2' y='14' font-size='11'>{ymax:,.0f}</text>")
    return f"<svg width='{width}' height='{height}'>{axes}{paths}</svg>"


def retention_curve_panel(*, margin: float = 100.0, discount: float = 0.1) -> _Panel:
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
        return _svg_lines(result.index.to_numpy(), {c: result[c].to_numpy()
                                                    for c in result.columns}) + \
            _frame_html(result.iloc[::3])

    return _Panel(controls, compute, render)


def bgnbd_what_if(fit, *, horizon: float = 39.0) -> _Panel:
    """One customer under a fitted BG/NBD model: P(alive) and expected purchases.

    Controls: ``frequency`` x, ``recency`` t_x, ``T`` and ``horizon`` (weeks ahead).
    Recency is capped at T and set to 0 when x = 0 (the model's definitions), and the
    view says so. ``.result`` is a Series: ``frequency``, ``recency``, ``T``, ``p_alive``,
    ``expected_purchases``, ``note``.

    Examples
    --------
    >>> import crmlab
    >>> from crmlab import btyd
    >>> cbs = btyd.repeat_purchase_table(crmlab.load_dataset("cdnow_sample"), amount="dollars",
    ...                                  calibration_end="1997-09-30")
    >>> panel = bgnbd_what_if(btyd.fit_bgnbd(cbs))
    >>> panel.controls["frequency"].value = 2
    >>> panel.controls["recency"].value = 30.43
    >>> panel.controls["T"].value = 38.86
    >>> round(float(panel.result["expected_purchases"]), 3)
    1.226
    """
    controls = {
        "frequency": w.IntSlider(value=2, min=0, max=30, description="x"),
        "recency": w.FloatSlider(value=30.0, min=0, max=78, step=0.01, description="t_x"),
        "T": w.FloatSlider(value=38.86, min=0.5, max=78, step=0.01, description="T"),
        "horizon": w.FloatSlider(value=horizon, min=1, max=104, step=1, description="weeks"),
    }

    def compute(frequency, recency, T, horizon):
        note = ""
        if frequency == 0 and recency > 0:
            recency, note = 0.0, "x = 0, so t_x is 0 by definition."
        elif recency > T:
            recency, note = T, "t_x cannot exceed T; using t_x = T."
        one = pd.DataFrame({"frequency": [frequency], "recency": [recency], "T": [T]})
        return pd.Series({
            "frequency": frequency, "recency": recency, "T": T,
            "p_alive": fit.p_alive(one).iloc[0],
            "expected_purchases": fit.conditional_expected_purchases(one, horizon).iloc[0],
            "note": note})

    def render(result):
        return (f"<p>P(alive) = <b>{result['p_alive']:.3f}</b>; expected purchases in the "
                f"next {controls['horizon'].value:g} weeks = "
                f"<b>{result['expected_purchases']:.3f}</b></p>"
                + (f"<p style='color:crimson'>{result['note']}</p>" if result["note"] else ""))

    return _Panel(controls, compute, render)
