"""A SYNTHETIC app event log for the persona chapter (:mod:`crmlab.personas`).

Invented users with latent types; seeded (``numpy.random.default_rng(seed)`` only).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._validation import require_integer
from .sales import MAX_ROWS

__all__ = ["CATEGORIES", "CITY_TIERS", "EVENT_COLUMNS", "EVENT_TYPES", "LATENT_TYPES", "LOG_SEED",
           "event_log_types", "make_event_log"]

#: Seed of the chapter's default event log.
LOG_SEED = 20250301
CATEGORIES = ("food", "games", "fashion", "tech", "parenting", "travel")
EVENT_TYPES = ("video_view", "like", "follow", "purchase")
EVENT_COLUMNS = ("user_id", "ts", "event_type", "category", "city", "device_brand", "os",
                 "order_amount")
#: City tiers of the synthetic log: a simplification of this suite (tier 2 merges what
#: rankings call "new tier-1" and tier-2 cities; 3 = tier 3 and below), not an official list.
CITY_TIERS = {"Beijing": 1, "Shanghai": 1, "Guangzhou": 1, "Shenzhen": 1, "Chengdu": 2,
              "Hangzhou": 2, "Zhengzhou": 2, "Shijiazhuang": 2, "Luoyang": 3, "Baoding": 3,
              "Kaifeng": 3}
_OS = {"Apple": "iOS", "Huawei": "HarmonyOS", "Xiaomi": "Android", "OPPO": "Android",
       "vivo": "Android", "Samsung": "Android"}
_BRANDS = tuple(_OS)

#: The generator's latent types, invented for teaching: share of users, mean views in the
#: log, category weights, likes and follows per view, mean orders, median order (元),
#: probabilities of city tiers 1-3 and of the brands Apple, Huawei, Xiaomi, OPPO, vivo, Samsung.
LATENT_TYPES = {name: dict(zip(("share", "views", "weights", "like", "follow", "orders",
                                 "amount", "tiers", "brands"), row))
                for name, *row in [
    ("deal_seeker", 0.30, 40, (3, 1, 4, 1, 0.3, 1), 0.04, 0.01, 6.0, 50,
     (0.15, 0.35, 0.50), (0.05, 0.10, 0.35, 0.25, 0.20, 0.05)),
    ("premium_buyer", 0.20, 25, (1, 1, 1, 3, 1, 3), 0.03, 0.01, 2.0, 900,
     (0.60, 0.30, 0.10), (0.60, 0.25, 0.05, 0.0, 0.0, 0.10)),
    ("content_fan", 0.30, 120, (1, 5, 1, 1, 0.3, 0.5), 0.20, 0.05, 0.3, 80,
     (0.30, 0.40, 0.30), (0.20, 0.20, 0.25, 0.15, 0.15, 0.05)),
    ("family_planner", 0.20, 50, (2, 0.3, 0.5, 0.5, 6, 1), 0.08, 0.02, 2.5, 300,
     (0.25, 0.45, 0.30), (0.15, 0.35, 0.20, 0.10, 0.15, 0.05)),
]}


def make_event_log(n_users: int = 600, seed: int = LOG_SEED, *, days: int = 90) -> pd.DataFrame:
    """A **synthetic** app event log with latent persona types (invented, not real users).

    Each user draws a latent type from :data:`LATENT_TYPES`, a city (tier by type) and a
    phone brand (its OS follows: Apple → iOS, Huawei → HarmonyOS, others → Android). Views
    are Poisson around the type's mean with categories by its weights; likes and follows
    are binomial per view; orders are Poisson with log-normal amounts (median by type, log
    sd 0.5). Each user's means of views and orders are scaled by an activity factor
    Gamma(4, 0.25) (mean 1). Events fall uniformly in the ``days`` days to 2025-06-30.

    Returns
    -------
    DataFrame
        :data:`EVENT_COLUMNS`, one row per event, sorted by user and time; ``category`` is
        set for views, likes and follows, ``order_amount`` (元) for purchases only.
        ``attrs``: ``synthetic`` (True) and ``generator`` (the call). The users' latent
        types, the ground truth for checking a clustering, are :func:`event_log_types`.

    Examples
    --------
    >>> log = make_event_log(50, seed=1)
    >>> log.attrs["synthetic"], sorted(log["event_type"].unique())
    (True, ['follow', 'like', 'purchase', 'video_view'])
    >>> make_event_log(50, seed=1).equals(log)
    True
    """
    func = "synthetic.make_event_log"
    n = require_integer(n_users, func=func, name="n_users", low=1, high=MAX_ROWS)
    days = require_integer(days, func=func, name="days", low=2, high=3650)
    rng = np.random.default_rng(require_integer(seed, func=func, name="seed", low=0))
    specs = list(LATENT_TYPES.values())
    kinds = _kinds(rng, n)
    cities = [[c for c, t in CITY_TIERS.items() if t == tier] for tier in (1, 2, 3)]
    sizes, city, brand, event, category, amount = [], [], [], [], [], []
    for kind in kinds:
        spec = specs[kind]
        tier = rng.choice(3, p=spec["tiers"])
        city.append(cities[tier][rng.integers(len(cities[tier]))])
        brand.append(_BRANDS[rng.choice(len(_BRANDS), p=spec["brands"])])
        w = np.asarray(spec["weights"], dtype=float)
        views = rng.choice(CATEGORIES, size=rng.poisson(spec["views"] * rng.gamma(4, 0.25)),
                           p=w / w.sum())
        likes = views[rng.random(len(views)) < spec["like"]]
        follows = views[rng.random(len(views)) < spec["follow"]]
        n_orders = rng.poisson(spec["orders"] * rng.gamma(4, 0.25))
        amount += [np.full(len(views) + len(likes) + len(follows), np.nan),
                   np.round(rng.lognormal(np.log(spec["amount"]), 0.5, n_orders), 2)]
        category += [*views, *likes, *follows, *[None] * n_orders]
        event += (["video_view"] * len(views) + ["like"] * len(likes)
                  + ["follow"] * len(follows) + ["purchase"] * n_orders)
        sizes.append(len(views) + len(likes) + len(follows) + n_orders)
    counts = np.asarray(sizes)
    seconds = rng.uniform(0, days * 86400, counts.sum()).round()
    log = pd.DataFrame({
        "user_id": np.repeat([f"U{u + 1:04d}" for u in range(n)], counts),
        "ts": pd.Timestamp("2025-06-30") - pd.to_timedelta(seconds, unit="s"),
        "event_type": event, "category": category, "city": np.repeat(city, counts),
        "device_brand": np.repeat(brand, counts),
        "os": np.repeat([_OS[b] for b in brand], counts), "order_amount": np.concatenate(amount)})
    log = log.sort_values(["user_id", "ts"], kind="stable", ignore_index=True)
    log.attrs.update(synthetic=True, generator=(
        f"crmlab.synthetic.make_event_log(n_users={n}, seed={seed}, days={days})"))
    return log



def _kinds(rng, n: int) -> np.ndarray:
    """The latent type of each user: the generator's first draw."""
    return rng.choice(len(LATENT_TYPES), size=n, p=[s["share"] for s in LATENT_TYPES.values()])


def event_log_types(n_users: int = 600, seed: int = LOG_SEED) -> pd.Series:
    """The latent type of each user of ``make_event_log(n_users, seed)`` (any ``days``).

    Examples
    --------
    >>> types = event_log_types(50, seed=1)
    >>> types.index[:2].tolist(), set(types) <= set(LATENT_TYPES)
    (['U0001', 'U0002'], True)
    """
    func = "synthetic.event_log_types"
    n = require_integer(n_users, func=func, name="n_users", low=1, high=MAX_ROWS)
    rng = np.random.default_rng(require_integer(seed, func=func, name="seed", low=0))
    return pd.Series(np.asarray(list(LATENT_TYPES), dtype=object)[_kinds(rng, n)],
                     index=pd.Index([f"U{u + 1:04d}" for u in range(n)], name="user_id"),
                     name="latent_type")
