"""Chapter 1 dashboards, customer identification: state rules, the 中高端消费者 threshold,
the pyramid's cut-offs and the weights of the tiering index.

Each has a static twin in the chapter (the same compute call at the default values).
Every label is English inside ``_()`` (catalog ``ch01_identification``) or a term of the
term list, translated when the dashboard is built or redrawn; ``.result`` keeps the data as
the compute functions return them (English states, tags and tiers).
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from .. import i18n, identify, rfm, tags, tiers
from ..tiers import CREDIT_SCALE, example_accounts, indicator_table  # noqa: F401 (moved)
from ..datasets import load_dataset
from ..i18n import N_, gettext as _
from ..synthetic import make_event_log
from .core import Panel, captioned, html_table, ipywidgets

__all__ = ["pyramid_explorer", "spend_threshold_explorer", "state_explorer",
           "tiering_weights"]

_WIDE = {"description_width": "initial"}


def _slider(kind: str, description: str, **limits):
    """A wide slider of ``kind`` (``"IntSlider"``, ``"FloatSlider"``) that recomputes once
    the student lets go of it."""
    return getattr(ipywidgets(), kind)(style=_WIDE, continuous_update=False,
                                       description=description, **limits)

#: The analysis date of the chapter's CDNOW states (the end of the data).
CDNOW_END = "1998-06-30"
#: Tags of the spend rule, in the order shown, and their terms.
SPEND_TAGS = {"mid-to-high-end consumer": "tag_mid_high_end",
              "mass consumer": "tag_mass_consumer", "non-buyer": "tag_non_buyer"}
#: The courseware's tiering indicators (客户分级指标), as shown.
INDICATOR_NAMES = {"order_amount": N_("order amount (客户订单金额)"),
                   "profit_contribution": N_("profit contribution (客户利润贡献)"),
                   "credit_status": N_("credit status (客户信用状况)"),
                   "prospects": N_("development prospects (客户发展前景)")}


# ------------------------------------------------------------------ customer states
def state_explorer(transactions: pd.DataFrame | None = None,
                   population: pd.DataFrame | None = None, *, as_of=CDNOW_END,
                   customer: str = "customer_id", date: str = "date",
                   contact: str = "last_contact") -> Panel:
    """Customers per state (non-customer, potential, actual, lost) under adjustable rules.

    Sliders: ``lost_after`` (days without a purchase before an actual customer is lost),
    ``min_purchases`` (purchases that make a repeat rather than a first-time buyer; it
    never moves a buyer out of actual or lost) and ``contact_window`` (days within which a
    contact makes someone who never bought potential). ``.result`` is
    :func:`crmlab.identify.state_counts` of :func:`crmlab.identify.customer_states`, with
    first-time and repeat buyers per state. Default data: the CDNOW log as of 1998-06-30
    (everyone in it bought, so potential and non-customers stay at 0; pass ``population``
    of people who only made contact to see them).

    Examples
    --------
    >>> panel = state_explorer()
    >>> panel.result["customers"].tolist()
    [0, 0, 8350, 15220]
    >>> panel.controls["min_purchases"].value = 3
    >>> panel.result["customers"].tolist(), int(panel.result.loc["lost", "first_time"])
    ([0, 0, 8350, 15220], 14203)
    """
    log = load_dataset("cdnow_master") if transactions is None else transactions
    controls = {
        "lost_after": _slider("IntSlider", _("lost after (days without a purchase)"),
                              value=365, min=30, max=720, step=15),
        "min_purchases": _slider("IntSlider", _("purchases that make a repeat buyer"),
                                 value=2, min=2, max=5),
        "contact_window": _slider("IntSlider", _("window for potential customers (days)"),
                                  value=365, min=30, max=720, step=15),
    }

    def compute(lost_after, min_purchases, contact_window):
        states = identify.customer_states(log, population, customer=customer, date=date,
                                          contact=contact, as_of=as_of,
                                          lost_after=lost_after, min_purchases=min_purchases,
                                          contact_window=contact_window)
        return identify.state_counts(states)

    def render(result):
        columns = {"customers": _("customers"), "share": _("share"),
                   "first_time": i18n.term("first_time_buyer"),
                   "repeat": i18n.term("repeat_buyer")}
        shown = pd.DataFrame({label: result[key].to_numpy() for key, label in columns.items()
                              if key in result.columns},
                             index=[i18n.term(identify.STATE_TERMS[s]) for s in result.index])
        shown.index.name = _("state")
        counts = {label: "{:,}" for key, label in columns.items() if key != "share"}
        return html_table(shown, formats={**counts, _("share"): "{:.1%}"})

    return captioned(Panel(controls, compute, render),
                     _("The state explorer, an interactive dashboard: run the notebook to use "
                        "it."))


# ------------------------------------------------------------------ the spend tag
def spend_level_counts(log: pd.DataFrame, high_spend: float) -> pd.DataFrame:
    """Users per tag of the ``spend_level`` rule at threshold ``high_spend`` (元): ``users``
    and ``share``, indexed by tag in :data:`SPEND_TAGS` order (the dashboard's result)."""
    tagged = tags.build_tags(log, rules=["spend_level"], high_spend=high_spend)
    counts = tagged["tag"].value_counts().reindex(list(SPEND_TAGS), fill_value=0).astype(int)
    out = pd.DataFrame({"users": counts, "share": counts / counts.sum()})
    out.index.name = "tag"
    return out


def spend_threshold_explorer(log: pd.DataFrame | None = None) -> Panel:
    """The spend (元) from which a user is tagged 中高端消费者 (mid-to-high-end consumer).

    One slider, ``high_spend`` (100–5,000 元); ``.result`` is :func:`spend_level_counts`.
    Default data: the chapter's synthetic event log (``make_event_log()``).

    Examples
    --------
    >>> panel = spend_threshold_explorer()
    >>> panel.result["users"].tolist()
    [126, 274, 200]
    """
    log = make_event_log() if log is None else log
    controls = {"high_spend": _slider("IntSlider", _("spend threshold (元)"), value=1000,
                                      min=100, max=5000, step=100)}

    def render(result):
        shown = pd.DataFrame({_("users"): result["users"].to_numpy(),
                              _("share"): result["share"].to_numpy()},
                             index=[i18n.term(SPEND_TAGS[t]) for t in result.index])
        shown.index.name = i18n.term("tag_layer_consumption")
        return html_table(shown, formats={_("users"): "{:,}", _("share"): "{:.1%}"})

    return captioned(Panel(controls, lambda high_spend: spend_level_counts(log, high_spend),
                           render),
                     _("The tag-threshold explorer, an interactive dashboard: run the notebook "
                        "to use it."))


# ------------------------------------------------------------------ the pyramid
def pyramid_explorer(values: pd.Series | None = None) -> Panel:
    """The customer pyramid with sliders for its three cut-offs (cumulative shares of
    customers from the top: Platinum up to the first, Gold to the second, Iron to the
    third). The cut-offs are the suite's choice; the article gives none.

    ``.result`` is :func:`crmlab.tiers.tier_summary` of
    :func:`crmlab.tiers.customer_pyramid`. If a slider is set at or below the one above it,
    it is taken as that one + 0.05 (so the cut-offs increase). Default data: the revenue
    of each CDNOW customer.

    Examples
    --------
    >>> panel = pyramid_explorer()
    >>> panel.result["customers"].tolist()
    [4715, 7070, 7392, 4393]
    """
    if values is None:
        values = rfm.customer_table(load_dataset("cdnow_master"),
                                    amount="dollars")["monetary_total"]
    frame = pd.DataFrame({"value": np.asarray(values, dtype=float)})
    controls = {
        "platinum": _slider("FloatSlider", _("Platinum: top share of customers"), value=0.2,
                            min=0.05, max=0.85, step=0.05),
        "gold": _slider("FloatSlider", _("Gold: down to the share"), value=0.5, min=0.1,
                        max=0.9, step=0.05),
        "iron": _slider("FloatSlider", _("Iron: down to the share"), value=0.8, min=0.15,
                        max=0.95, step=0.05),
    }

    def compute(platinum, gold, iron):
        gold = max(gold, round(platinum + 0.05, 2))
        iron = min(max(iron, round(gold + 0.05, 2)), 0.99)
        gold = min(gold, round(iron - 0.01, 2))
        placed = tiers.customer_pyramid(frame, cutoffs=(platinum, gold, iron))
        summary = tiers.tier_summary(placed["tier"], placed["value"])
        summary.attrs["cutoffs"] = (platinum, gold, iron)
        return summary

    def render(result):
        shown = result[["customers", "customer_share", "value_share"]].copy()
        shown.index = [i18n.term(tiers.TIER_TERMS[t]) for t in shown.index]
        shown.index.name = i18n.term("pyramid")
        note = html.escape(_("cut-offs used: {a:.2f}, {b:.2f}, {c:.2f} (the suite's choice, "
                             "not the article's)").format(a=result.attrs["cutoffs"][0],
                                                          b=result.attrs["cutoffs"][1],
                                                          c=result.attrs["cutoffs"][2]),
                           quote=False)
        return html_table(shown, formats={"customers": "{:,}", "customer_share": "{:.1%}",
                                          "value_share": "{:.1%}"},
                          headers={"customers": _("customers"),
                                   "customer_share": i18n.term("customer_share"),
                                   "value_share": i18n.term("value_share")}) \
            + f"<p>{note}</p>"

    return captioned(Panel(controls, compute, render),
                     _("The pyramid explorer, an interactive dashboard: run the notebook to "
                        "use it."))


# ------------------------------------------------------------------ the tiering index
def tiering_weights(accounts: pd.DataFrame | None = None) -> Panel:
    """Weights of the courseware's four tiering indicators (客户订单金额, 客户利润贡献,
    客户信用状况, 客户发展前景) and the combined weighted index (综合加权) they give.

    One slider per indicator (0–1); the weights are divided by their sum (the courseware
    gives no weights: equal weights are the default and the suite's choice). ``.result``
    is :func:`crmlab.tiers.tiering_index` (min–max scaled indicators, ``index``, ``rank``)
    sorted by rank. Default data: :func:`example_accounts`.

    Examples
    --------
    >>> panel = tiering_weights()
    >>> panel.result.index[:3].tolist()
    ['B', 'C', 'G']
    >>> panel.controls["order_amount"].value = 1.0
    >>> for name in ("profit_contribution", "credit_status", "prospects"):
    ...     panel.controls[name].value = 0.0
    >>> panel.result.index[0]
    'A'
    """
    accounts = example_accounts() if accounts is None else accounts
    data = indicator_table(accounts) if "credit_rating" in accounts else accounts
    shown_names = {k: _(v) for k, v in INDICATOR_NAMES.items()}
    controls = {k: _slider("FloatSlider",
                           _("weight: {indicator}").format(indicator=shown_names[k]),
                           value=0.25, min=0.0, max=1.0, step=0.05)
                for k in tiers.TIERING_INDICATORS}

    def compute(**weights):
        fallback = sum(weights.values()) <= 0
        if fallback:
            weights = dict.fromkeys(weights, 1.0)
        out = tiers.tiering_index(data, weights, normalise=True)
        out = out.sort_values(["rank", "index"], ascending=[True, False], kind="stable")
        out.attrs["equal_weights_fallback"] = fallback
        return out

    def render(result):
        used = result.attrs["weights"]
        # rounded as the static twin's .round(3), so the two show the same digits: "{:.3f}"
        # alone rounds the binary value (0.4425 -> 0.443), .round(3) half to even (0.442)
        shown = result[["index", "rank"]].round({"index": 3})
        shown.columns = [_("weighted index"), _("rank")]
        shown.index.name = _("account")
        separator = "、" if i18n.get_language() == "zh" else ", "
        weights = separator.join(f"{shown_names[k]} {v:.2f}" for k, v in used.items())
        note = _("weights used (divided by their sum): {weights}").format(weights=weights)
        if result.attrs.get("equal_weights_fallback"):
            note += " " + _("(every weight was 0, so equal weights are used)")
        note = html.escape(note, quote=False)
        return html_table(shown, formats={_("weighted index"): "{:.3f}"}) + f"<p>{note}</p>"

    return captioned(Panel(controls, compute, render),
                     _("The tiering-index panel, an interactive dashboard: run the notebook "
                        "to use it."))
