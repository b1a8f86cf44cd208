"""Exercise checks: instant feedback on a student's answer, on the student's own numbers.

Table of contents
-----------------
core       the engine: ``check``, ``exercise_data``, ``list_exercises``, :class:`Feedback`,
           the exercise registry; it re-exports the names below and imports no chapter
variants   the student id (``student``) and the variant of each case it chooses
readers    reading one value: numbers as students write them, ``describe``
labelled   reading several values: one per label, pairs
categories reading categories: one per item (groups, channels, states, tiers)
rounding   a right method rounded too early, and its hint
ch01_identification        chapter 1, customer identification — the concepts: ident-1 … ident-3
ch01_identification_rules  chapter 1 — one rule applied: ident-4 … ident-7
ch01_identification_data   chapter 1 — several steps on data: ident-8 … ident-10
ch02_man   chapter 2, the MAN case: man-1 … man-6
ch03_rfm   chapter 3, RFM: rfm-1 … rfm-9
ch04_clv   chapter 4, CLV: clv-1 … clv-7
ch05_satisfaction  chapter 5, the satisfaction trap: sat-1 … sat-7 (sat-8: free text, not auto-checked)

Importing this package registers every chapter's exercises.
"""

from . import ch01_identification  # noqa: F401  (registers the exercises)
from . import ch01_identification_rules  # noqa: F401
from . import ch01_identification_data  # noqa: F401
from . import ch02_man, ch03_rfm, ch04_clv  # noqa: F401
from . import ch05_satisfaction  # noqa: F401
from .core import (
    Feedback,
    check,
    current_student,
    exercise_data,
    list_exercises,
    student,
)

__all__ = ["Feedback", "check", "current_student", "exercise_data", "list_exercises",
           "student"]
