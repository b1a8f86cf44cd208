"""crmlab.plotting.ch01_identification: the k-selection, lifecycle-stage, pyramid and
key-customer figures show their data, name bad input, and speak Chinese in the Chinese
edition."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import crmlab
from crmlab import i18n, identify, personas, plotting, synthetic, tiers
from crmlab.tiers import example_accounts

from strategies import english_sentences


def _texts(ax):
    """Every text of the figure: title, axis labels, ticks, legend, annotations."""
    ax.figure.canvas.draw()
    return [t.get_text() for t in ax.figure.findobj(plt.Text) if t.get_text().strip()]


def _overlaps(ax):
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in fig.findobj(plt.Text)
             if t.get_visible() and t.get_text().strip()]
    return [(a, b) for i, (a, box_a) in enumerate(boxes) for b, box_b in boxes[i + 1:]
            if box_a.overlaps(box_b)]


@pytest.fixture(scope="module")
def selection():
    plotting.use_style()
    features = personas.user_features(synthetic.make_event_log(150, seed=11))
    return personas.select_k(features, columns=personas.CLUSTER_COLUMNS, ks=[2, 3, 4, 5])


@pytest.fixture(scope="module")
def stages():
    log = crmlab.load_dataset("cdnow_sample")
    dates = ["1997-06-30", "1997-12-31", "1998-06-30"]
    return pd.DataFrame({d: identify.lifecycle_stages(log[log["date"] <= d], as_of=d)["stage"]
                         .value_counts() for d in dates}).T.fillna(0).astype(int)


@pytest.fixture(scope="module")
def pyramid_summary():
    revenue = crmlab.rfm.customer_table(crmlab.load_dataset("cdnow_sample"),
                                        amount="dollars")["monetary_total"]
    placed = tiers.customer_pyramid(revenue.to_frame("value"))
    return tiers.tier_summary(placed["tier"], placed["value"])


@pytest.fixture(scope="module")
def matrix():
    return tiers.key_customer_matrix(example_accounts(), value="profit_contribution",
                                     position="share_of_wallet")


def test_k_selection_plot_draws_the_table_and_marks_the_chosen_k(selection):
    ax = plotting.k_selection_plot(selection, data="caravan")
    x, y = ax.get_lines()[0].get_data()
    assert list(x) == [2, 3, 4, 5] and list(y) == pytest.approx(selection["silhouette"].tolist())
    chosen = int(selection.index[selection["chosen"]][0])
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert f"chosen k = {chosen}" in legend and "silhouette coefficient" in legend
    assert ax.get_title() == "Choosing k: Caravan customers"
    assert ax.get_ylim() == (0.0, 0.6)            # one scale for every data set
    assert not _overlaps(ax)
    with pytest.raises(ValueError, match="data must be one of"):
        plotting.k_selection_plot(selection, data="my data")
    with pytest.raises(ValueError, match="'chosen' is missing"):
        plotting.k_selection_plot(selection.drop(columns="chosen"))
    plt.close("all")


def test_stage_plot_stacks_the_counts_of_each_date(stages):
    ax = plotting.stage_plot(stages)
    heights = {}
    for patch in ax.patches:
        heights.setdefault(round(patch.get_x() + patch.get_width() / 2), []).append(
            patch.get_height())
    assert [round(sum(h)) for _, h in sorted(heights.items())] == stages.sum(axis=1).tolist()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1997-06", "1997-12", "1998-06"]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[0] == "development stage" and "termination stage" in legend
    with pytest.raises(ValueError, match="unknown stage column 'loyal'"):
        plotting.stage_plot(stages.assign(loyal=1))
    with pytest.raises(ValueError, match="non-empty DataFrame"):
        plotting.stage_plot(pd.DataFrame())
    plt.close("all")


def test_pyramid_plot_names_each_tier_with_its_shares(pyramid_summary):
    ax = plotting.pyramid_plot(pyramid_summary)
    texts = _texts(ax)
    for tier in tiers.PYRAMID_TIERS:
        row = pyramid_summary.loc[tier]
        assert tier in texts
        assert (f"{row['customer_share']:.1%} of customers · {row['value_share']:.1%} of value"
                in texts)
    widths = [p.get_width() for p in ax.patches]
    assert max(widths) == pytest.approx(1.0)
    assert np.argmax(widths) == int(np.argmax(pyramid_summary["customer_share"].to_numpy()))
    assert not _overlaps(ax)
    with pytest.raises(ValueError, match="unknown tier 'Diamond'"):
        plotting.pyramid_plot(pyramid_summary.rename(index={"Platinum": "Diamond"}))
    # the title says what the tiers were cut by (the chapter's are cut by revenue)
    assert ax.get_title() == "Customer pyramid: bar width = share of customers"
    assert plotting.pyramid_plot(pyramid_summary, basis="revenue").get_title() == \
        "Customer pyramid by revenue; bar width = share of customers"
    with pytest.raises(ValueError, match="basis must be one of"):
        plotting.pyramid_plot(pyramid_summary, basis="profit")
    plt.close("all")


def test_key_matrix_plot_places_each_account_and_names_the_quadrants(matrix):
    ax = plotting.key_matrix_plot(matrix)
    points = ax.collections[0].get_offsets()
    assert points.tolist() == matrix[["position", "value"]].to_numpy().tolist()
    texts = _texts(ax)
    assert {"key customers", "customers to win", "customers to maintain",
            "low-priority customers"} <= set(texts)
    assert set("ABCDEFGHIJ") <= set(texts)
    assert ax.get_title() == "Key-customer matrix (the suite's reading)"
    assert not _overlaps(ax)
    with pytest.raises(ValueError, match="'quadrant' is missing"):
        plotting.key_matrix_plot(matrix.drop(columns="quadrant"))
    plt.close("all")


def test_every_figure_of_the_chapter_speaks_chinese_in_the_chinese_edition(
        selection, stages, pyramid_summary, matrix):
    """Chapter 1's figures drawn as the Chinese edition draws them: no English sentence in
    any text of the figure (title, labels, ticks, legend, annotations)."""
    plotting.use_style()
    i18n.set_language("zh")
    try:
        figures = [plotting.k_selection_plot(selection, data="event_log"),
                   plotting.k_selection_plot(selection, data="caravan"),
                   plotting.stage_plot(stages), plotting.pyramid_plot(pyramid_summary),
                   plotting.key_matrix_plot(matrix)]
        for ax in figures:
            texts = _texts(ax)
            assert any("\u4e00" <= ch <= "\u9fff" for text in texts for ch in text), texts
            for text in texts:
                assert english_sentences(text) == [], text
            assert not _overlaps(ax)
            plt.close(ax.figure)
    finally:
        i18n.set_language("en")
