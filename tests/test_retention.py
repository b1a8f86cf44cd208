"""crmlab.retention against published retention-economics numbers.

Sources: Gupta & Lehmann (2003) margin multiple (2.67 at r 0.8, i 0.10; the grid,
recomputed in shared/reference/papers.md §3a); Fader & Hardie (2012) three timing
conventions (366.67 / 266.67 / 333.33); Darden "Netflix" example (multiplier 67.33,
CLV ≈ 1,209); Fader & Hardie (2007) sBG estimates and LL (clv_peers.md §2.5).
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import finite_or_clear

import crmlab
from crmlab import retention
from crmlab.retention import FitError


def test_margin_multiple_and_grid():
    assert round(retention.margin_multiple(0.8, 0.10), 2) == 2.67
    grid = retention.margin_multiple_grid().round(2)
    assert grid.values.tolist() == [[1.20, 1.75, 2.67, 4.50], [1.15, 1.67, 2.50, 4.09],
                                    [1.11, 1.59, 2.35, 3.75], [1.07, 1.52, 2.22, 3.46]]


def test_three_timing_conventions():
    table = retention.clv_conventions(100, 0.8, 0.1)
    assert table["clv"].round(2).tolist() == [366.67, 266.67, 333.33]
    assert "Gupta & Lehmann" in table.loc["retained, end of period", "used_by"]


def test_netflix_example():
    m = 19.95 - 1.50 - 6 / 12                  # margin less monthly retention spend
    assert round(1.01 / (1.01 - 0.995), 2) == 67.33
    value = retention.break_even_acquisition_cost(m, 0.995, 0.01)
    assert round(value) == 1209 and value == pytest.approx(1208.63, abs=0.005)


def test_expected_lifetime_matches_seed_003_d5():
    assert round(retention.expected_lifetime(0.65), 3) == 2.857
    assert round(retention.expected_lifetime(0.85), 3) == 6.667
    assert retention.margin_multiple(0.85, 0.1) * 100 == pytest.approx(340)   # R4 check


@given(r=st.floats(0.01, 0.99), i=st.floats(0.01, 0.99))
def test_conventions_differ_by_exactly_one_margin(r, i):
    t = retention.clv_conventions(1.0, r, i)["clv"]
    assert t.iloc[0] - t.iloc[1] == pytest.approx(1.0)        # start-of-period adds m now
    assert t.iloc[2] == pytest.approx(t.iloc[1] / r)


@pytest.mark.parametrize("args, message", [
    ((1.0, 0.1), r"retention must be a number in \(0, 1\); got 1.0"),
    ((0.8, 0.0), r"discount must be a number in \(0, 1\); got 0.0"),
    ((0.8, float("nan")), r"discount must be a number in \(0, 1\); got nan"),
    ((80, 0.1), r"got 80. Give rates as fractions"),
])
def test_rates_outside_0_1_are_rejected(args, message):
    with pytest.raises(ValueError, match=message):
        retention.margin_multiple(*args)


def cohort(name):
    table = crmlab.load_dataset("retention_cohorts")
    return table[table["cohort"] == name]["survivors_pct"].to_numpy() * 10


@pytest.mark.parametrize("name, alpha, beta, ll", [
    ("regular", 0.704, 1.182, -1680.27), ("high_end", 0.668, 3.806, -1611.16)])
def test_sbg_reproduces_fader_hardie_2007(name, alpha, beta, ll):
    fit = retention.fit_sbg(cohort(name)[:8])           # years 0-7: the calibration data
    assert fit.params.round(3).tolist() == [alpha, beta]
    assert round(fit.log_likelihood, 2) == ll
    assert (fit.se > 0).all()


def test_sbg_projections_track_the_holdout_years():
    fit = retention.fit_sbg(cohort("regular")[:8])
    projected = 100 * fit.survival(np.arange(8, 13))
    assert projected.round(1).tolist() == [22.0, 20.4, 19.1, 18.0, 17.0]    # clv_peers §2.5
    actual = cohort("regular")[8:] / 10
    assert np.abs(projected - actual).max() < 0.5
    assert (100 * fit.retention([1, 12])).round(1).tolist() == [62.7, 94.5]


def test_sbg_bad_input():
    with pytest.raises(ValueError, match="period 2 has 700 after 600"):
        retention.fit_sbg([1000, 600, 700])
    with pytest.raises(ValueError, match="at least 3 finite counts"):
        retention.fit_sbg([1000, float("nan"), 3])
    with pytest.raises(FitError, match="nobody churned"):
        retention.fit_sbg([100, 100, 100])


# ---- issue 9, section 4: degenerate cohorts raise FitError, not NaN standard errors
def test_sbg_everyone_churning_in_period_1_is_a_fit_error():
    with pytest.raises(FitError, match=r"retention.fit_sbg: all 100 customers churned in "
                                       r"period 1.*Use shorter periods"):
        retention.fit_sbg([100, 0, 0])
    with pytest.raises(FitError, match=r"whole cohort churned in one period"):
        retention.fit_sbg([100, 100, 0])
    with pytest.raises(FitError, match=r"retention.fit_sbg: "):
        retention.fit_sbg([100, 50, 0])


def test_sbg_methods_and_grid_check_their_input():
    fit = retention.fit_sbg(cohort("regular")[:8])
    with pytest.raises(ValueError, match=r"SBGFit.retention: periods must be finite numbers "
                                         r">= 1; got 0.0"):
        fit.retention([0, 1])
    with pytest.raises(ValueError, match=r"SBGFit.survival: periods must be a number"):
        fit.survival("soon")
    with pytest.raises(ValueError, match=r"margin_multiple_grid: retentions is empty"):
        retention.margin_multiple_grid(retentions=[])
    assert retention.margin_multiple_grid(0.8, 0.1).iloc[0, 0] == pytest.approx(8 / 3)
    with pytest.raises(ValueError, match=r"convention must be one of"):
        retention.break_even_acquisition_cost(10, 0.8, 0.1, convention=["now"])
    with pytest.raises(ValueError, match=r"start must be 2 positive numbers"):
        retention.fit_sbg([100, 60, 40], start=[0, 1])


# ---- properties
@given(r=st.floats(0.01, 0.99), i=st.floats(0.01, 0.99))
def test_margin_multiple_closed_form_equals_the_discounted_sum(r, i):
    terms = (r / (1 + i)) ** np.arange(1, 20_000)        # margin at the end of each period
    assert retention.margin_multiple(r, i) == pytest.approx(terms.sum(), rel=1e-9)
    assert retention.expected_lifetime(r) == pytest.approx(1 / (1 - r))


@given(r=st.floats(0.01, 0.98), i=st.floats(0.01, 0.5), step=st.floats(0.001, 0.01))
def test_the_multiple_rises_with_retention_and_falls_with_discount(r, i, step):
    assert retention.margin_multiple(r + step, i) > retention.margin_multiple(r, i)
    assert retention.margin_multiple(r, i + step) < retention.margin_multiple(r, i)


@settings(max_examples=40, deadline=None)
@given(alpha=st.floats(0.05, 20), beta=st.floats(0.05, 20), n=st.integers(1, 30))
def test_sbg_survival_is_the_product_of_retention_rates(alpha, beta, n):
    fit = retention.SBGFit("fixed", pd.Series({"alpha": alpha, "beta": beta}),
                           pd.Series({"alpha": np.nan, "beta": np.nan}), np.nan, 0, 0)
    t = np.arange(1, n + 1)
    s = fit.survival(np.arange(0, n + 1))
    assert s[0] == pytest.approx(1.0) and np.all(np.diff(s) <= 1e-15) and np.all(s > 0)
    assert s[1:] == pytest.approx(np.cumprod(fit.retention(t)), rel=1e-9)
    assert np.all(np.diff(fit.retention(t)) >= -1e-15)       # retention rises with tenure


# ---- fuzz: every public function and method, correct or clear error
PREFIXES = ("retention.", "SBGFit.")
SCALARS = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**6, 10**6),
                    st.floats(0, 1), st.sampled_from([None, "0.8", True, [0.8], pd.NA, 1e-9,
                                                      0.999999999, np.float64(0.5), 1 + 1j]))
SEQUENCES = st.one_of(
    st.lists(st.one_of(st.floats(0, 1000), SCALARS), max_size=6),
    st.lists(st.integers(0, 1000), min_size=3, max_size=8).map(lambda v: sorted(v, reverse=True)),
    st.sampled_from([None, "100, 60, 40", {"a": 1}, np.zeros((2, 3)), pd.array([100, pd.NA, 3],
                                                                                 dtype="Int64")]),
    SCALARS)


def correct_or_clear(call, *, columns=None):
    return finite_or_clear(call, PREFIXES, columns=columns)


@settings(max_examples=80, deadline=None)
@given(a=SCALARS, b=SCALARS, c=SCALARS, seq=SEQUENCES, seq2=SEQUENCES,
       convention=st.sampled_from(["start of period", "end of period", "later", None, 3]))
def test_fuzz_every_retention_function_is_correct_or_clear(a, b, c, seq, seq2, convention):
    correct_or_clear(lambda: retention.margin_multiple(a, b))
    correct_or_clear(lambda: retention.margin_multiple_grid(seq, seq2))
    correct_or_clear(lambda: retention.clv_conventions(a, b, c))
    correct_or_clear(lambda: retention.expected_lifetime(a))
    correct_or_clear(lambda: retention.break_even_acquisition_cost(a, b, c,
                                                                   convention=convention))
    fit = correct_or_clear(lambda: retention.fit_sbg(seq))
    if fit is not None:
        assert np.isfinite(fit.params).all() and np.isfinite(fit.se).all()
    model = fit or retention.fit_sbg([1000, 631, 468, 382])
    correct_or_clear(lambda: model.survival(seq2))
    correct_or_clear(lambda: model.retention(seq2))
    correct_or_clear(lambda: retention.constant_retention_rate(seq))


# ---- issue 10, section 3: sBG against a constant retention rate (Fader & Hardie 2007)
@pytest.mark.parametrize("name, rate, year12, sbg12, actual12", [
    ("regular", 0.774, 4.6, 17.0, 17.3), ("high_end", 0.8967, 27.0, 37.8, 39.4)])
def test_constant_retention_underprojects_year_12(name, rate, year12, sbg12, actual12):
    counts = cohort(name)
    r = retention.constant_retention_rate(counts[:8])
    lost, exposure = counts[0] - counts[7], counts[:7].sum()        # the MLE, by hand
    assert r == pytest.approx(1 - lost / exposure)
    assert round(r, 4) == rate
    assert round(100 * r ** 12, 1) == year12
    assert round(100 * retention.fit_sbg(counts[:8]).survival(12), 1) == sbg12
    assert counts[12] / 10 == actual12


@given(r=st.floats(0.05, 0.95), n=st.integers(2, 12))
def test_constant_retention_rate_recovers_exact_geometric_counts(r, n):
    counts = 1e6 * r ** np.arange(n + 1)
    assert retention.constant_retention_rate(counts) == pytest.approx(r, rel=1e-9)


def test_constant_retention_rate_bad_input():
    with pytest.raises(crmlab.InputError, match="start above 0 and never rise"):
        retention.constant_retention_rate([1000, 1200])
    with pytest.raises(crmlab.InputError, match="at least 2 counts"):
        retention.constant_retention_rate([1000])
