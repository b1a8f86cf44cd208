"""crmlab.tags and its synthetic event log: features and tags by hand, the four layers,
monotone thresholds, bad logs named.

Numbers asserted here are recomputations (this suite's generator, the tag rules by hand).
"""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import BAD_CELLS, correct_or_clear

from crmlab import synthetic
from crmlab.tags import TAG_RULES, build_tags, user_features


def event(user, ts, kind, category=None, amount=np.nan, city="Beijing", brand="Apple",
          os="iOS"):
    return {"user_id": user, "ts": pd.Timestamp(ts), "event_type": kind, "category": category,
            "city": city, "device_brand": brand, "os": os, "order_amount": amount}


@pytest.fixture(scope="module")
def tiny():
    """Three users over 40 days, small enough to tag by hand."""
    rows = [event("a", "2025-01-01", "video_view", "games"),
            event("a", "2025-01-02", "video_view", "games"),
            event("a", "2025-01-03", "video_view", "food"),
            event("a", "2025-01-03", "like", "games"),
            event("a", "2025-01-05", "purchase", amount=1200.0),
            event("a", "2025-01-20", "purchase", amount=300.0),
            event("b", "2025-01-02", "video_view", "travel", city="Luoyang", brand="Xiaomi",
                  os="Android"),
            event("b", "2025-01-04", "follow", "travel", city="Luoyang", brand="Xiaomi",
                  os="Android"),
            event("b", "2025-02-09", "purchase", amount=80.0, city="Kaifeng", brand="Xiaomi",
                  os="Android"),
            event("c", "2025-01-10", "video_view", "tech", city="Atlantis", brand="Huawei",
                  os="HarmonyOS")]
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def log():
    return synthetic.make_event_log()


# ---- the synthetic event log
def test_log_is_labelled_synthetic_and_reproducible(log):
    assert log.attrs["synthetic"] is True
    assert log.attrs["generator"] == "crmlab.synthetic.make_event_log(n_users=600, seed=20250301, days=90)"
    assert "SYNTHETIC" in synthetic.make_event_log.__doc__.upper()
    assert log.columns.tolist() == list(synthetic.EVENT_COLUMNS)
    again = synthetic.make_event_log()
    again.attrs = log.attrs
    pd.testing.assert_frame_equal(log, again)
    assert not log.equals(synthetic.make_event_log(seed=1))


def test_log_values_lie_in_their_documented_ranges(log):
    buys = log["event_type"] == "purchase"
    assert log.loc[buys, "order_amount"].gt(0).all() and log.loc[~buys, "order_amount"].isna().all()
    assert log.loc[buys, "category"].isna().all() and log.loc[~buys, "category"].notna().all()
    assert set(log["category"].dropna()) == set(synthetic.CATEGORIES)
    assert log["ts"].between(pd.Timestamp("2025-04-01"), pd.Timestamp("2025-06-30")).all()
    assert (log["city"].map(synthetic.CITY_TIERS).notna()).all()
    apple = log["device_brand"] == "Apple"
    assert (log.loc[apple, "os"] == "iOS").all() and (log.loc[~apple, "os"] != "iOS").all()
    assert log["user_id"].nunique() == 600


def test_latent_types_are_the_generators_first_draw(log):
    types = synthetic.event_log_types()
    assert len(types) == 600 and set(types) == set(synthetic.LATENT_TYPES)
    assert types.value_counts().to_dict() == {"content_fan": 194, "deal_seeker": 157,
                                              "family_planner": 130, "premium_buyer": 119}
    assert synthetic.event_log_types(50, seed=1).equals(synthetic.event_log_types(50, seed=1))


# ---- features and tags by hand
def test_user_features_by_hand(tiny):
    f = user_features(tiny)
    assert f.index.tolist() == ["a", "b", "c"]
    assert f.loc["a", ["views", "likes", "follows", "orders", "spend"]].tolist() == [3, 1, 0, 2,
                                                                                     1500.0]
    assert f.loc["a", "aov"] == 750.0 and f.loc["a", "like_rate"] == pytest.approx(1 / 3)
    assert f.loc["a", "share_games"] == pytest.approx(2 / 3)
    assert f.loc["c", "aov"] == 0.0 and f.loc["b", "share_travel"] == 1.0
    assert f.loc["b", "city"] == "Luoyang"                     # two Luoyang events, one Kaifeng
    assert f.loc["c", ["city", "device_brand", "os"]].tolist() == ["Atlantis", "Huawei",
                                                                    "HarmonyOS"]


def test_tags_by_hand(tiny):
    tags = build_tags(tiny, rules=["city_tier", "interests", "spend_level",
                                   "purchase_frequency"], high_spend=1000, frequent_from=2,
                      min_share=0.3, max_interests=1)
    by = {(u, r): list(t) for (u, r), t in tags.groupby(["user_id", "rule"])["tag"]}
    assert by[("a", "city_tier")] == ["tier 1"] and by[("b", "city_tier")] == ["tier 3"]
    assert by[("c", "city_tier")] == ["tier unknown"]           # Atlantis is not in CITY_TIERS
    assert by[("a", "interests")] == ["games"]                  # food (1/3) cut by max_interests
    assert by[("a", "spend_level")] == ["mid-to-high-end consumer"]
    assert by[("b", "spend_level")] == ["mass consumer"] and by[("c", "spend_level")] == [
        "non-buyer"]
    assert by[("a", "purchase_frequency")] == ["frequent buyer"]
    assert ("b", "purchase_frequency") not in by
    assert set(tags["layer"]) == {"basic", "interest", "consumption"}
    assert tags.columns.tolist() == ["user_id", "layer", "rule", "tag", "value"]
    assert tags.loc[(tags["user_id"] == "a") & (tags["rule"] == "spend_level"), "value"].item() == 1500


def test_all_four_layers_on_the_synthetic_log(log):
    tags = build_tags(log)
    assert set(tags["layer"]) == {"basic", "interest", "consumption", "predictive"}
    counts = tags.groupby("rule")["user_id"].nunique()
    assert (counts[["city_tier", "device", "os", "spend_level", "purchase_propensity"]] == 600).all()
    p = tags.loc[tags["rule"] == "purchase_propensity", "value"]
    assert p.between(0, 1).all() and p.nunique() > 100
    spend = tags[tags["rule"] == "spend_level"].set_index("user_id")
    assert spend["tag"].value_counts().to_dict() == {"mass consumer": 274,
                                                     "mid-to-high-end consumer": 126,
                                                     "non-buyer": 200}


def test_propensity_ranks_real_buyers_higher(log):
    """Held-out check of the predictive tag: fitted without the last 30 days of a 60-day log,
    the probability ranks those who then buy above those who do not (AUC > 0.7)."""
    from sklearn.metrics import roc_auc_score

    cut = log["ts"].max() - pd.Timedelta(days=30)
    p = build_tags(log[log["ts"] < cut], rules=["purchase_propensity"], horizon_days=15)
    p = p.set_index("user_id")["value"]
    bought = log[(log["ts"] >= cut) & (log["event_type"] == "purchase")]["user_id"].unique()
    assert roc_auc_score(p.index.isin(bought), p) > 0.7


# ---- tag thresholds behave monotonically
@pytest.fixture(scope="module")
def small_log():
    return synthetic.make_event_log(50, seed=11)


def _users(tags, tag):
    return set(tags.loc[tags["tag"] == tag, "user_id"])


@settings(max_examples=15, deadline=None)
@given(st.floats(1, 5000), st.floats(1, 5000))
def test_raising_high_spend_never_adds_mid_to_high_end_consumers(small_log, a, b):
    low, high = sorted((a, b))
    at = {t: _users(build_tags(small_log, rules="spend_level", high_spend=t),
                    "mid-to-high-end consumer") for t in (low, high)}
    assert at[high] <= at[low]


@settings(max_examples=15, deadline=None)
@given(st.floats(0.01, 1), st.floats(0.01, 1), st.integers(1, 6))
def test_raising_min_share_never_adds_interests(small_log, a, b, top):
    low, high = sorted((a, b))
    pairs = {t: set(map(tuple, build_tags(small_log, rules="interests", min_share=t,
                                          max_interests=top)[["user_id", "tag"]].to_numpy()))
             for t in (low, high)}
    assert pairs[high] <= pairs[low]


@settings(max_examples=10, deadline=None)
@given(st.integers(1, 12), st.integers(1, 12), st.floats(0.01, 0.99), st.floats(0.01, 0.99))
def test_frequency_and_propensity_cut_offs_are_monotone(small_log, f1, f2, p1, p2):
    (fl, fh), (pl, ph) = sorted((f1, f2)), sorted((p1, p2))
    tags = {(f, p): build_tags(small_log, rules=["purchase_frequency", "purchase_propensity"],
                               frequent_from=f, likely_from=p) for f, p in ((fl, pl), (fh, ph))}
    assert _users(tags[fh, ph], "frequent buyer") <= _users(tags[fl, pl], "frequent buyer")
    assert _users(tags[fh, ph], "likely buyer") <= _users(tags[fl, pl], "likely buyer")


# ---- bad input gets a ValueError that names the problem
BAD_LOGS = [
    (lambda d: d.iloc[:0], r"the event log `log` is empty"),
    (lambda d: d.drop(columns="order_amount"), r"column 'order_amount' is missing from `log`"),
    (lambda d: d.drop(columns=["city", "os"]), r"column 'city' is missing from `log` \(also missing: \['os'\]\)"),
    (lambda d: d.assign(order_amount=d["order_amount"].where(d.index != 4)),
     r"column 'order_amount' of purchases has missing values \(NaN\) at rows \[4\]"),
    (lambda d: d.assign(order_amount=d["order_amount"].where(d.index != 5, -300.0)),
     r"column 'order_amount' of purchases must be >= 0; got -300.0 at rows \[5\]"),
    (lambda d: d.assign(order_amount=d["order_amount"].where(d.index != 5, "300元")),
     r"column 'order_amount' of purchases must be numeric; got '300元' at rows \[5\]"),
    (lambda d: d.assign(event_type=d["event_type"].where(d.index != 1, "share")),
     r"column 'event_type' must be one of \['video_view', 'like', 'follow', 'purchase'\]; got 'share' at rows \[1\]"),
    (lambda d: d.assign(ts=d["ts"].astype(object).where(d.index != 2, "soon")),
     r"column 'ts' has values that are not dates, e.g. 'soon' at rows \[2\]"),
    (lambda d: d.assign(user_id=d["user_id"].where(d.index != 3, None)),
     r"column 'user_id' has missing ids at rows \[3\]"),
    (lambda d: d.assign(user_id=d["user_id"].astype(object).where(d.index != 3, 7)),
     r"column 'user_id' must hold labels of one type"),
    (lambda d: d.assign(category=d["category"].where(d.index != 0, None)),
     r"column 'category' is missing for video views at rows \[0\]"),
    (lambda d: d.to_dict(), r"`log` must be a pandas DataFrame"),
]


@pytest.mark.parametrize("change, message", BAD_LOGS)
def test_bad_logs_are_named(tiny, change, message):
    for call in (user_features, build_tags):
        with pytest.raises(ValueError, match=message):
            call(change(tiny))


@pytest.mark.parametrize("kwargs, message", [
    ({"rules": ["spend_level", "age"]}, r"unknown tag rule 'age'; the rules are \['city_tier'"),
    ({"rules": "Spend_Level"}, r"unknown tag rule 'Spend_Level'"),
    ({"rules": [None]}, r"unknown tag rule None"),
    ({"high_spend": 0}, r"high_spend must be a number > 0; got 0"),
    ({"high_spend": math.nan}, r"high_spend must be a number > 0; got nan"),
    ({"high_spend": "1000"}, r"high_spend must be a number > 0; got '1000'"),
    ({"min_share": 0}, r"min_share must be a number in \(0, 1\]; got 0"),
    ({"min_share": 1.5}, r"min_share must be a number in \(0, 1\]; got 1.5"),
    ({"max_interests": 0}, r"max_interests must be a whole number >= 1; got 0"),
    ({"frequent_from": 2.5}, r"frequent_from must be a whole number >= 1; got 2.5"),
    ({"likely_from": 1}, r"likely_from must be a number in \(0, 1\); got 1"),
    ({"horizon_days": 0}, r"horizon_days must be a whole number >= 1; got 0"),
    ({"horizon_days": 30}, r"horizon_days must be at most half the log's span \(39 days\), i.e. <= 19; got 30"),
    ({"city_tiers": ["Beijing"]}, r"city_tiers must map city names to tiers 1, 2, 3"),
    ({"city_tiers": {"Beijing": "one"}}, r"city_tiers must map city names to tiers"),
])
def test_bad_rules_and_thresholds_are_named(tiny, kwargs, message):
    with pytest.raises(ValueError, match="tags.build_tags: " + message):
        build_tags(tiny, **kwargs)


def test_a_threshold_is_checked_only_against_the_log_when_its_rule_runs(tiny):
    tags = build_tags(tiny, rules=["spend_level"], horizon_days=30)
    assert len(tags) == 3


def test_propensity_needs_buyers_and_non_buyers(tiny):
    nobody = pd.concat([tiny[tiny["event_type"] != "purchase"], pd.DataFrame([
        event("a", "2025-01-02", "purchase", amount=50.0),
        event("b", "2025-02-09", "video_view", "food")])], ignore_index=True)
    with pytest.raises(ValueError, match=r"purchase_propensity needs users who buy and users who "
                                         r"do not in the last 10 days; all 3 users did not"):
        build_tags(nobody, rules="purchase_propensity", horizon_days=10)
    mixed = pd.concat([tiny, pd.DataFrame([event("c", "2025-02-08", "purchase", amount=5.0)])],
                      ignore_index=True)
    tags = build_tags(mixed, rules="purchase_propensity", horizon_days=10)
    assert tags["user_id"].tolist() == ["a", "b", "c"] and tags["value"].between(0, 1).all()


# ---- fuzz: a result or a clear error, never a raw one
@st.composite
def mutated_logs(draw):
    frame = synthetic.make_event_log(6, seed=draw(st.integers(0, 3)))
    frame = frame.iloc[: draw(st.integers(0, len(frame)))].copy()
    for _ in range(draw(st.integers(0, 4))):
        if frame.empty:
            break
        column = draw(st.sampled_from(list(frame.columns)))
        row = draw(st.integers(0, len(frame) - 1))
        frame[column] = frame[column].astype(object)
        frame.iat[row, frame.columns.get_loc(column)] = draw(BAD_CELLS)
    if draw(st.booleans()) and not frame.empty:
        frame = frame.drop(columns=draw(st.sampled_from(list(frame.columns))))
    return frame


@settings(max_examples=80, deadline=None)
@given(mutated_logs(), st.sampled_from([["spend_level", "interests", "city_tier", "device"],
                                        ["purchase_propensity"], list(TAG_RULES)]))
def test_fuzz_logs_give_tags_or_a_clear_error(frame, rules):
    f = correct_or_clear("tags.user_features", lambda: user_features(frame))
    tags = correct_or_clear("tags.build_tags",
                            lambda: build_tags(frame, rules=rules, horizon_days=1))
    if f is not None and tags is not None:
        assert set(tags["user_id"]) <= set(f.index)


@pytest.mark.parametrize("kwargs, message", [
    ({"n_users": 0}, r"n_users must be a whole number in \[1, 100000\]; got 0"),
    ({"seed": -1}, r"seed must be a whole number >= 0; got -1"),
    ({"days": 1}, r"days must be a whole number in \[2, 3650\]; got 1"),
])
def test_bad_generator_arguments_are_named(kwargs, message):
    with pytest.raises(ValueError, match="synthetic.make_event_log: " + message):
        synthetic.make_event_log(**kwargs)
    if "days" not in kwargs:
        with pytest.raises(ValueError, match="synthetic.event_log_types: " + message):
            synthetic.event_log_types(**kwargs)
