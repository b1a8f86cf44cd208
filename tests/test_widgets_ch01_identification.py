"""crmlab.widgets.ch01_identification: the state explorer, the tag threshold, the pyramid's
cut-offs and the index weights follow their controls and match the compute calls."""

import pandas as pd
import pytest

import crmlab
from crmlab import i18n, identify, personas, synthetic, tiers
from crmlab.widgets import (pyramid_explorer, spend_threshold_explorer, state_explorer,
                            tiering_weights)
from crmlab.tiers import example_accounts, indicator_table


@pytest.fixture(scope="module")
def sample():
    return crmlab.load_dataset("cdnow_sample")


def test_state_explorer_defaults_to_cdnow_and_follows_its_sliders():
    panel = state_explorer()
    assert panel.result["customers"].tolist() == [0, 0, 8350, 15220]      # test_identify too
    assert panel.result.loc["lost", "first_time"] == 11_908                # the one-time buyers
    panel.controls["min_purchases"].value = 3      # buyers move within actual and lost only
    assert panel.result["customers"].tolist() == [0, 0, 8350, 15220]
    cdnow = crmlab.load_dataset("cdnow_master")
    purchases = cdnow.groupby("customer_id").size()
    assert panel.result["first_time"].sum() == (purchases < 3).sum()


def test_state_explorer_shows_all_four_states_with_contacts():
    log = synthetic.make_event_log()
    people = log.groupby("user_id")["ts"].max().rename("last_contact").reset_index()
    panel = state_explorer(log[log["event_type"] == "purchase"], people, as_of="2025-06-30",
                           customer="user_id", date="ts")
    panel.controls["lost_after"].value = 30
    panel.controls["contact_window"].value = 30
    assert panel.result["customers"].tolist() == [0, 200, 248, 152]     # test_identify: 7-day
    assert panel.result.loc["potential", ["first_time", "repeat"]].tolist() == [0, 0]


@pytest.mark.parametrize("language, labels", [
    ("en", ["non-customer", "potential customer", "actual customer", "lost (churned) customer",
            "first-time buyer", "repeat buyer"]),
    ("zh", ["非客户", "潜在客户", "现实客户", "流失客户", "初次购买者", "重复购买者"])])
def test_the_state_table_shows_its_numbers_in_both_languages(language, labels):
    # a regression test: translated labels once re-indexed the counts into blank cells
    i18n.set_language(language)
    try:
        html = state_explorer().view.value
        spend = spend_threshold_explorer().view.value
    finally:
        i18n.set_language("en")
    for text in ("8,350", "15,220", "11,908", "3,312", "35.4%", "64.6%", *labels):
        assert text in html
    assert "NaN" not in html and "nan" not in html
    for text in ("126", "274", "200", "21.0%", "45.7%", "33.3%"):
        assert text in spend
    assert "NaN" not in spend and "nan" not in spend


def test_state_explorer_matches_the_function_call(sample):
    panel = state_explorer(sample)
    panel.controls["lost_after"].value = 180
    expected = identify.state_counts(identify.customer_states(sample, as_of="1998-06-30",
                                                              lost_after=180))
    pd.testing.assert_frame_equal(panel.result, expected)
    assert "8,350" not in panel.view.value and "actual customer" in panel.view.value
    for n in expected["customers"]:
        assert f">{n:,}<" in panel.view.value


def test_a_longer_lost_after_never_loses_actual_customers(sample):
    panel = state_explorer(sample)
    actual = []
    for days in (60, 180, 365, 720):
        panel.controls["lost_after"].value = days
        actual.append(int(panel.result.loc["actual", "customers"]))
    assert actual == sorted(actual) and actual[0] < actual[-1]


def test_spend_threshold_explorer_counts_the_three_tags():
    panel = spend_threshold_explorer()
    assert panel.result["users"].tolist() == [126, 274, 200]
    panel.controls["high_spend"].value = 3000
    assert panel.result["users"].tolist() == [35, 365, 200]
    log = synthetic.make_event_log(80, seed=5)
    small = spend_threshold_explorer(log)
    small.controls["high_spend"].value = 500
    tags = personas.build_tags(log, rules=["spend_level"], high_spend=500)
    assert small.result["users"].to_dict() == tags["tag"].value_counts().reindex(
        small.result.index, fill_value=0).to_dict()
    assert "mid-to-high-end consumer" in small.view.value


def test_raising_the_threshold_never_adds_mid_to_high_end_consumers():
    panel = spend_threshold_explorer(synthetic.make_event_log(120, seed=8))
    counts = []
    for threshold in (100, 500, 1000, 2500, 5000):
        panel.controls["high_spend"].value = threshold
        counts.append(int(panel.result.loc["mid-to-high-end consumer", "users"]))
        assert panel.result["users"].sum() == 120
    assert counts == sorted(counts, reverse=True)


def test_pyramid_explorer_matches_the_pyramid_and_keeps_its_cutoffs_increasing():
    panel = pyramid_explorer()
    assert panel.result["customers"].tolist() == [4715, 7070, 7392, 4393]
    assert panel.result.loc["Platinum", "value_share"] == pytest.approx(0.678, abs=5e-4)
    values = pd.Series([900, 50, 400, 400, 10, 300, 120, 80, 60, -20])
    small = pyramid_explorer(values)
    placed = tiers.customer_pyramid(values.to_frame("value"))
    assert small.result["customers"].tolist() == \
        placed["tier"].value_counts().reindex(list(tiers.PYRAMID_TIERS), fill_value=0).tolist()
    small.controls["gold"].value = 0.1                  # below Platinum's 0.2
    assert small.result.attrs["cutoffs"] == (0.2, 0.25, 0.8)
    small.controls["iron"].value = 0.15                 # below Gold
    cutoffs = small.result.attrs["cutoffs"]
    assert cutoffs[0] < cutoffs[1] < cutoffs[2]
    assert "the suite's choice" in small.view.value


def test_tiering_weights_rank_the_accounts_and_follow_the_sliders():
    panel = tiering_weights()
    assert panel.result.index[:3].tolist() == ["B", "C", "G"]
    assert panel.result.loc["A", "rank"] == 6
    expected = tiers.tiering_index(indicator_table(example_accounts()))
    assert panel.result["index"].sort_index().tolist() == \
        pytest.approx(expected["index"].sort_index().tolist())
    panel.controls["order_amount"].value = 1.0
    for name in ("profit_contribution", "credit_status", "prospects"):
        panel.controls[name].value = 0.0
    assert panel.result.index[0] == "A"                  # orders alone: the largest first
    for name in tiers.TIERING_INDICATORS:
        panel.controls[name].value = 0.0                 # no weight at all: equal weights
    assert panel.result.index[:3].tolist() == ["B", "C", "G"]
    assert "weights used" in panel.view.value
    assert "every weight was 0, so equal weights are used" in panel.view.value
    panel.controls["prospects"].value = 0.5
    assert "every weight was 0" not in panel.view.value


def test_the_weights_panel_shows_the_digits_of_its_static_twin():
    """A's index is 0.4425 and F's 0.2375: the panel must round them as the static cell's
    ``.result.round(3)`` does (0.442, 0.238), not as "{:.3f}" alone would (0.443, 0.237)."""
    panel = tiering_weights()
    static = panel.result["index"].round(3)
    assert static[["A", "F"]].tolist() == [0.442, 0.238]
    for account, value in static.items():
        assert f"<td>{account}</td><td>{value:.3f}</td>" in panel.view.value
    assert "0.443" not in panel.view.value and "0.237" not in panel.view.value


def test_the_accounts_are_labelled_invented():
    accounts = example_accounts()
    assert accounts.attrs["synthetic"] is True and len(accounts) == 10
    assert "INVENTED" in example_accounts.__doc__


def test_the_dashboards_speak_the_sessions_language():
    i18n.set_language("zh")
    try:
        assert "现实客户" in state_explorer().view.value
        assert "中高端消费者" in spend_threshold_explorer().view.value
        pyramid = pyramid_explorer()
        assert "铂金层" in pyramid.view.value and pyramid.result.index[0] == "Platinum"
        weights = tiering_weights()
        assert weights.controls["credit_status"].description.endswith("客户信用状况")
        bundle = weights.widget._repr_mimebundle_()
        assert "text/plain" in bundle and "交互" in bundle["text/plain"]
    finally:
        i18n.set_language("en")
