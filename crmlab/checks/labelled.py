"""Reading answers of several values: one number per label, and pairs of numbers.

``read_by_label`` reads a dict, a Series, a table, a list or a string with one value per
label ("firm 1", "企业1", "A银行" all name label 1); ``read_pair`` reads two numbers
written any common way ("104-195", "2：1", a dict keyed by the values' names).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..i18n import gettext as _
from .readers import (Unreadable, brief, describe, first_items, normalise_text, read_number,
                      values_of_text)

__all__ = ["labelled_values", "pair_parts", "read_by_label", "read_pair"]


_CHINESE_DIGITS = dict(zip("一二三四五六七八九十", map(str, range(1, 11))))
_LABEL_WORDS = ("firm", "company", "bank", "customer", "client", "platform", "lead",
                "prospect", "segment", "cohort", "no", "number")
_GLUED = re.compile(rf"^(?:{'|'.join(_LABEL_WORDS)})\.?(.+)$", re.I)


def _label_of(key, labels: Mapping[str, str]) -> str | None:
    """The label (of ``labels``, upper-case → as given) that a key names, if any: the bare
    label ("A", "1") or the label with a word ("firm 1", "Firm_1", "bank A", "企业1",
    "客户A", "A银行", "第1家", "1.0")."""
    if isinstance(key, (float, np.floating)) and float(key).is_integer():
        key = int(key)
    text = normalise_text(key)
    candidates = [text]
    if re.fullmatch(r"\d+\.0+", text):
        candidates.append(text.split(".")[0])
    tokens = re.split(r"[\s_\-#:]+", text)
    if len(tokens) > 1:
        candidates.append(tokens[-1])
    glued = _GLUED.match(text)
    if glued:
        candidates.append(glued.group(1))
    bare = re.sub(r"^[\u4e00-\u9fff]+|[\u4e00-\u9fff]+$", "", text).strip()
    if bare:
        candidates.append(bare)
    inner = re.sub(r"^第|[号家个位]$", "", text)
    candidates.append(re.sub(r"^[\u4e00-\u9fff]*?(?=[一二三四五六七八九十]$)", "", inner))
    for candidate in candidates:
        candidate = _CHINESE_DIGITS.get(candidate, candidate).strip().upper()
        if candidate in labels:
            return labels[candidate]
    return None


def _label_headed(parts: list, upper: Mapping[str, str]) -> dict | None:
    """Each part a label, then its value after a space or a colon (``"A 5000万元"``,
    ``"firm B: 1.5亿"``), or None unless every part is one, each label once. A bare
    number is never read as a label ("1 年" stays one value)."""
    found: dict[str, str] = {}
    for part in parts:
        if not isinstance(part, str):
            return None
        text = normalise_text(part)
        for cut in re.finditer(r"\s*[:=]\s*|\s+", text[:60]):     # a label is short
            head, rest = text[:cut.start()], text[cut.end():].strip()
            if rest and not re.fullmatch(r"[\d.]+", head) and _label_of(head, upper):
                break
        else:
            return None
        label = _label_of(head, upper)
        if label in found:
            return None
        found[label] = rest
    return found or None


def labelled_values(answer, labels: Sequence[str], what: str,
                    refuse_unknown: bool = False) -> dict:
    """One raw value per label (not yet read as numbers): see :func:`read_by_label`.

    ``refuse_unknown``: a dict or Series with a key that names no label is refused (by
    default such keys are ignored when every label has its value).

    Examples
    --------
    >>> labelled_values("A 5000万元，B 16.2亿元", ["A", "B"], "firm")
    {'A': '5000万元', 'B': '16.2亿元'}
    """
    labels = [str(x) for x in labels]
    upper = {x.upper(): x for x in labels}
    example = _("e.g. {{'{label}': ...}}").format(label=labels[0])
    if isinstance(answer, np.ndarray) and answer.ndim == 0:
        answer = answer.item()
    if isinstance(answer, str):
        answer = values_of_text(answer)
    if isinstance(answer, pd.DataFrame):
        answer = _frame_column(answer, upper, what)
    if isinstance(answer, (list, tuple)) and answer and all(
            isinstance(item, (list, tuple)) and len(item) == 2
            and _label_of(item[0], upper) is not None for item in answer):
        answer = dict(answer)                       # [("A", 2.8), ("B", 3.1), ...]
    if isinstance(answer, list) and answer:
        answer = _label_headed(answer, upper) or answer      # ["A 2.8", "B 3.1"]
    if isinstance(answer, (Mapping, pd.Series)):
        found: dict[str, list] = {}
        strangers = []
        for key, value in dict(answer).items():
            label = _label_of(key, upper)
            if label is None:
                strangers.append(brief(key))
            else:
                found.setdefault(label, []).append((key, value))
        twice = {x: keys for x, keys in found.items() if len(keys) > 1}
        if twice:
            x, keys = next(iter(twice.items()))
            raise Unreadable(_("you gave {what} {label} more than one value (keys {keys}); "
                               "give each {what} once.").format(
                                   what=what, label=x, keys=", ".join(brief(k) for k, _v in keys)))
        missing = [x for x in labels if x not in found]
        if strangers and refuse_unknown and not missing:
            raise Unreadable(_("I do not know the {what} {keys}: give one value for each of "
                               "{labels} only.").format(what=what, keys=first_items(strangers),
                                                        labels=", ".join(labels)))
        if missing and strangers:
            raise Unreadable(_("I found no value for {what} {missing}, and I did not recognise "
                               "the labels {keys}; label each value with its {what}, "
                               "{example}.").format(what=what, missing=", ".join(missing),
                                                    keys=first_items(strangers), example=example))
        if missing:
            raise Unreadable(_("I found no value for {what} {missing}; label each value with "
                               "its {what}, {example}.").format(
                                   what=what, missing=", ".join(missing), example=example))
        return {x: found[x][0][1] for x in labels}
    if isinstance(answer, np.ndarray) and answer.ndim > 1 and answer.size == len(labels):
        answer = answer.ravel()
    if isinstance(answer, (Sequence, np.ndarray, pd.Index)) and not isinstance(answer, str):
        if len(answer) != len(labels):
            raise Unreadable(_("expected {n} values ({labels}); got {shown}.").format(
                n=len(labels), labels=", ".join(labels), shown=describe(answer)))
        return dict(zip(labels, list(answer)))
    raise Unreadable(_("expected one number per {what} ({labels}), as a dict or a Series, "
                       "{example}; got {shown}.").format(
                           what=what, labels=", ".join(labels), example=example,
                           shown=describe(answer)))


def _frame_column(frame: pd.DataFrame, upper: Mapping[str, str], what: str) -> pd.Series:
    """The column of values of a table answer, indexed by label."""
    if frame.shape[1] == 2 and frame.shape[0] == len(upper):
        for k, col in enumerate(frame.columns):       # a column of labels and one of values
            if all(_label_of(v, upper) is not None for v in frame[col]):
                return frame.set_index(col)[frame.columns[1 - k]]
    if "total" in frame.columns:
        return frame["total"]
    if frame.shape[1] == 1:
        return frame.iloc[:, 0]
    if frame.shape[0] == 1 and all(_label_of(c, upper) is not None for c in frame.columns):
        return frame.iloc[0]                           # one row, a column per label
    raise Unreadable(_("your table has columns {columns}; give a 'total' column indexed by "
                       "{what}.").format(columns=first_items((brief(c) for c in frame.columns), 6),
                                         what=what))


def read_by_label(answer, labels: Sequence[str], what: str) -> dict[str, float]:
    """Read one number per label.

    Accepts a dict or Series keyed by label (the label alone, any case, or with a word:
    ``"firm 1"``, ``"企业1"``, ``"bank A"``, ``"银行A"``, ``"客户A"``), a one-column table (or
    one with a ``total`` column, or a column of labels beside a column of values), a list
    in label order, a list of (label, value) pairs, or a string ``"A: 2.8, B: 3.1"`` /
    ``"5, 10"``. Each value is read by :func:`read_number` (so ``"5年"`` is 5).

    Examples
    --------
    >>> read_by_label({"firm 1": "5年", "企业2": "１０"}, ["1", "2"], "firm")
    {'1': 5.0, '2': 10.0}
    """
    raw = labelled_values(answer, labels, what)
    out = {}
    for label, value in raw.items():
        try:
            out[label] = read_number(value)
        except Unreadable as err:
            raise Unreadable(_("{what} {label}: {reason}").format(what=what, label=label,
                                                                  reason=err)) from None
    return out


_RANGE = r"\s*(?:~|–|—|to|至|到|比|:)\s*"


def _split_pair(text: str) -> list[list[str]]:
    """Ways to cut a student's "104-195", "104 ~ 195 元", "2:1", "2：1", "(104, 195)" into
    two parts, most specific first."""
    text = normalise_text(text).replace("−", "-").replace("，", ",")
    text = re.sub(r"^[(\[（【]\s*|\s*[)\]）】]$", "", text)
    ways = [re.split(_RANGE, text, flags=re.I), re.split(r"\s*[;；、]\s*", text),
            text.split(","), re.split(r",\s+", text),
            re.split(r"(?<=[^\s+-])(?:-|\s+-\s+)(?=[-+]?(?:\d|\$|¥|US\$))", text), text.split()]
    return [w for w in ways if len(w) == 2 and all(p.strip() for p in w)]


def _fold(text) -> str:
    """A key or a name compared as a student means it: NFKC, case folded."""
    return normalise_text(text).casefold()


def _compact(text: str) -> str:
    return re.sub(r"[\s_\-.:：/]+", "", text)


def _key_slot(key, keys: Sequence[Sequence[str]]) -> int | None:
    """Which of the named values (``keys[0]``, ``keys[1]`` …: the names each may have) a
    student's dict key names: the name itself in any case and spacing ("Courseware",
    "courseware_formula" for "courseware" via its words, "课件公式" for "课件" inside it),
    or None when it names none or more than one."""
    if isinstance(key, (bool, np.bool_)) or not isinstance(key, (str, np.str_)):
        return None
    text = _fold(key)
    for slot, names in enumerate(keys):
        if any(_compact(text) == _compact(_fold(n)) for n in names):
            return slot
    words = {w for w in re.split(r"[\s_\-.:：/()（）]+", text) if w}
    hits = set()
    for slot, names in enumerate(keys):
        for name in (_fold(n) for n in names):
            if name in words or (len(name) >= 2 and re.search(r"[\u4e00-\u9fff]", name)
                                 and name in text):
                hits.add(slot)
    return hits.pop() if len(hits) == 1 else None


def _keyed(items: list, keys: Sequence[Sequence[str]]) -> list | None:
    """The values of a dict's ``items`` in the order of ``keys`` where its keys name them
    (an unnamed key takes the one place left), or None when no key is named."""
    placed: dict[int, object] = {}
    unnamed = []
    for key, value in items:
        slot = _key_slot(key, keys)
        if slot is None:
            unnamed.append(value)
        elif slot in placed:
            raise Unreadable(_("two of your keys name the same value ({name}); label each "
                               "of the values once.").format(name=keys[slot][0]))
        else:
            placed[slot] = value
    if not placed:
        return None
    left = [s for s in range(len(keys)) if s not in placed]
    if len(left) == 1 and len(unnamed) == 1:
        placed[left[0]] = unnamed[0]
    if len(placed) < len(keys):
        raise Unreadable(_("I found no value for {name}: label each value, e.g. {example}."
                           ).format(name=", ".join(keys[s][0] for s in left), example=(
                               "{" + ", ".join(f"'{names[0]}': ..." for names in keys) + "}")))
    return [placed[s] for s in range(len(keys))]


_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?\s*%?")


def _named_parts(text: str, keys: Sequence[Sequence[str]]) -> tuple | None:
    """The two numbers of a text that names each beside it, without a colon
    ("221个客户，召回率0.6605", "recall 0.6605, customers 221"), in the order of ``keys``;
    None unless the text is two such parts naming both values."""
    parts = [p for p in re.split(r"\s*(?:[,;、\n])\s*", normalise_text(text)) if p]
    if len(parts) != 2:
        return None
    placed: dict[int, str] = {}
    for part in parts:
        numbers = _NUMBER.findall(part)
        if len(numbers) != 1:
            return None
        name = part.replace(numbers[0], " ", 1).strip(" 个名位人=:")
        slot = _key_slot(name, keys) if name else None
        if slot is None or slot in placed:
            return None
        placed[slot] = numbers[0].strip()
    return tuple(placed[s] for s in range(len(keys))) if len(placed) == len(keys) else None


def _default_index(index) -> bool:
    """Whether a Series' index is positions 0 … n−1 (not labels)."""
    return list(index) == list(range(len(index)))


def pair_parts(answer, what: str, keys: Sequence[Sequence[str]] | None = None,
               example: str = "(100, 200)") -> tuple:
    """The two values of a pair answer as the student wrote them (numbers or strings), in
    order: see :func:`read_pair`.

    Examples
    --------
    >>> pair_parts({"share": "33%", "ratio": "1.8倍"}, "two values")
    ('33%', '1.8倍')
    >>> pair_parts({"ratio": 2, "share": 0.3}, "two values", keys=(("share",), ("ratio",)))
    (0.3, 2)
    >>> pair_parts("ratio 2, 30% share", "two values", keys=(("share",), ("ratio",)))
    ('30%', '2')
    """
    usage = _("give two numbers, {what}, e.g. {example}.").format(what=what, example=example)
    if isinstance(answer, np.ndarray) and answer.ndim == 0:
        answer = answer.item()
    if isinstance(answer, pd.Series) and not _default_index(answer.index):
        answer = dict(answer.items())
    if isinstance(answer, str) and keys:
        labelled = values_of_text(answer)
        if isinstance(labelled, dict) and len(labelled) >= 2:
            ordered = _keyed(list(labelled.items()), keys)
            if ordered is not None:
                return tuple(ordered)
        named = _named_parts(answer, keys)
        if named is not None:
            return named
    if isinstance(answer, Mapping):
        items = list(answer.items())
        ordered = _keyed(items, keys) if keys else None
        answer = ordered if ordered is not None else [v for _k, v in items]
    if isinstance(answer, str):
        for parts in _split_pair(answer):
            try:
                read_number(parts[0]), read_number(parts[1])
            except Unreadable:
                continue
            return parts[0].strip(), parts[1].strip()
        raise Unreadable(_("I could not read {shown} as two numbers: {usage}").format(
            shown=describe(answer), usage=usage))
    if isinstance(answer, (pd.Series, pd.DataFrame, np.ndarray)) and np.size(answer) == 2:
        answer = list(np.ravel(answer))
    if isinstance(answer, (Sequence, pd.Index)) and not isinstance(answer, (str, bytes)) \
            and len(answer) == 2:
        return tuple(answer)
    raise Unreadable(_("give two numbers, {what}, e.g. {example}; got {shown}.").format(
        what=what, example=example, shown=describe(answer)))


def read_pair(answer, what: str, keys: Sequence[Sequence[str]] | None = None,
              example: str = "(100, 200)") -> tuple[float, float]:
    """Read two numbers: a list, a tuple, a two-element array or Series, a dict, or a
    string such as ``'104-195'``, ``'104 ~ 195 元'``, ``'(104, 195)'``, ``'2:1'``,
    ``'2 : 1'``, ``'2：1'`` or ``'2比1'``.

    ``keys`` names the two values (each a list of the names a student may use, English
    and Chinese): a dict, a Series indexed by label or a string ``"share: 0.3, ratio: 2"``
    (or ``"ratio 2, 30% share"``, ``"比例30%，倍数2"``) is then read by its keys, in any order, and by position only when its keys name
    neither value. Without ``keys`` a dict is read in its order. ``example`` is the pair a
    message shows as the form to use.

    Examples
    --------
    >>> read_pair("2：1", "a ratio"), read_pair("１０４－１９５元", "low and high")
    ((2.0, 1.0), (104.0, 195.0))
    >>> names = (("share", "比例"), ("ratio", "倍数"))
    >>> read_pair({"倍数": 2, "比例": "30%"}, "share and ratio", keys=names)
    (0.3, 2.0)
    """
    usage = _("give two numbers, {what}, e.g. {example}.").format(what=what, example=example)
    parts = pair_parts(answer, what, keys, example)
    values = []
    for position, value in zip((_("the first value"), _("the second value")), parts):
        if value is None or value is ...:
            raise Unreadable(_("{position} is missing: {usage}").format(
                position=position, usage=usage))
        try:
            values.append(read_number(value))
        except Unreadable:
            raise Unreadable(_("{position} ({shown}) is not a number: {usage}").format(
                position=position, shown=describe(value), usage=usage)) from None
    return values[0], values[1]
