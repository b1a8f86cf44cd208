"""Answers that are categories: one category per item, read from what students write.

An exercise that asks to put items into groups (a field into an information group, a
source into a channel, a person into a state, a customer into a tier) reads the answer
with :func:`read_assignments`: a dict keyed by item label or name, a dict from category to
its items, a Series or a table, a list in item order, or text. Each category may be
written by any of its accepted names (:func:`vocabulary`), in English or Chinese.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..i18n import get_language
from ..i18n import gettext as _
from .readers import Unreadable, describe, values_of_text

__all__ = ["fold", "item_key", "listed", "read_assignments", "read_category", "values_in_text",
           "vocabulary", "wrong_items"]


def fold(value) -> str:
    """A student's text as compared: NFKC, case-folded, spaces collapsed, quotes and final
    full stops removed."""
    text = unicodedata.normalize("NFKC", str(value)).strip().casefold()
    text = text.strip(" .。!！'\"“”‘’`")
    return " ".join(text.replace("_", " ").split())


def vocabulary(groups: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """Normalised name → category, from each category's accepted names."""
    return {fold(name): key for key, names in groups.items() for name in names if name}


def read_category(value, vocabulary: Mapping[str, str], example: str) -> str:
    if isinstance(value, str) and fold(value) in vocabulary:
        return vocabulary[fold(value)]
    raise Unreadable(_("I could not read {shown} as one of the categories; write, e.g., "
                       "{example}.").format(shown=describe(value), example=example))


def item_key(key, items: Mapping[str, Sequence[str]]) -> str | None:
    """The item (label) a student's key names: the label itself or one of its names."""
    if isinstance(key, (float, np.floating)) and float(key).is_integer():
        key = int(key)
    text = fold(key)
    for label, names in items.items():
        if text == fold(label) or any(text == fold(n) for n in names):
            return label
    return None


def values_in_text(text: str) -> list[str] | dict[str, object]:
    """The values a student typed in one string: ``"a: basic, b: attitude"`` (a dict),
    ``"direct: c, d, f; indirect: a, b, e"`` (category → its items), or ``"basic, basic"``
    (a list). A comma before three digits is a thousands separator ("50,000,000").

    Examples
    --------
    >>> values_in_text("direct: c, d; indirect: a、b")
    {'direct': ['c', 'd'], 'indirect': ['a', 'b']}
    >>> values_in_text("A: 50,000,000, B: 1.5亿")
    {'A': '50,000,000', 'B': '1.5亿'}
    """
    text = unicodedata.normalize("NFKC", text)               # keeps the line breaks
    groups = [" ".join(g.split()) for g in re.split(r"[;\n]+", text) if g.strip()]
    heads = [re.fullmatch(r"([^,:=、]+?)\s*[:=]\s*(.+)", g) for g in groups]
    separator = r",(?!\d{3}(?!\d))|、"                     # not a thousands separator
    if len(groups) > 1 and all(heads) and any(re.search(separator, h.group(2)) for h in heads):
        return {h.group(1): [m.strip() for m in re.split(separator, h.group(2)) if m.strip()]
                for h in heads}
    return values_of_text(text, thousands=True)


def read_assignments(answer, items: Mapping[str, Sequence[str]], vocabulary: Mapping[str, str],
                     example: str) -> dict[str, str]:
    """Read one category per item.

    Accepts a dict or Series keyed by item (its label, e.g. ``"a"``, or its name), a table
    with one column of categories, a list of categories in item order, a dict from category
    to its items (``{"direct": ["a", "c"], ...}``), or text ``"a: basic, b: attitude"``,
    ``"a basic, b attitude"`` or, for one-letter categories, ``"ABF"``.
    ``items`` maps each label to the other names a student may use for it.

    Examples
    --------
    >>> names = vocabulary({"direct": ["direct", "直接"], "indirect": ["indirect", "间接"]})
    >>> read_assignments("直接: a、c; 间接: b", {"a": [], "b": [], "c": []}, names, "…")
    {'a': 'direct', 'b': 'indirect', 'c': 'direct'}
    >>> read_assignments("a indirect, b direct, c direct", {"a": [], "b": [], "c": []},
    ...                  names, "…")
    {'a': 'indirect', 'b': 'direct', 'c': 'direct'}
    """
    labels = list(items)
    if isinstance(answer, pd.DataFrame):
        usable = [c for c in answer.columns if not pd.api.types.is_numeric_dtype(answer[c])]
        named = [c for c in usable if fold(c) in ("state", "tier", "group", "channel",
                                                   "category", "answer")]
        if named or len(usable) == 1:
            answer = answer[(named or usable)[0]]
        else:
            raise Unreadable(_("give one category per item, as a dict or a Series indexed "
                               "by item, e.g. {example}.").format(example=example))
    if isinstance(answer, np.ndarray):
        answer = answer.ravel().tolist()
    if isinstance(answer, str):
        answer = values_in_text(answer)
        if isinstance(answer, list):
            answer = _run_of_letters(answer, len(labels), vocabulary) or \
                _item_headed(answer, items, vocabulary) or answer
    if isinstance(answer, (Mapping, pd.Series)):
        raw = dict(answer)
        if raw and all(isinstance(k, str) and fold(k) in vocabulary and
                       item_key(k, items) is None for k in raw):
            inverted = {}
            for category, members in raw.items():
                members = [members] if isinstance(members, str) or np.ndim(members) == 0 \
                    else list(members)
                for member in members:
                    label = item_key(member, items)
                    if label is not None and any(item_key(m, items) == label
                                                 for m in inverted):
                        raise Unreadable(_("you gave item {label} more than one answer; "
                                           "give each item once.").format(label=label))
                    inverted[member] = category
            raw = inverted
        found, strangers = {}, []
        for key, value in raw.items():
            label = item_key(key, items)
            if label is None:
                strangers.append(describe(key))
                continue
            if label in found:
                raise Unreadable(_("you gave item {label} more than one answer; give each "
                                   "item once.").format(label=label))
            found[label] = value
        missing = [x for x in labels if x not in found]
        if strangers and not missing:
            raise Unreadable(_("I do not know the items {keys}; give one answer for each of "
                               "{labels} only.").format(keys=listed(strangers[:3]),
                                                        labels=listed(labels)))
        if missing:
            if strangers:
                raise Unreadable(_("I found no answer for {missing}, and I do not know the "
                                   "items {keys}; use the labels of the exercise's table, "
                                   "e.g. {example}.").format(
                                       missing=listed(missing),
                                       keys=listed(strangers[:3]), example=example))
            raise Unreadable(_("I found no answer for {missing}; give one for every item, "
                               "e.g. {example}.").format(missing=listed(missing),
                                                         example=example))
        return {x: read_category(found[x], vocabulary, example) for x in labels}
    if isinstance(answer, (list, tuple, pd.Index)) and not isinstance(answer, str):
        if len(answer) != len(labels):
            raise Unreadable(_("expected {n} answers, one per item ({labels}); got {shown}.")
                             .format(n=len(labels), labels=listed(labels),
                                     shown=describe(answer)))
        return {x: read_category(v, vocabulary, example) for x, v in zip(labels, answer)}
    raise Unreadable(_("give one category per item, as a dict or a Series indexed by item, "
                       "e.g. {example}.").format(example=example))


def _run_of_letters(parts: list, n: int, vocabulary: Mapping[str, str]) -> list[str] | None:
    """One category per item written as a run of one-letter names, ``"ABF"`` for three
    items (as "ebcad" orders five labels), when the run has one letter per item."""
    if len(parts) == 1 and n > 1 and len(parts[0]) == n and \
            all(fold(ch) in vocabulary for ch in parts[0]):
        return list(parts[0])
    return None


#: How far into a part an item's name may reach (a longer head is not tried: a huge
#: answer is read in linear time).
_LONGEST_NAME = 120


def _item_headed(parts: list, items: Mapping[str, Sequence[str]],
                 vocabulary: Mapping[str, str]) -> dict | None:
    """Each part an item, a space and its category, without a colon: ``"a indirect"``,
    ``"c1 A"``; None unless every part is one. An item given twice is refused."""
    found: dict[str, object] = {}
    for part in parts:
        text = " ".join(str(part).split())
        for cut in re.finditer(r" ", text[:_LONGEST_NAME]):   # an item's name is short
            head, rest = text[:cut.start()], text[cut.end():]
            label = item_key(head, items)
            if label is not None and fold(rest) in vocabulary:
                break
        else:
            return None
        if label in found:
            raise Unreadable(_("you gave item {label} more than one answer; give each item "
                               "once.").format(label=label))
        found[label] = rest
    return found or None


def wrong_items(got: Mapping, expected: Mapping) -> list[str]:
    return [k for k in expected if got[k] != expected[k]]


def listed(labels: Sequence[str]) -> str:
    separator = "、" if get_language() == "zh" else ", "
    return separator.join(labels)
