"""crmlab.clv: the courseware's CLV of one customer (seed 002 F4-F5, F9, §4.3), recomputed:
cash-flow CLV, the quadrants and lifecycle profit. The group CLV is tests/test_group_clv.py."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import CLV_SCALARS, finite_or_clear, spoiled_frames

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


def test_infinite_and_empty_tables_are_refused():
    with pytest.raises(ValueError, match=r"clv.clv_table: column 'Q' must be finite; got inf "
                                         r"at rows \[1\]"):
        clv.clv_table(flows().assign(Q=[500.0, np.inf, 500.0]), discount=0.1)
    with pytest.raises(ValueError, match=r"clv.clv_table: `cashflows` has no rows"):
        clv.clv_table(flows().iloc[:0], discount=0.1)
    with pytest.raises(ValueError, match=r"column 't' must be at most 1200 periods"):
        clv.clv_table(flows().assign(t=[1, 2, 10**9]), discount=0.1)
    with pytest.raises(ValueError, match=r"revenue_is_net must be True or False; got 'yes'"):
        clv.clv_table(flows(), discount=0.1, revenue_is_net="yes")
    with pytest.raises(ValueError, match=r"clv.clv_quadrants: column 'future_value' must be "
                                         r"finite; got -inf at rows \[0\]"):
        clv.clv_quadrants(pd.DataFrame({"current_value": [1.0], "future_value": [-np.inf]}))


# ---- properties
@given(q=st.lists(st.floats(0, 1e4), min_size=1, max_size=10), i=st.floats(0.01, 0.5),
       step=st.floats(0.001, 0.2))
def test_discounting_is_monotone(q, i, step):
    flows_ = pd.DataFrame({"t": range(1, len(q) + 1), "Q": q, "C": 0.0})
    table = clv.clv_table(flows_, discount=i)
    assert np.all(np.diff(table["discount_factor"]) < 0)            # later is worth less
    assert (table["present_value"] <= table["margin"] + 1e-9).all()
    assert table["cumulative_pv"].iloc[-1] == pytest.approx(table["present_value"].sum())
    more = clv.individual_clv(flows_, discount=min(i + step, 0.99))
    assert more <= clv.individual_clv(flows_, discount=i) + 1e-9


# ---- fuzz: every public function, correct or clear error
PREFIXES = ("clv.",)
CASHFLOWS = st.integers(1, 6).flatmap(lambda n: st.builds(
    lambda q, c: pd.DataFrame({"t": range(1, n + 1), "Q": q, "C": c}),
    st.lists(st.floats(-1e3, 1e4), min_size=n, max_size=n),
    st.lists(st.floats(0, 1e3), min_size=n, max_size=n)))
PEOPLE = st.lists(st.tuples(st.floats(-1e4, 1e4), st.floats(-1e4, 1e4)), min_size=1,
                  max_size=6).map(lambda v: pd.DataFrame(v, columns=["current_value",
                                                                       "future_value"]))
AMOUNTS = st.one_of(
    st.dictionaries(st.sampled_from(list(clv.LIFECYCLE_ITEMS["2.2.3"]) + ["其他"]),
                    st.one_of(st.floats(0, 1e4), CLV_SCALARS), max_size=4),
    st.sampled_from([None, [("基本利润", 1)], "基本利润"]))


def correct_or_clear(call, *, columns=None):
    return finite_or_clear(call, PREFIXES, columns=columns)


@settings(max_examples=80, deadline=None)
@given(cash=spoiled_frames(CASHFLOWS, ["t", "Q", "C"]),
       people=spoiled_frames(PEOPLE, ["future_value"]), a=CLV_SCALARS, b=CLV_SCALARS,
       amounts=AMOUNTS, flag=st.sampled_from([True, False, "yes", None]),
       scheme=st.sampled_from(["2.2.3", "diagram", "2024", None]))
def test_fuzz_every_clv_function_is_correct_or_clear(cash, people, a, b, amounts, flag, scheme):
    correct_or_clear(lambda: clv.clv_table(cash, discount=b, revenue_is_net=flag))
    correct_or_clear(lambda: clv.individual_clv(cash, discount=b))
    correct_or_clear(lambda: clv.clv_quadrants(people, current_threshold=None,
                                               future_threshold=None if flag else a),
                     columns=["current_value", "future_value"])
    correct_or_clear(lambda: clv.lifecycle_profit(amounts, scheme=scheme),
                     columns=["contribution"])
def test_fuzz_covers_every_public_function_of_clv():
    import inspect
    source = inspect.getsource(test_fuzz_every_clv_function_is_correct_or_clear)
    public = {n for n in clv.__all__ if callable(getattr(clv, n))
              and not isinstance(getattr(clv, n), pd.DataFrame)}
    assert {n for n in public if f"clv.{n}(" not in source} == set()


def test_chapter_4_worked_lifecycle_profit():
    # Chapter 4 §7: amounts chosen by the chapter, in the courseware's 2.2.3 list
    table = clv.lifecycle_profit({"基本利润": 1000, "关联销售": 200, "成本节约": 100,
                                  "推荐价值": 150, "获取成本": 300, "价格优惠": 120,
                                  "推荐破坏成本": 50})
    assert table.loc["合计 total", "contribution"] == 980          # 1,450 − 470
    spread = pd.DataFrame({"t": range(1, 6), "Q": [980 / 5] * 5, "C": [0.0] * 5})
    assert round(clv.individual_clv(spread, discount=0.08)) == 783


def test_quadrants_carry_the_courseware_description_not_a_treatment():
    # lectures 2–4, ch. 4 §4.2.3: 维持型 = 普通客户, "有一定价值但数额较小"; no treatment column
    assert "treatment" not in clv.QUADRANTS.columns
    assert clv.QUADRANTS.loc["维持型", "courseware_name"] == "普通客户"
    assert "有一定价值但数额较小" in clv.QUADRANTS.loc["维持型", "description"]
    assert clv.QUADRANTS.loc["贵宾型", "alias"] == "Most Valuable Customer (MVC)"


def test_clv_re_exports_the_group_clv_names():
    # code written as clv.churn_table(...) before the split keeps working
    from crmlab import group_clv
    moved = [n for n in group_clv.__all__ if n not in clv.__all__]
    assert len(moved) == 9
    assert all(getattr(clv, n) is getattr(group_clv, n) for n in moved)
