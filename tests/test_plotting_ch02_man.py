"""crmlab.plotting.ch02_man: the MAN figures show the data, in the language of the session."""

import matplotlib.pyplot as plt
import pytest
from matplotlib.text import Text

import crmlab
from crmlab import i18n, man, man_sensitivity, plotting
from crmlab.plotting.core import PALETTE

from strategies import english_sentences


@pytest.fixture
def slide():
    return man.score_bank_case(crmlab.load_dataset("man_banks"))


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    i18n.set_language("en")
    plt.close("all")


def _tie_lines(ax):
    return [line for line in ax.get_lines() if line.get_linestyle() == "None"
            and line.get_label().startswith("tie")]


def test_ranking_bar_draws_one_bar_per_prospect_best_on_top(slide):
    ax = plotting.ranking_bar(slide)
    widths = [p.get_width() for p in ax.patches]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[-1] == "D" and widths[-1] == pytest.approx(4.0)
    assert sorted(widths) == pytest.approx(sorted(slide["total"]))
    assert ax.get_ylabel() == "potential customer"


def test_ranking_bar_calls_the_prospects_potential_customers_in_chinese(slide):
    i18n.set_language("zh")
    ax = plotting.ranking_bar(slide)
    assert ax.get_ylabel() == "潜在客户"          # not "prospect 客户"
    assert ax.get_xlabel() == "加权总分 (1–5)"


def test_winner_map_plot_has_one_point_per_weight_vector(slide):
    grid = man_sensitivity.winner_map(slide, steps=20)
    ax = plotting.winner_map_plot(grid, boundary=man_sensitivity.pairwise_margin(slide, "D", "B"))
    squares = sum(len(c.get_offsets()) for c in ax.collections)
    ties = sum(len(line.get_xdata()) for line in _tie_lines(ax))
    # courseware ch. 3, 思考题 banks on the step-0.05 grid: 225 single winners, 6 ties
    assert (squares, ties) == (225, 6) and squares + ties == 231
    (line,) = [x for x in ax.get_lines() if x.get_linestyle() == "-"]
    x, y = line.get_data()
    assert 5 * x[0] + 3 * y[0] == pytest.approx(2)   # 3w_M + w_A = 2w_N with w_N = 1 - w_M - w_A


def test_winner_map_plot_draws_each_kind_of_tie_differently(slide):
    ax = plotting.winner_map_plot(man_sensitivity.winner_map(slide, steps=20))
    ties = {line.get_label(): line for line in _tie_lines(ax)}
    assert set(ties) == {"tie B = D", "tie C = D"}
    bd, cd = ties["tie B = D"], ties["tie C = D"]
    assert bd.get_marker() != cd.get_marker()
    # each tie is split between the colours of its two banks
    palette = PALETTE
    assert (bd.get_markerfacecolor(), bd.get_markerfacecoloralt()) == (palette["B"], palette["D"])
    assert (cd.get_markerfacecolor(), cd.get_markerfacecoloralt()) == (palette["C"], palette["D"])
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "tie B = D" in legend and "tie C = D" in legend


def test_winner_map_plot_marks_the_courseware_weights(slide):
    ax = plotting.winner_map_plot(man_sensitivity.winner_map(slide, steps=20),
                                  courseware_weights=man.DEFAULT_WEIGHTS)
    (star,) = [line for line in ax.get_lines() if line.get_marker() == "*"]
    assert (star.get_xdata()[0], star.get_ydata()[0]) == (0.4, 0.3)
    assert any(t.get_text() == "courseware's weights 0.4 / 0.3 / 0.3" for t in ax.texts)


def _figure_texts(ax) -> list[str]:
    return [t.get_text() for t in ax.figure.findobj(Text) if t.get_text().strip()]


@pytest.mark.parametrize("draw", ["ranking_bar", "winner_map_plot"])
def test_figures_in_chinese_have_no_english_sentence(slide, draw):
    i18n.set_language("zh")
    if draw == "ranking_bar":
        ax = plotting.ranking_bar(slide)
    else:
        ax = plotting.winner_map_plot(man_sensitivity.winner_map(slide, steps=20),
                                      boundary=man_sensitivity.pairwise_margin(slide, "D", "B"),
                                      courseware_weights=man.DEFAULT_WEIGHTS)
    texts = _figure_texts(ax)
    assert any("\u4e00" <= ch <= "\u9fff" for t in texts for ch in t)   # it speaks Chinese
    for text in texts:
        assert english_sentences(text) == [], text


def test_ranking_bar_html_in_chinese_keeps_the_title_it_is_given(slide):
    i18n.set_language("zh")
    html = plotting.ranking_bar_html(slide, title="权重")
    assert "<b>权重</b>" in html and english_sentences(html) == []

