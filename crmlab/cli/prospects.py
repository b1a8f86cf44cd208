"""``crmlab man``: MAN scores and ranks of a prospect table, by :mod:`crmlab.man`.

Two kinds of table:

* facts (default): a budget in 亿元, a profit trend (up/flat/down, or 增长/稳定/下降) and
  Authority and Need scores 1–5 → the courseware's Money rule
  (:func:`crmlab.man.score_prospects`), weighted total and rank;
* scores (``--scored``): Money, Authority and Need already scored 1–5 →
  :func:`crmlab.man.rank_prospects`.

Rows that cannot be scored (no id, a budget that is not a number or is negative, an
unknown trend, a score outside 1–5, a repeated id) go to ``OUT.rejected.csv`` with the
reason, as for the transaction commands.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import man
from .clean import Rejections, clean_ids
from .dates import NULLS
from .files import CLIError, check_columns, read_table, side_path, write_table

__all__ = ["TRENDS", "man_command", "parse_weights"]

#: Profit-trend texts understood, in English and Chinese (case and spaces ignored).
TRENDS = {"up": "up", "flat": "flat", "down": "down", "growth": "up", "stable": "flat",
          "decline": "down", "增长": "up", "上升": "up", "稳定": "flat", "持平": "flat",
          "下降": "down", "下滑": "down"}


def parse_weights(text: str) -> dict[str, float]:
    """``"0.4,0.3,0.3"`` or ``"money=0.4,authority=0.3,need=0.3"`` → weights summing to 1."""
    names = list(man.DIMENSIONS)
    parts = [p.strip() for p in str(text).split(",") if p.strip()]
    try:
        if parts and all("=" in p for p in parts):
            pairs = [p.split("=", 1) for p in parts]
            weights = {k.strip().lower(): float(v) for k, v in pairs}
            if sorted(weights) != sorted(names):
                raise CLIError(f"--weights must name {', '.join(names)}; got "
                               f"{', '.join(weights)}.")
        elif len(parts) == 3:
            weights = dict(zip(names, (float(p) for p in parts)))
        else:
            raise CLIError(f"--weights takes three numbers for money, authority, need, e.g. "
                           f"0.4,0.3,0.3; got {text!r}.")
    except ValueError:
        raise CLIError(f"--weights must be numbers, e.g. 0.4,0.3,0.3; got {text!r}.") from None
    if any(not np.isfinite(w) or w < 0 for w in weights.values()):
        raise CLIError(f"--weights must be numbers >= 0; got {text!r}.")
    total = sum(weights.values())
    if abs(total - 1) > 1e-9:
        raise CLIError(f"--weights must sum to 1; {text!r} sums to {total:g}.")
    return {n: weights[n] for n in names}


def _numbers(values, rejections, *, what, low=None, high=None):
    text = values.astype(object).map(lambda x: "" if x is None or (isinstance(x, float)
                                                                   and np.isnan(x)) else str(x).strip())
    blank = text.str.lower().isin(NULLS).to_numpy()
    numbers = pd.to_numeric(text.where(~blank, None), errors="coerce").astype(float)
    rejections.add(blank, f"missing {what}", f"missing {what}")
    bad = ~blank & ~np.isfinite(numbers.to_numpy())
    rejections.add(bad, f"non-numeric {what}",
                   lambda at: [f"{what} {t!r} is not a number" for t in text.iloc[at]])
    ok = np.isfinite(numbers.to_numpy())
    outside = ok & (((numbers < low).to_numpy() if low is not None else False)
                    | ((numbers > high).to_numpy() if high is not None else False))
    span = f"from {low:g} to {high:g}" if high is not None else f">= {low:g}"
    rejections.add(outside, f"{what} out of range",
                   lambda at: [f"{what} {x:g} is not {span}" for x in numbers.iloc[at]])
    return numbers


def man_command(args, report) -> int:
    weights = parse_weights(args.weights)
    frame = read_table(args.file, encoding=args.encoding, sep=args.sep, progress=args.bars)
    columns = {"--authority": args.authority, "--need": args.need}
    if args.scored:
        columns["--money"] = args.money
    else:
        columns.update({"--budget": args.budget, "--profit-trend": args.profit_trend})
    if args.id:
        columns["--id"] = args.id
    try:
        check_columns(frame, columns, path=args.file)
    except CLIError as err:
        if not args.scored and args.money in frame.columns and args.budget not in frame.columns:
            raise CLIError(f"{err} The file has a {args.money!r} column: pass --scored to rank "
                           f"prospects whose Money is already scored.") from None
        raise
    rejections = Rejections(len(frame))
    if args.id:
        ids = clean_ids(frame[args.id], rejections, name=args.id, what="prospect id")
        repeated = ids.duplicated(keep="first").to_numpy() & ~rejections.mask
        first = {v: k for k, v in reversed(list(enumerate(ids)))}
        rejections.add(repeated, "repeated prospect id", lambda at: [
            f"prospect id {ids.iloc[k]!r} repeats row {first[ids.iloc[k]] + 1}" for k in at])
        labels = pd.Index(ids, name=args.id)
    else:
        labels = pd.Index(np.arange(1, len(frame) + 1), name="row")
    dims = {"authority": _numbers(frame[args.authority], rejections, what="authority score",
                                  low=1, high=5),
            "need": _numbers(frame[args.need], rejections, what="need score", low=1, high=5)}
    if args.scored:
        dims["money"] = _numbers(frame[args.money], rejections, what="money score", low=1, high=5)
    else:
        budget = _numbers(frame[args.budget], rejections, what="budget", low=0)
        said = frame[args.profit_trend].astype(object).map(
            lambda x: "" if x is None or (isinstance(x, float) and np.isnan(x)) else str(x).strip())
        trend = said.str.lower().map(TRENDS)
        rejections.add(said.eq("").to_numpy(), "missing profit trend", "missing profit trend")
        rejections.add((trend.isna() & said.ne("")).to_numpy(), "unknown profit trend",
                       lambda at: [f"profit trend {t!r} is not up, flat or down (增长/稳定/下降)"
                                   for t in said.iloc[at]])
    keep = ~rejections.mask
    rejected = side_path(args.output, "rejected")
    write_table(rejections.table(frame), rejected, index=False)
    report(f"read {len(frame):,} prospects from {args.file}")
    for line in rejections.summary(len(frame)):
        report(line)
    report(f"rejected rows: {rejected}")
    if not keep.any():
        raise CLIError(f"every row was rejected ({rejections.first()}); nothing to score.")
    if args.strict and not keep.all():
        raise CLIError(f"{int((~keep).sum()):,} rows rejected and --strict is set (see "
                       f"{rejected}); no results written.")
    if args.scored:
        scores = pd.DataFrame({d: dims[d][keep].to_numpy() for d in man.DIMENSIONS},
                              index=labels[keep])
        table = man.rank_prospects(scores, weights=weights)
        how = "Money, Authority and Need as scored in the file"
    else:
        facts = pd.DataFrame({"budget_yi": budget[keep].to_numpy(),
                              "profit_trend": trend[keep].to_numpy(),
                              "authority": dims["authority"][keep].to_numpy(),
                              "need": dims["need"][keep].to_numpy()}, index=labels[keep])
        table = man.score_prospects(facts, weights=weights, rounding=args.rounding,
                                    yi_per_point=args.yi_per_point)
        table.insert(0, "profit_trend", facts["profit_trend"])
        table.insert(0, "budget_yi", facts["budget_yi"])
        how = (f"Money from the budget ({args.yi_per_point:g} 亿元 a point, rounding "
               f"{args.rounding}) and the profit trend (+1 up, 0 flat, -1 down), floor 1, cap 5")
    write_table(table, args.output)
    report(f"{len(table):,} prospects scored: {how}")
    report("weights: " + ", ".join(f"{k} {v:g}" for k, v in weights.items())
           + ("" if args.id else "; prospects are numbered by row (pass --id to name them)"))
    top = table.sort_values(["rank", "total"], ascending=[True, False]).head(10)
    report(top[["money", "authority", "need", "total", "rank"]].to_string(
        float_format=lambda v: f"{v:.4g}"))
    report(f"wrote {args.output} ({len(table):,} prospects)")
    return 0
