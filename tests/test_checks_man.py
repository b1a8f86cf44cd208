"""crmlab.checks.ch02_man: the MAN exercises accept a student's forms and give pointed hints."""

import re

import numpy as np
import pandas as pd
import pytest

import crmlab
from crmlab import checks, i18n, man, man_sensitivity

from strategies import english_sentences


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
    ({"A": 2.8, "B": 2.62, "C": 2.9, "D": 4.0, "E": 1.4}, "Bank B's raw Money score is -0.2: what does the floor rule (最低分保护机制) do"),
    ({"A": 2.8, "B": 3.1, "C": 3.3, "D": 4.0, "E": 1.4}, "Bank C's raw Money score is 6: what does the cap rule (最高分限定机制) do"),
    # E by the rule as written: Money 1.2 is no whole number; the slide rounds it up
    ({"A": 2.8, "B": 3.1, "C": 2.9, "D": 4.0, "E": 1.08}, "The slide rounds the Money score up"),
    # E rounded down (12/10 -> 1): a whole number, but not the slide's
    ({"A": 2.8, "B": 3.1, "C": 2.9, "D": 4.0, "E": 1.0}, "rounds the budget part down or to the nearest point; the slide rounds it up"),
    ({"A": 3.2, "B": 3.1, "C": 2.9, "D": 4.0, "E": 1.4}, "bank A: your total is off by +1 Money point(s)"),
    ({"A": 2.9, "B": 3.1, "C": 2.9, "D": 4.0, "E": 1.4}, "bank A: with Authority and Need as given, your total needs a Money score of 4.25"),
])
def test_man_1_hints_point_at_the_mistake_without_the_answer(answer, hint):
    result = crmlab.check("man-1", answer)
    assert not result.passed and hint in result.message
    assert "2.8" not in result.message.split("your total")[0][-6:]


def test_man_1_says_the_money_score_is_rounded_up_when_an_answer_has_no_rounding():
    totals = man.score_bank_case(crmlab.load_dataset("man_banks"), rounding="none")["total"]
    result = crmlab.check("man-1", totals)
    # E's Money by the rule as written is 1.2 (courseware ch. 3, 思考题 answer slide: 2分)
    assert not result.passed
    assert "bank E: your total uses the Money score as written, 1.20" in result.message
    assert "The slide rounds the Money score up" in result.message

@pytest.mark.parametrize("key, answer, hint", [
    ("man-2", 1.4, "that is the total with E's Money rounded up"),
    ("man-2", 1.0, "you rounded E's Money score (down or to the nearest point)"),
    ("man-2", 1.3, "compute E's Money as 12 / 10 + 0 with no rounding"),
    ("man-2", 1.2, "1.2 is E's Money score"),
    ("man-3", 4.0, "still includes the +1"),
    ("man-3", 3.2, "you also dropped D's special grant"),
    ("man-4", (0.4, 0.3, 0.3), "with these weights D wins, not B"),
    ("man-4", (0.25, 0.25, 0.5), "B ties with D"),
    ("man-4", (0.5, 0.5, 0.5), "your weights sum to 1.5"),
    ("man-4", "0.5 : 0.3 : 0.2", "with these weights"),
    ("man-6", 66, "you counted the ties too"),
    ("man-6", 136, "another bank's"),
    ("man-6", 63 / 231, "the question asks for a count"),       # a share, not a count
    ("man-6", "27.27%", "the question asks for a count"),
    ("man-6", 27.27, "the question asks for a count"),          # a percentage
    ("man-6", 63.5, "a whole number"),
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


def test_man_4_names_the_winner_but_prints_no_total():
    # the totals under the student's own weights would be man-1's answers
    for weights in [(0.4, 0.3, 0.3), (0.2, 0.3, 0.5), (0.25, 0.25, 0.5)]:
        message = crmlab.check("man-4", weights).message
        assert not re.search(r"\d\.\d\d", message), message


def test_man_5_says_which_way_authority_must_run():
    table = own_scores()
    backwards = table.assign(authority=6 - table["authority"])
    backwards = backwards.assign(total=0.3 * backwards["money"] + 0.3 * backwards["authority"]
                                 + 0.4 * backwards["need"])
    message = crmlab.check("man-5", backwards).message
    assert "Authority score should fall as approval_levels rises: more sign-offs mean less " \
           "authority for the person you talk to" in message
    assert "as fewer sign-offs" not in message


# ------------------------------------------------------------- a student's own numbers
IDS = [f"s{k:03d}" for k in range(20)] + ["2024000001", "alice"]


@pytest.fixture
def student():
    yield lambda who: crmlab.student(who)
    crmlab.student(None)


@pytest.mark.parametrize("who", IDS)
def test_every_variant_makes_the_rounding_and_the_tie_rule_matter(who, student):
    student(who)
    banks = crmlab.exercise_data("man-6")
    ceil = man.score_bank_case(banks)
    # man-1: rounding to the nearest point gives another Money score than the slide's ceil
    assert not man.score_bank_case(banks, rounding="round")["money"].equals(ceil["money"])
    # man-6: B ties with another bank somewhere, so counting ties as wins is wrong
    winners = man_sensitivity.winner_map(ceil, steps=20)["winner"]
    alone = int((winners == "B").sum())
    with_ties = int(sum("B" in w.split("=") for w in winners))
    assert 0 < alone < with_ties
    assert crmlab.check("man-6", alone).passed
    assert "you counted the ties too" in crmlab.check("man-6", with_ties).message
    firm = crmlab.exercise_data("man-1")
    rounded = man.score_bank_case(firm["banks"], weights=firm["weights"], rounding="round")
    result = crmlab.check("man-1", rounded["total"])
    assert not result.passed and "the slide rounds it up" in result.message


@pytest.mark.parametrize("who", IDS[:8])
def test_a_student_who_copies_the_lecture_or_its_weights_is_told_so(who, student):
    student(who)
    firm = crmlab.exercise_data("man-1")
    if firm["weights"] == dict(man.DEFAULT_WEIGHTS):
        pytest.skip("this firm uses the courseware's weights")
    courseware_weights = man.score_bank_case(firm["banks"])
    assert "use your firm's weights" in crmlab.check("man-1", courseware_weights["total"]).message
    # 1.08: the lecture's E by the rule as written (section 4.1), not this student's E
    message = crmlab.check("man-2", 1.08).message
    assert "the lecture's figure for the courseware's bank E" in message
    assert "did you round" not in message
    # the rule as written (or the slide's D without +1) under the courseware's weights,
    # where those differ from the answer under the firm's own weights
    e = man.score_bank_case(firm["banks"], rounding="none").loc["E", "total"]
    if abs(e - checks.core._expected_answer("man-2", who)) > 0.06:   # not "close" when rounded
        assert "use your firm's weights" in crmlab.check("man-2", e).message
    d = man.score_bank_case(firm["banks"], slide_adjustments=False).loc["D", "total"]
    if abs(d - checks.core._expected_answer("man-3", who)) > 0.06:
        assert "use your firm's weights" in crmlab.check("man-3", d).message


# ------------------------------------------------------------------ the Chinese edition
@pytest.fixture
def chinese():
    i18n.set_language("zh")
    yield
    i18n.set_language("en")


def _wrong_tables():
    table = own_scores()
    backwards = {}
    for dim, flip in (("money", 6 - table["money"]), ("authority", 6 - table["authority"]),
                      ("need", 6 - table["need"])):
        t = table.assign(**{dim: flip})
        backwards[dim] = t.assign(total=0.3 * t["money"] + 0.3 * t["authority"] + 0.4 * t["need"])
    leads = crmlab.load_dataset("b2b_leads_synthetic").set_index("lead_id")
    noise = table.assign(authority=1 + (leads["server_age_years"] % 5))
    noise = noise.assign(total=0.3 * noise["money"] + 0.3 * noise["authority"] + 0.4 * noise["need"])
    return [table, table.head(10), table.assign(money=6.0), table.drop(columns="need"),
            table.assign(money=5.0, authority=5.0, need=5.0, total=5.0),
            table.assign(total=table[["money", "authority", "need"]].min(axis=1)),
            table.assign(need="high"), noise, *backwards.values(), [1, 2, 3]]


def test_man_5_feedback_in_chinese_has_no_english_sentence(chinese):
    messages = [crmlab.check("man-5", t).message for t in _wrong_tables()]
    assert messages[0].startswith("✓") and "权重 (M, A, N) = (0.30, 0.30, 0.40)" in messages[0]
    assert "决策权" in messages[-3] and "审批层级越多" in messages[-3]
    for message in messages:
        assert english_sentences(message) == [], message


@pytest.mark.parametrize("answer", [
    {"A": 2.8, "B": 2.62, "C": 2.9, "D": 4.0, "E": 1.4},
    {"A": 2.8, "B": 3.1, "C": 3.3, "D": 4.0, "E": 1.4},
    {"A": 2.8, "B": 3.1, "C": 2.9, "D": 4.0, "E": 1.08},
    {"A": 2.8, "B": 3.1, "C": 2.9, "D": 4.0, "E": 1.0},
    {"A": 3.2, "B": 3.1, "C": 2.9, "D": 4.0, "E": 1.4},
    {"A": 2.9, "B": 3.1, "C": 2.9, "D": 4.0, "E": 1.4},
])
def test_man_1_hints_in_chinese_use_the_courseware_terms(chinese, answer):
    message = crmlab.check("man-1", answer).message
    assert english_sentences(message) == [], message
    assert "购买力" in message
    assert "最低总分" not in message        # the floor is the 最低分保护机制 (courseware's term)
