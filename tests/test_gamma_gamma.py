"""crmlab.gamma_gamma against the published CDNOW results.

Sources: Fader & Hardie (2013) Gamma-Gamma note and CLVTools' test_correctness_gg.R (p,
q, gamma, LL); lifetimes 0.11.3 docs (expected spend of customers 1-10, the CLV of
customer 1) and its ``GammaGammaFitter.customer_lifetime_value`` run on the same table;
all recorded in shared/reference/clv_peers.md §2. The BG/NBD fits the CLV needs are
tested in tests/test_btyd.py.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import PAPER, SCALARS, TABLE, VALID_TABLE, at, customers, finite_or_clear, mutated

import crmlab
from crmlab import btyd, gamma_gamma
from crmlab.gamma_gamma import GammaGammaFit


@pytest.fixture(scope="module")
def log(cdnow_sample_log):
    return cdnow_sample_log


@pytest.fixture(scope="module")
def spend(cbs):
    return gamma_gamma.fit_gamma_gamma(cbs)


# ---- Gamma-Gamma (Fader & Hardie 2013)
def test_gamma_gamma_reproduces_the_published_estimates(spend):
    assert spend.params.round(2).tolist() == [6.25, 3.74, 15.44] or \
        spend.params.to_numpy() == pytest.approx([6.25, 3.74, 15.44], abs=0.01)
    assert spend.n_obs == 946
    assert spend.log_likelihood == pytest.approx(-4055.9177, abs=0.001)   # CLVTools test


def test_expected_spend_of_customers_1_to_10(spend, cbs):
    # lifetimes docs (its fit p 6.2488, q 3.7446, v 15.4477): customers 1-10
    docs = [24.658619, 18.911489, 35.170981, 35.170981, 35.170981, 71.462843, 18.911489,
            35.170981, 27.282408, 35.170981]
    assert spend.expected_spend(cbs.loc[1:10]).to_numpy() == pytest.approx(docs, abs=0.01)
    paper = at({"p": 6.25, "q": 3.74, "gamma": 15.44}, GammaGammaFit)
    assert paper.expected_spend(cbs.loc[[3]]).iloc[0] == pytest.approx(35.22, abs=0.005)


def test_clv_equals_lifetimes_on_the_same_data(fit, spend, cbs):
    # lifetimes 0.11.3 GammaGammaFitter.customer_lifetime_value(time=12, discount_rate=0.01,
    # freq="W") on this table, run 2026-11-23 in a separate pandas-2 environment
    clv = gamma_gamma.customer_lifetime_value(fit, spend, cbs)
    assert clv.loc[1:10].round(4).tolist() == [36.274, 4.6409, 8.3445, 8.3445, 8.3445, 283.5581,
                                               6.8817, 8.3445, 43.3587, 8.3445]
    assert clv.sum() == pytest.approx(71507.95, abs=0.01)


def test_clv_is_the_discounted_sum_of_monthly_increments(fit, spend, cbs):
    one = cbs.loc[[6]]
    months = np.arange(0, 4) * 4.345
    cum = [fit.conditional_expected_purchases(one, t).iloc[0] for t in months]
    by_hand = sum(spend.expected_spend(one).iloc[0] * (cum[k] - cum[k - 1]) / 1.02 ** k
                  for k in (1, 2, 3))
    got = gamma_gamma.customer_lifetime_value(fit, spend, one, months=3,
                                              monthly_discount=0.02).iloc[0]
    assert got == pytest.approx(by_hand, rel=1e-12)


# ---- bad input
def test_rates_are_checked(fit, spend, cbs):
    with pytest.raises(ValueError, match=r"monthly_discount must be a number in \[0, 1\); got 1.5"):
        gamma_gamma.customer_lifetime_value(fit, spend, cbs, monthly_discount=1.5)


def test_gamma_gamma_bad_spend():
    data = pd.DataFrame({"frequency": [1, 2, 0], "monetary": [10.0, -5.0, np.nan]})
    with pytest.raises(ValueError, match=r"column 'monetary' must be > 0 for repeat buyers.*"
                                         r"got -5.0 for 1 customer\(s\) with index \[1\]"):
        gamma_gamma.fit_gamma_gamma(data)


def test_gamma_gamma_on_the_full_cdnow_cohort_names_and_can_leave_out_zero_spend():
    master = crmlab.load_dataset("cdnow_master")
    full = btyd.repeat_purchase_table(master, amount="dollars", calibration_end="1997-09-30")
    with pytest.raises(ValueError, match=r"gamma_gamma.fit_gamma_gamma: column 'monetary' must "
                                         r"be > 0 for repeat buyers.*got 0.0 for 1 "
                                         r"customer\(s\) with customer_id \[10244\]\. Pass "
                                         r"nonpositive='exclude'"):
        gamma_gamma.fit_gamma_gamma(full)
    spend = gamma_gamma.fit_gamma_gamma(full, nonpositive="exclude")
    assert spend.n_obs == (full["frequency"] > 0).sum() - 1
    assert spend.extra["excluded"] == [10244]
    assert "1 repeat buyer(s) with monetary ≤ 0 left out: customer_id [10244]" in repr(spend)
    assert spend.summary().attrs["note"] == spend.note
    assert np.isfinite(spend.se).all()
    # the customer stays in the BG/NBD data and gets a finite, positive CLV
    value = gamma_gamma.customer_lifetime_value(btyd.fit_bgnbd(full), spend, full)
    assert np.isfinite(value).all() and value.loc[10244] > 0
    with pytest.raises(ValueError, match=r"nonpositive must be one of \['error', 'exclude'\]"):
        gamma_gamma.fit_gamma_gamma(full, nonpositive="drop")


def test_a_days_table_gives_customer_1_the_same_clv(log, cbs, fit, spend):
    days = btyd.repeat_purchase_table(log, customer="sample_id", amount="dollars",
                                      calibration_end="1997-09-30", unit="days")
    by_day = btyd.fit_bgnbd(days)
    value = gamma_gamma.customer_lifetime_value(by_day, gamma_gamma.fit_gamma_gamma(days), days)
    assert round(value.loc[1], 2) == 36.27                      # as with weeks (lifetimes)
    assert value.sum() == pytest.approx(71507.95, rel=1e-5)
    with pytest.raises(ValueError, match=r"periods_per_month=4.345 makes a month 4.345 days, "
                                         r"but the data count time in days"):
        gamma_gamma.customer_lifetime_value(by_day, spend, days, periods_per_month=4.345)
    with pytest.raises(ValueError, match=r"`data` counts time in days .* but the BG/NBD model "
                                         r"was fitted in weeks"):
        gamma_gamma.customer_lifetime_value(fit, spend, days)
    # a table without a recorded unit keeps the old default (weeks)
    plain = cbs.copy()
    plain.attrs = {}
    assert gamma_gamma.customer_lifetime_value(at(PAPER), spend, plain).loc[1] == pytest.approx(
        gamma_gamma.customer_lifetime_value(at(PAPER), spend, cbs).loc[1])


def test_fits_are_checked_when_passed():
    good = pd.DataFrame({"frequency": [1, 0, 2], "recency": [3.0, 0.0, 5.0],
                         "T": [10.0, 4.0, 6.0]})
    with pytest.raises(ValueError, match=r"purchases must be a BGNBDFit from btyd.fit_bgnbd"):
        gamma_gamma.customer_lifetime_value("fit", None, good)
    with pytest.raises(ValueError, match=r"spend must be a GammaGammaFit from "
                                         r"gamma_gamma.fit_gamma_gamma"):
        gamma_gamma.customer_lifetime_value(at(PAPER), "spend", good)


# ---- properties for valid parameters and customers
@settings(max_examples=40, deadline=None)
@given(data=customers(), months=st.integers(1, 24), d=st.floats(0, 0.5))
def test_clv_is_finite_non_negative_and_grows_with_the_horizon(spend, data, months, d):
    data = data.assign(monetary=np.where(data["frequency"] > 0, 20.0, np.nan))
    short = gamma_gamma.customer_lifetime_value(at(PAPER), spend, data, months=months,
                                                monthly_discount=d)
    longer = gamma_gamma.customer_lifetime_value(at(PAPER), spend, data, months=months + 1,
                                                 monthly_discount=d)
    assert np.isfinite(short).all() and (short >= 0).all() and (longer >= short - 1e-12).all()


# ---- fuzz: every public function and method, correct or clear error
PREFIXES = ("gamma_gamma.", "GammaGammaFit.")


def correct_or_clear(call, *, columns=None):
    return finite_or_clear(call, PREFIXES, columns=columns)


@settings(max_examples=60, deadline=None)
@given(data=mutated(VALID_TABLE, TABLE), months=SCALARS,
       nonpositive=st.sampled_from(["error", "exclude", "drop", None]))
def test_fuzz_every_gamma_gamma_function_is_correct_or_clear(data, months, nonpositive):
    model = at(PAPER)
    spend = at({"p": 6.25, "q": 3.74, "gamma": 15.44}, GammaGammaFit)
    spent = correct_or_clear(lambda: gamma_gamma.fit_gamma_gamma(data, nonpositive=nonpositive))
    if spent is not None:
        assert np.isfinite(spent.params).all() and np.isfinite(spent.se).all()
    correct_or_clear(lambda: spend.expected_spend(data))
    correct_or_clear(lambda: gamma_gamma.customer_lifetime_value(model, spend, data,
                                                                 months=months))


def test_fuzz_covers_every_public_function_and_method_of_gamma_gamma():
    import inspect
    source = inspect.getsource(test_fuzz_every_gamma_gamma_function_is_correct_or_clear)
    functions = {n for n in gamma_gamma.__all__ if inspect.isfunction(getattr(gamma_gamma, n))}
    assert functions == {"fit_gamma_gamma", "customer_lifetime_value"}
    assert {n for n in functions if f"gamma_gamma.{n}(" not in source} == set()
    methods = {n for n, v in vars(GammaGammaFit).items() if inspect.isfunction(v)
               and not n.startswith("_")}
    assert methods and {n for n in methods if f"spend.{n}(" not in source} == set()


# ---- issue 10, section 2: chapter 4's corrected numbers, recomputed
def test_lifetimes_docs_140_is_a_30_week_month_and_crmlab_36_27_a_calendar_month(fit, spend,
                                                                                  cbs):
    # lifetimes docs/Quickstart.md: customer_lifetime_value(..., time=12, discount_rate=0.01)
    # with freq left at "D" (30 units a month) on the weekly CDNOW table prints 140.096211.
    one = cbs.loc[[1]]
    e = spend.expected_spend(one).iloc[0]

    def by_hand(f):
        upto = [fit.conditional_expected_purchases(one, k * f).iloc[0] for k in range(13)]
        return sum(e * (upto[k] - upto[k - 1]) / 1.01 ** k for k in range(1, 13))

    clv = gamma_gamma.customer_lifetime_value(fit, spend, one).iloc[0]
    assert round(clv, 2) == 36.27
    assert by_hand(4.345) == pytest.approx(clv)
    assert round(by_hand(30.0), 2) == 140.07
    # the docs' Gamma-Gamma gives customer 1 an expected spend of 24.658619 (ours 24.6539)
    assert round(e, 4) == 24.6539
    assert round(by_hand(30.0) * 24.658619 / e, 2) == 140.10
    with pytest.raises(ValueError, match=r"periods_per_month=30 makes a month 210 days, but the "
                                         r"data count time in weeks"):
        gamma_gamma.customer_lifetime_value(fit, spend, one, periods_per_month=30)


def test_gamma_gamma_independence_check(cbs):
    # lifetimes docs/Quickstart.md prints 0.113884 for the same 946 repeat buyers
    repeaters = cbs[cbs["frequency"] > 0]
    assert len(repeaters) == 946
    assert round(repeaters["frequency"].corr(repeaters["monetary"]), 3) == 0.114


def test_chapter_4_quadrants_equal_off_diagonals_and_like_for_like_values(fit, spend, cbs, log):
    from crmlab import clv
    value = gamma_gamma.customer_lifetime_value(fit, spend, cbs)
    spent = log[log["date"] <= "1997-09-30"].groupby("sample_id")["dollars"].sum()
    people = pd.DataFrame({"current_value": spent, "future_value": value})
    cut = people.quantile(0.8)
    placed = clv.clv_quadrants(people, current_threshold=cut["current_value"],
                               future_threshold=cut["future_value"])
    counts = placed["quadrant"].value_counts()
    high_now = (people["current_value"] >= cut["current_value"]).sum()
    high_later = (people["future_value"] >= cut["future_value"]).sum()
    assert high_now == high_later == 472 and counts["贵宾型"] == 349
    assert counts["改进型"] == counts["维持型"] == 472 - 349 == 123     # an identity, not a bug
    assert counts["放弃型"] == 1762
    # the axes are not measured alike: undiscounted past vs discounted 12-month future
    future_39 = spend.expected_spend(cbs) * fit.conditional_expected_purchases(cbs, 39)
    actual_39 = (log[log["date"] > "1997-09-30"].groupby("sample_id")["dollars"].sum()
                 .reindex(cbs.index, fill_value=0.0))
    assert [round(v) for v in (spent.sum(), value.sum(), future_39.sum(), actual_39.sum())] == \
        [173116, 71508, 59932, 70976]
    assert ((value > spent).sum(), (future_39 > spent).sum(), (actual_39 > spent).sum()) == \
        (68, 47, 288)
    alike = pd.DataFrame({"current_value": spent, "future_value": future_39})
    cut39 = alike.quantile(0.8)
    placed_39 = clv.clv_quadrants(alike, current_threshold=cut39["current_value"],
                                  future_threshold=cut39["future_value"])
    assert (placed["quadrant"] != placed_39["quadrant"]).sum() == 2
