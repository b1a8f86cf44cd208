"""crmlab.checks_clv: the chapter-4 checks accept reasonable shapes and give pointed hints."""

import pytest

import crmlab


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
    for key in ("clv-1", "clv-4", "clv-5", "clv-6", "clv-7"):
        assert crmlab.check(key, answer).message[0] in "?✗"
