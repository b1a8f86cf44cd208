"""Exercise checks of chapter 5, the satisfaction trap (sat-1 … sat-7), and their cases.

Cases: ``sat_gap`` (one customer's expectation and experience; the chapter's own example
is 8 and 6), ``sat_nps`` (a vector of 0–10 recommend answers; the chapter's own is
[10, 9, 8, 7, 6, 0]), ``sat_pair`` (one customer's satisfaction on Heskett et al.'s
1–5 scale, a repurchase intention in percent, and the typology's cut-offs),
``coca_cola`` (a complaint survey's rates; the courseware's are case collection case 2
under its probable readings), ``defection_rates`` (three annual defection rates; Reichheld
& Sasser's are 20%, 10% and 5%), ``sat_panel`` (the parameters of a synthetic panel) and
``sat_survey`` (a satisfaction item, a loyalty item and two cut-offs of the ECSI mobile
survey). Every expected answer is computed by crmlab's compute functions from the case.
sat-8 (why CSAT alone predicts churn poorly) is free text and has no check.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

import numpy as np
import pandas as pd

from .. import defection, i18n, satisfaction
from ..datasets import load_dataset
from ..i18n import N_
from ..i18n import gettext as _
from .core import Unreadable, case, close, describe, exercise, normalise_text, read_number, \
    read_pair

CHAPTER = "05_satisfaction_trap"

#: The zones of Heskett et al. (1994) and the loyalty types of Jones & Sasser (1995), by
#: the labels crmlab.satisfaction returns, with their entries in the term list.
ZONE_TERMS = {"defection": "zone_defection", "indifference": "zone_indifference",
              "affection": "zone_affection"}
TYPE_TERMS = {"loyalist/apostle": "type_loyalist", "mercenary": "type_mercenary",
              "hostage": "type_hostage", "defector/terrorist": "type_defector"}


# ----------------------------------------------------------------------------- cases
@case("sat_gap", valid=lambda c: (c["expectation"], c["experience"]) != (8, 6))
def _gap_case(draw) -> dict:
    if draw is None:
        return {"expectation": 8, "experience": 6}
    e = draw.integer(3, 10)
    x = draw.integer(1, 10)
    while x == e:
        x = draw.integer(1, 10)
    return {"expectation": e, "experience": x}


def _nps(scores) -> float:
    return round(float(satisfaction.net_promoter_score(scores)["nps"]), 6)


@case("sat_nps", valid=lambda s: _nps(s) not in (0.0, 100.0, -100.0)
      and not float(_nps(s)).is_integer())
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


def _most_defectors(c) -> int:
    panel = defection.make_satisfaction_panel(**c)
    counts = panel.loc[panel["defected"] == 1, "csat"].value_counts()
    return int(counts.idxmax())


def _panel_valid(c) -> bool:
    panel = defection.make_satisfaction_panel(**c)
    counts = panel.loc[panel["defected"] == 1, "csat"].value_counts().sort_values()
    return counts.iloc[-1] > counts.iloc[-2]          # one level with the most defectors


@case("sat_panel", valid=_panel_valid)
def _panel_case(draw) -> dict:
    if draw is None:
        return {"n": 2000, "seed": defection.PANEL_SEED, "latent_strength": 0.6,
                "competitor_pressure": 0.3}
    return {"n": draw.choice([1000, 1500, 2000]), "seed": draw.integer(1, 999_999),
            "latent_strength": draw.step(0.3, 0.9, 0.1),
            "competitor_pressure": draw.step(0.1, 0.5, 0.05)}


@lru_cache(maxsize=1)
def _mobi() -> pd.DataFrame:
    return load_dataset("ecsi_mobi")


def _not_loyal_share(c) -> float:
    data = _mobi()
    happy = data[data[c["satisfaction"]] >= c["satisfied_from"]]
    return round(float((happy[c["loyalty"]] < c["loyal_from"]).mean()), 6)


_SURVEY_LECTURE = {"satisfaction": "CUSA1", "loyalty": "CUSL1", "satisfied_from": 9,
                   "loyal_from": 7}


def _survey_valid(c) -> bool:
    happy = (_mobi()[c["satisfaction"]] >= c["satisfied_from"]).sum()
    return (c != _SURVEY_LECTURE and happy >= 20
            and not close(_not_loyal_share(c), _not_loyal_share(_SURVEY_LECTURE), 1e-3))


@case("sat_survey", valid=_survey_valid)
def _survey_case(draw) -> dict:
    if draw is None:
        return dict(_SURVEY_LECTURE)
    return {"satisfaction": draw.choice(["CUSA1", "CUSA2", "CUSA3"]),
            "loyalty": draw.choice(["CUSL1", "CUSL3"]), "satisfied_from": draw.choice([8, 9]),
            "loyal_from": draw.choice([7, 8])}


# ------------------------------------------------------------------------- exercises
@exercise("sat-1", chapter=CHAPTER, case="sat_gap",
          answer=lambda c: (float(c["expectation"] - c["experience"]),
                            float(c["experience"] - c["expectation"])),
          prompt=N_("A customer's value of the courseware's formula 期望值 − 实际体验, and "
                    "satisfaction with the sign its own definition needs."))
def _sat_1(answer, c):
    e, x = c["expectation"], c["experience"]
    formula, consistent = e - x, x - e
    first, second = read_pair(answer, _("the courseware's value, then the consistent one"))
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
    return False, _("both values are differences of your customer's two numbers; read the "
                    "formula on the slide literally for the first.")


@exercise("sat-2", chapter=CHAPTER, case="sat_nps", answer=_nps,
          prompt=N_("The Net Promoter Score of a vector of 0–10 answers, in points."))
def _sat_2(answer, scores):
    expected = _nps(scores)
    got = read_number(answer)
    if close(got, expected, 0.01) or (expected != 0 and close(got * 100, expected, 0.01)):
        return True, _("correct: NPS {nps:.2f} points.").format(nps=expected)
    s = pd.Series(scores)
    promoters, detractors = int((s >= 9).sum()), int((s <= 6).sum())
    if close(got, promoters - detractors):
        return False, _("that is a difference of counts; NPS uses shares of all answers, "
                        "in points.")
    if close(got, float(s.mean()), 0.01):
        return False, _("that is the mean answer; NPS counts promoters and detractors.")
    wrong_cuts = {100 * (float((s >= 8).mean()) - float((s <= 6).mean())),
                  100 * (float((s >= 9).mean()) - float((s <= 7).mean())),
                  100 * (float((s >= 9).mean()) - float((s <= 5).mean())),
                  100 * (float((s >= 10).mean()) - float((s <= 6).mean()))}
    if any(close(got, v, 0.01) for v in wrong_cuts):
        return False, _("check the bands: promoters answer 9–10, passives 7–8, detractors "
                        "0–6.")
    if close(got, -expected, 0.01):
        return False, _("the sign is reversed: promoters minus detractors.")
    return False, _("count promoters and detractors, turn both into shares of all answers, "
                    "subtract, and give the result in points.")


def _label(text, names: Mapping[str, str], keys: Mapping[str, str]) -> str | None:
    """The crmlab label (of ``keys``) a student's text names, in English or Chinese."""
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
        for alias in i18n.term_aliases(key):
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
        z, t = _label(part, zones, ZONE_TERMS), _label(part, kinds, TYPE_TERMS)
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
        return True, _("correct: {zone}; type {type}.").format(
            zone=i18n.term(ZONE_TERMS[zone]), type=i18n.term(TYPE_TERMS[kind]))
    if right_zone:
        return False, _("the zone is right; for the type, compare the satisfaction with its "
                        "cut-off and the loyalty with its own cut-off, separately.")
    if right_type:
        return False, _("the type is right; the zone depends on the satisfaction answer "
                        "alone (1–2, 3–4, 5).")
    return False, _("neither label fits: the zone comes from the satisfaction answer on the "
                    "1–5 scale, the type from both numbers and their cut-offs.")


@exercise("sat-4", chapter=CHAPTER, case="coca_cola", answer=_coca,
          prompt=N_("A complaint survey: the share of unresolved complainants who neither "
                    "boycott nor reduce, and the word-of-mouth ratio."))
def _sat_4(answer, c):
    unchanged, ratio = _coca(c)
    a, b = read_pair(answer, _("the share, then the ratio"))
    if close(a, unchanged, 0.001) and close(b, ratio, 0.01):
        return True, _("correct: {share:.4f} of the unresolved complainants change nothing, "
                       "and each tells {ratio:.2f} times as many people.").format(
                           share=unchanged, ratio=ratio)
    if close(b, unchanged, 0.001) and close(a, ratio, 0.01):
        return False, _("swapped: the share first, then the ratio.")
    if close(a, 1 - c["boycott"], 0.001) or close(a, 1 - c["reduce"], 0.001):
        return False, _("the share leaves out only one group; those who boycott and those who "
                        "reduce are both changed.")
    if close(b, 1 / ratio, 0.01):
        return False, _("the ratio is upside down: people told by an unresolved complainant "
                        "over people told by a satisfied one.")
    if close(a, unchanged, 0.001):
        return False, _("the share is right; check the ratio.")
    if close(b, ratio, 0.01):
        return False, _("the ratio is right; check the share.")
    return False, _("the share is what is left after the two changed groups; the ratio "
                    "compares the two numbers of people told.")


def _three(answer, rates) -> list[float]:
    """Three lifetimes in the order of ``rates``: a list, a Series, a string, or a dict keyed
    by the rate (0.2, "20%", 20)."""
    if isinstance(answer, np.ndarray):
        answer = answer.ravel().tolist()
    if isinstance(answer, pd.Series):
        answer = answer.to_dict()
    if isinstance(answer, str):
        answer = [p for p in re.split(r"[,;，；、\s]+", normalise_text(answer)) if p]
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
    if not isinstance(answer, (list, tuple)) or len(answer) != len(rates):
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
        return True, _("correct: {years} years — halving the defection rate doubles the "
                       "expected lifetime.").format(
                           years=", ".join(f"{e:.2f}" for e in expected))
    if all(close(g, 1 / (1 - x), 0.01) for g, x in zip(got, rates)):
        return False, _("that divides by the retention rate; the lifetime is the inverse of "
                        "the defection rate.")
    if sorted(got) == sorted(e for e in expected) or all(
            close(g, e, 0.01) for g, e in zip(got, reversed(expected))):
        return False, _("right values in the wrong order: follow the order of your rates.")
    if all(close(g, x, 1e-4) or close(g, 100 * x, 1e-4) for g, x in zip(got, rates)):
        return False, _("those are the rates themselves; each customer leaves in a given year "
                        "with that probability — how many years on average until they do?")
    return False, _("under a constant annual defection rate, lifetimes are geometric; use "
                    "the mean of that distribution.")


@exercise("sat-6", chapter=CHAPTER, case="sat_panel", answer=_most_defectors,
          prompt=N_("On your synthetic panel, the CSAT level (1–10) with the most "
                    "defectors."))
def _sat_6(answer, c):
    expected = _most_defectors(c)
    got = read_number(answer)
    panel = defection.make_satisfaction_panel(**c)
    rates = panel.groupby("csat")["defected"].mean()
    if close(got, expected):
        share = float((panel["defected"] == 1)[panel["csat"] >= 7].sum()
                      / panel["defected"].sum())
        return True, _("correct: CSAT {level:g} — {share:.0%} of your panel's defectors "
                       "scored 7 or more: defection is not confined to the dissatisfied."
                       ).format(
                           level=expected, share=share)
    if close(got, float(rates.idxmax())):
        return False, _("that level has the highest defection rate; the question asks for "
                        "the most defectors, a count.")
    if close(got, float(panel["csat"].value_counts().idxmax())):
        return False, _("that level has the most customers; count only those who defected.")
    return False, _("make your panel with your parameters, keep the defectors, and count "
                    "them at each CSAT level.")


@exercise("sat-7", chapter=CHAPTER, case="sat_survey", answer=_not_loyal_share,
          prompt=N_("ECSI mobile survey: share of the highly satisfied who are not loyal, "
                    "for your items and cut-offs."))
def _sat_7(answer, c):
    expected = _not_loyal_share(c)
    got = read_number(answer)
    data = _mobi()
    happy = data[data[c["satisfaction"]] >= c["satisfied_from"]]
    if close(got, expected, 0.001) or close(got, 100 * expected, 0.1):
        return True, _("correct: {share:.1%} of the {n} respondents with {item} ≥ {cut} are "
                       "not loyal.").format(share=expected, n=len(happy),
                                            item=c["satisfaction"], cut=c["satisfied_from"])
    if close(got, (happy[c["loyalty"]] < c["loyal_from"]).sum()):
        return False, _("that is a count; give the share of the highly satisfied.")
    everyone = float(((data[c["satisfaction"]] >= c["satisfied_from"])
                      & (data[c["loyalty"]] < c["loyal_from"])).mean())
    if close(got, everyone, 0.001):
        return False, _("that is a share of all respondents; divide by the highly satisfied "
                        "only.")
    if close(got, float((happy[c["loyalty"]] <= c["loyal_from"]).mean()), 0.001):
        return False, _("a loyalty answer equal to the cut-off counts as loyal.")
    if close(got, 1 - expected, 0.001):
        return False, _("that is the loyal share; the question asks for the others.")
    return False, _("keep the respondents at or above your satisfaction cut-off, then find "
                    "the share below your loyalty cut-off.")
