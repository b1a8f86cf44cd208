"""Customer acquisition cost (获客成本, CAC) against lifetime value.

A customer is worth acquiring when the CLV exceeds what acquisition costs. Published
figures usually come as ranges (CAC 180–250 元, CLV 2000–3000 元) and as a single ratio
"1:n"; this module recomputes the ratio from the ranges under each reading, so a stated
ratio can be checked, and adjusts CAC for returns (a customer who returns the order was
paid for but not won).

Functions
---------
return_multiplier
    1 / (1 − return rate): acquisitions paid per customer kept.
effective_cac
    CAC ranges × a multiplier (stated, or from the return rate); low, high and midpoint.
clv_cac_ratios
    CLV/CAC from the ranges (midpoint, low/low, high/high, worst, best case) against the
    stated "1:n", with a verdict.
rank_by_value_per_cost
    Midpoint CLV over midpoint effective CAC, ranked.

References
----------
客户关系管理课件 第3章 客户的发现与获取, case 不同平台获客成本比较 (2023 estimates);
columns 有效获客成本调整 and CAC/CLV.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._validation import (
    require_finite_result,
    require_numeric,
    check_option,
    reject_rows,
    require_columns,
    require_integer,
    require_number,
)

__all__ = ["clv_cac_ratios", "effective_cac", "rank_by_value_per_cost", "return_multiplier"]


def return_multiplier(return_rate) -> np.ndarray | float:
    """Acquisitions paid per customer kept, 1 / (1 − return rate).

    Parameters
    ----------
    return_rate : float or 1-d array-like of float
        Share of acquired customers who return the order, in [0, 1).

    References
    ----------
    Expected number of geometric trials per success: 1 / (1 − p).

    Examples
    --------
    >>> round(return_multiplier(0.25), 3)
    1.333
    """
    func = "acquisition.return_multiplier"
    if np.ndim(return_rate) == 0:
        rate = require_number(return_rate, func=func, name="return_rate", low=0, high=1,
                              high_open=True)
        return 1 / (1 - rate)
    values = np.asarray(return_rate, dtype=object)
    if values.ndim != 1:
        raise ValueError(f"{func}: return_rate must be a number or a 1-d sequence of numbers; "
                         f"got an array of shape {values.shape}.")
    rate = require_numeric(pd.Series(values), func=func, name="return_rate")
    reject_rows((rate < 0) | (rate >= 1), rate, func=func, name="return_rate",
                problem="must be in [0, 1)",
                hint="Give rates as fractions, e.g. 0.25 for 25%; a rate of 1 means no "
                     "customer is ever kept.")
    return (1 / (1 - rate)).to_numpy()


def _ranges(data, columns, func):
    require_columns(data, columns, func=func)
    if len(data) == 0:
        raise ValueError(f"{func}: `data` has no rows; give one row per channel or platform.")
    out = {}
    for c in columns:
        v = require_numeric(data[c], func=func, name=f"column {c!r}")
        reject_rows(v <= 0, data[c], func=func, name=f"column {c!r}", problem="must be > 0",
                    hint="Costs and values are positive amounts.")
        out[c] = v
    for lo, hi in zip(columns[::2], columns[1::2]):
        reject_rows(out[lo] > out[hi], data[lo], func=func, name=f"column {lo!r}",
                    problem=f"is above {hi!r}", hint="Swap the two ends of the range.")
    return out


def effective_cac(data: pd.DataFrame, *, cac_min: str = "cac_min", cac_max: str = "cac_max",
                  multiplier: str = "stated", stated: str = "eff_mult_stated",
                  return_rate: str = "return_rate", decimals: int | None = None) -> pd.DataFrame:
    """Effective CAC = CAC × multiplier, per row.

    Parameters
    ----------
    data : DataFrame
        One row per channel or platform.
    cac_min, cac_max : str
        Columns of the CAC range.
    multiplier : {"stated", "returns"}
        "stated" uses column ``stated``; "returns" uses 1 / (1 − ``return_rate``), the
        rule the courseware's multipliers match once rounded to one decimal (an
        inference: the courseware does not say where they come from).
    decimals : int, optional
        Round the "returns" multiplier (1 reproduces the printed ones); 0 to 6.

    Returns
    -------
    DataFrame
        ``multiplier``, ``eff_cac_min``, ``eff_cac_max``, ``eff_cac_mid``, same index.

    References
    ----------
    Courseware ch. 3, case 不同平台获客成本比较 (the printed multipliers).

    Examples
    --------
    >>> import crmlab
    >>> table = crmlab.load_dataset("platform_cac_2023").set_index("platform")
    >>> effective_cac(table)[["eff_cac_min", "eff_cac_max"]].round(0).astype(int).values.tolist()
    [[216, 300], [330, 440], [104, 195], [225, 330]]
    """
    func = "acquisition.effective_cac"
    check_option(multiplier, ["stated", "returns"], func=func, name="multiplier")
    if decimals is not None:
        decimals = require_integer(decimals, func=func, name="decimals", low=0, high=6)
    cac = _ranges(data, [cac_min, cac_max], func)
    if multiplier == "stated":
        require_columns(data, [stated], func=func)
        k = require_numeric(data[stated], func=func, name=f"column {stated!r}")
        reject_rows(k < 1, k, func=func, name=f"column {stated!r}", problem="must be ≥ 1",
                    hint="A multiplier below 1 would make returns lower the cost.")
    else:
        require_columns(data, [return_rate], func=func)
        rate = require_numeric(data[return_rate], func=func, name=f"column {return_rate!r}")
        reject_rows((rate < 0) | (rate >= 1), rate, func=func, name=f"column {return_rate!r}",
                    problem="must be in [0, 1)",
                    hint="Give rates as fractions, e.g. 0.25 for 25%.")
        k = 1 / (1 - rate)
        if decimals is not None:
            k = k.round(decimals)
    out = pd.DataFrame({"multiplier": k, "eff_cac_min": cac[cac_min] * k,
                        "eff_cac_max": cac[cac_max] * k}, index=data.index)
    out["eff_cac_mid"] = (out["eff_cac_min"] + out["eff_cac_max"]) / 2
    return require_finite_result(out, func=func, what="the effective CAC")


def clv_cac_ratios(data: pd.DataFrame, *, cac_min: str = "cac_min", cac_max: str = "cac_max",
                   clv_min: str = "clv_min", clv_max: str = "clv_max",
                   stated: str = "cac_clv_ratio_stated", close: float = 0.10,
                   rough: float = 0.20) -> pd.DataFrame:
    """CLV/CAC recomputed from the ranges, and the stated "1:n" checked against it.

    Parameters
    ----------
    close, rough : float
        A stated n within ``close`` (relative) of the midpoint ratio is "consistent",
        within ``rough`` "approximate", otherwise "inconsistent"; 0 ≤ close ≤ rough.

    References
    ----------
    Courseware ch. 3, case 不同平台获客成本比较 (the stated "1:n" ratios).

    Returns
    -------
    DataFrame
        ``ratio_mid`` (midpoint CLV / midpoint CAC), ``ratio_low`` (low/low),
        ``ratio_high`` (high/high), ``ratio_worst`` (CLV low / CAC high), ``ratio_best``
        (CLV high / CAC low), ``stated``, ``gap`` (stated / ratio_mid − 1) and ``verdict``.

    Examples
    --------
    >>> import crmlab
    >>> table = crmlab.load_dataset("platform_cac_2023").set_index("platform")
    >>> clv_cac_ratios(table)[["ratio_mid", "verdict"]].round(1)
               ratio_mid       verdict
    platform
    Taobao          11.6   approximate
    JD              12.1    consistent
    Pinduoduo       10.0  inconsistent
    Douyin           8.6    consistent
    """
    func = "acquisition.clv_cac_ratios"
    close = require_number(close, func=func, name="close", low=0)
    rough = require_number(rough, func=func, name="rough", low=close,
                           hint="rough is the wider band, so it must be at least close.")
    v = _ranges(data, [cac_min, cac_max, clv_min, clv_max], func)
    require_columns(data, [stated], func=func)
    n = require_numeric(data[stated], func=func, name=f"column {stated!r}")
    reject_rows(n <= 0, n, func=func, name=f"column {stated!r}", problem="must be > 0",
                hint="A stated ratio 1:n gives n, a positive number.")
    out = pd.DataFrame({
        "ratio_mid": (v[clv_min] + v[clv_max]) / (v[cac_min] + v[cac_max]),
        "ratio_low": v[clv_min] / v[cac_min],
        "ratio_high": v[clv_max] / v[cac_max],
        "ratio_worst": v[clv_min] / v[cac_max],
        "ratio_best": v[clv_max] / v[cac_min],
        "stated": n,
    }, index=data.index)
    require_finite_result(out, func=func, what="a CLV/CAC ratio")
    out["gap"] = out["stated"] / out["ratio_mid"] - 1
    out["verdict"] = np.select([out["gap"].abs() <= close, out["gap"].abs() <= rough],
                               ["consistent", "approximate"], "inconsistent")
    return out


def rank_by_value_per_cost(data: pd.DataFrame, *, clv_min: str = "clv_min",
                           clv_max: str = "clv_max", **effective) -> pd.DataFrame:
    """Midpoint CLV over midpoint effective CAC, best first.

    ``effective`` is passed to :func:`effective_cac` (its keyword arguments only).

    Returns
    -------
    DataFrame
        ``clv_mid``, ``eff_cac_mid``, ``clv_per_cac`` and ``rank`` (1 = best), sorted.

    References
    ----------
    Courseware ch. 3, CLV against CAC (case 不同平台获客成本比较).

    Examples
    --------
    >>> import crmlab
    >>> table = crmlab.load_dataset("platform_cac_2023").set_index("platform")
    >>> rank_by_value_per_cost(table)["clv_per_cac"].round(1).to_dict()
    {'JD': 11.0, 'Taobao': 9.7, 'Pinduoduo': 7.7, 'Douyin': 5.8}
    """
    func = "acquisition.rank_by_value_per_cost"
    known = ["cac_min", "cac_max", "multiplier", "stated", "return_rate", "decimals"]
    unknown = [k for k in effective if k not in known]
    if unknown:
        raise ValueError(f"{func}: unknown keyword {unknown[0]!r}; besides clv_min and "
                         f"clv_max it takes those of effective_cac: {known}.")
    v = _ranges(data, [clv_min, clv_max], func)
    eff = effective_cac(data, **effective)
    out = pd.DataFrame({"clv_mid": (v[clv_min] + v[clv_max]) / 2,
                        "eff_cac_mid": eff["eff_cac_mid"]}, index=data.index)
    out["clv_per_cac"] = out["clv_mid"] / out["eff_cac_mid"]
    require_finite_result(out, func=func, what="CLV per CAC")
    out = out.sort_values("clv_per_cac", ascending=False)
    out["rank"] = np.arange(1, len(out) + 1)
    return out
