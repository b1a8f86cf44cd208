"""No exercise's answer is on the page before its check, for a student's own numbers.

For a few student ids the student notebook of each chapter is generated, the id written in
its id cell, and every cell executed (the stubs stay ``...``). Each exercise's expected
answer for that id (``crmlab.checks.expected_answer``) must not appear in the text, the
code or the outputs of the cells above its ``crmlab.check`` call. Only distinctive forms are
searched (see ``_forms``); an exercise whose answer has no distinctive form is
covered by the variant tests instead (its answer differs from the lecture's).
"""

import re

import nbformat
import papermill as pm
import pytest

from crmlab import checks
from crmlab.course import build

RUNS = [("01_identification", "s003"), ("02_man_case", "s001"), ("03_rfm", "2024000001"), ("04_clv", "alice"),
        ("05_satisfaction_trap", "s002")]
_TABLE = checks.list_exercises()
VARIES = set(_TABLE.loc[_TABLE["variant"], "exercise"])
CHOICES = {"clv-6", "clv-5", "sat-3", "ident-2", "ident-3", "ident-4"}
# clv-5: a platform name the table must show; sat-3: a zone and a type, names the lecture
# must define; ident-2, 3, 4: information groups, channels and states the lecture must name
# (their items are none of the lecture's: tests/test_checks_identification.py)
OPEN = {"man-5"}              # the student's own design: nothing to leak


def _forms(value) -> list[str]:
    """Distinctive ways the answer would be printed: an exact decimal with two places as it
    is ("1.56"), other numbers to three places ("0.711"), and to two places from 10 up
    ("36.27"); whole numbers from 100 up; strings of three or more characters."""
    if isinstance(value, str):
        return [value] if len(value) >= 3 else []
    if isinstance(value, int) or float(value).is_integer():
        return [str(int(value))] if abs(value) >= 100 else []
    if round(value, 2) == round(value, 6):
        two = f"{value:.2f}"
        return [two] if not two.endswith("0") else []
    return [f"{value:.3f}"] + ([f"{value:.2f}"] if abs(value) >= 10 else [])


def _groups(answer) -> list[list[str]]:
    values = answer.values() if isinstance(answer, dict) else (
        answer if isinstance(answer, tuple) else [answer])
    return [g for g in (_forms(v) for v in values) if g]


def _visible(cell) -> str:
    parts = [cell.source]
    for out in cell.get("outputs", []):
        parts.append(out.get("text", ""))
        data = out.get("data", {})
        parts += [data.get("text/plain", ""), data.get("text/html", "")]
    return "\n".join(p if isinstance(p, str) else "".join(p) for p in parts)


def _found(form: str, text: str) -> bool:
    return re.search(rf"(?<![\d.]){re.escape(form)}(?![\d])", text) is not None


@pytest.mark.parametrize("chapter, who", RUNS)
def test_no_answer_is_on_the_page_before_its_check(tmp_path, chapter, who):
    nb = build.exercise_notebook(build.read_source(build.ROOT / "notebooks" / f"{chapter}.md"))
    id_cells = [c for c in nb.cells if c.source.startswith("crmlab.student(...)")]
    assert len(id_cells) == 1, "each chapter has one student-id cell"
    id_cells[0].source = f"crmlab.student({who!r})"
    out = pm.execute_notebook(nb, str(tmp_path / f"{chapter}.ipynb"), kernel_name="python3",
                              cwd=str(tmp_path), progress_bar=False)
    searched = 0
    for k, cell in enumerate(out.cells):
        match = re.match(r'crmlab\.check\("([a-z]+-\d+)"', cell.source)
        if not match:
            continue
        key = match.group(1)
        feedback = "".join(o.get("text", "") for o in cell.outputs)
        assert feedback.startswith("?"), feedback
        # a spot-the-flaw exercise may come before the id cell (predict, then reveal)
        assert f"[student {who}]" in feedback or key not in VARIES, feedback
        if key not in VARIES:    # about the courseware's own slide: see the reveal-order test
            continue
        if key in CHOICES:       # one of a few labels the lecture must name; its variant
            continue             # differs from the lecture's case (tests/test_checks_core.py)
        groups = _groups(checks.expected_answer(key, who) or ())
        if not groups:
            continue
        searched += 1
        before = "\n".join(_visible(c) for c in out.cells[:k])
        leaked = all(any(_found(f, before) for f in group) for group in groups)
        assert not leaked, f"{key}: the answer {checks.expected_answer(key, who)!r} for " \
                           f"{who} is on the page before its check"
    assert searched >= 2


@pytest.mark.parametrize("chapter", ["03_rfm", "04_clv"])
def test_spot_the_flaw_exercises_come_before_their_reveal(chapter):
    """An exercise about the courseware's own slide is asked before the cell that reveals it.

    The revealing cell carries the tag ``reveals-<exercise>``; the exercise's check must come
    first, and nothing above the check may state its answer.
    """
    nb = build.exercise_notebook(build.read_source(build.ROOT / "notebooks" / f"{chapter}.md"))
    checks_at = {re.match(r'crmlab\.check\("([a-z]+-\d+)"', c.source).group(1): k
                 for k, c in enumerate(nb.cells) if c.source.startswith("crmlab.check(")}
    fixed = [key for key in checks_at if key not in VARIES
             and checks.list_exercises().set_index("exercise").loc[key, "chapter"] == chapter
             and key not in OPEN]
    assert fixed, "this chapter has spot-the-flaw exercises"
    for key in fixed:
        reveals = [k for k, c in enumerate(nb.cells)
                   if f"reveals-{key}" in c.metadata.get("tags", [])]
        assert reveals, f"no cell is tagged reveals-{key}"
        assert checks_at[key] < min(reveals), f"{key} is asked after its reveal"
        before = "\n".join(c.source for c in nb.cells[:checks_at[key]])
        answer = str(checks.expected_answer(key))
        stated = {"no score": ["falls through", "gets no F score", "no score"],
                  "4|5": ["two M scores", "4 and 5"],
                  "Pinduoduo": ["1:18 does not follow", "Pinduoduo's 1:18"]}.get(answer, [answer])
        # the exercise's own prompt may name the option "no score"; count the stub's cell out
        prose = before.replace('`"no score"`', "")
        assert not any(s in prose for s in stated), f"{key}: its answer is stated above it"
