"""``crmlab grade`` on a class: one batch of fake submissions of chapter 3, graded once.

The class is made from the real student notebook (both editions) by tests/submissions/:
right and wrong answers, and one submission per misbehaviour the grader must survive. The
batch runs once per module (it takes a few minutes on two workers); each test reads its
rows. The teacher's folder and the repository are hashed before and after.
"""

import csv
import hashlib
import json
import os
from pathlib import Path

import pytest
from sandboxes import bubblewrap_works
from submissions.generate import Notebook, fake_record_cell

from crmlab.course import grading

CHAPTER = "03_rfm"
TIMEOUT = 150
DISK = 200          # MB: the "disk" submission writes 400
A = "2024001"
ALL = {f"rfm-{i}" for i in range(1, 10)}
BEFORE_LOOP = {"rfm-1", "rfm-2", "rfm-3", "rfm-4"}   # the checks above rfm-5's answer cell
REPO = Path(grading.__file__).resolve().parents[2]


pytestmark = pytest.mark.skipif(
    not bubblewrap_works(),
    reason="bubblewrap (Debian package bubblewrap) does not work here; .ci/run installs it")


def make_class(folder: Path, teacher: Path) -> None:
    """Write the class's submissions into ``folder`` (``teacher`` is the folder to attack)."""
    def add(name, nb):
        nb.write(folder / f"{name}.ipynb")

    def nb(student=None, language="en"):
        book = Notebook(CHAPTER, language)
        return book.student(student) if student else book

    add("right", nb(A).solve())
    add("right_zh", nb("2024002", "zh").solve())
    wrong = nb("2024003").wrong()
    wrong.cells[wrong.answer_cell("rfm-6")].source = 'beer = type("Weird", (), {})()'
    add("wrong", wrong)
    crash = nb("2024004").solve()
    crash.cells[crash.answer_cell("rfm-1")].source = "1 / 0\n" + \
        crash.cells[crash.answer_cell("rfm-1")].source
    add("crash", crash)
    loop = nb("2024005").solve()
    add("loop", loop.insert(loop.answer_cell("rfm-5"), "while True:\n    pass"))
    hog = nb("2024006").solve()
    add("memory", hog.insert(hog.id_cell() + 1, "hog = [bytearray(2 ** 27) for _ in range(64)]"))
    ended = nb("2024007").solve()
    add("exit", ended.insert(ended.answer_cell("rfm-5"), "import os\nos._exit(3)"))
    deleted = nb("2024008").solve()
    add("deleted", deleted.delete(deleted.check_cell("rfm-5"), deleted.check_cell("rfm-6")))
    add("renamed", nb("2024009").solve().rename("rfm-6"))
    filler = nb("2024018").solve()
    add("disk", filler.insert(filler.id_cell() + 1,
                              "import time\n"
                              "for i in range(40):\n"
                              "    with open(f'junk{i}.bin', 'wb') as fh:\n"
                              "        fh.write(b'x' * 10 ** 7)\n"
                              # it goes on running, as a filling loop does: the folder is
                              # measured every 2 s, and the rest of this notebook can take
                              # less than that on a fast machine
                              "time.sleep(10)"))
    loud = nb("2024010").solve()
    add("loud", loud.insert(loud.id_cell() + 1, 'print("x" * 3_000_000)\n'
                                                "for i in range(100_000):\n    print('line', i)"))
    changer = nb("2024011").solve()
    add("idchange", changer.insert(changer.answer_cell("rfm-5"), 'crmlab.student("2024099")'))
    escape = nb("2024012").solve()
    at = escape.id_cell() + 1
    for source in (f"open({str(teacher / 'gradebook.csv')!r}, 'a').write('A+')",
                   f"import pathlib\npathlib.Path({str(teacher / 'pwned.txt')!r}).write_text('x')",
                   f"import os\nos.remove({str(teacher / 'notes.txt')!r})",
                   f"import shutil\nshutil.rmtree({str(teacher)!r})",
                   "import subprocess\nsubprocess.run(['sh', '-c', 'echo x >> "
                   f"{teacher / 'gradebook.csv'}'], check=True)"):
        escape.insert(at, source)
    add("escape", escape)
    snoop = nb("2024013").solve()
    at = snoop.id_cell() + 1
    for source in (f"print(open({str(folder / 'right.ipynb')!r}).read()[:100])",
                   "print(open('../right.ipynb').read()[:100])",
                   f"import os\nprint(os.listdir({str(folder)!r}))"):
        snoop.insert(at, source)
    add("snoop", snoop)
    fake = nb("2024014").wrong()
    fake.insert(fake.check_cell("rfm-2"), "for guess in range(3, 16):\n"
                                          "    crmlab.check('rfm-2', guess)")
    fake.insert(fake.answer_cell("rfm-5"),
                "crmlab.check = lambda *args, **kwargs: print('✓ correct')")
    for exercise in ("rfm-1", "rfm-5", "rfm-9"):
        fake.insert(len(fake.cells), fake_record_cell(exercise, "2024014", 1))
    add("fake", fake)
    copier = nb("2024015")
    add("copier", copier.literal(copier.numbers_of(A)))
    twin = nb("2024016")
    numbers = twin.numbers_of("2029999")           # a student who is not in the class
    add("twin_a", twin.literal(numbers))
    add("twin_b", nb("2024017").literal(numbers))
    add("sameid", nb("2024003").solve())
    (folder / "garbage.ipynb").write_text("this is not a notebook {", encoding="utf-8")
    add("noid", nb().solve())


#: file -> (the questions that pass, the notes on the row)
EXPECTED = {
    "right": (ALL, set()),
    "right_zh": (ALL, set()),
    "wrong": (set(), set()),
    "crash": (ALL - {"rfm-1", "rfm-2"}, {"errors"}),
    "loop": (BEFORE_LOOP, {"timeout"}),
    "memory": (ALL, {"memory", "errors"}),
    "exit": (BEFORE_LOOP, {"died"}),
    "deleted": (ALL - {"rfm-5", "rfm-6"}, {"cells"}),
    "renamed": (ALL - {"rfm-6"}, {"errors"}),
    "loud": (ALL, {"output"}),
    "escape": (ALL, {"write outside", "ran commands", "errors"}),
    "snoop": (ALL, {"read other", "errors"}),
    "fake": (set(), {"guessing", "fake record"}),
    "sameid": (ALL, set()),
    "garbage": (set(), {"not a notebook"}),
    "noid": (ALL, {"no id"}),
}


def _hash_tree(*folders: Path) -> str:
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if "__pycache__" in path.parts or ".pytest_cache" in path.parts:
                continue
            digest.update(str(path).encode())
            if path.is_file() and not path.is_symlink():
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _orphan_kernels() -> list[int]:
    """Kernels whose connection file is gone: their submission's folder was deleted."""
    found = []
    for entry in os.listdir("/proc"):
        try:
            args = Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"ipykernel_launcher" in args and b"-f" in args:
            conn = args[args.index(b"-f") + 1].decode()
            if "crmlab-grade-" in conn and not os.path.exists(conn):
                found.append(int(entry))
    return found


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    root = tmp_path_factory.mktemp("grading")
    teacher = root / "teacher"
    folder = teacher / "submissions"
    folder.mkdir(parents=True)
    (teacher / "gradebook.csv").write_text("student,grade\n2024001,\n", encoding="utf-8")
    (teacher / "notes.txt").write_text("private notes", encoding="utf-8")
    make_class(folder, teacher)
    watched = (REPO / "crmlab", REPO / "datasets", REPO / "exercises", REPO / "solutions")
    before = _hash_tree(teacher), _hash_tree(*watched)
    out = root / "out"
    code = grading.main([CHAPTER, str(folder), "-o", str(out), "--timeout", str(TIMEOUT),
                         "--disk", str(DISK), "--jobs", "2"])
    after = _hash_tree(teacher), _hash_tree(*watched)
    with open(out / "grades.csv", encoding="utf-8-sig", newline="") as fh:
        rows = {r["file"].removesuffix(".ipynb"): r for r in csv.DictReader(fh)}
    details = json.loads((out / "grades.json").read_text(encoding="utf-8"))
    info = {d["file"].removesuffix(".ipynb"): d for d in details["submissions"]}
    return {"code": code, "rows": rows, "info": info, "out": out, "teacher": teacher,
            "before": before, "after": after, "orphans": _orphan_kernels()}


def test_the_batch_finishes_with_one_row_per_file(batch):
    assert batch["code"] == 0
    assert set(batch["rows"]) == set(EXPECTED) | {"idchange", "copier", "twin_a", "twin_b",
                                                  "disk"}
    assert {r["isolation"] for r in batch["rows"].values()} == {"bubblewrap"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_submission_gets_its_own_grades_and_notes(batch, name):
    passes, notes = EXPECTED[name]
    row, info = batch["rows"][name], batch["info"][name]
    got = {e for e in ALL if row[e] == "pass"}
    assert got == passes, (name, row["status"], info["messages"])
    assert int(row["total"]) == len(passes) and row["out_of"] == "9"
    assert set(info["notes"]) == notes, (name, row["status"])
    assert (row["status"] == "ok") == (not notes)


def test_misbehaviour_is_explained_question_by_question(batch):
    msg = {name: batch["info"][name]["messages"] for name in batch["info"]}
    assert "Weird" in msg["wrong"]["rfm-6"]
    assert "ZeroDivisionError" not in msg["crash"]["rfm-1"]       # its check cell's error
    assert "NameError" in msg["crash"]["rfm-1"] and "NameError" in msg["crash"]["rfm-2"]
    for exercise in ALL - BEFORE_LOOP:
        assert "the run stopped at cell" in msg["loop"][exercise]
        assert "the run stopped at cell" in msg["exit"][exercise]
    assert "was deleted or changed" in msg["deleted"]["rfm-5"]
    assert "crmlab.check(\"rfm-6\", beer)" in msg["deleted"]["rfm-6"]
    assert "NameError: name 'beer' is not defined" in msg["renamed"]["rfm-6"]
    assert "never called" in msg["fake"]["rfm-6"]                  # check was replaced
    assert msg["fake"]["rfm-5"].startswith("? rfm-5")              # forged record, re-checked
    status = {name: batch["rows"][name]["status"] for name in batch["rows"]}
    assert f"time limit ({TIMEOUT} s)" in status["loop"] and "while True" in status["loop"]
    assert "os._exit" in status["exit"] and "MemoryError" in status["memory"]
    assert "printed" in status["loud"] and "MB" in status["loud"]
    assert str(batch["teacher"] / "pwned.txt") in status["escape"]
    assert "(blocked)" in status["escape"] and "(blocked)" in status["snoop"]
    assert "right.ipynb" in status["snoop"]
    assert "rfm-2 was checked 14 times" in status["fake"]
    assert "rfm-1, rfm-5, rfm-9" in status["fake"]


def test_an_id_changed_between_cells_is_graded_on_the_first_id(batch):
    row, info = batch["rows"]["idchange"], batch["info"]["idchange"]
    assert row["student_id"] == "2024011" and info["notes"] == ["id changed"]
    assert "2024011 → 2024099" in row["status"]
    assert {e for e in ALL if row[e] == "pass"} >= BEFORE_LOOP
    assert int(row["total"]) < 9          # the answers after the change are 2024099's


def test_a_submission_that_fills_its_folder_is_stopped(batch):
    row, info = batch["rows"]["disk"], batch["info"]["disk"]
    assert info["notes"] == ["disk"], row["status"]
    assert f"wrote more than {DISK} MB" in row["status"]
    assert row["rfm-9"] == "fail" and "stopped before this check" in info["messages"]["rfm-9"]


def test_copies_are_flagged_for_the_teacher(batch):
    rows = batch["rows"]
    assert "numbers of student 2024001 (right.ipynb)" in rows["copier"]["flags"]
    assert int(rows["copier"]["total"]) < 9
    assert "identical answers to twin_b.ipynb" in rows["twin_a"]["flags"]
    assert "identical answers to twin_a.ipynb" in rows["twin_b"]["flags"]
    assert "same student id 2024003 as sameid.ipynb" in rows["wrong"]["flags"]
    assert "same student id 2024003 as wrong.ipynb" in rows["sameid"]["flags"]
    # one wrong answer that is another id's right one is chance (few values per variant)
    assert rows["copier"]["flags"].count("numbers of student") == 1
    assert rows["twin_a"]["flags"].count(";") == 0 and rows["twin_b"]["flags"].count(";") == 0
    for name in ("right", "right_zh", "crash", "loop", "memory", "loud", "noid", "idchange",
                 "fake", "disk"):
        assert rows[name]["flags"] == "", name
    # a flag is for the teacher: the feedback files do not accuse
    text = (batch["out"] / "feedback" / "copier.txt").read_text(encoding="utf-8")
    assert "right.ipynb" not in text and "2024001" not in text


def test_the_teachers_files_and_the_repository_are_untouched(batch):
    assert batch["before"][0] == batch["after"][0]
    assert batch["before"][1] == batch["after"][1]
    assert not (batch["teacher"] / "pwned.txt").exists()
    assert batch["orphans"] == []


def test_feedback_is_written_in_the_language_of_the_edition(batch):
    from strategies import english_sentences

    zh = (batch["out"] / "feedback" / "right_zh.txt").read_text(encoding="utf-8")
    assert "得分：9 题中答对 9 题" in zh and "[正确] rfm-1:" in zh
    assert english_sentences(zh) == []
    en = (batch["out"] / "feedback" / "right.txt").read_text(encoding="utf-8")
    assert "Score: 9 of 9" in en and "[pass] rfm-1: ✓ rfm-1 [student 2024001]" in en
    loop = (batch["out"] / "feedback" / "loop.txt").read_text(encoding="utf-8")
    assert "time limit" in loop and "[fail] rfm-9: not answered" in loop
    assert batch["rows"]["right_zh"]["language"] == "zh"


def test_grading_time_per_submission_is_reported(batch):
    seconds = [float(r["seconds"]) for name, r in batch["rows"].items() if name != "garbage"]
    assert all(0 < s < TIMEOUT + grading.GRACE + 120 for s in seconds)
    print(f"\nper-submission grading time: mean {sum(seconds) / len(seconds):.1f} s, "
          f"max {max(seconds):.1f} s over {len(seconds)} notebooks")
