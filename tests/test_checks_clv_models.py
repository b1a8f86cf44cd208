"""crmlab.checks.ch04_clv_models: the model exercises on CDNOW and cohort data (clv-7 …
clv-11) name the usual slips, grade a student's own customer and answer in both languages."""

import pytest

import crmlab
from crmlab import checks, i18n
from crmlab.checks import ch04_clv_models


def test_a_new_customers_expectation_is_recognised():
    from crmlab.checks.ch04_clv_models import _cdnow_fit
    result = crmlab.check("clv-7", float(_cdnow_fit().expected_purchases(39)))
    assert not result.passed and "new customer" in result.message


def test_the_model_exercises_recognise_the_usual_slips():
    c = checks.core.case_data("cdnow_spender", None)
    assert "customer's own average" in crmlab.check("clv-8", c["monetary"]).message
    assert "undiscounted" in crmlab.check(
        "clv-9", ch04_clv_models._customer_clv({**c, "monthly_discount": 0.0})).message
    # sBG against a constant last retention rate (the point of Fader & Hardie 2007)
    cohort = crmlab.load_dataset("retention_cohorts").pivot(
        index="year", columns="cohort", values="survivors_pct")["regular"]
    constant = cohort[7] * (cohort[7] / cohort[6]) ** 5
    assert "constant" in crmlab.check("clv-10", constant).message
    assert "observed value" in crmlab.check("clv-10", cohort[12]).message
    assert crmlab.check("clv-10", "17.0%").passed and crmlab.check("clv-10", 0.17).passed
    predicted, actual = checks.core._expected_answer("clv-11")
    assert actual == 1882                                   # the chapter's holdout count
    assert "wrong order" in crmlab.check("clv-11", (actual, predicted)).message
    assert crmlab.check("clv-11", [round(predicted, 1), actual]).passed


@pytest.mark.parametrize("who", ["alice", "2024000001"])
def test_the_model_exercises_grade_a_students_own_customer(who):
    crmlab.student(who)
    try:
        for key in ("clv-8", "clv-9", "clv-10", "clv-11"):
            mine = checks.core._expected_answer(key, who)
            assert crmlab.check(key, mine).passed
    finally:
        crmlab.student(...)


def test_clv_7_names_the_rfm_recency_trap_and_the_chapters_horizon():
    from crmlab.checks.ch04_clv_models import _cdnow_fit, _one
    c = checks.core.case_data("cdnow_customer", None)
    rfm = _cdnow_fit().conditional_expected_purchases(_one(c, recency=c["T"] - c["recency"]), 39)
    assert "RFM's recency" in crmlab.check("clv-7", float(rfm.iloc[0])).message
    crmlab.student("s002")
    try:
        mine = crmlab.exercise_data("clv-7")
        assert mine["horizon"] != 39
        at_39 = _cdnow_fit().conditional_expected_purchases(_one(mine), 39).iloc[0]
        message = crmlab.check("clv-7", float(at_39)).message
        assert "over 39 weeks" in message and f"{mine['horizon']} weeks" in message
    finally:
        crmlab.student(...)


@pytest.mark.parametrize("who", [f"s{k:03d}" for k in range(20)])
def test_clv_8_customers_have_two_or_more_repeat_purchases(who):
    c = checks.core.case_data("cdnow_spender", who)
    assert c["frequency"] >= 2
    crmlab.student(who)
    try:
        wrong = checks.core._expected_answer("clv-8", who) * c["frequency"]
        result = crmlab.check("clv-8", wrong)
        assert not result.passed and "number of purchases" in result.message
    finally:
        crmlab.student(...)


def test_clv_9_accepts_the_usual_lengths_of_a_month_and_names_a_30_week_one():
    from crmlab.checks.ch04_clv_models import _clv_by_hand
    c = checks.core.case_data("cdnow_spender", None)
    assert crmlab.check("clv-9", round(_clv_by_hand(c, 52 / 12), 2)).passed        # 4.333
    assert crmlab.check("clv-9", round(_clv_by_hand(c, 4.345), 2)).passed         # 36.27
    assert round(_clv_by_hand(c, 4.345), 2) == 36.27
    message = crmlab.check("clv-9", _clv_by_hand(c, 30.0)).message               # 140.07
    # 140.04 from the case's inputs rounded to two decimals (the chapter's exact ones: 140.07)
    assert round(_clv_by_hand(c, 30.0), 2) == 140.04 and "30 weeks" in message


def test_clv_10_names_the_constant_retention_projection():
    from crmlab import retention
    cohort = crmlab.load_dataset("retention_cohorts").pivot(
        index="year", columns="cohort", values="survivors_pct")["regular"]
    constant = 100 * retention.constant_retention_rate(cohort.loc[0:7] * 10) ** 12
    assert round(constant, 1) == 4.6                                      # section 10
    message = crmlab.check("clv-10", constant).message
    assert "constant-retention projection" in message


def test_clv_11_a_per_customer_horizon_works_and_errors_stay_short():
    from crmlab import btyd
    table = btyd.repeat_purchase_table(crmlab.load_dataset("cdnow_sample"), customer="sample_id",
                                       amount="dollars", calibration_end="1997-09-30",
                                       holdout_end="1998-06-30")
    fit = btyd.fit_bgnbd(table)
    predicted = fit.conditional_expected_purchases(table, table["duration_holdout"]).sum()
    assert crmlab.check("clv-11", (predicted, int(table["frequency_holdout"].sum()))).passed
    bad = table["duration_holdout"].copy()
    bad.iloc[5:] = -1.0
    with pytest.raises(ValueError) as err:
        fit.conditional_expected_purchases(table, bad)
    assert len(str(err.value)) < 300 and "[6, 7, 8, 9, 10] and 2347 more" in str(err.value)


def test_the_moved_checks_answer_in_chinese():
    """clv-7 … clv-11's strings live in the catalog ch04_clv_models: still translated."""
    c = checks.core.case_data("cdnow_spender", None)
    i18n.set_language("zh")
    try:
        for key, answer in (("clv-7", 0.9), ("clv-8", c["monetary"]), ("clv-10", 50.0),
                            ("clv-11", (1.0, 2.0))):
            message = crmlab.check(key, answer).message
            assert message.startswith("✗") and _chinese(message.split(":", 1)[-1]), message
        assert "正确" in crmlab.check("clv-7", 1.2259).message
    finally:
        i18n.set_language("en")


def _chinese(text: str) -> bool:
    return sum("\u4e00" <= ch <= "\u9fff" for ch in text) >= 5
