"""crmlab.widgets.ch03_rfm: the RFM scorer, ABC and segment explorers follow their controls."""

import pandas as pd
import pytest

import crmlab
from crmlab.widgets import SCHEMES, abc_explorer, rfm_scorer, segment_explorer


def test_rfm_scorer_flags_the_literal_tables_holes():
    panel = rfm_scorer()
    assert panel.result.loc[("courseware", "monetary"), "score"] == 3     # 2,500 yuan
    panel.controls["average_spend"].value = 5000
    row = panel.result.loc[("courseware", "monetary")]
    assert (row["status"], row["matches"]) == ("two scores", "4|5")
    assert panel.result.loc[("crmlab_corrected", "monetary"), "score"] == 5
    assert "two scores (4|5)" in panel.view.value


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


# ---- chapter 4: CLV
