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
