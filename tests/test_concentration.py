"""crmlab.concentration against the courseware's Pareto examples (seed 002, §4.4) and recomputations."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import crmlab
from crmlab import concentration as conc


@pytest.mark.parametrize("population, consumption, intensity, digits, heavy_to_light", [
    (23, 81, 3.52, 2, 14.27),     # men, beer: 81/23
    (16, 62, 3.875, 3, 8.57),     # households, cake: 62/16
    (17, 79, 4.647, 3, 18.37),    # households, instant coffee: 79/17
    (20, 80, 4.0, 1, 16.0),       # the 80/20 reference
])
def test_courseware_pareto_examples(population, consumption, intensity, digits, heavy_to_light):
    # Seed 002 §4.4: intensity ratios to the digest's precision; heavy : light to 2 decimals.
    r = conc.intensity_ratio(population, consumption)
    assert round(r["intensity"], digits) == intensity
    assert round(r["heavy_to_light"], 2) == heavy_to_light


def test_gini_matches_the_mean_absolute_difference_formula():
    x = crmlab.rfm.customer_table(crmlab.load_dataset("cdnow_sample"), amount="dollars")["monetary_total"]
    v = x.to_numpy()
    direct = np.abs(v[:, None] - v[None, :]).sum() / (2 * len(v) ** 2 * v.mean())
    assert conc.gini(x) == pytest.approx(direct, rel=1e-12)


def test_top_share_equals_sorting_by_hand():
    x = crmlab.rfm.customer_table(crmlab.load_dataset("cdnow_master"), amount="dollars")["monetary_total"]
    top = np.sort(x.to_numpy())[::-1][: len(x) // 5]
    assert conc.top_share(x, len(top) / len(x)) == pytest.approx(top.sum() / x.sum())


def test_pareto_and_lorenz_curves_mirror_each_other():
    x = [1, 1, 2, 6]
    p, lz = conc.pareto_curve(x), conc.lorenz_curve(x)
    assert np.allclose(p["value_share"].to_numpy(), 1 - lz["value_share"].to_numpy()[::-1])


@pytest.mark.parametrize("a, b, expected", [
    (0.8, 0.95, ["A", "A", "B", "B", "C", "C"]),
    (0.5, 0.9, ["A", "B", "B", "C", "C", "C"]),
])
def test_abc_cutoffs_are_parameters(a, b, expected):
    assert conc.abc_classes([50, 30, 10, 5, 3, 2], a=a, b=b).tolist() == expected


@given(st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=1, max_size=50)
       .filter(lambda xs: sum(xs) > 0))
def test_gini_lies_between_0_and_1_minus_1_over_n(xs):
    assert -1e-12 <= conc.gini(xs) <= 1 - 1 / len(xs) + 1e-12


def test_bad_values_are_rejected():
    with pytest.raises(ValueError, match=r"values must be >= 0; got -3.0 at rows \[1\]"):
        conc.gini([1, -3])
    with pytest.raises(ValueError, match="need 0 < a < b <= 1"):
        conc.abc_classes([1, 2], a=0.9, b=0.8)
    with pytest.raises(ValueError, match="at least one positive"):
        conc.gini([0, 0])


# ---- fuzz: every public function gives a correct, finite answer or a clear error
from fractions import Fraction  # noqa: E402

import pandas as pd  # noqa: E402
from hypothesis import settings  # noqa: E402
from strategies import NOT_FRAMES, assert_finite, cells, columns, correct_or_clear  # noqa: E402

CONC_FUNCTIONS = ["abc_classes", "abc_summary", "gini", "intensity_ratio", "lorenz_curve", "pareto_curve",
                  "top_share"]
SHARE = st.one_of(st.floats(0, 100), st.sampled_from([0, 1, 100, -5, 101, np.nan, np.inf, "20",
                                                       None, True]))
CUT = st.one_of(st.floats(0, 1), st.sampled_from([0, 1, 1.5, -0.1, np.nan, "0.8", None]))
VALUES = st.one_of(
    columns(cells(st.one_of(st.floats(0, 1e6), st.sampled_from([0.0, 1e300, 5e-324])))),
    columns(cells(st.floats(0, 1e6))).map(lambda s: s.tolist()),
    columns(cells(st.floats(0, 1e6))).map(lambda s: s.to_numpy()),
    NOT_FRAMES, st.just(pd.DataFrame({"a": [1.0, 2.0]})), st.just(5.0))


def test_fuzz_covers_every_public_function_of_concentration():
    assert {n for n in conc.__all__ if callable(getattr(conc, n))} == set(CONC_FUNCTIONS)


@settings(max_examples=100, deadline=None)
@given(VALUES, CUT, CUT, CUT, SHARE, SHARE)
def test_fuzz_concentration_correct_or_clear(values, fraction, a, b, population, consumption):
    for name in ("pareto_curve", "lorenz_curve"):
        curve = correct_or_clear(f"concentration.{name}", lambda: getattr(conc, name)(values))
        if curve is not None:
            assert_finite(curve)
            assert curve["value_share"].is_monotonic_increasing
            assert curve.iloc[0].tolist() == [0.0, 0.0] and curve.iloc[-1].tolist() == [1.0, 1.0]
    g = correct_or_clear("concentration.gini", lambda: conc.gini(values))
    if g is not None:
        assert 0 <= g < 1
    share = correct_or_clear("concentration.top_share", lambda: conc.top_share(values, fraction))
    if share is not None:
        assert 0 <= share <= 1
    classes = correct_or_clear("concentration.abc_classes",
                               lambda: conc.abc_classes(values, a=a, b=b))
    if classes is not None:
        assert set(classes) <= {"A", "B", "C"} and classes.iloc[np.argmax(
            np.asarray(values, dtype=float))] == "A"
    summary = correct_or_clear("concentration.abc_summary",
                               lambda: conc.abc_summary(values, a=a, b=b))
    if summary is not None:
        assert_finite(summary)
        assert list(summary.index) == ["A", "B", "C"]
        assert summary["customers"].sum() == len(classes)
        assert summary["customer_share"].sum() == pytest.approx(1)
    ratio = correct_or_clear("concentration.intensity_ratio",
                             lambda: conc.intensity_ratio(population, consumption))
    assert_finite(ratio)


# ---- property: ABC classes, shares and Gini against exact fractions
WHOLE = st.lists(st.integers(0, 1000), min_size=1, max_size=40).filter(lambda xs: sum(xs) > 0)


@given(WHOLE, st.integers(1, 19), st.integers(1, 20))
def test_abc_classes_follow_the_cumulative_share_before_each_customer(xs, a20, b20):
    a, b = sorted((a20, b20))
    if a == b:
        b = a + 1
    a, b = a / 20, b / 20
    got = conc.abc_classes(xs, a=a, b=b).tolist()
    order = sorted(range(len(xs)), key=lambda k: -xs[k])       # stable: ties by position
    total, before = sum(xs), 0
    for k in order:
        share = Fraction(before, total)
        expected = "A" if share < Fraction(a).limit_denominator(20) else (
            "B" if share < Fraction(b).limit_denominator(20) else "C")
        assert got[k] == expected
        before += xs[k]
    rank = {"A": 0, "B": 1, "C": 2}
    assert all(rank[got[i]] <= rank[got[j]] for i in range(len(xs)) for j in range(len(xs))
               if xs[i] > xs[j])


@settings(deadline=None)   # exact Fractions over up to n² pairs: slow on a loaded machine
@given(WHOLE)
def test_gini_and_top_shares_are_exact(xs):
    n, total = len(xs), sum(xs)
    exact = Fraction(sum(abs(x - y) for x in xs for y in xs), 2 * n * total)
    assert conc.gini(xs) == pytest.approx(float(exact), abs=1e-12)
    top = sorted(xs, reverse=True)
    for k in range(n + 1):
        assert conc.top_share(xs, k / n) == pytest.approx(float(Fraction(sum(top[:k]), total)),
                                                          abs=1e-12)


# ---- issue 9, section 4: the cases seen
@pytest.mark.parametrize("func", [conc.gini, conc.pareto_curve, conc.lorenz_curve,
                                  conc.abc_classes, lambda v: conc.top_share(v, 0.2)])
def test_inf_is_refused_naming_the_rows(func):
    # Was: gini([1, inf]) returned NaN.
    with pytest.raises(ValueError, match=r"values must be finite; got inf at rows \[1\]"):
        func([1, np.inf])


def test_huge_values_do_not_overflow_the_shares():
    assert conc.gini([1e308, 1e308]) == 0.0
    assert conc.top_share([1e308, 1e308, 0, 0], 0.5) == 1.0
    assert conc.abc_classes([1e308, 1e308, 1.0]).tolist() == ["A", "A", "C"]


@pytest.mark.parametrize("values, message", [
    ([], r"concentration.gini: values must contain at least one positive number; got no values"),
    ([np.nan, 1], r"missing values \(NaN\) at rows \[0\]"),
    (pd.Series([1, None], dtype="Int64"), r"missing values \(NaN\) at rows \[1\]"),
    (["3", "x"], r"values must be numeric; got 'x' at rows \[1\]"),
    ([True, False], r"values must be numeric; got True at rows \[0, 1\]"),
    (pd.DataFrame({"a": [1]}), r"`values` must be one column of values, not a DataFrame"),
    (5, r"`values` must be a list, array or Series of values; got int"),
])
def test_bad_values_get_clear_errors(values, message):
    with pytest.raises(ValueError, match=message):
        conc.gini(values)


def test_nullable_object_and_repeated_index_values_are_fine():
    s = pd.Series([50, 30, 10, 5, 3, 2], index=list("aabbcc"), dtype="Int64")
    assert conc.abc_classes(s).tolist() == ["A", "A", "B", "B", "C", "C"]
    assert conc.abc_classes(s.astype(object)).index.tolist() == list("aabbcc")
    assert conc.gini(s.astype("Float64")) == conc.gini(s.astype(float).tolist())


@pytest.mark.parametrize("call, message", [
    (lambda: conc.top_share([1, 2], "0.2"), r"concentration.top_share: fraction must be a number "
                                            r"in \[0, 1\]; got '0.2'"),
    (lambda: conc.intensity_ratio(20, 100), r"concentration.intensity_ratio: shares must lie"),
    (lambda: conc.intensity_ratio(np.nan, 80), r"population_share must be a number"),
    (lambda: conc.abc_classes([1, 2], a="0.8"), r"concentration.abc_classes: a must be a number"),
])
def test_bad_parameters_get_clear_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_intensity_ratio_never_returns_inf():
    with pytest.raises(ValueError, match=r"concentration.intensity_ratio: population_share "
                                         r"5e-324 is too small"):
        conc.intensity_ratio(5e-324, 0.5)


@given(WHOLE, st.integers(1, 19))
def test_abc_summary_counts_and_shares_are_those_of_the_classes(xs, a20):
    a, b = a20 / 20, min(1.0, a20 / 20 + 0.05)
    classes = conc.abc_classes(xs, a=a, b=b)
    summary = conc.abc_summary(xs, a=a, b=b)
    total = sum(xs)
    for label in "ABC":
        members = [x for x, c in zip(xs, classes) if c == label]
        assert summary.loc[label, "customers"] == len(members)
        assert summary.loc[label, "value_share"] == pytest.approx(sum(members) / total)
