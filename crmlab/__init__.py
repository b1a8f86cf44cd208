"""crmlab: customer-relationship-management analytics for teaching and research.

Table of contents
-----------------
Compute (pandas/numpy only; no plotting, no widgets)
    man            MAN rule (MAN法则): Money/Authority/Need scores, ranking, weight sensitivity
    rfm            RFM (RFM分析法): customer table, rule-table and quantile scores, segments
    concentration  80/20 rule: Pareto/Lorenz curves, Gini, top shares, ABC classes
    acquisition    acquisition cost (获客成本) against CLV: effective CAC, CLV/CAC ratios
    clv            the courseware's CLV (客户终生价值): individual, group, churn cost, quadrants
    retention      retention economics: margin multiple, timing conventions, sBG retention model
    btyd           BG/NBD and Gamma-Gamma models: P(alive), expected purchases, spend, CLV
Data
    datasets   bundled data files with provenance: ``load_dataset``, ``list_datasets``
    synthetic  seeded generators of labelled synthetic data
Teaching
    checks     ``check(exercise_id, answer)``: instant feedback for students; the
               exercises of each chapter sit in checks_man, checks_rfm, checks_clv
Presentation (import on use; they sit on top of the compute modules)
    plotting   CJK-capable figure style and chapter figures (matplotlib/seaborn)
    widgets    ipywidgets dashboards that return their data for testing
Tooling
    build      one source per chapter -> exercises/ and solutions/ notebooks
    cli        the ``crmlab`` command line

Importing crmlab has no side effects: no plotting style, font or warning filter is set
until you call ``crmlab.plotting.use_style()``.
"""

from . import acquisition, btyd, checks, clv, concentration, datasets, man, retention, rfm, synthetic
from .checks import check
from .datasets import dataset_info, list_datasets, load_dataset

__version__ = "0.1.0"

__all__ = [
    "acquisition",
    "btyd",
    "check",
    "checks",
    "clv",
    "concentration",
    "dataset_info",
    "datasets",
    "list_datasets",
    "load_dataset",
    "man",
    "retention",
    "rfm",
    "synthetic",
]
