"""What the tests of chapter 5's two check modules share (tests/test_checks_satisfaction.py,
tests/test_checks_satisfaction_data.py): no student id around each test, a quiet check, a
student's inputs, and sat-6 and the share/percent rule worked out as a student would."""

import contextlib
import io

import pandas as pd
import pytest
from hypothesis import strategies as st

import crmlab
from crmlab import defection
from crmlab.checks import core

IDS = [f"s{k:03d}" for k in range(12)] + ["2024000001", "alice"]
SHARE_FORMS = st.sampled_from(["share", "percent text", "percent number"])


@pytest.fixture(autouse=True)
def no_student():
    crmlab.student(None)
    yield
    crmlab.student(None)


def quiet(key, answer):
    with contextlib.redirect_stdout(io.StringIO()):
        return crmlab.check(key, answer)


def mine(key, who):
    """The inputs of exercise ``key`` for student ``who``, as exercise_data hands them out."""
    return core.case_data(core._EXERCISES[key].case, who)


def defectors_by_level(panel: pd.DataFrame) -> pd.DataFrame:
    """Measured on the panel: customers, defectors and the defection rate per CSAT level."""
    table = panel.groupby("csat")["defected"].agg(customers="size", defectors="sum")
    table["rate"] = table["defectors"] / table["customers"]
    return table


def panel_answer(parameters: dict) -> tuple:
    """sat-6 worked out as a student would: make the panel, count defectors by CSAT."""
    panel = defection.make_satisfaction_panel(**parameters)
    counts = panel.loc[panel["defected"] == 1, "csat"].value_counts()
    return int(counts.idxmax()), int(counts.max())


def written(share: float, form: str, decimals: int):
    """A share as a student writes it, with ``decimals`` decimals in the unit written."""
    if form == "percent text":
        return f"{100 * share:.{decimals}f}%"
    value = round(share if form == "share" else 100 * share, decimals)
    return int(value) if decimals == 0 else value
