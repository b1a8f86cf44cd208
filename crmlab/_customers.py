"""Customer tables shared by the buy-till-you-die modules (``btyd``, ``gamma_gamma``).

A customer table has one row per customer: ``frequency`` x (repeat purchases),
``recency`` t_x (first to last purchase) and ``T`` (first purchase to the end of
calibration), counted in the unit recorded in ``attrs["crmlab_unit"]``
(:data:`UNIT_ATTR`) by :func:`crmlab.btyd.repeat_purchase_table`. These helpers read and
check such tables and the values computed from them; the public functions pass their
own name as ``func``, so every message names the function the user called.

Functions
---------
read_dates, read_date, id_kind
    Dates of a transaction log or a date argument; the kind of a customer id.
require_id_kind
    Refuse a customer-id column that is not all text or all numbers (rfm, identify and
    warehouse share it, so they say it in the same words).
customer_arrays
    Validated arrays x, t_x, T (and weights) of a customer table.
table_unit, same_unit
    The unit a table records; the unit of a fit and a table, refusing two different ones.
start_values
    Checked starting values of a fit.
finite_result
    Refuse NaN or infinite expectations, naming the customers.
require_fit
    Refuse an argument that is not the fitted model a function needs.

References
----------
Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). "Counting your customers" the easy
way: an alternative to the Pareto/NBD model. *Marketing Science* 24(2), 275–284 (the
summary (x, t_x, T) of a customer's purchase history that the models read).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._dates import require_dates
from ._units import DAYS_PER_UNIT
from ._validation import (InputError, format_rows, format_value, reject_rows, require_columns,
                          require_in_range, require_number, require_numeric)

__all__ = ["UNIT_ATTR", "customer_arrays", "finite_result", "horizons", "id_kind", "read_date",
           "read_dates", "require_fit", "require_id_kind", "same_unit", "start_values",
           "table_unit"]

#: Key of ``DataFrame.attrs`` where :func:`~crmlab.btyd.repeat_purchase_table` records the
#: time unit of ``recency``, ``T`` and ``duration_holdout``; fits and CLV read it to refuse
#: mixed units.
UNIT_ATTR = "crmlab_unit"

#: With an unknown unit, the most repeat purchases per period of recency a fit accepts:
#: one a day if the unit were a year (repeat_purchase_table merges same-day purchases).
_MOST_PER_PERIOD_UNKNOWN = 366.0


def id_kind(x) -> str:
    """Kind of a customer id, to refuse columns that mix numbers and text."""
    if isinstance(x, (bool, np.bool_)):
        return "bool"
    if isinstance(x, (int, float, np.integer, np.floating)):
        return "number"
    return "text" if isinstance(x, str) else type(x).__name__


#: What :func:`pandas.api.types.infer_dtype` calls a column of ids of one good kind.
_ONE_KIND = frozenset({"string", "integer", "floating", "mixed-integer-float", "empty"})


def require_id_kind(ids: pd.Series, *, func: str, name: str) -> None:
    """Refuse customer ids that are not all text or all numbers, naming the first odd rows.

    ``name`` says where the ids are, e.g. ``"column 'customer_id'"``. Text mixed with
    numbers would make 1 and '1' two customers (and cannot be sorted); dates, True/False
    and other objects are not ids. Missing ids are the caller's to refuse first.

    Examples
    --------
    >>> try:
    ...     require_id_kind(pd.Series(["a", 1, "b"]), func="f", name="column 'id'")
    ... except InputError as err:
    ...     print(err)  # doctest: +NORMALIZE_WHITESPACE
    f: column 'id' mixes id types ['int', 'str']: 1 at rows [1] is a number, the other ids are
    text (is 1 the same customer as '1'?). Make them one type, e.g. .astype(str).
    """
    if ids.dtype.kind in "iuf":
        return
    if ids.dtype.kind not in "OUS":
        raise InputError(f"{func}: customer ids in {name} must be text or numbers; got dtype "
                         f"{ids.dtype}. Convert them, e.g. .astype(str).")
    values = ids.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(values, skipna=False) in _ONE_KIND:
        return
    kinds = np.array([id_kind(x) for x in values], dtype=object)
    odd = ~np.isin(kinds, ["number", "text"])
    if odd.any():
        first = values[odd][0]
        raise InputError(f"{func}: customer ids in {name} must be text or numbers; got "
                         f"{format_value(first)} ({type(first).__name__}) at rows "
                         f"{format_rows(ids.index[odd])}. Convert them, e.g. .astype(str).")
    numbers = kinds == "number"
    if numbers.all() or not numbers.any():
        return
    fewer = numbers if numbers.sum() <= (~numbers).sum() else ~numbers
    what, others = ("a number", "text") if fewer is numbers else ("text", "numbers")
    types = sorted({type(x).__name__ for x in values})
    raise InputError(f"{func}: {name} mixes id types {types}: {format_value(values[fewer][0])} "
                     f"at rows {format_rows(ids.index[fewer])} is {what}, the other ids are "
                     f"{others} (is 1 the same customer as '1'?). Make them one type, e.g. "
                     f".astype(str).")


def read_dates(values: pd.Series, *, func: str, name: str) -> pd.Series:
    """Tz-naive dates from a column (ISO text, datetimes, tz-aware datetimes in their local
    time, YYYYMMDD numbers such as 20240131): :func:`~crmlab._dates.require_dates`."""
    return require_dates(values, func=func, name=name)


def read_date(value, *, func: str, name: str) -> pd.Timestamp:
    """One date argument (``calibration_end`` …) as a tz-naive Timestamp."""
    if isinstance(value, (list, tuple, set, dict, np.ndarray, pd.Series, pd.DataFrame)):
        raise ValueError(f"{func}: {name} must be one date like '1997-09-30'; got a "
                         f"{type(value).__name__}.")
    return read_dates(pd.Series([value]), func=func, name=name).iloc[0]


def table_unit(data) -> str | None:
    """The unit a table records in ``attrs[UNIT_ATTR]``, or None (no table, no known unit)."""
    unit = data.attrs.get(UNIT_ATTR) if isinstance(data, pd.DataFrame) else None
    return unit if isinstance(unit, str) and unit in DAYS_PER_UNIT else None


def same_unit(fit_unit, data, func: str) -> str | None:
    """The unit of a fit and a table, refusing two different known units."""
    recorded = table_unit(data)
    if fit_unit is not None and recorded is not None and fit_unit != recorded:
        raise ValueError(
            f"{func}: `data` counts time in {recorded} (repeat_purchase_table(..., "
            f"unit={recorded!r})) but the BG/NBD model was fitted in {fit_unit}, so its "
            f"rates are per {fit_unit[:-1]}. Rebuild the table with unit={fit_unit!r} or "
            f"refit on this table."
        )
    return fit_unit or recorded


def start_values(start, names, func: str, default) -> np.ndarray:
    """Starting values: ``len(names)`` positive finite numbers."""
    if start is None:
        return np.asarray(default, dtype=float)
    try:
        values = np.asarray(start, dtype=float)
    except (TypeError, ValueError):
        values = np.array([np.nan])
    if values.shape != (len(names),) or not np.all(np.isfinite(values)) or np.any(values <= 0):
        raise ValueError(f"{func}: start must be {len(names)} positive numbers "
                         f"({', '.join(names)}); got {start!r}.")
    return values


def customer_arrays(data, frequency, recency, T, *, func, weights=None, strict=False, unit=None):
    """Validated arrays x, t_x, T (and weights) from a customer table.

    Always: finite numbers, x whole and ≥ 0, t_x ≥ 0, T > 0, t_x ≤ T, t_x = 0 when x = 0.
    ``strict`` (fitting) also refuses histories that cannot happen with same-day purchases
    merged: x > 0 with t_x = 0, and more than one repeat purchase per day of t_x (``unit``
    gives the days per period; unknown, at most 366 per period).
    """
    cols = [frequency, recency, T] + ([weights] if weights is not None else [])
    require_columns(data, cols, func=func)
    if len(data) == 0:
        raise ValueError(f"{func}: `data` has no customers; pass one row per customer, e.g. "
                         f"from btyd.repeat_purchase_table.")
    x = require_numeric(data[frequency], func=func, name=f"column {frequency!r}")
    tx = require_numeric(data[recency], func=func, name=f"column {recency!r}")
    big_t = require_numeric(data[T], func=func, name=f"column {T!r}")
    for name, v in ((frequency, x), (recency, tx)):
        require_in_range(v, func=func, name=f"column {name!r}", low=0,
                         hint="Counts and times cannot be negative.")
    reject_rows(big_t <= 0, big_t, func=func, name=f"column {T!r}", problem="must be > 0",
                hint="T is the time from the first purchase to the end of calibration; "
                     "drop customers who joined on the last day.")
    reject_rows(x != np.round(x), x, func=func, name=f"column {frequency!r}",
                problem="must be whole numbers of repeat purchases", hint="Round or recount.")
    reject_rows(tx > big_t + 1e-9, tx, func=func, name=f"column {recency!r}",
                problem=f"is larger than {T!r} (the last purchase after the end of calibration)",
                hint="Recency is measured from the first purchase, not back from today; "
                     "see repeat_purchase_table.")
    reject_rows((x == 0) & (tx > 0), tx, func=func, name=f"column {recency!r}",
                problem="is > 0 for customers with frequency 0",
                hint="A customer without repeat purchases has recency 0.")
    if strict:
        reject_rows((x > 0) & (tx == 0), x, func=func, name=f"column {frequency!r}",
                    problem=f"is > 0 for customers with {recency!r} 0 (repeat purchases at "
                            f"the moment of the first one)",
                    hint="Recency is the time from the first to the last purchase; merge "
                         "same-day purchases (repeat_purchase_table does) or fix the recency.")
        most = DAYS_PER_UNIT[unit] if unit is not None else _MOST_PER_PERIOD_UNKNOWN
        per = (f"one repeat purchase a day ({most:g} per {unit[:-1]} of {recency!r})"
               if unit is not None else
               f"{most:g} repeat purchases per period of {recency!r} (one a day even if "
               f"the period were a year)")
        reject_rows(x > tx * most + 1e-6, x, func=func, name=f"column {frequency!r}",
                    problem=f"is more than {per}",
                    hint="Such a history cannot happen with same-day purchases merged: check "
                         "that frequency counts repeat purchases and that recency and T are "
                         "in the table's unit (see repeat_purchase_table(..., unit=...)).")
    w = np.ones(len(x))
    if weights is not None:
        wt = require_numeric(data[weights], func=func, name=f"column {weights!r}")
        require_in_range(wt, func=func, name=f"column {weights!r}", low=0,
                         hint="Weights count customers per row.")
        w = wt.to_numpy()
    return x.to_numpy(), tx.to_numpy(), big_t.to_numpy(), w


def horizons(t, index: pd.Index, *, func: str) -> float | np.ndarray:
    """A prediction horizon: one number >= 0 for everyone, or one per customer.

    A Series must be indexed like the customers (``index``); an array or list must have
    one value per customer. An error names the first offending rows only, never the
    whole column.
    """
    if isinstance(t, (pd.Series, np.ndarray, list, tuple)):
        if isinstance(t, pd.Series):
            if not t.index.equals(index):
                if not (t.index.is_unique and t.index.isin(index).all()
                        and index.isin(t.index).all()):
                    raise InputError(f"{func}: t is a Series of {len(t):,} values whose index "
                                     f"does not match the {len(index):,} customers; give one "
                                     f"horizon for everyone, or one per customer with the "
                                     f"customers' index.")
                t = t.reindex(index)
            values = pd.to_numeric(t, errors="coerce")
        else:
            flat = np.asarray(t, dtype=object).ravel()
            if flat.size != len(index):
                raise InputError(f"{func}: t has {flat.size:,} values for {len(index):,} "
                                 f"customers; give one horizon for everyone, or one per "
                                 f"customer.")
            values = pd.to_numeric(pd.Series(flat, index=index), errors="coerce")
        values = values.astype(float)
        reject_rows(~np.isfinite(values) | (values < 0), values, func=func, name="t",
                    problem="must be a number >= 0 for every customer",
                    hint="Give each customer's horizon in the time unit of the fit.")
        return values.to_numpy()
    return require_number(t, func=func, name="t", low=0)


def finite_result(value, index, *, func: str, what: str, hint: str) -> np.ndarray:
    """Refuse NaN/inf (and clearly negative) expectations; clip rounding below 0."""
    value = np.asarray(value, dtype=float)
    bad = ~np.isfinite(value) | (value < -1e-8)
    if bad.any():
        flat = pd.Series(value.ravel(), index=index)
        reject_rows(pd.Series(bad.ravel(), index=index), flat, func=func, name=what,
                    problem="cannot be computed for these customers", hint=hint)
    return np.maximum(value, 0.0)


def require_fit(fit, cls, *, func: str, name: str, maker: str) -> None:
    """Refuse ``fit`` unless it is a ``cls``; ``maker`` is the function that makes one."""
    if not isinstance(fit, cls):
        raise ValueError(f"{func}: {name} must be a {cls.__name__} from {maker}(...); "
                         f"got {type(fit).__name__}.")
