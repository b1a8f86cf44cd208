"""Why satisfied customers defect: a seeded synthetic panel and the analysis it supports.

Surveys show the satisfaction trap (客户满意陷阱) — many highly satisfied customers are not
loyal — but cannot say why. :func:`make_satisfaction_panel` generates a **synthetic**
customer panel in which the mechanism is known, so that students can test explanations
the surveys cannot:

1. each customer has a satisfaction level for *basic* expectations (基本期望) and one for
   *latent* expectations (潜在期望), both in [0, 1]; basic expectations are met for most
   customers, latent ones rarely;
2. the overall satisfaction score a survey records (CSAT, 1–10) mostly reflects the basic
   expectations — it is what customers are asked about;
3. the probability of repurchase follows the courseware's account of the trap: basic
   satisfaction raises it only up to the average loyalty level (a saturating curve,
   :func:`crmlab.satisfaction.stylised_loyalty`), latent satisfaction raises it beyond
   (weighted by ``latent_strength``); a competitor's offer, met with probability
   ``competitor_pressure``, lowers it in proportion to the customer's price sensitivity;
4. the customer repurchases or defects by one Bernoulli draw.

So CSAT can be high while loyalty is not. :func:`churn_models` fits two logistic
regressions on a training split (scikit-learn) — churn from CSAT alone, and from CSAT
with the latent-expectation and competitor features — and reports their ROC AUC on the
held-out customers; :func:`satisfied_defectors` and :func:`loyalty_by_satisfaction`
measure the trap in any panel or survey.

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
    require_integer,
    require_number,
    require_numeric,
)
from .satisfaction import stylised_loyalty

__all__ = ["MECHANISM", "PANEL_SEED", "churn_models", "loyalty_by_satisfaction", "make_satisfaction_panel",
           "satisfied_defectors"]

#: The seed of the chapter's default panel.
PANEL_SEED = 20261130

#: The panel's mechanism, in one place (see the module docstring): Beta shapes of basic and
#: latent satisfaction, the CSAT weights on them and the survey noise, the average loyalty
#: level at which basic satisfaction saturates, and the repurchase model's intercept,
#: slope on loyalty and penalty of a competitor's offer per unit of price sensitivity.
MECHANISM = {"basic_beta": (3.0, 1.5), "latent_beta": (1.5, 4.0), "csat_weights": (0.85, 0.15),
             "csat_noise": 0.6, "average_loyalty": 0.55, "intercept": 0.25, "slope": 1.0,
             "offer_penalty": 0.6}


def make_satisfaction_panel(n: int = 2000, seed: int = PANEL_SEED, *,
                            latent_strength: float = 0.6,
                            competitor_pressure: float = 0.3) -> pd.DataFrame:
    """A **synthetic** panel of customers in which high satisfaction need not mean loyalty.

    Parameters
    ----------
    n : int, default 2000
        Customers.
    seed : int
        Seed of NumPy's PCG64 generator: the same seed gives the same panel.
    latent_strength : float in [0, 1], default 0.6
        How much meeting latent expectations adds to loyalty beyond the average level.
    competitor_pressure : float in [0, 1], default 0.3
        Probability that a customer receives a competitor's offer.

    Returns
    -------
    DataFrame
        ``customer_id``, ``basic_sat`` and ``latent_sat`` (in [0, 1]), ``csat`` (the
        survey score, 1–10), ``price_sensitivity`` (in [0, 1]), ``competitor_offer``
        (0/1), ``p_repurchase`` (the model's probability) and ``defected`` (0/1).
        ``df.attrs["synthetic"]`` is True and ``df.attrs["generator"]`` names the call.

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
    m = MECHANISM
    rng = np.random.default_rng(seed)
    basic = rng.beta(*m["basic_beta"], n)      # basic expectations: mostly met
    latent = rng.beta(*m["latent_beta"], n)    # latent expectations: rarely met
    noise = rng.normal(0.0, m["csat_noise"], n)
    w_basic, w_latent = m["csat_weights"]
    csat = np.clip(np.rint(1 + 9 * (w_basic * basic + w_latent * latent) + noise), 1, 10)
    sensitivity = rng.uniform(0.0, 1.0, n)
    offer = (rng.uniform(0.0, 1.0, n) < pressure).astype(int)
    average = m["average_loyalty"]             # the average loyalty level of the text
    loyalty = (stylised_loyalty(basic, kind="basic", average_loyalty=average).to_numpy()
               + strength * (stylised_loyalty(latent, kind="latent", average_loyalty=average)
                             .to_numpy() - average))
    p = np.clip(m["intercept"] + m["slope"] * loyalty - m["offer_penalty"] * offer * sensitivity,
                0.01, 0.99)
    defected = (rng.uniform(0.0, 1.0, n) >= p).astype(int)
    panel = pd.DataFrame({
        "customer_id": np.arange(1, n + 1), "basic_sat": basic, "latent_sat": latent,
        "csat": csat.astype(int), "price_sensitivity": sensitivity, "competitor_offer": offer,
        "p_repurchase": p, "defected": defected})
    panel.attrs.update(synthetic=True, generator=(
        f"crmlab.defection.make_satisfaction_panel(n={n}, seed={seed}, "
        f"latent_strength={strength:g}, competitor_pressure={pressure:g})"))
    return panel


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
                        "low": centre - half, "high": centre + half})
    out.index.name = satisfaction
    return out


def churn_models(data: pd.DataFrame, *, defected: str = "defected",
                 baseline=("csat",),
                 full=("csat", "latent_sat", "competitor_offer", "price_sensitivity"),
                 test_size: float = 0.3, seed: int = PANEL_SEED) -> pd.Series:
    """ROC AUC on held-out customers of churn predicted from ``baseline`` features (CSAT
    alone) and from ``full`` features, by logistic regression (scikit-learn).

    Returns
    -------
    Series
        ``auc_baseline``, ``auc_full``, ``auc_gap`` and the sizes ``n_train``, ``n_test``.
        The split is stratified by outcome and fixed by ``seed``.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import train_test_split

    func = "defection.churn_models"
    require_frame(data, func=func)
    columns = list(dict.fromkeys([*baseline, *full]))
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
    aucs = {}
    for name, features in (("baseline", list(baseline)), ("full", list(full))):
        model = LogisticRegression(max_iter=1000).fit(X.iloc[train][features], y.iloc[train])
        scores = model.predict_proba(X.iloc[test][features])[:, 1]
        aucs[name] = float(roc_auc_score(y.iloc[test], scores))
    return pd.Series({"auc_baseline": aucs["baseline"], "auc_full": aucs["full"],
                      "auc_gap": aucs["full"] - aucs["baseline"],
                      "n_train": float(len(train)), "n_test": float(len(test))})
