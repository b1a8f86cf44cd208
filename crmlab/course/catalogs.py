"""The gettext catalogs: extract every ``_("...")`` string with Babel, update, compile.

One catalog (gettext *domain*) per chapter and one for the shared modules:

* ``checks/chNN_name.py``, ``widgets/chNN_name.py`` and ``plotting/chNN_name.py`` →
  domain ``chNN_name``;
* every other module of the package (``checks/core.py``, ``widgets/core.py``,
  ``plotting/core.py``, ``i18n.py`` ...) → domain ``crmlab``.

For each language other than English, ``crmlab/locale/<lang>/LC_MESSAGES/<domain>.po``
holds the translations and ``<domain>.mo`` their compiled form, which is what
:mod:`crmlab.i18n` reads. ``python -m crmlab catalogs`` brings both up to date:

1. extracts the strings of each domain from the code (Babel's Python extractor);
2. merges them into the ``.po`` (new strings arrive untranslated; a changed string
   arrives *fuzzy*, with the old translation as a suggestion, and is not used until a
   translator removes the fuzzy flag);
3. compiles every ``.po`` to ``.mo``, and lists what still needs a translator.

Adding a language or a chapter needs no code: a new module ``checks/ch05_x.py`` makes
a new domain; ``crmlab catalogs --language xx`` starts a new language. The files are
deterministic (fixed header dates, sorted entries), so a rebuild changes nothing that did
not change.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from .. import i18n

__all__ = ["compiled", "domains", "placeholders", "problems", "template", "update"]

PACKAGE = Path(__file__).resolve().parent.parent
_CHAPTER = re.compile(r"ch\d\d_\w+")
_FIXED_DATE = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
_LOCALES = {"zh": "zh_Hans_CN"}
_HEADER = ("# crmlab: the {language} translations of the student-facing strings of domain "
           "{domain}.\n# Update with `python -m crmlab catalogs --language {language}`; "
           "translate each empty msgstr and\n# remove `fuzzy` flags after checking them.")


def domains(package: Path = PACKAGE) -> dict[str, list[Path]]:
    """Each gettext domain and the modules whose strings it holds."""
    found: dict[str, list[Path]] = {}
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package)
        if rel.parts[0] == "course":
            continue   # developer tooling: English only, like command-line messages
        domain = path.stem if _CHAPTER.fullmatch(path.stem) else "crmlab"
        found.setdefault(domain, []).append(path)
    return found


def template(domain: str, package: Path = PACKAGE) -> Catalog:
    """The strings of ``domain`` as Babel extracts them from the code (a ``.pot``)."""
    catalog = Catalog(domain=domain, project="crmlab", version="", creation_date=_FIXED_DATE,
                      revision_date=_FIXED_DATE, fuzzy=False)
    for path in domains(package)[domain]:
        for lineno, message, comments, _context in extract_from_file(
                "python", str(path), comment_tags=("Translators:",)):
            if isinstance(message, tuple):   # ngettext: crmlab does not use plurals
                message = message[0]
            catalog.add(message, locations=[(path.relative_to(package).as_posix(), lineno)],
                        auto_comments=comments)
    return catalog


def _po_path(language: str, domain: str) -> Path:
    return i18n.LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"


def _read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def _po_bytes(catalog: Catalog) -> bytes:
    catalog.creation_date = catalog.revision_date = _FIXED_DATE
    out = io.BytesIO()
    write_po(out, catalog, width=88, sort_output=True, include_previous=True,
             ignore_obsolete=True, include_lineno=False)
    return out.getvalue()


def compiled(catalog: Catalog) -> bytes:
    """The ``.mo`` bytes of ``catalog`` (fuzzy translations left out)."""
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def update(language: str = "zh", *, package: Path = PACKAGE) -> list[str]:
    """Merge the code's strings into every catalog of ``language`` and compile them.

    Returns the problems left for a translator (see :func:`problems`).
    """
    for domain in domains(package):
        path = _po_path(language, domain)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            catalog = _read(path)
        else:
            catalog = Catalog(locale=_LOCALES.get(language, language), domain=domain,
                              project="crmlab", version="", fuzzy=False,
                              header_comment=_HEADER.format(domain=domain, language=language),
                              last_translator="crmlab developers", language_team="crmlab")
        catalog.update(template(domain, package), update_header_comment=False)
        data = _po_bytes(catalog)
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
        mo = compiled(_read(path))
        mo_path = path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.read_bytes() != mo:
            mo_path.write_bytes(mo)
    i18n._catalogs.cache_clear()
    return problems(language, package=package)


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields of a format string (``{{`` and ``}}`` are literal braces)."""
    return set(re.findall(r"(?<!\{)\{([^{}:!]*)[^{}]*\}(?!\})", text))


def problems(language: str = "zh", *, package: Path = PACKAGE) -> list[str]:
    """What keeps the ``language`` catalogs from matching the code: a missing catalog, a
    string with no translation (or only a fuzzy one), a translation whose ``{fields}``
    differ from the English, a stale ``.mo``."""
    found = []
    for domain in domains(package):
        path = _po_path(language, domain)
        if not path.exists():
            found.append(f"{language}/{domain}.po is missing")
            continue
        catalog = _read(path)
        for message in template(domain, package):
            if not message.id:
                continue
            entry = catalog.get(message.id)
            where = f"{language}/{domain}.po: {message.id[:70]!r}"
            if entry is None:
                found.append(f"{where} is not in the catalog")
            elif not entry.string or entry.fuzzy:
                found.append(f"{where} has no translation" + (" (fuzzy)" if entry.fuzzy else ""))
            elif placeholders(entry.string) != placeholders(message.id):
                found.append(f"{where}: the translation's fields {sorted(placeholders(entry.string))}"
                             f" differ from {sorted(placeholders(message.id))}")
        mo_path = path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.read_bytes() != compiled(catalog):
            found.append(f"{language}/{domain}.mo is not compiled from {domain}.po")
    return found
