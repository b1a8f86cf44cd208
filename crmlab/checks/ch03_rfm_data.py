"""Exercise checks of chapter 3, RFM, on data (rfm-5 … rfm-9), and their cases.

Cases: ``customers_ab`` (the case analysis of customers A and B), ``beer`` (the 23% / 81%
example of the 80/20 rule), ``top_share`` (the share of customers whose revenue share
CDNOW is asked for), ``cdnow_rfm_customer`` (one CDNOW customer's quantile code; a
variant's code is not a palindrome, so it has two distinct digits and a blind "555" or a
reversed order is caught) and ``cdnow_segment_share``.

The airline table's exercises (rfm-1 … rfm-4) are :mod:`crmlab.checks.ch03_rfm`; like
every chapter module, this one imports only the checks core. Every sentence a student
reads is English inside ``_()``, translated by the catalog ``ch03_rfm_data``; segment
names are shown through :func:`crmlab.segments.segment_label`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import pandas as pd

from .. import concentration, rfm, segments
from ..datasets import load_dataset
from ..i18n import N_, gettext as _
from .core import (UNITS, Unreadable, case, close, exercise, read_amount, read_by_label,
                   read_code, read_ratio, student_text, three_digits, wrong_letters)

#: Tolerance of rfm-7: the full CDNOW log and its 10% sample differ by 0.0016 or more.
TOP_SHARE_TOLERANCE = 0.001


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
        return read_amount(answer["intensity"])
    if isinstance(answer, (Mapping, pd.Series)) and len(answer) > 1:
        raise Unreadable(_("give the intensity ratio as one number, e.g. 2.5 (from the "
                           "result of intensity_ratio, its 'intensity' entry)."))
    if isinstance(answer, str):
        return read_ratio(UNITS.sub("", student_text(answer).replace(" ", "")).strip() or answer,
                          parts=_("consumption:population"))
    return read_amount(answer)


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
    got = read_amount(answer)
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
    got = read_code(answer)
    if got == expected:
        return True, _("correct: {code} — recency {days:.0f} days, {purchases:.0f} "
                       "purchase(s), {dollars:,.2f} dollars.").format(
            code=expected, days=row["recency"], purchases=row["frequency"],
            dollars=row["monetary_total"])
    if len(got) != 3 or not got.isdigit():
        raise Unreadable(three_digits())
    if got == expected[::-1]:
        return False, _("the digits are in the wrong order: R first, then F, then M.")
    return False, _("check the {letters} score(s): quantile scores of the whole cohort, "
                    "recency reversed (more recent = higher), ties sharing a score.").format(
        letters=wrong_letters(got, expected))


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
    got = read_amount(answer)
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
