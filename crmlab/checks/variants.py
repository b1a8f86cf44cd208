"""Whose numbers: the student id, and the variant of each case it chooses.

Each exercise reads its inputs from a *case* (a bank table, a customer, a pair of rates).
With no student id set, a case is its chapter's example data (the courseware's own, or
the chapter's invented examples), so the lecture, the solutions and the tests keep every
published number. After ``student("2024001")`` each case is that student's *variant*:
data of the same structure with other numbers.

Variant stability rule
----------------------
Draw number ``n`` of attempt ``k`` for case ``c`` and student ``s`` is the first 8 bytes
(big-endian) of ``sha256("crmlab-variant/v1/c/s/k/n")``; nothing else (no numpy stream,
no clock, no machine state) enters a variant. A case's generator may only be changed
together with the version tag ``v1``, and the tests pin golden values for a few ids. A
draw that breaks the property its exercise is about is rejected and attempt ``k + 1``
is tried, deterministically.
"""

from __future__ import annotations

import copy
import hashlib
import math
import sys
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..i18n import gettext as _
from .readers import describe

__all__ = ["EXAMPLE_IDS", "MAX_ATTEMPTS", "PLACEHOLDER_IDS", "VARIANT_SCHEME", "Draw", "case",
           "case_data", "case_varies", "current_student", "normalise_id", "student"]

#: The version tag of the variant stability rule (see the module docstring).
VARIANT_SCHEME = "crmlab-variant/v1"
#: Attempts at drawing a valid variant before giving up (never reached by the tests' ids).
MAX_ATTEMPTS = 200


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


def case_varies(name: str) -> bool:
    """Whether case ``name`` gives each student their own numbers."""
    return _CASES[name].varies


#: Ids that are not a student's own: the README's and the notebooks' example, and the
#: placeholder a student may copy literally (compared after NFKC and casefold).
EXAMPLE_IDS = ("2024123456",)
PLACEHOLDER_IDS = ("学号", "你的学号", "我的学号", "学生学号", "student id", "your id",
                   "your student id", "your student number", "id")


def normalise_id(student_id) -> str | None:
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
        ``None``: no id, the exercises use each chapter's example data (the courseware's
        own numbers, or the chapter's invented examples).

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
    No student id: the exercises use each chapter's example data. Write your id as crmlab.student("2024123456"), with your own number.
    """
    try:
        _STUDENT[0] = normalise_id(student_id)
    except ValueError as err:
        still = (_("No id is set, so the exercises use each chapter's example data.")
                 if _STUDENT[0] is None else
                 _("The id in use is still {id}.").format(id=_STUDENT[0]))
        sys.stdout.write(_("? crmlab.student: {error} {still}").format(error=err, still=still)
                         + "\n")
        return _STUDENT[0]
    if _STUDENT[0] is None:
        sys.stdout.write(_("No student id: the exercises use each chapter's example data. "
                           "Write your id as crmlab.student(\"2024123456\"), with your own "
                           "number.") + "\n")
    elif _STUDENT[0].casefold() in PLACEHOLDER_IDS:
        sys.stdout.write(_id_warning(_STUDENT[0]) + "\n")   # the warning alone: not an id
    else:
        warning = _id_warning(_STUDENT[0])
        greeting = (_("Student id {id}: the exercises below use this id's numbers.")
                    if warning else
                    _("Student id {id}: the exercises below use your own numbers."))
        lines = [greeting.format(id=_STUDENT[0]), warning]
        sys.stdout.write("\n".join(line for line in lines if line) + "\n")
    return _STUDENT[0]


def current_student() -> str | None:
    """The student id set by :func:`student`, or None."""
    return _STUDENT[0]
