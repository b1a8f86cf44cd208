"""crmlab.man_sensitivity: the winner over the weight simplex and the pairwise conditions,
recomputed with exact fractions (this suite's analysis of the courseware's ch. 3 思考题: the
courseware ranks the five banks at 0.4/0.3/0.3 and asks nothing of other weights)."""

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import assert_finite, cells, correct_or_clear, frames, or_not_a_frame

import crmlab
from crmlab import man, man_sensitivity


@pytest.fixture(scope="module")
def slide():
    """The answer slide's scores (courseware ch. 3, 思考题 answer slide), by ``crmlab.man``."""
    return man.score_bank_case(crmlab.load_dataset("man_banks"))


def test_man_re_exports_the_moved_names():
    # code written against crmlab.man before the split keeps working
    assert man.winner_map is man_sensitivity.winner_map
    assert man.pairwise_margin is man_sensitivity.pairwise_margin
    assert man.MAX_STEPS == man_sensitivity.MAX_STEPS == 1000


def test_pairwise_margin_is_indexed_by_the_man_dimensions(slide):
    assert tuple(man_sensitivity.pairwise_margin(slide, "D", "B").index) == man.DIMENSIONS


# ---- weight sensitivity (this suite's recomputation; the courseware does not ask it)
def test_winner_map_on_the_step_005_grid(slide):
    grid = man_sensitivity.winner_map(slide, steps=20)
    assert len(grid) == 231
    assert grid["winner"].value_counts().to_dict() == {"D": 136, "B": 63, "C": 26, "B=D": 3, "C=D": 3}
    assert np.allclose(grid[["w_money", "w_authority", "w_need"]].sum(axis=1), 1)


def test_winner_map_agrees_with_exact_fraction_arithmetic(slide):
    grid = man_sensitivity.winner_map(slide, steps=20)
    scores = slide[["money", "authority", "need"]].astype(int)
    for row in grid.itertuples():
        w = [Fraction(round(x * 20), 20) for x in (row.w_money, row.w_authority, row.w_need)]
        totals = {b: sum(wi * int(s) for wi, s in zip(w, scores.loc[b])) for b in scores.index}
        best = max(totals.values())
        assert row.winner == "=".join(b for b in scores.index if totals[b] == best)
def test_b_beats_d_exactly_when_3wm_plus_wa_below_2wn(slide):
    margin = man_sensitivity.pairwise_margin(slide, "D", "B")
    assert margin.tolist() == [3.0, 1.0, -2.0]
    grid = man_sensitivity.winner_map(slide, steps=20)
    wm, wa, wn = (grid[c] * 20 for c in ("w_money", "w_authority", "w_need"))
    b_over_d = 3 * wm.round() + wa.round() < 2 * wn.round()
    assert (grid.loc[b_over_d, "winner"] == "B").all()
    assert not grid.loc[~b_over_d, "winner"].eq("B").any()


def test_c_beats_d_only_when_wm_exceeds_4wa_plus_wn(slide):
    assert man_sensitivity.pairwise_margin(slide, "C", "D").tolist() == [1.0, -4.0, -1.0]


def test_winner_map_counts_on_the_step_001_grid(slide):
    grid = man_sensitivity.winner_map(slide, steps=100)
    assert len(grid) == 5151
    assert set(grid["winner"]) <= {"B", "C", "D", "B=D", "C=D"}


def test_winner_map_handles_non_integer_scores_exactly():
    scores = pd.DataFrame({"money": [1.2, 1.1], "authority": [1.0, 1.1], "need": [1, 1]},
                          index=["x", "y"])
    grid = man_sensitivity.winner_map(scores, steps=2)
    # w = (0.5, 0.5, 0): 0.6 + 0.5 = 1.1 vs 0.55 + 0.55 = 1.1 -> an exact tie
    assert grid.set_index(["w_money", "w_authority"]).loc[(0.5, 0.5), "winner"] == "x=y"


def test_pairwise_margin_names_unknown_prospect(slide):
    with pytest.raises(ValueError, match=r"prospect 'Z' is not in the index"):
        man_sensitivity.pairwise_margin(slide, "Z", "B")
def test_winner_map_rejects_bad_steps(slide):
    with pytest.raises(ValueError, match="steps must be a whole number >= 1"):
        man_sensitivity.winner_map(slide, steps=0)
    # steps=1: only the three corners, where the best bank on that one dimension wins
    corners = man_sensitivity.winner_map(slide, steps=1)
    assert corners["winner"].tolist() == ["B", "D", "C"]   # need, authority, money only


def reference_winners(scores, steps):
    """Winner labels by exact decimal arithmetic (Fraction of each score as printed)."""
    exact = {p: [Fraction(repr(float(x))) for x in scores.loc[p]] for p in scores.index}
    out = []
    for i in range(steps + 1):
        for j in range(steps + 1 - i):
            w = (i, j, steps - i - j)
            totals = {p: sum(a * x for a, x in zip(w, exact[p])) for p in scores.index}
            best = max(totals.values())
            out.append("=".join(str(p) for p in scores.index if totals[p] == best))
    return out


DECIMAL_SCORE = st.integers(10, 50).map(lambda k: k / 10)          # 1.0, 1.1, ..., 5.0
NON_ROUND = st.one_of(DECIMAL_SCORE, st.integers(1, 5),
                      st.tuples(st.integers(7, 35), st.sampled_from([3, 7, 9, 11, 13, 999983]))
                      .map(lambda t: min(max(t[0] / t[1], 1.0), 5.0)),
                      st.floats(1, 5))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(NON_ROUND, NON_ROUND, NON_ROUND), min_size=1, max_size=90),
       st.integers(1, 8))
def test_winner_map_matches_exact_fractions(rows, steps):
    scores = pd.DataFrame(rows, columns=["money", "authority", "need"],
                          index=[f"p{k}" for k in range(len(rows))])
    grid = man_sensitivity.winner_map(scores, steps=steps)
    assert grid["winner"].tolist() == reference_winners(scores, steps)


@pytest.fixture(scope="module")
def lead_scores():
    leads = crmlab.load_dataset("b2b_leads_synthetic")
    return pd.DataFrame({
        "money": man.money_score(leads["it_budget_yi"], leads["profit_trend"], rounding="ceil"),
        "authority": 5 - (leads["approval_levels"] - 1) * 4 / 3,
        "need": leads["need_urgency"].map({"urgent": 5, "planned": 4, "exploring": 2, "none": 1}),
    }).set_axis(leads["lead_id"])


def test_winner_map_names_winners_beyond_64_prospects(lead_scores):
    # Was: an int64 bitmask, so with 200 leads most rows had an empty winner.
    grid = man_sensitivity.winner_map(lead_scores, steps=20)
    assert (grid["winner"] != "").all()
    assert grid["winner"].tolist() == reference_winners(lead_scores, 20)
    assert grid["winner"].value_counts().head(2).to_dict() == {"L015": 85, "L071": 58}


def test_winner_map_is_exact_for_scores_that_overflowed_int64():
    # Was: limit_denominator(10**6) and an int64 common scale of ~1e18, so weighted
    # totals wrapped around and 132 of 231 rows named the wrong winner.
    scores = pd.DataFrame({"money": [4.000001000021, 2.0000010000390014, 1.0000010000210005],
                           "authority": [3.0000010000390014, 2.0000010000390014,
                                         1.0000010000390016],
                           "need": [3.0000010000170003, 1.0000010000170003, 1.0000010000210005]},
                          index=list("xyz"))
    assert man_sensitivity.winner_map(scores, steps=20)["winner"].tolist() == reference_winners(scores, 20)


def test_winner_map_bounds_steps_and_says_so(slide):
    # Was: steps=10**4 built a 50-million-row list for minutes.
    with pytest.raises(ValueError, match=r"man_sensitivity.winner_map: steps must be at most 1000 .*"
                                         r"got 10000. .*pairwise_margin"):
        man_sensitivity.winner_map(slide, steps=10**4)
    assert len(man_sensitivity.winner_map(slide, steps=man_sensitivity.MAX_STEPS)) == 1001 * 1002 // 2


def test_winner_map_at_max_steps_is_fast_on_200_leads(lead_scores):
    import time
    start = time.perf_counter()
    grid = man_sensitivity.winner_map(lead_scores, steps=man_sensitivity.MAX_STEPS)
    assert time.perf_counter() - start < 20
    assert (grid["winner"] != "").all()


def test_identical_prospects_tie_and_labels_must_be_unique():
    s = pd.DataFrame({"money": [3, 3, 1], "authority": [3, 3, 1], "need": [3, 3, 1]},
                     index=["a", "b", "c"])
    assert set(man_sensitivity.winner_map(s, steps=3)["winner"]) == {"a=b"}
    with pytest.raises(ValueError, match=r"man_sensitivity.winner_map: prospect labels .* must be unique; "
                                         r"'a' appears 2 times"):
        man_sensitivity.winner_map(s.set_axis(["a", "a", "c"]), steps=3)
    with pytest.raises(ValueError, match=r"man_sensitivity.pairwise_margin: prospect labels .* unique"):
        man_sensitivity.pairwise_margin(s.set_axis(["a", "a", "c"]), "a", "c")
def test_missing_column_message_names_the_keyword_and_a_close_match():
    scores = pd.DataFrame({"Money": [4], "authority": [2], "need": [2]})
    with pytest.raises(ValueError, match=r"man_sensitivity.winner_map: column 'money' is missing from "
                                         r"`scores`; found \['Money', 'authority', 'need'\]. Pass "
                                         r"the name of your column, e.g. winner_map\(\.\.\., "
                                         r"money='Money'\)"):
        man_sensitivity.winner_map(scores)


# ---- fuzz: both functions give a correct, finite answer or a clear error
SCORE = cells(st.one_of(st.integers(1, 5), st.floats(1, 5), st.sampled_from([1.2, 2.5, 10 / 3])))
SCORES_SPEC = {"money": SCORE, "authority": SCORE, "need": SCORE}


def test_fuzz_covers_every_public_function_of_man_sensitivity():
    public = {n for n in man_sensitivity.__all__ if callable(getattr(man_sensitivity, n))}
    assert public == {"winner_map", "pairwise_margin"}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(or_not_a_frame(frames(SCORES_SPEC)),
       st.one_of(st.integers(-1, 6), st.sampled_from([2.0, "3", True, None, 10**4])),
       st.data())
def test_fuzz_man_sensitivity_correct_or_clear(frame, steps, data):
    grid = correct_or_clear("man_sensitivity.winner_map",
                            lambda: man_sensitivity.winner_map(frame, steps=steps))
    if grid is not None:
        assert_finite(grid)
        assert len(grid) == (steps + 1) * (steps + 2) // 2
        assert (grid["winner"] != "").all()
    is_frame = isinstance(frame, pd.DataFrame)
    labels = list(frame.index[:2]) if is_frame and len(frame) else ["A", "B"]
    a = data.draw(st.sampled_from(labels * 4 + ["Z", None, ["A"]]), label="a")
    b = labels[-1]
    assert_finite(correct_or_clear("man_sensitivity.pairwise_margin",
                                   lambda: man_sensitivity.pairwise_margin(frame, a, b)))
def test_empty_scores_are_refused():
    empty = pd.DataFrame({"money": [], "authority": [], "need": []})
    with pytest.raises(ValueError, match=r"man_sensitivity.winner_map: `scores` has no rows"):
        man_sensitivity.winner_map(empty)
