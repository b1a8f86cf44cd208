"""Exercise checks of chapter 3, RFM (rfm-1 … rfm-9), and their cases.

Cases: ``rfm_customer`` (one customer to score with the airline table, lectures 2–4,
ch. 4 §4.2.3; a variant lands in no gap or overlap of the literal table, on no recency
bound of it — 1, 3, 6 or 12 months, whose reading the chapter calls ambiguous — and has
a code whose reversal differs from it, so that a reversed order is caught),
``airline_rules`` (the table itself: the exercises on its flaws are the same for
everyone), ``customers_ab`` (the case analysis of customers A and B), ``beer`` (the
23% / 81% example of the 80/20 rule), ``top_share`` (the share of customers whose
revenue share CDNOW is asked for), ``cdnow_rfm_customer`` (one CDNOW customer's quantile
code; a variant's code is not a palindrome, so it has two distinct digits and a blind
"555" or a reversed order is caught) and ``cdnow_segment_share``.

Every sentence a student reads is English inside ``_()``, translated by the catalog
``ch03_rfm``; segment names are shown through :func:`crmlab.segments.segment_label`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

from .. import concentration, i18n, rfm, segments
from ..datasets import load_dataset
from ..i18n import N_, gettext as _
from .core import Unreadable, case, close, exercise, read_by_label, read_number, read_ratio

DIMENSIONS = ("recency", "frequency", "monetary")
#: The case keys of a ``rfm_customer`` in the order R, F, M.
_KEYS = ("months", "purchases", "average_spend")
#: Tolerance of rfm-7: the full CDNOW log and its 10% sample differ by 0.0016 or more.
TOP_SHARE_TOLERANCE = 0.001


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


@lru_cache(maxsize=1)
def _sample_revenue() -> pd.Series:
    """Revenue per customer of ``cdnow_sample`` (a 10% sample): not the data rfm-7 asks for."""
    return rfm.customer_table(load_dataset("cdnow_sample"), amount="dollars")["monetary_total"]


# ------------------------------------------------------------------ answer readers
def _text(value) -> str:
    """A student's text, normalised: full-width characters folded, case and spaces evened."""
    text = unicodedata.normalize("NFKC", str(value)).strip().lower()
    return " ".join(text.strip(".。!！'\"“”‘’").split())


_UNITS = re.compile(r"(元|美元|us\$|\$|usd|yuan|dollars?|分|points?|次|倍|times)$")


def _number(answer) -> float:
    """One number from a student's answer (units such as 元 or 分 dropped), or Unreadable
    with a translated message."""
    if isinstance(answer, str):
        text = _UNITS.sub("", _text(answer).replace(" ", "")).strip()
        answer = text or answer
    try:
        return read_number(answer)
    except Unreadable:
        raise Unreadable(_("I could not read {answer} as a number. Answer with a number, "
                           "e.g. 2.5.").format(answer=_shown(answer))) from None


def _shown(answer) -> str:
    """A short, safe picture of an answer for a message."""
    try:
        text = repr(answer)
    except Exception:  # noqa: BLE001 - a student's object whose repr fails
        text = f"<{type(answer).__name__}>"
    return text if len(text) <= 60 else text[:57] + "..."


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
                               "them, e.g. (1, 2).").format(answer=_shown(answer)))
        return "|".join(sorted({_score_answer(x) for x in items}, key=_score_order))
    if isinstance(answer, str):
        text = _text(answer)
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


_DIMENSION_NAMES = {
    "R": ("r", "recency", "r_score", "最近一次消费", "最近一次购买", "近度", "r分", "r得分"),
    "F": ("f", "frequency", "f_score", "消费频率", "购买频率", "频率", "f分", "f得分"),
    "M": ("m", "monetary", "m_score", "消费金额", "购买金额", "金额", "m分", "m得分"),
}


def _code_answer(answer) -> str:
    """Read an RFM code: text ("433", "R4 F3 M3", "4-3-3"), a number (433), three scores
    in order, or a dict / Series of scores by R, F and M."""
    if isinstance(answer, pd.DataFrame) and answer.size == 3:
        answer = pd.Series(np.ravel(answer.to_numpy()),
                           index=answer.columns if answer.shape[0] == 1 else answer.index)
    if isinstance(answer, (Mapping, pd.Series)):
        found = {}
        for key, value in dict(answer).items():
            name = _text(key)
            letter = next((k for k, names in _DIMENSION_NAMES.items() if name in names), None)
            if letter is None:
                raise Unreadable(_("label the three scores R, F and M, e.g. "
                                   "{{'R': 1, 'F': 2, 'M': 3}}; I do not know the label "
                                   "{label}.").format(label=_shown(key)))
            found[letter] = value
        if set(found) != {"R", "F", "M"}:
            raise Unreadable(_("give all three scores, R, F and M, e.g. "
                               "{{'R': 1, 'F': 2, 'M': 3}}."))
        answer = [found[k] for k in "RFM"]
    if isinstance(answer, (Sequence, np.ndarray, pd.Index)) and not isinstance(answer, str):
        if len(answer) != 3:
            raise Unreadable(_three_digits())
        digits = []
        for value in answer:
            number = _number(value)
            if not number.is_integer() or not 0 <= number <= 9:
                raise Unreadable(_three_digits())
            digits.append(str(int(number)))
        return "".join(digits)
    if isinstance(answer, (bool, np.bool_)) or answer is None:
        raise Unreadable(_three_digits())
    if isinstance(answer, (int, np.integer)) or (
            isinstance(answer, (float, np.floating)) and math.isfinite(answer)
            and float(answer).is_integer()):
        return str(int(answer))
    text = re.sub(r"[\s'\"“”‘’,，、\-–/|:：=]", "", _text(answer))
    labelled = re.fullmatch(r"r\D*?(\d)f\D*?(\d)m\D*?(\d)", text)
    return "".join(labelled.groups()) if labelled else text


def _three_digits() -> str:
    return _("write the code as three digits, R then F then M, e.g. '123'.")


def _by_customer(answer) -> dict[str, float]:
    """Read one number for each of customers A and B: whatever :func:`core.read_by_label`
    reads (a dict or Series keyed by customer, "customer A" / "客户A" / "顾客A" keys, two
    numbers in the order A, B, "A: 200, B: 166.67"), and a table with a customer column
    (or index) and one numeric column."""
    if isinstance(answer, pd.DataFrame):
        frame = answer
        if "customer" in frame.columns:
            frame = frame.set_index("customer")
        numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]
        if len(numeric) != 1:
            raise Unreadable(_("give a Series indexed by customer (or a dict), e.g. "
                               "{{'A': ..., 'B': ...}}; your table has the columns "
                               "{columns}.").format(columns=", ".join(map(str, frame.columns))))
        answer = frame[numeric[0]]
    return read_by_label(answer, ["A", "B"], _("customer"))


# ------------------------------------------------------------------ rfm-1, rfm-2
def _code(customer) -> str:
    return "".join(f"{score:.0f}" for score in _scores(customer))


def _wrong_letters(got: str, expected: str) -> str:
    separator = "、" if i18n.get_language() == "zh" else ", "
    return separator.join(n for k, n in enumerate("RFM") if got[k] != expected[k])


@exercise("rfm-1", chapter="03_rfm", case="rfm_customer", answer=_code,
          prompt=N_("RFM code (R, F, M digits) of a customer, by the literal airline table."))
def _rfm_1(answer, customer):
    expected = _code(customer)
    got = _code_answer(answer)
    if got == expected:
        return True, _("correct: {code} (R, F, M side by side).").format(code=expected)
    if len(got) != 3 or not got.isdigit():
        raise Unreadable(_three_digits())
    if got == expected[::-1]:
        return False, _("the digits are in the wrong order: R first, then F, then M.")
    return False, _("check the {letters} score(s) against the table's rows.").format(
        letters=_wrong_letters(got, expected))


@exercise("rfm-2", chapter="03_rfm", case="rfm_customer",
          answer=lambda c: int(sum(_scores(c))),
          prompt=N_("The RFM sum (3–15) of the same customer."))
def _rfm_2(answer, customer):
    got = _number(answer)
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


# ------------------------------------------------------------------ rfm-5 … rfm-7
def _tickets(table) -> dict:
    rows = table.set_index("customer")
    return {k: round(float(v), 6) for k, v in
            (rows["monthly_spend"] / rows["purchases_per_month"]).items()}


@exercise("rfm-5", chapter="03_rfm", case="customers_ab", answer=_tickets,
          prompt=N_("Average spend per purchase of customers A and B (the case analysis "
                    "of customers A and B)."))
def _rfm_5(answer, table):
    rows = table.set_index("customer")
    expected = _tickets(table)
    got = _by_customer(answer)
    if all(close(got[k], expected[k], 0.01) for k in expected):
        return True, _("correct: A {a:,.2f}元, B {b:,.2f}元 per purchase.").format(
            a=expected["A"], b=expected["B"])
    if any(close(got[k], rows.loc[k, "monthly_spend"], 0.01) for k in expected):
        return False, _("that is a monthly spend; divide it by the purchases per month.")
    if any(close(got[k], rows.loc[k, "purchases_per_month"] / rows.loc[k, "monthly_spend"],
                  1e-4) for k in expected):
        return False, _("upside down: spend divided by purchases, not purchases by spend.")
    return False, _("divide each customer's monthly spend by the purchases per month.")


def _ratio_answer(answer) -> float:
    """Read an intensity ratio: what :func:`core.read_ratio` reads (a number, "79:14" or
    "79/14", read as 79 ÷ 14), or the Series (or dict)
    :func:`crmlab.concentration.intensity_ratio` returns."""
    if isinstance(answer, (Mapping, pd.Series)) and "intensity" in answer:
        return _number(answer["intensity"])
    if isinstance(answer, (Mapping, pd.Series)) and len(answer) > 1:
        raise Unreadable(_("give the intensity ratio as one number, e.g. 2.5 (from the "
                           "result of intensity_ratio, its 'intensity' entry)."))
    if isinstance(answer, str):
        return read_ratio(_UNITS.sub("", _text(answer).replace(" ", "")).strip() or answer,
                          parts=_("consumption:population"))
    return _number(answer)


@exercise("rfm-6", chapter="03_rfm", case="beer", answer=lambda b: round(float(
    concentration.intensity_ratio(b["population_share"], b["consumption_share"])["intensity"]), 6),
          prompt=N_("Intensity ratio in the 80/20 beer example."))
def _rfm_6(answer, beer):
    got = _ratio_answer(answer)
    pop, con = beer["population_share"], beer["consumption_share"]
    ratios = concentration.intensity_ratio(pop, con)
    expected = ratios["intensity"]
    if close(got, expected):
        return True, _("correct: {ratio:.2f} (an exact 80/20 split gives 4).").format(
            ratio=expected)
    if close(got, 1 / expected):
        return False, _("upside down: consumption share over population share.")
    if close(got, ratios["heavy_to_light"]):
        return False, _("that compares the heavy group with the rest (heavy-to-light); the "
                        "intensity ratio compares it with the average drinker.")
    return False, _("divide the consumption share by the population share.")


def _top_share(top: float) -> float:
    return float(concentration.top_share(_cdnow_revenue(), top))


@exercise("rfm-7", chapter="03_rfm", case="top_share",
          answer=lambda q: round(_top_share(q["top"]), 6),
          prompt=N_("Share of CDNOW revenue (full cohort) from the top customers."))
def _rfm_7(answer, question):
    top = question["top"]
    revenue = _cdnow_revenue()
    count = round(top * len(revenue))
    got = _number(answer)
    if got > 100:
        if close(got, count, 0.5):
            return False, _("that is the number of top customers; give their share of the "
                            "revenue (a fraction, e.g. 0.5, or a percentage).")
        return False, _("that looks like a count or an amount of money; give the share of "
                        "revenue, a fraction (e.g. 0.5) or a percentage.")
    got = got / 100 if got > 1 else got
    expected = _top_share(top)
    if close(got, expected, TOP_SHARE_TOLERANCE):
        return True, _("correct: {share:.1%} of revenue from the top {top:.0%} of "
                       "customers.").format(share=expected, top=top)
    if close(got, float(concentration.top_share(_sample_revenue(), top)), 0.0005):
        return False, _("that is the value of cdnow_sample, a 10% sample: use the full "
                        "CDNOW log, cdnow_master.")
    if close(got, top, 1e-9):
        return False, _("that is the share of customers; the question asks for their "
                        "share of the revenue.")
    if close(got, 1 - top, 0.0005):
        return False, _("that is the rule of thumb's figure, not CDNOW's: compute it from "
                        "the data.")
    if close(got, 1 - expected, TOP_SHARE_TOLERANCE):
        return False, _("that is the share of the other customers; take the top ones.")
    return False, _("sort customers by revenue, take the top {top:.0%}, divide their "
                    "revenue by the total.").format(top=top)


# --------------------------------------------------- multi-step on CDNOW: rfm-8, rfm-9
#: The analysis date of the chapter's CDNOW table (the end of the data).
CDNOW_END = "1998-06-30"


@lru_cache(maxsize=8)
def _cdnow_rfm(as_of: str) -> pd.DataFrame:
    log = load_dataset("cdnow_master")
    log = log[pd.to_datetime(log["date"]) <= as_of]
    return rfm.rfm_table(log, amount="dollars", as_of=as_of, bins=5)


def _cdnow_customer_valid(c: dict) -> bool:
    code = str(_cdnow_rfm(c["as_of"]).loc[c["customer_id"], "rfm_code"])
    return code != code[::-1]     # at least two distinct digits, and a detectable order


@case("cdnow_rfm_customer", valid=_cdnow_customer_valid)
def _rfm_customer_case(draw) -> dict:
    ids = _cdnow_rfm(CDNOW_END).index
    return {"customer_id": int(ids[0] if draw is None else ids[draw.integer(0, len(ids) - 1)]),
            "as_of": CDNOW_END, "bins": 5}


@exercise("rfm-8", chapter="03_rfm", case="cdnow_rfm_customer",
          answer=lambda c: str(_cdnow_rfm(c["as_of"]).loc[c["customer_id"], "rfm_code"]),
          prompt=N_("Quantile RFM code (5 bins) of a CDNOW customer."))
def _rfm_8(answer, c):
    row = _cdnow_rfm(c["as_of"]).loc[c["customer_id"]]
    expected = str(row["rfm_code"])
    got = _code_answer(answer)
    if got == expected:
        return True, _("correct: {code} — recency {days:.0f} days, {purchases:.0f} "
                       "purchase(s), {dollars:,.2f} dollars.").format(
            code=expected, days=row["recency"], purchases=row["frequency"],
            dollars=row["monetary_total"])
    if len(got) != 3 or not got.isdigit():
        raise Unreadable(_three_digits())
    if got == expected[::-1]:
        return False, _("the digits are in the wrong order: R first, then F, then M.")
    return False, _("check the {letters} score(s): quantile scores of the whole cohort, "
                    "recency reversed (more recent = higher), ties sharing a score.").format(
        letters=_wrong_letters(got, expected))


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
          prompt=N_("At an earlier analysis date, the share of CDNOW customers in one "
                    "segment."))
def _rfm_9(answer, q):
    expected = _segment_share(q)
    name = segments.segment_label(q["segment"])
    got = _number(answer)
    if got > 100:
        return False, _("that looks like a count; give the share of all customers (a "
                        "fraction).")
    got = got / 100 if got > 1 else got
    if close(got, expected, 0.0005):
        return True, _("correct: {share:.1%} of the customers known by {date} are "
                       "{segment}.").format(share=expected, date=q["as_of"], segment=name)
    if close(got, _segment_share({**q, "as_of": CDNOW_END}), 0.0005):
        return False, _("that is the share at the end of the data; keep only the purchases "
                        "up to {date} and score as of that date.").format(date=q["as_of"])
    return False, _("keep only the purchases up to {date} and score quantiles (5 bins) as of "
                    "that date; name the segments with the R rfm scheme, then divide the "
                    "segment's customers by all customers.").format(date=q["as_of"])
