"""Tags (标签) in the courseware's four layers, from an event log of what users did.

The courseware's Douyin framework (抖音用户画像生成技术框架) turns collected data into four
layers of tags — basic (基础标签), interest (兴趣标签), consumption (消费标签), predictive
(预测标签). On an event log such as the **synthetic** one of
:func:`crmlab.synthetic.make_event_log` (views, likes, follows, purchases):
:func:`user_features` (one row per user: what the tags and clusters read) and
:func:`build_tags` (one row per user and tag, by named rules with their thresholds as
arguments). Personas — clusters of users, described by their tags — are
:mod:`crmlab.personas`.

References
----------
《客户关系管理课件》第3章, 第一节, 客户洞察工具——用户画像: the Douyin framework, the China
Unicom tags (中高端消费者).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from . import i18n
from ._dates import require_dates
from .i18n import N_
from ._validation import (InputError, format_rows, require_columns, require_finite_result,
                          require_frame, require_in_range, require_integer, require_number,
                          require_numeric)
from .synthetic import CATEGORIES, CITY_TIERS, EVENT_COLUMNS, EVENT_TYPES, make_event_log

__all__ = ["TAG_RULES", "TAG_TERMS", "TAG_WORDS", "build_tags", "user_features"]

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
    return _features(_events(log, "tags.user_features"), "tags.user_features")


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
    func = "tags.build_tags"
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
