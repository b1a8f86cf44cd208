"""crmlab.segments: the R rfm scheme cell by cell, sum tiers, summaries, and bad input."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import assert_finite, cells, correct_or_clear, frames, or_not_a_frame

from crmlab import i18n, rfm, segments

SCORES = cells(st.integers(1, 5))
SEGMENT_FUNCTIONS = ["segment", "segment_label", "segment_summary", "sum_tiers"]


# ---- segments (R rfm package scheme)
@pytest.mark.parametrize("scores, name", [
    ((5, 5, 5), "Champions"), ((4, 4, 3), "Potential Loyalist"), ((2, 2, 2), "Loyal Customers"),
    ((4, 1, 4), "Promising"), ((5, 1, 1), "New Customers"), ((1, 3, 5), "Can't Lose Them"),
    ((2, 5, 5), "At Risk"), ((3, 3, 3), "Potential Loyalist"), ((3, 1, 1), "About To Sleep"),
    ((1, 1, 1), "Lost"), ((2, 1, 5), "Others"),
])
def test_segment_first_match_wins(scores, name):
    frame = pd.DataFrame([scores], columns=["r_score", "f_score", "m_score"])
    assert segments.segment(frame).iloc[0] == name


def test_segment_summary_shares_add_up(log):
    table = rfm.rfm_table(log, bins=3)
    summary = segments.segment_summary(table, pd.Series(["x", "y", "x"], index=table.index))
    assert summary["customer_share"].sum() == pytest.approx(1)
    assert summary.loc["x", "revenue"] == 46.0 and summary.loc["x", "aov"] == pytest.approx(46 / 5)


@given(st.integers(min_value=2, max_value=9))
def test_sum_tiers_cover_every_possible_sum_in_order(bins):
    sums = pd.DataFrame({"rfm_sum": range(3, 3 * bins + 1)})
    tiers = segments.sum_tiers(sums, bins=bins).map({"low": 0, "middle": 1, "high": 2})
    assert tiers.notna().all() and tiers.is_monotonic_increasing
    assert tiers.iloc[0] == 0 and tiers.iloc[-1] == 2


def test_segment_is_the_first_matching_rule_for_all_125_cells():
    cells_ = pd.DataFrame([(r, f, m) for r in range(1, 6) for f in range(1, 6)
                           for m in range(1, 6)], columns=["r_score", "f_score", "m_score"])
    got = segments.segment(cells_)
    for (r, f, m), name in zip(cells_.itertuples(index=False), got):
        first = next((rule[0] for rule in segments.R_RFM_SEGMENTS
                      if rule[1] <= r <= rule[2] and rule[3] <= f <= rule[4]
                      and rule[5] <= m <= rule[6]), "Others")
        assert name == first
    assert got.value_counts()["Champions"] == 1


def test_every_segment_name_has_a_display_name_in_both_languages_from_the_term_list():
    names = [rule[0] for rule in segments.R_RFM_SEGMENTS] + ["Others", "low", "middle", "high"]
    assert set(names) == set(segments.SEGMENT_TERMS)
    assert [segments.segment_label(n) for n in names[:11]] == names[:11]   # English: as is
    i18n.set_language("zh")
    try:
        chinese = [segments.segment_label(n) for n in names]
    finally:
        i18n.set_language("en")
    assert chinese[:3] == ["冠军客户", "潜在忠诚客户", "忠诚客户"] and chinese[-1] == "高分层"
    assert len(set(chinese)) == len(names)
    assert chinese == [i18n.term(segments.SEGMENT_TERMS[n], language="zh") for n in names]


@given(st.one_of(st.text(max_size=20), st.integers(), st.none(), st.floats(allow_nan=True)))
def test_fuzz_segment_label_shows_any_other_name_as_it_is(name):
    if name not in segments.SEGMENT_TERMS:
        shown = segments.segment_label(name)
        assert shown is name


def test_fuzz_covers_every_public_function_of_segments():
    assert {n for n in segments.__all__ if callable(getattr(segments, n))} == \
        set(SEGMENT_FUNCTIONS)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(or_not_a_frame(frames({"r_score": SCORES, "f_score": SCORES, "m_score": SCORES,
                              "rfm_sum": cells(st.integers(3, 15)),
                              "frequency": cells(st.integers(0, 20)),
                              "monetary_total": cells(st.floats(0, 1e4))})),
       st.sampled_from([segments.R_RFM_SEGMENTS, (("x", 1, 5, 1, 5, 1, 5),), (("x", 5, 1, 1, 5, 1, 5),),
                        "Champions", (("x", 1, 5),), [("x", 1, 5, 1, 5, 1, np.nan)]]),
       st.sampled_from([5, 3, 1, "5"]),
       st.sampled_from([("low", "middle", "high"), ("a",), (), "abc", None]),
       st.sampled_from(["own", "list", "nan", "other index", "short", "mixed"]))
def test_fuzz_segment_functions(table, scheme, bins, labels, segments_kind):
    seg = correct_or_clear("segments.segment", lambda: segments.segment(table, scheme=scheme))
    if seg is not None:
        assert seg.notna().all() and len(seg) == len(table)
    tiers = correct_or_clear("segments.sum_tiers", lambda: segments.sum_tiers(table, bins=bins,
                                                                     labels=labels))
    if tiers is not None:
        assert set(tiers) <= set(labels)
    n = len(table) if isinstance(table, pd.DataFrame) else 2
    index = table.index if isinstance(table, pd.DataFrame) else range(2)
    labels_ = {"own": pd.Series(["x", "y"] * n, dtype=object)[:n].set_axis(index),
                "list": (["x", "y"] * n)[:n],
                "nan": pd.Series([np.nan] * n, index=index, dtype=object),
                "other index": pd.Series(["x"] * n, index=[f"q{k}" for k in range(n)]),
                "short": ["x"] * max(n - 1, 0),
                "mixed": pd.Series([1, "x"] * n, dtype=object)[:n].set_axis(index)}[segments_kind]
    summary = correct_or_clear("segments.segment_summary",
                               lambda: segments.segment_summary(table, labels_))
    if summary is not None:
        assert_finite(summary, allow_nan=("aov",))
        assert summary["customers"].sum() == n
        if n:
            assert summary["customer_share"].sum() == pytest.approx(1)
            assert summary["revenue_share"].sum() == pytest.approx(1)


def test_bad_tiers_and_segments(log):
    table = rfm.rfm_table(log, bins=3)
    with pytest.raises(ValueError, match=r"segments.segment_summary: `segments` has missing labels"):
        segments.segment_summary(table, pd.Series(["x", None, "y"], index=table.index))
    with pytest.raises(ValueError, match=r"segments.sum_tiers: column 'rfm_sum' must be \[3, 6\]"):
        segments.sum_tiers(table.assign(rfm_sum=[3, 7, 5]), bins=2)
    shuffled = pd.Series(["x", "y", "x"], index=table.index)[::-1]
    pd.testing.assert_frame_equal(segments.segment_summary(table, shuffled),
                                  segments.segment_summary(table, shuffled.sort_index()))
