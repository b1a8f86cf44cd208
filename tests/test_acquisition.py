"""crmlab.acquisition on the courseware's platform case (seed 000 W11, F5, F6)."""

import pandas as pd
import pytest

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
