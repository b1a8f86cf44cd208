"""Exercise checks of chapter 4 (CLV); registered with :func:`crmlab.checks.exercise`.

Every expected answer is computed by crmlab's compute functions on the chapter's inputs
(the courseware tables in ``datasets/``, CDNOW); the published values are in the tests.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

from . import acquisition, btyd, clv, retention
from .checks import _by_label, _close, _number, _Unreadable, exercise
from .datasets import load_dataset

#: The customer of Fader, Hardie & Lee (2005) used in exercise clv-7 (CDNOW sample id 1).
PAPER_CUSTOMER = {"frequency": 2, "recency": 30.43, "T": 38.86}
#: Inputs of exercises clv-3 and clv-6 (chosen by the chapter, not courseware numbers).
MULTIPLE_INPUTS = {"retention": 0.9, "discount": 0.12}
QUADRANT_INPUTS = {"current_value": 800, "future_value": 200, "threshold": 500}

_PLATFORM_NAMES = {"taobao": "Taobao", "淘宝": "Taobao", "jd": "JD", "京东": "JD",
                   "pinduoduo": "Pinduoduo", "拼多多": "Pinduoduo", "pdd": "Pinduoduo",
                   "douyin": "Douyin", "抖音": "Douyin", "抖音电商": "Douyin"}


def _platforms() -> pd.DataFrame:
    return load_dataset("platform_cac_2023").set_index("platform")


@lru_cache(maxsize=1)
def _cdnow_fit() -> btyd.BGNBDFit:
    table = btyd.repeat_purchase_table(load_dataset("cdnow_sample"), customer="sample_id",
                                       amount="dollars", calibration_end="1997-09-30")
    return btyd.fit_bgnbd(table)


def _pair(answer, what: str) -> tuple[float, float]:
    if isinstance(answer, Mapping):
        answer = list(answer.values())
    if isinstance(answer, (Sequence, np.ndarray, pd.Series)) and not isinstance(answer, str) \
            and len(answer) == 2:
        return _number(answer[0]), _number(answer[1])
    raise _Unreadable(f"give two numbers, {what}, e.g. (100, 200).")


@exercise("clv-1", chapter="04_clv",
          prompt="Mean customer lifetime T = 1/r_L of firm 1 and firm 2 (years).")
def _clv_1(answer):
    firms = clv.churn_table(load_dataset("two_firms_churn")).set_index("firm")
    expected = {str(k): v for k, v in firms["lifetime_years"].items()}
    got = _by_label(answer, list(expected), "firm")
    if all(_close(got[k], expected[k]) for k in expected):
        return True, "correct: 5 and 10 years — half the churn, twice the lifetime."
    if all(_close(got[k], firms["churn_rate"][int(k)]) for k in expected):
        return False, "those are the churn rates r_L; the lifetime is their inverse."
    return False, "first r_L = lost per year / customers, then T = 1 / r_L."


@exercise("clv-2", chapter="04_clv",
          prompt="Firm 1's group churn loss divided by firm 2's, V_{q,l} = N·r_L·V_k, same V_k.")
def _clv_2(answer):
    firms = load_dataset("two_firms_churn").set_index("firm")
    loss = {k: clv.base_churn_cost(row["customers"], row["lost_per_year"] / row["customers"], 1.0)
            for k, row in firms.iterrows()}
    expected = loss[1] / loss[2]
    got = _number(answer)
    if _close(got, expected):
        return True, f"correct: {expected:g} : 1 — whatever V_k is, it cancels."
    if _close(got, 1 / expected):
        return False, "upside down: firm 1 over firm 2."
    return False, "write N·r_L·V_k for both firms; V_k is the same and cancels."


@exercise("clv-3", chapter="04_clv",
          prompt="Margin multiple r/(1+i−r) at retention 0.9 and discount 0.12.")
def _clv_3(answer):
    expected = retention.margin_multiple(**MULTIPLE_INPUTS)
    got = _number(answer)
    if _close(got, expected):
        return True, f"correct: {expected:.2f} periods of margin."
    r, i = MULTIPLE_INPUTS["retention"], MULTIPLE_INPUTS["discount"]
    if _close(got, (1 + i) / (1 + i - r)):
        return False, "that is the start-of-period convention m(1+i)/(1+i−r); use r/(1+i−r)."
    if _close(got, 1 / (1 + i - r)):
        return False, "that is m/(1+i−r) (first margin certain); the multiple has r on top."
    return False, "compute r / (1 + i − r) with r = 0.9 and i = 0.12."


@exercise("clv-4", chapter="04_clv",
          prompt="Pinduoduo's effective CAC range (low, high) with the printed multiplier.")
def _clv_4(answer):
    eff = acquisition.effective_cac(_platforms()).loc["Pinduoduo"]
    lo, hi = _pair(answer, "low and high")
    if _close(lo, eff["eff_cac_min"]) and _close(hi, eff["eff_cac_max"]):
        return True, f"correct: {eff['eff_cac_min']:g}–{eff['eff_cac_max']:g} 元 (80–150 × 1.3)."
    if _close(lo, 80) and _close(hi, 150):
        return False, "that is the stated CAC; multiply both ends by the adjustment factor."
    return False, "multiply both ends of the CAC range by Pinduoduo's factor."


@exercise("clv-5", chapter="04_clv",
          prompt="Which platform's stated '1:n' ratio does not follow from its CAC and CLV ranges?")
def _clv_5(answer):
    ratios = acquisition.clv_cac_ratios(_platforms())
    expected = ratios.index[ratios["verdict"] == "inconsistent"].tolist()
    key = str(answer).strip().lower()
    got = _PLATFORM_NAMES.get(key, _PLATFORM_NAMES.get(str(answer).strip()))
    if got is None:
        raise _Unreadable("name one platform: Taobao, JD, Pinduoduo or Douyin (or 淘宝, 京东, "
                          "拼多多, 抖音).")
    if [got] == expected:
        mid = ratios.loc[got, "ratio_mid"]
        return True, (f"right: the midpoints give {mid:.1f}, not 18; 1:18 needs the best case "
                      f"(highest CLV over lowest CAC, {ratios.loc[got, 'ratio_best']:.2f}).")
    return False, (f"{got}'s stated ratio is within {abs(ratios.loc[got, 'gap']):.0%} of its "
                   f"midpoint ratio; look for the largest gap.")


@exercise("clv-6", chapter="04_clv",
          prompt="Quadrant of a customer with current value 800 and future value 200 "
                 "(thresholds 500).")
def _clv_6(answer):
    q = QUADRANT_INPUTS
    person = pd.DataFrame({"current_value": [q["current_value"]],
                           "future_value": [q["future_value"]]})
    placed = clv.clv_quadrants(person, current_threshold=q["threshold"],
                               future_threshold=q["threshold"]).iloc[0]
    text = str(answer).strip()
    names = {name: name for name in clv.QUADRANTS.index}
    names.update({"mvc": "贵宾型", "mgc": "改进型", "below-zero": "放弃型", "below zero": "放弃型"})
    got = names.get(text) or names.get(text.lower()) or next(
        (n for n in clv.QUADRANTS.index if n in text), None)
    if got is None:
        raise _Unreadable("answer with a quadrant name: 贵宾型, 改进型, 维持型 or 放弃型.")
    if got == placed["quadrant"]:
        return True, f"right: {got} ({placed['alias']}) — high current value, low future value."
    return False, "current value 800 ≥ 500 is high, future value 200 < 500 is low: which cell?"


@exercise("clv-7", chapter="04_clv",
          prompt="E[X(39)] for the paper's customer (x 2, t_x 30.43, T 38.86) from the "
                 "BG/NBD fitted to CDNOW.")
def _clv_7(answer):
    customer = pd.DataFrame({k: [v] for k, v in PAPER_CUSTOMER.items()})
    fit = _cdnow_fit()
    expected = fit.conditional_expected_purchases(customer, 39).iloc[0]
    got = _number(answer)
    if abs(got - expected) <= 0.001:
        return True, f"correct: {expected:.3f} purchases in the next 39 weeks."
    if abs(got - fit.expected_purchases(39)) <= 0.001:
        return False, "that is a new customer's E[X(39)]; condition on this customer's history."
    if abs(got - fit.p_alive(customer).iloc[0]) <= 0.001:
        return False, "that is P(alive); the question asks for expected purchases."
    return False, "use fit.conditional_expected_purchases(customer, 39)."
