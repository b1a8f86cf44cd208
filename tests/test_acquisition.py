"""crmlab.acquisition on the courseware's platform case (seed 000 W11, F5, F6)."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import finite_or_clear, spoiled_frames

import crmlab
from crmlab import acquisition


@pytest.fixture(scope="module")
def platforms():
    return crmlab.load_dataset("platform_cac_2023").set_index("platform")


def test_effective_cac_matches_the_printed_ranges(platforms):
    eff = acquisition.effective_cac(platforms)
    assert eff["eff_cac_min"].round(6).tolist() == platforms["eff_cac_min_stated"].tolist()
    assert eff["eff_cac_max"].round(6).tolist() == platforms["eff_cac_max_stated"].tolist()
    assert eff["eff_cac_min"].round(0).tolist() == [216, 330, 104, 225]
    assert eff["eff_cac_max"].round(0).tolist() == [300, 440, 195, 330]


def test_multipliers_are_one_over_one_minus_return_rate_rounded(platforms):
    rounded = acquisition.effective_cac(platforms, multiplier="returns", decimals=1)
    assert rounded["multiplier"].tolist() == platforms["eff_mult_stated"].tolist()
    exact = acquisition.effective_cac(platforms, multiplier="returns")["multiplier"]
    assert exact.round(2).tolist() == [1.18, 1.11, 1.33, 1.54]


def test_ratios_from_the_ranges_and_the_inconsistent_pdd(platforms):
    r = acquisition.clv_cac_ratios(platforms)
    assert r["ratio_mid"].round(1).tolist() == [11.6, 12.1, 10.0, 8.6]
    assert r.loc["Pinduoduo", ["ratio_low", "ratio_high"]].round(1).tolist() == [10.0, 10.0]
    assert r.loc["Pinduoduo", "ratio_best"] == 18.75     # 1:18 only in the best case
    assert r["verdict"].to_dict() == {"Taobao": "approximate", "JD": "consistent",
                                      "Pinduoduo": "inconsistent", "Douyin": "consistent"}


def test_ranking_by_clv_over_effective_cac(platforms):
    ranked = acquisition.rank_by_value_per_cost(platforms)
    assert ranked.index.tolist() == ["JD", "Taobao", "Pinduoduo", "Douyin"]
    assert ranked["clv_per_cac"].round(1).tolist() == [11.0, 9.7, 7.7, 5.8]


def test_bad_ranges_and_rates(platforms):
    swapped = platforms.assign(cac_min=platforms["cac_max"] + 1)
    with pytest.raises(ValueError, match=r"column 'cac_min' is above 'cac_max'; got 251 at rows \[.Taobao., .JD., .Pinduoduo., .Douyin.\]"):
        acquisition.effective_cac(swapped)
    with pytest.raises(ValueError, match=r"return_rate must be a number in \[0, 1\); got 1.0"):
        acquisition.return_multiplier(1.0)
    with pytest.raises(ValueError, match=r"column 'clv_max' must be > 0; got -1 at rows \['JD'\]"):
        acquisition.clv_cac_ratios(platforms.assign(clv_max=[3000, -1, 1500, 2000]))


# ---- issue 9, section 4
def test_infinite_empty_and_unknown_inputs_are_refused(platforms):
    with pytest.raises(ValueError, match=r"acquisition.effective_cac: column 'cac_max' must be "
                                         r"finite; got inf at rows \['JD'\]"):
        acquisition.effective_cac(platforms.assign(cac_max=[250, np.inf, 150, 220]))
    with pytest.raises(ValueError, match=r"acquisition.clv_cac_ratios: `data` has no rows"):
        acquisition.clv_cac_ratios(platforms.iloc[:0])
    with pytest.raises(ValueError, match=r"column 'return_rate' must be in \[0, 1\); got 1.0 "
                                         r"at rows \['Douyin'\]"):
        acquisition.effective_cac(platforms.assign(return_rate=[0.1, 0.1, 0.2, 1.0]),
                                  multiplier="returns")
    with pytest.raises(ValueError, match=r"unknown keyword 'discount'"):
        acquisition.rank_by_value_per_cost(platforms, discount=0.1)
    with pytest.raises(ValueError, match=r"decimals must be a whole number in \[0, 6\]; got 1.5"):
        acquisition.effective_cac(platforms, multiplier="returns", decimals=1.5)
    with pytest.raises(ValueError, match=r"rough must be a number >= 0.3"):
        acquisition.clv_cac_ratios(platforms, close=0.3, rough=0.2)


# ---- properties
ranges = st.lists(st.tuples(st.floats(1, 1e4), st.floats(0, 1e4), st.floats(1, 1e5),
                            st.floats(0, 1e5), st.floats(1, 3), st.floats(0.5, 50)),
                  min_size=1, max_size=6).map(lambda rows: pd.DataFrame(
                      [{"cac_min": a, "cac_max": a + da, "clv_min": v, "clv_max": v + dv,
                        "eff_mult_stated": k, "cac_clv_ratio_stated": n}
                       for a, da, v, dv, k, n in rows]))


@given(data=ranges)
def test_ranges_order_the_ratios_and_costs(data):
    eff = acquisition.effective_cac(data)
    assert (eff["eff_cac_min"] <= eff["eff_cac_mid"] + 1e-9).all()
    assert (eff["eff_cac_mid"] <= eff["eff_cac_max"] + 1e-9).all()
    r = acquisition.clv_cac_ratios(data)
    for column in ("ratio_low", "ratio_high", "ratio_mid"):
        assert (r["ratio_worst"] <= r[column] * (1 + 1e-12)).all()
        assert (r[column] <= r["ratio_best"] * (1 + 1e-12)).all()
    ranked = acquisition.rank_by_value_per_cost(data)
    assert ranked["rank"].tolist() == list(range(1, len(data) + 1))
    assert ranked["clv_per_cac"].is_monotonic_decreasing


@given(rate=st.floats(0, 0.999))
def test_return_multiplier_is_one_over_the_share_kept(rate):
    assert acquisition.return_multiplier(rate) * (1 - rate) == pytest.approx(1.0)
    assert acquisition.return_multiplier([rate])[0] == pytest.approx(
        acquisition.return_multiplier(rate))


# ---- fuzz: every public function, correct or clear error
PREFIXES = ("acquisition.",)
NASTY = [np.nan, np.inf, -np.inf, -1, 0, 1e300, 1e-300, "x", "", None, pd.NA, True, 0.5]
SCALARS = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-5, 5),
                    st.sampled_from([None, "0.2", True, [0.2], [[0.1, 0.2]], pd.NA, (0.1, "x"),
                                     np.array([0.1, np.inf]), {"a": 0.1}]))


#: A platform table, spoiled now and then (see strategies.spoiled_frames).
TABLES = spoiled_frames(ranges.map(lambda frame: frame.assign(return_rate=0.2)),
                        ["cac_min", "cac_max", "clv_min", "clv_max", "eff_mult_stated",
                         "cac_clv_ratio_stated", "return_rate"], nasty=NASTY)


def correct_or_clear(call, *, columns=None):
    return finite_or_clear(call, PREFIXES, columns=columns)


@settings(max_examples=80, deadline=None)
@given(data=TABLES, rate=SCALARS, close=SCALARS,
       multiplier=st.sampled_from(["stated", "returns", "both", None]),
       decimals=st.sampled_from([None, 1, 0, -1, 1.5, "1"]))
def test_fuzz_every_acquisition_function_is_correct_or_clear(data, rate, close, multiplier,
                                                             decimals):
    correct_or_clear(lambda: acquisition.return_multiplier(rate))
    correct_or_clear(lambda: acquisition.effective_cac(data, multiplier=multiplier,
                                                       decimals=decimals))
    correct_or_clear(lambda: acquisition.clv_cac_ratios(data, close=close),
                     columns=["ratio_mid", "ratio_low", "ratio_high", "ratio_worst",
                              "ratio_best", "gap"])
    correct_or_clear(lambda: acquisition.rank_by_value_per_cost(data, multiplier=multiplier))


# ---- issue 10, section 3: chapter 4's numbers on the platform case, recomputed
def test_cost_drivers_conversion_and_break_even_margins(platforms):
    mid_clv = (platforms["clv_min"] + platforms["clv_max"]) / 2
    mid_cac = (platforms["cac_min"] + platforms["cac_max"]) / 2
    # cost drivers: Taobao +30% to +50% in big promotions, Douyin live stream −20%
    taobao = (platforms.loc["Taobao", "cac_min"] * 1.3, platforms.loc["Taobao", "cac_max"] * 1.5)
    douyin = (platforms.loc["Douyin", "cac_min"] * 0.8, platforms.loc["Douyin", "cac_max"] * 0.8)
    assert taobao == pytest.approx((234, 375)) and douyin == pytest.approx((120, 176))
    assert round(mid_clv["Taobao"] / (sum(taobao) / 2), 1) == 8.2          # from 11.6
    assert round(mid_clv["Douyin"] / (sum(douyin) / 2), 1) == 10.8         # from 8.6
    assert (mid_clv / mid_cac).round(1)[["Taobao", "Douyin"]].tolist() == [11.6, 8.6]
    # conversion: implied cost per click and clicks per customer kept
    per_click = mid_cac * platforms["click_to_purchase"]      # Taobao, JD, Pinduoduo, Douyin
    assert per_click.tolist() == pytest.approx([7.525, 14.7, 3.22, 12.025])
    clicks = (1 / (platforms["click_to_purchase"] * (1 - platforms["return_rate"]))).round(1)
    assert clicks.tolist() == [33.6, 26.5, 47.6, 23.7]
    # if CLV is revenue: the margin rate needed to recover the (effective) CAC
    assert (mid_cac / mid_clv).round(3).tolist() == [0.086, 0.082, 0.1, 0.116]
    need = (acquisition.effective_cac(platforms)["eff_cac_mid"] / mid_clv).round(3)
    assert need.tolist() == [0.103, 0.091, 0.13, 0.173]
    assert need[need < 0.10].index.tolist() == ["JD"]
