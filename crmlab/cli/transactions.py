"""``crmlab rfm`` and ``crmlab clv``: the analyses of a transaction file.

Both read one row per purchase (customer id, date, amount), reject bad rows with a reason
(``OUT.rejected.csv``), and write one row per customer. ``rfm`` adds the quantile cut points
of the scores (``OUT.cuts.csv``); ``clv`` adds the fitted parameters, their standard errors
and the log-likelihoods (``OUT.params.csv``).

The work is crmlab's own functions: :func:`crmlab.rfm.customer_table`,
:func:`crmlab.rfm.quantile_scores`, :mod:`crmlab.segments`,
:func:`crmlab.btyd.repeat_purchase_table`, :func:`crmlab.btyd.fit_bgnbd`,
:func:`crmlab.gamma_gamma.fit_gamma_gamma` and
:func:`crmlab.gamma_gamma.customer_lifetime_value`. With ``--engine duckdb`` the
per-customer table comes from :mod:`crmlab.warehouse` instead, which reads the file itself
and writes the rejected rows itself (``rejected=``), with the pandas engine's reasons.
"""

from __future__ import annotations

import importlib

import numpy as np
import pandas as pd

from .. import btyd, gamma_gamma, rfm, segments
from .clean import clean_transactions, summary_lines
from .dates import parse_dates
from .files import CLIError, check_columns, read_table, side_path, write_table

__all__ = ["WAREHOUSE_MISSING", "clv_command", "cut_points", "one_date", "rfm_command",
           "score_customers"]

#: What ``--engine duckdb`` says when this build has no :mod:`crmlab.warehouse`.
WAREHOUSE_MISSING = "the duckdb engine is not installed in this build"


# ------------------------------------------------------------------ shared steps
def one_date(text, option: str):
    """A date given as an option (``--as-of 2024-06-30``), or :class:`CLIError`."""
    if text is None:
        return None
    dates, reasons, _ = _parse([text], option)
    if pd.notna(reasons.iloc[0]) or pd.isna(dates.iloc[0]):
        raise CLIError(f"{option} {text!r} is not a date; write it like 2024-06-30.")
    return dates.iloc[0]


def _parse(values, option):
    try:
        return parse_dates(pd.Series(values, dtype=object), name=option)
    except CLIError:
        raise CLIError(f"{option} {values[0]!r} is not a date; write it like 2024-06-30.") \
            from None


def _load(args, report, *, negative="reject"):
    """Read, check and clean the transaction file; write the rejected rows' side file."""
    frame = read_table(args.file, encoding=args.encoding, sep=args.sep, progress=args.bars)
    columns = {"--customer": args.customer, "--date": args.date, "--amount": args.amount}
    check_columns(frame, columns, path=args.file)
    with args.bars.step("checking rows"):
        log, rejections, notes = clean_transactions(
            frame, customer=args.customer, date=args.date, amount=args.amount,
            timezone=args.timezone, date_format=args.date_format, order=args.order,
            negative=negative)
    rejected = side_path(args.output, "rejected")
    write_table(rejections.table(frame), rejected, index=False)
    report(f"read {len(frame):,} rows from {args.file}")
    for note in notes:
        report(note)
    for line in rejections.summary(len(frame)):
        report(line)
    report(f"rejected rows: {rejected}")
    if log.empty:
        raise CLIError(f"every row was rejected ({rejections.first()}); nothing to analyse. "
                       f"Check the column options (--customer, --date, --amount).")
    if args.strict and rejections.mask.any():
        raise CLIError(f"{int(rejections.mask.sum()):,} rows rejected and --strict is set "
                       f"(see {rejected}); no results written.")
    return log


def _warehouse():
    try:
        return importlib.import_module("crmlab.warehouse")
    except ModuleNotFoundError as err:
        if err.name in ("crmlab.warehouse", "crmlab"):
            raise CLIError(WAREHOUSE_MISSING) from None
        raise CLIError(f"the duckdb engine needs the package {err.name!r}: pip install "
                       f"{err.name}") from None


def _refuse_with_warehouse(args, options):
    for option, value, default in options:
        if value != default:
            raise CLIError(f"{option} is not available with --engine duckdb (the warehouse "
                           f"reads the file itself); use --engine pandas.")


_READER_OPTIONS = (("--timezone", "timezone", None), ("--date-format", "date_format", None),
                   ("--sep", "sep", None), ("--encoding", "encoding", "utf-8"))


def _from_warehouse(args, report, function, extra):
    """The per-customer table from crmlab.warehouse; the bad rows, found and written to
    OUT.rejected.csv by DuckDB itself, reported as the pandas engine reports them."""
    _refuse_with_warehouse(args, [(o, getattr(args, a), d) for o, a, d in _READER_OPTIONS])
    warehouse = _warehouse()
    rejected = side_path(args.output, "rejected")
    with args.bars.step(f"{function} (duckdb)"):
        table = getattr(warehouse, function)(
            str(args.file), customer=args.customer, date=args.date, amount=args.amount,
            engine="duckdb", memory_limit=args.memory_limit, rejected=str(rejected),
            date_order=args.order or "clear", **extra)
    done = table.attrs.pop(warehouse.REJECTED_ATTR)
    report(f"read {done['rows']:,} rows from {args.file} with the duckdb engine "
           f"(crmlab.warehouse.{function})")
    kinds = {kind: (k["rows"], k["first"]) for kind, k in done["reasons"].items()}
    for line in summary_lines(done["rows"], done["rejected"], kinds):
        report(line)
    report(f"rejected rows: {rejected}")
    if args.strict and done["rejected"]:
        raise CLIError(f"{done['rejected']:,} rows rejected and --strict is set (see "
                       f"{rejected}); no results written.")
    return table


# ----------------------------------------------------------------------------- RFM
def score_customers(table: pd.DataFrame, *, bins: int = 5, ties: str = "share",
                    monetary: str = "monetary_total") -> pd.DataFrame:
    """R, F and M quantile scores, the code and the sum of a customer table.

    The same scores as :func:`crmlab.rfm.rfm_table` gives on the transactions (a test
    asserts it), computed from the per-customer table so that the duckdb engine's table
    is scored the same way.
    """
    out = table.copy()
    for score, column, reverse in (("r_score", "recency", True),
                                   ("f_score", "frequency", False),
                                   ("m_score", monetary, False)):
        out[score] = rfm.quantile_scores(out[column].fillna(0), bins=bins, reverse=reverse,
                                         ties=ties).to_numpy()
    text = out[["r_score", "f_score", "m_score"]].astype(str)
    out["rfm_code"] = text["r_score"] + text["f_score"] + text["m_score"]
    out["rfm_sum"] = out[["r_score", "f_score", "m_score"]].sum(axis=1)
    return out


def cut_points(scored: pd.DataFrame, *, bins: int, ties: str,
               monetary: str = "monetary_total") -> pd.DataFrame:
    """The interval of each score: quantile cut points (ties "share") or, with ties
    "first", the observed range of the customers who got it.

    Columns: ``dimension``, ``score``, ``lower``, ``lower_inclusive``, ``upper``,
    ``upper_inclusive`` (an empty bound is unbounded), ``customers``, ``basis``.
    """
    rows = []
    for dimension, column, score, reverse in (("recency", "recency", "r_score", True),
                                              ("frequency", "frequency", "f_score", False),
                                              ("monetary", monetary, "m_score", False)):
        x = scored[column].fillna(0).to_numpy(dtype=float)
        given = scored[score].to_numpy()
        if ties == "share":
            cuts = np.quantile(-x if reverse else x, np.arange(1, bins) / bins)
            edges = np.concatenate([[-np.inf], cuts, [np.inf]])
            again = 1 + np.searchsorted(cuts, -x if reverse else x, side="left")
            if not np.array_equal(again, given):
                raise CLIError(f"internal check failed: the {dimension} cut points do not "
                               f"reproduce the scores; please report this.")
        for s in range(1, bins + 1):
            members = x[given == s]
            if ties == "share":
                lo, hi = edges[s - 1], edges[s]
                if reverse:   # -x in (lo, hi]  <=>  x in [-hi, -lo)
                    bounds = (-hi, True, -lo, False)
                else:
                    bounds = (lo, False, hi, True)
                basis = "quantile cut points"
            else:
                bounds = ((members.min(), True, members.max(), True) if len(members)
                          else (np.nan, False, np.nan, False))
                basis = "observed range (ties 'first')"
            lower, lower_in, upper, upper_in = bounds
            rows.append({"dimension": dimension, "score": s,
                         "lower": lower if np.isfinite(lower) else np.nan,
                         "lower_inclusive": bool(lower_in and np.isfinite(lower)),
                         "upper": upper if np.isfinite(upper) else np.nan,
                         "upper_inclusive": bool(upper_in and np.isfinite(upper)),
                         "customers": int(len(members)), "basis": basis})
    return pd.DataFrame(rows)


def _scheme(value: str, bins: int):
    """The segment scheme: ("rfm", rules), ("tiers", None) or a file of rules."""
    if value == "auto":
        value = "rfm" if bins == 5 else "tiers"
    if value == "rfm":
        if bins != 5:
            raise CLIError(f"--scheme rfm names segments on 1-5 scores; use --bins 5 or "
                           f"--scheme tiers (got --bins {bins}).")
        return "R rfm package's named segments", segments.R_RFM_SEGMENTS
    if value == "tiers":
        return "low/middle/high tiers of the RFM sum", None
    table = read_table(value)
    names = ["name", "r_lo", "r_hi", "f_lo", "f_hi", "m_lo", "m_hi"]
    check_columns(table, {f"(scheme column {n})": n for n in names}, path=value)
    try:
        rules = [(str(r[0]),) + tuple(float(v) for v in r[1:])
                 for r in table[names].itertuples(index=False)]
    except ValueError:
        raise CLIError(f"{value}: the score bounds r_lo … m_hi must be numbers.") from None
    return f"the scheme in {value} ({len(rules)} rules, first match wins)", rules


def rfm_command(args, report) -> int:
    label, rules = _scheme(args.scheme, args.bins)
    as_of = one_date(args.as_of, "--as-of")
    monetary = f"monetary_{args.monetary}"
    if args.engine == "duckdb":
        _refuse_with_warehouse(args, [("--window", args.window, None)])
        customers = _from_warehouse(args, report, "rfm_summary", {
            "as_of": as_of, "unit": args.unit, "same_day": args.same_day,
            "returns": "net" if args.returns == "net" else "error"})
    else:
        log = _load(args, report, negative="keep" if args.returns == "net" else "reject")
        with args.bars.step("summarising customers"):
            customers = rfm.customer_table(
                log, customer=args.customer, date=args.date, amount=args.amount, as_of=as_of,
                unit=args.unit, window=args.window, same_day=args.same_day,
                returns="net" if args.returns == "net" else "error")
    scored = score_customers(customers, bins=args.bins, ties=args.ties, monetary=monetary)
    scored["segment"] = (segments.sum_tiers(scored, bins=args.bins) if rules is None
                         else segments.segment(scored, scheme=rules))
    cuts = cut_points(scored, bins=args.bins, ties=args.ties, monetary=monetary)
    try:
        summary = segments.segment_summary(scored, scored["segment"], monetary="monetary_total")
        shown = summary[["customers", "customer_share", "revenue_share"]].copy()
        shown[["customer_share", "revenue_share"]] = shown[
            ["customer_share", "revenue_share"]].map(lambda v: f"{v:.1%}")
        shown = shown.to_string()
    except ValueError as err:            # e.g. revenue summing to 0: no shares to show
        shown = f"(no segment summary: {err})"
    write_table(scored, args.output)
    write_table(cuts, side_path(args.output, "cuts"), index=False)
    first, last = scored["first_purchase"].min(), scored["last_purchase"].max()
    report(f"{len(scored):,} customers, purchases {first:%Y-%m-%d} to {last:%Y-%m-%d}; "
           f"recency in {args.unit} back from {(as_of or last):%Y-%m-%d}")
    report(f"scores: {args.bins} quantile bins of recency, frequency and {monetary} "
           f"(ties {args.ties}); segments: {label}")
    report(shown)
    report(f"wrote {args.output} ({len(scored):,} customers) and "
           f"{side_path(args.output, 'cuts')} (cut points of each score)")
    return 0


# ----------------------------------------------------------------------------- CLV
def clv_command(args, report) -> int:
    calibration_end = one_date(args.calibration_end, "--calibration-end")
    holdout_end = one_date(args.holdout_end, "--holdout-end")
    if args.horizon < 1 or args.horizon > 1200:
        raise CLIError(f"--horizon must be 1 to 1200 months; got {args.horizon}.")
    if not 0 <= args.discount < 1:
        raise CLIError(f"--discount is a monthly rate in [0, 1), e.g. 0.01 for 1%; got "
                       f"{args.discount}.")
    unit = args.unit
    if args.engine == "duckdb":
        if calibration_end is None:
            raise CLIError("--calibration-end is required with --engine duckdb.")
        cbs = _from_warehouse(args, report, "btyd_summary",
                              {"calibration_end": calibration_end, "holdout_end": holdout_end,
                               "unit": unit})
        total_customers = None
    else:
        log = _load(args, report)
        if calibration_end is None:
            calibration_end = log[args.date].max().normalize()
        total_customers = log[args.customer].nunique()
        with args.bars.step("summarising customers"):
            cbs = btyd.repeat_purchase_table(
                log, customer=args.customer, date=args.date, amount=args.amount,
                calibration_end=calibration_end, holdout_end=holdout_end, unit=unit)
    if total_customers is not None and total_customers > len(cbs):
        report(f"{total_customers - len(cbs):,} customers first bought after the calibration "
               f"end {calibration_end:%Y-%m-%d} and are not in the output")
    cbs = _drop_unobserved(cbs, calibration_end, report)
    with args.bars.step("fitting BG/NBD"):
        purchases = btyd.fit_bgnbd(cbs, unit=unit)
    with args.bars.step("fitting Gamma-Gamma"):
        spend = gamma_gamma.fit_gamma_gamma(cbs, nonpositive="exclude")
    t = args.horizon * gamma_gamma.PERIODS_PER_MONTH[unit]
    h = f"{args.horizon}_months"
    with args.bars.step("computing CLV"):
        out = pd.DataFrame({
            "frequency": cbs["frequency"],
            f"recency_{unit}": cbs["recency"],
            f"T_{unit}": cbs["T"],
            "monetary": cbs["monetary"],
            "p_alive": purchases.p_alive(cbs),
            f"expected_purchases_{h}": purchases.conditional_expected_purchases(cbs, t),
            "expected_spend": spend.expected_spend(cbs),
            f"clv_{h}": gamma_gamma.customer_lifetime_value(
                purchases, spend, cbs, months=args.horizon, monthly_discount=args.discount),
        })
        if "frequency_holdout" in cbs:
            out["frequency_holdout"] = cbs["frequency_holdout"]
            out["expected_purchases_holdout"] = purchases.conditional_expected_purchases(
                cbs, cbs["duration_holdout"])
    params = _parameters(purchases, spend, unit=unit, horizon=args.horizon,
                         discount=args.discount, calibration_end=calibration_end,
                         holdout_end=holdout_end, periods=t)
    write_table(out, args.output)
    write_table(params, side_path(args.output, "params"), index=False)
    report(f"{len(cbs):,} customers; calibration ends {calibration_end:%Y-%m-%d}; time unit: "
           f"{unit} (recency and T are in {unit}, and BG/NBD's alpha is per {unit[:-1]})")
    shown = params[params["model"] != "settings"].set_index(["model", "parameter"])
    report(shown[["estimate", "se"]].to_string(float_format=lambda v: f"{v:,.4f}", na_rep=""))
    if spend.extra.get("excluded"):
        report(f"Gamma-Gamma: {spend.note}")
    report(f"horizon {args.horizon} months ({t:g} {unit}), monthly discount {args.discount:g}: "
           f"total CLV {out[f'clv_{h}'].sum():,.2f}, mean P(alive) {out['p_alive'].mean():.3f}, "
           f"expected purchases {out[f'expected_purchases_{h}'].sum():,.1f}")
    report(f"wrote {args.output} ({len(out):,} customers) and "
           f"{side_path(args.output, 'params')} (parameters, standard errors, log-likelihoods)")
    return 0


def _drop_unobserved(cbs, calibration_end, report):
    """Leave out (and name) the customers whose first purchase is on the calibration end:
    with T = 0 the models have no time in which to observe them."""
    unseen = (cbs["T"] <= 0).to_numpy()
    if not unseen.any():
        return cbs
    ids = ", ".join(map(str, cbs.index[unseen][:5])) + (" …" if unseen.sum() > 5 else "")
    report(f"{int(unseen.sum()):,} customers made their first purchase on the calibration end "
           f"{calibration_end:%Y-%m-%d} (T = 0, no time observed) and are left out of the fit "
           f"and the output (ids {ids}); an earlier --calibration-end includes them")
    kept = cbs.loc[~unseen].copy()
    kept.attrs = dict(cbs.attrs)
    if kept.empty:
        raise CLIError("every customer made their first purchase on the calibration end; "
                       "choose an earlier --calibration-end.")
    return kept


def _parameters(purchases, spend, *, unit, horizon, discount, calibration_end, holdout_end,
                periods) -> pd.DataFrame:
    rows = []
    for fit in (purchases, spend):
        ci = fit.summary()
        for name, row in ci.iterrows():
            rows.append({"model": fit.model, "parameter": name, "estimate": row["coef"],
                         "se": row["se"], "lower_95": row["lower"], "upper_95": row["upper"],
                         "note": ""})
        rows.append({"model": fit.model, "parameter": "log_likelihood",
                     "estimate": fit.log_likelihood, "note": ""})
        rows.append({"model": fit.model, "parameter": "customers", "estimate": fit.n_obs,
                     "note": fit.note or ""})
    settings = {"time_unit": unit, "calibration_end": f"{calibration_end:%Y-%m-%d}",
                "holdout_end": "" if holdout_end is None else f"{holdout_end:%Y-%m-%d}",
                "horizon_months": str(horizon), "monthly_discount": f"{discount:g}",
                "horizon_periods": f"{periods:g} {unit}"}
    rows += [{"model": "settings", "parameter": k, "note": v} for k, v in settings.items()]
    return pd.DataFrame(rows, columns=["model", "parameter", "estimate", "se", "lower_95",
                                       "upper_95", "note"])
