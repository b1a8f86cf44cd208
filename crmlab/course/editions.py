"""Language editions of a chapter, all cut from its one source.

A chapter source holds every language. Code cells are shared: the English and the
Chinese edition run the same code, on the same data, with the same exercise ids. Prose is
written twice: each English markdown cell is followed by its translation, a markdown cell
whose metadata says which language it is and which English text it translates::

    ## 3. The customer base

    +++ {"lang": "zh", "translates": "4be3c8f0a1d2"}

    ## 3. 客户群体

``translates`` is the start of the sha256 of the English cell. When the English text
changes, the hash no longer matches and :func:`translation_problems` (run by the tests)
names the cell, so a translation cannot silently fall behind its source. After updating
the translation, ``crmlab translations --stamp`` records the new hash.

A markdown cell with nothing to translate (a formula, a table of numbers) carries
``{"lang": "any"}`` and appears in every edition.

Chinese is written without spaces between words, but a source line break inside a
paragraph renders as a space in a browser, so the Chinese edition joins a line that ends
in a Chinese character or punctuation mark to the next line when that one starts with one
(:func:`join_cjk_lines`; code blocks, tables and list items are left as they are).

The only code difference between editions is the language the chapter's first code cell
sets: the source says ``crmlab.set_language("en")``, the Chinese edition
``crmlab.set_language("zh")``, so check feedback, widget labels and figures speak the
edition's language.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import nbformat

__all__ = ["LANGUAGE_CALL", "edition", "join_cjk_lines", "languages", "stamp_translations", "translates",
           "translation_problems"]

#: The call each chapter's first code cell makes, as written in the source.
LANGUAGE_CALL = 'crmlab.set_language("en")'
_ZH_LINE = re.compile(r'^\+\+\+ (\{.*"lang": *"(?!any)\w+".*\})[ \t]*$', re.M)


def translates(english_source: str) -> str:
    """The hash a translation records of the English cell it translates."""
    return hashlib.sha256(english_source.strip().encode("utf-8")).hexdigest()[:12]


def languages(nb: nbformat.NotebookNode) -> list[str]:
    """The languages a chapter source is written in: English and every translation."""
    found = {c.metadata.get("lang") for c in nb.cells if c.cell_type == "markdown"}
    return ["en", *sorted(found - {None, "any", "en"})]


#: Chinese ideographs, CJK and full-width punctuation, and the curly quotes Chinese uses.
_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef\u2018\u2019\u201c\u201d"
_ENDS_CJK = re.compile(rf"[{_CJK}]$")
_STARTS_CJK = re.compile(rf"(?:\*\*)?[{_CJK}]")
_FENCE = re.compile(r"[ \t]*(```|~~~)")


def join_cjk_lines(markdown: str) -> str:
    r"""``markdown`` with the line breaks between two Chinese characters removed.

    A break inside a paragraph shows as a space in a browser; between two Chinese
    characters that space is wrong. Fenced code blocks, headings, table rows and hard
    breaks (two trailing spaces or a backslash) are left as they are; a line that starts
    a list item, a table row or a quote starts with a marker, not a Chinese character, so
    it is never joined to the line above.

    Examples
    --------
    >>> join_cjk_lines("客户识别是\n客户关系管理的起点。\n\n之后讲\nRFM 模型。")
    '客户识别是客户关系管理的起点。\n\n之后讲\nRFM 模型。'
    >>> join_cjk_lines("- 第一项，\n  接着写\n- 第二项")
    '- 第一项，接着写\n- 第二项'
    >>> join_cjk_lines("## 标题\n正文")
    '## 标题\n正文'
    """
    out: list[str] = []
    inside = joinable = False
    for line in markdown.split("\n"):
        if _FENCE.match(line):
            inside = not inside
        elif not inside and joinable and _STARTS_CJK.match(line.lstrip()):
            out[-1] += line.lstrip()
            joinable = bool(_ENDS_CJK.search(line))
            continue
        out.append(line)
        joinable = (not inside and bool(_ENDS_CJK.search(line))
                    and not line.lstrip().startswith(("#", "|")))
    return "\n".join(out)


def _twin(cells, i: int):
    """The translation that follows English cell ``i``, if any (one per language)."""
    found = {}
    for cell in cells[i + 1:]:
        lang = cell.metadata.get("lang") if cell.cell_type == "markdown" else None
        if lang in (None, "any", "en"):
            break
        found[lang] = cell
    return found


def edition(nb: nbformat.NotebookNode, language: str) -> nbformat.NotebookNode:
    """The ``language`` edition of a chapter source: that language's prose, the shared
    code (set to speak ``language``), no translation metadata."""
    copy = nbformat.reads(nbformat.writes(nb), as_version=4)
    cells = []
    for i, cell in enumerate(copy.cells):
        lang = cell.metadata.get("lang") if cell.cell_type == "markdown" else None
        if lang not in (None, "any") and lang != language:
            continue
        if lang is None and cell.cell_type == "markdown" and language != "en" \
                and language in _twin(copy.cells, i):
            continue
        if cell.cell_type == "code" and language != "en":
            cell.source = cell.source.replace(LANGUAGE_CALL,
                                              LANGUAGE_CALL.replace('"en"', f'"{language}"'))
        if lang == "zh":
            cell.source = join_cjk_lines(cell.source)
        cell.metadata.pop("lang", None)
        cell.metadata.pop("translates", None)
        cells.append(cell)
    copy.cells = cells
    copy.metadata["language_info"] = {"name": "python"}
    copy.metadata.setdefault("crmlab", {})["language"] = language
    return copy


def translation_problems(nb: nbformat.NotebookNode, language: str, *,
                         name: str = "chapter") -> list[str]:
    """Why the ``language`` edition of ``nb`` is not a full, current translation: English
    cells without a translation, translations of a changed English cell, no language call."""
    problems = []
    cells = nb.cells
    for i, cell in enumerate(cells):
        if cell.cell_type != "markdown" or cell.metadata.get("lang") is not None:
            continue
        twin = _twin(cells, i).get(language)
        first = cell.source.strip().splitlines()[0][:60] if cell.source.strip() else ""
        if twin is None:
            problems.append(f"{name}: cell {i} has no {language} translation: {first!r}")
        elif twin.metadata.get("translates") != translates(cell.source):
            problems.append(f"{name}: cell {i + 1} translates an older version of cell {i} "
                            f"({first!r}); update it, then `crmlab translations --stamp`")
    code = [c for c in cells if c.cell_type == "code"]
    if code and LANGUAGE_CALL not in code[0].source:
        problems.append(f"{name}: the first code cell does not call {LANGUAGE_CALL}")
    return problems


def stamp_translations(path: Path) -> int:
    """Record, in each translation cell of the source ``path``, the hash of the English
    cell it now translates. Returns how many cells changed. Only the ``+++ {...}`` lines
    are rewritten; the rest of the file keeps its bytes."""
    import jupytext

    path = Path(path)
    text = path.read_text(encoding="utf-8")
    nb = jupytext.reads(text, fmt="md:myst")
    hashes = []
    english = None
    for cell in nb.cells:
        lang = cell.metadata.get("lang") if cell.cell_type == "markdown" else None
        if lang is None:
            english = cell.source if cell.cell_type == "markdown" else None
        elif lang != "any":
            hashes.append(translates(english) if english is not None else None)
    lines = list(_ZH_LINE.finditer(text))
    if len(lines) != len(hashes):
        raise ValueError(f"{path}: found {len(lines)} translation markers for "
                         f"{len(hashes)} translation cells; write each as one line "
                         f'`+++ {{"lang": "zh"}}`')
    changed = 0
    for match, digest in zip(reversed(lines), reversed(hashes)):
        meta = json.loads(match.group(1))
        if digest is None or meta.get("translates") == digest:
            continue
        meta["translates"] = digest
        line = "+++ " + json.dumps(meta, ensure_ascii=False)
        text = text[:match.start()] + line + text[match.end():]
        changed += 1
    if changed:
        path.write_text(text, encoding="utf-8")
    return changed
