"""crmlab.personas and its synthetic event log: tags by hand, personas found again, Caravan facts.

Numbers asserted here are recomputations (this suite's generator, k-means with a fixed seed)
or the Caravan file's own counts; the courseware's table is checked against the slide text.
"""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import adjusted_rand_score
from strategies import BAD_CELLS, correct_or_clear

import crmlab
from crmlab import personas, synthetic
from crmlab.personas import build_tags, compare, find_personas, rule_segments, select_k


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


@pytest.fixture(scope="module")
def features(log):
    return personas.user_features(log)


@pytest.fixture(scope="module")
def found(features):
    return find_personas(features, columns=personas.CLUSTER_COLUMNS)


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
    f = personas.user_features(tiny)
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


# ---- personas found again on the synthetic log
def test_k_selection_picks_the_generating_k(found):
    """Silhouette peaks at the four latent types (0.489; k = 3 and 5 give 0.422 and 0.426)."""
    table = found.selection
    assert found.k == len(synthetic.LATENT_TYPES) == 4
    assert table.index[table["chosen"]].tolist() == [4]
    assert table["silhouette"].round(3).to_dict() == {2: 0.345, 3: 0.422, 4: 0.489, 5: 0.426,
                                                      6: 0.379, 7: 0.347, 8: 0.325}
    assert table["inertia"].is_monotonic_decreasing
    assert found.silhouette == pytest.approx(table.loc[4, "silhouette"])


def test_clustering_recovers_the_latent_types(features, found):
    """Adjusted Rand index against the generator's types: 0.996 here, 0.983-0.997 on seeds
    0-9; a wrong k scores far lower (k = 3: 0.736, k = 5: 0.855), hence the bar of 0.95."""
    truth = synthetic.event_log_types().reindex(features.index)
    assert adjusted_rand_score(truth, found.labels) > 0.95
    crosstab = pd.crosstab(truth, found.labels)
    assert crosstab.max(axis=1).to_dict() == {"content_fan": 194, "deal_seeker": 157,
                                              "family_planner": 130, "premium_buyer": 118}


def test_profiles_describe_the_personas(log, features):
    tags = build_tags(log)
    result = find_personas(features, columns=personas.CLUSTER_COLUMNS, tags=tags)
    profiles = result.profiles
    assert profiles["size"].tolist() == [194, 157, 131, 118]
    assert profiles["share"].sum() == pytest.approx(1)
    assert profiles["name"].tolist() == ["high share_games · high like_rate",
                                         "high share_fashion · high share_food",
                                         "high share_parenting · low share_games",
                                         "high share_travel · high share_tech"]
    assert "games" in profiles.loc[1, "top_tags"] and "parenting" in profiles.loc[3, "top_tags"]
    assert "mid-to-high-end consumer" in profiles.loc[4, "top_tags"]
    labelled = find_personas(features, 4, columns=personas.CLUSTER_COLUMNS,
                             labels={"share_games": "games"})
    assert labelled.profiles.loc[1, "name"] == "high games · high like_rate"


def test_labels_are_stable_across_runs_and_row_orders(features, found):
    again = find_personas(features, columns=personas.CLUSTER_COLUMNS)
    pd.testing.assert_series_equal(found.labels, again.labels)
    pd.testing.assert_frame_equal(found.profiles, again.profiles)
    shuffled = features.sample(frac=1, random_state=3)
    moved = find_personas(shuffled, 4, columns=personas.CLUSTER_COLUMNS)
    pd.testing.assert_series_equal(moved.labels.reindex(features.index), found.labels)


def test_tagging_is_not_segmenting(features, found):
    """Rule segments by city tier and spend (the courseware's 'geo-demographic / purchase
    record' segmentation) barely agree with the behavioural personas."""
    f = features.assign(city_tier=features["city"].map(synthetic.CITY_TIERS))
    segments = rule_segments(f, ["city_tier", "spend"], bins={"spend": [1000]})
    assert segments.nunique() == 6
    result = compare(found.labels, segments)
    assert result.crosstab.to_numpy().sum() == 600
    assert result.ari == pytest.approx(0.1299, abs=1e-4)
    assert compare(found.labels, found.labels.map({1: "w", 2: "x", 3: "y", 4: "z"})).ari == 1


# ---- the Caravan customers
@pytest.fixture(scope="module")
def caravan():
    return crmlab.load_dataset("caravan")


@pytest.fixture(scope="module")
def caravan_personas(caravan):
    return find_personas(caravan, columns=personas.CARAVAN_COLUMNS)


def test_caravan_personas(caravan, caravan_personas):
    """Real data cluster weakly: silhouettes 0.14-0.16 for k = 2..8. k = 3 is best by 0.0003,
    a tie within the tolerance, so the smaller k = 2 is chosen."""
    table = caravan_personas.selection
    assert table["silhouette"].round(4).to_dict() == {2: 0.1591, 3: 0.1594, 4: 0.1487,
                                                      5: 0.1401, 6: 0.1503, 7: 0.1493, 8: 0.1523}
    assert table["silhouette"].idxmax() == 3 and caravan_personas.k == 2
    profiles = caravan_personas.profiles
    assert profiles["size"].tolist() == [3178, 2644]
    assert profiles["name"].tolist() == ["low MHKOOP · low MKOOPKLA", "high MHKOOP · high MKOOPKLA"]
    owners = (caravan["Purchase"] == "Yes").groupby(caravan_personas.labels).sum()
    assert owners.to_dict() == {1: 113, 2: 235}                # 3.6% and 8.9% own a caravan policy


def test_caravan_personas_are_not_the_vendors_segments(caravan, caravan_personas):
    """MOSHOOFD, the data vendor's customer main type (L2), is a geo-demographic segmentation."""
    result = compare(caravan_personas.labels, rule_segments(caravan, "MOSHOOFD"))
    assert result.crosstab.shape == (2, 10)
    assert result.ari == pytest.approx(0.0617, abs=1e-4)


def test_caravan_dictionary_gives_readable_persona_names(caravan):
    dictionary = crmlab.load_dataset("caravan_columns").set_index("column")
    found = find_personas(caravan, 2, columns=personas.CARAVAN_COLUMNS,
                          labels=dictionary["short_zh"].to_dict())
    assert found.profiles["name"].tolist() == ["low 自有住房占比 · low 购买力等级",
                                               "high 自有住房占比 · high 购买力等级"]


# ---- the courseware's table
def test_persona_vs_segmentation_in_both_languages():
    zh = personas.persona_vs_segmentation("zh")
    assert zh.loc["granularity"].tolist() == ["粒度", "个体级(可细化到单用户)", '群体级(如"25-30岁女性白领")']
    en = personas.persona_vs_segmentation("en")
    assert en.columns.tolist() == ["dimension", "persona", "segmentation"] and len(en) == 8
    assert en.loc["method", "persona"] == "machine-learning clustering plus a tag system"
    crmlab.set_language("zh")
    try:
        assert personas.persona_vs_segmentation().equals(zh)
    finally:
        crmlab.set_language("en")
    with pytest.raises(ValueError, match=r"language must be one of \['en', 'zh'\]; got 'fr'"):
        personas.persona_vs_segmentation("fr")


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
    for call in (personas.user_features, build_tags):
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
    with pytest.raises(ValueError, match="personas.build_tags: " + message):
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


@pytest.mark.parametrize("call, message", [
    (lambda f: select_k(f, ks=[]), r"the number of ks to try \(e.g. range\(2, 9\)\) must be a "
                                   r"whole number >= 1; got 0"),
    (lambda f: select_k(f, ks=[1]), r"each k must be a whole number in \[2, 599\]; got 1"),
    (lambda f: select_k(f, tolerance=-0.1), r"tolerance must be a number in \[0, 1\]; got -0.1"),
    (lambda f: find_personas(f, k=600), r"k must be a whole number in \[2, 599\]; got 600"),
    (lambda f: find_personas(f, k=3, n_init=0), r"n_init must be a whole number in \[1, 1000\]"),
    (lambda f: find_personas(f, k=3, random_state=-1), r"random_state must be a whole number >= 0"),
    (lambda f: find_personas(f, k=3, columns=["views", "city"]), r"column 'city' must be numeric"),
    (lambda f: find_personas(f, k=3, columns=["view"]), r"column 'view' is missing from `features`"),
    (lambda f: find_personas(f, k=3, columns=[]), r"no numeric column to cluster on"),
    (lambda f: find_personas(f.iloc[:2], k=2), r"`features` has 2 rows, 2 of them different; "
                                               r"clustering needs at least 3 rows"),
    (lambda f: find_personas(f.assign(views=np.nan), k=3, columns=["views"]),
     r"column 'views' has missing values \(NaN\)"),
    (lambda f: find_personas(pd.concat([f, f]), k=3, tags=pd.DataFrame({"user_id": ["U0001"],
                                                                        "tag": ["x"]})),
     r"`features` must have one row per user"),
    (lambda f: find_personas(f, k=3, tags=pd.DataFrame({"user": [1]})),
     r"column 'user_id' is missing from `tags`"),
    (lambda f: rule_segments(f, []), r"`by` must name at least one column"),
    (lambda f: rule_segments(f, "spend", bins=[1000]), r"`bins` be a dict"),
    (lambda f: rule_segments(f, "spend", bins={"spend": []}), r"bins\['spend'\] must be a list"),
    (lambda f: rule_segments(f, "city", bins={"city": [1]}), r"column 'city' must be numeric"),
    (lambda f: compare(f["views"], f["views"].iloc[:5]), r"must label the same users"),
    (lambda f: compare(f["views"], f["city"].where(f.index != "U0002")),
     r"every user needs a persona and a segment; missing at rows \['U0002'\]"),
    (lambda f: compare(f, f["city"]), r"`personas` must be one column of values"),
])
def test_bad_clustering_input_is_named(features, call, message):
    with pytest.raises(ValueError, match=message):
        call(features)


def test_identical_rows_cannot_make_more_clusters_than_they_have():
    same = pd.DataFrame({"x": [1.0, 1, 1, 2, 2, 3]})
    with pytest.raises(ValueError, match=r"k must be a whole number in \[2, 3\]; got 4"):
        find_personas(same, k=4)
    assert find_personas(same, k=2).labels.tolist() == [1, 1, 1, 2, 2, 2]   # a size tie: by centroid
    assert find_personas(same, k=3).labels.tolist() == [1, 1, 1, 2, 2, 3]
    with pytest.raises(ValueError, match=r"has 6 rows, 1 of them different; clustering needs"):
        find_personas(same.assign(x=1.0), k=2)


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
                                        ["purchase_propensity"], list(personas.TAG_RULES)]))
def test_fuzz_logs_give_tags_or_a_clear_error(frame, rules):
    f = correct_or_clear("personas.user_features", lambda: personas.user_features(frame))
    tags = correct_or_clear("personas.build_tags",
                            lambda: build_tags(frame, rules=rules, horizon_days=1))
    if f is not None and tags is not None:
        assert set(tags["user_id"]) <= set(f.index)


NUMBERS = st.one_of(st.floats(-5, 5), st.integers(-3, 3), BAD_CELLS)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(NUMBERS, NUMBERS), min_size=0, max_size=9), st.integers(2, 4))
def test_fuzz_features_give_personas_or_a_clear_error(rows, k):
    frame = pd.DataFrame(rows, columns=["a", "b"]) if rows else pd.DataFrame({"a": [], "b": []})
    result = correct_or_clear("personas.find_personas",
                              lambda: find_personas(frame, k, columns=["a", "b"]))
    if result is not None:
        assert sorted(result.labels.unique()) == list(range(1, k + 1))


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
