"""Widgets, not ``VBox(children=…)``, when a teacher opens an executed solution.

The solutions keep every widget's state, but JupyterLab draws a saved widget only in a
*trusted* notebook; in any other it falls back to the output's plain text. Trust is a
signature kept in the user's Jupyter data folder (``nbsignatures.db``), never in the file,
so it cannot be committed: ``python -m crmlab.course.trust`` (``make trust``, ``crmlab
trust``) signs every generated solution notebook on this machine. It does not
rewrite the files (trusting from JupyterLab's command palette would save them again, with
different numbers in the widget state).

The build adds, beside each saved widget view, a ``text/html`` snapshot drawn from that
state (:mod:`.snapshots`), which JupyterLab shows in a notebook that is not trusted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

from . import build
from .snapshots import WIDGET_STATE, WIDGET_VIEW, add_static_views, static_view  # noqa: F401

__all__ = ["add_arguments", "add_static_views", "main", "run", "static_view",
           "trust_notebooks", "untrusted"]

ROOT = build.ROOT


def _notary():
    from nbformat.sign import NotebookNotary

    return NotebookNotary()


def generated(root: Path = ROOT) -> list[Path]:
    """Every generated solution notebook, every language."""
    return sorted((Path(root) / "solutions").rglob("*.ipynb"))


def untrusted(paths: list[Path]) -> list[Path]:
    """The notebooks among ``paths`` this machine's Jupyter does not trust."""
    notary = _notary()
    return [p for p in paths if not notary.check_signature(nbformat.read(p, as_version=4))]


def trust_notebooks(paths: list[Path]) -> list[Path]:
    """Sign each notebook not yet trusted (the files are not written); return those."""
    notary = _notary()
    signed = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        if not notary.check_signature(nb):
            notary.sign(nb)
            signed.append(path)
    return signed


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The options of ``crmlab trust``."""
    parser.add_argument("notebooks", nargs="*",
                        help="notebooks to trust (default: every generated solution)")
    return parser


def run(args) -> int:
    paths = [Path(p) for p in args.notebooks] or generated()
    signed = trust_notebooks(paths)
    print(f"{len(paths)} solution notebooks trusted on this machine "
          f"({len(signed)} newly signed): JupyterLab shows their saved widgets")
    return 0


def main(argv: list[str] | None = None, *, prog: str = "crmlab trust") -> int:
    parser = add_arguments(argparse.ArgumentParser(
        prog=prog, description=__doc__.splitlines()[0]))
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
