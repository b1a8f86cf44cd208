"""crmlab.checks.forms: shares in three forms, RFM codes, numbers with a unit word, one value,
the sentences of a message and the chapter-example hint — in both languages."""

import numpy as np
import pandas as pd
import pytest

from crmlab import i18n
from crmlab.checks import core, forms
from crmlab.checks.readers import Unreadable


@pytest.fixture
def chinese():
    i18n.set_language("zh")
    yield
    i18n.set_language("en")


@pytest.mark.parametrize("raw, share", [(0.2167, 0.2167), ("21.67%", 0.2167), (21.67, 0.2167),
                                        ("２１.６７％", 0.2167), (-35, -0.35), (1, 1.0),
                                        ("0.5", 0.5)])
def test_a_share_is_read_in_the_unit_it_is_written_in(raw, share):
    assert forms.read_share(raw) == pytest.approx(share)


@pytest.mark.parametrize("raw, want, rounded", [
    (21.7, 0.21667, True), ("21.7%", 0.21667, True), (0.217, 0.21667, True), (22, 0.21667, True),
    (21.6, 0.21667, False), (0.2167, 0.21667, False),     # four decimals: not "rounded"
    ("abc", 0.2, False)])
def test_a_share_rounded_too_early_is_recognised_in_its_own_unit(raw, want, rounded):
    assert forms.rounded_share(raw, want) is rounded


def test_one_value_unwraps_one_element_containers_only():
    assert forms.one_value([7]) == 7 and forms.one_value((7,)) == 7
    assert forms.one_value(pd.Series([0.5])) == 0.5 and forms.one_value(np.array([[3]])) == 3
    assert forms.one_value([1, 2]) == [1, 2] and forms.one_value("ab") == "ab"


def test_sentences_are_joined_with_a_space_in_english_only(chinese):
    assert forms.sentences("甲。", "乙。") == "甲。乙。"
    i18n.set_language("en")
    assert forms.sentences("One.", "Two.") == "One. Two."


def test_the_chapter_example_hint_names_the_example_in_both_languages(chinese):
    assert forms.chapter_example("X") == ("这是本章的示例（X），不是你的数据：请使用 "
                                          "crmlab.exercise_data 给出的你自己的数字。")
    i18n.set_language("en")
    assert forms.chapter_example("X").startswith("that is the chapter's example (X), not your")


@pytest.mark.parametrize("answer", ["433", "R4 F3 M3", "4-3-3", "４３３", 433, 433.0, (4, 3, 3),
                                    ["4", "3", "3分"], np.array([4, 3, 3]),
                                    {"R": 4, "F": 3, "M": 3}, {"m": 3, "recency": 4, "F得分": 3},
                                    pd.Series({"r_score": 4, "f_score": 3, "m_score": 3}),
                                    pd.DataFrame({"R": [4], "F": [3], "M": [3]}),
                                    "r=4, f=3, m=3"])
def test_an_rfm_code_is_read_in_any_natural_form(answer):
    assert forms.read_code(answer) == "433"


@pytest.mark.parametrize("answer, said", [
    ({"R": 4, "F": 3}, "请给出全部三个得分"), ({"R": 4, "F": 3, "X": 3}, "无法识别标签 'X'"),
    ((4, 3), "三位数字"), ((4, 3, 12), "三位数字"), (None, "三位数字"), (True, "三位数字"),
    ((4, 3, "many"), "无法把 'many' 读作一个数")])
def test_an_unreadable_code_says_what_to_write_in_chinese(chinese, answer, said):
    with pytest.raises(Unreadable) as err:
        forms.read_code(answer)
    assert said in str(err.value)


def test_a_wrong_code_names_its_wrong_letters_in_each_language(chinese):
    assert forms.wrong_letters("135", "435") == "R"
    assert forms.wrong_letters("111", "435") == "R、F、M"
    i18n.set_language("en")
    assert forms.wrong_letters("111", "435") == "R, F, M"


@pytest.mark.parametrize("answer, value", [("2500元", 2500), ("2,500 Yuan", 2500), ("$36.27", 36.27),
                                           ("4 points", 4), ("3次", 3), ("2.11倍", 2.11),
                                           ("12.5.", 12.5), ("1 000", 1000), (np.int64(3), 3)])
def test_an_amount_is_read_without_its_unit_word(answer, value):
    assert forms.read_amount(answer) == pytest.approx(value)


def test_an_unreadable_amount_shows_the_answer_and_an_example():
    with pytest.raises(Unreadable, match=r"I could not read 'lots' as a number.*e\.g\. 2\.5"):
        forms.read_amount("lots")
    assert len(forms.shown("x" * 200)) == 60


def test_the_core_re_exports_every_form():
    assert {name for name in forms.__all__ if getattr(core, name, None) is not
            getattr(forms, name)} == set()
