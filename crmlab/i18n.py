"""Languages: the suite's one bilingual vocabulary and the catalogs of its student-facing text.

crmlab speaks English (``"en"``) and Simplified Chinese (``"zh"``). Two things carry the
Chinese side, and nothing else may:

* the **term list** (``crmlab/locale/terms.csv``): one row per concept of the course —
  its key, its English and Chinese names, the other names the courseware uses for it and
  the names a student may type. It feeds the glossary of the start page, the labels of
  figures and widgets and the answers a check accepts, so a term is written one way
  everywhere (:func:`term`, :func:`glossary`, :func:`term_aliases`);
* the **gettext catalogs** (``crmlab/locale/zh/LC_MESSAGES/<domain>.po``, compiled to
  ``.mo``): every sentence a student reads in check feedback, hints, widget labels and
  figure titles is written in English inside ``_("...")`` and translated there. One
  catalog per chapter (``ch02_man`` holds ``checks/ch02_man.py`` and
  ``widgets/ch02_man.py`` and ``plotting/ch02_man.py``) and one, ``crmlab``, for the shared
  modules.
  ``python -m crmlab catalogs`` extracts the strings with Babel, adds new ones to every
  catalog and compiles them; a test fails while any string is untranslated.

The language is a setting of the session, like the student id: each chapter's first
code cell calls :func:`set_language` (the Chinese edition of a chapter says ``"zh"``).
Error messages of the compute modules (``InputError``) stay English, the convention of
the Python ecosystem; they are for programmers, not feedback.

Examples
--------
>>> from crmlab import i18n
>>> i18n.set_language("zh")
>>> i18n.term("recency")
'最近一次消费'
>>> i18n.set_language("en")
>>> i18n.term("recency")
'recency'
>>> i18n.term("recency", bilingual=True)
'recency (最近一次消费)'
"""

from __future__ import annotations

import csv
import gettext as _gettext
from functools import cache
from pathlib import Path

__all__ = ["LANGUAGES", "N_", "Words", "get_language", "gettext", "glossary", "localise",
           "set_language", "term", "term_aliases", "terms"]

#: The languages crmlab speaks, by code.
LANGUAGES = {"en": "English", "zh": "简体中文"}
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
TERMS_FILE = LOCALE_DIR / "terms.csv"

_setting = {"language": "en"}


def set_language(language: str) -> None:
    """Speak ``language`` (``"en"`` or ``"zh"``) in feedback, labels and figures from now on.

    Examples
    --------
    >>> set_language("zh"); get_language()
    'zh'
    >>> set_language("en")
    """
    key = str(language).strip().lower().replace("_", "-")
    key = {"zh-cn": "zh", "zh-hans": "zh", "chinese": "zh", "中文": "zh",
           "english": "en", "en-us": "en", "en-gb": "en"}.get(key, key)
    if key not in LANGUAGES:
        raise ValueError(f"set_language: language={language!r} is not one crmlab speaks; "
                         f"use one of {sorted(LANGUAGES)}")
    _setting["language"] = key


def get_language() -> str:
    """The language set by :func:`set_language` (``"en"`` until then)."""
    return _setting["language"]


@cache
def _catalogs(language: str) -> _gettext.NullTranslations:
    """All compiled catalogs of ``language``, chained (sorted by domain)."""
    chain = _gettext.NullTranslations()
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    for mo in sorted(folder.glob("*.mo"), reverse=True):
        with mo.open("rb") as handle:
            catalog = _gettext.GNUTranslations(handle)
        catalog.add_fallback(chain)
        chain = catalog
    return chain


def gettext(message: str) -> str:
    """``message`` in the current language (the English text when no translation exists).

    Modules import it as ``_`` so that Babel finds every ``_("...")`` literal. Put
    values in with named fields, ``_("{n} customers").format(n=n)``, never an f-string:
    a translation may need to move them.
    """
    language = get_language()
    if language == "en":
        return message
    return _catalogs(language).gettext(message)


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it yet (module-level tables);
    translate it where it is shown, with :func:`gettext`."""
    return message


@cache
def terms() -> tuple[dict, ...]:
    """The term list: one dict per concept (``key``, ``en``, ``zh``, ``courseware``,
    ``aliases``, ``chapters``, ``note``), in the order a course meets them."""
    with TERMS_FILE.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if not row["key"].startswith("#")]
    return tuple(rows)


@cache
def _by_key() -> dict:
    return {row["key"]: row for row in terms()}


def term(key: str, *, bilingual: bool = False, language: str | None = None) -> str:
    """The name of concept ``key`` in the current (or the given) language.

    ``bilingual=True`` adds the other language's name in parentheses, the form a text uses
    on a term's first appearance: ``'recency (最近一次消费)'`` in English,
    ``'最近一次消费 (recency)'`` in Chinese.
    """
    try:
        row = _by_key()[key]
    except KeyError:
        raise KeyError(f"term: {key!r} is not in the term list {TERMS_FILE.name}") from None
    language = language or get_language()
    other = "en" if language == "zh" else "zh"
    name = row[language] or row["en"]
    return f"{name} ({row[other]})" if bilingual and row[other] else name


class Words(dict):
    """A map from values as crmlab returns them to their English display text, for
    :func:`localise`: words that are no concept of the course, so have no row in the term
    list (a video category, a phone brand, HSBC's "high" loyalty). Write each text as
    ``N_("...")`` so that the catalogs hold it; :func:`localise` translates it with
    :func:`gettext`.

    Examples
    --------
    >>> Words({"food": N_("food")})["food"]
    'food'
    """


def localise(data, *terms):
    """``data`` (a DataFrame, Series or Index) with values shown in the session's language.

    Each of ``terms`` maps a value as crmlab's compute functions return it (``"actual"``,
    ``"Platinum"``, ``"mid-to-high-end consumer"``) to its key in the term list, e.g.
    ``identify.STATE_TERMS``, or is a :class:`Words` map from values to English text
    (``tags.TAG_WORDS``); index and column labels, whole cells and the items of tuples
    in cells that it names are replaced by :func:`term` (by :func:`gettext` of the text for
    :class:`Words`), everything else is kept. For *showing* a table, as the dashboards do:
    the data themselves stay in English.

    Examples
    --------
    >>> import pandas as pd
    >>> states = {"actual": "actual_customer", "lost": "lost_customer"}
    >>> localise(pd.Series([3, 1], index=["actual", "lost"]), states).index.tolist()
    ['actual customer', 'lost (churned) customer']
    >>> localise(pd.Series(["actual", "x", 2]), states).tolist()
    ['actual customer', 'x', 2]
    >>> localise(pd.Series(["lost"]), states).tolist() == [term("lost_customer")]
    True
    """
    import pandas as pd

    names = {value: gettext(key) if isinstance(mapping, Words) else term(key)
             for mapping in terms for value, key in mapping.items()}

    def one(value):
        if isinstance(value, tuple):
            return tuple(one(v) for v in value)
        return names.get(value, value) if isinstance(value, str) else value

    def column(values):
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(
                values):
            return values
        return values.map(one, na_action="ignore")

    if isinstance(data, pd.Index):
        return data.map(one)
    out = data.copy()
    if isinstance(out, pd.Series):
        out = column(out)
    elif isinstance(out, pd.DataFrame):
        for name in out.columns:
            out[name] = column(out[name])
        out.columns = out.columns.map(one)
    else:
        raise TypeError(f"localise: give a DataFrame, Series or Index; got "
                        f"{type(data).__name__}.")
    out.index = out.index.map(one)
    return out


def term_aliases(key: str) -> tuple[str, ...]:
    """Every name a student may write for concept ``key``: English, Chinese, the
    courseware's other names and the listed aliases (for answer checks)."""
    row = _by_key()[key]
    names = [row["en"], row["zh"], *row["courseware"].split("|"), *row["aliases"].split("|")]
    return tuple(dict.fromkeys(n.strip() for n in names if n.strip()))


def glossary(*, chapter: int | None = None):
    """The term list as a table in the current language (the start page's glossary).

    Indexed by the term in the current language; columns: its name in the other language,
    what it means, the other names the courseware uses, and the chapters that use it.

    Examples
    --------
    >>> glossary(chapter=3).loc["recency", "中文"]
    '最近一次消费'
    """
    import pandas as pd

    zh = get_language() == "zh"
    rows = [row for row in terms()
            if chapter is None or str(chapter) in row["chapters"].split("|")]
    first, second = ("zh", "en") if zh else ("en", "zh")
    names = {"en": "English", "zh": "中文"}
    table = pd.DataFrame({
        names[first]: [r[first] for r in rows],
        names[second]: [r[second] for r in rows],
        gettext("meaning"): [r[f"{first}_gloss"] or r[f"{second}_gloss"] for r in rows],
        gettext("other names in the courseware"):
            [" / ".join(filter(None, r["courseware"].split("|"))) for r in rows],
        gettext("chapters"): [", ".join(r["chapters"].split("|")) for r in rows],
    })
    return table.set_index(names[first])
