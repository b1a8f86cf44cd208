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
forms      forms more than one chapter reads: shares written three ways, RFM codes,
           numbers with a unit word, one value in a list; the chapter-example hint
ch01_identification        chapter 1, customer identification — the concepts: ident-1 … ident-3
ch01_identification_rules  chapter 1 — one rule applied: ident-4 … ident-7
ch01_identification_data   chapter 1 — several steps on data: ident-8 … ident-10
ch02_man   chapter 2, the MAN case: man-1 … man-6
ch03_rfm        chapter 3, RFM — the airline table: rfm-1 … rfm-4
ch03_rfm_data   chapter 3 — on data (customers A and B, the 80/20 rule, CDNOW): rfm-5 … rfm-9
ch04_clv        chapter 4, CLV — the lecture's formulas and tables: clv-1 … clv-6
ch04_clv_models chapter 4 — the models on CDNOW and cohort data (BG/NBD, Gamma-Gamma, sBG,
                the holdout check): clv-7 … clv-11
ch05_satisfaction       chapter 5, the satisfaction trap — the measures: sat-1 … sat-5
ch05_satisfaction_data  chapter 5 — on data (the synthetic panel, the ECSI survey): sat-6,
                        sat-7 (sat-8: free text on sat-6's panel, not auto-checked)

Importing this package registers every chapter's exercises.
"""

from . import ch01_identification  # noqa: F401  (registers the exercises)
from . import ch01_identification_rules  # noqa: F401
from . import ch01_identification_data  # noqa: F401
from . import ch02_man  # noqa: F401
from . import ch03_rfm, ch03_rfm_data  # noqa: F401
from . import ch04_clv, ch04_clv_models  # noqa: F401
from . import ch05_satisfaction, ch05_satisfaction_data  # noqa: F401
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
