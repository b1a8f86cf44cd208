"""What the slides and the course site share: the executed chapters of every edition,
their titles, and the nbconvert settings that keep a page offline.

The chapters are whatever the build wrote: ``solutions/NN_name.ipynb`` (English) and
``solutions/LANG/NN_name.ipynb`` for every other language, so a new chapter or a new
language appears in the slides and on the site without any change here.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from . import assets, build

__all__ = ["TEMPLATES", "chapter_title", "editions", "exporter_config", "fix_links",
           "relative"]

ROOT = build.ROOT
#: nbconvert templates shipped with crmlab (``crmlab_reveal``, ``crmlab_site``).
TEMPLATES = Path(__file__).resolve().parent / "templates"


def editions(root: Path = ROOT) -> dict[str, list[Path]]:
    """``{language: [executed solution notebooks in chapter order]}``, English first."""
    base = Path(root) / "solutions"
    found = {"en": sorted(base.glob("[0-9][0-9]_*.ipynb"))}
    for folder in sorted(p for p in base.iterdir() if p.is_dir() and re.fullmatch(r"[a-z]{2,3}(_[A-Za-z]+)?", p.name)):
        notebooks = sorted(folder.glob("[0-9][0-9]_*.ipynb"))
        if notebooks:
            found[folder.name] = notebooks
    return {lang: nbs for lang, nbs in found.items() if nbs}


def chapter_title(nb: nbformat.NotebookNode, fallback: str = "") -> str:
    """The text of the notebook's first ``#`` heading (markdown emphasis removed)."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        match = re.search(r"^# +(.+?)\s*$", cell.source, re.M)
        if match:
            return re.sub(r"[*_`]", "", match.group(1))
    return fallback


def relative(target: Path, page_dir: Path) -> str:
    """``target`` as a URL relative to a page in ``page_dir``."""
    import os

    return Path(os.path.relpath(target, page_dir)).as_posix()


def exporter_config(page_dir: Path, vendor: Path) -> dict:
    """Exporter traits that point every script of a page at the local copies in ``vendor``
    (reveal.js, require.js, jQuery, the widget embed script, MathJax)."""
    urls = assets.urls(page_dir, vendor)
    return {"require_js_url": urls["require_js_url"], "jquery_url": urls["jquery_url"],
            "widget_renderer_url": urls["widget_renderer_url"],
            "mathjax_url": urls["mathjax_url"], "reveal_url_prefix": urls["reveal_url_prefix"]}


_HREF = re.compile(r'href="(?![a-z]+:|#|/)([^"#?]*?)([0-9]{2}_[^"#?/]*)\.ipynb((?:#[^"]*)?)"')


def fix_links(html: str, *, suffix: str = ".html", index_stem: str | None = "00_start_here"
              ) -> str:
    """Links between chapters (``02_man_case.ipynb``) become links between pages
    (``02_man_case.html``; the start page is ``index.html``)."""
    def repl(m):
        stem = m.group(2)
        page = "index" if stem == index_stem else stem
        return f'href="{m.group(1)}{page}{suffix}{m.group(3)}"'
    return _HREF.sub(repl, html)


def external_urls(html: str) -> list[str]:
    """The http(s) URLs a page would *load* (script src, link href, img src, CSS url())."""
    loads = re.findall(r'<(?:script|img|iframe|source)\b[^>]*\bsrc="(https?://[^"]+)"', html)
    loads += re.findall(r'<link\b[^>]*\bhref="(https?://[^"]+)"', html)
    loads += re.findall(r'@import\s+url\(["\']?(https?://[^)"\']+)', html)
    loads += re.findall(r'\bimport\(["\'](https?://[^"\']+)', html)
    return loads
