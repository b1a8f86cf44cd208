"""crmlab.widgets.core: a clear error without ipywidgets, and the shared HTML pieces."""

import sys

import pandas as pd
import pytest

from crmlab.widgets import core
from crmlab.widgets import abc_explorer, group_clv_panel, man_dashboard, rfm_scorer


@pytest.mark.parametrize("factory", [rfm_scorer, man_dashboard, group_clv_panel,
                                     lambda: abc_explorer(pd.Series([3.0, 2.0, 1.0]))])
def test_without_ipywidgets_every_dashboard_says_how_to_get_it(monkeypatch, factory):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)      # import ipywidgets -> ImportError
    with pytest.raises(ImportError, match=r"pip install 'crmlab\[lab\]'"):
        factory()


def test_html_table_escapes_and_formats():
    frame = pd.DataFrame({"name": ["<b>x</b>"], "share": [0.125], "n": [1200]},
                         index=pd.Index(["A&B"], name="class"))
    html = core.html_table(frame, formats={"share": "{:.1%}", "n": "{:,}"},
                           headers={"share": "share of value"})
    assert "<th>class</th><th>name</th><th>share of value</th><th>n</th>" in html
    assert "<td>A&amp;B</td><td>&lt;b&gt;x&lt;/b&gt;</td><td>12.5%</td><td>1,200</td>" in html


def test_html_table_leaves_missing_cells_empty_and_styles_cells():
    frame = pd.DataFrame({"score": [None, 3.0], "status": ["no score", "ok"]})
    html = core.html_table(frame, formats={"score": "{:.0f}"},
                           styles={"status": lambda s: "" if s == "ok" else "color:crimson"})
    assert "<td></td><td style='color:crimson'>no score</td>" in html
    assert "<td>3</td><td>ok</td>" in html


def test_svg_lines_draws_one_labelled_line_per_series():
    svg = core.svg_lines([0, 1, 2], {"a": [1, 2, 3], "b": [3, 2, 1]})
    assert svg.count("<polyline") == 2 and ">a</text>" in svg and ">b</text>" in svg


def test_the_missing_ipywidgets_message_is_translated(monkeypatch):
    from crmlab import i18n

    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    i18n.set_language("zh")
    try:
        with pytest.raises(ImportError, match=r"交互面板需要 ipywidgets.*pip install 'crmlab\[lab\]'"):
            core.ipywidgets()
    finally:
        i18n.set_language("en")
