"""crmlab.satisfaction: the courseware's sign flaw, NPS/CSAT/zones/types as published, the
stylised curves' shapes, the Coca-Cola arithmetic, and clear errors for bad input."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import NASTY, correct_or_clear, finite_or_clear

from crmlab import InputError, satisfaction

PREFIXES = ("satisfaction.",)


# ---- published and courseware values
def test_the_courseware_formula_makes_a_satisfied_customer_negative():
    """Lectures 2–4: 客户满意度 = 期望值 − 实际体验, yet satisfied means experience >
    expectation. Expectation 8, experience 6: not satisfied; the formula says +2."""
    out = satisfaction.expectation_gap(pd.DataFrame({"expectation": [8, 6],
                                                     "experience": [6, 9]}))
    assert out["courseware_formula"].tolist() == [2, -3]
    assert out["satisfaction"].tolist() == [-2, 3]
    assert out["satisfied"].tolist() == [False, True]
    # the flaw: the courseware's number is positive exactly when the customer is NOT satisfied
    assert ((out["courseware_formula"] > 0) == ~out["satisfied"]).all()


def test_nps_follows_reichheld_2003():
    """Promoters 9–10, passives 7–8, detractors 0–6; NPS = %promoters − %detractors."""
    out = satisfaction.net_promoter_score([10, 9, 8, 7, 6, 0])
    assert out["nps"] == 0 and out["promoters"] == pytest.approx(1 / 3)
    assert satisfaction.net_promoter_score([9] * 3 + [7] * 5 + [6] * 2)["nps"] == pytest.approx(10)
    assert satisfaction.net_promoter_score([0])["nps"] == -100


def test_csat_top_two_boxes_and_zones():
    assert satisfaction.csat([5, 4, 4, 3, 1])["csat"] == 60
    assert satisfaction.csat([7, 6, 5, 4], scale=(1, 7))["csat"] == 50
    assert satisfaction.csat([7, 6, 5, 4], scale=(1, 7), satisfied_from=5)["csat"] == 75
    assert satisfaction.satisfaction_zones([1, 2, 3, 4, 5]).tolist() == [
        "defection", "defection", "indifference", "indifference", "affection"]


def test_loyalty_types_of_jones_and_sasser():
    data = pd.DataFrame({"satisfaction": [5, 5, 1, 1], "loyalty": [9, 2, 9, 2]})
    out = satisfaction.loyalty_types(data, satisfied_from=4, loyal_from=7)
    assert out["type"].tolist() == ["loyalist/apostle", "mercenary", "hostage",
                                    "defector/terrorist"]


def test_the_coca_cola_case_arithmetic():
    """Case collection, case 2, with the garbled numbers read as 4–5, 9–10 and 1/3."""
    out = satisfaction.complaint_outcomes()
    assert out["unresolved_unchanged"] == pytest.approx(1 - 1 / 3 - 0.45)
    assert round(out["unresolved_unchanged"], 4) == 0.2167
    assert round(out["wom_ratio"], 2) == 2.11
    # the printed "45" and "910" read literally would make the ratio 910/45
    assert satisfaction.complaint_outcomes(satisfied_told=45, unresolved_told=910)[
        "wom_ratio"] == pytest.approx(20.2222, abs=1e-4)


def test_stylised_curves_have_the_shapes_the_text_describes():
    s = np.linspace(0, 1, 101)
    basic = satisfaction.stylised_loyalty(s, kind="basic", average_loyalty=0.6)
    latent = satisfaction.stylised_loyalty(s, kind="latent", average_loyalty=0.6)
    assert basic.iloc[-1] == pytest.approx(0.6) and basic.max() <= 0.6 + 1e-12
    assert (np.diff(basic) > 0).all() and (np.diff(basic, 2) < 0).all()     # concave, saturating
    assert latent.iloc[0] == pytest.approx(0.6) and latent.iloc[-1] == pytest.approx(1)
    assert (np.diff(latent) >= 0).all() and (np.diff(latent, 2) > -1e-12).all()   # convex
    # the trap: the last 20% of basic satisfaction buys less loyalty than the first 20%
    assert basic.iloc[100] - basic.iloc[80] < (basic.iloc[20] - basic.iloc[0]) / 5


def test_loyalty_curve_on_the_two_real_surveys():
    """ECSI mobile: loyalty spreads widely among the highly satisfied; corporate reputation:
    missing answers (-99) are left out and counted."""
    import crmlab
    mobi = crmlab.load_dataset("ecsi_mobi")
    curve = satisfaction.loyalty_curve(mobi, "CUSA1", "CUSL1")
    assert curve["respondents"].sum() == 250 and curve.attrs["dropped"] == 0
    assert curve.loc[8, "mean"] == pytest.approx(mobi.loc[mobi.CUSA1 == 8, "CUSL1"].mean())
    top = mobi[mobi.CUSA1 >= 9]
    assert len(top) == 67 and (top.CUSL1 <= 6).sum() == 11     # satisfied, not loyal
    corp = crmlab.load_dataset("corp_rep_data")
    curve = satisfaction.loyalty_curve(corp, "cusa", "cusl_1", scale=(1, 7))
    assert curve.attrs["dropped"] == 4 and curve["respondents"].sum() == 340
    # level 1 has 2 respondents: no interval (its t-interval would run from -10.7 to 14.7)
    assert curve.loc[1, "respondents"] == 2 and curve.loc[1, ["low", "high"]].isna().all()
    rest = curve.loc[2:]
    assert (rest["low"] <= rest["mean"]).all() and (rest["mean"] <= rest["high"]).all()
    assert rest["low"].min() >= 1 and rest["high"].max() <= 7          # clipped to the scale
    assert curve.loc[2, ["low", "high"]].tolist() == [1, 7]
    assert curve.attrs["scale"] == (1.0, 7.0)
    ecsi = satisfaction.loyalty_curve(mobi, "CUSA1", "CUSL1", scale=(1, 10))
    assert ecsi.loc[4, "respondents"] == 1 and np.isnan(ecsi.loc[4, "low"])
    assert round(ecsi.loc[9, "mean"], 2) == 8.62 and round(ecsi.loc[10, "mean"], 2) == 8.32


# ---- scoring rules (hypothesis)
answers = st.lists(st.integers(0, 10), min_size=1, max_size=60)


@given(answers)
def test_nps_is_promoters_minus_detractors_within_bounds(scores):
    out = satisfaction.net_promoter_score(scores)
    s = np.array(scores)
    assert -100 <= out["nps"] <= 100
    assert out["nps"] == pytest.approx(100 * ((s >= 9).mean() - (s <= 6).mean()))
    assert out[["promoters", "passives", "detractors"]].sum() == pytest.approx(1)


@given(answers, st.data())
def test_raising_one_answer_never_lowers_nps(scores, data):
    i = data.draw(st.integers(0, len(scores) - 1))
    raised = list(scores)
    raised[i] = data.draw(st.integers(scores[i], 10))
    assert (satisfaction.net_promoter_score(raised)["nps"]
            >= satisfaction.net_promoter_score(scores)["nps"] - 1e-9)


@given(st.lists(st.integers(1, 5), min_size=1, max_size=40))
def test_csat_is_a_share_and_zones_rise_with_satisfaction(scores):
    out = satisfaction.csat(scores)
    assert 0 <= out["csat"] <= 100 and 1 <= out["mean"] <= 5
    order = {"defection": 0, "indifference": 1, "affection": 2}
    zones = satisfaction.satisfaction_zones(sorted(scores)).map(order)
    assert zones.is_monotonic_increasing


@given(st.lists(st.tuples(st.integers(1, 7), st.integers(1, 7)), min_size=1, max_size=30),
       st.integers(1, 7), st.integers(1, 7))
def test_every_customer_gets_exactly_one_loyalty_type(pairs, s_cut, y_cut):
    data = pd.DataFrame(pairs, columns=["satisfaction", "loyalty"])
    out = satisfaction.loyalty_types(data, satisfied_from=s_cut, loyal_from=y_cut)
    mercenary = (data["satisfaction"] >= s_cut) & (data["loyalty"] < y_cut)
    assert ((out["type"] == "mercenary") == mercenary).all()


# ---- bad input
def test_bad_answers_get_clear_errors():
    with pytest.raises(InputError, match=r"scores must be \[0, 10\]; got 11"):
        satisfaction.net_promoter_score([10, 11])
    with pytest.raises(InputError, match="whole-number answers; got 8.5"):
        satisfaction.net_promoter_score([8.5])
    with pytest.raises(InputError, match="is empty"):
        satisfaction.net_promoter_score([])
    with pytest.raises(InputError, match="missing values"):
        satisfaction.csat([5, np.nan])
    with pytest.raises(InputError, match="boycott \\+ reduce must be at most 1"):
        satisfaction.complaint_outcomes(boycott=0.6, reduce=0.5)
    with pytest.raises(InputError, match="kind must be 'basic' or 'latent'"):
        satisfaction.stylised_loyalty([0.5], kind="convex")


SCALARS = st.sampled_from([0.5, 0, 1, -1, 2, 11, np.nan, np.inf, None, "x", 0.45, 1 / 3])
VECTORS = st.one_of(st.lists(st.sampled_from([0, 1, 5, 9, 10, 10.5, -1, *NASTY]), max_size=6),
                    st.sampled_from([None, "10", 7, {"a": 1}, pd.DataFrame({"a": [1]})]))


@settings(max_examples=80, deadline=None)
@given(values=VECTORS, a=SCALARS, b=SCALARS, kind=st.sampled_from(["basic", "latent", "x"]))
def test_fuzz_every_satisfaction_function_is_correct_or_clear(values, a, b, kind):
    frame = (pd.DataFrame({"expectation": values, "experience": values[::-1],
                           "satisfaction": values, "loyalty": values})
             if isinstance(values, list) else values)
    finite_or_clear(lambda: satisfaction.net_promoter_score(values), PREFIXES)
    finite_or_clear(lambda: satisfaction.csat(values, satisfied_from=a), PREFIXES)
    correct_or_clear("satisfaction.satisfaction_zones",
                     lambda: satisfaction.satisfaction_zones(values, indifference_from=a))
    finite_or_clear(lambda: satisfaction.stylised_loyalty(values, kind=kind,
                                                          average_loyalty=a, steepness=b),
                    PREFIXES)
    finite_or_clear(lambda: satisfaction.complaint_outcomes(boycott=a, reduce=b), PREFIXES)
    finite_or_clear(lambda: satisfaction.expectation_gap(frame), PREFIXES)
    finite_or_clear(lambda: satisfaction.loyalty_types(frame, satisfied_from=a, loyal_from=b),
                    PREFIXES)
    curve = finite_or_clear(lambda: satisfaction.loyalty_curve(frame, scale=(a, b)), PREFIXES,
                            columns=["respondents", "mean", "sd"])
    if curve is not None:        # an interval exists only from 3 respondents, inside the scale
        shown = curve.dropna()
        assert (shown["respondents"] >= 3).all() and curve.loc[curve["respondents"] >= 3,
                                                               "low"].notna().all()
        assert (shown["low"] >= a).all() and (shown["high"] <= b).all()
    finite_or_clear(lambda: satisfaction.complaint_table(5, boycott=a, reduce=b), PREFIXES,
                    columns=["told", "spend_before", "spend_after"])


def test_the_chapter_survey_numbers():
    """Chapter 5, section 5–6: ECSI NPS on the recommend item and CSAT on CUSA1 (recomputed)."""
    import crmlab
    mobi = crmlab.load_dataset("ecsi_mobi")
    out = satisfaction.net_promoter_score(mobi["CUSL3"])
    assert (out["promoters"], out["detractors"]) == (0.38, 0.24) and out["nps"] == pytest.approx(14)
    assert satisfaction.csat(mobi["CUSA1"], scale=(1, 10), satisfied_from=9)["csat"] == 26.8
    basic = satisfaction.stylised_loyalty([0, 0.2, 0.8, 1], kind="basic", average_loyalty=0.5)
    assert round(basic[1] - basic[0], 2) == 0.28 and round(basic[3] - basic[2], 3) == 0.011
    latent = satisfaction.stylised_loyalty([0, 0.2, 0.8, 1], kind="latent")
    assert round(latent[1] - latent[0], 2) == 0.02 and round(latent[3] - latent[2], 2) == 0.18


def test_the_stylised_curves_use_the_chapters_one_set_of_values():
    """One L̄ and one steepness per curve for the figure and the panel (0.5; k 4 and 2)."""
    s = [0.0, 0.5, 1.0]
    assert satisfaction.stylised_loyalty(s, kind="basic").tolist() == pytest.approx(
        0.5 * (1 - np.exp(-4 * np.array(s))) / (1 - np.exp(-4)))
    assert satisfaction.stylised_loyalty(s, kind="latent").tolist() == pytest.approx(
        [0.5, 0.625, 1.0])
    assert satisfaction.stylised_loyalty(s, kind="latent", steepness=4).iloc[1] == pytest.approx(
        0.5 + 0.5 * 0.5 ** 4)


def test_the_complaint_table_follows_the_cases_rates():
    """Case collection, case 2, under the probable readings: a synthetic table whose rates
    are the case's — recomputed on a large draw, then the chapter's table."""
    big = satisfaction.complaint_table(200_000, seed=3)
    assert big.attrs["synthetic"] is True
    told = big.groupby("resolution")["told"].mean()
    assert told["resolved"] == pytest.approx(4.5, abs=0.05)
    assert told["unresolved"] == pytest.approx(9.5, abs=0.05)
    assert big["told_20_plus"].mean() == pytest.approx(0.12, abs=0.005)
    unresolved = big[big["resolution"] == "unresolved"]["purchase_change"].value_counts(
        normalize=True)
    assert unresolved["boycott"] == pytest.approx(1 / 3, abs=0.005)
    assert unresolved["reduce"] == pytest.approx(0.45, abs=0.005)
    assert unresolved["unchanged"] == pytest.approx(0.2167, abs=0.005)
    resolved = big[big["resolution"] == "resolved"]["purchase_change"].value_counts(
        normalize=True)
    assert resolved["increase"] == pytest.approx(0.10, abs=0.005)
    kept = big["spend_after"] / big["spend_before"]
    assert kept.groupby(big["purchase_change"]).mean().round(2).to_dict() == {
        "boycott": 0.0, "increase": 1.25, "reduce": 0.5, "unchanged": 1.0}
    # the chapter's table: 1,000 complaints, seed 1981
    table = satisfaction.complaint_table()
    assert table.equals(satisfaction.complaint_table(1000, seed=satisfaction.COMPLAINT_SEED))
    sums = table.groupby("resolution").agg(customers=("complaint_id", "size"),
                                           told=("told", "sum"),
                                           before=("spend_before", "sum"),
                                           after=("spend_after", "sum")).round(2)
    assert sums.loc["unresolved"].tolist() == [467, 4620, 56042.23, 23809.75]
    assert sums.loc["resolved"].tolist() == [533, 2314, 63235.94, 64586.07]
    assert round(1 - 23809.75 / 56042.23, 3) == 0.575      # the share of spend at stake
    assert table["told_20_plus"].mean() == 0.125


def test_complaint_table_refuses_impossible_rates():
    with pytest.raises(InputError, match="boycott \\+ reduce must be at most 1"):
        satisfaction.complaint_table(boycott=0.6, reduce=0.5)
    with pytest.raises(InputError, match="satisfied_told must be at least"):
        satisfaction.complaint_table(satisfied_told=2)
    with pytest.raises(InputError, match="n must be a whole number"):
        satisfaction.complaint_table(0)
