"""Where a submission runs for ``crmlab grade``: its own folder, limits, and the best isolation
the machine allows.

Each submission gets a fresh temporary folder ``T`` (mode 0700, or 0711 for a grading user)::

    T/box      the submission and a copy of the data files (the kernel's working folder)
    T/home     the kernel's private HOME (matplotlib and IPython caches, the audit start-up file)
    T/tmp      its TMPDIR (and its /tmp under bubblewrap)
    T/kernel   the kernel's connection file, sockets, check record and access log
    T/runner   the runner's own files (never mounted in the sandbox)

The runner (:mod:`crmlab.course.grading_runner`, a separate process with the memory limit)
starts the kernel behind a command prefix that gives one of three isolation levels, the best
that works here (:func:`probe`):

``bubblewrap``
    Debian's ``bwrap``: a new mount, pid, network, ipc and user namespace; only the system
    (``/usr``), the Python installation, crmlab's package and the four folders above are
    visible, all read-only except the four, wherever they live (a repository and its
    virtual environment under the real ``/tmp`` stay visible under the private one:
    :func:`sandbox_mounts`); no capabilities; the kernel dies with the runner.
    Nothing outside its folders can be read or written.
``user``
    (root, no bubblewrap) the kernel runs as ``crmlab-grade-N`` (one user per worker, created
    once with ``useradd``), with a process limit: it cannot write the teacher's files, but it
    can read what the file modes let every user read, and write in a shared ``/tmp``.
``rlimits``
    the kernel runs as the grader's user with the time and memory limits only: nothing stops
    it reading or writing the teacher's files. The grader says so on every row.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["LEVELS", "Box", "Isolation", "kernel_env", "kernel_prefix",
           "disk_used", "kill_tree", "make_box", "private_tmp", "probe", "remove_box",
           "runner_spec", "sandbox_mounts"]

#: The isolation levels, best first.
LEVELS = ("bubblewrap", "user", "rlimits")
#: Users of the ``user`` level (one per worker): a user's processes are all one submission's.
USER_PREFIX = "crmlab-grade-"
#: Processes a grading user may have at once (a fork bomb stops there).
NPROC = 256

_STARTUP = ("import crmlab.course.grading_record as _crmlab_grade\n"
            "_crmlab_grade.install_audit()\n"
            "del _crmlab_grade\n")


@dataclass(frozen=True)
class Isolation:
    """The isolation level in use, and why a better one was not (``note``)."""

    level: str
    note: str = ""
    users: tuple = field(default=(), compare=False)   # (uid, gid) per worker, level "user"


@dataclass(frozen=True)
class Box:
    """The folders of one submission's run (see the module docstring)."""

    root: Path

    @property
    def box(self) -> Path:
        return self.root / "box"

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def tmp(self) -> Path:
        return self.root / "tmp"

    @property
    def kernel(self) -> Path:
        return self.root / "kernel"

    @property
    def runner(self) -> Path:
        return self.root / "runner"

    def writable(self) -> list[Path]:
        return [self.box, self.home, self.tmp, self.kernel]


# ----------------------------------------------------------------------- what to mount
def _package_dir() -> Path:
    import crmlab

    return Path(crmlab.__file__).resolve().parent


def _registry_file() -> Path:
    from .. import datasets

    return datasets.dataset_path("man_banks").parent / "registry.json"


def readable_roots() -> list[Path]:
    """What the kernel must read: the Python installation, the virtual environment,
    crmlab's package and the data registry (and, under bubblewrap, the system)."""
    roots = [Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve(), _package_dir(),
             _registry_file()]
    out: list[Path] = []
    for r in roots:
        if r.exists() and r not in out:
            out.append(r)
    return out


def _system_mounts() -> list[tuple[str, ...]]:
    mounts = [("--ro-bind", "/usr", "/usr")]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        top = Path("/") / name
        if top.is_symlink():
            mounts.append(("--symlink", os.readlink(top), str(top)))
        elif top.is_dir():
            mounts.append(("--ro-bind", str(top), str(top)))
    for name in ("/etc/fonts", "/etc/localtime", "/etc/ld.so.cache", "/etc/mime.types"):
        if os.path.exists(name):
            mounts.append(("--ro-bind", name, name))
    return mounts + [("--proc", "/proc"), ("--dev", "/dev"), ("--tmpfs", "/run")]


def sandbox_mounts(box: Box | None) -> list[tuple[str, ...]]:
    """Bubblewrap's mount operations for ``box`` (each ends with its destination), in the
    order they must run: a folder before anything inside it. Bubblewrap mounts in order and a
    mount hides whatever was mounted below its destination before, so the private ``/tmp``
    comes before the readable roots: a virtual environment or a repository under the real
    ``/tmp`` stays visible (read-only) inside it."""
    mounts = _system_mounts()
    mounts += [("--ro-bind", str(root), str(root)) for root in readable_roots()]
    if box is not None:
        mounts.append(("--bind", str(box.tmp), "/tmp"))
        mounts += [("--bind", str(folder), str(folder)) for folder in box.writable()]
    return sorted(mounts, key=lambda op: len(Path(op[-1]).parts))     # stable: ties keep order


def kernel_prefix(isolation: Isolation, box: Box | None, worker: int = 0) -> list[str]:
    """The command prefix that starts the kernel at ``isolation``'s level (``box=None``: for
    the probe, with the readable roots only)."""
    if isolation.level == "bubblewrap":
        args = ["bwrap", "--unshare-all", "--unshare-user", "--uid", "1000", "--gid", "1000",
                "--cap-drop", "ALL", "--die-with-parent", "--new-session", "--as-pid-1",
                "--hostname", "grading"]
        for op in sandbox_mounts(box):
            args += op
        if box is not None:
            args += ["--chdir", str(box.box)]
        return args + ["--"]
    if isolation.level == "user":
        uid, gid = isolation.users[worker % len(isolation.users)]
        return ["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups",
                "--inh-caps=-all", "--"]
    return []


def kernel_env(box: Box, isolation: Isolation) -> dict[str, str]:
    """The kernel's whole environment (nothing of the grader's is passed on)."""
    from .grading_record import AUDIT_ENV, ENV

    writable = [str(p) for p in box.writable()]
    readable = [str(p) for p in readable_roots()] + ["/usr", "/etc", "/proc", "/sys", "/dev",
                                                     "/lib", "/lib64", "/bin"]
    threads = "1"
    return {
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/bin", "/bin"]),
        "HOME": str(box.home), "USER": "student", "LOGNAME": "student",
        "TMPDIR": str(box.tmp), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1", "PYTHONNOUSERSITE": "1",
        "JUPYTER_PLATFORM_DIRS": "1", "JUPYTER_RUNTIME_DIR": str(box.kernel / "runtime"),
        "IPYTHONDIR": str(box.home / ".ipython"),
        "MPLCONFIGDIR": str(box.home / ".config" / "matplotlib"),
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "OPENBLAS_NUM_THREADS": threads, "OMP_NUM_THREADS": threads,
        "MKL_NUM_THREADS": threads, "NUMEXPR_NUM_THREADS": threads, "MALLOC_ARENA_MAX": "2",
        "CRMLAB_DATA_DIR": str(box.box / "data"),
        ENV: str(box.kernel / "record.jsonl"), AUDIT_ENV: str(box.kernel / "access.log"),
        "CRMLAB_GRADE_WRITABLE": os.pathsep.join(writable),
        "CRMLAB_GRADE_READABLE": os.pathsep.join(readable),
        "CRMLAB_GRADE_LISTABLE": os.pathsep.join(p for p in sys.path if p and os.path.isdir(p)),
    }


# ----------------------------------------------------------------------- the probe
def _works(prefix: list[str], box: Box, isolation: Isolation) -> str:
    """'' when the kernel's Python runs behind ``prefix`` and imports what it needs (and
    builds matplotlib's font list, kept for every submission's HOME), else why not."""
    code = "import crmlab, ipykernel, numpy, pandas, matplotlib.font_manager"
    try:
        done = subprocess.run(prefix + [sys.executable, "-c", code], cwd=box.box,
                              env=kernel_env(box, isolation), capture_output=True, timeout=180,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as err:
        return f"{type(err).__name__}: {err}"
    if done.returncode != 0:
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
        return f"exit {done.returncode}: {tail[0][:200]}"
    return ""


def _grading_users(workers: int) -> tuple[list[tuple[int, int]], str]:
    users = []
    for n in range(workers):
        name = f"{USER_PREFIX}{n}"
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            try:
                subprocess.run(["useradd", "--system", "--no-create-home", "--shell",
                                "/usr/sbin/nologin", name], check=True, capture_output=True,
                               timeout=60)
                entry = pwd.getpwnam(name)
            except (OSError, subprocess.SubprocessError, KeyError) as err:
                return [], f"cannot create user {name}: {type(err).__name__}"
        users.append((entry.pw_uid, entry.pw_gid))
    return users, ""


def probe(requested: str = "auto", workers: int = 1, seed: Path | None = None) -> Isolation:
    """The best isolation level that works here (or ``requested``, if it works).

    ``requested`` is ``"auto"`` or one of :data:`LEVELS`. A level that does not work falls
    to the next, and ``note`` says why. ``seed``: a folder to keep the font list matplotlib
    builds in the sandbox, copied into each submission's HOME (:func:`make_box`).
    """
    if requested not in ("auto", *LEVELS):
        raise ValueError(f"isolation must be auto or one of {LEVELS}; got {requested!r}")
    order = LEVELS if requested == "auto" else LEVELS[LEVELS.index(requested):]
    notes = []
    found = None
    for level in order:
        isolation = Isolation(level)
        if level == "bubblewrap" and shutil.which("bwrap") is None:
            notes.append("bubblewrap: bwrap is not installed")
            continue
        if level == "user":
            if os.geteuid() != 0 or shutil.which("setpriv") is None:
                notes.append("user: needs root and setpriv")
                continue
            users, why = _grading_users(max(1, workers))
            if why:
                notes.append(f"user: {why}")
                continue
            isolation = Isolation(level, users=tuple(users))
        box = make_box(None, "", [], isolation)
        try:
            why = _works(kernel_prefix(isolation, box), box, isolation)
            if not why or level == "rlimits":
                found = Isolation(level, "; ".join(notes), isolation.users)
                if seed is not None and not why:
                    cache = box.home / ".config" / "matplotlib"
                    for f in cache.glob("fontlist*.json"):
                        Path(seed).mkdir(parents=True, exist_ok=True)
                        shutil.copyfile(f, Path(seed) / f.name)
                if why:
                    notes.append(f"rlimits: {why}")
                    found = Isolation(level, "; ".join(notes))
                break
            notes.append(f"{level}: {why}")
        finally:
            remove_box(box)
    return found if found is not None else Isolation("rlimits", "; ".join(notes))


def runner_spec(box: Box, isolation: Isolation, worker: int, timeout: float,
                memory_mb: int) -> dict:
    """What :mod:`crmlab.course.grading_runner` needs to run ``box``'s submission."""
    owner = list(isolation.users[worker % len(isolation.users)]) \
        if isolation.level == "user" else None
    return {"notebook": str(box.runner / "submission.ipynb"),
            "result": str(box.runner / "result.json"), "cwd": str(box.box),
            "connection_file": str(box.kernel / "kernel.json"),
            "prefix": kernel_prefix(isolation, box, worker), "env": kernel_env(box, isolation),
            "owner": owner, "timeout": timeout, "memory_mb": memory_mb,
            # a process limit binds a real user only: the grading user's, never the teacher's
            "nproc": NPROC if isolation.level == "user" else None}


# ----------------------------------------------------------------------- one submission's folder
def make_box(submission: Path | None, name: str, data_files: list[Path],
             isolation: Isolation, worker: int = 0, seed: Path | None = None) -> Box:
    """A fresh folder holding ``submission`` (as ``name``) and copies of ``data_files``;
    ``seed``'s files go to matplotlib's cache folder in the private HOME."""
    box = Box(Path(tempfile.mkdtemp(prefix="crmlab-grade-")).resolve())
    mpl = box.home / ".config" / "matplotlib"
    for folder in (*box.writable(), box.runner, box.box / "data", box.kernel / "runtime", mpl,
                   box.home / ".ipython" / "profile_default" / "startup"):
        folder.mkdir(parents=True, exist_ok=True)
    if submission is not None:
        shutil.copyfile(submission, box.box / name)
        shutil.copyfile(submission, box.runner / "submission.ipynb")
    for f in data_files:
        shutil.copyfile(f, box.box / "data" / f.name)
    if seed is not None and Path(seed).is_dir():
        for f in Path(seed).iterdir():
            shutil.copyfile(f, mpl / f.name)
    (box.home / ".ipython" / "profile_default" / "startup" / "00-crmlab-grade.py").write_text(
        _STARTUP, encoding="utf-8")
    os.chmod(box.runner, 0o700)
    if isolation.level == "user":
        uid, gid = isolation.users[worker % len(isolation.users)]
        os.chmod(box.root, 0o711)
        for folder in box.writable():
            for path in [folder, *folder.rglob("*")]:
                os.lchown(path, uid, gid)
    return box


def private_tmp(path: str, box: Box, isolation: Isolation) -> bool:
    """Whether ``path``, which the kernel touched, is in its private ``/tmp`` (bubblewrap
    mounts ``box.tmp`` there): a path under /tmp that exists in ``box.tmp``. Paths under
    /tmp that are not there are the host's, which the kernel could not reach."""
    if isolation.level != "bubblewrap" or not path.startswith("/tmp/"):
        return False
    return os.path.lexists(box.tmp / os.path.relpath(os.path.normpath(path), "/tmp"))


def disk_used(box: Box, limit: int, max_entries: int = 100_000) -> float:
    """Bytes the submission's folders hold (a file counts its length or its allocated
    blocks, whichever is more: a file system may allocate late, and a sparse file is no
    answer to any exercise), counting up to just past ``limit``; more than ``max_entries``
    files and folders count as infinite. Links are never followed."""
    used, seen, todo = 0, 0, [str(p) for p in box.writable()]
    while todo and used <= limit:
        try:
            with os.scandir(todo.pop()) as entries:
                for entry in entries:
                    seen += 1
                    if seen > max_entries:
                        return float("inf")
                    try:
                        info = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    used += max(info.st_size if entry.is_file(follow_symlinks=False)
                                else 0, info.st_blocks * 512)
                    if entry.is_dir(follow_symlinks=False):
                        todo.append(entry.path)
        except OSError:
            continue
    return used


def remove_box(box: Box) -> None:
    """Delete a submission's folder (symbolic links inside are removed, never followed)."""
    shutil.rmtree(box.root, ignore_errors=True)


# ----------------------------------------------------------------------- limits and ending
def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                ppid = int(fh.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def _uid_of(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Uid:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def kill_tree(pid: int | None, uid: int | None = None) -> list[int]:
    """SIGKILL process ``pid`` (a runner the caller started and has not reaped), every process
    below it and, with ``uid``, every process of that grading user. Returns the pids killed.

    The processes are collected before any is killed (an orphan is re-parented at once).
    Only real process ids are ever signalled: never 0, 1, a negative id (a process group or
    every process) or the grader itself, and never a process of root through ``uid``.
    Bubblewrap's kernel dies with its sandbox anyway; under ``rlimits`` a process that left
    the tree on purpose (a double fork) may survive.
    """
    tree = _children()
    doomed, todo = [], [pid] if isinstance(pid, int) and pid > 1 else []
    while todo:
        p = todo.pop()
        doomed.append(p)
        todo.extend(tree.get(p, []))
    if isinstance(uid, int) and uid > 0:
        doomed += [int(e) for e in os.listdir("/proc") if e.isdigit() and _uid_of(int(e)) == uid]
    doomed = [p for p in dict.fromkeys(doomed) if p > 1 and p != os.getpid()]
    for sig in (signal.SIGSTOP, signal.SIGKILL):
        for p in doomed:
            try:
                os.kill(p, sig)
            except OSError:
                pass
    if doomed:
        time.sleep(0.05)
    return doomed
