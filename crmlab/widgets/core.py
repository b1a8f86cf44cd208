"""The widget base: the ipywidgets import, a panel of controls over one compute call, and
the HTML/SVG pieces every chapter's dashboards share.

A panel holds its controls, the function it calls on every change and the result of
the last call, so a test can set control values and read ``.result`` without a kernel.
Callbacks hold no business logic: ``compute`` calls crmlab's compute functions, and
``render`` only formats what they return.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

__all__ = ["Panel", "html_table", "ipywidgets", "svg_lines"]

#: Colour-blind-safe line colours (seaborn's "colorblind" palette).
COLOURS = ("#0173b2", "#de8f05", "#029e73", "#d55e00", "#cc78bc")


def ipywidgets():
    """Return the ipywidgets module, or raise a clear ``ImportError`` saying how to get it.

    Every dashboard calls this before it builds a control.
    """
    try:
        import ipywidgets as w
    except ImportError:
        raise ImportError("crmlab's dashboards need ipywidgets, which comes with the notebook "
                          "extra: pip install 'crmlab[lab]'. Every dashboard has a static "
                          "twin (a table or figure) that works without it.") from None
    return w


class Panel:
    """A set of controls, one compute function, and an HTML view of its result.

    Parameters
    ----------
    controls : dict of str to ipywidgets control
        Their values are passed to ``compute`` by name.
    compute : callable
        ``compute(**values)`` returns the result (a DataFrame or Series).
    render : callable
        ``render(result)`` returns the HTML shown under the controls.

    Attributes
    ----------
    widget : ipywidgets.VBox
        What to display.
    result
        What ``compute`` returned for the current control values.
    """

    def __init__(self, controls: Mapping, compute: Callable, render: Callable):
        w = ipywidgets()
        self.controls, self._compute, self._render = dict(controls), compute, render
        self.view = w.HTML()
        for control in self.controls.values():
            control.observe(lambda change: self.update(), names="value")
        self.widget = w.VBox([w.VBox(list(self.controls.values())), self.view])
        self.update()

    def update(self):
        """Recompute from the controls and redraw the view."""
        self.result = self._compute(**{k: c.value for k, c in self.controls.items()})
        self.view.value = self._render(self.result)
        return self.result


def _cell(value, fmt) -> str:
    if fmt is not None and isinstance(value, (int, float, np.integer, np.floating)) \
            and not isinstance(value, bool) and not pd.isna(value):
        return html.escape(fmt.format(value))
    return "" if value is None or (np.ndim(value) == 0 and pd.isna(value)) \
        else html.escape(str(value))


def html_table(frame: pd.DataFrame, *, formats: Mapping[str, str] | None = None,
               default: str | None = "{:,.2f}", headers: Mapping[str, str] | None = None,
               styles: Mapping[str, Callable[[object], str]] | None = None) -> str:
    """An HTML table of ``frame`` with its index as the first column.

    Parameters
    ----------
    formats : dict of column to format string, optional
        E.g. ``{"customer_share": "{:.1%}"}``; other float columns use ``default``
        (``None``: shown as they are). Integers are shown as they are unless named.
    headers : dict of column to header text, optional
    styles : dict of column to function of the value returning a CSS style, optional

    Examples
    --------
    >>> html_table(pd.DataFrame({"n": [1], "share": [0.5]}, index=["A"]),
    ...            formats={"share": "{:.0%}"})
    '<table><tr><th></th><th>n</th><th>share</th></tr><tr><td>A</td><td>1</td><td>50%</td></tr></table>'
    """
    formats, headers, styles = dict(formats or {}), dict(headers or {}), dict(styles or {})
    names = [frame.index.name or ""] + list(frame.columns)
    head = "".join(f"<th>{html.escape(str(headers.get(c, c)))}</th>" for c in names)
    rows = []
    for key, row in zip(frame.index, frame.itertuples(index=False)):
        label = " · ".join(map(str, key)) if isinstance(key, tuple) else str(key)
        cells = [f"<td>{html.escape(label)}</td>"]
        for col, value in zip(frame.columns, row):
            fmt = formats.get(col, default if isinstance(value, (float, np.floating)) else None)
            style = styles[col](value) if col in styles else ""
            cells.append(f"<td style='{style}'>" if style else "<td>")
            cells.append(_cell(value, fmt) + "</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"


def svg_lines(x, lines: Mapping[str, np.ndarray], *, width: int = 420, height: int = 220,
              ymax: float | None = None) -> str:
    """A small SVG line chart: one polyline per entry of ``lines`` over ``x``, labelled.

    Fast enough to redraw on every slider move (no matplotlib).
    """
    x = np.asarray(x, dtype=float)
    ymax = ymax or max(float(np.nanmax(v)) for v in lines.values()) * 1.05

    def sx(v):
        return 40 + (v - x[0]) / (x[-1] - x[0]) * (width - 50)

    def sy(v):
        return height - 25 - v / ymax * (height - 35)

    paths = "".join(
        f"<polyline fill='none' stroke='{COLOURS[k % len(COLOURS)]}' stroke-width='2' points='"
        + " ".join(f"{sx(a):.1f},{sy(b):.1f}" for a, b in zip(x, v)) + "'/>"
        f"<text x='{width - 5}' y='{15 + 14 * k}' text-anchor='end' font-size='11' "
        f"fill='{COLOURS[k % len(COLOURS)]}'>{html.escape(str(name))}</text>"
        for k, (name, v) in enumerate(lines.items()))
    axes = (f"<line x1='40' y1='{height - 25}' x2='{width - 10}' y2='{height - 25}' "
            f"stroke='grey'/><text x='40' y='{height - 8}' font-size='11'>{x[0]:g}</text>"
            f"<text x='{width - 10}' y='{height - 8}' font-size='11' text-anchor='end'>"
            f"{x[-1]:g}</text><text x='2' y='14' font-size='11'>{ymax:,.0f}</text>")
    return f"<svg width='{width}' height='{height}'>{axes}{paths}</svg>"
