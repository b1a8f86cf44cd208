"""crmlab.checks.ch05_satisfaction: the chapter-5 checks accept the forms students write,
give pointed hints, never raise, and give each student a valid variant of their own."""

import numpy as np
import pandas as pd
import pytest

import crmlab
from crmlab import checks, defection, satisfaction
from crmlab.checks import core

KEYS = [f"sat-{k}" for k in range(1, 8)]
IDS = [f"s{k:03d}" for k in range(12)] + ["2024000001", "alice"]


@pytest.fixture(autouse=True)
def no_student():
    crmlab.student(None)
    yield
    crmlab.student(None)


def test_the_chapter_numbers_are_the_expected_answers_without_an_id():
    """Courseware sign flaw on 8 / 6; NPS of [10, 9, 8, 7, 6, 0] = 0 (Reichheld 2003 bands);
    Coca-Cola under the readings 4–5, 9–10, 1/3 (case collection, case 2); 5, 10 and 20 years
    at 20%, 10% and 5% (Reichheld & Sasser 1990); ECSI 11 of 67 (recomputed)."""
    assert checks.expected_answer("sat-1") == (2.0, -2.0)
    assert checks.expected_answer("sat-2") == 0.0
    assert checks.expected_answer("sat-3") == {"zone": "indifference", "type": "mercenary"}
    share, ratio = checks.expected_answer("sat-4")
    assert round(share, 4) == 0.2167 and round(ratio, 2) == 2.11
    assert checks.expected_answer("sat-5") == (5.0, 10.0, 20.0)
    panel = defection.make_satisfaction_panel()
    assert checks.expected_answer("sat-6") == panel.loc[panel["defected"] == 1, "csat"].mode()[0]
    assert checks.expected_answer("sat-7") == pytest.approx(11 / 67, abs=1e-6)


@pytest.mark.parametrize("key, answer", [
    ("sat-1", (2, -2)), ("sat-1", "2, -2"), ("sat-1", {"courseware": 2, "consistent": -2}),
    ("sat-2", 0), ("sat-2", "0 points"),
    ("sat-3", ("indifference", "mercenary")), ("sat-3", "冷漠区, 唯利是图者"),
    ("sat-3", {"zone": "zone of indifference", "type": "Mercenary"}),
    ("sat-3", ["唯利是图者", "冷漠区"]),
    ("sat-4", (0.216667, 2.1111)), ("sat-4", "21.67%, 2.11倍"),
    ("sat-5", [5, 10, 20]), ("sat-5", "5年, 10年, 20年"), ("sat-5", {0.2: 5, 0.1: 10, 0.05: 20}),
    ("sat-5", {"20%": 5, "10%": 10, "5%": 20}), ("sat-5", np.array([5.0, 10.0, 20.0])),
    ("sat-6", 7), ("sat-6", "7分"), ("sat-6", np.int64(7)),
    ("sat-7", 11 / 67), ("sat-7", "16.42%"),
])
def test_other_shapes_of_the_right_answer(key, answer):
    result = crmlab.check(key, answer)
    assert result.passed, result.message


@pytest.mark.parametrize("key, answer, hint", [
    ("sat-1", (-2, 2), "swapped"),
    ("sat-1", (2, 2), "sign that says so"),
    ("sat-2", 16.667, "check the bands"),
    ("sat-4", (2.1111, 0.216667), "swapped"),
    ("sat-4", (1 - 1 / 3, 2.1111), "only one group"),
    ("sat-4", (0.216667, 4.5 / 9.5), "upside down"),
    ("sat-5", [1.25, 1 / 0.9, 1 / 0.95], "retention rate"),
    ("sat-5", [20, 10, 5], "wrong order"),
    ("sat-5", [0.2, 0.1, 0.05], "rates themselves"),
    ("sat-7", 11, "that is a count"),
    ("sat-7", 1 - 11 / 67, "loyal share"),
    ("sat-7", 11 / 250, "share of all respondents"),
])
def test_wrong_answers_get_a_hint(key, answer, hint):
    result = crmlab.check(key, answer)
    assert not result.passed and hint in result.message, result.message


def test_the_usual_slips_on_the_panel_and_nps():
    panel = defection.make_satisfaction_panel()
    rate_max = panel.groupby("csat")["defected"].mean().idxmax()
    assert "highest defection rate" in crmlab.check("sat-6", rate_max).message
    crowd = panel["csat"].value_counts().idxmax()
    if crowd != checks.expected_answer("sat-6"):
        assert "most customers" in crmlab.check("sat-6", crowd).message
    assert "mean answer" in crmlab.check("sat-2", np.mean([10, 9, 8, 7, 6, 0])).message


@pytest.mark.parametrize("answer", ["Amazon", "five", [1, 2, 3], None, ..., {"x": 1}, [],
                                    float("nan"), pd.DataFrame(), object(), "",
                                    ("zone", "type")])
@pytest.mark.parametrize("key", KEYS)
def test_unreadable_answers_never_raise(key, answer):
    result = crmlab.check(key, answer)
    assert isinstance(result, checks.Feedback) and result.message[0] in "?✗"


@pytest.mark.parametrize("who", IDS)
def test_every_variant_is_valid_and_not_the_lecture(who):
    gap = core.case_data("sat_gap", who)
    assert gap["expectation"] != gap["experience"] and (gap["expectation"], gap["experience"]) != (8, 6)
    scores = core.case_data("sat_nps", who)
    assert 12 <= len(scores) and all(0 <= s <= 10 for s in scores)
    assert checks.expected_answer("sat-3", who) != checks.expected_answer("sat-3")
    coke = core.case_data("coca_cola", who)
    assert coke["boycott"] + coke["reduce"] <= 0.95
    assert checks.expected_answer("sat-4", who) != checks.expected_answer("sat-4")
    rates = core.case_data("defection_rates", who)["rates"]
    assert len(set(rates)) == 3 and rates == sorted(rates, reverse=True)
    assert checks.expected_answer("sat-5", who) != (5.0, 10.0, 20.0)
    assert checks.expected_answer("sat-7", who) != checks.expected_answer("sat-7")


@pytest.mark.parametrize("who", ["2024000001", "alice"])
def test_each_student_is_graded_on_their_own_numbers(who):
    crmlab.student(who)
    scores = crmlab.exercise_data("sat-2")
    assert crmlab.check("sat-2", satisfaction.net_promoter_score(scores)["nps"]).passed
    params = crmlab.exercise_data("sat-6")
    panel = defection.make_satisfaction_panel(**params)
    level = panel.loc[panel["defected"] == 1, "csat"].value_counts().idxmax()
    result = crmlab.check("sat-6", level)
    assert result.passed and f"[student {who}]" in result.message
    assert not crmlab.check("sat-7", 11 / 67).passed           # the lecture's share is not theirs
    items = crmlab.exercise_data("sat-7")
    mobi = crmlab.load_dataset("ecsi_mobi")
    happy = mobi[mobi[items["satisfaction"]] >= items["satisfied_from"]]
    assert crmlab.check("sat-7", (happy[items["loyalty"]] < items["loyal_from"]).mean()).passed


def test_feedback_speaks_chinese_in_the_chinese_edition():
    crmlab.set_language("zh")
    try:
        assert "冷漠区" in crmlab.check("sat-3", ("冷漠区", "唯利是图者")).message
        assert "顺序颠倒" in crmlab.check("sat-1", (-2, 2)).message
    finally:
        crmlab.set_language("en")
