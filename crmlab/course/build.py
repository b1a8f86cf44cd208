"""Build each chapter's student and teacher notebooks from its single text source.

A chapter is one jupytext MyST Markdown file, ``notebooks/NN_name.md``. Cell tags:

``solution``
    the worked answer of an exercise: removed from the student notebook;
``teacher``
    the "For the teacher" section (class plans, the chapter on one page): removed from
    the student notebook, kept in the solution notebook. Teacher code is to define only
    ``teacher_*`` names, and no later cell may read a name a teacher cell defines (a test
    checks), so the student notebook runs without it;
``exercise``
    the student's stub (``answer = ...``): removed from the solution notebook;
``hide-input``
    plotting boilerplate: the input is collapsed in both notebooks;
``parameters``
    the papermill parameters cell (literals only).

From it the build writes, for each language the source is written in (see
:mod:`crmlab.course.editions`), ``exercises/NN_name.ipynb`` (no outputs) and
``solutions/NN_name.ipynb`` (executed with nbclient) — the English edition — and
``exercises/zh/NN_name.ipynb`` and ``solutions/zh/NN_name.ipynb``, the Chinese one. The solution records the sha256
of everything its outputs depend on (the source, crmlab's code, the data files), so a
change to a helper marks the chapter out of date just as an edited source does. Each
generated notebook carries the hash of its cells, and the build never replaces a
notebook whose cells no longer match it (someone edited it): it stops with
:class:`EditedNotebookError` instead. The same source always gives
byte-identical files: cell ids are derived from the cell's position in the source,
timings are not recorded, stream outputs are coalesced (the kernel may flush one
printed line in several chunks), and widget model ids are renamed deterministically.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient
from nbconvert.preprocessors import (
    ClearOutputPreprocessor,
    CoalesceStreamsPreprocessor,
    TagRemovePreprocessor,
)

from .editions import edition, languages
from .snapshots import add_static_views

__all__ = ["EditedNotebookError", "build", "chapters", "edited_since_built",
           "exercise_notebook", "notebook_path", "out_of_sync", "read_source",
           "solution_notebook"]

PACKAGE = Path(__file__).resolve().parent.parent
ROOT = PACKAGE.parent
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
_WIDGET_ID = re.compile(r"[0-9a-f]{32}")


def inputs_sha256(source: Path, *, root: Path = ROOT) -> str:
    """Hash of a chapter's source, every module of the crmlab package (subpackages
    included) and the bundled data."""
    code = sorted(p for p in PACKAGE.rglob("*") if p.suffix in {".py", ".mo", ".csv"})
    data = sorted(p for p in (Path(root) / "datasets").glob("*") if p.is_file())
    named = ([(Path(source).name, Path(source))]
             + [(p.relative_to(PACKAGE.parent).as_posix(), p) for p in code]
             + [(p.name, p) for p in data])
    digest = hashlib.sha256()
    for name, path in named:
        # line endings normalised, so a Windows checkout hashes the same
        digest.update(name.encode() + b"\0" + path.read_bytes().replace(b"\r\n", b"\n"))
    return digest.hexdigest()


def chapters(root: Path = ROOT) -> list[Path]:
    """The chapter sources, ``notebooks/NN_*.md``, in order."""
    return sorted((Path(root) / "notebooks").glob("[0-9][0-9]_*.md"))


def read_source(path: Path) -> nbformat.NotebookNode:
    """Read a chapter source as a notebook with stable cell ids and a python3 kernel."""
    nb = jupytext.read(path, fmt="md:myst")
    nb.metadata.pop("jupytext", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{Path(path).stem[:40]}-{i:03d}"
        if "hide-input" in cell.metadata.get("tags", []):
            cell.metadata["jupyter"] = {"source_hidden": True}
    return nb


def _without(nb: nbformat.NotebookNode, *tags: str) -> nbformat.NotebookNode:
    copy = nbformat.reads(nbformat.writes(nb), as_version=4)
    copy, _ = TagRemovePreprocessor(remove_cell_tags=set(tags), enabled=True).preprocess(copy, {})
    copy, _ = ClearOutputPreprocessor().preprocess(copy, {})
    return copy


def exercise_notebook(source: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The student version: solution and teacher cells removed, no outputs."""
    return _without(source, "solution", "teacher")


def solution_notebook(source: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The teacher version before execution: exercise stubs removed."""
    return _without(source, "exercise")


def _stable_widget_ids(nb: nbformat.NotebookNode, seed: str) -> str:
    """Write ``nb`` with widget model ids (random uuid4s) renamed by creation order."""
    state = (nb.metadata.get("widgets", {})
             .get("application/vnd.jupyter.widget-state+json", {}).get("state", {}))
    names = {old: uuid.uuid5(uuid.NAMESPACE_URL, f"crmlab/{seed}/{i}").hex
             for i, old in enumerate(state)}
    renamed = _WIDGET_ID.sub(lambda m: names.get(m.group(), m.group()), nbformat.writes(nb))
    # write again so that the state is sorted by the new, deterministic ids
    return nbformat.writes(nbformat.reads(renamed, as_version=4))


def execute(nb: nbformat.NotebookNode, *, cwd: Path, timeout: int = 600):
    """Run every cell of ``nb`` in a fresh python3 kernel, in folder ``cwd``."""
    client = NotebookClient(nb, kernel_name="python3", timeout=timeout, record_timing=False,
                            resources={"metadata": {"path": str(cwd)}})
    executed = client.execute()
    return CoalesceStreamsPreprocessor().preprocess(executed, {})[0]


class EditedNotebookError(ValueError):
    """A generated notebook was edited by someone since the build wrote it."""


def content_sha256(nb: nbformat.NotebookNode) -> str:
    """Hash of a notebook's cells: types, sources and outputs (not metadata)."""
    cells = [[c.cell_type, c.source, c.get("outputs", [])] for c in nb.cells]
    return hashlib.sha256(json.dumps(cells, sort_keys=True).encode()).hexdigest()


def edited_since_built(path: Path) -> bool:
    """Whether the generated notebook at ``path`` differs from what the build wrote there.

    The build stamps each notebook with the hash of its cells. A notebook without a stamp
    (written before stamps existed) counts as generated; one that cannot be read as a
    notebook counts as edited.
    """
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:  # noqa: BLE001 - unreadable: someone's file, keep it
        return True
    stamp = nb.metadata.get("crmlab", {}).get("content_sha256")
    return stamp is not None and stamp != content_sha256(nb)


def _refuse_if_edited(path: Path) -> None:
    if path.exists() and edited_since_built(path):
        raise EditedNotebookError(
            f"{path} was edited after it was built, so the build does not replace it. Keep "
            f"your work elsewhere (students: `crmlab workspace` puts your own copies in "
            f"work/), then move or delete this file and build again.")


def _write(nb: nbformat.NotebookNode, path: Path) -> None:
    _refuse_if_edited(path)
    final = nbformat.reads(_stable_widget_ids(nb, path.stem), as_version=4)
    final.metadata.setdefault("crmlab", {})["content_sha256"] = content_sha256(final)
    text = nbformat.writes(final)
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


def notebook_path(source: Path, folder: str, language: str = "en", *,
                  root: Path = ROOT) -> Path:
    """Where the build writes a chapter's ``folder`` (``exercises``/``solutions``) notebook
    in ``language``: English at the top of the folder, other languages in a subfolder."""
    base = Path(root) / folder
    return (base if language == "en" else base / language) / f"{Path(source).stem}.ipynb"


def build(source: Path, *, root: Path = ROOT, run: bool = True) -> list[Path]:
    """Write the exercise and solution notebooks of one chapter, in every language.

    Parameters
    ----------
    source : Path
        The chapter's ``notebooks/NN_name.md``.
    root : Path
        The folder holding ``exercises/`` and ``solutions/``.
    run : bool, default True
        Execute the solution notebooks (False writes them unexecuted, for quick checks).

    Returns
    -------
    list of Path
        The notebooks written: exercises then solutions, English first.
    """
    source = Path(source)
    nb = read_source(source)
    langs = languages(nb)
    paths = [(lang, notebook_path(source, folder, lang, root=root))
             for lang in langs for folder in ("exercises", "solutions")]
    for _lang, path in paths:   # refuse before writing any
        path.parent.mkdir(parents=True, exist_ok=True)
        _refuse_if_edited(path)
    for lang in langs:
        text = edition(nb, lang)
        _write(exercise_notebook(text), notebook_path(source, "exercises", lang, root=root))
        sol_path = notebook_path(source, "solutions", lang, root=root)
        solution = solution_notebook(text)
        if run:
            solution = execute(solution, cwd=sol_path.parent)
            add_static_views(solution)
            solution.metadata["crmlab"] = {"inputs_sha256": inputs_sha256(source, root=root),
                                           "language": lang}
        _write(solution, sol_path)
    return [path for _lang, path in paths]


def _cells(nb: nbformat.NotebookNode) -> list[tuple]:
    return [(c.cell_type, c.source, tuple(c.metadata.get("tags", []))) for c in nb.cells]


def out_of_sync(source: Path, *, root: Path = ROOT) -> list[str]:
    """Say which generated notebooks of a chapter are missing or differ from its source.

    Compares cell types, sources and tags, not outputs, in every language edition, and
    whether each solution was executed with the current crmlab code, catalogs and data.
    Returns an empty list when the committed notebooks are up to date.
    """
    source = Path(source)
    nb = read_source(source)
    problems = []
    for lang in languages(nb):
        text = edition(nb, lang)
        for folder, expected in (("exercises", exercise_notebook(text)),
                                 ("solutions", solution_notebook(text))):
            path = notebook_path(source, folder, lang, root=root)
            name = path.relative_to(Path(root)).as_posix()
            if not path.exists():
                problems.append(f"{name} is missing")
                continue
            committed = nbformat.read(path, as_version=4)
            if _cells(committed) != _cells(expected):
                problems.append(f"{name} differs from notebooks/{source.name}")
            elif folder == "solutions" and committed.metadata.get("crmlab", {}).get(
                    "inputs_sha256") != inputs_sha256(source, root=root):
                problems.append(f"{name} was executed with other crmlab code or data")
    return problems
