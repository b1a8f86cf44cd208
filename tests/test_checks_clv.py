"""crmlab.checks.ch04_clv: the lecture's exercises (clv-1 … clv-6) accept reasonable shapes and
give pointed hints; the chapter-wide tables here cover clv-7 too, and unreadable answers
every exercise. clv-7 … clv-11 alone: tests/test_checks_clv_models.py."""

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


@pytest.mark.parametrize("answer", ["Amazon", "five", [1, 2, 3], None, ..., {"x": 1}])
def test_unreadable_answers_never_raise(answer):
    for key in ("clv-1", "clv-4", "clv-5", "clv-6", "clv-7", "clv-8", "clv-9", "clv-10",
                "clv-11"):
        assert crmlab.check(key, answer).message[0] in "?✗"


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


