"""crmlab._validation: uniform messages naming the item, the value and the rows."""

import pandas as pd
import pytest

from crmlab import _validation as v


def test_require_columns_lists_what_was_found():
    with pytest.raises(ValueError, match=r"f: column 'b' is missing from `data` \(also missing: \['c'\]\); found \['a'\]"):
        v.require_columns(pd.DataFrame({"a": [1]}), ["a", "b", "c"], func="f")


def test_require_numeric_names_first_bad_value_and_rows():
    s = pd.Series([1, "x", 3, "y"], index=list("pqrs"))
    with pytest.raises(ValueError, match=r"got 'x' at rows \['q', 's'\]"):
        v.require_numeric(s, func="f", name="amount")


def test_long_row_lists_are_truncated():
    s = pd.Series(range(-10, 0))
    with pytest.raises(ValueError, match=r"\[0, 1, 2, 3, 4\] and 5 more"):
        v.require_in_range(s, func="f", name="x", low=0)


def test_check_weights_rejects_non_numbers():
    with pytest.raises(TypeError, match="weight 'a' must be a number; got 'x'"):
        v.check_weights({"a": "x", "b": 1}, ["a", "b"], func="f")
    with pytest.raises(TypeError, match="weights must be a mapping"):
        v.check_weights(0.5, ["a", "b"], func="f")
