"""Exercise checks: instant feedback on a student's answer, on the student's own numbers.

Table of contents
-----------------
core       the engine: ``check``, ``student``, ``exercise_data``, ``list_exercises``,
           :class:`Feedback`, the case and exercise registries, the variant rule and
           the answer readers. It imports no chapter.
ch01_identification  chapter 1, customer identification: ident-1 … ident-10
ch02_man   chapter 2, the MAN case: man-1 … man-6
ch03_rfm   chapter 3, RFM: rfm-1 … rfm-9
ch04_clv   chapter 4, CLV: clv-1 … clv-7
ch05_satisfaction  chapter 5, the satisfaction trap: sat-1 … sat-7 (sat-8: free text, not auto-checked)

Importing this package registers every chapter's exercises.
"""

from . import ch01_identification  # noqa: F401  (registers the exercises)
from . import ch02_man, ch03_rfm, ch04_clv  # noqa: F401
from . import ch05_satisfaction  # noqa: F401
from .core import (
    Feedback,
    check,
    current_student,
    exercise_data,
    expected_answer,
    list_exercises,
    student,
)

__all__ = ["Feedback", "check", "current_student", "exercise_data", "expected_answer",
           "list_exercises", "student"]
