"""crmlab.checks.ch05_satisfaction: the measures (sat-1 … sat-5) accept the forms students
write and give pointed hints; and, for the whole chapter (sat-1 … sat-8, both check
modules), answers never raise, each student gets a valid variant of their own, and both
editions name the same numbers. sat-6 … sat-8 alone: tests/test_checks_satisfaction_data.py.

Panel numbers are never pasted in: another module owns the panel's mechanism, so every
expected number of sat-6 is measured on the panel the test makes."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from satisfaction_cases import no_student  # noqa: F401  (the autouse fixture)
from satisfaction_cases import IDS, SHARE_FORMS, mine, panel_answer, quiet, written

import crmlab
from crmlab import checks, satisfaction
from crmlab.checks import ch05_satisfaction as ch05
from crmlab.checks import ch05_satisfaction_data as ch05_data
from crmlab.checks import core

KEYS = [f"sat-{k}" for k in range(1, 8)]


# ------------------------------------------------------------------ the chapter's numbers
def test_the_chapter_numbers_are_the_expected_answers_without_an_id():
    """Courseware sign flaw on 8 / 6; NPS of [10, 9, 8, 7, 6, 0] = 0 (Reichheld 2003 bands);
    Coca-Cola under the readings 4–5, 9–10, 1/3 (case collection, case 2); 5, 10 and 20 years
    at 20%, 10% and 5% (Reichheld & Sasser 1990); the chapter's panel (measured); ECSI 11 of
    67 (recomputed)."""
    assert checks.core._expected_answer("sat-1") == (2.0, -2.0)
    assert checks.core._expected_answer("sat-2") == 0.0
    assert checks.core._expected_answer("sat-3") == {"zone": "indifference", "type": "mercenary"}
    share, ratio = checks.core._expected_answer("sat-4")
    assert round(share, 4) == 0.2167 and round(ratio, 2) == 2.11
    assert checks.core._expected_answer("sat-5") == (5.0, 10.0, 20.0)
    assert checks.core._expected_answer("sat-6") == panel_answer(crmlab.exercise_data("sat-6"))
    assert checks.core._expected_answer("sat-7") == pytest.approx(11 / 67, abs=1e-6)


# ------------------------------------------------------------------ right answers in any form
@pytest.mark.parametrize("key, answer", [
    ("sat-1", (2, -2)), ("sat-1", "2, -2"), ("sat-1", {"courseware": 2, "consistent": -2}),
    ("sat-1", {"consistent": -2, "courseware": 2}), ("sat-1", {"一致": -2, "课件": 2}),
    ("sat-1", pd.Series({"satisfaction": -2, "courseware_formula": 2})),
    ("sat-1", "consistent: -2, courseware: 2"), ("sat-1", "一致：-2；课件：2"),
    ("sat-2", 0), ("sat-2", "0 points"), ("sat-2", "0%"), ("sat-2", [0.0]),
    ("sat-3", ("indifference", "mercenary")), ("sat-3", "冷漠区, 唯利是图者"),
    ("sat-3", {"zone": "zone of indifference", "type": "Mercenary"}),
    ("sat-3", ["唯利是图者", "冷漠区"]), ("sat-3", ("冷漠区", "雇佣军")), ("sat-3", "无差异区, 图利者"),
    ("sat-4", (0.216667, 2.1111)), ("sat-4", "21.67%, 2.11倍"), ("sat-4", (21.67, 2.11)),
    ("sat-4", {"ratio": 2.1111, "share": 0.216667}), ("sat-4", {"倍数": "2.11倍", "比例": "21.67%"}),
    ("sat-4", pd.Series({"unresolved_unchanged": 0.216667, "wom_ratio": 2.1111})),
    ("sat-4", satisfaction.complaint_outcomes()),
    ("sat-5", [5, 10, 20]), ("sat-5", "5年, 10年, 20年"), ("sat-5", {0.2: 5, 0.1: 10, 0.05: 20}),
    ("sat-5", {"20%": 5, "10%": 10, "5%": 20}), ("sat-5", np.array([5.0, 10.0, 20.0])),
    ("sat-5", 1 / pd.Series([0.2, 0.1, 0.05])), ("sat-5", {0: 5, 1: 10, 2: 20}),
    ("sat-5", {1: 5, 2: 10, 3: 20}),
    ("sat-7", 11 / 67), ("sat-7", "16.42%"), ("sat-7", 16.42), ("sat-7", [0.1642]),
])
def test_other_shapes_of_the_right_answer(key, answer):
    result = quiet(key, answer)
    assert result.passed, result.message


# ------------------------------------------------------------------ one wrong method, one hint
@pytest.mark.parametrize("key, answer, hint", [
    ("sat-1", (-2, 2), "swapped"),
    ("sat-1", {"consistent": 2, "courseware": -2}, "swapped"),
    ("sat-1", (2, 2), "sign that says so"),
    ("sat-1", (-2, -2), "the size is right"),
    ("sat-4", (2.1111, 0.216667), "swapped"),
    ("sat-4", {"share": 2.1111, "ratio": 0.216667}, "swapped"),
    ("sat-4", (1 - 1 / 3, 2.1111), "only one group"),
    ("sat-4", (1 / 3 + 0.45, 2.1111), "the share who changed"),
    ("sat-4", (0.216667, 4.5 / 9.5), "upside down"),
    ("sat-4", (0.216667, 5), "a difference of the two numbers"),
    ("sat-4", (0.216667, 3.0), "the share is right; check the ratio"),
    ("sat-4", (0.5, 2.1111), "the ratio is right; check the share"),
    ("sat-5", [1.25, 1 / 0.9, 1 / 0.95], "retention rate"),
    ("sat-5", [4, 9, 19], "years after the first"),
    ("sat-5", [60, 120, 240], "those are months"),
    ("sat-5", [20, 10, 5], "wrong order"),
    ("sat-5", [0.2, 0.1, 0.05], "rates themselves"),
    ("sat-7", 11, "that is a count"),
    ("sat-7", 1 - 11 / 67, "loyal share"),
    ("sat-7", 11 / 250, "share of all respondents"),
])
def test_wrong_answers_get_a_hint(key, answer, hint):
    result = quiet(key, answer)
    assert not result.passed and hint in result.message, result.message


@pytest.mark.parametrize("who", IDS)
def test_sat_2_diagnoses_each_slip_on_a_students_own_answers(who):
    """Each slip is named — unless another slip (checked first) gives the same NPS to the
    whole point, when that one is named: one number cannot tell them apart."""
    crmlab.student(who)
    s = pd.Series(crmlab.exercise_data("sat-2"))
    pct = lambda mask: 100 * float(mask.mean())            # noqa: E731
    slips = [("difference of counts", int((s >= 9).sum() - (s <= 6).sum())),
             ("the mean answer", float(s.mean())),
             ("7s and 8s as promoters", pct(s >= 7) - pct(s <= 6)),
             ("check the bands", pct(s >= 8) - pct(s <= 6)),
             ("check the bands", pct(s >= 9) - pct(s <= 7)),
             ("check the bands", pct(s >= 9) - pct(s <= 5)),
             ("check the bands", pct(s >= 10) - pct(s <= 6)),
             ("sign is reversed", pct(s <= 6) - pct(s >= 9)),
             ("share of promoters alone", pct(s >= 9)),
             ("share of detractors alone", pct(s <= 6))]
    ecsi = satisfaction.net_promoter_score(crmlab.load_dataset("ecsi_mobi")["CUSL3"])["nps"]
    slips += [("the chapter's example", ecsi), ("the chapter's example", 0)]
    for k, (hint, answer) in enumerate(slips):
        if any(abs(answer - earlier) <= 0.5 for _h, earlier in slips[:k]):
            continue
        message = quiet("sat-2", answer).message
        assert hint in message, (hint, answer, message)


@pytest.mark.parametrize("who", IDS)
def test_the_chapters_own_numbers_are_named_as_the_chapters_example(who):
    crmlab.student(who)
    own = checks.core._expected_answer("sat-1", who)
    for answer in [(-3, 3), (3, -3), (2, -2), (-2, 2)]:       # section 1's two customers
        result = quiet("sat-1", answer)
        if answer == own:
            assert result.passed           # (3, -3) or (-2, 2): on the page only swapped
        elif answer == own[::-1]:
            assert "swapped" in result.message
        else:
            assert "chapter's example (customer" in result.message, (answer, result.message)
    for answer in [(0.216667, 2.1111), (0.42, 2.1111), ("21.67%", "2.11倍")]:
        assert "chapter's example" in quiet("sat-4", answer).message, answer
    message = quiet("sat-7", 11 / 67).message    # section 6's; for some ids also "> 8"
    assert "chapter's example" in message or "counts as highly satisfied" in message, message
    assert "chapter's example" in quiet("sat-6", panel_answer(ch05_data._panel_lecture())).message


def test_sat_3_accepts_the_textbook_names_and_explains_a_satisfied_mercenary():
    crmlab.student("2023110457")
    expected = checks.core._expected_answer("sat-3", "2023110457")
    assert expected == {"zone": "affection", "type": "mercenary"}     # satisfaction 5, 15%
    for answer in [("affection", "mercenary"), ("喜爱区", "雇佣军"), "亲和区, 图利者",
                   ("情感区", "唯利是图者")]:
        result = quiet("sat-3", answer)
        assert result.passed and "can still be a mercenary" in result.message, answer
    assert "chapter's assumed cut-offs" in quiet("sat-3", ("affection", "mercenary")).message
    assert "叛离区" in ch05._aliases(ch05.ZONE_TERMS) and "背叛区" in ch05._aliases(ch05.ZONE_TERMS)
    assert "at or above" in quiet("sat-3", ("affection", "loyalist")).message


def test_sat_5_says_nothing_about_halving_when_the_rates_do_not_halve():
    crmlab.student("2023110457")
    rates = crmlab.exercise_data("sat-5")["rates"]
    result = quiet("sat-5", 1 / pd.Series(rates))
    assert result.passed and "halv" not in result.message
    assert f"{max(rates) / min(rates):.2f} times as long" in result.message


# ------------------------------------------------------------------ the share/percent rule


@settings(max_examples=60, deadline=None)
@given(who=st.sampled_from(IDS), form=SHARE_FORMS, ratio_decimals=st.integers(1, 3))
def test_sat_4_takes_the_share_in_each_form_and_calls_a_rounded_pair_close(who, form,
                                                                          ratio_decimals):
    crmlab.student(who)
    share, ratio = checks.core._expected_answer("sat-4", who)
    exact = (written(share, form, 4 if form == "share" else 2), round(ratio, 3))
    assert quiet("sat-4", exact).passed, exact
    for pair in [(written(share, form, 1 if form == "share" else 0), round(ratio, 3)),
                 (written(share, form, 4 if form == "share" else 2), round(ratio, 1))]:
        result = quiet("sat-4", pair)
        if not result.passed:
            assert "close:" in result.message, (pair, result.message)
    keyed = {"ratio": round(ratio, 1), "share": written(share, form, 1 if form == "share" else 0)}
    result = quiet("sat-4", keyed)
    assert result.passed or "close:" in result.message, (keyed, result.message)


@settings(max_examples=80, deadline=None)
@given(who=st.sampled_from(IDS), offset=st.floats(-0.5, 0.5),
       form=st.sampled_from(["points", "whole", "percent text", "share"]))
def test_sat_2_is_right_to_the_nearest_whole_point_in_every_form(who, offset, form):
    """The rule: NPS within half a point is right — 22, 21.7, '21.7%' and 0.217 alike."""
    crmlab.student(who)
    nps = checks.core._expected_answer("sat-2", who)
    value = nps + offset
    answer = {"points": round(value, 2), "whole": math.floor(nps + 0.5),
              "percent text": f"{value:.1f}%", "share": round(value / 100, 4)}[form]
    if abs(core.read_number(answer) * (100 if form != "points" and form != "whole" else 1)
           - nps) <= 0.5:
        assert quiet("sat-2", answer).passed, (answer, nps)


@settings(max_examples=60, deadline=None)
@given(who=st.sampled_from(IDS), offset=st.floats(0.6, 0.99), sign=st.sampled_from([-1, 1]))
def test_sat_2_more_than_half_a_point_off_is_wrong(who, offset, sign):
    crmlab.student(who)
    nps = checks.core._expected_answer("sat-2", who)
    assert not quiet("sat-2", round(nps + sign * offset, 2)).passed


def test_sat_2_a_share_rounded_too_early_is_close():
    crmlab.student("alice")
    nps = checks.core._expected_answer("sat-2", "alice")
    rough = round(nps / 100, 1)
    if abs(100 * rough - nps) > 0.5:
        assert "close:" in quiet("sat-2", rough).message


@given(order=st.booleans(), first=st.sampled_from(ch05.GAP_KEYS[0]),
       second=st.sampled_from(ch05.GAP_KEYS[1]))
def test_sat_1_reads_any_of_its_key_names_in_any_order(order, first, second):
    items = [(first, 2), (second, -2)]
    assert quiet("sat-1", dict(items[::-1] if order else items)).passed


# ------------------------------------------------------------------ sat-6 discriminates


# ------------------------------------------------------------------ sat-8, any input, variants


@pytest.mark.parametrize("answer", ["Amazon", "five", [1, 2, 3], None, ..., {"x": 1}, [],
                                    float("nan"), pd.DataFrame(), object(), "",
                                    ("zone", "type"), {"share": 1, "比例": 2}, (None, 3)])
@pytest.mark.parametrize("key", KEYS + ["sat-8"])
def test_unreadable_answers_never_raise(key, answer):
    result = quiet(key, answer)
    assert isinstance(result, checks.Feedback) and result.message[0] in "?✗ℹ"
    assert result.detail is None, result.detail           # read, not crashed


@pytest.mark.parametrize("who", IDS)
def test_every_variant_is_valid_and_not_the_lecture(who):
    gap = mine("sat-1", who)
    assert gap["expectation"] != gap["experience"]
    assert gap["expectation"] - gap["experience"] not in (2, -3)     # section 1's customers
    scores = mine("sat-2", who)
    assert 12 <= len(scores) and all(0 <= s <= 10 for s in scores)
    nps = checks.core._expected_answer("sat-2", who)
    s = pd.Series(scores)
    pct = lambda mask: 100 * float(mask.mean())            # noqa: E731
    for slip in (pct(s >= 7) - pct(s <= 6), pct(s >= 9), s.mean(), 0, 14):
        assert abs(slip - nps) > 1                          # the whole-point rule tells them apart
    assert checks.core._expected_answer("sat-3", who) != checks.core._expected_answer("sat-3")
    coke = mine("sat-4", who)
    assert coke["boycott"] + coke["reduce"] <= 0.95
    assert checks.core._expected_answer("sat-4", who) != checks.core._expected_answer("sat-4")
    rates = mine("sat-5", who)["rates"]
    assert len(set(rates)) == 3 and rates == sorted(rates, reverse=True)
    assert checks.core._expected_answer("sat-5", who) != (5.0, 10.0, 20.0)
    share = checks.core._expected_answer("sat-7", who)
    assert share != checks.core._expected_answer("sat-7") and 0.02 <= share <= 0.98


@pytest.mark.parametrize("who", ["2024000001", "alice"])
def test_each_student_is_graded_on_their_own_numbers(who):
    crmlab.student(who)
    scores = crmlab.exercise_data("sat-2")
    assert quiet("sat-2", satisfaction.net_promoter_score(scores)["nps"]).passed
    result = quiet("sat-6", panel_answer(crmlab.exercise_data("sat-6")))
    assert result.passed and f"[student {who}]" in result.message
    assert "8 or more" in result.message                       # §7's "satisfied"
    assert not quiet("sat-7", 11 / 67).passed           # the lecture's share is not theirs
    items = crmlab.exercise_data("sat-7")
    mobi = crmlab.load_dataset("ecsi_mobi")
    happy = mobi[mobi[items["satisfaction"]] >= items["satisfied_from"]]
    assert quiet("sat-7", (happy[items["loyalty"]] < items["loyal_from"]).mean()).passed


def test_feedback_speaks_chinese_in_the_chinese_edition():
    from strategies import english_sentences

    crmlab.set_language("zh")
    try:
        assert "冷漠区" in quiet("sat-3", ("冷漠区", "唯利是图者")).message
        assert "顺序颠倒" in quiet("sat-1", (-2, 2)).message
        for key, answer in [("sat-8", "x"), ("sat-2", 14), ("sat-4", (33, 2.1)),
                            ("sat-6", (1, 1))]:
            message = quiet(key, answer).message
            assert english_sentences(message) == [], message
    finally:
        crmlab.set_language("en")


def _numbers(text):
    """The numbers of a message as tests/test_course_editions.py reads them."""
    import re
    return sorted(re.findall(r"-?\d[\d,]*\.?\d*", text))


#: Numbers the chapter shows, one per exercise (sat-6: the panel of section 7, measured).
PAGE = {"sat-1": (-3, 3), "sat-2": 14, "sat-3": ("情感区", "人质"), "sat-4": (0.42, 2.1111),
        "sat-5": (5, 10, 20), "sat-6": (7, 100), "sat-7": 11 / 67}


@pytest.mark.parametrize("who", [None, "alice", "2023110457"])
def test_feedback_names_the_same_numbers_in_both_languages(who):
    """The two editions print the same numbers (the editions test compares them)."""
    crmlab.student(who)
    for key in KEYS:
        right = checks.core._expected_answer(key, who)
        answers = [right, "???", PAGE[key]]
        if isinstance(right, tuple):
            answers += [right[::-1], tuple(round(1.37 * v + 1, 2) for v in right)]
        elif isinstance(right, float):
            answers += [round(1.37 * right + 1, 2), round(right, 1)]
        for answer in answers:
            shown = {}
            for language in ("en", "zh"):
                crmlab.set_language(language)
                try:
                    shown[language] = _numbers(quiet(key, answer).message)
                finally:
                    crmlab.set_language("en")
            assert shown["en"] == shown["zh"], (key, answer, shown)
