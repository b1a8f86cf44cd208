"""``crmlab grade`` works for every chapter with exercises, in every edition, with no code of
its own: a right submission of each chapter in each language passes every question and gets
its feedback in its language. Also: the lowest isolation level (limits only) still grades."""

import csv

import pytest
from submissions.generate import Notebook

import crmlab
from crmlab.course import grading
from crmlab.course.editions import languages

CHAPTERS = list(dict.fromkeys(crmlab.list_exercises()["chapter"]))


def _editions(chapter):
    from crmlab.course import build

    return languages(build.read_source(build.ROOT / "notebooks" / f"{chapter}.md"))


def _rows(out):
    with open(out / "grades.csv", encoding="utf-8-sig", newline="") as fh:
        return {r["file"]: r for r in csv.DictReader(fh)}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("chapters")
    found = {}
    for n, chapter in enumerate(CHAPTERS):
        folder = root / chapter
        folder.mkdir()
        for k, language in enumerate(_editions(chapter)):
            Notebook(chapter, language).student(f"20245{n}{k}").solve().write(
                folder / f"{language}.ipynb")
        out = root / f"{chapter}-out"
        grading.grade(chapter, folder, out, timeout=240, jobs=2)
        found[chapter] = out
    return found


def test_the_chapters_with_exercises_are_the_ones_graded():
    """Every chapter source with a ``crmlab.check`` call is graded here (a new chapter joins
    the parametrised test below on its own), in both editions."""
    from crmlab.course import build

    with_checks = [p.stem for p in build.chapters() if 'check("' in p.read_text(encoding="utf-8")]
    assert CHAPTERS == with_checks
    assert {"01_identification", "02_man_case", "03_rfm", "04_clv",
            "05_satisfaction_trap"} <= set(CHAPTERS)
    assert all(set(_editions(c)) == {"en", "zh"} for c in CHAPTERS)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_a_right_submission_passes_every_question_in_every_edition(graded, chapter):
    from strategies import english_sentences

    exercises = list(crmlab.list_exercises().query("chapter == @chapter")["exercise"])
    rows = _rows(graded[chapter])
    assert set(rows) == {f"{lang}.ipynb" for lang in _editions(chapter)}
    for name, row in rows.items():
        assert [row[e] for e in exercises] == ["pass"] * len(exercises), (name, row["status"])
        assert row["status"] == "ok" and row["language"] == name.split(".")[0]
    zh = (graded[chapter] / "feedback" / "zh.txt").read_text(encoding="utf-8")
    assert f"得分：{len(exercises)} 题中答对 {len(exercises)} 题" in zh
    assert english_sentences(zh) == []


def test_limits_only_still_grades_and_says_so(tmp_path):
    folder = tmp_path / "subs"
    folder.mkdir()
    chapter = CHAPTERS[-1]
    Notebook(chapter).student("2024600").solve().write(folder / "a.ipynb")
    subs = grading.grade(chapter, folder, tmp_path / "out", isolation="rlimits", timeout=240,
                         log=lambda m: None)
    row = _rows(tmp_path / "out")["a.ipynb"]
    assert row["isolation"] == "rlimits" and int(row["total"]) == int(row["out_of"])
    assert subs[0].run["stopped"] is None
