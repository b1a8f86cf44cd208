"""Every published number the suite reproduces, in one list, and the check of each.

:data:`ENTRIES` is data: for each number its id, what it is, its source (a courseware
document with chapter and section, or a paper), the published value, the tolerance, the
basis, and a function that computes the value now with crmlab. Three things read it, so
they cannot drift apart:

* ``crmlab reproduce`` prints the table (what, source, published, computed, pass/fail)
  and exits with code 1 if any number fails; ``--markdown`` prints the README's table;
* ``tests/test_reproduce.py`` makes one test per entry;
* the README's reproduction table is :func:`markdown`, and a test compares the two.

Basis: ``printed`` — the source prints this number; ``computed`` — the source prints the
formula, data or table and the number follows from them (e.g. the margin-multiple grid,
which Gupta & Lehmann's formula gives but this suite did not find printed in the paper;
or how many rows of the courseware's airline table claim a value, which shows its gaps
and overlap). A tolerance is half a unit of the last printed digit unless the entry
says otherwise.

References (the short forms used in ``source``)
------------------------------------------------
courseware ch. 3: 《客户关系管理课件》第3章 客户的发现与获取. lectures 2–4: 《客户关系管理
（第2.3.4讲）》. case collection: 《客户关系管理案例库》. crmlab chapter N: this suite's
chapter notebook N. Fader, Hardie & Lee (2005), "Counting your customers" the easy way,
*Marketing Science* 24(2), 275–284. Fader & Hardie (2013), The Gamma-Gamma model of
monetary value (note). Fader & Hardie (2007), How to project customer retention, *Journal
of Interactive Marketing* 21(1), 76–90. Fader & Hardie (2012), Reconciling and clarifying
CLV formulas (note). Gupta & Lehmann (2003), Customers as assets, *Journal of Interactive
Marketing* 17(1), 9–24. R package BTYD, walkthrough vignette. Darden/Coursera, *Marketing
Analytics*, "Applying the CLV formula: Netflix". Reichheld & Sasser (1990), Zero
defections, *Harvard Business Review* 68(5). Reichheld (2003), The one number you need to
grow, *Harvard Business Review* 81(12).
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from . import acquisition, btyd, clv, datasets, gamma_gamma, man, retention, rfm, satisfaction

__all__ = ["ENTRIES", "Entry", "command", "markdown", "run", "text_table"]


@dataclass(frozen=True)
class Entry:
    """One published number: where it is printed and how crmlab computes it now."""

    id: str
    what: str
    source: str
    published: float
    compute: Callable[[], float]
    decimals: int = 2
    tolerance: float | None = None
    basis: str = "printed"

    @property
    def tol(self) -> float:
        """The tolerance: given, else half a unit of the last printed digit."""
        return self.tolerance if self.tolerance is not None else 0.5 * 10.0 ** -self.decimals

    def shown(self, value: float, *, extra: int = 0) -> str:
        if value is None or not np.isfinite(value):
            return "—"
        digits = self.decimals + extra if self.decimals > 0 else 0
        return f"{value:,.{digits}f}"


# ------------------------------------------------------------------ cached inputs
@lru_cache(maxsize=None)
def _banks(rounding="ceil") -> pd.DataFrame:
    return man.score_bank_case(datasets.load_dataset("man_banks"), rounding=rounding)


@lru_cache(maxsize=None)
def _airline_rules() -> pd.DataFrame:
    rules = datasets.load_dataset("airline_rfm_rules")
    return rules[rules["version"] == "courseware"]


def _rules_claiming(dimension: str, value: float) -> float:
    out = rfm.score_by_rules([value], _airline_rules(), dimension=dimension).iloc[0]
    return float(len(out["matches"].split("|"))) if out["matches"] else 0.0


@lru_cache(maxsize=None)
def _firms() -> pd.DataFrame:
    return clv.churn_table(datasets.load_dataset("two_firms_churn")).set_index("firm")


@lru_cache(maxsize=None)
def _platforms() -> pd.DataFrame:
    table = datasets.load_dataset("platform_cac_2023").set_index("platform")
    return acquisition.effective_cac(table)


@lru_cache(maxsize=None)
def _cdnow() -> pd.DataFrame:
    """The CDNOW 1/10 sample in weeks, calibration to 1997-09-30 (Fader, Hardie & Lee 2005),
    holdout to 1998-06-30."""
    return btyd.cdnow_table(holdout_end="1998-06-30")


@lru_cache(maxsize=None)
def _bgnbd():
    return btyd.fit_bgnbd(_cdnow())


@lru_cache(maxsize=None)
def _gamma_gamma():
    return gamma_gamma.fit_gamma_gamma(_cdnow())


def _bgnbd_at(params: dict):
    names = ["r", "alpha", "a", "b"]
    return btyd.BGNBDFit("BG/NBD", pd.Series(params, index=names),
                         pd.Series(np.nan, index=names), np.nan, 0.0, 0, unit="weeks")


_PAPER = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
_WALKTHROUGH = {"r": 0.2425982, "alpha": 4.4136842, "a": 0.7929899, "b": 2.4261667}
_CUSTOMER_1516 = pd.DataFrame({"frequency": [26], "recency": [30.85714], "T": [31.0]})


@lru_cache(maxsize=None)
def _sbg(cohort: str):
    table = datasets.load_dataset("retention_cohorts")
    survivors = table[table["cohort"] == cohort]["survivors_pct"].to_numpy() * 10
    return retention.fit_sbg(survivors[:8])          # years 0–7: the paper's calibration


# ------------------------------------------------------------------------ the list
_MAN = "courseware ch. 3 §1.3.2, 思考题 answer slide"
_AIRLINE = "lectures 2–4 §4.2.3, airline table"
_FIRMS = "lectures 2–4 §4.2.3 and §2.2.2, two firms"
_CAC = "courseware ch. 3 §3.2, platform CAC case"
_FHL = "Fader, Hardie & Lee (2005), CDNOW"
_SBG = "Fader & Hardie (2007), Table 1, years 1–7"


def _man_entries():
    for bank, total in zip("ABCDE", (2.8, 3.1, 2.9, 4.0, 1.4)):
        yield Entry(f"man_total_{bank}", f"MAN total of bank {bank}", _MAN, total,
                    lambda b=bank: float(_banks().loc[b, "total"]), decimals=1)
    yield Entry("man_money_E", "bank E's Money (slide: 12/10 + 0 = 2, read as ceil)", _MAN,
                2, lambda: float(_banks().loc["E", "money"]), decimals=0)


def _airline_entries():
    for dim, value, claims, label in (
            ("frequency", 24, 0, "24 purchases"),
            ("monetary", 500, 0, "an average of 500 元"),
            ("monetary", 1000.5, 0, "an average of 1000.5 元"),
            ("monetary", 3000.5, 0, "an average of 3000.5 元"),
            ("monetary", 5000, 2, "an average of 5000 元")):
        yield Entry(f"airline_rules_{dim}_{value:g}", f"airline table: rows that score {label}",
                    _AIRLINE, claims, lambda d=dim, v=value: _rules_claiming(d, v), decimals=0,
                    basis="computed")


def _firm_entries():
    for firm, rate, years in ((1, 0.2, 5), (2, 0.1, 10)):
        yield Entry(f"firm{firm}_churn_rate", f"firm {firm}: churn rate r_L ({int(rate * 100)} of 100 lost a "
                    f"year)", _FIRMS, rate,
                    lambda f=firm: float(_firms().loc[f, "churn_rate"]), decimals=1)
        yield Entry(f"firm{firm}_lifetime", f"firm {firm}: lifetime T = 1/r_L (years)",
                    _FIRMS, years, lambda f=firm: float(_firms().loc[f, "lifetime_years"]),
                    decimals=0)
        yield Entry(f"firm{firm}_replacements", f"firm {firm}: new customers needed a year",
                    _FIRMS, rate * 100,
                    lambda f=firm: float(_firms().loc[f, "replacements_per_year"]), decimals=0)


def _cac_entries():
    printed = {"Taobao": (216, 300), "JD": (330, 440), "Pinduoduo": (104, 195),
               "Douyin": (225, 330)}
    for platform, (low, high) in printed.items():
        for end, value in (("min", low), ("max", high)):
            yield Entry(f"cac_{platform.lower()}_{end}", f"{platform}: effective CAC, "
                        f"{'low' if end == 'min' else 'high'} (元)", _CAC, value,
                        lambda p=platform, e=end: float(_platforms().loc[p, f"eff_cac_{e}"]),
                        decimals=0)


def _retention_entries():
    for i in (0.10, 0.12, 0.14, 0.16):
        for r in (0.6, 0.7, 0.8, 0.9):
            value = round(r / (1 + i - r), 2)
            printed = (r, i) == (0.8, 0.10)
            yield Entry(f"margin_multiple_r{r:g}_i{i:g}", f"margin multiple r/(1+i−r), r {r:g}, "
                        f"i {i:g}", "Gupta & Lehmann (2003); crmlab ch. 4 §6", value,
                        lambda r=r, i=i: retention.margin_multiple(r, i), decimals=2,
                        basis="printed" if printed else "computed")
    for k, (name, value) in enumerate((("start of period", 366.67), ("end of period, retained",
                                                                     266.67),
                                       ("end of period, certain", 333.33))):
        yield Entry(f"timing_{k + 1}", f"CLV at m 100, r 0.8, d 0.1: {name}",
                    "Fader & Hardie (2012), three formulas", value,
                    lambda k=k: float(retention.clv_conventions(100, 0.8, 0.1)["clv"].iloc[k]),
                    basis="computed")
    margin = 19.95 - 1.50 - 6 / 12
    yield Entry("netflix_multiplier", "Netflix: multiplier (1+d)/(1+d−r)",
                "Darden, Marketing Analytics: Netflix", 67.33,
                lambda: retention.break_even_acquisition_cost(1.0, 0.995, 0.01))
    yield Entry("netflix_clv", "Netflix: CLV of a subscriber ($)",
                "Darden, Marketing Analytics: Netflix", 1209,
                lambda: retention.break_even_acquisition_cost(margin, 0.995, 0.01), decimals=0)
    for cohort, label, alpha, beta in (("regular", "regular", 0.704, 1.182),
                                       ("high_end", "high end", 0.668, 3.806)):
        yield Entry(f"sbg_{cohort}_alpha", f"sBG, {label} cohort: alpha", _SBG, alpha,
                    lambda c=cohort: float(_sbg(c).params["alpha"]), decimals=3)
        yield Entry(f"sbg_{cohort}_beta", f"sBG, {label} cohort: beta", _SBG, beta,
                    lambda c=cohort: float(_sbg(c).params["beta"]), decimals=3)


def _btyd_entries():
    yield Entry("cdnow_customers", "CDNOW sample: customers", _FHL, 2357,
                lambda: float(len(_cdnow())), decimals=0)
    for name, value in _PAPER.items():
        yield Entry(f"bgnbd_{name}", f"BG/NBD on CDNOW: {name}", _FHL, value,
                    lambda n=name: float(_bgnbd().params[n]), decimals=3)
    yield Entry("bgnbd_loglik", "BG/NBD on CDNOW: log-likelihood", _FHL, -9582.4,
                lambda: _bgnbd().log_likelihood, decimals=1)
    yield Entry("bgnbd_example_39", "E[X(39)] of x 2, t_x 30.43, T 38.86 (paper's fit)", "Fader, Hardie & Lee (2005), example",
                1.226, lambda: float(_bgnbd_at(_PAPER).conditional_expected_purchases(
                    pd.DataFrame({"frequency": [2], "recency": [30.43], "T": [38.86]}),
                    39).iloc[0]), decimals=3, tolerance=0.001)
    walk = "R BTYD walkthrough (its parameters)"
    yield Entry("btyd_expectation_52", "E[X(52)] for a new customer", walk, 1.444004,
                lambda: float(_bgnbd_at(_WALKTHROUGH).expected_purchases(52)), decimals=6,
                tolerance=1e-5)     # the parameters are printed to 7 digits
    yield Entry("btyd_1516_cet", "E[X(52)] of customer 1516 (x 26, T 31)", walk,
                25.75659, lambda: float(_bgnbd_at(_WALKTHROUGH).conditional_expected_purchases(
                    _CUSTOMER_1516, 52).iloc[0]), decimals=5, tolerance=1e-4)
    yield Entry("btyd_1516_palive", "P(alive) of customer 1516", walk, 0.9688523,
                lambda: float(_bgnbd_at(_WALKTHROUGH).p_alive(_CUSTOMER_1516).iloc[0]),
                decimals=7, tolerance=1e-6)
    gg = "Fader & Hardie (2013), CDNOW"
    yield Entry("gg_repeat_buyers", "Gamma-Gamma: repeat buyers fitted", gg, 946,
                lambda: _gamma_gamma().n_obs, decimals=0)
    for name, value in (("p", 6.25), ("q", 3.74), ("gamma", 15.44)):
        yield Entry(f"gg_{name}", f"Gamma-Gamma on CDNOW: {name}", gg, value,
                    lambda n=name: float(_gamma_gamma().params[n]), decimals=2)


def _satisfaction_entries():
    coca = "case collection, case 2; crmlab ch. 5 §4"
    yield Entry("coca_cola_unchanged", "Coca-Cola: unresolved who change nothing",
                coca, 0.2167, lambda: float(satisfaction.complaint_outcomes()[
                    "unresolved_unchanged"]), decimals=4, basis="computed")
    yield Entry("coca_cola_wom_ratio", "Coca-Cola: word of mouth, unresolved/satisfied",
                coca, 2.11, lambda: float(satisfaction.complaint_outcomes()["wom_ratio"]),
                basis="computed")
    for rate, years in ((0.20, 5), (0.10, 10), (0.05, 20)):
        yield Entry(f"lifetime_defection_{int(rate * 100)}", f"expected lifetime at "
                    f"{int(rate * 100)}% defection (years)",
                    "Reichheld & Sasser (1990); crmlab ch. 5 §3", years,
                    lambda r=rate: retention.expected_lifetime(1 - r), decimals=0,
                    basis="computed")
    yield Entry("nps_example", "NPS of the answers 10, 9, 8, 7, 6, 0",
                "Reichheld (2003); crmlab ch. 5 §5", 0,
                lambda: float(satisfaction.net_promoter_score([10, 9, 8, 7, 6, 0])["nps"]),
                decimals=0, basis="computed")
    yield Entry("satisfaction_sign", "期望值 − 实际体验 of a satisfied customer (6, 9)", "lectures 2–4 ch. 3, 客户满意", -3,
                lambda: float(satisfaction.expectation_gap(pd.DataFrame(
                    {"expectation": [6], "experience": [9]}))["courseware_formula"].iloc[0]),
                decimals=0, basis="computed")


#: Every published number the suite reproduces (see the module docstring).
ENTRIES: tuple[Entry, ...] = tuple(
    e for group in (_man_entries, _airline_entries, _firm_entries, _cac_entries,
                    _retention_entries, _btyd_entries, _satisfaction_entries) for e in group())


# ------------------------------------------------------------------------ running
def run(entries=ENTRIES) -> pd.DataFrame:
    """Compute every entry now: one row per entry with ``computed``, ``difference`` and
    ``passed`` (an entry whose computation raises fails, with the error in ``error``)."""
    rows = []
    for e in entries:
        try:
            value, error = float(e.compute()), ""
        except Exception as err:       # a failing computation is a failed entry, not a crash
            value, error = np.nan, f"{type(err).__name__}: {err}"
        difference = value - e.published
        rows.append({"id": e.id, "what": e.what, "source": e.source, "basis": e.basis,
                     "published": e.published, "computed": value, "difference": difference,
                     "tolerance": e.tol, "passed": bool(abs(difference) <= e.tol),
                     "error": error})
    return pd.DataFrame(rows).set_index("id")


def _cells(entries, results):
    for e in entries:
        row = results.loc[e.id]
        yield e, e.shown(e.published), e.shown(row["computed"], extra=1), \
            "pass" if row["passed"] else "FAIL"


def markdown(entries=ENTRIES, results=None) -> str:
    """The README's reproduction table (Markdown), computed now."""
    results = run(entries) if results is None else results
    lines = ["| id | what | source | basis | published | computed | tolerance | result |",
             "|---|---|---|---|---:|---:|---:|---|"]
    for e, published, computed, verdict in _cells(entries, results):
        lines.append(f"| `{e.id}` | {e.what} | {e.source} | {e.basis} | {published} | "
                     f"{computed} | {e.tol:g} | {verdict} |")
    return "\n".join(lines)


def _width(text: str) -> int:
    """Columns a text takes in a terminal (Chinese characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _fit(text: str, width: int, right: bool = False) -> str:
    if _width(text) > width:
        while _width(text) > width - 1:
            text = text[:-1]
        text += "…"
    pad = " " * (width - _width(text))
    return pad + text if right else text + pad


def text_table(entries=ENTRIES, results=None) -> str:
    """The terminal table: what, source, published, computed, pass/fail.

    A published value marked * is computed from what the source prints (basis
    "computed"), not printed there itself.
    """
    results = run(entries) if results is None else results
    rows = [(e.what, e.source, published + ("*" if e.basis == "computed" else " "), computed,
             verdict) for e, published, computed, verdict in _cells(entries, results)]
    head = ("what", "source", "published ", "computed", "result")
    width = [max(_width(r[k]) for r in rows + [head]) for k in range(5)]

    def line(r):
        return "  ".join(_fit(c, w, right=k in (2, 3)) for k, (c, w) in
                         enumerate(zip(r, width))).rstrip()

    note = ("* computed from the source's formula, data or table, not printed there.\n"
            "`crmlab reproduce --markdown` prints the README's table, with the basis column.")
    return "\n".join([line(head), line(tuple("-" * w for w in width))]
                     + [line(r) for r in rows] + [note])


def command(args, report) -> int:
    """``crmlab reproduce``: print the table; exit code 1 if any entry fails."""
    entries = [e for e in ENTRIES if not args.only or args.only in e.id]
    if not entries:
        report(f"no entry id contains {args.only!r}")
        return 1
    began = time.perf_counter()
    with args.bars.step("computing"):
        results = run(entries)
    if args.markdown:
        report(markdown(entries, results))
        return 0 if results["passed"].all() else 1
    report(text_table(entries, results))
    failed = results[~results["passed"]]
    for key, row in failed.iterrows():
        report(f"FAIL {key}: published {row['published']:g}, computed {row['computed']:g}"
               + (f" ({row['error']})" if row["error"] else ""))
    report(f"{len(results) - len(failed)} of {len(results)} reproduced within tolerance "
           f"({time.perf_counter() - began:.1f} s)")
    return 1 if len(failed) else 0
