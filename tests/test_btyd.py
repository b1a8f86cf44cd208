"""crmlab.btyd against the published CDNOW results.

Sources: Fader, Hardie & Lee (2005) (BG/NBD estimates, LL, E[X(39)] = 1.226 for x 2,
t_x 30.43, T 38.86); the R BTYD walkthrough (holdout table by frequency, weekly
tracking, Expectation(52)); lifetimes 0.11.3 docs and tests (standard errors); all
recorded in shared/reference/clv_peers.md §2. The Gamma-Gamma spend model and the CLV
are tested in tests/test_gamma_gamma.py.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import (LOG, PAPER, SCALARS, TABLE, VALID_LOG, VALID_TABLE, at, customers,
                        finite_or_clear, mutated)

import crmlab
from crmlab import btyd
from crmlab.btyd import BGNBDFit, FitError


@pytest.fixture(scope="module")
def log(cdnow_sample_log):
    return cdnow_sample_log


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


def test_cdnow_table_is_the_chapters_table_of_the_sample(cbs):
    """btyd.cdnow_table: the sample by sample_id, in dollars and weeks, calibration to
    1997-09-30 by default (2,357 customers, Fader, Hardie & Lee 2005), a holdout if asked."""
    calibration = btyd.cdnow_table()
    assert calibration.index.name == "sample_id" and len(calibration) == 2357
    assert "frequency_holdout" not in calibration.columns
    pd.testing.assert_frame_equal(calibration, cbs.drop(columns=["frequency_holdout",
                                                                  "duration_holdout"]))
    pd.testing.assert_frame_equal(btyd.cdnow_table(holdout_end="1998-06-30"), cbs)
    later = btyd.cdnow_table("1997-12-31")
    assert len(later) == 2357 and (later["T"] > calibration["T"]).all()
    assert btyd.cdnow_table() is not btyd.cdnow_table()          # a fresh table each call


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
    from crmlab._bgnbd import gradient, loglik
    from crmlab._customers import customer_arrays
    x, tx, T, w = customer_arrays(cbs, "frequency", "recency", "T", func="t")
    p = np.array([0.3, 5.0, 0.9, 2.0])
    numeric = [(loglik(p + e, x, tx, T, w) - loglik(p - e, x, tx, T, w)) / 2e-6
               for e in np.eye(4) * 1e-6]
    assert gradient(p, x, tx, T, w) == pytest.approx(numeric, rel=1e-5)


@settings(max_examples=60, deadline=None)
@given(x=st.integers(0, 40), tx_share=st.floats(0, 1), T=st.floats(0.5, 100))
def test_p_alive_is_a_probability_and_one_without_repeats(x, tx_share, T):
    tx = 0.0 if x == 0 else tx_share * T
    one = pd.DataFrame({"frequency": [x], "recency": [tx], "T": [T]})
    p = at(PAPER).p_alive(one).iloc[0]
    assert 0 <= p <= 1
    if x == 0:
        assert p == 1.0


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


def test_horizons_and_holdout_dates_are_checked(fit, cbs):
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


# ---- issue 9, section 4: no silent wrong answers
def test_frequency_1e6_in_39_weeks_is_rejected(cbs):
    bad = cbs.copy()
    bad.loc[1, "frequency"] = 1e6
    with pytest.raises(ValueError, match=r"btyd.fit_bgnbd: column 'frequency' is more than one "
                                         r"repeat purchase a day \(7 per week.*got 1000000.0 at "
                                         r"rows \[1\]"):
        btyd.fit_bgnbd(bad)
    # without a recorded unit the bound is one purchase a day of a year-long period
    plain = pd.DataFrame({"frequency": [1e6, 1], "recency": [38.0, 3.0], "T": [39.0, 10.0]})
    with pytest.raises(ValueError, match=r"is more than 366 repeat purchases per period"):
        btyd.fit_bgnbd(plain)


@pytest.mark.parametrize("change, message", [
    ({"recency": [0.0, 0.0, 5.0]},
     r"column 'frequency' is > 0 for customers with 'recency' 0.*got 1.0 at rows \[0\]"),
    ({"frequency": [1, 0, 50], "recency": [3.0, 0.0, 0.1]},
     r"column 'frequency' is more than 366 repeat purchases.*got 50.0 at rows \[2\]"),
    ({"T": [10.0, float("inf"), 6.0]}, r"column 'T' must be finite; got inf at rows \[1\]"),
    ({"frequency": [1, 0, "two"]}, r"column 'frequency' must be numeric; got 'two' at rows \[2\]"),
    ({"frequency": pd.array([1, pd.NA, 2], dtype="Int64")},
     r"column 'frequency' has missing values \(NaN\) at rows \[1\]"),
])
def test_impossible_histories_are_rejected(change, message):
    with pytest.raises(ValueError, match="btyd.fit_bgnbd: " + message):
        btyd.fit_bgnbd(pd.DataFrame({**GOOD, **change}))


def test_bgnbd_recency_equal_to_T_for_every_repeat_buyer_is_a_fit_error(cbs):
    # the case: the CDNOW table with each repeat buyer's last purchase moved to T
    data = cbs.assign(recency=np.where(cbs["frequency"] > 0, cbs["T"], 0.0))
    with pytest.raises(FitError, match=r"every repeat buyer \(946 rows\).*no sign of drop-out"
                                       r".*longer calibration period"):
        btyd.fit_bgnbd(data)


def test_repeat_purchase_table_rejects_missing_customer_ids():
    log = pd.DataFrame({"customer_id": [1, np.nan, 2, None], "amount": [1.0, 2.0, 3.0, 4.0],
                        "date": ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"]})
    with pytest.raises(ValueError, match=r"btyd.repeat_purchase_table: column 'customer_id' has "
                                         r"missing customer ids; got nan at rows \[1, 3\]"):
        btyd.repeat_purchase_table(log, calibration_end="2024-01-10")


def test_repeat_purchase_table_rejects_infinite_amounts_and_mixed_ids():
    log = pd.DataFrame({"customer_id": [1, 1, 2], "amount": [1.0, np.inf, 3.0],
                        "date": ["2024-01-01", "2024-01-02", "2024-01-03"]})
    with pytest.raises(ValueError, match=r"column 'amount' must be finite; got inf at rows \[1\]"):
        btyd.repeat_purchase_table(log, calibration_end="2024-01-10")
    mixed = log.assign(amount=1.0, customer_id=pd.Series([1, "1", 2], dtype=object))
    with pytest.raises(ValueError, match=r"column 'customer_id' mixes id types \['int', 'str'\]: "
                                         r"'1' at rows \[1\] is text"):
        btyd.repeat_purchase_table(mixed, calibration_end="2024-01-10")


def test_integer_and_time_zone_dates_give_the_same_table(log, cbs):
    as_numbers = log.assign(date=log["date"].dt.strftime("%Y%m%d").astype(int))
    table = btyd.repeat_purchase_table(as_numbers, customer="sample_id", amount="dollars",
                                       calibration_end=19970930, holdout_end="1998-06-30")
    pd.testing.assert_frame_equal(table, cbs)
    zoned = log.assign(date=log["date"].dt.tz_localize("Asia/Shanghai"))
    table = btyd.repeat_purchase_table(zoned, customer="sample_id", amount="dollars",
                                       calibration_end=pd.Timestamp("1997-09-30", tz="UTC"),
                                       holdout_end="1998-06-30")
    pd.testing.assert_frame_equal(table, cbs)
    with pytest.raises(ValueError, match=r"column 'date' has numbers that are not dates, e.g. 123 at "
                                         r"rows \[0, 1, 2, 3, 4\] and 6914 more"):
        btyd.repeat_purchase_table(as_numbers.assign(date=123), customer="sample_id",
                                   amount="dollars", calibration_end="1997-09-30")


def test_a_days_table_records_its_unit_and_the_fit_refuses_weeks(log, cbs, fit):
    days = btyd.repeat_purchase_table(log, customer="sample_id", amount="dollars",
                                      calibration_end="1997-09-30", unit="days")
    assert days.attrs[btyd.UNIT_ATTR] == "days" and cbs.attrs[btyd.UNIT_ATTR] == "weeks"
    by_day = btyd.fit_bgnbd(days)
    assert by_day.unit == "days" and fit.unit == "weeks"
    with pytest.raises(ValueError, match=r"fitted in weeks"):
        fit.p_alive(days)
    with pytest.raises(ValueError, match=r"unit='weeks' but `data` counts time in days"):
        btyd.fit_bgnbd(days, unit="weeks")


def test_cumulative_tracking_takes_the_unit_of_the_fit(log, cbs, fit):
    with pytest.raises(ValueError, match=r"unit='days' but the fit and table count time in weeks"):
        btyd.cumulative_tracking(fit, log, cbs, customer="sample_id", unit="days")
    with pytest.raises(ValueError, match=r"periods must be a whole number in \[1, 10000\]"):
        btyd.cumulative_tracking(fit, log, cbs, customer="sample_id", periods=10**6)


def test_fits_are_checked_when_passed(cbs):
    with pytest.raises(ValueError, match=r"fit must be a BGNBDFit from btyd.fit_bgnbd"):
        btyd.holdout_check("fit", cbs)
    with pytest.raises(ValueError, match=r"start must be 4 positive numbers"):
        btyd.fit_bgnbd(pd.DataFrame(GOOD), start=[1, -1, 1, 1])
    with pytest.raises(ValueError, match=r"parameters r, alpha, a, b must be positive finite"):
        at({"r": 0.2, "alpha": np.nan, "a": 0.8, "b": 2.4}).p_alive(pd.DataFrame(GOOD))


# ---- properties for valid parameters and customers
params = st.fixed_dictionaries({"r": st.floats(0.05, 5), "alpha": st.floats(0.1, 50),
                                "a": st.floats(0.05, 5).filter(lambda a: abs(a - 1) > 1e-3),
                                "b": st.floats(0.05, 10)})


@settings(max_examples=80, deadline=None)
@given(p=params, data=customers(), t=st.floats(0, 104))
def test_p_alive_and_expected_purchases_are_valid_for_any_parameters(p, data, t):
    model = at(p)
    alive = model.p_alive(data)
    assert ((alive >= 0) & (alive <= 1)).all()
    assert (alive[data["frequency"] == 0] == 1).all()
    expected = model.conditional_expected_purchases(data, t)
    assert np.isfinite(expected).all() and (expected >= 0).all()
    later = model.conditional_expected_purchases(data, t + 1)
    assert (later >= expected - 1e-9).all()
    new = model.expected_purchases([t, t + 1])
    assert np.isfinite(new).all() and 0 <= new[0] <= new[1] + 1e-12


# ---- fuzz: every public function and method, correct or clear error
PREFIXES = ("btyd.", "BGNBDFit.")


def correct_or_clear(call, *, columns=None):
    return finite_or_clear(call, PREFIXES, columns=columns)


@settings(max_examples=60, deadline=None)
@given(data=mutated(VALID_TABLE, TABLE), log_=mutated(VALID_LOG, LOG), t=SCALARS, top=SCALARS,
       periods=SCALARS, unit=st.sampled_from([None, "weeks", "days", "hours", ["weeks"]]),
       cal_end=st.sampled_from(["1997-02-15", 19970215, None, "soon", "1996-01-01",
                                pd.Timestamp("1997-02-15", tz="UTC"), [1]]))
def test_fuzz_every_btyd_function_is_correct_or_clear(data, log_, t, top, periods, unit,
                                                      cal_end):
    model = at(PAPER)
    correct_or_clear(lambda: btyd.repeat_purchase_table(log_, calibration_end=cal_end,
                                                        holdout_end="1997-06-30", unit=unit),
                     columns=["frequency", "recency", "T", "frequency_holdout"])
    correct_or_clear(lambda: btyd.repeat_purchase_table(log_, calibration_end="1997-02-15",
                                                        amount=None),
                     columns=["frequency", "recency", "T"])
    correct_or_clear(lambda: btyd.cdnow_table(cal_end), columns=["frequency", "recency", "T"])
    fitted = correct_or_clear(lambda: btyd.fit_bgnbd(data, unit=unit))
    if fitted is not None:
        assert np.isfinite(fitted.params).all() and np.isfinite(fitted.se).all()
        assert np.isfinite(fitted.log_likelihood) and fitted.hessian_ok
    correct_or_clear(lambda: model.p_alive(data))
    correct_or_clear(lambda: model.conditional_expected_purchases(data, t))
    correct_or_clear(lambda: model.expected_purchases(t))
    correct_or_clear(lambda: btyd.holdout_check(model, data, top=top))
    correct_or_clear(lambda: btyd.cumulative_tracking(model, log_, data, periods=periods))


def test_fuzz_covers_every_public_function_and_method_of_btyd():
    import inspect
    source = inspect.getsource(test_fuzz_every_btyd_function_is_correct_or_clear)
    functions = {n for n in btyd.__all__ if inspect.isfunction(getattr(btyd, n))}
    assert functions == {"repeat_purchase_table", "cdnow_table", "fit_bgnbd", "holdout_check",
                         "cumulative_tracking"}
    assert {n for n in functions if f"btyd.{n}(" not in source} == set()
    methods = {n for n, v in vars(BGNBDFit).items() if inspect.isfunction(v)
               and not n.startswith("_")}
    assert methods and {n for n in methods if f"model.{n}(" not in source} == set()


# ---- issue 10, section 2: chapter 4's corrected numbers, recomputed
def p_alive_grid(fit):
    recencies = np.arange(0, 39, 2.0)
    return pd.DataFrame(
        [fit.p_alive(pd.DataFrame({"frequency": x, "recency": recencies if x else 0 * recencies,
                                   "T": 38.86})).to_numpy() for x in range(0, 16)],
        index=range(16), columns=recencies.astype(int))


def test_frequency_paradox_holds_only_for_long_silences(fit):
    grid = p_alive_grid(fit)
    assert (grid.loc[0] == 1.0).all()                           # x = 0: cannot have dropped out
    assert grid.loc[[1, 5, 10], 20].round(2).tolist() == [0.60, 0.29, 0.04]      # paradox
    assert grid.loc[[1, 5, 10], 38].round(2).tolist() == [0.75, 0.88, 0.92]      # reversed
    assert grid.loc[[1, 7, 15], 34].round(2).tolist() == [0.73, 0.82, 0.77]      # peak at 7
    assert grid.loc[1:, 34].idxmax() == 7
    steps = grid.loc[1:].diff().iloc[1:]
    assert [c for c in grid.columns if (steps[c] < 0).all()] == list(range(0, 27, 2))
    assert [c for c in grid.columns if (steps[c] > 0).all()] == [38]
    silent = pd.DataFrame({"frequency": [0], "recency": [0.0], "T": [38.86]})
    assert round(fit.conditional_expected_purchases(silent, 39).iloc[0], 2) == 0.19
