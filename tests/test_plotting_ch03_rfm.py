"""crmlab.plotting.ch03_rfm: the RFM heatmap and the Pareto curve show the data, labels do not collide."""

import matplotlib.pyplot as plt
import pandas as pd
import pytest

import crmlab
from crmlab import i18n, plotting

from strategies import english_sentences


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
    # each cell is the mean of the customers' TOTAL spend, not an average purchase
    plotting.use_style()
    ax = plotting.rfm_heatmap(sample_table, currency="US$")
    colour_bar = ax.figure.axes[-1]
    assert colour_bar.get_ylabel() == "mean total spend per customer (US$)"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("F (frequency) score", "R (recency) score")
    assert not _texts_overlap(ax)
    plain = plotting.rfm_heatmap(sample_table, value="monetary_mean").figure.axes[-1]
    assert plain.get_ylabel() == "mean of the customers' average spend per purchase"
    with pytest.raises(ValueError, match="currency must be text"):
        plotting.rfm_heatmap(sample_table, currency=1)
    with pytest.raises(ValueError, match="'dollars' is missing from `table`"):
        plotting.rfm_heatmap(sample_table, value="dollars")


def test_rfm_heatmap_in_chinese_uses_the_term_list(sample_table):
    i18n.set_language("zh")
    try:
        ax = plotting.rfm_heatmap(sample_table, currency="US$")
        assert ax.figure.axes[-1].get_ylabel() == "每位客户平均消费总额（美元）"
        assert ax.get_ylabel() == "R（最近一次消费）得分"      # not the calque 近度得分
        assert ax.get_xlabel() == "F（消费频率）得分"
    finally:
        i18n.set_language("en")


def test_pareto_plot_draws_the_curve_and_marks():
    curve = crmlab.concentration.pareto_curve([5, 3, 1, 1])
    marks = pd.DataFrame({"customer_share": [0.23], "value_share": [0.81], "label": ["beer"]})
    ax = plotting.pareto_plot(curve, marks=marks)
    x, y = ax.get_lines()[0].get_data()
    assert list(y) == pytest.approx([0, 0.5, 0.8, 0.9, 1.0])
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "beer 23% → 81%" in legend and legend[0] == "data"
    named = plotting.pareto_plot(curve, label="CDNOW")
    assert named.get_legend().get_texts()[0].get_text() == "CDNOW"
    with pytest.raises(ValueError, match="label must be text"):
        plotting.pareto_plot(curve, label=3)
    with pytest.raises(ValueError, match="'label' is missing from `marks`"):
        plotting.pareto_plot(curve, marks=marks.drop(columns="label"))


def test_pareto_plot_of_the_courseware_examples_has_no_colliding_labels():
    # Chapter 3, section 6: CDNOW's curve with the beer, cake and coffee points, which lie
    # within 0.07 of each other and of the 80/20 mark.
    plotting.use_style()
    value = crmlab.rfm.customer_table(crmlab.load_dataset("cdnow_sample"),
                                      amount="dollars")["monetary_total"]
    marks = pd.DataFrame({"customer_share": [0.23, 0.16, 0.17], "value_share": [0.81, 0.62, 0.79],
                          "label": ["啤酒 (beer, men)", "蛋糕 (cake)", "速溶咖啡 (instant coffee)"]})
    ax = plotting.pareto_plot(crmlab.concentration.pareto_curve(value), marks=marks,
                              label="CDNOW")
    assert not _texts_overlap(ax)
    legend = ax.get_legend().get_window_extent()
    points = ax.transData.transform(marks[["customer_share", "value_share"]].to_numpy())
    curve_points = ax.transData.transform(ax.get_lines()[0].get_xydata())
    assert not any(legend.contains(x, y) for x, y in [*points, *curve_points])


def _figure_texts(ax):
    """Every text of the figure: title, axis labels, ticks, legend, annotations, colour bar."""
    ax.figure.canvas.draw()
    return [t.get_text() for t in ax.figure.findobj(plt.Text) if t.get_text().strip()]


def test_every_figure_of_the_chapter_speaks_chinese_in_the_chinese_edition(sample_table):
    """Chapter 3's figures drawn as the Chinese edition draws them: no English sentence in
    any text of the figure."""
    plotting.use_style()
    curve = crmlab.concentration.pareto_curve(sample_table["monetary_total"])
    marks = pd.DataFrame({"customer_share": [0.23], "value_share": [0.81],
                          "label": ["啤酒 (beer, men)"]})
    i18n.set_language("zh")
    try:
        figures = [plotting.rfm_heatmap(sample_table, currency="US$"),
                   plotting.rfm_heatmap(sample_table, value="monetary_mean", currency="元"),
                   plotting.rfm_heatmap(sample_table, value="frequency"),
                   plotting.pareto_plot(curve, marks=marks, label="CDNOW"),
                   plotting.pareto_plot(curve)]
        for ax in figures:
            texts = _figure_texts(ax)
            assert any("\u4e00" <= ch <= "\u9fff" for text in texts for ch in text), texts
            for text in texts:
                assert english_sentences(text) == [], text
            assert not _texts_overlap(ax)
            plt.close(ax.figure)
    finally:
        i18n.set_language("en")
