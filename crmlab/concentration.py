"""Value concentration: the 80/20 rule (二八法则), Lorenz and Pareto curves, Gini, ABC classes.

Functions
---------
pareto_curve
    Share of value held by the top x% of customers, for every x.
lorenz_curve
    The same from the bottom up (the Lorenz curve of economics).
gini
    The Gini coefficient: 0 when all customers are worth the same, → 1 when one holds all.
top_share
    Share of value held by the top fraction of customers.
intensity_ratio
    Consumption share over population share for a heavy-user group, and heavy : light.
abc_classes
    A/B/C classes by cumulative share of value; the cut-offs are parameters.

References
----------
《客户关系管理（第2.3.4讲）》 (lectures 2–4), ch. 4 §4.1 帕累托的二八法则 (beer 23% → 81%,
cake 16% → 62%, instant coffee 17% → 79%) and §4.2.2 ABC分析法. The courseware names ABC
analysis but gives no class cut-offs. Its 80/20 is stated for profit (ch. 3 §3.1,
按利润贡献分类); these functions measure whatever value they are given (for CDNOW, revenue).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._validation import (
    InputError,
    require_in_range,
    require_number,
    require_numeric,
    require_vector,
)

__all__ = ["abc_classes", "abc_summary", "gini", "intensity_ratio", "lorenz_curve", "pareto_curve",
           "top_share"]


def _values(values, func: str) -> pd.Series:
    """Check customer values; return them scaled by a power of two so that no sum overflows.

    Scaling by a power of two is exact, so every share, the Gini coefficient and the ABC
    classes are those of the values as given.
    """
    series = require_numeric(require_vector(values, func=func), func=func, name="values")
    require_in_range(series, func=func, name="values", low=0,
                     hint="Concentration needs non-negative values; net returns out first.")
    if len(series) == 0 or not (series > 0).any():
        raise InputError(f"{func}: values must contain at least one positive number; got "
                         f"{'no values' if len(series) == 0 else 'only zeros'}.")
    exponent = int(np.frexp(series.max())[1])
    return np.ldexp(series, -exponent)


def _shares(x: np.ndarray) -> np.ndarray:
    """Cumulative shares of sorted values, from 0 to exactly 1."""
    cumulative = np.cumsum(x)
    return np.r_[0.0, cumulative / cumulative[-1]]


def pareto_curve(values) -> pd.DataFrame:
    """Share of total value held by the top customers, from the largest down.

    Returns
    -------
    DataFrame
        ``customer_share`` (0 … 1) and ``value_share`` (0 … 1), starting at (0, 0); one
        row per customer plus the origin.

    Examples
    --------
    >>> pareto_curve([1, 1, 2, 6]).round(3).values.tolist()
    [[0.0, 0.0], [0.25, 0.6], [0.5, 0.8], [0.75, 0.9], [1.0, 1.0]]
    """
    return _pareto(values, "concentration.pareto_curve")


def _pareto(values, func: str) -> pd.DataFrame:
    x = np.sort(_values(values, func).to_numpy())[::-1]
    n = len(x)
    return pd.DataFrame({"customer_share": np.arange(n + 1) / n, "value_share": _shares(x)})


def lorenz_curve(values) -> pd.DataFrame:
    """The Lorenz curve: share of value held by the bottom customers, from the smallest up.

    Returns
    -------
    DataFrame
        ``customer_share`` and ``value_share``, from (0, 0) to (1, 1).
    """
    x = np.sort(_values(values, "concentration.lorenz_curve").to_numpy())
    n = len(x)
    return pd.DataFrame({"customer_share": np.arange(n + 1) / n, "value_share": _shares(x)})


def gini(values) -> float:
    """Gini coefficient of customer value: 1 − 2 × (area under the Lorenz curve).

    Values must be finite and non-negative with at least one positive; every function of
    this module checks that and names the first bad rows.

    Uses the trapezoid rule on the empirical Lorenz curve, i.e.
    ``G = Σ (2i − n − 1) x_(i) / (n Σ x)`` with ``x`` sorted ascending.

    Examples
    --------
    >>> gini([5, 5, 5, 5])
    0.0
    >>> gini([0, 0, 0, 10])
    0.75
    """
    x = np.sort(_values(values, "concentration.gini").to_numpy())
    n = len(x)
    ranks = np.arange(1, n + 1)
    return float(min(max(np.sum((2 * ranks - n - 1) * x) / (n * x.sum()), 0.0), 1.0))


def top_share(values, fraction: float) -> float:
    """Share of total value held by the top ``fraction`` of customers (interpolated).

    ``fraction`` is a number in [0, 1], e.g. 0.2 for the top 20%.

    Examples
    --------
    >>> top_share([1, 1, 2, 6], 0.25)
    0.6
    """
    func = "concentration.top_share"
    fraction = require_number(fraction, func=func, name="fraction", low=0, high=1,
                              hint="Give the top group as a fraction, e.g. 0.2 for 20%.")
    curve = _pareto(values, func)
    return float(np.interp(fraction, curve["customer_share"], curve["value_share"]))


def intensity_ratio(population_share: float, consumption_share: float) -> pd.Series:
    """How much more a heavy-user group consumes per head than average, and than the rest.

    Parameters
    ----------
    population_share, consumption_share : float
        In percent or as fractions (both the same way), e.g. 23 and 81 for "23% of men
        drink 81% of the beer". Read as percent if either exceeds 1. The population share
        lies strictly between 0 and 100%; the consumption share in [0, 100%): if the group
        consumed everything, the rest would consume nothing and ``heavy_to_light`` would
        be infinite, so that is refused.

    Returns
    -------
    Series
        ``intensity`` = consumption share / population share; ``rest_intensity`` for
        everyone else; ``heavy_to_light`` = their ratio (per-head consumption of the
        group over the rest's).

    Examples
    --------
    >>> intensity_ratio(23, 81).round(3).to_dict()
    {'intensity': 3.522, 'rest_intensity': 0.247, 'heavy_to_light': 14.272}
    """
    func = "concentration.intensity_ratio"
    population_share = require_number(population_share, func=func, name="population_share",
                                      low=0, low_open=True, high=100, high_open=True)
    consumption_share = require_number(consumption_share, func=func, name="consumption_share",
                                       low=0, high=100)
    scale = 100.0 if max(population_share, consumption_share) > 1 else 1.0
    p, c = population_share / scale, consumption_share / scale
    if not (0 < p < 1 and 0 <= c < 1):
        raise InputError(f"{func}: shares must lie in (0, 100) percent (consumption may be 0), "
                         f"both in percent or both as fractions; got {population_share!r} and "
                         f"{consumption_share!r}. A group that consumes everything leaves the "
                         f"rest nothing to compare with.")
    heavy, rest = c / p, (1 - c) / (1 - p)
    if not np.isfinite(heavy / rest):
        raise InputError(f"{func}: population_share {population_share!r} is too small to divide "
                         f"by; give shares of at least 1e-300.")
    return pd.Series({"intensity": heavy, "rest_intensity": rest,
                      "heavy_to_light": heavy / rest})


def abc_classes(values, *, a: float = 0.8, b: float = 0.95) -> pd.Series:
    """Classify customers A/B/C by the cumulative share of value, largest first.

    A customer is in class A while the cumulative share *before* it is below ``a`` (so
    the customer who crosses ``a`` is still A), B while it is below ``b``, else C.

    Parameters
    ----------
    values : array-like or Series
        One value per customer (e.g. revenue).
    a, b : float, default 0.8 and 0.95
        Cumulative-share cut-offs, ``0 < a < b <= 1``. These defaults are a common
        convention, **not** courseware content: the courseware gives no cut-offs.

    Returns
    -------
    Series of str
        ``"A"``, ``"B"`` or ``"C"``, aligned with ``values``; ties in value are broken by
        position.

    Examples
    --------
    >>> abc_classes([50, 30, 10, 5, 3, 2]).tolist()
    ['A', 'A', 'B', 'B', 'C', 'C']
    """
    return _abc_classes(values, a, b, "concentration.abc_classes")


def _abc_classes(values, a, b, func: str) -> pd.Series:
    a = require_number(a, func=func, name="a", low=0, high=1, low_open=True)
    b = require_number(b, func=func, name="b", low=0, high=1, low_open=True)
    if not a < b:
        raise InputError(f"{func}: need 0 < a < b <= 1; got a={a!r}, b={b!r}. "
                         f"E.g. a=0.8, b=0.95.")
    series = _values(values, func)
    order = np.argsort(-series.to_numpy(), kind="stable")
    x = series.to_numpy()[order]
    before = _shares(x)[:-1]
    ranked = np.where(before < a, "A", np.where(before < b, "B", "C"))
    out = np.empty(len(x), dtype=object)
    out[order] = ranked
    return pd.Series(out, index=series.index, name="abc_class")


def abc_summary(values, *, a: float = 0.8, b: float = 0.95) -> pd.DataFrame:
    """Customers and value per ABC class: counts and shares of each.

    Parameters
    ----------
    values : array-like or Series
        One value per customer (e.g. revenue).
    a, b : float, default 0.8 and 0.95
        The cumulative-share cut-offs of :func:`abc_classes` (a convention, not courseware).

    Returns
    -------
    DataFrame
        Indexed by class ``"A"``, ``"B"``, ``"C"`` (every class, even an empty one):
        ``customers``, ``customer_share``, ``value_share``.

    Examples
    --------
    >>> abc_summary([50, 30, 10, 5, 3, 2]).round(2)
               customers  customer_share  value_share
    abc_class
    A                  2            0.33         0.80
    B                  2            0.33         0.15
    C                  2            0.33         0.05
    """
    func = "concentration.abc_summary"
    classes = _abc_classes(values, a, b, func)
    series = _values(values, func).set_axis(classes.index)
    grouped = series.groupby(classes.to_numpy())
    out = pd.DataFrame({"customers": grouped.size(), "value": grouped.sum()})
    out = out.reindex(["A", "B", "C"], fill_value=0).rename_axis("abc_class")
    out["customer_share"] = out["customers"] / out["customers"].sum()
    total = out["value"].sum()
    out["value_share"] = out["value"] / total if total > 0 else 0.0
    return out.drop(columns="value")
