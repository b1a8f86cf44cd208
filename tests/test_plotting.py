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


def _texts_overlap(ax):
    """Pairs of visible, non-empty texts of the figure whose drawn boxes intersect."""
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = [t for t in fig.findobj(plt.Text) if t.get_visible() and t.get_text().strip()]
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    return [(a, b) for i, (a, box_a) in enumerate(boxes) for b, box_b in boxes[i + 1:]
            if box_a.overlaps(box_b)]


@pytest.fixture(scope="module")
def sample_table():
    plotting.use_style()
    return crmlab.rfm.rfm_table(crmlab.load_dataset("cdnow_sample"), amount="dollars")


def test_rfm_heatmap_shows_every_score_and_cell_means(sample_table):
    table = sample_table
    ax = plotting.rfm_heatmap(table)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1", "2", "3", "4", "5"]
    cell = table[(table["r_score"] == 5) & (table["f_score"] == 5)]["monetary_total"].mean()
    assert f"{cell:.0f}" in [t.get_text() for t in ax.texts]


def test_rfm_heatmap_colour_bar_names_the_measure_and_currency(sample_table):
    plotting.use_style()
    ax = plotting.rfm_heatmap(sample_table, currency="US$")
    colour_bar = ax.figure.axes[-1]
    assert colour_bar.get_ylabel() == "mean revenue per customer (US$) 平均消费金额"
    assert not _texts_overlap(ax)
    plain = plotting.rfm_heatmap(sample_table, value="monetary_mean").figure.axes[-1]
    assert plain.get_ylabel() == "mean spend per purchase 平均每次消费金额"
    with pytest.raises(ValueError, match="currency must be text"):
        plotting.rfm_heatmap(sample_table, currency=1)
    with pytest.raises(ValueError, match="'dollars' is missing from `table`"):
        plotting.rfm_heatmap(sample_table, value="dollars")


def test_pareto_plot_draws_the_curve_and_marks():
    curve = crmlab.concentration.pareto_curve([5, 3, 1, 1])
    marks = pd.DataFrame({"customer_share": [0.23], "value_share": [0.81], "label": ["beer"]})
    ax = plotting.pareto_plot(curve, marks=marks)
    x, y = ax.get_lines()[0].get_data()
    assert list(y) == pytest.approx([0, 0.5, 0.8, 0.9, 1.0])
    assert "beer 23% → 81%" in [t.get_text() for t in ax.get_legend().get_texts()]
    with pytest.raises(ValueError, match="'label' is missing from `marks`"):
        plotting.pareto_plot(curve, marks=marks.drop(columns="label"))


def test_pareto_plot_of_the_courseware_examples_has_no_colliding_labels():
    # Chapter 3, section 6: CDNOW's curve with the beer, cake and coffee points, which lie
    # within 0.07 of each other and of the 80/20 mark.
    plotting.use_style()
    value = crmlab.rfm.customer_table(crmlab.load_dataset("cdnow_sample"),
                                      amount="dollars")["monetary_total"]
    marks = pd.DataFrame({"customer_share": [0.23, 0.16, 0.17], "value_share": [0.81, 0.62, 0.79],
                          "label": ["beer 啤酒 (men)", "cake 蛋糕", "instant coffee 速溶咖啡"]})
    ax = plotting.pareto_plot(crmlab.concentration.pareto_curve(value), marks=marks)
    assert not _texts_overlap(ax)
    legend = ax.get_legend().get_window_extent()
    points = ax.transData.transform(marks[["customer_share", "value_share"]].to_numpy())
    curve_points = ax.transData.transform(ax.get_lines()[0].get_xydata())
    assert not any(legend.contains(x, y) for x, y in [*points, *curve_points])


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
