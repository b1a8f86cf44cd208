"""What ``crmlab grade`` learns about one submission, and how it reads it.

* :func:`inspect` reads a submission's file without running it: its edition's language,
  the student ids it sets (``crmlab.student("…")`` with a literal), which cell checks which
  exercise, and which of the chapter's cells it deleted or changed;
* :func:`read_untrusted`, :func:`read_record`: what the run left in the sandbox (the check
  record, the access log), read as data a student could have forged: never through a link,
  at most so many bytes, line by line as JSON;
* :func:`describe_run`: the notes of a row (time limit, the kernel's end, errors, printed
  megabytes, deleted cells, a changed id, access outside its folder, guessing, forged
  records) and the reason each unanswered question has none;
* :func:`compare`: the flags for the teacher (a shared id, identical answers under different
  ids, answers that are another submitter's numbers).
"""

from __future__ import annotations

import ast
import json
import os
import stat
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .grading_text import say

__all__ = ["Submission", "calls", "compare", "describe_run", "first_line", "inspect",
           "json_lines", "normalise_id", "paths", "read_record", "read_untrusted",
           "subprocess_env", "subprocess_json"]

MAX_NOTEBOOK_BYTES = 50 * 2 ** 20
#: Bytes of the check record and the access log the grader reads.
MAX_RECORD_BYTES = 64 * 2 ** 20
#: Printing more than this is noted on the row.
LOUD_BYTES = 2 ** 20
#: Checking one exercise more often than this in one run is noted (guessing).
GUESSES = 5

@dataclass
class Submission:
    """One notebook handed in and everything the grader learnt about it."""

    file: str
    path: Path
    language: str = "en"
    student: str | None = None
    ids: list = field(default_factory=list)            # literal ids in cell order
    sources: list = field(default_factory=list)        # code cell sources by cell index
    check_cells: dict = field(default_factory=dict)    # exercise -> [cell index]
    missing: list = field(default_factory=list)        # chapter cells deleted or changed
    notes: list = field(default_factory=list)          # (key, fields)
    flags: list = field(default_factory=list)          # text for the teacher
    answers: dict = field(default_factory=dict)        # exercise -> last encoded answer
    claimed: dict = field(default_factory=dict)        # exercise -> (verdict seen, for id)
    counts: dict = field(default_factory=dict)
    record_ids: list = field(default_factory=list)
    results: dict = field(default_factory=dict)        # exercise -> (passed, text)
    run: dict = field(default_factory=dict)
    access: list = field(default_factory=list)
    seconds: float = 0.0
    readable: bool = True


# ------------------------------------------------------------------ reading a notebook
def normalise_id(value) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text or len(text) > 64 or any(ch in text for ch in "/\n\r\t"):
        return None
    return text


def calls(source: str):
    """The calls ``name(literal, ...)`` / ``x.name(literal, ...)`` in a cell, by name."""
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        tree = ast.parse("\n".join(lines))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            arg = node.args[0]
            if name and isinstance(arg, ast.Constant):
                yield name, arg.value


def first_line(source: str, width: int = 48) -> str:
    line = next((x.strip() for x in source.splitlines() if x.strip()), "")
    line = line.replace("`", "'")
    return line if len(line) <= width else line[:width - 1] + "…"


def inspect(sub: Submission, exercises: list[str], chapter_cells) -> None:
    """Read ``sub``'s file (never running it): language, ids, check cells, deleted cells."""
    import nbformat

    from ..i18n import LANGUAGES

    try:
        if sub.path.is_symlink():      # a link in an unpacked archive may point at any file
            raise ValueError("a symbolic link, not a file")
        if sub.path.stat().st_size > MAX_NOTEBOOK_BYTES:
            raise ValueError(f"larger than {MAX_NOTEBOOK_BYTES // 2 ** 20} MB")
        nb = nbformat.reads(sub.path.read_text(encoding="utf-8"), as_version=4)
        cells = list(nb.cells)
        if not all(isinstance(c.get("source", ""), str) for c in cells):
            raise ValueError("a cell's source is not text")
    except Exception as err:  # noqa: BLE001 - anything that is not a notebook
        sub.readable = False
        detail = type(err).__name__ if type(err).__name__.endswith(
            ("JSONError", "DecodeError")) else f"{type(err).__name__}: {err}"
        sub.notes.append(("not a notebook", {"error": detail[:120].replace("`", "'")}))
        return
    language = (nb.metadata.get("crmlab") or {}).get("language")
    sub.sources = [c.source if c.get("cell_type") == "code" else None for c in cells]
    found_language = None
    for index, source in enumerate(sub.sources):
        if source is None:
            continue
        for name, value in calls(source):
            if name == "student" and value is not Ellipsis:
                sid = normalise_id(value)
                if sid is not None:
                    sub.ids.append(sid)
            elif name == "check" and isinstance(value, str):
                key = value.strip().lower()
                if key in exercises:
                    sub.check_cells.setdefault(key, []).append(index)
            elif name == "set_language" and isinstance(value, str) and found_language is None:
                found_language = value.strip().lower()
    sub.language = next((x for x in (language, found_language) if x in LANGUAGES), "en")
    reference = chapter_cells(sub.language)
    if reference:
        have: dict[str, int] = {}
        for source in sub.sources:
            if source is not None:
                have[source.strip()] = have.get(source.strip(), 0) + 1
        for source in reference:
            if have.get(source.strip(), 0):
                have[source.strip()] -= 1
            else:
                sub.missing.append(source)


# ------------------------------------------------------------------ reading what the run left
def read_untrusted(path: Path, limit: int = MAX_RECORD_BYTES) -> bytes:
    """A file the submission could write: read only if it is a regular file (never through
    a symbolic link), at most ``limit`` bytes."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return b""
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return b""
        chunks, left = [], limit
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def json_lines(data: bytes):
    for line in data.splitlines():
        try:
            item = json.loads(line)
        except (ValueError, RecursionError):
            continue
        if isinstance(item, dict):
            yield item


def read_record(sub: Submission, data: bytes, exercises: list[str]) -> None:
    """The last recorded answer of each exercise, how often each was checked, and the ids."""
    for item in json_lines(data):
        key = item.get("exercise")
        if not isinstance(key, str) or key not in exercises or "answer" not in item:
            continue
        sid = normalise_id(item.get("student")) if item.get("student") is not None else None
        sub.answers[key] = item["answer"]
        sub.claimed[key] = (item.get("passed") is True, sid)
        sub.counts[key] = sub.counts.get(key, 0) + 1
        if sid not in sub.record_ids:
            sub.record_ids.append(sid)


# ------------------------------------------------------------------ running one submission
def subprocess_env(home: str) -> dict:
    return {"PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/sbin",
                                     "/usr/bin", "/sbin", "/bin"]),
            "HOME": home, "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1",
            "JUPYTER_PLATFORM_DIRS": "1", "MPLCONFIGDIR": os.path.join(home, "mpl"),
            "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MALLOC_ARENA_MAX": "2"}



def subprocess_json(module: str, request: dict, timeout: float):
    """Run ``python -m module`` with ``request`` on stdin; its last stdout line as JSON."""
    with tempfile.TemporaryDirectory(prefix="crmlab-recheck-") as home:
        try:
            done = subprocess.run([sys.executable, "-m", module],
                                  input=json.dumps(request).encode("utf-8"), capture_output=True,
                                  timeout=timeout, env=subprocess_env(home), cwd=home,
                                  start_new_session=True)
        except subprocess.TimeoutExpired:
            return None, f"no answer within {timeout:.0f} s"
    lines = [x for x in done.stdout.decode("utf-8", "replace").splitlines() if x.strip()]
    if done.returncode != 0 or not lines:
        err = [x for x in done.stderr.decode("utf-8", "replace").splitlines() if x.strip()]
        return None, (err[-1] if err else f"exit {done.returncode}")[:160]
    try:
        return json.loads(lines[-1]), ""
    except ValueError:
        return None, "unreadable answer"


# ------------------------------------------------------------------ what a row says
def paths(items) -> str:
    shown = list(dict.fromkeys(items))
    return ", ".join(f"`{p}`" for p in shown[:3]) + (", …" if len(shown) > 3 else "")


def describe_run(sub: Submission, options, isolation, names: set[str], folders) -> None:
    """Turn the run's result, the record and the access log into notes and reasons."""
    run = sub.run
    stopped, cell = run.get("stopped"), run.get("stopped_cell")

    def source(i):
        return first_line(sub.sources[i] or "") if isinstance(i, int) and \
            0 <= i < len(sub.sources) and sub.sources[i] is not None else "?"

    errors = [e for e in run.get("errors", []) if isinstance(e, dict)]
    memory = next((e for e in errors if "MemoryError" in str(e.get("ename"))), None)
    if stopped == "timeout" and cell is None:      # the grader had to end the runner
        sub.notes.append(("timeout, ended", {"seconds": f"{options.timeout:g}"}))
    elif stopped == "timeout":
        sub.notes.append(("timeout", {"seconds": f"{options.timeout:g}", "cell": cell + 1,
                                      "source": source(cell)}))
    elif stopped == "died":
        sub.notes.append(("died", {"cell": (cell or 0) + 1, "source": source(cell)}))
    elif stopped == "disk":
        sub.notes.append(("disk", {"mb": options.disk}))
    elif stopped == "startup":
        sub.notes.append(("startup", {"detail": str(run.get("detail", ""))[:120]}))
    elif stopped in ("runner", "runner-memory"):
        sub.notes.append(("runner failed", {"detail": str(run.get("detail", stopped))[:120]}))
    if memory is not None:
        sub.notes.append(("memory", {"mb": options.memory, "cell": memory["cell"] + 1,
                                     "source": source(memory["cell"])}))
    if errors:
        shown = [(e["cell"] + 1, f"{e.get('ename')}: {e.get('evalue')}"[:100].replace("`", "'"))
                 for e in errors[:3]]
        sub.notes.append(("errors", {"n": len({e["cell"] for e in errors}), "cells": shown,
                                     "more": len(errors) > 3}))
    if run.get("output_bytes", 0) > LOUD_BYTES:
        sub.notes.append(("output", {"mb": f"{run['output_bytes'] / 2 ** 20:.1f}"}))
    if sub.missing:
        sub.notes.append(("cells", {"n": len(sub.missing),
                                    "cells": paths(first_line(s, 40) for s in sub.missing)}))
    ids = list(dict.fromkeys(sub.ids + [i for i in sub.record_ids if i is not None]))
    if len(ids) > 1:
        sub.notes.append(("id changed", {"ids": " → ".join(ids), "id": sub.student}))
    if sub.student is None and sub.readable:
        sub.notes.append(("no id", {}))
    elif sub.student in ("2024123456",):
        sub.notes.append(("example id", {"id": sub.student}))
    how = "blocked" if isolation.level == "bubblewrap" else "not blocked"
    writes = [a["what"] for a in sub.access if a.get("kind") == "write"]
    reads = [a["what"] for a in sub.access if a.get("kind") == "read"]
    runs = [a["what"] for a in sub.access if a.get("kind") == "run"]
    others = [p for p in reads if Path(p).name in names - {Path(sub.file).name}
              or any(p.startswith(str(f)) for f in folders)]
    if writes:
        sub.notes.append(("write outside", {"paths": paths(writes), "how": how}))
    if others:
        sub.notes.append(("read other", {"paths": paths(others), "how": how}))
    elif reads:
        sub.notes.append(("read outside", {"paths": paths(reads), "how": how}))
    if runs:
        sub.notes.append(("ran commands", {"commands": paths(r[:60] for r in runs)}))
    for exercise, n in sub.counts.items():
        if n > GUESSES:
            sub.notes.append(("guessing", {"exercise": exercise, "n": n}))
    # a ✓ recorded for the graded id that the re-check does not confirm was forged (a ✓ for
    # another id is the id change noted above)
    fakes = [e for e, (ok, sid) in sub.claimed.items()
             if ok and sid == sub.student and not sub.results.get(e, (False,))[0]]
    if fakes:
        sub.notes.append(("fake record", {"exercises": ", ".join(sorted(fakes))}))
    if sub.readable and not sub.answers and not stopped and not sub.check_cells:
        sub.notes.append(("no checks", {}))
    for exercise in options.exercises:
        if exercise in sub.results:
            continue
        cells = sub.check_cells.get(exercise, [])
        cell_errors = [e for e in errors if e["cell"] in cells]
        if cell_errors:
            e = cell_errors[-1]
            text = say("not answered: error", sub.language,
                       error=f"{e.get('ename')}: {e.get('evalue')}"[:100].replace("`", "'"))
        elif stopped and cells and cell is None:
            text = say("not answered: cut", sub.language)
        elif stopped and cells and cells[-1] >= cell:
            text = say("not answered: stopped", sub.language, cell=cell + 1)
        elif not cells and options.check_sources.get(exercise):
            text = say("not answered: deleted", sub.language,
                       source=first_line(options.check_sources[exercise]))
        else:
            text = say("not answered: never" if sub.readable else "not answered", sub.language)
        sub.results[exercise] = (False, text)


# ------------------------------------------------------------------ copies
def compare(subs: list[Submission], options) -> None:
    """Flag shared ids, identical answers under different ids, and other ids' numbers."""
    import crmlab

    variant = set(crmlab.list_exercises().query("variant")["exercise"]) & set(options.exercises)
    by_id: dict = {}
    for s in subs:
        if s.student is not None:
            by_id.setdefault(s.student, []).append(s)
    for sid, group in by_id.items():
        for s in group:
            for t in group:
                if t is not s:
                    s.flags.append(f"same student id {sid} as {t.file}")
    canon = {s.file: {e: json.dumps(s.answers[e], sort_keys=True) for e in variant
                      if e in s.answers and s.answers[e] not in ({"t": "ellipsis"}, None)}
             for s in subs}
    for s in subs:
        for t in subs:
            if t is s or s.student == t.student:
                continue
            common = sorted(set(canon[s.file]) & set(canon[t.file]))
            same = [e for e in common if canon[s.file][e] == canon[t.file][e]]
            wrong = [e for e in same if not (s.results.get(e, (False,))[0]
                                             and t.results.get(e, (False,))[0])]
            if len(common) >= 2 and same == common and wrong:
                s.flags.append(f"identical answers to {t.file} (student {t.student}) on "
                               f"{', '.join(same)}")
    request = {"mode": "cross", "memory_mb": options.memory, "submissions": [
        {"key": s.file, "student": s.student, "answers": s.answers,
         "failed": [e for e in sorted(variant) if e in canon[s.file]
                    and not s.results.get(e, (False,))[0]]}
        for s in subs if s.readable]}
    if not any(r["failed"] for r in request["submissions"]) or len(by_id) < 2:
        return
    found, why = subprocess_json("crmlab.course.grading_recheck", request,
                                 min(3600, 120 + 2 * len(subs) ** 2))
    if found is None:
        for s in subs:
            s.flags.append(f"copy check incomplete: {why}")
        return
    files = {s.file: s for s in subs}
    failed = {r["key"]: len(r["failed"]) for r in request["submissions"]}
    for s in subs:
        # a variant is drawn from a few values per exercise, so one wrong answer that is
        # another id's right one is often chance: flag only another student whose numbers
        # explain at least two and at least half of this submission's wrong answers
        need = max(2, -(-failed.get(s.file, 0) // 2))
        for other, exercises in (found.get(s.file) or {}).items():
            if other in files and isinstance(exercises, list) and len(exercises) >= need:
                t = files[other]
                s.flags.append(f"answers to {', '.join(exercises)} are the numbers of student "
                               f"{t.student} ({t.file})")
