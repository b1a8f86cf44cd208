"""SYNTHETIC sales data for the MAN and RFM chapters: B2B leads and an airline log.

Not real firms or customers; seeded (``numpy.random.default_rng(seed)`` only).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._dates import require_dates
from .._validation import InputError, require_integer

__all__ = ["AIRLINE_AS_OF", "AIRLINE_SEED", "LEADS_SEED", "MAX_ROWS", "make_airline_transactions",
           "make_b2b_leads", "write_airline_transactions", "write_b2b_leads"]

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
