"""Fixtures shared by the RFM and segment tests."""

import pandas as pd
import pytest


@pytest.fixture
def log():
    """A six-row transaction log: three customers, a same-day pair, in January 2024."""
    return pd.DataFrame({
        "customer_id": ["a", "a", "b", "c", "c", "c"],
        "date": ["2024-01-01", "2024-01-11", "2024-01-05", "2024-01-01", "2024-01-01", "2024-01-20"],
        "amount": [10.0, 30.0, 5.0, 1.0, 2.0, 3.0],
    })
