"""The course site: every chapter, executed, as static HTML pages that work offline.

``python -m crmlab.course.site`` (``make site``, ``crmlab site``) writes
``build/site/`` (git-ignored) from the executed solution notebooks with nbconvert's lab
template and crmlab's ``crmlab_site`` template on top of it:

* ``index.html`` is the start page (chapter map, sources, glossary), each chapter is
  ``NN_name.html``; the Chinese edition is the same under ``zh/`` (any other language the
  build writes appears the same way), and every page has a link to its other editions;
* a bar on every page links the chapters and, where the chapter has one, its teacher's
  section (class plan, discussion questions, the chapter on one page);
* plotting boilerplate (cells tagged ``hide-input``) is folded under a "code" toggle;
* widgets are drawn from the state saved in the notebook (controls show, nothing
  recomputes without a kernel: the chapters print each widget's default result beside it);
* scripts (require.js, the widget embed script, MathJax) and the Chinese web font are
  copied into the site, so the folder can be opened from disk, put on a USB stick or any
  static web server, with no network.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

import nbformat

from . import assets, build, pages, webfont

__all__ = ["add_arguments", "build_site", "main", "run"]

ROOT = build.ROOT
OUT = ROOT / "build" / "site"
LANGUAGE_NAMES = {"en": "English", "zh": "中文"}
#: The vendored files a site page loads (reveal.js and jQuery are for slides only).
SITE_VENDOR = ("requirejs", "html-manager", "mathjax")
INDEX_STEM = "00_start_here"

SITE_CSS = """
body { margin: 0; }
main { max-width: 1100px; margin: 0 auto; padding: 0 1.5em 4em; }
.crmlab-nav { position: sticky; top: 0; z-index: 10; display: flex; flex-wrap: wrap;
  gap: .3em 1em; align-items: baseline; padding: .6em 1.5em; margin: 0 -1.5em 1em;
  background: #f7f7f7; border-bottom: 1px solid #ddd; font-size: 14px; }
.crmlab-nav a { color: #0b5394; text-decoration: none; }
.crmlab-nav a:hover { text-decoration: underline; }
.crmlab-nav .crmlab-home { font-weight: bold; margin-right: .5em; }
.crmlab-nav .crmlab-current { font-weight: bold; color: #000; }
.crmlab-nav .crmlab-teacher-link { color: #8a4b00; }
.crmlab-nav .crmlab-lang { margin-left: auto; border: 1px solid #bbb; border-radius: 3px;
  padding: 0 .5em; }
details.crmlab-fold > summary { cursor: pointer; color: #777; font-size: 12px;
  margin: .2em 0 .2em 64px; }
.crmlab-teacher-start { border-top: 3px solid #e0b070; margin-top: 2em; }
"""


def _labels(language: str) -> dict[str, str]:
    return webfont.PAGE_LABELS.get(language, webfont.PAGE_LABELS["en"])


def _page_name(stem: str) -> str:
    return "index.html" if stem == INDEX_STEM else f"{stem}.html"


def _page_dir(out: Path, language: str) -> Path:
    return Path(out) if language == "en" else Path(out) / language


def _copy_vendor(vendor: Path, target: Path) -> Path:
    """Copy the scripts site pages load into the site (skipped when already there)."""
    for name in SITE_VENDOR:
        src, dst = vendor / name, target / name
        marker_src, marker_dst = src / ".crmlab-package.json", dst / ".crmlab-package.json"
        if marker_dst.exists() and marker_dst.read_bytes() == marker_src.read_bytes():
            continue
        if dst.exists():
            shutil.rmtree(dst)
        shutil.copytree(src, dst)
    return target


def _exporter(page_dir: Path, vendor: Path):
    from nbconvert import HTMLExporter

    config = pages.exporter_config(page_dir, vendor)
    config.pop("reveal_url_prefix")
    config.pop("jquery_url")
    return HTMLExporter(extra_template_basedirs=[str(pages.TEMPLATES)],
                        template_name="crmlab_site", **config)


def _switch(stem: str, language: str, languages: dict[str, list[Path]], out: Path):
    """Links from one page to the same chapter in every other edition."""
    here = _page_dir(out, language)
    links = []
    for other, notebooks in languages.items():
        if other == language:
            continue
        there = _page_dir(out, other)
        page = _page_name(stem) if any(p.stem == stem for p in notebooks) else "index.html"
        links.append((pages.relative(there / page, here),
                      (other, LANGUAGE_NAMES.get(other, other))))
    return links


def export_page(notebook: Path, language: str, languages: dict[str, list[Path]], *,
                titles: dict[str, dict[str, str]], out: Path, vendor: Path,
                static: Path) -> Path:
    """Write one chapter page; return its path."""
    page_dir = _page_dir(out, language)
    page_dir.mkdir(parents=True, exist_ok=True)
    nb = nbformat.read(notebook, as_version=4)
    teacher = next((c.get("id") for c in nb.cells
                    if "teacher" in c.metadata.get("tags", [])), None)
    chapters = [(_page_name(stem), title, stem == notebook.stem)
                for stem, title in titles[language].items()]
    resources = {
        "metadata": {"name": titles[language][notebook.stem]},
        "crmlab": {
            "static": pages.relative(static, page_dir),
            "home": "index.html",
            "labels": _labels(language),
            "chapters": chapters,
            "teacher": teacher,
            "switch": _switch(notebook.stem, language, languages, out),
        },
    }
    body, _ = _exporter(page_dir, vendor).from_notebook_node(nb, resources=resources)
    path = page_dir / _page_name(notebook.stem)
    path.write_text(pages.fix_links(body, index_stem=INDEX_STEM), encoding="utf-8")
    return path


def build_site(out: Path = OUT, *, root: Path = ROOT, quiet: bool = False) -> list[Path]:
    """Build the whole site into ``out``; return the pages written (index pages first)."""
    out = Path(out)
    start = time.perf_counter()
    vendor_src = assets.ensure(quiet=quiet)
    vendor = _copy_vendor(vendor_src, out / "_vendor")
    static = out / "_static"
    webfont.write(static, root)
    (static / "site.css").write_text(SITE_CSS.lstrip(), encoding="utf-8")
    languages = pages.editions(root)
    titles = {lang: {p.stem: pages.chapter_title(nbformat.read(p, as_version=4), p.stem)
                     for p in notebooks} for lang, notebooks in languages.items()}
    written = []
    for lang, notebooks in languages.items():
        for nb in notebooks:
            written.append(export_page(nb, lang, languages, titles=titles, out=out,
                                       vendor=vendor, static=static))
            if not quiet:
                print(f"wrote {written[-1].relative_to(out)}")
    if not quiet:
        print(f"{len(written)} pages in {out} ({time.perf_counter() - start:.1f} s); "
              f"open {out / 'index.html'}")
    return written


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The options of ``crmlab site``."""
    parser.add_argument("--out", default=str(OUT), help=f"output folder (default {OUT})")
    return parser


def run(args) -> int:
    return 0 if build_site(Path(args.out)) else 1


def main(argv: list[str] | None = None, *, prog: str = "crmlab site") -> int:
    parser = add_arguments(argparse.ArgumentParser(
        prog=prog, description=__doc__.splitlines()[0]))
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
