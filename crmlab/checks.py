"""Instant feedback for students: ``check(exercise_id, answer)``.

``check`` accepts any answer — a number, a dict, a Series, a DataFrame, a string,
``None``, the ``...`` placeholder — prints ✓ or a hint that helps without giving the
answer away, and returns a :class:`Feedback` for graders. It never raises.

Expected answers are computed by calling crmlab's compute functions on the chapter's
inputs, never pasted in; the published numbers they must equal are asserted in the
tests. Each chapter registers its exercises below with :func:`exercise`.

Examples
--------
>>> result = check("man-2", 1.08)
✓ man-2: correct. E's total is 1.08 by the rule as written.
>>> result.passed
True
>>> result = check("man-2", "about one")
? man-2: I could not read 'about one' as a number. Answer with a number, e.g. 2.5.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import concentration, man, rfm
from .datasets import load_dataset

__all__ = ["Feedback", "check", "list_exercises"]

#: Absolute tolerance for numeric answers (totals are shown to 2 decimals).
TOLERANCE = 0.005


@dataclass(frozen=True)
class Feedback:
    """The result of a check: whether it passed and what to tell the student."""

    exercise: str
    passed: bool
    message: str

    def __repr__(self) -> str:
        return self.message

    def _ipython_display_(self) -> None:
        """Show nothing in a notebook: ``check`` has already printed the message."""


class _Unreadable(Exception):
    """The answer cannot be read as the expected kind of value."""


@dataclass(frozen=True)
class _Exercise:
    chapter: str
    prompt: str
    grade: Callable[[object], tuple[bool, str]]


_EXERCISES: dict[str, _Exercise] = {}


def exercise(exercise_id: str, *, chapter: str, prompt: str):
    """Register ``grade(answer) -> (passed, message)`` as the checker of an exercise."""
    def register(grade):
        _EXERCISES[exercise_id] = _Exercise(chapter, prompt, grade)
        return grade
    return register


def list_exercises() -> pd.DataFrame:
    """List the registered exercises: ``exercise``, ``chapter`` and ``prompt``."""
    return pd.DataFrame(
        [{"exercise": k, "chapter": e.chapter, "prompt": e.prompt}
         for k, e in _EXERCISES.items()]
    )


def check(exercise_id, answer=None) -> Feedback:
    """Check a student's answer, print feedback and return it; never raises.

    Parameters
    ----------
    exercise_id : str
        The exercise label printed in the notebook, e.g. ``"man-1"``.
    answer : object
        The student's answer, of any type.

    Returns
    -------
    Feedback
        Its message (also printed) starts ``✓`` when correct, ``✗`` with a hint when
        wrong, ``?`` when the answer cannot be read; ``.passed`` tells a grader the outcome.
    """
    feedback = _feedback(exercise_id, answer)
    # one write, so a notebook never stores the line and its newline as two chunks
    sys.stdout.write(feedback.message + "\n")
    return feedback


def _feedback(exercise_id, answer) -> Feedback:
    key = str(exercise_id).strip().lower()
    if key not in _EXERCISES:
        known = ", ".join(sorted(_EXERCISES))
        return Feedback(str(exercise_id), False,
                        f"? There is no exercise {exercise_id!r}; known exercises: {known}.")
    if answer is ... or answer is None:
        return Feedback(key, False, f"? {key}: replace the `...` with your answer, then run "
                                    f"the cell again.")
    try:
        passed, message = _EXERCISES[key].grade(answer)
    except _Unreadable as err:
        return Feedback(key, False, f"? {key}: {err}")
    except Exception as err:  # a student answer must never end in a traceback
        return Feedback(key, False, f"? {key}: I could not check this answer "
                                    f"({type(err).__name__}: {err}).")
    return Feedback(key, passed, ("✓ " if passed else "✗ ") + f"{key}: {message}")


# --------------------------------------------------------------------------- readers
def _number(answer) -> float:
    if isinstance(answer, (pd.Series, pd.DataFrame, np.ndarray)) and np.size(answer) == 1:
        answer = np.ravel(answer)[0]
    if isinstance(answer, str):
        try:
            return float(answer.strip())
        except ValueError:
            pass
    if isinstance(answer, (int, float, np.integer, np.floating)) and not isinstance(answer, bool):
        if math.isfinite(float(answer)):
            return float(answer)
    raise _Unreadable(f"I could not read {answer!r} as a number. Answer with a number, e.g. 2.5.")


def _by_label(answer, labels: Sequence[str], what: str) -> dict[str, float]:
    """Read one number per label from a dict, Series, one-column frame or sequence."""
    if isinstance(answer, pd.DataFrame):
        col = "total" if "total" in answer.columns else (
            answer.columns[0] if answer.shape[1] == 1 else None)
        if col is None:
            raise _Unreadable(f"your table has columns {list(answer.columns)}; give a "
                              f"'total' column indexed by {what}.")
        answer = answer[col]
    if isinstance(answer, (Mapping, pd.Series)):
        got = {str(k).strip().upper(): v for k, v in dict(answer).items()}
        missing = [x for x in labels if x not in got]
        if missing:
            raise _Unreadable(f"I found no value for {what} {missing}; label each value "
                              f"with its {what}, e.g. {{'{labels[0]}': ...}}.")
        return {x: _number(got[x]) for x in labels}
    if isinstance(answer, (Sequence, np.ndarray)) and not isinstance(answer, str):
        if len(answer) != len(labels):
            raise _Unreadable(f"expected {len(labels)} values ({', '.join(labels)}); "
                              f"got {len(answer)}.")
        return {x: _number(v) for x, v in zip(labels, answer)}
    raise _Unreadable(f"expected one number per {what} ({', '.join(labels)}), as a dict or "
                      f"a Series; got {type(answer).__name__}.")


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


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE


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


# ------------------------------------------------------------------ chapter 3: RFM
def _courseware_rules() -> pd.DataFrame:
    rules = load_dataset("airline_rfm_rules")
    return rules[rules["version"] == "courseware"]


def _literal(dimension: str, value: float) -> pd.Series:
    return rfm.score_by_rules([value], _courseware_rules(), dimension=dimension).iloc[0]


_NO_SCORE = {"no score", "none", "gap", "no", "无", "没有", "无得分", "nan"}


def _status_answer(answer) -> str:
    """Read an answer about a table cell: a score, several scores, or 'no score'."""
    if isinstance(answer, float) and math.isnan(answer):
        return "no score"
    if isinstance(answer, str):
        text = answer.strip().lower()
        if text in _NO_SCORE:
            return "no score"
        parts = [p for p in text.replace("or", "|").replace(",", "|").replace("/", "|")
                 .replace("和", "|").replace("或", "|").split("|") if p.strip()]
        return "|".join(str(int(_number(p))) for p in parts)
    if isinstance(answer, (Sequence, set, np.ndarray)):
        return "|".join(str(int(_number(v))) for v in sorted(answer))
    return str(int(_number(answer)))


def _example_scores() -> list[float]:
    """Literal R, F, M scores of the rfm-1/rfm-2 customer: 2 months, 8 purchases, 2,500元."""
    return [_literal(d, v)["score"] for d, v in
            (("recency", 2), ("frequency", 8), ("monetary", 2500))]


@exercise("rfm-1", chapter="03_rfm",
          prompt="RFM code of a customer: last purchase 2 months ago, 8 purchases, average 2,500元.")
def _rfm_1(answer):
    expected = "".join(f"{score:.0f}" for score in _example_scores())
    got = str(answer).strip().strip("'\"")
    if got == expected:
        return True, f"correct: {expected} (R, F, M side by side)."
    if len(got) != 3 or not got.isdigit():
        raise _Unreadable("write the code as three digits, R then F then M, e.g. '351'.")
    names = ("R", "F", "M")
    wrong = [names[k] for k in range(3) if got[k] != expected[k]]
    return False, f"check the {', '.join(wrong)} score(s) against the table's rows."


@exercise("rfm-2", chapter="03_rfm", prompt="The RFM sum (3–15) of the same customer.")
def _rfm_2(answer):
    got = _number(answer)
    expected = sum(_example_scores())
    if got == expected:
        return True, f"correct: {expected:.0f}. The sum is a convention, not courseware."
    if got == 433:
        return False, "that is the code; the sum adds the three scores."
    return False, "add the three scores R + F + M."


@exercise("rfm-3", chapter="03_rfm",
          prompt="Literal airline table: the F score of exactly 24 purchases in 24 months.")
def _rfm_3(answer):
    row = _literal("frequency", 24)
    got = _status_answer(answer)
    if got == "no score" and row["status"] == "no score":
        return True, "right: 11~23 stops at 23 and 多于24次 starts above 24, so 24 falls through."
    if got in {"4", "5"}:
        return False, f"read the bounds exactly: does '{got}' include 24?"
    return False, "compare 24 with both neighbouring rows of the frequency line."


@exercise("rfm-4", chapter="03_rfm",
          prompt="Literal airline table: the M score of an average spend of exactly 5,000元.")
def _rfm_4(answer):
    row = _literal("monetary", 5000)
    got = _status_answer(answer)
    if got == row["matches"]:
        return True, "right: 3001~5000 and 5000元以上 both contain 5000, so it gets 4 and 5."
    if got in {"4", "5"}:
        return False, "one score is not the whole story: which other row contains 5000?"
    return False, "read both the 3001~5000 row and the 5000元以上 row."


@exercise("rfm-5", chapter="03_rfm",
          prompt="Average spend per purchase of customers A and B (case 4.2).")
def _rfm_5(answer):
    expected = {"A": 1000 / 5, "B": 500 / 3}
    got = _by_label(answer, ["A", "B"], "customer")
    if all(abs(got[k] - expected[k]) <= 0.01 for k in expected):
        return True, "correct: A 200元, B 166.67元 per purchase."
    if abs(got["A"] - 1000) <= 0.01:
        return False, "1000元 is A's spend per month; divide by the purchases per month."
    return False, "divide each customer's monthly spend by the purchases per month."


@exercise("rfm-6", chapter="03_rfm",
          prompt="Intensity ratio of the beer example: 23% of men drink 81% of the beer.")
def _rfm_6(answer):
    got = _number(answer)
    expected = concentration.intensity_ratio(23, 81)["intensity"]
    if abs(got - expected) <= 0.005:
        return True, f"correct: {expected:.2f}; an exact 80/20 split gives 4."
    if abs(got - 23 / 81) <= 0.005:
        return False, "upside down: consumption share over population share."
    return False, "divide the consumption share by the population share."


@exercise("rfm-7", chapter="03_rfm",
          prompt="Share of CDNOW revenue (full cohort) from the top 20% of customers.")
def _rfm_7(answer):
    got = _number(answer)
    got = got / 100 if got > 1 else got
    table = rfm.customer_table(load_dataset("cdnow_master"), amount="dollars")
    expected = concentration.top_share(table["monetary_total"], 0.2)
    if abs(got - expected) <= 0.005:
        return True, f"correct: {expected:.1%} of revenue — compare with the 80 of 80/20."
    if abs(got - 0.8) <= 0.005:
        return False, "that is the rule of thumb, not CDNOW's figure: compute it from the data."
    return False, "sort customers by revenue, take the top 20%, divide their revenue by the total."
