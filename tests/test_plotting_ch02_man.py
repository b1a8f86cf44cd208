"""crmlab.plotting.ch02_man: the MAN figures show the data."""

import pytest

import crmlab
from crmlab import man, plotting


@pytest.fixture
def slide():
    return man.score_bank_case(crmlab.load_dataset("man_banks"))


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
