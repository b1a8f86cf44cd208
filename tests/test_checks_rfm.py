"""crmlab.checks.ch03_rfm: the RFM exercises accept natural phrasings and give hints."""

import pytest

import crmlab
from crmlab import checks


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




def test_the_cdnow_exercises_recognise_the_usual_slips():
    assert "check the R score" in crmlab.check("rfm-8", "211").message    # customer 1: 111
    at_end = checks.ch03_rfm._segment_share({"as_of": "1998-06-30", "segment": "Champions"})
    result = crmlab.check("rfm-9", at_end)
    assert not result.passed and "share at the end of the data" in result.message
    assert crmlab.check("rfm-9", "9.66%").passed


@pytest.mark.parametrize("who", ["alice", "2024000001"])
def test_the_cdnow_exercises_grade_a_students_own_numbers(who):
    crmlab.student(who)
    try:
        for key in ("rfm-8", "rfm-9"):
            assert crmlab.check(key, checks.expected_answer(key, who)).passed
        code = checks.expected_answer("rfm-8", who)
        if code != code[::-1]:
            assert "wrong order" in crmlab.check("rfm-8", code[::-1]).message
    finally:
        crmlab.student(...)


@pytest.mark.parametrize("answer", ["无分数", "none of them", "N/A", "no score.", [], "没有评分"])
def test_rfm_3_reads_the_ways_a_student_says_no_score(answer):
    assert crmlab.check("rfm-3", answer).passed


@pytest.mark.parametrize("answer", ["4、5", "4 and 5", "5 or 4", "4和5"])
def test_rfm_4_reads_two_scores_however_they_are_joined(answer):
    assert crmlab.check("rfm-4", answer).passed


def test_rfm_3_says_what_kind_of_answer_it_wants():
    assert "or 'no score'" in crmlab.check("rfm-3", "banana").message
