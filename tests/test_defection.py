"""crmlab.defection: the synthetic satisfaction panel is seeded and labelled, its mechanism
does what its documentation says, and the analysis helpers recompute by hand."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import NASTY, finite_or_clear

from crmlab import InputError, defection

PREFIXES = ("defection.",)


@pytest.fixture(scope="module")
def panel():
    return defection.make_satisfaction_panel()


def test_panel_is_synthetic_seeded_and_reproducible(panel):
    assert panel.attrs["synthetic"] is True
    assert "make_satisfaction_panel(n=2000, seed=20261130" in panel.attrs["generator"]
    assert panel.equals(defection.make_satisfaction_panel())
    assert not panel.equals(defection.make_satisfaction_panel(seed=1))
    assert panel["csat"].between(1, 10).all() and panel["defected"].isin([0, 1]).all()
    assert list(panel.columns) == ["customer_id", "basic_sat", "latent_sat", "csat",
                                   "price_sensitivity", "competitor_offer", "p_repurchase",
                                   "defected"]


def test_the_trap_high_csat_does_not_mean_loyalty(panel):
    """Repurchase rises with CSAT at the bottom of the scale and levels off at the top."""
    curve = defection.loyalty_by_satisfaction(panel)
    top = curve.loc[[7, 8, 9, 10], "repurchase_rate"]
    assert top.max() - top.min() < 0.06
    assert curve.loc[4, "repurchase_rate"] < top.min()
    out = defection.satisfied_defectors(panel)
    assert out["satisfied_defectors"] == ((panel["csat"] >= 8) & (panel["defected"] == 1)).sum()
    assert 0.15 < out["share_of_defectors"] < 0.5


def test_csat_alone_predicts_churn_poorly_unless_the_mechanism_is_switched_off(panel):
    default = defection.churn_models(panel)
    assert default["auc_full"] - default["auc_baseline"] > 0.1
    assert default["auc_baseline"] < 0.65
    plain = defection.churn_models(defection.make_satisfaction_panel(latent_strength=0,
                                                                     competitor_pressure=0))
    assert abs(plain["auc_gap"]) < 0.05      # nothing left for the extra features to find
    assert defection.churn_models(panel).equals(default)          # same figures every run


def test_loyalty_curve_intervals_contain_the_rate():
    data = pd.DataFrame({"csat": [1, 1, 2, 2, 2, 3], "defected": [1, 0, 0, 0, 1, 0]})
    curve = defection.loyalty_by_satisfaction(data)
    assert curve["repurchase_rate"].tolist() == pytest.approx([0.5, 2 / 3, 1.0])
    assert (curve["low"] <= curve["repurchase_rate"]).all()
    assert (curve["repurchase_rate"] <= curve["high"] + 1e-12).all()


def test_bad_input_is_named():
    with pytest.raises(InputError, match="n must be"):
        defection.make_satisfaction_panel(0)
    with pytest.raises(InputError, match=r"competitor_pressure must be a number in \[0, 1\]"):
        defection.make_satisfaction_panel(10, competitor_pressure=1.5)
    data = pd.DataFrame({"csat": [9, 8], "defected": [1, 2]})
    with pytest.raises(InputError, match=r"column 'defected' must be 0/1 \(1 = defected\); got 2"):
        defection.satisfied_defectors(data)
    with pytest.raises(InputError, match="needs at least 10 defectors and 10 stayers"):
        defection.churn_models(defection.make_satisfaction_panel(15))


@given(st.integers(1, 300), st.integers(0, 2**32), st.floats(0, 1), st.floats(0, 1))
@settings(max_examples=25, deadline=None)
def test_any_valid_panel_is_well_formed(n, seed, strength, pressure):
    p = defection.make_satisfaction_panel(n, seed, latent_strength=strength,
                                          competitor_pressure=pressure)
    assert len(p) == n and p["p_repurchase"].between(0.01, 0.99).all()
    assert p[["basic_sat", "latent_sat", "price_sensitivity"]].stack().between(0, 1).all()


SCALARS = st.sampled_from([0, 1, 0.5, -1, 2, 1.5, np.nan, np.inf, None, "3", 10, 2000])


@settings(max_examples=40, deadline=None)
@given(n=SCALARS, a=SCALARS, b=SCALARS,
       cells=st.lists(st.sampled_from([0, 1, 9, 3, *NASTY]), min_size=0, max_size=8))
def test_fuzz_every_defection_function_is_correct_or_clear(n, a, b, cells):
    finite_or_clear(lambda: defection.make_satisfaction_panel(n, latent_strength=a,
                                                              competitor_pressure=b),
                    PREFIXES)
    frame = pd.DataFrame({"csat": cells, "defected": cells[::-1], "latent_sat": cells,
                          "competitor_offer": cells, "price_sensitivity": cells})
    finite_or_clear(lambda: defection.satisfied_defectors(frame, satisfied_from=a), PREFIXES)
    finite_or_clear(lambda: defection.loyalty_by_satisfaction(frame), PREFIXES)
    finite_or_clear(lambda: defection.churn_models(frame, test_size=a), PREFIXES)


def test_the_chapter_figures_at_the_default_parameters(panel):
    """The closing note of chapter 5 quotes these: recomputed on every run, same values."""
    models = defection.churn_models(panel)
    assert round(models["auc_baseline"], 3) == 0.562 and round(models["auc_full"], 3) == 0.714
    trapped = defection.satisfied_defectors(panel)
    assert (trapped["satisfied_defectors"], trapped["defectors"]) == (166, 656)
    assert round(trapped["share_of_defectors"], 3) == 0.253
