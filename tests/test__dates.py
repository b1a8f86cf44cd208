"""crmlab._dates: dates in any column or argument, or a message naming the bad ones.

Integers read as YYYYMMDD only, aware dates kept at their local wall time, text without a
four-digit year refused (pandas would guess the century), missing dates named apart.
"""

import re

import pandas as pd
import pytest

from crmlab import _dates as d
from crmlab._validation import InputError


def test_integer_dates_are_yyyymmdd_or_refused():
    dates = d.require_dates(pd.Series([20240101, 20240229]), func="f", name="d")
    assert dates.tolist() == [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-02-29")]
    with pytest.raises(ValueError, match=r"f: d has numbers that are not dates, e.g. 1704067200 "
                                         r"at rows \[1\].*pd.to_datetime\(x, unit='s'\)"):
        d.require_dates(pd.Series([20240101, 1704067200]), func="f", name="d")
    with pytest.raises(ValueError, match=r"not valid YYYYMMDD dates, e.g. 20230229 at rows \[0\]"):
        d.require_dates(pd.Series([20230229]), func="f", name="d")


def test_aware_and_mixed_dates_become_naive_local_time():
    aware = pd.Series(pd.to_datetime(["2024-01-31 23:30"]).tz_localize("Asia/Shanghai"))
    assert d.require_dates(aware, func="f", name="d").tolist() == [pd.Timestamp("2024-01-31 23:30")]
    mixed = pd.Series(["2024-01-31T23:30+08:00", "2024-02-01", pd.Timestamp("2024-02-02", tz="UTC"),
                       20240203], dtype=object)
    assert d.require_dates(mixed, func="f", name="d").dt.strftime("%Y-%m-%d %H:%M").tolist() == [
        "2024-01-31 23:30", "2024-02-01 00:00", "2024-02-02 00:00", "2024-02-03 00:00"]


def test_missing_dates_are_named_apart_from_bad_ones():
    with pytest.raises(ValueError, match=r"f: d has missing dates at rows \[1\]"):
        d.require_dates(pd.Series(["2024-01-01", None]), func="f", name="d")
    with pytest.raises(ValueError, match=r"f: d must be dates; got dtype bool"):
        d.require_dates(pd.Series([True]), func="f", name="d")


def test_require_dates_refuses_an_integer_too_large_for_a_float():
    # float(10**400) overflows; the value is reported like any other non-date
    values = pd.Series([20240101, 10**400], dtype=object)
    with pytest.raises(InputError, match=r"date has values that are not dates.*rows \[1\]"):
        d.require_dates(values, func="f", name="date")


@pytest.mark.parametrize("cell", ["24-01-31", "1-1-1", "Jan 5", "31/01/24"])
def test_text_dates_without_a_four_digit_year_are_refused(cell):
    # pandas reads '24-01-31' as 2031-01-24, '1-1-1' as 2001-01-01 and 'Jan 5' in the
    # current year: silently wrong dates, so they are refused by name and row
    values = pd.Series(["2024-01-31", cell, "2024-02-01"], dtype=object)
    with pytest.raises(InputError, match=r"column 'd' has dates without a four-digit year, "
                                         r"e\.g\. '" + re.escape(cell) + r"' at rows \[1\]"):
        d.require_dates(values, func="f", name="column 'd'")
    full = pd.Series(["2024-01-31", "01/31/2024", "31 Jan 2024", "2024-01-31T10:00+08:00"],
                     dtype=object)
    assert d.require_dates(full, func="f", name="d").dt.date.astype(str).tolist() == \
        ["2024-01-31"] * 4
