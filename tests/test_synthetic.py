"""crmlab.synthetic: seeded, reproducible, and identical to the shipped file."""

import pandas as pd
import pytest

import crmlab
from crmlab import synthetic


def test_shipped_leads_file_is_the_generator_output(tmp_path):
    path = tmp_path / "leads.csv"
    synthetic.write_b2b_leads(path)
    shipped = crmlab.datasets.dataset_path("b2b_leads_synthetic")
    assert path.read_bytes() == shipped.read_bytes()


def test_shipped_airline_log_is_the_generator_output(tmp_path):
    path = tmp_path / "airline.csv"
    synthetic.write_airline_transactions(path)
    assert path.read_bytes() == crmlab.datasets.dataset_path("airline_transactions_synthetic").read_bytes()


def test_same_seed_same_table_other_seed_other_table():
    a = synthetic.make_b2b_leads(50, seed=7)
    pd.testing.assert_frame_equal(a, synthetic.make_b2b_leads(50, seed=7))
    assert not a.equals(synthetic.make_b2b_leads(50, seed=8))


def test_leads_values_lie_in_their_documented_ranges():
    leads = synthetic.make_b2b_leads()
    assert leads["lead_id"].is_unique and len(leads) == 200
    assert leads["it_budget_yi"].between(0.2, 120).all()
    assert set(leads["profit_trend"]) <= {"up", "flat", "down"}
    assert leads["approval_levels"].between(1, 4).all()
    assert set(leads["need_urgency"]) <= {"urgent", "planned", "exploring", "none"}
    assert leads["product_fit"].between(0, 1).all()


def test_bad_n_is_rejected():
    with pytest.raises(ValueError, match=r"n must be a whole number in \[1, 100000\]; got 0"):
        synthetic.make_b2b_leads(0)


# ---- fuzz: every generator gives a table or a clear error
import numpy as np  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from strategies import correct_or_clear  # noqa: E402

COUNTS = st.one_of(st.integers(-2, 8), st.sampled_from([10**6, 2.0, "3", True, None, np.int64(4)]))
SEEDS = st.one_of(st.integers(0, 2**32), st.sampled_from([-1, 1.5, "7", None, True]))
AS_OF = st.sampled_from(["2025-12-31", 20251231, pd.Timestamp("2025-12-31", tz="Asia/Shanghai"),
                         "x", 1704067200, None, "1800-01-01", np.nan])


def test_fuzz_covers_every_public_function_of_synthetic():
    public = {n for n in synthetic.__all__ if callable(getattr(synthetic, n))}
    assert public == {"make_airline_transactions", "make_b2b_leads", "write_airline_transactions",
                      "write_b2b_leads", "make_event_log", "event_log_types",
                      "make_customer_file", "make_customer_update"}
    # the customer-file generators are fuzzed in tests/test_customer_file.py


@settings(max_examples=60, deadline=None)
@given(COUNTS, SEEDS, AS_OF)
def test_fuzz_synthetic_correct_or_clear(n, seed, as_of):
    leads = correct_or_clear("synthetic.make_b2b_leads",
                             lambda: synthetic.make_b2b_leads(n, seed=seed))
    if leads is not None:
        assert len(leads) == n and leads["lead_id"].is_unique
        assert np.isfinite(leads.select_dtypes("number").to_numpy(dtype=float)).all()
    log = correct_or_clear("synthetic.make_airline_transactions",
                           lambda: synthetic.make_airline_transactions(n, seed=seed, as_of=as_of))
    if log is not None:
        assert log["customer_id"].nunique() == n + len(synthetic.AIRLINE_EDGE_CASES)
        assert log["date"].dt.tz is None and (log["amount"] > 0).all()
    for name in ("write_b2b_leads", "write_airline_transactions"):
        if not (isinstance(n, (int, np.integer)) and not isinstance(n, bool) and 1 <= n <= 8
                and isinstance(seed, int) and not isinstance(seed, bool) and seed >= 0):
            assert correct_or_clear(f"synthetic.{name}", lambda: getattr(synthetic, name)(
                "/nonexistent/never-written.csv", **{"n" if "leads" in name else "n_customers": n},
                seed=seed)) is None


def test_generators_refuse_sizes_that_would_hang_and_random_seeds():
    with pytest.raises(ValueError, match=r"synthetic.make_b2b_leads: n must be a whole number in "
                                         r"\[1, 100000\]; got 1000000"):
        synthetic.make_b2b_leads(10**6)
    with pytest.raises(ValueError, match=r"synthetic.make_airline_transactions: seed must be a "
                                         r"whole number >= 0; got None"):
        synthetic.make_airline_transactions(5, seed=None)


def test_airline_as_of_accepts_yyyymmdd_and_aware_dates():
    base = synthetic.make_airline_transactions(5, seed=3)
    pd.testing.assert_frame_equal(synthetic.make_airline_transactions(5, seed=3, as_of=20251231),
                                  base)
    aware = pd.Timestamp("2025-12-31", tz="Asia/Shanghai")
    pd.testing.assert_frame_equal(synthetic.make_airline_transactions(5, seed=3, as_of=aware),
                                  base)
