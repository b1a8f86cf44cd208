"""Widgets, not ``VBox(children=…)``, when a teacher opens an executed solution.

The solutions keep every widget's state, but JupyterLab draws a saved widget only in a
*trusted* notebook; in any other it falls back to the output's plain text. Trust is a
signature kept in the user's Jupyter data folder (``nbsignatures.db``), never in the file,
so it cannot be committed: ``python -m crmlab.course.trust`` (``make trust``; ``crmlab
trust`` once wired) signs every generated solution notebook on this machine. It does not
rewrite the files (trusting from JupyterLab's command palette would save them again, with
different numbers in the widget state).

:func:`add_static_views` is for the build: beside each saved widget view it puts a
``text/html`` snapshot of the widget drawn from that state (its labels, the control
values, the chart HTML), which JupyterLab shows — sanitised — in a notebook that is not
trusted, and any viewer without widget support shows too.
"""

from __future__ import annotations

import argparse
import base64
import html
import sys
from pathlib import Path

import nbformat

from . import build

__all__ = ["add_arguments", "add_static_views", "main", "run", "static_view",
           "trust_notebooks", "untrusted"]

ROOT = build.ROOT
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def _notary():
    from nbformat.sign import NotebookNotary

    return NotebookNotary()


def generated(root: Path = ROOT) -> list[Path]:
    """Every generated solution notebook, every language."""
    return sorted((Path(root) / "solutions").rglob("*.ipynb"))


def untrusted(paths: list[Path]) -> list[Path]:
    """The notebooks among ``paths`` this machine's Jupyter does not trust."""
    notary = _notary()
    return [p for p in paths if not notary.check_signature(nbformat.read(p, as_version=4))]


def trust_notebooks(paths: list[Path]) -> list[Path]:
    """Sign each notebook not yet trusted (the files are not written); return those."""
    notary = _notary()
    signed = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        if not notary.check_signature(nb):
            notary.sign(nb)
            signed.append(path)
    return signed


# --- static snapshots of saved widgets ------------------------------------------------

def _text(value) -> str:
    return html.escape(str(value))


def _output_html(output: dict) -> str:
    data = output.get("data", {})
    if "text/html" in data:
        return "".join(data["text/html"])
    if "image/png" in data:
        png = "".join(data["image/png"]).replace("\n", "")
        return f'<img src="data:image/png;base64,{png}">'
    if "text/plain" in data:
        return f"<pre>{_text(''.join(data['text/plain']))}</pre>"
    if output.get("output_type") == "stream":
        return f"<pre>{_text(''.join(output.get('text', '')))}</pre>"
    return ""


def static_view(model_id: str, state: dict, _depth: int = 0) -> str:
    """HTML snapshot of the widget ``model_id`` from a notebook's saved widget ``state``."""
    model = state.get(model_id, {})
    s = model.get("state", {})
    name = model.get("model_name", "")
    if _depth > 30:
        return ""
    label = _text(s.get("description", ""))
    if name in ("VBoxModel", "HBoxModel", "BoxModel", "GridBoxModel", "AccordionModel",
                "TabModel", "StackModel"):
        kids = [static_view(str(c).removeprefix("IPY_MODEL_"), state, _depth + 1)
                for c in s.get("children", [])]
        row = name == "HBoxModel"
        style = "display:flex;gap:1em;align-items:flex-start" if row else ""
        return f'<div style="{style}">' + "".join(f"<div>{k}</div>" for k in kids) + "</div>"
    if name in ("HTMLModel", "HTMLMathModel"):
        return str(s.get("value", ""))
    if name == "LabelModel":
        return _text(s.get("value", ""))
    if name == "OutputModel":
        return "".join(_output_html(o) for o in s.get("outputs", []))
    if name in ("CheckboxModel", "ToggleButtonModel"):
        return f"{'☑' if s.get('value') else '☐'} {label}"
    if name in ("DropdownModel", "SelectModel", "RadioButtonsModel", "ToggleButtonsModel"):
        labels, index = s.get("_options_labels", []), s.get("index")
        chosen = labels[index] if isinstance(index, int) and index < len(labels) else ""
        return f"{label} <b>{_text(chosen)}</b>"
    if "value" in s and name.endswith("Model"):
        value = s["value"]
        if isinstance(value, list):
            value = " – ".join(map(str, value))
        return f"{label} <b>{_text(value)}</b>"
    if name == "ImageModel":
        return ""
    return label


def add_static_views(nb: nbformat.NotebookNode) -> int:
    """Put a ``text/html`` snapshot beside every saved widget view of ``nb`` that has none
    (in place); return how many were added. The widget view still wins where widgets work."""
    state = (nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {}))
    added = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            view = data.get(WIDGET_VIEW)
            if not view or "text/html" in data or view.get("model_id") not in state:
                continue
            data["text/html"] = ('<div class="crmlab-widget-snapshot">'
                                 + static_view(view["model_id"], state) + "</div>")
            added += 1
    return added


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The options of ``crmlab trust``."""
    parser.add_argument("notebooks", nargs="*",
                        help="notebooks to trust (default: every generated solution)")
    return parser


def run(args) -> int:
    paths = [Path(p) for p in args.notebooks] or generated()
    signed = trust_notebooks(paths)
    print(f"{len(paths)} solution notebooks trusted on this machine "
          f"({len(signed)} newly signed): JupyterLab shows their saved widgets")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = add_arguments(argparse.ArgumentParser(
        prog="python -m crmlab.course.trust", description=__doc__.splitlines()[0]))
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
