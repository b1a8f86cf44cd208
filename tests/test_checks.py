"""crmlab.checks: right answers pass, wrong ones get hints, nothing raises."""

import numpy as np
import pandas as pd
import pytest

import crmlab
from crmlab import checks, man
from crmlab.checks import ch02_man, ch04_clv


@pytest.fixture
def banks():
    return crmlab.load_dataset("man_banks")


def correct_answers(banks):
    slide = man.score_bank_case(banks)
    leads = crmlab.load_dataset("b2b_leads_synthetic").set_index("lead_id")
    own = pd.DataFrame({"money": man.money_score(leads["it_budget_yi"], leads["profit_trend"]),
                        "authority": 3.0, "need": 3.0}, index=leads.index)
    top = man.rank_prospects(own).sort_values("total", ascending=False).head(10)
    return {
        "man-1": {"A": 2.8, "B": 3.1, "C": 2.9, "D": 4.0, "E": 1.4},
        "man-2": 1.08,
        "man-3": 3.6,
        "man-4": (0.2, 0.3, 0.5),
        "man-5": top,
        "man-6": int((man.winner_map(slide, steps=20)["winner"] == "B").sum()),
        "rfm-1": "433",
        "rfm-2": 10,
        "rfm-3": "no score",
        "rfm-4": "4|5",
        "rfm-5": {"A": 200, "B": 166.67},
        "rfm-6": 3.52,
        "rfm-7": 0.678,
        # CLV: courseware F6 (5 and 10 years; 2 : 1), Gupta & Lehmann grid (4.09 at r 0.9,
        # i 0.12), seed 000 W11 (104-195 元; Pinduoduo), courseware quadrant diagram, and
        # Fader, Hardie & Lee (2005) E[X(39)] = 1.226
        "clv-1": {"1": 5, "2": 10},
        "clv-2": 2,
        "clv-3": 4.09,
        "clv-4": (104, 195),
        "clv-5": "拼多多",
        "clv-6": "维持型",
        "clv-7": 1.226,
    }


def test_every_registered_exercise_has_a_passing_answer(banks):
    answers = correct_answers(banks)
    assert set(answers) == set(checks.list_exercises()["exercise"])
    for key, answer in answers.items():
        result = crmlab.check(key, answer)
        assert result.passed, result.message
        assert repr(result).startswith("✓")


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
    ("man-6", 66, "you counted the ties too"),
    ("man-6", 136, "another bank's"),
])
def test_wrong_answers_get_specific_hints(key, answer, hint):
    result = crmlab.check(key, answer)
    assert not result.passed and hint in result.message


@pytest.mark.parametrize("answer", [
    None, ..., "three", "", [], {}, {"A": None}, object(), float("nan"), float("inf"), True,
    pd.DataFrame(), pd.DataFrame({"x": [1, 2]}), np.array([[1, 2], [3, 4]]), (1, 2), "0.2,0.3,0.5",
    pd.Series(dtype=float), lambda: 3,
])
@pytest.mark.parametrize("key", ["man-1", "man-2", "man-3", "man-4", "man-5", "man-6",
                                 "rfm-1", "rfm-2", "rfm-3", "rfm-4", "rfm-5", "rfm-6", "rfm-7"])
def test_any_input_gets_feedback_never_a_traceback(key, answer):
    result = crmlab.check(key, answer)
    # NaN is how score_by_rules says "no score", so for rfm-3 it is a right answer
    # and "0.2,0.3,0.5" is how a student may write man-4's weights
    right = ((key == "rfm-3" and isinstance(answer, float) and answer != answer)
             or (key == "man-4" and isinstance(answer, str) and answer == "0.2,0.3,0.5"))
    assert isinstance(result, checks.Feedback) and result.passed == right
    assert result.message.startswith("✓" if right else ("?", "✗"))


@pytest.mark.parametrize("key, answer", [
    ("rfm-3", "none"), ("rfm-3", "无"), ("rfm-3", float("nan")),
    ("rfm-4", "4 or 5"), ("rfm-4", (5, 4)), ("rfm-4", "4,5"), ("rfm-4", "4和5"),
    ("rfm-7", 67.8), ("rfm-5", [200, 500 / 3]),
])
def test_rfm_checks_accept_natural_phrasings(key, answer):
    assert crmlab.check(key, answer).passed


@pytest.mark.parametrize("key, answer, hint", [
    ("rfm-1", "443", "check the F score"),
    ("rfm-2", 433, "that is the code"),
    ("rfm-3", 5, "does '5' include 24?"),
    ("rfm-4", 5, "which other row contains 5000?"),
    ("rfm-5", {"A": 1000, "B": 500}, "that is a monthly spend"),
    ("rfm-6", 23 / 81, "upside down"),
    ("rfm-7", 0.8, "the rule of thumb"),
])
def test_rfm_wrong_answers_get_hints(key, answer, hint):
    result = crmlab.check(key, answer)
    assert not result.passed and hint in result.message


def test_man_5_rejects_inconsistent_tables(banks):
    top = correct_answers(banks)["man-5"]
    assert "10 rows" in crmlab.check("man-5", top.head(9)).message
    assert "between 1 and 5" in crmlab.check("man-5", top.assign(money=6.0)).message
    assert "sort your top 10" in crmlab.check("man-5", top.iloc[::-1]).message
    assert "lies between" in crmlab.check("man-5", top.assign(total=0.5)).message


def test_check_prints_its_feedback(capsys):
    result = crmlab.check("man-3", 4.0)
    assert capsys.readouterr().out == result.message + "\n"


def test_unknown_exercise_lists_the_known_ones():
    result = crmlab.check("man-99", 1)
    assert "man-1, man-2" in result.message and not result.passed


def test_expected_values_come_from_the_compute_functions(banks, monkeypatch):
    # If the courseware's data changed, the expected answer would follow it.
    altered = banks.drop(columns=ch02_man.ANSWER_COLUMNS)
    altered = altered.assign(need_doc=altered["need_doc"].where(altered["bank"] != "E", 2))
    monkeypatch.setitem(checks.core._CACHE, ("man_banks", None), altered)
    assert crmlab.check("man-2", 1.38).passed and not crmlab.check("man-2", 1.08).passed


def test_clv_expected_values_follow_the_data(monkeypatch):
    platform = crmlab.exercise_data("clv-4").assign(eff_mult_stated=2.0)
    monkeypatch.setitem(checks.core._CACHE, ("platform_cac", None), platform)
    assert crmlab.check("clv-4", (160, 300)).passed and not crmlab.check("clv-4", (104, 195)).passed
