"""Instant feedback for students: ``check(exercise_id, answer)``.

``check`` accepts any answer — a number, a dict, a Series, a DataFrame, a string,
``None``, the ``...`` placeholder — prints ✓ or a hint that helps without giving the
answer away, and returns a :class:`Feedback` for graders. It never raises.

Expected answers are computed by calling crmlab's compute functions on the chapter's
inputs, never pasted in; the published numbers they must equal are asserted in the
tests. Each chapter registers its exercises with :func:`exercise` in its own module
(``checks_man``, ``checks_rfm``, ``checks_clv``), loaded on the first check.

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


def _load_chapters() -> None:
    """Import the chapter modules, which register their exercises (once)."""
    from . import checks_clv, checks_man, checks_rfm  # noqa: F401


def list_exercises() -> pd.DataFrame:
    """List the registered exercises: ``exercise``, ``chapter`` and ``prompt``."""
    _load_chapters()
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
    _load_chapters()
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


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE
