"""Benchmark: ``crmlab grade`` time per submission, for each chapter with exercises.

Run with ``python benchmarks/grading.py [N] [CHAPTER ...]`` (default: 2 submissions per
chapter and edition, every chapter). Each submission is the chapter's student notebook with
the worked solutions filled in for its own student id, graded as a teacher grades a class:
two at a time, each in its own sandbox (the best isolation level that works here), run from
the top and re-checked. Prints the mean and the maximum seconds per submission (run and
re-check, including the kernel's start) and the wall time of the batch.

It takes a few minutes (a chapter's notebook runs in about 10-20 s on an idle 2-core
machine; chapter 1's took 64 s, two at a time, at a load of 4.5 on 2 cores, where the others
took 17-26 s); it is not part of ``make bench``.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import crmlab  # noqa: E402
from crmlab.course import grading  # noqa: E402
from submissions.generate import Notebook  # noqa: E402


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 2
    chapters = argv[1:] or list(dict.fromkeys(crmlab.list_exercises()["chapter"]))
    print(f"{'chapter':<22} {'notebooks':>9} {'mean s':>7} {'max s':>6} {'wall s':>7}  "
          "isolation")
    for chapter in chapters:
        with tempfile.TemporaryDirectory(prefix="crmlab-bench-grade-") as tmp:
            folder = Path(tmp) / "subs"
            folder.mkdir()
            for language in ("en", "zh"):
                for k in range(n):
                    Notebook(chapter, language).student(f"2024{k:03d}{language}").solve().write(
                        folder / f"{language}-{k}.ipynb")
            start = time.monotonic()
            subs = grading.grade(chapter, folder, Path(tmp) / "out", log=lambda m: None)
            wall = time.monotonic() - start
            isolation = json.loads((Path(tmp) / "out" / "grades.json").read_text())["isolation"]
        seconds = [s.seconds for s in subs]
        ok = all(s.results and all(p for p, _m in s.results.values()) for s in subs)
        print(f"{chapter:<22} {len(subs):>9} {statistics.mean(seconds):>7.1f} "
              f"{max(seconds):>6.1f} {wall:>7.1f}  {isolation}"
              + ("" if ok else "  (some answers failed: see the feedback)"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
