"""Every chapter as an offline reveal.js slide deck, its widgets drawn from the saved state.

``python -m crmlab.course.slides [CHAPTER ...] [--language en|zh|all]`` (``make slides``;
``crmlab slides``) writes ``build/slides/[LANG/]NN_name.slides.html`` from the
executed solution notebooks. Open one in a browser (no server, no network needed): arrow
keys move, ``s`` opens the speaker view, ``Esc`` the overview.

Slide structure is derived when the deck is exported, so the chapter sources need no
slide markup:

* a markdown cell opening with a ``#`` or ``##`` heading starts a new slide,
  one opening with ``###`` starts a sub-slide (reveal.js's vertical stack);
* every other cell continues the current slide (long slides scroll);
* cells tagged ``teacher`` (the teacher's section) and ``solution`` (worked answers) are
  skipped; cells tagged ``hide-input`` (plotting boilerplate) show their figure only.

A teacher who wants another layout writes it in the chapter source, in the cell's own
metadata, which always wins (jupytext keeps it; the build copies it into the notebooks)::

    +++ {"slideshow": {"slide_type": "fragment"}}

    This paragraph appears on a key press.

or, for a code cell, ``slideshow: {slide_type: skip}`` in the cell's option block. The
values are Jupyter's: ``slide``, ``subslide``, ``fragment``, ``skip``, ``notes`` (speaker
view only) and ``-`` (continue). A translation cell without its own ``slideshow``
inherits the English cell's, so the Chinese deck follows the same plan.

The decks link reveal.js 4.6.1, require.js, jQuery 2.2.4, the widget embed script and
MathJax 2.7.7 from ``build/vendor`` (:mod:`crmlab.course.assets`, fetched once) and the
Chinese web font from ``build/webfont`` by relative paths: copy the whole ``build/``
folder to move them to another machine.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import nbformat

from . import assets, build, pages, webfont

__all__ = ["add_arguments", "export", "main", "run", "slide_plan", "slide_type"]

ROOT = build.ROOT
OUT = ROOT / "build" / "slides"
SKIPPED_TAGS = ("teacher", "solution")


def slide_type(cell) -> str:
    """The slide type crmlab derives for a cell (before any override)."""
    tags = cell.metadata.get("tags", [])
    if any(t in tags for t in SKIPPED_TAGS):
        return "skip"
    if cell.cell_type == "markdown":
        first = cell.source.lstrip().split("\n", 1)[0]
        if re.match(r"#{1,2} ", first):
            return "slide"
        if re.match(r"### ", first):
            return "subslide"
    return "-"


def source_overrides(source: Path) -> dict[str, dict]:
    """``{cell id: slideshow metadata}`` written in a chapter source; translation cells
    without their own inherit the preceding English markdown cell's."""
    nb = build.read_source(source)
    found, english = {}, None
    for cell in nb.cells:
        lang = cell.metadata.get("lang") if cell.cell_type == "markdown" else None
        own = cell.metadata.get("slideshow")
        if lang in (None, "any", "en"):
            english = own if cell.cell_type == "markdown" else None
            if own:
                found[cell.id] = dict(own)
        elif own or english:
            found[cell.id] = dict(own or english)
    return found


def slide_plan(nb: nbformat.NotebookNode, overrides: dict[str, dict] | None = None
               ) -> nbformat.NotebookNode:
    """A copy of ``nb`` with ``slideshow.slide_type`` set on every cell: the cell's own
    metadata, else ``overrides[cell.id]``, else :func:`slide_type`. The first shown cell
    always starts a slide."""
    out = nbformat.reads(nbformat.writes(nb), as_version=4)
    overrides = overrides or {}
    started = False
    for cell in out.cells:
        own = cell.metadata.get("slideshow") or overrides.get(cell.get("id"))
        kind = (own or {}).get("slide_type") or slide_type(cell)
        if kind not in ("skip", "notes") and not started:
            kind, started = "slide", True
        cell.metadata["slideshow"] = {**(own or {}), "slide_type": kind}
    return out


def _exporter(page_dir: Path, vendor: Path):
    from nbconvert import SlidesExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = SlidesExporter(extra_template_basedirs=[str(pages.TEMPLATES)],
                              template_name="crmlab_reveal", reveal_theme="white",
                              reveal_transition="none", reveal_scroll=True,
                              reveal_number="c/t", **pages.exporter_config(page_dir, vendor))
    exporter.register_preprocessor(TagRemovePreprocessor(
        remove_input_tags={"hide-input"}, enabled=True), enabled=True)
    return exporter


def export(notebook: Path, language: str, *, out: Path = OUT, vendor: Path = assets.VENDOR,
           fonts: Path | None = None, root: Path = ROOT) -> Path:
    """Write the deck of one executed solution notebook; return its path."""
    page_dir = Path(out) if language == "en" else Path(out) / language
    page_dir.mkdir(parents=True, exist_ok=True)
    fonts = Path(fonts) if fonts else Path(out) / "_static"
    _font, style = webfont.write(fonts, root)
    nb = nbformat.read(notebook, as_version=4)
    sources = {p.stem: p for p in build.chapters(root)}
    overrides = source_overrides(sources[notebook.stem]) if notebook.stem in sources else {}
    planned = slide_plan(nb, overrides)
    title = pages.chapter_title(nb, notebook.stem)
    body, _ = _exporter(page_dir, vendor).from_notebook_node(planned, resources={
        "metadata": {"name": title},
        "crmlab": {"fonts_css": pages.relative(style, page_dir)}})
    path = page_dir / f"{notebook.stem}.slides.html"
    path.write_text(pages.fix_links(body, suffix=".slides.html", index_stem=None),
                    encoding="utf-8")
    return path


def build_slides(chapters: list[str] | None = None, languages: list[str] | None = None, *,
                 out: Path = OUT, root: Path = ROOT, quiet: bool = False) -> list[Path]:
    """Export the decks of ``chapters`` (stems or prefixes; default all) in ``languages``
    (default all); fetch the front-end files first if needed."""
    vendor = assets.ensure(quiet=quiet)
    written = []
    for lang, notebooks in pages.editions(root).items():
        if languages and lang not in languages:
            continue
        for nb in notebooks:
            if chapters and not any(nb.stem.startswith(c) for c in chapters):
                continue
            written.append(export(nb, lang, out=out, vendor=vendor, root=root))
            if not quiet:
                print(f"wrote {written[-1].relative_to(root)}")
    return written


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The options of ``crmlab slides``."""
    parser.add_argument("chapters", nargs="*", help="chapters (02_man_case or 02); default all")
    parser.add_argument("--language", default="all",
                        help="en, zh or all (default: every edition)")
    parser.add_argument("--out", default=str(OUT), help=f"output folder (default {OUT})")
    return parser


def run(args) -> int:
    start = time.perf_counter()
    langs = None if args.language == "all" else [args.language]
    written = build_slides(args.chapters or None, langs, out=Path(args.out))
    if not written:
        print("no chapter matched")
        return 1
    print(f"{len(written)} decks in {args.out} ({time.perf_counter() - start:.1f} s); "
          f"open one in a browser, e.g. {written[0]}")
    return 0


def main(argv: list[str] | None = None, *, prog: str = "crmlab slides") -> int:
    parser = add_arguments(argparse.ArgumentParser(
        prog=prog, description=__doc__.splitlines()[0]))
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
