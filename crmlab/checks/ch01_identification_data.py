"""Exercise checks of chapter 1, customer identification: several steps on data (ident-8 … 10).

Each exercise takes a data file through the chapter's pipeline in several steps, as the
lecture's cells do, with the student's own settings. Cases (a courseware-style example
without a student id, the student's own variant with one):

* ``ident_merge`` — a synthetic customer file (size and seed) and a set of linkage rules
  other than the default: clean, merge into a single customer view, measure the view
  against the file's true ids (:mod:`crmlab.customer_file`, :mod:`crmlab.identify`);
* ``ident_cdnow`` — an analysis date, state rules and one group (a state and a kind of
  buyer) on CDNOW: keep the purchases up to the date, label the states, count;
* ``ident_caravan`` — a number of personas k and one persona on Caravan: cluster, then the
  share of the persona's customers who own a caravan policy
  (:func:`crmlab.personas.find_personas`).

Every expected answer is computed from the case by crmlab's compute functions (cached: a
check re-runs no pipeline it has run). Every sentence a student reads is English inside
``_()``, translated by the catalog ``ch01_identification_data``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

import pandas as pd

from .. import customer_file, i18n, identify, personas, synthetic
from ..datasets import load_dataset
from ..i18n import N_
from ..i18n import gettext as _
from .core import Unreadable, case, exercise, read_number, read_pair

__all__ = ["CHAPTER"]

#: The chapter of the exercises (its no-id data: crmlab.checks.ch01_identification).
CHAPTER = "01_identification"


# ------------------------------------------------------------------ ident-8: the merge
_RULE_SETS = (("phone",), ("phone", "email"), ("phone", "email", "name+birth_date"),
              ("email", "name+birth_date", "org_name+city"),
              (*customer_file.DEFAULT_RULES, "name+city"))


@lru_cache(maxsize=16)
def _merge(n_people: int, seed: int, rules: tuple) -> dict:
    file = synthetic.make_customer_file(n_people, seed=seed)
    truth = file.pop("true_id")
    clean = customer_file.clean_customers(file)
    view = customer_file.single_customer_view(clean, rules=rules)
    quality = identify.linkage_quality(view.report["customer_id"], truth)
    return {"customers": len(view.customers), "recall": round(float(quality["recall"]), 6),
            "precision": round(float(quality["precision"]), 6), "records": len(file),
            "usable": int((view.report["status"] != "rejected").sum())}


def _merge_of(c) -> dict:
    return _merge(c["n_people"], c["seed"], tuple(c["rules"]))


def _merge_valid(c) -> bool:
    mine = _merge_of(c)
    default = _merge(c["n_people"], c["seed"], tuple(customer_file.DEFAULT_RULES))
    return mine["customers"] != default["customers"] and mine["recall"] < 1


@case("ident_merge", valid=_merge_valid)
def _merge_case(draw) -> dict:
    if draw is None:
        return {"n_people": 150, "seed": 7, "rules": ["phone", "email", "name+birth_date"]}
    return {"n_people": draw.integer(80, 240), "seed": draw.integer(1, 10**6),
            "rules": list(draw.choice(_RULE_SETS))}


#: The names a student may give the two values of ident-8.
_MERGE_KEYS = (("customers", "customer", "客户", "客户数", "n", "count", "单一客户视图"),
               ("recall", "召回率", "查全率"))


@exercise("ident-8", chapter=CHAPTER, case="ident_merge", keys=_MERGE_KEYS,
          answer=lambda c: (_merge_of(c)["customers"], _merge_of(c)["recall"]),
          prompt=N_("Single customer view under your rules (steps)."))
def _ident_8(answer, c):
    result = _merge_of(c)
    customers, recall = read_pair(answer, _("the number of customers and the recall"),
                                  keys=_MERGE_KEYS, example="(150, 0.9)")
    if 0 < customers <= 1 < recall:
        return False, _("the two values are in the other order: give (customers, recall).")
    recall = recall / 100 if 1 < recall <= 100 else recall
    right_n = customers == result["customers"]
    right_r = abs(recall - result["recall"]) <= 0.0005
    if right_n and right_r:
        return True, _("correct: {n} customers, recall {recall:.4f} (precision "
                       "{precision:.4f}).").format(n=result["customers"],
                                                    recall=result["recall"],
                                                    precision=result["precision"])
    default = _merge(c["n_people"], c["seed"], tuple(customer_file.DEFAULT_RULES))
    if not right_n:
        if customers == result["records"]:
            return False, _("that counts the records of the file; count the customers of the "
                            "single view.")
        if customers == result["usable"]:
            return False, _("that counts the records that were not rejected; several records "
                            "may be one customer.")
        if customers == default["customers"]:
            return False, _("that is the view with the default rules; merge with your rules.")
        return False, _("check the number of customers: clean the file, merge it with your "
                        "rules, count the rows of the view.")
    if abs(recall - result["precision"]) <= 0.0005:
        return False, _("the customers are right; that is the precision — recall is the "
                        "share of the true pairs that were found.")
    return False, _("the customers are right; check the recall: measure the view's customer "
                    "ids against the file's true ids.")


# ------------------------------------------------------------------ ident-9: CDNOW
_BUYER_COLUMNS = {"first-time": "first_time", "repeat": "repeat"}


@lru_cache(maxsize=32)
def _cdnow_counts(as_of: str, lost_after: int, min_purchases: int,
                  before: bool = False) -> dict:
    """Customers per (state, buyer) on CDNOW up to ``as_of`` (``before``: strictly before,
    a student's slip), and per state under ``(state, "")``."""
    log = load_dataset("cdnow_master")
    when = pd.Timestamp(as_of)
    log = log[log["date"] < when] if before else log[log["date"] <= when]
    counts = identify.state_counts(identify.customer_states(
        log, as_of=as_of, lost_after=lost_after, min_purchases=min_purchases))
    out = {(state, ""): int(n) for state, n in counts["customers"].items()}
    for buyer, column in _BUYER_COLUMNS.items():
        out |= {(state, buyer): int(n) for state, n in counts[column].items()}
    return out


def _cdnow_count(q) -> int:
    return _cdnow_counts(q["as_of"], q["lost_after"], q["min_purchases"])[
        (q["state"], q["buyer"])]


_MONTH_ENDS = ("1997-09-30", "1997-10-31", "1997-11-30", "1997-12-31", "1998-01-31",
               "1998-02-28", "1998-03-31", "1998-04-30", "1998-05-31")


def _cdnow_valid(q) -> bool:
    n = _cdnow_count(q)
    key = (q["state"], q["buyer"])
    others = {_cdnow_counts(q["as_of"], 365, 2)[key],
              _cdnow_counts("1998-06-30", q["lost_after"], q["min_purchases"])[key],
              _cdnow_counts(q["as_of"], q["lost_after"], q["min_purchases"])[(q["state"], "")]}
    return n > 0 and n not in others


@case("ident_cdnow", valid=_cdnow_valid)
def _cdnow_case(draw) -> dict:
    if draw is None:
        return {"as_of": "1998-03-31", "lost_after": 180, "min_purchases": 2, "state": "lost",
                "buyer": "first-time"}
    return {"as_of": draw.choice(_MONTH_ENDS), "lost_after": draw.choice([90, 120, 150, 240,
                                                                          270]),
            "min_purchases": draw.integer(2, 4), "state": draw.choice(["actual", "lost"]),
            "buyer": draw.choice(["first-time", "repeat"])}


#: What a student writes after a count: 12727名客户, 12,727 customers.
_COUNT_WORDS = re.compile(r"\s*(?:名|位|个)?\s*(?:客户|顾客|买家|购买者|customers?|buyers?|people)?"
                          r"\s*$", re.IGNORECASE)


def _count(answer, q) -> float:
    """ident-9's count as a student gives it: a number, text ('12,727人', '12727名客户',
    '12727 customers'), a dict or Series of one entry ({'lost': 12727}), or a row or the
    table of identify.state_counts (its cell for the case's state and kind of buyer).

    >>> _count("12727名客户", {}), _count({"non-customer": 12727}, {})
    (12727.0, 12727.0)
    >>> counts = pd.DataFrame({"customers": [10, 7], "first_time": [6, 4],
    ...                        "repeat": [4, 3]}, index=["actual", "lost"])
    >>> _count(counts, {"state": "lost", "buyer": "repeat"})
    3.0
    """
    column = _BUYER_COLUMNS.get(q.get("buyer"), "customers")
    if isinstance(answer, pd.DataFrame) and column in answer.columns and \
            q.get("state") in answer.index:
        answer = answer.loc[q["state"], column]
    if isinstance(answer, (Mapping, pd.Series)):
        values = dict(answer)
        if column in values:
            answer = values[column]                  # a row of state_counts
        elif len(values) == 1:
            answer = next(iter(values.values()))     # {"lost": 12727}
    if isinstance(answer, str):
        answer = _COUNT_WORDS.sub("", unicodedata.normalize("NFKC", answer))
    return read_number(answer, example="1234")


def _group_name(state: str, buyer: str) -> str:
    if not buyer:
        return i18n.term(identify.STATE_TERMS[state])
    return _("{state}: {buyer}").format(
        buyer=i18n.term(identify.BUYER_TERMS[buyer]),
        state=i18n.term(identify.STATE_TERMS[state]))


@exercise("ident-9", chapter=CHAPTER, case="ident_cdnow", answer=_cdnow_count,
          prompt=N_("CDNOW buyers of one kind in a state at your date and rules."))
def _ident_9(answer, q):
    expected = _cdnow_count(q)
    got = _count(answer, q)
    group = _group_name(q["state"], q["buyer"])
    rules = (q["as_of"], q["lost_after"], q["min_purchases"])
    if got == expected:
        return True, _("correct: {n:,} customers on {date} ({group}).").format(
            n=expected, group=group, date=q["as_of"])
    if 0 < got < 1:
        return False, _("give the number of customers, not their share.")
    counts = _cdnow_counts(*rules)
    if got == counts[(q["state"], "")]:
        return False, _("that is everyone in the state; count only those who are a "
                        "{buyer} (with your min_purchases = {m}).").format(
                            buyer=i18n.term(identify.BUYER_TERMS[q["buyer"]]),
                            m=q["min_purchases"])
    for key, n in counts.items():
        if key != (q["state"], q["buyer"]) and n == got and n > 0:
            return False, _("that is the number of another group ({group}).").format(
                group=_group_name(*key))
    if got == _cdnow_counts(*rules, before=True)[(q["state"], q["buyer"])]:
        return False, _("keep the purchases up to and including {date} (<=, not <).").format(
            date=q["as_of"])
    if got == _cdnow_counts("1998-06-30", q["lost_after"], q["min_purchases"])[
            (q["state"], q["buyer"])]:
        return False, _("that is the count at the end of the data: keep only the purchases up "
                        "to {date} and use it as the analysis date.").format(date=q["as_of"])
    if got == _cdnow_counts(q["as_of"], 365, 2)[(q["state"], q["buyer"])]:
        return False, _("that uses the default rules; set lost_after and min_purchases as "
                        "your exercise says.")
    return False, _("keep the purchases up to {date}, label the states with your rules, and "
                    "count the customers in the group {group}.").format(
                        date=q["as_of"], group=group)


# ------------------------------------------------------------------ ident-10: Caravan
@lru_cache(maxsize=1)
def _caravan() -> pd.DataFrame:
    return load_dataset("caravan")


@lru_cache(maxsize=8)
def _caravan_labels(k: int) -> pd.Series:
    return personas.find_personas(_caravan(), k, columns=personas.CARAVAN_COLUMNS).labels


def _owner_share(q) -> float:
    owners = _caravan()["Purchase"] == "Yes"
    return round(float(owners[_caravan_labels(q["k"]) == q["persona"]].mean()), 6)


@case("ident_caravan", valid=lambda q: abs(_owner_share(q) - 348 / 5822) > 0.002)
def _caravan_case(draw) -> dict:
    if draw is None:
        return {"k": 3, "persona": 3}
    k = draw.integer(3, 5)
    return {"k": k, "persona": draw.integer(1, k)}


_FRACTION = re.compile(r"(\d+(?:\.\d+)?)\s*(?:/|÷)\s*(\d+(?:\.\d+)?)")


def _share(answer) -> float:
    """ident-10's share as a student gives it: a number, a percentage ("11.45%") or a
    fraction of counts ("97/847").

    >>> _share("97/847") == 97 / 847, _share("11.45%")
    (True, 0.1145)
    """
    if isinstance(answer, str):
        fraction = _FRACTION.fullmatch(unicodedata.normalize("NFKC", answer).strip())
        if fraction:
            top, bottom = float(fraction.group(1)), float(fraction.group(2))
            if bottom == 0:
                raise Unreadable(_("a fraction with 0 below the line has no value; give the "
                                   "share, e.g. 0.25."))
            return top / bottom
    return read_number(answer, example="0.25")


@exercise("ident-10", chapter=CHAPTER, case="ident_caravan", answer=_owner_share,
          prompt=N_("Caravan: caravan-policy owners in one persona."))
def _ident_10(answer, q):
    expected = _owner_share(q)
    got = _share(answer)
    labels = _caravan_labels(q["k"])
    owners = _caravan()["Purchase"] == "Yes"
    members = labels == q["persona"]
    if got > 1:
        if got == owners[members].sum():
            return False, _("that is the number of owners; give their share of the "
                            "persona's customers.")
        if got == members.sum():
            return False, _("that is the persona's size; give the share of its customers "
                            "who own a caravan policy.")
        got = got / 100
    if abs(got - expected) <= 0.0005:
        return True, _("correct: {share:.1%} of the {n:,} customers of persona {p} own a "
                       "caravan policy (all customers: 6.0%).").format(
                           share=expected, n=int(members.sum()), p=q["persona"])
    if abs(got - 348 / 5822) <= 0.0005:
        return False, _("that is the share among all customers; take persona {p}'s customers "
                        "only.").format(p=q["persona"])
    if abs(got - members.mean()) <= 0.0005:
        return False, _("that is the persona's share of all customers; the question is the "
                        "share of owners within it.")
    for other in range(1, q["k"] + 1):
        if other != q["persona"] and abs(got - owners[labels == other].mean()) <= 0.0005:
            return False, _("that is another persona's share: personas are numbered by size, "
                            "1 the largest.")
    return False, _("cluster with k = {k} on the chapter's columns (personas.CARAVAN_COLUMNS, "
                    "random_state at its default), then take persona {p}.").format(
                        k=q["k"], p=q["persona"])

