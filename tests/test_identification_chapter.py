"""Chapter 1's executed notebooks show what the text says: the lifecycle table in lifecycle
order, the app log's "lost" buyers who still use the app, cleaned text in quotes."""

import re

import nbformat
import pytest

from crmlab import i18n, identify, synthetic
from crmlab.course import build

SOURCE = build.ROOT / "notebooks" / "01_identification.md"


def _cell(language, needle):
    nb = nbformat.read(build.notebook_path(SOURCE, "solutions", language), as_version=4)
    found = [c for c in nb.cells if c.cell_type == "code" and needle in c.source]
    assert len(found) == 1, needle
    return found[0]


def _output(cell, kind):
    return "".join(o["data"][kind] for o in cell.get("outputs", [])
                   if kind in o.get("data", {}))


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_lifecycle_table_runs_in_lifecycle_order(language):
    html = _output(_cell(language, "in_order = identify.LIFECYCLES"), "text/html")
    head = re.search(r"<thead>(.*?)</thead>", html, flags=re.S).group(1)
    shown = [h.strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", head, flags=re.S)]
    i18n.set_language(language)
    try:
        expected = [i18n.term(identify.STAGE_TERMS[s]) for s in
                    ("development", "growth", "maturity", "decline", "termination")]
    finally:
        i18n.set_language("en")
    assert [s for s in shown if s in expected] == expected
    if language == "zh":                      # the courseware's 6-stage names, in full
        assert "客户开发(发展)期" in shown and "客户成长(维系)期" in shown


def test_the_app_logs_lost_buyers_who_still_use_the_app_are_counted_on_the_page():
    app = synthetic.make_event_log()
    people = app.groupby("user_id")["ts"].max().rename("last_contact").reset_index()
    states = identify.customer_states(app[app["event_type"] == "purchase"], people,
                                      customer="user_id", date="ts", as_of="2025-06-30",
                                      lost_after=30, contact_window=7)
    lost = states[states["state"] == "lost"]
    recent = int((lost["days_since_contact"] <= 7).sum())
    assert (len(lost), recent) == (152, 141)
    for language in ("en", "zh"):
        text = _output(_cell(language, "app_lost = app_states"), "text/plain")
        assert re.search(rf"used_the_app_in_the_last_7_days\s+{recent}\b", text)
        assert re.search(r"lost\s+152\b", text)
    summary = _output(_cell("en", "teacher_app_table"), "text/plain")
    assert re.search(r"app_log_lost_who_used_the_app_in_the_last_7_days\s+141\b", summary)
    assert re.search(r"app_log_states_engaged_within_7_days\s+\[7, 193, 389, 11\]", summary)
    for language in ("en", "zh"):                 # with engaged_within=7: 141 stay actual
        html = _output(_cell(language, "engaged_states = "), "text/html")
        assert re.findall(r"<td>(\d+)</td>", html)[::3] == ["7", "193", "389", "11"]


def test_the_cleaning_examples_show_a_removed_space():
    text = _output(_cell("en", 'changed.groupby("field").head(2)'), "text/plain")
    assert "'欧阳丽建 '" in text and "'欧阳丽建'" in text
