"""Progress bars for the command line: shown only for steps that last over two seconds.

A bar appears on standard error, and only when it is a terminal (or ``--progress always``);
files, pipes and tests see nothing. Two kinds:

* :meth:`Progress.bar` — a counted bar (bytes read, row groups, months of CLV);
* :meth:`Progress.step` — one step of unknown length (a model fit): after two seconds a
  bar with the step's name and the elapsed time, refreshed by a background thread.

tqdm draws the bars; without tqdm the command runs the same, without bars.
"""

from __future__ import annotations

import sys
import threading
from contextlib import contextmanager

__all__ = ["DELAY", "Progress"]

#: Seconds a step runs before its bar is shown.
DELAY = 2.0


class _Null:
    """A bar that draws nothing."""

    def update(self, n=1):
        return None

    def close(self):
        return None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class Progress:
    """Bars on ``stream`` (default standard error) when ``mode`` allows them.

    ``mode``: ``"auto"`` (when ``stream`` is a terminal), ``"always"`` or ``"never"``.
    """

    def __init__(self, mode: str = "auto", *, stream=None, delay: float = DELAY):
        self.stream = sys.stderr if stream is None else stream
        self.delay = delay
        try:
            tty = bool(self.stream.isatty())
        except (AttributeError, ValueError):
            tty = False
        self.enabled = mode == "always" or (mode == "auto" and tty)
        if self.enabled:
            try:
                import tqdm  # noqa: F401
            except ImportError:          # an install without tqdm: no bars, same results
                self.enabled = False

    def bar(self, total=None, desc: str = "", unit: str = "it", scale: bool = False):
        """A counted bar (use ``update(n)``; close it or use it as a context manager)."""
        if not self.enabled:
            return _Null()
        from tqdm import tqdm

        return tqdm(total=total, desc=desc, unit=unit, unit_scale=scale, delay=self.delay,
                    file=self.stream, leave=False, dynamic_ncols=True)

    @contextmanager
    def step(self, desc: str):
        """A step of unknown length: after ``delay`` seconds, show its name and elapsed time."""
        if not self.enabled:
            yield
            return
        from tqdm import tqdm

        done = threading.Event()

        def tick():
            if done.wait(self.delay):
                return
            bar = tqdm(total=None, desc=desc, file=self.stream, leave=False,
                       bar_format="{desc}: {elapsed}", dynamic_ncols=True)
            while not done.wait(0.5):
                bar.refresh()
            bar.close()

        thread = threading.Thread(target=tick, daemon=True)
        thread.start()
        try:
            yield
        finally:
            done.set()
            thread.join()
