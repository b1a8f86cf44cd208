"""Seeded generators of SYNTHETIC data for exercises (not real companies or customers).

Every generator takes ``seed`` and draws from ``numpy.random.default_rng(seed)`` only,
so the same call returns the same table on every machine. The shipped file
``datasets/b2b_leads_synthetic.csv`` is the output of :func:`make_b2b_leads` with its
defaults; a test regenerates it and compares.
:func:`make_event_log` makes the app event log (views, likes, follows, purchases) of the
persona chapter, with latent user types for :mod:`crmlab.personas` to find.
:func:`make_customer_file` makes a messy customer file (three sources, duplicates, typos)
with its ground truth for the identification pipeline, and :func:`make_customer_update` a
newer extract of it.

Modules
-------
    sales          B2B leads (MAN chapter) and an airline transaction log (RFM chapter)
    event_log      an app event log with latent user types (personas)
    customer_file  a messy customer file with ground truth (identification pipeline)
"""

from .customer_file import (CUSTOMER_FILE_COLUMNS, CUSTOMER_FILE_SEED, CUSTOMER_SOURCES,
                            make_customer_file, make_customer_update)
from .event_log import (CATEGORIES, CITY_TIERS, EVENT_COLUMNS, EVENT_TYPES, LATENT_TYPES, LOG_SEED,
                        event_log_types, make_event_log)
from .sales import (AIRLINE_AS_OF, AIRLINE_EDGE_CASES, AIRLINE_SEED, LEADS_SEED, MAX_ROWS,
                    make_airline_transactions, make_b2b_leads, write_airline_transactions,
                    write_b2b_leads)

__all__ = ["AIRLINE_AS_OF", "AIRLINE_SEED", "CATEGORIES", "CITY_TIERS", "CUSTOMER_FILE_COLUMNS",
           "CUSTOMER_FILE_SEED", "CUSTOMER_SOURCES", "EVENT_COLUMNS", "EVENT_TYPES",
           "LATENT_TYPES", "LEADS_SEED", "LOG_SEED", "MAX_ROWS", "event_log_types",
           "make_airline_transactions", "make_b2b_leads", "make_customer_file",
           "make_customer_update", "make_event_log",
           "write_airline_transactions", "write_b2b_leads"]
