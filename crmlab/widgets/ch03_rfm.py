"""Chapter 3 dashboards, RFM: the airline-table scorer, ABC cut-offs, segment explorer.

Every label is English inside ``_()`` (catalog ``ch03_rfm``) or a term of the term list,
translated when the dashboard is built or redrawn; ``.result`` keeps the data as the
compute functions return it (English segment names, table versions and statuses).
"""

from __future__ import annotations

import pandas as pd

from .. import concentration, i18n, rfm, segments
from ..datasets import load_dataset
from ..i18n import N_, gettext as _
from .core import Panel, captioned, html_table, ipywidgets

__all__ = ["SCHEMES", "abc_explorer", "rfm_scorer", "segment_explorer"]

_SHARE_FORMATS = {"customers": "{:,}", "customer_share": "{:.1%}", "value_share": "{:.1%}",
                  "revenue_share": "{:.1%}"}
#: Column headers of the share tables (English, translated when drawn).
_SHARE_HEADERS = {"customers": N_("customers"), "customer_share": N_("share of customers"),
                  "value_share": N_("share of value"), "revenue_share": N_("share of revenue")}
#: The two versions of the airline table, as shown.
_VERSIONS = {"courseware": N_("courseware, literal"), "crmlab_corrected": N_("crmlab, corrected")}
#: What :func:`crmlab.rfm.score_by_rules` says of a value, as shown.
_STATUSES = {"ok": N_("one score"), "no score": N_("no score"), "missing": N_("missing")}
#: The CDNOW defaults of the explorers (the chapter's data).
_CDNOW = {"amount": "dollars", "as_of": "1998-06-30"}
_WIDE = {"description_width": "initial"}


def _headers(names) -> dict:
    return {k: i18n.gettext(v) for k, v in names.items()}




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
        "months": w.FloatSlider(value=2, min=0, max=36, step=0.5, style=_WIDE,
                                description=_("R: months since last purchase")),
        "purchases": w.IntSlider(value=8, min=0, max=60, style=_WIDE,
                                 description=_("F: purchases in 24 months")),
        "average_spend": w.FloatSlider(value=2500, min=0, max=10000, step=1, style=_WIDE,
                                       description=_("M: average spend (元)")),
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
        shown = result[["value", "score"]].copy()
        shown["status"] = [
            _("two scores ({matches})").format(matches=m) if s == "two scores"
            else i18n.gettext(_STATUSES.get(s, s))
            for s, m in zip(result["status"], result["matches"])]
        shown.index = pd.MultiIndex.from_tuples(
            [(i18n.gettext(_VERSIONS.get(v, v)), i18n.term(d)) for v, d in shown.index])
        ok = i18n.gettext(_STATUSES["ok"])
        return html_table(shown, formats={"value": "{:g}", "score": "{:.0f}"},
                          headers={"value": _("value"), "score": _("score"),
                                   "status": _("status")},
                          styles={"status": lambda s: "" if s == ok else "color:crimson"})

    return captioned(Panel(controls, compute, render),
                     _("The RFM scorer, an interactive dashboard: run the notebook to use it."))


def _cdnow_revenue() -> pd.Series:
    return rfm.customer_table(load_dataset("cdnow_master"), amount="dollars")["monetary_total"]


def abc_explorer(values: pd.Series | None = None) -> Panel:
    """ABC classes of customer values with sliders for the two cumulative-share cut-offs.

    ``values`` defaults to the revenue of each CDNOW customer (the chapter's data).
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
    values = _cdnow_revenue() if values is None else values
    controls = {
        "a": w.FloatSlider(value=0.8, min=0.05, max=0.95, step=0.05, style=_WIDE,
                           description=_("A: cumulative value up to")),
        "b": w.FloatSlider(value=0.95, min=0.1, max=1.0, step=0.05, style=_WIDE,
                           description=_("B: cumulative value up to")),
    }

    def compute(a, b):
        # the B slider cannot go below A: B is taken as A + 0.05 (capped at 1)
        return concentration.abc_summary(values, a=a, b=max(b, min(a + 0.05, 1.0)))

    def render(result):
        return html_table(result.rename_axis(_("class")), formats=_SHARE_FORMATS,
                          headers=_headers(_SHARE_HEADERS))

    return captioned(Panel(controls, compute, render),
                     _("The ABC explorer, an interactive dashboard: run the notebook to use it."))


#: The segment schemes of :func:`segment_explorer` (the dropdown's values; its labels
#: are these names translated).
SCHEMES = (N_("R rfm package (10 segments, 5 bins)"), N_("RFM sum tiers (crmlab)"))


def segment_explorer(transactions: pd.DataFrame | None = None, **summary_options) -> Panel:
    """Segment customers with a chosen number of quantile bins and segment scheme.

    Controls: ``bins`` (3–7) and ``scheme`` (:data:`SCHEMES`). ``.result`` is the
    :func:`crmlab.segments.segment_summary` table (segment names in English, as the data
    has them; the view shows them in the session's language). The R ``rfm`` scheme is
    defined on 1–5 scores, so with another number of bins it is not applied and
    ``.result`` is empty. ``summary_options`` go to :func:`crmlab.rfm.rfm_table` (column
    names, ``as_of``, …). Without ``transactions``, the chapter's CDNOW log is used
    (``amount="dollars"``, ``as_of="1998-06-30"``).

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
    if transactions is None:
        transactions = load_dataset("cdnow_master")
        summary_options = {**_CDNOW, **summary_options}
    controls = {
        "bins": w.IntSlider(value=5, min=3, max=7, description=_("bins")),
        "scheme": w.Dropdown(options=[(i18n.gettext(s), s) for s in SCHEMES],
                             value=SCHEMES[0], description=_("scheme")),
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
            return ("<span style='color:crimson'>"
                    + _("The R rfm scheme is defined on 1–5 scores: set bins to 5 or choose "
                        "the sum tiers.") + "</span>")
        shown = result[["customers", "customer_share", "revenue_share"]]
        shown = shown.rename(index=segments.segment_label).rename_axis(_("segment"))
        return html_table(shown, formats=_SHARE_FORMATS, headers=_headers(_SHARE_HEADERS))

    return captioned(Panel(controls, compute, render),
                     _("The segment explorer, an interactive dashboard: run the notebook to "
                        "use it."))
