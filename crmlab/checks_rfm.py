"""Exercise checks of chapter 3 (RFM); registered with :func:`crmlab.checks.exercise`."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from . import concentration, rfm
from .checks import _by_label, _number, _Unreadable, exercise
from .datasets import load_dataset


# ------------------------------------------------------------------ chapter 3: RFM
def _courseware_rules() -> pd.DataFrame:
    rules = load_dataset("airline_rfm_rules")
    return rules[rules["version"] == "courseware"]


def _literal(dimension: str, value: float) -> pd.Series:
    return rfm.score_by_rules([value], _courseware_rules(), dimension=dimension).iloc[0]


_NO_SCORE = {"no score", "none", "gap", "no", "无", "没有", "无得分", "nan"}


def _status_answer(answer) -> str:
    """Read an answer about a table cell: a score, several scores, or 'no score'."""
    if isinstance(answer, float) and math.isnan(answer):
        return "no score"
    if isinstance(answer, str):
        text = answer.strip().lower()
        if text in _NO_SCORE:
            return "no score"
        parts = [p for p in text.replace("or", "|").replace(",", "|").replace("/", "|")
                 .replace("和", "|").replace("或", "|").split("|") if p.strip()]
        return "|".join(str(int(_number(p))) for p in parts)
    if isinstance(answer, (Sequence, set, np.ndarray)):
        return "|".join(str(int(_number(v))) for v in sorted(answer))
    return str(int(_number(answer)))


def _example_scores() -> list[float]:
    """Literal R, F, M scores of the rfm-1/rfm-2 customer: 2 months, 8 purchases, 2,500元."""
    return [_literal(d, v)["score"] for d, v in
            (("recency", 2), ("frequency", 8), ("monetary", 2500))]


@exercise("rfm-1", chapter="03_rfm",
          prompt="RFM code of a customer: last purchase 2 months ago, 8 purchases, average 2,500元.")
def _rfm_1(answer):
    expected = "".join(f"{score:.0f}" for score in _example_scores())
    got = str(answer).strip().strip("'\"")
    if got == expected:
        return True, f"correct: {expected} (R, F, M side by side)."
    if len(got) != 3 or not got.isdigit():
        raise _Unreadable("write the code as three digits, R then F then M, e.g. '351'.")
    names = ("R", "F", "M")
    wrong = [names[k] for k in range(3) if got[k] != expected[k]]
    return False, f"check the {', '.join(wrong)} score(s) against the table's rows."


@exercise("rfm-2", chapter="03_rfm", prompt="The RFM sum (3–15) of the same customer.")
def _rfm_2(answer):
    got = _number(answer)
    expected = sum(_example_scores())
    if got == expected:
        return True, f"correct: {expected:.0f}. The sum is a convention, not courseware."
    if got == 433:
        return False, "that is the code; the sum adds the three scores."
    return False, "add the three scores R + F + M."


@exercise("rfm-3", chapter="03_rfm",
          prompt="Literal airline table: the F score of exactly 24 purchases in 24 months.")
def _rfm_3(answer):
    row = _literal("frequency", 24)
    got = _status_answer(answer)
    if got == "no score" and row["status"] == "no score":
        return True, "right: 11~23 stops at 23 and 多于24次 starts above 24, so 24 falls through."
    if got in {"4", "5"}:
        return False, f"read the bounds exactly: does '{got}' include 24?"
    return False, "compare 24 with both neighbouring rows of the frequency line."


@exercise("rfm-4", chapter="03_rfm",
          prompt="Literal airline table: the M score of an average spend of exactly 5,000元.")
def _rfm_4(answer):
    row = _literal("monetary", 5000)
    got = _status_answer(answer)
    if got == row["matches"]:
        return True, "right: 3001~5000 and 5000元以上 both contain 5000, so it gets 4 and 5."
    if got in {"4", "5"}:
        return False, "one score is not the whole story: which other row contains 5000?"
    return False, "read both the 3001~5000 row and the 5000元以上 row."


@exercise("rfm-5", chapter="03_rfm",
          prompt="Average spend per purchase of customers A and B (case 4.2).")
def _rfm_5(answer):
    expected = {"A": 1000 / 5, "B": 500 / 3}
    got = _by_label(answer, ["A", "B"], "customer")
    if all(abs(got[k] - expected[k]) <= 0.01 for k in expected):
        return True, "correct: A 200元, B 166.67元 per purchase."
    if abs(got["A"] - 1000) <= 0.01:
        return False, "1000元 is A's spend per month; divide by the purchases per month."
    return False, "divide each customer's monthly spend by the purchases per month."


@exercise("rfm-6", chapter="03_rfm",
          prompt="Intensity ratio of the beer example: 23% of men drink 81% of the beer.")
def _rfm_6(answer):
    got = _number(answer)
    expected = concentration.intensity_ratio(23, 81)["intensity"]
    if abs(got - expected) <= 0.005:
        return True, f"correct: {expected:.2f}; an exact 80/20 split gives 4."
    if abs(got - 23 / 81) <= 0.005:
        return False, "upside down: consumption share over population share."
    return False, "divide the consumption share by the population share."


@exercise("rfm-7", chapter="03_rfm",
          prompt="Share of CDNOW revenue (full cohort) from the top 20% of customers.")
def _rfm_7(answer):
    got = _number(answer)
    got = got / 100 if got > 1 else got
    table = rfm.customer_table(load_dataset("cdnow_master"), amount="dollars")
    expected = concentration.top_share(table["monetary_total"], 0.2)
    if abs(got - expected) <= 0.005:
        return True, f"correct: {expected:.1%} of revenue — compare with the 80 of 80/20."
    if abs(got - 0.8) <= 0.005:
        return False, "that is the rule of thumb, not CDNOW's figure: compute it from the data."
    return False, "sort customers by revenue, take the top 20%, divide their revenue by the total."
