"""Exercise checks of chapter 4, CLV: the lecture's formulas and tables (clv-1 … clv-6).

Cases: ``two_firms`` (the two firms of lectures 2–4, ch. 4 §4.2.3; a variant changes their
sizes and churn), ``margin_multiple`` (a retention rate and a discount rate),
``platform_cac`` (one platform's CAC range, return rate and printed multiplier; the
courseware's is Pinduoduo), ``platforms`` (the 2023 platform table of courseware ch. 3,
§3.2: the exercise on its inconsistent ratio is the same for everyone) and ``quadrant``
(one customer and the value threshold). Every expected answer is computed by crmlab's
compute functions from the case.

The models on CDNOW and cohort data (clv-7 … clv-11: BG/NBD, Gamma-Gamma, sBG, the
holdout check) are :mod:`crmlab.checks.ch04_clv_models`; like every chapter module, each
imports only the checks core. Every sentence a student reads is English inside
``_("...")``, translated by the catalog ``ch04_clv`` at call time.
"""

from __future__ import annotations

import pandas as pd

from .. import acquisition, clv, group_clv, i18n, retention
from ..datasets import load_dataset
from ..i18n import N_, gettext as _
from .core import (Unreadable, case, close, exercise, read_by_label, read_number, read_pair,
                   read_ratio)

#: The names a student may give the four platforms of the 2023 table (clv-5).
_PLATFORM_NAMES = {"taobao": "Taobao", "淘宝": "Taobao", "jd": "JD", "京东": "JD",
                   "pinduoduo": "Pinduoduo", "拼多多": "Pinduoduo", "pdd": "Pinduoduo",
                   "douyin": "Douyin", "抖音": "Douyin", "抖音电商": "Douyin"}


def _platforms() -> pd.DataFrame:
    return load_dataset("platform_cac_2023").set_index("platform")


def _platform_name(platform: str) -> str:
    """The platform's name in the current language (淘宝 … in Chinese)."""
    if i18n.get_language() == "zh":
        return str(_platforms()["platform_zh"].get(platform, platform))
    return platform


def _high_low(value: float, threshold: float) -> str:
    return _("high") if value >= threshold else _("low")


# ------------------------------------------------------------------------------ cases
@case("two_firms", valid=lambda t: t["lost_per_year"].iloc[0] * t["customers"].iloc[1]
      != t["lost_per_year"].iloc[1] * t["customers"].iloc[0])
def _firms_case(draw) -> pd.DataFrame:
    firms = load_dataset("two_firms_churn")[["firm", "customers", "lost_per_year"]]
    if draw is None:
        return firms
    n = [draw.integer(5, 50) * 10 for _i in range(2)]
    rates = [draw.integer(4, 40) / 100 for _i in range(2)]
    firms["customers"] = n
    firms["lost_per_year"] = [max(1, round(k * r)) for k, r in zip(n, rates)]
    return firms


@case("margin_multiple")
def _multiple_case(draw) -> dict:
    if draw is None:
        return {"retention": 0.9, "discount": 0.12}
    return {"retention": round(draw.integer(10, 19) * 0.05, 2),
            "discount": draw.integer(5, 20) / 100}


def _printed_multiplier(return_rate: float) -> float:
    """1 / (1 − return rate) rounded to one decimal: the rule the courseware's four printed
    multipliers follow (section 7's inference)."""
    return round(float(acquisition.return_multiplier(return_rate)) + 1e-9, 1)


def _platform_valid(t) -> bool:
    """A multiplier that makes a difference, and one where the unrounded 1/(1 − return
    rate) gives another effective CAC (so that slip can be told apart)."""
    row = t.iloc[0]
    exact = float(acquisition.return_multiplier(row["return_rate"]))
    return row["eff_mult_stated"] > 1 and (
        not close(row["cac_min"] * exact, row["cac_min"] * row["eff_mult_stated"], 0.5)
        or not close(row["cac_max"] * exact, row["cac_max"] * row["eff_mult_stated"], 0.5))


@case("platform_cac", valid=_platform_valid)
def _platform_case(draw) -> pd.DataFrame:
    cols = ["platform", "cac_min", "cac_max", "return_rate", "eff_mult_stated"]
    if draw is None:
        return load_dataset("platform_cac_2023").loc[lambda t: t["platform"] == "Pinduoduo",
                                                     cols].reset_index(drop=True)
    low = draw.integer(5, 40) * 10
    rate = draw.integer(5, 40) / 100
    # printed like the courseware's: 1/(1 − return rate) rounded to one decimal
    return pd.DataFrame({"platform": ["your platform"], "cac_min": [low],
                         "cac_max": [low + draw.integer(3, 25) * 10], "return_rate": [rate],
                         "eff_mult_stated": [_printed_multiplier(rate)]})


@case("platforms", varies=False)
def _platforms_case(draw) -> pd.DataFrame:
    return load_dataset("platform_cac_2023")


#: The chapter's own example of clv-6 (no student id): 800 and 200 against 500.
_LECTURE_QUADRANT = {"current_value": 800, "future_value": 200, "threshold": 500}


@case("quadrant", valid=lambda q: q["threshold"] not in (q["current_value"], q["future_value"])
      and q != _LECTURE_QUADRANT)          # every quadrant, but not the lecture's own case
def _quadrant_case(draw) -> dict:
    if draw is None:
        return dict(_LECTURE_QUADRANT)
    return {"current_value": draw.integer(0, 30) * 50, "future_value": draw.integer(0, 30) * 50,
            "threshold": draw.integer(6, 16) * 50}


#: The quadrant names of the courseware and their entries in the term list, whose every
#: name (English, Chinese, aliases such as MVC or "below zero") a student may write.
_QUADRANT_TERMS = {"贵宾型": "quadrant_vip", "改进型": "quadrant_improve",
                   "维持型": "quadrant_maintain", "放弃型": "quadrant_abandon"}


def _quadrant_names() -> dict:
    return {alias.lower(): name for name, key in _QUADRANT_TERMS.items()
            for alias in i18n.term_aliases(key)}


# ------------------------------------------------------------------ expected answers
def _lifetimes(firms) -> dict:
    table = group_clv.churn_table(firms).set_index("firm")
    return {str(k): round(float(v), 6) for k, v in table["lifetime_years"].items()}


def _loss_ratio(firms) -> float:
    """V_{q,l} of firm 1 over firm 2 with the same V_k (1): N·r_L of each."""
    rows = firms.set_index("firm")
    loss = {k: group_clv.base_churn_cost(row["customers"],
                                         row["lost_per_year"] / row["customers"], 1.0)
            for k, row in rows.iterrows()}
    return round(float(loss[1] / loss[2]), 6)


def _cac_range(platform) -> tuple:
    eff = acquisition.effective_cac(platform).iloc[0]
    return (round(float(eff["eff_cac_min"]), 6), round(float(eff["eff_cac_max"]), 6))


def _odd_platform(table) -> str:
    ratios = acquisition.clv_cac_ratios(table.set_index("platform"))
    return str(ratios.index[ratios["verdict"] == "inconsistent"][0])


def _quadrant(q) -> str:
    person = pd.DataFrame({"current_value": [q["current_value"]],
                           "future_value": [q["future_value"]]})
    return str(clv.clv_quadrants(person, current_threshold=q["threshold"],
                                 future_threshold=q["threshold"])["quadrant"].iloc[0])


# -------------------------------------------------------------------- answer readers
def _firm_key(key) -> str:
    """'1', 1, 'firm 1', 'Firm_1', '企业1', '企业 1', '公司1' → '1'."""
    text = str(key).strip().lower()
    for word in ("firm", "company", "企业", "公司", "第", "家", "no.", "#", "_", "-", " "):
        text = text.replace(word, "")
    return text


def _read_per_firm(answer, firms: list[str]) -> dict[str, float]:
    """One number per firm: whatever :func:`read_by_label` reads (a dict or Series keyed
    by firm, "firm 1"/"企业1" keys, a list of two, "1: 5, 2: 10" ...), and the churn table
    itself (its lifetime column)."""
    example = _("e.g. {{'1': ..., '2': ...}}").format()
    if isinstance(answer, pd.DataFrame):
        table = answer.set_index("firm") if "firm" in answer.columns else answer
        column = next((c for c in ("lifetime_years", "lifetime", "T") if c in table.columns),
                      None)
        if column is not None:
            answer = table[column]
        else:
            try:
                return read_by_label(answer, firms, _("firm"))
            except Unreadable:
                raise Unreadable(_("your table has the columns {columns}; give one lifetime "
                                   "per firm, as a dict or a Series indexed by firm, {example}.")
                                 .format(columns=list(table.columns), example=example)) from None
    return read_by_label(answer, firms, _("firm"))


def _one_item(answer):
    if isinstance(answer, (list, tuple)) and len(answer) == 1:
        return answer[0]
    return answer


# ------------------------------------------------------------------------- exercises
@exercise("clv-1", chapter="04_clv", case="two_firms", answer=_lifetimes,
          prompt=N_("Mean customer lifetime T = 1/r_L of firm 1 and firm 2 (years)."))
def _clv_1(answer, firms):
    table = group_clv.churn_table(firms).set_index("firm")
    expected = _lifetimes(firms)
    got = _read_per_firm(answer, list(expected))
    if all(close(got[k], expected[k], 0.01) for k in expected):
        return True, _("correct: {first:.2f} and {second:.2f} years — the lifetime is the "
                       "inverse of the churn rate.").format(first=expected["1"],
                                                            second=expected["2"])
    if all(close(got[k], table["churn_rate"][int(k)], 1e-4) for k in expected):
        return False, _("those are the churn rates r_L; the lifetime is their inverse.")
    if all(close(got[k], table["lost_per_year"][int(k)], 0.01) for k in expected):
        return False, _("those are the customers lost per year; first divide them by the "
                        "customers to get r_L.")
    return False, _("first r_L = lost per year / customers, then T = 1 / r_L.")


@exercise("clv-2", chapter="04_clv", case="two_firms", answer=_loss_ratio,
          prompt=N_("Firm 1's group churn loss divided by firm 2's, V_{q,l} = N·r_L·V_k, "
                    "same V_k."))
def _clv_2(answer, firms):
    rows = firms.set_index("firm")
    expected = _loss_ratio(firms)
    got = read_ratio(answer)
    if close(got, expected, 0.01):
        return True, _("correct: {ratio:.4g} : 1 — whatever V_k is, it cancels.").format(
            ratio=expected)
    if close(got, 1 / expected, 0.01):
        return False, _("upside down: firm 1 over firm 2.")
    rates = rows["lost_per_year"] / rows["customers"]
    if close(got, rates[1] / rates[2], 0.01) and rows["customers"][1] != rows["customers"][2]:
        return False, _("that compares the churn rates only; the loss is N·r_L·V_k.")
    return False, _("write N·r_L·V_k for both firms; V_k is the same and cancels.")


@exercise("clv-3", chapter="04_clv", case="margin_multiple", answer=lambda m: round(
    retention.margin_multiple(retention=m["retention"], discount=m["discount"]), 6),
          prompt=N_("Margin multiple r/(1+i−r) for a retention rate r and a discount rate i."))
def _clv_3(answer, inputs):
    r, i = inputs["retention"], inputs["discount"]
    expected = retention.margin_multiple(retention=r, discount=i)
    got = read_number(answer)
    if close(got, expected):
        return True, _("correct: {multiple:.2f} periods of margin.").format(multiple=expected)
    if close(got, (1 + i) / (1 + i - r)):
        return False, _("that is the start-of-period convention m(1+i)/(1+i−r); use "
                        "r/(1+i−r).")
    if close(got, 1 / (1 + i - r)):
        return False, _("that is m/(1+i−r) (first margin certain); the multiple has r on top.")
    if close(got, r / (i - r)) or close(got, r / (1 - i - r)):
        return False, _("check the denominator: 1 + i − r.")
    return False, _("compute r / (1 + i − r) with your retention and discount rates.")


@exercise("clv-4", chapter="04_clv", case="platform_cac", answer=_cac_range,
          prompt=N_("A platform's effective CAC range (low, high) with the printed multiplier."))
def _clv_4(answer, platform):
    eff = acquisition.effective_cac(platform).iloc[0]
    returns = acquisition.effective_cac(platform, multiplier="returns").iloc[0]
    row = platform.iloc[0]
    lo, hi = read_pair(answer, _("low and high"))
    if lo > hi:
        lo, hi = hi, lo
        if close(lo, eff["eff_cac_min"], 0.5) and close(hi, eff["eff_cac_max"], 0.5):
            return False, _("right numbers, wrong order: give the low end first.")
    if close(lo, eff["eff_cac_min"], 0.5) and close(hi, eff["eff_cac_max"], 0.5):
        return True, _("correct: {low:g}–{high:g} 元 ({cac_min:g}–{cac_max:g} × "
                       "{multiplier:g}).").format(
            low=eff["eff_cac_min"], high=eff["eff_cac_max"], cac_min=row["cac_min"],
            cac_max=row["cac_max"], multiplier=row["eff_mult_stated"])
    if close(lo, returns["eff_cac_min"], 0.5) and close(hi, returns["eff_cac_max"], 0.5):
        return False, _("that uses 1/(1 − return rate) unrounded, our inference of where the "
                        "multipliers come from; the case prints the multiplier rounded to "
                        "one decimal, and the question asks for the printed one.")
    if close(lo, row["cac_min"], 0.5) and close(hi, row["cac_max"], 0.5):
        return False, _("that is the stated CAC; multiply both ends by the adjustment factor.")
    if close(lo, row["cac_min"] * (1 - row["return_rate"]), 0.5):
        return False, _("returns make a customer kept dearer, not cheaper: multiply by the "
                        "factor, do not take off the returns.")
    return False, _("multiply both ends of the CAC range by the platform's printed factor.")


@exercise("clv-5", chapter="04_clv", case="platforms", answer=_odd_platform,
          prompt=N_("Which platform's stated '1:n' ratio does not follow from its CAC and "
                    "CLV ranges?"))
def _clv_5(answer, table):
    ratios = acquisition.clv_cac_ratios(table.set_index("platform"))
    expected = ratios.index[ratios["verdict"] == "inconsistent"].tolist()
    answer = _one_item(answer)
    key = str(answer).strip().lower()
    got = _PLATFORM_NAMES.get(key, _PLATFORM_NAMES.get(str(answer).strip()))
    if got is None:
        raise Unreadable(_("name one platform: Taobao, JD, Pinduoduo or Douyin (or 淘宝, "
                           "京东, 拼多多, 抖音)."))
    if [got] == expected:
        return True, _("right: the midpoints give {mid:.1f}, not the stated ratio, which "
                       "needs the best case (highest CLV over lowest CAC, {best:.2f}).").format(
            mid=ratios.loc[got, "ratio_mid"], best=ratios.loc[got, "ratio_best"])
    return False, _("{platform}'s stated ratio is within {gap:.0%} of its midpoint ratio; "
                    "look for the largest gap.").format(platform=_platform_name(got),
                                                        gap=abs(ratios.loc[got, "gap"]))


@exercise("clv-6", chapter="04_clv", case="quadrant", answer=_quadrant,
          prompt=N_("Quadrant of a customer by current and future value (one threshold for "
                    "both)."))
def _clv_6(answer, q):
    quadrant = _quadrant(q)
    text = str(_one_item(answer)).strip()
    names = _quadrant_names()
    got = names.get(text.lower()) or next(
        (n for n in clv.QUADRANTS.index if n in text), None)
    if got is None:
        raise Unreadable(_("answer with a quadrant name: 贵宾型, 改进型, 维持型 or 放弃型 "
                           "(or MVC, MGC, maintain, below-zero)."))
    now = _high_low(q["current_value"], q["threshold"])
    later = _high_low(q["future_value"], q["threshold"])
    if got == quadrant:
        return True, _("right: {quadrant} — {now} current value, {later} future value.").format(
            quadrant=got, now=now, later=later)
    swapped = _quadrant({**q, "current_value": q["future_value"],
                         "future_value": q["current_value"]})
    if got == swapped:
        return False, _("you swapped the axes: current value is the horizontal axis, future "
                        "value the vertical one.")
    return False, _("compare each value with the threshold: is the current value high or "
                    "low? The future value? Then find that cell.")
