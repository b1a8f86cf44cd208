"""Exercise checks of chapter 5, the satisfaction trap: the measures (sat-1 … sat-5).

Cases: ``sat_gap`` (one customer's expectation and experience; the chapter's own example
is 8 and 6), ``sat_nps`` (a vector of 0–10 recommend answers; the chapter's own is
[10, 9, 8, 7, 6, 0]), ``sat_pair`` (one customer's satisfaction on Heskett et al.'s
1–5 scale, a repurchase intention in percent, and the typology's cut-offs),
``coca_cola`` (a complaint survey's rates; the courseware's are case collection case 2
under its probable readings) and ``defection_rates`` (three annual defection rates;
Reichheld & Sasser's are 20%, 10% and 5%). Every expected answer is computed by crmlab's
compute functions from the case, at run time.

Shares and percentages, one rule for sat-2, sat-4 and sat-7 (the core's
:func:`crmlab.checks.forms.read_share`): a share may be written as a fraction (0.2167), a
percentage string ("21.67%") or a percent number (21.67: any plain number above 1 where a
share is asked); each is graded in the unit it is written in, and "close: give more
decimals" is said of any of them, alone or in a pair. NPS (sat-2) is in points, a percent
number, and is right to the nearest whole point, the way it is reported. Answers that are
the chapter's own example (the numbers on the page) are named as such.

The exercises on data (sat-6 on a synthetic panel, sat-7 on the ECSI survey, sat-8 free
text) are :mod:`crmlab.checks.ch05_satisfaction_data`; like every chapter module, each
imports only the checks core. Every sentence a student reads is English inside ``_()``,
translated by the catalog ``ch05_satisfaction``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from functools import lru_cache

import numpy as np
import pandas as pd

from .. import i18n, satisfaction
from ..datasets import load_dataset
from ..i18n import N_
from ..i18n import gettext as _
from .core import (
    Unreadable,
    agrees_when_rounded,
    case,
    chapter_example,
    close,
    close_hint,
    describe,
    exercise,
    normalise_text,
    one_value,
    pair_parts,
    read_number,
    read_pair,
    read_share,
    rounded_share,
    sentences,
)

CHAPTER = "05_satisfaction_trap"

#: The zones of Heskett et al. (1994) and the loyalty types of Jones & Sasser (1995), by
#: the labels crmlab.satisfaction returns, with their entries in the term list.
ZONE_TERMS = {"defection": "zone_defection", "indifference": "zone_indifference",
              "affection": "zone_affection"}
TYPE_TERMS = {"loyalist/apostle": "type_loyalist", "mercenary": "type_mercenary",
              "hostage": "type_hostage", "defector/terrorist": "type_defector"}
#: Other Chinese names of the same concepts in textbooks and translations, accepted beside
#: the term list's (which belongs to the chapter's content: these could move there).
EXTRA_NAMES = {"defection": ("叛离区",), "affection": ("喜爱区", "亲和区"),
               "mercenary": ("雇佣军",)}

#: The names a student may give the two values of a pair answer (dict keys, labelled
#: strings), English and Chinese, first the one the prompt uses.
GAP_KEYS = (("courseware", "courseware_formula", "courseware value", "formula", "课件",
             "课件公式", "课件值", "公式值"),
            ("consistent", "satisfaction", "consistent value", "definition", "一致",
             "一致值", "定义", "与定义一致"))
COCA_KEYS = (("share", "unchanged", "unresolved_unchanged", "neither", "比例", "份额", "占比",
              "不变", "未改变", "既不抵制也不减少"),
             ("ratio", "wom_ratio", "word of mouth", "times", "倍数", "比值", "口碑", "倍"))


# ----------------------------------------------------------------------------- cases
def _gap(c) -> tuple:
    return (float(c["expectation"] - c["experience"]), float(c["experience"] - c["expectation"]))


#: Section 1's two customers: expectation 6, experience 9 and expectation 8, experience 6.
_GAP_PAGE = ({"expectation": 6, "experience": 9}, {"expectation": 8, "experience": 6})


@case("sat_gap", valid=lambda c: _gap(c) not in {_gap(p) for p in _GAP_PAGE})
def _gap_case(draw) -> dict:
    if draw is None:
        return dict(_GAP_PAGE[1])
    e = draw.integer(3, 10)
    x = draw.integer(1, 10)
    while x == e:
        x = draw.integer(1, 10)
    return {"expectation": e, "experience": x}


def _nps(scores) -> float:
    return round(float(satisfaction.net_promoter_score(scores)["nps"]), 6)


def _nps_slips(scores) -> dict:
    """NPS by each usual slip, in points (for hints, and to keep variants telling them
    apart)."""
    s = pd.Series(scores)

    def share(mask) -> float:
        return 100 * float(mask.mean())
    return {"counts": float((s >= 9).sum() - (s <= 6).sum()), "mean": float(s.mean()),
            "seven_up": share(s >= 7) - share(s <= 6),
            "bands": (share(s >= 8) - share(s <= 6), share(s >= 9) - share(s <= 7),
                      share(s >= 9) - share(s <= 5), share(s >= 10) - share(s <= 6)),
            "promoters": share(s >= 9), "detractors": share(s <= 6),
            "reversed": share(s <= 6) - share(s >= 9)}


@lru_cache(maxsize=1)
def _nps_page() -> dict:
    """NPS the chapter shows: section 5's ECSI recommend item and the exercise's own
    answers without an id."""
    return {"ecsi": _nps(load_dataset("ecsi_mobi")["CUSL3"]), "lecture": _nps(_nps_case(None))}


def _nps_valid(scores) -> bool:
    nps = _nps(scores)
    if nps in (0.0, 100.0, -100.0) or float(nps).is_integer():
        return False
    slips = _nps_slips(scores)
    others = [slips["counts"], slips["mean"], slips["seven_up"], *slips["bands"],
              slips["promoters"], slips["detractors"], slips["reversed"], *_nps_page().values()]
    return all(abs(v - nps) > 1 for v in others)     # a whole-point answer tells them apart


@case("sat_nps", valid=_nps_valid)
def _nps_case(draw) -> list:
    if draw is None:
        return [10, 9, 8, 7, 6, 0]
    n = draw.integer(12, 30)
    centre = draw.integer(4, 9)
    return [int(min(10, max(0, centre + draw.integer(-5, 3)))) for _k in range(n)]


def _zone_type(c) -> dict:
    zone = satisfaction.satisfaction_zones([c["satisfaction"]]).iloc[0]
    kind = satisfaction.loyalty_types(
        pd.DataFrame({"satisfaction": [c["satisfaction"]], "loyalty": [c["loyalty"]]}),
        satisfied_from=c["satisfied_from"], loyal_from=c["loyal_from"])["type"].iloc[0]
    return {"zone": str(zone), "type": str(kind)}


_PAIR_LECTURE = {"satisfaction": 4, "loyalty": 40, "satisfied_from": 4, "loyal_from": 60}


@case("sat_pair", valid=lambda c: c["loyalty"] != c["loyal_from"]
      and _zone_type(c) != _zone_type(_PAIR_LECTURE))
def _pair_case(draw) -> dict:
    if draw is None:
        return dict(_PAIR_LECTURE)
    return {"satisfaction": draw.integer(1, 5), "loyalty": draw.integer(1, 19) * 5,
            "satisfied_from": 4, "loyal_from": draw.choice([50, 60, 70])}


def _coca(c) -> tuple:
    out = satisfaction.complaint_outcomes(**c)
    return (round(float(out["unresolved_unchanged"]), 6), round(float(out["wom_ratio"]), 6))


_COCA_LECTURE = {"satisfied_told": 4.5, "unresolved_told": 9.5, "boycott": 1 / 3,
                 "reduce": 0.45, "satisfied_buy_more": 0.10}
#: Section 4's other reading of the case's "13": 13% boycott (0.42 unchanged).
_COCA_13 = {**_COCA_LECTURE, "boycott": 0.13}


@case("coca_cola", valid=lambda c: c["boycott"] + c["reduce"] <= 0.95
      and not close(_coca(c)[1], round(_coca(c)[1], 1), 1e-9))
def _coca_case(draw) -> dict:
    if draw is None:
        return dict(_COCA_LECTURE)
    return {"satisfied_told": draw.step(3, 6, 0.5), "unresolved_told": draw.step(7, 15, 0.5),
            "boycott": draw.integer(15, 40) / 100, "reduce": draw.integer(20, 55) / 100,
            "satisfied_buy_more": draw.integer(5, 20) / 100}


#: Annual defection rates a variant may use (none gives the lecture's 5, 10 or 20 years).
RATES = (0.06, 0.07, 0.08, 0.09, 0.12, 0.15, 0.16, 0.18, 0.22, 0.24, 0.3, 0.35, 0.4)


@case("defection_rates", valid=lambda r: any(not (1 / x).is_integer() for x in r["rates"]))
def _rates_case(draw) -> dict:
    if draw is None:
        return {"rates": [0.20, 0.10, 0.05]}
    picked: list[float] = []
    while len(picked) < 3:
        rate = draw.choice(RATES)
        if rate not in picked:
            picked.append(rate)
    return {"rates": sorted(picked, reverse=True)}


def _lifetimes(r) -> tuple:
    return tuple(round(1 / x, 6) for x in r["rates"])


# ------------------------------------------------------------------------- exercises
@exercise("sat-1", chapter=CHAPTER, case="sat_gap", answer=_gap, keys=GAP_KEYS,
          prompt=N_("A customer's value of the courseware's formula 期望值 − 实际体验, and "
                    "satisfaction with the sign its own definition needs."))
def _sat_1(answer, c):
    formula, consistent = _gap(c)
    first, second = read_pair(answer, _("the courseware's value, then the consistent one"),
                              keys=GAP_KEYS)
    if close(first, formula) and close(second, consistent):
        verdict = _("satisfied") if consistent > 0 else _("dissatisfied")
        return True, _("correct: ({formula:g}, {consistent:g}) — by the definition the "
                       "customer is {verdict}, which only the second value says."
                       ).format(formula=formula, verdict=verdict, consistent=consistent)
    if close(first, consistent) and close(second, formula):
        return False, _("swapped: the courseware's formula comes first, the consistent "
                        "value second.")
    if close(first, formula) and close(second, formula):
        return False, _("the formula's value is right; now ask whether this customer's "
                        "experience beat the expectation, and give the value with the sign "
                        "that says so.")
    if close(abs(first), abs(formula)) and close(abs(second), abs(formula)):
        return False, _("the size is right; look again at which is subtracted from which in "
                        "each of the two values.")
    for k, page in enumerate(_GAP_PAGE, start=1):
        if any(close(first, a) and close(second, b) for a, b in (_gap(page), _gap(page)[::-1])):
            return False, chapter_example(_("customer {k} of section 1").format(k=k))
    return False, _("both values are differences of your customer's two numbers; read the "
                    "formula on the slide literally for the first.")


@exercise("sat-2", chapter=CHAPTER, case="sat_nps", answer=_nps,
          prompt=N_("The Net Promoter Score of a vector of 0–10 answers, in points."))
def _sat_2(answer, scores):
    expected = _nps(scores)
    raw = one_value(answer)
    points = 100 * read_share(raw)                  # 21.74, "21.74%" and 0.2174 alike
    whole = math.floor(expected + 0.5)
    if abs(points - expected) <= 0.5 + 1e-9:
        return True, _("correct: NPS {nps:.2f}, reported as {whole:+d} (to the nearest point, "
                       "as NPS usually is).").format(nps=expected, whole=whole)
    slips = _nps_slips(scores)

    def near(value) -> bool:
        return abs(points - value) <= 0.5 + 1e-9
    if close(read_number(raw), slips["counts"]):
        return False, _("that is a difference of counts; NPS uses shares of all answers, "
                        "in points.")
    if close(read_number(raw), slips["mean"], 0.01):
        return False, _("that is the mean answer; NPS counts promoters and detractors.")
    if near(slips["seven_up"]):
        return False, _("you counted the 7s and 8s as promoters: they are passives. Promoters "
                        "answer 9–10 only; passives count in the total but on neither side.")
    if any(near(v) for v in slips["bands"]):
        return False, _("check the bands: promoters answer 9–10, passives 7–8, detractors "
                        "0–6.")
    if near(slips["reversed"]):
        return False, _("the sign is reversed: promoters minus detractors.")
    if near(slips["promoters"]):
        return False, _("that is the share of promoters alone; subtract the share of "
                        "detractors.")
    if near(slips["detractors"]):
        return False, _("that is the share of detractors alone; NPS is the share of promoters "
                        "minus it.")
    page = _nps_page()
    if near(page["ecsi"]):
        return False, chapter_example(_("the ECSI recommend item of section 5"))
    if near(page["lecture"]):
        return False, chapter_example(_("the answers without a student id"))
    if rounded_share(raw, expected / 100):
        return False, close_hint()
    return False, _("count promoters and detractors, turn both into shares of all answers, "
                    "subtract, and give the result in points.")


def _label(text, names: Mapping[str, str]) -> str | None:
    """The crmlab label a student's text names, in English or Chinese."""
    if isinstance(text, (list, tuple)) and len(text) == 1:
        text = text[0]
    raw = normalise_text(text).lower().strip(" .。'\"")
    if raw in names:
        return names[raw]
    for word in re.split(r"\s*(?:/|／|或)\s*|\s+or\s+", raw):
        if word in names:
            return names[word]
    for name, label in sorted(names.items(), key=lambda kv: -len(kv[0])):
        if len(name) >= 2 and name in raw:
            return label
    return None


def _aliases(terms: Mapping[str, str]) -> dict:
    out = {}
    for label, key in terms.items():
        for alias in (*i18n.term_aliases(key), *EXTRA_NAMES.get(label, ())):
            out[alias.lower()] = label
        out[label.lower()] = label
    return out


def _zone_and_type(answer) -> tuple:
    zones, kinds = _aliases(ZONE_TERMS), _aliases(TYPE_TERMS)
    if isinstance(answer, pd.Series):
        answer = answer.to_dict()
    if isinstance(answer, str):
        answer = [p for p in re.split(r"[,;，；、\n]+|\s+(?:and|和)\s+", answer) if p.strip()]
    if isinstance(answer, Mapping):
        answer = list(answer.values())
    if not isinstance(answer, (list, tuple)) or len(answer) != 2:
        raise Unreadable(_("give two labels, the zone and the type, e.g. (\"indifference\", "
                           "\"mercenary\"); got {shown}.").format(shown=describe(answer)))
    found_zone = found_type = None
    for part in answer:
        z, t = _label(part, zones), _label(part, kinds)
        found_zone = found_zone or z
        found_type = found_type or t
    if found_zone is None or found_type is None:
        raise Unreadable(_("I could not find both a zone (defection, indifference, "
                           "affection) and a loyalty type (loyalist, mercenary, hostage, "
                           "defector) in {shown}.").format(shown=describe(answer)))
    return found_zone, found_type


@exercise("sat-3", chapter=CHAPTER, case="sat_pair", answer=_zone_type,
          prompt=N_("The Heskett zone and the Jones–Sasser loyalty type of a customer."))
def _sat_3(answer, c):
    expected = _zone_type(c)
    zone, kind = _zone_and_type(answer)
    right_zone, right_type = zone == expected["zone"], kind == expected["type"]
    if right_zone and right_type:
        text = _("correct: {zone}; type {type}. Both rest on the chapter's assumed cut-offs: "
                 "the zones split the 1–5 scale into 1–2 / 3–4 / 5; the typology's two "
                 "cut-offs are given, and the sources print no numbers.").format(
                     zone=i18n.term(ZONE_TERMS[zone]), type=i18n.term(TYPE_TERMS[kind]))
        if zone == "affection" and kind != "loyalist/apostle":
            text = sentences(text, _(
                "A customer in the zone of affection can still be a {type}: the zones describe "
                "how loyalty rises with satisfaction on average, the type reads this one "
                "customer's own repurchase intention against its cut-off.").format(
                    type=i18n.term(TYPE_TERMS[kind])))
        return True, text
    if right_zone:
        return False, _("the zone is right; for the type, compare the satisfaction with its "
                        "cut-off and the loyalty with its own cut-off, separately (a value at "
                        "or above a cut-off counts).")
    if right_type:
        return False, _("the type is right; the zone depends on the satisfaction answer "
                        "alone (the chapter's assumed bands 1–2 / 3–4 / 5).")
    return False, _("neither label fits: the zone comes from the satisfaction answer on the "
                    "1–5 scale, the type from both numbers and their cut-offs.")


def _pair_close(pieces) -> bool:
    """Each (raw, want, tolerance, is_share) right or rounded too early, one rounded."""
    rounded = 0
    for raw, want, tol, is_share in pieces:
        value = read_share(raw) if is_share else read_number(raw)
        if close(value, want, tol):
            continue
        if not (rounded_share(raw, want) if is_share else agrees_when_rounded(raw, want)):
            return False
        rounded += 1
    return rounded > 0


@exercise("sat-4", chapter=CHAPTER, case="coca_cola", answer=_coca, keys=COCA_KEYS,
          prompt=N_("A complaint survey: the share of unresolved complainants who neither "
                    "boycott nor reduce, and the word-of-mouth ratio."))
def _sat_4(answer, c):
    unchanged, ratio = _coca(c)
    raw_a, raw_b = pair_parts(answer, _("the share, then the ratio"), keys=COCA_KEYS)
    a_value, b = read_pair((raw_a, raw_b), _("the share, then the ratio"))
    a = read_share(raw_a)
    if close(a, unchanged, 0.001) and close(b, ratio, 0.01):
        return True, _("correct: {share:.2%} of the unresolved complainants change nothing, "
                       "and each tells {ratio:.2f} times as many people.").format(
                           share=unchanged, ratio=ratio)
    if close(read_share(raw_b), unchanged, 0.001) and close(a_value, ratio, 0.01):
        return False, _("swapped: the share first, then the ratio.")
    if close(a, 1 - c["boycott"], 0.001) or close(a, 1 - c["reduce"], 0.001):
        return False, _("the share leaves out only one group; those who boycott and those who "
                        "reduce are both changed.")
    if close(a, c["boycott"] + c["reduce"], 0.001):
        return False, _("that is the share who changed (boycott or reduce); the question asks "
                        "for the others.")
    if close(b, 1 / ratio, 0.01):
        return False, _("the ratio is upside down: people told by an unresolved complainant "
                        "over people told by a satisfied one.")
    if close(b, c["unresolved_told"] - c["satisfied_told"], 0.01):
        return False, _("that is a difference of the two numbers of people told; the ratio "
                        "divides one by the other.")
    for page, what in ((_COCA_LECTURE, _("case 2 as section 4 reads it")),
                       (_COCA_13, _("section 4's other reading of the case, 13%"))):
        share, times = _coca(page)
        if close(a, share, 0.001) and close(b, times, 0.01):
            return False, chapter_example(what)
    if _pair_close([(raw_a, unchanged, 0.001, True), (raw_b, ratio, 0.01, False)]):
        return False, close_hint()
    if close(a, unchanged, 0.001):
        return False, _("the share is right; check the ratio.")
    if close(b, ratio, 0.01):
        return False, _("the ratio is right; check the share.")
    return False, _("the share is what is left after the two changed groups; the ratio "
                    "compares the two numbers of people told.")


def _three(answer, rates) -> list[float]:
    """Three lifetimes in the order of ``rates``: a list, an array, a string, a Series or
    dict by position (keys 0, 1, 2 — ``1 / pd.Series(rates)`` — or 1, 2, 3), or keyed by
    the rate (0.2, "20%", 20)."""
    if isinstance(answer, np.ndarray):
        answer = answer.ravel().tolist()
    if isinstance(answer, pd.Series):
        answer = answer.to_dict()
    if isinstance(answer, str):
        answer = [p for p in re.split(r"[,;，；、\s]+", normalise_text(answer)) if p]
    n = len(rates)
    if isinstance(answer, Mapping) and len(answer) == n and all(
            isinstance(k, (int, np.integer)) and not isinstance(k, bool) for k in answer) \
            and sorted(int(k) for k in answer) in (list(range(n)), list(range(1, n + 1))):
        answer = [answer[k] for k in sorted(answer)]       # positions, not rates
    if isinstance(answer, Mapping):
        values = {}
        for key, value in answer.items():
            try:
                k = read_number(key) if not isinstance(key, (int, float)) else float(key)
            except Unreadable:
                raise Unreadable(_("label each lifetime with its defection rate, e.g. "
                                   "{{0.2: ..., 0.1: ...}}; got the key {key}.").format(
                                       key=describe(key))) from None
            k = k / 100 if k >= 1 else k
            values[round(k, 6)] = value
        missing = [r for r in rates if round(r, 6) not in values]
        if missing:
            raise Unreadable(_("I found no lifetime for the rate {rate:.0%}.").format(
                rate=missing[0]))
        answer = [values[round(r, 6)] for r in rates]
    if not isinstance(answer, (list, tuple)) or len(answer) != n:
        raise Unreadable(_("give three lifetimes in years, in the order of your rates; got "
                           "{shown}.").format(shown=describe(answer)))
    return [read_number(v) for v in answer]


@exercise("sat-5", chapter=CHAPTER, case="defection_rates", answer=_lifetimes,
          prompt=N_("Expected customer lifetime (years) at each of three annual defection "
                    "rates."))
def _sat_5(answer, r):
    rates = r["rates"]
    got = _three(answer, rates)
    expected = _lifetimes(r)
    if all(close(g, e, 0.01) for g, e in zip(got, expected)):
        return True, _("correct: {years} years. The lifetime is 1/d, so it grows in the same "
                       "proportion as the defection rate falls: from {high:.0%} to {low:.0%} "
                       "it is {factor:.2f} times as long.").format(
                           years=", ".join(f"{e:.2f}" for e in expected), high=max(rates),
                           low=min(rates), factor=max(rates) / min(rates))
    if all(close(g, 1 / (1 - x), 0.01) for g, x in zip(got, rates)):
        return False, _("that divides by the retention rate; the lifetime is the inverse of "
                        "the defection rate.")
    if all(close(g, (1 - x) / x, 0.01) for g, x in zip(got, rates)):
        return False, _("that counts only the years after the first, (1 − d)/d; the customer "
                        "is a customer in the year of leaving too, so the mean is 1/d.")
    if all(close(g, 12 / x, 0.1) for g, x in zip(got, rates)):
        return False, _("those are months; the rates are annual, so the lifetimes are in "
                        "years.")
    if sorted(got) == sorted(e for e in expected) or all(
            close(g, e, 0.01) for g, e in zip(got, reversed(expected))):
        return False, _("right values in the wrong order: follow the order of your rates.")
    if all(close(g, x, 1e-4) or close(g, 100 * x, 1e-4) for g, x in zip(got, rates)):
        return False, _("those are the rates themselves; each customer leaves in a given year "
                        "with that probability — how many years on average until they do?")
    return False, _("under a constant annual defection rate, lifetimes are geometric; use "
                    "the mean of that distribution.")
