"""crmlab.rfm against the courseware's airline table (seed 002, F3 and §7.4), CDNOW facts, and properties."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import crmlab
from crmlab import rfm


@pytest.fixture(scope="module")
def rules():
    return crmlab.load_dataset("airline_rfm_rules")


def literal(rules):
    return rules[rules["version"] == "courseware"]


def corrected(rules):
    return rules[rules["version"] == "crmlab_corrected"]


@pytest.fixture
def log():
    return pd.DataFrame({
        "customer_id": ["a", "a", "b", "c", "c", "c"],
        "date": ["2024-01-01", "2024-01-11", "2024-01-05", "2024-01-01", "2024-01-01", "2024-01-20"],
        "amount": [10.0, 30.0, 5.0, 1.0, 2.0, 3.0],
    })


# ---- customer table
def test_customer_table_by_hand(log):
    t = rfm.customer_table(log, as_of="2024-01-21")
    assert t["recency"].to_dict() == {"a": 10.0, "b": 16.0, "c": 1.0}
    assert t["frequency"].to_dict() == {"a": 2, "b": 1, "c": 3}
    assert t["monetary_total"].to_dict() == {"a": 40.0, "b": 5.0, "c": 6.0}
    assert t["monetary_mean"].to_dict() == {"a": 20.0, "b": 5.0, "c": 2.0}


def test_as_of_defaults_to_last_transaction_and_units_convert(log):
    assert rfm.customer_table(log)["recency"].to_dict() == {"a": 9.0, "b": 15.0, "c": 0.0}
    weeks = rfm.customer_table(log, as_of="2024-01-21", unit="weeks")["recency"]
    assert weeks["b"] == pytest.approx(16 / 7)


def test_same_day_merge_counts_one_purchase(log):
    merged = rfm.customer_table(log, same_day="merge")
    assert merged.loc["c", "frequency"] == 2 and merged.loc["c", "monetary_total"] == 6.0


def test_window_counts_only_recent_purchases(log):
    t = rfm.customer_table(log, as_of="2024-01-21", window=15)   # (Jan 6, Jan 21]
    assert t["frequency"].to_dict() == {"a": 1, "b": 0, "c": 1}
    assert np.isnan(t.loc["b", "monetary_mean"]) and t.loc["b", "recency"] == 16.0


def test_returns_options(log):
    with_return = pd.concat([log, pd.DataFrame({"customer_id": ["a"], "date": ["2024-01-12"],
                                                "amount": [-30.0]})], ignore_index=True)
    with pytest.raises(ValueError, match=r"negative amounts \(returns\?\), e.g. -30.0 at rows \[6\]"):
        rfm.customer_table(with_return)
    dropped = rfm.customer_table(with_return, returns="drop")
    net = rfm.customer_table(with_return, returns="net")
    assert dropped.loc["a", "monetary_total"] == 40.0 and net.loc["a", "monetary_total"] == 10.0
    assert net.loc["a", "frequency"] == 2     # a return is not a purchase


@pytest.mark.parametrize("change, message", [
    (lambda d: d.drop(columns="amount"), r"column 'amount' is missing from `transactions`"),
    (lambda d: d.assign(date=["2024-01-01", "soon", "2024-01-05", "x", "2024-01-01", "2024-01-20"]),
     r"column 'date' has values that are not dates, e.g. 'soon' at rows \[1, 3\]"),
    (lambda d: d.assign(customer_id=["a", None, "b", "c", "c", "c"]), r"missing customer ids at rows \[1\]"),
    (lambda d: d.assign(amount=["10", "30", "five", 1, 2, 3]), r"must be numeric; got 'five' at rows \[2\]"),
    (lambda d: d.iloc[:0], r"`transactions` is empty"),
])
def test_bad_logs_get_clear_errors(log, change, message):
    with pytest.raises(ValueError, match=message):
        rfm.customer_table(change(log))


def test_as_of_before_last_transaction_is_rejected(log):
    with pytest.raises(ValueError, match=r"as_of 2024-01-10 is earlier than transactions at rows \[1, 5\]"):
        rfm.customer_table(log, as_of="2024-01-10")


# ---- CDNOW (clv_peers.md §2.1)
def test_cdnow_master_customers_and_revenue():
    t = rfm.customer_table(crmlab.load_dataset("cdnow_master"), date="date", amount="dollars")
    assert len(t) == 23570
    assert t["monetary_total"].sum() == pytest.approx(2_500_315.63, abs=0.005)


def test_cdnow_sample_has_6696_purchases_after_merging_same_day():
    t = rfm.customer_table(crmlab.load_dataset("cdnow_sample"), amount="dollars", same_day="merge")
    assert len(t) == 2357 and t["frequency"].sum() == 6696
    assert t["monetary_total"].sum() == pytest.approx(244_091.94, abs=0.005)


# ---- the courseware's airline table (seed 002, F3; exercises of §7.4(d))
@pytest.mark.parametrize("dimension, value, score", [
    ("recency", 2, 4), ("recency", 0.5, 5), ("recency", 13, 1), ("recency", 1, 5),
    ("frequency", 8, 3), ("frequency", 1, 1), ("frequency", 30, 5),
    ("monetary", 2500, 3), ("monetary", 750, 2), ("monetary", 6000, 5),
])
def test_literal_table_scores(rules, dimension, value, score):
    out = rfm.score_by_rules([value], literal(rules), dimension=dimension)
    assert out["score"].tolist() == [score] and out["status"].tolist() == ["ok"]


@pytest.mark.parametrize("dimension, value, status, matches", [
    ("frequency", 24, "no score", ""),
    ("monetary", 500, "no score", ""),
    ("monetary", 500.5, "no score", ""),
    ("monetary", 1000.5, "no score", ""),
    ("monetary", 3000.5, "no score", ""),
    ("monetary", 5000, "two scores", "4|5"),
])
def test_literal_table_flaws(rules, dimension, value, status, matches):
    out = rfm.score_by_rules([value], literal(rules), dimension=dimension).iloc[0]
    assert (out["status"], out["matches"]) == (status, matches) and np.isnan(out["score"])


def test_433_code_and_sum_of_the_digest_example(rules):
    r, f, m = (rfm.score_by_rules([v], literal(rules), dimension=d)["score"].iloc[0]
               for d, v in (("recency", 2), ("frequency", 8), ("monetary", 2500)))
    assert f"{r:.0f}{f:.0f}{m:.0f}" == "433" and r + f + m == 10


def test_customers_a_and_b(rules):
    # Seed 002 §4.2: A buys 1000 yuan in 5 purchases a month, B 500 in 3.
    assert 1000 / 5 == 200 and round(500 / 3, 2) == 166.67
    f = rfm.score_by_rules([5 * 24, 3 * 24], literal(rules), dimension="frequency")["score"]
    assert f.tolist() == [5, 5]
    per_month = rfm.score_by_rules([1000, 500], literal(rules), dimension="monetary")
    assert per_month["score"].iloc[0] == 2 and per_month["status"].iloc[1] == "no score"


@given(st.sampled_from(["recency", "frequency", "monetary"]),
       st.floats(min_value=0, max_value=1e6, allow_nan=False))
def test_corrected_table_gives_every_value_exactly_one_score(dimension, value):
    table = crmlab.load_dataset("airline_rfm_rules")
    out = rfm.score_by_rules([value], corrected(table), dimension=dimension)
    assert out["status"].iloc[0] == "ok" and 1 <= out["score"].iloc[0] <= 5


def test_synthetic_edge_customers_hit_the_flaws(rules):
    log = crmlab.load_dataset("airline_transactions_synthetic")
    t = rfm.customer_table(log, as_of="2025-12-31", unit="months", window=24)
    f = rfm.score_by_rules(t["frequency"], literal(rules), dimension="frequency")
    m = rfm.score_by_rules(t["monetary_mean"], literal(rules), dimension="monetary")
    assert f.loc["EDGE-F24", "status"] == "no score" and f.loc["EDGE-F25", "score"] == 5
    assert m.loc[["EDGE-M500", "EDGE-M500.5", "EDGE-M1000.5"], "status"].eq("no score").all()
    assert m.loc["EDGE-M5000", "status"] == "two scores"


def test_missing_values_are_reported_not_scored(rules):
    out = rfm.score_by_rules(pd.Series([np.nan, 800.0]), literal(rules), dimension="monetary")
    assert out["status"].tolist() == ["missing", "ok"] and out["score"].iloc[1] == 2


def test_score_by_rules_names_unknown_dimension(rules):
    with pytest.raises(ValueError, match="no rules for dimension 'loyalty'"):
        rfm.score_by_rules([1], rules, dimension="loyalty")


# ---- quantile scores (properties)
values = st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=60)


@given(values, st.integers(min_value=2, max_value=7), st.sampled_from(["share", "first"]),
       st.booleans())
def test_quantile_scores_stay_in_range(xs, bins, ties, reverse):
    s = rfm.quantile_scores(xs, bins=bins, ties=ties, reverse=reverse)
    assert s.between(1, bins).all()


@given(values, st.sampled_from(["share", "first"]))
def test_quantile_scores_are_monotone(xs, ties):
    x = np.asarray(xs)
    up = rfm.quantile_scores(xs, ties=ties).to_numpy()
    down = rfm.quantile_scores(xs, ties=ties, reverse=True).to_numpy()
    i, j = np.meshgrid(np.arange(len(x)), np.arange(len(x)))
    strictly_less = x[i] < x[j]
    assert (up[i] <= up[j])[strictly_less].all() and (down[i] >= down[j])[strictly_less].all()


@given(values)
def test_shared_ties_never_split_equal_values(xs):
    s = rfm.quantile_scores(xs)
    assert pd.Series(s.to_numpy()).groupby(np.asarray(xs)).nunique().eq(1).all()


def test_first_ties_give_equal_counts():
    s = rfm.quantile_scores([3] * 10, ties="first")
    assert s.value_counts().sort_index().tolist() == [2, 2, 2, 2, 2]


def test_rfm_table_on_cdnow_has_hughes_codes():
    table = rfm.rfm_table(crmlab.load_dataset("cdnow_master"), amount="dollars", as_of="1998-06-30")
    assert table["rfm_code"].str.fullmatch(r"[1-5]{3}").all()
    assert table["rfm_sum"].between(3, 15).all()
    assert table["rfm_code"].nunique() <= 125


# ---- segments (R rfm package scheme)
@pytest.mark.parametrize("scores, name", [
    ((5, 5, 5), "Champions"), ((4, 4, 3), "Potential Loyalist"), ((2, 2, 2), "Loyal Customers"),
    ((4, 1, 4), "Promising"), ((5, 1, 1), "New Customers"), ((1, 3, 5), "Can't Lose Them"),
    ((2, 5, 5), "At Risk"), ((3, 3, 3), "Potential Loyalist"), ((3, 1, 1), "About To Sleep"),
    ((1, 1, 1), "Lost"), ((2, 1, 5), "Others"),
])
def test_segment_first_match_wins(scores, name):
    frame = pd.DataFrame([scores], columns=["r_score", "f_score", "m_score"])
    assert rfm.segment(frame).iloc[0] == name


def test_segment_summary_shares_add_up(log):
    table = rfm.rfm_table(log, bins=3)
    summary = rfm.segment_summary(table, pd.Series(["x", "y", "x"], index=table.index))
    assert summary["customer_share"].sum() == pytest.approx(1)
    assert summary.loc["x", "revenue"] == 46.0 and summary.loc["x", "aov"] == pytest.approx(46 / 5)


@given(st.integers(min_value=2, max_value=9))
def test_sum_tiers_cover_every_possible_sum_in_order(bins):
    sums = pd.DataFrame({"rfm_sum": range(3, 3 * bins + 1)})
    tiers = rfm.sum_tiers(sums, bins=bins).map({"low": 0, "middle": 1, "high": 2})
    assert tiers.notna().all() and tiers.is_monotonic_increasing
    assert tiers.iloc[0] == 0 and tiers.iloc[-1] == 2
