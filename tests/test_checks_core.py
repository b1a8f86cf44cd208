"""crmlab.checks.core: every exercise has a passing answer, nothing raises, and each
student gets their own, valid, stable numbers that check grades."""

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import crmlab
from crmlab import checks, man, man_sensitivity
from crmlab.checks import ch02_man, core


@pytest.fixture
def banks():
    return crmlab.load_dataset("man_banks")


def correct_answers(banks):
    slide = man.score_bank_case(banks)
    leads = crmlab.load_dataset("b2b_leads_synthetic").set_index("lead_id")
    own = pd.DataFrame({"money": man.money_score(leads["it_budget_yi"], leads["profit_trend"]),
                        "authority": 5.0 - leads["approval_levels"],
                        "need": leads["need_urgency"].map({"urgent": 5, "planned": 4,
                                                           "exploring": 2, "none": 1})},
                       index=leads.index)
    scored = man.rank_prospects(own)
    panel = crmlab.defection.make_satisfaction_panel(**crmlab.exercise_data("sat-6"))
    defectors = panel.loc[panel["defected"] == 1, "csat"].value_counts()   # measured
    return {
        # identification: the chapter's own examples (no courseware numbers exist), checked
        # by other routes in tests/test_checks_identification.py
        "ident-1": "bdeac",
        "ident-2": {"a": "basic", "b": "behaviour", "c": "attitude", "d": "behaviour",
                    "e": "basic", "f": "attitude"},
        "ident-3": {"a": "direct", "b": "indirect", "c": "indirect", "d": "direct",
                    "e": "indirect", "f": "direct"},
        "ident-4": {"c1": "actual", "c2": "lost", "c3": "actual", "c4": "potential",
                    "c5": "non-customer"},
        "ident-5": {"c1": "C", "c2": "E", "c3": "B"},
        "ident-6": "154****1357",
        "ident-7": {"A": 50_000_000, "B": 150_000_000},
        "ident-8": (158, 0.8673),
        "ident-9": 12275,
        "ident-10": 0.1048,
        "man-1": {"A": 2.8, "B": 3.1, "C": 2.9, "D": 4.0, "E": 1.4},
        "man-2": 1.08,
        "man-3": 3.6,
        "man-4": (0.2, 0.3, 0.5),
        "man-5": scored,
        "man-6": int((man_sensitivity.winner_map(slide, steps=20)["winner"] == "B").sum()),
        "rfm-1": "433",
        "rfm-2": 10,
        "rfm-3": "no score",
        "rfm-4": "4|5",
        "rfm-5": {"A": 200, "B": 166.67},
        "rfm-6": 3.52,
        "rfm-7": 0.678,
        # CDNOW customer 1 scored by quintiles at the end of the data, and the share of
        # Champions at 1997-12-31: recomputed with rfm.rfm_table and segments.segment
        "rfm-8": "111",
        "rfm-9": 0.0966,
        # CLV: courseware F6 (5 and 10 years; 2 : 1), Gupta & Lehmann grid (4.09 at r 0.9,
        # i 0.12), seed 000 W11 (104-195 元; Pinduoduo), courseware quadrant diagram, and
        # Fader, Hardie & Lee (2005) E[X(39)] = 1.226
        "clv-1": {"1": 5, "2": 10},
        "clv-2": 2,
        "clv-3": 4.09,
        "clv-4": (104, 195),
        "clv-5": "拼多多",
        "clv-6": "维持型",
        "clv-7": 1.226,
        # Gamma-Gamma, CLV, sBG and holdout on CDNOW sample customer 1 and the cohorts:
        # recomputed by the models the chapter fits (published values in tests/test_btyd.py,
        # tests/test_gamma_gamma.py and tests/test_retention.py); customer 1's 12-month CLV
        # is lifetimes' 36.27
        "clv-8": 24.65,
        "clv-9": 36.27,
        "clv-10": 17.0,
        "clv-11": (1653.4, 1882),
        # satisfaction trap: the courseware's sign on 8 / 6, Reichheld (2003) NPS bands,
        # case collection case 2 read as 4-5, 9-10, 1/3, lifetimes 1/d (Reichheld & Sasser
        # 1990), the chapter's synthetic panel (its CSAT level with the most defectors and
        # their number, measured on the panel) and the ECSI survey's 11 of 67
        "sat-1": (2, -2),
        "sat-2": 0,
        "sat-3": ("indifference", "mercenary"),
        "sat-4": (0.2167, 2.11),
        "sat-5": (5, 10, 20),
        "sat-6": (int(defectors.idxmax()), int(defectors.max())),
        "sat-7": 0.1642,
    }


def test_every_registered_exercise_has_a_passing_answer(banks):
    answers = correct_answers(banks)
    assert set(answers) == set(checks.list_exercises()["exercise"])
    for key, answer in answers.items():
        result = crmlab.check(key, answer)
        assert result.passed, result.message
        assert repr(result).startswith("✓")


@pytest.mark.parametrize("answer", [
    None, ..., "three", "", [], {}, {"A": None}, object(), float("nan"), float("inf"), True,
    pd.DataFrame(), pd.DataFrame({"x": [1, 2]}), np.array([[1, 2], [3, 4]]), (1, 2), "0.2,0.3,0.5",
    pd.Series(dtype=float), lambda: 3,
])
@pytest.mark.parametrize("key", ["man-1", "man-2", "man-3", "man-4", "man-5", "man-6",
                                 "rfm-1", "rfm-2", "rfm-3", "rfm-4", "rfm-5", "rfm-6", "rfm-7"])
def test_any_input_gets_feedback_never_a_traceback(key, answer):
    result = crmlab.check(key, answer)
    # NaN is how score_by_rules says "no score", so for rfm-3 it is a right answer
    # and "0.2,0.3,0.5" is how a student may write man-4's weights
    right = ((key == "rfm-3" and isinstance(answer, float) and answer != answer)
             or (key == "rfm-3" and isinstance(answer, list) and answer == [])   # no scores
             or (key == "man-4" and isinstance(answer, str) and answer == "0.2,0.3,0.5"))
    assert isinstance(result, checks.Feedback) and result.passed == right
    assert result.message.startswith("✓" if right else ("?", "✗"))


def test_check_prints_its_feedback(capsys):
    result = crmlab.check("man-3", 4.0)
    assert capsys.readouterr().out == result.message + "\n"


def test_unknown_exercise_lists_the_known_ones():
    result = crmlab.check("man-99", 1)
    assert "man-1, man-2" in result.message and not result.passed


def test_expected_values_come_from_the_compute_functions(banks, monkeypatch):
    # If the courseware's data changed, the expected answer would follow it.
    altered = banks.drop(columns=ch02_man.ANSWER_COLUMNS)
    altered = altered.assign(need_doc=altered["need_doc"].where(altered["bank"] != "E", 2))
    monkeypatch.setitem(checks.variants._CACHE, ("man_firm", None),
                        {"banks": altered, "weights": dict(man.DEFAULT_WEIGHTS)})
    assert crmlab.check("man-2", 1.38).passed and not crmlab.check("man-2", 1.08).passed


def test_clv_expected_values_follow_the_data(monkeypatch):
    platform = crmlab.exercise_data("clv-4").assign(eff_mult_stated=2.0)
    monkeypatch.setitem(checks.variants._CACHE, ("platform_cac", None), platform)
    assert crmlab.check("clv-4", (160, 300)).passed and not crmlab.check("clv-4", (104, 195)).passed


# ------------------------------------------------------------------ student variants
@pytest.fixture(autouse=True)
def _no_student_afterwards():
    yield
    checks.variants._STUDENT[0] = None


IDS = ["2024000001", "alice"]


def test_variant_draws_are_pinned_golden_values():
    # The stability rule: sha256("crmlab-variant/v1/<case>/<student>/<attempt>/<n>") only.
    draw = core.Draw("demo", "alice")
    assert [draw.integer(1, 6) for _ in range(5)] == [1, 1, 5, 1, 2]
    banks = core.case_data("man_banks", "2024000001").set_index("bank")
    # attempt 0 ([41, 12, 64, 29, 11]) is rejected since man-6's tie rule must matter (B ties)
    assert banks["it_budget_yi"].tolist() == [26, 31, 62, 29, 16]
    assert banks.loc["D", "special_grant_yi"] == 5
    assert banks.loc[["A", "B"], "profit_change_pct"].tolist() == [5, -5]
    assert core.case_data("rfm_customer", "2024000001") == {
        "months": 0, "purchases": 20, "average_spend": 1150}
    assert core.case_data("two_firms", "alice")[["customers", "lost_per_year"]].values.tolist() \
        == [[160, 27], [350, 66]]
    assert core.case_data("cdnow_customer", "alice") == {
        "frequency": 1, "recency": 24.86, "T": 34.71, "horizon": 39}
    assert core.case_data("margin_multiple", "alice") == {"retention": 0.75, "discount": 0.07}


def test_no_id_gives_the_courseware_and_each_id_its_own_numbers():
    courseware = crmlab.exercise_data("man-1")["banks"]
    assert courseware["it_budget_yi"].tolist() == [30, 8, 50, 20, 12]
    assert crmlab.exercise_data("man-1")["weights"] == {"money": 0.4, "authority": 0.3,
                                                        "need": 0.3}
    assert "total_doc" not in courseware and "money_doc" not in courseware   # the answers
    crmlab.student(IDS[0])
    first = crmlab.exercise_data("man-1")["banks"]
    assert crmlab.exercise_data("man-6").equals(first)       # one firm for all six exercises
    crmlab.student(IDS[1])
    second = crmlab.exercise_data("man-1")["banks"]
    assert not first.equals(second) and not first.equals(courseware)
    crmlab.student(IDS[0])
    assert crmlab.exercise_data("man-1")["banks"].equals(first)


def test_exercise_data_is_a_copy_the_student_may_change():
    crmlab.student("carol")
    mine = crmlab.exercise_data("man-2")["banks"]
    mine["it_budget_yi"] = 999
    assert crmlab.exercise_data("man-2")["banks"]["it_budget_yi"].max() < 999


def _man_slide_totals(banks: pd.DataFrame, weights: dict) -> dict:
    """The slide's method recomputed with exact fractions, independently of crmlab.man."""
    from fractions import Fraction
    w = {k: Fraction(str(v)) for k, v in weights.items()}
    out = {}
    for row in banks.itertuples():
        budget = Fraction(int(row.it_budget_yi) + int(row.special_grant_yi))
        money = -(-budget.numerator // (10 * budget.denominator))      # ceil(budget / 10)
        money += {"up": 1, "flat": 0, "down": -1}[row.profit_trend_slide]
        money = min(max(money, 1), 5)
        out[row.bank] = float(w["money"] * money + w["authority"] * row.authority_doc
                              + w["need"] * row.need_doc)
    return out


@pytest.mark.parametrize("who", IDS)
def test_check_grades_each_student_against_their_own_numbers(who, capsys):
    crmlab.student(who)
    mine = crmlab.exercise_data("man-1")
    own = _man_slide_totals(mine["banks"], mine["weights"])
    result = crmlab.check("man-1", own)
    assert result.passed and result.student == who
    assert f"man-1 [student {who}]" in capsys.readouterr().out
    # the courseware's totals are wrong for this student
    assert not crmlab.check("man-1", {"A": 2.8, "B": 3.1, "C": 2.9, "D": 4.0, "E": 1.4}).passed
    other = IDS[1 - IDS.index(who)]
    checks.variants._STUDENT[0] = other
    assert not crmlab.check("man-1", own).passed          # a classmate's answer fails
    checks.variants._STUDENT[0] = who
    c = crmlab.exercise_data("clv-3")
    assert crmlab.check("clv-3", c["retention"] / (1 + c["discount"] - c["retention"])).passed
    beer = crmlab.exercise_data("rfm-6")
    assert crmlab.check("rfm-6", beer["consumption_share"] / beer["population_share"]).passed
    assert not crmlab.check("rfm-6", 81 / 23).passed


@pytest.mark.parametrize("who", [f"s{k:03d}" for k in range(20)])
def test_every_variant_keeps_the_property_its_exercise_is_about(who):
    banks = core.case_data("man_banks", who)
    slide = man.score_bank_case(banks)
    winners = man_sensitivity.winner_map(slide, steps=20)["winner"]
    assert 0 < (winners == "B").sum() < len(winners)               # man-4, man-6
    assert banks.set_index("bank").loc["E", "it_budget_yi"] % 10 != 0   # man-2
    assert man.score_bank_case(banks, slide_adjustments=False).loc["D", "total"] \
        < slide.loc["D", "total"]                                     # man-3
    for key in ("man-1", "man-2", "man-3", "man-6"):        # the lecture's answers do not fit
        assert checks.core._expected_answer(key, who) != checks.core._expected_answer(key)
    assert checks.core._expected_answer("man-2", who) not in (1.08, 1.4)      # printed above
    assert checks.core._expected_answer("man-3", who) not in (3.2, 3.6, 4.0)  # printed above
    customer = core.case_data("rfm_customer", who)
    rules = core.case_data("airline_rules", who)
    for dim, key in (("recency", "months"), ("frequency", "purchases"),
                     ("monetary", "average_spend")):
        assert crmlab.rfm.score_by_rules([customer[key]], rules, dimension=dim)["status"].iloc[0] \
            == "ok"
    firms = core.case_data("two_firms", who).set_index("firm")
    rates = firms["lost_per_year"] / firms["customers"]
    assert 0 < rates.min() and rates.max() < 1 and rates[1] != rates[2]
    cdnow = core.case_data("cdnow_customer", who)
    assert cdnow["frequency"] >= 1 and 0 < cdnow["recency"] <= cdnow["T"]
    q = core.case_data("quadrant", who)
    assert q["threshold"] not in (q["current_value"], q["future_value"])
    # every quadrant can be drawn; only the lecture's own case is excluded
    assert q != core.case_data("quadrant", None)
    assert 0 < core.case_data("top_share", who)["top"] < 1


@pytest.mark.parametrize("bad", ["", "   ", "a/b", "x" * 65, ["2024"], 3.5, True])
def test_student_answers_an_unusable_id_with_a_message_and_keeps_the_old_one(bad, capsys):
    assert crmlab.student(bad) is None
    assert capsys.readouterr().out.startswith("? crmlab.student: the id must")
    crmlab.student("dora")
    capsys.readouterr()
    assert crmlab.student(bad) == "dora"
    assert "The id in use is still dora." in capsys.readouterr().out


def test_student_accepts_numbers_and_shows_the_id(capsys):
    assert crmlab.student(2024123456) == "2024123456"
    assert "Student id 2024123456" in capsys.readouterr().out
    assert crmlab.current_student() == "2024123456"
    assert crmlab.student(...) is None and crmlab.current_student() is None


def test_exercise_data_names_an_unknown_exercise():
    with pytest.raises(ValueError, match="no exercise 'man-99'; known exercises: clv-1"):
        crmlab.exercise_data("man-99")


class _Unprintable:
    def __str__(self):
        raise RuntimeError("no str")

    __repr__ = __str__


def test_an_exercise_id_whose_str_raises_gets_feedback():
    result = crmlab.check(_Unprintable(), 1)
    assert not result.passed and "There is no exercise" in result.message


def test_list_exercises_is_at_top_level():
    table = crmlab.list_exercises()
    assert len(table) == 43 and table["variant"].sum() == 39
    assert set(table.loc[~table["variant"], "exercise"]) == {"man-5", "rfm-3", "rfm-4", "clv-5"}


def test_expected_answers_are_recomputed_for_each_student():
    assert checks.core._expected_answer("man-2") == pytest.approx(1.08)
    assert checks.core._expected_answer("clv-1") == {"1": 5.0, "2": 10.0}
    assert checks.core._expected_answer("man-5") is None                # open: the student's design
    assert checks.core._expected_answer("clv-5", "alice") == "Pinduoduo"  # about the slide: same
    mine = checks.core._expected_answer("clv-3", "alice")
    rates = core.case_data("margin_multiple", "alice")
    assert mine == pytest.approx(rates["retention"] / (1 + rates["discount"]
                                                       - rates["retention"]))


@pytest.mark.parametrize("key, answer", [("rfm-6", 3.5), ("clv-3", "4.1"), ("man-2", 1.1),
                                         ("clv-1", {"1": 5, "2": 10.0}), ("rfm-7", "68%")])
def test_a_rounded_right_answer_is_told_to_give_more_decimals(key, answer):
    result = crmlab.check(key, answer)
    if result.passed:                       # already within the exercise's own tolerance
        return
    assert "close: your answer agrees with the expected one" in result.message


def test_a_wrong_answer_is_not_called_close():
    assert "close:" not in crmlab.check("rfm-6", 3.4).message
    assert "close:" not in crmlab.check("clv-3", 4.0).message


# ------------------------------------------------------------------ the student id
def test_a_full_width_id_typed_in_a_chinese_input_method_is_the_same_id(capsys):
    assert crmlab.student("２０２３１１０４５７") == "2023110457"
    wide = crmlab.exercise_data("man-1")["banks"]
    assert crmlab.student("  2023110457\u3000") == "2023110457"
    assert crmlab.exercise_data("man-1")["banks"].equals(wide)
    assert checks.core._expected_answer("clv-3", "２０２３１１０４５７") == \
        checks.core._expected_answer("clv-3", "2023110457")


@pytest.mark.parametrize("copied, says", [("2024123456", "example id of the README"),
                                          ("学号", "placeholder"), (" 学号 ", "placeholder"),
                                          ("Student ID", "placeholder")])
def test_the_example_id_and_the_placeholder_are_taken_with_a_warning(copied, says, capsys):
    assert crmlab.student(copied) == copied.strip()
    out = capsys.readouterr().out
    assert "Warning:" in out and says in out
    # the example id is an id (with a warning); the placeholder is not, so no "Student id 学号"
    assert (f"Student id {copied.strip()}" in out) == (says != "placeholder"), out
    assert "your own numbers" not in out     # the README's id is nobody's own


def test_the_placeholder_is_not_greeted_as_an_id_in_chinese(capsys):
    crmlab.set_language("zh")
    try:
        crmlab.student("学号")
    finally:
        crmlab.set_language("en")
    out = capsys.readouterr().out
    assert "学号 学号" not in out and out.startswith("警告"), out


def test_an_own_id_gets_no_warning(capsys):
    crmlab.student("2023110457")
    assert "Warning" not in capsys.readouterr().out


def test_a_pass_without_an_id_says_it_used_the_courseware_numbers():
    # man-3's 3.6 is printed in the chapter: without an id, copying it passes, but says so
    result = crmlab.check("man-3", 3.6)
    assert result.passed and "no student id is set" in result.message
    assert 'crmlab.student("…")' in result.message
    crmlab.student("2023110457")
    mine = crmlab.check("man-3", checks.core._expected_answer("man-3", "2023110457"))
    assert mine.passed and "no student id" not in mine.message
    crmlab.student(None)
    # an exercise on the courseware's own slide is the same for everyone: nothing to add
    same = crmlab.check("rfm-3", "no score")
    assert same.passed and "no student id" not in same.message
    assert "no student id" not in crmlab.check("man-3", 4.0).message      # only on a pass


# ------------------------------------------------------------------ the answer readers
FULL_WIDTH = str.maketrans("0123456789.-%,:", "０１２３４５６７８９．－％，：")


@pytest.mark.parametrize("text, value", [
    ("４４４", 444), ("１.６３", 1.63), ("１．６３", 1.63), ("2.69年", 2.69), ("12分", 12),
    ("6.79倍", 6.79), ("133.33元", 133.33), ("US$36.27", 36.27), ("US$ 36.27", 36.27),
    ("$36.27", 36.27), ("¥1,000", 1000), ("￥1,000", 1000), ("36.27美元", 36.27),
    ("人民币133元", 133), ("68%", 0.68), ("６８％", 0.68), ("3次", 3), ("4个", 4), ("52周", 52),
    ("6个月", 6), ("6 月", 6), ("133.33元/次", 133.33), ("−0.5", -0.5), ("1。63", 1.63),
    ("1,234.5", 1234.5), ("2.5 years", 2.5), ("约2.69", 2.69),
])
def test_read_number_reads_what_students_write(text, value):
    assert core.read_number(text) == pytest.approx(value)


@pytest.mark.parametrize("answer", [np.array(3.6), np.float64(3.6), np.array([3.6]),
                                    pd.Series([3.6]), [3.6], "3.6"])
def test_a_single_number_in_any_container_is_read(answer):
    assert core.read_number(answer) == 3.6
    assert crmlab.check("man-3", answer).passed


@pytest.mark.parametrize("text", ["about one", "three", "", "nan", "inf", "1.2万", "元",
                                  "0.2,0.3,0.5", "2:1", "%"])
def test_read_number_refuses_what_is_not_one_number(text):
    with pytest.raises(core.Unreadable):
        core.read_number(text)


@given(whole=st.integers(0, 10**7), decimals=st.integers(0, 3), negative=st.booleans(),
       unit=st.sampled_from(["", "分", "元", "年", "倍", "次", "个", "周", "月", "美元", " 元",
                             "人民币", "个月", "%"]),
       currency=st.sampled_from(["", "$", "US$", "¥", "￥", "人民币"]),
       thousands=st.booleans(), wide=st.booleans(), spaces=st.booleans())
def test_read_number_reads_any_number_with_units_symbols_and_full_width_digits(
        whole, decimals, negative, unit, currency, thousands, wide, spaces):
    value = (-whole if negative else whole) / 10 ** decimals
    text = f"{value:{',' if thousands else ''}.{decimals}f}"
    if currency and unit not in ("%",) and not negative:
        text = currency + (" " if spaces else "") + text
    if unit:
        text += unit
    if wide:
        text = text.translate(FULL_WIDTH)
    if spaces:
        text = f"  {text}\u3000"
    expected = value / 100 if unit == "%" else value
    assert core.read_number(text) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("text, pair", [
    ("2:1", (2, 1)), ("2 : 1", (2, 1)), ("2：1", (2, 1)), ("2比1", (2, 1)),
    ("104-195", (104, 195)), ("104 - 195 元", (104, 195)), ("104～195元", (104, 195)),
    ("104 to 195", (104, 195)), ("104至195", (104, 195)), ("(104, 195)", (104, 195)),
    ("（104，195）", (104, 195)), ("１０４－１９５", (104, 195)), ("104 195", (104, 195)),
    ("1,653.4, 1882", (1653.4, 1882)), ("-5 - 3", (-5, 3)), ("-5 -3", (-5, -3)),
    ("US$104 - US$195", (104, 195)), ("20%-30%", (0.2, 0.3)),
])
def test_read_pair_reads_ranges_and_ratios(text, pair):
    assert core.read_pair(text, "low and high") == pytest.approx(pair)


@given(a=st.integers(-10**5, 10**5), b=st.integers(0, 10**5), decimals=st.integers(0, 2),
       sep=st.sampled_from([":", " : ", "：", "比", "~", "～", " to ", "至", "到", ", ", "，",
                            ";", " ", "-", " - ", "–"]),
       unit=st.sampled_from(["", "元", "年"]), wide=st.booleans())
def test_read_pair_reads_two_numbers_with_any_separator(a, b, decimals, sep, unit, wide):
    x, y = a / 10 ** decimals, b / 10 ** decimals
    text = f"{x:.{decimals}f}{unit}{sep}{y:.{decimals}f}{unit}"
    if wide:
        text = text.translate(FULL_WIDTH)
    assert core.read_pair(text, "low and high") == pytest.approx((x, y))


@pytest.mark.parametrize("answer, says", [
    ((None, None), "the first value is missing"), ((1, None), "the second value is missing"),
    (([1, 2], [3, 4]), "the first value ([1, 2]) is not a number"),
    ((1, "abc"), "the second value ('abc') is not a number"),
    (np.array(3.0), "give two numbers, low and high, e.g. (100, 200); got 3.0"),
    ([1, 2, 3], "got [1, 2, 3]"), ("a-b", "I could not read 'a-b' as two numbers"),
])
def test_read_pair_explains_what_it_could_not_read(answer, says):
    with pytest.raises(core.Unreadable, match=re.escape(says)):
        core.read_pair(answer, "low and high")


@pytest.mark.parametrize("key", ["1", 1, 1.0, np.int64(1), "１", "firm 1", "Firm 1", "firm_1",
                                 "firm1", "FIRM-1", "企业1", "公司1", "第1家", "企业一", "1号"])
def test_read_by_label_maps_words_around_a_label_to_the_label(key):
    assert core.read_by_label({key: "5年", "firm 2": 10}, ["1", "2"], "firm") == \
        {"1": 5.0, "2": 10.0}


@given(labels=st.sampled_from([list("ABCDE"), ["A", "B"], ["1", "2"]]), data=st.data())
def test_read_by_label_accepts_any_mix_of_label_words(labels, data):
    words = st.sampled_from(["", "bank ", "Bank ", "bank_", "firm ", "customer ", "client ",
                             "银行", "企业", "客户", "公司"])
    answer = {data.draw(words) + (x.lower() if data.draw(st.booleans()) else x): k + 0.5
              for k, x in enumerate(labels)}
    assert core.read_by_label(answer, labels, "label") == {x: k + 0.5 for k, x in
                                                           enumerate(labels)}


@pytest.mark.parametrize("answer", [
    {"1": 5, "2": 10}, pd.Series({"firm 1": 5, "firm 2": 10}), [5, 10], (5, 10),
    np.array([5, 10]), np.array([[5], [10]]), "5, 10", "1: 5, 2: 10", "firm 1 = 5年; firm 2 = 10年",
    [("firm 1", 5), ("firm 2", 10)], pd.DataFrame({"firm": [1, 2], "T": [5, 10]}),
    pd.DataFrame({"T": [5, 10]}, index=["1", "2"]), pd.DataFrame([[5, 10]], columns=["1", "2"]),
])
def test_read_by_label_reads_every_shape_of_a_labelled_answer(answer):
    assert core.read_by_label(answer, ["1", "2"], "firm") == {"1": 5.0, "2": 10.0}
    assert crmlab.check("clv-1", answer).passed


@pytest.mark.parametrize("answer, says", [
    ({"x": 1}, "I found no value for firm 1, 2, and I did not recognise the labels 'x'"),
    ({"1": 5}, "I found no value for firm 2; label each value with its firm"),
    ({"1": 5, "firm 1": 6, "2": 1}, "you gave firm 1 more than one value"),
    ({"1": "five", "2": 10}, "firm 1: I could not read 'five' as a number"),
    (np.array(5), "expected one number per firm (1, 2)"), ([1, 2, 3], "expected 2 values"),
    (pd.DataFrame({"a": [1, 2], "b": [3, 4], "c": [5, 6]}), "your table has columns 'a', 'b', 'c'"),
])
def test_read_by_label_explains_what_it_could_not_read(answer, says):
    with pytest.raises(core.Unreadable, match=re.escape(says)):
        core.read_by_label(answer, ["1", "2"], "firm")


JUNK = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
    | st.just(...) | st.just(np.array(2.0)),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.dictionaries(st.text(max_size=8) | st.integers(), inner, max_size=4),
    max_leaves=12)


@settings(max_examples=150, deadline=None)
@given(answer=JUNK)
def test_the_readers_answer_junk_with_a_short_reason_never_an_exception(answer):
    for read in (core.read_number, lambda a: core.read_pair(a, "low and high"),
                 lambda a: core.read_by_label(a, ["A", "B"], "bank")):
        try:
            read(answer)
        except core.Unreadable as err:
            assert "\n" not in str(err) and len(str(err)) < 400, str(err)


@settings(max_examples=60, deadline=None)
@given(answer=JUNK, key=st.sampled_from(["man-1", "man-3", "rfm-5", "clv-1", "clv-2", "clv-4",
                                          "clv-11"]))
def test_check_answers_junk_with_one_line_of_feedback(answer, key):
    result = crmlab.check(key, answer)
    assert result.message[0] in "✓✗?"
    first = result.message.splitlines()[0]
    assert len(first) < 600 and "Traceback" not in result.message
    assert not re.search(r"\b(TypeError|ValueError|KeyError|AttributeError|IndexError)\b",
                         result.message)


@pytest.mark.parametrize("answer", [pd.Series(np.arange(1000.0)),
                                    pd.DataFrame(np.zeros((500, 8))),
                                    np.arange(10000.0).reshape(100, 100), list(range(5000)),
                                    {f"k{i}": i for i in range(300)}, "x" * 5000])
@pytest.mark.parametrize("key", ["man-1", "man-3", "clv-4"])
def test_a_message_never_dumps_a_whole_table(answer, key):
    result = crmlab.check(key, answer)
    assert not result.passed and "\n" not in result.message and len(result.message) < 400


def test_describe_gives_type_shape_and_first_items():
    assert core.describe(pd.Series(np.arange(1000.0))) == \
        "a Series of 1000 values (0: 0.0, 1: 1.0, 2: 2.0, …)"
    assert core.describe(pd.DataFrame(np.zeros((500, 8)))) == \
        "a table of 500 rows × 8 columns (0, 1, 2, 3, …)"
    assert core.describe(np.zeros((3, 4))) == "an array of shape (3, 4) (0.0, 0.0, 0.0, …)"
    assert core.describe(list(range(100))) == "a list of 100 items (0, 1, 2, …)"
    assert core.describe(["x" * 50]) == "a list of 1 item ('" + "x" * 38 + "…)"
    assert core.describe("x" * 100) == "'" + "x" * 38 + "…"
    assert core.describe(np.array(2.5)) == "2.5"


def test_a_check_that_fails_inside_shows_no_exception_text(monkeypatch):
    def broken(answer, data):
        return {}["missing"]
    spec = core._EXERCISES["man-3"]
    monkeypatch.setitem(core._EXERCISES, "man-3", core._Exercise(
        spec.chapter, spec.prompt, broken, spec.case, spec.answer))
    result = crmlab.check("man-3", [1, 2])
    assert result.message == ("? man-3: I could not read this answer ([1, 2]). Give it in the "
                              "form the exercise asks for, as in the example under its question.")
    assert result.detail == "KeyError: 'missing'"      # for graders and developers


# ------------------------------------------------------------------ the Chinese edition
@pytest.fixture
def chinese():
    crmlab.set_language("zh")
    yield
    crmlab.set_language("en")


@pytest.mark.parametrize("call", [
    lambda: crmlab.check("no-such", 1), lambda: crmlab.check("man-3", ...),
    lambda: crmlab.check("man-3", "about one"), lambda: crmlab.check("man-3", [1, 2]),
    lambda: crmlab.check("clv-4", (None, None)), lambda: crmlab.check("clv-4", "a-b"),
    lambda: crmlab.check("man-1", pd.DataFrame(np.zeros((50, 5)))),
    lambda: crmlab.check("rfm-6", 3.5), lambda: crmlab.student("a/b"),
    lambda: crmlab.student(None), lambda: crmlab.student("2024123456"),
    lambda: crmlab.student("学号"), lambda: crmlab.student(3.5),
])
def test_the_shared_feedback_speaks_chinese(call, chinese, capsys):
    from strategies import english_sentences

    result = call()
    shown = capsys.readouterr().out
    assert re.search(r"[\u4e00-\u9fff]", shown), shown
    assert english_sentences(shown) == [], shown
    if isinstance(result, checks.Feedback):
        assert result.message + "\n" == shown


def test_the_note_without_an_id_is_chinese_in_the_chinese_edition(chinese):
    from strategies import english_sentences

    message = crmlab.check("man-3", 3.6).message
    note = message.splitlines()[1]
    assert "尚未设置学号" in note and english_sentences(note) == []


# ------------------------------------------------------------------ pairs read by their keys
NAMES = (("share", "比例", "unchanged"), ("ratio", "倍数", "wom_ratio"))


@pytest.mark.parametrize("answer", [
    {"share": 0.3, "ratio": 2}, {"ratio": 2, "share": 0.3}, {"倍数": 2, "比例": 0.3},
    {"Ratio": "2倍", "SHARE": "30%"}, {"unresolved_unchanged": 0.3, "wom_ratio": 2},
    pd.Series({"wom_ratio": 2.0, "unresolved_unchanged": 0.3, "boycott": 0.33, "reduce": 0.45}),
    {"ratio": 2, "x": 0.3}, "ratio: 2, share: 0.3", "倍数：2；比例：30%", (0.3, 2), "0.3, 2",
    pd.Series([0.3, 2.0]), {"a": 0.3, "b": 2},
])
def test_read_pair_reads_a_dict_by_its_keys_and_by_position_only_without_them(answer):
    assert core.read_pair(answer, "share and ratio", keys=NAMES) == pytest.approx((0.3, 2))


@given(order=st.booleans(), share_name=st.sampled_from(NAMES[0]),
       ratio_name=st.sampled_from(NAMES[1]), case=st.sampled_from([str.lower, str.upper,
                                                                  str.title]),
       series=st.booleans())
def test_read_pair_honours_any_names_in_any_order(order, share_name, ratio_name, case, series):
    items = [(case(share_name), 0.25), (case(ratio_name), 1.75)]
    answer = dict(items[::-1] if order else items)
    if series:
        answer = pd.Series(answer)
    assert core.read_pair(answer, "share and ratio", keys=NAMES) == (0.25, 1.75)


@pytest.mark.parametrize("answer, says", [
    ({"share": 0.3, "比例": 0.4}, "two of your keys name the same value (share)"),
    ({"share": 0.3, "x": 1, "y": 2}, "I found no value for ratio"),
])
def test_read_pair_says_what_is_wrong_with_the_keys(answer, says):
    with pytest.raises(core.Unreadable, match=re.escape(says)):
        core.read_pair(answer, "share and ratio", keys=NAMES)


def test_read_pair_without_keys_reads_a_dict_in_its_order_as_before():
    assert core.read_pair({"ratio": 2, "share": 0.3}, "two") == (2.0, 0.3)


# ------------------------------------------------------------------ one reader per kind
@pytest.mark.parametrize("text, value", [
    ("2", 2), ("2倍", 2), ("2x", 2), ("2 : 1", 2), ("2：1", 2), ("2比1", 2), ("4:2", 2),
    ("8/4", 2), ("8÷4", 2), ("80%:40%", 2), (2.0, 2), (np.float64(2.0), 2),
])
def test_read_ratio_reads_every_form_of_a_ratio(text, value):
    assert core.read_ratio(text) == pytest.approx(value)


@pytest.mark.parametrize("text, says", [("2:0", "0 below the line"), ("1:2:3", "one number"),
                                        ("two", "as a number")])
def test_read_ratio_explains_what_it_could_not_read(text, says):
    with pytest.raises(core.Unreadable, match=says):
        core.read_ratio(text)


@pytest.mark.parametrize("form", ["{a}:{b}", "{a} : {b}", "{a}：{b}", "{a}比{b}", "{a}/{b}"])
def test_chapters_3_and_4_read_a_ratio_the_same_way(form):
    """rfm-6 and clv-2 share one reader (core.read_ratio): what one accepts, so does the
    other."""
    beer = crmlab.exercise_data("rfm-6")
    assert crmlab.check("rfm-6", form.format(a=beer["consumption_share"],
                                             b=beer["population_share"])).passed
    firms = crmlab.exercise_data("clv-2").set_index("firm")
    loss = firms["lost_per_year"]                      # N·r_L = customers lost per year
    assert crmlab.check("clv-2", form.format(a=loss[1], b=loss[2])).passed


@pytest.mark.parametrize("answer", [
    {"A": 200, "B": 500 / 3}, {"customer A": 200, "customer B": 500 / 3},
    {"客户A": "200元", "顾客B": 166.67}, {"a": 200, "b": 166.667, "C": 5},
    pd.Series({"A": 200, "B": 500 / 3}), [200, 166.67], np.array([200, 166.67]),
    "A: 200, B: 166.67", pd.DataFrame({"customer": ["A", "B"], "ticket": [200, 500 / 3]}),
])
def test_rfm_5_reads_one_value_per_customer_with_the_shared_reader(answer):
    assert crmlab.check("rfm-5", answer).passed


@pytest.mark.parametrize("answer, says", [({"A": 200}, "no value for customer B"),
                                          ([1, 2, 3], "expected 2 values (A, B)")])
def test_rfm_5_says_what_is_missing(answer, says):
    result = crmlab.check("rfm-5", answer)
    assert result.message.startswith("? ") and says in result.message


# ------------------------------------------------------------------ diagnoses before "close"
def test_man_3_keeps_its_diagnosis_of_the_plus_one_when_the_total_rounds_to_the_answer():
    """Courseware: D's total is 3.6 without the +1 and 4.0 with it. "4" agrees with 3.6 to
    no decimals, but it is exactly the total that keeps the +1: that diagnosis is shown."""
    result = crmlab.check("man-3", 4)
    assert "still includes the +1" in result.message and "close:" not in result.message


@pytest.mark.parametrize("who", [None] + [f"s{k:03d}" for k in range(20)])
def test_a_diagnosed_slip_is_never_hidden_by_the_closeness_hint(who):
    """The total with the +1, written with as few decimals as it has, is diagnosed as such
    — also where it agrees with the expected total rounded to those decimals."""
    crmlab.student(who)
    firm = core.case_data("man_firm", who)
    with_plus_one = float(ch02_man._scored(firm).loc["D", "total"])
    answer = f"{round(with_plus_one, 6):g}"
    message = crmlab.check("man-3", answer).message
    assert "still includes the +1" in message, (answer, message)


def _fake_exercise(monkeypatch, grade, answer, keys=None):
    monkeypatch.setitem(core._EXERCISES, "fake-1", core._Exercise(
        "00_fake", "a fake exercise", grade, None, lambda data: answer, keys))


def test_the_closeness_hint_replaces_only_a_general_hint(monkeypatch):
    def grade(answer, data):
        got = core.read_number(answer)
        if core.close(got, 3.64):
            return True, "right"
        if core.close(got, 4.0):
            return False, "that keeps the +1"               # a diagnosis of 4
        return False, f"your total {got:g} does not match"  # general, with the number
    _fake_exercise(monkeypatch, grade, 3.64)
    assert crmlab.check("fake-1", 4).message.endswith("that keeps the +1")
    assert "close:" in crmlab.check("fake-1", 3.6).message
    assert "close:" in crmlab.check("fake-1", "3.6").message
    assert "does not match" in crmlab.check("fake-1", 3.5).message        # simply wrong


@pytest.mark.parametrize("answer", [("33%", "1.8"), "33%, 1.8倍", {"ratio": 1.8, "share": "33%"},
                                    np.array([0.33, 1.83]), pd.Series({"ratio": 1.8, "share": 0.33})])
def test_a_pair_rounded_too_early_is_close_in_any_shape(monkeypatch, answer):
    def grade(answer, data):
        a, b = core.read_pair(answer, "share and ratio", keys=NAMES)
        return core.close(a, 1 / 3, 1e-3) and core.close(b, 11 / 6, 1e-2), "not right"
    _fake_exercise(monkeypatch, grade, (1 / 3, 11 / 6), keys=NAMES)
    assert "close:" in crmlab.check("fake-1", answer).message


@given(value=st.floats(-1000, 1000, allow_nan=False), decimals=st.integers(0, 3))
def test_agrees_when_rounded_is_rounding_to_the_decimals_shown(value, decimals):
    shown = f"{value:.{decimals}f}"
    assert core.agrees_when_rounded(shown, value)
    assert not core.agrees_when_rounded(shown, value + 1.01 * 10 ** -decimals
                                        * (0.5 + (value != float(shown))))


# ------------------------------------------------------------------ hedged answers
def _hedged(expected: dict) -> dict:
    """Every item under one category, then the exceptions again under theirs: the later
    listing must not silently win."""
    first = next(iter(expected.values()))
    hedge = {first: list(expected)}
    for item, category in expected.items():
        if category != first:
            hedge.setdefault(category, []).append(item)
    return hedge


@pytest.mark.parametrize("key", ["ident-2", "ident-3", "ident-4"])
def test_an_item_listed_under_two_categories_is_not_passed(key):
    expected = dict(checks.core._expected_answer(key, "2025310457"))
    crmlab.student("2025310457")
    try:
        assert crmlab.check(key, expected).passed               # the honest answer passes
        hedge = _hedged(expected)
        result = crmlab.check(key, hedge)
        assert not result.passed and "more than one answer" in result.message
        text = "; ".join(f"{c}: {', '.join(items)}" for c, items in hedge.items())
        result = crmlab.check(key, text)
        assert not result.passed and "more than one answer" in result.message
    finally:
        crmlab.student(None)


def test_a_label_given_twice_in_text_is_refused():
    from crmlab.checks.readers import Unreadable, values_of_text
    assert values_of_text("A: 2.8, B: 3.1") == {"A": "2.8", "B": "3.1"}
    with pytest.raises(Unreadable, match="a more than one answer"):
        values_of_text("a: direct, a: indirect, b: direct")
