"""Input checks shared by the courseware-CLV modules (``clv``, ``group_clv``).

Each public function passes its own name as ``func``, so the message names the function
the user called.
"""

from __future__ import annotations

__all__ = ["require_rows"]


def require_rows(data, *, func: str, arg: str = "data") -> None:
    """Raise ``ValueError`` if the table ``data`` has no rows, naming ``func`` and ``arg``."""
    if len(data) == 0:
        raise ValueError(f"{func}: `{arg}` has no rows; give at least one.")
