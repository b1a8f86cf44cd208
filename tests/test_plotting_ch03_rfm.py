"""crmlab.plotting.ch03_rfm: the RFM heatmap and the Pareto curve show the data, labels do not collide."""

import matplotlib.pyplot as plt
import pandas as pd
import pytest

import crmlab
from crmlab import plotting


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
