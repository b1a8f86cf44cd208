"""crmlab.i18n and crmlab.course.catalogs: one vocabulary, and every student-facing string
translated in a catalog that matches the code."""

import ast
import re

import pytest

import crmlab
from crmlab import i18n
from crmlab.course import catalogs


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    i18n.set_language("en")


def test_set_language_accepts_the_usual_spellings_and_refuses_others():
    for spelling in ("zh", "ZH", "zh_CN", "zh-Hans", "中文", "Chinese"):
        crmlab.set_language(spelling)
        assert crmlab.get_language() == "zh"
    crmlab.set_language("English")
    assert crmlab.get_language() == "en"
    with pytest.raises(ValueError, match=r"language='fr' is not one crmlab speaks"):
        crmlab.set_language("fr")
    assert crmlab.get_language() == "en"


def test_gettext_translates_from_the_compiled_catalog_and_falls_back_to_english():
    assert i18n.gettext("meaning") == "meaning"
    i18n.set_language("zh")
    assert i18n.gettext("meaning") == "含义"
    assert i18n.gettext("a sentence no catalog has") == "a sentence no catalog has"


def test_term_list_has_unique_keys_and_both_languages_for_every_term():
    rows = i18n.terms()
    keys = [r["key"] for r in rows]
    assert len(keys) == len(set(keys)) > 50
    for row in rows:
        assert row["en"].strip() and row["zh"].strip(), row["key"]
        assert re.search(r"[\u4e00-\u9fff]", row["zh"]), row["key"]
        assert row["chapters"] and all(c in "012345" for c in row["chapters"].split("|"))


def test_the_courseware_names_of_rfm_are_kept_as_courseware_names_not_as_the_term():
    # the suite writes R as 最近一次消费; the courseware's 最近一次购买 is listed beside it
    assert i18n.term("recency", language="zh") == "最近一次消费"
    assert "最近一次购买" in i18n.term_aliases("recency")
    assert i18n.term("average_order_value", language="zh") == "客单价"
    assert {"average ticket", "AOV", "平均消费金额"} <= set(i18n.term_aliases("average_order_value"))
    assert i18n.term("rfm", language="zh") == "RFM模型"


def test_no_chinese_name_means_two_concepts():
    names = [r["zh"] for r in i18n.terms()]
    assert len(names) == len(set(names))


def test_glossary_follows_the_language_and_lists_courseware_names():
    table = crmlab.glossary(chapter=3)
    assert table.loc["recency", "中文"] == "最近一次消费"
    assert table.loc["recency", "other names in the courseware"] == "最近一次购买"
    crmlab.set_language("zh")
    table = crmlab.glossary(chapter=3)
    assert table.loc["最近一次消费", "English"] == "recency"
    assert list(table.columns) == ["English", "含义", "课件中的其他说法", "章节"]


def test_unknown_term_is_a_clear_error():
    with pytest.raises(KeyError, match="'recncy' is not in the term list"):
        i18n.term("recncy")


def test_catalogs_cover_every_string_of_the_code():
    assert catalogs.problems("zh") == [], "run `python -m crmlab catalogs` and translate"


def test_a_new_string_in_the_code_is_reported_until_translated(tmp_path, monkeypatch):
    package = tmp_path / "crmlab"
    (package / "checks").mkdir(parents=True)
    (package / "checks" / "ch09_demo.py").write_text(
        'from ..i18n import gettext as _\n\ndef f(n):\n    return _("{n} customers").format(n=n)\n')
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path / "locale")
    left = catalogs.update("zh", package=package)
    assert left == ["zh/ch09_demo.po: '{n} customers' has no translation"]
    po = tmp_path / "locale" / "zh" / "LC_MESSAGES" / "ch09_demo.po"
    po.write_text(po.read_text(encoding="utf-8").replace(
        'msgid "{n} customers"\nmsgstr ""', 'msgid "{n} customers"\nmsgstr "{m} 位客户"'),
        encoding="utf-8")
    assert "differ from ['n']" in catalogs.update("zh", package=package)[0]
    po.write_text(po.read_text(encoding="utf-8").replace("{m}", "{n}"), encoding="utf-8")
    assert catalogs.update("zh", package=package) == []
    before = po.read_bytes()
    assert catalogs.update("zh", package=package) == [] and po.read_bytes() == before


def _translated_calls(tree):
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in {"_", "N_", "gettext"}):
            yield node


@pytest.mark.parametrize("path", sorted(p for p in catalogs.PACKAGE.rglob("*.py")),
                         ids=lambda p: p.relative_to(catalogs.PACKAGE).as_posix())
def test_translated_strings_are_literals_with_named_fields(path):
    """An f-string or a concatenation inside _() cannot be looked up in a catalog, and a
    positional {} cannot be moved by a translator."""
    for call in _translated_calls(ast.parse(path.read_text(encoding="utf-8"))):
        arg = call.args[0] if call.args else None
        assert isinstance(arg, ast.Constant) and isinstance(arg.value, str), (
            f"{path.name}:{call.lineno}: _() needs one string literal")
        assert "{}" not in arg.value, f"{path.name}:{call.lineno}: name the field"
