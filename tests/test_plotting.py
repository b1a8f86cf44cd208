"""crmlab.plotting: Chinese labels render without a missing-glyph warning; plots show the data."""

import warnings

import matplotlib.pyplot as plt
import pandas as pd
import pytest

import crmlab
from crmlab import man, plotting


@pytest.fixture
def slide():
    return man.score_bank_case(crmlab.load_dataset("man_banks"))


def test_chinese_text_renders_without_glyph_warnings():
    plotting.use_style()
    fig, ax = plt.subplots()
    ax.set_title("客户识别 购买力 决策权 需求 −1")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.canvas.draw()


def test_default_font_warns_about_missing_chinese_glyphs():
    # The check above means something only if DejaVu Sans alone does warn.
    with plt.rc_context({"font.family": ["DejaVu Sans"]}):
        fig, ax = plt.subplots()
        ax.set_title("客户")
        with pytest.warns(UserWarning, match="missing from font"):
            fig.canvas.draw()


def test_bundled_font_is_in_the_fallback_list_after_system_cjk_fonts():
    family = plotting.font_family()
    assert family[-2:] == ["Noto Sans SC", "DejaVu Sans"]
    assert all(f in plotting.CJK_FONTS for f in family[:-2])


def test_ranking_bar_draws_one_bar_per_prospect_best_on_top(slide):
    ax = plotting.ranking_bar(slide)
    widths = [p.get_width() for p in ax.patches]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[-1] == "D" and widths[-1] == pytest.approx(4.0)
    assert sorted(widths) == pytest.approx(sorted(slide["total"]))


def test_winner_map_plot_has_one_point_per_weight_vector(slide):
    grid = man.winner_map(slide, steps=20)
    ax = plotting.winner_map_plot(grid, boundary=man.pairwise_margin(slide, "D", "B"))
    assert sum(len(c.get_offsets()) for c in ax.collections) == 231
    (line,) = ax.get_lines()
    x, y = line.get_data()
    assert 5 * x[0] + 3 * y[0] == pytest.approx(2)   # 3w_M + w_A = 2w_N with w_N = 1 - w_M - w_A


def test_rfm_heatmap_shows_every_score_and_cell_means():
    table = crmlab.rfm.rfm_table(crmlab.load_dataset("cdnow_sample"), amount="dollars")
    ax = plotting.rfm_heatmap(table)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1", "2", "3", "4", "5"]
    cell = table[(table["r_score"] == 5) & (table["f_score"] == 5)]["monetary_total"].mean()
    assert f"{cell:.0f}" in [t.get_text() for t in ax.texts]


def test_pareto_plot_draws_the_curve_and_marks():
    curve = crmlab.concentration.pareto_curve([5, 3, 1, 1])
    marks = pd.DataFrame({"customer_share": [0.23], "value_share": [0.81], "label": ["beer"]})
    ax = plotting.pareto_plot(curve, marks=marks)
    x, y = ax.get_lines()[0].get_data()
    assert list(y) == pytest.approx([0, 0.5, 0.8, 0.9, 1.0])
    assert [t.get_text() for t in ax.texts] == ["beer"]


def test_clv_figures_draw_their_data_without_warnings():
    from crmlab import btyd, retention
    from crmlab.widgets import retention_curve_panel
    plotting.use_style()
    curve = retention_curve_panel().result
    ax = plotting.retention_curve_plot(curve)
    assert len(ax.lines) == 3 and list(ax.lines[1].get_ydata()) == list(curve.iloc[:, 1])
    cbs = btyd.repeat_purchase_table(crmlab.load_dataset("cdnow_sample"), customer="sample_id",
                                     amount="dollars", calibration_end="1997-09-30",
                                     holdout_end="1998-06-30")
    fit = btyd.fit_bgnbd(cbs)
    table = btyd.holdout_check(fit, cbs)
    ax = plotting.holdout_plot(table)
    assert list(ax.lines[0].get_ydata()) == table["actual"].tolist()
    cohorts = crmlab.load_dataset("retention_cohorts").pivot(index="year", columns="cohort",
                                                              values="survivors_pct")
    proj = pd.DataFrame({c: 100 * retention.fit_sbg(cohorts.loc[0:7, c] * 10).survival(
        cohorts.index) for c in cohorts}, index=cohorts.index)
    ax = plotting.survival_plot(cohorts, proj, fitted_until=7)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax.figure.canvas.draw()


def test_clv_quadrant_plot_labels_corners_and_starts_at_zero():
    # Issue 10: no empty negative halves, no legend over the 贵宾型 corner, counts in corners.
    people = pd.DataFrame({"current_value": [0.0, 5, 50, 500, 900, 2000],
                           "future_value": [1e-6, 2, 300, 5, 800, 40]})
    placed = crmlab.clv.clv_quadrants(people, current_threshold=100, future_threshold=30)
    ax = plotting.clv_quadrant_plot(placed, current_threshold=100, future_threshold=30)
    assert ax.get_xlim()[0] == 0 and ax.get_ylim()[0] == 0
    assert ax.get_legend() is None
    assert sorted(t.get_text() for t in ax.texts) == ["改进型 1", "放弃型 2", "维持型 1",
                                                      "贵宾型 2"]
    assert sum(len(c.get_offsets()) for c in ax.collections) == 6
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax.figure.canvas.draw()


def test_survival_plot_can_add_the_constant_retention_projection():
    actual = pd.DataFrame({"a": [100.0, 60, 45]}, index=[0, 1, 2])
    projected = pd.DataFrame({"a": [100.0, 62, 46]}, index=[0, 1, 2])
    constant = pd.DataFrame({"a": [100.0, 70, 49]}, index=[0, 1, 2])
    ax = plotting.survival_plot(actual, projected, fitted_until=1, constant=constant)
    assert [list(line.get_ydata()) for line in ax.lines[:3]] == [[100, 60, 45], [100, 62, 46],
                                                                 [100, 70, 49]]
    assert ax.lines[2].get_linestyle() == ":"
