"""crmlab._mle: the named result of maximise and FitError instead of NaN standard errors."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlab._mle import FitError, Maximum, ModelFit, maximise


def test_maximise_returns_a_named_result():
    # log-likelihood of 30 Poisson counts with mean 4: the MLE is the sample mean
    counts = np.array([3, 5, 4, 6, 2, 4] * 5)
    best = maximise(lambda p: float(np.sum(counts * np.log(p[0]) - p[0])), np.array([1.0]),
                    ["lambda"], func="demo")
    assert isinstance(best, Maximum) and not isinstance(best, tuple)
    assert best.params == pytest.approx([4.0], rel=1e-6)
    assert best.se == pytest.approx([np.sqrt(4.0 / 30)], rel=1e-4)     # sqrt(λ/n)
    assert best.log_likelihood == pytest.approx(np.sum(counts * np.log(4.0) - 4.0))
    assert best.iterations > 0 and best.hessian_ok


def test_a_flat_likelihood_is_a_fit_error_not_nan():
    # only the sum a + b is identified: the likelihood is flat along a − b
    with pytest.raises(FitError, match=r"demo: the log-likelihood is flat at the optimum .* "
                                       r"along a and b"):
        maximise(lambda p: -(p[0] + p[1] - 3.0) ** 2, np.array([1.0, 1.0]), ["a", "b"],
                 func="demo")


def test_a_parameter_running_off_is_a_fit_error():
    with pytest.raises(FitError, match=r"demo: parameter x ran off to"):
        maximise(lambda p: -1.0 / p[0], np.array([1.0]), ["x"], func="demo")


def test_non_finite_start_is_a_fit_error():
    with pytest.raises(FitError, match=r"not finite at the starting values"):
        maximise(lambda p: np.log(p[0] - 2.0), np.array([1.0]), ["x"], func="demo")


def test_the_fit_repr_and_summary_report_what_was_left_out():
    fit = ModelFit("demo", pd.Series({"x": 1.0}), pd.Series({"x": 0.1}), -3.0, 10, 5,
                   extra={"note": "2 customers left out"})
    assert "(2 customers left out)" in repr(fit)
    assert fit.summary().attrs["note"] == "2 customers left out"
    with pytest.raises(ValueError, match=r"ModelFit.summary: level must be a number in"):
        fit.summary(level=95)


@settings(max_examples=30, deadline=None)
@given(mean=st.floats(1, 50), spread=st.floats(0.5, 10))
def test_maximise_finds_a_normal_mean_and_sd(mean, spread):
    x = mean + spread * np.array([-1.5, -0.5, 0.0, 0.5, 1.5])
    sd_hat = np.sqrt(np.mean((x - x.mean()) ** 2))

    def loglik(p):
        return float(np.sum(-np.log(p[1]) - (x - p[0]) ** 2 / (2 * p[1] ** 2)))

    best = maximise(loglik, np.array([x.mean() / 2, 1.0]), ["mu", "sigma"], func="demo",
                    scale=len(x))
    assert best.params == pytest.approx([x.mean(), sd_hat], rel=1e-5)
    assert np.isfinite(best.se).all()
