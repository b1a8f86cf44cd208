"""Exercise checks of chapter 2 (MAN case); registered with :func:`crmlab.checks.exercise`."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from . import man
from .checks import _by_label, _close, _number, _Unreadable, exercise
from .datasets import load_dataset


# ------------------------------------------------------------------ chapter 2: MAN
def _banks() -> pd.DataFrame:
    return load_dataset("man_banks")


def _slide_table(**options) -> pd.DataFrame:
    return man.score_bank_case(_banks(), **options)


def _raw_money() -> pd.Series:
    """Slide Money scores before rounding, floor and cap (for hints only)."""
    banks = _banks().set_index("bank")
    return man.money_score(banks["it_budget_yi"] + banks["special_grant_yi"],
                           banks["profit_trend_slide"], floor=-math.inf, cap=math.inf)


def _unclipped_totals() -> pd.Series:
    """Slide totals had the raw Money score been used as it is (for hints only)."""
    banks = _banks().set_index("bank")
    w = man.DEFAULT_WEIGHTS
    return (w["money"] * _raw_money() + w["authority"] * banks["authority_doc"]
            + w["need"] * banks["need_doc"])


@exercise("man-1", chapter="02_man_case",
          prompt="Reproduce the courseware's five weighted totals (A–E).")
def _man_1(answer):
    expected = _slide_table()["total"]
    got = _by_label(answer, list(expected.index), "bank")
    wrong = [b for b in expected.index if not _close(got[b], expected[b])]
    if not wrong:
        return True, "all five totals match the answer slide. D ranks first."
    b = wrong[0]
    raw = _raw_money()[b]
    if not man.SCORE_FLOOR <= raw <= man.SCORE_CAP and _close(got[b], _unclipped_totals()[b]):
        rule = "floor" if raw < man.SCORE_FLOOR else "cap"
        return False, (f"Bank {b}'s raw Money score is {raw:g}: what does the {rule} rule "
                       f"do to it?")
    if b == "E" and _close(got[b], _slide_table(rounding="none").loc["E", "total"]):
        return False, ("E's Money is 1.2 by the rule as written, but the slide shows a "
                       "different total. Which rounding of the budget part reproduces it?")
    return False, (f"bank {b}: your total {got[b]:g} does not match. Recompute "
                   f"Money×0.4 + Authority×0.3 + Need×0.3 with the slide's scores"
                   + (f" ({len(wrong) - 1} more bank(s) differ)." if len(wrong) > 1 else "."))


@exercise("man-2", chapter="02_man_case",
          prompt="Bank E's total when Money is scored by the rule as written, no rounding.")
def _man_2(answer):
    got = _number(answer)
    expected = _slide_table(rounding="none").loc["E", "total"]
    if _close(got, expected):
        return True, f"correct. E's total is {expected:.2f} by the rule as written."
    e = _banks().set_index("bank").loc["E"]
    money = man.money_score(e["it_budget_yi"], e["profit_trend_slide"])
    if _close(got, _slide_table().loc["E", "total"]):
        return False, "that is the slide's total, which uses Money = 2. Apply 12/10 + 0 as written."
    if _close(got, money):
        return False, f"{money:g} is E's Money score; the question asks for E's weighted total."
    if got < expected:
        return False, "too low: did you round E's Money down? The question asks for no rounding."
    return False, "not quite: compute E's Money as 12/10 + 0, then weight it with A and N."


@exercise("man-3", chapter="02_man_case",
          prompt="Bank D's total without the unsupported +1 profit adjustment.")
def _man_3(answer):
    got = _number(answer)
    expected = _slide_table(slide_adjustments=False).loc["D", "total"]
    if _close(got, expected):
        winner = _slide_table(slide_adjustments=False)["total"].idxmax()
        return True, f"correct: {expected:.2f}, and {winner} still ranks first."
    if _close(got, _slide_table().loc["D", "total"]):
        return False, "that total still includes the +1. Which fact in the question supports it?"
    if _close(got, _slide_table(slide_adjustments=False, count_grant=False).loc["D", "total"]):
        return False, "you also dropped the ¥10亿 grant: keep D's budget as the slide counts it."
    return False, "not quite: recompute D's Money as (20 + 10)/10 + 0, then the weighted total."


@exercise("man-4", chapter="02_man_case",
          prompt="Find weights (money, authority, need) under which bank B wins outright.")
def _man_4(answer):
    w = _weights(answer)
    total = sum(w.values())
    if any(v < 0 for v in w.values()):
        return False, "weights cannot be negative."
    if abs(total - 1) > 1e-9:
        return False, f"your weights sum to {total:g}; they must sum to 1."
    table = _slide_table(weights=w)["total"]
    best = table[table.round(9) == table.round(9).max()].index.tolist()
    if best == ["B"]:
        return True, (f"B wins with {table['B']:.2f} against {table.drop('B').idxmax()}'s "
                      f"{table.drop('B').max():.2f}.")
    if "B" in best:
        return False, f"B ties with {', '.join(x for x in best if x != 'B')}: tilt a little further."
    return False, (f"with these weights {best[0]} wins ({table[best[0]]:.2f} vs B "
                   f"{table['B']:.2f}). On which dimension is B strongest?")


@exercise("man-5", chapter="02_man_case",
          prompt="Score the synthetic B2B leads with your own MAN rules; give your top 10.")
def _man_5(answer):
    if not isinstance(answer, pd.DataFrame):
        raise _Unreadable("give your top 10 as a DataFrame with columns money, authority, "
                          "need and total (and the lead_id as a column or the index).")
    table = answer.reset_index() if "lead_id" not in answer.columns else answer
    missing = [c for c in ("lead_id", "money", "authority", "need", "total")
               if c not in table.columns]
    if missing:
        return False, f"your table lacks column(s) {missing}."
    if len(table) != 10:
        return False, f"a top 10 has 10 rows; yours has {len(table)}."
    known = set(load_dataset("b2b_leads_synthetic")["lead_id"])
    unknown = [x for x in table["lead_id"] if x not in known]
    if unknown or table["lead_id"].duplicated().any():
        return False, "every lead_id must be a distinct lead of the synthetic table."
    scores = table[["money", "authority", "need", "total"]].apply(pd.to_numeric, errors="coerce")
    if scores.isna().any().any():
        return False, "money, authority, need and total must all be numbers."
    dims = scores[["money", "authority", "need"]]
    if ((dims < man.SCORE_FLOOR) | (dims > man.SCORE_CAP)).any().any():
        return False, "every MAN score must lie between 1 and 5: apply a floor and a cap."
    if ((scores["total"] < dims.min(axis=1) - 1e-9)
            | (scores["total"] > dims.max(axis=1) + 1e-9)).any():
        return False, "a total with weights summing to 1 lies between a lead's lowest and highest score."
    if not scores["total"].is_monotonic_decreasing:
        return False, "sort your top 10 by total, best first."
    return True, ("your top 10 is consistent with your own rules. How many of these leads "
                  "would a classmate's rules also pick?")


@exercise("man-6", chapter="02_man_case",
          prompt="On the step-0.05 weight grid, at how many weight vectors does B win alone?")
def _man_6(answer):
    got = _number(answer)
    counts = man.winner_map(_slide_table(), steps=20)["winner"].value_counts()
    if got == counts.get("B", 0):
        return True, f"correct: {counts['B']} of {counts.sum()} weight vectors."
    ties = sum(n for label, n in counts.items() if "B" in label.split("=") and label != "B")
    if got == counts.get("B", 0) + ties:
        return False, "you counted the ties too; count the vectors where B alone is best."
    if got in counts.to_numpy():
        return False, "that is another bank's (or a tie's) count; look at winner == 'B'."
    return False, "count the rows of man.winner_map(table, steps=20) whose winner is 'B'."


def _weights(answer) -> dict[str, float]:
    if isinstance(answer, (Mapping, pd.Series)):
        answer = dict(answer)
        keys = {str(k).lower()[:1]: v for k, v in answer.items()}
        if set(keys) != {"m", "a", "n"}:
            raise _Unreadable("name the weights money, authority and need, or give three "
                              "numbers in that order.")
        answer = [keys["m"], keys["a"], keys["n"]]
    if isinstance(answer, str) or not isinstance(answer, (Sequence, np.ndarray)) \
            or len(answer) != 3:
        raise _Unreadable("give three weights (money, authority, need), e.g. (0.4, 0.3, 0.3).")
    return dict(zip(man.DIMENSIONS, (_number(v) for v in answer)))
