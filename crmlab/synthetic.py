"""Seeded generators of SYNTHETIC data for exercises (not real companies or customers).

Every generator takes ``seed`` and draws from ``numpy.random.default_rng(seed)`` only,
so the same call returns the same table on every machine. The shipped file
``datasets/b2b_leads_synthetic.csv`` is the output of :func:`make_b2b_leads` with its
defaults; a test regenerates it and compares.
:func:`make_event_log` makes the app event log (views, likes, follows, purchases) of the
persona chapter, with latent user types for :mod:`crmlab.personas` to find.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._validation import InputError, require_dates, require_integer

__all__ = ["AIRLINE_AS_OF", "AIRLINE_SEED", "CATEGORIES", "CITY_TIERS", "EVENT_COLUMNS",
           "EVENT_TYPES", "LATENT_TYPES", "LEADS_SEED", "LOG_SEED", "MAX_ROWS", "event_log_types",
           "make_airline_transactions", "make_b2b_leads", "make_event_log",
           "write_airline_transactions", "write_b2b_leads"]

#: Most leads or customers a generator makes in one call (enough for any exercise).
MAX_ROWS = 100_000

#: Seed of the shipped synthetic B2B leads file.
LEADS_SEED = 20240903

#: Seed and analysis date of the shipped synthetic airline transaction log.
AIRLINE_SEED = 20240904
AIRLINE_AS_OF = "2025-12-31"

#: Designed customers of the airline log: (id, amounts) whose averages or counts sit
#: exactly on the courseware table's boundaries. Purchases fall in the last 20 months.
AIRLINE_EDGE_CASES = (
    ("EDGE-F24", (1500.0,) * 24),            # exactly 24 purchases: no frequency score
    ("EDGE-F25", (1500.0,) * 25),            # 25 purchases: "more than 24" -> 5
    ("EDGE-M500", (400.0, 600.0, 450.0, 550.0)),   # average exactly 500: no monetary score
    ("EDGE-M500.5", (500.0, 501.0)),         # average 500.5: between the bins
    ("EDGE-M5000", (4500.0, 5500.0)),        # average exactly 5000: two scores (4 and 5)
    ("EDGE-M1000.5", (1000.0, 1001.0)),      # average 1000.5: between the bins
)

_INDUSTRIES = ("银行", "保险", "证券", "制造", "零售", "物流")
_TRENDS = ("up", "flat", "down")
_URGENCY = ("urgent", "planned", "exploring", "none")


def make_b2b_leads(n: int = 200, *, seed: int = LEADS_SEED) -> pd.DataFrame:
    """Generate a SYNTHETIC table of B2B sales leads for MAN-scoring exercises.

    The leads are invented: budgets, profit trends, approval chains and needs are drawn
    from simple distributions chosen for teaching, not estimated from any market.

    Parameters
    ----------
    n : int, default 200
        Number of leads, 1 to :data:`MAX_ROWS`.
    seed : int, default ``LEADS_SEED``
        A whole number >= 0; the same seed gives the same table.

    Returns
    -------
    DataFrame
        One row per lead: ``lead_id`` ("L001", …), ``industry`` (行业, Chinese label),
        ``it_budget_yi`` (annual IT budget, 亿元, log-normal, median about 6),
        ``profit_trend`` ("up", "flat", "down"), ``approval_levels`` (sign-offs needed
        for a purchase, 1–4), ``signing_limit_wan`` (what the contact may approve alone,
        万元), ``need_urgency`` ("urgent", "planned", "exploring", "none"),
        ``server_age_years`` (0–12) and ``product_fit`` (0–1, how well the offer
        matches the stated need).

    Examples
    --------
    >>> leads = make_b2b_leads(5, seed=1)
    >>> leads.columns.tolist()[:4]
    ['lead_id', 'industry', 'it_budget_yi', 'profit_trend']
    >>> make_b2b_leads(5, seed=1).equals(leads)
    True
    """
    return _leads(n, seed, "synthetic.make_b2b_leads")


def _leads(n, seed, func: str) -> pd.DataFrame:
    """:func:`make_b2b_leads`, raising errors that name ``func``."""
    n = require_integer(n, func=func, name="n", low=1, high=MAX_ROWS)
    rng = np.random.default_rng(require_integer(seed, func=func, name="seed", low=0))
    approval = rng.choice([1, 2, 3, 4], size=n, p=[0.2, 0.35, 0.3, 0.15])
    return pd.DataFrame({
        "lead_id": [f"L{k:03d}" for k in range(1, n + 1)],
        "industry": rng.choice(_INDUSTRIES, size=n),
        "it_budget_yi": np.clip(np.round(rng.lognormal(np.log(6), 0.9, size=n), 1), 0.2, 120.0),
        "profit_trend": rng.choice(_TRENDS, size=n, p=[0.45, 0.3, 0.25]),
        "approval_levels": approval,
        "signing_limit_wan": rng.choice([50, 100, 200, 500, 1000], size=n),
        "need_urgency": rng.choice(_URGENCY, size=n, p=[0.2, 0.35, 0.3, 0.15]),
        "server_age_years": rng.integers(0, 13, size=n),
        "product_fit": np.round(rng.beta(2.5, 2.0, size=n), 2),
    })


def make_airline_transactions(n_customers: int = 300, *, seed: int = AIRLINE_SEED,
                              as_of: str = AIRLINE_AS_OF) -> pd.DataFrame:
    """Generate a SYNTHETIC airline ticket-purchase log that exercises the RFM table.

    Invented customers buy tickets over the 30 months before ``as_of``: the number of
    purchases is negative binomial, dates are uniform, ticket prices log-normal (median
    about 1,200 元, whole yuan). ``n_customers`` runs from 1 to :data:`MAX_ROWS`, ``seed``
    is a whole number >= 0 and ``as_of`` a date between 1900 and 2200 (time-zone-aware
    dates are read in their local time). Six designed customers (:data:`AIRLINE_EDGE_CASES`,
    ids ``EDGE-…``) sit exactly on the courseware table's boundaries: 24 purchases,
    averages of 500, 500.5, 1000.5 and 5000 元.

    Returns
    -------
    DataFrame
        One row per purchase: ``customer_id``, ``date`` (datetime), ``amount`` (元),
        sorted by customer and date.

    Examples
    --------
    >>> log = make_airline_transactions(20, seed=1)
    >>> log.groupby("customer_id").size()["EDGE-F24"]
    np.int64(24)
    """
    return _airline(n_customers, seed, as_of, "synthetic.make_airline_transactions")


def _airline(n_customers, seed, as_of, func: str) -> pd.DataFrame:
    """:func:`make_airline_transactions`, raising errors that name ``func``."""
    n_customers = require_integer(n_customers, func=func, name="n_customers", low=1,
                                  high=MAX_ROWS)
    rng = np.random.default_rng(require_integer(seed, func=func, name="seed", low=0))
    end = require_dates(pd.Series([as_of], dtype=object), func=func, name="as_of").iloc[0]
    if not pd.Timestamp("1900-01-01") <= end <= pd.Timestamp("2200-12-31"):
        raise InputError(f"{func}: as_of must lie between 1900 and 2200; got {as_of!r}.")
    span_days = int(30 * 365.2425 / 12)
    counts = rng.negative_binomial(1.2, 0.15, size=n_customers) + 1
    ids = np.repeat([f"C{k:04d}" for k in range(1, n_customers + 1)], counts)
    offsets = rng.integers(0, span_days, size=len(ids))
    prices = np.round(rng.lognormal(np.log(1200), 0.8, size=len(ids)))
    frames = [pd.DataFrame({"customer_id": ids,
                            "date": end - pd.to_timedelta(offsets, unit="D"),
                            "amount": prices})]
    for label, amounts in AIRLINE_EDGE_CASES:
        days = np.sort(rng.choice(np.arange(10, 600), size=len(amounts), replace=False))
        frames.append(pd.DataFrame({"customer_id": label,
                                    "date": end - pd.to_timedelta(days, unit="D"),
                                    "amount": amounts}))
    log = pd.concat(frames, ignore_index=True)
    return log.sort_values(["customer_id", "date"], kind="stable").reset_index(drop=True)


# ---- a synthetic app event log for the persona chapter (crmlab.personas reads it)
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
LATENT_TYPES = {
    "deal_seeker": dict(share=0.30, views=40, weights=(3, 1, 4, 1, 0.3, 1), like=0.04,
                        follow=0.01, orders=6.0, amount=50, tiers=(0.15, 0.35, 0.50),
                        brands=(0.05, 0.10, 0.35, 0.25, 0.20, 0.05)),
    "premium_buyer": dict(share=0.20, views=25, weights=(1, 1, 1, 3, 1, 3), like=0.03,
                          follow=0.01, orders=2.0, amount=900, tiers=(0.60, 0.30, 0.10),
                          brands=(0.60, 0.25, 0.05, 0.0, 0.0, 0.10)),
    "content_fan": dict(share=0.30, views=120, weights=(1, 5, 1, 1, 0.3, 0.5), like=0.20,
                        follow=0.05, orders=0.3, amount=80, tiers=(0.30, 0.40, 0.30),
                        brands=(0.20, 0.20, 0.25, 0.15, 0.15, 0.05)),
    "family_planner": dict(share=0.20, views=50, weights=(2, 0.3, 0.5, 0.5, 6, 1), like=0.08,
                           follow=0.02, orders=2.5, amount=300, tiers=(0.25, 0.45, 0.30),
                           brands=(0.15, 0.35, 0.20, 0.10, 0.15, 0.05)),
}


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


def write_airline_transactions(path, *, n_customers: int = 300, seed: int = AIRLINE_SEED) -> None:
    """Write :func:`make_airline_transactions` to ``path`` as CSV, labelled synthetic."""
    header = (
        "# SYNTHETIC DATA - invented airline ticket purchases for the RFM chapter; "
        "not real customers.\n"
        f"# Generated by crmlab.synthetic.make_airline_transactions(n_customers={n_customers}, "
        f"seed={seed}); analysis date {AIRLINE_AS_OF}.\n"
    )
    log = _airline(n_customers, seed, AIRLINE_AS_OF, "synthetic.write_airline_transactions")
    body = log.assign(date=log["date"].dt.strftime("%Y-%m-%d")).to_csv(
        index=False, lineterminator="\n")
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(header + body)


def write_b2b_leads(path, *, n: int = 200, seed: int = LEADS_SEED) -> None:
    """Write :func:`make_b2b_leads` to ``path`` as CSV, under a header saying it is synthetic."""
    header = (
        "# SYNTHETIC DATA - invented B2B sales leads for MAN-scoring exercises; not real firms.\n"
        f"# Generated by crmlab.synthetic.make_b2b_leads(n={n}, seed={seed}).\n"
    )
    body = _leads(n, seed, "synthetic.write_b2b_leads").to_csv(index=False, lineterminator="\n")
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(header + body)
