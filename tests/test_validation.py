"""crmlab._validation: uniform messages naming the item, the value and the rows."""

import numpy as np
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


@pytest.mark.parametrize("bad", [0, 2.0, True, "3", None, float("nan")])
def test_require_integer_rejects_non_counts(bad):
    with pytest.raises(ValueError, match=r"f: n must be a whole number >= 1; got"):
        v.require_integer(bad, func="f", name="n", low=1)


def test_require_integer_accepts_numpy_integers():
    assert v.require_integer(np.int64(3), func="f", name="n", low=1) == 3
    assert type(v.require_integer(np.int64(3), func="f", name="n", low=1)) is int
