"""crmlab.widgets.ch05_satisfaction: the trap explorer and the NPS calculator follow their
controls, show what the compute functions return, and speak Chinese in the Chinese edition."""

import numpy as np
import pytest
from strategies import english_sentences

from crmlab import defection, i18n, satisfaction
from crmlab.widgets import nps_calculator, trap_explorer
from crmlab.widgets.ch05_satisfaction import NPS_START


@pytest.fixture(scope="module")
def explorer():
    return trap_explorer()


def test_trap_explorer_shows_the_chapters_panel_analysis(explorer):
    """Its defaults are the chapter's panel: the static twin's numbers."""
    panel = defection.make_satisfaction_panel(defection.PANEL_SIZE)
    expected = defection.churn_models(panel)
    summary = explorer.result["summary"]
    for key in ("auc_baseline", "auc_latent", "auc_competitor", "auc_full", "auc_gap"):
        assert summary[key] == pytest.approx(expected[key])
    assert summary["share_of_defectors"] == pytest.approx(
        defection.satisfied_defectors(panel)["share_of_defectors"])
    assert round(summary["auc_baseline"], 3) == 0.610 and round(summary["auc_full"], 3) == 0.721
    assert "<svg" in explorer.view.value and "0.610" in explorer.view.value
    assert "0.681" in explorer.view.value and "30.0%" in explorer.view.value


def test_the_sliders_move_the_mechanism(explorer):
    controls = explorer.controls
    assert set(controls) == {"basic_weight", "latent_strength", "competitor_pressure"}
    default_gap = explorer.result["summary"]["auc_gap"]
    controls["latent_strength"].value = 1.0
    assert explorer.result["summary"]["auc_gap"] > default_gap      # latent weight: gap grows
    controls["latent_strength"].value = 0.0
    controls["competitor_pressure"].value = 0.0
    assert abs(explorer.result["summary"]["auc_gap"]) < 0.02        # nothing left to find
    # the latent curve shown is flat at the average loyalty level when its weight is 0
    assert explorer.result["latent"] == pytest.approx(
        [defection.MECHANISM["average_loyalty"]] * 41)
    controls["basic_weight"].value = 0.0
    assert explorer.result["basic"] == pytest.approx([0.5] * 41)
    assert explorer.result["summary"]["auc_baseline"] < 0.55       # CSAT then measures nothing
    for key, value in (("basic_weight", 1.0), ("latent_strength", 0.6),
                       ("competitor_pressure", 0.3)):
        controls[key].value = value


def test_the_explorer_starts_where_the_chapters_parameters_say():
    panel = trap_explorer(n=3000, seed=7, latent_strength=0.2, competitor_pressure=0.5)
    expected = defection.churn_models(defection.make_satisfaction_panel(
        3000, 7, latent_strength=0.2, competitor_pressure=0.5))
    assert panel.result["summary"]["auc_full"] == pytest.approx(expected["auc_full"])


def test_nps_calculator_starts_at_its_own_answers_and_counts():
    calc = nps_calculator()
    assert calc.result["nps"] == pytest.approx(satisfaction.net_promoter_score(NPS_START)["nps"])
    assert round(calc.result["nps"], 2) == 6.67 and calc.result["n"] == 30
    calc.controls["s10"].value += 3
    assert calc.result["nps"] == pytest.approx(
        satisfaction.net_promoter_score([*NPS_START, 10, 10, 10])["nps"])
    for k in range(11):
        calc.controls[f"s{k}"].value = 0
    assert calc.result["n"] == 0 and "<svg" not in calc.view.value
    assert np.isnan(calc.result["nps"])


def test_labels_are_chinese_in_the_chinese_edition():
    i18n.set_language("zh")
    try:
        panel = trap_explorer(n=2000)
        descriptions = [c.description for c in panel.controls.values()]
        assert descriptions == ["基本期望权重", "潜在期望权重", "竞争压力"]
        for control in panel.controls.values():
            assert english_sentences(control.description) == []
            assert english_sentences(control.tooltip) == []
            assert "w_latent" not in control.description and "p_offer" not in control.description
        assert "满意的流失客户" in panel.view.value
        assert english_sentences(panel.view.value) == []
        view = nps_calculator().view.value
        assert "推荐者" in view and "点" not in view
    finally:
        i18n.set_language("en")
