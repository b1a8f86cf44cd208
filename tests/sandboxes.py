"""What the grading tests share: whether bubblewrap can run on this machine."""

from __future__ import annotations

import functools
import subprocess


@functools.cache
def bubblewrap_works() -> bool:
    """True when ``bwrap`` can start a process in fresh namespaces here (Debian's
    ``bubblewrap``; .ci/run installs it). Containers without user namespaces say False."""
    try:
        return subprocess.run(["bwrap", "--ro-bind", "/", "/", "--unshare-all", "true"],
                              capture_output=True, timeout=60).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False
