"""crmlab.checks.ch03_rfm_data: the RFM exercises on data (rfm-5 … rfm-9) read tables, ratios
and shares, tell the usual slips apart and grade a student's own numbers, in both languages."""

import pandas as pd
import pytest

import crmlab
from crmlab import checks, concentration, i18n
from crmlab.checks import ch03_rfm_data


def test_the_cdnow_exercises_recognise_the_usual_slips():
    assert "check the R score" in crmlab.check("rfm-8", "211").message    # customer 1: 111
    at_end = ch03_rfm_data._segment_share({"as_of": "1998-06-30", "segment": "Champions"})
    result = crmlab.check("rfm-9", at_end)
    assert not result.passed and "share at the end of the data" in result.message
    assert crmlab.check("rfm-9", "9.66%").passed


@pytest.mark.parametrize("who", ["alice", "2024000001"])
def test_the_cdnow_exercises_grade_a_students_own_numbers(who):
    crmlab.student(who)
    try:
        for key in ("rfm-8", "rfm-9"):
            assert crmlab.check(key, checks.core._expected_answer(key, who)).passed
        code = checks.core._expected_answer("rfm-8", who)
        if code != code[::-1]:
            assert "wrong order" in crmlab.check("rfm-8", code[::-1]).message
    finally:
        crmlab.student(...)


@pytest.mark.parametrize("key", ["rfm-5"])
def test_a_table_answer_is_read_or_answered_in_terms_of_a_series(key):
    table = pd.DataFrame({"customer": ["A", "B"], "ticket": [200, 500 / 3]})
    assert crmlab.check(key, table).passed
    assert crmlab.check(key, table.set_index("customer")).passed
    result = crmlab.check(key, pd.DataFrame({"x": [1, 2], "y": [3, 4]}))
    assert "Series indexed by customer" in result.message and "'total'" not in result.message


def test_rfm_6_reads_the_intensity_ratio_result_and_ratios_written_with_a_colon():
    ratios = concentration.intensity_ratio(23, 81)
    result = crmlab.check("rfm-6", ratios)
    assert result.passed and len(result.message.splitlines()[0]) < 100   # read, not dumped
    assert crmlab.check("rfm-6", "81:23").passed and crmlab.check("rfm-6", "81/23").passed
    assert "upside down" in crmlab.check("rfm-6", "23:81").message
    assert "one number" in crmlab.check("rfm-6", "81:23:5").message


def test_rfm_7_tells_the_sample_from_the_full_log_and_shares_from_counts():
    full = crmlab.rfm.customer_table(crmlab.load_dataset("cdnow_master"),
                                     amount="dollars")["monetary_total"]
    sample = crmlab.rfm.customer_table(crmlab.load_dataset("cdnow_sample"),
                                       amount="dollars")["monetary_total"]
    right, wrong = concentration.top_share(full, 0.2), concentration.top_share(sample, 0.2)
    assert round(right, 3) == 0.678 and round(wrong, 3) == 0.674     # recomputed, 3 decimals
    assert crmlab.check("rfm-7", round(right, 3)).passed
    result = crmlab.check("rfm-7", round(wrong, 3))
    assert not result.passed and "full CDNOW log" in result.message
    assert "number of top customers" in crmlab.check("rfm-7", 4714).message   # 20% of 23,570
    assert "share of customers" in crmlab.check("rfm-7", 0.2).message
    assert "count or an amount" in crmlab.check("rfm-7", 1_694_000).message


@pytest.mark.parametrize("who", [f"s{k:03d}" for k in range(30)])
def test_rfm_8_variants_have_a_code_a_blind_guess_does_not_pass(who):
    code = checks.core._expected_answer("rfm-8", who)
    assert len(set(code)) >= 2 and code != code[::-1]


def test_the_moved_checks_answer_in_chinese():
    """rfm-5 … rfm-9's strings live in the catalog ch03_rfm_data: still translated."""
    i18n.set_language("zh")
    try:
        assert "月消费金额" in crmlab.check("rfm-5", {"A": 1000, "B": 500}).message
        assert "颠倒" in crmlab.check("rfm-6", 23 / 81).message
        assert "cdnow_master" in crmlab.check("rfm-7", 0.674).message
        assert "检查 R" in crmlab.check("rfm-8", "211").message       # customer 1: 111
        assert "冠军客户" in crmlab.check("rfm-9", "9.66%").message
    finally:
        i18n.set_language("en")
