"""crmlab.checks.ch02_man: the MAN exercises accept a student's forms and give pointed hints."""

import numpy as np
import pandas as pd
import pytest

import crmlab
from crmlab import man


def own_scores():
    """Every lead scored by rules of a student's own (Money by the slide's rule)."""
    leads = crmlab.load_dataset("b2b_leads_synthetic").set_index("lead_id")
    own = pd.DataFrame({
        "money": man.money_score(leads["it_budget_yi"], leads["profit_trend"]),
        "authority": 5 - (leads["approval_levels"] - 1) * 4 / 3,
        "need": leads["need_urgency"].map({"urgent": 5, "planned": 4, "exploring": 2,
                                           "none": 1})}, index=leads.index)
    return man.rank_prospects(own, weights=(0.3, 0.3, 0.4))


@pytest.mark.parametrize("answer", [
    {"A": 2.8, "B": 3.1, "C": 2.9, "D": 4.0, "E": 1.4},
    pd.Series([2.8, 3.1, 2.9, 4.0, 1.4], index=list("ABCDE")),
    [2.8, 3.1, 2.9, 4.0, 1.4],
    np.array([2.8000000000000003, 3.1, 2.9, 4.0, 1.4]),
    pd.DataFrame({"total": [2.8, 3.1, 2.9, 4.0, 1.4]}, index=list("abcde")),
    {"A": "2.8", "B": "3.1", "C": "2.9", "D": "4", "E": "1.4"},
])
def test_man_1_accepts_every_reasonable_shape(answer):
    assert crmlab.check("man-1", answer).passed


@pytest.mark.parametrize("answer, hint", [
    ({"A": 2.8, "B": 2.62, "C": 2.9, "D": 4.0, "E": 1.4}, "Bank B's raw Money score is -0.2: what does the floor rule do"),
    ({"A": 2.8, "B": 3.1, "C": 3.3, "D": 4.0, "E": 1.4}, "Bank C's raw Money score is 6: what does the cap rule do"),
    ({"A": 2.8, "B": 3.1, "C": 2.9, "D": 4.0, "E": 1.08}, "Which rounding of the budget part reproduces the slide"),
    ({"A": 3.0, "B": 3.1, "C": 2.9, "D": 4.0, "E": 1.4}, "bank A: your total 3 does not match"),
])
def test_man_1_hints_point_at_the_mistake_without_the_answer(answer, hint):
    result = crmlab.check("man-1", answer)
    assert not result.passed and hint in result.message
    assert "2.8" not in result.message.split("your total")[0][-6:]


@pytest.mark.parametrize("key, answer, hint", [
    ("man-2", 1.4, "that is the total with E's Money rounded up"),
    ("man-2", 1.0, "did you round E's Money down"),
    ("man-2", 1.2, "1.2 is E's Money score"),
    ("man-3", 4.0, "still includes the +1"),
    ("man-3", 3.2, "you also dropped D's special grant"),
    ("man-4", (0.4, 0.3, 0.3), "with these weights D wins (4.00 vs B 3.10)"),
    ("man-4", (0.25, 0.25, 0.5), "B ties with D"),
    ("man-4", (0.5, 0.5, 0.5), "your weights sum to 1.5"),
    ("man-4", "0.5 : 0.3 : 0.2", "with these weights"),
    ("man-6", 66, "you counted the ties too"),
    ("man-6", 136, "another bank's"),
])
def test_wrong_answers_get_specific_hints(key, answer, hint):
    result = crmlab.check(key, answer)
    assert not result.passed and hint in result.message


def test_man_5_accepts_a_consistent_scoring_and_prints_its_top_10():
    result = crmlab.check("man-5", own_scores())
    assert result.passed and "weights (M, A, N) = (0.30, 0.30, 0.40)" in result.message


def test_man_5_has_teeth():
    table = own_scores()
    assert "every lead once" in crmlab.check("man-5", table.head(10)).message
    assert "between 1 and 5" in crmlab.check("man-5", table.assign(money=6.0)).message
    # a table of all 5s (the old check accepted a top 10 of them)
    fives = table.assign(money=5.0, authority=5.0, need=5.0, total=5.0)
    assert "fewer than three values" in crmlab.check("man-5", fives).message
    # totals that are the minimum of the three scores are no weighted sum
    lowest = table.assign(total=table[["money", "authority", "need"]].min(axis=1))
    assert "not one weighted sum" in crmlab.check("man-5", lowest).message
    # totals from weights that do not sum to 1
    doubled = table.assign(total=2 * table["total"])
    assert not crmlab.check("man-5", doubled).passed
    # a Money score that falls with the budget measures something else
    backwards = table.assign(money=6 - table["money"])
    backwards = backwards.assign(total=0.3 * backwards["money"] + 0.3 * backwards["authority"]
                                 + 0.4 * backwards["need"])
    result = crmlab.check("man-5", backwards)
    assert not result.passed and "runs the wrong way" in result.message
    # rounded totals (2 decimals) are still the student's weighted sum
    assert crmlab.check("man-5", table.assign(total=table["total"].round(2))).passed




@pytest.mark.parametrize("answer", ["0.2, 0.3, 0.5", "0.2:0.3:0.5", "0.2，0.3，0.5",
                                    {"Money": 0.2, "Authority": 0.3, "Need": 0.5}])
def test_man_4_reads_the_forms_a_student_writes(answer):
    assert crmlab.check("man-4", answer).passed
