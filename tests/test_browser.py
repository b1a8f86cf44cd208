"""The teachers' and students' pages in a real browser: Debian's Chromium driven by Playwright.

* the MAN dashboard under Voila (``make present CHAPTER=02_man_case EDITION=zh``): move the
  Need slider until bank B overtakes D, the chart redraws, the labels are in the web font;
* the same lesson as live slides (``make present CHAPTER=02_man_case SLIDES=1``): reveal's
  keys move the deck, the dashboard sits on the slide the plan gives it, its slider still
  recomputes in the kernel, and no request leaves the machine;
* JupyterLab as ``make lab`` serves it: open a chapter from the start page, run its first
  cells, no error;
* the course site (``make site``): every page shows its title, each chapter a figure, and
  Chinese in the bundled font, with nothing loaded from the network.

They skip where Chromium or Playwright is missing, unless ``CRMLAB_BROWSER_TESTS=required``
(set by ``.ci/run``, which installs Chromium), where that is a failure. Timings (first
paint, slider round trip, site build) are printed with ``-s`` and written to
``timings.json`` beside each test's screenshots.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import pytest

from crmlab.course import build, pages, present, site, webfont

ROOT = build.ROOT
CHROMIUM = os.environ.get("CRMLAB_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-dev-shm-usage"]
REQUIRED = os.environ.get("CRMLAB_BROWSER_TESTS") == "required"


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (make teach-setup)"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


if _missing() and REQUIRED:
    raise RuntimeError(f"browser tests are required here, but {_missing()}")
pytestmark = pytest.mark.skipif(_missing() is not None, reason=str(_missing()))


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    config = tempfile.mkdtemp(prefix="crmlab-xdg-")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS,
                                     env={**os.environ, "XDG_CONFIG_HOME": config})
        yield chromium
        chromium.close()
    shutil.rmtree(config, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _offline(page, allowed=("http://127.0.0.1", "file:", "data:", "blob:")) -> list[str]:
    """Abort every request that would leave this machine; return the list of them."""
    blocked = []

    def route(r):
        if r.request.url.startswith(allowed):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()
    page.route("**/*", route)
    return blocked


def _record(folder: Path, **timings) -> None:
    path = folder / "timings.json"
    old = json.loads(path.read_text()) if path.exists() else {}
    path.write_text(json.dumps({**old, **timings}, indent=1))
    print(" ".join(f"{k}={v}" for k, v in timings.items()))


def _raise_need_until_b_leads(page, need) -> list[float]:
    """Press PageUp on the Need slider until bank B leads the live ranking (the courseware's
    D 4.00 > B 3.10 … at first); return each redraw's round trip in seconds."""
    assert _order(_chart(page)) == ["D", "B", "C", "A", "E"]     # the answer slide's ranking
    trips = []
    for _ in range(12):
        chart = _chart(page)
        if _order(chart)[0] == "B":
            break
        need.locator(".noUi-handle").press("PageUp")
        t0 = time.perf_counter()
        page.wait_for_function(
            "(prev) => { const e = [...document.querySelectorAll('.widget-html-content')]"
            ".find(x => x.textContent.includes('M 0.')); return e && e.innerHTML !== prev; }",
            arg=chart, timeout=30_000)
        trips.append(time.perf_counter() - t0)
    after = _order(_chart(page))
    assert after[0] == "B" and after.index("D") > 0, after
    return trips


_FONT_CHECK = """(sample) => {
  const probe = (family) => { const s = document.createElement('span');
    s.textContent = sample; s.style.fontFamily = family; s.style.fontSize = '32px';
    s.style.whiteSpace = 'nowrap'; document.body.appendChild(s);
    const w = s.getBoundingClientRect().width; s.remove(); return w; };
  const css = getComputedStyle(document.body).getPropertyValue('--crmlab-sans');
  return {page: probe(css), webfont: probe('"FAMILY"'), tofu: probe('"DejaVu Sans"'),
          check: document.fonts.check('32px "FAMILY"', sample),
          loaded: Array.from(document.fonts).some(f => f.family === 'FAMILY' && f.status === 'loaded')};
}""".replace("FAMILY", webfont.FAMILY)


def _assert_chinese_in_web_font(page, sample: str):
    """Chinese ``sample`` laid out with the page's fonts has the width the web font gives
    it, not the width of DejaVu's missing-glyph boxes, and the face is loaded."""
    m = page.evaluate(_FONT_CHECK, sample)
    assert m["loaded"] and m["check"], m
    assert abs(m["page"] - m["webfont"]) < 0.5, m
    assert abs(m["page"] - m["tofu"]) > 2, m


# --- Voila: the MAN dashboard ------------------------------------------------------------

def _chart(page) -> str:
    return page.locator(".widget-html-content").filter(has_text="M 0.").first.inner_html()


def _order(chart_html: str) -> list[str]:
    return re.findall(r">([A-E])</span>", chart_html)


def test_man_dashboard_under_voila(browser, tmp_path):
    port = _free_port()
    lines = []
    proc, url = present.start(present.chapter_source("02_man_case"), "zh", port=port,
                              out=tmp_path / "present", log=lines.append)
    try:
        assert url.startswith(f"http://127.0.0.1:{port}")
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        blocked = _offline(page)
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        start = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=120_000)
        page.wait_for_function("performance.getEntriesByType('paint').length > 0",
                               timeout=120_000)
        first_paint = page.evaluate(
            "performance.getEntriesByType('paint').map(e => e.startTime)[0]") / 1000
        need = page.locator(".widget-hslider").filter(has_text="需求")
        need.locator(".noUi-handle").wait_for(state="visible", timeout=120_000)
        widgets = time.perf_counter() - start
        trips = _raise_need_until_b_leads(page, need)
        readout = need.locator(".widget-readout").inner_text()
        assert float(readout) > 0.3
        _assert_chinese_in_web_font(page, "需求决策权购买力")
        page.screenshot(path=str(tmp_path / "man_dashboard_zh.png"), full_page=True)
        assert blocked == [] or all("127.0.0.1" not in u for u in blocked)
        assert errors == []
        _record(tmp_path, voila_first_paint_s=round(first_paint, 2),
                voila_widgets_visible_s=round(widgets, 2),
                slider_round_trip_s=round(sorted(trips)[len(trips) // 2], 3),
                slider_moves=len(trips), need_weight=readout, blocked_requests=len(blocked))
        page.close()
    finally:
        present.stop(proc)


# --- Voila: the MAN lesson as live slides -----------------------------------------------

def _slide_of_dashboard(nb) -> tuple[int, int]:
    """(h, v) reveal gives the slide holding the dashboard cell of a planned lesson."""
    h, v = -1, 0
    for cell in nb.cells:
        kind = cell.metadata.slideshow["slide_type"]
        h, v = (h + 1, 0) if kind == "slide" else (h, v + 1) if kind == "subslide" else (h, v)
        if "man_dashboard(" in cell.source:
            return h, v
    raise AssertionError("no dashboard cell in the lesson")


def test_man_live_slides_under_voila(browser, tmp_path):
    port = _free_port()
    lines = []
    source = present.chapter_source("02_man_case")
    planned = present.lesson_notebook(source, "en", slides_plan=True)
    kinds = [c.metadata.slideshow["slide_type"] for c in planned.cells]
    proc, url = present.start(source, "en", port=port, live_slides=True,
                              out=tmp_path / "present", log=lines.append)
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        blocked = _offline(page)
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        start = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=120_000)
        page.wait_for_function("performance.getEntriesByType('paint').length > 0",
                               timeout=120_000)
        first_paint = page.evaluate(
            "performance.getEntriesByType('paint').map(e => e.startTime)[0]") / 1000
        title = page.locator(".reveal section.present h1").first
        title.wait_for(state="visible", timeout=120_000)   # shown while the lesson runs
        first_slide = time.perf_counter() - start
        need = page.locator(".widget-hslider").filter(has_text="Need")
        need.locator(".noUi-handle").wait_for(state="attached", timeout=120_000)
        widgets = time.perf_counter() - start
        # the deck the plan describes: its slides and sub-slides, the title slide first
        assert page.evaluate("Reveal.getTotalSlides()") == \
            kinds.count("slide") + kinds.count("subslide")
        assert title.inner_text().startswith("Chapter 2")
        assert not need.is_visible()                 # the dashboard is on a later slide
        page.keyboard.press("ArrowRight")            # reveal's keys move the deck
        assert page.evaluate("Reveal.getIndices().h") == 1
        # reveal numbers the dashboard's slide as the plan does; go there
        where = page.evaluate("() => Reveal.getIndices(document.querySelector("
                              "'.widget-hslider').closest('section'))")
        assert (where["h"], where["v"]) == _slide_of_dashboard(planned)
        page.evaluate("(i) => Reveal.slide(i.h, i.v)", where)
        need.locator(".noUi-handle").wait_for(state="visible", timeout=30_000)
        # a key on a focused widget goes to the widget (PageUp would be reveal's "previous
        # slide" otherwise); the kernel recomputes the chart
        trips = _raise_need_until_b_leads(page, need)
        assert page.evaluate("Reveal.getIndices()")["h"] == where["h"]   # still on it
        readout = need.locator(".widget-readout").inner_text()
        assert float(readout) > 0.3
        page.screenshot(path=str(tmp_path / "man_live_slides.png"))
        # slides are not scaled, so the mouse drags a handle where it is drawn
        money = page.locator(".widget-hslider").filter(has_text="Money")
        box = money.locator(".noUi-handle").bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.down()
        page.mouse.move(box["x"] + 400, box["y"] + box["height"] / 2, steps=5)  # past the end
        page.mouse.up()
        page.wait_for_function(
            "() => [...document.querySelectorAll('.widget-html-content')]"
            ".some(x => x.textContent.includes('M 1.00 / A 0.00 / N 0.00'))", timeout=30_000)
        assert float(money.locator(".widget-readout").inner_text()) == 1.0
        assert page.evaluate("Reveal.getIndices()")["h"] == where["h"]
        # a slide longer than the window scrolls: the static figure under the dashboard
        slide = page.locator(".reveal .slides section.present > section.present")
        assert slide.evaluate("s => s.scrollHeight > s.clientHeight + 50")
        figure = slide.locator(".jp-OutputArea-output img").last
        assert not figure.evaluate("i => i.getBoundingClientRect().bottom <= innerHeight")
        slide.evaluate("s => s.scrollTo(0, s.scrollHeight)")
        assert figure.evaluate("i => i.getBoundingClientRect().bottom <= innerHeight")
        assert blocked == [], blocked
        assert errors == []
        _record(tmp_path, live_slides_first_paint_s=round(first_paint, 2),
                live_slides_first_slide_s=round(first_slide, 2),
                live_slides_widgets_attached_s=round(widgets, 2),
                live_slides_round_trip_s=round(sorted(trips)[len(trips) // 2], 3),
                slider_moves=len(trips), need_weight=readout, blocked_requests=len(blocked))
        page.close()
    finally:
        present.stop(proc)


# --- JupyterLab as the README serves it --------------------------------------------------

def test_jupyterlab_opens_a_chapter_from_the_start_page(browser, tmp_path):
    work = tmp_path / "work"
    subprocess.run([sys.executable, "-m", "crmlab", "workspace", "--dir", str(work)],
                   check=True, capture_output=True)
    port = _free_port()
    jupyter = Path(sys.executable).parent / "jupyter"
    cmd = [str(jupyter), "lab", f"--ServerApp.root_dir={work}", "--no-browser",
           "--LabApp.default_url=/lab/tree/00_start_here.ipynb", f"--port={port}",
           "--ServerApp.ip=127.0.0.1", "--ServerApp.port_retries=0",
           f"--LabApp.workspaces_dir={tmp_path / 'ws'}",
           f"--LabApp.user_settings_dir={tmp_path / 'settings'}"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
           "JUPYTER_CONFIG_DIR": str(tmp_path / "config")}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=env)
    try:
        url = None
        for line in proc.stdout:
            found = re.search(rf"(http://127\.0\.0\.1:{port}/lab\S*\?token=\w+)", line)
            if found:
                url = found.group(1)
                break
        assert url, "JupyterLab did not print its URL"
        threading.Thread(target=present._drain, args=(proc, None), daemon=True).start()
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        _offline(page)
        page.goto(url, timeout=120_000)
        page.locator(".jp-RenderedMarkdown h1").first.wait_for(timeout=120_000)
        # JupyterLab renders the cells in view only: scroll down to the chapter map as a
        # reader would (it points local links at /files/NAME.ipynb and opens them itself)
        link = page.locator(".jp-RenderedMarkdown a[href*='02_man_case.ipynb']").first
        page.mouse.move(700, 500)
        for _ in range(40):
            if link.count():
                break
            page.mouse.wheel(0, 500)
            page.wait_for_timeout(300)
        link.click()
        panel = page.locator(".jp-NotebookPanel:visible").filter(
            has=page.locator(".jp-RenderedMarkdown h1", has_text="Chapter 2"))
        panel.locator(".jp-Notebook-cell").first.wait_for(timeout=60_000)
        idle = page.locator("#jp-main-statusbar").get_by_text("Idle")
        idle.wait_for(timeout=120_000)                 # the kernel has started
        try:
            panel.locator(".jp-Notebook-cell").first.click()
            page.keyboard.press("Escape")
            for _ in range(5):   # title, imports, parameters' prose, parameters, section 1
                page.keyboard.press("Shift+Enter")
                page.wait_for_timeout(200)
            code = panel.locator(".jp-CodeCell")
            code.nth(1).locator(".jp-InputPrompt", has_text="[2]").wait_for(timeout=120_000)
        except Exception:
            page.screenshot(path=str(tmp_path / "jupyterlab_failed.png"))
            raise
        page.wait_for_selector("#jp-main-statusbar >> text=Idle", timeout=60_000)
        errors = panel.locator("[data-mime-type='application/vnd.jupyter.stderr']")
        assert errors.count() == 0, errors.all_inner_texts()
        assert code.nth(0).locator(".jp-InputPrompt").inner_text().strip() == "[1]:"
        page.screenshot(path=str(tmp_path / "jupyterlab_02.png"))
        page.close()
    finally:
        present.stop(proc)


# --- the course site ---------------------------------------------------------------------

def test_every_site_page_renders_title_figure_and_chinese_offline(browser, tmp_path):
    start = time.perf_counter()
    written = site.build_site(tmp_path / "site", quiet=True)
    build_time = time.perf_counter() - start
    expected = sum(len(nbs) for nbs in pages.editions().values())
    assert len(written) == expected
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    blocked = _offline(page)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    for path in written:
        solution = build.ROOT / "solutions" / path.relative_to(tmp_path / "site") \
            .with_suffix(".ipynb").as_posix().replace("index.ipynb", "00_start_here.ipynb")
        title = pages.chapter_title(nbformat.read(solution, as_version=4))
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        h1 = page.locator("h1").first
        assert h1.inner_text().strip() == title
        if not path.name.startswith("index"):
            figure = page.locator(".jp-OutputArea-output img").first
            figure.wait_for(state="visible")
            assert figure.evaluate("i => i.complete && i.naturalWidth > 100")
        sample = "".join(re.findall(r"[\u4e00-\u9fff]", page.locator("main").inner_text()))[:12]
        assert len(sample) >= 4, path
        _assert_chinese_in_web_font(page, sample)
        links = page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)")
        for href in links:
            if href.startswith("file:"):
                assert Path(href.split("#")[0].removeprefix("file://")).exists(), href
    page.screenshot(path=str(tmp_path / "site_last_page.png"))
    assert blocked == [] and errors == []
    _record(tmp_path, site_build_s=round(build_time, 1), site_pages=len(written))
