"""crmlab.clv: the courseware's CLV formulas (seed 002 F4-F9, §4.3), recomputed."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import finite_or_clear

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


# ---- issue 9, section 4
def test_group_clv_methods_with_a_tiny_churn_rate_does_not_loop():
    import time
    began = time.perf_counter()
    table = clv.group_clv_methods(1000, 1e-9, 0.1)          # T = a billion years
    assert time.perf_counter() - began < 0.5
    assert table["value"].to_numpy() == pytest.approx([10000.0] * 4)   # A / i, the perpetuity
    assert table.loc["floor", "years"] == 1e9


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
@given(r=st.floats(0.002, 0.98), i=st.floats(0.001, 0.5), a=st.floats(-1e4, 1e4))
def test_group_clv_closed_forms_equal_the_courseware_sums(r, i, a):
    for rule in ("floor", "round", "ceil"):
        n = int(clv.group_clv_methods(a, r, i).loc[rule, "years"])
        by_hand = sum(a * (1 + i) ** -t for t in range(1, n + 1))
        assert clv.group_clv(a, r, i, lifetime=rule) == pytest.approx(by_hand, rel=1e-9,
                                                                      abs=1e-9)


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


@given(n=st.lists(st.integers(2, 10**6), min_size=1, max_size=5), share=st.floats(0.001, 0.999))
def test_churn_table_identities(n, share):
    lost = [min(max(1, round(k * share)), k - 1) for k in n]
    table = clv.churn_table(pd.DataFrame({"customers": n, "lost_per_year": lost}))
    assert (table["churn_rate"] * table["lifetime_years"]).to_numpy() == pytest.approx(1.0)
    assert (table["replacements_per_year"] == table["lost_per_year"]).all()
    assert ((table["churn_rate"] > 0) & (table["churn_rate"] < 1)).all()


# ---- fuzz: every public function, correct or clear error
PREFIXES = ("clv.",)
NASTY = [np.nan, np.inf, -np.inf, -1, 0, 1e300, "x", "", None, pd.NA, True, 2.5, 10**12]
SCALARS = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**6, 10**6),
                    st.floats(0, 1), st.sampled_from([None, "0.1", True, [0.1], pd.NA, 1e-9,
                                                      np.float64(0.3), 1 + 1j]))


@st.composite
def frames(draw, clean, columns):
    """A valid frame, one with a nasty cell, or one of nasty cells; nullable/object dtypes."""
    frame = draw(clean).copy()
    mode = draw(st.sampled_from(["clean", "one", "many"]))
    if mode != "clean" and len(frame):
        for _ in range(1 if mode == "one" else 4):
            column = draw(st.sampled_from(list(frame.columns)))
            frame[column] = frame[column].astype(object)
            frame.iloc[draw(st.integers(0, len(frame) - 1)),
                       frame.columns.get_loc(column)] = draw(st.sampled_from(NASTY))
    if len(frame) > 1 and draw(st.booleans()):
        frame.index = [3] * len(frame)
    if draw(st.booleans()):
        for column in frame.select_dtypes("number").columns:
            frame[column] = frame[column].astype("Float64")
    if draw(st.integers(0, 9)) == 0:
        frame = frame.iloc[:0]
    if draw(st.integers(0, 9)) == 0:
        frame = frame.drop(columns=draw(st.sampled_from(columns)))
    if draw(st.integers(0, 19)) == 0:
        return draw(st.sampled_from([None, [1, 2], "table"]))
    return frame


CASHFLOWS = st.integers(1, 6).flatmap(lambda n: st.builds(
    lambda q, c: pd.DataFrame({"t": range(1, n + 1), "Q": q, "C": c}),
    st.lists(st.floats(-1e3, 1e4), min_size=n, max_size=n),
    st.lists(st.floats(0, 1e3), min_size=n, max_size=n)))
FIRMS = st.lists(st.integers(2, 1000), min_size=1, max_size=4).map(
    lambda n: pd.DataFrame({"customers": n, "lost_per_year": [max(1, k // 3) for k in n]}))
PEOPLE = st.lists(st.tuples(st.floats(-1e4, 1e4), st.floats(-1e4, 1e4)), min_size=1,
                  max_size=6).map(lambda v: pd.DataFrame(v, columns=["current_value",
                                                                       "future_value"]))
AMOUNTS = st.one_of(
    st.dictionaries(st.sampled_from(list(clv.LIFECYCLE_ITEMS["2.2.3"]) + ["其他"]),
                    st.one_of(st.floats(0, 1e4), SCALARS), max_size=4),
    st.sampled_from([None, [("基本利润", 1)], "基本利润"]))


def correct_or_clear(call, *, columns=None):
    return finite_or_clear(call, PREFIXES, columns=columns)


@settings(max_examples=80, deadline=None)
@given(cash=frames(CASHFLOWS, ["t", "Q", "C"]), firms=frames(FIRMS, ["customers"]),
       people=frames(PEOPLE, ["future_value"]), a=SCALARS, b=SCALARS, c=SCALARS,
       amounts=AMOUNTS, flag=st.sampled_from([True, False, "yes", None]),
       rule=st.sampled_from(["annuity", "floor", "round", "ceil", "nearest", None]),
       scheme=st.sampled_from(["2.2.3", "diagram", "2024", None]))
def test_fuzz_every_clv_function_is_correct_or_clear(cash, firms, people, a, b, c, amounts, flag,
                                                     rule, scheme):
    correct_or_clear(lambda: clv.clv_table(cash, discount=b, revenue_is_net=flag))
    correct_or_clear(lambda: clv.individual_clv(cash, discount=b))
    correct_or_clear(lambda: clv.churn_table(firms),
                     columns=["churn_rate", "lifetime_years", "replacements_per_year"])
    correct_or_clear(lambda: clv.group_clv(a, b, c, lifetime=rule))
    correct_or_clear(lambda: clv.group_clv_methods(a, b, c))
    correct_or_clear(lambda: clv.group_clv_summary(a, b, c, b))
    correct_or_clear(lambda: clv.expected_group_clv(a, b, c))
    correct_or_clear(lambda: clv.lifetime_value_gap(a, b, c).drop("overstatement"))
    correct_or_clear(lambda: clv.churn_cost(a, b, c, include_sunk=flag))
    correct_or_clear(lambda: clv.base_churn_cost(a, b, c))
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


def test_group_clv_summary_reproduces_the_courseware_firms():
    # Courseware F6: 100 customers losing 20 a year live 5 years and need 20 replacements;
    # V_{q,l} = N·r_L·V_k with V_k the annuity value of 5 years of margin.
    s = clv.group_clv_summary(100, 0.2, 100.0, 0.1)
    annuity = 100 * (1 - 1.1 ** -5) / 0.1
    assert s["lifetime_years"] == 5 and s["lost_per_year"] == 20
    assert s["clv_annuity"] == pytest.approx(annuity)
    assert s["group_churn_cost"] == pytest.approx(100 * 0.2 * annuity)
    with pytest.raises(ValueError, match=r"clv.group_clv_summary: discount"):
        clv.group_clv_summary(100, 0.2, 100.0, 1.5)


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
    gap = clv.lifetime_value_gap(100, 0.2, 0.1)
    assert gap["mean_lifetime"] == 5
    assert round(gap["value_at_mean_lifetime"], 2) == 379.08             # 100·(1 − 1.1^-5)/0.1
    assert round(gap["expected_value"], 2) == 333.33                      # 100 / (0.1 + 0.2)
    assert gap["expected_value"] == pytest.approx(_expected_by_simulation_of_the_sum(100, 0.2, 0.1))
    assert round(gap["overstatement"], 4) == 0.1372                      # 13.7%
    firm2 = clv.lifetime_value_gap(100, 0.1, 0.1)
    assert (round(firm2["value_at_mean_lifetime"], 2), round(firm2["expected_value"], 2),
            round(firm2["overstatement"], 4)) == (614.46, 500.0, 0.2289)    # 22.9%
    # the expectation is the Fader–Hardie "end of period, certain" formula m/(1+d−r), r = 1 − r_L
    from crmlab import retention
    assert gap["expected_value"] == pytest.approx(
        retention.clv_conventions(100, 0.8, 0.1).loc["end of period", "clv"])
    s = clv.group_clv_summary(100, 0.2, 100.0, 0.1)
    assert s["clv_expected"] == pytest.approx(100 / 0.3)


@given(r=st.floats(1e-6, 0.999), i=st.floats(1e-4, 0.99), a=st.floats(1.0, 1e4))
def test_value_at_the_mean_lifetime_is_never_below_the_expectation(r, i, a):
    at_mean = clv.group_clv(a, r, i)
    expected = clv.expected_group_clv(a, r, i)
    assert at_mean >= expected * (1 - 1e-12)                # Jensen: the annuity is concave
    assert clv.lifetime_value_gap(a, r, i)["overstatement"] >= -1e-12


@given(r=st.floats(0.02, 0.98), i=st.floats(0.01, 0.5))
def test_expected_group_clv_is_the_expectation_over_geometric_lifetimes(r, i):
    assert clv.expected_group_clv(100.0, r, i) == pytest.approx(
        _expected_by_simulation_of_the_sum(100.0, r, i), rel=1e-9)


def test_expected_group_clv_bad_input_is_an_input_error():
    with pytest.raises(crmlab.InputError, match=r"clv.expected_group_clv: churn must be at least"):
        clv.expected_group_clv(100, 1e-13, 0.1)
    with pytest.raises(crmlab.InputError, match=r"clv.lifetime_value_gap: discount must be a number"):
        clv.lifetime_value_gap(100, 0.2, 1.5)


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
