"""``crmlab grade CHAPTER SUBMISSIONS_DIR -o OUT_DIR``: grade a class's exercise notebooks.

Each submission is graded on the student id it carries (``crmlab.student("…")``), so every
student is checked against their own numbers:

1. **Run, isolated.** Each ``.ipynb`` under ``SUBMISSIONS_DIR`` runs from the top in a
   process of its own (:mod:`~crmlab.course.grading_runner`, nbclient), never in the grader's,
   in a fresh temporary folder holding only that submission and a copy of the data files,
   with a private HOME, a time limit (``--timeout``) and a memory limit (``--memory``,
   ``RLIMIT_AS``), at the best isolation level the machine allows
   (:mod:`~crmlab.course.grading_sandbox`: bubblewrap, a grading user, or limits only; the
   level is printed and written on every row). An error in a cell does not stop the run.
2. **Record, then re-check.** While it runs, every ``crmlab.check`` appends its answer to a
   record (:mod:`~crmlab.course.grading_record`). The grader then checks each recorded
   answer again in a clean process (:mod:`~crmlab.course.grading_recheck`) for the id the
   notebook carries; the last answer of an exercise counts. Printed ✓ marks, saved outputs
   and the verdicts in the record count for nothing; an exercise with no recorded answer
   fails as "not answered", with the reason (its check cell deleted, its check cell's
   error, the run stopped before it).
3. **Write.** ``OUT_DIR/grades.csv`` (file, student id, language, pass/fail per exercise,
   total, status, isolation, flags, seconds), ``OUT_DIR/grades.json`` (the same with every
   message) and ``OUT_DIR/feedback/<file>.txt`` per submission, in the language of the
   edition handed in (the Chinese edition gets Chinese feedback).

A submission that crashes, loops, exhausts its memory, ends its kernel, deletes cells,
renames variables, prints megabytes, changes its id, or reaches outside its folder gets a
row saying so; it never stops the batch nor changes another row. Submissions whose answers
are another submitter's numbers (wrong for its own id but right for theirs, on at least two
and at least half of its wrong answers: one such answer is often chance, as a variant is
drawn from a few values), that hand in identical answers under different ids, or that share
an id, are flagged in the ``flags`` column (for the teacher; the feedback files do not
accuse anyone).

Any chapter whose exercises are registered with :mod:`crmlab.checks` can be graded, in
every edition, with no code of its own: the questions are ``crmlab.list_exercises()`` of
the chapter, and the chapter's student notebook (``exercises/``) is the reference for
deleted cells.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .grading_review import (Submission, calls, compare, describe_run, inspect, json_lines,
                             read_record, read_untrusted, subprocess_env, subprocess_json)
from .grading_text import say

__all__ = ["GRACE", "Submission", "add_arguments", "chapter_of", "execute", "grade", "main",
           "recheck", "run", "write"]

#: A submission larger than this is not run.
#: Seconds a runner may take beyond the time limit (kernel start, shutdown) before it is killed.
GRACE = 90


def watch(proc, box, seconds: float, disk_bytes: int) -> str | None:
    """Wait for the runner ``proc``; ``"timeout"`` when it outlives ``seconds``, ``"disk"``
    when the submission's folders hold more than ``disk_bytes`` (checked every 2 s), else
    None (it ended by itself). The caller kills a runner this returns a reason for."""
    from .grading_sandbox import disk_used

    deadline = time.monotonic() + seconds
    while True:
        try:
            proc.wait(timeout=2)
            return None
        except subprocess.TimeoutExpired:
            if time.monotonic() > deadline:
                return "timeout"
            if disk_used(box, disk_bytes) > disk_bytes:
                return "disk"


def execute(sub: Submission, options, isolation, worker: int, data_files) -> None:
    """Run ``sub`` in its own folder and runner process; read its record and access log."""
    from . import grading_runner
    from . import grading_sandbox as sandbox

    box = sandbox.make_box(sub.path, Path(sub.file).name, data_files, isolation, worker,
                           seed=options.seed)
    uid = isolation.users[worker % len(isolation.users)][0] if isolation.level == "user" else None
    try:
        spec = sandbox.runner_spec(box, isolation, worker, options.timeout, options.memory)
        (box.runner / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
        with open(box.runner / "runner.log", "wb") as log:
            proc = subprocess.Popen(
                [sys.executable, grading_runner.__file__, str(box.runner / "spec.json")],
                cwd=box.runner, env=subprocess_env(str(box.runner)), stdin=subprocess.DEVNULL,
                stdout=log, stderr=log, start_new_session=True)
            killed = watch(proc, box, options.timeout + GRACE, options.disk * 2 ** 20)
            if killed:                             # not reaped yet: its pid is still its own
                sandbox.kill_tree(proc.pid, uid)
            proc.wait()
        try:
            sub.run = json.loads((box.runner / "result.json").read_text(encoding="utf-8"))
            if killed == "disk":
                sub.run.update(stopped="disk")
        except (OSError, ValueError):
            if killed:
                sub.run = {"stopped": killed, "stopped_cell": None}
            else:
                tail = (box.runner / "runner.log").read_bytes()[-2000:].decode("utf-8",
                                                                               "replace")
                last = [x for x in tail.strip().splitlines() if x.strip()][-1:] or ["no result"]
                sub.run = {"stopped": "runner", "detail": last[0][:160]}
        read_record(sub, read_untrusted(box.kernel / "record.jsonl"), options.exercises)
        sub.access = [a for a in json_lines(read_untrusted(box.kernel / "access.log", 1 << 20))
                      if isinstance(a.get("what"), str) and not (
                          a.get("kind") in ("read", "write")
                          and sandbox.private_tmp(a["what"], box, isolation))][:200]
    finally:
        if uid is not None:
            sandbox.kill_tree(None, uid)
        sandbox.remove_box(box)



def recheck(sub: Submission, options) -> None:
    """Check every recorded answer again, for the id the notebook carries."""
    answers = {e: sub.answers[e] for e in options.exercises if e in sub.answers}
    if not answers:
        return
    request = {"mode": "own", "language": sub.language, "student": sub.student,
               "answers": answers, "memory_mb": options.memory}
    verdicts, why = subprocess_json("crmlab.course.grading_recheck", request,
                                     60 + 10 * len(answers))
    if verdicts is None:
        sub.notes.append(("recheck failed", {"detail": why}))
        return
    for exercise, verdict in verdicts.items():
        if exercise not in answers or not isinstance(verdict, dict):
            continue
        if verdict.get("opaque"):
            text = say("too large" if verdict.get("why") == "size" else "unrecorded",
                       sub.language, kind=verdict["opaque"])
            sub.results[exercise] = (False, text)
        elif answers[exercise] == {"t": "ellipsis"} or answers[exercise] is None:
            sub.results[exercise] = (False, say("not answered: stub", sub.language))
        else:
            sub.results[exercise] = (bool(verdict.get("passed")), str(verdict.get("message")))


# ------------------------------------------------------------------ the batch
def chapter_of(name: str) -> str:
    """The chapter (e.g. ``02_man_case``) that ``name`` means: its number, its name, a word
    of it, or a path to its source or notebook. Only chapters with exercises count."""
    import crmlab

    chapters = list(dict.fromkeys(crmlab.list_exercises()["chapter"]))
    stem = Path(str(name)).stem.strip().lower()
    exact = [c for c in chapters if c == stem or c.split("_")[0] == stem.zfill(2)]
    fuzzy = [c for c in chapters if stem and stem in c]
    match = exact or fuzzy
    if len(match) != 1:
        raise ValueError(f"no single chapter with exercises matches {name!r}; chapters with "
                         f"exercises: {', '.join(chapters)}")
    return match[0]


def _chapter_cells(chapter: str):
    """``cells(language)``: the sources of the code cells of the chapter's student notebook
    that a student is not asked to edit (empty when the notebook is not at hand)."""
    import nbformat

    from . import build

    cache: dict = {}

    def cells(language: str) -> list[str]:
        if language not in cache:
            path = build.notebook_path(chapter, "exercises", language)
            try:
                nb = nbformat.read(path, as_version=4)
                cache[language] = [c.source for c in nb.cells if c.cell_type == "code"
                                   and "exercise" not in c.metadata.get("tags", [])]
            except (OSError, ValueError):
                cache[language] = []
        return cache[language]

    return cells


def _check_sources(chapter_cells, exercises) -> dict:
    found = {}
    for source in chapter_cells("en"):
        for name, value in calls(source):
            if name == "check" and isinstance(value, str) and value.lower() in exercises:
                found.setdefault(value.lower(), source)
    return found


def grade(chapter: str, folder: Path, out: Path, *, timeout: float = 300, memory: int = 2048,
          disk: int = 1024, jobs: int = 2, isolation: str = "auto", language: str = "en",
          log=print) -> list[Submission]:
    """Grade every notebook under ``folder`` for ``chapter``; write ``out``; return the rows."""
    import crmlab

    from . import grading_sandbox as sandbox
    from .. import datasets

    chapter = chapter_of(chapter)
    folder, out = Path(folder).resolve(), Path(out).resolve()
    table = crmlab.list_exercises()
    exercises = list(table.loc[table["chapter"] == chapter, "exercise"])
    cells = _chapter_cells(chapter)
    seed = Path(tempfile.mkdtemp(prefix="crmlab-grade-fonts-"))
    options = argparse.Namespace(timeout=float(timeout), memory=int(memory), disk=int(disk),
                                 seed=seed,
                                 exercises=exercises,
                                 check_sources=_check_sources(cells, exercises))
    files = sorted(p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
                   and out not in p.parents and p.is_file())
    subs = [Submission(p.relative_to(folder).as_posix(), p) for p in files]
    try:
        level = sandbox.probe(isolation, workers=jobs, seed=seed)
    except BaseException:
        shutil.rmtree(seed, ignore_errors=True)
        raise
    log(f"crmlab grade: {len(subs)} notebooks of {chapter} in {folder}; isolation: "
        f"{level.level}" + (f" ({level.note})" if level.note else ""))
    data_files = sorted({datasets.dataset_path(n) for n in crmlab.list_datasets()["name"]})
    names = {p.name for p in files}
    start = time.monotonic()
    for s in subs:
        inspect(s, exercises, cells)
        s.student = s.ids[0] if s.ids else None

    def one(args):
        worker, sub = args
        t0 = time.monotonic()
        try:
            if sub.readable:
                execute(sub, options, level, worker, data_files)
                if sub.student is None and sub.record_ids:
                    sub.student = next((i for i in sub.record_ids if i is not None), None)
                recheck(sub, options)
            describe_run(sub, options, level, names, [folder, out])
        except Exception as err:  # noqa: BLE001 - one submission never stops the batch
            sub.notes.append(("runner failed", {"detail": f"{type(err).__name__}: {err}"[:160]}))
        sub.seconds = round(time.monotonic() - t0, 2)
        log(f"  {sub.file}: {sum(r[0] for r in sub.results.values())}/{len(exercises)} "
            f"in {sub.seconds:.1f} s")
        return sub

    try:
        with ThreadPoolExecutor(max_workers=max(1, min(jobs, 8))) as pool:
            list(pool.map(one, [(i % max(1, jobs), s) for i, s in enumerate(subs)]))
    finally:
        shutil.rmtree(seed, ignore_errors=True)
    compare(subs, options)
    write(subs, chapter, exercises, out, level, language)
    times = [s.seconds for s in subs if s.readable]
    log(f"graded {len(subs)} notebooks in {time.monotonic() - start:.0f} s"
        + (f"; per notebook mean {sum(times) / len(times):.1f} s, max {max(times):.1f} s"
           if times else "") + f"; wrote {out / 'grades.csv'}")
    return subs


def _notes(sub: Submission, language: str) -> list[str]:
    """The notes of a row as sentences in ``language``."""
    texts = []
    for key, fields in sub.notes:
        fields = dict(fields)
        if key == "errors":
            fields["cells"] = "; ".join(say("cell error", language, cell=c, error=e)
                                        for c, e in fields["cells"]) + (
                                            "; …" if fields.pop("more") else "")
        if "how" in fields:
            fields["how"] = say(fields["how"], language)
        texts.append(say(key, language, **fields))
    return texts


def _cell(value):
    """A CSV cell a spreadsheet shows as text: a student's id, file name or error message
    that starts like a formula (``=``, ``+``, ``-``, ``@``) gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write(subs, chapter, exercises, out: Path, isolation, language: str) -> None:
    """``grades.csv``, ``grades.json`` and one feedback text per submission."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "feedback").mkdir(exist_ok=True)
    rows, used = [], set()
    for s in subs:
        status = "; ".join(_notes(s, language)) or say("ok", language)
        rows.append({"file": s.file, "student_id": s.student or "", "language": s.language,
                     **{e: ("pass" if s.results.get(e, (False,))[0] else "fail")
                        for e in exercises},
                     "total": sum(s.results.get(e, (False,))[0] for e in exercises),
                     "out_of": len(exercises), "status": status, "isolation": isolation.level,
                     "flags": "; ".join(s.flags), "seconds": s.seconds})
        lang = s.language
        text = [say("title", lang, file=s.file, chapter=chapter),
                say("student", lang, id=s.student) if s.student else say("no student", lang),
                say("score", lang, passed=rows[-1]["total"], total=len(exercises)), ""]
        notes = _notes(s, lang)
        text += ([say("run notes", lang)] + [f"- {n}" for n in notes]) if notes \
            else [say("run ok", lang)]
        text += ["", say("questions", lang)]
        for e in exercises:
            passed, message = s.results.get(e, (False, say("not answered", lang)))
            text.append(f"[{say('pass' if passed else 'fail', lang)}] {e}: {message}")
        text += ["", say("how graded", lang), ""]
        stem = re.sub(r"[^\w.-]+", "_", s.file.removesuffix(".ipynb")).strip(".") or "_"
        name, n = f"{stem}.txt", 1
        while name in used:
            n += 1
            name = f"{stem}-{n}.txt"
        used.add(name)
        (out / "feedback" / name).write_text("\n".join(text), encoding="utf-8")
    fields = ["file", "student_id", "language", *exercises, "total", "out_of", "status",
              "isolation", "flags", "seconds"]
    with open(out / "grades.csv", "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows({k: _cell(v) for k, v in row.items()} for row in rows)
    details = [{**row, "messages": {e: s.results.get(e, (False, ""))[1] for e in exercises},
                "notes": [k for k, _f in s.notes], "run_seconds": s.run.get("seconds"),
                "cells_run": s.run.get("cells"), "output_bytes": s.run.get("output_bytes")}
               for row, s in zip(rows, subs)]
    (out / "grades.json").write_text(json.dumps({"chapter": chapter, "isolation": isolation.level,
                                                 "isolation_note": isolation.note,
                                                 "submissions": details},
                                                ensure_ascii=False, indent=1), encoding="utf-8")


# ------------------------------------------------------------------ command line
def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The arguments of ``crmlab grade`` (for the ``crmlab`` command's subparser)."""
    parser.add_argument("chapter", help="the chapter: its number (02), name (02_man_case) or a "
                                        "word of it (man)")
    parser.add_argument("submissions", help="folder of submitted .ipynb files (searched "
                                            "recursively)")
    parser.add_argument("-o", "--out", required=True, help="output folder: grades.csv, "
                                                           "grades.json, feedback/")
    parser.add_argument("--timeout", type=float, default=300,
                        help="seconds each notebook may run (default 300)")
    parser.add_argument("--memory", type=int, default=2048,
                        help="address space of each notebook's kernel, MB (default 2048)")
    parser.add_argument("--disk", type=int, default=1024,
                        help="MB each notebook may write in its folders (default 1024)")
    parser.add_argument("--jobs", type=int, default=2,
                        help="notebooks run at once (default 2)")
    parser.add_argument("--isolation", default="auto", choices=["auto", "bubblewrap", "user",
                                                                "rlimits"],
                        help="the isolation level (default auto: the best that works here)")
    parser.add_argument("--language", default="en", choices=["en", "zh"],
                        help="language of the CSV's status notes (feedback files are in each "
                             "submission's own language)")
    return parser


def run(args) -> int:
    """``crmlab grade``: 0 when every notebook was graded, 2 when it could not start."""
    folder = Path(args.submissions)
    if not folder.is_dir():
        print(f"crmlab grade: {folder} is not a folder", file=sys.stderr)
        return 2
    try:
        grade(args.chapter, folder, Path(args.out), timeout=args.timeout, memory=args.memory,
              disk=args.disk, jobs=args.jobs, isolation=args.isolation, language=args.language)
    except ValueError as err:
        print(f"crmlab grade: {err}", file=sys.stderr)
        return 2
    return 0


def main(argv: list[str] | None = None, *, prog: str = "crmlab grade") -> int:
    """``python -m crmlab.course.grading …``, the same as ``crmlab grade …``."""
    parser = add_arguments(argparse.ArgumentParser(prog=prog, description=__doc__,
                                                   formatter_class=argparse.RawDescriptionHelpFormatter))
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
