"""crmlab.man against the courseware's published numbers (seed 000, F1–F4) and recomputations."""

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import crmlab
from crmlab import man

TREND = st.sampled_from(sorted(man.PROFIT_ADJUSTMENT))
BUDGET = st.floats(min_value=0, max_value=1e4, allow_nan=False, allow_infinity=False)


@pytest.fixture
def banks():
    return crmlab.load_dataset("man_banks")


@pytest.fixture
def slide(banks):
    return man.score_bank_case(banks)


# ---- the courseware's answer slide (digest seed 000, F4)
def test_slide_totals_are_reproduced_exactly(slide):
    # Answer slide: A 2.8, B 3.1, C 2.9, D 4.0, E 1.4; D wins.
    expected = {"A": 2.8, "B": 3.1, "C": 2.9, "D": 4.0, "E": 1.4}
    assert slide["total"].round(9).to_dict() == pytest.approx(expected, abs=1e-12)
    assert slide["rank"].to_dict() == {"A": 4, "B": 2, "C": 3, "D": 1, "E": 5}


def test_slide_scores_match_the_dataset_columns(banks, slide):
    doc = banks.set_index("bank")
    assert slide["money"].tolist() == doc["money_doc"].astype(float).tolist()
    assert slide["total"].round(2).tolist() == doc["total_doc"].tolist()


def test_only_ceil_rounding_reproduces_all_five_money_scores(banks):
    doc = banks.set_index("bank")["money_doc"].astype(float)
    matches = {r: man.score_bank_case(banks, rounding=r)["money"].equals(doc)
               for r in man.ROUNDING_RULES}
    assert matches == {"none": False, "ceil": True, "floor": False, "round": False}


@pytest.mark.parametrize("rounding, e_money, e_total", [
    ("none", 1.2, 1.08), ("ceil", 2.0, 1.4), ("floor", 1.0, 1.0), ("round", 1.0, 1.0),
])
def test_bank_e_under_each_rounding_rule(banks, rounding, e_money, e_total):
    # Seed 000, F4 inconsistency 1: 12/10 + 0 = 1.2 by the stated rule, 2 on the slide.
    row = man.score_bank_case(banks, rounding=rounding).loc["E"]
    assert row["money"] == pytest.approx(e_money)
    assert row["total"] == pytest.approx(e_total)


def test_d_without_unsupported_plus_one_scores_3_6_and_still_wins(banks):
    table = man.score_bank_case(banks, slide_adjustments=False)
    assert table.loc["D", "total"] == pytest.approx(3.6)
    assert table["rank"].idxmin() == "D"
    assert table.loc["C", "money"] == 5.0   # C is at the cap with or without the +1


def test_d_without_grant_and_plus_one_still_wins_narrowly(banks):
    table = man.score_bank_case(banks, slide_adjustments=False, count_grant=False)
    assert table.loc["D", "total"] == pytest.approx(3.2)
    assert table.loc["B", "total"] == pytest.approx(3.1)


@pytest.mark.parametrize("weights, b, d", [
    ((0.2, 0.3, 0.5), 3.9, 3.8), ((0.2, 0.2, 0.6), 4.0, 3.6), ((0.25, 0.25, 0.5), 3.75, 3.75),
])
def test_b_against_d_at_the_digests_weight_vectors(banks, weights, b, d):
    table = man.score_bank_case(banks, weights=weights)
    assert (table.loc["B", "total"], table.loc["D", "total"]) == (pytest.approx(b), pytest.approx(d))


def test_equal_weights_and_c_beating_d(banks):
    third = man.score_bank_case(banks, weights=(1 / 3, 1 / 3, 1 / 3))["total"]
    assert third.round(3).to_dict() == {"A": 2.667, "B": 3.333, "C": 2.667, "D": 4.0, "E": 1.333}
    heavy = man.score_bank_case(banks, weights=(0.9, 0.05, 0.05))["total"]
    assert heavy["C"] == pytest.approx(4.65) and heavy["D"] == pytest.approx(4.0)


def test_tie_is_a_tie_despite_floating_point(banks):
    table = man.score_bank_case(banks, weights=(0.25, 0.25, 0.5))
    assert table.loc["B", "rank"] == table.loc["D", "rank"] == 1


# ---- weight sensitivity (digest F4 item 6)
def test_winner_map_on_the_step_005_grid(slide):
    grid = man.winner_map(slide, steps=20)
    assert len(grid) == 231
    assert grid["winner"].value_counts().to_dict() == {"D": 136, "B": 63, "C": 26, "B=D": 3, "C=D": 3}
    assert np.allclose(grid[["w_money", "w_authority", "w_need"]].sum(axis=1), 1)


def test_winner_map_agrees_with_exact_fraction_arithmetic(slide):
    grid = man.winner_map(slide, steps=20)
    scores = slide[["money", "authority", "need"]].astype(int)
    for row in grid.itertuples():
        w = [Fraction(round(x * 20), 20) for x in (row.w_money, row.w_authority, row.w_need)]
        totals = {b: sum(wi * int(s) for wi, s in zip(w, scores.loc[b])) for b in scores.index}
        best = max(totals.values())
        assert row.winner == "=".join(b for b in scores.index if totals[b] == best)


def test_b_beats_d_exactly_when_3wm_plus_wa_below_2wn(slide):
    margin = man.pairwise_margin(slide, "D", "B")
    assert margin.tolist() == [3.0, 1.0, -2.0]
    grid = man.winner_map(slide, steps=20)
    wm, wa, wn = (grid[c] * 20 for c in ("w_money", "w_authority", "w_need"))
    b_over_d = 3 * wm.round() + wa.round() < 2 * wn.round()
    assert (grid.loc[b_over_d, "winner"] == "B").all()
    assert not grid.loc[~b_over_d, "winner"].eq("B").any()


def test_c_beats_d_only_when_wm_exceeds_4wa_plus_wn(slide):
    assert man.pairwise_margin(slide, "C", "D").tolist() == [1.0, -4.0, -1.0]


def test_winner_map_counts_on_the_step_001_grid(slide):
    grid = man.winner_map(slide, steps=100)
    assert len(grid) == 5151
    assert set(grid["winner"]) <= {"B", "C", "D", "B=D", "C=D"}


def test_winner_map_handles_non_integer_scores_exactly():
    scores = pd.DataFrame({"money": [1.2, 1.1], "authority": [1.0, 1.1], "need": [1, 1]},
                          index=["x", "y"])
    grid = man.winner_map(scores, steps=2)
    # w = (0.5, 0.5, 0): 0.6 + 0.5 = 1.1 vs 0.55 + 0.55 = 1.1 -> an exact tie
    assert grid.set_index(["w_money", "w_authority"]).loc[(0.5, 0.5), "winner"] == "x=y"


# ---- the Money rule (F1), property-based
@given(BUDGET, TREND)
def test_money_score_stays_within_floor_and_cap(budget, trend):
    for rule in man.ROUNDING_RULES:
        assert 1 <= man.money_score(budget, trend, rounding=rule) <= 5


@given(BUDGET, BUDGET, TREND)
def test_money_score_is_monotone_in_budget(b1, b2, trend):
    lo, hi = sorted((b1, b2))
    for rule in man.ROUNDING_RULES:
        assert man.money_score(lo, trend, rounding=rule) <= man.money_score(hi, trend, rounding=rule)


@given(BUDGET)
def test_profit_trend_orders_money_scores(budget):
    down, flat, up = (man.money_score(budget, t) for t in ("down", "flat", "up"))
    assert down <= flat <= up


@given(st.integers(min_value=0, max_value=40))
def test_money_score_of_whole_points_is_the_same_under_every_rounding(points):
    scores = {man.money_score(points * 10, "flat", rounding=r) for r in man.ROUNDING_RULES}
    assert scores == {float(min(max(points, 1), 5))}


def test_money_score_keeps_a_series_index():
    s = man.money_score(pd.Series([30, 8], index=["A", "B"]), pd.Series(["up", "down"], index=["A", "B"]))
    assert s.to_dict() == {"A": 4.0, "B": 1.0}


def test_round_rule_rounds_halves_up():
    assert man.money_score(25, "flat", rounding="round") == 3.0


# ---- bad input
@pytest.mark.parametrize("call, message", [
    (lambda: man.money_score(-5, "up"), r"budget_yi must be >= 0; got -5.0 at rows \[0\]"),
    (lambda: man.money_score(10, "rising"), r"profit_trend must be one of \['up', 'flat', 'down'\]; got 'rising'"),
    (lambda: man.money_score("30亿", "up"), r"budget_yi must be numeric; got '30亿'"),
    (lambda: man.money_score(float("nan"), "up"), r"missing values"),
    (lambda: man.money_score(10, "up", rounding="bankers"), r"rounding must be one of"),
])
def test_money_score_rejects_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_scorer_names_missing_column(banks):
    with pytest.raises(ValueError, match=r"column 'budget_yi' is missing from `prospects`"):
        man.score_prospects(banks)


def test_scorer_rejects_scores_outside_1_to_5():
    scores = pd.DataFrame({"money": [4, 7], "authority": [2, 4], "need": [2, 0]}, index=["A", "B"])
    with pytest.raises(ValueError, match=r"column 'money' must be \[1, 5\]; got 7.0 at rows \['B'\]"):
        man.rank_prospects(scores)


@pytest.mark.parametrize("weights, message", [
    ((0.5, 0.3, 0.3), r"weights must sum to 1 \(within 1e-09\); got 1.1"),
    ((0.6, 0.6, -0.2), r"weight 'need' must be a finite number >= 0; got -0.2"),
    ({"money": 0.5, "authority": 0.5}, r"missing \['need'\]"),
    ((0.5, 0.5), r"weights must have 3 entries"),
])
def test_scorer_rejects_bad_weights(banks, weights, message):
    with pytest.raises(ValueError, match=message):
        man.score_bank_case(banks, weights=weights)


def test_weights_within_1e9_of_one_are_accepted(banks):
    man.score_bank_case(banks, weights=(0.4, 0.3, 0.3 + 5e-10))
    with pytest.raises(ValueError):
        man.score_bank_case(banks, weights=(0.4, 0.3, 0.3 + 5e-9))


def test_scorer_rejects_a_non_frame():
    with pytest.raises(TypeError, match="must be a pandas DataFrame"):
        man.rank_prospects([[4, 2, 2]])


def test_pairwise_margin_names_unknown_prospect(slide):
    with pytest.raises(ValueError, match=r"prospect 'Z' is not in the index"):
        man.pairwise_margin(slide, "Z", "B")


def test_winner_map_rejects_bad_steps(slide):
    with pytest.raises(ValueError, match="steps must be a whole number >= 1"):
        man.winner_map(slide, steps=0)
    # steps=1: only the three corners, where the best bank on that one dimension wins
    corners = man.winner_map(slide, steps=1)
    assert corners["winner"].tolist() == ["B", "D", "C"]   # need, authority, money only
