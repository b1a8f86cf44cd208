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


# ---- InputError, inf, columns (issue 9, section 4; dates: tests/test__dates.py)
def test_input_error_is_a_value_error_and_a_type_error():
    with pytest.raises(ValueError) as info:
        v.require_frame([1], func="f")
    assert isinstance(info.value, TypeError) and isinstance(info.value, v.InputError)


@pytest.mark.parametrize("values, message", [
    ([1.0, np.inf], r"f: x must be finite; got inf at rows \[1\]"),
    ([-np.inf, 1.0], r"f: x must be finite; got -inf at rows \[0\]"),
    (["1", "1e400"], r"f: x must be finite; got inf at rows \[1\]"),
    ([1, 10**400], r"f: x must be finite; got inf at rows \[1\]"),
    ([1, True], r"f: x must be numeric; got True at rows \[1\]"),
    ([1, 1 + 2j], r"f: x must be numeric; got \(1\+2j\) at rows \[1\]"),
    ([1, pd.Timestamp("2024-01-01")], r"f: x must be numeric; got Timestamp"),
])
def test_require_numeric_refuses_inf_and_non_numbers(values, message):
    with pytest.raises(ValueError, match=message):
        v.require_numeric(pd.Series(values, dtype=object), func="f", name="x")


@pytest.mark.parametrize("dtype", ["Int64", "Float64", "string", "object", "category"])
def test_require_numeric_reads_nullable_and_object_columns(dtype):
    s = pd.Series(["1", "2"] if dtype in ("string", "object", "category") else [1, 2]).astype(dtype)
    assert v.require_numeric(s, func="f", name="x").tolist() == [1.0, 2.0]
    with pytest.raises(ValueError, match=r"missing values \(NaN\) at rows \[2\]"):
        v.require_numeric(pd.concat([s, pd.Series([None], dtype=s.dtype)], ignore_index=True),
                          func="f", name="x")


def test_require_columns_names_the_keyword_and_a_close_match():
    frame = pd.DataFrame({"cust": [1], "date": [2], "Amount": [3]})
    with pytest.raises(ValueError, match=r"m.f: column 'amount' is missing from `data`; found "
                                         r"\['cust', 'date', 'Amount'\]. Pass the name of your "
                                         r"column, e.g. f\(\.\.\., amount='Amount'\), or rename"):
        v.require_columns(frame, {"amount": "amount"}, func="m.f")
    with pytest.raises(ValueError, match=r"Pass the name of your column with f\(\.\.\., "
                                         r"customer=\.\.\.\)"):
        v.require_columns(frame[["date"]], {"customer": "customer_id"}, func="m.f")
    with pytest.raises(ValueError, match=r"Rename your column, e.g. \.rename\(columns="
                                         r"\{'Amount': 'amount'\}\)"):
        v.require_columns(frame, ["amount"], func="m.f")
    with pytest.raises(ValueError, match=r"column 'date' appears 2 times in `data`"):
        v.require_columns(pd.concat([frame, frame[["date"]]], axis=1), ["date"], func="m.f")


def test_require_vector_and_unique_and_flag():
    assert v.require_vector((1, 2), func="f").tolist() == [1, 2]
    assert v.require_vector(3, func="f", scalar=True).tolist() == [3]
    for bad in ("abc", {"a": 1}, {1, 2}, np.ones((2, 2)), pd.DataFrame({"a": [1]}), 3):
        with pytest.raises(ValueError, match=r"^f: `values` must be"):
            v.require_vector(bad, func="f")
    with pytest.raises(ValueError, match=r"f: ids must be unique; 'a' appears 2 times, at "
                                         r"positions \[0, 2\]"):
        v.require_unique(["a", "b", "a"], func="f", name="ids", hint="")
    with pytest.raises(ValueError, match="f: flag must be True or False; got 'no'"):
        v.require_flag("no", func="f", name="flag")


def test_require_number_refuses_huge_integers_and_numpy_bools():
    for bad in (10**400, np.bool_(True), "1"):
        with pytest.raises(ValueError, match="f: x must be a number"):
            v.require_number(bad, func="f", name="x")


# ------------------------------------------------- customer ids: one helper, three callers
MIXED = ("column 'customer_id' mixes id types ['int', 'str']: 7 at rows ['q'] is a number, the "
         "other ids are text (is 1 the same customer as '1'?). Make them one type, e.g. "
         ".astype(str).")
ODD = ("customer ids in column 'customer_id' must be text or numbers; got "
       "Timestamp('2024-01-01 00:00:00') (Timestamp) at rows ['r', 's']. Convert them, e.g. "
       ".astype(str).")


def _id_callers():
    from crmlab import identify, rfm, warehouse
    pytest.importorskip("duckdb")
    return {"rfm.customer_table": rfm.customer_table,
            "identify.customer_states": identify.customer_states,
            "warehouse.rfm_summary": warehouse.rfm_summary}


@pytest.mark.parametrize("ids, message", [
    (["a", 7, "b", "c"], MIXED),
    (["a", "b", pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-01")], ODD),
])
def test_customer_ids_are_checked_in_the_same_words_everywhere(ids, message):
    log = pd.DataFrame({"customer_id": pd.Series(ids, dtype=object, index=list("pqrs")),
                        "date": ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"],
                        "amount": [1.0, 2.0, 3.0, 4.0]}, index=list("pqrs"))
    for name, func in _id_callers().items():
        with pytest.raises(v.InputError) as err:
            func(log)
        assert str(err.value) == f"{name}: {message}"


def test_customer_id_kinds_that_pass_and_dtypes_that_do_not():
    from crmlab._customers import require_id_kind
    for ok in (pd.Series([1, 2]), pd.Series([1.5, 2]), pd.Series(["a", "b"], dtype="string"),
               pd.Series(["a", "b"], dtype="category"), pd.Series([1, 2.5], dtype=object),
               pd.Series([np.int64(1), 2], dtype=object), pd.Series([], dtype=object)):
        require_id_kind(ok, func="f", name="column 'id'")
    with pytest.raises(v.InputError, match=r"^f: customer ids in column 'id' must be text or "
                                           r"numbers; got dtype bool. Convert them"):
        require_id_kind(pd.Series([True, False]), func="f", name="column 'id'")
    with pytest.raises(v.InputError, match=r"got True \(bool\) at rows \[1\]"):
        require_id_kind(pd.Series([1, True], dtype=object), func="f", name="column 'id'")
    # the rows named are those of the rarer kind: here the two strings
    with pytest.raises(v.InputError, match=r"mixes id types \['int', 'str'\]: '1' at rows "
                                           r"\[1, 3\] is text, the other ids are numbers"):
        require_id_kind(pd.Series([1, "1", 2, "2", 3], dtype=object), func="f",
                        name="column 'id'")
