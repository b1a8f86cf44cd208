"""Reading a student's answer as one value: text as meant, numbers as written, a summary.

``read_number`` reads what a student types — full-width digits, percentages, thousands
separators, currencies and units — and raises :class:`Unreadable` with a message that
says which form to use. ``describe`` shows an answer in one line in a message, never a
whole table. The readers of several values (one per label, a pair) are in
:mod:`crmlab.checks.labelled`; the engine re-exports every public name.
"""

from __future__ import annotations

import decimal
import math
import numbers
import re
import unicodedata
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..i18n import get_language
from ..i18n import gettext as _

__all__ = ["TOLERANCE", "Unreadable", "brief", "close", "count_values", "describe",
           "first_items", "normalise_text", "number_text", "read_number", "read_ratio",
           "values_of_text"]

#: Absolute tolerance for numeric answers (totals are shown to 2 decimals).
TOLERANCE = 0.005


class Unreadable(Exception):
    """The answer cannot be read as the expected kind of value (the message says how)."""


def normalise_text(text) -> str:
    """``text`` as a student meant it: NFKC (full-width digits, letters and punctuation
    typed in a Chinese input method become ASCII), outer spaces stripped, inner runs of
    spaces collapsed.

    Examples
    --------
    >>> normalise_text("  ２０２３１１０４５７\u3000")
    '2023110457'
    >>> normalise_text("１．６３ ％")
    '1.63 %'
    """
    return " ".join(unicodedata.normalize("NFKC", str(text)).split())


#: How long a shown piece of an answer may be, in characters.
_SHOWN = 40


def brief(value) -> str:
    """``repr(value)`` cut to a few characters (never raises)."""
    try:
        text = repr(value.item() if isinstance(value, np.generic) else value)
    except Exception:  # noqa: BLE001 - a student's object whose repr fails
        text = f"<{type(value).__name__}>"
    text = " ".join(text.split())
    return text if len(text) <= _SHOWN else text[:_SHOWN - 1] + "…"


def first_items(items, n: int = 3) -> str:
    """The first ``n`` of ``items`` (texts), joined as a list in the session's language."""
    items = list(items)
    separator = "、" if get_language() == "zh" else ", "
    shown = separator.join(items[:n])
    return shown + (separator + "…" if len(items) > n else "")


def describe(value) -> str:
    """A one-line summary of a student's answer for a feedback message: the value itself
    when it is short, else its type, size and first items — never a whole table.

    Examples
    --------
    >>> describe(2.5), describe("2.69年")
    ('2.5', "'2.69年'")
    >>> describe(pd.Series([2.8, 3.1, 2.9, 4.0], index=list("ABCD")))
    'a Series of 4 values (A: 2.8, B: 3.1, C: 2.9, …)'
    >>> describe(pd.DataFrame({"money": [1, 2], "need": [3, 4]}))
    'a table of 2 rows × 2 columns (money, need)'
    """
    try:
        if isinstance(value, pd.DataFrame):
            return _("a table of {rows} rows × {columns} columns ({names})").format(
                rows=value.shape[0], columns=value.shape[1],
                names=first_items((brief(c).strip("'") for c in value.columns), 4) or "—")
        if isinstance(value, pd.Series):
            return _("a Series of {n} values ({items})").format(
                n=len(value), items=first_items(f"{brief(k).strip(chr(39))}: {brief(v)}"
                                          for k, v in value.head(4).items()) or "—")
        if isinstance(value, np.ndarray):
            if value.ndim == 0:
                return brief(value.item())
            return _("an array of shape {shape} ({items})").format(
                shape=tuple(int(n) for n in value.shape),
                items=first_items(brief(v) for v in value.ravel()[:4]) or "—")
        if isinstance(value, Mapping):
            one = _("a dict of 1 entry ({items})")
            return (one if len(value) == 1 else _("a dict of {n} entries ({items})")).format(
                n=len(value), items=first_items(f"{brief(k)}: {brief(v)}"
                                           for k, v in list(value.items())[:4]) or "—")
        if isinstance(value, (list, tuple, set, frozenset)):
            text = brief(value)
            if len(text) < _SHOWN and get_language() == "en":
                return text                    # a Python list is not shown in other languages
            kinds = {"list": _("list"), "tuple": _("tuple"), "set": _("set"),
                     "frozenset": _("set")}
            if len(text) < _SHOWN:             # short: its items, no count the English lacks
                return _("a {kind} ({items})").format(
                    kind=kinds[type(value).__name__], items=first_items(
                        (brief(v) for v in value), len(value)) or "—")
            many = _("a {kind} of 1 item ({items})") if len(value) == 1 else \
                _("a {kind} of {n} items ({items})")
            return many.format(
                kind=kinds[type(value).__name__], n=len(value),
                items=first_items(brief(v) for v in list(value)[:4]))
        if value is None or isinstance(value, (str, bytes, numbers.Number, decimal.Decimal)):
            return brief(value)
        return _("an object of type {kind}").format(kind=type(value).__name__)
    except Exception:  # noqa: BLE001 - a student's object that fails on len() or items()
        return _("an object of type {kind}").format(kind=type(value).__name__)


#: Units and symbols students write next to a number (after NFKC), longest first.
_UNITS = ("人民币", "美元", "个月", "星期", "US$", "USD", "RMB", "CNY", "yuan", "dollars",
          "years", "year", "yrs", "yr", "months", "month", "weeks", "week", "points", "pts",
          "times", "元", "分", "年", "倍", "次", "个", "周", "月", "天", "人", "位", "笔",
          "$", "¥", "x", "×")
_UNIT = "|".join(re.escape(u) for u in _UNITS)
_PREFIX = re.compile(rf"^(?:约|大约|≈|US\$|USD|RMB|CNY|人民币|\$|¥)\s*", re.I)
_SUFFIX = re.compile(rf"\s*(?:(?:{_UNIT})(?:\s*(?:/|每)\s*(?:{_UNIT}))?|%)$", re.I)


def number_text(text: str) -> tuple[str, bool]:
    """The plain number in a student's text and whether it was a percentage: NFKC, signs,
    thousands separators, currency and unit words removed ("１.６３", "US$ 36.27", "2.69年",
    "12分", "68％")."""
    text = normalise_text(text).replace("−", "-").replace("，", ",")
    text = re.sub(r"(?<=\d)。(?=\d)", ".", text)          # a full stop typed as the point
    percent = False
    for _round in range(3):
        before = text
        text = _PREFIX.sub("", text)
        match = _SUFFIX.search(text)
        if match and match.start() > 0:
            percent = percent or match.group().strip() == "%"
            text = text[:match.start()]
        text = text.strip()
        if text == before:
            break
    return text.replace(",", ""), percent


def read_number(answer, example: str = "2.5") -> float:
    """Read one finite number from a number, a numeric string or a one-element array.

    Strings are read as a student writes them: full-width digits (４４４, １.６３), a
    percentage (68%, ６８％), thousands separators, a currency (US$36.27, ¥1,000, 133.33元,
    人民币133元) or a unit (2.69年, 12分, 6.79倍, 3次, 4个, 52周, 6个月). ``example`` is the
    number a message shows as the form to use (a count or an amount of yuan reads better
    with its own kind of example than with 2.5).

    Examples
    --------
    >>> read_number("１.６３"), read_number("2.69年"), read_number("US$ 36.27")
    (1.63, 2.69, 36.27)
    >>> read_number("68％"), read_number(np.array(3.6))
    (0.68, 3.6)
    """
    if isinstance(answer, (pd.Series, pd.DataFrame, np.ndarray)) and np.size(answer) == 1:
        answer = np.ravel(answer)[0]
    elif isinstance(answer, (list, tuple)) and len(answer) == 1:
        answer = answer[0]
    if isinstance(answer, np.generic):
        answer = answer.item()
    if isinstance(answer, str):
        text, percent = number_text(answer)
        try:
            value = float(text)
        except ValueError:
            pass
        else:
            if math.isfinite(value):
                return value / 100 if percent else value
    if isinstance(answer, (numbers.Real, decimal.Decimal)) and not isinstance(answer, bool):
        try:
            value = float(answer)
        except (TypeError, ValueError, OverflowError):
            value = math.nan
        if math.isfinite(value):
            return value
    if count_values(answer) not in (None, 1):
        raise Unreadable(_("I expected one number here, not {shown}. Answer with a number, "
                           "e.g. {example}.").format(shown=describe(answer), example=example))
    raise Unreadable(_("I could not read {shown} as a number. Answer with a number, e.g. "
                       "{example}.").format(shown=describe(answer), example=example))


def count_values(value) -> int | None:
    """How many values a collection holds (None: not a collection)."""
    if isinstance(value, (pd.Series, pd.DataFrame, np.ndarray)):
        return int(value.size)
    if isinstance(value, (Mapping, list, tuple, set, frozenset)):
        return len(value)
    return None


def values_of_text(text: str, thousands: bool = False) -> list | dict:
    """A string of values ("5, 10") or of labelled values ("A: 2.8, B: 3.1", "1=5; 2=10").
    With ``thousands`` a comma before three digits separates thousands ("50,000,000, 1,500")
    instead of values."""
    comma = r",(?!\d{3}(?!\d))" if thousands else ","
    parts = [normalise_text(p) for p in re.split(rf"(?:[;；、\n]|{comma})+",
                                                 unicodedata.normalize("NFKC", str(text)))
             if p.strip()]
    labelled = [re.fullmatch(r"(.+?)\s*[:=]\s*(.+)", p) for p in parts]
    if parts and all(labelled):
        seen: set[str] = set()
        for m in labelled:
            if m.group(1).casefold() in seen:
                raise Unreadable(_("you gave {label} more than one answer; give each one "
                                   "once.").format(label=m.group(1)))
            seen.add(m.group(1).casefold())
        return {m.group(1): m.group(2) for m in labelled}
    return parts


def read_ratio(answer, parts: str = "a:b") -> float:
    """Read a ratio as one number: ``2``, ``'2'``, ``'2倍'``, ``'2x'``, or two numbers
    ``'79:14'``, ``'79 : 14'``, ``'79：14'``, ``'79比14'``, ``'79/14'``, ``'79÷14'`` (read as
    79 ÷ 14; ``'79%:14%'`` too). ``parts`` names the two numbers in a message, e.g.
    ``"consumption:population"``.

    Examples
    --------
    >>> read_ratio("2比1"), read_ratio("81/23") == 81 / 23, read_ratio("2倍")
    (2.0, True, 2.0)
    """
    if isinstance(answer, str):
        text = normalise_text(answer).replace("%", "").replace("％", "")
        pieces = re.split(r"\s*(?:[:：/÷]|比)\s*", text)
        if len(pieces) == 2 and all(p.strip() for p in pieces):
            top, bottom = (read_number(p) for p in pieces)
            if bottom == 0:
                raise Unreadable(_("a ratio with 0 below the line has no value; give the "
                                   "ratio as one number, e.g. 2.5."))
            return top / bottom
        if len(pieces) > 2:
            raise Unreadable(_("give the ratio as one number (e.g. 2.5) or as two numbers "
                               "'{parts}' (e.g. '60:20').").format(parts=parts))
    return read_number(answer)


def close(a: float, b: float, tol: float = TOLERANCE) -> bool:
    """Whether ``a`` equals ``b`` within the absolute tolerance ``tol``."""
    return abs(a - b) <= tol
