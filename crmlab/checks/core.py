"""The exercise engine: feedback, the exercise registry, student variants, answer readers.

``check`` accepts any answer — a number, a dict, a Series, a DataFrame, a string,
``None``, the ``...`` placeholder — prints ✓ or a hint that helps without giving the
answer away, and returns a :class:`Feedback` for graders. It never raises.

Each exercise reads its inputs from a *case* (a bank table, a customer, a pair of rates).
With no student id set, a case is the courseware's own data, so the lecture, the
solutions and the tests keep every published number. After ``student("2024001")`` each
case is that student's *variant*: data of the same structure with other numbers, which
``exercise_data`` hands to the student and ``check`` grades against. Expected answers are
always recomputed from the case by crmlab's compute functions, never pasted in.

Variant stability rule
----------------------
Draw number ``n`` of attempt ``k`` for case ``c`` and student ``s`` is the first 8 bytes
(big-endian) of ``sha256("crmlab-variant/v1/c/s/k/n")``; nothing else (no numpy stream,
no clock, no machine state) enters a variant. A case's generator may only be changed
together with the version tag ``v1``, and the tests pin golden values for a few ids. A
draw that breaks the property its exercise is about is rejected and attempt ``k + 1``
is tried, deterministically.

This module imports no chapter: the chapter modules (``ch02_man`` …) import it and
register their cases and exercises with :func:`case` and :func:`exercise`.

Examples
--------
>>> result = check("no-such-exercise", 1)
? There is no exercise 'no-such-exercise'; known exercises: ...
>>> result.passed
False
"""

from __future__ import annotations

import copy
import hashlib
import math
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["Draw", "Feedback", "case", "check", "current_student", "exercise",
           "exercise_data", "expected_answer", "list_exercises", "student"]

#: Absolute tolerance for numeric answers (totals are shown to 2 decimals).
TOLERANCE = 0.005
#: The version tag of the variant stability rule (see the module docstring).
VARIANT_SCHEME = "crmlab-variant/v1"
#: Attempts at drawing a valid variant before giving up (never reached by the tests' ids).
MAX_ATTEMPTS = 200


@dataclass(frozen=True)
class Feedback:
    """The result of a check: whether it passed, what to tell the student, and for whom."""

    exercise: str
    passed: bool
    message: str
    student: str | None = None

    def __repr__(self) -> str:
        return self.message

    def _ipython_display_(self) -> None:
        """Show nothing in a notebook: ``check`` has already printed the message."""


class Unreadable(Exception):
    """The answer cannot be read as the expected kind of value (the message says how)."""


# ------------------------------------------------------------------------ variants
class Draw:
    """Deterministic numbers for one (case, student, attempt), from sha256 only.

    Examples
    --------
    >>> d = Draw("demo", "alice")
    >>> [d.integer(1, 6) for _ in range(5)]
    [1, 1, 5, 1, 2]
    >>> Draw("demo", "alice").integer(1, 6)       # same inputs, same numbers
    1
    """

    def __init__(self, case_name: str, student_id: str, attempt: int = 0):
        self.student = student_id     # so that one case can build on another of the same id
        self._prefix = f"{VARIANT_SCHEME}/{case_name}/{student_id}/{attempt}/"
        self._n = 0

    def _next(self) -> int:
        digest = hashlib.sha256(f"{self._prefix}{self._n}".encode()).digest()
        self._n += 1
        return int.from_bytes(digest[:8], "big")

    def integer(self, low: int, high: int) -> int:
        """A whole number in ``[low, high]`` (both included)."""
        return low + self._next() % (high - low + 1)

    def step(self, low: float, high: float, step: float) -> float:
        """A multiple of ``step`` in ``[low, high]``, rounded to ``step``'s decimals."""
        k = self.integer(0, int(round((high - low) / step)))
        decimals = max(0, -math.floor(math.log10(step)) + 1)
        return round(low + k * step, decimals)

    def choice(self, options: Sequence):
        """One of ``options``."""
        return options[self.integer(0, len(options) - 1)]


@dataclass(frozen=True)
class _Case:
    make: Callable[[Draw | None], object]
    valid: Callable[[object], bool] | None
    varies: bool


_CASES: dict[str, _Case] = {}
_CACHE: dict[tuple[str, str | None], object] = {}
_STUDENT: list[str | None] = [None]


def case(name: str, *, valid: Callable[[object], bool] | None = None, varies: bool = True):
    """Register ``make(draw) -> data`` as the inputs of case ``name``.

    ``make(None)`` must return the courseware's data; ``make(draw)`` a variant, which is
    kept only if ``valid(data)`` holds. ``varies=False`` marks a case about the
    courseware's own slide (spot the flaw): every student gets the courseware's data.
    """
    def register(make):
        _CASES[name] = _Case(make, valid, varies)
        return make
    return register


def _normalise_id(student_id) -> str | None:
    """The id as text, or raise ``ValueError`` saying what an id must look like."""
    if student_id is None or student_id is ...:
        return None
    if isinstance(student_id, bool) or not isinstance(student_id, (str, int, np.integer)):
        raise ValueError(f"the id must be text or a whole number, e.g. "
                         f"crmlab.student('2024123456'); got {type(student_id).__name__}.")
    text = str(student_id).strip()
    if not text or len(text) > 64 or any(ch in text for ch in "/\n\r\t"):
        raise ValueError(f"the id must be 1–64 characters without '/' or line breaks; got "
                         f"{student_id!r}.")
    return text


def student(student_id=...) -> str | None:
    """Set the student id that chooses your own exercise numbers, and print it.

    Like ``check``, it never raises: an id it cannot use is answered with a message, and
    the id in use (if any) stays as it was.

    Parameters
    ----------
    student_id : str or int
        Your student number (or any fixed text your teacher asks for). ``...`` or
        ``None``: no id, the exercises use the courseware's own numbers.

    Returns
    -------
    str or None
        The id now in use.

    Examples
    --------
    >>> student("2024123456")
    Student id 2024123456: the exercises below use your own numbers.
    '2024123456'
    >>> student("a/b")
    ? crmlab.student: the id must be 1–64 characters without '/' or line breaks; got 'a/b'. The id in use is still 2024123456.
    '2024123456'
    >>> student(...)
    No student id: the exercises use the courseware's own numbers. Write your id as crmlab.student("2024123456").
    """
    try:
        _STUDENT[0] = _normalise_id(student_id)
    except ValueError as err:
        still = ("no id is set, so the exercises use the courseware's own numbers."
                 if _STUDENT[0] is None else f"the id in use is still {_STUDENT[0]}.")
        sys.stdout.write(f"? crmlab.student: {err} {still[0].upper() + still[1:]}\n")
        return _STUDENT[0]
    if _STUDENT[0] is None:
        sys.stdout.write("No student id: the exercises use the courseware's own numbers. "
                         "Write your id as crmlab.student(\"2024123456\").\n")
    else:
        sys.stdout.write(f"Student id {_STUDENT[0]}: the exercises below use your own "
                         f"numbers.\n")
    return _STUDENT[0]


def current_student() -> str | None:
    """The student id set by :func:`student`, or None."""
    return _STUDENT[0]


def case_data(name: str, student_id: str | None = None):
    """The data of case ``name`` for ``student_id`` (None: the courseware's data)."""
    spec = _CASES[name]
    key = (name, student_id if spec.varies else None)
    if key not in _CACHE:
        if key[1] is None:
            data = spec.make(None)
        else:
            for attempt in range(MAX_ATTEMPTS):
                data = spec.make(Draw(name, key[1], attempt))
                if spec.valid is None or spec.valid(data):
                    break
            else:  # pragma: no cover - a generator bug, not a student's doing
                raise RuntimeError(f"no valid variant of case {name!r} for {key[1]!r}")
        _CACHE[key] = data
    return copy.deepcopy(_CACHE[key])


# ------------------------------------------------------------------------ exercises
@dataclass(frozen=True)
class _Exercise:
    chapter: str
    prompt: str
    grade: Callable[[object, object], tuple[bool, str]]
    case: str | None
    answer: Callable[[object], object] | None


_EXERCISES: dict[str, _Exercise] = {}


def exercise(exercise_id: str, *, chapter: str, prompt: str, case: str | None = None,
             answer: Callable[[object], object] | None = None):
    """Register ``grade(answer, data) -> (passed, message)`` as an exercise's checker.

    ``data`` is the exercise's case for the current student (None without a case).
    ``answer(data)`` returns the expected answer in one canonical form (a number, a
    string, a tuple, or a dict of label → number); open exercises have none.
    """
    def register(grade):
        _EXERCISES[exercise_id] = _Exercise(chapter, prompt, grade, case, answer)
        return grade
    return register


def expected_answer(exercise_id, student_id=None):
    """The expected answer of an exercise for a student (None: the courseware's numbers).

    For teachers and graders; an open exercise (one whose answer is the student's own
    design) returns None.

    Examples
    --------
    >>> import crmlab
    >>> expected_answer("clv-1")
    {'1': 5.0, '2': 10.0}
    """
    key = _key(exercise_id)
    if key is None:
        raise ValueError(f"crmlab.checks.expected_answer: there is no exercise "
                         f"{exercise_id!r}; known exercises: {', '.join(sorted(_EXERCISES))}.")
    spec = _EXERCISES[key]
    if spec.answer is None:
        return None
    data = None if spec.case is None else case_data(spec.case, _normalise_id(student_id))
    return spec.answer(data)


def list_exercises() -> pd.DataFrame:
    """List the exercises: ``exercise``, ``chapter``, ``prompt`` and ``variant``.

    ``variant`` is True where each student gets their own numbers.

    Examples
    --------
    >>> import crmlab
    >>> crmlab.list_exercises().columns.tolist()
    ['exercise', 'chapter', 'prompt', 'variant']
    """
    return pd.DataFrame(
        [{"exercise": k, "chapter": e.chapter, "prompt": e.prompt,
          "variant": e.case is not None and _CASES[e.case].varies}
         for k, e in _EXERCISES.items()],
        columns=["exercise", "chapter", "prompt", "variant"])


def _key(exercise_id) -> str | None:
    try:
        key = str(exercise_id).strip().lower()
    except Exception:  # noqa: BLE001 - a student's object whose str() fails
        return None
    return key if key in _EXERCISES else None


def exercise_data(exercise_id):
    """The inputs of an exercise: your own variant after :func:`student`, else the courseware's.

    Parameters
    ----------
    exercise_id : str
        The exercise label printed in the notebook, e.g. ``"man-2"``.

    Returns
    -------
    DataFrame or dict
        A fresh copy each call: change it freely, the check is not affected.

    Examples
    --------
    >>> import crmlab
    >>> crmlab.exercise_data("clv-3")
    {'retention': 0.9, 'discount': 0.12}
    """
    key = _key(exercise_id)
    if key is None:
        raise ValueError(f"crmlab.exercise_data: there is no exercise {exercise_id!r}; "
                         f"known exercises: {', '.join(sorted(_EXERCISES))}.")
    name = _EXERCISES[key].case
    if name is None:
        raise ValueError(f"crmlab.exercise_data: exercise {key!r} has no inputs of its own; "
                         f"its question says what to use.")
    return case_data(name, current_student())


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
        wrong, ``?`` when the answer cannot be read; ``.passed`` tells a grader the
        outcome and ``.student`` whose variant was graded.

    Examples
    --------
    >>> import crmlab
    >>> result = crmlab.check("man-2", 1.08)
    ✓ man-2: correct. E's total is 1.08 by the rule as written.
    >>> result = crmlab.check("man-2", "about one")
    ? man-2: I could not read 'about one' as a number. Answer with a number, e.g. 2.5.
    """
    feedback = _feedback(exercise_id, answer)
    # one write, so a notebook never stores the line and its newline as two chunks
    sys.stdout.write(feedback.message + "\n")
    return feedback


def _feedback(exercise_id, answer) -> Feedback:
    who = current_student()
    key = _key(exercise_id)
    if key is None:
        known = ", ".join(sorted(_EXERCISES))
        try:
            shown = repr(exercise_id)
        except Exception:  # noqa: BLE001
            shown = f"<{type(exercise_id).__name__}>"
        return Feedback(shown, False, f"? There is no exercise {shown}; known exercises: "
                                      f"{known}.", who)
    label = key if who is None else f"{key} [student {who}]"
    if answer is ... or answer is None:
        return Feedback(key, False, f"? {label}: replace the `...` with your answer, then "
                                    f"run the cell again.", who)
    spec = _EXERCISES[key]
    try:
        data = None if spec.case is None else case_data(spec.case, who)
        passed, message = spec.grade(answer, data)
    except Unreadable as err:
        return Feedback(key, False, f"? {label}: {err}", who)
    except Exception as err:  # noqa: BLE001 - a student answer must never end in a traceback
        return Feedback(key, False, f"? {label}: I could not check this answer "
                                    f"({type(err).__name__}: {err}).", who)
    if not passed and spec.answer is not None and _agrees_when_rounded(answer, spec.answer(data)):
        message = ("close: your answer agrees with the expected one to the decimals you gave. "
                   "Give at least two more decimals (don't round before checking).")
    return Feedback(key, passed, ("✓ " if passed else "✗ ") + f"{label}: {message}", who)


def _decimals(value) -> int | None:
    """How many decimals a student's number shows (None: not a plain number)."""
    if isinstance(value, str):
        text = value.strip().rstrip("%").strip()
    elif isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return 0
    elif isinstance(value, (float, np.floating)) and math.isfinite(value):
        text = repr(float(value))
    else:
        return None
    try:
        float(text)
    except ValueError:
        return None
    return len(text.split(".")[1]) if "." in text and "e" not in text.lower() else 0


def _agrees_when_rounded(answer, expected) -> bool:
    """Whether each number of ``answer`` is ``expected`` rounded to the answer's decimals
    (and not already right): a correct method whose result was rounded too early."""
    if isinstance(expected, dict) and isinstance(answer, Mapping):
        pairs = [(answer.get(k, answer.get(int(k)) if str(k).isdigit() else None), v)
                 for k, v in expected.items()]
    elif isinstance(expected, tuple) and isinstance(answer, (tuple, list)) \
            and len(answer) == len(expected):
        pairs = list(zip(answer, expected))
    elif isinstance(expected, (int, float)) and not isinstance(expected, bool):
        pairs = [(answer, expected)]
    else:
        return False
    for got, want in pairs:
        d = _decimals(got)
        if d is None or d >= 4:
            return False
        try:
            value = read_number(got)
        except Unreadable:
            return False
        scale = 100 if isinstance(got, str) and got.strip().endswith("%") else 1
        if abs(value * scale - want * scale) > 0.5 * 10 ** -d + 1e-12:
            return False
    return True


# --------------------------------------------------------------------------- readers
def read_number(answer) -> float:
    """Read one finite number from a number, a numeric string or a one-element array."""
    if isinstance(answer, (pd.Series, pd.DataFrame, np.ndarray)) and np.size(answer) == 1:
        answer = np.ravel(answer)[0]
    if isinstance(answer, str):
        text = answer.strip().replace("，", ",").replace(",", "")
        percent = text.endswith("%")
        try:
            value = float(text.rstrip("%").strip())
        except ValueError:
            pass
        else:
            if math.isfinite(value):
                return value / 100 if percent else value
    if isinstance(answer, (int, float, np.integer, np.floating)) and not isinstance(answer, bool):
        if math.isfinite(float(answer)):
            return float(answer)
    raise Unreadable(f"I could not read {answer!r} as a number. Answer with a number, e.g. 2.5.")


def read_by_label(answer, labels: Sequence[str], what: str) -> dict[str, float]:
    """Read one number per label from a dict, Series, one-column frame or sequence."""
    if isinstance(answer, pd.DataFrame):
        col = "total" if "total" in answer.columns else (
            answer.columns[0] if answer.shape[1] == 1 else None)
        if col is None:
            raise Unreadable(f"your table has columns {list(answer.columns)}; give a "
                             f"'total' column indexed by {what}.")
        answer = answer[col]
    if isinstance(answer, (Mapping, pd.Series)):
        got = {str(k).strip().upper(): v for k, v in dict(answer).items()}
        missing = [x for x in labels if x not in got]
        if missing:
            raise Unreadable(f"I found no value for {what} {missing}; label each value "
                             f"with its {what}, e.g. {{'{labels[0]}': ...}}.")
        return {x: read_number(got[x]) for x in labels}
    if isinstance(answer, (Sequence, np.ndarray)) and not isinstance(answer, str):
        if len(answer) != len(labels):
            raise Unreadable(f"expected {len(labels)} values ({', '.join(labels)}); "
                             f"got {len(answer)}.")
        return {x: read_number(v) for x, v in zip(labels, answer)}
    raise Unreadable(f"expected one number per {what} ({', '.join(labels)}), as a dict or "
                     f"a Series; got {type(answer).__name__}.")


def read_pair(answer, what: str) -> tuple[float, float]:
    """Read two numbers (a dict's values, a list, a tuple or a string like '104-195')."""
    if isinstance(answer, Mapping):
        answer = list(answer.values())
    if isinstance(answer, str):
        parts = [p for p in answer.replace("～", "-").replace("~", "-").replace("–", "-")
                 .replace("，", ",").replace(",", "-").replace("元", "").split("-")
                 if p.strip()]
        if len(parts) == 2:
            answer = parts
    if isinstance(answer, (Sequence, np.ndarray, pd.Series)) and not isinstance(answer, str) \
            and len(answer) == 2:
        return read_number(list(answer)[0]), read_number(list(answer)[1])
    raise Unreadable(f"give two numbers, {what}, e.g. (100, 200).")


def close(a: float, b: float, tol: float = TOLERANCE) -> bool:
    """Whether ``a`` equals ``b`` within the absolute tolerance ``tol``."""
    return abs(a - b) <= tol
