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
    positional {} cannot be moved by a translator. ``_(text)`` of a name (a text marked
    with N_("...") where it is written, translated where it is shown) is the one
    exception; N_() itself always takes a literal."""
    for call in _translated_calls(ast.parse(path.read_text(encoding="utf-8"))):
        arg = call.args[0] if call.args else None
        where = f"{path.name}:{call.lineno}"
        if call.func.id != "N_" and isinstance(arg, (ast.Name, ast.Attribute, ast.Subscript)):
            continue
        assert isinstance(arg, ast.Constant) and isinstance(arg.value, str), (
            f"{where}: _() needs one string literal (or a name holding an N_-marked text)")
        assert "{}" not in arg.value, f"{where}: name the field"
        assert len(call.args) == 1 and not call.keywords, f"{where}: one argument"


def test_a_meaning_is_written_in_both_languages_or_in_neither():
    for row in i18n.terms():
        assert bool(row["en_gloss"].strip()) == bool(row["zh_gloss"].strip()), row["key"]
        if row["zh_gloss"].strip():
            assert re.search(r"[\u4e00-\u9fff]", row["zh_gloss"]), row["key"]


def test_the_chinese_glossary_reads_in_chinese():
    from strategies import english_sentences

    crmlab.set_language("zh")
    table = crmlab.glossary()
    assert table.index.name == "中文" and len(table) == len(i18n.terms())
    for column in ("含义", "课件中的其他说法"):
        for text in table[column]:
            assert english_sentences(text) == [], text
    # the start page's own terms: chapter 0 and 1 have a meaning in both languages
    first = [r for r in i18n.terms() if {"0", "1"} & set(r["chapters"].split("|"))]
    assert sum(bool(r["zh_gloss"]) for r in first) >= 10


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_start_page_shows_the_whole_glossary(language):
    """pandas cuts a table of more than 60 rows to 10 unless told otherwise: the start page
    shows every term, in the edition's language first."""
    import nbformat

    from crmlab.course import build

    source = build.ROOT / "notebooks" / "00_start_here.md"
    nb = nbformat.read(build.notebook_path(source, "solutions", language), as_version=4)
    cell = next(c for c in nb.cells if "crmlab.glossary()" in c.source)
    html = "".join(o["data"]["text/html"] for o in cell.outputs if "text/html" in o.get("data", {}))
    assert "..." not in html and "…</td>" not in html
    first = "zh" if language == "zh" else "en"
    for row in i18n.terms():
        assert f"<th>{row[first]}</th>" in html, row["key"]


def test_localise_shows_values_in_the_sessions_language_and_keeps_the_data():
    import pandas as pd

    from crmlab import identify, personas, tiers

    counts = identify.state_counts(pd.Series(["actual", "lost", "actual"]))
    tags = pd.DataFrame({"tag": ["mid-to-high-end consumer", "games", "tier 3"],
                         "top": [("non-buyer", "x"), (), ("likely buyer",)]})
    i18n.set_language("zh")
    try:
        shown = i18n.localise(counts, identify.STATE_TERMS)
        assert shown.index.tolist() == ["非客户", "潜在客户", "现实客户", "流失客户"]
        assert shown["customers"].tolist() == [0, 0, 2, 1]          # numbers untouched
        assert i18n.localise(tags, personas.TAG_TERMS).to_dict("list") == {
            "tag": ["中高端消费者", "games", "tier 3"],
            "top": [("未购买用户", "x"), (), ("高购买倾向用户",)]}
        # tags without a term of their own are translated by the catalogs (Words)
        assert i18n.localise(tags, personas.TAG_TERMS, personas.TAG_WORDS).to_dict("list") == {
            "tag": ["中高端消费者", "游戏", "城市等级3"],
            "top": [("未购买用户", "x"), (), ("高购买倾向用户",)]}
        key = identify.UNICOM_DATA_KEY["data_type"]
        assert set(i18n.localise(key, identify.DATA_TYPE_TERMS)) == {
            "基础属性", "设备环境数据", "用户行为数据", "商业行为数据", "派生标签"}
        assert i18n.localise(pd.Index(["Platinum", "key"]), tiers.TIER_TERMS).tolist() == \
            ["铂金层", "关键客户"]
        stages = pd.DataFrame({"growth": [3], "decline": [1]}, index=["1997-03-31"])
        assert i18n.localise(stages, identify.STAGE_TERMS).columns.tolist() == \
            [i18n.term("stage_growth"), i18n.term("stage_decline")]
    finally:
        i18n.set_language("en")
    assert counts.index[2] == "actual"                                  # the data stay English
    assert i18n.localise(counts, identify.STATE_TERMS).index[2] == "actual customer"
    with pytest.raises(TypeError, match="localise: give a DataFrame"):
        i18n.localise(["actual"], identify.STATE_TERMS)


def test_words_translate_through_the_catalogs_and_a_term_key_must_exist():
    import pandas as pd

    from crmlab import personas, privacy, tiers

    hsbc = tiers.HSBC_TIERS[["tier", "status", "loyalty", "value"]]
    i18n.set_language("zh")
    shown = i18n.localise(hsbc, tiers.HSBC_WORDS)
    assert shown["loyalty"].tolist()[:4] == ["高", "低", "高", "低"]        # the case's 高/低忠诚度
    assert shown["status"].tolist() == ["活跃"] * 4 + ["非活跃", "可能客户"]
    assert shown["value"].isna().tolist() == hsbc["value"].isna().tolist()   # gaps stay gaps
    year_is = i18n.localise(privacy.penalty_table()["year_is"], privacy.YEAR_IS_WORDS)
    assert set(year_is) == {"事件年份", "罚款年份", "未核实"}
    i18n.set_language("en")
    assert i18n.localise(hsbc, tiers.HSBC_WORDS).equals(hsbc)         # English: as the data
    assert isinstance(personas.TAG_WORDS, i18n.Words)
    with pytest.raises(KeyError, match="not in the term list"):        # a term map is not Words
        i18n.localise(pd.Series(["high"]), {"high": "no_such_term"})


# values that have a Chinese name (a term or a catalog entry) and must not show in English in
# a table the Chinese edition of chapter 1 localises
def _english_values():
    from crmlab import identify, personas, privacy, tiers

    maps = [identify.STATE_TERMS, identify.BUYER_TERMS, identify.STAGE_TERMS,
            identify.DATA_TYPE_TERMS, identify.RECORD_WORDS, personas.TAG_TERMS,
            personas.TAG_WORDS, tiers.TIER_TERMS, tiers.HSBC_WORDS, privacy.YEAR_IS_WORDS]
    return {value for mapping in maps for value in mapping}


def test_the_chinese_chapter_1_tables_show_their_values_in_chinese():
    """Every table chapter 1 shows through ``i18n.localise`` has, in the Chinese edition, no
    cell in English that has a Chinese name: states, buyers, stages, data types, tags (with
    interests, city tiers, brands), pyramid tiers, HSBC's levels, the penalty table's
    ``year_is``, the customer file's issues, rejection reasons, merge statuses and update
    actions; and the state table's ``rule`` column is written in Chinese. Tables are read
    cell by cell (``<td>`` and ``<th>``, so index labels count); a Series, shown as text,
    line by line."""
    import html as html_lib

    import nbformat

    from crmlab.course import build

    source = build.ROOT / "notebooks" / "01_identification.md"
    nb = nbformat.read(build.notebook_path(source, "solutions", "zh"), as_version=4)
    english = _english_values() - {"OPPO", "vivo", "iOS"}      # written so in Chinese, too
    cells = [c for c in nb.cells if c.cell_type == "code" and "i18n.localise(" in c.source]
    assert len(cells) >= 15
    seen = set()
    for cell in cells:
        outputs = [o.get("data", {}) for o in cell.get("outputs", [])]
        tables = "".join(d["text/html"] for d in outputs if "text/html" in d)
        tables = re.sub(r"<thead>.*?</thead>", "", tables, flags=re.S)   # column names: code
        values = {html_lib.unescape(v).strip()
                  for v in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", tables, flags=re.S)}
        # a Series has no HTML: its index labels start its lines, before the number
        texts = [d["text/plain"] for d in outputs if "text/html" not in d and "text/plain" in d]
        values |= {re.sub(r"\s+-?[\d.]+$", "", line).strip()
                   for text in texts for line in text.splitlines()}
        # a tuple of tags shows as "(旅行, 科技, 中高端消费者)"
        items = {i.strip() for v in values for i in v.strip("()").split(",")} | values
        assert not items & english, (cell.source[:80], sorted(items & english))
        assert not any(re.search(r"purchases|days ago|no purchase|contact within", v)
                       for v in values), cell.source[:80]
        seen |= values
    assert {"现实客户", "城市等级1", "高", "可能客户", "罚款年份", "已合并", "出生日期：不是日期",
            "已改动", "未知客户"} <= seen
    assert any(v.startswith("没有真实姓名") for v in seen)
    assert any(re.fullmatch(r"购买 \d+ 次 [≥<] \d+（(初次|重复)购买者）.*", v) for v in seen)
