"""A right method rounded too early: recognising it, and the hint that says so.

``check`` replaces a chapter's general hint by :func:`close_hint` when a wrong answer is
the expected one rounded to the decimals the student gave (see :func:`closeness`);
chapters use :func:`agrees_when_rounded` for answers they read themselves.
"""

from __future__ import annotations

import math
import numbers
import re

import numpy as np
import pandas as pd

from ..i18n import gettext as _
from .labelled import labelled_values, pair_parts
from .readers import Unreadable, number_text, read_number, values_of_text

__all__ = ["agrees_when_rounded", "close_hint", "closeness"]


def _decimals(value) -> int | None:
    """How many decimals a student's number shows (None: not a plain number)."""
    if isinstance(value, str):
        text, _percent = number_text(value)
    elif isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return 0
    elif isinstance(value, (float, np.floating)) and math.isfinite(value):
        text = repr(float(value))
    else:
        return None
    try:
        float(text)
    except ValueError:
        return None
    return len(text.split(".")[1]) if "." in text and "e" not in text.lower() else 0


def close_hint() -> str:
    """The message for a right method rounded too early (see :func:`agrees_when_rounded`)."""
    return _("close: your answer agrees with the expected one to the decimals you gave. "
             "Give at least two more decimals (don't round before checking).")


def agrees_when_rounded(raw, want: float) -> bool:
    """Whether ``raw`` — a number or a numeric string, as the student wrote it — is ``want``
    rounded to the decimals ``raw`` shows: a right method rounded too early. A "%" string
    is compared in percent (``"68%"`` with ``want`` 0.678). An answer of four or more
    decimals is not called rounded.

    Examples
    --------
    >>> agrees_when_rounded(3.5, 3.5217), agrees_when_rounded("68%", 0.678)
    (True, True)
    >>> agrees_when_rounded(3.4, 3.5217), agrees_when_rounded(3.52174, 3.5217)
    (False, False)
    """
    d = _decimals(raw)
    if d is None or d >= 4:
        return False
    return _within_rounding(raw, want, d)


def _within_rounding(raw, want: float, d: int) -> bool:
    try:
        value = read_number(raw)
    except Unreadable:
        return False
    scale = 100 if isinstance(raw, str) and number_text(raw)[1] else 1
    return abs(value * scale - want * scale) <= 0.5 * 10 ** -d + 1e-12


def _aligned(answer, expected, keys=None) -> list[tuple[object, float]] | None:
    """The numbers of ``answer`` as written, each beside the expected number it answers
    (None when the answer has not the expected answer's shape or is not numeric)."""
    if isinstance(expected, dict):
        try:
            got = labelled_values(answer, [str(k) for k in expected], "label")
        except Unreadable:
            return None
        pairs = [(got[str(k)], v) for k, v in expected.items()]
    elif isinstance(expected, tuple):
        if len(expected) == 2:
            try:
                parts = list(pair_parts(answer, "", keys))
            except Unreadable:
                return None
        elif isinstance(answer, (tuple, list)):
            parts = list(answer)
        elif isinstance(answer, (np.ndarray, pd.Series)):
            parts = list(np.ravel(answer))
        elif isinstance(answer, str):
            parts = values_of_text(answer)
        else:
            return None
        if not isinstance(parts, list) or len(parts) != len(expected):
            return None
        pairs = list(zip(parts, expected))
    else:
        pairs = [(answer, expected)]
    if not all(isinstance(w, numbers.Real) and not isinstance(w, bool) for _g, w in pairs):
        return None
    return pairs


def _agrees_when_rounded(answer, expected, keys=None) -> bool:
    """Whether each number of ``answer`` is ``expected`` rounded to the answer's decimals,
    or already as precise as four decimals show (a pair may have one value rounded and
    the other exact), and at least one was rounded: a correct method rounded too early."""
    pairs = _aligned(answer, expected, keys)
    if not pairs:
        return False
    rounded = 0
    for got, want in pairs:
        d = _decimals(got)
        if d is None or not _within_rounding(got, want, min(d, 4)):
            return False
        rounded += d < 4
    return rounded > 0


def _probe(answer, expected, keys=None):
    """An answer of the same shape halfway between the student's numbers and the expected
    ones: still the same rounding of the expected answer, but no longer the student's
    exact numbers."""
    pairs = _aligned(answer, expected, keys)
    middle = [(read_number(got) + want) / 2 for got, want in pairs]
    if isinstance(expected, dict):
        return dict(zip((str(k) for k in expected), middle))
    if isinstance(expected, tuple):
        return tuple(middle)
    return middle[0]


def _masked(message: str) -> str:
    return re.sub(r"[-+−]?\d[\d,]*(?:\.\d+)?", "#", message)


def closeness(spec, answer, data, message: str) -> str:
    """The chapter's message, or the closeness hint when the answer is the expected one
    rounded too early and the chapter did not diagnose it.

    A chapter's message is a diagnosis of the student's numbers (a wrong method whose
    result they match, e.g. man-3's total that keeps the +1) when it changes as the
    numbers move halfway towards the expected ones: then it stays. A message that does
    not change is the chapter's general hint, and the closeness hint is more useful.
    """
    expected = spec.answer(data)
    if not _agrees_when_rounded(answer, expected, spec.keys):
        return message
    if _masked(message) == _masked(close_hint()):
        return message
    try:
        passed, probed = spec.grade(_probe(answer, expected, spec.keys), data)
    except Exception:  # noqa: BLE001 - the probe is ours; keep the old behaviour
        return close_hint()
    if passed or _masked(probed) == _masked(message):
        return close_hint()
    return message
