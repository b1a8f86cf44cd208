"""crmlab.course.editions: the English and Chinese editions are cut from one source, run
the same code, and a translation cannot fall behind its English text unnoticed."""

import re

import jupytext
import nbformat
import pytest

from crmlab.course import build, cli, editions

TOY = '''---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
---

# Title

Some prose.

+++ {"lang": "zh", "translates": "%s"}

# 标题

一些文字。

```{code-cell} ipython3
import crmlab
crmlab.set_language("en")   # language
x = 1 + 1
print(x)
```

$$x = 1 + 1$$

+++ {"lang": "any"}

$$y = 2$$

+++

More prose.

+++ {"lang": "zh"}

更多文字。
'''


TRANSLATED_SOURCES = build.chapters()


def _toy(tmp_path, digest=None):
    path = tmp_path / "notebooks" / "07_toy.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(TOY % (digest or editions.translates("# Title\n\nSome prose.")),
                    encoding="utf-8")
    return path


def _markdown(nb):
    return [c.source for c in nb.cells if c.cell_type == "markdown"]


def test_each_edition_has_its_own_prose_and_the_same_code(tmp_path):
    nb = jupytext.read(_toy(tmp_path), fmt="md:myst")
    assert editions.languages(nb) == ["en", "zh"]
    en, zh = editions.edition(nb, "en"), editions.edition(nb, "zh")
    assert _markdown(en) == ["# Title\n\nSome prose.", "$$x = 1 + 1$$", "$$y = 2$$",
                             "More prose."]
    assert _markdown(zh) == ["# 标题\n\n一些文字。", "$$x = 1 + 1$$", "$$y = 2$$", "更多文字。"]
    code = [c.source for c in en.cells if c.cell_type == "code"]
    assert [c.source for c in zh.cells if c.cell_type == "code"] == [
        code[0].replace('set_language("en")', 'set_language("zh")')]
    assert all("lang" not in c.metadata for c in zh.cells)


def test_the_chinese_edition_joins_lines_broken_between_chinese_characters(tmp_path):
    """A source line break inside a Chinese paragraph renders as a space in a browser."""
    text = ("## 客户识别\n客户识别是\n  客户关系管理的起点，\n**重点**在于\n认识客户。\n\n"
            "- 第一项，\n  接着写\n- 第二项\n\n见\nRFM 一章。\n\n```\n代码\n不动\n```\n"
            "硬换行  \n保留")
    assert editions.join_cjk_lines(text) == (
        "## 客户识别\n客户识别是客户关系管理的起点，**重点**在于认识客户。\n\n"
        "- 第一项，接着写\n- 第二项\n\n见\nRFM 一章。\n\n```\n代码\n不动\n```\n"
        "硬换行  \n保留")
    path = _toy(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("一些文字。", "一些\n文字。"),
                    encoding="utf-8")
    nb = jupytext.read(path, fmt="md:myst")
    assert "# 标题\n\n一些文字。" in _markdown(editions.edition(nb, "zh"))


@pytest.mark.parametrize("source", TRANSLATED_SOURCES, ids=lambda p: p.stem)
def test_no_chinese_paragraph_of_a_built_edition_has_a_soft_break(source):
    zh = nbformat.read(build.notebook_path(source, "exercises", "zh"), as_version=4)
    for cell in zh.cells:
        if cell.cell_type == "markdown":
            assert editions.join_cjk_lines(cell.source) == cell.source, cell.source[:80]


def test_missing_and_stale_translations_are_named(tmp_path):
    path = _toy(tmp_path, digest="000000000000")
    nb = jupytext.read(path, fmt="md:myst")
    problems = editions.translation_problems(nb, "zh", name="07_toy.md")
    assert problems == [
        "07_toy.md: cell 1 translates an older version of cell 0 ('# Title'); update it, then "
        "`crmlab translations --stamp`",
        "07_toy.md: cell 3 has no zh translation: '$$x = 1 + 1$$'",
        "07_toy.md: cell 6 translates an older version of cell 5 ('More prose.'); update it, "
        "then `crmlab translations --stamp`",
    ]


def test_stamping_records_the_hashes_and_changes_only_the_marker_lines(tmp_path):
    path = _toy(tmp_path, digest="000000000000")
    before = path.read_text(encoding="utf-8").splitlines()
    assert editions.stamp_translations(path) == 2
    after = path.read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert len(before) == len(after) and len(changed) == 2
    assert all(a.startswith("+++ {") and b.startswith("+++ {") for a, b in changed)
    nb = jupytext.read(path, fmt="md:myst")
    assert editions.translation_problems(nb, "zh") == [
        "chapter: cell 3 has no zh translation: '$$x = 1 + 1$$'"]
    assert editions.stamp_translations(path) == 0


def test_an_edited_english_cell_makes_its_translation_stale(tmp_path):
    path = _toy(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("Some prose.", "Some new prose."),
                    encoding="utf-8")
    nb = jupytext.read(path, fmt="md:myst")
    assert "cell 1 translates an older version of cell 0" in editions.translation_problems(
        nb, "zh")[0]


def test_build_writes_each_edition_where_a_student_looks(tmp_path):
    source = _toy(tmp_path)
    written = build.build(source, root=tmp_path, run=False)
    assert [p.relative_to(tmp_path).as_posix() for p in written] == [
        "exercises/07_toy.ipynb", "solutions/07_toy.ipynb",
        "exercises/zh/07_toy.ipynb", "solutions/zh/07_toy.ipynb"]
    zh = nbformat.read(tmp_path / "exercises" / "zh" / "07_toy.ipynb", as_version=4)
    assert zh.metadata["crmlab"]["language"] == "zh"
    # unexecuted solutions are reported as such, and nothing else is out of sync
    assert build.out_of_sync(source, root=tmp_path) == [
        f"solutions/{lang}07_toy.ipynb was executed with other crmlab code or data"
        for lang in ("", "zh/")]


def test_workspace_copies_the_chosen_edition(tmp_path):
    build.build(_toy(tmp_path), root=tmp_path, run=False)
    assert cli.main(["workspace", "--root", str(tmp_path), "--language", "zh"]) == 0
    assert (tmp_path / "work" / "zh" / "07_toy.ipynb").exists()
    assert not (tmp_path / "work" / "07_toy.ipynb").exists()


# ------------------------------------------------------------------ the real chapters
TRANSLATED = [c for c in build.chapters() if len(editions.languages(build.read_source(c))) > 1]


@pytest.mark.parametrize("source", TRANSLATED, ids=lambda p: p.stem)
def test_translations_are_complete_and_current(source):
    nb = build.read_source(source)
    for lang in editions.languages(nb)[1:]:
        assert editions.translation_problems(nb, lang, name=source.name) == []


def _numbers(cell):
    text = []
    for out in cell.get("outputs", []):
        text.append(out.get("text", ""))
        data = out.get("data", {})
        if "application/vnd.jupyter.widget-view+json" in data:
            # a saved widget: its static snapshot draws the chart at label-dependent
            # positions; the dashboard's numbers are checked through its static twin cell
            text.append(data.get("text/plain", ""))
            continue
        text.append(data.get("text/plain", "") if "text/html" not in data else data["text/html"])
    # a number, with thousands separators and decimals, not the punctuation after it
    return sorted(re.findall(r"-?\d+(?:,\d{3})*(?:\.\d+)?", "\n".join(text)))


@pytest.mark.parametrize("source", TRANSLATED, ids=lambda p: p.stem)
def test_the_editions_run_the_same_code_and_compute_the_same_numbers(source):
    en = nbformat.read(build.notebook_path(source, "solutions"), as_version=4)
    zh = nbformat.read(build.notebook_path(source, "solutions", "zh"), as_version=4)
    en_code = [c for c in en.cells if c.cell_type == "code"]
    zh_code = [c for c in zh.cells if c.cell_type == "code"]
    assert [c.source.replace('"en"', '"zh"') for c in en_code] == [
        c.source.replace('"en"', '"zh"') for c in zh_code]
    for a, b in zip(en_code, zh_code):
        if "translated-output" in a.metadata.get("tags", []):
            continue    # its output is translated text (exercise prompts), not computed numbers
        if any(o.get("output_type") == "display_data" and "image/png" in o.get("data", {})
               for o in a.get("outputs", [])):
            continue    # a figure: its labels are translated, its numbers are in the code
        assert _numbers(a) == _numbers(b), a.source[:80]


@pytest.mark.parametrize("source", build.chapters(), ids=lambda p: p.stem)
def test_every_chapter_has_a_chinese_edition(source):
    """Issue 11: the whole suite in both languages; a new chapter is written in both."""
    assert "zh" in editions.languages(build.read_source(source))
    assert build.notebook_path(source, "exercises", "zh").exists()
