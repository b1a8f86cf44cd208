"""Exercise checks of chapter 4, CLV (clv-1 … clv-7), and their cases.

Cases: ``two_firms`` (courseware F6's two firms; a variant changes their sizes and churn),
``margin_multiple`` (a retention rate and a discount rate), ``platform_cac`` (one
platform's CAC range and multipliers; the courseware's is Pinduoduo), ``platforms`` (the
courseware's 2023 platform table: the exercise on its inconsistent ratio is the same for
everyone), ``quadrant`` (one customer and the value thresholds) and ``cdnow_customer``
(a CDNOW repeat buyer and a horizon; the courseware's is Fader, Hardie & Lee's customer).
Every expected answer is computed by crmlab's compute functions from the case.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from .. import acquisition, btyd, clv, gamma_gamma, i18n, retention
from ..datasets import load_dataset
from .core import Unreadable, case, close, exercise, read_by_label, read_number, read_pair

#: The customer of Fader, Hardie & Lee (2005), CDNOW sample id 1.
PAPER_CUSTOMER = {"frequency": 2, "recency": 30.43, "T": 38.86}

_PLATFORM_NAMES = {"taobao": "Taobao", "淘宝": "Taobao", "jd": "JD", "京东": "JD",
                   "pinduoduo": "Pinduoduo", "拼多多": "Pinduoduo", "pdd": "Pinduoduo",
                   "douyin": "Douyin", "抖音": "Douyin", "抖音电商": "Douyin"}


def _platforms() -> pd.DataFrame:
    return load_dataset("platform_cac_2023").set_index("platform")


@lru_cache(maxsize=1)
def _calibration() -> pd.DataFrame:
    return btyd.repeat_purchase_table(load_dataset("cdnow_sample"), customer="sample_id",
                                      amount="dollars", calibration_end="1997-09-30")


@lru_cache(maxsize=1)
def _cdnow_fit() -> btyd.BGNBDFit:
    return btyd.fit_bgnbd(_calibration())


@case("two_firms", valid=lambda t: t["lost_per_year"].iloc[0] * t["customers"].iloc[1]
      != t["lost_per_year"].iloc[1] * t["customers"].iloc[0])
def _firms_case(draw) -> pd.DataFrame:
    firms = load_dataset("two_firms_churn")[["firm", "customers", "lost_per_year"]]
    if draw is None:
        return firms
    n = [draw.integer(5, 50) * 10 for _ in range(2)]
    rates = [draw.integer(4, 40) / 100 for _ in range(2)]
    firms["customers"] = n
    firms["lost_per_year"] = [max(1, round(k * r)) for k, r in zip(n, rates)]
    return firms


@case("margin_multiple")
def _multiple_case(draw) -> dict:
    if draw is None:
        return {"retention": 0.9, "discount": 0.12}
    return {"retention": round(draw.integer(10, 19) * 0.05, 2),
            "discount": draw.integer(5, 20) / 100}


@case("platform_cac", valid=lambda t: not close(
    t["eff_mult_stated"].iloc[0], acquisition.return_multiplier(t["return_rate"].iloc[0])))
def _platform_case(draw) -> pd.DataFrame:
    cols = ["platform", "cac_min", "cac_max", "return_rate", "eff_mult_stated"]
    if draw is None:
        return load_dataset("platform_cac_2023").loc[lambda t: t["platform"] == "Pinduoduo",
                                                     cols].reset_index(drop=True)
    low = draw.integer(5, 40) * 10
    rate = draw.integer(5, 40) / 100
    return pd.DataFrame({"platform": ["your platform"], "cac_min": [low],
                         "cac_max": [low + draw.integer(3, 25) * 10], "return_rate": [rate],
                         "eff_mult_stated": [draw.integer(11, 15) / 10]})


@case("platforms", varies=False)
def _platforms_case(draw) -> pd.DataFrame:
    return load_dataset("platform_cac_2023")


@case("quadrant", valid=lambda q: q["threshold"] not in (q["current_value"], q["future_value"])
      and _quadrant(q) != _quadrant(_quadrant_case(None)))     # not the lecture's answer
def _quadrant_case(draw) -> dict:
    if draw is None:
        return {"current_value": 800, "future_value": 200, "threshold": 500}
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


def _lifetimes(firms) -> dict:
    table = clv.churn_table(firms).set_index("firm")
    return {str(k): round(float(v), 6) for k, v in table["lifetime_years"].items()}


def _loss_ratio(firms) -> float:
    """V_{q,l} of firm 1 over firm 2 with the same V_k (1): N·r_L of each."""
    rows = firms.set_index("firm")
    loss = {k: clv.base_churn_cost(row["customers"], row["lost_per_year"] / row["customers"], 1.0)
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


def _prediction(c) -> float:
    customer = pd.DataFrame({k: [c[k]] for k in ("frequency", "recency", "T")})
    return round(float(_cdnow_fit().conditional_expected_purchases(customer, c["horizon"])
                       .iloc[0]), 6)


@exercise("clv-1", chapter="04_clv", case="two_firms", answer=_lifetimes,
          prompt="Mean customer lifetime T = 1/r_L of firm 1 and firm 2 (years).")
def _clv_1(answer, firms):
    table = clv.churn_table(firms).set_index("firm")
    expected = _lifetimes(firms)
    got = read_by_label(answer, list(expected), "firm")
    if all(close(got[k], expected[k], 0.01) for k in expected):
        return True, ("correct: " + " and ".join(f"{v:.2f}" for v in expected.values())
                      + " years — the lifetime is the inverse of the churn rate.")
    if all(close(got[k], table["churn_rate"][int(k)], 1e-4) for k in expected):
        return False, "those are the churn rates r_L; the lifetime is their inverse."
    return False, "first r_L = lost per year / customers, then T = 1 / r_L."


@exercise("clv-2", chapter="04_clv", case="two_firms", answer=_loss_ratio,
          prompt="Firm 1's group churn loss divided by firm 2's, V_{q,l} = N·r_L·V_k, same V_k.")
def _clv_2(answer, firms):
    rows = firms.set_index("firm")
    expected = _loss_ratio(firms)
    got = _ratio(answer)
    if close(got, expected, 0.01):
        return True, f"correct: {expected:.4g} : 1 — whatever V_k is, it cancels."
    if close(got, 1 / expected, 0.01):
        return False, "upside down: firm 1 over firm 2."
    rates = rows["lost_per_year"] / rows["customers"]
    if close(got, rates[1] / rates[2], 0.01) and rows["customers"][1] != rows["customers"][2]:
        return False, "that compares the churn rates only; the loss is N·r_L·V_k."
    return False, "write N·r_L·V_k for both firms; V_k is the same and cancels."


def _ratio(answer) -> float:
    """Read 2, '2', '2:1', '2 : 1', '2比1' or '2倍' as a number."""
    if isinstance(answer, str):
        text = answer.replace("：", ":").replace("比", ":").replace(" ", "").rstrip("倍x×")
        if text.count(":") == 1:
            a, b = (read_number(x) for x in text.split(":"))
            if b == 0:
                raise Unreadable("the second part of a ratio cannot be 0.")
            return a / b
        return read_number(text)
    return read_number(answer)


@exercise("clv-3", chapter="04_clv", case="margin_multiple", answer=lambda m: round(
    retention.margin_multiple(retention=m["retention"], discount=m["discount"]), 6),
          prompt="Margin multiple r/(1+i−r) for a retention rate r and a discount rate i.")
def _clv_3(answer, inputs):
    r, i = inputs["retention"], inputs["discount"]
    expected = retention.margin_multiple(retention=r, discount=i)
    got = read_number(answer)
    if close(got, expected):
        return True, f"correct: {expected:.2f} periods of margin."
    if close(got, (1 + i) / (1 + i - r)):
        return False, "that is the start-of-period convention m(1+i)/(1+i−r); use r/(1+i−r)."
    if close(got, 1 / (1 + i - r)):
        return False, "that is m/(1+i−r) (first margin certain); the multiple has r on top."
    if close(got, r / (i - r)) or close(got, r / (1 - i - r)):
        return False, "check the denominator: 1 + i − r."
    return False, "compute r / (1 + i − r) with your retention and discount rates."


@exercise("clv-4", chapter="04_clv", case="platform_cac", answer=_cac_range,
          prompt="A platform's effective CAC range (low, high) with the printed multiplier.")
def _clv_4(answer, platform):
    eff = acquisition.effective_cac(platform).iloc[0]
    returns = acquisition.effective_cac(platform, multiplier="returns").iloc[0]
    row = platform.iloc[0]
    lo, hi = read_pair(answer, "low and high")
    if lo > hi:
        lo, hi = hi, lo
        if close(lo, eff["eff_cac_min"], 0.5) and close(hi, eff["eff_cac_max"], 0.5):
            return False, "right numbers, wrong order: give the low end first."
    if close(lo, eff["eff_cac_min"], 0.5) and close(hi, eff["eff_cac_max"], 0.5):
        return True, (f"correct: {eff['eff_cac_min']:g}–{eff['eff_cac_max']:g} 元 "
                      f"({row['cac_min']:g}–{row['cac_max']:g} × {row['eff_mult_stated']:g}).")
    if close(lo, returns["eff_cac_min"], 0.5) and close(hi, returns["eff_cac_max"], 0.5):
        return False, ("that uses the multiplier 1/(1 − return rate), a rule the courseware "
                       "never states; the question asks for the printed multiplier.")
    if close(lo, row["cac_min"], 0.5) and close(hi, row["cac_max"], 0.5):
        return False, "that is the stated CAC; multiply both ends by the adjustment factor."
    return False, "multiply both ends of the CAC range by the platform's printed factor."


@exercise("clv-5", chapter="04_clv", case="platforms", answer=_odd_platform,
          prompt="Which platform's stated '1:n' ratio does not follow from its CAC and CLV ranges?")
def _clv_5(answer, table):
    ratios = acquisition.clv_cac_ratios(table.set_index("platform"))
    expected = ratios.index[ratios["verdict"] == "inconsistent"].tolist()
    if isinstance(answer, (list, tuple)) and len(answer) == 1:
        answer = answer[0]
    key = str(answer).strip().lower()
    got = _PLATFORM_NAMES.get(key, _PLATFORM_NAMES.get(str(answer).strip()))
    if got is None:
        raise Unreadable("name one platform: Taobao, JD, Pinduoduo or Douyin (or 淘宝, 京东, "
                         "拼多多, 抖音).")
    if [got] == expected:
        mid = ratios.loc[got, "ratio_mid"]
        return True, (f"right: the midpoints give {mid:.1f}, not the stated ratio, which needs "
                      f"the best case (highest CLV over lowest CAC, "
                      f"{ratios.loc[got, 'ratio_best']:.2f}).")
    return False, (f"{got}'s stated ratio is within {abs(ratios.loc[got, 'gap']):.0%} of its "
                   f"midpoint ratio; look for the largest gap.")


@exercise("clv-6", chapter="04_clv", case="quadrant", answer=_quadrant,
          prompt="Quadrant of a customer by current and future value (one threshold for both).")
def _clv_6(answer, q):
    quadrant = _quadrant(q)
    alias = clv.QUADRANTS.loc[quadrant, "alias"]
    if isinstance(answer, (list, tuple)) and len(answer) == 1:
        answer = answer[0]
    text = str(answer).strip()
    names = _quadrant_names()
    got = names.get(text.lower()) or next(
        (n for n in clv.QUADRANTS.index if n in text), None)
    if got is None:
        raise Unreadable("answer with a quadrant name: 贵宾型, 改进型, 维持型 or 放弃型 "
                         "(or MVC, MGC, maintain, below-zero).")
    level = {True: "high", False: "low"}
    now = level[q["current_value"] >= q["threshold"]]
    later = level[q["future_value"] >= q["threshold"]]
    if got == quadrant:
        return True, (f"right: {got} ({alias}) — {now} current value, {later} "
                      f"future value.")
    return False, ("compare each value with the threshold: is the current value high or "
                   "low? The future value? Then find that cell.")


@exercise("clv-7", chapter="04_clv", case="cdnow_customer", answer=_prediction,
          prompt="E[X(t)] for one CDNOW customer from the BG/NBD fitted to the CDNOW sample.")
def _clv_7(answer, c):
    customer = pd.DataFrame({k: [c[k]] for k in ("frequency", "recency", "T")})
    fit = _cdnow_fit()
    expected = _prediction(c)
    got = read_number(answer)
    if abs(got - expected) <= 0.001:
        return True, f"correct: {expected:.3f} purchases in the next {c['horizon']} weeks."
    if abs(got - fit.expected_purchases(c["horizon"])) <= 0.001:
        return False, "that is a new customer's E[X(t)]; condition on this customer's history."
    if abs(got - fit.p_alive(customer).iloc[0]) <= 0.001:
        return False, "that is P(alive); the question asks for expected purchases."
    return False, ("condition on this customer's own x, t_x and T, over the horizon in "
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
    repeat = table[table["frequency"] > 0]
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


@exercise("clv-8", chapter="04_clv", case="cdnow_spender", answer=_expected_spend,
          prompt="Gamma-Gamma: a CDNOW repeat buyer's expected spend per purchase.")
def _clv_8(answer, c):
    expected = _expected_spend(c)
    got = read_number(answer)
    if _close_to_model(got, expected):
        shrink = "down" if expected < c["monetary"] else "up"
        return True, (f"correct: {expected:.2f} dollars, their own mean {c['monetary']:.2f} "
                      f"shrunk {shrink} towards the population's.")
    if close(got, c["monetary"], 0.01):
        return False, ("that is the customer's own average; the model weighs it against the "
                       "population's, more so the fewer purchases there are.")
    population = _spend_fit().expected_spend(_spender_row({**c, "frequency": 0})).iloc[0]
    if close(got, population, 0.01):
        return False, "that is the population mean; condition on this customer's purchases."
    return False, ("fit the Gamma-Gamma model to the repeat buyers of the calibration "
                   "table, then ask it for this customer's expected spend.")


@exercise("clv-9", chapter="04_clv", case="cdnow_spender", answer=_customer_clv,
          prompt="The same customer's CLV over your horizon at your monthly discount rate.")
def _clv_9(answer, c):
    expected = _customer_clv(c)
    got = read_number(answer)
    if _close_to_model(got, expected):
        return True, (f"correct: {expected:.2f} dollars over {c['months']} months at "
                      f"{c['monthly_discount']:.1%} a month (revenue, not margin).")
    undiscounted = {**c, "monthly_discount": 0.0}
    if close(got, _customer_clv(undiscounted), 0.01):
        return False, "that is undiscounted: discount each month's value at your monthly rate."
    if close(got, _customer_clv({**c, "months": 12}), 0.01) and c["months"] != 12:
        return False, f"that is 12 months; your horizon is {c['months']} months."
    return False, ("combine both fits: expected purchases month by month (BG/NBD, weeks "
                   "converted to months) times expected spend (Gamma-Gamma), discounted.")


@case("sbg_projection")
def _sbg_case(draw) -> dict:
    if draw is None:
        return {"cohort": "regular", "calibration_years": 7, "year": 12}
    return {"cohort": draw.choice(["regular", "high_end"]),
            "calibration_years": draw.choice([4, 5, 6, 8, 9]),
            "year": draw.integer(10, 12)}


def _sbg_survival(q) -> float:
    cohorts = load_dataset("retention_cohorts").pivot(index="year", columns="cohort",
                                                      values="survivors_pct")
    counts = cohorts.loc[0:q["calibration_years"], q["cohort"]] * 10
    return round(float(100 * retention.fit_sbg(counts).survival(q["year"])), 6)


@exercise("clv-10", chapter="04_clv", case="sbg_projection", answer=_sbg_survival,
          prompt="sBG: fit a cohort's first years and project its survival (%) in a later year.")
def _clv_10(answer, q):
    expected = _sbg_survival(q)
    got = read_number(answer)
    got = got * 100 if got <= 1 else got
    if close(got, expected, 0.05):
        return True, f"correct: {expected:.1f}% of the cohort still a customer in year {q['year']}."
    cohorts = load_dataset("retention_cohorts").pivot(index="year", columns="cohort",
                                                      values="survivors_pct")[q["cohort"]]
    k = q["calibration_years"]
    constant = cohorts[k] * (cohorts[k] / cohorts[k - 1]) ** (q["year"] - k)
    if close(got, constant, 0.05):
        return False, ("that projects the last retention rate as a constant; the sBG lets "
                       "each customer have their own churn probability.")
    if q["year"] in cohorts.index and close(got, cohorts[q["year"]], 0.05):
        return False, "that is the observed value; the question asks for the model's projection."
    return False, (f"fit the sBG to years 0–{k} of the {q['cohort']} cohort only, then "
                   f"project year {q['year']}.")


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
          prompt="Holdout check: predicted and actual repeat purchases after your calibration end.")
def _clv_11(answer, split):
    predicted, actual = _holdout_totals(split["calibration_end"], split["holdout_end"])
    lo, hi = read_pair(answer, "predicted and actual")
    if close(lo, actual, 0.5) and close(hi, predicted, 1.0):
        return False, "right numbers, wrong order: predicted first, then actual."
    if close(lo, predicted, 1.0) and close(hi, actual, 0.5):
        gap = predicted / actual - 1
        return True, (f"correct: {predicted:,.1f} predicted against {actual:,} actual "
                      f"({gap:+.1%}).")
    if close(hi, actual, 0.5):
        table = btyd.repeat_purchase_table(load_dataset("cdnow_sample"), customer="sample_id",
                                           amount="dollars", **split)
        weeks = float(table["duration_holdout"].iloc[0])
        if close(lo, _cdnow_fit().conditional_expected_purchases(table, weeks).sum(), 1.0):
            return False, ("the actual count is right, but that prediction comes from the "
                           "model fitted to another calibration period: refit on yours.")
        return False, ("the actual count is right; the prediction sums every customer's "
                       "expected purchases over the holdout weeks, given their history.")
    return False, (f"rebuild the table with calibration_end {split['calibration_end']} and "
                   f"holdout_end {split['holdout_end']}, refit, then predict each customer's "
                   f"holdout purchases.")
