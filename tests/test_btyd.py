"""crmlab.btyd against the published CDNOW results.

Sources: Fader, Hardie & Lee (2005) (BG/NBD estimates, LL, E[X(39)] = 1.226 for x 2,
t_x 30.43, T 38.86); the R BTYD walkthrough (holdout table by frequency, weekly
tracking, Expectation(52)); Fader & Hardie (2013) Gamma-Gamma note and CLVTools'
test_correctness_gg.R (p, q, gamma, LL); lifetimes 0.11.3 docs and tests (standard
errors, expected spend of customers 1-10); all recorded in shared/reference/clv_peers.md §2.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import crmlab
from crmlab import btyd
from crmlab.btyd import BGNBDFit, FitError, GammaGammaFit

PAPER = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}


@pytest.fixture(scope="module")
def log():
    return crmlab.load_dataset("cdnow_sample")


@pytest.fixture(scope="module")
def cbs(log):
    return btyd.repeat_purchase_table(log, customer="sample_id", amount="dollars",
                                      calibration_end="1997-09-30", holdout_end="1998-06-30")


@pytest.fixture(scope="module")
def fit(cbs):
    return btyd.fit_bgnbd(cbs)


@pytest.fixture(scope="module")
def spend(cbs):
    return btyd.fit_gamma_gamma(cbs)


def at(params, cls=BGNBDFit):
    names = list(params)
    return cls("fixed", pd.Series(params), pd.Series(np.nan, index=names), np.nan, 0, 0)


# ---- data preparation (clv_peers.md §2.1: the published CDNOW summary)
def test_cdnow_summary_matches_the_literature(cbs):
    assert len(cbs) == 2357
    assert cbs["frequency"].sum() == 2457 and (cbs["frequency"] == 0).sum() == 1411
    assert cbs["frequency"].max() == 29
    assert cbs["T"].min() == pytest.approx(27.0) and cbs["T"].max() == pytest.approx(38.857, abs=1e-3)
    assert cbs["frequency_holdout"].sum() == 1882
    assert (cbs["duration_holdout"] == 39).all()


def test_cdnow_repeat_spend_matches_hardie(cbs):
    m = cbs["monetary"].dropna()
    assert len(m) == 946
    assert round(m.mean()) == 35 and round(m.std()) == 30
    assert round(m.min()) == 3 and round(m.median()) == 27 and round(m.max()) == 300


def test_customer_1_is_the_papers_example(cbs):
    row = cbs.loc[1]
    assert (row["frequency"], round(row["recency"], 2), round(row["T"], 2)) == (2, 30.43, 38.86)


def test_same_day_purchases_are_merged_and_late_joiners_dropped():
    log = pd.DataFrame({"customer_id": [1, 1, 1, 2, 3], "amount": [1.0, 2.0, 4.0, 5.0, 6.0],
                        "date": ["2024-01-01", "2024-01-01", "2024-01-08", "2024-01-02",
                                 "2024-02-01"]})
    table = btyd.repeat_purchase_table(log, calibration_end="2024-01-15")
    assert table.index.tolist() == [1, 2]
    assert table.loc[1, "frequency"] == 1 and table.loc[1, "monetary"] == 4.0
    assert table.loc[1, "T"] == pytest.approx(2.0)


# ---- BG/NBD (Fader, Hardie & Lee 2005)
def test_bgnbd_reproduces_the_published_estimates(fit):
    assert fit.params.round(3).to_dict() == PAPER
    assert round(fit.log_likelihood, 1) == -9582.4
    # R BTYD walkthrough's MLE: 0.2425982, 4.4136842, 0.7929899, 2.4261667, LL -9582.429
    assert fit.params.to_numpy() == pytest.approx([0.2425982, 4.4136842, 0.7929899, 2.4261667],
                                                  rel=2e-4)
    assert fit.log_likelihood == pytest.approx(-9582.429, abs=0.001)


def test_bgnbd_standard_errors_match_lifetimes_docs(fit):
    # lifetimes docs/Quickstart.md summary: r 0.012557, alpha 0.378221, a 0.185719, b 0.705345
    assert fit.se.to_numpy() == pytest.approx([0.012557, 0.378221, 0.185719, 0.705345], rel=2e-3)
    ci = fit.summary()
    assert (ci["lower"] < ci["coef"]).all() and (ci["coef"] < ci["upper"]).all()


def test_conditional_expectation_of_the_papers_customer():
    one = pd.DataFrame({"frequency": [2], "recency": [30.43], "T": [38.86]})
    value = at(PAPER).conditional_expected_purchases(one, 39).iloc[0]
    assert abs(value - 1.226) < 0.001          # FHL (2005) / Hardie's spreadsheet


def test_btyd_walkthrough_expectations():
    btyd_params = {"r": 0.2425982, "alpha": 4.4136842, "a": 0.7929899, "b": 2.4261667}
    model = at(btyd_params)
    assert model.expected_purchases(52) == pytest.approx(1.444004, abs=1e-5)
    one = pd.DataFrame({"frequency": [26], "recency": [30.85714], "T": [31.0]})
    assert model.conditional_expected_purchases(one, 52).iloc[0] == pytest.approx(25.75659, abs=1e-4)
    assert model.p_alive(one).iloc[0] == pytest.approx(0.9688523, abs=1e-6)
    # "increasing frequency paradox": t_x 20, T 39, T* 52
    paradox = pd.DataFrame({"frequency": [10, 15, 20, 25], "recency": [20.0] * 4, "T": [39.0] * 4})
    assert model.conditional_expected_purchases(paradox, 52).to_numpy() == pytest.approx(
        [0.3474606, 0.04283391, 0.004158973, 0.0003583685], rel=1e-5)


def test_unconditional_expectation_matches_lifetimes_tests(fit):
    times = [0.1429, 1.0, 3.0, 31.8571, 32.0, 78.0]
    expected = [0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576]
    assert fit.expected_purchases(times) == pytest.approx(expected, abs=1.5e-3)


def test_holdout_check_matches_the_btyd_walkthrough(fit, cbs):
    table = btyd.holdout_check(fit, cbs)
    assert table["customers"].tolist() == [1411, 439, 214, 100, 62, 38, 29, 64]
    assert table["actual"].round(3).tolist() == [0.237, 0.697, 1.393, 1.560, 2.532, 2.947, 3.862, 6.359]
    assert table["predicted"].to_numpy() == pytest.approx(
        [0.2251, 0.5231, 1.0441, 1.5203, 2.1638, 2.6538, 3.5040, 6.1570], abs=2e-4)
    assert fit.conditional_expected_purchases(cbs, 39).sum() == pytest.approx(1653.4, abs=0.1)


def test_holdout_check_labels_survive_empty_groups(fit, cbs):
    table = btyd.holdout_check(fit, cbs[cbs["frequency"] != 3], top=5)
    assert table.index.tolist() == ["0", "1", "2", "4", "5+"]


def test_weekly_tracking_matches_the_btyd_walkthrough(fit, cbs, log):
    track = btyd.cumulative_tracking(fit, log, cbs, customer="sample_id").loc[20:25]
    assert track["actual"].tolist() == [1359, 1414, 1484, 1517, 1573, 1672]
    assert track["predicted"].to_numpy() == pytest.approx(
        [1312.458, 1387.346, 1460.392, 1531.713, 1601.418, 1669.6], abs=0.005)
    full = btyd.cumulative_tracking(fit, log, cbs, customer="sample_id")
    assert full["actual"].iloc[-1] == cbs["frequency"].sum() + cbs["frequency_holdout"].sum()


def test_collapsing_identical_customers_changes_nothing(cbs, fit):
    doubled = pd.concat([cbs, cbs])
    refit = btyd.fit_bgnbd(doubled)
    assert refit.params.to_numpy() == pytest.approx(fit.params.to_numpy(), rel=1e-4)
    assert refit.log_likelihood == pytest.approx(2 * fit.log_likelihood, rel=1e-9)
    weighted = btyd.fit_bgnbd(cbs.assign(w=2.0), weights="w")
    assert weighted.log_likelihood == pytest.approx(refit.log_likelihood, rel=1e-9)


def test_analytic_gradient_matches_finite_differences(cbs):
    from crmlab.btyd import _bgnbd_gradient, _bgnbd_loglik, _customers
    x, tx, T, w = _customers(cbs, "frequency", "recency", "T", func="t")
    p = np.array([0.3, 5.0, 0.9, 2.0])
    numeric = [(_bgnbd_loglik(p + e, x, tx, T, w) - _bgnbd_loglik(p - e, x, tx, T, w)) / 2e-6
               for e in np.eye(4) * 1e-6]
    assert _bgnbd_gradient(p, x, tx, T, w) == pytest.approx(numeric, rel=1e-5)


@settings(max_examples=60, deadline=None)
@given(x=st.integers(0, 40), tx_share=st.floats(0, 1), T=st.floats(0.5, 100))
def test_p_alive_is_a_probability_and_one_without_repeats(x, tx_share, T):
    tx = 0.0 if x == 0 else tx_share * T
    one = pd.DataFrame({"frequency": [x], "recency": [tx], "T": [T]})
    p = at(PAPER).p_alive(one).iloc[0]
    assert 0 <= p <= 1
    if x == 0:
        assert p == 1.0


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
    clv = btyd.customer_lifetime_value(fit, spend, cbs)
    assert clv.loc[1:10].round(4).tolist() == [36.274, 4.6409, 8.3445, 8.3445, 8.3445, 283.5581,
                                               6.8817, 8.3445, 43.3587, 8.3445]
    assert clv.sum() == pytest.approx(71507.95, abs=0.01)


def test_clv_is_the_discounted_sum_of_monthly_increments(fit, spend, cbs):
    one = cbs.loc[[6]]
    months = np.arange(0, 4) * 4.345
    cum = [fit.conditional_expected_purchases(one, t).iloc[0] for t in months]
    by_hand = sum(spend.expected_spend(one).iloc[0] * (cum[k] - cum[k - 1]) / 1.02 ** k
                  for k in (1, 2, 3))
    got = btyd.customer_lifetime_value(fit, spend, one, months=3, monthly_discount=0.02).iloc[0]
    assert got == pytest.approx(by_hand, rel=1e-12)


# ---- bad input
GOOD = {"frequency": [1, 0, 2], "recency": [3.0, 0.0, 5.0], "T": [10.0, 4.0, 6.0]}


@pytest.mark.parametrize("change, message", [
    ({"recency": [3.0, 0.0, 7.0]}, r"column 'recency' is larger than 'T'.*got 7.0 at rows \[2\]"),
    ({"recency": [3.0, 1.0, 5.0]}, r"column 'recency' is > 0 for customers with frequency 0; got 1.0 at rows \[1\]"),
    ({"frequency": [1, -1, 2]}, r"column 'frequency' must be >= 0; got -1.0 at rows \[1\]"),
    ({"recency": [3.0, float("nan"), 5.0]}, r"column 'recency' has missing values \(NaN\) at rows \[1\]"),
    ({"T": [10.0, 0.0, 6.0]}, r"column 'T' must be > 0; got 0.0 at rows \[1\]"),
    ({"frequency": [1.5, 0, 2]}, r"must be whole numbers of repeat purchases; got 1.5 at rows \[0\]"),
    ({"frequency": [0, 0, 0], "recency": [0.0, 0.0, 0.0]}, r"no customer made a repeat purchase"),
])
def test_bad_customer_tables_name_the_column_and_rows(change, message):
    with pytest.raises(ValueError, match=message):
        btyd.fit_bgnbd(pd.DataFrame({**GOOD, **change}))


def test_rates_and_horizons_are_checked(fit, spend, cbs):
    with pytest.raises(ValueError, match=r"monthly_discount must be a number in \[0, 1\); got 1.5"):
        btyd.customer_lifetime_value(fit, spend, cbs, monthly_discount=1.5)
    with pytest.raises(ValueError, match="t must be a number >= 0; got -1"):
        fit.conditional_expected_purchases(cbs, -1)
    with pytest.raises(ValueError, match="holdout_end 1997-01-01 must be after"):
        btyd.repeat_purchase_table(crmlab.load_dataset("cdnow_sample"), amount="dollars",
                                   calibration_end="1997-09-30", holdout_end="1997-01-01")


def test_no_dropout_signal_raises_a_fit_error_not_nan():
    # every customer buys weekly right up to the end: no sign of anyone dropping out
    data = pd.DataFrame({"frequency": [10, 20, 30] * 20, "recency": [10.0, 20.0, 30.0] * 20,
                         "T": [10.0, 20.0, 30.0] * 20})
    with pytest.raises(FitError, match="no sign of drop-out"):
        btyd.fit_bgnbd(data)


def test_gamma_gamma_bad_spend():
    data = pd.DataFrame({"frequency": [1, 2, 0], "monetary": [10.0, -5.0, np.nan]})
    with pytest.raises(ValueError, match=r"column 'monetary' must be > 0 for repeat buyers.*"
                                         r"got -5.0 for 1 customer\(s\) with index \[1\]"):
        btyd.fit_gamma_gamma(data)
