"""Exercise checks of chapter 2, the MAN case (man-1 … man-6), and their cases.

Case ``man_banks`` is the five-bank table of the courseware's 思考题 (ch. 3, MAN rule);
a student's variant keeps each bank's story (A's profit up, B's down, C's budget over
the cap, D's special grant and the slide's unsupported +1, E's budget not a round ten)
with other budgets, grant and profit changes, and is valid only if the properties the
exercises are about still hold: B wins alone for some weights of the step-0.05 grid but
not for all, dropping D's +1 changes D's total, rounding changes E's; and the lecture's
numbers are not the student's answers: at least two banks' totals, E's total as written,
D's total without the +1 and B's count of wins all differ from the courseware's.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

from .. import man
from ..datasets import load_dataset
from .core import Unreadable, case, close, exercise, read_by_label, read_number

#: Columns of the bank table that are the slide's answers, not inputs: never handed out.
ANSWER_COLUMNS = ["money_doc", "total_doc"]


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


def _banks_valid(banks: pd.DataFrame) -> bool:
    totals, e_total, d_total, b_count = _courseware_answers()
    slide = man.score_bank_case(banks)
    if int((~np.isclose(slide["total"].to_numpy(), totals)).sum()) < 2:
        return False
    slide_firm = {"banks": banks, "weights": dict(man.DEFAULT_WEIGHTS)}
    e, d = _e_as_written(slide_firm), _d_without_plus_one(slide_firm)
    if close(e, e_total) or close(d, d_total) or close(e, slide.loc["E", "total"]) \
            or close(d, slide.loc["D", "total"]):
        return False
    b = _b_alone(banks)
    return b != b_count and 0 < b < 231


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


def _raw_money(banks: pd.DataFrame) -> pd.Series:
    """Slide Money scores before rounding, floor and cap (for hints only)."""
    banks = banks.set_index("bank")
    return man.money_score(banks["it_budget_yi"] + banks["special_grant_yi"],
                           banks["profit_trend_slide"], floor=-math.inf, cap=math.inf)


def _unclipped_totals(banks: pd.DataFrame, w) -> pd.Series:
    """Slide totals had the raw Money score been used as it is (for hints only)."""
    table = banks.set_index("bank")
    return (w["money"] * _raw_money(banks) + w["authority"] * table["authority_doc"]
            + w["need"] * table["need_doc"])


def _scored(firm: dict, **options) -> pd.DataFrame:
    """The firm's banks scored with the firm's weights (the slide's method by default)."""
    return man.score_bank_case(firm["banks"], weights=firm["weights"], **options)


def _totals(firm) -> dict:
    return {b: round(float(v), 6) for b, v in _scored(firm)["total"].items()}


def _e_as_written(firm) -> float:
    return round(float(_scored(firm, rounding="none").loc["E", "total"]), 6)


def _d_without_plus_one(firm) -> float:
    return round(float(_scored(firm, slide_adjustments=False).loc["D", "total"]), 6)


def _b_alone(banks) -> int:
    return int((man.winner_map(man.score_bank_case(banks), steps=20)["winner"] == "B").sum())


@exercise("man-1", chapter="02_man_case", case="man_firm", answer=_totals,
          prompt="The five weighted totals (A–E) by the answer slide's method, your weights.")
def _man_1(answer, firm):
    banks, w = firm["banks"], firm["weights"]
    expected = _scored(firm)["total"]
    got = read_by_label(answer, list(expected.index), "bank")
    wrong = [b for b in expected.index if not close(got[b], expected[b])]
    if not wrong:
        return True, (f"all five totals match the slide's method. "
                      f"{expected.idxmax()} ranks first.")
    b = wrong[0]
    raw = _raw_money(banks)[b]
    if not man.SCORE_FLOOR <= raw <= man.SCORE_CAP and close(got[b], _unclipped_totals(banks, w)[b]):
        rule = "floor" if raw < man.SCORE_FLOOR else "cap"
        return False, (f"Bank {b}'s raw Money score is {raw:g}: what does the {rule} rule "
                       f"do to it?")
    if b == "E" and close(got[b], _scored(firm, rounding="none").loc["E", "total"]):
        return False, (f"E's Money is {_raw_money(banks)['E']:g} by the rule as written, but "
                       f"the slide's method gives a different total. Which rounding of the "
                       f"budget part reproduces the slide's Money scores?")
    off = (got[b] - expected[b]) / w["money"]
    if abs(off - round(off)) < 1e-6 and round(off) != 0:
        return False, (f"bank {b}: your total is off by {round(off):+d} Money point(s) × "
                       f"{w['money']:g}: "
                       f"check how the slide turns the budget (and any grant) into Money — "
                       f"rounding, the profit adjustment, floor and cap.")
    return False, (f"bank {b}: your total {got[b]:g} does not match. Recompute "
                   f"Money×{w['money']:g} + Authority×{w['authority']:g} + "
                   f"Need×{w['need']:g} with the slide's method"
                   + (f" ({len(wrong) - 1} more bank(s) differ)." if len(wrong) > 1 else "."))


@exercise("man-2", chapter="02_man_case", case="man_firm", answer=_e_as_written,
          prompt="Bank E's total when Money is scored by the rule as written, no rounding.")
def _man_2(answer, firm):
    banks, w = firm["banks"], firm["weights"]
    got = read_number(answer)
    expected = _scored(firm, rounding="none").loc["E", "total"]
    if close(got, expected):
        return True, f"correct. E's total is {expected:.2f} by the rule as written."
    e = banks.set_index("bank").loc["E"]
    money = man.money_score(e["it_budget_yi"], e["profit_trend_slide"])
    if close(got, _scored(firm).loc["E", "total"]):
        return False, ("that is the total with E's Money rounded up, as the slide does. Apply "
                       "budget/10 + 0 as written.")
    if close(got, money):
        return False, f"{money:g} is E's Money score; the question asks for E's weighted total."
    if got < expected:
        return False, "too low: did you round E's Money down? The question asks for no rounding."
    return False, (f"not quite: compute E's Money as {e['it_budget_yi']:g}/10 + 0, then "
                   f"weight it with A and N.")


@exercise("man-3", chapter="02_man_case", case="man_firm",
          answer=_d_without_plus_one,
          prompt="Bank D's total without the unsupported +1 profit adjustment.")
def _man_3(answer, firm):
    banks, w = firm["banks"], firm["weights"]
    got = read_number(answer)
    expected = _scored(firm, slide_adjustments=False).loc["D", "total"]
    if close(got, expected):
        winner = _scored(firm, slide_adjustments=False)["total"].idxmax()
        return True, f"correct: {expected:.2f}, and {winner} still ranks first."
    if close(got, _scored(firm).loc["D", "total"]):
        return False, "that total still includes the +1. Which fact in the question supports it?"
    if close(got, _scored(firm, slide_adjustments=False,
                                      count_grant=False).loc["D", "total"]):
        return False, "you also dropped D's special grant: keep D's budget as the slide counts it."
    return False, ("not quite: recompute D's Money as (IT budget + grant)/10 + 0, rounded up "
                   "as the slide does, then the weighted total.")


@exercise("man-4", chapter="02_man_case", case="man_banks",
          prompt="Find weights (money, authority, need) under which bank B wins outright.")
def _man_4(answer, banks):
    w = _weights(answer)
    total = sum(w.values())
    if any(v < 0 for v in w.values()):
        return False, "weights cannot be negative."
    if abs(total - 1) > 1e-9:
        return False, f"your weights sum to {total:g}; they must sum to 1."
    table = man.score_bank_case(banks, weights=w)["total"]
    best = table[table.round(9) == table.round(9).max()].index.tolist()
    if best == ["B"]:
        return True, (f"B wins with {table['B']:.2f} against {table.drop('B').idxmax()}'s "
                      f"{table.drop('B').max():.2f}.")
    if "B" in best:
        return False, f"B ties with {', '.join(x for x in best if x != 'B')}: tilt a little further."
    return False, (f"with these weights {best[0]} wins ({table[best[0]]:.2f} vs B "
                   f"{table['B']:.2f}). On which dimension is B strongest?")


#: How strongly a student's own scores must follow the facts they score (Spearman's rho).
MIN_RHO = 0.3
_URGENCY = {"none": 0, "exploring": 1, "planned": 2, "urgent": 3}


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
    (w_m, w_a), *_ = np.linalg.lstsq(np.column_stack([m - n, a - n]), y - n, rcond=None)
    w = np.array([w_m, w_a, 1 - w_m - w_a])
    fits = np.abs(dims.to_numpy(float) @ w - y).max() <= 0.006
    return w.clip(0, None) if fits and (w >= -1e-3).all() else None


@exercise("man-5", chapter="02_man_case", case="b2b_leads",
          prompt="Score all 200 synthetic B2B leads with MAN rules of your own.")
def _man_5(answer, leads):
    if not isinstance(answer, pd.DataFrame):
        raise Unreadable("give your scored leads as a DataFrame with columns money, authority, "
                         "need and total (and the lead_id as a column or the index).")
    table = answer.reset_index() if "lead_id" not in answer.columns else answer
    if "lead_id" not in table.columns and len(table.columns) and \
            set(table.iloc[:, 0].astype(str)) <= set(leads["lead_id"]):
        table = table.rename(columns={table.columns[0]: "lead_id"})   # an unnamed index
    missing = [c for c in ("lead_id", "money", "authority", "need", "total")
               if c not in table.columns]
    if missing:
        return False, f"your table lacks column(s) {missing}."
    if table["lead_id"].duplicated().any() or set(table["lead_id"]) != set(leads["lead_id"]):
        return False, (f"score every lead once: the synthetic table has {len(leads)} leads; "
                       f"yours has {table['lead_id'].nunique()} distinct lead_ids.")
    scores = table[["money", "authority", "need", "total"]].apply(pd.to_numeric, errors="coerce")
    if scores.isna().any().any():
        return False, "money, authority, need and total must all be numbers."
    dims = scores[["money", "authority", "need"]]
    if ((dims < man.SCORE_FLOOR) | (dims > man.SCORE_CAP)).any().any():
        return False, "every MAN score must lie between 1 and 5: apply a floor and a cap."
    flat = [d for d in dims if dims[d].nunique() < 3]
    if flat:
        return False, (f"your {flat[0]} score takes fewer than three values: a score that "
                       f"cannot tell leads apart ranks nobody.")
    weights = _own_weights(dims, scores["total"])
    if weights is None:
        return False, ("your totals are not one weighted sum of the three scores with weights "
                       "≥ 0 that sum to 1, the same for every lead.")
    facts = leads.set_index("lead_id").loc[table["lead_id"]]
    mine = dims.set_axis(table["lead_id"].to_numpy())
    rho = {"money": _spearman(mine["money"], facts["it_budget_yi"]),
           "authority": -_spearman(mine["authority"], facts["approval_levels"]),
           "need": _spearman(mine["need"], facts["need_urgency"].map(_URGENCY))}
    what = {"money": "the IT budget", "authority": "fewer sign-offs (approval_levels)",
            "need": "the urgency of the need (need_urgency)"}
    weak = [d for d in rho if rho[d] < MIN_RHO]
    if weak:
        d = weak[0]
        if rho[d] <= -MIN_RHO:
            return False, (f"your {d} score runs the wrong way: it falls as {what[d]} rises "
                           f"(rank correlation {rho[d]:.2f}). Turn the rule around.")
        return False, (f"your {d} score hardly follows {what[d]} (rank correlation "
                       f"{rho[d]:.2f}): a MAN score should rise with it. Which fact did you use?")
    top = scores.set_axis(table["lead_id"].to_numpy())["total"].sort_values(
        ascending=False, kind="stable").head(10)
    shown = ", ".join(f"{w:.2f}" for w in weights)
    return True, (f"your rules are consistent: weights (M, A, N) = ({shown}); your top 10 is "
                  f"{', '.join(top.index)}. How many of them would a classmate's rules pick?")


@exercise("man-6", chapter="02_man_case", case="man_banks", answer=_b_alone,
          prompt="On the step-0.05 weight grid, at how many weight vectors does B win alone?")
def _man_6(answer, banks):
    got = read_number(answer)
    counts = man.winner_map(man.score_bank_case(banks), steps=20)["winner"].value_counts()
    if got == _b_alone(banks):
        return True, f"correct: {counts['B']} of {counts.sum()} weight vectors."
    ties = sum(n for label, n in counts.items() if "B" in label.split("=") and label != "B")
    if got == counts.get("B", 0) + ties:
        return False, "you counted the ties too; count the vectors where B alone is best."
    if got in counts.to_numpy():
        return False, "that is another bank's (or a tie's) count; look at winner == 'B'."
    return False, ("score your banks' slide table, map the winner of every weight vector on "
                   "the step-0.05 grid, and count where B alone is best.")


def _weights(answer) -> dict[str, float]:
    if isinstance(answer, (Mapping, pd.Series)):
        answer = dict(answer)
        keys = {str(k).lower()[:1]: v for k, v in answer.items()}
        if set(keys) != {"m", "a", "n"}:
            raise Unreadable("name the weights money, authority and need, or give three "
                             "numbers in that order.")
        answer = [keys["m"], keys["a"], keys["n"]]
    if isinstance(answer, str):   # "0.2, 0.3, 0.5", "0.2:0.3:0.5", "20% 30% 50%"
        parts = answer.replace("，", ",").replace("：", ":").replace(":", ",").replace("/", ",")
        answer = [p for p in parts.replace(" ", ",").split(",") if p.strip()]
    if isinstance(answer, str) or not isinstance(answer, (Sequence, np.ndarray)) \
            or len(answer) != 3:
        raise Unreadable("give three weights (money, authority, need), e.g. (0.4, 0.3, 0.3).")
    return dict(zip(man.DIMENSIONS, (read_number(v) for v in answer)))
