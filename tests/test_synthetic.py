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
