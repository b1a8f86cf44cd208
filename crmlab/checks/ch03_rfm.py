"""Exercise checks of chapter 3, RFM: the airline table (rfm-1 … rfm-4), and their cases.

Cases: ``rfm_customer`` (one customer to score with the airline table, lectures 2–4,
ch. 4 §4.2.3; a variant lands in no gap or overlap of the literal table, on no recency
bound of it — 1, 3, 6 or 12 months, whose reading the chapter calls ambiguous — and has
a code whose reversal differs from it, so that a reversed order is caught) and
``airline_rules`` (the table itself: the exercises on its flaws are the same for
everyone).

The exercises on data (rfm-5 … rfm-9: customers A and B, the 80/20 rule, CDNOW) are
:mod:`crmlab.checks.ch03_rfm_data`; like every chapter module, each imports only the
checks core, which reads an RFM code (:func:`crmlab.checks.forms.read_code`). Every
sentence a student reads is English inside ``_()``, translated by the catalog
``ch03_rfm``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .. import rfm
from ..datasets import load_dataset
from ..i18n import N_, gettext as _
from .core import (Unreadable, case, exercise, read_amount, read_code, shown, student_text,
                   three_digits, wrong_letters)

DIMENSIONS = ("recency", "frequency", "monetary")
#: The case keys of a ``rfm_customer`` in the order R, F, M.
_KEYS = ("months", "purchases", "average_spend")


def _courseware_rules() -> pd.DataFrame:
    rules = load_dataset("airline_rfm_rules")
    return rules[rules["version"] == "courseware"]


def _literal(dimension: str, value: float) -> pd.Series:
    return rfm.score_by_rules([value], _courseware_rules(), dimension=dimension).iloc[0]


def _scores(customer: dict) -> list[float]:
    """Literal R, F, M scores of a customer of case ``rfm_customer``."""
    return [_literal(d, customer[k])["score"] for d, k in zip(DIMENSIONS, _KEYS)]


def _recency_bounds() -> set[float]:
    rules = _courseware_rules()
    rows = rules[rules["dimension"] == "recency"]
    return {float(b) for b in pd.concat([rows["lower"], rows["upper"]]).dropna() if b > 0}


def _customer_valid(customer: dict) -> bool:
    if not all(_literal(d, customer[k])["status"] == "ok" for d, k in zip(DIMENSIONS, _KEYS)):
        return False
    if float(customer["months"]) in _recency_bounds():
        return False            # 1, 3, 6 or 12 months: the reading the chapter calls ambiguous
    code = _code(customer)
    return code != code[::-1]   # a reversed order must be detectable


@case("rfm_customer", valid=_customer_valid)
def _customer_case(draw) -> dict:
    if draw is None:
        return {"months": 2, "purchases": 8, "average_spend": 2500}
    return {"months": draw.integer(0, 18), "purchases": draw.integer(1, 40),
            "average_spend": draw.integer(2, 160) * 50}


@case("airline_rules", varies=False)
def _rules_case(draw) -> pd.DataFrame:
    return _courseware_rules().reset_index(drop=True)


# ------------------------------------------------------------------ reading a score answer
_NO_SCORE = {"no score", "none", "gap", "no", "nan", "none of them", "no f score",
             "no m score", "n/a", "na", "null", "0 scores", "no scores", "nothing",
             "no rule", "no row", "not scored", "unscored", "cannot score", "can't score",
             "cannot be scored", "can't be scored", "no valid score", "undefined",
             "无", "没有", "无得分", "无分数", "没有评分", "不得分", "没有分数", "无评分", "没有得分",
             "无法评分", "无法打分", "不能评分", "不能打分", "没法评分", "无从评分", "无分", "没有分",
             "无对应得分", "没有对应得分", "无对应分数", "没有对应分数", "得不到分数", "无法得分",
             "空", "无结果", "不适用", "漏洞", "缺口"}
_TWO_SCORES = {"two scores", "two", "both", "2 scores", "two rows", "two scores apply",
               "两个分数", "两个得分", "两个评分", "两个", "两个分", "两种得分", "两种分数",
               "同时两个分数", "重叠", "overlap", "两个都有"}
#: Words and marks around the scores of an answer such as "4分或5分" or "scores 4 and 5".
_FILLER = re.compile(r"两个分数|两个得分|两个评分|两个|得分|分数|评分|分别|是|为|分|或者|或|和|及|与|"
                     r"\b(?:the|scores?|points?|two|both|either|or|and|gets?|it|f|m)\b|"
                     r"[\s,，/、|;；:：+&()（）\[\]]")


def _score_answer(answer) -> str:
    """Read an answer about one cell of the table: one score ("4"), several ("4|5"),
    "no score", or "two scores" (two, without saying which)."""
    if answer is None or isinstance(answer, (bool, np.bool_)):
        raise Unreadable(_kind_of_score())
    if isinstance(answer, (float, np.floating)) and math.isnan(answer):
        return "no score"
    if isinstance(answer, (pd.Series, pd.Index, np.ndarray, Sequence, set, frozenset)) \
            and not isinstance(answer, str):
        items = list(answer)
        if not items and isinstance(answer, (pd.Series, pd.Index)):
            raise Unreadable(_kind_of_score())      # an empty selection, not an answer
        if not items:
            return "no score"
        empty = [x is None or (isinstance(x, (float, np.floating)) and math.isnan(x))
                 for x in items]
        if all(empty) and not any(x is None for x in items):
            return "no score"           # NaN is how score_by_rules says "no score"
        if any(empty):
            raise Unreadable(_("your answer holds an empty value ({answer}). If the table "
                               "gives no score, write 'no score'; if it gives scores, list "
                               "them, e.g. (1, 2).").format(answer=shown(answer)))
        return "|".join(sorted({_score_answer(x) for x in items}, key=_score_order))
    if isinstance(answer, str):
        text = student_text(answer)
        if text in _NO_SCORE:
            return "no score"
        if text in _TWO_SCORES:
            return "two scores"
        numbers = re.findall(r"\d+(?:\.\d+)?", text)
        rest = _FILLER.sub("", re.sub(r"\d+(?:\.\d+)?", " ", text)).strip()
        if numbers and not rest:
            return "|".join(sorted({f"{float(n):g}" for n in numbers}, key=_score_order))
        raise Unreadable(_kind_of_score())
    if isinstance(answer, (int, float, np.integer, np.floating)):
        if not math.isfinite(float(answer)):
            raise Unreadable(_kind_of_score())
        return f"{float(answer):g}"
    raise Unreadable(_kind_of_score())


def _score_order(text: str):
    try:
        return (0, float(text))
    except ValueError:
        return (1, 0.0)


def _kind_of_score() -> str:
    return _("answer with a score (e.g. 3), several scores (e.g. '1 and 2') or 'no score'.")


# ------------------------------------------------------------------ rfm-1, rfm-2
def _code(customer) -> str:
    return "".join(f"{score:.0f}" for score in _scores(customer))


@exercise("rfm-1", chapter="03_rfm", case="rfm_customer", answer=_code,
          prompt=N_("RFM code (R, F, M digits) of a customer, by the literal airline table."))
def _rfm_1(answer, customer):
    expected = _code(customer)
    got = read_code(answer)
    if got == expected:
        return True, _("correct: {code} (R, F, M side by side).").format(code=expected)
    if len(got) != 3 or not got.isdigit():
        raise Unreadable(three_digits())
    if got == expected[::-1]:
        return False, _("the digits are in the wrong order: R first, then F, then M.")
    return False, _("check the {letters} score(s) against the table's rows.").format(
        letters=wrong_letters(got, expected))


@exercise("rfm-2", chapter="03_rfm", case="rfm_customer",
          answer=lambda c: int(sum(_scores(c))),
          prompt=N_("The RFM sum (3–15) of the same customer."))
def _rfm_2(answer, customer):
    got = read_amount(answer)
    scores = _scores(customer)
    expected = sum(scores)
    if got == expected:
        return True, _("correct: {total:.0f} (the sum is a convention, not the "
                       "courseware's).").format(total=expected)
    if got == int("".join(f"{x:.0f}" for x in scores)):
        return False, _("that is the code; the sum adds the three scores.")
    return False, _("add the three scores R + F + M.")


# ------------------------------------------------------------------ rfm-3, rfm-4
@exercise("rfm-3", chapter="03_rfm", case="airline_rules", answer=lambda rules: "no score",
          prompt=N_("F score of exactly 24 purchases (literal table)."))
def _rfm_3(answer, rules):
    row = rfm.score_by_rules([24], rules, dimension="frequency").iloc[0]
    got = _score_answer(answer)
    if got == "no score" and row["status"] == "no score":
        return True, _("right: 11~23 stops at 23 and 多于24次 starts above 24: 24 falls "
                       "through.")
    if got == "two scores" or "|" in got:
        return False, _("two scores would need two rows that both contain 24: read the "
                        "bounds of the neighbouring rows exactly. Do they contain it at all?")
    if got in {"4", "5"}:
        return False, _("read the bounds exactly: does '{score}' include 24?").format(score=got)
    return False, _("compare 24 with both neighbouring rows of the frequency line.")


@exercise("rfm-4", chapter="03_rfm", case="airline_rules",
          answer=lambda rules: rfm.score_by_rules([5000], rules,
                                                  dimension="monetary")["matches"].iloc[0],
          prompt=N_("M score of an average spend of 5,000元 (literal)."))
def _rfm_4(answer, rules):
    row = rfm.score_by_rules([5000], rules, dimension="monetary").iloc[0]
    got = _score_answer(answer)
    if got == row["matches"]:
        return True, _("right: 3001~5000 and 5000元以上 both contain 5000: it gets two "
                       "scores (4 and 5).")
    if got == "two scores":
        return False, _("yes, more than one row claims 5000元 — now say which scores they "
                        "give, both of them, e.g. '1 and 2'.")
    if got in {"4", "5"}:
        return False, _("one score is not the whole story: which other row contains 5000?")
    if got == "no score":
        return False, _("5000 is not in a gap: look for the rows whose bounds include it.")
    return False, _("read both the 3001~5000 row and the 5000元以上 row.")
