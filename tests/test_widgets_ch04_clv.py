"""crmlab.widgets.ch04_clv: the CLV panels follow their controls and show their lessons."""

import pandas as pd
import pytest

import crmlab
from crmlab import btyd, clv
from crmlab.widgets import (
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
    assert "<td>customers lost, and to be replaced, per year</td><td>30</td>" \
        in panel.view.value                                             # a count, not 30.00
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


def test_what_if_fits_the_chapters_model_by_default():
    panel = bgnbd_what_if()
    panel.controls["frequency"].value = 2
    panel.controls["recency"].value = 30.43
    panel.controls["T"].value = 38.86
    assert round(float(panel.result["expected_purchases"]), 3) == 1.226      # FHL (2005)


def test_the_panels_speak_chinese():
    crmlab.set_language("zh")
    try:
        group = group_clv_panel()
        curve = retention_curve_panel()
        editor = clv_table_editor()
        what_if = bgnbd_what_if()
    finally:
        crmlab.set_language("en")
    assert "<td>每年流失（需补充）的客户数</td><td>30</td>" in group.view.value
    assert "高估了 <b>8.9%</b>" in group.view.value
    assert ">保留率 r</text>" in curve.view.value and "期末、留存才有" in curve.view.value
    assert editor.controls["reading"].options[1] == "Q_t 已是净额：不再减 C_t"
    assert "期望购买次数" in what_if.view.value
