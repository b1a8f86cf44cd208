"""crmlab.group_clv: the courseware's customer base (seed 002 F6-F8, §4.3), recomputed: churn
rate and lifetime, the group CLV and its expectation under geometric lifetimes, churn cost."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import CLV_SCALARS, finite_or_clear, spoiled_frames

import crmlab
from crmlab import group_clv


def test_two_firms_match_the_courseware():
    firms = group_clv.churn_table(crmlab.load_dataset("two_firms_churn"))
    assert firms["churn_rate"].tolist() == firms["churn_rate_stated"].tolist() == [0.2, 0.1]
    assert firms["lifetime_years"].tolist() == firms["lifetime_years_stated"].tolist() == [5, 10]
    assert firms["replacements_per_year"].tolist() == firms["new_needed_stated"].tolist() == [20, 10]
    # F8 applied to the two firms: group churn loss 2 : 1 whatever V_k is
    assert group_clv.base_churn_cost(100, 0.2, 777.0) / group_clv.base_churn_cost(100, 0.1, 777.0) == 2


def test_churn_table_rejects_impossible_counts():
    with pytest.raises(ValueError, match=r"column 'lost_per_year' must be between 0 and 'customers'.*got 0 at rows \[1\]"):
        group_clv.churn_table(pd.DataFrame({"customers": [100, 100], "lost_per_year": [20, 0]}))
    with pytest.raises(ValueError, match=r"^group_clv.churn_table: `data` has no rows; give at "
                                         r"least one.$"):
        group_clv.churn_table(pd.DataFrame({"customers": [], "lost_per_year": []}))
    with pytest.raises(crmlab.InputError, match=r"^group_clv.churn_cost: include_sunk must be True "
                                                r"or False; got 'no'.$"):
        group_clv.churn_cost(300, 2000, 800, include_sunk="no")
def test_group_clv_annuity_and_rounded_sums():
    assert group_clv.group_clv(1000, 0.2, 0.1) == pytest.approx(1000 * (1 - 1.1 ** -5) / 0.1)
    assert group_clv.group_clv(1000, 0.2, 0.1, lifetime="floor") == pytest.approx(group_clv.group_clv(1000, 0.2, 0.1))
    table = group_clv.group_clv_methods(1000, 0.3, 0.1)
    assert table["years"].round(3).tolist() == [3.333, 3.0, 3.0, 4.0]
    assert table.loc["ceil", "value"] > table.loc["annuity", "value"] > table.loc["floor", "value"]


@given(r=st.floats(0.02, 0.98), i=st.floats(0.01, 0.5))
def test_annuity_lies_between_floor_and_ceil(r, i):
    t = group_clv.group_clv_methods(100.0, r, i)["value"]
    assert t["floor"] - 1e-9 <= t["annuity"] <= t["ceil"] + 1e-9


def test_churn_costs():
    assert group_clv.churn_cost(300, 2000, 800) == 1500
    assert group_clv.churn_cost(300, 2000, 800, include_sunk=False) == 1200
    with pytest.raises(ValueError, match=r"churn \(r_L\) must be a number in \(0, 1\); got 1.2"):
        group_clv.base_churn_cost(100, 1.2, 10)


# ---- issue 9, section 4
def test_group_clv_methods_with_a_tiny_churn_rate_does_not_loop():
    import time
    began = time.perf_counter()
    table = group_clv.group_clv_methods(1000, 1e-9, 0.1)          # T = a billion years
    assert time.perf_counter() - began < 0.5
    assert table["value"].to_numpy() == pytest.approx([10000.0] * 4)   # A / i, the perpetuity
    assert table.loc["floor", "years"] == 1e9


@given(r=st.floats(0.002, 0.98), i=st.floats(0.001, 0.5), a=st.floats(-1e4, 1e4))
def test_group_clv_closed_forms_equal_the_courseware_sums(r, i, a):
    for rule in ("floor", "round", "ceil"):
        n = int(group_clv.group_clv_methods(a, r, i).loc[rule, "years"])
        by_hand = sum(a * (1 + i) ** -t for t in range(1, n + 1))
        assert group_clv.group_clv(a, r, i, lifetime=rule) == pytest.approx(by_hand, rel=1e-9,
                                                                      abs=1e-9)


@given(n=st.lists(st.integers(2, 10**6), min_size=1, max_size=5), share=st.floats(0.001, 0.999))
def test_churn_table_identities(n, share):
    lost = [min(max(1, round(k * share)), k - 1) for k in n]
    table = group_clv.churn_table(pd.DataFrame({"customers": n, "lost_per_year": lost}))
    assert (table["churn_rate"] * table["lifetime_years"]).to_numpy() == pytest.approx(1.0)
    assert (table["replacements_per_year"] == table["lost_per_year"]).all()
    assert ((table["churn_rate"] > 0) & (table["churn_rate"] < 1)).all()


# ---- fuzz: every public function, correct or clear error
PREFIXES = ("group_clv.",)
FIRMS = st.lists(st.integers(2, 1000), min_size=1, max_size=4).map(
    lambda n: pd.DataFrame({"customers": n, "lost_per_year": [max(1, k // 3) for k in n]}))


def correct_or_clear(call, *, columns=None):
    return finite_or_clear(call, PREFIXES, columns=columns)


@settings(max_examples=80, deadline=None)
@given(firms=spoiled_frames(FIRMS, ["customers"]), a=CLV_SCALARS, b=CLV_SCALARS, c=CLV_SCALARS,
       flag=st.sampled_from([True, False, "yes", None]),
       rule=st.sampled_from(["annuity", "floor", "round", "ceil", "nearest", None]))
def test_fuzz_every_group_clv_function_is_correct_or_clear(firms, a, b, c, flag, rule):
    correct_or_clear(lambda: group_clv.churn_table(firms),
                     columns=["churn_rate", "lifetime_years", "replacements_per_year"])
    correct_or_clear(lambda: group_clv.group_clv(a, b, c, lifetime=rule))
    correct_or_clear(lambda: group_clv.group_clv_methods(a, b, c))
    correct_or_clear(lambda: group_clv.group_clv_summary(a, b, c, b))
    correct_or_clear(lambda: group_clv.expected_group_clv(a, b, c))
    correct_or_clear(lambda: group_clv.lifetime_value_gap(a, b, c).drop("overstatement"))
    correct_or_clear(lambda: group_clv.churn_cost(a, b, c, include_sunk=flag))
    correct_or_clear(lambda: group_clv.base_churn_cost(a, b, c))


def test_fuzz_covers_every_public_function_of_group_clv():
    import inspect
    source = inspect.getsource(test_fuzz_every_group_clv_function_is_correct_or_clear)
    public = {n for n in group_clv.__all__ if callable(getattr(group_clv, n))}
    assert {n for n in public if f"group_clv.{n}(" not in source} == set()


def test_group_clv_summary_reproduces_the_courseware_firms():
    # Courseware F6: 100 customers losing 20 a year live 5 years and need 20 replacements;
    # V_{q,l} = N·r_L·V_k with V_k the annuity value of 5 years of margin.
    s = group_clv.group_clv_summary(100, 0.2, 100.0, 0.1)
    annuity = 100 * (1 - 1.1 ** -5) / 0.1
    assert s["lifetime_years"] == 5 and s["lost_per_year"] == 20
    assert s["clv_annuity"] == pytest.approx(annuity)
    assert s["group_churn_cost"] == pytest.approx(100 * 0.2 * annuity)
    with pytest.raises(ValueError, match=r"group_clv.group_clv_summary: discount"):
        group_clv.group_clv_summary(100, 0.2, 100.0, 1.5)


# ---- issue 10, section 2: the group CLV at the mean lifetime is not the expected value
def _expected_by_simulation_of_the_sum(a, r, i, years=4000):
    """E[Σ_{t=1..L} a(1+i)^-t] with P(L = n) = r(1-r)^(n-1), summed over n term by term."""
    n = np.arange(1, years + 1)
    p = r * (1 - r) ** (n - 1)
    annuity = np.cumsum(a * (1 + i) ** -n.astype(float))
    return float((p * annuity).sum())


def test_courseware_group_clv_overstates_firm_1_by_13_7_percent():
    # Courseware two-firm example: firm 1 loses 20 of 100 a year (T = 5), firm 2 10 (T = 10);
    # 10% discount, margin 100 a year at the end of each year the customer is still there.
    gap = group_clv.lifetime_value_gap(100, 0.2, 0.1)
    assert gap["mean_lifetime"] == 5
    assert round(gap["value_at_mean_lifetime"], 2) == 379.08             # 100·(1 − 1.1^-5)/0.1
    assert round(gap["expected_value"], 2) == 333.33                      # 100 / (0.1 + 0.2)
    assert gap["expected_value"] == pytest.approx(_expected_by_simulation_of_the_sum(100, 0.2, 0.1))
    assert round(gap["overstatement"], 4) == 0.1372                      # 13.7%
    firm2 = group_clv.lifetime_value_gap(100, 0.1, 0.1)
    assert (round(firm2["value_at_mean_lifetime"], 2), round(firm2["expected_value"], 2),
            round(firm2["overstatement"], 4)) == (614.46, 500.0, 0.2289)    # 22.9%
    # the expectation is the Fader–Hardie "end of period, certain" formula m/(1+d−r), r = 1 − r_L
    from crmlab import retention
    assert gap["expected_value"] == pytest.approx(
        retention.clv_conventions(100, 0.8, 0.1).loc["end of period", "clv"])
    s = group_clv.group_clv_summary(100, 0.2, 100.0, 0.1)
    assert s["clv_expected"] == pytest.approx(100 / 0.3)


@given(r=st.floats(1e-6, 0.999), i=st.floats(1e-4, 0.99), a=st.floats(1.0, 1e4))
def test_value_at_the_mean_lifetime_is_never_below_the_expectation(r, i, a):
    at_mean = group_clv.group_clv(a, r, i)
    expected = group_clv.expected_group_clv(a, r, i)
    assert at_mean >= expected * (1 - 1e-12)                # Jensen: the annuity is concave
    assert group_clv.lifetime_value_gap(a, r, i)["overstatement"] >= -1e-12


@given(r=st.floats(0.02, 0.98), i=st.floats(0.01, 0.5))
def test_expected_group_clv_is_the_expectation_over_geometric_lifetimes(r, i):
    assert group_clv.expected_group_clv(100.0, r, i) == pytest.approx(
        _expected_by_simulation_of_the_sum(100.0, r, i), rel=1e-9)
def test_expected_group_clv_bad_input_is_an_input_error():
    with pytest.raises(crmlab.InputError, match=r"group_clv.expected_group_clv: churn must be at least"):
        group_clv.expected_group_clv(100, 1e-13, 0.1)
    with pytest.raises(crmlab.InputError, match=r"group_clv.lifetime_value_gap: discount must be a number"):
        group_clv.lifetime_value_gap(100, 0.2, 1.5)
