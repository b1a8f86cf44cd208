"""Chapter 3 dashboards, RFM: the airline-table scorer, ABC cut-offs, segment explorer."""

from __future__ import annotations

import pandas as pd

from .. import concentration, rfm, segments
from ..datasets import load_dataset
from .core import Panel, html_table, ipywidgets

__all__ = ["SCHEMES", "abc_explorer", "rfm_scorer", "segment_explorer"]

_SHARE_FORMATS = {"customers": "{:,}", "customer_share": "{:.1%}", "value_share": "{:.1%}",
                  "revenue_share": "{:.1%}"}
_SHARE_HEADERS = {"customer_share": "share of customers", "value_share": "share of value",
                  "revenue_share": "share of revenue"}


def rfm_scorer(rules: pd.DataFrame | None = None) -> Panel:
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
    w = ipywidgets()
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
        shown = result[["value", "score", "status"]].copy()
        two = result["status"] == "two scores"
        shown.loc[two, "status"] = "two scores (" + result.loc[two, "matches"] + ")"
        shown.index = shown.index.set_names(["table", "dimension"])
        return html_table(shown, formats={"value": "{:g}", "score": "{:.0f}"},
                          styles={"status": lambda s: "" if s == "ok" else "color:crimson"})

    return Panel(controls, compute, render)


def abc_explorer(values: pd.Series) -> Panel:
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
    w = ipywidgets()
    controls = {
        "a": w.FloatSlider(value=0.8, min=0.05, max=0.95, step=0.05, description="A up to"),
        "b": w.FloatSlider(value=0.95, min=0.1, max=1.0, step=0.05, description="B up to"),
    }

    def compute(a, b):
        # the B slider cannot go below A: B is taken as A + 0.05 (capped at 1)
        return concentration.abc_summary(values, a=a, b=max(b, min(a + 0.05, 1.0)))

    def render(result):
        return html_table(result.rename_axis("class"), formats=_SHARE_FORMATS,
                          headers=_SHARE_HEADERS)

    return Panel(controls, compute, render)


SCHEMES = ("R rfm package (10 segments, 5 bins)", "RFM sum tiers (crmlab)")


def segment_explorer(transactions: pd.DataFrame, **summary_options) -> Panel:
    """Segment customers with a chosen number of quantile bins and segment scheme.

    Controls: ``bins`` (3–7) and ``scheme`` (:data:`SCHEMES`). ``.result`` is the
    :func:`crmlab.segments.segment_summary` table. The R ``rfm`` scheme is defined on 1–5
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
    w = ipywidgets()
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
            labels = segments.segment(table)
        else:
            labels = segments.sum_tiers(table, bins=bins)
        return segments.segment_summary(table, labels)

    def render(result):
        if result.empty:
            return ("<span style='color:crimson'>The R rfm scheme is defined on 1–5 scores: "
                    "set bins to 5 or choose the sum tiers.</span>")
        shown = result[["customers", "customer_share", "revenue_share"]]
        return html_table(shown.rename_axis("segment"), formats=_SHARE_FORMATS,
                          headers=_SHARE_HEADERS)

    return Panel(controls, compute, render)
