"""The parts of ``crmlab grade`` that need no kernel: the check record, its safe serialised
answers, the re-check, the access log, the sandbox command, the text of the feedback, and
the static reading of a submission."""

import decimal
import fractions
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sandboxes import bubblewrap_works
from submissions.generate import Notebook

import crmlab
from crmlab.course import (grading, grading_recheck, grading_record, grading_review,
                           grading_sandbox,
                           grading_text)
from crmlab.course.grading_record import Opaque, decode, encode


def _same(a, b) -> bool:
    if isinstance(a, pd.DataFrame):
        return isinstance(b, pd.DataFrame) and a.equals(b) and list(a.columns) == list(b.columns)
    if isinstance(a, pd.Series):
        return isinstance(b, pd.Series) and a.equals(b) and a.name == b.name \
            and list(a.index) == list(b.index)
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.dtype == b.dtype and np.array_equal(a, b)
    if isinstance(a, float) and a != a:
        return isinstance(b, float) and b != b
    if isinstance(a, dict):
        return type(b) is dict and list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(_same, a, b))
    return type(a) is type(b) and a == b


ANSWERS = [
    1.08, 0, -3, 10 ** 40, float("inf"), float("-inf"), float("nan"), "253", "４|５", True, None,
    ..., (304.0, 448.0), [0.2, 0.3, 0.5], {"A": 2.8, "B": 3.1}, {1: 5.0, 2: 10.0},
    {"zone": "defection", "type": ("x", 1)}, {3, 1, 2}, frozenset({"a"}), b"\x00\xff",
    decimal.Decimal("1.50"), fractions.Fraction(2, 3), 2 + 1j,
    np.float64(2.5), np.int64(75), np.bool_(True), np.str_("113"),
    np.array([[1.0, 2.0], [3.0, 4.0]]), np.array(["a", "b"]), np.array(3.6),
    pd.Series([191.67, 116.67], index=["A", "B"], name="ticket"),
    pd.Series([1, 2, 3]), pd.Series(["x", "y"], index=[10, 20]),
    pd.DataFrame({"money": [5, 4], "score": [4.2, 3.9], "tier": ["A", "B"]},
                 index=pd.Index(["L001", "L002"], name="lead_id")),
    pd.DataFrame({"total": [2.8, 3.1]}, index=["A", "B"]),
]


@pytest.mark.parametrize("answer", ANSWERS, ids=lambda a: type(a).__name__)
def test_an_answer_survives_the_record_as_it_was(answer):
    text = json.dumps(encode(answer), allow_nan=False)
    assert _same(answer, decode(json.loads(text)))


class Sneaky(dict):
    def items(self):
        raise RuntimeError("boom")


@pytest.mark.parametrize("answer", [object(), Sneaky(a=1), lambda: 1, type("W", (), {})(),
                                    pd.Timestamp("2024-01-01")],
                         ids=["object", "dict subclass", "function", "class", "timestamp"])
def test_other_objects_are_recorded_as_opaque_never_pickled(answer):
    back = decode(encode(answer))
    assert isinstance(back, Opaque) and back.kind == type(answer).__name__


def test_deep_or_huge_answers_are_not_kept(tmp_path, monkeypatch):
    deep = []
    for _i in range(50):
        deep = [deep]
    assert "opaque" in json.dumps(encode(deep))
    record = tmp_path / "record.jsonl"
    monkeypatch.setenv(grading_record.ENV, str(record))
    grading_record.record_check("man-5", np.zeros(300_000), None)
    line = json.loads(record.read_text())
    assert line["answer"] == {"t": "opaque", "type": "ndarray", "why": "size"}


@pytest.mark.parametrize("bad", [{"t": "__import__", "v": "os"}, {"t": "ndarray"}, [1, 2],
                                 {"no": "tag"}, {"t": "float", "v": "1e999999"}])
def test_decoding_a_forged_record_never_runs_code(bad):
    try:
        value = decode(bad)
    except (KeyError, TypeError, ValueError):
        return
    assert isinstance(value, Opaque)


def test_check_records_its_answer_only_under_the_grader(tmp_path, monkeypatch, capsys):
    record = tmp_path / "record.jsonl"
    monkeypatch.delenv(grading_record.ENV, raising=False)
    crmlab.check("man-2", 1.08)
    assert not record.exists()
    monkeypatch.setenv(grading_record.ENV, str(record))
    crmlab.student("2024001")
    try:
        crmlab.check("MAN-2 ", 1.08)
        crmlab.check("man-1", {"A": 1})
    finally:
        crmlab.student(...)
    lines = [json.loads(x) for x in record.read_text().splitlines()]
    assert [x["exercise"] for x in lines] == ["man-2", "man-1"]
    assert lines[0]["student"] == "2024001" and decode(lines[0]["answer"]) == 1.08
    assert lines[0]["passed"] is False          # 1.08 is the courseware's, not 2024001's
    monkeypatch.setenv(grading_record.ENV, str(tmp_path))          # a folder: cannot append
    assert crmlab.check("man-2", 1.08).passed is True     # the check is as without a grader
    out = capsys.readouterr().out
    assert "Traceback" not in out


def test_the_recheck_grades_for_the_id_it_is_given_in_its_language():
    right = crmlab.checks.core._expected_answer("man-2", "2024001")
    request = {"language": "zh", "student": "2024001",
               "answers": {"man-2": encode(right), "man-3": encode(-1.0),
                           "man-1": encode(object())}}
    out = grading_recheck.own(request)
    crmlab.set_language("en")
    assert out["man-2"]["passed"] and out["man-2"]["message"].startswith("✓")
    assert not out["man-3"]["passed"] and "学生 2024001" in out["man-3"]["message"]
    assert out["man-1"] == {"passed": False, "opaque": "object", "why": "type"}
    cross = grading_recheck.cross({"submissions": [
        {"key": "a", "student": "2024001", "answers": {}, "failed": []},
        {"key": "b", "student": "2024002", "answers": {"man-2": encode(right)},
         "failed": ["man-2"]}]})
    assert cross == {"a": {}, "b": {"a": ["man-2"]}}
    assert crmlab.current_student() is not None
    crmlab.student(...)


def test_the_recheck_runs_as_a_process_of_its_own():
    request = {"mode": "own", "language": "en", "student": "2024001", "memory_mb": 2048,
               "answers": {"man-2": encode(crmlab.checks.core._expected_answer("man-2", "2024001"))}}
    out, why = grading_review.subprocess_json("crmlab.course.grading_recheck", request, 300)
    assert why == "" and out["man-2"]["passed"] is True


def test_the_access_log_notes_what_reaches_outside(tmp_path):
    inside, outside, log = tmp_path / "box", tmp_path / "teacher", tmp_path / "access.log"
    inside.mkdir()
    outside.mkdir()
    (outside / "b.ipynb").write_text("{}")
    code = (
        "import crmlab.course.grading_record as g, os, subprocess\n"
        f"g.install_audit([{str(inside)!r}], [], {str(log)!r})\n"
        f"open({str(inside / 'ok.txt')!r}, 'w').write('fine')\n"
        f"open({str(outside / 'b.ipynb')!r}).read()\n"
        f"open({str(outside / 'x.txt')!r}, 'w').write('bad')\n"
        f"os.listdir({str(outside)!r}); os.remove({str(outside / 'x.txt')!r})\n"
        "subprocess.run(['true'])\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=inside)
    seen = [json.loads(x) for x in log.read_text().splitlines()]
    kinds = {(x["kind"], Path(x["what"]).name) for x in seen if x["kind"] != "run"}
    assert kinds == {("read", "b.ipynb"), ("write", "x.txt"), ("read", "teacher")}
    assert any(x["kind"] == "run" and "true" in x["what"] for x in seen)
    assert not any("ok.txt" in x["what"] for x in seen)


def test_the_grader_reads_nothing_through_a_link_or_a_fifo(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("teacher's key")
    (tmp_path / "record.jsonl").symlink_to(secret)
    os.mkfifo(tmp_path / "fifo")
    assert grading_review.read_untrusted(tmp_path / "record.jsonl") == b""
    assert grading_review.read_untrusted(tmp_path / "fifo") == b""
    (tmp_path / "big").write_bytes(b"x" * 5000)
    assert len(grading_review.read_untrusted(tmp_path / "big", limit=1000)) == 1000


def test_the_bubblewrap_prefix_hides_everything_but_the_submissions_folders(tmp_path):
    box = grading_sandbox.Box(tmp_path)
    args = grading_sandbox.kernel_prefix(grading_sandbox.Isolation("bubblewrap"), box)
    assert args[0] == "bwrap" and args[-1] == "--"
    assert {"--unshare-all", "--die-with-parent", "--new-session"} <= set(args)
    assert args[args.index("--cap-drop") + 1] == "ALL"
    writable = [args[i + 1] for i, a in enumerate(args) if a == "--bind"]
    assert sorted(writable) == sorted(str(p) for p in [box.tmp, *box.writable()])
    assert str(box.runner) not in args
    readable = [args[i + 1] for i, a in enumerate(args) if a == "--ro-bind"]
    assert str(Path(crmlab.__file__).parent) in readable
    assert not any(p in readable for p in ("/", "/root", "/home", str(Path.cwd())))
    user = grading_sandbox.kernel_prefix(
        grading_sandbox.Isolation("user", users=((990, 990), (991, 991))), box, worker=1)
    assert user[:2] == ["setpriv", "--reuid=991"]
    assert grading_sandbox.kernel_prefix(grading_sandbox.Isolation("rlimits"), box) == []


def _hidden_mounts(args: list[str]) -> list[str]:
    """Destinations of a bubblewrap command that a later mount covers (at or above them)."""
    arity = {"--ro-bind": 2, "--bind": 2, "--symlink": 2, "--proc": 1, "--dev": 1, "--tmpfs": 1}
    dests, i = [], 0
    while i < len(args):
        if args[i] in arity:
            dests.append(Path(args[i + arity[args[i]]]))
            i += arity[args[i]]
        i += 1
    return [str(d) for n, d in enumerate(dests)
            if any(d == later or later in d.parents for later in dests[n + 1:])]


def test_no_mount_of_the_sandbox_is_hidden_by_a_later_one_wherever_the_venv_lives(monkeypatch):
    """A repository and its virtual environment under /tmp (a CI clone) stay visible after
    the sandbox's private /tmp is mounted, and so do the submission's own folders."""
    clone = Path("/tmp/clone")
    roots = [Path("/root/.pyenv/versions/3.11.7"), clone / ".venv", clone / "crmlab",
             clone / "datasets" / "registry.json"]
    monkeypatch.setattr(grading_sandbox, "readable_roots", lambda: roots)
    for root in (Path("/tmp/crmlab-grade-x"), Path("/work/elsewhere/crmlab-grade-x")):
        box = grading_sandbox.Box(root)
        args = grading_sandbox.kernel_prefix(grading_sandbox.Isolation("bubblewrap"), box)
        assert _hidden_mounts(args) == []
        binds = [tuple(args[i + 1:i + 3]) for i, a in enumerate(args) if a == "--bind"]
        assert (str(box.tmp), "/tmp") in binds
        ro = [args[i + 2] for i, a in enumerate(args) if a == "--ro-bind"]
        assert {str(r) for r in roots} <= set(ro)
    # the check itself can fail: the private /tmp after the venv hides the venv
    assert _hidden_mounts(["--ro-bind", "/tmp/clone/.venv", "/tmp/clone/.venv",
                           "--bind", "/x/tmp", "/tmp"]) == ["/tmp/clone/.venv"]



@pytest.mark.skipif(not bubblewrap_works(), reason="bubblewrap does not work here")
def test_a_package_under_the_real_tmp_is_importable_in_the_sandbox_and_nothing_beside_it(
        monkeypatch):
    clone = Path(tempfile.mkdtemp(prefix="crmlab-clone-", dir="/tmp"))
    box = None
    try:
        (clone / "pkg").mkdir()
        (clone / "pkg" / "shipped.py").write_text("ANSWER = 42\n", encoding="utf-8")
        (clone / "secret.txt").write_text("the teacher's", encoding="utf-8")
        roots = grading_sandbox.readable_roots() + [clone / "pkg"]
        monkeypatch.setattr(grading_sandbox, "readable_roots", lambda: roots)
        level = grading_sandbox.Isolation("bubblewrap")
        box = grading_sandbox.make_box(None, "", [], level)
        code = (f"import os, sys; sys.path.insert(0, {str(clone / 'pkg')!r}); import shipped\n"
                "open('/tmp/mine.txt', 'w').write('x')\n"
                f"print(shipped.ANSWER, os.path.exists({str(clone / 'secret.txt')!r}), "
                "os.getcwd(), os.environ['HOME'])")
        done = subprocess.run(grading_sandbox.kernel_prefix(level, box) + [sys.executable, "-c",
                                                                            code],
                              env=grading_sandbox.kernel_env(box, level), capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-500:]
        assert done.stdout.split() == ["42", "False", str(box.box), str(box.home)]
        assert (box.tmp / "mine.txt").read_text(encoding="utf-8") == "x"   # /tmp is box.tmp
    finally:
        if box is not None:
            grading_sandbox.remove_box(box)
        shutil.rmtree(clone)


@pytest.mark.skipif(not bubblewrap_works(), reason="bubblewrap does not work here")
def test_the_probe_finds_bubblewrap_wherever_this_checkout_lives():
    """Where the repository and its venv live (a clone under /tmp in CI, /work here), the
    kernel's Python imports what it needs in the sandbox: the grader does not fall back."""
    found = grading_sandbox.probe()
    assert (found.level, found.note) == ("bubblewrap", ""), (sys.prefix, found.note)


def test_the_kernel_gets_a_private_environment(tmp_path):
    box = grading_sandbox.Box(tmp_path)
    env = grading_sandbox.kernel_env(box, grading_sandbox.Isolation("rlimits"))
    assert env["HOME"] == str(box.home) and env["TMPDIR"] == str(box.tmp)
    assert env["CRMLAB_DATA_DIR"] == str(box.box / "data")
    assert env[grading_record.ENV].startswith(str(box.kernel))
    assert not {"SSH_AUTH_SOCK", "JUPYTER_TOKEN", "PYTHONPATH"} & set(env)


def test_an_unknown_isolation_level_is_refused():
    with pytest.raises(ValueError, match="isolation"):
        grading_sandbox.probe("docker")


@pytest.mark.parametrize("name", ["03", "3", "03_rfm", "rfm", "notebooks/03_rfm.md",
                                  "exercises/zh/03_rfm.ipynb"])
def test_a_chapter_is_named_as_a_teacher_would(name):
    assert grading.chapter_of(name) == "03_rfm"


@pytest.mark.parametrize("name", ["00", "start", "zz", "_"])
def test_a_chapter_without_exercises_is_refused(name):
    with pytest.raises(ValueError, match="chapters with exercises"):
        grading.chapter_of(name)


def test_the_command_line_refuses_what_it_cannot_grade(tmp_path, capsys):
    assert grading.main(["00", str(tmp_path), "-o", str(tmp_path / "out")]) == 2
    assert grading.main(["02", str(tmp_path / "nowhere"), "-o", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "02_man_case" in err and "is not a folder" in err
    parser = grading.add_arguments(__import__("argparse").ArgumentParser())
    args = parser.parse_args(["man", "subs", "-o", "out"])
    assert (args.timeout, args.memory, args.jobs, args.isolation) == (300, 2048, 2, "auto")


def test_a_file_that_is_not_a_notebook_gets_a_row_without_running(tmp_path):
    folder = tmp_path / "subs"
    (folder / "a").mkdir(parents=True)
    (folder / "a" / "bad.ipynb").write_bytes(b"\x89PNG")
    (folder / "a_bad.ipynb").write_text("{", encoding="utf-8")          # same feedback name
    (folder / "=HYPERLINK(1).ipynb").write_text("[]", encoding="utf-8")
    secret = tmp_path / "teacher-secret.txt"
    secret.write_text("the teacher's password", encoding="utf-8")
    (folder / "link.ipynb").symlink_to(secret)
    (folder / ".ipynb_checkpoints").mkdir()
    (folder / ".ipynb_checkpoints" / "x.ipynb").write_text("{}")
    subs = grading.grade("02", folder, tmp_path / "out", isolation="rlimits", log=lambda m: None)
    assert [s.file for s in subs] == ["=HYPERLINK(1).ipynb", "a/bad.ipynb", "a_bad.ipynb",
                                      "link.ipynb"]
    csv_text = (tmp_path / "out" / "grades.csv").read_text(encoding="utf-8-sig")
    rows = csv_text.splitlines()[1:]
    assert rows[0].startswith("'=HYPERLINK(1).ipynb,")
    assert rows[1].startswith("a/bad.ipynb,,en,fail,fail,fail,fail,fail,fail,0,6,not a readable")
    assert "symbolic link" in rows[3] and "password" not in csv_text
    feedback = sorted(p.name for p in (tmp_path / "out" / "feedback").iterdir())
    assert feedback == ["_HYPERLINK_1_.txt", "a_bad-2.txt", "a_bad.txt", "link.txt"]
    assert not any("password" in p.read_text(encoding="utf-8")
                   for p in (tmp_path / "out" / "feedback").iterdir())


def test_a_submission_is_read_without_running_it(tmp_path):
    book = Notebook("02_man_case", "zh").student("２０２４００１").solve()
    book.delete(book.check_cell("man-3"))
    book.insert(book.answer_cell("man-5"), 'crmlab.student("2024777")')
    book.write(tmp_path / "s.ipynb")
    sub = grading.Submission("s.ipynb", tmp_path / "s.ipynb")
    exercises = [f"man-{i}" for i in range(1, 7)]
    grading.inspect(sub, exercises, grading._chapter_cells("02_man_case"))
    assert sub.language == "zh" and sub.ids == ["2024001", "2024777"]
    assert set(sub.check_cells) == set(exercises) - {"man-3"}
    assert sub.missing == ['crmlab.check("man-3", d_total)']


def test_every_sentence_of_the_grader_is_in_both_languages_with_the_same_fields():
    from strategies import english_sentences

    from crmlab.course.catalogs import placeholders

    for key, texts in grading_text.MESSAGES.items():
        assert set(texts) == {"en", "zh"}, key
        assert placeholders(texts["en"]) == placeholders(texts["zh"]), key
        filled = grading_text.say(key, "zh", **{f: "`x`" for f in placeholders(texts["zh"])})
        assert english_sentences(filled) == [], (key, filled)


def test_a_runner_is_killed_with_everything_below_it_and_nothing_else():
    proc = subprocess.Popen(["bash", "-c", "sleep 60 & sleep 60; wait"], start_new_session=True)
    try:
        import time

        time.sleep(0.5)
        for nobody in (None, 0, 1, -1, -5):
            assert grading_sandbox.kill_tree(nobody) == []
        killed = grading_sandbox.kill_tree(proc.pid)
        assert killed[0] == proc.pid and len(killed) == 3      # bash and its two sleeps
        proc.wait(timeout=10)
        for pid in killed[1:]:
            assert not Path(f"/proc/{pid}").exists() or b"zombie" in \
                Path(f"/proc/{pid}/status").read_bytes().lower()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can hand a folder to another user")
def test_a_grading_users_box_is_theirs_and_the_runners_files_are_not(tmp_path):
    import pwd
    import stat

    nobody = pwd.getpwnam("nobody")
    level = grading_sandbox.Isolation("user", users=((nobody.pw_uid, nobody.pw_gid),))
    sub = tmp_path / "s.ipynb"
    sub.write_text("{}", encoding="utf-8")
    box = grading_sandbox.make_box(sub, "s.ipynb", [], level)
    try:
        assert stat.S_IMODE(box.root.stat().st_mode) == 0o711
        for folder in box.writable():
            assert folder.stat().st_uid == nobody.pw_uid, folder
        assert (box.box / "s.ipynb").stat().st_uid == nobody.pw_uid
        assert box.runner.stat().st_uid == 0 and stat.S_IMODE(box.runner.stat().st_mode) == 0o700
        spec = grading_sandbox.runner_spec(box, level, 0, 60, 1024)
        assert spec["owner"] == [nobody.pw_uid, nobody.pw_gid] and spec["nproc"] == 256
        assert spec["prefix"][:2] == ["setpriv", f"--reuid={nobody.pw_uid}"]
        assert grading_sandbox.runner_spec(box, grading_sandbox.Isolation("bubblewrap"), 0, 60,
                                           1024)["nproc"] is None
    finally:
        grading_sandbox.remove_box(box)
    assert not box.root.exists()


def test_the_disk_a_box_uses_is_counted_without_following_links(tmp_path):
    box = grading_sandbox.Box(tmp_path)
    for folder in box.writable():
        folder.mkdir()
    (box.box / "a.bin").write_bytes(b"x" * 3_000_000)
    with open(box.tmp / "sparse.bin", "wb") as fh:        # 1 GB long: counts as 1 GB
        fh.truncate(2 ** 30)
    (box.home / "link").symlink_to("/usr")
    used = grading_sandbox.disk_used(box, 10 ** 10)
    assert 2 ** 30 + 3_000_000 <= used < 2 ** 30 + 4_000_000
    assert grading_sandbox.disk_used(box, 10 ** 6) > 10 ** 6
    assert grading_sandbox.disk_used(box, 10 ** 10, max_entries=2) == float("inf")


def test_one_chance_match_with_another_ids_numbers_is_not_a_copy(monkeypatch):
    """Variants come from a few values per exercise, so another student's numbers explain
    one wrong answer by chance; a flag needs two, and half of the wrong answers."""
    def sub(name, student, failed):
        s = grading_review.Submission(name, Path(name), student=student)
        s.answers = {e: encode(float(student)) for e in failed}
        s.results = {e: (False, "") for e in failed}
        return s

    subs = [sub("a", "1", []), sub("b", "2", []),
            sub("chance", "3", ["man-1", "man-2", "man-3", "man-6"]),
            sub("copy", "4", ["man-1", "man-2", "man-3", "man-6"])]
    answers = {"chance": {"a": ["man-2"]}, "copy": {"b": ["man-1", "man-2", "man-6"],
                                                   "a": ["man-3"]}}
    monkeypatch.setattr(grading_review, "subprocess_json", lambda *a: (answers, ""))
    grading_review.compare(subs, __import__("argparse").Namespace(
        exercises=[f"man-{i}" for i in range(1, 7)], memory=1024))
    assert subs[2].flags == []
    assert subs[3].flags == ["answers to man-1, man-2, man-6 are the numbers of student 2 (b)"]
