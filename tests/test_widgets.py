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
    expected = crmlab.segments.segment_summary(table, crmlab.segments.segment(table))
    pd.testing.assert_frame_equal(panel.result, expected)
    panel.controls["bins"].value = 4
    assert panel.result.empty and "set bins to 5" in panel.view.value
    panel.controls["scheme"].value = SCHEMES[1]
    table4 = crmlab.rfm.rfm_table(log, amount="dollars", as_of="1998-06-30", bins=4)
    expected4 = crmlab.segments.segment_summary(table4, crmlab.segments.sum_tiers(table4, bins=4))
    pd.testing.assert_frame_equal(panel.result, expected4)


# ---- chapter 4: CLV
from crmlab import btyd, clv  # noqa: E402
from crmlab.widgets import (  # noqa: E402
    bgnbd_what_if, clv_table_editor, group_clv_panel, retention_curve_panel)


def test_clv_editor_follows_its_controls():
    panel = clv_table_editor(years=3, revenue="500", cost="200", discount=0.08)
    flows = pd.DataFrame({"t": [1, 2, 3], "Q": [500.0] * 3, "C": [200.0] * 3})
    assert panel.result["cumulative_pv"].iloc[-1] == pytest.approx(
        clv.individual_clv(flows, discount=0.08))
    panel.controls["reading"].value = panel.controls["reading"].options[1]
    assert panel.result["C"].eq(0).all()
    panel.controls["years"].value = 5           # the last value repeats
    assert panel.result["Q"].tolist() == [500.0] * 5
    panel.controls["cost"].value = "200, lots"
    assert "'lots' is not a number" in panel.result["error"].iloc[0]
    assert "crimson" in panel.view.value


def test_group_panel_reproduces_the_two_firms():
    panel = group_clv_panel(customers=100, churn=0.1)
    assert panel.result[["lifetime_years", "lost_per_year"]].tolist() == [10.0, 10.0]
    one = panel.result["group_churn_cost"]
    panel.controls["churn"].value = 0.2
    # V_k changes with the churn rate, so the 2 : 1 of F8 holds only at a fixed V_k
    assert panel.result["group_churn_cost"] / one != pytest.approx(2.0)
    assert panel.result["group_churn_cost"] == pytest.approx(100 * 0.2 * panel.result["clv_annuity"])


def test_retention_curve_has_the_three_conventions():
    panel = retention_curve_panel(margin=100, discount=0.1)
    assert panel.result.loc[0.8].round(2).tolist() == [366.67, 266.67, 333.33]
    assert "<svg" in panel.view.value


def test_retention_chart_has_ticks_and_axis_labels():
    svg = retention_curve_panel(margin=100, discount=0.1).view.value
    assert ">retention rate r</text>" in svg and ">CLV</text>" in svg
    for tick in ("0.5", "0.6", "0.7", "0.8", "0.9", "0", "200", "400", "600"):
        assert f">{tick}</text>" in svg, tick       # the largest CLV is 733.33 at r = 0.95


def test_group_panel_default_shows_the_rounding_rules_disagree():
    # At the courseware's 20% (T = 5) every rule gives 379.08; the default 30% (T = 3.33)
    # gives floor = round 248.69 < annuity 272.18 < ceil 316.99 per 100 of margin.
    panel = group_clv_panel()
    values = panel.result[["clv_sum_floor", "clv_sum_round", "clv_annuity", "clv_sum_ceil"]]
    assert values.round(2).tolist() == [248.69, 248.69, 272.18, 316.99]
    assert round(panel.result["clv_expected"], 2) == 250.0                # 100 / (0.1 + 0.3)
    assert "<td>lost_per_year</td><td>30</td>" in panel.view.value       # a count, not 30.00
    assert "overstates the expected value by <b>8.9%</b>" in panel.view.value
    panel.controls["churn"].value = 0.2
    assert panel.result[["clv_sum_floor", "clv_sum_ceil"]].round(2).tolist() == [379.08, 379.08]


def test_what_if_repairs_impossible_inputs_and_says_so():
    cbs = btyd.repeat_purchase_table(crmlab.load_dataset("cdnow_sample"), amount="dollars",
                                     calibration_end="1997-09-30")
    panel = bgnbd_what_if(btyd.fit_bgnbd(cbs))
    panel.controls["T"].value = 20.0
    panel.controls["recency"].value = 30.0
    assert panel.result["recency"] == 20.0 and "cannot exceed T" in panel.view.value
    panel.controls["frequency"].value = 0
    assert panel.result["p_alive"] == 1.0 and panel.result["recency"] == 0.0
