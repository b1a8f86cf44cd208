"""Customer satisfaction and loyalty: the expectation gap, NPS, CSAT, zones and the trap.

The satisfaction trap (客户满意陷阱) is the courseware's name for *high satisfaction, low
loyalty*. This module measures the two sides — satisfaction from survey answers, loyalty
from stated intentions or behaviour — and models the courseware's account of the trap:

* :func:`expectation_gap` — satisfaction as perceived performance against expectation.
  The courseware writes 客户满意度 = 期望值 − 实际体验 while defining satisfaction as
  experience exceeding expectation, so its formula gives a satisfied customer a negative
  number; both are returned, the consistent sign is the one used.
* :func:`net_promoter_score` and :func:`csat` — the two usual survey summaries.
* :func:`satisfaction_zones` and :func:`loyalty_types` — Heskett et al.'s zones of
  defection, indifference and affection, and Jones & Sasser's loyalty typology.
* :func:`stylised_loyalty` — loyalty against basic- and latent-expectation satisfaction,
  the two curves the courseware describes (its figures are lost): a *stylised model of
  the text*, not data.
* :func:`complaint_outcomes` — the 1981 Coca-Cola complaint survey's arithmetic.

References
----------
Courseware: lectures 2–4 (《客户关系管理（第2.3.4讲）》), appended §2.3 客户满意陷阱及其成因
(2.3.1 definition, 2.3.2 basic and latent expectations and the two curves) and the
satisfaction slide (客户满意度 = 期望值 − 实际体验); case collection (《客户关系管理案例库》),
case 2 (可口可乐公司对顾客抱怨的一次调查).
Heskett, Jones, Loveman, Sasser & Schlesinger (1994), Putting the service-profit chain to
work, *Harvard Business Review* 72(2), 164–174 (zones).
Jones & Sasser (1995), Why satisfied customers defect, *Harvard Business Review* 73(6),
88–99 (typology; Xerox: totally satisfied customers six times as likely to repurchase).
Reichheld (2003), The one number you need to grow, *Harvard Business Review* 81(12),
46–54 (NPS: promoters 9–10, passives 7–8, detractors 0–6).
TARP (1981), *Measuring the Grapevine: Consumer Response and Word-of-Mouth*, for The
Coca-Cola Company (complaint word of mouth).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._validation import (
    InputError,
    format_rows,
    require_columns,
    require_frame,
    require_in_range,
    require_integer,
    require_number,
    require_numeric,
    require_vector,
)

__all__ = ["COMPLAINT_SEED", "complaint_outcomes", "complaint_table", "csat", "expectation_gap", "loyalty_curve", "loyalty_types",
           "net_promoter_score", "satisfaction_zones", "stylised_loyalty"]

#: The average loyalty level L̄ of the stylised curves (the courseware gives no number: a
#: choice of this chapter), used by the figure and by the synthetic panel alike.
AVERAGE_LOYALTY = 0.5

#: The steepness k of each stylised curve: the basic curve saturates (k = 4: 98% of L̄ at
#: s = 0.8), the latent curve is convex (k = 2). A choice of this chapter, not the source's.
STEEPNESS = {"basic": 4.0, "latent": 2.0}

#: Jones & Sasser's four loyalty types by (satisfied?, loyal?).
LOYALTY_TYPES = {(True, True): "loyalist/apostle", (True, False): "mercenary",
                 (False, True): "hostage", (False, False): "defector/terrorist"}


def _scores(values, *, func: str, name: str, low: float, high: float,
            integer: bool = False) -> pd.Series:
    series = require_numeric(require_vector(values, func=func, name=name), func=func, name=name)
    if series.empty:
        raise InputError(f"{func}: `{name}` is empty; give at least one response.")
    require_in_range(series, func=func, name=name, low=low, high=high,
                     hint=f"Answers on this scale run from {low:g} to {high:g}.")
    if integer:
        fractional = series != np.round(series)
        if fractional.any():
            raise InputError(f"{func}: `{name}` must hold whole-number answers; got "
                             f"{series[fractional].iloc[0]:g} at rows "
                             f"{format_rows(series.index[fractional])}.")
    return series


def expectation_gap(data: pd.DataFrame, expected: str = "expectation",
                    perceived: str = "experience") -> pd.DataFrame:
    """Satisfaction as perceived performance minus expectation, beside the courseware's sign.

    Parameters
    ----------
    data : DataFrame
        One row per customer (or per attribute).
    expected, perceived : str
        Columns of the expectation (期望值) and of the perceived performance, the actual
        experience (实际体验), on the same scale.

    Returns
    -------
    DataFrame
        ``data`` plus ``courseware_formula`` (期望值 − 实际体验, as the slide writes it),
        ``satisfaction`` (实际体验 − 期望值, the sign the slide's own definition needs:
        positive = satisfied) and ``satisfied`` (experience above expectation).

    References
    ----------
    Courseware, lectures 2–4, satisfaction slide: 客户满意度 = 期望值 − 实际体验
    (理想产品 − 实际产品), with satisfaction defined as experience exceeding expectation.

    Examples
    --------
    >>> expectation_gap(pd.DataFrame({"expectation": [8, 6], "experience": [6, 9]}))
       expectation  experience  courseware_formula  satisfaction  satisfied
    0            8           6                 2.0          -2.0      False
    1            6           9                -3.0           3.0       True
    """
    func = "satisfaction.expectation_gap"
    require_frame(data, func=func)
    require_columns(data, [expected, perceived], func=func)
    e = require_numeric(data[expected], func=func, name=f"column {expected!r}")
    p = require_numeric(data[perceived], func=func, name=f"column {perceived!r}")
    return data.assign(courseware_formula=e - p, satisfaction=p - e, satisfied=p > e)


def net_promoter_score(scores) -> pd.Series:
    """Net Promoter Score of 0–10 likelihood-to-recommend answers.

    Returns
    -------
    Series
        ``n``, the shares ``promoters`` (9–10), ``passives`` (7–8) and ``detractors``
        (0–6), and ``nps`` = 100 × (promoters − detractors), in points from −100 to 100.

    References
    ----------
    Reichheld (2003), The one number you need to grow, HBR 81(12).

    Examples
    --------
    >>> net_promoter_score([10, 9, 8, 7, 6, 0]).to_dict()
    {'n': 6.0, 'promoters': 0.333..., 'passives': 0.333..., 'detractors': 0.333..., 'nps': 0.0}
    >>> float(net_promoter_score([10, 10, 9, 3])["nps"])
    50.0
    """
    s = _scores(scores, func="satisfaction.net_promoter_score", name="scores", low=0,
                high=10, integer=True)
    promoters, detractors = float((s >= 9).mean()), float((s <= 6).mean())
    return pd.Series({"n": float(len(s)), "promoters": promoters,
                      "passives": 1.0 - promoters - detractors, "detractors": detractors,
                      "nps": round(100.0 * (promoters - detractors), 10)})


def csat(scores, *, scale: tuple[int, int] = (1, 5), satisfied_from: int | None = None
         ) -> pd.Series:
    """Customer-satisfaction score: the share of answers in the top of the scale.

    Parameters
    ----------
    scores : array-like
        Answers on ``scale``.
    scale : (low, high), default (1, 5)
    satisfied_from : int, optional
        The lowest answer that counts as satisfied; default the top two boxes
        (4 and 5 on a 1–5 scale).

    Returns
    -------
    Series
        ``n``, ``mean`` and ``csat`` (percent of satisfied answers).

    Examples
    --------
    >>> float(csat([5, 4, 4, 3, 1])["csat"])
    60.0
    """
    func = "satisfaction.csat"
    if not isinstance(scale, (tuple, list)) or len(scale) != 2:
        raise InputError(f"{func}: scale must be (lowest, highest) answer, e.g. (1, 5); "
                         f"got {scale!r}.")
    low = require_number(scale[0], func=func, name="scale[0]")
    high = require_number(scale[1], func=func, name="scale[1]", low=low + 1)
    top = high - 1 if satisfied_from is None else require_number(
        satisfied_from, func=func, name="satisfied_from", low=low, high=high)
    s = _scores(scores, func=func, name="scores", low=low, high=high)
    return pd.Series({"n": float(len(s)), "mean": float(s.mean()),
                      "csat": round(100.0 * float((s >= top).mean()), 10)})


def satisfaction_zones(scores, *, indifference_from: float = 3, affection_from: float = 5
                       ) -> pd.Series:
    """Heskett et al.'s zone of each 1–5 satisfaction answer.

    The figure (Heskett et al. 1994, known from a textbook reproduction) names a *zone of
    defection* at low satisfaction, a *zone of indifference* in the middle and a *zone of
    affection* at "very satisfied"; loyalty is drawn rising towards the top of the scale.
    The source prints **no numeric boundaries**: the defaults (1–2, 3–4, 5) are an
    assumption of crmlab's, one reading of its 5-point axis. A value equal to a cut-off
    belongs to the higher zone.

    Examples
    --------
    >>> satisfaction_zones([1, 3, 4, 5]).tolist()
    ['defection', 'indifference', 'indifference', 'affection']
    """
    func = "satisfaction.satisfaction_zones"
    s = _scores(scores, func=func, name="scores", low=1, high=5)
    lo = require_number(indifference_from, func=func, name="indifference_from", low=1, high=5)
    hi = require_number(affection_from, func=func, name="affection_from", low=lo, high=5)
    zone = np.where(s >= hi, "affection", np.where(s >= lo, "indifference", "defection"))
    return pd.Series(zone, index=s.index, name="zone")


def loyalty_types(data: pd.DataFrame, satisfaction: str = "satisfaction",
                  loyalty: str = "loyalty", *, satisfied_from: float,
                  loyal_from: float) -> pd.DataFrame:
    """Jones & Sasser's loyalty type of each customer from a satisfaction and a loyalty score.

    Returns
    -------
    DataFrame
        ``data`` plus ``satisfied``, ``loyal`` and ``type``: loyalist/apostle (satisfied
        and loyal), mercenary (satisfied, not loyal — the satisfaction trap), hostage
        (loyal, not satisfied) or defector/terrorist (neither).

    Examples
    --------
    >>> t = loyalty_types(pd.DataFrame({"satisfaction": [5, 5, 2], "loyalty": [9, 3, 9]}),
    ...                   satisfied_from=4, loyal_from=7)
    >>> t["type"].tolist()
    ['loyalist/apostle', 'mercenary', 'hostage']
    """
    func = "satisfaction.loyalty_types"
    require_frame(data, func=func)
    require_columns(data, [satisfaction, loyalty], func=func)
    s = require_numeric(data[satisfaction], func=func, name=f"column {satisfaction!r}")
    y = require_numeric(data[loyalty], func=func, name=f"column {loyalty!r}")
    s_cut = require_number(satisfied_from, func=func, name="satisfied_from")
    y_cut = require_number(loyal_from, func=func, name="loyal_from")
    happy, loyal = s >= s_cut, y >= y_cut
    kind = [LOYALTY_TYPES[(bool(a), bool(b))] for a, b in zip(happy, loyal)]
    return data.assign(satisfied=happy, loyal=loyal, type=kind)


def loyalty_curve(data: pd.DataFrame, satisfaction: str = "satisfaction",
                  loyalty: str = "loyalty", *, scale: tuple | None = None) -> pd.DataFrame:
    """Mean loyalty at each satisfaction level, with its spread and a 95% interval.

    Rows with a missing satisfaction or loyalty answer are left out and counted in
    ``df.attrs["dropped"]`` (survey data often has them, e.g. ``corp_rep_data``).

    Parameters
    ----------
    scale : (lowest, highest), optional
        The loyalty answer's scale, e.g. (1, 7): intervals are clipped to it (a mean of
        answers cannot leave it) and kept in ``df.attrs["scale"]`` for the figure.

    Returns
    -------
    DataFrame
        Indexed by satisfaction level: ``respondents``, ``mean``, ``sd``, ``low`` and
        ``high`` (mean ± t·sd/√n, clipped to ``scale``). A level with fewer than 3
        respondents gets **no interval** (NaN, shown as "—"): with 2 the t-interval is
        wider than any scale, with 1 there is no spread to estimate.

    Examples
    --------
    >>> d = pd.DataFrame({"satisfaction": [9, 9, 10, 10], "loyalty": [2, 10, 9, 10]})
    >>> loyalty_curve(d)[["respondents", "mean"]]
                  respondents  mean
    satisfaction
    9.0                     2   6.0
    10.0                    2   9.5
    """
    from scipy.stats import t as student_t

    func = "satisfaction.loyalty_curve"
    require_frame(data, func=func)
    require_columns(data, [satisfaction, loyalty], func=func)
    pair = data[[satisfaction, loyalty]]
    complete = pair.notna().all(axis=1)
    s = require_numeric(pair.loc[complete, satisfaction], func=func,
                        name=f"column {satisfaction!r}")
    y = require_numeric(pair.loc[complete, loyalty], func=func, name=f"column {loyalty!r}")
    if s.empty:
        raise InputError(f"{func}: no row has both {satisfaction!r} and {loyalty!r}; give "
                         f"answered surveys.")
    bounds = (-np.inf, np.inf)
    if scale is not None:
        if not isinstance(scale, (tuple, list)) or len(scale) != 2:
            raise InputError(f"{func}: scale must be (lowest, highest) answer, e.g. (1, 7); "
                             f"got {scale!r}.")
        lo = require_number(scale[0], func=func, name="scale[0]")
        bounds = (lo, require_number(scale[1], func=func, name="scale[1]", low=lo,
                                     low_open=True))
    grouped = y.groupby(s.to_numpy()).agg(["size", "mean", "std"])
    n = grouped["size"]
    half = (student_t.ppf(0.975, np.maximum(n - 1, 1)) * grouped["std"].fillna(0)
            / np.sqrt(n)).where(n >= 3)
    out = pd.DataFrame({"respondents": n, "mean": grouped["mean"],
                        "sd": grouped["std"].fillna(0.0),
                        "low": (grouped["mean"] - half).clip(*bounds),
                        "high": (grouped["mean"] + half).clip(*bounds)})
    out.index.name = satisfaction
    out.attrs.update(dropped=int((~complete).sum()),
                     scale=None if scale is None else tuple(float(b) for b in bounds))
    return out


def stylised_loyalty(level, *, kind: str, average_loyalty: float = AVERAGE_LOYALTY,
                     steepness: float | None = None) -> pd.Series:
    """Loyalty as the courseware describes it against basic- or latent-expectation
    satisfaction — a *stylised model of the text*, not data.

    * ``kind="basic"``: loyalty rises with basic-expectation satisfaction and levels off
      at the average loyalty ``L̄``: ``L̄ (1 − e^(−k s)) / (1 − e^(−k))``;
    * ``kind="latent"``: loyalty keeps rising above ``L̄`` as latent expectations are
      met: ``L̄ + (1 − L̄) s^k`` (convex for ``k > 1``);

    with ``s`` the satisfaction level in [0, 1] and ``k`` the ``steepness`` (default
    :data:`STEEPNESS`: 4 for the basic curve, 2 for the latent one). The chapter's figure
    and the synthetic panel of :mod:`crmlab.defection` use these same values and
    :data:`AVERAGE_LOYALTY`.

    References
    ----------
    Courseware, lectures 2–4, appended §2.3.2 (基本期望的满意水平与客户忠诚的关系图 and
    潜在期望的满意水平与客户忠诚的关系图; the figures are lost, only captions and text
    survive, and they give no functional form).

    Examples
    --------
    >>> stylised_loyalty([0, 0.5, 1], kind="basic").round(3).tolist()
    [0.0, 0.440, 0.5]
    >>> stylised_loyalty([0, 0.5, 1], kind="latent").round(3).tolist()
    [0.5, 0.625, 1.0]
    """
    func = "satisfaction.stylised_loyalty"
    if kind not in ("basic", "latent"):
        raise InputError(f"{func}: kind must be 'basic' or 'latent'; got {kind!r}.")
    s = _scores(level, func=func, name="level", low=0, high=1)
    avg = require_number(average_loyalty, func=func, name="average_loyalty", low=0, high=1,
                         low_open=True, high_open=True)
    k = STEEPNESS[kind] if steepness is None else require_number(
        steepness, func=func, name="steepness", low=0, low_open=True, high=50)
    if kind == "basic":
        out = avg * (1 - np.exp(-k * s)) / (1 - np.exp(-k))
    else:
        out = avg + (1 - avg) * s ** k
    return pd.Series(out, index=s.index, name=f"loyalty_{kind}")


def complaint_outcomes(*, satisfied_told: float = 4.5, unresolved_told: float = 9.5,
                       boycott: float = 1 / 3, reduce: float = 0.45,
                       satisfied_buy_more: float = 0.10) -> pd.Series:
    """The Coca-Cola complaint survey's arithmetic, from the case's rates.

    The case text prints some numbers without their symbols; the defaults are their
    probable readings: fully satisfied complainants told "45" people (4–5, midpoint 4.5),
    those whose complaint was not fully resolved "910" (9–10, midpoint 9.5), and "13"
    boycott the products (1/3); 45% reduce their purchases and 10% of the fully
    satisfied buy more.

    Returns
    -------
    Series
        ``wom_ratio`` (people told by an unresolved complainant per person told by a
        satisfied one), ``unresolved_unchanged`` (share of unresolved complainants who
        neither boycott nor reduce: 1 − boycott − reduce) and the inputs.

    References
    ----------
    Case collection, case 2 (可口可乐公司对顾客抱怨的一次调查, 1981); TARP (1981).

    Examples
    --------
    >>> complaint_outcomes()[["wom_ratio", "unresolved_unchanged"]].round(4).tolist()
    [2.1111, 0.2167]
    """
    func = "satisfaction.complaint_outcomes"
    told_ok = require_number(satisfied_told, func=func, name="satisfied_told", low=0,
                             low_open=True)
    told_bad = require_number(unresolved_told, func=func, name="unresolved_told", low=0)
    rates = {name: require_number(value, func=func, name=name, low=0, high=1)
             for name, value in (("boycott", boycott), ("reduce", reduce),
                                 ("satisfied_buy_more", satisfied_buy_more))}
    if rates["boycott"] + rates["reduce"] > 1:
        raise InputError(f"{func}: boycott + reduce must be at most 1; got "
                         f"{rates['boycott']:g} + {rates['reduce']:g}. They are shares of the "
                         f"same unresolved complainants.")
    return pd.Series({"wom_ratio": told_bad / told_ok,
                      "unresolved_unchanged": 1 - rates["boycott"] - rates["reduce"],
                      "satisfied_told": told_ok, "unresolved_told": told_bad, **rates})


#: The seed of the chapter's synthetic complaint table.
COMPLAINT_SEED = 1981


def complaint_table(n: int = 1000, seed: int = COMPLAINT_SEED, *, resolved_share: float = 0.5,
                    satisfied_told: float = 4.5, unresolved_told: float = 9.5,
                    told_20_plus: float = 0.12, loud_told: float = 22.0,
                    boycott: float = 1 / 3, reduce: float = 0.45,
                    satisfied_buy_more: float = 0.10, spend: float = 120.0,
                    reduced_to: float = 0.5, more_to: float = 1.25) -> pd.DataFrame:
    """A **synthetic** table of complaints generated from the Coca-Cola case's rates.

    Each complaint is ``resolved`` (the complainant fully satisfied) with probability
    ``resolved_share`` — the case gives no split: an assumption. A complainant "told 20
    or more people" with probability ``told_20_plus`` (the case's "more than 12%"; we
    apply it to both groups alike) and then told ``20 + Poisson(loud_told − 20)``; the
    others told ``Poisson(λ)``, with λ set so that each group's expected number told is
    the case's reading (4.5 resolved, 9.5 unresolved). Purchases: 10% of the resolved buy
    more (× ``more_to``, an assumption), the rest unchanged; of the unresolved, 1/3
    boycott (spend 0), 45% reduce (× ``reduced_to``, an assumption), the rest unchanged.
    Annual spend before the complaint is Gamma with mean ``spend`` 元 (an assumption).

    Returns
    -------
    DataFrame
        ``complaint_id``, ``resolution`` (resolved/unresolved), ``told``,
        ``told_20_plus``, ``purchase_change`` (increase/unchanged/reduce/boycott),
        ``spend_before`` and ``spend_after`` (元 a year). ``attrs["synthetic"]`` is True.

    References
    ----------
    Case collection, case 2 (可口可乐公司对顾客抱怨的一次调查): the rates; the readings
    4–5, 9–10 and 1/3 of the garbled numbers are probable, not certain.

    Examples
    --------
    >>> t = complaint_table(200, seed=1)
    >>> t.attrs["synthetic"], len(t), sorted(t["resolution"].unique())
    (True, 200, ['resolved', 'unresolved'])
    >>> bool((t.loc[t["purchase_change"] == "boycott", "spend_after"] == 0).all())
    True
    """
    func = "satisfaction.complaint_table"
    n = require_integer(n, func=func, name="n", low=1, high=10_000_000)
    seed = require_integer(seed, func=func, name="seed", low=0)
    share = {k: require_number(v, func=func, name=k, low=0, high=1) for k, v in (
        ("resolved_share", resolved_share), ("told_20_plus", told_20_plus),
        ("boycott", boycott), ("reduce", reduce), ("satisfied_buy_more", satisfied_buy_more))}
    loud = require_number(loud_told, func=func, name="loud_told", low=20)
    told = {k: require_number(v, func=func, name=k, low=0) for k, v in (
        ("satisfied_told", satisfied_told), ("unresolved_told", unresolved_told))}
    for name, mean in told.items():
        if mean < share["told_20_plus"] * loud:
            raise InputError(f"{func}: {name} must be at least told_20_plus × loud_told = "
                             f"{share['told_20_plus'] * loud:g} (those who told 20 or more "
                             f"are part of the mean); got {mean:g}.")
    if share["boycott"] + share["reduce"] > 1:
        raise InputError(f"{func}: boycott + reduce must be at most 1; got "
                         f"{share['boycott']:g} + {share['reduce']:g}.")
    base = require_number(spend, func=func, name="spend", low=0, low_open=True)
    kept = {"increase": require_number(more_to, func=func, name="more_to", low=1),
            "reduce": require_number(reduced_to, func=func, name="reduced_to", low=0, high=1),
            "unchanged": 1.0, "boycott": 0.0}
    rng = np.random.default_rng(seed)
    resolved = rng.uniform(size=n) < share["resolved_share"]
    is_loud = rng.uniform(size=n) < share["told_20_plus"]
    p = share["told_20_plus"]
    quiet = {k: (m - p * loud) / (1 - p) if p < 1 else 0.0 for k, m in told.items()}
    lam = np.where(resolved, quiet["satisfied_told"], quiet["unresolved_told"])
    n_told = np.where(is_loud, 20 + rng.poisson(loud - 20, n), rng.poisson(lam))
    u = rng.uniform(size=n)
    change = np.where(resolved, np.where(u < share["satisfied_buy_more"], "increase",
                                         "unchanged"),
                      np.where(u < share["boycott"], "boycott",
                               np.where(u < share["boycott"] + share["reduce"], "reduce",
                                        "unchanged")))
    before = np.round(rng.gamma(2.0, base / 2.0, n), 2)
    after = np.round(before * pd.Series(change).map(kept).to_numpy(), 2)
    table = pd.DataFrame({"complaint_id": np.arange(1, n + 1),
                          "resolution": np.where(resolved, "resolved", "unresolved"),
                          "told": n_told.astype(int), "told_20_plus": n_told >= 20,
                          "purchase_change": change, "spend_before": before,
                          "spend_after": after})
    table.attrs.update(synthetic=True, generator=f"crmlab.satisfaction.complaint_table(n={n}, "
                                                 f"seed={seed})")
    return table
