"""Static HTML snapshots of saved widgets, for viewers that cannot run them.

An executed solution keeps every widget's state in its metadata, but JupyterLab draws a
saved widget only in a trusted notebook, and GitHub, nbviewer or an e-mail attachment
never do: they show the output's plain text, ``VBox(children=(HBox(…``. Beside each saved
widget view :func:`add_static_views` puts a ``text/html`` snapshot drawn from that state
(labels, control values, the chart), which those viewers show instead; where widgets
work, the live view still wins. :mod:`.build` calls it on every executed solution.
"""

from __future__ import annotations

import html

import nbformat

__all__ = ["add_static_views", "static_view"]

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


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
