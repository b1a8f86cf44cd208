"""crmlab.checks.ch04_clv: the chapter-4 checks accept reasonable shapes and give pointed hints."""

import pytest

import crmlab
from crmlab import checks


@pytest.mark.parametrize("key, answer", [
    ("clv-1", [5, 10]), ("clv-1", {1: 5.0, 2: 10.0}),
    ("clv-3", "4.09"), ("clv-4", {"low": 104, "high": 195}), ("clv-4", [104.0, 195.0]),
    ("clv-5", "PDD"), ("clv-5", "Pinduoduo"), ("clv-6", "维持型客户"),
    ("clv-7", 1.2259),
])
def test_other_shapes_of_the_right_answer(key, answer):
    assert crmlab.check(key, answer).passed


@pytest.mark.parametrize("key, answer, hint", [
    ("clv-1", [0.2, 0.1], "those are the churn rates"),
    ("clv-2", 0.5, "upside down"),
    ("clv-3", 1.12 / 0.22, "start-of-period convention"),
    ("clv-4", (80, 150), "that is the stated CAC"),
    ("clv-5", "淘宝", "within 14% of its midpoint ratio"),
    ("clv-6", "MVC", "Then find that cell"),
    ("clv-7", 0.9, "condition on this customer"),
])
def test_wrong_answers_get_a_hint(key, answer, hint):
    result = crmlab.check(key, answer)
    assert not result.passed and hint in result.message


def test_a_new_customers_expectation_is_recognised():
    from crmlab.checks.ch04_clv import _cdnow_fit
    result = crmlab.check("clv-7", float(_cdnow_fit().expected_purchases(39)))
    assert not result.passed and "new customer" in result.message


@pytest.mark.parametrize("answer", ["Amazon", "five", [1, 2, 3], None, ..., {"x": 1}])
def test_unreadable_answers_never_raise(answer):
    for key in ("clv-1", "clv-4", "clv-5", "clv-6", "clv-7", "clv-8", "clv-9", "clv-10",
                "clv-11"):
        assert crmlab.check(key, answer).message[0] in "?✗"


def test_the_model_exercises_recognise_the_usual_slips():
    c = checks.core.case_data("cdnow_spender", None)
    assert "customer's own average" in crmlab.check("clv-8", c["monetary"]).message
    assert "undiscounted" in crmlab.check(
        "clv-9", checks.ch04_clv._customer_clv({**c, "monthly_discount": 0.0})).message
    # sBG against a constant last retention rate (the point of Fader & Hardie 2007)
    cohort = crmlab.load_dataset("retention_cohorts").pivot(
        index="year", columns="cohort", values="survivors_pct")["regular"]
    constant = cohort[7] * (cohort[7] / cohort[6]) ** 5
    assert "constant" in crmlab.check("clv-10", constant).message
    assert "observed value" in crmlab.check("clv-10", cohort[12]).message
    assert crmlab.check("clv-10", "17.0%").passed and crmlab.check("clv-10", 0.17).passed
    predicted, actual = checks.expected_answer("clv-11")
    assert actual == 1882                                   # the chapter's holdout count
    assert "wrong order" in crmlab.check("clv-11", (actual, predicted)).message
    assert crmlab.check("clv-11", [round(predicted, 1), actual]).passed


@pytest.mark.parametrize("who", ["alice", "2024000001"])
def test_the_model_exercises_grade_a_students_own_customer(who):
    crmlab.student(who)
    try:
        for key in ("clv-8", "clv-9", "clv-10", "clv-11"):
            mine = checks.expected_answer(key, who)
            assert crmlab.check(key, mine).passed
    finally:
        crmlab.student(...)


@pytest.mark.parametrize("key, answer", [("clv-2", "2倍"), ("clv-2", "2 : 1"), ("clv-6", "维持"),
                                         ("clv-6", ["维持型"]), ("clv-5", ["拼多多"])])
def test_more_forms_a_student_writes(key, answer):
    assert crmlab.check(key, answer).passed
