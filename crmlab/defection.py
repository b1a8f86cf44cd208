"""Why satisfied customers defect: a seeded synthetic panel and the analysis it supports.

Surveys show the satisfaction trap (客户满意陷阱) — many highly satisfied customers are not
loyal — but cannot say why. :func:`make_satisfaction_panel` generates a **synthetic**
customer panel in which the mechanism is known, so that students can test explanations
the surveys cannot:

1. each customer has a satisfaction level for *basic* expectations (基本期望) and one for
   *latent* expectations (潜在期望), both in [0, 1]; basic expectations are met for most
   customers (Beta(3, 1.5), mean 0.67), latent ones are spread widely (Beta(2, 2), mean
   0.5): some firms' offers meet them, many do not;
2. the overall satisfaction score a survey records (CSAT, 1–10) mostly reflects the basic
   expectations (weights 0.9 and 0.1, plus noise) — it is what customers are asked about;
3. loyalty follows the courseware's account of the trap, with the two curves of
   :func:`crmlab.satisfaction.stylised_loyalty` (the same average loyalty L̄ and
   steepness as the chapter's figure):
   ``loyalty = L̄ + basic_weight · (basic curve − L̄) + latent_strength · (latent curve − L̄)``
   — unmet basic expectations pull loyalty below the average level and met ones only
   bring it back up to it (saturating), met latent expectations lift it above (convex);
4. the probability of repurchase is logistic in loyalty,
   ``logit p = intercept + slope · (loyalty − L̄) − offer_penalty · offer · sensitivity``:
   a competitor's offer, received with probability ``competitor_pressure``, hits
   price-sensitive customers hardest; the customer repurchases or defects by one
   Bernoulli draw.

So CSAT can be high while loyalty is not: a customer whose basic expectations are met
scores 8 or 9, and still leaves if nothing beyond the basics binds them and a
competitor's offer arrives. :func:`churn_models` decomposes what a CSAT survey misses —
logistic regressions (scikit-learn) of churn on CSAT alone, on CSAT with latent
satisfaction, on CSAT with the competitor's offer and price sensitivity, and on all of
them, each scored by ROC AUC on the same held-out customers; :func:`satisfied_defectors`
and :func:`loyalty_by_satisfaction` measure the trap in any panel or survey.

The chapter's panel has 10,000 customers (``make_satisfaction_panel(10_000)``): with a
30% test split of 2,000 customers, AUC differences of a few hundredths are swamped by
the noise of the split; with 10,000 they are not.

References
----------
Courseware: lectures 2–4, appended §2.3.2 (basic and latent expectations, the trap's
mechanism). Jones & Sasser (1995), Why satisfied customers defect, HBR 73(6).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._validation import (
    InputError,
    require_columns,
    require_frame,
    require_in_range,
    require_integer,
    require_number,
    require_numeric,
    require_vector,
)
from .satisfaction import AVERAGE_LOYALTY, stylised_loyalty

__all__ = ["FEATURES", "MECHANISM", "PANEL_SEED", "PANEL_SIZE", "auc_table", "churn_models",
           "loyalty_by_satisfaction", "make_satisfaction_panel", "repurchase_probability",
           "satisfied_defectors"]

#: The seed of the chapter's default panel.
PANEL_SEED = 20261130

#: The size of the chapter's panel (the generator's own default stays 2,000).
PANEL_SIZE = 10_000

#: The panel's mechanism, in one place (see the module docstring): Beta shapes of basic and
#: latent satisfaction, the CSAT weights on them and the survey noise, the average loyalty
#: level L̄ (the chapter's figure uses the same), and the repurchase model's intercept
#: (logit of repurchase at average loyalty without an offer: p = 0.80), slope on loyalty
#: and penalty of a competitor's offer per unit of price sensitivity. All are this
#: chapter's assumptions, chosen so that each mechanism leaves a visible trace.
MECHANISM = {"basic_beta": (3.0, 1.5), "latent_beta": (2.0, 2.0), "csat_weights": (0.9, 0.1),
             "csat_noise": 0.6, "average_loyalty": AVERAGE_LOYALTY, "intercept": 1.4,
             "slope": 9.0, "offer_penalty": 2.0}

#: The feature groups of :func:`churn_models`: what a CSAT survey records, and the two
#: things it does not ask about.
FEATURES = {"baseline": ("csat",), "latent": ("latent_sat",),
            "competitor": ("competitor_offer", "price_sensitivity")}


def make_satisfaction_panel(n: int = 2000, seed: int = PANEL_SEED, *,
                            latent_strength: float = 0.6,
                            competitor_pressure: float = 0.3,
                            basic_weight: float = 1.0, basic_lift: float = 0.0,
                            latent_lift: float = 0.0) -> pd.DataFrame:
    """A **synthetic** panel of customers in which high satisfaction need not mean loyalty.

    Parameters
    ----------
    n : int, default 2000
        Customers (the chapter uses :data:`PANEL_SIZE`, 10,000).
    seed : int
        Seed of NumPy's PCG64 generator: the same seed gives the same panel.
    latent_strength : float in [0, 1], default 0.6
        Weight of latent expectations: how much meeting them lifts loyalty above the
        average level (0: not at all).
    competitor_pressure : float in [0, 1], default 0.3
        Probability that a customer receives a competitor's offer.
    basic_weight : float in [0, 1], default 1.0
        Weight of basic expectations: how far unmet ones pull loyalty below the average
        level (1: the full stylised curve; 0: basic expectations do not matter).
    basic_lift, latent_lift : float in [0, 1], default 0
        A counterfactual: every customer's basic (latent) satisfaction is raised by this
        share of its distance to 1 *after* it is drawn, so the same seed gives the same
        customers, better served — compare with the panel at lift 0.

    Returns
    -------
    DataFrame
        ``customer_id``, ``basic_sat`` and ``latent_sat`` (in [0, 1]), ``csat`` (the
        survey score, 1–10), ``price_sensitivity`` (in [0, 1]), ``competitor_offer``
        (0/1), ``p_repurchase`` (the model's probability, kept in [0.01, 0.99]) and
        ``defected`` (0/1). ``df.attrs["synthetic"]`` is True and
        ``df.attrs["generator"]`` names the call.

    Examples
    --------
    >>> panel = make_satisfaction_panel(500, seed=1)
    >>> panel.attrs["synthetic"], len(panel), int(panel["csat"].between(1, 10).all())
    (True, 500, 1)
    >>> make_satisfaction_panel(5, seed=1).equals(make_satisfaction_panel(5, seed=1))
    True
    """
    func = "defection.make_satisfaction_panel"
    n = require_integer(n, func=func, name="n", low=1, high=10_000_000)
    seed = require_integer(seed, func=func, name="seed", low=0)
    strength = require_number(latent_strength, func=func, name="latent_strength", low=0, high=1)
    pressure = require_number(competitor_pressure, func=func, name="competitor_pressure",
                              low=0, high=1)
    weight = require_number(basic_weight, func=func, name="basic_weight", low=0, high=1)
    lifts = {k: require_number(v, func=func, name=k, low=0, high=1)
             for k, v in (("basic_lift", basic_lift), ("latent_lift", latent_lift))}
    m = MECHANISM
    rng = np.random.default_rng(seed)
    basic = rng.beta(*m["basic_beta"], n)      # basic expectations: mostly met
    latent = rng.beta(*m["latent_beta"], n)    # latent expectations: widely spread
    basic = basic + lifts["basic_lift"] * (1 - basic)
    latent = latent + lifts["latent_lift"] * (1 - latent)
    noise = rng.normal(0.0, m["csat_noise"], n)
    w_basic, w_latent = m["csat_weights"]
    csat = np.clip(np.rint(1 + 9 * (w_basic * basic + w_latent * latent) + noise), 1, 10)
    sensitivity = rng.uniform(0.0, 1.0, n)
    offer = (rng.uniform(0.0, 1.0, n) < pressure).astype(int)
    average = m["average_loyalty"]             # the average loyalty level of the text
    loyalty = (average
               + weight * (stylised_loyalty(basic, kind="basic", average_loyalty=average)
                           .to_numpy() - average)
               + strength * (stylised_loyalty(latent, kind="latent", average_loyalty=average)
                             .to_numpy() - average))
    logit = (m["intercept"] + m["slope"] * (loyalty - average)
             - m["offer_penalty"] * offer * sensitivity)
    p = np.clip(1.0 / (1.0 + np.exp(-logit)), 0.01, 0.99)
    defected = (rng.uniform(0.0, 1.0, n) >= p).astype(int)
    panel = pd.DataFrame({
        "customer_id": np.arange(1, n + 1), "basic_sat": basic, "latent_sat": latent,
        "csat": csat.astype(int), "price_sensitivity": sensitivity, "competitor_offer": offer,
        "p_repurchase": p, "defected": defected})
    panel.attrs.update(synthetic=True, parameters={
        "n": n, "seed": seed, "latent_strength": strength, "competitor_pressure": pressure,
        "basic_weight": weight, **lifts}, generator=(
        f"crmlab.defection.make_satisfaction_panel(n={n}, seed={seed}, "
        f"latent_strength={strength:g}, competitor_pressure={pressure:g}, "
        f"basic_weight={weight:g}"
        + "".join(f", {k}={v:g}" for k, v in lifts.items() if v) + ")"))
    return panel


def repurchase_probability(loyalty, *, offer: float = 0.0, sensitivity: float = 0.0
                           ) -> pd.Series:
    """The panel's probability of repurchase at a loyalty level (step 4 of the mechanism):
    ``logistic(intercept + slope · (loyalty − L̄) − offer_penalty · offer · sensitivity)``.

    Examples
    --------
    >>> repurchase_probability([0.0, 0.5, 1.0]).round(3).tolist()
    [0.043, 0.802, 0.997]
    >>> float(repurchase_probability([0.5], offer=1, sensitivity=1).round(3).iloc[0])
    0.354
    """
    func = "defection.repurchase_probability"
    level = require_numeric(require_vector(loyalty, func=func, name="loyalty"), func=func,
                            name="loyalty")
    require_in_range(level, func=func, name="loyalty", low=0, high=1,
                     hint="Loyalty on the stylised curves runs from 0 to 1.")
    o = require_number(offer, func=func, name="offer", low=0, high=1)
    k = require_number(sensitivity, func=func, name="sensitivity", low=0, high=1)
    m = MECHANISM
    logit = (m["intercept"] + m["slope"] * (level - m["average_loyalty"])
             - m["offer_penalty"] * o * k)
    return (1.0 / (1.0 + np.exp(-logit))).rename("p_repurchase")


def _outcome(data, column: str, func: str) -> pd.Series:
    y = require_numeric(data[column], func=func, name=f"column {column!r}")
    if not y.isin([0, 1]).all():
        bad = y[~y.isin([0, 1])]
        raise InputError(f"{func}: column {column!r} must be 0/1 (1 = defected); got "
                         f"{bad.iloc[0]:g} at rows {list(bad.index[:5])}.")
    return y.astype(int)


def satisfied_defectors(data: pd.DataFrame, satisfaction: str = "csat",
                        defected: str = "defected", *, satisfied_from: float = 8
                        ) -> pd.Series:
    """How many defectors were satisfied: the satisfaction trap in one number.

    Returns
    -------
    Series
        ``defectors``, ``satisfied_defectors`` (defectors with satisfaction at least
        ``satisfied_from``), ``share_of_defectors`` (their share of all defectors) and
        ``defection_rate_satisfied`` (the defection rate among satisfied customers).

    Examples
    --------
    >>> d = pd.DataFrame({"csat": [9, 9, 3, 10], "defected": [1, 0, 1, 1]})
    >>> satisfied_defectors(d).round(3).to_dict()
    {'defectors': 3.0, 'satisfied_defectors': 2.0, 'share_of_defectors': 0.667, 'defection_rate_satisfied': 0.667}
    """
    func = "defection.satisfied_defectors"
    require_frame(data, func=func)
    require_columns(data, [satisfaction, defected], func=func)
    s = require_numeric(data[satisfaction], func=func, name=f"column {satisfaction!r}")
    y = _outcome(data, defected, func)
    cut = require_number(satisfied_from, func=func, name="satisfied_from")
    happy = s >= cut
    if y.sum() == 0 or happy.sum() == 0:
        raise InputError(f"{func}: needs at least one defector and one customer with "
                         f"{satisfaction} >= {cut:g}; got {int(y.sum())} defectors and "
                         f"{int(happy.sum())} satisfied customers.")
    both = float((happy & (y == 1)).sum())
    return pd.Series({"defectors": float(y.sum()), "satisfied_defectors": both,
                      "share_of_defectors": both / float(y.sum()),
                      "defection_rate_satisfied": both / float(happy.sum())})


def loyalty_by_satisfaction(data: pd.DataFrame, satisfaction: str = "csat",
                            defected: str = "defected") -> pd.DataFrame:
    """The satisfaction–loyalty curve estimated from data: the repurchase rate at each
    satisfaction level, with a 95% Wilson interval.

    Returns
    -------
    DataFrame
        Indexed by satisfaction level: ``customers``, ``repurchase_rate``, ``low``, ``high``.
    """
    func = "defection.loyalty_by_satisfaction"
    require_frame(data, func=func)
    require_columns(data, [satisfaction, defected], func=func)
    s = require_numeric(data[satisfaction], func=func, name=f"column {satisfaction!r}")
    y = _outcome(data, defected, func)
    if s.empty:
        raise InputError(f"{func}: the table is empty; give at least one customer.")
    grouped = (1 - y).groupby(s.to_numpy()).agg(["size", "mean"])
    n, p, z = grouped["size"].astype(float), grouped["mean"], 1.959963984540054
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    out = pd.DataFrame({"customers": grouped["size"], "repurchase_rate": p,
                        "low": np.minimum(centre - half, p),      # contains p, also when
                        "high": np.maximum(centre + half, p)})    # rounding says otherwise
    out.index.name = satisfaction
    return out


def churn_models(data: pd.DataFrame, *, defected: str = "defected",
                 baseline=FEATURES["baseline"], full=None, latent=FEATURES["latent"],
                 competitor=FEATURES["competitor"], test_size: float = 0.3,
                 seed: int = PANEL_SEED) -> pd.Series:
    """What a CSAT survey misses, as ROC AUC on held-out customers: churn predicted by
    logistic regression (scikit-learn) from ``baseline`` (CSAT alone), from CSAT with
    ``latent`` satisfaction, from CSAT with the ``competitor`` features (the offer and
    price sensitivity), and from ``full`` (default: all of them).

    Parameters
    ----------
    data : DataFrame
        A panel such as :func:`make_satisfaction_panel` returns.
    baseline, latent, competitor, full : sequence of str
        Feature columns of the four models; ``full`` defaults to all three groups.
    test_size : float in (0, 1), default 0.3
        Share of customers held out; the split is stratified by outcome and fixed by
        ``seed``, and all four models are scored on the same held-out customers.

    Returns
    -------
    Series
        ``auc_baseline``, ``auc_latent``, ``auc_competitor``, ``auc_full``; the gains over
        CSAT alone ``gain_latent``, ``gain_competitor`` and ``auc_gap`` (full − baseline);
        the sizes ``n_train`` and ``n_test``.

    Examples
    --------
    >>> out = churn_models(make_satisfaction_panel(3000, seed=5))
    >>> bool(out["auc_full"] > out["auc_baseline"]), int(out["n_test"])
    (True, 900)
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import train_test_split

    func = "defection.churn_models"
    require_frame(data, func=func)
    groups = {"baseline": list(baseline), "latent": [*baseline, *latent],
              "competitor": [*baseline, *competitor],
              "full": list(full) if full is not None else [*baseline, *latent, *competitor]}
    columns = list(dict.fromkeys(c for features in groups.values() for c in features))
    require_columns(data, [*columns, defected], func=func)
    X = pd.DataFrame({c: require_numeric(data[c], func=func, name=f"column {c!r}")
                      for c in columns})
    y = _outcome(data, defected, func)
    share = require_number(test_size, func=func, name="test_size", low=0, high=1,
                           low_open=True, high_open=True)
    seed = require_integer(seed, func=func, name="seed", low=0)
    counts = y.value_counts()
    if len(counts) < 2 or counts.min() < 10:
        raise InputError(f"{func}: needs at least 10 defectors and 10 stayers; got "
                         f"{int(y.sum())} defectors of {len(y)} customers.")
    train, test = train_test_split(np.arange(len(y)), test_size=share, random_state=seed,
                                   stratify=y.to_numpy())
    auc = {}
    for name, features in groups.items():
        features = list(dict.fromkeys(features))
        model = LogisticRegression(solver="newton-cholesky", max_iter=100).fit(
            X.iloc[train][features], y.iloc[train])
        scores = model.predict_proba(X.iloc[test][features])[:, 1]
        auc[name] = float(roc_auc_score(y.iloc[test], scores))
    return pd.Series({
        "auc_baseline": auc["baseline"], "auc_latent": auc["latent"],
        "auc_competitor": auc["competitor"], "auc_full": auc["full"],
        "gain_latent": auc["latent"] - auc["baseline"],
        "gain_competitor": auc["competitor"] - auc["baseline"],
        "auc_gap": auc["full"] - auc["baseline"],
        "n_train": float(len(train)), "n_test": float(len(test))})


def auc_table(models: pd.Series) -> pd.DataFrame:
    """The decomposition of :func:`churn_models` as a table: one row per model (CSAT only,
    + latent satisfaction, + competitor's offer and price sensitivity, all features),
    its held-out ``auc`` and its ``gain`` over CSAT alone.

    Examples
    --------
    >>> m = pd.Series({"auc_baseline": 0.6, "auc_latent": 0.65, "auc_competitor": 0.66,
    ...                "auc_full": 0.7})
    >>> auc_table(m)["gain"].round(2).tolist()
    [0.0, 0.05, 0.06, 0.1]
    """
    func = "defection.auc_table"
    keys = ["auc_baseline", "auc_latent", "auc_competitor", "auc_full"]
    if not isinstance(models, pd.Series) or not set(keys) <= set(models.index):
        raise InputError(f"{func}: give the Series churn_models returns (with {keys}); got "
                         f"{type(models).__name__}.")
    auc = [require_number(models[k], func=func, name=k, low=0, high=1) for k in keys]
    out = pd.DataFrame({"auc": auc, "gain": [a - auc[0] for a in auc]},
                       index=["csat_only", "csat_latent", "csat_competitor", "all_features"])
    out.index.name = "model"
    return out
