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
import decimal
import hashlib
import math
import numbers
import re
import sys
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..course import grading_record
from ..i18n import gettext as _

__all__ = ["Draw", "Feedback", "Unreadable", "agrees_when_rounded", "case", "check", "close",
           "close_hint", "current_student", "describe", "exercise", "exercise_data",
           "expected_answer", "free_text", "list_exercises", "normalise_text", "pair_parts",
           "read_by_label", "read_number", "read_pair", "read_ratio", "student"]

#: Absolute tolerance for numeric answers (totals are shown to 2 decimals).
TOLERANCE = 0.005
#: The version tag of the variant stability rule (see the module docstring).
VARIANT_SCHEME = "crmlab-variant/v1"
#: Attempts at drawing a valid variant before giving up (never reached by the tests' ids).
MAX_ATTEMPTS = 200


@dataclass(frozen=True)
class Feedback:
    """The result of a check: whether it passed, what to tell the student, and for whom.

    ``detail`` is for graders and developers only (never shown to the student): the error
    a check met when it could not read an answer, if any.
    """

    exercise: str
    passed: bool
    message: str
    student: str | None = None
    detail: str | None = field(default=None, compare=False)

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


#: Ids that are not a student's own: the README's and the notebooks' example, and the
#: placeholder a student may copy literally (compared after NFKC and casefold).
EXAMPLE_IDS = ("2024123456",)
PLACEHOLDER_IDS = ("学号", "你的学号", "我的学号", "学生学号", "student id", "your id",
                   "your student id", "your student number", "id")


def normalise_text(text) -> str:
    """``text`` as a student meant it: NFKC (full-width digits, letters and punctuation
    typed in a Chinese input method become ASCII), outer spaces stripped, inner runs of
    spaces collapsed.

    Examples
    --------
    >>> normalise_text("  ２０２３１１０４５７\u3000")
    '2023110457'
    >>> normalise_text("１．６３ ％")
    '1.63 %'
    """
    return " ".join(unicodedata.normalize("NFKC", str(text)).split())


def _normalise_id(student_id) -> str | None:
    """The id as text (NFKC, stripped), or raise ``ValueError`` saying what an id must look
    like."""
    if student_id is None or student_id is ...:
        return None
    if isinstance(student_id, bool) or not isinstance(student_id, (str, int, np.integer)):
        raise ValueError(_("the id must be text or a whole number, e.g. "
                           "crmlab.student(\"2024123456\") with your own number; got {kind}.")
                         .format(kind=type(student_id).__name__))
    text = unicodedata.normalize("NFKC", str(student_id)).strip()
    if not text or len(text) > 64 or any(ch in text for ch in "/\n\r\t"):
        raise ValueError(_("the id must be 1–64 characters without '/' or line breaks; got "
                           "{shown}.").format(shown=describe(student_id)))
    return text


def _id_warning(student_id: str) -> str:
    """A warning when ``student_id`` is an example or a placeholder, not a student's own."""
    if student_id in EXAMPLE_IDS:
        return _("Warning: {id} is the example id of the README and the notebooks, not "
                 "yours. Everyone who copies it gets the same numbers, and your teacher "
                 "cannot tell your answers from theirs. Write your own student number."
                 ).format(id=student_id)
    if student_id.casefold() in PLACEHOLDER_IDS:
        return _("Warning: {id} is the placeholder, not an id. Write your own student "
                 "number in its place, in quotes: crmlab.student(\"…\")."
                 ).format(id=student_id)
    return ""


def student(student_id=...) -> str | None:
    """Set the student id that chooses your own exercise numbers, and print it.

    Like ``check``, it never raises: an id it cannot use is answered with a message, and
    the id in use (if any) stays as it was. The id is read as you meant it: full-width
    digits typed in a Chinese input method (２０２３１１０４５７) give the same id, and the same
    numbers, as ASCII digits (2023110457). The README's example id and the placeholder
    学号 are accepted with a warning: they are nobody's own.

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
    >>> student("２０２３１１０４５７")
    Student id 2023110457: the exercises below use your own numbers.
    '2023110457'
    >>> student("a/b")
    ? crmlab.student: the id must be 1–64 characters without '/' or line breaks; got 'a/b'. The id in use is still 2023110457.
    '2023110457'
    >>> student(...)
    No student id: the exercises use the courseware's own numbers. Write your id as crmlab.student("2024123456"), with your own number.
    """
    try:
        _STUDENT[0] = _normalise_id(student_id)
    except ValueError as err:
        still = (_("No id is set, so the exercises use the courseware's own numbers.")
                 if _STUDENT[0] is None else
                 _("The id in use is still {id}.").format(id=_STUDENT[0]))
        sys.stdout.write(_("? crmlab.student: {error} {still}").format(error=err, still=still)
                         + "\n")
        return _STUDENT[0]
    if _STUDENT[0] is None:
        sys.stdout.write(_("No student id: the exercises use the courseware's own numbers. "
                           "Write your id as crmlab.student(\"2024123456\"), with your own "
                           "number.") + "\n")
    else:
        lines = [_("Student id {id}: the exercises below use your own numbers.")
                 .format(id=_STUDENT[0]), _id_warning(_STUDENT[0])]
        sys.stdout.write("\n".join(line for line in lines if line) + "\n")
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
    keys: Sequence[Sequence[str]] | None = None


_EXERCISES: dict[str, _Exercise] = {}


def exercise(exercise_id: str, *, chapter: str, prompt: str, case: str | None = None,
             answer: Callable[[object], object] | None = None,
             keys: Sequence[Sequence[str]] | None = None):
    """Register ``grade(answer, data) -> (passed, message)`` as an exercise's checker.

    ``data`` is the exercise's case for the current student (None without a case).
    ``answer(data)`` returns the expected answer in one canonical form (a number, a
    string, a tuple, or a dict of label → number); open exercises have none. ``keys``
    names the two values of a pair answer, as :func:`read_pair` takes them, so that the
    engine reads a dict answer the way the exercise does.
    """
    def register(grade):
        _EXERCISES[exercise_id] = _Exercise(chapter, prompt, grade, case, answer, keys)
        return grade
    return register


@dataclass(frozen=True)
class _FreeText:
    chapter: str
    note: str
    data_from: str | None


_FREE_TEXT: dict[str, _FreeText] = {}


def free_text(exercise_id: str, *, chapter: str, note: str, data_from: str | None = None
              ) -> None:
    """Register ``exercise_id`` as a free-text exercise, read by the teacher, not checked.

    ``check`` and ``exercise_data`` then answer it with a message instead of "no such
    exercise": ``note`` (marked with ``N_``, translated when shown) says what the answer
    should use; ``data_from`` names another exercise whose inputs it uses, which
    ``exercise_data`` hands out. It is not in :func:`list_exercises` (nothing to check).
    """
    _FREE_TEXT[exercise_id] = _FreeText(chapter, note, data_from)


def _free_key(exercise_id) -> str | None:
    try:
        key = str(exercise_id).strip().lower()
    except Exception:  # noqa: BLE001 - a student's object whose str() fails
        return None
    return key if key in _FREE_TEXT else None


def _free_text_message(key: str) -> str:
    return _("{exercise} is free text and is not auto-checked: your teacher reads your "
             "answer. {note}").format(exercise=key, note=_(_FREE_TEXT[key].note))


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
    if key is None and _free_key(exercise_id) is not None:
        return None                       # free text: the teacher reads it
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

    ``variant`` is True where each student gets their own numbers. The prompt is in the
    current language where its chapter's catalog translates it.

    Examples
    --------
    >>> import crmlab
    >>> crmlab.list_exercises().columns.tolist()
    ['exercise', 'chapter', 'prompt', 'variant']
    """
    return pd.DataFrame(
        [{"exercise": k, "chapter": e.chapter, "prompt": _(e.prompt),
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
    free = _free_key(exercise_id) if key is None else None
    if free is not None:
        spec = _FREE_TEXT[free]
        lines = [_free_text_message(free)]
        if spec.data_from is not None:
            lines.append(_("Here are the inputs of {other}, which it uses.").format(
                other=spec.data_from))
        sys.stdout.write("\n".join(lines) + "\n")
        return None if spec.data_from is None else exercise_data(spec.data_from)
    if key is None:
        raise ValueError(_("crmlab.exercise_data: there is no exercise {shown}; known "
                           "exercises: {known}.").format(shown=describe(exercise_id),
                                                         known=", ".join(sorted(_EXERCISES))))
    name = _EXERCISES[key].case
    if name is None:
        raise ValueError(_("crmlab.exercise_data: exercise {exercise} has no inputs of its "
                           "own; its question says what to use.").format(exercise=repr(key)))
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
      Note: no student id is set, so this was checked against the courseware's own numbers (the ones on the page). Set your id with crmlab.student("…") in the id cell, then run the exercise cells again to check your own numbers.
    >>> result = crmlab.check("man-2", "about one")
    ? man-2: I could not read 'about one' as a number. Answer with a number, e.g. 2.5.
    """
    feedback = _feedback(exercise_id, answer)
    # one write, so a notebook never stores the line and its newline as two chunks
    sys.stdout.write(feedback.message + "\n")
    grading_record.record_check(exercise_id, answer, feedback)   # only under `crmlab grade`
    return feedback


def _feedback(exercise_id, answer) -> Feedback:
    who = current_student()
    key = _key(exercise_id)
    free = _free_key(exercise_id) if key is None else None
    if free is not None:
        return Feedback(free, False, _("ℹ {message}").format(
            message=_free_text_message(free)), who)
    if key is None:
        known = ", ".join(sorted(_EXERCISES))
        shown = describe(exercise_id)
        return Feedback(shown, False, _("? There is no exercise {shown}; known exercises: "
                                        "{known}.").format(shown=shown, known=known), who)
    label = key if who is None else _("{exercise} [student {student}]").format(
        exercise=key, student=who)
    if answer is ... or answer is None:
        return Feedback(key, False, _("? {label}: replace the `...` with your answer, then "
                                      "run the cell again.").format(label=label), who)
    spec = _EXERCISES[key]
    try:
        data = None if spec.case is None else case_data(spec.case, who)
        passed, message = spec.grade(answer, data)
    except Unreadable as err:
        return Feedback(key, False, _("? {label}: {reason}").format(label=label, reason=err),
                        who)
    except Exception as err:  # noqa: BLE001 - a student answer must never end in a traceback
        return Feedback(key, False, _("? {label}: I could not read this answer ({shown}). "
                                      "Give it in the form the exercise asks for, as in the "
                                      "example under its question.").format(
                                          label=label, shown=describe(answer)),
                        who, detail=f"{type(err).__name__}: {err}")
    if not passed and spec.answer is not None:
        message = _closeness(spec, answer, data, message)
    text = (_("✓ {label}: {message}") if passed else _("✗ {label}: {message}")).format(
        label=label, message=message)
    if passed and who is None and spec.case is not None and _CASES[spec.case].varies:
        text += "\n" + _("  Note: no student id is set, so this was checked against the "
                         "courseware's own numbers (the ones on the page). Set your id with "
                         "crmlab.student(\"…\") in the id cell, then run the exercise cells "
                         "again to check your own numbers.")
    return Feedback(key, passed, text, who)


def _decimals(value) -> int | None:
    """How many decimals a student's number shows (None: not a plain number)."""
    if isinstance(value, str):
        text, _percent = _number_text(value)
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


def close_hint() -> str:
    """The message for a right method rounded too early (see :func:`agrees_when_rounded`)."""
    return _("close: your answer agrees with the expected one to the decimals you gave. "
             "Give at least two more decimals (don't round before checking).")


def agrees_when_rounded(raw, want: float) -> bool:
    """Whether ``raw`` — a number or a numeric string, as the student wrote it — is ``want``
    rounded to the decimals ``raw`` shows: a right method rounded too early. A "%" string
    is compared in percent (``"68%"`` with ``want`` 0.678). An answer of four or more
    decimals is not called rounded.

    Examples
    --------
    >>> agrees_when_rounded(3.5, 3.5217), agrees_when_rounded("68%", 0.678)
    (True, True)
    >>> agrees_when_rounded(3.4, 3.5217), agrees_when_rounded(3.52174, 3.5217)
    (False, False)
    """
    d = _decimals(raw)
    if d is None or d >= 4:
        return False
    return _within_rounding(raw, want, d)


def _within_rounding(raw, want: float, d: int) -> bool:
    try:
        value = read_number(raw)
    except Unreadable:
        return False
    scale = 100 if isinstance(raw, str) and _number_text(raw)[1] else 1
    return abs(value * scale - want * scale) <= 0.5 * 10 ** -d + 1e-12


def _aligned(answer, expected, keys=None) -> list[tuple[object, float]] | None:
    """The numbers of ``answer`` as written, each beside the expected number it answers
    (None when the answer has not the expected answer's shape or is not numeric)."""
    if isinstance(expected, dict):
        try:
            got = _labelled(answer, [str(k) for k in expected], "label")
        except Unreadable:
            return None
        pairs = [(got[str(k)], v) for k, v in expected.items()]
    elif isinstance(expected, tuple):
        if len(expected) == 2:
            try:
                parts = list(pair_parts(answer, "", keys))
            except Unreadable:
                return None
        elif isinstance(answer, (tuple, list)):
            parts = list(answer)
        elif isinstance(answer, (np.ndarray, pd.Series)):
            parts = list(np.ravel(answer))
        elif isinstance(answer, str):
            parts = _pairs_of_text(answer)
        else:
            return None
        if not isinstance(parts, list) or len(parts) != len(expected):
            return None
        pairs = list(zip(parts, expected))
    else:
        pairs = [(answer, expected)]
    if not all(isinstance(w, numbers.Real) and not isinstance(w, bool) for _g, w in pairs):
        return None
    return pairs


def _agrees_when_rounded(answer, expected, keys=None) -> bool:
    """Whether each number of ``answer`` is ``expected`` rounded to the answer's decimals,
    or already as precise as four decimals show (a pair may have one value rounded and
    the other exact), and at least one was rounded: a correct method rounded too early."""
    pairs = _aligned(answer, expected, keys)
    if not pairs:
        return False
    rounded = 0
    for got, want in pairs:
        d = _decimals(got)
        if d is None or not _within_rounding(got, want, min(d, 4)):
            return False
        rounded += d < 4
    return rounded > 0


def _probe(answer, expected, keys=None):
    """An answer of the same shape halfway between the student's numbers and the expected
    ones: still the same rounding of the expected answer, but no longer the student's
    exact numbers."""
    pairs = _aligned(answer, expected, keys)
    middle = [(read_number(got) + want) / 2 for got, want in pairs]
    if isinstance(expected, dict):
        return dict(zip((str(k) for k in expected), middle))
    if isinstance(expected, tuple):
        return tuple(middle)
    return middle[0]


def _masked(message: str) -> str:
    return re.sub(r"[-+−]?\d[\d,]*(?:\.\d+)?", "#", message)


def _closeness(spec: _Exercise, answer, data, message: str) -> str:
    """The chapter's message, or the closeness hint when the answer is the expected one
    rounded too early and the chapter did not diagnose it.

    A chapter's message is a diagnosis of the student's numbers (a wrong method whose
    result they match, e.g. man-3's total that keeps the +1) when it changes as the
    numbers move halfway towards the expected ones: then it stays. A message that does
    not change is the chapter's general hint, and the closeness hint is more useful.
    """
    expected = spec.answer(data)
    if not _agrees_when_rounded(answer, expected, spec.keys):
        return message
    if _masked(message) == _masked(close_hint()):
        return message
    try:
        passed, probed = spec.grade(_probe(answer, expected, spec.keys), data)
    except Exception:  # noqa: BLE001 - the probe is ours; keep the old behaviour
        return close_hint()
    if passed or _masked(probed) == _masked(message):
        return close_hint()
    return message


# --------------------------------------------------------------------------- readers
#: How long a shown piece of an answer may be, in characters.
_SHOWN = 40


def _short(value) -> str:
    """``repr(value)`` cut to a few characters (never raises)."""
    try:
        text = repr(value.item() if isinstance(value, np.generic) else value)
    except Exception:  # noqa: BLE001 - a student's object whose repr fails
        text = f"<{type(value).__name__}>"
    text = " ".join(text.split())
    return text if len(text) <= _SHOWN else text[:_SHOWN - 1] + "…"


def _first(items, n: int = 3) -> str:
    items = list(items)
    shown = ", ".join(items[:n])
    return shown + (", …" if len(items) > n else "")


def describe(value) -> str:
    """A one-line summary of a student's answer for a feedback message: the value itself
    when it is short, else its type, size and first items — never a whole table.

    Examples
    --------
    >>> describe(2.5), describe("2.69年")
    ('2.5', "'2.69年'")
    >>> describe(pd.Series([2.8, 3.1, 2.9, 4.0], index=list("ABCD")))
    'a Series of 4 values (A: 2.8, B: 3.1, C: 2.9, …)'
    >>> describe(pd.DataFrame({"money": [1, 2], "need": [3, 4]}))
    'a table of 2 rows × 2 columns (money, need)'
    """
    try:
        if isinstance(value, pd.DataFrame):
            return _("a table of {rows} rows × {columns} columns ({names})").format(
                rows=value.shape[0], columns=value.shape[1],
                names=_first((_short(c).strip("'") for c in value.columns), 4) or "—")
        if isinstance(value, pd.Series):
            return _("a Series of {n} values ({items})").format(
                n=len(value), items=_first(f"{_short(k).strip(chr(39))}: {_short(v)}"
                                          for k, v in value.head(4).items()) or "—")
        if isinstance(value, np.ndarray):
            if value.ndim == 0:
                return _short(value.item())
            return _("an array of shape {shape} ({items})").format(
                shape=tuple(int(n) for n in value.shape),
                items=_first(_short(v) for v in value.ravel()[:4]) or "—")
        if isinstance(value, Mapping):
            return _("a dict of {n} entries ({items})").format(
                n=len(value), items=_first(f"{_short(k)}: {_short(v)}"
                                           for k, v in list(value.items())[:4]) or "—")
        if isinstance(value, (list, tuple, set, frozenset)):
            text = _short(value)
            if len(text) < _SHOWN:
                return text
            return _("a {kind} of {n} items ({items})").format(
                kind=type(value).__name__, n=len(value),
                items=_first(_short(v) for v in list(value)[:4]))
        if value is None or isinstance(value, (str, bytes, numbers.Number, decimal.Decimal)):
            return _short(value)
        return _("an object of type {kind}").format(kind=type(value).__name__)
    except Exception:  # noqa: BLE001 - a student's object that fails on len() or items()
        return _("an object of type {kind}").format(kind=type(value).__name__)


#: Units and symbols students write next to a number (after NFKC), longest first.
_UNITS = ("人民币", "美元", "个月", "星期", "US$", "USD", "RMB", "CNY", "yuan", "dollars",
          "years", "year", "yrs", "yr", "months", "month", "weeks", "week", "points", "pts",
          "times", "元", "分", "年", "倍", "次", "个", "周", "月", "天", "人", "位", "笔",
          "$", "¥", "x", "×")
_UNIT = "|".join(re.escape(u) for u in _UNITS)
_PREFIX = re.compile(rf"^(?:约|大约|≈|US\$|USD|RMB|CNY|人民币|\$|¥)\s*", re.I)
_SUFFIX = re.compile(rf"\s*(?:(?:{_UNIT})(?:\s*(?:/|每)\s*(?:{_UNIT}))?|%)$", re.I)


def _number_text(text: str) -> tuple[str, bool]:
    """The plain number in a student's text and whether it was a percentage: NFKC, signs,
    thousands separators, currency and unit words removed ("１.６３", "US$ 36.27", "2.69年",
    "12分", "68％")."""
    text = normalise_text(text).replace("−", "-").replace("，", ",")
    text = re.sub(r"(?<=\d)。(?=\d)", ".", text)          # a full stop typed as the point
    percent = False
    for _round in range(3):
        before = text
        text = _PREFIX.sub("", text)
        match = _SUFFIX.search(text)
        if match and match.start() > 0:
            percent = percent or match.group().strip() == "%"
            text = text[:match.start()]
        text = text.strip()
        if text == before:
            break
    return text.replace(",", ""), percent


def read_number(answer) -> float:
    """Read one finite number from a number, a numeric string or a one-element array.

    Strings are read as a student writes them: full-width digits (４４４, １.６３), a
    percentage (68%, ６８％), thousands separators, a currency (US$36.27, ¥1,000, 133.33元,
    人民币133元) or a unit (2.69年, 12分, 6.79倍, 3次, 4个, 52周, 6个月).

    Examples
    --------
    >>> read_number("１.６３"), read_number("2.69年"), read_number("US$ 36.27")
    (1.63, 2.69, 36.27)
    >>> read_number("68％"), read_number(np.array(3.6))
    (0.68, 3.6)
    """
    if isinstance(answer, (pd.Series, pd.DataFrame, np.ndarray)) and np.size(answer) == 1:
        answer = np.ravel(answer)[0]
    elif isinstance(answer, (list, tuple)) and len(answer) == 1:
        answer = answer[0]
    if isinstance(answer, np.generic):
        answer = answer.item()
    if isinstance(answer, str):
        text, percent = _number_text(answer)
        try:
            value = float(text)
        except ValueError:
            pass
        else:
            if math.isfinite(value):
                return value / 100 if percent else value
    if isinstance(answer, (numbers.Real, decimal.Decimal)) and not isinstance(answer, bool):
        try:
            value = float(answer)
        except (TypeError, ValueError, OverflowError):
            value = math.nan
        if math.isfinite(value):
            return value
    if _count(answer) not in (None, 1):
        raise Unreadable(_("I expected one number here, not {shown}. Answer with a number, "
                           "e.g. 2.5.").format(shown=describe(answer)))
    raise Unreadable(_("I could not read {shown} as a number. Answer with a number, e.g. "
                       "2.5.").format(shown=describe(answer)))


def _count(value) -> int | None:
    """How many values a collection holds (None: not a collection)."""
    if isinstance(value, (pd.Series, pd.DataFrame, np.ndarray)):
        return int(value.size)
    if isinstance(value, (Mapping, list, tuple, set, frozenset)):
        return len(value)
    return None


_CHINESE_DIGITS = dict(zip("一二三四五六七八九十", map(str, range(1, 11))))
_LABEL_WORDS = ("firm", "company", "bank", "customer", "client", "platform", "lead",
                "prospect", "segment", "cohort", "no", "number")
_GLUED = re.compile(rf"^(?:{'|'.join(_LABEL_WORDS)})\.?(.+)$", re.I)


def _label_of(key, labels: Mapping[str, str]) -> str | None:
    """The label (of ``labels``, upper-case → as given) that a key names, if any: the bare
    label ("A", "1") or the label with a word ("firm 1", "Firm_1", "bank A", "企业1",
    "客户A", "A银行", "第1家", "1.0")."""
    if isinstance(key, (float, np.floating)) and float(key).is_integer():
        key = int(key)
    text = normalise_text(key)
    candidates = [text]
    if re.fullmatch(r"\d+\.0+", text):
        candidates.append(text.split(".")[0])
    tokens = re.split(r"[\s_\-#:]+", text)
    if len(tokens) > 1:
        candidates.append(tokens[-1])
    glued = _GLUED.match(text)
    if glued:
        candidates.append(glued.group(1))
    bare = re.sub(r"^[\u4e00-\u9fff]+|[\u4e00-\u9fff]+$", "", text).strip()
    if bare:
        candidates.append(bare)
    inner = re.sub(r"^第|[号家个位]$", "", text)
    candidates.append(re.sub(r"^[\u4e00-\u9fff]*?(?=[一二三四五六七八九十]$)", "", inner))
    for candidate in candidates:
        candidate = _CHINESE_DIGITS.get(candidate, candidate).strip().upper()
        if candidate in labels:
            return labels[candidate]
    return None


def _pairs_of_text(text: str) -> list | dict:
    """A string of values ("5, 10") or of labelled values ("A: 2.8, B: 3.1", "1=5; 2=10")."""
    parts = [p.strip() for p in re.split(r"[,;，；、\n]+", normalise_text(text)) if p.strip()]
    labelled = [re.fullmatch(r"(.+?)\s*[:=]\s*(.+)", p) for p in parts]
    if parts and all(labelled):
        return {m.group(1): m.group(2) for m in labelled}
    return parts


def _labelled(answer, labels: Sequence[str], what: str) -> dict:
    """One raw value per label (not yet read as numbers): see :func:`read_by_label`."""
    labels = [str(x) for x in labels]
    upper = {x.upper(): x for x in labels}
    example = _("e.g. {{'{label}': ...}}").format(label=labels[0])
    if isinstance(answer, np.ndarray) and answer.ndim == 0:
        answer = answer.item()
    if isinstance(answer, str):
        answer = _pairs_of_text(answer)
    if isinstance(answer, pd.DataFrame):
        answer = _frame_column(answer, upper, what)
    if isinstance(answer, (list, tuple)) and answer and all(
            isinstance(item, (list, tuple)) and len(item) == 2
            and _label_of(item[0], upper) is not None for item in answer):
        answer = dict(answer)                       # [("A", 2.8), ("B", 3.1), ...]
    if isinstance(answer, (Mapping, pd.Series)):
        found: dict[str, list] = {}
        strangers = []
        for key, value in dict(answer).items():
            label = _label_of(key, upper)
            if label is None:
                strangers.append(_short(key))
            else:
                found.setdefault(label, []).append((key, value))
        twice = {x: keys for x, keys in found.items() if len(keys) > 1}
        if twice:
            x, keys = next(iter(twice.items()))
            raise Unreadable(_("you gave {what} {label} more than one value (keys {keys}); "
                               "give each {what} once.").format(
                                   what=what, label=x, keys=", ".join(_short(k) for k, _v in keys)))
        missing = [x for x in labels if x not in found]
        if missing and strangers:
            raise Unreadable(_("I found no value for {what} {missing}, and I did not recognise "
                               "the labels {keys}; label each value with its {what}, "
                               "{example}.").format(what=what, missing=", ".join(missing),
                                                    keys=_first(strangers), example=example))
        if missing:
            raise Unreadable(_("I found no value for {what} {missing}; label each value with "
                               "its {what}, {example}.").format(
                                   what=what, missing=", ".join(missing), example=example))
        return {x: found[x][0][1] for x in labels}
    if isinstance(answer, np.ndarray) and answer.ndim > 1 and answer.size == len(labels):
        answer = answer.ravel()
    if isinstance(answer, (Sequence, np.ndarray, pd.Index)) and not isinstance(answer, str):
        if len(answer) != len(labels):
            raise Unreadable(_("expected {n} values ({labels}); got {shown}.").format(
                n=len(labels), labels=", ".join(labels), shown=describe(answer)))
        return dict(zip(labels, list(answer)))
    raise Unreadable(_("expected one number per {what} ({labels}), as a dict or a Series, "
                       "{example}; got {shown}.").format(
                           what=what, labels=", ".join(labels), example=example,
                           shown=describe(answer)))


def _frame_column(frame: pd.DataFrame, upper: Mapping[str, str], what: str) -> pd.Series:
    """The column of values of a table answer, indexed by label."""
    if frame.shape[1] == 2 and frame.shape[0] == len(upper):
        for k, col in enumerate(frame.columns):       # a column of labels and one of values
            if all(_label_of(v, upper) is not None for v in frame[col]):
                return frame.set_index(col)[frame.columns[1 - k]]
    if "total" in frame.columns:
        return frame["total"]
    if frame.shape[1] == 1:
        return frame.iloc[:, 0]
    if frame.shape[0] == 1 and all(_label_of(c, upper) is not None for c in frame.columns):
        return frame.iloc[0]                           # one row, a column per label
    raise Unreadable(_("your table has columns {columns}; give a 'total' column indexed by "
                       "{what}.").format(columns=_first((_short(c) for c in frame.columns), 6),
                                         what=what))


def read_by_label(answer, labels: Sequence[str], what: str) -> dict[str, float]:
    """Read one number per label.

    Accepts a dict or Series keyed by label (the label alone, any case, or with a word:
    ``"firm 1"``, ``"企业1"``, ``"bank A"``, ``"银行A"``, ``"客户A"``), a one-column table (or
    one with a ``total`` column, or a column of labels beside a column of values), a list
    in label order, a list of (label, value) pairs, or a string ``"A: 2.8, B: 3.1"`` /
    ``"5, 10"``. Each value is read by :func:`read_number` (so ``"5年"`` is 5).

    Examples
    --------
    >>> read_by_label({"firm 1": "5年", "企业2": "１０"}, ["1", "2"], "firm")
    {'1': 5.0, '2': 10.0}
    """
    raw = _labelled(answer, labels, what)
    out = {}
    for label, value in raw.items():
        try:
            out[label] = read_number(value)
        except Unreadable as err:
            raise Unreadable(_("{what} {label}: {reason}").format(what=what, label=label,
                                                                  reason=err)) from None
    return out


_RANGE = r"\s*(?:~|–|—|to|至|到|比|:)\s*"


def _split_pair(text: str) -> list[list[str]]:
    """Ways to cut a student's "104-195", "104 ~ 195 元", "2:1", "2：1", "(104, 195)" into
    two parts, most specific first."""
    text = normalise_text(text).replace("−", "-").replace("，", ",")
    text = re.sub(r"^[(\[（【]\s*|\s*[)\]）】]$", "", text)
    ways = [re.split(_RANGE, text, flags=re.I), re.split(r"\s*[;；、]\s*", text),
            text.split(","), re.split(r",\s+", text),
            re.split(r"(?<=[^\s+-])(?:-|\s+-\s+)(?=[-+]?(?:\d|\$|¥|US\$))", text), text.split()]
    return [w for w in ways if len(w) == 2 and all(p.strip() for p in w)]


def _fold(text) -> str:
    """A key or a name compared as a student means it: NFKC, case folded."""
    return normalise_text(text).casefold()


def _compact(text: str) -> str:
    return re.sub(r"[\s_\-.:：/]+", "", text)


def _key_slot(key, keys: Sequence[Sequence[str]]) -> int | None:
    """Which of the named values (``keys[0]``, ``keys[1]`` …: the names each may have) a
    student's dict key names: the name itself in any case and spacing ("Courseware",
    "courseware_formula" for "courseware" via its words, "课件公式" for "课件" inside it),
    or None when it names none or more than one."""
    if isinstance(key, (bool, np.bool_)) or not isinstance(key, (str, np.str_)):
        return None
    text = _fold(key)
    for slot, names in enumerate(keys):
        if any(_compact(text) == _compact(_fold(n)) for n in names):
            return slot
    words = {w for w in re.split(r"[\s_\-.:：/()（）]+", text) if w}
    hits = set()
    for slot, names in enumerate(keys):
        for name in (_fold(n) for n in names):
            if name in words or (len(name) >= 2 and re.search(r"[\u4e00-\u9fff]", name)
                                 and name in text):
                hits.add(slot)
    return hits.pop() if len(hits) == 1 else None


def _keyed(items: list, keys: Sequence[Sequence[str]]) -> list | None:
    """The values of a dict's ``items`` in the order of ``keys`` where its keys name them
    (an unnamed key takes the one place left), or None when no key is named."""
    placed: dict[int, object] = {}
    unnamed = []
    for key, value in items:
        slot = _key_slot(key, keys)
        if slot is None:
            unnamed.append(value)
        elif slot in placed:
            raise Unreadable(_("two of your keys name the same value ({name}); label each "
                               "of the values once.").format(name=keys[slot][0]))
        else:
            placed[slot] = value
    if not placed:
        return None
    left = [s for s in range(len(keys)) if s not in placed]
    if len(left) == 1 and len(unnamed) == 1:
        placed[left[0]] = unnamed[0]
    if len(placed) < len(keys):
        raise Unreadable(_("I found no value for {name}: label each value, e.g. {example}."
                           ).format(name=", ".join(keys[s][0] for s in left), example=(
                               "{" + ", ".join(f"'{names[0]}': ..." for names in keys) + "}")))
    return [placed[s] for s in range(len(keys))]


def _default_index(index) -> bool:
    """Whether a Series' index is positions 0 … n−1 (not labels)."""
    return list(index) == list(range(len(index)))


def pair_parts(answer, what: str, keys: Sequence[Sequence[str]] | None = None) -> tuple:
    """The two values of a pair answer as the student wrote them (numbers or strings), in
    order: see :func:`read_pair`.

    Examples
    --------
    >>> pair_parts({"share": "33%", "ratio": "1.8倍"}, "two values")
    ('33%', '1.8倍')
    >>> pair_parts({"ratio": 2, "share": 0.3}, "two values", keys=(("share",), ("ratio",)))
    (0.3, 2)
    """
    usage = _("give two numbers, {what}, e.g. (100, 200).").format(what=what)
    if isinstance(answer, np.ndarray) and answer.ndim == 0:
        answer = answer.item()
    if isinstance(answer, pd.Series) and not _default_index(answer.index):
        answer = dict(answer.items())
    if isinstance(answer, str) and keys:
        labelled = _pairs_of_text(answer)
        if isinstance(labelled, dict) and len(labelled) >= 2:
            ordered = _keyed(list(labelled.items()), keys)
            if ordered is not None:
                return tuple(ordered)
    if isinstance(answer, Mapping):
        items = list(answer.items())
        ordered = _keyed(items, keys) if keys else None
        answer = ordered if ordered is not None else [v for _k, v in items]
    if isinstance(answer, str):
        for parts in _split_pair(answer):
            try:
                read_number(parts[0]), read_number(parts[1])
            except Unreadable:
                continue
            return parts[0].strip(), parts[1].strip()
        raise Unreadable(_("I could not read {shown} as two numbers: {usage}").format(
            shown=describe(answer), usage=usage))
    if isinstance(answer, (pd.Series, pd.DataFrame, np.ndarray)) and np.size(answer) == 2:
        answer = list(np.ravel(answer))
    if isinstance(answer, (Sequence, pd.Index)) and not isinstance(answer, (str, bytes)) \
            and len(answer) == 2:
        return tuple(answer)
    raise Unreadable(_("give two numbers, {what}, e.g. (100, 200); got {shown}.").format(
        what=what, shown=describe(answer)))


def read_pair(answer, what: str, keys: Sequence[Sequence[str]] | None = None
              ) -> tuple[float, float]:
    """Read two numbers: a list, a tuple, a two-element array or Series, a dict, or a
    string such as ``'104-195'``, ``'104 ~ 195 元'``, ``'(104, 195)'``, ``'2:1'``,
    ``'2 : 1'``, ``'2：1'`` or ``'2比1'``.

    ``keys`` names the two values (each a list of the names a student may use, English
    and Chinese): a dict, a Series indexed by label or a string ``"share: 0.3, ratio: 2"``
    is then read by its keys, in any order, and by position only when its keys name
    neither value. Without ``keys`` a dict is read in its order.

    Examples
    --------
    >>> read_pair("2：1", "a ratio"), read_pair("１０４－１９５元", "low and high")
    ((2.0, 1.0), (104.0, 195.0))
    >>> names = (("share", "比例"), ("ratio", "倍数"))
    >>> read_pair({"倍数": 2, "比例": "30%"}, "share and ratio", keys=names)
    (0.3, 2.0)
    """
    usage = _("give two numbers, {what}, e.g. (100, 200).").format(what=what)
    parts = pair_parts(answer, what, keys)
    values = []
    for position, value in zip((_("the first value"), _("the second value")), parts):
        if value is None or value is ...:
            raise Unreadable(_("{position} is missing: {usage}").format(
                position=position, usage=usage))
        try:
            values.append(read_number(value))
        except Unreadable:
            raise Unreadable(_("{position} ({shown}) is not a number: {usage}").format(
                position=position, shown=describe(value), usage=usage)) from None
    return values[0], values[1]


def read_ratio(answer, parts: str = "a:b") -> float:
    """Read a ratio as one number: ``2``, ``'2'``, ``'2倍'``, ``'2x'``, or two numbers
    ``'79:14'``, ``'79 : 14'``, ``'79：14'``, ``'79比14'``, ``'79/14'``, ``'79÷14'`` (read as
    79 ÷ 14; ``'79%:14%'`` too). ``parts`` names the two numbers in a message, e.g.
    ``"consumption:population"``.

    Examples
    --------
    >>> read_ratio("2比1"), read_ratio("81/23") == 81 / 23, read_ratio("2倍")
    (2.0, True, 2.0)
    """
    if isinstance(answer, str):
        text = normalise_text(answer).replace("%", "").replace("％", "")
        pieces = re.split(r"\s*(?:[:：/÷]|比)\s*", text)
        if len(pieces) == 2 and all(p.strip() for p in pieces):
            top, bottom = (read_number(p) for p in pieces)
            if bottom == 0:
                raise Unreadable(_("a ratio with 0 below the line has no value; give the "
                                   "ratio as one number, e.g. 2.5."))
            return top / bottom
        if len(pieces) > 2:
            raise Unreadable(_("give the ratio as one number (e.g. 2.5) or as two numbers "
                               "'{parts}' (e.g. '60:20').").format(parts=parts))
    return read_number(answer)


def close(a: float, b: float, tol: float = TOLERANCE) -> bool:
    """Whether ``a`` equals ``b`` within the absolute tolerance ``tol``."""
    return abs(a - b) <= tol
