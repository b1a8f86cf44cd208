"""crmlab.widgets.ch02_man: the MAN dashboard follows its controls and matches the function calls."""

import pytest

from crmlab import man
from crmlab.widgets import man_dashboard


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


def test_dashboard_speaks_the_language_of_the_session():
    from crmlab import i18n
    i18n.set_language("zh")
    try:
        dash = man_dashboard()
    finally:
        i18n.set_language("en")
    assert [s.description for s in dash.sliders.values()] == ["购买力", "决策权", "需求"]
    labels = dict((value, label) for label, value in dash.rounding.options)
    assert labels["ceil"].startswith("向上取整") and dash.rounding.value == "ceil"
    assert "专项数字化拨款" in dash.count_grant.description and "10亿" in dash.count_grant.description
    assert "加权总分" in dash.chart.value
    # the controls still drive the same computation
    dash.rounding.value = "none"
    assert dash.ranking.loc["E", "total"] == pytest.approx(1.08)
