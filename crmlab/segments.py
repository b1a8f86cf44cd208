"""Customer segments (客户细分) from RFM scores: named segments, sum tiers, summaries.

Functions
---------
segment
    Named segments from the R, F and M scores (the R ``rfm`` package's scheme by
    default; any first-match-wins scheme of score ranges).
sum_tiers
    Low / middle / high tiers of the RFM sum (crmlab's convention, any number of bins).
segment_summary
    Customers, purchases, revenue and average order value per segment.
segment_label
    A segment's name for display, in the language of the session (the term list's
    ``seg_*`` rows: "Champions" is 冠军客户 in Chinese).

Segment names stay English in the data (the R ``rfm`` package's names, the values
:func:`segment` returns and exercises compare with); only what is shown is translated.

The scores come from :func:`crmlab.rfm.rfm_table` (or any table with score columns).

References
----------
R package ``rfm`` (rsquaredacademy): the segment scheme of its documentation.
《客户关系管理（第2.3.4讲）》 (lectures 2–4), ch. 4 §4.2.3 RFM分析法 (客户细分 by RFM).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from . import i18n
from ._validation import (
    InputError,
    format_rows as _labels,
    require_columns,
    require_frame,
    require_in_range,
    require_integer,
    require_numeric,
    require_vector,
)
from .rfm import MAX_BINS

__all__ = ["R_RFM_SEGMENTS", "SEGMENT_TERMS", "segment", "segment_label", "segment_summary",
           "sum_tiers"]


#: The R ``rfm`` package's documented segment scheme, first match wins, else "Others":
#: (name, recency low, high, frequency low, high, monetary low, high) on 1–5 scores.
R_RFM_SEGMENTS = (
    ("Champions", 5, 5, 5, 5, 5, 5),
    ("Potential Loyalist", 3, 5, 3, 5, 2, 5),
    ("Loyal Customers", 2, 4, 2, 4, 2, 4),
    ("Promising", 3, 4, 1, 3, 3, 5),
    ("New Customers", 4, 5, 1, 3, 1, 5),
    ("Can't Lose Them", 1, 2, 3, 4, 4, 5),
    ("At Risk", 1, 2, 2, 5, 4, 5),
    ("Need Attention", 1, 3, 3, 5, 3, 5),
    ("About To Sleep", 2, 3, 1, 3, 1, 4),
    ("Lost", 1, 1, 1, 5, 1, 5),
)

#: The term-list key (``crmlab/locale/terms.csv``) of each segment name of
#: :data:`R_RFM_SEGMENTS`, of "Others" and of the default :func:`sum_tiers` tiers.
SEGMENT_TERMS = {
    "Champions": "seg_champions",
    "Potential Loyalist": "seg_potential_loyalist",
    "Loyal Customers": "seg_loyal",
    "Promising": "seg_promising",
    "New Customers": "seg_new",
    "Can't Lose Them": "seg_cant_lose",
    "At Risk": "seg_at_risk",
    "Need Attention": "seg_need_attention",
    "About To Sleep": "seg_about_to_sleep",
    "Lost": "seg_lost",
    "Others": "seg_others",
    "low": "seg_tier_low",
    "middle": "seg_tier_middle",
    "high": "seg_tier_high",
}


def segment_label(name) -> str:
    """The name of segment ``name`` as shown to a reader, in the session's language.

    The names of :data:`R_RFM_SEGMENTS`, "Others" and the sum tiers come from the term
    list; any other name (a scheme of your own) is shown as it is. Use it on what is
    displayed, e.g. ``summary.rename(index=segment_label)``; keep the data in English.

    Examples
    --------
    >>> segment_label("Champions")
    'Champions'
    >>> i18n.set_language("zh"); segment_label("Champions"), segment_label("high")
    ('冠军客户', '高分层')
    >>> segment_label("my own segment")
    'my own segment'
    >>> i18n.set_language("en")
    """
    key = SEGMENT_TERMS.get(name) if isinstance(name, str) else None
    return i18n.term(key) if key else name



def segment(scores: pd.DataFrame, *, scheme=R_RFM_SEGMENTS, other: str = "Others",
            r: str = "r_score", f: str = "f_score", m: str = "m_score") -> pd.Series:
    """Name each customer's segment from its R, F and M scores; the first matching rule wins.

    Parameters
    ----------
    scores : DataFrame
        With 1–5 score columns (e.g. :func:`rfm_table` with ``bins=5``).
    scheme : sequence of (name, r_lo, r_hi, f_lo, f_hi, m_lo, m_hi)
        Default: the R ``rfm`` package's documented scheme, :data:`R_RFM_SEGMENTS`.
    other : str, default "Others"
        Name for customers no rule matches.

    Returns
    -------
    Series of str
        Named ``segment``, aligned with ``scores``.

    Examples
    --------
    >>> s = pd.DataFrame({"r_score": [5, 1, 3], "f_score": [5, 1, 1], "m_score": [5, 1, 1]})
    >>> segment(s).tolist()
    ['Champions', 'Lost', 'About To Sleep']
    """
    func = "segments.segment"
    require_frame(scores, func=func, arg="scores")
    require_columns(scores, {"r": r, "f": f, "m": m}, func=func, arg="scores")
    rules = _scheme(scheme, func)
    values = [require_numeric(scores[c], func=func, name=f"column {c!r}").to_numpy()
              for c in (r, f, m)]
    labels = np.full(len(scores), other, dtype=object)
    free = np.ones(len(scores), dtype=bool)
    for name, *bounds in rules:
        hit = free.copy()
        for x, lo, hi in zip(values, bounds[0::2], bounds[1::2]):
            hit &= (x >= lo) & (x <= hi)
        labels[hit] = name
        free &= ~hit
    return pd.Series(labels, index=scores.index, name="segment", dtype=object)


def _scheme(scheme, func: str) -> list:
    """Check a segment scheme: (name, r_lo, r_hi, f_lo, f_hi, m_lo, m_hi) rows, lo <= hi."""
    if isinstance(scheme, (str, bytes, Mapping)) or not isinstance(scheme, Iterable):
        raise InputError(f"{func}: scheme must be a sequence of (name, r_lo, r_hi, f_lo, f_hi, "
                         f"m_lo, m_hi) rules, like R_RFM_SEGMENTS; got {type(scheme).__name__}.")
    rules = []
    for k, rule in enumerate(scheme):
        ok = isinstance(rule, (tuple, list)) and len(rule) == 7 and all(
            isinstance(b, (int, float, np.integer, np.floating))
            and not isinstance(b, (bool, np.bool_)) and not np.isnan(b) for b in rule[1:])
        if ok:
            ok = all(lo <= hi for lo, hi in zip(rule[1::2], rule[2::2]))
        if not ok:
            raise InputError(f"{func}: scheme rule {k} must be (name, r_lo, r_hi, f_lo, f_hi, "
                             f"m_lo, m_hi) with numbers lo <= hi; got {rule!r}.")
        rules.append(tuple(rule))
    return rules


def sum_tiers(table: pd.DataFrame, *, bins: int = 5,
              labels=("low", "middle", "high")) -> pd.Series:
    """Cut the RFM sum into equal-width tiers of its range ``[3, 3·bins]``.

    A convention of this suite (not courseware, not Hughes): with 5 bins and three
    tiers the range 3–15 is cut at 7 and 11: sums 3–6 are "low", 7–10 "middle",
    11–15 "high". ``bins`` must be the one the table was scored with: a sum outside
    ``[3, 3·bins]`` is refused.

    Examples
    --------
    >>> sum_tiers(pd.DataFrame({"rfm_sum": [3, 6, 7, 10, 11, 15]})).tolist()
    ['low', 'low', 'middle', 'middle', 'high', 'high']
    """
    func = "segments.sum_tiers"
    require_columns(table, ["rfm_sum"], func=func, arg="table")
    bins = require_integer(bins, func=func, name="bins", low=2, high=MAX_BINS)
    if isinstance(labels, (str, bytes, Mapping)) or not isinstance(labels, Iterable):
        raise InputError(f"{func}: labels must be a sequence of tier names, e.g. "
                         f"('low', 'middle', 'high'); got {labels!r}.")
    labels = list(labels)
    if not labels:
        raise InputError(f"{func}: labels must name at least one tier; got an empty sequence.")
    sums = require_numeric(table["rfm_sum"], func=func, name="column 'rfm_sum'")
    require_in_range(sums, func=func, name="column 'rfm_sum'", low=3, high=3 * bins,
                     hint=f"An RFM sum of {bins} bins runs from 3 to {3 * bins}; pass the bins "
                          f"the table was scored with.")
    low, high = 3, 3 * bins
    edges = np.linspace(low, high, len(labels) + 1)
    position = np.clip(np.searchsorted(edges, sums.to_numpy() + 0.5) - 1, 0, len(labels) - 1)
    names = np.empty(len(labels), dtype=object)
    for k, label in enumerate(labels):
        names[k] = label
    return pd.Series(names[position], index=table.index, name="segment")


def segment_summary(table: pd.DataFrame, segments: pd.Series, *,
                    frequency: str = "frequency", monetary: str = "monetary_total") -> pd.DataFrame:
    """Customers, purchases, revenue, their shares and average order value per segment.

    ``segments`` is aligned with ``table`` by index if it is a Series with the same
    labels (in any order), else by position (same length).

    Returns
    -------
    DataFrame
        Indexed by segment, sorted by revenue: ``customers``, ``purchases``,
        ``revenue``, ``customer_share``, ``revenue_share``, ``aov`` (revenue / purchases;
        NaN for a segment with no purchase). An empty table gives an empty summary.

    Raises
    ------
    ValueError
        (:class:`~crmlab._validation.InputError`) on missing columns, non-numeric,
        missing or infinite values, negative purchase counts, missing segment labels,
        segments that do not match the table, or total revenue 0 (no shares).
    """
    func = "segments.segment_summary"
    require_columns(table, {"frequency": frequency, "monetary": monetary}, func=func,
                    arg="table")
    labels = _aligned(segments, table.index, func)
    purchases = require_numeric(table[frequency], func=func, name=f"column {frequency!r}")
    require_in_range(purchases, func=func, name=f"column {frequency!r}", low=0,
                     hint="Purchase counts cannot be negative.")
    revenue = require_numeric(table[monetary], func=func, name=f"column {monetary!r}")
    frame = pd.DataFrame({"segment": labels, "purchases": purchases.to_numpy(),
                          "revenue": revenue.to_numpy()})
    grouped = frame.groupby("segment", sort=True)
    out = pd.DataFrame({
        "customers": grouped.size(),
        "purchases": grouped["purchases"].sum(),
        "revenue": grouped["revenue"].sum(),
    })
    total = out["revenue"].sum()
    if len(out) and (total == 0 or not np.isfinite(total)):
        raise InputError(f"{func}: the revenue in column {monetary!r} sums to {float(total)!r}, so "
                         f"revenue shares are undefined; check the column (returns netted out?).")
    out["customer_share"] = out["customers"] / max(out["customers"].sum(), 1)
    out["revenue_share"] = out["revenue"] / (total if len(out) else 1.0)
    out["aov"] = out["revenue"] / out["purchases"].where(out["purchases"] > 0)
    if pd.api.types.is_integer_dtype(table[frequency].dtype):
        out["purchases"] = out["purchases"].astype(table[frequency].dtype)
    return out.sort_values("revenue", ascending=False)


def _aligned(segments, index: pd.Index, func: str) -> np.ndarray:
    """Segment labels as an array in the order of ``index``; missing labels refused."""
    if isinstance(segments, pd.Series):
        if segments.index.equals(index):
            labels = segments.to_numpy()
        elif (index.is_unique and segments.index.is_unique and len(segments) == len(index)
              and set(segments.index) == set(index)):
            labels = segments.reindex(index).to_numpy()
        else:
            raise InputError(f"{func}: the index of `segments` does not match the table's "
                             f"(e.g. {list(segments.index[:3])} vs {list(index[:3])}); pass "
                             f"labels for the same customers, e.g. rfm.segment(table).")
    else:
        labels = require_vector(segments, func=func, name="segments").to_numpy()
        if len(labels) != len(index):
            raise InputError(f"{func}: `segments` has {len(labels)} labels for {len(index)} "
                             f"customers; give one label per row of the table.")
    missing = pd.isna(pd.Series(labels, dtype=object)).to_numpy()
    if missing.any():
        raise InputError(f"{func}: `segments` has missing labels at rows "
                         f"{_labels(index[missing])}. Label every customer (e.g. 'Others').")
    try:
        pd.Index(labels).unique().sort_values()
    except TypeError:
        raise InputError(f"{func}: `segments` mixes label types "
                         f"{sorted({type(x).__name__ for x in labels})}; make them one type, "
                         f"e.g. .astype(str).") from None
    return labels
