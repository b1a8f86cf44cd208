"""User personas (用户画像): tags in four layers, clusters, and rule-based segments beside them.

The courseware's Douyin framework (抖音用户画像生成技术框架) turns collected data into four
layers of tags — basic (基础标签), interest (兴趣标签), consumption (消费标签), predictive
(预测标签) — and finds personas by cluster analysis (聚类分析). On an event log such as the
**synthetic** one of :func:`crmlab.synthetic.make_event_log`: :func:`user_features` and
:func:`build_tags`. On any table (the Caravan customers too): :func:`select_k` and
:func:`find_personas` (k-means), :func:`rule_segments` and :func:`compare` (crosstab,
adjusted Rand index); the courseware's table 用户画像 vs 客户细分: :func:`persona_vs_segmentation`.

References
----------
《客户关系管理课件》第3章, 第一节, 客户洞察工具——用户画像: the Douyin framework, the China
Unicom tags (中高端消费者), the table 用户画像 vs 客户细分. Hubert & Arabie (1985), J.
Classification 2(1); Rousseeuw (1987), J. Comput. Appl. Math. 20.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import i18n
from .i18n import N_
from ._dates import require_dates
from ._validation import (InputError, check_option, format_rows, require_columns,
                          require_finite_result, require_frame, require_in_range,
                          require_integer, require_number, require_numeric, require_vector)
from .datasets import load_dataset
from .synthetic import CATEGORIES, CITY_TIERS, EVENT_COLUMNS, EVENT_TYPES, make_event_log

__all__ = ["CARAVAN_COLUMNS", "CLUSTER_COLUMNS", "TAG_RULES", "TAG_TERMS", "TAG_WORDS",
           "Comparison", "Personas", "build_tags", "compare", "find_personas",
           "persona_vs_segmentation", "rule_segments", "select_k", "user_features"]

#: Columns of :func:`user_features` for persona clustering: activity, engagement, orders,
#: order value, interests. Not ``likes`` and ``spend``: they are products of the others
#: (views × like rate, orders × average order value) and would count volume twice.
CLUSTER_COLUMNS = ("views", "like_rate", "follows", "orders", "aov",
                   *(f"share_{c}" for c in CATEGORIES))

#: Columns of the Caravan data for persona clustering: ordered levels of the zip-code area
#: (age, purchasing power, income, high education, home owners, married) and the bands of
#: the three products 40-54% of customers hold (car, fire, private third party; others 7% or
#: fewer). Not the nominal codes MOSTYPE, MOSHOOFD (numbers as labels), other bands of the
#: same themes, the A... counts (they repeat the P... bands), nor Purchase (kept to profile).
CARAVAN_COLUMNS = ("MGEMLEEF", "MKOOPKLA", "MINKGEM", "MOPLHOOG", "MHKOOP", "MRELGE",
                   "PPERSAUT", "PBRAND", "PWAPART")

#: Term-list keys of the tags that have one (for ``i18n.localise``).
TAG_TERMS = {"mid-to-high-end consumer": "tag_mid_high_end", "mass consumer": "tag_mass_consumer",
             "non-buyer": "tag_non_buyer", "frequent buyer": "tag_frequent_buyer",
             "likely buyer": "tag_likely_buyer", "unlikely buyer": "tag_unlikely_buyer"}

#: Display text of the tags and layers that have no term-list key (interest categories, city
#: tiers, phone brands, operating systems), translated where shown (``i18n.localise``); the
#: tiers are the synthetic log's own (:data:`crmlab.synthetic.CITY_TIERS`).
TAG_WORDS = i18n.Words({
    "food": N_("food"), "games": N_("games"), "fashion": N_("fashion"), "tech": N_("tech"),
    "parenting": N_("parenting"), "travel": N_("travel"), "tier 1": N_("tier 1"),
    "tier 2": N_("tier 2"), "tier 3": N_("tier 3"), "tier unknown": N_("tier unknown"),
    "Apple": N_("Apple"), "Huawei": N_("Huawei"), "Xiaomi": N_("Xiaomi"),
    "Samsung": N_("Samsung"), "Android": N_("Android"), "HarmonyOS": N_("HarmonyOS"),
    "unknown": N_("unknown"), "basic": N_("basic"), "interest": N_("interest"),
    "consumption": N_("consumption"), "predictive": N_("predictive")})

#: Tag rules: name -> (layer, thresholds it reads). See :func:`build_tags`.
TAG_RULES = {"city_tier": ("basic", ()), "device": ("basic", ()), "os": ("basic", ()),
             "interests": ("interest", ("min_share", "max_interests")),
             "spend_level": ("consumption", ("high_spend",)),
             "purchase_frequency": ("consumption", ("frequent_from",)),
             "purchase_propensity": ("predictive", ("horizon_days", "likely_from"))}


def _events(log, func: str) -> pd.DataFrame:
    """A checked copy of an event log: dates parsed, event types known, amounts valid."""
    require_frame(log, func=func, arg="log")
    require_columns(log, list(EVENT_COLUMNS), func=func, arg="log")
    if log.empty:
        raise InputError(f"{func}: the event log `log` is empty; give at least one event "
                         f"(e.g. crmlab.synthetic.make_event_log()).")
    out = log.loc[:, list(EVENT_COLUMNS)].copy()
    out.attrs = {}
    try:
        pd.Index(out["user_id"].dropna().unique()).sort_values()
    except TypeError:
        raise InputError(f"{func}: column 'user_id' must hold labels of one type (text or "
                         f"whole numbers); make them one type, e.g. .astype(str).") from None
    if out["user_id"].isna().any():
        raise InputError(f"{func}: column 'user_id' has missing ids at rows "
                         f"{format_rows(out.index[out['user_id'].isna()])}.")
    for column in ("category", "city", "device_brand", "os"):       # labels, read as text
        out[column] = out[column].astype(object).map(str).where(out[column].notna(), None)
    try:
        out["ts"] = require_dates(out["ts"], func=func, name="column 'ts'")
    except OverflowError:                  # a whole number beyond any float
        raise InputError(f"{func}: column 'ts' holds a number too large to be a date.") from None
    known = out["event_type"].isin(EVENT_TYPES)
    if not known.all():
        raise InputError(f"{func}: column 'event_type' must be one of {list(EVENT_TYPES)}; got "
                         f"{out.loc[~known, 'event_type'].iloc[0]!r} at rows "
                         f"{format_rows(out.index[~known])}.")
    buys = out["event_type"] == "purchase"
    amounts = require_numeric(out.loc[buys, "order_amount"], func=func,
                              name="column 'order_amount' of purchases")
    require_in_range(amounts, func=func, name="column 'order_amount' of purchases", low=0,
                     hint="Refunds are not orders: drop them or net them into the order.")
    out["order_amount"] = amounts.reindex(out.index)
    views = out["event_type"] == "video_view"
    if out.loc[views, "category"].isna().any():
        raise InputError(f"{func}: column 'category' is missing for video views at rows "
                         f"{format_rows(out.index[views & out['category'].isna()])}.")
    return out


def _features(ev: pd.DataFrame, func: str) -> pd.DataFrame:
    users = pd.Index(ev["user_id"].unique(), name="user_id").sort_values()
    count = ev.groupby(["user_id", "event_type"]).size().unstack(fill_value=0)
    count = count.reindex(index=users, columns=list(EVENT_TYPES), fill_value=0)
    buys = ev[ev["event_type"] == "purchase"].groupby("user_id")["order_amount"].sum()
    out = pd.DataFrame({"views": count["video_view"], "likes": count["like"],
                        "follows": count["follow"], "orders": count["purchase"],
                        "spend": buys.reindex(users, fill_value=0.0).astype(float)})
    require_finite_result(out["spend"], func=func, what="a user's spend")
    out["aov"] = (out["spend"] / out["orders"].where(out["orders"] > 0)).fillna(0.0)
    out["like_rate"] = (out["likes"] / out["views"].where(out["views"] > 0)).fillna(0.0)
    views = ev[ev["event_type"] == "video_view"]
    cats = [*CATEGORIES, *sorted(set(views["category"]) - set(CATEGORIES))]
    share = views.groupby(["user_id", "category"]).size().unstack(fill_value=0).reindex(
        index=users, columns=cats, fill_value=0)
    share = share.div(share.sum(axis=1).where(lambda n: n > 0, 1), axis=0).astype(float)
    out = out.join(share.add_prefix("share_"))
    for column in ("city", "device_brand", "os"):      # the most frequent value (NaN: none)
        top = ev.groupby(["user_id", column]).size().rename("n").reset_index().sort_values(
            ["user_id", "n", column], ascending=[True, False, True])
        out[column] = top.drop_duplicates("user_id").set_index("user_id")[column]
    return out


def user_features(log: pd.DataFrame) -> pd.DataFrame:
    """One row per user of an event log: what the four tag layers and clusters read.

    Indexed by ``user_id``: ``views``, ``likes``, ``follows``, ``orders``, ``spend`` (sum of
    order amounts), ``aov`` (spend / orders; 0 without orders), ``like_rate`` (likes / views;
    0 without views), ``share_<category>`` (share of the user's views) and the most frequent
    ``city``, ``device_brand`` and ``os`` (ties: alphabetical).

    Examples
    --------
    >>> f = user_features(make_event_log(30, seed=2))
    >>> f.filter(like="share_").sum(axis=1).round(6).isin([0, 1]).all()
    np.True_
    """
    return _features(_events(log, "personas.user_features"), "personas.user_features")


def build_tags(log: pd.DataFrame, rules=tuple(TAG_RULES), *, high_spend: float = 1000.0,
               frequent_from: int = 4, min_share: float = 0.25, max_interests: int = 2,
               horizon_days: int = 30, likely_from: float = 0.5,
               city_tiers=CITY_TIERS) -> pd.DataFrame:
    """Tags in the courseware's four layers, one row per (user, tag), by named rules.

    Rules (:data:`TAG_RULES`) and their thresholds:

    * basic — ``city_tier`` ("tier 1" … from ``city_tiers``; "tier unknown" for other
      cities), ``device`` (brand), ``os``; value: the tier, or 1;
    * interest — ``interests``: each category with at least ``min_share`` (0–1] of the
      user's views, the ``max_interests`` (≥ 1) largest; value: the share;
    * consumption — ``spend_level``: "mid-to-high-end consumer" (中高端消费者, the China
      Unicom tag) if spend ≥ ``high_spend`` 元, "mass consumer" if it is below but above
      0, "non-buyer" without orders; ``purchase_frequency``: "frequent buyer" from
      ``frequent_from`` (≥ 1) orders; value: spend or orders;
    * predictive — ``purchase_propensity``: a logistic regression (scikit-learn; standardised
      log counts of views, likes, follows, orders, spend) fitted on the log without its last
      ``horizon_days`` to predict a purchase in them, applied to the equally long window that
      ends the log: "likely buyer" if P(purchase in the next ``horizon_days``) ≥
      ``likely_from`` (in (0, 1)), else "unlikely buyer"; value: the probability.

    An unknown rule, a threshold out of range or a bad log (empty, missing columns, unknown
    event types, missing or negative order amounts) raises a ValueError that names it.

    Examples
    --------
    >>> tags = build_tags(make_event_log(200, seed=3), rules=["spend_level"], high_spend=500)
    >>> sorted(tags["tag"].unique())
    ['mass consumer', 'mid-to-high-end consumer', 'non-buyer']
    """
    func = "personas.build_tags"
    rules = [rules] if isinstance(rules, str) else list(rules)
    unknown = [r for r in rules if not isinstance(r, str) or r not in TAG_RULES]
    if unknown:
        raise InputError(f"{func}: unknown tag rule {unknown[0]!r}; the rules are "
                         f"{list(TAG_RULES)}.")
    high = require_number(high_spend, func=func, name="high_spend", low=0, low_open=True)
    frequent = require_integer(frequent_from, func=func, name="frequent_from", low=1)
    share = require_number(min_share, func=func, name="min_share", low=0, high=1, low_open=True)
    top = require_integer(max_interests, func=func, name="max_interests", low=1)
    likely = require_number(likely_from, func=func, name="likely_from", low=0, high=1,
                            low_open=True, high_open=True)
    horizon = require_integer(horizon_days, func=func, name="horizon_days", low=1)
    tiers = dict(city_tiers) if isinstance(city_tiers, Mapping) else None
    if tiers is None or not all(isinstance(t, (int, np.integer)) and t >= 1
                                for t in tiers.values()):
        raise InputError(f"{func}: city_tiers must map city names to tiers 1, 2, 3, ...; got "
                         f"{city_tiers!r:.80}.")
    ev = _events(log, func)
    span = (ev["ts"].max() - ev["ts"].min()).days
    if "purchase_propensity" in rules and horizon > span // 2:
        raise InputError(f"{func}: horizon_days must be at most half the log's span "
                         f"({span} days), i.e. <= {span // 2}; got {horizon}.")
    f = _features(ev, func)
    rows = []

    def add(rule, tag, value):
        rows.append(pd.DataFrame({"user_id": tag.index, "layer": TAG_RULES[rule][0],
                                  "rule": rule, "tag": tag.to_numpy(dtype=object),
                                  "value": np.asarray(value, dtype=float)}))

    if "city_tier" in rules:
        tier = f["city"].map(tiers)
        add("city_tier", ("tier " + tier.astype("Int64").astype(str)).where(
            tier.notna(), "tier unknown"), tier)
    for rule, column in (("device", "device_brand"), ("os", "os")):
        if rule in rules:
            add(rule, f[column].fillna("unknown"), np.ones(len(f)))
    if "interests" in rules:
        shares = f.filter(like="share_").rename(columns=lambda c: c[6:]).rename_axis(
            columns="tag").stack().rename("value").reset_index().query("value >= @share")
        shares = shares.sort_values(["user_id", "value", "tag"], ascending=[True, False, True])
        shares = shares.groupby("user_id").head(top).set_index("user_id")
        add("interests", shares["tag"], shares["value"])
    if "spend_level" in rules:
        level = np.where(f["orders"] == 0, "non-buyer", np.where(
            f["spend"] >= high, "mid-to-high-end consumer", "mass consumer"))
        add("spend_level", pd.Series(level, index=f.index), f["spend"])
    if "purchase_frequency" in rules:
        often = f["orders"][f["orders"] >= frequent]
        add("purchase_frequency", pd.Series("frequent buyer", index=often.index), often)
    if "purchase_propensity" in rules:
        p = _propensity(ev, f.index, horizon, func)
        add("purchase_propensity", pd.Series(np.where(p >= likely, "likely buyer",
                                                      "unlikely buyer"), index=f.index), p)
    if not rows:
        return pd.DataFrame(columns=["user_id", "layer", "rule", "tag", "value"])
    tags = pd.concat(rows, ignore_index=True)
    return tags.sort_values(["user_id", "rule"], key=lambda s: s.map(list(TAG_RULES).index)
                            if s.name == "rule" else s, kind="stable", ignore_index=True)


def _propensity(ev, users, horizon: int, func: str) -> np.ndarray:
    """P(purchase in the next ``horizon`` days), by a logistic model fitted on a holdout."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    end, start = ev["ts"].max(), ev["ts"].min()
    cutoff = end - pd.Timedelta(days=horizon)

    def window(lo, hi):                    # log counts and spend of events in [lo, hi)
        part = ev[(ev["ts"] >= lo) & (ev["ts"] < hi)]
        if part.empty:
            return np.zeros((len(users), 5))
        f = _features(part, func)[["views", "likes", "follows", "orders", "spend"]]
        return np.log1p(f.reindex(users, fill_value=0).to_numpy(float))

    x_fit = window(start, cutoff)
    bought = ev[(ev["ts"] >= cutoff) & (ev["event_type"] == "purchase")]["user_id"].unique()
    y = np.isin(users, bought).astype(int)
    if y.min() == y.max():
        raise InputError(f"{func}: purchase_propensity needs users who buy and users who do "
                         f"not in the last {horizon} days; all {len(y)} users "
                         f"{'did' if y[0] else 'did not'}. Change horizon_days.")
    scaler = StandardScaler().fit(x_fit)
    model = LogisticRegression(max_iter=1000).fit(scaler.transform(x_fit), y)
    x_now = window(end - (cutoff - start), end + pd.Timedelta(seconds=1))
    return model.predict_proba(scaler.transform(x_now))[:, 1]


def _matrix(features, columns, func: str):
    """The chosen numeric columns, their standardised values, and the largest k."""
    require_frame(features, func=func, arg="features")
    if columns is None:
        columns = [c for c in features.columns if pd.api.types.is_numeric_dtype(features[c])
                   and not pd.api.types.is_bool_dtype(features[c])]
    columns = [columns] if isinstance(columns, str) else list(columns)
    require_columns(features, columns, func=func, arg="features")
    if not columns:
        raise InputError(f"{func}: no numeric column to cluster on; pass columns=[...].")
    x = pd.DataFrame({c: require_numeric(features[c], func=func, name=f"column {c!r}")
                      for c in columns})
    if (huge := x.columns[(x.abs() > 1e100).any()]).size:
        raise InputError(f"{func}: column {huge[0]!r} has values beyond ±1e100, which no "
                         f"feature takes; check its units.")
    z = ((x - x.mean()) / x.std(ddof=0).replace(0.0, 1.0)).to_numpy()
    distinct = len(np.unique(z.round(6), axis=0))     # closer rows are one point to k-means
    if len(x) < 3 or distinct < 2:
        raise InputError(f"{func}: `features` has {len(x)} rows, {distinct} of them different; "
                         f"clustering needs at least 3 rows, 2 of them different.")
    return x, z, min(distinct, len(x) - 1)     # the most clusters k-means and silhouette allow


def _kmeans(z: np.ndarray, k: int, random_state: int, n_init: int):
    """k-means with stable labels: 0 = the largest cluster; ties by centroid."""
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):      # one thread: the same sums in the same order
        fit = KMeans(n_clusters=k, random_state=random_state, n_init=n_init).fit(z)
    sizes = np.bincount(fit.labels_, minlength=k)
    order = sorted(range(k), key=lambda c: (-sizes[c], *np.round(fit.cluster_centers_[c], 9)))
    return np.argsort(order)[fit.labels_], float(fit.inertia_)


def select_k(features: pd.DataFrame, columns=None, *, ks=range(2, 9), random_state: int = 0,
             n_init: int = 10, tolerance: float = 0.01) -> pd.DataFrame:
    """Silhouette and inertia of k-means for each k, on standardised ``columns``.

    Inertia (the within-cluster sum of squares) always falls as k grows, so it cannot
    choose k alone; the mean silhouette (Rousseeuw 1987) weighs how close each point is to
    its own cluster against the nearest other one, in [-1, 1]. ``chosen`` marks the
    smallest k whose silhouette is within ``tolerance`` (in [0, 1]) of the best: fewer
    personas are easier to act on, and silhouettes that close are a tie. It is the default
    k of :func:`find_personas`. ``columns`` defaults to every numeric column.

    Examples
    --------
    >>> f = user_features(make_event_log(300, seed=4))
    >>> table = select_k(f, ks=[2, 3, 4])
    >>> table.columns.tolist(), int(table["chosen"].sum())
    (['inertia', 'silhouette', 'chosen'], 1)
    """
    from sklearn import config_context
    from sklearn.metrics import silhouette_score

    func = "personas.select_k"
    _, z, most = _matrix(features, columns, func)
    ks = [ks] if np.ndim(ks) == 0 else list(ks)
    ks = [require_integer(k, func=func, name="each k", low=2, high=most) for k in ks]
    require_integer(len(ks), func=func, name="the number of ks to try (e.g. range(2, 9))", low=1)
    seed = require_integer(random_state, func=func, name="random_state", low=0)
    n_init = require_integer(n_init, func=func, name="n_init", low=1, high=1000)
    tolerance = require_number(tolerance, func=func, name="tolerance", low=0, high=1)
    rows = {}
    for k in sorted(set(ks)):
        labels, inertia = _kmeans(z, k, seed, n_init)
        # distances in 64 MB chunks, not scikit-learn's 1 GB: the same numbers, and a
        # notebook graded under a 2 GB address-space limit keeps running
        with config_context(working_memory=64):
            score = silhouette_score(z, labels)
        rows[k] = {"inertia": inertia, "silhouette": float(score)}
    table = pd.DataFrame.from_dict(rows, orient="index").rename_axis("k")
    best = table["silhouette"].max()
    table["chosen"] = table.index == table.index[table["silhouette"] >= best - tolerance][0]
    return table


@dataclass(frozen=True)
class Personas:
    """:func:`find_personas`'s result: ``labels`` (persona 1..k per row), ``profiles``,
    ``selection`` (the k table; None if k was given), ``k``, ``silhouette`` (its mean)."""
    labels: pd.Series
    profiles: pd.DataFrame
    selection: pd.DataFrame | None
    k: int
    silhouette: float


def find_personas(features: pd.DataFrame, k: int | None = None, *, columns=None,
                  ks=range(2, 9), random_state: int = 0, n_init: int = 10,
                  tolerance: float = 0.01, tags=None, labels=None) -> Personas:
    """Personas by k-means (scikit-learn) on standardised features, with a profile each.

    ``k`` defaults to the choice of :func:`select_k` over ``ks``. Personas are
    numbered 1..k by size (largest first; ties by centroid), so labels do not flip
    between runs. Each profile has ``size``, ``share``, the mean of every column, ``name``
    — the two columns whose persona mean lies furthest from the overall mean, at least
    half a standard deviation away, e.g. "high spend · low views" ("average" if none;
    ``labels`` maps columns to display names) — and, if ``tags`` (a :func:`build_tags`
    table) is given, ``top_tags``: the three tags whose share among the persona's users
    exceeds their share among all users the most.

    Examples
    --------
    >>> log = make_event_log(400, seed=5)
    >>> found = find_personas(user_features(log), k=4)
    >>> found.profiles["size"].is_monotonic_decreasing, found.labels.nunique()
    (True, 4)
    """
    from sklearn import config_context
    from sklearn.metrics import silhouette_score

    func = "personas.find_personas"
    x, z, most = _matrix(features, columns, func)
    seed = require_integer(random_state, func=func, name="random_state", low=0)
    n_init = require_integer(n_init, func=func, name="n_init", low=1, high=1000)
    selection = None
    if k is None:
        selection = select_k(x, ks=ks, random_state=seed, n_init=n_init, tolerance=tolerance)
        k = int(selection.index[selection["chosen"]][0])
    k = require_integer(k, func=func, name="k", low=2, high=most)
    cluster, _ = _kmeans(z, k, seed, n_init)
    persona = pd.Series(cluster + 1, index=features.index, name="persona")
    means = x.groupby(persona.to_numpy()).mean()
    profiles = pd.DataFrame({"size": persona.value_counts().sort_index()}).join(means)
    profiles.insert(1, "share", profiles["size"] / len(persona))
    gap = (means - x.mean()) / x.std(ddof=0).replace(0.0, 1.0)
    names = dict(labels or {})
    level = {True: i18n.gettext("high {feature}"), False: i18n.gettext("low {feature}")}

    def name(p):
        top = gap.loc[p].abs().sort_values(ascending=False, kind="stable").index[:2]
        return " · ".join(level[bool(gap.at[p, c] > 0)].format(feature=names.get(c, c))
                          for c in top if abs(gap.at[p, c]) >= 0.5) or i18n.gettext("average")
    profiles["name"] = [name(p) for p in profiles.index]
    if tags is not None:
        require_columns(tags, ["user_id", "tag"], func=func, arg="tags")
        if not persona.index.is_unique:
            raise InputError(f"{func}: `features` must have one row per user (a unique index) "
                             f"to match `tags`; its index repeats labels.")
        held = tags.drop_duplicates(["user_id", "tag"]).assign(
            persona=lambda t: t["user_id"].map(persona))
        lift = (pd.crosstab(held["persona"], held["tag"]).div(profiles["size"], axis=0)
                - held["tag"].value_counts() / len(persona))
        profiles["top_tags"] = [tuple(lift.loc[p].sort_values(ascending=False, kind="stable")
                                      .index[:3]) for p in profiles.index]
    profiles.index.name = "persona"
    with config_context(working_memory=64):     # see select_k
        score = silhouette_score(z, cluster)
    return Personas(persona, profiles, selection, k, float(score))


def rule_segments(features: pd.DataFrame, by, *, bins=None) -> pd.Series:
    """Segments by fixed rules: the combination of the values of ``by`` columns.

    ``bins`` maps a numeric column to its cut points (a value equal to a cut point goes
    to the upper bin), e.g. ``{"spend": [1000]}`` → "spend<1000" / "spend>=1000".

    Examples
    --------
    >>> f = pd.DataFrame({"city_tier": [1, 1, 3], "spend": [1500.0, 200.0, 0.0]})
    >>> rule_segments(f, ["city_tier", "spend"], bins={"spend": [1000]}).tolist()
    ['city_tier=1 | spend>=1000', 'city_tier=1 | spend<1000', 'city_tier=3 | spend<1000']
    """
    func = "personas.rule_segments"
    by = [by] if isinstance(by, str) else list(by)
    require_columns(features, by, func=func, arg="features")
    if not by or not isinstance(bins or {}, dict):
        raise InputError(f"{func}: `by` must name at least one column and `bins` be a dict "
                         f"like {{'spend': [1000]}}; got by={by!r}, bins={bins!r}.")
    parts = []
    for column in by:
        cuts = (bins or {}).get(column)
        if cuts is not None and (np.ndim(cuts) != 1 or len(cuts) == 0):
            raise InputError(f"{func}: bins[{column!r}] must be a list of cut points; "
                             f"got {cuts!r}.")
        if cuts is None:
            parts.append(column + "=" + features[column].astype(str))
            continue
        x = require_numeric(features[column], func=func, name=f"column {column!r}")
        cuts = sorted(require_number(c, func=func, name=f"bins[{column!r}]") for c in cuts)
        where = np.searchsorted(cuts, x.to_numpy(), side="right")
        edges = [f"{column}<{cuts[0]:g}", *[f"{a:g}<={column}<{b:g}" for a, b in
                                            zip(cuts, cuts[1:])], f"{column}>={cuts[-1]:g}"]
        parts.append(pd.Series(np.asarray(edges, dtype=object)[where], index=features.index))
    return pd.concat(parts, axis=1).agg(" | ".join, axis=1).rename("segment")


@dataclass(frozen=True)
class Comparison:
    """``crosstab`` (personas × segments, counts) and ``ari``, the adjusted Rand index
    (1 = the same partition, about 0 = no more agreement than chance)."""
    crosstab: pd.DataFrame
    ari: float


def compare(personas, segments) -> Comparison:
    """How far two partitions of the same users agree: crosstab and adjusted Rand index.

    Examples
    --------
    >>> c = compare(pd.Series([1, 1, 2, 2]), pd.Series(["a", "a", "b", "b"]))
    >>> c.ari, c.crosstab.to_numpy().tolist()
    (1.0, [[2, 0], [0, 2]])
    """
    from sklearn.metrics import adjusted_rand_score

    func = "personas.compare"
    a = require_vector(personas, func=func, name="personas")
    b = require_vector(segments, func=func, name="segments")
    if len(a) != len(b) or not a.index.equals(b.index) and set(a.index) != set(b.index):
        raise InputError(f"{func}: `personas` ({len(a)} rows) and `segments` ({len(b)} rows) "
                         f"must label the same users.")
    b = b.reindex(a.index) if not a.index.equals(b.index) else b
    if a.isna().any() or b.isna().any():
        raise InputError(f"{func}: every user needs a persona and a segment; missing at rows "
                         f"{format_rows(a.index[a.isna().to_numpy() | b.isna().to_numpy()])}.")
    try:
        table = pd.crosstab(a.rename("persona"), b.rename("segment"))
    except TypeError:                      # labels of mixed types: compare them as text
        table = pd.crosstab(a.astype(str).rename("persona"), b.astype(str).rename("segment"))
    return Comparison(table, float(adjusted_rand_score(a.astype(str), b.astype(str))))


def persona_vs_segmentation(language: str | None = None) -> pd.DataFrame:
    """The courseware's table 用户画像 vs 客户细分, in ``language`` (default: the session's).

    Chinese is the courseware's wording; English is crmlab's translation.

    Examples
    --------
    >>> persona_vs_segmentation("zh").loc["method"].tolist()
    ['构建方法', '机器学习聚类+标签体系', 'RFM模型/地理人口统计细分']
    """
    language = i18n.get_language() if language is None else language
    check_option(language, list(i18n.LANGUAGES), func="personas.persona_vs_segmentation",
                 name="language")
    table = load_dataset("persona_vs_segmentation").set_index("dimension", drop=False)
    table["dimension_en"] = table["dimension"].str.replace("_", " ")
    names = ["dimension", "persona", "segmentation"]
    return table[[f"{c}_{language}" for c in names]].set_axis(names, axis=1).rename_axis("key")
