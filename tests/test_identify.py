"""crmlab.identify: customer states and lifecycle stages under explicit rules (by hand and on
CDNOW, recomputed with plain pandas), the courseware's tables, linkage quality, bad input."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import DATE_CELLS, correct_or_clear, frames, or_not_a_frame
from strategies import cells as cell_strategy

import crmlab
from crmlab import identify


@pytest.fixture
def states_log():
    return pd.DataFrame({"customer_id": ["a", "a", "b", "c", "f", "f", "f"],
                         "date": ["2024-01-05", "2024-06-01", "2023-03-01", "2024-05-20",
                                  "2022-01-01", "2022-02-01", "2022-03-01"]})


@pytest.fixture
def known():
    return pd.DataFrame({"customer_id": ["d", "e", "g"],
                         "last_contact": ["2024-06-10", None, "2022-12-31"]})


# ---- states
def test_states_by_hand(states_log, known):
    out = identify.customer_states(states_log, known, as_of="2024-06-30")
    assert out["state"].to_dict() == {"a": "actual", "b": "lost", "c": "actual", "f": "lost",
                                      "d": "potential", "e": "non-customer",
                                      "g": "non-customer"}
    assert out["buyer"].to_dict() == {"a": "repeat", "b": "first-time", "c": "first-time",
                                      "f": "repeat", "d": "", "e": "", "g": ""}
    assert out.loc["a", "days_since_purchase"] == 29 and out.loc["d", "purchases"] == 0
    assert out.loc["b", "rule"] == ("1 purchases < 2 (first-time buyer), last 487.0 days ago "
                                    "> 365")
    assert out.loc["d", "rule"] == "no purchase, a contact within 365 days"
    # min_purchases only moves buyers between first-time and repeat: states never change
    three = identify.customer_states(states_log, known, as_of="2024-06-30", min_purchases=3)
    assert three["state"].equals(out["state"])
    assert three["buyer"][["a", "f"]].tolist() == ["first-time", "repeat"]   # 2 and 3 purchases
    window = identify.customer_states(states_log, known, as_of="2024-06-30", contact_window=10)
    assert window.loc["d", "state"] == "non-customer"        # contacted 20 days ago
    assert window.loc["c", "state"] == "actual"              # a buyer, whatever the window


def test_the_rule_column_speaks_the_sessions_language_and_the_states_do_not(states_log, known):
    crmlab.set_language("zh")
    try:
        out = identify.customer_states(states_log, known, as_of="2024-06-30")
    finally:
        crmlab.set_language("en")
    assert out.loc["b", "rule"] == "购买 1 次 < 2（初次购买者），最近一次在 487.0 天前 > 365"
    assert out.loc["a", "rule"] == "购买 2 次 ≥ 2（重复购买者），最近一次在 29.0 天前 ≤ 365"
    assert out.loc["d", "rule"] == "没有购买，365 天内有过接触"
    assert out.loc["e", "rule"] == "没有购买，365 天内没有接触"
    assert out["state"].tolist() == identify.customer_states(
        states_log, known, as_of="2024-06-30")["state"].tolist()          # the data: English


def test_a_buyer_is_never_potential_or_non_customer(states_log, known):
    for rules in ({}, {"min_purchases": 5}, {"lost_after": 1, "contact_window": 1},
                  {"lost_after": 36500, "contact_window": 36500}):
        out = identify.customer_states(states_log, known, as_of="2024-06-30", **rules)
        buyers = out["purchases"] > 0
        assert set(out.loc[buyers, "state"]) <= {"actual", "lost"}
        assert set(out.loc[~buyers, "state"]) <= {"potential", "non-customer"}
        assert (out.loc[~buyers, "buyer"] == "").all()


def test_state_counts_keep_the_courseware_order_and_zero_states(states_log):
    counts = identify.state_counts(identify.customer_states(states_log, as_of="2024-06-30"))
    assert counts.index.tolist() == ["non-customer", "potential", "actual", "lost"]
    assert counts["customers"].tolist() == [0, 0, 2, 2] and counts["share"].sum() == 1
    assert counts["first_time"].tolist() == [0, 0, 1, 1]
    assert counts["repeat"].tolist() == [0, 0, 1, 1]
    assert identify.state_counts(pd.Series(["lost"])).columns.tolist() == ["customers", "share"]


def test_cdnow_states_at_mid_1998():
    # every CDNOW customer first bought in Q1 1997; recomputed here with plain pandas
    cdnow = crmlab.load_dataset("cdnow_master")
    last = cdnow.groupby("customer_id")["date"].max()
    purchases = cdnow.groupby("customer_id").size()
    recent = last >= pd.Timestamp("1997-06-30")              # at most 365 days before 1998-06-30
    counts = identify.state_counts(identify.customer_states(cdnow, as_of="1998-06-30"))
    assert counts["customers"].to_dict() == {"non-customer": 0, "potential": 0,
                                             "actual": recent.sum(), "lost": (~recent).sum()}
    assert counts.loc["actual", "customers"] == 8350 and counts.loc["lost", "customers"] == 15220
    # the one-time buyers (11,908, as in the RFM chapter) are first-time buyers, all lost:
    # their only purchase is over a year old
    once = purchases == 1
    assert counts.loc["lost", "first_time"] == (once & ~recent).sum() == once.sum() == 11_908
    assert counts.loc["lost", "repeat"] == (~once & ~recent).sum() == 3312
    assert counts.loc["actual", "repeat"] == 8350 and counts.loc["actual", "first_time"] == 0
    # three purchases to count as a repeat buyer: the two-time buyers move, the states do not
    three = identify.state_counts(identify.customer_states(cdnow, as_of="1998-06-30",
                                                           min_purchases=3))
    assert three["customers"].equals(counts["customers"])
    assert three["first_time"].sum() == (purchases < 3).sum()


def test_the_synthetic_app_log_shows_all_four_states():
    # the chapter's example of people who made contact (views, likes) but never bought
    from crmlab import synthetic
    log = synthetic.make_event_log()
    buys = log[log["event_type"] == "purchase"]
    people = log.groupby("user_id")["ts"].max().rename("last_contact").reset_index()
    out = identify.customer_states(buys, people, customer="user_id", date="ts",
                                   as_of="2025-06-30", lost_after=30, contact_window=7)
    days = lambda t: (pd.Timestamp("2025-06-30") - t) / pd.Timedelta(days=1)
    last_buy = buys.groupby("user_id")["ts"].max()
    never = people.set_index("user_id")["last_contact"].drop(last_buy.index)
    expected = {"non-customer": int((days(never) > 7).sum()),
                "potential": int((days(never) <= 7).sum()),
                "actual": int((days(last_buy) <= 30).sum()),
                "lost": int((days(last_buy) > 30).sum())}
    assert identify.state_counts(out)["customers"].to_dict() == expected
    assert list(expected.values()) == [7, 193, 248, 152]
    once = buys.groupby("user_id").size() == 1                         # first-time buyers
    recent = days(last_buy) <= 30
    counts = identify.state_counts(out)
    assert counts.loc[["actual", "lost"], "first_time"].tolist() == \
        [int((once & recent).sum()), int((once & ~recent).sum())] == [27, 77]


def test_a_recent_contact_keeps_a_buyer_out_of_lost_only_when_asked():
    """engaged_within: a buyer who stopped buying but made contact within that many days is
    actual (the relationship has not ended); without it, purchases alone decide."""
    from crmlab import synthetic
    log = pd.DataFrame({"customer_id": ["a", "b", "c", "d"],
                        "date": ["2024-01-01", "2024-01-01", "2024-06-20", "2024-01-01"]})
    contacts = pd.DataFrame({"customer_id": ["a", "b", "c", "e"],
                             "last_contact": ["2024-06-29", "2024-05-01", None, "2024-06-29"]})
    plain = identify.customer_states(log, contacts, as_of="2024-06-30", lost_after=30)
    kept = identify.customer_states(log, contacts, as_of="2024-06-30", lost_after=30,
                                    engaged_within=7)
    assert plain["state"].tolist() == ["lost", "lost", "actual", "lost", "potential"]
    assert kept["state"].tolist() == ["actual", "lost", "actual", "lost", "potential"]
    assert kept["buyer"].tolist() == plain["buyer"].tolist()        # the kind does not move
    assert kept.loc["a", "rule"].endswith("> 30, but a contact 1.0 days ago <= 7")
    assert kept.drop(index="a")["rule"].tolist() == plain.drop(index="a")["rule"].tolist()
    # the chapter's app log: 141 of its 152 lost buyers used the app in the last 7 days
    app = synthetic.make_event_log()
    people = app.groupby("user_id")["ts"].max().rename("last_contact").reset_index()
    rules = dict(customer="user_id", date="ts", as_of="2025-06-30", lost_after=30,
                 contact_window=7)
    purchases = app[app["event_type"] == "purchase"]
    before = identify.customer_states(purchases, people, **rules)
    after = identify.customer_states(purchases, people, engaged_within=7, **rules)
    lost = before["state"] == "lost"
    recent = before["days_since_contact"] <= 7
    assert int((lost & recent).sum()) == 141
    assert (after.loc[lost & recent, "state"] == "actual").all()
    assert identify.state_counts(after)["customers"].tolist() == [7, 193, 248 + 141, 152 - 141]


@given(st.floats(1, 2000), st.floats(1, 2000), st.integers(2, 5), st.integers(2, 5))
def test_a_longer_lost_after_never_loses_actual_customers_and_min_purchases_no_state(
        d1, d2, m1, m2):
    log = pd.DataFrame({"customer_id": list("aabbbcdde"),
                        "date": ["2023-01-01", "2024-05-01", "2022-01-01", "2022-06-01",
                                 "2024-06-01", "2021-01-01", "2024-06-20", "2024-06-21",
                                 "2023-12-01"]})
    short, long_ = sorted([d1, d2])
    few, many = sorted([m1, m2])
    states = lambda **k: identify.customer_states(log, as_of="2024-06-30", **k)
    actual = lambda **k: set(states(**k).query("state == 'actual'").index)
    assert actual(lost_after=short) <= actual(lost_after=long_)
    assert states(min_purchases=many)["state"].equals(states(min_purchases=few)["state"])
    repeat = lambda m: set(states(min_purchases=m).query("buyer == 'repeat'").index)
    assert repeat(many) <= repeat(few)


# ---- lifecycle stages
def test_lifecycle_stages_by_hand_in_both_versions():
    log = pd.DataFrame({"customer_id": ["a", "a", "a", "b", "b", "c", "d", "e", "e"],
                        "date": ["2024-05-01", "2024-06-01", "2023-12-01", "2023-11-01",
                                 "2023-12-01", "2024-06-20", "2022-01-01", "2024-03-01",
                                 "2023-12-20"]})
    people = pd.DataFrame({"customer_id": ["z"]})
    six = identify.lifecycle_stages(log, people, as_of="2024-06-30")
    assert six["stage"].to_dict() == {"a": "growth", "b": "decline", "c": "development",
                                      "d": "termination", "e": "maturity", "z": "potential"}
    five = identify.lifecycle_stages(log, people, as_of="2024-06-30", version=5)
    assert five["stage"].to_dict() == {"a": "growth", "b": "decline", "c": "acquisition",
                                       "d": "termination", "e": "maturity", "z": "acquisition"}
    assert five.loc["c", "name_zh"] == "潜在获取期" and six.loc["c", "name_zh"] == "客户开发(发展)期"


def test_cdnow_lifecycle_stages_recomputed():
    cdnow = crmlab.load_dataset("cdnow_master")
    stages = identify.lifecycle_stages(cdnow, as_of="1998-06-30")
    age = (pd.Timestamp("1998-06-30") - cdnow["date"]).dt.days
    r = cdnow[age < 180].groupby("customer_id").size().reindex(stages.index, fill_value=0)
    e = cdnow[(age >= 180) & (age < 360)].groupby("customer_id").size().reindex(
        stages.index, fill_value=0)
    lost = stages["days_since_purchase"] > 365
    expected = np.select([lost, r > e, (r < e) | (r == 0)], ["termination", "growth", "decline"],
                         "maturity")
    assert (stages["stage"].to_numpy() == expected).all()
    assert stages["stage"].value_counts().to_dict() == {"termination": 15220, "decline": 4257,
                                                        "growth": 3027, "maturity": 1066}
    five = identify.lifecycle_stages(cdnow, as_of="1998-06-30", version=5)
    assert (five["stage"] == stages["stage"]).all()          # nobody new in the last 180 days


# ---- the courseware's tables (lectures 2–4, ch. 3 and 4; courseware ch. 3, §1)
def test_the_five_identification_steps_in_order():
    steps = identify.IDENTIFICATION_STEPS
    assert steps["name_zh"].tolist() == ["定义信息", "收集信息", "整合、管理信息", "更新信息", "信息安全"]
    assert steps["step"].tolist() == [1, 2, 3, 4, 5]


def test_the_5_and_6_stage_lifecycles():
    life = identify.LIFECYCLES
    six = life[life["version"] == 6]["name_zh"].tolist()
    five = life[life["version"] == 5]["name_zh"].tolist()
    assert len(six) == 6 and len(five) == 5
    assert six[0] == "潜在客户期" and five[0] == "潜在获取期" and six[-3:] == five[-3:]


def test_information_schema_and_channels():
    schema = identify.INFO_SCHEMA
    behaviour = schema.query("kind == 'individual' and group == 'behaviour'")["field_zh"]
    assert behaviour.tolist() == ["购买频率", "购买种类", "购买金额", "购买途径"]
    assert "血型" in schema.query("group == 'basic'")["field_zh"].tolist()
    assert "信用等级" in schema.query("group == 'transaction'")["field_zh"].tolist()
    assert set(schema["group"]) == {"basic", "attitude", "behaviour", "business", "transaction",
                                    "key_person"}
    channels = identify.COLLECTION_CHANNELS["channel"].value_counts().to_dict()
    assert channels == {"direct": 4, "indirect": 2}


def test_unicom_key_is_labelled_as_the_suites_own():
    key = identify.UNICOM_DATA_KEY.set_index("item_zh")
    assert key.loc["打电话", "data_type"] == "user behaviour"
    assert key.loc["后付费", "data_type"] == "business behaviour"
    assert set(key.loc[["三星", "安卓系统", "石家庄"], "data_type"]) == {"device environment"}
    assert key["key_source"].str.contains("suite's own").all()
    assert identify.STATES == ("non-customer", "potential", "actual", "lost")


# ---- linkage quality
def test_linkage_quality_counts_pairs():
    q = identify.linkage_quality(["C1", "C1", "C1", "C2", None], ["P1", "P1", "P2", "P2", "P3"])
    assert q[["pairs_found", "pairs_true", "pairs_correct"]].tolist() == [3, 2, 1]
    assert q["precision"] == pytest.approx(1 / 3) and q["recall"] == 0.5
    perfect = identify.linkage_quality(["a", "a", "b"], ["x", "x", "y"])
    assert perfect[["precision", "recall", "f1"]].tolist() == [1.0, 1.0, 1.0]
    none = identify.linkage_quality(["a", "b"], ["x", "y"])
    assert np.isnan(none["precision"]) and np.isnan(none["recall"])
    with pytest.raises(ValueError, match=r"identify.linkage_quality: `found` has 2 ids and "
                                         r"`truth` 1"):
        identify.linkage_quality(["a", "b"], ["x"])


# ---- bad input
@pytest.mark.parametrize("change, kwargs, message", [
    (lambda d: d.iloc[:0], {}, r"`transactions` is empty; give at least one purchase"),
    (lambda d: d.drop(columns="date"), {}, r"column 'date' is missing from `transactions`"),
    (lambda d: d.rename(columns={"customer_id": "id"}), {},
     r"column 'customer_id' is missing.*customer_states\(..., customer=...\)"),
    (lambda d: d.assign(date=["2024-01-05", "soon"] + ["2024-01-01"] * 5), {},
     r"column 'date' has values that are not dates, e.g. 'soon' at rows \[1\]"),
    (lambda d: d.assign(customer_id=["a", None] + ["b"] * 5), {},
     r"missing customer ids at rows \[1\]"),
    (lambda d: d, {"lost_after": 0}, r"lost_after must be a number in \(0, 36500\]; got 0"),
    (lambda d: d, {"lost_after": -30}, r"lost_after must be a number"),
    (lambda d: d, {"lost_after": np.inf}, r"lost_after must be a number"),
    (lambda d: d, {"lost_after": "365"}, r"lost_after must be a number"),
    (lambda d: d, {"min_purchases": 1}, r"min_purchases must be a whole number in \[2, 1000\]"),
    (lambda d: d, {"min_purchases": 1.5}, r"min_purchases must be a whole number"),
    (lambda d: d, {"contact_window": -1}, r"contact_window must be a number"),
    (lambda d: d, {"engaged_within": 0}, r"engaged_within must be a number in \(0, 36500\]"),
    (lambda d: d, {"engaged_within": "7"}, r"engaged_within must be a number"),
    (lambda d: d, {"as_of": "2023-01-01"}, r"as_of 2023-01-01 is earlier than purchases at rows"),
])
def test_states_refuse_bad_input(states_log, change, kwargs, message):
    with pytest.raises(ValueError, match=r"identify.customer_states: .*" + message):
        identify.customer_states(change(states_log), **kwargs)


def test_population_must_name_each_person_once(states_log):
    twice = pd.DataFrame({"customer_id": ["d", "d"]})
    with pytest.raises(ValueError, match=r"column 'customer_id' of `population` must hold one "
                                         r"non-missing id per person; got 'd' at rows \[0, 1\]"):
        identify.customer_states(states_log, twice)
    with pytest.raises(ValueError, match=r"`population` must be a pandas DataFrame"):
        identify.customer_states(states_log, ["d"])
    bad = pd.DataFrame({"customer_id": ["d"], "last_contact": ["yesterday"]})
    with pytest.raises(ValueError, match=r"column 'last_contact' of `population` has values"):
        identify.customer_states(states_log, bad)


@pytest.mark.parametrize("kwargs, message", [
    ({"version": 4}, r"version must be one of \[5, 6\]; got 4"),
    ({"version": "6"}, r"version must be one of \[5, 6\]; got '6'"),
    ({"window": 0}, r"window must be a number in \(0, 36500\]"),
])
def test_lifecycle_refuses_bad_options(states_log, kwargs, message):
    with pytest.raises(ValueError, match=r"identify.lifecycle_stages: " + message):
        identify.lifecycle_stages(states_log, **kwargs)


def test_state_counts_refuses_unknown_states():
    with pytest.raises(ValueError, match=r"identify.state_counts: unknown states, e.g. 'vip' at "
                                         r"rows \[1\]; states are \['non-customer'"):
        identify.state_counts(pd.Series(["actual", "vip"]))
    with pytest.raises(ValueError, match=r"identify.state_counts: `states` must be"):
        identify.state_counts(["actual"])


LOG = {"customer_id": cell_strategy(st.sampled_from(["a", "b", 3])),
       "date": cell_strategy(DATE_CELLS)}


@given(or_not_a_frame(frames(LOG, max_rows=8)),
       st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-5, 800),
                 st.sampled_from([None, "30", True])),
       st.one_of(st.integers(-1, 4), st.sampled_from([2.0, None, "2"])))
def test_fuzz_states_and_stages_give_a_table_or_a_clear_error(log, lost_after, min_purchases):
    out = correct_or_clear("identify.customer_states", lambda: identify.customer_states(
        log, lost_after=lost_after, min_purchases=min_purchases))
    if out is not None:
        assert set(out["state"]) <= set(identify.STATES) and len(out) >= 1
    stages = correct_or_clear("identify.lifecycle_stages", lambda: identify.lifecycle_stages(
        log, lost_after=lost_after))
    if stages is not None:
        assert stages["name_zh"].notna().all()


def test_every_state_stage_and_tier_has_a_term_in_both_languages():
    from crmlab import i18n, tiers

    keys = [*identify.STATE_TERMS.values(), *identify.STAGE_TERMS.values(),
            *tiers.TIER_TERMS.values()]
    assert set(identify.STATE_TERMS) == set(identify.STATES)
    assert set(identify.STAGE_TERMS) == set(identify.LIFECYCLES["stage"])
    for key in keys:
        assert i18n.term(key, language="zh") and i18n.term(key, language="en")
    assert i18n.term("stage_acquisition", language="zh") == "潜在获取期"
    assert [i18n.term(identify.STATE_TERMS[s], language="zh") for s in identify.STATES] == \
        ["非客户", "潜在客户", "现实客户", "流失客户"]
