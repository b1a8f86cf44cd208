"""crmlab.widgets.ch03_rfm: the RFM scorer, ABC and segment explorers follow their controls."""

import pandas as pd
import pytest

import crmlab
from crmlab import i18n
from crmlab.widgets import SCHEMES, abc_explorer, rfm_scorer, segment_explorer


def test_rfm_scorer_flags_the_literal_tables_holes():
    panel = rfm_scorer()
    assert panel.result.loc[("courseware", "monetary"), "score"] == 3     # 2,500 yuan
    panel.controls["average_spend"].value = 5000
    row = panel.result.loc[("courseware", "monetary")]
    assert (row["status"], row["matches"]) == ("two scores", "4|5")
    assert panel.result.loc[("crmlab_corrected", "monetary"), "score"] == 5
    assert "two scores (4|5)" in panel.view.value


def test_rfm_scorer_speaks_the_sessions_language():
    i18n.set_language("zh")
    try:
        panel = rfm_scorer()
        panel.controls["average_spend"].value = 5000
        assert "两个得分（4|5）" in panel.view.value and "课件原表" in panel.view.value
        assert "最近一次消费" in panel.view.value            # the term list's R
        assert panel.controls["purchases"].description.startswith("F：")
        assert panel.result.loc[("courseware", "monetary"), "status"] == "two scores"   # data
    finally:
        i18n.set_language("en")


def test_abc_explorer_follows_its_sliders():
    values = crmlab.rfm.customer_table(crmlab.load_dataset("cdnow_sample"), amount="dollars")["monetary_total"]
    panel = abc_explorer(values)
    default = panel.result
    assert default["customer_share"].sum() == pytest.approx(1)
    panel.controls["a"].value = 0.5
    expected = crmlab.concentration.abc_classes(values, a=0.5, b=0.95).value_counts()
    assert panel.result["customers"].to_dict() == expected.reindex(["A", "B", "C"]).to_dict()
    assert panel.result.loc["A", "customers"] < default.loc["A", "customers"]


def test_segment_explorer_matches_the_function_calls():
    log = crmlab.load_dataset("cdnow_sample")
    panel = segment_explorer(log, amount="dollars", as_of="1998-06-30")
    table = crmlab.rfm.rfm_table(log, amount="dollars", as_of="1998-06-30")
    expected = crmlab.segments.segment_summary(table, crmlab.segments.segment(table))
    pd.testing.assert_frame_equal(panel.result, expected)
    panel.controls["bins"].value = 4
    assert panel.result.empty and "set bins to 5" in panel.view.value
    panel.controls["scheme"].value = SCHEMES[1]
    table4 = crmlab.rfm.rfm_table(log, amount="dollars", as_of="1998-06-30", bins=4)
    expected4 = crmlab.segments.segment_summary(table4, crmlab.segments.sum_tiers(table4, bins=4))
    pd.testing.assert_frame_equal(panel.result, expected4)
    assert "high tier" in panel.view.value


def test_segment_explorer_shows_segment_names_in_chinese_and_keeps_the_data_english():
    log = crmlab.load_dataset("cdnow_sample")
    i18n.set_language("zh")
    try:
        panel = segment_explorer(log, amount="dollars", as_of="1998-06-30")
        assert "Champions" in panel.result.index                      # the data
        assert "冠军客户" in panel.view.value and "Champions" not in panel.view.value
        assert [label for label, _ in panel.controls["scheme"].options][0].startswith("R 语言")
        panel.controls["scheme"].value = SCHEMES[1]
        assert "高分层" in panel.view.value
    finally:
        i18n.set_language("en")


def test_the_explorers_default_to_the_chapters_cdnow_data():
    values = crmlab.rfm.customer_table(crmlab.load_dataset("cdnow_master"),
                                       amount="dollars")["monetary_total"]
    assert abc_explorer().result["customers"].sum() == len(values) == 23570
    table = crmlab.rfm.rfm_table(crmlab.load_dataset("cdnow_master"), amount="dollars",
                                 as_of="1998-06-30")
    expected = crmlab.segments.segment_summary(table, crmlab.segments.segment(table))
    pd.testing.assert_frame_equal(segment_explorer().result, expected)


# ---- chapter 4: CLV


def test_a_page_without_widgets_shows_the_dashboards_caption_in_the_sessions_language():
    # a truncated repr would show different slider numbers in each edition
    for language, scorer in (("en", "The RFM scorer"), ("zh", "RFM 评分器")):
        i18n.set_language(language)
        try:
            bundle = rfm_scorer().widget._repr_mimebundle_()
        finally:
            i18n.set_language("en")
        assert bundle["text/plain"].startswith(scorer)
        assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "ABC explorer" in abc_explorer(pd.Series([3, 2, 1])).widget._repr_mimebundle_()["text/plain"]
