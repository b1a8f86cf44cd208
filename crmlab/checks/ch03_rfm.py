"""Exercise checks of chapter 3, RFM (rfm-1 … rfm-7), and their cases.

Cases: ``rfm_customer`` (one customer to score with the airline table, courseware
ch. 4.2.3; a variant lands in no gap or overlap of the literal table), ``airline_rules``
(the table itself: the exercises on its flaws are the same for everyone),
``customers_ab`` (case 4.2's customers A and B), ``beer`` (the 23% / 81% example of the
80/20 rule) and ``top_share`` (the share of customers whose revenue share CDNOW is
asked for).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

from .. import concentration, rfm, segments
from ..datasets import load_dataset
from .core import Unreadable, case, close, exercise, read_by_label, read_number

DIMENSIONS = ("recency", "frequency", "monetary")


def _courseware_rules() -> pd.DataFrame:
    rules = load_dataset("airline_rfm_rules")
    return rules[rules["version"] == "courseware"]


def _literal(dimension: str, value: float) -> pd.Series:
    return rfm.score_by_rules([value], _courseware_rules(), dimension=dimension).iloc[0]


def _scores(customer: dict) -> list[float]:
    """Literal R, F, M scores of a customer of case ``rfm_customer``."""
    return [_literal(d, customer[k])["score"] for d, k in
            zip(DIMENSIONS, ("months", "purchases", "average_spend"))]


def _customer_valid(customer: dict) -> bool:
    return all(_literal(d, customer[k])["status"] == "ok" for d, k in
               zip(DIMENSIONS, ("months", "purchases", "average_spend")))


@case("rfm_customer", valid=_customer_valid)
def _customer_case(draw) -> dict:
    if draw is None:
        return {"months": 2, "purchases": 8, "average_spend": 2500}
    return {"months": draw.integer(0, 18), "purchases": draw.integer(1, 40),
            "average_spend": draw.integer(2, 160) * 50}


@case("airline_rules", varies=False)
def _rules_case(draw) -> pd.DataFrame:
    return _courseware_rules().reset_index(drop=True)


@case("customers_ab", valid=lambda t: t["monthly_spend"].iloc[0] != t["monthly_spend"].iloc[1])
def _ab_case(draw) -> pd.DataFrame:
    if draw is None:
        spend, purchases = (1000, 500), (5, 3)
    else:
        spend = (draw.integer(12, 40) * 50, draw.integer(6, 20) * 50)
        purchases = (draw.integer(3, 9), draw.integer(2, 6))
    return pd.DataFrame({"customer": ["A", "B"], "monthly_spend": list(spend),
                         "purchases_per_month": list(purchases)})


@case("beer")
def _beer_case(draw) -> dict:
    if draw is None:
        return {"population_share": 23, "consumption_share": 81}
    return {"population_share": draw.integer(10, 35), "consumption_share": draw.integer(55, 90)}


@case("top_share")
def _top_case(draw) -> dict:
    return {"top": 0.2 if draw is None else draw.choice([0.05, 0.1, 0.15, 0.25, 0.3, 0.4])}


@lru_cache(maxsize=1)
def _cdnow_revenue() -> pd.Series:
    return rfm.customer_table(load_dataset("cdnow_master"), amount="dollars")["monetary_total"]


_NO_SCORE = {"no score", "none", "gap", "no", "无", "没有", "无得分", "nan", "无分数", "没有评分",
             "不得分", "没有分数", "none of them", "no f score", "no m score", "n/a", "na",
             "null", "无评分", "没有得分", "0 scores", "no scores"}


def _status_answer(answer) -> str:
    """Read an answer about a table cell: a score, several scores, or 'no score'."""
    if isinstance(answer, float) and math.isnan(answer):
        return "no score"
    if isinstance(answer, (Sequence, set, np.ndarray)) and not isinstance(answer, str) \
            and len(answer) == 0:
        return "no score"
    if isinstance(answer, str):
        text = " ".join(answer.strip().lower().strip(".。!！").split())
        if text in _NO_SCORE:
            return "no score"
        parts = [p for p in re.split(r"\bor\b|\band\b|[,，/、和或|]", text) if p.strip()]
        try:
            return "|".join(str(v) for v in sorted(int(read_number(p)) for p in parts))
        except Unreadable:
            raise Unreadable("answer with a score (e.g. 4), several scores (e.g. '4 and 5') "
                             "or 'no score'.") from None
    if isinstance(answer, (Sequence, set, np.ndarray)):
        return "|".join(str(int(read_number(v))) for v in sorted(answer))
    return str(int(read_number(answer)))


def _code(customer) -> str:
    return "".join(f"{score:.0f}" for score in _scores(customer))


def _tickets(table) -> dict:
    rows = table.set_index("customer")
    return {k: round(float(v), 6) for k, v in
            (rows["monthly_spend"] / rows["purchases_per_month"]).items()}


@exercise("rfm-1", chapter="03_rfm", case="rfm_customer", answer=_code,
          prompt="RFM code (R, F, M digits) of a customer, by the literal airline table.")
def _rfm_1(answer, customer):
    expected = "".join(f"{score:.0f}" for score in _scores(customer))
    got = "".join(str(answer).split()).strip("'\"").replace(",", "").replace("-", "")
    got = re.sub(r"(?i)[rfm:=]", "", got) if re.fullmatch(r"(?i)r\D*\d\D*f\D*\d\D*m\D*\d", got) \
        else got
    if isinstance(answer, (Sequence, np.ndarray)) and not isinstance(answer, str):
        got = "".join(str(int(read_number(v))) for v in answer)
    if got == expected:
        return True, f"correct: {expected} (R, F, M side by side)."
    if len(got) != 3 or not got.isdigit():
        raise Unreadable("write the code as three digits, R then F then M, e.g. '351'.")
    if got == expected[::-1]:
        return False, "the digits are in the wrong order: R first, then F, then M."
    names = ("R", "F", "M")
    wrong = [names[k] for k in range(3) if got[k] != expected[k]]
    return False, f"check the {', '.join(wrong)} score(s) against the table's rows."


@exercise("rfm-2", chapter="03_rfm", case="rfm_customer",
          answer=lambda c: int(sum(_scores(c))),
          prompt="The RFM sum (3–15) of the same customer.")
def _rfm_2(answer, customer):
    got = read_number(answer)
    scores = _scores(customer)
    expected = sum(scores)
    if got == expected:
        return True, f"correct: {expected:.0f}. The sum is a convention, not courseware."
    if got == int("".join(f"{x:.0f}" for x in scores)):
        return False, "that is the code; the sum adds the three scores."
    return False, "add the three scores R + F + M."


@exercise("rfm-3", chapter="03_rfm", case="airline_rules", answer=lambda rules: "no score",
          prompt="Literal airline table: the F score of exactly 24 purchases in 24 months.")
def _rfm_3(answer, rules):
    row = rfm.score_by_rules([24], rules, dimension="frequency").iloc[0]
    got = _status_answer(answer)
    if got == "no score" and row["status"] == "no score":
        return True, "right: 11~23 stops at 23 and 多于24次 starts above 24, so 24 falls through."
    if got in {"4", "5"}:
        return False, f"read the bounds exactly: does '{got}' include 24?"
    return False, "compare 24 with both neighbouring rows of the frequency line."


@exercise("rfm-4", chapter="03_rfm", case="airline_rules",
          answer=lambda rules: rfm.score_by_rules([5000], rules, dimension="monetary")["matches"].iloc[0],
          prompt="Literal airline table: the M score of an average spend of exactly 5,000元.")
def _rfm_4(answer, rules):
    row = rfm.score_by_rules([5000], rules, dimension="monetary").iloc[0]
    got = _status_answer(answer)
    if got == row["matches"]:
        return True, "right: 3001~5000 and 5000元以上 both contain 5000, so it gets 4 and 5."
    if got in {"4", "5"}:
        return False, "one score is not the whole story: which other row contains 5000?"
    return False, "read both the 3001~5000 row and the 5000元以上 row."


@exercise("rfm-5", chapter="03_rfm", case="customers_ab", answer=_tickets,
          prompt="Average spend per purchase of customers A and B (case 4.2).")
def _rfm_5(answer, table):
    rows = table.set_index("customer")
    expected = _tickets(table)
    got = read_by_label(answer, ["A", "B"], "customer")
    if all(close(got[k], expected[k], 0.01) for k in expected):
        return True, (f"correct: A {expected['A']:,.2f}元, B {expected['B']:,.2f}元 per "
                      f"purchase.")
    if any(close(got[k], rows.loc[k, "monthly_spend"], 0.01) for k in expected):
        return False, "that is a monthly spend; divide it by the purchases per month."
    if any(close(got[k], rows.loc[k, "purchases_per_month"] / rows.loc[k, "monthly_spend"],
                 1e-4) for k in expected):
        return False, "upside down: spend divided by purchases, not purchases by spend."
    return False, "divide each customer's monthly spend by the purchases per month."


@exercise("rfm-6", chapter="03_rfm", case="beer", answer=lambda b: round(float(
    concentration.intensity_ratio(b["population_share"], b["consumption_share"])["intensity"]), 6),
          prompt="Intensity ratio: x% of men drink y% of the beer (the 80/20 beer example).")
def _rfm_6(answer, beer):
    got = read_number(answer)
    pop, con = beer["population_share"], beer["consumption_share"]
    ratios = concentration.intensity_ratio(pop, con)
    expected = ratios["intensity"]
    if close(got, expected):
        return True, f"correct: {expected:.2f}; an exact 80/20 split gives 4."
    if close(got, 1 / expected):
        return False, "upside down: consumption share over population share."
    if close(got, ratios["heavy_to_light"]):
        return False, ("that compares the heavy group with the rest (heavy-to-light); the "
                       "intensity ratio compares it with the average drinker.")
    return False, "divide the consumption share by the population share."


@exercise("rfm-7", chapter="03_rfm", case="top_share",
          answer=lambda q: round(float(concentration.top_share(_cdnow_revenue(), q["top"])), 6),
          prompt="Share of CDNOW revenue (full cohort) from the top customers.")
def _rfm_7(answer, question):
    got = read_number(answer)
    got = got / 100 if got > 1 else got
    top = question["top"]
    expected = concentration.top_share(_cdnow_revenue(), top)
    if close(got, expected):
        return True, f"correct: {expected:.1%} of revenue from the top {top:.0%} of customers."
    if close(got, 1 - top):
        return False, "that is the rule of thumb's figure, not CDNOW's: compute it from the data."
    if close(got, 1 - expected):
        return False, "that is the share of the other customers; take the top ones."
    return False, (f"sort customers by revenue, take the top {top:.0%}, divide their revenue "
                   f"by the total.")


# --------------------------------------------------- multi-step on CDNOW: rfm-8, rfm-9
#: The analysis date of the chapter's CDNOW table (the end of the data).
CDNOW_END = "1998-06-30"


@lru_cache(maxsize=8)
def _cdnow_rfm(as_of: str) -> pd.DataFrame:
    log = load_dataset("cdnow_master")
    log = log[pd.to_datetime(log["date"]) <= as_of]
    return rfm.rfm_table(log, amount="dollars", as_of=as_of, bins=5)


@case("cdnow_rfm_customer")
def _rfm_customer_case(draw) -> dict:
    ids = _cdnow_rfm(CDNOW_END).index
    return {"customer_id": int(ids[0] if draw is None else ids[draw.integer(0, len(ids) - 1)]),
            "as_of": CDNOW_END, "bins": 5}


@exercise("rfm-8", chapter="03_rfm", case="cdnow_rfm_customer",
          answer=lambda c: str(_cdnow_rfm(c["as_of"]).loc[c["customer_id"], "rfm_code"]),
          prompt="The quantile RFM code (5 bins) of one CDNOW customer.")
def _rfm_8(answer, c):
    row = _cdnow_rfm(c["as_of"]).loc[c["customer_id"]]
    expected = str(row["rfm_code"])
    got = "".join(str(answer).split()).strip("'\"")
    if got == expected:
        return True, (f"correct: {expected} — recency {row['recency']:.0f} days, "
                      f"{row['frequency']:.0f} purchase(s), {row['monetary_total']:,.2f} dollars.")
    if len(got) != 3 or not got.isdigit():
        raise Unreadable("write the code as three digits, R then F then M, e.g. '345'.")
    if got == expected[::-1]:
        return False, "the digits are in the wrong order: R first, then F, then M."
    wrong = [n for k, n in enumerate("RFM") if got[k] != expected[k]]
    return False, (f"check the {', '.join(wrong)} score(s): quantile scores of the whole "
                   f"cohort, recency reversed (more recent = higher), ties sharing a score.")


@case("cdnow_segment_share")
def _segment_case(draw) -> dict:
    if draw is None:
        return {"as_of": "1997-12-31", "segment": "Champions"}
    return {"as_of": draw.choice(["1997-09-30", "1997-10-31", "1997-11-30", "1998-01-31",
                                  "1998-02-28", "1998-03-31"]),
            "segment": draw.choice(["Champions", "Potential Loyalist", "About To Sleep",
                                    "Lost"])}


def _segment_share(q) -> float:
    table = _cdnow_rfm(q["as_of"])
    return round(float((segments.segment(table) == q["segment"]).mean()), 6)


@exercise("rfm-9", chapter="03_rfm", case="cdnow_segment_share", answer=_segment_share,
          prompt="At an earlier analysis date, the share of CDNOW customers in one segment.")
def _rfm_9(answer, q):
    expected = _segment_share(q)
    got = read_number(answer)
    if got > 100:
        return False, "that looks like a count; give the share of all customers (a fraction)."
    got = got / 100 if got > 1 else got
    if close(got, expected, 0.0005):
        return True, (f"correct: {expected:.1%} of the customers known by {q['as_of']} are "
                      f"{q['segment']}.")
    if close(got, _segment_share({**q, "as_of": CDNOW_END}), 0.0005):
        return False, (f"that is the share at the end of the data; keep only the purchases "
                       f"up to {q['as_of']} and score as of that date.")
    return False, (f"keep the purchases up to {q['as_of']}, score quantiles (5 bins) as of "
                   f"that date, name the segments with the R rfm scheme, then divide the "
                   f"segment's customers by all customers.")
