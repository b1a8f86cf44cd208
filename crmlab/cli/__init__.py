"""The ``crmlab`` command: the suite's analyses on your own data, and the course tools.

analyses (a researcher's own files, CSV or Parquet):
  crmlab rfm FILE -o OUT        per-customer RFM table, scores, segments (+ OUT.cuts.csv)
  crmlab clv FILE -o OUT        BG/NBD + Gamma-Gamma: P(alive), expected purchases, CLV
                                (+ OUT.params.csv: parameters, standard errors, LL)
  crmlab man FILE -o OUT        MAN scores and ranks of a prospect table
  crmlab reproduce              every published number the suite reproduces, checked now

Bad rows are never dropped silently: each is written to OUT.rejected.csv with its row
number and the reason, and counted on the terminal. Exit codes: 0 done; 1 the input or
the data could not be used, or a reproduced number failed (one line on standard error
says why); 2 a wrong command line.

Modules: :mod:`~crmlab.cli.files` (reading and writing), :mod:`~crmlab.cli.dates` (the
date forms read), :mod:`~crmlab.cli.clean` (bad rows), :mod:`~crmlab.cli.transactions`
(rfm, clv), :mod:`~crmlab.cli.prospects` (man), :mod:`~crmlab.cli.progress` (bars);
the course commands stay in :mod:`crmlab.course.cli`. Nothing here imports plotting or
widgets, and each command imports what it needs when it runs.
"""

from __future__ import annotations

import argparse
import os
import sys

from .. import man
from ..course import cli as course_cli
from .files import CLIError

__all__ = ["ANALYSES", "CLIError", "main"]

#: The analysis commands, in the order ``crmlab --help`` lists them: (name, one-line help).
ANALYSES = (
    ("rfm", "per-customer RFM table with scores, segments and the scores' cut points"),
    ("clv", "BG/NBD + Gamma-Gamma fit: P(alive), expected purchases and CLV per customer"),
    ("man", "MAN (Money, Authority, Need) scores and ranks of a prospect table"),
    ("reproduce", "check every published number the suite reproduces (table, pass/fail)"),
)


def _listing() -> str:
    lines = ["analyses (your own data; CSV or Parquet):"]
    lines += [f"  {name:<14}{text}" for name, text in ANALYSES]
    lines += ["", "course (developers and teachers):"]
    lines += [f"  {name:<14}{text}" for name, text in course_cli.COMMANDS]
    lines += [f"  {name:<14}{text}" for name, _module, text in course_cli.TEACHING]
    lines += ["", "`crmlab COMMAND --help` describes a command's options."]
    return "\n".join(lines)


def _input_options(p, *, amount: bool = True) -> None:
    p.add_argument("file", help="input table: .csv, .tsv or .parquet (.pq)")
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="output table: .csv or .parquet; side files OUT.*.csv go beside it")
    if amount:
        _columns(p.add_argument_group("columns"), (
            ("customer", "customer_id", "customer id column"),
            ("date", "date", "purchase date column"), ("amount", "amount", "amount column")))
    r = p.add_argument_group("reading")
    r.add_argument("--encoding", default="utf-8",
                   help="text encoding of a CSV (default: utf-8; Chinese Excel: gbk)")
    r.add_argument("--sep", default=None, help="CSV separator (default: ',' or a tab for .tsv)")
    if amount:
        r.add_argument("--timezone", default=None, metavar="ZONE",
                       help="convert dates that carry a time zone to ZONE, e.g. Asia/Shanghai "
                            "(default: one zone in the file is kept as written; several "
                            "zones are converted to UTC)")
        r.add_argument("--date-format", default=None, metavar="FMT",
                       help="read every date with this strptime format, e.g. '%%d.%%m.%%Y'")
        order = r.add_mutually_exclusive_group()
        order.add_argument("--dayfirst", dest="order", action="store_const", const="dayfirst",
                           help="read 03/04/2024 as 3 April")
        order.add_argument("--monthfirst", dest="order", action="store_const",
                           const="monthfirst", help="read 03/04/2024 as March 4")
    r.add_argument("--strict", action="store_true",
                   help="stop with exit code 1 if any row is rejected (the side file is "
                        "still written)")
    _run_options(p)


def _columns(group, columns) -> None:
    """One ``--OPTION NAME`` per (option, default column, what it is) of ``columns``."""
    for option, default, what in columns:
        group.add_argument(f"--{option}", default=default, metavar="NAME",
                           help=f"{what} (default: {default})")


def _run_options(p) -> None:
    p.add_argument("--progress", choices=["auto", "always", "never"], default="auto",
                   help="progress bars on standard error for steps over 2 s "
                        "(default: auto, when it is a terminal)")
    p.add_argument("--traceback", action="store_true", default=bool(os.environ.get(
        "CRMLAB_TRACEBACK")), help="show Python's traceback on an error (for bug reports)")


def _engine_options(p) -> None:
    e = p.add_argument_group("engine")
    e.add_argument("--engine", choices=["pandas", "duckdb"], default="pandas",
                   help="pandas (default; reads the file into memory) or duckdb "
                        "(crmlab.warehouse: files larger than memory)")
    e.add_argument("--memory-limit", default=None, metavar="SIZE",
                   help="duckdb's memory limit, e.g. 4GB (only with --engine duckdb)")


def _analysis(sub, name: str, *, amount: bool = True):
    """The parser of the analysis command ``name``, with the input options."""
    p = sub.add_parser(name, help=dict(ANALYSES)[name], description=_doc(name),
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    _input_options(p, amount=amount)
    return p


def _add_analyses(sub) -> None:
    helps = dict(ANALYSES)
    p = _analysis(sub, "rfm")
    a = p.add_argument_group("analysis")
    a.add_argument("--as-of", default=None, metavar="DATE",
                   help="measure recency back from DATE (default: the last purchase date)")
    a.add_argument("--unit", choices=["days", "weeks", "months"], default="days",
                   help="unit of recency and --window (default: days)")
    a.add_argument("--window", type=float, default=None, metavar="N",
                   help="count purchases and money only in the last N units (default: all)")
    a.add_argument("--same-day", choices=["keep", "merge"], default="keep",
                   help="merge a customer's purchases on one day into one (default: keep)")
    a.add_argument("--returns", choices=["reject", "net"], default="reject",
                   help="negative amounts: reject the rows (default) or net them out of the "
                        "monetary total")
    a.add_argument("--bins", type=int, default=5, choices=range(2, 10), metavar="2-9",
                   help="quantile bins per score (default: 5)")
    a.add_argument("--ties", choices=["share", "first"], default="share",
                   help="equal values share a score (default) or are split by row order")
    a.add_argument("--monetary", choices=["total", "mean"], default="total",
                   help="score the total spend (default) or the spend per purchase")
    a.add_argument("--scheme", default="auto", metavar="SCHEME",
                   help="segments: rfm (the R rfm package's named segments, 5 bins), tiers "
                        "(low/middle/high RFM sum) or a CSV of rules name,r_lo,r_hi,f_lo,f_hi,"
                        "m_lo,m_hi (default: rfm for 5 bins, else tiers)")
    _engine_options(p)
    p.set_defaults(run="rfm")

    p = _analysis(sub, "clv")
    a = p.add_argument_group("analysis")
    a.add_argument("--calibration-end", default=None, metavar="DATE",
                   help="fit on purchases up to DATE (default: the last purchase date)")
    a.add_argument("--holdout-end", default=None, metavar="DATE",
                   help="also count and predict purchases after the calibration, up to DATE")
    a.add_argument("--unit", choices=["weeks", "days", "months"], default="weeks",
                   help="time unit of recency, T and the model (default: weeks)")
    a.add_argument("--horizon", type=int, default=12, metavar="MONTHS",
                   help="CLV and expected purchases over the next MONTHS months (default: 12)")
    a.add_argument("--discount", type=float, default=0.01, metavar="RATE",
                   help="monthly discount rate (default: 0.01)")
    _engine_options(p)
    p.set_defaults(run="clv")

    p = _analysis(sub, "man", amount=False)
    g = p.add_argument_group("columns")
    g.add_argument("--id", default=None, metavar="NAME",
                   help="prospect name column (default: none, prospects numbered by row)")
    _columns(g, (("budget", "budget_yi", "budget in 亿元"),
                 ("profit-trend", "profit_trend", "up/flat/down or 增长/稳定/下降"),
                 ("authority", "authority", "Authority score 1-5"),
                 ("need", "need", "Need score 1-5"),
                 ("money", "money", "Money score 1-5, with --scored")))
    a = p.add_argument_group("analysis")
    a.add_argument("--scored", action="store_true",
                   help="the file has Money scores already: rank only")
    a.add_argument("--weights", default="0.4,0.3,0.3", metavar="W",
                   help="money,authority,need weights summing to 1 (default: the "
                        "courseware's 0.4,0.3,0.3), or money=..,authority=..,need=..")
    a.add_argument("--rounding", choices=list(man.ROUNDING_RULES), default="none",
                   help="rounding of the budget part of Money (default: none; the "
                        "courseware's own scores need ceil)")
    a.add_argument("--yi-per-point", type=float, default=10, metavar="YI",
                   help="budget in 亿元 worth one Money point (default: 10)")
    p.set_defaults(run="man")

    p = sub.add_parser("reproduce", help=helps["reproduce"], description=_doc("reproduce"),
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--markdown", action="store_true",
                   help="print the README's reproduction table (Markdown) instead")
    p.add_argument("--only", default=None, metavar="TEXT",
                   help="only the entries whose id contains TEXT (e.g. bgnbd)")
    _run_options(p)
    p.set_defaults(run="reproduce")


def _doc(name: str) -> str:
    texts = {
        "rfm": "One row per purchase (customer id, date, amount) -> one row per customer: "
               "first and last purchase, recency, frequency, monetary total and mean, R/F/M "
               "quantile scores, code, sum and segment. OUT.cuts.csv holds the interval of "
               "each score; OUT.rejected.csv the rows that could not be used, with reasons.",
        "clv": "One row per purchase -> BG/NBD (Fader, Hardie & Lee 2005) and Gamma-Gamma "
               "(Fader & Hardie 2013) fits and, per customer, P(alive), expected purchases, "
               "expected spend and CLV over --horizon months at the monthly --discount. "
               "Purchases on one day count as one. Column names state the time unit; "
               "OUT.params.csv holds the parameters, standard errors, 95% intervals, "
               "log-likelihoods and the settings.",
        "man": "One row per prospect -> Money, Authority and Need scores, the weighted total "
               "and the rank (courseware ch. 3, 1.3.2, the MAN rule).",
        "reproduce": "Recompute every published number the suite reproduces and compare it "
                     "with the published value; exit code 1 if any fails.",
    }
    return texts[name]


def _run(args, report) -> int:
    from .progress import Progress

    args.bars = Progress(args.progress)
    if args.run == "reproduce":
        from .. import reproduce

        return reproduce.command(args, report)
    from .files import check_output

    check_output(args.output, inputs=[args.file])
    if args.run == "man":
        from .prospects import man_command

        return man_command(args, report)
    from .transactions import clv_command, rfm_command

    return (rfm_command if args.run == "rfm" else clv_command)(args, report)


def main(argv: list[str] | None = None) -> int:
    """Run ``crmlab`` with ``argv`` (default: the command line); return the exit code."""
    parser = argparse.ArgumentParser(
        prog="crmlab", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="crmlab: customer-relationship-management analytics for teaching and "
                    "research.",
        epilog=_listing(), usage="crmlab [-h] COMMAND ...")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                help=argparse.SUPPRESS, prog="crmlab")
    _add_analyses(sub)
    course_cli.add_commands(sub)
    args, course_command = course_cli.dispatch(parser, argv)
    if not hasattr(args, "run"):                 # a course command: unchanged behaviour
        return course_command()
    name = f"crmlab {args.command}"
    try:
        return _run(args, print)
    except CLIError as err:
        print(f"{name}: {err}", file=sys.stderr)
    except BrokenPipeError:            # `crmlab reproduce | head`: the reader left
        sys.stdout = open(os.devnull, "w")
        return 0
    except KeyboardInterrupt:
        print(f"{name}: interrupted", file=sys.stderr)
        return 130
    except Exception as err:          # a library's InputError / FitError, or anything else
        if args.traceback:
            raise
        text = " ".join(str(err).split()) or type(err).__name__
        print(f"{name}: {text}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
