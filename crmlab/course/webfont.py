"""Chinese on any screen: the bundled Noto Sans SC served as a small web font.

crmlab's figures render Chinese everywhere because :mod:`crmlab.plotting.core` registers
Noto Sans SC (OFL-1.1, from the ``pylopdf-fonts-zh-cn`` wheel) with matplotlib. Pages —
a Voila dashboard, the slides, the course site — are drawn by the browser, which on a
machine with no CJK font shows boxes for the Chinese prose and widget labels. So the
pages carry the same font as a web font: a subset holding every character the course
writes (chapter sources, generated notebooks and their outputs, translation catalogs,
the term list, the data files' text and the pages' own labels), compressed as WOFF2.
It comes last in every font list, so Latin text keeps the page's own font and a
machine's installed CJK font is not used for Chinese (the pages look the same everywhere).
The lists leave out ``system-ui``: Chromium on Linux resolves that family through the
platform's own fallback and draws boxes for Chinese before trying the next family. The
face declares no weight range, so the browser draws bold headings by emboldening it.

The subset is deterministic: the same characters give byte-identical files (the font's
timestamp is kept, glyph order follows the original font), so its name carries a hash of
its bytes and a browser may cache it forever.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
from importlib import resources
from pathlib import Path

__all__ = ["FAMILY", "PAGE_LABELS", "css", "font_bytes", "subset", "used_characters",
           "used_text", "write"]

ROOT = Path(__file__).resolve().parent.parent.parent
#: The family name pages use for the subset (not the system font's name, so an installed
#: Noto Sans SC is never mistaken for it).
FAMILY = "crmlab Noto Sans SC"

#: The pages' own words (navigation of the site, slide and dashboard chrome), per language.
PAGE_LABELS = {
    "en": {"course": "crmlab course site", "chapters": "Chapters", "start": "Start here",
           "teacher": "For the teacher", "language": "中文", "code": "code",
           "slides": "slides", "edition": "English edition"},
    "zh": {"course": "crmlab 课程网站", "chapters": "章节", "start": "从这里开始",
           "teacher": "教师参考", "language": "English", "code": "代码",
           "slides": "幻灯片", "edition": "中文版"},
}

#: Always kept, whatever the text: ASCII, CJK and full-width punctuation a label may use.
_ALWAYS = "".join(map(chr, range(0x20, 0x7F))) + "，。、：；！？（）《》「」『』【】“”‘’—…·￥％"


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _text_files(root: Path) -> list[Path]:
    root = Path(root)
    files = sorted((root / "notebooks").glob("*.md"))
    files += sorted((root / "crmlab" / "locale").rglob("*.po"))
    files += sorted((root / "crmlab" / "locale").glob("*.csv"))
    files += sorted(p for p in (root / "datasets").glob("*")
                    if p.suffix in {".csv", ".json", ".md"} and p.stat().st_size < 2_000_000)
    return files


def used_text(root: Path = ROOT) -> str:
    """Every text the pages can show: sources, catalogs, terms, data files' text, every
    string in the generated notebooks (outputs included) and :data:`PAGE_LABELS`."""
    root = Path(root)
    parts = [p.read_text(encoding="utf-8", errors="replace") for p in _text_files(root)]
    for folder in ("solutions", "exercises"):
        for nb in sorted((root / folder).rglob("*.ipynb")):
            try:
                parts.extend(_strings(json.loads(nb.read_text(encoding="utf-8"))))
            except ValueError:
                continue
    parts.extend(_strings(PAGE_LABELS))
    return "\n".join(parts)


def _font_path() -> Path:
    from ..plotting.core import BUNDLED_FONT

    package, filename, _family = BUNDLED_FONT
    return Path(str(resources.files(package) / filename))


def used_characters(root: Path = ROOT) -> str:
    """The sorted characters of :func:`used_text` that the bundled font draws, plus ASCII
    and common Chinese punctuation."""
    from fontTools.ttLib import TTFont

    with TTFont(_font_path(), lazy=True) as font:
        cmap = font.getBestCmap()
    chars = set(used_text(root)) | set(_ALWAYS)
    return "".join(sorted(c for c in chars if ord(c) in cmap))


def subset(characters: str) -> bytes:
    """WOFF2 bytes of the bundled font cut to ``characters`` (deterministic)."""
    from fontTools.ttLib import TTFont

    with TTFont(_font_path(), recalcTimestamp=False, recalcBBoxes=True) as font:
        return _cut(font, characters)


def _cut(font, characters: str) -> bytes:
    from fontTools import subset as fts

    options = fts.Options()
    options.flavor = "woff2"
    options.hinting = False
    options.name_IDs = ["*"]          # keep the copyright and OFL licence records
    options.name_languages = ["*"]
    options.notdef_outline = True
    sub = fts.Subsetter(options)
    sub.populate(unicodes=sorted({ord(c) for c in characters}))
    sub.subset(font)
    font.flavor = "woff2"
    out = io.BytesIO()
    font.save(out, reorderTables=True)
    return out.getvalue()


_CACHE: dict[str, bytes] = {}


def font_bytes(root: Path = ROOT, *, cache: Path | None = None) -> bytes:
    """The subset for everything the course shows today. Cut once per set of characters:
    kept in memory and in ``cache`` (default ``build/webfont/cache``, git-ignored)."""
    chars = used_characters(root)
    if chars not in _CACHE:
        folder = Path(cache) if cache else Path(root) / "build" / "webfont" / "cache"
        key = hashlib.sha256(chars.encode("utf-8")).hexdigest()[:16]
        stored = folder / f"{key}.woff2"
        if stored.exists():
            _CACHE[chars] = stored.read_bytes()
        else:
            _CACHE[chars] = subset(chars)
            folder.mkdir(parents=True, exist_ok=True)
            partial = stored.with_suffix(f".{os.getpid()}.part")
            partial.write_bytes(_CACHE[chars])
            os.replace(partial, stored)        # atomic: a parallel reader sees all or nothing
    return _CACHE[chars]


def css(url: str, *, extra: str = "") -> str:
    """The style sheet that loads the font from ``url`` (a path or a ``data:`` URL) and puts
    it last in the fonts of prose, widgets, tables, slides and SVG charts."""
    return f"""@font-face {{
  font-family: "{FAMILY}";
  src: url("{url}") format("woff2");
  font-display: block;
}}
:root {{
  --crmlab-sans: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif, "{FAMILY}";
  --crmlab-mono: "DejaVu Sans Mono", Menlo, Consolas, monospace, "{FAMILY}";
  --jp-ui-font-family: var(--crmlab-sans);
  --jp-content-font-family: var(--crmlab-sans);
  --jp-code-font-family: var(--crmlab-mono);
  --jp-code-font-family-default: var(--crmlab-mono);
}}
body, .jp-Notebook, .jp-RenderedHTMLCommon, .jp-RenderedMarkdown, .jp-OutputArea,
.jupyter-widgets, .widget-label, .widget-html, .widget-inline-hbox, .widget-readout,
.widget-dropdown select, .jupyter-widget-dropdown select, .jp-RenderedHTMLCommon table,
.reveal, .reveal h1, .reveal h2, .reveal h3, .reveal h4, .reveal p, .reveal li,
svg text, .crmlab-nav, [style*="font-family:sans-serif"], [style*="font-family: sans-serif"],
[font-family="sans-serif"] {{
  font-family: var(--crmlab-sans) !important;
}}
pre, code, .jp-InputArea-editor, .jp-RenderedText pre, .CodeMirror {{
  font-family: var(--crmlab-mono) !important;
}}
{extra}"""


def data_url(data: bytes) -> str:
    """``data:`` URL of font bytes (for a page that must be a single file, e.g. Voila)."""
    return "data:font/woff2;base64," + base64.b64encode(data).decode("ascii")


def write(folder: Path, root: Path = ROOT) -> tuple[Path, Path]:
    """Write ``crmlab-sc.<hash>.woff2`` and ``crmlab-fonts.css`` into ``folder``; returns both
    paths. Stale subsets of earlier builds are removed."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    data = font_bytes(root)
    name = f"crmlab-sc.{hashlib.sha256(data).hexdigest()[:12]}.woff2"
    for old in folder.glob("crmlab-sc.*.woff2"):
        if old.name != name:
            old.unlink()
    font = folder / name
    if not font.exists() or font.read_bytes() != data:
        font.write_bytes(data)
    style = folder / "crmlab-fonts.css"
    style.write_text(css(name), encoding="utf-8")
    return font, style


if __name__ == "__main__":   # python -m crmlab.course.webfont [FOLDER]
    import sys

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "webfont"
    f, _s = write(target)
    print(f"{f} ({f.stat().st_size / 1024:.0f} KiB, {len(used_characters())} characters)")
