"""crmlab.widgets: set controls without a kernel and read the dashboard's data."""

import pytest

import pandas as pd

import crmlab
from crmlab import man
from crmlab.widgets import SCHEMES, abc_explorer, man_dashboard, rfm_scorer, segment_explorer


@pytest.fixture
def dash():
    return man_dashboard()


def test_default_dashboard_shows_the_slide_ranking(dash):
    assert dash.ranking["total"].round(2).to_dict() == {"A": 2.8, "B": 3.1, "C": 2.9, "D": 4.0, "E": 1.4}


@pytest.mark.parametrize("dim, value", [("money", 0.9), ("authority", 0.0), ("need", 0.55), ("money", 1.0)])
def test_sliders_always_sum_to_one(dash, dim, value):
    dash.sliders[dim].value = value
    assert sum(s.value for s in dash.sliders.values()) == pytest.approx(1, abs=1e-9)
    assert dash.sliders[dim].value == value


def test_moving_need_up_makes_b_win(dash):
    dash.sliders["need"].value = 0.6
    assert dash.ranking["rank"].idxmin() == "B"
    assert 3 * dash.weights["money"] + dash.weights["authority"] < 2 * dash.weights["need"]


def test_toggles_and_rounding_change_the_ranking(dash):
    dash.slide_adjustments.value = False
    assert dash.ranking.loc["D", "total"] == pytest.approx(3.6)
    dash.rounding.value = "none"
    assert dash.ranking.loc["E", "total"] == pytest.approx(1.08)
    dash.count_grant.value = False
    assert dash.ranking.loc["D", "total"] == pytest.approx(3.2)


def test_dashboard_matches_the_function_call(dash):
    dash.sliders["money"].value = 0.2
    expected = man.score_bank_case(dash.banks, weights=dash.weights)
    assert dash.ranking.equals(expected)


def test_chart_shows_the_current_ranking_best_first(dash):
    dash.sliders["need"].value = 0.6
    html = dash.chart.value
    order = sorted("ABCDE", key=lambda b: html.index(f">{b}<"))
    assert order == dash.ranking.sort_values("rank").index.tolist()
    assert order[0] == "B" and f"{dash.ranking.loc['B', 'total']:.2f}" in html


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
    expected = crmlab.rfm.segment_summary(table, crmlab.rfm.segment(table))
    pd.testing.assert_frame_equal(panel.result, expected)
    panel.controls["bins"].value = 4
    assert panel.result.empty and "set bins to 5" in panel.view.value
    panel.controls["scheme"].value = SCHEMES[1]
    table4 = crmlab.rfm.rfm_table(log, amount="dollars", as_of="1998-06-30", bins=4)
    expected4 = crmlab.rfm.segment_summary(table4, crmlab.rfm.sum_tiers(table4, bins=4))
    pd.testing.assert_frame_equal(panel.result, expected4)
