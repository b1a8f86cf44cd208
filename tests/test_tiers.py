"""crmlab.tiers: the customer pyramid, HSBC's tiers (lectures 2–4, ch. 4), the tiering index
(courseware ch. 3, §3 客户分级指标) and the key-customer matrix; properties and bad input."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import correct_or_clear

import crmlab
from crmlab import rfm, tiers

VALUES = st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=40)
RANK = {t: k for k, t in enumerate(tiers.PYRAMID_TIERS)}


# ---- the pyramid
def test_default_bands_put_20_30_30_20_percent_of_distinct_values_in_the_tiers():
    out = tiers.customer_pyramid(pd.DataFrame({"value": np.arange(100.0)}))
    assert out["tier"].value_counts().to_dict() == {"Platinum": 20, "Gold": 30, "Iron": 30,
                                                    "Lead": 20}
    assert out.loc[99, "tier"] == "Platinum" and out.loc[0, "tier"] == "Lead"
    assert tiers.PYRAMID_TIERS == ("Platinum", "Gold", "Iron", "Lead")


def test_the_pyramid_by_value_thresholds_makes_loss_makers_lead():
    d = pd.DataFrame({"profit": [-5.0, 0.0, 99.0, 100.0, 5000.0]})
    out = tiers.customer_pyramid(d, "profit", cutoffs=(5000, 100, 0), by="value")
    assert out["tier"].tolist() == ["Lead", "Iron", "Iron", "Gold", "Platinum"]


def test_the_pyramid_of_cdnow_revenue():
    # CDNOW, all 23,570 customers by revenue to 1998-06-30: the top 20% by count are
    # Platinum (ties at the cut join the better tier), recomputed with plain pandas
    table = rfm.customer_table(crmlab.load_dataset("cdnow_master"), amount="dollars")
    out = tiers.customer_pyramid(table.reset_index(), "monetary_total")
    revenue = np.sort(table["monetary_total"].to_numpy())
    higher = len(revenue) - np.searchsorted(revenue, table["monetary_total"], side="right")
    for tier, low, high in (("Platinum", 0, 0.2), ("Gold", 0.2, 0.5), ("Iron", 0.5, 0.8),
                            ("Lead", 0.8, 1.0)):
        expected = ((higher >= low * len(revenue)) & (higher < high * len(revenue))).sum()
        assert (out["tier"] == tier).sum() == expected
    summary = tiers.tier_summary(out["tier"], out["value"])
    assert summary["customers"].sum() == 23_570
    assert summary.loc["Platinum", "value_share"] > 0.5      # a few customers, most revenue


@given(VALUES, st.sampled_from([(0.2, 0.5, 0.8), (0.1, 0.3, 0.9), (0.05, 0.5, 0.95)]))
def test_a_higher_value_never_gets_a_lower_tier(values, cutoffs):
    out = tiers.customer_pyramid(pd.DataFrame({"value": values}), cutoffs=cutoffs)
    order = np.argsort(out["value"].to_numpy(), kind="stable")
    ranks = out["tier"].map(RANK).to_numpy()[order]
    assert (np.diff(ranks) <= 0).all()
    same = out.groupby("value")["tier"].nunique()
    assert (same == 1).all()                                 # equal values, one tier


@given(VALUES, st.floats(0.01, 100), st.floats(-1e3, 1e3))
def test_share_tiers_do_not_change_when_values_are_rescaled(values, scale, shift):
    base = tiers.customer_pyramid(pd.DataFrame({"value": values}))["tier"]
    moved = tiers.customer_pyramid(pd.DataFrame({"value": [v * scale + shift for v in values]}))
    # a rescaling that merges two floats (rounding) may only merge tiers upward
    assert (moved["tier"].map(RANK) <= base.map(RANK)).all()


@pytest.mark.parametrize("kwargs, message", [
    ({"cutoffs": (0.5, 0.2, 0.8)}, r"cutoffs with by='share' must be three shares"),
    ({"cutoffs": (0.2, 0.5)}, r"got \(0.2, 0.5\)"),
    ({"cutoffs": (0, 0.5, 0.8)}, r"strictly between 0 and 1"),
    ({"cutoffs": (0.2, 0.5, 1.2)}, r"got \(0.2, 0.5, 1.2\)"),
    ({"cutoffs": (0.2, np.nan, 0.8)}, r"cutoffs with by='share'"),
    ({"cutoffs": (True, 0.5, 0.8)}, r"cutoffs with by='share'"),
    ({"cutoffs": "0.2,0.5,0.8"}, r"cutoffs with by='share'"),
    ({"cutoffs": (0, 100, 5000), "by": "value"}, r"strictly decreasing"),
    ({"by": "rank"}, r"by must be one of \['share', 'value'\]; got 'rank'"),
])
def test_pyramid_refuses_bad_cutoffs(kwargs, message):
    with pytest.raises(ValueError, match=r"tiers.customer_pyramid: .*" + message):
        tiers.customer_pyramid(pd.DataFrame({"value": [1.0, 2.0]}), **kwargs)


@pytest.mark.parametrize("data, message", [
    (pd.DataFrame({"valu": [1]}), r"column 'value' is missing from `data`.*value='valu'"),
    (pd.DataFrame({"value": []}), r"`data` is empty"),
    (pd.DataFrame({"value": [1, "x"]}), r"column 'value' must be numeric; got 'x' at rows \[1\]"),
    (pd.DataFrame({"value": [1, np.nan]}), r"missing values \(NaN\) at rows \[1\]"),
    ([1, 2], r"`data` must be a pandas DataFrame"),
])
def test_pyramid_refuses_bad_data(data, message):
    with pytest.raises(ValueError, match=r"tiers.customer_pyramid: .*" + message):
        tiers.customer_pyramid(data)


# ---- HSBC (lectures 2–4, ch. 4, 案例 汇丰银行的客户区分)
def test_the_courseware_hsbc_tiers():
    assert [tiers.hsbc_tier(l, v) for l, v in [("high", "high"), ("low", "high"),
                                               ("high", "low"), ("low", "low")]] == list("ABCD")
    assert tiers.hsbc_tier(status="inactive") == "E" and tiers.hsbc_tier(status="prospect") == "F"
    assert tiers.hsbc_tier("高", "低") == "C" and tiers.hsbc_tier(True, False) == "C"
    names = tiers.HSBC_TIERS.set_index("tier")["name_zh"]
    assert names.to_dict() == {"A": "顶级", "B": "大中型", "C": "大中型", "D": "小型",
                               "E": "非活跃客户", "F": "可能客户"}
    assert (names == "大中型").sum() == 2                    # B and C share a name, as printed


def test_hsbc_tiers_of_a_table_and_its_errors_name_the_row():
    d = pd.DataFrame({"loyalty": ["low", "high"], "value": ["high", "medium"],
                      "status": ["active", "active"]}, index=["c1", "c2"])
    with pytest.raises(ValueError, match=r"tiers.hsbc_tiers: row 'c2': value must be 'high' or "
                                         r"'low' \(or True/False, 高/低\); got 'medium'"):
        tiers.hsbc_tiers(d)
    out = tiers.hsbc_tiers(d.iloc[:1])
    assert out.loc["c1"].tolist() == ["B", "大中型", "large/medium"]
    no_status = d.iloc[:1].drop(columns="status")
    assert tiers.hsbc_tiers(no_status, status=None)["tier"].tolist() == ["B"]


@pytest.mark.parametrize("args, kwargs, message", [
    (("medium", "high"), {}, r"loyalty must be 'high' or 'low'"),
    ((None, "high"), {}, r"loyalty must be 'high' or 'low'.*got None"),
    (("high", "high"), {"status": "sleeping"}, r"status must be one of"),
    (("high", 3), {}, r"value must be 'high' or 'low'"),
])
def test_hsbc_tier_refuses_unknown_levels(args, kwargs, message):
    with pytest.raises(ValueError, match=r"tiers.hsbc_tier: " + message):
        tiers.hsbc_tier(*args, **kwargs)


@given(st.sampled_from(["high", "low", "高", "低", True, False, "x", None, 1]),
       st.sampled_from(["high", "low", None, 0.5]),
       st.sampled_from(["active", "inactive", "prospect", "活跃", "?", None, [1], 3]))
def test_hsbc_tier_is_a_letter_or_a_clear_error(loyalty, value, status):
    tier = correct_or_clear("tiers.hsbc_tier", lambda: tiers.hsbc_tier(loyalty, value,
                                                                       status=status))
    assert tier is None or tier in "ABCDEF"


# ---- the weighted index (courseware ch. 3, §3 客户分级指标: 综合加权)
@pytest.fixture
def indicators():
    return pd.DataFrame({"order_amount": [100, 300, 200, 50],
                         "profit_contribution": [10, 20, 60, 5],
                         "credit_status": [3, 2, 1, 4], "prospects": [5, 1, 3, 2]})


def test_default_index_weights_the_four_courseware_indicators_equally(indicators):
    out = tiers.tiering_index(indicators)
    assert out.attrs["weights"] == dict.fromkeys(tiers.TIERING_INDICATORS, 0.25)
    by_hand = (np.array([50, 250, 150, 0]) / 250 + np.array([5, 15, 55, 0]) / 55
               + np.array([2, 1, 0, 3]) / 3 + np.array([4, 0, 2, 1]) / 4) / 4
    assert out["index"].to_numpy() == pytest.approx(by_hand)
    assert out["rank"].tolist() == list(pd.Series(by_hand).rank(ascending=False, method="min")
                                        .astype(int))


def test_index_scales(indicators):
    ranks = tiers.tiering_index(indicators, scale="rank")
    assert ranks["order_amount"].tolist() == [0.5, 1.0, 0.75, 0.25]
    raw = tiers.tiering_index(indicators, {"credit_status": 0.5, "prospects": 0.5}, scale="none")
    assert raw["index"].tolist() == [4.0, 1.5, 2.0, 3.0]


@given(st.lists(st.floats(0, 10), min_size=4, max_size=4).filter(lambda w: sum(w) > 0.01),
       st.floats(0.1, 1000))
def test_normalised_weights_give_the_same_index_at_any_scale(weights, factor):
    d = pd.DataFrame({"order_amount": [100, 300, 200, 50], "profit_contribution": [10, 20, 60, 5],
                      "credit_status": [3, 2, 1, 4], "prospects": [5, 1, 3, 2]})
    named = dict(zip(tiers.TIERING_INDICATORS, weights))
    a = tiers.tiering_index(d, named, normalise=True)
    b = tiers.tiering_index(d, {k: w * factor for k, w in named.items()}, normalise=True)
    assert a["index"].to_numpy() == pytest.approx(b["index"].to_numpy())
    assert sum(a.attrs["weights"].values()) == pytest.approx(1.0)
    assert "divided by their sum" in a.attrs["note"]


@given(st.lists(st.tuples(*[st.floats(0, 100)] * 4), min_size=2, max_size=12),
       st.integers(0, 11), st.integers(0, 3), st.floats(0, 50),
       st.sampled_from(["minmax", "rank", "none"]))
def test_raising_an_indicator_never_lowers_that_customers_index(rows, who, which, step, scale):
    who %= len(rows)
    d = pd.DataFrame(rows, columns=list(tiers.TIERING_INDICATORS))
    before = tiers.tiering_index(d, scale=scale)["index"].iloc[who]
    d.iloc[who, which] += step
    after = tiers.tiering_index(d, scale=scale)["index"].iloc[who]
    assert after >= before - 1e-12


@pytest.mark.parametrize("weights, kwargs, message", [
    ({"order_amount": 0.5, "prospects": 0.6}, {}, r"weights must sum to 1"),
    ({"order_amount": -0.5, "prospects": 1.5}, {}, r"weight 'order_amount' must be a finite "
                                                   r"number >= 0; got -0.5"),
    ({"order_amount": -1, "prospects": 3}, {"normalise": True}, r"weight 'order_amount' must be"),
    ({"order_amount": 0, "prospects": 0}, {"normalise": True}, r"the weights sum to 0"),
    ({"order_amount": "half", "prospects": 0.5}, {}, r"weight 'order_amount' must be a number"),
    ({"turnover": 1.0}, {}, r"column 'turnover' is missing from `data`"),
    ([0.25] * 4, {}, r"weights must be a mapping"),
    ({}, {}, r"weights must be a mapping"),
    (None, {"scale": "zscore"}, r"scale must be one of \['minmax', 'rank', 'none'\]"),
    (None, {"normalise": "yes"}, r"normalise must be True or False"),
])
def test_index_refuses_bad_weights(indicators, weights, kwargs, message):
    with pytest.raises(ValueError, match=r"tiers.tiering_index: " + message):
        tiers.tiering_index(indicators, weights, **kwargs)


def test_index_refuses_text_ratings_and_an_empty_table(indicators):
    with pytest.raises(ValueError, match=r"column 'credit_status' must be numeric; got 'AAA'"):
        tiers.tiering_index(indicators.assign(credit_status=["AAA", "AA", "A", "B"]))
    with pytest.raises(ValueError, match=r"`data` is empty"):
        tiers.tiering_index(indicators.iloc[:0])


# ---- the key-customer matrix (the suite's reading; the courseware's slide is cut off)
def test_key_customer_matrix_quadrants_and_cuts():
    d = pd.DataFrame({"profit": [90, 80, 10, 5, 50], "share": [0.7, 0.1, 0.8, 0.2, 0.5]})
    out = tiers.key_customer_matrix(d, value="profit", position="share")
    assert out.attrs["cuts"] == {"value": 50.0, "position": 0.5}
    assert out["quadrant"].tolist() == ["key", "win", "maintain", "low priority", "key"]
    fixed = tiers.key_customer_matrix(d, value="profit", position="share", value_cut=85,
                                      position_cut=0.75)
    assert fixed["quadrant"].tolist() == ["win", "low priority", "maintain", "low priority",
                                          "low priority"]
    with pytest.raises(ValueError, match=r"tiers.key_customer_matrix: value_cut must be a finite"):
        tiers.key_customer_matrix(d, value="profit", position="share", value_cut="high")
    with pytest.raises(ValueError, match=r"column 'position' is missing"):
        tiers.key_customer_matrix(d, value="profit")


def test_tier_summary_and_its_errors():
    s = tiers.tier_summary(pd.Series(["A", "B", "A"]), [1.0, 2.0, 3.0])
    assert s["customers"].tolist() == [2, 1] and s["value_share"].tolist() == [4 / 6, 2 / 6]
    with pytest.raises(ValueError, match=r"tiers.tier_summary: `tiers` has missing labels"):
        tiers.tier_summary(pd.Series(["A", None]), [1, 2])
    with pytest.raises(ValueError, match=r"tiers.tier_summary: `tiers` must be a Series"):
        tiers.tier_summary(["A"], [1])
