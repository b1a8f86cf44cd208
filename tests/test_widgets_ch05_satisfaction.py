"""crmlab.widgets.ch05_satisfaction: the trap explorer and the NPS calculator follow their
controls and show what the compute functions return."""

import pytest

from crmlab import defection, i18n, satisfaction
from crmlab.widgets import nps_calculator, trap_explorer


def test_trap_explorer_shows_the_default_panel_analysis():
    panel = trap_explorer()
    expected_models = defection.churn_models(defection.make_satisfaction_panel())
    summary = panel.result["summary"]
    assert summary["auc_baseline"] == pytest.approx(expected_models["auc_baseline"])
    assert round(summary["auc_baseline"], 3) == 0.562 and round(summary["auc_full"], 3) == 0.714
    assert round(summary["share_of_defectors"], 3) == 0.253
    assert "<svg" in panel.view.value and "0.562" in panel.view.value


def test_switching_off_latent_expectations_and_competitors_closes_the_auc_gap():
    panel = trap_explorer()
    panel.controls["latent_strength"].value = 0.0
    panel.controls["competitor_pressure"].value = 0.0
    assert abs(panel.result["summary"]["auc_gap"]) < 0.05
    # the latent curve shown is flat at the average loyalty level when its weight is 0
    assert panel.result["latent"] == pytest.approx([defection.MECHANISM["average_loyalty"]] * 41)


def test_nps_calculator_counts_answers():
    calc = nps_calculator()
    assert calc.result["nps"] == 0
    calc.controls["s10"].value = 3
    assert calc.result["nps"] == pytest.approx(
        satisfaction.net_promoter_score([10, 10, 10, 9, 8, 7, 6, 0])["nps"])
    for k in range(11):
        calc.controls[f"s{k}"].value = 0
    assert calc.result["n"] == 0 and "<svg" not in calc.view.value


def test_labels_are_chinese_in_the_chinese_edition():
    i18n.set_language("zh")
    try:
        panel = trap_explorer()
        assert panel.controls["latent_strength"].tooltip == "潜在期望权重"
        assert "满意的流失客户" in panel.view.value
        assert "推荐者" in nps_calculator().view.value
    finally:
        i18n.set_language("en")
