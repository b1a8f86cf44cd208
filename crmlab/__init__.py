"""crmlab: customer-relationship-management analytics for teaching and research.

Table of contents
-----------------
Compute (pandas/numpy/scipy only; no plotting, no widgets), by topic
    identify       customer identification (客户识别): states, lifecycle stages, courseware tables
    customer_file  the identification pipeline on a customer file: clean, dedupe, merge, update
    tiers          customer tiering (客户分级): pyramid, HSBC A–F, weighted index, key matrix
    privacy        information security: pseudonyms, masking, PII scanner, penalties, PIPL
    man            MAN rule (MAN法则): Money/Authority/Need scores, ranking, the five-bank case
    man_sensitivity
                   how the MAN ranking depends on its weights: winner map, pairwise margins
    rfm            RFM (RFM分析法): customer table, rule-table and quantile scores, codes
    segments       customer segments (客户细分) from RFM scores: named segments, tiers, summaries
    concentration  80/20 rule: Pareto/Lorenz curves, Gini, top shares, ABC classes
    acquisition    acquisition cost (获客成本) against CLV: effective CAC, CLV/CAC ratios
    clv            the courseware's CLV (客户终生价值) of one customer: cash flows, quadrants,
                   lifecycle profit
    group_clv      the courseware's group CLV (客户群体的终生价值): churn and lifetime, the
                   annuity and its expectation, churn cost
    retention      retention economics: margin multiple, timing conventions, sBG retention model
    btyd           BG/NBD purchases: repeat-purchase table, P(alive), expected purchases
    gamma_gamma    Gamma-Gamma spend model and the CLV per customer from BG/NBD and spend
    satisfaction   satisfaction and loyalty (客户满意): expectation gap, NPS, CSAT, zones, types
    defection      why satisfied customers defect: a seeded synthetic panel, churn models
    tags           tags (标签) in the courseware's four layers, from an event log of users
    personas       user personas (用户画像): k-means personas, rule segments, adjusted Rand
                   index (re-exports ``tags``' names)
    warehouse      the RFM table and the BG/NBD summary by DuckDB or Spark SQL, from CSV/Parquet
                   files larger than memory (import on use: ``from crmlab import warehouse``)
    warehouse_sources
                   warehouse's input: a file, glob or DataFrame registered and checked, with
                   the pandas path's messages about bad rows (import on use)
    warehouse_bad_rows
                   warehouse's bad rows: named in its messages, or (``rejected=``) written to
                   a side file by DuckDB and left out, as ``crmlab rfm`` does (import on use)
    warehouse_engines
                   warehouse's engines: DuckDB and Spark behind one interface, and the SQL text
                   of ``crmlab/sql/warehouse.sql`` (import on use)
Language
    i18n       ``set_language("zh")``: the bilingual term list and the gettext catalogs
Data
    datasets   bundled data files with provenance: ``load_dataset``, ``list_datasets``
    synthetic  seeded generators of labelled synthetic data
The course, by chapter
    checks     ``check(exercise_id, answer)``, ``student(id)``, ``exercise_data(exercise_id)``,
               ``list_exercises()``: instant feedback on each student's own numbers
    widgets    ipywidgets dashboards that return their data for testing (import on use)
    course     chapter build, student workspace, grading a class (``course.grading``: each
               notebook run isolated, its answers re-checked) (import on use)
Command line (import on use)
    cli        the ``crmlab`` command: rfm, clv, man on your own CSV/Parquet files, reproduce
    reproduce  every published number the suite reproduces: source, value, tolerance, check
Presentation (import on use; it sits on top of the compute modules)
    plotting   CJK-capable figure style and chapter figures (matplotlib/seaborn)

Bad input raises :class:`InputError` (a ``ValueError``) naming the function, the argument
or column, the bad value and the first offending rows; model fits that cannot be made
raise ``btyd.FitError``.

Importing crmlab has no side effects: no plotting style, font or warning filter is set
until you call ``crmlab.plotting.use_style()``, and no student id until ``student``.
"""

from . import (acquisition, btyd, checks, clv, concentration, customer_file, datasets, defection,
               gamma_gamma, group_clv, i18n, identify, man, man_sensitivity, personas, privacy,
               retention, rfm, satisfaction, segments, synthetic, tags, tiers)
from ._validation import InputError
from .checks import check, current_student, exercise_data, list_exercises, student
from .datasets import dataset_info, list_datasets, load_dataset
from .i18n import get_language, glossary, set_language

__version__ = "0.1.0"

__all__ = [
    "acquisition",
    "btyd",
    "check",
    "checks",
    "clv",
    "concentration",
    "customer_file",
    "current_student",
    "dataset_info",
    "datasets",
    "defection",
    "exercise_data",
    "gamma_gamma",
    "get_language",
    "glossary",
    "group_clv",
    "i18n",
    "identify",
    "list_datasets",
    "list_exercises",
    "load_dataset",
    "man",
    "man_sensitivity",
    "personas",
    "privacy",
    "retention",
    "rfm",
    "satisfaction",
    "segments",
    "set_language",
    "InputError",
    "student",
    "synthetic",
    "tags",
    "tiers",
]
