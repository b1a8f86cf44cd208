"""crmlab.clv: the courseware's CLV formulas (seed 002 F4-F9, §4.3), recomputed."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import crmlab
from crmlab import clv


def flows(T=3, q=500.0, c=200.0):
    return pd.DataFrame({"t": range(1, T + 1), "Q": [q] * T, "C": [c] * T})


def test_individual_clv_is_the_discounted_sum():
    by_hand = sum(300 / 1.08 ** t for t in (1, 2, 3))
    assert clv.individual_clv(flows(), discount=0.08) == pytest.approx(by_hand)
    table = clv.clv_table(flows(), discount=0.08)
    assert table["cumulative_pv"].iloc[-1] == pytest.approx(by_hand)


def test_net_reading_of_q_ignores_c():
    gross = clv.individual_clv(flows(), discount=0.1)
    net = clv.individual_clv(flows(), discount=0.1, revenue_is_net=True)
    assert net - gross == pytest.approx(sum(200 / 1.1 ** t for t in (1, 2, 3)))


@pytest.mark.parametrize("change, message", [
    ({"t": [0, 1, 2]}, r"column 't' must be whole periods 1, 2, …; got 0.0 at rows \[0\]"),
    ({"t": [1, 1, 2]}, r"column 't' has repeated periods; got 1.0 at rows \[1\]"),
    ({"C": [200.0, -1.0, 200.0]}, r"column 'C' must be >= 0; got -1.0 at rows \[1\]"),
    ({"Q": [500.0, np.nan, 500.0]}, r"column 'Q' has missing values \(NaN\) at rows \[1\]"),
])
def test_bad_cashflows(change, message):
    with pytest.raises(ValueError, match=message):
        clv.clv_table(flows().assign(**change), discount=0.1)


def test_discount_outside_0_1():
    with pytest.raises(ValueError, match=r"discount must be a number in \(0, 1\); got 10"):
        clv.clv_table(flows(), discount=10)


def test_two_firms_match_the_courseware():
    firms = clv.churn_table(crmlab.load_dataset("two_firms_churn"))
    assert firms["churn_rate"].tolist() == firms["churn_rate_stated"].tolist() == [0.2, 0.1]
    assert firms["lifetime_years"].tolist() == firms["lifetime_years_stated"].tolist() == [5, 10]
    assert firms["replacements_per_year"].tolist() == firms["new_needed_stated"].tolist() == [20, 10]
    # F8 applied to the two firms: group churn loss 2 : 1 whatever V_k is
    assert clv.base_churn_cost(100, 0.2, 777.0) / clv.base_churn_cost(100, 0.1, 777.0) == 2


def test_churn_table_rejects_impossible_counts():
    with pytest.raises(ValueError, match=r"column 'lost_per_year' must be between 0 and 'customers'.*got 0 at rows \[1\]"):
        clv.churn_table(pd.DataFrame({"customers": [100, 100], "lost_per_year": [20, 0]}))


def test_group_clv_annuity_and_rounded_sums():
    assert clv.group_clv(1000, 0.2, 0.1) == pytest.approx(1000 * (1 - 1.1 ** -5) / 0.1)
    assert clv.group_clv(1000, 0.2, 0.1, lifetime="floor") == pytest.approx(clv.group_clv(1000, 0.2, 0.1))
    table = clv.group_clv_methods(1000, 0.3, 0.1)
    assert table["years"].round(3).tolist() == [3.333, 3.0, 3.0, 4.0]
    assert table.loc["ceil", "value"] > table.loc["annuity", "value"] > table.loc["floor", "value"]


@given(r=st.floats(0.02, 0.98), i=st.floats(0.01, 0.5))
def test_annuity_lies_between_floor_and_ceil(r, i):
    t = clv.group_clv_methods(100.0, r, i)["value"]
    assert t["floor"] - 1e-9 <= t["annuity"] <= t["ceil"] + 1e-9


def test_churn_costs():
    assert clv.churn_cost(300, 2000, 800) == 1500
    assert clv.churn_cost(300, 2000, 800, include_sunk=False) == 1200
    with pytest.raises(ValueError, match=r"churn \(r_L\) must be a number in \(0, 1\); got 1.2"):
        clv.base_churn_cost(100, 1.2, 10)


def test_quadrants_follow_the_courseware_diagram():
    people = pd.DataFrame({"current_value": [900, 100, 900, 100],
                           "future_value": [900, 900, 100, 100]})
    out = clv.clv_quadrants(people, current_threshold=500, future_threshold=500)
    assert out["quadrant"].tolist() == ["贵宾型", "改进型", "维持型", "放弃型"]
    assert out["alias"].str.contains("MVC|MGC|Below-Zero|ordinary").all()


def test_lifecycle_profit_two_schemes_differ():
    table = clv.lifecycle_profit({"基本利润": 1000, "获取成本": 300}, scheme="2.2.3")
    assert table.loc["合计 total", "contribution"] == 700
    with pytest.raises(ValueError, match="'获取成本' is not a component of scheme 'diagram'"):
        clv.lifecycle_profit({"获取成本": 300}, scheme="diagram")
    assert set(clv.LIFECYCLE_ITEMS["2.2.3"]) != set(clv.LIFECYCLE_ITEMS["diagram"])
