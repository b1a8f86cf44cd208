"""crmlab.personas: personas found again on the synthetic log, Caravan facts, rule segments.

Numbers asserted here are recomputations (this suite's generator, k-means with a fixed seed)
or the Caravan file's own counts; the courseware's table is checked against the slide text.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import adjusted_rand_score
from strategies import BAD_CELLS, correct_or_clear

import crmlab
from crmlab import personas, synthetic
from crmlab.personas import compare, find_personas, rule_segments, select_k
from crmlab.tags import build_tags, user_features


@pytest.fixture(scope="module")
def log():
    return synthetic.make_event_log()


@pytest.fixture(scope="module")
def features(log):
    return user_features(log)


@pytest.fixture(scope="module")
def found(features):
    return find_personas(features, columns=personas.CLUSTER_COLUMNS)


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


NUMBERS = st.one_of(st.floats(-5, 5), st.integers(-3, 3), BAD_CELLS)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(NUMBERS, NUMBERS), min_size=0, max_size=9), st.integers(2, 4))
def test_fuzz_features_give_personas_or_a_clear_error(rows, k):
    frame = pd.DataFrame(rows, columns=["a", "b"]) if rows else pd.DataFrame({"a": [], "b": []})
    result = correct_or_clear("personas.find_personas",
                              lambda: find_personas(frame, k, columns=["a", "b"]))
    if result is not None:
        assert sorted(result.labels.unique()) == list(range(1, k + 1))


def test_the_tags_moved_names_still_work_from_personas():
    """The tags moved to crmlab.tags; personas re-exports them (its "Moved names")."""
    for name in ("user_features", "build_tags", "TAG_RULES", "TAG_TERMS", "TAG_WORDS"):
        assert getattr(personas, name) is getattr(crmlab.tags, name)
        assert name not in personas.__all__ and name in crmlab.tags.__all__
