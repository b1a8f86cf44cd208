"""The exercise engine: feedback, the exercise registry, ``check`` and ``exercise_data``.

``check`` accepts any answer — a number, a dict, a Series, a DataFrame, a string,
``None``, the ``...`` placeholder — prints ✓ or a hint that helps without giving the
answer away, and returns a :class:`Feedback` for graders. It never raises.

Each exercise reads its inputs from a *case*; without a student id a case is its chapter's
example data, after ``student("2024001")`` the student's own variant
(:mod:`crmlab.checks.variants`), which ``exercise_data`` hands to the student and
``check`` grades against. Expected answers are always recomputed from the case by
crmlab's compute functions, never pasted in. Answers are read by
:mod:`crmlab.checks.readers`, :mod:`crmlab.checks.labelled`,
:mod:`crmlab.checks.categories` and :mod:`crmlab.checks.forms`; this module re-exports
their public names, so a chapter imports everything it needs from here.

The expected answer of an exercise is not a student's business: teachers' tools and the
tests reach it by the internal :func:`_expected_answer`, which nothing exports.

This module imports no chapter: the chapter modules (``ch02_man`` …) import it and
register their cases and exercises with :func:`case` and :func:`exercise`, and what their
data are without an id with :func:`chapter`.

Examples
--------
>>> result = check("no-such-exercise", 1)
? There is no exercise 'no-such-exercise'; known exercises: ...
>>> result.passed
False
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from ..course import grading_record
from ..i18n import gettext as _
from .categories import (fold, item_key, listed, read_assignments, read_category,
                         values_in_text, vocabulary, wrong_items)
from .forms import (UNITS, chapter_example, one_value, read_amount, read_code, read_share,
                    rounded_share, sentences, shown, student_text, three_digits, wrong_letters)
from .labelled import labelled_values, pair_parts, read_by_label, read_pair
from .readers import (TOLERANCE, Unreadable, close, describe, normalise_text, read_number,
                      read_ratio)
from .rounding import agrees_when_rounded, close_hint, closeness
from .variants import (Draw, case, case_data, case_varies, current_student, normalise_id,
                       student)

__all__ = ["TOLERANCE", "UNITS", "Draw", "Feedback", "Unreadable", "agrees_when_rounded",
           "case", "case_data", "chapter", "chapter_example", "check", "close", "close_hint",
           "current_student", "describe", "exercise", "exercise_data", "fold", "free_text",
           "item_key", "labelled_values", "list_exercises", "listed", "normalise_text",
           "one_value", "pair_parts", "read_amount", "read_assignments", "read_by_label",
           "read_category", "read_code", "read_number", "read_pair", "read_ratio",
           "read_share", "rounded_share", "sentences", "shown", "student", "student_text",
           "three_digits", "values_in_text", "vocabulary", "wrong_items", "wrong_letters"]


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


# ------------------------------------------------------------------------ chapters
@dataclass(frozen=True)
class _Chapter:
    examples_invented: bool
    stale_hint: bool


_CHAPTERS: dict[str, _Chapter] = {}


def chapter(name: str, *, examples_invented: bool = False, stale_hint: bool = False) -> None:
    """Say what chapter ``name``'s data are without a student id.

    ``examples_invented``: the chapter's own invented examples, not the courseware's
    numbers (the no-id note says which). ``stale_hint``: a wrong answer that is right for
    the no-id data while an id is set is answered "you used the example data; load
    exercise_data again" (for chapters whose messages do not diagnose the courseware's
    numbers themselves). A chapter that does not call it: the courseware's numbers, no
    such hint.
    """
    _CHAPTERS[name] = _Chapter(examples_invented, stale_hint)


def _chapter(name: str) -> _Chapter:
    return _CHAPTERS.get(name, _Chapter(False, False))


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


def _registered(exercise_id, registry: Mapping[str, object]) -> str | None:
    """The key of ``registry`` a student's exercise id names ("Ident-1 " names "ident-1"),
    or None: no such key, or an object whose ``str()`` fails."""
    try:
        key = str(exercise_id).strip().lower()
    except Exception:  # noqa: BLE001 - a student's object whose str() fails
        return None
    return key if key in registry else None


def _free_key(exercise_id) -> str | None:
    return _registered(exercise_id, _FREE_TEXT)


def _free_text_message(key: str) -> str:
    return _("{exercise} is free text and is not auto-checked: your teacher reads your "
             "answer. {note}").format(exercise=key, note=_(_FREE_TEXT[key].note))


def _expected_answer(exercise_id, student_id=None):
    """The expected answer of an exercise for a student (None: the chapter's example data).

    For teachers' tools, graders and tests only: it is deliberately not exported (a
    student who found it by tab completion would have every answer). An open exercise
    (one whose answer is the student's own design) returns None.

    Examples
    --------
    >>> import crmlab
    >>> _expected_answer("clv-1")
    {'1': 5.0, '2': 10.0}
    """
    key = _key(exercise_id)
    if key is None and _free_key(exercise_id) is not None:
        return None                       # free text: the teacher reads it
    if key is None:
        raise ValueError(f"crmlab.checks.core._expected_answer: there is no exercise "
                         f"{exercise_id!r}; known exercises: {', '.join(sorted(_EXERCISES))}.")
    spec = _EXERCISES[key]
    if spec.answer is None:
        return None
    data = None if spec.case is None else case_data(spec.case, normalise_id(student_id))
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
          "variant": e.case is not None and case_varies(e.case)}
         for k, e in _EXERCISES.items()],
        columns=["exercise", "chapter", "prompt", "variant"])


def _key(exercise_id) -> str | None:
    return _registered(exercise_id, _EXERCISES)


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
        message = closeness(spec, answer, data, message)
    if not passed and who is not None and _stale(spec, answer):
        message = _("that is the answer for the example data, not for your own: run "
                    "crmlab.exercise_data(\"{exercise}\") again after crmlab.student(…), "
                    "and answer from what it gives.").format(exercise=key)
    text = (_("✓ {label}: {message}") if passed else _("✗ {label}: {message}")).format(
        label=label, message=message)
    if passed and who is None and spec.case is not None and case_varies(spec.case):
        text += "\n" + (_("  Note: no student id is set, so this was checked against the "
                          "chapter's example data. Set your id with crmlab.student(\"…\") in "
                          "the id cell, then run the exercise cells again to check your own "
                          "numbers.") if _chapter(spec.chapter).examples_invented else
                        _("  Note: no student id is set, so this was checked against the "
                          "courseware's own numbers (the ones on the page). Set your id with "
                          "crmlab.student(\"…\") in the id cell, then run the exercise cells "
                          "again to check your own numbers."))
    return Feedback(key, passed, text, who)


def _stale(spec: _Exercise, answer) -> bool:
    """Whether a wrong answer is right for the chapter's no-id data (the student loaded
    exercise_data before setting the id), where the chapter asks for this diagnosis."""
    if spec.case is None or not case_varies(spec.case) or not _chapter(spec.chapter).stale_hint:
        return False
    try:
        return bool(spec.grade(answer, case_data(spec.case, None))[0])
    except Exception:  # noqa: BLE001 - unreadable for the example data too: not stale
        return False
