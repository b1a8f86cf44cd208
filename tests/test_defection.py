"""crmlab.defection: the synthetic satisfaction panel is seeded and labelled, its mechanism
does what its documentation says, and the analysis helpers recompute by hand."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import NASTY, finite_or_clear

from crmlab import InputError, defection, satisfaction

PREFIXES = ("defection.",)


@pytest.fixture(scope="module")
def panel():
    """The chapter's panel: PANEL_SIZE customers, the default parameters."""
    return defection.make_satisfaction_panel(defection.PANEL_SIZE)


def _panel(**kw):
    return defection.make_satisfaction_panel(defection.PANEL_SIZE, **kw)


def test_panel_is_synthetic_seeded_and_reproducible(panel):
    assert panel.attrs["synthetic"] is True
    assert "make_satisfaction_panel(n=10000, seed=20261130" in panel.attrs["generator"]
    assert panel.attrs["parameters"]["latent_strength"] == 0.6
    assert panel.equals(_panel())
    assert not panel.equals(_panel(seed=1))
    assert panel["csat"].between(1, 10).all() and panel["defected"].isin([0, 1]).all()
    assert list(panel.columns) == ["customer_id", "basic_sat", "latent_sat", "csat",
                                   "price_sensitivity", "competitor_offer", "p_repurchase",
                                   "defected"]


def test_the_mechanism_is_the_documented_one(panel):
    """Recompute p_repurchase from the columns with the module docstring's formula."""
    m, avg = defection.MECHANISM, defection.MECHANISM["average_loyalty"]
    b, lat = panel["basic_sat"].to_numpy(), panel["latent_sat"].to_numpy()
    basic = avg * (1 - np.exp(-4 * b)) / (1 - np.exp(-4))          # saturating, k = 4
    latent = avg + (1 - avg) * lat ** 2                             # convex, k = 2
    loyalty = avg + 1.0 * (basic - avg) + 0.6 * (latent - avg)
    logit = (m["intercept"] + m["slope"] * (loyalty - avg)
             - m["offer_penalty"] * panel["competitor_offer"] * panel["price_sensitivity"])
    assert np.allclose(panel["p_repurchase"], np.clip(1 / (1 + np.exp(-logit)), 0.01, 0.99))
    # CSAT mostly reflects basic expectations
    assert panel["csat"].corr(panel["basic_sat"]) > 3 * panel["csat"].corr(panel["latent_sat"])
    # the figure and the panel share the average loyalty level
    assert avg == satisfaction.AVERAGE_LOYALTY


def test_the_trap_high_csat_does_not_mean_loyalty(panel):
    """Repurchase rises with CSAT at the bottom of the scale and levels off at the top."""
    curve = defection.loyalty_by_satisfaction(panel)
    top = curve.loc[[7, 8, 9, 10], "repurchase_rate"]
    assert top.max() - top.min() < 0.06
    assert curve.loc[3, "repurchase_rate"] < curve.loc[4, "repurchase_rate"] - 0.1 < top.min()
    out = defection.satisfied_defectors(panel)
    assert out["satisfied_defectors"] == ((panel["csat"] >= 8) & (panel["defected"] == 1)).sum()
    assert 0.2 < out["share_of_defectors"] < 0.5


def test_latent_satisfaction_and_the_competitor_each_add_a_real_auc_gain(panel):
    m = defection.churn_models(panel)
    assert m["auc_baseline"] < 0.65
    assert m["gain_latent"] > 0.05 and m["gain_competitor"] > 0.05
    assert m["auc_full"] > max(m["auc_latent"], m["auc_competitor"]) + 0.03
    assert m["auc_gap"] == pytest.approx(m["auc_full"] - m["auc_baseline"])
    assert defection.churn_models(panel).equals(m)          # same figures every run


def test_the_gap_grows_with_latent_strength_and_competitor_pressure():
    gaps = [defection.churn_models(_panel(latent_strength=s))["auc_gap"] for s in (0, 0.3, 0.6, 1)]
    assert all(a < b for a, b in zip(gaps, gaps[1:])), gaps
    gains = [defection.churn_models(_panel(competitor_pressure=p))["gain_competitor"]
             for p in (0, 0.3, 0.6)]
    assert all(a < b for a, b in zip(gains, gains[1:])), gains
    assert abs(gains[0]) < 0.01                 # no offers, nothing for the offer to explain


def test_without_latent_weight_and_competitors_the_gap_closes():
    plain = defection.churn_models(_panel(latent_strength=0, competitor_pressure=0))
    assert abs(plain["auc_gap"]) < 0.02      # nothing left for the extra features to find
    assert abs(plain["gain_latent"]) < 0.01 and abs(plain["gain_competitor"]) < 0.01


def test_without_basic_weight_csat_predicts_almost_nothing():
    m = defection.churn_models(_panel(basic_weight=0))
    assert m["auc_baseline"] < 0.55 < m["auc_full"]


def test_lifts_are_counterfactuals_of_the_same_customers(panel):
    """A basic lift moves CSAT a lot and repurchase a little; a latent lift the reverse."""
    basic, latent = _panel(basic_lift=0.3), _panel(latent_lift=0.3)
    assert (basic["price_sensitivity"] == panel["price_sensitivity"]).all()
    assert (basic["basic_sat"] >= panel["basic_sat"]).all()

    def change(after, column):
        return after[column].mean() / panel[column].mean() - 1
    assert change(basic, "csat") > 5 * change(latent, "csat") > 0
    assert change(latent, "p_repurchase") > change(basic, "p_repurchase") > 0
    assert round(change(basic, "csat"), 3) == 0.118 and round(change(latent, "csat"), 3) == 0.020
    assert round(change(basic, "p_repurchase"), 3) == 0.041
    assert round(change(latent, "p_repurchase"), 3) == 0.068


def test_repurchase_probability_is_the_mechanisms_step_four():
    m = defection.MECHANISM
    assert defection.repurchase_probability([0.5]).iloc[0] == pytest.approx(
        1 / (1 + np.exp(-m["intercept"])))
    assert defection.repurchase_probability([1.0]).iloc[0] > 0.99 > 0.05 > \
        defection.repurchase_probability([0.0]).iloc[0]


def test_loyalty_curve_intervals_contain_the_rate():
    data = pd.DataFrame({"csat": [1, 1, 2, 2, 2, 3], "defected": [1, 0, 0, 0, 1, 0]})
    curve = defection.loyalty_by_satisfaction(data)
    assert curve["repurchase_rate"].tolist() == pytest.approx([0.5, 2 / 3, 1.0])
    assert (curve["low"] <= curve["repurchase_rate"]).all()
    assert (curve["repurchase_rate"] <= curve["high"]).all()      # exactly, also at a rate of 1


@given(st.lists(st.tuples(st.integers(1, 10), st.integers(0, 1)), min_size=1, max_size=40))
def test_wilson_intervals_always_contain_the_rate_exactly(rows):
    """A level where everybody (or nobody) repurchased must not get an interval that
    excludes its rate by a rounding error (matplotlib refuses negative error bars)."""
    curve = defection.loyalty_by_satisfaction(pd.DataFrame(rows, columns=["csat", "defected"]))
    assert (curve["low"] <= curve["repurchase_rate"]).all()
    assert (curve["repurchase_rate"] <= curve["high"]).all()


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
    with pytest.raises(InputError, match=r"basic_weight must be a number in \[0, 1\]; got 2"):
        defection.make_satisfaction_panel(10, basic_weight=2)
    with pytest.raises(InputError, match=r"latent_lift must be a number in \[0, 1\]"):
        defection.make_satisfaction_panel(10, latent_lift=-0.1)
    with pytest.raises(InputError, match="give the Series churn_models returns"):
        defection.auc_table(pd.Series({"auc_baseline": 0.6}))
    with pytest.raises(InputError, match=r"loyalty must be \[0, 1\]"):
        defection.repurchase_probability([1.5])


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
                                                              competitor_pressure=b,
                                                              basic_weight=a, latent_lift=b),
                    PREFIXES)
    finite_or_clear(lambda: defection.repurchase_probability(cells, offer=a), PREFIXES)
    frame = pd.DataFrame({"csat": cells, "defected": cells[::-1], "latent_sat": cells,
                          "competitor_offer": cells, "price_sensitivity": cells})
    finite_or_clear(lambda: defection.satisfied_defectors(frame, satisfied_from=a), PREFIXES)
    finite_or_clear(lambda: defection.loyalty_by_satisfaction(frame), PREFIXES)
    finite_or_clear(lambda: defection.churn_models(frame, test_size=a), PREFIXES)


def test_the_chapter_figures_at_the_default_parameters(panel):
    """The chapter quotes these (section 7, the closing note): recomputed here by hand — the
    same split, four logistic regressions — and compared with churn_models."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import train_test_split

    y = panel["defected"]
    train, test = train_test_split(np.arange(len(panel)), test_size=0.3,
                                   random_state=defection.PANEL_SEED, stratify=y)
    by_hand = {}
    for name, cols in {"baseline": ["csat"], "latent": ["csat", "latent_sat"],
                       "competitor": ["csat", "competitor_offer", "price_sensitivity"],
                       "full": ["csat", "latent_sat", "competitor_offer",
                                "price_sensitivity"]}.items():
        fit = LogisticRegression(solver="newton-cholesky").fit(panel.iloc[train][cols],
                                                                y.iloc[train])
        by_hand[name] = roc_auc_score(y.iloc[test], fit.predict_proba(panel.iloc[test][cols])[:, 1])
    models = defection.churn_models(panel)
    for name, auc in by_hand.items():
        assert models[f"auc_{name}"] == pytest.approx(auc)
    assert [round(by_hand[k], 3) for k in ("baseline", "latent", "competitor", "full")] == [
        0.610, 0.681, 0.679, 0.721]
    assert round(models["auc_gap"], 3) == 0.111
    table = defection.auc_table(models)
    assert table["gain"].round(3).tolist() == [0.0, 0.071, 0.069, 0.111]
    trapped = defection.satisfied_defectors(panel)
    assert (trapped["satisfied_defectors"], trapped["defectors"]) == (
        ((panel["csat"] >= 8) & (y == 1)).sum(), y.sum()) == (608, 2028)
    assert round(trapped["share_of_defectors"], 3) == 0.300
    assert round(panel["defected"].mean(), 3) == 0.203
