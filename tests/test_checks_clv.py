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


@pytest.mark.parametrize("key, answer", [("clv-2", "2倍"), ("clv-2", "2 : 1"), ("clv-6", "维持"),
                                         ("clv-6", ["维持型"]), ("clv-5", ["拼多多"])])
def test_more_forms_a_student_writes(key, answer):
    assert crmlab.check(key, answer).passed


# ------------------------------------------------ what a student who got it wrong first met
@pytest.mark.parametrize("answer", [{"firm 1": 5, "firm 2": 10}, {"企业1": 5.0, "企业2": 10.0},
                                    {"Firm_1": 5, "Firm_2": 10}, {"企业 1": 5, "企业 2": 10}])
def test_clv_1_reads_firm_names_as_keys(answer):
    assert crmlab.check("clv-1", answer).passed


def test_clv_1_reads_the_churn_table_and_says_what_a_table_needs():
    from crmlab import group_clv
    table = group_clv.churn_table(crmlab.exercise_data("clv-1"))
    assert crmlab.check("clv-1", table).passed                    # firm column + lifetime_years
    wide = table.drop(columns="lifetime_years")
    message = crmlab.check("clv-1", wide).message
    assert message.startswith("?") and "one lifetime per firm" in message
    assert "'total' column" not in message
    assert "lost per year" in crmlab.check("clv-1", {"1": 20, "2": 10}).message


@pytest.mark.parametrize("who", [f"s{k:03d}" for k in range(30)])
def test_clv_4_variants_print_the_multiplier_the_way_the_case_does(who):
    # section 7: the printed factors are 1/(1 − return rate) rounded to one decimal
    from crmlab import acquisition
    row = checks.core.case_data("platform_cac", who).iloc[0]
    assert row["eff_mult_stated"] == round(1 / (1 - row["return_rate"]) + 1e-9, 1) > 1
    unrounded = acquisition.effective_cac(row.to_frame().T.astype(
        {"cac_min": float, "cac_max": float, "return_rate": float, "eff_mult_stated": float}),
        multiplier="returns").iloc[0]
    crmlab.student(who)
    try:
        result = crmlab.check("clv-4", (unrounded["eff_cac_min"], unrounded["eff_cac_max"]))
        assert not result.passed and "unrounded" in result.message
    finally:
        crmlab.student(...)


def test_clv_4_the_courseware_platform_keeps_its_printed_factor():
    row = checks.core.case_data("platform_cac", None).iloc[0]
    assert (row["platform"], row["return_rate"], row["eff_mult_stated"]) == ("Pinduoduo", 0.25, 1.3)


def test_clv_6_every_quadrant_can_be_drawn_but_not_the_lecture_case():
    lecture = checks.core.case_data("quadrant", None)
    answers, cases = set(), []
    for k in range(200):
        q = checks.core.case_data("quadrant", f"s{k:03d}")
        cases.append(q)
        answers.add(checks.core._expected_answer("clv-6", f"s{k:03d}"))
    assert answers == {"贵宾型", "改进型", "维持型", "放弃型"}
    assert lecture not in cases


def test_clv_6_names_a_swap_of_the_axes():
    assert "swapped the axes" in crmlab.check("clv-6", "改进型").message    # 800/200 vs 500


def test_clv_7_names_the_rfm_recency_trap_and_the_chapters_horizon():
    from crmlab.checks.ch04_clv import _cdnow_fit, _one
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
    from crmlab.checks.ch04_clv import _clv_by_hand
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
