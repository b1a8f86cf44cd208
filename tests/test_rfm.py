"""crmlab.rfm against the courseware's airline table (lecture 4.2.3), CDNOW facts, and properties."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import crmlab
from crmlab import rfm, segments


@pytest.fixture(scope="module")
def rules():
    return crmlab.load_dataset("airline_rfm_rules")


def literal(rules):
    return rules[rules["version"] == "courseware"]


def corrected(rules):
    return rules[rules["version"] == "crmlab_corrected"]


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


def test_half_of_cdnow_bought_once():
    # Chapter 3, section 5: the share of one-time buyers, as printed there.
    cdnow = crmlab.load_dataset("cdnow_master")
    kept = rfm.customer_table(cdnow, amount="dollars", as_of="1998-06-30")
    merged = rfm.customer_table(cdnow, amount="dollars", as_of="1998-06-30", same_day="merge")
    assert (kept["frequency"] == 1).sum() == 11_908 and len(kept) == 23_570
    assert f"{(kept['frequency'] == 1).mean():.1%}" == "50.5%"
    assert (merged["frequency"] == 1).sum() == 12_054
    assert f"{(merged['frequency'] == 1).mean():.1%}" == "51.1%"


def test_cdnow_heatmap_cells_the_chapter_describes():
    # Chapter 3, section 5: the highest mean is R3/F5, not the top-right R5/F5; one-time
    # buyers (all first bought in Q1 1997) never reach R 4 or 5.
    table = rfm.rfm_table(crmlab.load_dataset("cdnow_master"), amount="dollars", as_of="1998-06-30")
    grid = table.pivot_table(index="r_score", columns="f_score", values="monetary_total",
                             aggfunc="mean")
    assert grid.stack().idxmax() == (3, 5)
    assert round(grid.loc[3, 5], 1) == 443.6 and round(grid.loc[5, 5], 1) == 404.8
    once = table[table["frequency"] == 1]
    assert once["r_score"].max() == 3 and once["recency"].min() >= 456    # days since 1997-03-31
    assert (table["f_score"] == 2).sum() == 0


def test_pg_call_lists_on_cdnow():
    # Chapter 3, section 8: top-M customers whose purchases in the last 26 weeks fell below
    # the 26 weeks before, and those of them with no purchase for 13 weeks.
    cdnow = crmlab.load_dataset("cdnow_master")
    table = rfm.rfm_table(cdnow, amount="dollars", as_of="1998-06-30")
    mid = pd.Timestamp("1998-06-30") - pd.Timedelta(weeks=26)
    recent = rfm.customer_table(cdnow, amount="dollars", as_of="1998-06-30", unit="weeks", window=26)
    earlier = rfm.customer_table(cdnow[cdnow["date"] <= mid], amount="dollars", as_of=mid,
                                 unit="weeks", window=26)
    falling = recent["frequency"] < earlier["frequency"].reindex(recent.index, fill_value=0)
    valuable = table["m_score"] == 5
    share = lambda rule: table.loc[rule, "monetary_total"].sum() / table["monetary_total"].sum()
    both = valuable & falling & (recent["recency"] > 13)
    assert (valuable & falling).sum() == 2027 and f"{share(valuable & falling):.1%}" == "31.8%"
    assert both.sum() == 1353 and f"{share(both):.1%}" == "16.5%"


def test_cdnow_sample_has_6696_purchases_after_merging_same_day():
    t = rfm.customer_table(crmlab.load_dataset("cdnow_sample"), amount="dollars", same_day="merge")
    assert len(t) == 2357 and t["frequency"].sum() == 6696
    assert t["monetary_total"].sum() == pytest.approx(244_091.94, abs=0.005)


# ---- the courseware's airline table (lecture 4.2.3, 某航空公司RFM分析法)
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


def test_433_code_and_sum_of_the_scorer_default(rules):
    r, f, m = (rfm.score_by_rules([v], literal(rules), dimension=d)["score"].iloc[0]
               for d, v in (("recency", 2), ("frequency", 8), ("monetary", 2500)))
    assert f"{r:.0f}{f:.0f}{m:.0f}" == "433" and r + f + m == 10


def test_customers_a_and_b(rules):
    # Courseware case 4.2: A buys 1000 yuan in 5 purchases a month, B 500 in 3.
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


def _near_bounds(rules):
    """Every finite bound of the courseware's rows, with its float neighbours and ± 0.5."""
    bounds = literal(rules).melt(id_vars="dimension", value_vars=["lower", "upper"]).dropna()
    return [(d, float(v)) for d, b in zip(bounds["dimension"], bounds["value"])
            for v in (b, np.nextafter(b, -np.inf), np.nextafter(b, np.inf), b - 0.5, b + 0.5)
            if v >= 0]


def _keeps_every_stated_score(rules, dimension, values):
    lit = rfm.score_by_rules(values, literal(rules), dimension=dimension)
    cor = rfm.score_by_rules(values, corrected(rules), dimension=dimension)
    stated = lit["status"] == "ok"
    assert (cor.loc[stated, "score"] == lit.loc[stated, "score"]).all(), \
        cor.loc[stated & (cor["score"] != lit["score"]), "value"].tolist()
    assert cor["status"].eq("ok").all()     # every gap and overlap settled with one score
    return lit, cor


@given(st.sampled_from(["recency", "frequency", "monetary"]),
       st.one_of(st.floats(min_value=0, max_value=1e5, allow_nan=False),
                 st.integers(0, 10_000), st.sampled_from([0.5 * k for k in range(0, 12_000)])))
def test_correction_never_changes_a_score_the_courseware_states(dimension, value):
    _keeps_every_stated_score(crmlab.load_dataset("airline_rfm_rules"), dimension, [value])


def test_correction_keeps_every_stated_boundary_and_fills_only_the_holes(rules):
    for dimension in ("recency", "frequency", "monetary"):
        values = [v for d, v in _near_bounds(rules) if d == dimension]
        _keeps_every_stated_score(rules, dimension, values)
    # the values the issue named: 501~1000 -> 2 and 1001~3000 -> 3 include 1000 and 3000
    m = rfm.score_by_rules([1000, 3000, 501, 1001, 3001, 5000.01], corrected(rules),
                           dimension="monetary")
    assert m["score"].tolist() == [2, 3, 2, 3, 4, 5]
    # what the correction settles, and how: a hole joins the row above, 5000 scores 5
    settled = {("frequency", 24): 5, ("frequency", 23.5): 5, ("frequency", 5.5): 3,
               ("frequency", 10.5): 4, ("monetary", 500): 2, ("monetary", 500.5): 2,
               ("monetary", 1000.5): 3, ("monetary", 3000.5): 4, ("monetary", 5000): 5}
    for (dimension, value), score in settled.items():
        lit = rfm.score_by_rules([value], literal(rules), dimension=dimension).iloc[0]
        cor = rfm.score_by_rules([value], corrected(rules), dimension=dimension).iloc[0]
        assert lit["status"] != "ok" and cor["score"] == score, (dimension, value)
    # recency: the courseware's rows read as (lower, upper] leave no hole, so nothing changes
    rec = [v for d, v in _near_bounds(rules) if d == "recency"]
    lit, cor = _keeps_every_stated_score(rules, "recency", rec)
    assert lit["status"].eq("ok").all()
    assert rfm.score_by_rules([1, 3, 6, 12], corrected(rules),
                              dimension="recency")["score"].tolist() == [5, 4, 3, 2]


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


# ---- fuzz: every public function gives a correct, finite answer or a clear error
from hypothesis import HealthCheck, settings  # noqa: E402
from strategies import (  # noqa: E402
    BAD_DATE_CELLS, DATE_CELLS, assert_finite, cells, columns, correct_or_clear, frames,
    or_not_a_frame)

RFM_FUNCTIONS = ["customer_table", "quantile_scores", "rfm_table", "score_by_rules"]
LOG_SPEC = {"customer_id": cells(st.sampled_from(["a", "b", "c", "d"])),
            "date": cells(DATE_CELLS, BAD_DATE_CELLS),
            "amount": cells(st.floats(0, 1e4))}
SUMMARY = st.fixed_dictionaries({}, optional={
    "as_of": st.sampled_from([None, "2024-12-31", 20241231, "2023-01-01", "x", 5,
                              pd.Timestamp("2024-12-31 12:00", tz="Asia/Shanghai")]),
    "unit": st.sampled_from(["days", "weeks", "months", "years"]),
    "window": st.sampled_from([None, 30, 0.5, 0, -1, np.inf, "x", 1e9]),
    "returns": st.sampled_from(["error", "drop", "net", "keep"]),
    "same_day": st.sampled_from(["keep", "merge", "sum"]),
})


def test_fuzz_covers_every_public_function_of_rfm():
    assert {n for n in rfm.__all__ if callable(getattr(rfm, n))} == set(RFM_FUNCTIONS)


def check_customer_table(t, allow_nan=("monetary_mean",)):
    assert_finite(t, allow_nan=allow_nan)
    assert (t["frequency"] >= 0).all() and (t["recency"] >= 0).all()
    assert (t["first_purchase"] <= t["last_purchase"]).all()
    assert t.index.is_unique


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(or_not_a_frame(frames(LOG_SPEC)), SUMMARY,
       st.sampled_from([2, 3, 5, 9, 1, 10, "5", 5.0]), st.sampled_from(["share", "first", "x"]),
       st.sampled_from(["monetary_total", "monetary_mean", "dollars"]))
def test_fuzz_rfm_log_functions(log, options, bins, ties, monetary):
    t = correct_or_clear("rfm.customer_table", lambda: rfm.customer_table(log, **options))
    if t is not None:
        check_customer_table(t)
    table = correct_or_clear("rfm.rfm_table", lambda: rfm.rfm_table(
        log, bins=bins, ties=ties, monetary=monetary, **options))
    if table is not None:
        check_customer_table(table)
        scores = table[["r_score", "f_score", "m_score"]]
        assert scores.stack().between(1, bins).all()
        assert (table["rfm_code"] == scores.astype(str).sum(axis=1)).all()
        assert (table["rfm_sum"] == scores.sum(axis=1)).all()
        named = correct_or_clear("segments.segment", lambda: segments.segment(table))
        summary = correct_or_clear("segments.segment_summary",
                                   lambda: segments.segment_summary(table, named))
        assert_finite(summary, allow_nan=("aov",))


@settings(max_examples=80, deadline=None)
@given(columns(cells(st.floats(0, 1e4))), st.sampled_from(["recency", "frequency", "monetary",
                                                           "loyalty", 5, None]),
       st.sampled_from(["ok", "drop", "text score", "text flag", "nan flag", "nan bound",
                        "not a frame"]))
def test_fuzz_rfm_score_by_rules(values, dimension, damage):
    rules = crmlab.load_dataset("airline_rfm_rules").query("version == 'crmlab_corrected'")
    rules = {"ok": rules, "drop": rules.drop(columns="upper"),
             "text score": rules.assign(score=rules["score"].astype(str).replace("3", "three")),
             "text flag": rules.assign(lower_inclusive=rules["lower_inclusive"].astype(str)),
             "nan flag": rules.assign(upper_inclusive=rules["upper_inclusive"].where(
                 rules["score"] != 2)),
             "nan bound": rules.assign(lower=rules["lower"].where(rules["score"] != 1)),
             "not a frame": rules.to_dict()}[damage]
    out = correct_or_clear("rfm.score_by_rules",
                           lambda: rfm.score_by_rules(values, rules, dimension=dimension))
    if out is not None:
        ok = out["status"] == "ok"
        assert np.isfinite(out.loc[ok, "score"]).all() and out.loc[~ok, "score"].isna().all()
        assert np.isfinite(out.loc[out["status"] != "missing", "value"]).all()


@settings(max_examples=80, deadline=None)
@given(columns(cells(st.floats(-1e6, 1e6))), st.sampled_from([2, 5, 7, 1, 101, "5", 2.5]),
       st.sampled_from([True, False, 1, "yes"]), st.sampled_from(["share", "first", "x"]))
def test_fuzz_rfm_quantile_scores(values, bins, reverse, ties):
    out = correct_or_clear("rfm.quantile_scores", lambda: rfm.quantile_scores(
        values, bins=bins, reverse=reverse, ties=ties))
    if out is not None:
        assert out.between(1, bins).all() and len(out) == len(values)


# ---- property: tables and scores against direct computation
LOG_ROWS = st.lists(st.tuples(st.sampled_from(["a", "b", "c", "d", "e"]), st.integers(0, 400),
                              st.integers(0, 500)), min_size=1, max_size=40)


@given(LOG_ROWS, st.sampled_from(["days", "weeks", "months"]), st.integers(0, 30))
def test_customer_table_matches_a_literal_groupby(rows, unit, after):
    start = pd.Timestamp("2023-01-01")
    log = pd.DataFrame({"customer_id": [r[0] for r in rows],
                        "date": [start + pd.Timedelta(days=r[1]) for r in rows],
                        "amount": [float(r[2]) for r in rows]})
    as_of = log["date"].max() + pd.Timedelta(days=after)
    t = rfm.customer_table(log, as_of=as_of, unit=unit)
    for cid, group in log.groupby("customer_id"):
        assert t.loc[cid, "frequency"] == len(group)
        assert t.loc[cid, "monetary_total"] == group["amount"].sum()
        days = (as_of - group["date"].max()).days
        assert t.loc[cid, "recency"] == pytest.approx(days / rfm.DAYS_PER_UNIT[unit])
    assert list(t.index) == sorted(set(log["customer_id"]))


@given(LOG_ROWS, st.integers(2, 9), st.sampled_from(["share", "first"]))
def test_rfm_table_scores_are_in_range_and_monotone(rows, bins, ties):
    start = pd.Timestamp("2023-01-01")
    log = pd.DataFrame({"customer_id": [r[0] for r in rows],
                        "date": [start + pd.Timedelta(days=r[1]) for r in rows],
                        "amount": [float(r[2]) for r in rows]})
    t = rfm.rfm_table(log, bins=bins, ties=ties)
    for score, raw, sign in (("r_score", "recency", -1), ("f_score", "frequency", 1),
                             ("m_score", "monetary_total", 1)):
        assert t[score].between(1, bins).all()
        x, s = sign * t[raw].to_numpy(), t[score].to_numpy()
        assert all(s[i] <= s[j] for i in range(len(x)) for j in range(len(x)) if x[i] < x[j])
        if ties == "share":      # equal raw values share a score
            assert all(s[i] == s[j] for i in range(len(x)) for j in range(len(x))
                       if x[i] == x[j])
    assert (t["rfm_code"].str.len() == 3).all()
    assert (t["rfm_sum"] == t[["r_score", "f_score", "m_score"]].sum(axis=1)).all()


RULE = st.tuples(st.integers(0, 20), st.integers(0, 20), st.booleans(), st.booleans())


@given(st.lists(RULE, min_size=1, max_size=6), st.lists(st.integers(-2, 22), max_size=10))
def test_score_by_rules_status_counts_the_rules_that_hold(rules_, values):
    rules = pd.DataFrame([{"dimension": "x", "score": k + 1, "lower": min(a, b),
                           "lower_inclusive": li, "upper": max(a, b), "upper_inclusive": ui}
                          for k, (a, b, li, ui) in enumerate(rules_)])
    out = rfm.score_by_rules(values, rules, dimension="x")
    for v, row in zip(values, out.itertuples()):
        hits = [k + 1 for k, (a, b, li, ui) in enumerate(rules_)
                if (v >= min(a, b) if li else v > min(a, b))
                and (v <= max(a, b) if ui else v < max(a, b))]
        assert row.status == {0: "no score", 1: "ok"}.get(len(hits), "two scores")
        assert row.matches == "|".join(map(str, hits))
        assert (row.score == hits[0]) if len(hits) == 1 else np.isnan(row.score)


# ---- issue 9, section 4: the cases seen, and bad input of every kind
def test_integer_yyyymmdd_dates_are_read_as_dates(log):
    as_ints = log.assign(date=log["date"].str.replace("-", "").astype(int))
    pd.testing.assert_frame_equal(rfm.customer_table(as_ints, as_of=20240121),
                                  rfm.customer_table(log, as_of="2024-01-21"))


def test_other_integer_dates_are_refused_not_read_as_nanoseconds(log):
    epoch = log.assign(date=[1704067200] * len(log))
    with pytest.raises(ValueError, match=r"rfm.customer_table: column 'date' has numbers that "
                                         r"are not dates, e.g. 1704067200 at rows \[0, 1, 2, 3, 4\]"
                                         r" and 1 more. Only 8-digit YYYYMMDD"):
        rfm.customer_table(epoch)
    with pytest.raises(ValueError, match=r"not valid YYYYMMDD dates, e.g. 20241301"):
        rfm.customer_table(log.assign(date=[20240101] * 5 + [20241301]))


def test_time_zone_aware_dates_are_read_in_local_time(log):
    naive = rfm.customer_table(log, as_of="2024-01-21")
    aware = log.assign(date=pd.to_datetime(log["date"]).dt.tz_localize("Asia/Shanghai"))
    pd.testing.assert_frame_equal(
        rfm.customer_table(aware, as_of=pd.Timestamp("2024-01-21", tz="Asia/Shanghai")), naive,
        check_dtype=False)
    mixed = log.assign(date=["2024-01-01T00:00+08:00", "2024-01-11", "2024-01-05T00:00Z",
                             pd.Timestamp("2024-01-01", tz="UTC"), "2024-01-01",
                             pd.Timestamp("2024-01-20")])
    pd.testing.assert_frame_equal(rfm.customer_table(mixed, as_of="2024-01-21"), naive,
                                  check_dtype=False)


def test_inf_amounts_are_refused_naming_rows(log):
    with pytest.raises(ValueError, match=r"rfm.customer_table: column 'amount' must be finite; "
                                         r"got inf at rows \[2\]"):
        rfm.customer_table(log.assign(amount=[10.0, 30.0, np.inf, 1.0, 2.0, 3.0]))
    with pytest.raises(ValueError, match=r"sums to more than a float can hold"):
        rfm.customer_table(log.assign(amount=[1e308, 1e308, 1.0, 1.0, 2.0, 3.0]))


def test_missing_column_message_names_the_keyword_and_a_close_match(log):
    with pytest.raises(ValueError, match=r"rfm.customer_table: column 'amount' is missing from "
                                         r"`transactions`; found \['customer_id', 'date', 'amt'\]. "
                                         r"Pass the name of your column, e.g. customer_table\(\.\.\., "
                                         r"amount='amt'\), or rename your column to 'amount'."):
        rfm.customer_table(log.rename(columns={"amount": "amt"}))
    with pytest.raises(ValueError, match=r"rfm.rfm_table: column 'customer_id' is missing .*"
                                         r"e.g. rfm_table\(\.\.\., customer='cust_id'\)"):
        rfm.rfm_table(log.rename(columns={"customer_id": "cust_id"}))


@pytest.mark.parametrize("dtype", ["object", "string", "Int64", "Float64", "category"])
def test_nullable_and_object_columns_give_the_same_table(log, dtype):
    typed = log.assign(amount=log["amount"].astype("int64").astype(dtype)
                       if dtype == "Int64" else log["amount"].astype(dtype),
                       customer_id=log["customer_id"].astype("string" if dtype == "string"
                                                             else object))
    expected = rfm.customer_table(log.assign(amount=log["amount"].astype("int64").astype(float)
                                             if dtype == "Int64" else log["amount"]))
    pd.testing.assert_frame_equal(rfm.customer_table(typed), expected, check_index_type=False)


def test_duplicated_rows_are_purchases_and_mixed_id_types_are_refused(log):
    doubled = rfm.customer_table(pd.concat([log, log]))
    assert doubled["frequency"].to_dict() == {"a": 4, "b": 2, "c": 6}
    with pytest.raises(ValueError, match=r"rfm.customer_table: column 'customer_id' mixes id "
                                         r"types \['int', 'str'\]"):
        rfm.customer_table(log.assign(customer_id=["a", 1, "b", "c", "c", "c"]))


def test_every_negative_amount_dropped_leaves_a_clear_error(log):
    with pytest.raises(ValueError, match=r"every amount in column 'amount' is negative"):
        rfm.customer_table(log.assign(amount=-log["amount"]), returns="drop")


def test_bad_window_bins_and_options(log):
    with pytest.raises(ValueError, match=r"rfm.customer_table: window must be a number > 0"):
        rfm.customer_table(log, window=-3)
    with pytest.raises(ValueError, match=r"rfm.rfm_table: bins must be a whole number in \[2, 9\]"):
        rfm.rfm_table(log, bins=10)
    with pytest.raises(ValueError, match=r"rfm.rfm_table: unknown option 'amout'"):
        rfm.rfm_table(log, amout="amount")


def test_window_boundary_is_exclusive_even_when_it_is_the_first_purchase(log):
    t = rfm.customer_table(log, as_of="2024-01-21", window=20)   # (Jan 1, Jan 21]
    assert t["frequency"].to_dict() == {"a": 1, "b": 1, "c": 1}
    assert rfm.customer_table(log, as_of="2024-01-21", window=20.5)["frequency"].sum() == 6
