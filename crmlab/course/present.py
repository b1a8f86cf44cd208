"""Present a chapter in class as a live dashboard: Voila, code hidden, on this machine.

``python -m crmlab.course.present 02_man_case [--language zh]`` (``make present
CHAPTER=02_man_case [EDITION=zh]``; ``crmlab present`` once the command is wired) serves
the chapter's lesson — its prose, figures and live widgets, without code, exercises or the
teacher's section — as a Voila page on ``http://127.0.0.1:PORT/``, prints the URL and keeps
serving until Ctrl+C. Nothing opens a browser, so it also runs on a headless machine
(forward the port, e.g. ``ssh -L 8866:127.0.0.1:8866 host``).

The lesson is cut at export time from the executed solution edition
(``solutions/[zh/]NN_name.ipynb``): every cell before the section holding the chapter's
first exercise, minus cells tagged ``teacher`` (``--whole`` keeps the exercises, with their
worked answers' outputs). Voila runs it in a fresh kernel for each visitor; idle kernels of
closed tabs are culled after 20 s (a kernel is ~200 MiB). Chinese prose and widget labels
render in the bundled Noto Sans SC web font (:mod:`crmlab.course.webfont`), so a projector
PC without Chinese fonts shows no boxes, and no page asset is fetched from a CDN.

``--slides`` (``make present CHAPTER=02_man_case SLIDES=1``) serves the same lesson as
live slides: the slide breaks of the offline deck (:func:`crmlab.course.slides.slide_plan`,
a ``#``/``##`` heading starts a slide, ``###`` a sub-slide, the source's own ``slideshow``
metadata wins), laid out by reveal.js 4.6.1 from ``build/vendor`` (fetched once by
:mod:`crmlab.course.assets`, copied into the Voila template's static folder), with every
widget rendered by Voila's own widget manager, so moving a slider recomputes in the
kernel. The ``crmlab_live_slides`` template (``crmlab/course/templates``) extends the
``crmlab`` one and only wraps Voila's cells in reveal's section elements; slides are not
scaled (a long slide scrolls, widgets keep their size). Voila renders progressively
here: the first slide shows while the lesson still runs, outputs fill in as computed. Keys pressed on a focused widget
go to the widget: click the slide outside it before using the arrow keys again. There is
no speaker view (its previews would load the page, hence start a kernel, twice more).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat

from . import assets, build, slides, webfont

__all__ = ["add_arguments", "chapter_source", "lesson_notebook", "main", "run", "start",
           "stop", "voila_command", "write_lesson", "write_live_slides_template",
           "write_voila_template"]

ROOT = build.ROOT
#: Where the lessons and the Voila template are written (git-ignored).
OUT = ROOT / "build" / "present"
#: Idle kernels of closed tabs are shut down (Voila starts one per page load).
CULL = {"cull_interval": 10, "cull_idle_timeout": 20}
#: The line Voila logs when it listens: wait for it rather than polling the page (each
#: request of the page starts a kernel).
READY = re.compile(r"Voil\S* is running at:\s*(\S+)")
#: The Voila template of ``--slides`` (shipped in ``crmlab/course/templates``).
LIVE_SLIDES = "crmlab_live_slides"
#: The files of the vendored reveal.js the live slides load.
REVEAL_FILES = ("dist/reveal.js", "dist/reveal.css", "LICENSE")


def chapter_source(name: str, root: Path = ROOT) -> Path:
    """The chapter source named by ``name``: ``02_man_case``, ``02``, ``02_man_case.md`` or
    ``notebooks/02_man_case.md``. Raises ``SystemExit`` listing the chapters when none (or
    more than one) matches."""
    stem = Path(name).name.removesuffix(".md").removesuffix(".ipynb")
    found = [p for p in build.chapters(root) if p.stem == stem]
    if not found:
        found = [p for p in build.chapters(root) if p.stem.startswith(stem)]
    if len(found) != 1:
        names = ", ".join(p.stem for p in build.chapters(root))
        raise SystemExit(f"no single chapter matches {name!r}; the chapters are: {names}")
    return found[0]


def _tags(cell) -> list[str]:
    return list(cell.metadata.get("tags", []))


def _section_start(cells, index: int) -> int:
    """Index of the ``#``/``##`` heading cell that opens the section holding cell ``index``."""
    for j in range(index, -1, -1):
        cell = cells[j]
        if cell.cell_type == "markdown" and re.match(r"#{1,2} ", cell.source.lstrip()):
            # the English heading, when j is its translation
            while j > 0 and cells[j].metadata.get("lang") not in (None, "any") \
                    and cells[j - 1].cell_type == "markdown":
                j -= 1
            return j
    return index


def lesson_ids(source: Path) -> set[str] | None:
    """Ids of the source cells that form the lesson: everything before the chapter's
    closing block of exercise sections (``None`` when there is none: all of it).

    A section (``#``/``##`` heading) belongs to that block when it holds a cell tagged
    ``exercise``; the block is the run of such sections that ends the chapter's body (the
    teacher's section and what follows it do not count). Exercises set inside the lecture,
    such as a prediction asked before its reveal, stay in the lesson with their sections.
    """
    nb = build.read_source(source)
    cells = nb.cells
    starts = sorted({_section_start(cells, i) for i, c in enumerate(cells)
                     if c.cell_type == "markdown"
                     and re.match(r"#{1,2} ", c.source.lstrip())})
    if not starts or starts[0] != 0:
        starts = [0, *starts]
    bounds = list(zip(starts, [*starts[1:], len(cells)]))
    body = []
    for a, b in bounds:
        if "teacher" in _tags(cells[a]):
            break
        body.append((a, any("exercise" in _tags(c) for c in cells[a:b])))
    cut = None
    for a, has_exercise in reversed(body):
        if not has_exercise:
            break
        cut = a
    if cut is None:
        return None
    return {c.id for c in cells[:cut]}


def lesson_notebook(source: Path, language: str = "en", *, whole: bool = False,
                    slides_plan: bool = False, root: Path = ROOT) -> nbformat.NotebookNode:
    """The executed solution edition of a chapter, cut to its lesson (see module doc),
    without teacher cells; outputs are kept (Voila re-runs the code anyway). With
    ``slides_plan``, every cell carries the slide type the offline deck gives it
    (:func:`crmlab.course.slides.slide_plan`, the source's own slideshow metadata first)."""
    path = build.notebook_path(source, "solutions", language, root=root)
    if not path.exists():
        raise SystemExit(f"{path.relative_to(root)} does not exist: run `crmlab build` "
                         f"(make notebooks) first")
    nb = nbformat.read(path, as_version=4)
    keep = None if whole else lesson_ids(source)
    nb.cells = [c for c in nb.cells if "teacher" not in _tags(c)
                and (keep is None or c.id in keep)]
    if slides_plan:
        nb = slides.slide_plan(nb, slides.source_overrides(source))
    return nb


def write_lesson(source: Path, language: str = "en", *, whole: bool = False,
                 slides_plan: bool = False, out: Path = OUT, root: Path = ROOT) -> Path:
    """Write the lesson notebook to ``out/LANG/NN_name.ipynb`` (``NN_name.slides.ipynb``
    with ``slides_plan``) and return its path."""
    nb = lesson_notebook(source, language, whole=whole, slides_plan=slides_plan, root=root)
    suffix = ".slides.ipynb" if slides_plan else ".ipynb"
    path = Path(out) / language / f"{source.stem}{suffix}"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def write_voila_template(out: Path = OUT, root: Path = ROOT) -> Path:
    """Write the ``crmlab`` Voila template (the lab template plus the web font, without
    the icon font Voila links from a CDN) under ``out/jupyter``; return that data dir, to
    be put on ``JUPYTER_PATH``."""
    data_dir = Path(out) / "jupyter"
    folder = data_dir / "voila" / "templates" / "crmlab"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "conf.json").write_text(json.dumps({"base_template": "lab"}), encoding="utf-8")
    style = webfont.css(webfont.data_url(webfont.font_bytes(root)))
    lab = (Path(sys.prefix) / "share" / "jupyter" / "voila" / "templates" / "lab"
           / "index.html.j2")
    text = _voila_index(lab.read_text(encoding="utf-8") if lab.exists() else None, style)
    (folder / "index.html.j2").write_text(text, encoding="utf-8")
    return data_dir


def write_live_slides_template(data_dir: Path, vendor: Path = assets.VENDOR) -> Path:
    """Copy the ``crmlab_live_slides`` Voila template (it extends ``crmlab``, written by
    :func:`write_voila_template` into the same ``data_dir``) with the vendored reveal.js
    script, style sheet and licence in its static folder (a copy, about 100 KB: Voila's
    static handler refuses a link that leaves the folder); return the template folder."""
    folder = Path(data_dir) / "voila" / "templates" / LIVE_SLIDES
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(Path(__file__).parent / "templates" / LIVE_SLIDES, folder)
    for name in REVEAL_FILES:
        target = folder / "static" / "reveal.js" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(vendor) / "reveal.js" / name, target)
    return folder


def _voila_index(lab_template: str | None, style: str) -> str:
    """Voila's own lab template with the CDN style sheets removed and the font added."""
    head = "<style>\n" + style + "\n</style>\n"
    if lab_template is None:     # Voila not installed here: the template is never used
        return "{%- extends 'voila/templates/lab/index.html.j2' -%}\n"
    text = re.sub(r'\s*<link rel="stylesheet" href="https://[^"]+"[^>]*/>', "", lab_template)
    return text.replace("{{ super() }}\n{%- endblock notebook_css -%}",
                        head + "{{ super() }}\n{%- endblock notebook_css -%}", 1)


def voila_command(notebook: Path, port: int, *, voila: str | None = None,
                  template: str = "crmlab", progressive: bool = False) -> list[str]:
    """The Voila command line: localhost only, no browser, sources stripped, the crmlab
    template (or ``crmlab_live_slides``), idle kernels culled, the jupytext lab extension
    (not used by a dashboard and not loadable inside Voila) off. ``progressive``: Voila
    sends the page at once and the cells' outputs as they are computed (the live slides
    show their first slide after ~5 s instead of after the whole lesson, ~10-14 s)."""
    voila = voila or shutil.which("voila", path=str(Path(sys.executable).parent)) \
        or shutil.which("voila") or "voila"
    return [voila, str(notebook), f"--port={port}", "--no-browser", "--Voila.ip=127.0.0.1",
            "--Voila.port_retries=0",
            "--VoilaConfiguration.strip_sources=True",
            f"--VoilaConfiguration.template={template}",
            "--VoilaConfiguration.show_tracebacks=False",
            "--VoilaConfiguration.extension_denylist=jupytext",
            f"--MappingKernelManager.cull_interval={CULL['cull_interval']}",
            f"--MappingKernelManager.cull_idle_timeout={CULL['cull_idle_timeout']}",
            *(["--VoilaConfiguration.progressive_rendering=True"] if progressive else [])]


def voila_env(data_dir: Path) -> dict[str, str]:
    """The environment Voila runs in: the crmlab template on ``JUPYTER_PATH`` and no proxy
    for localhost."""
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join([str(data_dir), *filter(None, [env.get("JUPYTER_PATH")])])
    env.setdefault("NO_PROXY", "127.0.0.1,localhost")
    return env


def start(source: Path, language: str = "en", *, port: int = 8866, whole: bool = False,
          live_slides: bool = False, out: Path = OUT, root: Path = ROOT, log=None,
          vendor: Path | None = None) -> tuple[subprocess.Popen, str]:
    """Start Voila on a chapter's lesson (as live slides with ``live_slides``; reveal.js is
    fetched into ``vendor`` first if needed); wait for its "running at" line and return
    the process and the URL. ``log`` receives each line Voila prints (default: discarded
    after start-up, to keep a terminal quiet)."""
    try:
        import voila  # noqa: F401
    except ImportError:
        raise SystemExit("the dashboards need Voila: pip install 'voila>=0.5.13,<0.6' "
                         "(make present installs it)") from None
    notebook = write_lesson(source, language, whole=whole, slides_plan=live_slides,
                            out=out, root=root)
    data_dir = write_voila_template(out, root)
    template = "crmlab"
    if live_slides:
        try:
            vendor = assets.ensure(vendor or assets.VENDOR)
        except RuntimeError as err:    # no npm the first time, or a tarball not matching
            raise SystemExit(f"the live slides need reveal.js: {err}") from None
        write_live_slides_template(data_dir, vendor)
        template = LIVE_SLIDES
    proc = subprocess.Popen(voila_command(notebook, port, template=template,
                                          progressive=live_slides),
                            env=voila_env(data_dir),
                            cwd=notebook.parent, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, bufsize=1,
                            preexec_fn=_default_sigint)
    seen = []
    deadline = time.monotonic() + 180
    for line in proc.stdout:
        seen.append(line)
        if log:
            log(line)
        match = READY.search("".join(seen[-3:]))
        if match:
            # keep reading Voila's log in the background, or a full pipe would stall it
            threading.Thread(target=_drain, args=(proc, log), daemon=True).start()
            return proc, match.group(1)
        if time.monotonic() > deadline:
            break
    stop(proc)
    raise RuntimeError("Voila did not start:\n" + "".join(seen[-30:]))


def _default_sigint() -> None:
    """In Voila's process: Ctrl+C (SIGINT) acts again even when this command was started
    where SIGINT is ignored (a background job of a non-interactive shell), so that
    :func:`stop` shuts Voila and its kernels down instead of waiting and killing."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _drain(proc: subprocess.Popen, log) -> None:
    try:
        for line in proc.stdout:
            if log:
                log(line)
    except (ValueError, OSError):   # closed by stop()
        pass


def stop(proc: subprocess.Popen, timeout: float = 15) -> None:
    """Stop Voila as Ctrl+C does (its kernels are shut down), kill it if it hangs."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if proc.stdout:
        proc.stdout.close()


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The options of ``crmlab present``."""
    parser.add_argument("chapter", help="the chapter: 02_man_case, or just 02")
    parser.add_argument("--language", default="en",
                        help="the edition: en, or zh for the Chinese one (中文版)")
    parser.add_argument("--port", type=int, default=8866, help="port on 127.0.0.1 (8866)")
    parser.add_argument("--whole", action="store_true",
                        help="the whole solution notebook, exercises included (default: "
                             "the lesson, up to the exercises)")
    parser.add_argument("--slides", action="store_true",
                        help="as reveal.js slides (the offline deck's slide breaks) whose "
                             "widgets stay live")
    return parser


def run(args) -> int:
    """Serve the dashboard until Ctrl+C."""
    source = chapter_source(args.chapter)
    kind = "live slides" if args.slides else "dashboard"
    print(f"starting Voila on {source.stem} ({args.language}, {kind}) …", flush=True)
    proc, url = start(source, args.language, port=args.port, whole=args.whole,
                      live_slides=args.slides)
    print(f"\n  {source.stem} ({args.language}) is served at {url}\n"
          f"  open it in a browser on this machine (or forward port {args.port}); "
          f"Ctrl+C stops it\n", flush=True)

    signal.signal(signal.SIGTERM, lambda *_a: proc.send_signal(signal.SIGINT))
    try:
        proc.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stop(proc)
    return 0


def main(argv: list[str] | None = None, *, prog: str = "crmlab present") -> int:
    parser = add_arguments(argparse.ArgumentParser(
        prog=prog, description=__doc__.splitlines()[0]))
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
