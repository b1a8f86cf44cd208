"""crmlab.retention against published retention-economics numbers.

Sources: Gupta & Lehmann (2003) margin multiple (2.67 at r 0.8, i 0.10; the grid,
recomputed in shared/reference/papers.md §3a); Fader & Hardie (2012) three timing
conventions (366.67 / 266.67 / 333.33); Darden "Netflix" example (multiplier 67.33,
CLV ≈ 1,209); Fader & Hardie (2007) sBG estimates and LL (clv_peers.md §2.5).
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

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
