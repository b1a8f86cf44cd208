"""crmlab.man against the courseware's published numbers (courseware ch. 3, §1.3.2, 思考题
question and answer slides: the Money rule, the weights, the five totals) and recomputations."""

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


# ---- the courseware's answer slide (courseware ch. 3, §1.3.2, 思考题 answer slide)
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
    # Courseware ch. 3, 思考题 answer slide: E's Money "(12/10)+0 = 2分"; the rule gives 1.2.
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
def test_b_against_d_at_other_weight_vectors(banks, weights, b, d):
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


# ---- the Money rule (courseware ch. 3, 思考题 answer slide), property-based
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


# ---- fuzz: every public function gives a correct, finite answer or a clear error
from strategies import (  # noqa: E402
    assert_finite, cells, correct_or_clear, frames, one, or_not_a_frame)
from hypothesis import HealthCheck, settings  # noqa: E402

SCORE = cells(st.one_of(st.integers(1, 5), st.floats(1, 5), st.sampled_from([1.2, 2.5, 10 / 3])))
FACT = cells(st.floats(0, 200))
TRENDS = cells(TREND, st.sampled_from(["rising", None, np.nan, 1, "", "UP"]))
MAN_SPEC = {"money": SCORE, "authority": SCORE, "need": SCORE, "budget_yi": FACT,
            "profit_trend": TRENDS, "bank": cells(st.sampled_from(list("ABCDEFG"))),
            "it_budget_yi": FACT, "special_grant_yi": FACT, "profit_trend_stated": TRENDS,
            "profit_trend_slide": TRENDS, "authority_doc": SCORE, "need_doc": SCORE}
WEIGHTS = st.one_of(st.just(man.DEFAULT_WEIGHTS), st.sampled_from([
    (0.2, 0.3, 0.5), (1, 0, 0), (0.5, 0.5), (0.5, 0.5, 0.5), (np.nan, 0.5, 0.5), "0.4",
    {"money": 1.0}, (-0.5, 1.0, 0.5), None]))
MAN_FUNCTIONS = ["money_score", "rank_prospects", "score_prospects", "score_bank_case"]


def test_fuzz_covers_every_public_function_of_man():
    public = {n for n in man.__all__ if callable(getattr(man, n))}
    assert public == set(MAN_FUNCTIONS)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(or_not_a_frame(frames(MAN_SPEC)), WEIGHTS,
       st.sampled_from([*man.ROUNDING_RULES, "bankers", None]), st.data())
def test_fuzz_man_correct_or_clear(frame, weights, rounding, data):
    is_frame = isinstance(frame, pd.DataFrame)
    if is_frame and "bank" in frame.columns and data.draw(st.booleans(), label="unique banks"):
        frame["bank"] = [f"B{k}" for k in range(len(frame))]
    col = (lambda name: frame[name] if is_frame and name in frame.columns else frame)
    out = correct_or_clear("man.money_score", lambda: man.money_score(
        col("budget_yi"), col("profit_trend"), rounding=rounding))
    assert_finite(out)
    if out is not None and not np.isscalar(out):
        assert ((np.asarray(out) >= 1) & (np.asarray(out) <= 5)).all()
    scalar = data.draw(one(cells(st.floats(0, 100))), label="budget")
    assert_finite(correct_or_clear("man.money_score", lambda: man.money_score(
        scalar, data.draw(one(TRENDS), label="trend"))))
    for name, call in [
        ("rank_prospects", lambda: man.rank_prospects(frame, weights=weights)),
        ("score_prospects", lambda: man.score_prospects(frame, weights=weights,
                                                        rounding=rounding)),
        ("score_bank_case", lambda: man.score_bank_case(frame, weights=weights,
                                                        rounding=rounding)),
    ]:
        table = correct_or_clear(f"man.{name}", call)
        assert_finite(table)
        if table is not None:
            assert list(table.columns) == ["money", "authority", "need", "total", "rank"]
            assert table[["money", "authority", "need"]].stack().between(1, 5).all()
            assert table["rank"].between(1, max(len(table), 1)).all()


# ---- property: MAN totals, ranks and winners against exact fractions
DECIMAL_SCORE = st.integers(10, 50).map(lambda k: k / 10)          # 1.0, 1.1, ..., 5.0
GRID_WEIGHTS = (st.tuples(st.integers(0, 20), st.integers(0, 20))
                .filter(lambda ij: sum(ij) <= 20).map(lambda ij: (ij[0], ij[1], 20 - sum(ij))))


def exact_ranks(totals):
    return {k: 1 + sum(t > totals[k] for t in totals.values()) for k in totals}


@given(st.lists(st.tuples(DECIMAL_SCORE, DECIMAL_SCORE, DECIMAL_SCORE), min_size=1, max_size=30),
       GRID_WEIGHTS)
def test_rank_prospects_totals_and_ranks_are_exact(rows, grid):
    scores = pd.DataFrame(rows, columns=["money", "authority", "need"],
                          index=[f"p{k}" for k in range(len(rows))])
    w = [Fraction(g, 20) for g in grid]
    table = man.rank_prospects(scores, weights=[g / 20 for g in grid])
    exact = {p: sum(wi * Fraction(repr(x)) for wi, x in zip(w, row))
             for p, row in zip(scores.index, rows)}
    for p in scores.index:
        assert abs(Fraction(table.loc[p, "total"]) - exact[p]) < Fraction(1, 10**12)
    assert table["rank"].to_dict() == exact_ranks(exact)


# ---- issue 9, section 4: the cases seen
def test_rank_prospects_keeps_repeated_labels_row_by_row():
    s = pd.DataFrame({"money": [4, 1], "authority": [2, 4], "need": [2, 5]}, index=["A", "A"])
    assert man.rank_prospects(s)["rank"].tolist() == [2, 1]
    facts = pd.DataFrame({"budget_yi": [30, 8], "profit_trend": ["up", "down"],
                          "authority": [2, 4], "need": [2, 5]}, index=["A", "A"])
    assert man.score_prospects(facts)["total"].round(2).tolist() == [2.8, 3.1]


@pytest.mark.parametrize("dtype", ["Int64", "Float64", "object", "string"])
def test_nullable_and_object_scores_are_read_as_numbers(dtype):
    s = pd.DataFrame({"money": ["4", "1"], "authority": ["2", "4"], "need": ["2", "5"]},
                     index=["A", "B"]).astype(dtype if dtype != "Int64" else "int64")
    s = s.astype(dtype)
    assert man.rank_prospects(s)["total"].round(2).tolist() == [2.8, 3.1]


@pytest.mark.parametrize("bad, message", [
    (np.inf, r"man.rank_prospects: column 'money' must be finite; got inf at rows \['B'\]"),
    (pd.NA, r"man.rank_prospects: column 'money' has missing values \(NaN\) at rows \['B'\]"),
    (True, r"man.rank_prospects: column 'money' must be numeric; got True at rows \['B'\]"),
])
def test_rank_prospects_names_bad_cells(bad, message):
    s = pd.DataFrame({"money": [4, bad], "authority": [2, 4], "need": [2, 5]}, index=["A", "B"],
                     dtype=object)
    with pytest.raises(ValueError, match=message):
        man.rank_prospects(s)


def test_empty_scores():
    empty = pd.DataFrame({"money": [], "authority": [], "need": []})
    assert man.rank_prospects(empty).empty


def test_score_bank_case_refuses_text_budgets_it_would_concatenate(banks):
    text = banks.assign(it_budget_yi=banks["it_budget_yi"].astype(str),
                        special_grant_yi=banks["special_grant_yi"].astype(str))
    assert man.score_bank_case(text)["total"].round(2).tolist() == [2.8, 3.1, 2.9, 4.0, 1.4]
    with pytest.raises(ValueError, match=r"man.score_bank_case: column 'bank' must be unique"):
        man.score_bank_case(pd.concat([banks, banks.iloc[[0]]]))
    with pytest.raises(ValueError, match=r"man.score_bank_case: count_grant must be True or False"):
        man.score_bank_case(banks, count_grant="no")


def test_not_a_frame_is_a_value_error_and_a_type_error():
    with pytest.raises(ValueError, match="man.rank_prospects: `scores` must be a pandas DataFrame"):
        man.rank_prospects([[4, 2, 2]])
