"""Run one submission for ``crmlab grade``: ``python -m crmlab.course.grading_runner SPEC``.

The grader starts this runner as a separate process for each submission; the runner limits
its own memory (the kernel inherits the limit), starts a kernel behind the sandbox prefix of
:mod:`crmlab.course.grading_sandbox` and executes every cell with nbclient, on errors going
on to the next cell (a student's error in one cell must not cost the questions after it). It
keeps no output but the errors, only counting the bytes printed, so a notebook that prints
megabytes cannot exhaust it. It stops at the time limit, or when the kernel dies, and writes
what happened to ``SPEC["result"]`` (JSON): cells run, errors by cell, bytes printed, where
and why it stopped.

The kernel's messages are the student's: they are read, never trusted or executed. The
answers are read from the kernel's check record by the grader, which re-checks them.

The grader runs this file by its path, and it imports nothing of crmlab: the spec carries the
sandbox's command prefix and the kernel's environment, so a runner starts in a fraction of
the time an import of crmlab (pandas, scipy) takes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["FILE_MB", "apply_limits", "main", "run"]

#: Characters kept of an error's message.
EVALUE_CHARS = 300


def _size(out) -> int:
    """Bytes of one output (text, or each representation of a display)."""
    n = 0
    if "text" in out:
        n += len(out["text"]) if isinstance(out["text"], str) else sum(map(len, out["text"]))
    for value in (out.get("data") or {}).values():
        n += len(value) if isinstance(value, str) else len(json.dumps(value))
    for line in out.get("traceback") or []:
        n += len(line)
    return n


def run(spec: dict) -> dict:
    """Execute ``spec["notebook"]`` as the module docstring says; return the result."""
    # nbformat imports jsonschema, whose URI format checker imports rfc3987_syntax, which
    # builds a parser at import (seconds on a loaded machine) for a check nbclient never
    # makes: the runner goes without it
    sys.modules.setdefault("rfc3987_syntax", None)
    import nbformat
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    prefix, env = list(spec["prefix"]), dict(spec["env"])
    owner = tuple(spec["owner"]) if spec.get("owner") else None
    work, runner_dir = spec["cwd"], Path(spec["result"]).parent
    result = {"cells": 0, "code_cells": 0, "errors": [], "output_bytes": 0, "stopped": None,
              "stopped_cell": None, "seconds": 0.0, "detail": ""}

    class Manager(AsyncKernelManager):
        def format_kernel_cmd(self, extra_arguments=None):
            return prefix + super().format_kernel_cmd(extra_arguments)

        def write_connection_file(self, **kwargs):
            super().write_connection_file(**kwargs)
            if owner is not None:
                os.chown(self.connection_file, *owner)

    class Client(NotebookClient):
        current = None

        def output(self, outs, msg, display_id, cell_index):
            try:
                from nbformat.v4 import output_from_msg
                out = output_from_msg(msg)
            except Exception:  # noqa: BLE001 - a malformed message from the student's kernel
                return None
            result["output_bytes"] += _size(out)
            if out.get("output_type") == "error" and len(result["errors"]) < 100:
                result["errors"].append({
                    "cell": cell_index, "ename": str(out.get("ename", ""))[:80],
                    "evalue": str(out.get("evalue", ""))[:EVALUE_CHARS]})
            return None          # nothing is kept: the grader reads the check record

        def clear_output(self, outs, msg, cell_index):
            return None

    nb = nbformat.read(spec["notebook"], as_version=4)
    start = time.monotonic()
    deadline = start + float(spec["timeout"])
    km = Manager(kernel_name="python3", transport="ipc", connection_file=spec["connection_file"])

    def started(cell, cell_index):
        Client.current = cell_index
        result["cells"] = cell_index + 1
        if cell.cell_type == "code":
            result["code_cells"] += 1

    client = Client(nb, km=km, timeout_func=lambda cell: max(1, int(deadline - time.monotonic())),
                    allow_errors=True, record_timing=False, store_widget_state=False,
                    shutdown_kernel="immediate", startup_timeout=int(spec.get("startup", 120)),
                    on_cell_start=started, resources={"metadata": {"path": work}})
    stderr = open(runner_dir / "kernel-stderr.log", "wb")   # noqa: SIM115 - closed below
    try:
        client.execute(env=env, stdout=subprocess.DEVNULL, stderr=stderr)
    except CellTimeoutError:
        result["stopped"] = "timeout"
    except DeadKernelError as err:
        result["stopped"], result["detail"] = "died", str(err)[:200]
    except RuntimeError as err:
        started_ok = Client.current is not None
        result["stopped"] = "died" if started_ok else "startup"
        result["detail"] = str(err)[:200]
    except MemoryError:
        result["stopped"] = "runner-memory"
    except Exception as err:  # noqa: BLE001 - whatever happens, the grader gets a result
        result["stopped"], result["detail"] = "runner", f"{type(err).__name__}: {err}"[:200]
    finally:
        stderr.close()
    if result["stopped"]:
        result["stopped_cell"] = Client.current
    if result["stopped"] == "timeout" or time.monotonic() > deadline:
        result["stopped"] = "timeout"
        result["stopped_cell"] = Client.current
    result["seconds"] = round(time.monotonic() - start, 2)
    return result


#: The largest file a submission may write, MB (the grader also limits its folders' total).
FILE_MB = 256


def apply_limits(memory_mb: int, nproc: int | None = None) -> None:
    """Limit this process and every process it starts: address space ``memory_mb``, no file
    written beyond :data:`FILE_MB`, no core files, and (for a user other than root) ``nproc``
    processes at once. Set before the kernel starts, so the kernel inherits them."""
    import resource

    size = int(memory_mb) * 2 ** 20
    resource.setrlimit(resource.RLIMIT_AS, (size, size))
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_MB * 2 ** 20, FILE_MB * 2 ** 20))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if nproc:
        resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))


def main(argv: list[str] | None = None) -> int:
    """Read the spec, limit this process, run, write the result (atomically)."""
    argv = sys.argv[1:] if argv is None else argv
    spec = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    apply_limits(spec["memory_mb"], spec.get("nproc"))
    try:
        result = run(spec)
    except MemoryError:
        result = {"stopped": "runner-memory"}
    tmp = Path(spec["result"]).with_suffix(".part")
    tmp.write_text(json.dumps(result), encoding="utf-8")
    os.replace(tmp, spec["result"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
