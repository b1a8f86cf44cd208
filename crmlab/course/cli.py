"""The course commands of the ``crmlab`` command line (developers and teachers).

``crmlab build``
    regenerate ``exercises/`` and ``solutions/`` from ``notebooks/`` (developers);
``crmlab workspace``
    copy the chapters a student does not have yet into ``work/`` (``make lab`` runs it);
    an edited notebook is never replaced: a newer chapter is put beside it;
``crmlab catalogs``
    extract the student-facing strings, update the translation catalogs and compile them
    (developers and translators);
``crmlab translations``
    list the chapter cells whose translation is missing or older than the English text
    (``--stamp`` records that the translations are current).

Teachers' commands (each module parses its own options; ``crmlab slides -h``):

``crmlab present``
    serve a chapter's lesson as a live Voila dashboard, code hidden (:mod:`.present`);
``crmlab slides``
    every chapter as an offline reveal.js deck in ``build/slides/`` (:mod:`.slides`);
``crmlab site``
    the offline course site of every chapter, both languages, in ``build/site/``
    (:mod:`.site`);
``crmlab trust``
    let JupyterLab draw the saved widgets of ``solutions/`` on this machine (:mod:`.trust`);
``crmlab grade CHAPTER SUBMISSIONS -o OUT``
    grade a class: each submitted notebook runs isolated, its answers are re-checked
    (:mod:`.grading`).

The analyses of a user's own data (``crmlab rfm``, ``clv``, ``man``, ``reproduce``) and
the top-level ``crmlab`` command that lists both groups are in :mod:`crmlab.cli`.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

__all__ = ["main"]


def _build(args) -> int:
    from . import build

    sources = [Path(p) for p in args.chapters] or build.chapters()
    if args.check:
        problems = [p for src in sources for p in build.out_of_sync(src)]
        for p in problems:
            print(f"out of date: {p}")
        print("generated notebooks are in sync" if not problems else
              "run `crmlab build` and commit exercises/ and solutions/")
        return 1 if problems else 0
    failed = False
    for src in sources:
        if not args.force and not build.out_of_sync(src):
            print(f"up to date: {src.name}")
            continue
        try:
            written = build.build(src, run=not args.no_execute)
        except build.EditedNotebookError as err:
            print(f"not built: {err}")
            failed = True
            continue
        print("built " + ", ".join(p.relative_to(build.ROOT).as_posix() for p in written))
    return 1 if failed else 0


def _workspace(args) -> int:
    from . import build, workspace

    root = Path(args.root) if args.root else build.ROOT
    target = Path(args.dir) if Path(args.dir).is_absolute() else root / args.dir
    if args.language != "en":
        target = target / args.language
    actions = workspace.sync_workspace(build.notebook_path("x", "exercises", args.language,
                                                           root=root).parent, target)
    print(f"{len(actions)} chapters in {target}")
    return 0


def _translations(args) -> int:
    from . import build, editions

    sources = [Path(p) for p in args.chapters] or build.chapters()
    left = []
    for src in sources:
        if args.stamp:
            n = editions.stamp_translations(src)
            print(f"{src.name}: {n} translation cells stamped")
        nb = build.read_source(src)
        for lang in editions.languages(nb)[1:]:
            left += editions.translation_problems(nb, lang, name=src.name)
    for problem in left:
        print(problem)
    print("every chapter's translations are complete and current" if not left else
          f"{len(left)} cells need a translator")
    return 1 if left else 0


def _catalogs(args) -> int:
    from . import catalogs

    left = catalogs.update(args.language)
    for problem in left:
        print(problem)
    print(f"{args.language}: catalogs compiled; " + (
        f"{len(left)} strings need a translator" if left else "every string is translated"))
    return 1 if left else 0


#: The course commands, in the order ``crmlab --help`` lists them: (name, one-line help).
COMMANDS = (
    ("build", "generate exercises/ and solutions/ from notebooks/"),
    ("workspace", "copy missing chapters into the student folder (never overwrites an "
                  "edited notebook)"),
    ("translations", "list chapter cells whose translation is missing or older than the "
                     "English text"),
    ("catalogs", "update and compile the translation catalogs"),
)

#: The teachers' commands: (name, module in crmlab.course, one-line help). Their modules
#: load Voila's and nbconvert's machinery, so they are imported only when run, and parse
#: their own options (``crmlab present -h``).
TEACHING = (
    ("present", "present", "serve a chapter's lesson as a live dashboard, code hidden"),
    ("slides", "slides", "write every chapter as an offline slide deck (build/slides/)"),
    ("site", "site", "build the offline course site, both languages (build/site/)"),
    ("trust", "trust", "let JupyterLab draw the saved widgets of solutions/"),
    ("grade", "grading", "grade a folder of submitted exercise notebooks, each run isolated"),
)


def _teaching(args, extra: list[str]) -> int:
    module = importlib.import_module(f"crmlab.course.{args.module}")
    return module.main(extra, prog=f"crmlab {args.command}")


def add_commands(sub) -> None:
    """Register the course commands on an ``argparse`` subparsers object."""
    helps = dict(COMMANDS)
    p = sub.add_parser("build", help=helps["build"], description=helps["build"])
    p.add_argument("chapters", nargs="*", help="chapter sources (default: all)")
    p.add_argument("--check", action="store_true", help="only report out-of-date notebooks")
    p.add_argument("--force", action="store_true", help="rebuild chapters that are in sync")
    p.add_argument("--no-execute", action="store_true", help="do not execute solutions")
    p.set_defaults(func=_build)
    p = sub.add_parser("workspace", help=helps["workspace"], description=helps["workspace"])
    p.add_argument("--dir", default="work", help="the student folder (default: work)")
    p.add_argument("--root", default=None, help="the folder holding exercises/ "
                                                "(default: this checkout)")
    p.add_argument("--language", default="en", choices=["en", "zh"],
                   help="the edition: en (in DIR) or zh (in DIR/zh)")
    p.set_defaults(func=_workspace)
    p = sub.add_parser("translations", help=helps["translations"],
                       description=helps["translations"])
    p.add_argument("chapters", nargs="*", help="chapter sources (default: all)")
    p.add_argument("--stamp", action="store_true",
                   help="record that each translation matches its English cell as it is now")
    p.set_defaults(func=_translations)
    p = sub.add_parser("catalogs", help=helps["catalogs"], description=helps["catalogs"])
    p.add_argument("--language", default="zh", help="language code (default: zh)")
    p.set_defaults(func=_catalogs)
    for name, module, text in TEACHING:
        p = sub.add_parser(name, help=text, description=text, add_help=False)
        p.set_defaults(func=_teaching, module=module, passthrough=True)


def dispatch(parser: argparse.ArgumentParser, argv: list[str] | None):
    """Parse ``argv``; a teachers' command gets its options unparsed (its module parses
    them). Returns ``(args, run)`` where ``run()`` executes the command."""
    args, extra = parser.parse_known_args(argv)
    if getattr(args, "passthrough", False):
        return args, lambda: args.func(args, extra)
    if extra:
        parser.error("unrecognized arguments: " + " ".join(extra))
    return args, lambda: args.func(args)


def main(argv: list[str] | None = None) -> int:
    """The course commands alone (``python -m crmlab``); ``crmlab`` itself is
    :func:`crmlab.cli.main`, which adds the analyses."""
    parser = argparse.ArgumentParser(prog="crmlab", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    add_commands(sub)
    return dispatch(parser, argv)[1]()


if __name__ == "__main__":
    sys.exit(main())
