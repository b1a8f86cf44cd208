"""Output-checked cells are marked with the cell tag ``nbval-check-output`` (which nbval
reads from ``metadata.tags``), not with a ``# NBVAL_CHECK_OUTPUT`` comment a student reads,
and the tag reaches the solution notebooks that ``pytest --nbval-lax`` runs."""

import nbformat
import pytest

from crmlab.course import build

TAG = "nbval-check-output"


@pytest.mark.parametrize("source", build.chapters(), ids=lambda p: p.stem)
def test_output_checks_are_cell_tags_that_reach_the_solutions(source):
    cells = build.read_source(source).cells
    assert not any("NBVAL_CHECK_OUTPUT" in c.source for c in cells)
    tagged = [c.source for c in cells if TAG in c.metadata.get("tags", [])]
    for language in ("en", "zh"):
        path = build.notebook_path(source, "solutions", language)
        solution = nbformat.read(path, as_version=4)
        shown = [c.source for c in solution.cells if TAG in c.metadata.get("tags", [])]
        assert [s.replace('"en"', '"zh"') for s in shown] == \
            [s.replace('"en"', '"zh"') for s in tagged], path
        assert all(c.outputs for c in solution.cells if TAG in c.metadata.get("tags", []))


def test_chapter_1_checks_its_merge_and_money_numbers():
    source = build.ROOT / "notebooks" / "01_identification.md"
    tagged = [c for c in build.read_source(source).cells if TAG in c.metadata.get("tags", [])]
    assert len(tagged) == 19
    assert any("linkage_quality(view" in c.source for c in tagged)
    assert any("app_lost = app_states" in c.source for c in tagged)   # the lapsed buyers
    assert any("engaged_within=7" in c.source for c in tagged)
