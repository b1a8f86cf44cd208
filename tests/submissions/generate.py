"""Fake class submissions for the ``crmlab grade`` tests, made from the real exercise notebooks.

Every submission starts from a chapter's student notebook in one language, as a student gets
it (``exercises/`` is built from the chapter source by ``crmlab.course.build``); its answer
stubs are then filled in the way a student would: with the chapter's own worked solutions
run on the student's id (right answers), with wrong values, with another student's numbers,
or with one of the misbehaviours the grader has to survive. Nothing here knows a chapter:
cells are found by their tags (``exercise``) and by their ``crmlab.check("…")`` calls.
"""

from __future__ import annotations

import json
import re

import nbformat

from crmlab.checks import core
from crmlab.course import build
from crmlab.course.editions import edition


def _source_edition(chapter: str, language: str):
    return edition(build.read_source(build.ROOT / "notebooks" / f"{chapter}.md"), language)


def _solutions(nb) -> dict:
    """Exercise cell id -> the worked solution that follows it in the chapter source."""
    found, cells = {}, nb.cells
    for i, cell in enumerate(cells):
        if "solution" in cell.metadata.get("tags", []):
            j = i - 1
            while "exercise" not in cells[j].metadata.get("tags", []):
                j -= 1
            found[cells[j].id] = cell.source
    return found


class Notebook:
    """A student's notebook of ``chapter`` in ``language``, to fill in and misbehave in."""

    def __init__(self, chapter: str, language: str = "en"):
        source = _source_edition(chapter, language)
        self.chapter, self.language = chapter, language
        self.nb = build.exercise_notebook(source)
        self._solutions = _solutions(source)

    # --- finding cells
    @property
    def cells(self):
        return self.nb.cells

    def id_cell(self) -> int:
        return next(i for i, c in enumerate(self.cells) if c.cell_type == "code"
                    and "exercise" in c.metadata.get("tags", []) and "student(" in c.source)

    def check_cell(self, exercise: str) -> int:
        return next(i for i, c in enumerate(self.cells) if c.cell_type == "code"
                    and f'check("{exercise}"' in c.source)

    def answer_cell(self, exercise: str) -> int:
        i = self.check_cell(exercise)
        while "exercise" not in self.cells[i].metadata.get("tags", []):
            i -= 1
        return i

    def stubs(self) -> list[int]:
        return [i for i, c in enumerate(self.cells) if c.cell_type == "code"
                and "exercise" in c.metadata.get("tags", []) and "student(" not in c.source]

    def exercises(self) -> list[str]:
        return [e for e in core.list_exercises().query("chapter == @self.chapter")["exercise"]]

    # --- filling in
    def student(self, student_id) -> Notebook:
        self.cells[self.id_cell()].source = f'crmlab.student("{student_id}")'
        return self

    def solve(self) -> Notebook:
        """The chapter's worked solutions in every stub: right for whatever id is set."""
        for i in self.stubs():
            cell = self.cells[i]
            cell.source = self._solutions.get(cell.id, cell.source)
        return self

    def literal(self, answers: dict) -> Notebook:
        """``name = <literal>`` in the stub of each exercise of ``answers``."""
        for exercise, value in answers.items():
            cell = self.cells[self.answer_cell(exercise)]
            name = cell.source.split("=")[0].strip()
            cell.source = f"{name} = {value!r}"
        return self

    def numbers_of(self, student_id) -> dict:
        """The right answers of another id, as literals (open exercises left out)."""
        return {e: a for e in self.exercises()
                if (a := core._expected_answer(e, student_id)) is not None}

    def wrong(self, value=-1) -> Notebook:
        return self.literal({e: value for e in self.exercises()})

    # --- misbehaving
    def insert(self, index: int, source: str) -> Notebook:
        self.cells.insert(index, nbformat.v4.new_code_cell(source))
        return self

    def delete(self, *indices: int) -> Notebook:
        for i in sorted(indices, reverse=True):
            del self.cells[i]
        return self

    def rename(self, exercise: str, suffix: str = "_mine") -> Notebook:
        """Rename the answer variable in the exercise's own cell (its check cell still uses
        the old name)."""
        cell = self.cells[self.answer_cell(exercise)]
        name = self.stub_name(exercise)
        cell.source = re.sub(rf"\b{re.escape(name)}\b", name + suffix, cell.source)
        return self

    def stub_name(self, exercise: str) -> str:
        from crmlab.course.build import exercise_notebook

        original = exercise_notebook(_source_edition(self.chapter, self.language))
        for c in original.cells:
            if c.id == self.cells[self.answer_cell(exercise)].id:
                return c.source.split("=")[0].strip()
        raise LookupError(exercise)

    def write(self, path) -> None:
        nbformat.write(self.nb, str(path))


def fake_record_cell(exercise: str, student_id: str, answer) -> str:
    """A cell that writes a forged ✓ record and prints a forged ✓."""
    line = {"exercise": exercise, "student": student_id, "passed": True, "answer": answer}
    return (f"import os\nwith open(os.environ['CRMLAB_CHECK_RECORD'], 'a') as fh:\n"
            f"    fh.write({json.dumps(json.dumps(line))} + '\\n')\n"
            f"print('✓ {exercise}: correct.')")
