"""The widget base: the ipywidgets import, a panel of controls over one compute call, and
the HTML/SVG pieces every chapter's dashboards share.

A panel holds its controls, the function it calls on every change and the result of
the last call, so a test can set control values and read ``.result`` without a kernel.
Callbacks hold no business logic: ``compute`` calls crmlab's compute functions, and
``render`` only formats what they return.
"""

from __future__ import annotations

import html
from functools import cache
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from ..i18n import gettext as _

__all__ = ["Panel", "captioned", "html_table", "ipywidgets", "nice_ticks", "svg_lines"]

#: Colour-blind-safe line colours (seaborn's "colorblind" palette).
COLOURS = ("#0173b2", "#de8f05", "#029e73", "#d55e00", "#cc78bc")


def ipywidgets():
    """Return the ipywidgets module, or raise a clear ``ImportError`` saying how to get it.

    Every dashboard calls this before it builds a control.
    """
    try:
        import ipywidgets as w
    except ImportError:
        raise ImportError(_("crmlab's dashboards need ipywidgets, which comes with the "
                            "notebook extra: pip install 'crmlab[lab]'. Every dashboard has a "
                            "static twin (a table or figure) that works without it.")) from None
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


@cache
def _dashboard_box():
    """A VBox whose plain-text form — what a page without a widget kernel shows — is the
    dashboard's caption in the session's language, not a repr cut at 110 characters."""
    w = ipywidgets()

    class DashboardBox(w.VBox):
        caption = ""

        def _repr_mimebundle_(self, **kwargs):
            data = super()._repr_mimebundle_(**kwargs)
            if data:
                data["text/plain"] = self.caption
            return data

    return DashboardBox


def captioned(panel: "Panel", caption: str) -> "Panel":
    """``panel`` with its widget in a box whose plain-text form is ``caption`` (what a
    notebook viewer without widgets, and a saved notebook beside the widget, shows)."""
    old = panel.widget
    panel.widget = _dashboard_box()(children=old.children)
    panel.widget.caption = caption
    old.close()
    return panel


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


def nice_ticks(low: float, high: float, count: int = 5) -> np.ndarray:
    """About ``count`` round tick values (1, 2, 2.5 or 5 × 10^k apart) covering [low, high].

    Examples
    --------
    >>> nice_ticks(0.5, 0.95).tolist()
    [0.5, 0.6, 0.7, 0.8, 0.9]
    >>> nice_ticks(0, 1834).tolist()
    [0.0, 500.0, 1000.0, 1500.0]
    """
    low, high = float(low), float(high)
    if not high > low:
        return np.array([low])
    raw = (high - low) / max(count, 1)
    power = 10.0 ** np.floor(np.log10(raw))
    step = power * min((m for m in (1, 2, 2.5, 5, 10) if m * power >= raw), default=10)
    first = np.ceil(low / step - 1e-9) * step
    ticks = np.arange(first, high + step * 1e-9, step)
    return np.round(ticks, 10) + 0.0          # no -0.0


def _tick_label(v: float, step: float) -> str:
    decimals = max(0, int(-np.floor(np.log10(step) + 1e-9))) if step < 1 else 0
    return f"{v:,.{decimals}f}" if decimals or abs(v) < 1e4 else f"{v:,.0f}"


def svg_lines(x, lines: Mapping[str, np.ndarray], *, width: int = 460, height: int = 250,
              ymax: float | None = None, x_label: str = "", y_label: str = "") -> str:
    """A small SVG line chart with ticks and axis labels, one labelled polyline per series.

    Fast enough to redraw on every slider move (no matplotlib): the y axis starts at 0
    and ends at ``ymax`` (default: 5% above the largest value).

    Parameters
    ----------
    x : array-like
        The shared x values, increasing.
    lines : dict of label to array-like
        One series per line, the same length as ``x``.
    width, height : int
        Size in pixels.
    ymax : float, optional
        Top of the y axis.
    x_label, y_label : str
        Axis titles.

    Examples
    --------
    >>> svg = svg_lines([0, 1, 2], {"a": [1, 2, 3]}, x_label="year", y_label="CLV")
    >>> svg.count("<polyline"), ">year</text>" in svg, ">CLV</text>" in svg
    (1, True, True)
    """
    x = np.asarray(x, dtype=float)
    ymax = ymax or max(float(np.nanmax(v)) for v in lines.values()) * 1.05
    left, right, top, bottom = 58, 12, 10, 42          # plot margins in pixels
    span = (x[-1] - x[0]) or 1.0

    def sx(v):
        return left + (v - x[0]) / span * (width - left - right)

    def sy(v):
        return height - bottom - v / ymax * (height - top - bottom)

    x0, y0 = sx(x[0]), sy(0)
    parts = [f"<line x1='{x0:.1f}' y1='{y0:.1f}' x2='{width - right}' y2='{y0:.1f}' "
             f"stroke='grey'/>",
             f"<line x1='{x0:.1f}' y1='{top}' x2='{x0:.1f}' y2='{y0:.1f}' stroke='grey'/>"]
    xt = nice_ticks(x[0], x[-1])
    xstep = xt[1] - xt[0] if len(xt) > 1 else 1.0
    for v in xt:
        parts.append(f"<line x1='{sx(v):.1f}' y1='{y0:.1f}' x2='{sx(v):.1f}' y2='{y0 + 4:.1f}' "
                     f"stroke='grey'/><text x='{sx(v):.1f}' y='{y0 + 16:.1f}' font-size='11' "
                     f"text-anchor='middle'>{_tick_label(v, xstep)}</text>")
    yt = nice_ticks(0, ymax)
    ystep = yt[1] - yt[0] if len(yt) > 1 else 1.0
    for v in yt:
        parts.append(f"<line x1='{x0 - 4:.1f}' y1='{sy(v):.1f}' x2='{width - right}' "
                     f"y2='{sy(v):.1f}' stroke='#ddd'/><text x='{x0 - 6:.1f}' "
                     f"y='{sy(v) + 4:.1f}' font-size='11' text-anchor='end'>"
                     f"{_tick_label(v, ystep)}</text>")
    if x_label:
        parts.append(f"<text x='{(x0 + width - right) / 2:.1f}' y='{height - 6}' "
                     f"font-size='12' text-anchor='middle'>{html.escape(x_label)}</text>")
    if y_label:
        parts.append(f"<text x='12' y='{(top + y0) / 2:.1f}' font-size='12' "
                     f"text-anchor='middle' transform='rotate(-90 12 {(top + y0) / 2:.1f})'>"
                     f"{html.escape(y_label)}</text>")
    for k, (name, v) in enumerate(lines.items()):
        colour = COLOURS[k % len(COLOURS)]
        parts.append(f"<polyline fill='none' stroke='{colour}' stroke-width='2' points='"
                     + " ".join(f"{sx(a):.1f},{sy(b):.1f}" for a, b in zip(x, v)) + "'/>"
                     f"<text x='{x0 + 8:.1f}' y='{top + 12 + 14 * k}' font-size='11' "
                     f"fill='{colour}'>{html.escape(str(name))}</text>")
    return f"<svg width='{width}' height='{height}'>{''.join(parts)}</svg>"
