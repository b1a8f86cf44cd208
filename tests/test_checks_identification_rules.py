"""crmlab.checks.ch01_identification_rules: ident-4 … ident-7 (one of the chapter's rules
applied) read natural answers, diagnose the usual mistakes, speak Chinese, and give each
student valid numbers of their own.

Expected answers are recomputed here by other routes where one exists (the courseware's
HSBC table, the statute's numbers for the PIPL). What all ten exercises share (any input
gets feedback, each student is graded on their own numbers) is in
tests/test_checks_identification.py.
"""

import numpy as np
import pandas as pd
import pytest

import crmlab
from crmlab import identify, tiers
from crmlab.checks import core
from strategies import english_sentences
from test_checks_identification import STUDENTS
from test_checks_identification import _english_and_no_student_afterwards  # noqa: F401


def test_the_examples_without_an_id_and_their_answers():
    assert core._expected_answer("ident-5") == {"c1": "C", "c2": "E", "c3": "B"}
    assert core._expected_answer("ident-6") == "154****1357"
    # PIPL Art. 66 para. 2: 5,000万 or 5% of ¥3 billion
    assert core._expected_answer("ident-7") == {"A": 50_000_000, "B": 150_000_000}
    # c2 and c3 bought once: first-time buyers, lost and actual, never potential or non-customers
    assert core._expected_answer("ident-4") == {"c1": "actual", "c2": "lost", "c3": "actual",
                                                "c4": "potential", "c5": "non-customer"}


# ------------------------------------------------------------------ natural answers
def _states_column():
    case = crmlab.exercise_data("ident-4")
    return identify.customer_states(case["purchases"], case["people"], as_of="2025-06-30",
                                    lost_after=180, contact_window=90)["state"]


@pytest.mark.parametrize("key, answer", [
    ("ident-4", {"c1": "现实客户", "c2": "流失客户", "c3": "现实顾客", "c4": "潜在客户",
                 "c5": "非客户"}),
    ("ident-4", {"c1": "actual customer", "c2": "lost customer", "c3": "active",
                 "c4": "potential", "c5": "not a customer"}),
    ("ident-4", pd.DataFrame({"state": ["actual", "lost customer", "active", "potential",
                                        "non-customer"]}, index=["c1", "c2", "c3", "c4", "c5"])),
    ("ident-5", "c1: C, c2: E, c3: B"), ("ident-5", {"c1": "c", "c2": "非活跃客户", "c3": "b"}),
    ("ident-5", pd.Series(["C", "E", "B"], index=["c1", "c2", "c3"])),
    ("ident-6", "154 **** 1357"), ("ident-6", ["154****1357"]), ("ident-6", "154-****-1357"),
    ("ident-7", {"A": "5000万", "B": "1.5亿元"}), ("ident-7", "50,000,000, 150,000,000"),
    ("ident-7", (5e7, 1.5e8)), ("ident-7", {"firm A": "¥50 million", "firm B": "1.5亿"}),
    ("ident-7", {"A": "5千万", "B": "1.5億元"}), ("ident-7", ("5×10^7", "1.5x10^8")),
])
def test_the_checks_read_natural_answers(key, answer):
    result = crmlab.check(key, answer)
    assert result.passed, result.message


def test_ident_4_reads_the_tools_output_by_person_whatever_its_row_order():
    """customer_states' state column (any row order) and its .tolist() in id order pass; a
    Series in another order is read by its index, not its positions."""
    states = _states_column()
    assert crmlab.check("ident-4", states.tolist()).passed
    shuffled = states.iloc[[4, 2, 0, 3, 1]]
    assert crmlab.check("ident-4", shuffled).passed
    assert crmlab.check("ident-4", shuffled.to_frame()).passed


def test_a_list_in_another_order_is_told_how_a_list_is_read():
    """A list carries no names: the feedback says it is read c1 … c5 (the student may have
    listed the rows in another order); a dict, which names each person, gets no such note."""
    shuffled = _states_column().iloc[[4, 2, 0, 3, 1]].tolist()
    result = crmlab.check("ident-4", shuffled)
    assert not result.passed and "A list is read in the order c1, c2, c3, c4, c5" in \
        result.message, result.message
    text = crmlab.check("ident-4", ", ".join(shuffled)).message
    assert "A list is read in the order" in text
    wrong = dict(core._expected_answer("ident-4"), c5="potential")
    assert "A list is read" not in crmlab.check("ident-4", wrong).message
    crmlab.set_language("zh")
    message = crmlab.check("ident-4", shuffled).message
    assert "列表按 c1、c2、c3、c4、c5 的顺序读取" in message and english_sentences(message) == []


def test_the_pipl_check_reads_the_table_pipl_fine_ceiling_returns():
    firms = crmlab.exercise_data("ident-7")
    table = crmlab.privacy.pipl_fine_ceiling(firms["previous_year_turnover_yuan"])
    assert crmlab.check("ident-7", table).passed
    assert crmlab.check("ident-7", table["highest"]).passed


@pytest.mark.parametrize("answer", ["CEB", "ceb", "ＣＥＢ", "c1 C, c2 E, c3 B",
                                    "c1 c, c2 非活跃客户, c3 b"])
def test_ident_5_reads_a_run_of_letters_and_labels_without_a_colon(answer):
    """"CEB" as ident-1 reads "bdeac": a run of tier letters, one per person."""
    result = crmlab.check("ident-5", answer)
    assert result.passed, result.message


def test_ident_5_refuses_a_run_of_the_wrong_length():
    result = crmlab.check("ident-5", "CEBA")
    assert result.message.startswith("?")


@pytest.mark.parametrize("answer", ["A 5000万元，B 1.5亿元", "A 50000000, B 150000000",
                                    "firm A 5000万, firm B: 1.5亿", "企业A 5000万 ; 企业B 1.5亿"])
def test_ident_7_reads_each_firm_then_its_amount_without_a_colon(answer):
    result = crmlab.check("ident-7", answer)
    assert result.passed, result.message


def test_ident_7_shows_an_unreadable_amount_as_it_was_typed():
    message = crmlab.check("ident-7", {"A": "X5000万元", "B": "1.5亿"}).message
    assert message.startswith("?") and "'X5000万元'" in message and "firm A" in message, message


def test_ident_7_refuses_a_firm_that_is_not_in_the_exercise():
    """An extra key is not ignored: "C": 1 beside the right A and B is refused, named."""
    right = core._expected_answer("ident-7")
    for extra in ({**right, "C": 1}, pd.Series({**right, "firm C": 1})):
        result = crmlab.check("ident-7", extra)
        assert not result.passed and result.message.startswith("?"), result.message
        assert "'C'" in result.message or "'firm C'" in result.message, result.message


def test_ident_7_names_the_table_of_ceilings_for_millions():
    """The lecture's table in millions of yuan is the table of PIPL ceilings, not the
    penalty table (which gives the courseware's amounts as printed)."""
    message = crmlab.check("ident-7", (50, 150)).message
    assert "the table of ceilings above" in message and "penalty table" not in message


# ------------------------------------------------------------------ invented data, said so
@pytest.mark.parametrize("who", [None, *STUDENTS])
def test_the_people_the_number_and_the_firms_are_marked_invented(who):
    """ident-5, 6 and 7 carry what ident-4's prose and ident-8's file say: invented."""
    for name in ("ident_hsbc", "ident_pipl"):
        table = core.case_data(name, who)
        assert table["synthetic"].all() and table.attrs["synthetic"] is True
    assert core.case_data("ident_phone_invented", who)["synthetic"] is True


@pytest.mark.parametrize("who", [None, *STUDENTS])
def test_the_phone_numbers_come_from_a_block_not_issued_to_subscribers(who):
    """154 is not allocated to any operator, so no student's number is a real person's; the
    tools read it as a mobile number (13-19) all the same."""
    phone = core.case_data("ident_phone_invented", who)["phone"]
    digits = crmlab.privacy.normalise_phone(phone)
    assert digits is not None and digits.startswith("154") and len(digits) == 11
    assert crmlab.privacy.mask_phone(phone) == f"154****{digits[-4:]}"


def test_a_prospect_has_no_loyalty_or_value_and_its_tier_is_f():
    """A prospect is not a customer yet: no loyalty, no value; its status gives F. Some of
    the tests' students have one, so the rule is exercised."""
    seen = 0
    for who in STUDENTS:
        bank = core.case_data("ident_hsbc", who)
        prospects = bank[bank["status"] == "prospect"]
        seen += len(prospects)
        assert prospects[["loyalty", "value"]].isna().all().all(), who
        assert (tiers.hsbc_tiers(bank).loc[prospects.index, "tier"] == "F").all()
        others = bank[bank["status"] != "prospect"]
        assert others[["loyalty", "value"]].isin(["high", "low"]).all().all(), who
    assert seen >= 2


# ------------------------------------------------------------------ wrong answers, diagnosed
def _people(*states):
    """ident-4's answer as a dict, c1 … c5."""
    return dict(zip(["c1", "c2", "c3", "c4", "c5"], states))


@pytest.mark.parametrize("key, answer, hint", [
    ("ident-4", _people("actual", "lost", "actual", "目标客户", "non-customer"),
     "these rules have four states"),
    ("ident-4", _people("actual", "lost", "first-time buyer", "potential", "non-customer"),
     "give each person's state"),
    # the rule as it once was: one purchase too few made c2 a non-customer, c3 potential
    ("ident-4", _people("actual", "non-customer", "potential", "potential", "non-customer"),
     "a buyer is never potential or a non-customer"),
    ("ident-4", _people("actual", "lost", "potential", "potential", "non-customer"),
     "c3 bought, so they are actual or lost"),
    ("ident-4", _people("actual", "lost", "actual", "non-customer", "non-customer"),
     "look at the last contacts too"),
    ("ident-4", _people("actual", "lost", "actual", "potential", "potential"),
     "4 of 5 right; check c5"),
    ("ident-5", {"c1": "B", "c2": "E", "c3": "B"}, "loyalty and value are swapped"),
    ("ident-5", {"c1": "大中型", "c2": "E", "c3": "B"}, "大中型 names both B and C"),
    ("ident-5", {"c1": "C", "c2": "D", "c3": "B"}, "c2 is not active"),
    ("ident-5", {"c1": "C", "c2": "F", "c3": "B"}, "E and F are two different groups"),
    ("ident-6", "15424681357", "that is the number itself"),
    ("ident-6", "+86 154****1357", "drop the country code +86"),
    ("ident-6", "139*****357", "hide exactly four digits"),
    ("ident-6", "1542****357", "keep the first three and the last four digits"),
    ("ident-6", "138****1357", "the number's own first three"),
    ("ident-6", "861****1357", "drop the country code"),
    ("ident-6", "*****************", "not the whole dict"),
    ("ident-7", {"A": 3e7, "B": 1.5e8}, "firm A: that is the courseware's 5%"),
    ("ident-7", {"A": 5e7, "B": 5e7}, "firm B: 5% of its previous year's turnover is more"),
    ("ident-7", {"A": 1e6, "B": 1.5e8}, "paragraph 1"),
    ("ident-7", (5000, 15000), "give the amount in yuan"),
    # the lecture's table of PIPL ceilings shows millions of yuan
    ("ident-7", (50, 150), "millions of yuan"), ("ident-7", {"A": "50", "B": 150}, "millions"),
    ("ident-7", {"A": 5e7, "B": 3e9}, "that is the turnover itself"),
])
def test_wrong_answers_get_a_diagnosis(key, answer, hint):
    result = crmlab.check(key, answer)
    assert not result.passed and hint in result.message, result.message


# ------------------------------------------------------------------ the Chinese edition
@pytest.mark.parametrize("key, answer, chinese", [
    ("ident-7", (50, 150), "百万元"), ("ident-7", {"A": 3e7, "B": 1.5e8}, "企业 A"),
    ("ident-6", "+86 154****1357", "+86"), ("ident-5", {"c1": "大中型", "c2": "E", "c3": "B"},
                                             "大中型"),
    ("ident-4", core._expected_answer("ident-4"), "现实客户"),
])
def test_the_moved_checks_still_speak_chinese(key, answer, chinese):
    """The strings moved with the checks to this module's catalog
    (ch01_identification_rules) and still translate."""
    crmlab.set_language("zh")
    message = crmlab.check(key, answer).message
    assert chinese in message and english_sentences(message) == [], message


# ------------------------------------------------------------------ the students' own numbers
@pytest.mark.parametrize("who", STUDENTS)
def test_every_variant_keeps_what_its_exercise_is_about(who):
    states = core._expected_answer("ident-4", who)
    assert len(states) == 5 and len(set(states.values())) >= 3
    hsbc = core._expected_answer("ident-5", who)
    assert {"B", "C"} & set(hsbc.values()) and len(set(hsbc.values())) == 3
    bank = core.case_data("ident_hsbc", who)
    assert hsbc == tiers.hsbc_tiers(bank)["tier"].to_dict()
    masked = core._expected_answer("ident-6", who)
    assert len(masked) == 11 and masked[3:7] == "****"
    firms = core.case_data("ident_pipl", who).set_index("firm")["previous_year_turnover_yuan"]
    assert firms.min() < 1e9 < firms.max()
    ceilings = core._expected_answer("ident-7", who)
    assert ceilings[firms.idxmin()] == 5e7 and ceilings[firms.idxmax()] == 0.05 * firms.max()
    for key in ("ident-4", "ident-6", "ident-7"):
        assert core._expected_answer(key, who) != core._expected_answer(key), key


def test_a_states_case_never_puts_a_customer_on_a_threshold():
    """No one sits within 3 days of lost_after or contact_window, so a reading of the
    rules off by a day (< for <=) cannot change a state."""
    for who in STUDENTS:
        c = core.case_data("ident_states", who)
        table = identify.customer_states(c["purchases"], c["people"], as_of=c["as_of"],
                                         lost_after=c["lost_after"],
                                         min_purchases=c["min_purchases"],
                                         contact_window=c["contact_window"])
        for column, limit in (("days_since_purchase", c["lost_after"]),
                              ("days_since_contact", c["contact_window"])):
            gaps = (table[column] - limit).abs().dropna()
            assert (gaps >= 3).all() and not np.isnan(limit), (who, column)
