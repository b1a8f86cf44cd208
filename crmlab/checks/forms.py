"""Forms of answer that more than one check module reads, and the phrases they share.

* **shares** (chapter 5): a share may be written as a fraction (0.2167), a percentage
  string ("21.67%") or a percent number (21.67: any plain number above 1 where a share is
  asked); :func:`read_share` reads each in the unit it is written in, and
  :func:`rounded_share` says whether it is a right share rounded too early in that unit;
* **RFM codes** (chapter 3): three digits R, F, M, written as text ("433", "R4 F3 M3",
  "4-3-3"), a number, three scores in order or labelled by dimension —
  :func:`read_code`, :func:`three_digits` (its hint), :func:`wrong_letters`;
* **numbers with a unit word** (chapter 3): :func:`read_amount` drops 元, 分, 次, dollars …
  and folds case and end punctuation before :func:`crmlab.checks.readers.read_number`;
* **one value** in a one-element list, tuple, array or Series (:func:`one_value`), the
  **sentences** of one message (:func:`sentences`), and the hint for an answer that is
  the chapter's own example (:func:`chapter_example`).

:mod:`crmlab.checks.core` re-exports these names, so a chapter imports them from there.
The sentences are English inside ``_()``, translated by the catalog ``crmlab``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .. import i18n
from ..i18n import gettext as _
from .readers import Unreadable, normalise_text, read_number
from .rounding import agrees_when_rounded

__all__ = ["UNITS", "chapter_example", "one_value", "read_amount", "read_code", "read_share",
           "rounded_share", "sentences", "shown", "student_text", "three_digits",
           "wrong_letters"]


# ------------------------------------------------------------------ shares and percentages
def _is_percent_text(raw) -> bool:
    return isinstance(raw, str) and "%" in normalise_text(raw)


def _percent_number(raw) -> bool:
    """A plain number above 1 where a share is asked: a percentage written without "%"."""
    return not _is_percent_text(raw) and abs(read_number(raw)) > 1


def read_share(raw) -> float:
    """A share from 0.2167, "21.67%" or 21.67.

    >>> read_share(0.2167), read_share("21.67%"), read_share(21.67)
    (0.2167, 0.2167, 0.2167)
    """
    value = read_number(raw)
    return value / 100 if _percent_number(raw) else value


def rounded_share(raw, want: float) -> bool:
    """Whether ``raw`` is the share ``want`` rounded too early, in the unit it is written in
    (21.7 and "21.7%" as percentages, 0.217 as a share).

    >>> rounded_share(21.7, 0.21667), rounded_share("21.7%", 0.21667), rounded_share(0.22, 0.2)
    (True, True, False)
    """
    try:
        return agrees_when_rounded(raw, 100 * want if _percent_number(raw) else want)
    except Unreadable:
        return False


def one_value(answer):
    """The single value of a one-element list, tuple, array or Series, else the answer.

    >>> one_value([0.25]), one_value(np.array([3])), one_value((1, 2))
    (0.25, np.int64(3), (1, 2))
    """
    if isinstance(answer, (list, tuple)) and len(answer) == 1:
        return answer[0]
    if isinstance(answer, (np.ndarray, pd.Series)) and np.size(answer) == 1:
        return np.ravel(answer)[0]
    return answer


def sentences(*parts: str) -> str:
    """Sentences of one message: a space between them in English, none in Chinese."""
    return ("" if i18n.get_language() == "zh" else " ").join(parts)


def chapter_example(what: str) -> str:
    """The hint for an answer that is the chapter's example ``what``, not the student's."""
    return _("that is the chapter's example ({what}), not your data: use your own numbers "
             "from crmlab.exercise_data.").format(what=what)


# ------------------------------------------------------------------ numbers with a unit word
def student_text(value) -> str:
    """A student's text, normalised: full-width characters folded, case and spaces evened.

    >>> student_text(" Ｒ4  F3 M3。")
    'r4 f3 m3'
    """
    text = unicodedata.normalize("NFKC", str(value)).strip().lower()
    return " ".join(text.strip(".。!！'\"“”‘’").split())


#: Unit words a student writes after an amount, a score or a ratio.
UNITS = re.compile(r"(元|美元|us\$|\$|usd|yuan|dollars?|分|points?|次|倍|times)$")


def shown(answer) -> str:
    """A short, safe picture of an answer for a message (its ``repr``, cut at 60)."""
    try:
        text = repr(answer)
    except Exception:  # noqa: BLE001 - a student's object whose repr fails
        text = f"<{type(answer).__name__}>"
    return text if len(text) <= 60 else text[:57] + "..."


def read_amount(answer) -> float:
    """One number from a student's answer (units such as 元 or 分 dropped), or Unreadable
    with a translated message.

    >>> read_amount("2500 Yuan"), read_amount("4 points"), read_amount(3)
    (2500.0, 4.0, 3.0)
    """
    if isinstance(answer, str):
        text = UNITS.sub("", student_text(answer).replace(" ", "")).strip()
        answer = text or answer
    try:
        return read_number(answer)
    except Unreadable:
        raise Unreadable(_("I could not read {answer} as a number. Answer with a number, "
                           "e.g. 2.5.").format(answer=shown(answer))) from None


# ------------------------------------------------------------------ RFM codes
_DIMENSION_NAMES = {
    "R": ("r", "recency", "r_score", "最近一次消费", "最近一次购买", "近度", "r分", "r得分"),
    "F": ("f", "frequency", "f_score", "消费频率", "购买频率", "频率", "f分", "f得分"),
    "M": ("m", "monetary", "m_score", "消费金额", "购买金额", "金额", "m分", "m得分"),
}


def three_digits() -> str:
    """The hint for an RFM code that is not three digits."""
    return _("write the code as three digits, R then F then M, e.g. '123'.")


def read_code(answer) -> str:
    """Read an RFM code: text ("433", "R4 F3 M3", "4-3-3"), a number (433), three scores
    in order, or a dict / Series / one-row table of scores by R, F and M.

    >>> read_code("R4 F3 M3"), read_code(433), read_code({"M": 3, "recency": 4, "f": 3})
    ('433', '433', '433')
    """
    if isinstance(answer, pd.DataFrame) and answer.size == 3:
        answer = pd.Series(np.ravel(answer.to_numpy()),
                           index=answer.columns if answer.shape[0] == 1 else answer.index)
    if isinstance(answer, (Mapping, pd.Series)):
        found = {}
        for key, value in dict(answer).items():
            name = student_text(key)
            letter = next((k for k, names in _DIMENSION_NAMES.items() if name in names), None)
            if letter is None:
                raise Unreadable(_("label the three scores R, F and M, e.g. "
                                   "{{'R': 1, 'F': 2, 'M': 3}}; I do not know the label "
                                   "{label}.").format(label=shown(key)))
            found[letter] = value
        if set(found) != {"R", "F", "M"}:
            raise Unreadable(_("give all three scores, R, F and M, e.g. "
                               "{{'R': 1, 'F': 2, 'M': 3}}."))
        answer = [found[k] for k in "RFM"]
    if isinstance(answer, (Sequence, np.ndarray, pd.Index)) and not isinstance(answer, str):
        if len(answer) != 3:
            raise Unreadable(three_digits())
        digits = []
        for value in answer:
            number = read_amount(value)
            if not number.is_integer() or not 0 <= number <= 9:
                raise Unreadable(three_digits())
            digits.append(str(int(number)))
        return "".join(digits)
    if isinstance(answer, (bool, np.bool_)) or answer is None:
        raise Unreadable(three_digits())
    if isinstance(answer, (int, np.integer)) or (
            isinstance(answer, (float, np.floating)) and math.isfinite(answer)
            and float(answer).is_integer()):
        return str(int(answer))
    text = re.sub(r"[\s'\"“”‘’,，、\-–/|:：=]", "", student_text(answer))
    labelled = re.fullmatch(r"r\D*?(\d)f\D*?(\d)m\D*?(\d)", text)
    return "".join(labelled.groups()) if labelled else text


def wrong_letters(got: str, expected: str) -> str:
    """The letters of the RFM digits of ``got`` that differ from ``expected`` ("R, M").

    >>> wrong_letters("433", "435")
    'M'
    """
    separator = "、" if i18n.get_language() == "zh" else ", "
    return separator.join(n for k, n in enumerate("RFM") if got[k] != expected[k])
