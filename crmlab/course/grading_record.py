"""What ``crmlab grade`` learns from inside a submission: each check's answer, and file access.

Two things run in the student's kernel while the grader executes a submission, and only then:

* :func:`record_check`, called by ``crmlab.check`` after every check: when the environment
  variable ``CRMLAB_CHECK_RECORD`` names a file, it appends one JSON line with the exercise,
  the student id in use, the verdict the kernel saw and the answer in a safe serialised
  form (:func:`encode`: tagged JSON, never pickle). Without the variable it does nothing.
  It never raises and never prints, so a check behaves exactly as it does for a student.
* :func:`install_audit` (from the kernel's startup file): a Python audit hook that notes
  opening, listing, changing or removing a path outside the submission's folders, and
  running a command, in an access log the grader reads.

Nothing written here is trusted. The grader re-checks every recorded answer itself, in a
clean process, against the student id the notebook carries (the verdict written here is
ignored), so a notebook that writes a fake record gains nothing; the access log only adds
notes to the row of the submission that wrote it. :func:`decode` rebuilds an answer from
plain JSON only (numbers, text, lists, dicts, numpy arrays and pandas tables), so reading a
record can never run code.

Examples
--------
>>> import numpy as np, pandas as pd
>>> decode(encode({"A": np.float64(2.8), "B": (1, "x")}))
{'A': np.float64(2.8), 'B': (1, 'x')}
>>> s = decode(encode(pd.Series([1.5, 2.0], index=["A", "B"], name="total")))
>>> s.to_dict(), s.name
({'A': 1.5, 'B': 2.0}, 'total')
>>> decode(encode(float("nan"))), decode(encode(...))
(nan, Ellipsis)
>>> encode(object())["t"]
'opaque'
"""

from __future__ import annotations

import base64
import decimal
import fractions
import json
import os
import sys
import threading

__all__ = ["AUDIT_ENV", "ENV", "MAX_ANSWER_BYTES", "Opaque", "decode", "encode",
           "install_audit", "record_check"]

#: Environment variable naming the file :func:`record_check` appends to.
ENV = "CRMLAB_CHECK_RECORD"
#: Environment variable naming the access log of :func:`install_audit`.
AUDIT_ENV = "CRMLAB_ACCESS_LOG"
#: An answer whose serialised form is larger is recorded as too large (never read).
MAX_ANSWER_BYTES = 1_000_000
#: Containers nested deeper than this are recorded as opaque.
MAX_DEPTH = 20


class Opaque:
    """An answer the record could not keep (an object of another type, or too large):
    ``check`` cannot read it, so it fails with the check's own message."""

    def __init__(self, kind: str, why: str = "type"):
        self.kind, self.why = str(kind)[:80], why

    def __repr__(self) -> str:
        return f"<{self.kind}>"


# ------------------------------------------------------------------ serialisation
def _float(x: float):
    return x if x == x and x not in (float("inf"), float("-inf")) else {"t": "float", "v": repr(x)}


def encode(value, depth: int = 0):
    """``value`` as plain JSON with type tags; anything unknown becomes ``{"t": "opaque"}``.

    Only exact built-in types, numpy arrays and scalars, and pandas Series, DataFrames and
    Indexes are kept; a subclass of a built-in (whose methods the student may have
    changed) is opaque.
    """
    import numpy as np
    import pandas as pd

    if depth > MAX_DEPTH:
        return {"t": "opaque", "type": type(value).__name__, "why": "depth"}
    kind = type(value)
    if value is None or kind in (bool, str):
        return value
    if kind is int:
        if abs(value) < 10 ** 300:
            return value
        return {"t": "opaque", "type": "int", "why": "size"}
    if kind is float:
        return _float(value)
    if value is Ellipsis:
        return {"t": "ellipsis"}
    if kind is complex:
        return {"t": "complex", "v": [_float(value.real), _float(value.imag)]}
    if kind is decimal.Decimal:
        return {"t": "decimal", "v": str(value)}
    if kind is fractions.Fraction:
        return {"t": "fraction", "v": str(value)}
    if kind is bytes:
        return {"t": "bytes", "v": base64.b64encode(value).decode("ascii")}
    if kind in (list, tuple, set, frozenset):
        items = [encode(v, depth + 1) for v in (sorted(value, key=repr) if kind in (set, frozenset)
                                                 else value)]
        return {"t": kind.__name__, "v": items}
    if kind is dict:
        return {"t": "dict", "v": [[encode(k, depth + 1), encode(v, depth + 1)]
                                   for k, v in value.items()]}
    if isinstance(value, np.generic) and kind.__module__ == "numpy":
        item = value.item()
        if type(item) in (bool, int, float, str, complex):
            return {"t": "np", "dtype": value.dtype.str, "v": encode(item, depth + 1)}
    if kind is np.ndarray:
        if value.dtype.kind in "biufcUSO":
            return {"t": "ndarray", "dtype": value.dtype.str, "shape": list(value.shape),
                    "v": [encode(v, depth + 1) for v in value.ravel().tolist()]}
    if kind in (pd.Index, pd.RangeIndex):
        return {"t": "index", "name": encode(value.name, depth + 1),
                "v": encode(value.to_numpy(dtype=object), depth + 1)}
    if kind is pd.Series:
        return {"t": "series", "name": encode(value.name, depth + 1),
                "dtype": str(value.dtype), "index": encode(pd.Index(value.index), depth + 1),
                "v": encode(value.to_numpy(dtype=object), depth + 1)}
    if kind is pd.DataFrame:
        return {"t": "frame", "index": encode(pd.Index(value.index), depth + 1),
                "columns": encode(pd.Index(value.columns), depth + 1),
                "dtypes": [str(d) for d in value.dtypes],
                "v": [encode(value.iloc[:, j].to_numpy(dtype=object), depth + 1)
                      for j in range(value.shape[1])]}
    return {"t": "opaque", "type": kind.__name__, "why": "type"}


def _as_dtype(values, dtype: str):
    import pandas as pd

    try:
        return pd.array(values, dtype=dtype) if dtype not in ("object", "str") else values
    except Exception:  # noqa: BLE001 - an unknown dtype name: keep the values as objects
        return values


def decode(obj):
    """The answer :func:`encode` wrote, rebuilt from plain JSON (never runs code)."""
    import numpy as np
    import pandas as pd

    if obj is None or type(obj) in (bool, int, float, str):
        return obj
    if type(obj) is not dict or "t" not in obj:
        return Opaque("malformed", "record")
    tag, v = obj["t"], obj.get("v")
    if tag == "float":
        return float(v) if v in ("nan", "inf", "-inf") else Opaque("float", "record")
    if tag == "ellipsis":
        return ...
    if tag == "complex":
        return complex(decode(v[0]), decode(v[1]))
    if tag == "decimal":
        return decimal.Decimal(v)
    if tag == "fraction":
        return fractions.Fraction(v)
    if tag == "bytes":
        return base64.b64decode(v)
    if tag in ("list", "tuple", "set", "frozenset"):
        return {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset}[tag](
            decode(x) for x in v)
    if tag == "dict":
        return {decode(k): decode(x) for k, x in v}
    if tag == "np":
        return np.dtype(obj["dtype"]).type(decode(v))
    if tag == "ndarray":
        return np.array([decode(x) for x in v], dtype=np.dtype(obj["dtype"])).reshape(obj["shape"])
    if tag == "index":
        return pd.Index(list(decode(v)), name=decode(obj["name"]), dtype=object).infer_objects()
    if tag == "series":
        values = _as_dtype(list(decode(v)), obj["dtype"])
        return pd.Series(values, index=decode(obj["index"]), name=decode(obj["name"]))
    if tag == "frame":
        columns = decode(obj["columns"])
        data = {j: _as_dtype(list(decode(col)), dtype)
                for j, (col, dtype) in enumerate(zip(v, obj["dtypes"]))}
        frame = pd.DataFrame(data, index=decode(obj["index"]))
        frame.columns = columns
        return frame
    if tag == "opaque":
        return Opaque(obj.get("type", "?"), obj.get("why", "type"))
    return Opaque("malformed", "record")


# ------------------------------------------------------------------ the check hook
def record_check(exercise_id, answer, feedback) -> None:
    """Append this check to the grader's record file, if ``$CRMLAB_CHECK_RECORD`` names one.

    Called by ``crmlab.check`` after it printed its feedback. Never raises, never prints.

    Examples
    --------
    >>> record_check("man-1", 1.0, None)      # no grader: nothing happens
    """
    path = os.environ.get(ENV)
    if not path:
        return
    try:
        try:
            answer_json = json.dumps(encode(answer), allow_nan=False, ensure_ascii=True)
        except Exception as err:  # noqa: BLE001 - a student's object that breaks while read
            answer_json = json.dumps({"t": "opaque", "type": type(answer).__name__,
                                      "why": type(err).__name__})
        if len(answer_json) > MAX_ANSWER_BYTES:
            answer_json = json.dumps({"t": "opaque", "type": type(answer).__name__,
                                      "why": "size"})
        line = json.dumps({"exercise": str(getattr(feedback, "exercise", exercise_id))[:80],
                           "student": getattr(feedback, "student", None),
                           "passed": bool(getattr(feedback, "passed", False))},
                          ensure_ascii=True)
        line = line[:-1] + ', "answer": ' + answer_json + "}\n"
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line.encode("ascii"))
        finally:
            os.close(fd)
    except Exception:  # noqa: BLE001 - a check must never fail because of the grader
        pass


# ------------------------------------------------------------------ the access log
_WRITE_EVENTS = {"os.remove", "os.rename", "os.mkdir", "os.rmdir", "os.chmod", "os.chown",
                 "os.symlink", "os.link", "os.truncate", "os.utime", "shutil.rmtree",
                 "shutil.move", "shutil.copyfile"}
_READ_EVENTS = {"os.listdir", "os.scandir", "glob.glob", "os.chdir"}
_RUN_EVENTS = {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn",
               "pty.spawn"}


def install_audit(writable: list[str] | None = None, readable: list[str] | None = None,
                  log: str | None = None, limit: int = 200) -> bool:
    """Note, in the access log, each attempt of this process to touch a path outside
    ``writable`` (any change) or outside ``writable + readable`` (any read), and every
    command it runs. Returns False (and does nothing) without a log.

    The folders default to ``$CRMLAB_GRADE_WRITABLE`` and ``$CRMLAB_GRADE_READABLE``
    (``os.pathsep``-separated), the log to ``$CRMLAB_ACCESS_LOG``; the folders of
    ``$CRMLAB_GRADE_LISTABLE`` (Python's import path) may be listed. At most ``limit`` lines.
    """
    log = log or os.environ.get(AUDIT_ENV)
    if not log:
        return False
    if writable is None:
        writable = [p for p in os.environ.get("CRMLAB_GRADE_WRITABLE", "").split(os.pathsep) if p]
    if readable is None:
        readable = [p for p in os.environ.get("CRMLAB_GRADE_READABLE", "").split(os.pathsep) if p]
    listable = {os.path.normpath(p) for p in
                os.environ.get("CRMLAB_GRADE_LISTABLE", "").split(os.pathsep) if p}
    norm = os.path.normpath
    write_roots = tuple(norm(p) + os.sep for p in writable)
    read_roots = write_roots + tuple(norm(p) + os.sep for p in readable)
    fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    state = {"n": 0}
    busy = threading.local()

    def inside(path, roots) -> bool:
        return (norm(path) + os.sep).startswith(roots)

    def note(kind, what) -> None:
        if state["n"] >= limit:
            return
        state["n"] += 1
        os.write(fd, (json.dumps({"kind": kind, "what": str(what)[:300]}) + "\n").encode())

    def path_of(arg):
        if isinstance(arg, bytes):
            arg = arg.decode("utf-8", "replace")
        if isinstance(arg, str):
            return os.path.abspath(arg)
        return None    # a file descriptor

    def hook(event, args):
        if getattr(busy, "on", False):
            return
        busy.on = True
        try:
            if event == "open":
                path, mode = path_of(args[0]), str(args[1] or "r")
                flags = args[2] if len(args) > 2 and isinstance(args[2], int) else 0
                writes = any(c in mode for c in "wax+") or flags & (os.O_WRONLY | os.O_RDWR)
                if path is None:
                    return
                if writes and not inside(path, write_roots):
                    note("write", path)
                elif not inside(path, read_roots):
                    note("read", path)
            elif event in _WRITE_EVENTS:
                for arg in args[:2]:
                    path = path_of(arg)
                    if path is not None and not inside(path, write_roots):
                        note("write", path)
                        break
            elif event in _READ_EVENTS:
                path = path_of(args[0]) if args else None
                if path is not None and not inside(path, read_roots) \
                        and norm(path) not in listable:
                    note("read", path)
            elif event in _RUN_EVENTS or event.startswith("os.exec"):
                shown = args[1] if event == "subprocess.Popen" and len(args) > 1 else args[:2]
                note("run", shown)
        except Exception:  # noqa: BLE001 - the hook must never break the student's code
            pass
        finally:
            busy.on = False

    sys.addaudithook(hook)
    return True
