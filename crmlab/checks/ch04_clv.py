"""Exercise checks of chapter 4, CLV (clv-1 … clv-11), and their cases.

Cases: ``two_firms`` (the two firms of lectures 2–4, ch. 4 §4.2.3; a variant changes their
sizes and churn), ``margin_multiple`` (a retention rate and a discount rate),
``platform_cac`` (one platform's CAC range, return rate and printed multiplier; the
courseware's is Pinduoduo), ``platforms`` (the 2023 platform table of courseware ch. 3,
§3.2: the exercise on its inconsistent ratio is the same for everyone), ``quadrant`` (one
customer and the value threshold), ``cdnow_customer`` (a CDNOW repeat buyer and a horizon;
the courseware-free default is Fader, Hardie & Lee's customer 1), ``cdnow_spender`` (a
CDNOW buyer with at least two repeat purchases, a horizon in months and a monthly discount
rate), ``sbg_projection`` (a cohort, its calibration years and a later year) and
``holdout_split`` (a calibration end for the CDNOW sample).
Every expected answer is computed by crmlab's compute functions from the case.

Every sentence a student reads is English inside ``_("...")``, translated by the catalog
``ch04_clv`` at call time.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from .. import acquisition, btyd, clv, gamma_gamma, group_clv, i18n, retention
from ..datasets import load_dataset
from ..i18n import N_, gettext as _
from .core import (Unreadable, case, close, exercise, read_by_label, read_number, read_pair,
                   read_ratio)

#: The customer of Fader, Hardie & Lee (2005), CDNOW sample id 1.
PAPER_CUSTOMER = {"frequency": 2, "recency": 30.43, "T": 38.86}

_PLATFORM_NAMES = {"taobao": "Taobao", "淘宝": "Taobao", "jd": "JD", "京东": "JD",
                   "pinduoduo": "Pinduoduo", "拼多多": "Pinduoduo", "pdd": "Pinduoduo",
                   "douyin": "Douyin", "抖音": "Douyin", "抖音电商": "Douyin"}

#: The chapter's weeks per month (lifetimes' constant) and the other usual conventions a
#: student may use for a month of weekly data: 52/12 and 365.25/7/12.
WEEKS_PER_MONTH = gamma_gamma.PERIODS_PER_MONTH["weeks"]
_OTHER_MONTHS = (52 / 12, 365.25 / 7 / 12)


def _platforms() -> pd.DataFrame:
    return load_dataset("platform_cac_2023").set_index("platform")


def _platform_name(platform: str) -> str:
    """The platform's name in the current language (淘宝 … in Chinese)."""
    if i18n.get_language() == "zh":
        return str(_platforms()["platform_zh"].get(platform, platform))
    return platform


@lru_cache(maxsize=1)
def _calibration() -> pd.DataFrame:
    return btyd.repeat_purchase_table(load_dataset("cdnow_sample"), customer="sample_id",
                                      amount="dollars", calibration_end="1997-09-30")


@lru_cache(maxsize=1)
def _cdnow_fit() -> btyd.BGNBDFit:
    return btyd.fit_bgnbd(_calibration())


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


@case("cdnow_customer")
def _customer_case(draw) -> dict:
    if draw is None:
        return {**PAPER_CUSTOMER, "horizon": 39}
    table = _calibration()
    repeat = table[table["frequency"] > 0]
    row = repeat.iloc[draw.integer(0, len(repeat) - 1)]
    return {"frequency": int(row["frequency"]), "recency": round(float(row["recency"]), 2),
            "T": round(float(row["T"]), 2), "horizon": draw.choice([13, 26, 39, 52])}


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


def _one(c, recency=None) -> pd.DataFrame:
    return pd.DataFrame({"frequency": [c["frequency"]],
                         "recency": [c["recency"] if recency is None else recency],
                         "T": [c["T"]]})


def _prediction(c) -> float:
    return round(float(_cdnow_fit().conditional_expected_purchases(_one(c), c["horizon"])
                       .iloc[0]), 6)


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


@exercise("clv-7", chapter="04_clv", case="cdnow_customer", answer=_prediction,
          prompt=N_("E[X(t)] for one CDNOW customer from the BG/NBD fitted to the CDNOW "
                    "sample."))
def _clv_7(answer, c):
    fit = _cdnow_fit()
    expected = _prediction(c)
    got = read_number(answer)
    if abs(got - expected) <= 0.001:
        return True, _("correct: {n:.3f} purchases in the next {weeks} weeks.").format(
            n=expected, weeks=c["horizon"])
    rfm_recency = max(0.0, c["T"] - c["recency"])
    if abs(got - fit.conditional_expected_purchases(
            _one(c, recency=rfm_recency), c["horizon"]).iloc[0]) <= 0.001:
        return False, _("that uses RFM's recency, the time since the last purchase (T − t_x); "
                        "BG/NBD's t_x is the time of the last purchase, counted from the "
                        "first one.")
    if c["horizon"] != 39 and abs(got - fit.conditional_expected_purchases(
            _one(c), 39).iloc[0]) <= 0.001:
        return False, _("that is over 39 weeks, the chapter's horizon_weeks; your horizon "
                        "is {weeks} weeks.").format(weeks=c["horizon"])
    if abs(got - fit.expected_purchases(c["horizon"])) <= 0.001:
        return False, _("that is a new customer's E[X(t)]; condition on this customer's "
                        "history.")
    if abs(got - fit.p_alive(_one(c)).iloc[0]) <= 0.001:
        return False, _("that is P(alive); the question asks for expected purchases.")
    return False, _("condition on this customer's own x, t_x and T, over the horizon in "
                    "weeks the question gives.")


# ------------------------------------------------- the models on real data: clv-8 … clv-11
@lru_cache(maxsize=1)
def _spend_fit() -> gamma_gamma.GammaGammaFit:
    return gamma_gamma.fit_gamma_gamma(_calibration())


def _spender_row(customer: dict) -> pd.DataFrame:
    return pd.DataFrame({k: [customer[k]] for k in ("frequency", "recency", "T", "monetary")})


@case("cdnow_spender")
def _spender_case(draw) -> dict:
    table = _calibration()
    # two or more repeat purchases: with one, "spend × purchases" equals the spend
    repeat = table[table["frequency"] >= 2]
    row = repeat.loc[1] if draw is None else repeat.iloc[draw.integer(0, len(repeat) - 1)]
    return {"customer": int(row.name), "frequency": int(row["frequency"]),
            "recency": round(float(row["recency"]), 2), "T": round(float(row["T"]), 2),
            "monetary": round(float(row["monetary"]), 2),
            "months": 12 if draw is None else draw.choice([6, 12, 18, 24]),
            "monthly_discount": 0.01 if draw is None else draw.choice([0.005, 0.01, 0.015,
                                                                       0.02])}


def _close_to_model(got: float, expected: float) -> bool:
    """Within 0.01 or 0.1%: the case shows the customer's inputs rounded to 2 places."""
    return close(got, expected, max(0.01, 1e-3 * abs(expected)))


def _expected_spend(c) -> float:
    return round(float(_spend_fit().expected_spend(_spender_row(c)).iloc[0]), 6)


def _customer_clv(c) -> float:
    value = gamma_gamma.customer_lifetime_value(_cdnow_fit(), _spend_fit(), _spender_row(c),
                                                months=c["months"],
                                                monthly_discount=c["monthly_discount"])
    return round(float(value.iloc[0]), 6)


def _clv_by_hand(c, weeks_per_month: float) -> float:
    """The same sum with any length of month (the chapter's units lesson), by hand."""
    one, fit = _spender_row(c), _cdnow_fit()
    spend = _spend_fit().expected_spend(one).iloc[0]
    upto = [fit.conditional_expected_purchases(one, k * weeks_per_month).iloc[0]
            for k in range(c["months"] + 1)]
    return float(sum(spend * (upto[k] - upto[k - 1]) / (1 + c["monthly_discount"]) ** k
                     for k in range(1, c["months"] + 1)))


@exercise("clv-8", chapter="04_clv", case="cdnow_spender", answer=_expected_spend,
          prompt=N_("Gamma-Gamma: a CDNOW repeat buyer's expected spend per purchase."))
def _clv_8(answer, c):
    expected = _expected_spend(c)
    got = read_number(answer)
    if _close_to_model(got, expected):
        if expected < c["monetary"]:
            return True, _("correct: {spend:.2f} dollars, their own mean {own:.2f} shrunk "
                           "down towards the population's.").format(spend=expected,
                                                                   own=c["monetary"])
        return True, _("correct: {spend:.2f} dollars, their own mean {own:.2f} shrunk up "
                       "towards the population's.").format(spend=expected, own=c["monetary"])
    if close(got, c["monetary"], 0.01):
        return False, _("that is the customer's own average; the model weighs it against the "
                        "population's, more so the fewer purchases there are.")
    if _close_to_model(got, expected * c["frequency"]) \
            or _close_to_model(got, c["monetary"] * c["frequency"]):
        return False, _("that multiplies by the number of purchases; the question asks for "
                        "the spend per purchase.")
    population = _spend_fit().expected_spend(_spender_row({**c, "frequency": 0})).iloc[0]
    if close(got, population, 0.01):
        return False, _("that is the population mean; condition on this customer's "
                        "purchases.")
    return False, _("fit the Gamma-Gamma model to the repeat buyers of the calibration "
                    "table, then ask it for this customer's expected spend.")


@exercise("clv-9", chapter="04_clv", case="cdnow_spender", answer=_customer_clv,
          prompt=N_("The same customer's CLV over your horizon at your monthly discount rate "
                    "(a month of 4.345 weeks; 52/12 is accepted too)."))
def _clv_9(answer, c):
    expected = _customer_clv(c)
    got = read_number(answer)
    if _close_to_model(got, expected):
        return True, _("correct: {value:.2f} dollars over {months} months at {rate:.1%} a "
                       "month (revenue, not margin).").format(
            value=expected, months=c["months"], rate=c["monthly_discount"])
    if any(_close_to_model(got, _clv_by_hand(c, f)) for f in _OTHER_MONTHS):
        return True, _("correct: {value:.2f} dollars with your length of month (the chapter's "
                       "4.345 weeks gives {chapter:.2f}; the difference is only the "
                       "convention).").format(value=got, chapter=expected)
    if close(got, _customer_clv({**c, "monthly_discount": 0.0}), 0.01):
        return False, _("that is undiscounted: discount each month's value at your monthly "
                        "rate.")
    if c["months"] != 12 and close(got, _customer_clv({**c, "months": 12}), 0.01):
        return False, _("that is 12 months; your horizon is {months} months.").format(
            months=c["months"])
    if _close_to_model(got, _clv_by_hand(c, 30.0)):
        return False, _("that counts a month as 30 weeks (a month of 30 days applied to "
                        "weekly data); the data count time in weeks, about 4.345 a month.")
    if _close_to_model(got, _clv_by_hand(c, 1.0)):
        return False, _("that counts each month as one week; the data count time in weeks, "
                        "about 4.345 a month.")
    return False, _("combine both fits: expected purchases month by month (BG/NBD, weeks "
                    "converted to months) times expected spend (Gamma-Gamma), discounted.")


@case("sbg_projection")
def _sbg_case(draw) -> dict:
    if draw is None:
        return {"cohort": "regular", "calibration_years": 7, "year": 12}
    return {"cohort": draw.choice(["regular", "high_end"]),
            "calibration_years": draw.choice([4, 5, 6, 8, 9]),
            "year": draw.integer(10, 12)}


def _cohort(name: str) -> pd.Series:
    return load_dataset("retention_cohorts").pivot(index="year", columns="cohort",
                                                   values="survivors_pct")[name]


def _sbg_survival(q) -> float:
    counts = _cohort(q["cohort"]).loc[0:q["calibration_years"]] * 10
    return round(float(100 * retention.fit_sbg(counts).survival(q["year"])), 6)


@exercise("clv-10", chapter="04_clv", case="sbg_projection", answer=_sbg_survival,
          prompt=N_("sBG: fit a cohort's first years and project its survival (%) in a later "
                    "year."))
def _clv_10(answer, q):
    expected = _sbg_survival(q)
    got = read_number(answer)
    got = got * 100 if got <= 1 else got
    year, k = q["year"], q["calibration_years"]
    if close(got, expected, 0.05):
        return True, _("correct: {pct:.1f}% of the cohort still a customer in year {year} "
                       "(the sBG projection).").format(pct=expected, year=year)
    cohort = _cohort(q["cohort"])
    counts = cohort.loc[0:k] * 10
    constant = 100 * retention.constant_retention_rate(counts) ** year
    last_rate = cohort[k] * (cohort[k] / cohort[k - 1]) ** (year - k)
    if close(got, constant, 0.05):
        return False, _("that is the constant-retention projection r^t of section 10; the sBG "
                        "lets each customer have their own churn probability, so retention "
                        "rises with tenure.")
    if close(got, last_rate, 0.05):
        return False, _("that projects the last retention rate as a constant; the sBG lets "
                        "each customer have their own churn probability.")
    if year in cohort.index and close(got, cohort[year], 0.05):
        return False, _("that is the observed value; the question asks for the model's "
                        "projection.")
    if close(got, 100 * retention.fit_sbg(cohort * 10).survival(year), 0.05):
        return False, _("that fits every year of the cohort; fit only years 0–{k}, the years "
                        "you would know.").format(k=k)
    return False, _("fit the sBG to years 0–{k} of your cohort only, then project year "
                    "{year}.").format(k=k, year=year)


@case("holdout_split")
def _holdout_case(draw) -> dict:
    ends = ["1997-06-30", "1997-07-31", "1997-08-31", "1997-10-31", "1997-11-30"]
    return {"calibration_end": "1997-09-30" if draw is None else draw.choice(ends),
            "holdout_end": "1998-06-30"}


@lru_cache(maxsize=8)
def _holdout_totals(calibration_end: str, holdout_end: str) -> tuple:
    table = btyd.repeat_purchase_table(load_dataset("cdnow_sample"), customer="sample_id",
                                       amount="dollars", calibration_end=calibration_end,
                                       holdout_end=holdout_end)
    fit = btyd.fit_bgnbd(table)
    weeks = float(table["duration_holdout"].iloc[0])      # the same for every customer
    predicted = fit.conditional_expected_purchases(table, weeks).sum()
    return round(float(predicted), 6), int(table["frequency_holdout"].sum())


@exercise("clv-11", chapter="04_clv", case="holdout_split",
          answer=lambda s: _holdout_totals(s["calibration_end"], s["holdout_end"]),
          prompt=N_("Holdout check: predicted and actual repeat purchases after your "
                    "calibration end."))
def _clv_11(answer, split):
    predicted, actual = _holdout_totals(split["calibration_end"], split["holdout_end"])
    lo, hi = read_pair(answer, _("predicted and actual"))
    if close(lo, actual, 0.5) and close(hi, predicted, 1.0):
        return False, _("right numbers, wrong order: predicted first, then actual.")
    if close(lo, predicted, 1.0) and close(hi, actual, 0.5):
        return True, _("correct: {predicted:,.1f} predicted against {actual:,} actual "
                       "({gap:+.1%}).").format(predicted=predicted, actual=actual,
                                               gap=predicted / actual - 1)
    if close(hi, actual, 0.5):
        table = btyd.repeat_purchase_table(load_dataset("cdnow_sample"), customer="sample_id",
                                           amount="dollars", **split)
        weeks = float(table["duration_holdout"].iloc[0])
        if close(lo, _cdnow_fit().conditional_expected_purchases(table, weeks).sum(), 1.0):
            return False, _("the actual count is right, but that prediction comes from the "
                            "model fitted to another calibration period: refit on yours.")
        return False, _("the actual count is right; the prediction sums every customer's "
                        "expected purchases over the holdout weeks, given their history.")
    return False, _("rebuild the table with calibration_end {start} and holdout_end {end}, "
                    "refit, then predict each customer's holdout purchases.").format(
        start=split["calibration_end"], end=split["holdout_end"])
