"""Exercise checks of chapter 4, CLV: the models on CDNOW and cohort data (clv-7 … clv-11).

Cases: ``cdnow_customer`` (a CDNOW repeat buyer and a horizon; the courseware-free default
is Fader, Hardie & Lee's customer 1), ``cdnow_spender`` (a CDNOW buyer with at least two
repeat purchases, a horizon in months and a monthly discount rate), ``sbg_projection`` (a
cohort, its calibration years and a later year) and ``holdout_split`` (a calibration end
for the CDNOW sample). Every expected answer is computed from the case by crmlab's compute
functions (:mod:`crmlab.btyd`, :mod:`crmlab.gamma_gamma`, :mod:`crmlab.retention`).

The chapter's lecture formulas (clv-1 … clv-6) are :mod:`crmlab.checks.ch04_clv`; like
every chapter module, this one imports only the checks core. Every sentence a student
reads is English inside ``_("...")``, translated by the catalog ``ch04_clv_models`` at call
time.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from .. import btyd, gamma_gamma, retention
from ..datasets import load_dataset
from ..i18n import N_, gettext as _
from .core import case, close, exercise, read_number, read_pair

#: The customer of Fader, Hardie & Lee (2005), CDNOW sample id 1.
PAPER_CUSTOMER = {"frequency": 2, "recency": 30.43, "T": 38.86}

#: The chapter's weeks per month (lifetimes' constant) and the other usual conventions a
#: student may use for a month of weekly data: 52/12 and 365.25/7/12.
WEEKS_PER_MONTH = gamma_gamma.PERIODS_PER_MONTH["weeks"]
_OTHER_MONTHS = (52 / 12, 365.25 / 7 / 12)


@lru_cache(maxsize=1)
def _calibration() -> pd.DataFrame:
    return btyd.cdnow_table()


@lru_cache(maxsize=1)
def _cdnow_fit() -> btyd.BGNBDFit:
    return btyd.fit_bgnbd(_calibration())


@case("cdnow_customer")
def _customer_case(draw) -> dict:
    if draw is None:
        return {**PAPER_CUSTOMER, "horizon": 39}
    table = _calibration()
    repeat = table[table["frequency"] > 0]
    row = repeat.iloc[draw.integer(0, len(repeat) - 1)]
    return {"frequency": int(row["frequency"]), "recency": round(float(row["recency"]), 2),
            "T": round(float(row["T"]), 2), "horizon": draw.choice([13, 26, 39, 52])}


def _one(c, recency=None) -> pd.DataFrame:
    return pd.DataFrame({"frequency": [c["frequency"]],
                         "recency": [c["recency"] if recency is None else recency],
                         "T": [c["T"]]})


def _prediction(c) -> float:
    return round(float(_cdnow_fit().conditional_expected_purchases(_one(c), c["horizon"])
                       .iloc[0]), 6)


# ------------------------------------------------------------------------ clv-7
@exercise("clv-7", chapter="04_clv", case="cdnow_customer", answer=_prediction,
          prompt=N_("E[X(t)] for one CDNOW customer from the BG/NBD fitted to the CDNOW "
                    "sample."))
def _clv_7(answer, c):
    fit = _cdnow_fit()
    expected = _prediction(c)
    got = read_number(answer)
    if abs(got - expected) <= 0.001:
        return True, _("correct: {n:.3f} purchases in the next {weeks} weeks.").format(
            n=expected, weeks=c["horizon"])
    rfm_recency = max(0.0, c["T"] - c["recency"])
    if abs(got - fit.conditional_expected_purchases(
            _one(c, recency=rfm_recency), c["horizon"]).iloc[0]) <= 0.001:
        return False, _("that uses RFM's recency, the time since the last purchase (T − t_x); "
                        "BG/NBD's t_x is the time of the last purchase, counted from the "
                        "first one.")
    if c["horizon"] != 39 and abs(got - fit.conditional_expected_purchases(
            _one(c), 39).iloc[0]) <= 0.001:
        return False, _("that is over 39 weeks, the chapter's horizon_weeks; your horizon "
                        "is {weeks} weeks.").format(weeks=c["horizon"])
    if abs(got - fit.expected_purchases(c["horizon"])) <= 0.001:
        return False, _("that is a new customer's E[X(t)]; condition on this customer's "
                        "history.")
    if abs(got - fit.p_alive(_one(c)).iloc[0]) <= 0.001:
        return False, _("that is P(alive); the question asks for expected purchases.")
    return False, _("condition on this customer's own x, t_x and T, over the horizon in "
                    "weeks the question gives.")


# ------------------------------------------------- the models on real data: clv-8 … clv-11
@lru_cache(maxsize=1)
def _spend_fit() -> gamma_gamma.GammaGammaFit:
    return gamma_gamma.fit_gamma_gamma(_calibration())


def _spender_row(customer: dict) -> pd.DataFrame:
    return pd.DataFrame({k: [customer[k]] for k in ("frequency", "recency", "T", "monetary")})


@case("cdnow_spender")
def _spender_case(draw) -> dict:
    table = _calibration()
    # two or more repeat purchases: with one, "spend × purchases" equals the spend
    repeat = table[table["frequency"] >= 2]
    row = repeat.loc[1] if draw is None else repeat.iloc[draw.integer(0, len(repeat) - 1)]
    return {"customer": int(row.name), "frequency": int(row["frequency"]),
            "recency": round(float(row["recency"]), 2), "T": round(float(row["T"]), 2),
            "monetary": round(float(row["monetary"]), 2),
            "months": 12 if draw is None else draw.choice([6, 12, 18, 24]),
            "monthly_discount": 0.01 if draw is None else draw.choice([0.005, 0.01, 0.015,
                                                                       0.02])}


def _close_to_model(got: float, expected: float) -> bool:
    """Within 0.01 or 0.1%: the case shows the customer's inputs rounded to 2 places."""
    return close(got, expected, max(0.01, 1e-3 * abs(expected)))


def _expected_spend(c) -> float:
    return round(float(_spend_fit().expected_spend(_spender_row(c)).iloc[0]), 6)


def _customer_clv(c) -> float:
    value = gamma_gamma.customer_lifetime_value(_cdnow_fit(), _spend_fit(), _spender_row(c),
                                                months=c["months"],
                                                monthly_discount=c["monthly_discount"])
    return round(float(value.iloc[0]), 6)


def _clv_by_hand(c, weeks_per_month: float) -> float:
    """The same sum with any length of month (the chapter's units lesson), by hand."""
    one, fit = _spender_row(c), _cdnow_fit()
    spend = _spend_fit().expected_spend(one).iloc[0]
    upto = [fit.conditional_expected_purchases(one, k * weeks_per_month).iloc[0]
            for k in range(c["months"] + 1)]
    return float(sum(spend * (upto[k] - upto[k - 1]) / (1 + c["monthly_discount"]) ** k
                     for k in range(1, c["months"] + 1)))


@exercise("clv-8", chapter="04_clv", case="cdnow_spender", answer=_expected_spend,
          prompt=N_("Gamma-Gamma: a CDNOW repeat buyer's expected spend per purchase."))
def _clv_8(answer, c):
    expected = _expected_spend(c)
    got = read_number(answer)
    if _close_to_model(got, expected):
        if expected < c["monetary"]:
            return True, _("correct: {spend:.2f} dollars, their own mean {own:.2f} shrunk "
                           "down towards the population's.").format(spend=expected,
                                                                   own=c["monetary"])
        return True, _("correct: {spend:.2f} dollars, their own mean {own:.2f} shrunk up "
                       "towards the population's.").format(spend=expected, own=c["monetary"])
    if close(got, c["monetary"], 0.01):
        return False, _("that is the customer's own average; the model weighs it against the "
                        "population's, more so the fewer purchases there are.")
    if _close_to_model(got, expected * c["frequency"]) \
            or _close_to_model(got, c["monetary"] * c["frequency"]):
        return False, _("that multiplies by the number of purchases; the question asks for "
                        "the spend per purchase.")
    population = _spend_fit().expected_spend(_spender_row({**c, "frequency": 0})).iloc[0]
    if close(got, population, 0.01):
        return False, _("that is the population mean; condition on this customer's "
                        "purchases.")
    return False, _("fit the Gamma-Gamma model to the repeat buyers of the calibration "
                    "table, then ask it for this customer's expected spend.")


@exercise("clv-9", chapter="04_clv", case="cdnow_spender", answer=_customer_clv,
          prompt=N_("The same customer's CLV over your horizon at your monthly discount rate "
                    "(a month of 4.345 weeks; 52/12 is accepted too)."))
def _clv_9(answer, c):
    expected = _customer_clv(c)
    got = read_number(answer)
    if _close_to_model(got, expected):
        return True, _("correct: {value:.2f} dollars over {months} months at {rate:.1%} a "
                       "month (revenue, not margin).").format(
            value=expected, months=c["months"], rate=c["monthly_discount"])
    if any(_close_to_model(got, _clv_by_hand(c, f)) for f in _OTHER_MONTHS):
        return True, _("correct: {value:.2f} dollars with your length of month (the chapter's "
                       "4.345 weeks gives {chapter:.2f}; the difference is only the "
                       "convention).").format(value=got, chapter=expected)
    if close(got, _customer_clv({**c, "monthly_discount": 0.0}), 0.01):
        return False, _("that is undiscounted: discount each month's value at your monthly "
                        "rate.")
    if c["months"] != 12 and close(got, _customer_clv({**c, "months": 12}), 0.01):
        return False, _("that is 12 months; your horizon is {months} months.").format(
            months=c["months"])
    if _close_to_model(got, _clv_by_hand(c, 30.0)):
        return False, _("that counts a month as 30 weeks (a month of 30 days applied to "
                        "weekly data); the data count time in weeks, about 4.345 a month.")
    if _close_to_model(got, _clv_by_hand(c, 1.0)):
        return False, _("that counts each month as one week; the data count time in weeks, "
                        "about 4.345 a month.")
    return False, _("combine both fits: expected purchases month by month (BG/NBD, weeks "
                    "converted to months) times expected spend (Gamma-Gamma), discounted.")


@case("sbg_projection")
def _sbg_case(draw) -> dict:
    if draw is None:
        return {"cohort": "regular", "calibration_years": 7, "year": 12}
    return {"cohort": draw.choice(["regular", "high_end"]),
            "calibration_years": draw.choice([4, 5, 6, 8, 9]),
            "year": draw.integer(10, 12)}


def _cohort(name: str) -> pd.Series:
    return load_dataset("retention_cohorts").pivot(index="year", columns="cohort",
                                                   values="survivors_pct")[name]


def _sbg_survival(q) -> float:
    counts = _cohort(q["cohort"]).loc[0:q["calibration_years"]] * 10
    return round(float(100 * retention.fit_sbg(counts).survival(q["year"])), 6)


@exercise("clv-10", chapter="04_clv", case="sbg_projection", answer=_sbg_survival,
          prompt=N_("sBG: fit a cohort's first years and project its survival (%) in a later "
                    "year."))
def _clv_10(answer, q):
    expected = _sbg_survival(q)
    got = read_number(answer)
    got = got * 100 if got <= 1 else got
    year, k = q["year"], q["calibration_years"]
    if close(got, expected, 0.05):
        return True, _("correct: {pct:.1f}% of the cohort still a customer in year {year} "
                       "(the sBG projection).").format(pct=expected, year=year)
    cohort = _cohort(q["cohort"])
    counts = cohort.loc[0:k] * 10
    constant = 100 * retention.constant_retention_rate(counts) ** year
    last_rate = cohort[k] * (cohort[k] / cohort[k - 1]) ** (year - k)
    if close(got, constant, 0.05):
        return False, _("that is the constant-retention projection r^t of section 10; the sBG "
                        "lets each customer have their own churn probability, so retention "
                        "rises with tenure.")
    if close(got, last_rate, 0.05):
        return False, _("that projects the last retention rate as a constant; the sBG lets "
                        "each customer have their own churn probability.")
    if year in cohort.index and close(got, cohort[year], 0.05):
        return False, _("that is the observed value; the question asks for the model's "
                        "projection.")
    if close(got, 100 * retention.fit_sbg(cohort * 10).survival(year), 0.05):
        return False, _("that fits every year of the cohort; fit only years 0–{k}, the years "
                        "you would know.").format(k=k)
    return False, _("fit the sBG to years 0–{k} of your cohort only, then project year "
                    "{year}.").format(k=k, year=year)


@case("holdout_split")
def _holdout_case(draw) -> dict:
    ends = ["1997-06-30", "1997-07-31", "1997-08-31", "1997-10-31", "1997-11-30"]
    return {"calibration_end": "1997-09-30" if draw is None else draw.choice(ends),
            "holdout_end": "1998-06-30"}


@lru_cache(maxsize=8)
def _holdout_totals(calibration_end: str, holdout_end: str) -> tuple:
    table = btyd.cdnow_table(calibration_end, holdout_end)
    fit = btyd.fit_bgnbd(table)
    weeks = float(table["duration_holdout"].iloc[0])      # the same for every customer
    predicted = fit.conditional_expected_purchases(table, weeks).sum()
    return round(float(predicted), 6), int(table["frequency_holdout"].sum())


@exercise("clv-11", chapter="04_clv", case="holdout_split",
          answer=lambda s: _holdout_totals(s["calibration_end"], s["holdout_end"]),
          prompt=N_("Holdout check: predicted and actual repeat purchases after your "
                    "calibration end."))
def _clv_11(answer, split):
    predicted, actual = _holdout_totals(split["calibration_end"], split["holdout_end"])
    lo, hi = read_pair(answer, _("predicted and actual"))
    if close(lo, actual, 0.5) and close(hi, predicted, 1.0):
        return False, _("right numbers, wrong order: predicted first, then actual.")
    if close(lo, predicted, 1.0) and close(hi, actual, 0.5):
        return True, _("correct: {predicted:,.1f} predicted against {actual:,} actual "
                       "({gap:+.1%}).").format(predicted=predicted, actual=actual,
                                               gap=predicted / actual - 1)
    if close(hi, actual, 0.5):
        table = btyd.cdnow_table(**split)
        weeks = float(table["duration_holdout"].iloc[0])
        if close(lo, _cdnow_fit().conditional_expected_purchases(table, weeks).sum(), 1.0):
            return False, _("the actual count is right, but that prediction comes from the "
                            "model fitted to another calibration period: refit on yours.")
        return False, _("the actual count is right; the prediction sums every customer's "
                        "expected purchases over the holdout weeks, given their history.")
    return False, _("rebuild the table with calibration_end {start} and holdout_end {end}, "
                    "refit, then predict each customer's holdout purchases.").format(
        start=split["calibration_end"], end=split["holdout_end"])
