"""Re-check recorded answers for ``crmlab grade``, in a clean process of its own.

``python -m crmlab.course.grading_recheck`` reads one JSON request on stdin and writes one
JSON line on stdout. No student code runs here: the answers arrive as the tagged JSON of
:mod:`crmlab.course.grading_record` and are rebuilt by its :func:`decode`, which never runs
code. The grader gives this process a memory and time limit, so an answer built to make a
check slow or huge costs only its own submission.

Requests
--------
``{"mode": "own", "language": "zh", "student": "2024001", "answers": {"man-1": <json>}}``
    each answer checked by ``crmlab.check`` for that student, feedback in that language:
    ``{"man-1": {"passed": true, "message": "✓ …"}}`` (an answer the record could not keep:
    ``{"passed": false, "opaque": "Widget", "why": "type"}``).
``{"mode": "cross", "submissions": [{"key": "a.ipynb", "student": "1", "answers": {…},
"failed": ["man-1"]}]}``
    for each submission, which of its failed answers pass for another submission's id:
    ``{"a.ipynb": {"b.ipynb": ["man-1"]}}`` — a copy of another student's numbers.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys

__all__ = ["cross", "main", "own"]


def _check(exercise: str, student, answer) -> tuple[bool, str]:
    import crmlab

    with contextlib.redirect_stdout(io.StringIO()):
        crmlab.student(student if student is not None else ...)
        feedback = crmlab.check(exercise, answer)
    return bool(feedback.passed), str(feedback.message)


def own(request: dict) -> dict:
    """Check each answer for the request's student, in the request's language."""
    import crmlab

    from .grading_record import Opaque, decode

    crmlab.set_language(request.get("language", "en"))
    out = {}
    for exercise, encoded in request["answers"].items():
        try:
            answer = decode(encoded)
        except Exception:  # noqa: BLE001 - a record that is not what encode writes
            answer = Opaque("malformed", "record")
        if isinstance(answer, Opaque):
            out[exercise] = {"passed": False, "opaque": answer.kind, "why": answer.why}
            continue
        passed, message = _check(exercise, request.get("student"), answer)
        out[exercise] = {"passed": passed, "message": message}
    return out


def cross(request: dict) -> dict:
    """Which failed answers of each submission are another submission's id's right answers."""
    from .grading_record import Opaque, decode

    subs = request["submissions"]
    answers = {}
    for s in subs:
        for exercise in s["failed"]:
            try:
                value = decode(s["answers"][exercise])
            except Exception:  # noqa: BLE001 - see own()
                continue
            if not isinstance(value, Opaque):
                answers[(s["key"], exercise)] = value
    ids = {}
    for t in subs:
        if t["student"] is not None:
            ids.setdefault(t["student"], []).append(t["key"])
    out: dict = {s["key"]: {} for s in subs}
    for other, keys in ids.items():            # one student id at a time: its cases are cached
        for s in subs:
            if s["student"] == other:
                continue
            for exercise in s["failed"]:
                if (s["key"], exercise) not in answers:
                    continue
                passed, _message = _check(exercise, other, answers[(s["key"], exercise)])
                if passed:
                    for key in keys:
                        out[s["key"]].setdefault(key, []).append(exercise)
    return out


def main() -> int:
    """Read the request, apply the limits it names, answer on stdout (one line)."""
    request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    if request.get("memory_mb"):
        from .grading_runner import apply_limits

        apply_limits(request["memory_mb"], nproc=None)
    result = own(request) if request.get("mode") == "own" else cross(request)
    sys.stdout.write("\n" + json.dumps(result) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
