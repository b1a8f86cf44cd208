"""Exercise checks of chapter 1, customer identification: one rule applied (ident-4 … ident-7).

Each exercise applies one of the chapter's rules to a few invented cases; the expected
answer is computed from the case by the chapter's tool for that rule. Cases (a
courseware-style example without a student id, the student's own variant with one):

* ``ident_states`` — five people, their purchases and last contacts, and a set of state
  rules (:func:`crmlab.identify.customer_states`); at least three states occur, and no
  customer sits on a threshold;
* ``ident_hsbc`` — three people's loyalty, value and status (the HSBC case, lectures
  2–4 ch. 4; :func:`crmlab.tiers.hsbc_tiers`), with B or C among their tiers; a prospect,
  not a customer yet, has no loyalty or value (None);
* ``ident_phone_invented`` — one mobile number, generated at random in a block not issued
  to subscribers, written the messy ways a file holds them
  (:func:`crmlab.privacy.mask_phone`);
* ``ident_pipl`` — two firms' previous-year turnovers, one below ¥1 billion and one above,
  for the ceiling of PIPL Art. 66 para. 2 (:func:`crmlab.privacy.pipl_fine_ceiling`).

The people, the number and the firms are invented: each case's data say so
(``synthetic``), as the chapter's synthetic files do.

Every sentence a student reads is English inside ``_()``, translated by the catalog
``ch01_identification_rules``; states and tiers are named by the term list.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

import numpy as np
import pandas as pd

from .. import i18n, identify, privacy, tiers
from ..i18n import N_
from ..i18n import gettext as _
from .core import (Unreadable, case, describe, exercise, labelled_values, listed,
                   read_assignments, read_number, values_in_text, vocabulary, wrong_items)

__all__ = ["CHAPTER"]

#: The chapter of the exercises (its no-id data: crmlab.checks.ch01_identification).
CHAPTER = "01_identification"


def _term_names(*keys: str) -> list[str]:
    return [name for key in keys for name in i18n.term_aliases(key)]


# ------------------------------------------------------------------ ident-4: the states
_STATES = vocabulary({
    "non-customer": [*_term_names("non_customer"), "non customer", "noncustomer", "none",
                     "not a customer", "非顾客"],
    "potential": [*_term_names("potential_customer"), "potential", "潜在", "潜在客户",
                  "prospective customer"],
    "actual": [*_term_names("actual_customer"), "actual", "现实", "现有客户", "current",
               "active", "active customer", "现实顾客"],
    "lost": [*_term_names("lost_customer"), "lost", "流失", "churned", "已流失客户",
             "lost customer", "former customer", "流失顾客"],
    "target": [*_term_names("target_customer"), "目标"],
    "buyer": [*_term_names("first_time_buyer", "repeat_buyer"), "first-time buyer",
              "repeat buyer", "初次购买", "重复购买", "忠实客户", "loyal customer"],
})
_AS_OF = "2025-06-30"
_RULES = ("lost_after", "min_purchases", "contact_window")


def _states_table(c, *, contacts: bool = True, **change) -> pd.DataFrame:
    rules = {k: c[k] for k in _RULES} | change
    people = c["people"] if contacts else c["people"].assign(last_contact=pd.NaT)
    return identify.customer_states(c["purchases"], people, as_of=c["as_of"], **rules)


def _states_of(c, *, contacts: bool = True, **change) -> dict:
    """Each person's state under the case's rules (``change`` replaces some; without
    ``contacts`` the last contacts are ignored, as a student who forgot them would)."""
    table = _states_table(c, contacts=contacts, **change)
    return {str(k): str(v) for k, v in sorted(table["state"].items())}


def _states_by_purchase_count(c) -> dict:
    """The wrong method the rule once was: fewer than ``min_purchases`` purchases makes a
    buyer potential (a purchase or contact within the window) or a non-customer."""
    table = _states_table(c)
    few = table["purchases"] < c["min_purchases"]
    recent = (table["days_since_purchase"] <= c["contact_window"]) | \
        (table["days_since_contact"] <= c["contact_window"])
    state = table["state"].where(~few, np.where(recent, "potential", "non-customer"))
    return {str(k): str(v) for k, v in sorted(state.items())}


def _states_valid(c) -> bool:
    states = _states_of(c)
    if len(set(states.values())) < 3 or _states_by_purchase_count(c) == states:
        return False
    table = _states_table(c)
    for column, limit in (("days_since_purchase", c["lost_after"]),
                          ("days_since_contact", c["contact_window"]),
                          ("days_since_purchase", c["contact_window"])):
        if ((table[column] - limit).abs() < 3).any():
            return False
    return True


@case("ident_states", valid=_states_valid)
def _states_case(draw) -> dict:
    ids = [f"c{k}" for k in range(1, 6)]
    when = pd.Timestamp(_AS_OF)
    if draw is None:
        purchases = [("c1", "2025-01-10"), ("c1", "2025-05-20"), ("c2", "2024-08-15"),
                     ("c3", "2025-06-01")]
        contacts = ["2025-05-20", "2024-09-01", None, "2025-05-15", "2024-12-01"]
        rules = {"lost_after": 180, "min_purchases": 2, "contact_window": 90}
    else:
        rules = {"lost_after": draw.choice([90, 120, 180, 270, 365]),
                 "min_purchases": draw.integer(2, 3),
                 "contact_window": draw.choice([30, 60, 90, 180])}
        purchases, contacts = [], []
        for customer in ids:
            n = draw.integer(0, rules["min_purchases"] + 1)
            last = draw.integer(5, 600)
            for k in range(n):
                ago = last + k * draw.integer(15, 120)
                purchases.append((customer, (when - pd.Timedelta(days=ago)).strftime("%Y-%m-%d")))
            # the last contact: never before the last purchase (a purchase is a contact)
            contact = draw.integer(3, last if n else 400) if draw.integer(0, 2) else None
            contacts.append(None if contact is None else
                            (when - pd.Timedelta(days=contact)).strftime("%Y-%m-%d"))
        if not purchases:
            purchases.append((ids[0], (when - pd.Timedelta(days=40)).strftime("%Y-%m-%d")))
    log = pd.DataFrame(purchases, columns=["customer_id", "date"])
    log["date"] = pd.to_datetime(log["date"])
    people = pd.DataFrame({"customer_id": ids, "last_contact": pd.to_datetime(contacts)})
    return {"purchases": log, "people": people, "as_of": _AS_OF, **rules}


@exercise("ident-4", chapter=CHAPTER, case="ident_states", answer=_states_of,
          prompt=N_("States of five people under given rules."))
def _ident_4(answer, c):
    expected = _states_of(c)
    items = {k: [] for k in expected}
    got = read_assignments(answer, items, _STATES, "{'c1': 'actual', 'c2': 'lost', ...}")
    wrong = wrong_items(got, expected)
    if not wrong:
        return True, _("correct: {states}.").format(states=listed(
            [f"{k} {i18n.term(identify.STATE_TERMS[v])}" for k, v in expected.items()]))
    hint = _states_hint(got, wrong, c)
    if isinstance(answer, (list, tuple, np.ndarray, pd.Index)) or \
            isinstance(answer, str) and isinstance(values_in_text(answer), list):
        # a list carries no names: say how it was read, in case its order was another
        hint = _("{hint} (A list is read in the order {order}; a dict or the state column "
                 "of customer_states keeps each state with its person.)").format(
                     hint=hint, order=listed(list(expected)))
    return False, hint


def _states_hint(got: dict, wrong: list, c) -> str:
    """What ident-4's wrong answer ``got`` missed: a kind of relationship or of buyer given
    as a state, a known wrong rule, or the people to check."""
    expected = _states_of(c)
    if any(got[k] == "target" for k in wrong):
        return _("目标客户 (target customer) is one of the courseware's five kinds of "
                 "relationship, but it is the firm's choice, not a fact in the data: "
                 "these rules have four states.")
    if any(got[k] == "buyer" for k in wrong):
        return _("first-time and repeat buyers are kinds of buyer inside a state: give "
                 "each person's state (a buyer is actual or lost).")
    if got == _states_by_purchase_count(c):
        return _("a buyer is never potential or a non-customer: a first-time buyer "
                 "(初次购买者) is an actual customer (lectures 2–4, ch. 4 §4.3). "
                 "min_purchases only separates first-time from repeat buyers.")
    for change, hint in (
            ({"contact_window": c["lost_after"]}, _("the window for potential customers is "
                                                    "contact_window, not lost_after.")),
            ({"contacts": False}, _("someone who never bought may still be potential: "
                                    "look at the last contacts too."))):
        if got == _states_of(c, **change) != expected:
            return hint
    buyers = [k for k in wrong if got[k] in ("potential", "non-customer")
              and expected[k] in ("actual", "lost")]
    if buyers:
        return _("{labels} bought, so they are actual or lost, whatever their number "
                 "of purchases.").format(labels=listed(buyers))
    return _("{right} of 5 right; check {labels}: apply the rules in order — "
             "actual, lost, potential, non-customer.").format(
                 right=5 - len(wrong), labels=listed(wrong))


# ------------------------------------------------------------------ ident-5: HSBC
_TIER_NAMES = vocabulary({
    "A": ["a", "tier a", "顶级", "top", "a级", "a类"],
    "B": ["b", "tier b", "b级", "b类"], "C": ["c", "tier c", "c级", "c类"],
    "D": ["d", "tier d", "小型", "small", "d级", "d类"],
    "E": ["e", "tier e", "非活跃客户", "非活跃", "inactive", "inactive customers", "e级", "e类"],
    "F": ["f", "tier f", "可能客户", "possible customers", "prospect", "prospects", "f级", "f类"],
    "B|C": ["大中型", "large/medium", "large or medium", "large-medium"],
})


def _hsbc_valid(table) -> bool:
    letters = tiers.hsbc_tiers(table)["tier"]
    return letters.isin(["B", "C"]).any() and letters.nunique() == 3 and \
        not table.equals(_hsbc_case(None))


@case("ident_hsbc", valid=_hsbc_valid)
def _hsbc_case(draw) -> pd.DataFrame:
    """Three people of the bank, invented (``synthetic`` says so): a prospect is not a
    customer yet, so has no loyalty or value to rate (None); an inactive customer keeps
    the levels it had, which its status overrides."""
    if draw is None:
        rows = [("high", "low", "active"), ("low", "low", "inactive"), ("low", "high", "active")]
    else:
        rows = []
        for _k in range(3):
            status = draw.choice(["active", "active", "active", "inactive", "prospect"])
            levels = (draw.choice(["high", "low"]), draw.choice(["high", "low"]))
            rows.append((*((None, None) if status == "prospect" else levels), status))
    table = pd.DataFrame(rows, columns=["loyalty", "value", "status"],
                         index=pd.Index(["c1", "c2", "c3"], name="customer"))
    return _invented(table)


def _invented(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` marked as invented for the exercise: a ``synthetic`` column (True) and
    ``attrs["synthetic"]``, as the chapter's synthetic files are."""
    table["synthetic"] = True
    table.attrs["synthetic"] = True
    return table


def _hsbc_key(table) -> dict:
    return tiers.hsbc_tiers(table)["tier"].to_dict()


@exercise("ident-5", chapter=CHAPTER, case="ident_hsbc", answer=_hsbc_key,
          prompt=N_("HSBC tiers (A–F) of three customers."))
def _ident_5(answer, table):
    expected = _hsbc_key(table)
    got = read_assignments(answer, {k: [] for k in expected}, _TIER_NAMES,
                       "{'c1': 'A', 'c2': 'E', 'c3': 'D'}")
    wrong = wrong_items(got, expected)
    if not wrong:
        return True, _("correct: {tiers}.").format(
            tiers=listed([f"{k} {v}" for k, v in expected.items()]))
    first = wrong[0]
    row = table.loc[first]
    if got[first] == "B|C":
        hint = _("大中型 names both B and C on the slide: give the letter.")
    elif row["status"] != "active" and got[first] in "ABCD":
        hint = _("{label} is not active: inactive customers and prospects sit outside the "
                 "loyalty × value grid.").format(label=first)
    elif {got[first], expected[first]} == {"B", "C"}:
        hint = _("For {label}, loyalty and value are swapped: read which of the two is "
                 "high.").format(label=first)
    elif {got[first], expected[first]} == {"E", "F"}:
        hint = _("E and F are two different groups: customers who have gone quiet, and "
                 "people who are not customers yet.")
    else:
        hint = _("Read {label}'s status first, then its loyalty and value.").format(
            label=first)
    return False, _("{right} of 3 right. {hint}").format(right=3 - len(wrong), hint=hint)


# ------------------------------------------------------------------ ident-6: masking
#: The mobile block the exercise's numbers come from: 154, a block of the mainland's 11-digit
#: plan reported (a 2022 press list of unallocated blocks: 142, 143, 154, 161, 164, 194; no
#: official MIIT table was found) as not allocated to any operator, so a real subscriber's
#: number is unlikely.
_BLOCK = "154"
_WIDE = str.maketrans("0123456789+-", "０１２３４５６７８９＋－")


#: The example number without an id, from the same unissued block as the variants.
_EXAMPLE_PHONE = "+86 154 2468 1357"


@case("ident_phone_invented", valid=lambda c: c["phone"] != _EXAMPLE_PHONE)
def _phone_case(draw) -> dict:
    """One mobile number, generated at random in the unallocated block ``_BLOCK`` (so the
    number is nobody's), written as a messy file holds it; ``synthetic`` says it is
    invented."""
    if draw is None:
        return {"phone": _EXAMPLE_PHONE, "synthetic": True}
    digits = _BLOCK + "".join(str(draw.integer(0, 9)) for _k in range(8))
    a, b, c = digits[:3], digits[3:7], digits[7:]
    style = draw.integer(0, 5)
    phone = [f"+86 {a} {b} {c}", f"+86-{a}-{b}-{c}", f"0086 {digits}", f"{a}-{b}-{c}",
             f"(+86){digits}", f"{a} {b} {c}".translate(_WIDE)][style]
    return {"phone": phone, "synthetic": True}


def _masked(c) -> str:
    return str(privacy.mask_phone(c["phone"]))


@exercise("ident-6", chapter=CHAPTER, case="ident_phone_invented", answer=_masked,
          prompt=N_("Mask a mobile number in the 3-4-4 form."))
def _ident_6(answer, c):
    expected = _masked(c)
    if isinstance(answer, (list, tuple, pd.Series, np.ndarray)) and len(answer) == 1:
        answer = list(answer)[0]
    if not isinstance(answer, str):
        raise Unreadable(_("give the masked number as text, e.g. '130****0000'."))
    text = unicodedata.normalize("NFKC", answer).strip().replace("＊", "*")
    plain = re.sub(r"[\s\-]", "", text)
    digits = privacy.normalise_phone(c["phone"])
    if plain == expected:
        return True, _("correct: {masked} — the first three and the last four digits.").format(
            masked=expected)
    if re.sub(r"\D", "", plain).endswith(digits) and "*" not in plain:
        return False, _("that is the number itself: hide the middle four digits.")
    if plain and set(plain) == {"*"}:
        return False, _("that hides every digit: mask the number itself, my_phone[\"phone\"], "
                        "not the whole dict exercise_data returns.")
    if plain.startswith(("+86", "86", "0086", "(+86)")) and "*" in plain:
        return False, _("drop the country code +86 first: the 3-4-4 form is the 11-digit "
                        "number.")
    if not re.fullmatch(r"[\d*]+", plain):
        raise Unreadable(_("I could not read {shown} as a masked number: digits and * only, "
                           "e.g. '130****0000'.").format(shown=describe(answer)))
    written = re.sub(r"\D", "", unicodedata.normalize("NFKC", c["phone"]))
    if plain[:3] in {written[:3], "008", "861"} - {digits[:3]} and plain[-4:] == digits[-4:]:
        return False, _("those first three digits are the country code's: drop 0086 or +86 "
                        "first, then mask the 11-digit number.")
    if plain.count("*") != 4:
        return False, _("hide exactly four digits, each as one *.")
    if len(plain) != 11 or not re.fullmatch(r"\d{3}\*{4}\d{4}", plain):
        return False, _("keep the first three and the last four digits, and hide the four in "
                        "between.")
    return False, _("the digits you show must be the number's own first three and last "
                    "four (full-width digits count as ordinary ones).")


# ------------------------------------------------------------------ ident-7: PIPL
@case("ident_pipl", valid=lambda t: not t.equals(_pipl_case(None)))
def _pipl_case(draw) -> pd.DataFrame:
    if draw is None:
        turnovers = [6e8, 3e9]
    else:
        small = draw.integer(2, 19) * 5e7            # ¥100 million to ¥950 million
        large = draw.integer(12, 400) * 1e8           # ¥1.2 billion to ¥40 billion
        turnovers = [small, large] if draw.integer(0, 1) else [large, small]
    return _invented(pd.DataFrame({"firm": ["A", "B"],
                                   "previous_year_turnover_yuan": turnovers}))


def _ceilings(table) -> dict:
    out = privacy.pipl_fine_ceiling(table["previous_year_turnover_yuan"].to_numpy())
    return {firm: float(v) for firm, v in zip(table["firm"], out["highest"])}


#: Chinese and English units of an amount, longest first ("元" is removed before).
_MULTIPLIERS = (("千万", 1e7), ("亿", 1e8), ("億", 1e8), ("万", 1e4), ("萬", 1e4), ("千", 1e3),
                ("billion", 1e9), ("million", 1e6), ("bn", 1e9), ("m", 1e6))
_POWER = re.compile(r"([-+]?\d+(?:\.\d+)?)\s*[x×*]\s*10\s*(?:\^|\*\*)\s*(\d+)")


def _yuan(value) -> float:
    """An amount of yuan as a student writes it: 50000000, '5000万', '5千万', '0.5亿元',
    '¥50 million', '1.62×10^9'; a message shows it as typed."""
    try:
        return _read_yuan(value)
    except Unreadable:
        raise Unreadable(_("I could not read {shown} as an amount of yuan; write, e.g., "
                           "50000000 or '5000万'.").format(shown=describe(value))) from None


def _read_yuan(value) -> float:
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip().lower().replace(",", "")
        text = re.sub(r"^(?:¥|rmb|cny)\s*|\s*(?:元|yuan|rmb|cny)$", "", text).strip()
        power = _POWER.fullmatch(text)
        if power:
            return float(power.group(1)) * 10 ** int(power.group(2))
        for word, factor in _MULTIPLIERS:
            if text.endswith(word):
                return read_number(text[: -len(word)].strip(), example="50000000") * factor
    return read_number(value, example="50000000")


def _by_firm(answer) -> dict:
    """One amount of yuan per firm: a dict or Series by firm ("A", "firm A", "企业B"), a
    pair in firm order, text "A: 5000万, B: 1.5亿", or pipl_fine_ceiling's table."""
    if isinstance(answer, pd.DataFrame):
        frame = answer.set_index("firm") if "firm" in answer.columns else answer
        numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])
                   and not pd.api.types.is_bool_dtype(frame[c])]   # not `synthetic`
        if "highest" not in frame.columns and not numeric:
            raise Unreadable(_firm_usage())
        answer = frame["highest" if "highest" in frame.columns else numeric[-1]]
    if isinstance(answer, pd.Series) and len(answer) == 2 and \
            list(answer.index) == list(range(2)):
        answer = answer.tolist()                   # pipl_fine_ceiling's rows, in order
    if isinstance(answer, str):
        answer = values_in_text(answer)
    if not isinstance(answer, (Mapping, pd.Series, list, tuple, np.ndarray)) or \
            np.ndim(answer) != 1 and not isinstance(answer, Mapping):
        raise Unreadable(_firm_usage())
    try:
        raw = labelled_values(answer, ["A", "B"], "firm")   # its message is replaced
    except Unreadable:
        raise Unreadable(_firm_usage()) from None
    # read: then only a key that names no firm ("C": 1) fails here, with its own message
    labelled_values(answer, ["A", "B"], _("firm"), refuse_unknown=True)
    out = {}
    for firm, value in raw.items():
        try:
            out[firm] = _yuan(value)
        except Unreadable as err:
            raise Unreadable(_("firm {firm}: {reason}").format(firm=firm, reason=err)) from None
    return out


def _amount(yuan: float) -> str:
    """An amount as a reader of the session's language writes it: ¥1,620,000,000 in
    English, 16.2亿元 or 5000万元 in Chinese.

    >>> _amount(1.62e9), _amount(5e7)
    ('¥1,620,000,000', '¥50,000,000')
    """
    if i18n.get_language() != "zh":
        return f"¥{yuan:,.0f}"
    if yuan >= 1e8:
        return f"{yuan / 1e8:.4g}亿元"
    return f"{yuan / 1e4:.6g}万元" if yuan >= 1e4 else f"{yuan:,.0f}元"


def _firm_usage() -> str:
    return _("give one ceiling per firm in yuan, e.g. {{'A': 50000000, 'B': '1.5亿'}}.").format()


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= max(1.0, 1e-6 * abs(b))


@exercise("ident-7", chapter=CHAPTER, case="ident_pipl", answer=_ceilings,
          prompt=N_("PIPL Art. 66 ceilings for two firms' turnovers."))
def _ident_7(answer, table):
    expected = _ceilings(table)
    got = _by_firm(answer)
    if all(_same(got[k], expected[k]) for k in expected):
        return True, _("correct: A {a} and B {b} — the most the law allows under either "
                       "basis: ¥50,000,000 or 5% of the previous year's turnover.").format(
                           a=_amount(expected["A"]), b=_amount(expected["B"]))
    turnover = dict(zip(table["firm"], table["previous_year_turnover_yuan"]))
    for firm in ("A", "B"):
        value, want, t = got[firm], expected[firm], turnover[firm]
        if _same(value, want):
            continue
        if _same(value, 0.05 * t):
            return False, _("firm {firm}: that is the courseware's 5%. The law also allows "
                            "¥50,000,000, which is more here.").format(firm=firm)
        if _same(value, 5e7):
            return False, _("firm {firm}: 5% of its previous year's turnover is more than "
                            "¥50,000,000, and the law allows either basis.").format(firm=firm)
        if _same(value, 1e6):
            return False, _("firm {firm}: ¥1,000,000 is paragraph 1 for a firm that refuses "
                            "to correct; serious cases fall under paragraph 2.").format(firm=firm)
        if _same(value * 1e6, want):
            return False, _("firm {firm}: that reads as millions of yuan, the unit of the "
                            "table of ceilings above; give the amount in yuan — e.g. "
                            "50000000, or write the unit: '5000万'.").format(firm=firm)
        if _same(value * 1e4, want) or _same(value * 1e8, want):
            return False, _("firm {firm}: give the amount in yuan — e.g. 50000000, or write "
                            "the unit: '5000万'.").format(firm=firm)
        if _same(value, 0.005 * t) or _same(value, 0.5 * t):
            return False, _("firm {firm}: 5% is 0.05 of the turnover.").format(firm=firm)
        if _same(value, t):
            return False, _("firm {firm}: that is the turnover itself, not the fine.").format(
                firm=firm)
        return False, _("firm {firm}: give the most the law allows under either basis: "
                        "¥50,000,000, or 5% of its previous year's turnover.").format(firm=firm)
    return False, _firm_usage()

