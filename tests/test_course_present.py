"""Teachers' tools without a browser: slide structure, decks, the course site, the web
font, the vendored front-end files, the Voila lesson, its live-slides template (rendered
by Voila's own exporter, no kernel) and trusting the solutions.

The deck and site tests need the pinned npm packages (fetched once into build/vendor with
``npm pack``); they skip, saying so, on a machine without npm and without those files.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import shutil
import tarfile
import unicodedata
from html import unescape
from pathlib import Path

import nbformat
import pytest

from crmlab.course import (assets, build, pages, present, site, slides, snapshots, trust,
                           webfont)

ROOT = build.ROOT
MAN = ROOT / "notebooks" / "02_man_case.md"


def _cjk(text: str) -> set[str]:
    return {c for c in text if unicodedata.name(c, "").startswith("CJK UNIFIED IDEOGRAPH")}


def _md(source: str, **metadata) -> nbformat.NotebookNode:
    return nbformat.v4.new_markdown_cell(source, metadata=metadata)


@pytest.fixture(scope="module")
def vendor():
    try:
        return assets.ensure(quiet=True)
    except RuntimeError as err:
        pytest.skip(f"front-end files not available: {err}")


# --- slide structure ---------------------------------------------------------------------

def test_slide_type_follows_headings_and_tags():
    assert slides.slide_type(_md("# Chapter 2")) == "slide"
    assert slides.slide_type(_md("\n## 1. The MAN rule\n\ntext")) == "slide"
    assert slides.slide_type(_md("### 4.1 Bank E")) == "subslide"
    assert slides.slide_type(_md("#### detail")) == "-"
    assert slides.slide_type(_md("Some prose with ## inside")) == "-"
    assert slides.slide_type(_md("## For the teacher", tags=["teacher"])) == "skip"
    code = nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["solution"]})
    assert slides.slide_type(code) == "skip"
    assert slides.slide_type(nbformat.v4.new_code_cell("x = 1")) == "-"


def test_slide_plan_own_metadata_wins_and_the_first_cell_opens_a_slide():
    nb = nbformat.v4.new_notebook(cells=[
        _md("Intro without heading"),
        _md("## Section", slideshow={"slide_type": "fragment"}),
        _md("### Sub"),
        nbformat.v4.new_code_cell("1"),
    ])
    nb.cells[3]["id"] = "c3"
    planned = slides.slide_plan(nb, {"c3": {"slide_type": "notes"}})
    assert [c.metadata.slideshow["slide_type"] for c in planned.cells] == \
        ["slide", "fragment", "subslide", "notes"]
    assert "slideshow" not in nb.cells[0].metadata      # the input is not changed


def test_slide_metadata_written_in_a_myst_source_survives_and_the_translation_inherits_it(
        tmp_path):
    source = tmp_path / "09_demo.md"
    source.write_text(
        "---\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\n"
        "kernelspec:\n  display_name: Python 3\n  language: python\n  name: python3\n---\n\n"
        "# Demo\n\n+++ {\"lang\": \"zh\"}\n\n# 演示\n\n"
        "+++ {\"slideshow\": {\"slide_type\": \"fragment\"}}\n\nA point.\n\n"
        "+++ {\"lang\": \"zh\"}\n\n一个要点。\n\n"
        "```{code-cell} ipython3\n---\nslideshow:\n  slide_type: skip\n---\nx = 1\n```\n",
        encoding="utf-8")
    nb = build.read_source(source)
    assert nb.cells[2].metadata["slideshow"] == {"slide_type": "fragment"}
    found = slides.source_overrides(source)
    ids = [c.id for c in nb.cells]
    assert found == {ids[2]: {"slide_type": "fragment"}, ids[3]: {"slide_type": "fragment"},
                     ids[4]: {"slide_type": "skip"}}


def test_deck_of_the_chinese_man_chapter(vendor, tmp_path):
    path = slides.export(build.notebook_path(MAN, "solutions", "zh"), "zh", out=tmp_path,
                         vendor=vendor)
    html = path.read_text(encoding="utf-8")
    solution = nbformat.read(build.notebook_path(MAN, "solutions", "zh"), as_version=4)
    shown = [c for c in solution.cells
             if not {"teacher", "solution"} & set(c.metadata.get("tags", []))]
    heads = [c for c in shown if c.cell_type == "markdown"
             and re.match(r"#{1,3} ", c.source.lstrip())]
    # one <section> per slide and one per sub-slide, plus the wrapper of each slide's stack
    n_slides = sum(1 for c in heads if re.match(r"#{1,2} ", c.source.lstrip()))
    assert html.count("<section") == len(heads) + n_slides
    assert "第2章 · MAN法则案例" in html
    assert "教师参考" not in html                 # the teacher's section is skipped
    assert "ranking_bar(man.score_bank_case" not in html   # hide-input code is hidden
    assert "application/vnd.jupyter.widget-state+json" in html
    assert pages.external_urls(html) == []
    for url in re.findall(r'(?:src|href)="(\.\.?/[^"?#]+)', html):
        assert (path.parent / url).resolve().exists(), url
    for script in ("reveal.js/dist/reveal", "mathjax/MathJax.js", "html-manager/dist/embed-amd.js",
                   "requirejs/require.js", "jquery/dist/jquery.min.js"):
        assert script in html


# --- the site ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def small_site(vendor, tmp_path_factory):
    """The site of a course with two chapters (start page and MAN), both languages."""
    root = tmp_path_factory.mktemp("course")
    for sub in ("notebooks", "solutions/zh", "datasets", "crmlab/locale"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    for stem in ("00_start_here", "02_man_case"):
        shutil.copy(ROOT / "notebooks" / f"{stem}.md", root / "notebooks")
        shutil.copy(ROOT / "solutions" / f"{stem}.ipynb", root / "solutions")
        shutil.copy(ROOT / "solutions" / "zh" / f"{stem}.ipynb", root / "solutions" / "zh")
    out = root / "build" / "site"
    return out, site.build_site(out, root=root, quiet=True)


def test_site_pages_links_and_switches(small_site):
    out, written = small_site
    assert sorted(p.relative_to(out).as_posix() for p in written) == \
        ["02_man_case.html", "index.html", "zh/02_man_case.html", "zh/index.html"]
    for page in written:
        html = page.read_text(encoding="utf-8")
        assert pages.external_urls(html) == [], page
        assert ".ipynb\"" not in html
        for url in re.findall(r'(?:src|href)="(?![a-z]+:)([^"#?]+)[^"]*"', html):
            chapter = re.search(r"(\d\d_\w+)\.html$", url)
            if chapter and chapter.group(1) not in ("02_man_case",):
                continue        # the start page links chapters this small course lacks
            assert (page.parent / url).resolve().exists(), (page.name, url)
    en, zh = (out / "02_man_case.html").read_text(), (out / "zh/02_man_case.html").read_text()
    assert '<a class="crmlab-lang" href="zh/02_man_case.html" lang="zh">中文</a>' in en
    assert '<a class="crmlab-lang" href="../02_man_case.html" lang="en">English</a>' in zh
    # the teacher's plan and questions are on the page, and the bar links to them
    assert 'id="crmlab-teacher"' in en and 'href="#crmlab-teacher"' in en
    assert "The courseware&#39;s discussion questions" in en or \
        "The courseware's discussion questions" in en
    assert "课件的讨论题" in zh
    # boilerplate folded, other code shown; widgets from the saved state
    assert en.count('<details class="crmlab-fold">') == sum(
        "hide-input" in c.metadata.get("tags", [])
        for c in nbformat.read(ROOT / "solutions/02_man_case.ipynb", as_version=4).cells)
    assert "application/vnd.jupyter.widget-state+json" in en
    # the index is the start page: chapter map and glossary, links to chapter pages
    index = (out / "zh" / "index.html").read_text()
    assert "章节对照" in index and "术语表" in index and 'href="02_man_case.html"' in index


def test_site_ships_its_scripts_and_font(small_site):
    out, _ = small_site
    for name in site.SITE_VENDOR:
        assert (out / "_vendor" / name / ".crmlab-package.json").exists()
    css = (out / "_static" / "crmlab-fonts.css").read_text()
    font = re.search(r'url\("([^"]+)"\)', css).group(1)
    assert (out / "_static" / font).stat().st_size > 10_000


# --- the web font ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def font_cmap():
    from fontTools.ttLib import TTFont

    return TTFont(io.BytesIO(webfont.font_bytes())).getBestCmap()


def test_every_chinese_character_of_the_chapters_and_catalogs_is_in_the_web_font(font_cmap):
    text = "".join(p.read_text(encoding="utf-8") for p in
                   [*(ROOT / "notebooks").glob("*.md"),
                    *(ROOT / "crmlab/locale").rglob("*.po"),
                    ROOT / "crmlab/locale/terms.csv"])
    chars = _cjk(text) | _cjk(json.dumps(webfont.PAGE_LABELS, ensure_ascii=False))
    assert len(chars) > 500
    assert sorted(c for c in chars if ord(c) not in font_cmap) == []
    # and the outputs of the executed Chinese solutions (widget labels, tables)
    outputs = "".join(json.dumps(c.get("outputs", []), ensure_ascii=False)
                      for p in (ROOT / "solutions/zh").glob("*.ipynb")
                      for c in nbformat.read(p, as_version=4).cells)
    assert sorted(c for c in _cjk(outputs) if ord(c) not in font_cmap) == []


def test_web_font_is_a_small_deterministic_subset(font_cmap):
    data = webfont.font_bytes()
    assert data[:4] == b"wOF2"
    assert len(data) < 400_000            # the whole Noto Sans SC is 8 MB as OpenType
    assert len(font_cmap) < 3000
    assert "客" in "".join(map(chr, font_cmap)) and "丼" not in "".join(map(chr, font_cmap))
    small = "客户关系管理 CRM"
    assert webfont.subset(small) == webfont.subset(small)


def test_web_font_css_puts_the_font_last_and_avoids_system_ui():
    css = webfont.css("x.woff2")
    assert f'sans-serif, "{webfont.FAMILY}"' in css
    assert "system-ui" not in css
    assert 'url("x.woff2") format("woff2")' in css


# --- the vendored front-end files --------------------------------------------------------

def _tarball(tmp_path, files: dict[str, bytes]) -> Path:
    path = tmp_path / "pkg.tgz"
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_a_tarball_that_does_not_match_its_pinned_hash_is_refused(tmp_path):
    pkg = assets.PACKAGES[1]
    tarball = _tarball(tmp_path, {"package/require.js": b"alert('not requirejs')"})
    with pytest.raises(RuntimeError, match="pinned value"):
        assets.unpack(pkg, tarball, tmp_path / "vendor")
    assert not (tmp_path / "vendor" / "requirejs").exists()


def test_only_the_files_pages_load_are_unpacked(tmp_path):
    import base64
    import hashlib

    tarball = _tarball(tmp_path, {"package/require.js": b"r", "package/bin/r.js": b"x",
                                  "package/../evil.js": b"x", "package/dist/x.js.map": b"m"})
    digest = base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    pkg = assets.Package("requirejs", "0", f"sha512-{digest}", ("require.js", "dist/"))
    assets.unpack(pkg, tarball, tmp_path)
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")
                   if p.is_file() and p.parent != tmp_path)
    assert files == ["requirejs/.crmlab-package.json", "requirejs/require.js"]
    assert assets.missing(tmp_path)[0].name == "reveal.js"


def test_asset_urls_are_relative_to_the_page(tmp_path):
    urls = assets.urls(tmp_path / "site" / "zh", tmp_path / "site" / "_vendor")
    assert urls["require_js_url"] == "../_vendor/requirejs/require.js"
    assert urls["mathjax_url"].startswith("../_vendor/mathjax/MathJax.js?config=")


def test_every_pinned_package_has_a_sha512():
    assert {p.name for p in assets.PACKAGES} == {
        "reveal.js", "requirejs", "jquery", "mathjax", "@jupyter-widgets/html-manager"}
    for pkg in assets.PACKAGES:
        assert re.fullmatch(r"sha512-[A-Za-z0-9+/]{86}==", pkg.integrity)
        assert re.fullmatch(r"\d+\.\d+\.\d+", pkg.version)
    assert next(p for p in assets.PACKAGES if p.name == "reveal.js").version.startswith("4.")


# --- the Voila lesson --------------------------------------------------------------------

def test_chapter_names_resolve_or_list_the_chapters():
    assert present.chapter_source("02") == MAN
    assert present.chapter_source("notebooks/02_man_case.md") == MAN
    with pytest.raises(SystemExit, match="02_man_case"):
        present.chapter_source("99_nothing")


@pytest.mark.parametrize("language, exercises", [("en", "## Exercises"), ("zh", "## 练习")])
def test_the_lesson_stops_before_the_exercises_and_keeps_the_dashboard(language, exercises):
    nb = present.lesson_notebook(MAN, language)
    text = "\n".join(c.source for c in nb.cells)
    assert exercises not in text and "man_dashboard(banks)" in text
    assert not any("teacher" in c.metadata.get("tags", []) for c in nb.cells)
    whole = present.lesson_notebook(MAN, language, whole=True)
    assert exercises in "\n".join(c.source for c in whole.cells)
    assert len(whole.cells) > len(nb.cells)


def test_a_chapter_without_exercises_is_presented_whole():
    start = ROOT / "notebooks" / "00_start_here.md"
    assert present.lesson_ids(start) is None
    assert len(present.lesson_notebook(start).cells) == len(
        nbformat.read(ROOT / "solutions/00_start_here.ipynb", as_version=4).cells)


def test_voila_runs_on_localhost_with_culling_and_hidden_code(tmp_path):
    cmd = present.voila_command(tmp_path / "x.ipynb", 8899, voila="voila")
    assert "--Voila.ip=127.0.0.1" in cmd and "--no-browser" in cmd
    assert "--VoilaConfiguration.strip_sources=True" in cmd
    assert "--MappingKernelManager.cull_idle_timeout=20" in cmd
    assert "--MappingKernelManager.cull_interval=10" in cmd
    lab = ('{%- block notebook_css -%}\n  <link rel="stylesheet" href="https://cdn.example/'
           'all.min.css" type="text/css" />\n  {{ super() }}\n{%- endblock notebook_css -%}')
    out = present._voila_index(lab, webfont.css("data:font/woff2;base64,AA"))
    assert "https://" not in out and webfont.FAMILY in out and "{{ super() }}" in out
    assert present.READY.search("[Voila] Voilà is running at:\nhttp://127.0.0.1:8899/\n") \
        .group(1) == "http://127.0.0.1:8899/"


# --- trusting the solutions, static snapshots --------------------------------------------

def test_trusting_signs_without_rewriting(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "data"))
    copy = tmp_path / "02_man_case.ipynb"
    shutil.copy(build.notebook_path(MAN, "solutions", "zh"), copy)
    before = copy.read_bytes()
    assert trust.untrusted([copy]) == [copy]
    assert trust.trust_notebooks([copy]) == [copy]
    assert trust.untrusted([copy]) == []
    assert trust.trust_notebooks([copy]) == []
    assert copy.read_bytes() == before


def test_every_saved_widget_gets_a_static_snapshot():
    # the build puts a snapshot beside every saved widget view of every solution
    for path in sorted((ROOT / "solutions").rglob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        views = [o["data"] for c in nb.cells for o in c.get("outputs", [])
                 if snapshots.WIDGET_VIEW in o.get("data", {})]
        assert all("text/html" in data for data in views), path
        assert snapshots.add_static_views(nb) == 0, path
        for data in views:
            del data["text/html"]
        assert snapshots.add_static_views(nb) == len(views), path
    nb = nbformat.read(build.notebook_path(MAN, "solutions", "zh"), as_version=4)
    snap = next(o["data"]["text/html"] for c in nb.cells for o in c.get("outputs", [])
                if snapshots.WIDGET_VIEW in o.get("data", {}))
    snap = "".join(snap)
    # the saved ranking D 4.00 > B 3.10 > C 2.90 > A 2.80 > E 1.40 (courseware ch. 3,
    # §1.3.2 answer slide), the three weights and the Chinese labels
    assert [m for m in re.findall(r">([A-E])<", snap)] == ["D", "B", "C", "A", "E"]
    for text in ("4.00", "3.10", "1.40", "购买力 <b>0.4</b>", "需求 <b>0.3</b>", "☑"):
        assert text in snap, text


def test_links_between_chapters_become_pages():
    html = '<a href="02_man_case.ipynb">2</a> <a href="00_start_here.ipynb#x">0</a> ' \
           '<a href="https://x.org/a.ipynb">ext</a>'
    assert pages.fix_links(html) == ('<a href="02_man_case.html">2</a> '
                                     '<a href="index.html#x">0</a> '
                                     '<a href="https://x.org/a.ipynb">ext</a>')


# --- every chapter, every edition, with no code per chapter ---------------------------

EDITIONS = [(lang, nb) for lang, nbs in pages.editions().items() for nb in nbs]


@pytest.mark.parametrize("language, notebook", EDITIONS,
                         ids=[f"{lang}-{nb.stem}" for lang, nb in EDITIONS])
def test_every_chapter_has_a_deck_and_a_lesson(vendor, tmp_path, language, notebook):
    path = slides.export(notebook, language, out=tmp_path, vendor=vendor)
    html = path.read_text(encoding="utf-8")
    solution = nbformat.read(notebook, as_version=4)
    title = pages.chapter_title(solution, notebook.stem)
    assert title and html.count("<section") > 3
    assert pages.external_urls(html) == []
    assert not _cjk(title) or _cjk(title) <= _cjk(html)
    source = present.chapter_source(notebook.stem)
    lesson = present.lesson_notebook(source, language)
    widgets = [c for c in solution.cells for o in c.get("outputs", [])
               if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    if present.lesson_ids(source) is not None:       # a chapter with exercises
        assert 0 < len(lesson.cells) < len(solution.cells)
        assert not any("exercise" in c.metadata.get("tags", []) for c in lesson.cells)
    if widgets:   # the deck carries the saved widget state, the lesson its first dashboard
        assert "application/vnd.jupyter.widget-state+json" in html
        assert any(w.id == c.id for w in widgets[:1] for c in lesson.cells)


# --- live slides: the lesson through Voila as reveal.js slides ---------------------------

def _slide_positions(nb) -> list[tuple[int, int]]:
    """(h, v) of every cell's slide in a planned notebook, as reveal numbers them."""
    h, v, out = -1, 0, []
    for cell in nb.cells:
        kind = cell.metadata.slideshow["slide_type"]
        if kind == "slide":
            h, v = h + 1, 0
        elif kind == "subslide":
            v += 1
        out.append((h, v))
    return out


def _render_without_kernel(template_dir: Path, notebook: Path, monkeypatch) -> str:
    """The page Voila would send for ``notebook`` with the live-slides template, the cells
    passed through unexecuted (their saved outputs kept): Voila's own exporter, paths and
    template inheritance, no kernel."""
    import asyncio

    from voila.exporter import VoilaExporter
    from voila.paths import collect_template_paths

    monkeypatch.setenv("JUPYTER_PATH", str(template_dir))
    exporter = VoilaExporter(
        template_paths=collect_template_paths(["voila", "nbconvert"], present.LIVE_SLIDES),
        template_name=present.LIVE_SLIDES, base_url="/")
    exporter.exclude_input = exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True

    async def kernel_start(nb):
        return "kernel-id"

    async def cells(nb, kernel_id):
        for cell in nb.cells:
            yield cell

    async def render():
        parts = []
        async for html, _ in exporter.generate_from_notebook_node(
                nbformat.read(notebook, as_version=4),
                resources={"base_url": "/", "theme": "light", "metadata": {"name": "x"}},
                extra_context={"frontend": "voila", "main_js": "voila.js",
                               "kernel_start": kernel_start, "cell_generator": cells,
                               "progressive_rendering": False},
                page_config={"fullStaticUrl": "/voila/static"}):
            parts.append(html)
        return "".join(parts)

    return asyncio.run(render())


def test_live_slides_command_line(tmp_path):
    args = present.add_arguments(argparse.ArgumentParser()).parse_args(["02", "--slides"])
    assert args.slides is True and args.chapter == "02"
    assert present.add_arguments(argparse.ArgumentParser()).parse_args(["02"]).slides is False
    dashboard = present.voila_command(tmp_path / "x.ipynb", 8899, voila="voila")
    assert "--VoilaConfiguration.template=crmlab" in dashboard
    assert not any("progressive" in arg for arg in dashboard)
    cmd = present.voila_command(tmp_path / "x.ipynb", 8899, voila="voila",
                                template=present.LIVE_SLIDES, progressive=True)
    assert "--VoilaConfiguration.template=crmlab_live_slides" in cmd
    assert "--VoilaConfiguration.progressive_rendering=True" in cmd
    assert "--VoilaConfiguration.strip_sources=True" in cmd and "--Voila.ip=127.0.0.1" in cmd


@pytest.mark.parametrize("language, heading", [("en", "8. Try it: the MAN dashboard"),
                                               ("zh", "8. 动手试试：MAN 仪表盘")])
def test_live_slides_template_lays_the_lesson_out_as_the_deck_plans_it(
        vendor, tmp_path, monkeypatch, language, heading):
    notebook = present.write_lesson(MAN, language, slides_plan=True, out=tmp_path)
    assert notebook.name == "02_man_case.slides.ipynb"
    planned = nbformat.read(notebook, as_version=4)
    # the same plan as the offline deck: slides.slide_plan over the lesson
    expected = slides.slide_plan(present.lesson_notebook(MAN, language),
                                 slides.source_overrides(MAN))
    assert [c.metadata.slideshow for c in planned.cells] == \
        [c.metadata.slideshow for c in expected.cells]
    kinds = [c.metadata.slideshow["slide_type"] for c in planned.cells]
    assert kinds.count("slide") == 9 and kinds[0] == "slide"

    data_dir = present.write_voila_template(tmp_path, ROOT)
    folder = present.write_live_slides_template(data_dir, vendor)
    for name in present.REVEAL_FILES:        # reveal.js is served from the vendored copy
        assert (folder / "static" / "reveal.js" / name).read_bytes() == \
            (vendor / "reveal.js" / name).read_bytes()
    html = _render_without_kernel(data_dir, notebook, monkeypatch)
    # one <section> per slide and one per sub-slide plus each slide's stack, all closed
    n_sub = kinds.count("subslide")
    assert html.count("<section>") == 2 * kinds.count("slide") + n_sub
    assert html.count("</section>") == html.count("<section>")
    assert html.index('<div class="reveal"><div class="slides">') < html.index("<section>")
    # the dashboard's widget output lands in the slide the plan puts it on
    dashboard = next(i for i, c in enumerate(planned.cells) if "man_dashboard(" in c.source)
    h, _v = _slide_positions(planned)[dashboard]
    slides_html = html.split('<div class="slides">', 1)[1].split("<section><section>")[1:]
    assert len(slides_html) == kinds.count("slide")
    assert "application/vnd.jupyter.widget-view+json" in slides_html[h]
    assert heading in unescape(slides_html[h])      # markdown escapes Chinese
    assert not any("application/vnd.jupyter.widget-view+json" in s
                   for i, s in enumerate(slides_html) if i != h)
    # reveal.js from the template's static folder, the web font inline, nothing from a CDN
    assert re.search(r'<script src="/voila/templates/crmlab_live_slides/static/reveal\.js/'
                     r'dist/reveal\.js\?v=\w+"></script>', html)
    assert "/voila/templates/crmlab_live_slides/static/reveal.js/dist/reveal.css?v=" in html
    assert webfont.FAMILY in html and "Reveal.initialize" in html
    assert pages.external_urls(html) == [] and "man_dashboard(" not in html


def test_live_slides_hide_skipped_cells_but_keep_their_element(vendor, tmp_path, monkeypatch):
    # --whole keeps the worked answers, which the deck skips; they still run, and Voila's
    # progressive rendering needs an element for their outputs: a hidden one
    notebook = present.write_lesson(MAN, "en", whole=True, slides_plan=True, out=tmp_path)
    planned = nbformat.read(notebook, as_version=4)
    skipped = [c for c in planned.cells if c.metadata.slideshow["slide_type"] == "skip"]
    assert skipped and all("solution" in c.metadata.get("tags", []) for c in skipped)
    data_dir = present.write_voila_template(tmp_path, ROOT)
    present.write_live_slides_template(data_dir, vendor)
    html = _render_without_kernel(data_dir, notebook, monkeypatch)
    hidden = re.findall(r'<div class="crmlab-skip" hidden><div cell-index="(\d+)">', html)
    assert [int(i) - 1 for i in hidden] == [i for i, c in enumerate(planned.cells)
                                             if c.metadata.slideshow["slide_type"] == "skip"]
    assert html.count("</section>") == html.count("<section>")
