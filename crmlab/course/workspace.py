"""The student's workspace: their own copies of the chapters, never overwritten once edited.

Students work in ``work/`` (git-ignored), not in the generated ``exercises/``. Each run
of :func:`sync_workspace` (``crmlab workspace``, done by ``make lab``):

* copies a chapter that is missing from the workspace;
* updates a copy that nobody changed since it was copied (its bytes still have the
  sha256 recorded in ``work/.crmlab-workspace.json``) when the chapter has a newer
  version;
* leaves an edited copy alone and, when the chapter has a newer version, writes it
  *beside* the student's file as ``NN_name.new.ipynb`` with a printed notice — the same
  rule protects that file in turn.

Nothing is ever deleted, and no file whose bytes differ from what this module wrote is
ever replaced.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

__all__ = ["MANIFEST", "WorkspaceAction", "sync_workspace"]

#: The record of what the workspace sync wrote: file name -> sha256 of its bytes.
MANIFEST = ".crmlab-workspace.json"


@dataclass(frozen=True)
class WorkspaceAction:
    """What :func:`sync_workspace` did with one chapter.

    ``action`` is one of ``"copied"`` (was missing), ``"updated"`` (unchanged copy
    replaced by the newer chapter), ``"up to date"``, ``"kept"`` (edited copy, chapter
    unchanged), ``"offered"`` (edited copy kept, newer chapter written beside it as
    ``path``) or ``"kept both"`` (edited copy and an edited ``.new`` file: nothing
    written).
    """

    chapter: str
    action: str
    path: Path

    def __str__(self) -> str:
        messages = {
            "copied": f"new chapter: {self.path}",
            "updated": f"updated (you had not changed it): {self.path}",
            "offered": (f"NOTICE: {self.chapter} has a newer version. Your edited notebook is "
                        f"kept as it is; the new version is beside it: {self.path}"),
            "kept both": (f"NOTICE: {self.chapter} has a newer version, but both your notebook "
                          f"and {self.path} were edited, so nothing was written. Rename "
                          f"{self.path.name} to get the newest version next time."),
        }
        return messages.get(self.action, f"{self.action}: {self.path}")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_manifest(folder: Path) -> dict[str, str]:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _unchanged(path: Path, manifest: dict[str, str]) -> bool:
    """True when ``path`` still holds exactly the bytes this module wrote there."""
    return path.exists() and manifest.get(path.name) == _sha256(path)


def sync_workspace(source: Path, target: Path, *, verbose: bool = True) -> list[WorkspaceAction]:
    """Fill the student's workspace ``target`` from the generated chapters in ``source``.

    Parameters
    ----------
    source : Path
        The folder of generated student notebooks (``exercises/``).
    target : Path
        The student's folder (``work/``); created if missing.
    verbose : bool, default True
        Print one line per chapter that was copied, updated or offered, and a notice
        for every edited notebook that has a newer version.

    Returns
    -------
    list of WorkspaceAction
        One per chapter, in file-name order.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> src, dst = (Path(tempfile.mkdtemp()) for _ in range(2))
    >>> _ = (src / "01_demo.ipynb").write_text("{}")
    >>> [a.action for a in sync_workspace(src, dst, verbose=False)]
    ['copied']
    >>> _ = (dst / "01_demo.ipynb").write_text('{"my": "answer"}')   # the student's edit
    >>> _ = (src / "01_demo.ipynb").write_text('{"version": 2}')     # a newer chapter
    >>> [a.action for a in sync_workspace(src, dst, verbose=False)]
    ['offered']
    >>> (dst / "01_demo.ipynb").read_text()
    '{"my": "answer"}'
    """
    source, target = Path(source), Path(target)
    target.mkdir(parents=True, exist_ok=True)
    manifest = _read_manifest(target)
    actions = []
    for chapter in sorted(source.glob("*.ipynb")):
        new = chapter.read_bytes()
        new_sha = hashlib.sha256(new).hexdigest()
        mine = target / chapter.name
        beside = target / f"{chapter.stem}.new.ipynb"
        if not mine.exists():
            action, written = "copied", mine
        elif _sha256(mine) == new_sha:
            action, written = "up to date", None
            manifest[mine.name] = new_sha
        elif _unchanged(mine, manifest):
            action, written = "updated", mine
        elif manifest.get(f"{chapter.name}:source") == new_sha:
            action, written = "kept", None
        elif beside.exists() and not _unchanged(beside, manifest) and _sha256(beside) != new_sha:
            action, written = "kept both", None
        else:
            action, written = "offered", beside
        if written is not None:
            written.write_bytes(new)
            manifest[written.name] = new_sha
        manifest[f"{chapter.name}:source"] = new_sha
        result = WorkspaceAction(chapter.stem, action, written or mine)
        actions.append(result)
        if verbose and action not in ("up to date", "kept"):
            print(result)
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n",
                                   encoding="utf-8")
    return actions
