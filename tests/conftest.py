"""Fixtures shared by the RFM and segment tests, and the hypothesis profile of the suite.

Hypothesis runs derandomized: the same examples on every machine and every run, so a CI
result never depends on luck (set HYPOTHESIS_PROFILE=explore to search with fresh random
examples, e.g. before a release). No per-example deadline: a loaded 2-core CI machine is
slow, and speed is measured in benchmarks/, not in tests.
"""

import os

import pandas as pd
import pytest
from hypothesis import settings

settings.register_profile("crmlab", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("explore", derandomize=False, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "crmlab"))


@pytest.fixture
def log():
    """A six-row transaction log: three customers, a same-day pair, in January 2024."""
    return pd.DataFrame({
        "customer_id": ["a", "a", "b", "c", "c", "c"],
        "date": ["2024-01-01", "2024-01-11", "2024-01-05", "2024-01-01", "2024-01-01", "2024-01-20"],
        "amount": [10.0, 30.0, 5.0, 1.0, 2.0, 3.0],
    })
