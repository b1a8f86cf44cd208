"""crmlab.checks.ch03_rfm: the airline table's exercises (rfm-1 … rfm-4) read scores and codes
in natural phrasings and give hints; and, for the whole chapter (both check modules),
right answers in other shapes pass, wrong ones get hints, and both editions name the same
numbers. rfm-5 … rfm-9 alone: tests/test_checks_rfm_data.py."""

import re

import pandas as pd
import pytest

import crmlab
from crmlab import checks, i18n, rfm
from crmlab.checks import core


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


@pytest.mark.parametrize("answer", ["无分数", "none of them", "N/A", "no score.", [], "没有评分"])
def test_rfm_3_reads_the_ways_a_student_says_no_score(answer):
    assert crmlab.check("rfm-3", answer).passed


@pytest.mark.parametrize("answer", ["4、5", "4 and 5", "5 or 4", "4和5"])
def test_rfm_4_reads_two_scores_however_they_are_joined(answer):
    assert crmlab.check("rfm-4", answer).passed


def test_rfm_3_says_what_kind_of_answer_it_wants():
    assert "or 'no score'" in crmlab.check("rfm-3", "banana").message


# ------------------------------------------------ what a student who tried every wrong answer found
RECENCY_BOUNDS = (1, 3, 6, 12)     # months: the airline table's recency bounds


@pytest.mark.parametrize("who", [f"s{k:03d}" for k in range(60)])
def test_rfm_1_variants_avoid_the_recency_bounds_and_palindromic_codes(who):
    customer = core.case_data("rfm_customer", who)
    assert customer["months"] not in RECENCY_BOUNDS
    code = checks.core._expected_answer("rfm-1", who)
    assert code != code[::-1] and len(set(code)) >= 2


def test_rfm_1_grades_the_reversed_order_for_every_variant():
    # before, 55 of 400 ids had a palindromic code (e.g. 434): a reversed answer passed
    for who in ("2024000001", "alice", "s007"):
        crmlab.student(who)
        try:
            code = checks.core._expected_answer("rfm-1", who)
            assert "wrong order" in crmlab.check("rfm-1", code[::-1]).message
        finally:
            crmlab.student(...)


@pytest.mark.parametrize("answer", [{"R": 4, "F": 3, "M": 3}, {"r": "4", "f": "3", "m": "3"},
                                    pd.Series({"R": 4, "F": 3, "M": 3}), (4, 3, 3), 433,
                                    "R4 F3 M3", "4-3-3", "４３３",
                                    {"recency": 4, "frequency": 3, "monetary": 3}])
def test_rfm_1_reads_a_code_in_any_natural_form(answer):
    assert crmlab.check("rfm-1", answer).passed       # the courseware's customer: 433


def test_rfm_1_reads_a_dict_of_scores_and_grades_it():
    result = crmlab.check("rfm-1", {"R": 4, "F": 4, "M": 4})
    assert not result.passed and "check the F, M score(s)" in result.message
    result = crmlab.check("rfm-1", {"R": 4, "F": 3})
    assert result.message.startswith("?") and "all three scores" in result.message


@pytest.mark.parametrize("answer", ["无法评分", "无法打分", "不能评分", "没有对应得分", "no rule"])
def test_rfm_3_accepts_no_score_in_a_students_words(answer):
    assert crmlab.check("rfm-3", answer).passed


def test_rfm_3_explains_an_answer_of_empty_values_instead_of_an_internal_error():
    result = crmlab.check("rfm-3", (None, None))
    assert result.message.startswith("?") and "TypeError" not in result.message
    assert "write 'no score'" in result.message
    # NaN is how score_by_rules says "no score": its Series is a right answer
    courseware = crmlab.exercise_data("rfm-3")
    assert crmlab.check("rfm-3", rfm.score_by_rules([24], courseware,
                                                    dimension="frequency")["score"]).passed


def test_rfm_3_and_4_lead_from_two_scores():
    result = crmlab.check("rfm-4", "two scores")
    assert not result.passed and "which scores they give" in result.message
    assert "4" not in result.message.split("—")[1]          # the hint names no score
    assert "do they contain it at all" in crmlab.check("rfm-3", "two scores").message.lower()
    assert crmlab.check("rfm-4", "4分和5分").passed
    assert "not in a gap" in crmlab.check("rfm-4", "no score").message


def test_rfm_feedback_follows_the_language():
    i18n.set_language("zh")
    try:
        assert "冠军客户" in crmlab.check("rfm-9", "9.66%").message
        assert "无法把" in crmlab.check("rfm-2", "???").message
        assert "R、F" in crmlab.check("rfm-1", "341").message
    finally:
        i18n.set_language("en")


def _numbers(text):
    """The numbers of a message as tests/test_course_editions.py reads them."""
    return sorted(re.findall(r"-?\d[\d,]*\.?\d*", text))


@pytest.mark.parametrize("key, answers", [
    ("rfm-1", ["341", "334", {"R": 4, "F": 3, "M": 3}]), ("rfm-2", [10, 433, 9]),
    ("rfm-3", ["no score", "two scores", 4, "4 and 5"]), ("rfm-4", ["4|5", 4, "two scores"]),
    ("rfm-5", [{"A": 200, "B": 500 / 3}, {"A": 1000, "B": 500}]),
    ("rfm-6", [81 / 23, 23 / 81, "23:81"]), ("rfm-7", [0.678, 0.674, 4714, 0.2, 0.8]),
    ("rfm-8", ["111", "211"]), ("rfm-9", [0.0966, 500, 0.5]),
])
def test_feedback_names_the_same_numbers_in_both_languages(key, answers):
    """The two editions print the same numbers (the editions test compares them)."""
    for answer in answers:
        shown = {}
        for language in ("en", "zh"):
            i18n.set_language(language)
            shown[language] = crmlab.check(key, answer).message
        i18n.set_language("en")
        assert _numbers(shown["en"]) == _numbers(shown["zh"]), shown


def test_prompts_name_the_same_numbers_in_both_languages():
    """The start page lists the prompts; both editions show the same numbers."""
    english = crmlab.list_exercises().set_index("exercise")["prompt"]
    i18n.set_language("zh")
    try:
        chinese = crmlab.list_exercises().set_index("exercise")["prompt"]
    finally:
        i18n.set_language("en")
    for key in [k for k in english.index if k.startswith("rfm-")]:
        assert chinese[key] != english[key], key                      # translated
        assert _numbers(english[key]) == _numbers(chinese[key]), key
        if _numbers(english[key]):    # pandas shows 50 characters of a cell: keep them all
            assert len(english[key]) <= 50 and len(chinese[key]) <= 50, key
