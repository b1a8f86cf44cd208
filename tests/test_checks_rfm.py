"""crmlab.checks.ch03_rfm: the RFM exercises accept natural phrasings and give hints."""

import pytest

import crmlab


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


