"""Exercise checks of chapter 2, the MAN case (man-1 … man-6), and their cases.

Case ``man_banks`` is the five-bank table of the courseware's 思考题 (ch. 3, MAN rule);
a student's variant keeps each bank's story (A's profit up, B's down, C's budget over
the cap, D's special grant and the slide's unsupported +1, E's budget not a round ten)
with other budgets, grant and profit changes, and is valid only if the properties the
exercises are about still hold: B wins alone for some weights of the step-0.05 grid but
not for all, and ties with another bank at some of them (so counting ties as wins gives
another number); dropping D's +1 changes D's total; rounding changes E's; rounding the
budget part to the nearest point gives another Money score than rounding it up for at
least one bank (so "round" cannot pass for the slide's "ceil"); and the lecture's
numbers are not the student's answers: at least two banks' totals, E's total as written,
D's total without the +1 and B's count of wins all differ from the courseware's.

Every sentence a student reads is English inside ``_()`` and translated in the catalog
``ch02_man``; the names of the MAN dimensions come from the term list.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

from .. import i18n, man, man_sensitivity
from ..datasets import load_dataset
from ..i18n import N_, term
from ..i18n import gettext as _
from .core import Unreadable, case, close, exercise, read_by_label, read_number

#: Columns of the bank table that are the slide's answers, not inputs: never handed out.
ANSWER_COLUMNS = ["money_doc", "total_doc"]
#: Number of weight vectors on the step-0.05 grid.
GRID_VECTORS = 231


@case("man_banks", valid=lambda banks: _banks_valid(banks))
def _bank_case(draw) -> pd.DataFrame:
    banks = load_dataset("man_banks").drop(columns=ANSWER_COLUMNS)
    if draw is None:
        return banks
    budget = {"A": draw.integer(5, 45), "B": draw.integer(11, 35), "C": draw.integer(41, 70),
              "D": draw.integer(10, 30), "E": draw.integer(11, 29)}
    grant, up, down = draw.integer(3, 15), draw.integer(5, 25), draw.integer(2, 15)
    text = {"A": f"年度IT预算{budget['A']}亿，近3年盈利增长{up}%",
            "B": f"年度IT预算{budget['B']}亿，净利润下滑{down}%",
            "C": f"年度IT预算{budget['C']}亿，现金流充裕",
            "D": f"年度IT预算{budget['D']}亿，专项数字化拨款{grant}亿",
            "E": f"年度IT预算{budget['E']}亿，外资控股"}
    banks = banks.set_index("bank")
    banks["it_budget_yi"] = pd.Series(budget)
    banks["money_text"] = pd.Series(text)
    banks.loc["D", "special_grant_yi"] = grant
    banks.loc[["A", "B"], "profit_change_pct"] = [up, -down]
    return banks.reset_index()


@lru_cache(maxsize=1)
def _courseware_answers() -> tuple:
    firm = _firm_case(None)
    return (man.score_bank_case(firm["banks"])["total"].to_numpy(), _e_as_written(firm),
            _d_without_plus_one(firm), _b_alone(firm["banks"]))


def _b_ties(banks: pd.DataFrame) -> int:
    """Weight vectors of the step-0.05 grid at which B ties for first with another bank."""
    winners = man_sensitivity.winner_map(man.score_bank_case(banks), steps=20)["winner"]
    return int(sum("=" in w and "B" in w.split("=") for w in winners))


def _banks_valid(banks: pd.DataFrame) -> bool:
    totals, e_total, d_total, b_count = _courseware_answers()
    slide = man.score_bank_case(banks)
    if int((~np.isclose(slide["total"].to_numpy(), totals)).sum()) < 2:
        return False
    # man-1: rounding to the nearest point must not reproduce the slide's rounding up
    if man.score_bank_case(banks, rounding="round")["money"].equals(slide["money"]):
        return False
    slide_firm = {"banks": banks, "weights": dict(man.DEFAULT_WEIGHTS)}
    e, d = _e_as_written(slide_firm), _d_without_plus_one(slide_firm)
    if close(e, e_total) or close(d, d_total) or close(e, slide.loc["E", "total"]) \
            or close(d, slide.loc["D", "total"]):
        return False
    b = _b_alone(banks)
    # man-6: B must tie somewhere, or counting ties as wins would give the same number
    return b != b_count and 0 < b < GRID_VECTORS and _b_ties(banks) > 0


#: Weights a student's firm may use instead of the slide's 0.4 / 0.3 / 0.3.
FIRM_WEIGHTS = ((0.5, 0.25, 0.25), (0.3, 0.3, 0.4), (0.35, 0.35, 0.3), (0.45, 0.3, 0.25),
                (0.3, 0.4, 0.3), (0.5, 0.2, 0.3), (0.35, 0.25, 0.4), (0.25, 0.35, 0.4),
                (0.45, 0.25, 0.3), (0.4, 0.2, 0.4))
#: Totals the lecture prints for bank E and bank D: a variant's answers must avoid them.
LECTURE_E, LECTURE_D = (1.08, 1.4), (3.2, 3.6, 4.0)


@case("man_firm", valid=lambda firm: _firm_valid(firm))
def _firm_case(draw) -> dict:
    if draw is None:
        return {"banks": _bank_case(None), "weights": dict(man.DEFAULT_WEIGHTS)}
    from .core import case_data          # the same student's banks as man-4 and man-6
    return {"banks": case_data("man_banks", draw.student),
            "weights": dict(zip(man.DIMENSIONS, draw.choice(FIRM_WEIGHTS)))}


def _firm_valid(firm: dict) -> bool:
    totals = man.score_bank_case(firm["banks"], weights=firm["weights"])["total"]
    courseware = man.score_bank_case(_bank_case(None))["total"]
    return (int((~np.isclose(totals.to_numpy(), courseware.to_numpy())).sum()) >= 3
            and not any(close(_e_as_written(firm), v) for v in LECTURE_E)
            and not any(close(_d_without_plus_one(firm), v) for v in LECTURE_D))


@case("b2b_leads", varies=False)
def _leads_case(draw) -> pd.DataFrame:
    return load_dataset("b2b_leads_synthetic")


def _raw_money(banks: pd.DataFrame, rounding: str = "none") -> pd.Series:
    """Slide Money scores before floor and cap (for hints only)."""
    banks = banks.set_index("bank")
    return man.money_score(banks["it_budget_yi"] + banks["special_grant_yi"],
                           banks["profit_trend_slide"], rounding=rounding,
                           floor=-math.inf, cap=math.inf)


def _unclipped_totals(banks: pd.DataFrame, w, rounding: str = "none") -> pd.Series:
    """Slide totals had the raw Money score been used as it is (for hints only)."""
    table = banks.set_index("bank")
    return (w["money"] * _raw_money(banks, rounding) + w["authority"] * table["authority_doc"]
            + w["need"] * table["need_doc"])


def _scored(firm: dict, **options) -> pd.DataFrame:
    """The firm's banks scored with the firm's weights (the slide's method by default)."""
    options.setdefault("weights", firm["weights"])
    return man.score_bank_case(firm["banks"], **options)


def _own_weights_differ(firm: dict) -> bool:
    return any(not close(firm["weights"][d], man.DEFAULT_WEIGHTS[d], 1e-9)
               for d in man.DIMENSIONS)


def _totals(firm) -> dict:
    return {b: round(float(v), 6) for b, v in _scored(firm)["total"].items()}


def _e_as_written(firm) -> float:
    return round(float(_scored(firm, rounding="none").loc["E", "total"]), 6)


def _d_without_plus_one(firm) -> float:
    return round(float(_scored(firm, slide_adjustments=False).loc["D", "total"]), 6)


def _b_alone(banks) -> int:
    winners = man_sensitivity.winner_map(man.score_bank_case(banks), steps=20)["winner"]
    return int((winners == "B").sum())


def _courseware_weights_hint() -> str:
    return _("these are totals with the courseware's weights 0.4 / 0.3 / 0.3, but your firm "
             "weighs Money, Authority and Need its own way: use your firm's weights "
             "(my_weights).")


@exercise("man-1", chapter="02_man_case", case="man_firm", answer=_totals,
          prompt=N_("Totals A–E by the slide's method and your weights."))
def _man_1(answer, firm):
    banks, w = firm["banks"], firm["weights"]
    expected = _scored(firm)["total"]
    got = read_by_label(answer, list(expected.index), "bank")
    wrong = [b for b in expected.index if not close(got[b], expected[b])]
    if not wrong:
        return True, _("all five totals match the slide's method; {bank} ranks first.").format(
            bank=expected.idxmax())
    b = wrong[0]
    default = dict(man.DEFAULT_WEIGHTS)
    if _own_weights_differ(firm) and any(
            all(close(got[x], v) for x, v in _scored(firm, weights=default,
                                                     rounding=r)["total"].items())
            for r in man.ROUNDING_RULES):
        return False, _courseware_weights_hint()
    for rounding in ("ceil", "none"):
        raw = _raw_money(banks, rounding)[b]
        if not man.SCORE_FLOOR <= raw <= man.SCORE_CAP \
                and close(got[b], _unclipped_totals(banks, w, rounding)[b]):
            if raw < man.SCORE_FLOOR:
                return False, _("Bank {bank}'s raw Money score is {raw:g}: what does the floor "
                                "rule (最低分保护机制) do to it?").format(bank=b, raw=raw)
            return False, _("Bank {bank}'s raw Money score is {raw:g}: what does the cap rule "
                            "(最高分限定机制) do to it?").format(bank=b, raw=raw)
    table = banks.set_index("bank")
    money = (got[b] - w["authority"] * table.loc[b, "authority_doc"]
             - w["need"] * table.loc[b, "need_doc"]) / w["money"]
    as_written = _scored(firm, rounding="none").loc[b, "money"]
    if not as_written.is_integer() and abs(money - as_written) <= 0.03:
        return False, _("bank {bank}: your total uses the Money score as written, {money:.2f}, "
                        "without rounding. The slide rounds the Money score up: the budget "
                        "part (budget / 10) is rounded up before the profit "
                        "adjustment.").format(bank=b, money=as_written)
    if abs(money - round(money)) > 0.03:
        return False, _("bank {bank}: with Authority and Need as given, your total needs a "
                        "Money score of {money:.2f}, which is not a whole number. The slide "
                        "rounds the Money score up, so every Money score is a whole number "
                        "from 1 to 5: check Money and the weighted sum.").format(
            bank=b, money=money)
    slide_money = _scored(firm).loc[b, "money"]
    for rounding in ("floor", "round"):
        if _scored(firm, rounding=rounding).loc[b, "money"] != slide_money and \
                close(got[b], _scored(firm, rounding=rounding).loc[b, "total"]):
            return False, _("bank {bank}: your Money score rounds the budget part down or to "
                            "the nearest point; the slide rounds it up.").format(bank=b)
    off = round(money - slide_money)
    if off != 0:
        return False, _("bank {bank}: your total is off by {off:+d} Money point(s) × "
                        "{weight:g}: check how the slide turns the budget (and any grant) into "
                        "Money — rounding up, the profit adjustment, floor and cap.").format(
            bank=b, off=off, weight=w["money"])
    more = len(wrong) - 1
    text = _("bank {bank}: your total {total:g} does not match. Recompute "
             "Money×{w_money:g} + Authority×{w_authority:g} + Need×{w_need:g} with the slide's "
             "method.").format(bank=b, total=got[b], w_money=w["money"],
                               w_authority=w["authority"], w_need=w["need"])
    if more:
        text += " " + _("({n} more bank(s) differ.)").format(n=more)
    return False, text


@exercise("man-2", chapter="02_man_case", case="man_firm", answer=_e_as_written,
          prompt=N_("E's total by the rule as written, no rounding."))
def _man_2(answer, firm):
    banks, w = firm["banks"], firm["weights"]
    got = read_number(answer)
    expected = _scored(firm, rounding="none").loc["E", "total"]
    if close(got, expected):
        # the wording is the one crmlab.check's documentation shows
        return True, _("correct. E's total is {total:.2f} by the rule as written.").format(
            total=expected)
    e = banks.set_index("bank").loc["E"]
    money = man.money_score(e["it_budget_yi"], e["profit_trend_slide"])
    if close(got, _scored(firm).loc["E", "total"]):
        return False, _("that is the total with E's Money rounded up, as the slide does. Apply "
                        "budget / 10 + adjustment as written, without rounding.")
    if close(got, LECTURE_E[0]):
        return False, _("{value:g} is the lecture's figure for the courseware's bank E "
                        "(section 4.1), not the rule as written applied to your bank E: use "
                        "your bank E's budget and your firm's weights.").format(
            value=LECTURE_E[0])
    if close(got, LECTURE_E[1]):
        return False, _("{value:g} is the answer slide's total for the courseware's bank E "
                        "(section 3), rounded up and with the courseware's weights: apply the "
                        "rule as written to your bank E, with your firm's weights.").format(
            value=LECTURE_E[1])
    if _own_weights_differ(firm) and any(
            close(got, _scored(firm, weights=dict(man.DEFAULT_WEIGHTS),
                               rounding=r).loc["E", "total"]) for r in man.ROUNDING_RULES):
        return False, _("that is E's total with the courseware's weights 0.4 / 0.3 / 0.3; "
                        "use your firm's weights (my_weights).")
    if close(got, money):
        return False, _("{money:g} is E's Money score; the question asks for E's weighted "
                        "total.").format(money=money)
    if any(close(got, _scored(firm, rounding=r).loc["E", "total"]) for r in ("floor", "round")):
        return False, _("you rounded E's Money score (down or to the nearest point). The "
                        "question asks for no rounding at all.")
    return False, _("not quite: compute E's Money as {budget:g} / 10 + 0 with no rounding, "
                    "then weight it with Authority and Need by your firm's weights.").format(
        budget=e["it_budget_yi"])


@exercise("man-3", chapter="02_man_case", case="man_firm",
          answer=_d_without_plus_one,
          prompt=N_("Bank D's total without the unsupported +1."))
def _man_3(answer, firm):
    got = read_number(answer)
    table = _scored(firm, slide_adjustments=False)
    expected = table.loc["D", "total"]
    if close(got, expected):
        return True, _("correct: {total:.2f}. With the +1 dropped, {bank} ranks first.").format(
            total=expected, bank=table["total"].idxmax())
    if close(got, _scored(firm).loc["D", "total"]):
        return False, _("that total still includes the +1. Which fact in the question "
                        "supports it?")
    if close(got, _scored(firm, slide_adjustments=False, count_grant=False).loc["D", "total"]):
        return False, _("you also dropped D's special grant: keep D's budget as the slide "
                        "counts it.")
    if _own_weights_differ(firm) and any(
            close(got, _scored(firm, weights=dict(man.DEFAULT_WEIGHTS), **options)
                  .loc["D", "total"])
            for options in ({"slide_adjustments": False}, {})):
        return False, _("that is D's total with the courseware's weights 0.4 / 0.3 / 0.3; "
                        "use your firm's weights (my_weights).")
    return False, _("not quite: recompute D's Money as (IT budget + grant) / 10 + 0, rounded "
                    "up as the slide does, then the weighted total.")


@exercise("man-4", chapter="02_man_case", case="man_banks",
          prompt=N_("Weights under which bank B wins outright."))
def _man_4(answer, banks):
    w = _weights(answer)
    total = sum(w.values())
    if any(v < 0 for v in w.values()):
        return False, _("weights cannot be negative.")
    if abs(total - 1) > 1e-9:
        return False, _("your weights sum to {total:g}; they must sum to 1.").format(total=total)
    # who wins, never the totals: with the firm's own weights they are man-1's answers
    table = man.score_bank_case(banks, weights=w)["total"].round(9)
    best = table[table == table.max()].index.tolist()
    if best == ["B"]:
        return True, _("correct: under these weights B wins outright, ahead of {bank}.").format(
            bank=table.drop("B").idxmax())
    if "B" in best:
        return False, _("B ties with {banks}: tilt the weights a little further.").format(
            banks=", ".join(x for x in best if x != "B"))
    return False, _("with these weights {bank} wins, not B. On which dimension is B "
                    "strongest?").format(bank=best[0])


#: How strongly a student's own scores must follow the facts they score (Spearman's rho).
MIN_RHO = 0.3
_URGENCY = {"none": 0, "exploring": 1, "planned": 2, "urgent": 3}
#: The fact each score must follow, and which way: +1 rises with it, -1 falls as it rises.
_FACTS = {"money": ("it_budget_yi", 1), "authority": ("approval_levels", -1),
          "need": ("need_urgency", 1)}
#: A score that runs against its fact (rho: the rank correlation of score and fact).
_WRONG_WAY = {
    "money": N_("your Money score runs the wrong way: it falls as the IT budget "
                "(it_budget_yi) rises (rank correlation {rho:+.2f}). A Money score should "
                "rise with the budget: turn the rule around."),
    "authority": N_("your Authority score runs the wrong way: it rises with approval_levels "
                    "(rank correlation {rho:+.2f}). Your Authority score should fall as "
                    "approval_levels rises: more sign-offs mean less authority for the person "
                    "you talk to. Turn the rule around."),
    "need": N_("your Need score runs the wrong way: it falls as the urgency of the need "
               "(need_urgency) rises (rank correlation {rho:+.2f}). A Need score should rise "
               "with urgency: turn the rule around."),
}
#: A score that hardly follows its fact.
_WEAK = {
    "money": N_("your Money score hardly follows the IT budget (it_budget_yi; rank "
                "correlation {rho:+.2f}): a Money score should rise with the budget. Which "
                "fact did you use?"),
    "authority": N_("your Authority score hardly follows approval_levels (rank correlation "
                    "{rho:+.2f}): it should fall as approval_levels rises, since more "
                    "sign-offs mean less authority for the person you talk to. Which fact did "
                    "you use?"),
    "need": N_("your Need score hardly follows the urgency of the need (need_urgency; rank "
               "correlation {rho:+.2f}): a Need score should rise with urgency. Which fact "
               "did you use?"),
}


def _spearman(x: pd.Series, y: pd.Series) -> float:
    rho = x.rank().corr(y.rank())
    return 0.0 if pd.isna(rho) else float(rho)


def _own_weights(dims: pd.DataFrame, total: pd.Series) -> np.ndarray | None:
    """The one weight vector (≥ 0, summing to 1) that gives every total, or None.

    Least squares with the sum fixed (w_need = 1 − w_money − w_authority); totals rounded
    to two decimals still fit.
    """
    m, a, n = (dims[c].to_numpy(float) for c in ("money", "authority", "need"))
    y = total.to_numpy(float)
    (w_m, w_a), *_rest = np.linalg.lstsq(np.column_stack([m - n, a - n]), y - n, rcond=None)
    w = np.array([w_m, w_a, 1 - w_m - w_a])
    fits = np.abs(dims.to_numpy(float) @ w - y).max() <= 0.006
    return w.clip(0, None) if fits and (w >= -1e-3).all() else None


@exercise("man-5", chapter="02_man_case", case="b2b_leads",
          prompt=N_("Your own MAN rules for 200 synthetic B2B leads."))
def _man_5(answer, leads):
    if not isinstance(answer, pd.DataFrame):
        raise Unreadable(_("give your scored leads as a DataFrame with columns money, "
                           "authority, need and total (and the lead_id as a column or the "
                           "index)."))
    table = answer.reset_index() if "lead_id" not in answer.columns else answer
    if "lead_id" not in table.columns and len(table.columns) and \
            set(table.iloc[:, 0].astype(str)) <= set(leads["lead_id"]):
        table = table.rename(columns={table.columns[0]: "lead_id"})   # an unnamed index
    missing = [c for c in ("lead_id", "money", "authority", "need", "total")
               if c not in table.columns]
    if missing:
        return False, _("your table lacks the column(s) {columns}.").format(
            columns=", ".join(missing))
    if table["lead_id"].duplicated().any() or set(table["lead_id"]) != set(leads["lead_id"]):
        return False, _("score every lead once: the synthetic table has {n} leads; yours has "
                        "{mine} distinct lead_ids.").format(
            n=len(leads), mine=table["lead_id"].nunique())
    scores = table[["money", "authority", "need", "total"]].apply(pd.to_numeric, errors="coerce")
    if scores.isna().any().any():
        return False, _("money, authority, need and total must all be numbers.")
    dims = scores[["money", "authority", "need"]]
    if ((dims < man.SCORE_FLOOR) | (dims > man.SCORE_CAP)).any().any():
        return False, _("every MAN score must lie between 1 and 5: apply a floor and a cap.")
    flat = [d for d in dims if dims[d].nunique() < 3]
    if flat:
        return False, _("your {score} score takes fewer than three values: a score that "
                        "cannot tell leads apart ranks nobody.").format(score=term(flat[0]))
    weights = _own_weights(dims, scores["total"])
    if weights is None:
        return False, _("your totals are not one weighted sum of the three scores with "
                        "weights ≥ 0 that sum to 1, the same for every lead.")
    facts = leads.set_index("lead_id").loc[table["lead_id"]]
    facts = facts.assign(need_urgency=facts["need_urgency"].map(_URGENCY))
    mine = dims.set_axis(table["lead_id"].to_numpy())
    for d, (fact, sign) in _FACTS.items():
        rho = _spearman(mine[d], facts[fact])
        if sign * rho <= -MIN_RHO:
            return False, i18n.gettext(_WRONG_WAY[d]).format(rho=rho)
        if sign * rho < MIN_RHO:
            return False, i18n.gettext(_WEAK[d]).format(rho=rho)
    top = scores.set_axis(table["lead_id"].to_numpy())["total"].sort_values(
        ascending=False, kind="stable").head(10)
    return True, _("your rules are consistent: weights (M, A, N) = ({weights}); your top 10 "
                   "is {top}; how many of them would a classmate's rules pick?").format(
        weights=", ".join(f"{v:.2f}" for v in weights), top=", ".join(top.index))


@exercise("man-6", chapter="02_man_case", case="man_banks", answer=_b_alone,
          prompt=N_("How often B wins alone on the 0.05 weight grid."))
def _man_6(answer, banks):
    got = read_number(answer)
    counts = man_sensitivity.winner_map(man.score_bank_case(banks),
                                        steps=20)["winner"].value_counts()
    alone, every = _b_alone(banks), int(counts.sum())
    if got == alone:
        return True, _("correct: {count} of {total} weight vectors.").format(
            count=alone, total=every)
    ties = sum(n for label, n in counts.items() if "B" in label.split("=") and label != "B")
    if got == alone + ties:
        return False, _("you counted the ties too; count the vectors where B alone is best.")
    if any(close(got, n / every, 0.0006) or close(got, 100 * n / every, 0.06)
           for n in (alone, alone + ties)) or 0 < got < 1:
        return False, _("that looks like a share or a percentage of the {total} weight "
                        "vectors; the question asks for a count: how many weight "
                        "vectors?").format(total=every)
    if not float(got).is_integer():
        return False, _("a count of weight vectors is a whole number.")
    if got in counts.to_numpy():
        return False, _("that is another bank's (or a tie's) count; look at winner == 'B'.")
    return False, _("score your banks' slide table, map the winner of every weight vector on "
                    "the grid of step 0.05, and count where B alone is best.")


def _weights(answer) -> dict[str, float]:
    if isinstance(answer, (Mapping, pd.Series)):
        answer = dict(answer)
        keys = {str(k).lower()[:1]: v for k, v in answer.items()}
        if set(keys) != {"m", "a", "n"}:
            raise Unreadable(_("name the weights money, authority and need, or give three "
                               "numbers in that order."))
        answer = [keys["m"], keys["a"], keys["n"]]
    if isinstance(answer, str):   # "0.2, 0.3, 0.5", "0.2:0.3:0.5", "20% 30% 50%"
        parts = answer.replace("，", ",").replace("：", ":").replace(":", ",").replace("/", ",")
        answer = [p for p in parts.replace(" ", ",").split(",") if p.strip()]
    if isinstance(answer, str) or not isinstance(answer, (Sequence, np.ndarray)) \
            or len(answer) != 3:
        raise Unreadable(_("give three weights (money, authority, need), e.g. "
                           "(0.4, 0.3, 0.3)."))
    return dict(zip(man.DIMENSIONS, (read_number(v) for v in answer)))
