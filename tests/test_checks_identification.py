"""crmlab.checks.ch01_identification: ident-1 … ident-3 (the concepts) read natural answers,
diagnose the usual mistakes and give each student valid items of their own; and what all
ten exercises of chapter 1 share, whichever of its three check modules holds them: they are
registered in order under the chapter, any input gets one line of feedback and never a
traceback, each student is graded on their own numbers, and the chapter's example data are
named as such.

ident-4 … ident-7 are tested in tests/test_checks_identification_rules.py, ident-8 …
ident-10 in tests/test_checks_identification_data.py.
"""

import time

import numpy as np
import pandas as pd
import pytest

import crmlab
from crmlab import checks, i18n, identify
from crmlab.checks import ch01_identification as ch01
from crmlab.checks import core
from crmlab.course import catalogs

IDENT = [f"ident-{k}" for k in range(1, 11)]
STUDENTS = [f"s{k:03d}" for k in range(12)] + ["2024000001", "alice"]


@pytest.fixture(autouse=True)
def _english_and_no_student_afterwards():
    """Each test of chapter 1's checks (these and those that import this fixture) leaves
    no student id and the English language behind."""
    yield
    checks.variants._STUDENT[0] = None
    crmlab.set_language("en")


def _as(who):
    checks.variants._STUDENT[0] = who


# ------------------------------------------------------------------ the chapter's modules
def test_the_chapter_s_ten_exercises_are_registered_in_order_under_chapter_1():
    """Splitting the checks into three modules changed neither the exercises' ids nor their
    order nor their chapter: the notebook's crmlab.check("ident-N", ...) cells are unchanged."""
    table = crmlab.list_exercises()
    mine = table[table["exercise"].str.startswith("ident-")]
    assert mine["exercise"].tolist() == IDENT
    assert set(mine["chapter"]) == {ch01.CHAPTER} == {"01_identification"}
    assert mine["variant"].all()
    assert mine.index.tolist() == list(range(10))          # the course starts with chapter 1


def test_each_check_module_has_its_catalog_and_every_string_translates():
    """A module's strings live in the catalog named after it (crmlab.course.catalogs): the
    checks moved out of ch01_identification took their Chinese with them."""
    domains = catalogs.domains()
    for name in ("ch01_identification", "ch01_identification_rules",
                 "ch01_identification_data"):
        assert any(p.name == f"{name}.py" and p.parent.name == "checks" for p in domains[name])
        assert (i18n.LOCALE_DIR / "zh" / "LC_MESSAGES" / f"{name}.mo").exists()
    assert [p for p in catalogs.problems("zh") if "ch01_identification" in p] == []


@pytest.mark.parametrize("module", ["ch01_identification", "ch01_identification_rules",
                                    "ch01_identification_data"])
def test_each_check_module_keeps_to_the_size_of_a_module(module):
    lines = (catalogs.PACKAGE / "checks" / f"{module}.py").read_text(encoding="utf-8")
    assert 150 <= len(lines.splitlines()) <= 500


# ------------------------------------------------------------------ the chapter's examples
def test_the_examples_without_an_id_and_their_answers():
    assert checks.core._expected_answer("ident-1") == "bdeac"         # 更新 定义 安全 收集 整合, shuffled
    assert checks.core._expected_answer("ident-2") == {
        "a": "basic", "b": "behaviour", "c": "attitude", "d": "behaviour", "e": "basic",
        "f": "attitude"}
    assert checks.core._expected_answer("ident-3") == {
        "a": "direct", "b": "indirect", "c": "indirect", "d": "direct", "e": "indirect",
        "f": "direct"}


def test_the_exercise_keys_are_the_suites_own_and_not_the_courseware_lists():
    """ident-2 and ident-3 ask to apply the courseware's groups to items it does not list,
    so the lecture's tables do not answer them."""
    courseware_fields = set(identify.INFO_SCHEMA["field_zh"])
    assert not courseware_fields & {zh for zh, _en, _g in ch01._FIELDS}
    assert {g for _zh, _en, g in ch01._FIELDS} == {"basic", "attitude", "behaviour"}
    examples = " ".join(identify.COLLECTION_CHANNELS["example_zh"])
    assert not any(zh in examples for zh, _en, _c in ch01._SOURCES)
    # nor paraphrases of them: none of the examples' key words appears in a source
    words = ["交谈", "调查", "会员卡", "营销活动", "售后", "抱怨", "投诉", "网站", "注册", "统计年鉴",
             "发展报告", "期刊", "咨询", "出版物"]
    assert [zh for zh, _en, _c in ch01._SOURCES if any(w in zh for w in words)] == []


def test_the_step_table_does_not_answer_ident_1():
    """ident-1 orders concrete actions, not the steps: no action names its step, the step
    names in order are refused, and the old lookup of the step table finds nothing."""
    names = [n for term in ch01._STEP_TERMS for n in crmlab.i18n.term_aliases(term)]
    keywords = ["定义", "收集", "整合", "管理", "更新", "安全", "defin", "collect", "integrat",
                "manag", "updat", "secur"]
    for zh, en, step in ch01._ACTIONS:
        assert 1 <= step <= 5
        assert not any(k in zh or k in en.lower() for k in keywords + names), (zh, en)
    assert sorted(step for _zh, _en, step in ch01._ACTIONS) == sorted([1, 2, 3, 4, 5] * 3)
    mine = core.case_data("ident_actions", "s001")
    assert mine.columns.tolist() == ["label", "action"]
    result = crmlab.check("ident-1", " → ".join(identify.IDENTIFICATION_STEPS["name_zh"]))
    assert not result.passed and "names of the steps" in result.message
    result = crmlab.check("ident-1", "define, collect, integrate, update, secure")
    assert not result.passed and "names of the steps" in result.message


def test_ident_1_is_recomputed_from_each_students_actions():
    for who in STUDENTS:
        table = core.case_data("ident_actions", who)
        step = {en: k for _zh, en, k in ch01._ACTIONS}
        by_hand = "".join(sorted(table["label"], key=lambda x: step[
            table.set_index("label").loc[x, "action"]]))
        assert checks.core._expected_answer("ident-1", who) == by_hand
        assert sorted(step[a] for a in table["action"]) == [1, 2, 3, 4, 5]
    assert "suite's own" in crmlab.check("ident-2", checks.core._expected_answer("ident-2")).message


@pytest.mark.parametrize("module", ["ch01_identification", "ch01_identification_rules",
                                    "ch01_identification_data"])
def test_no_answer_key_is_a_public_name(module):
    """Tab on crmlab.checks.ch01_identification. lists no table of items with their step,
    group or channel: the keys of ident-1 … ident-3 are private names."""
    mod = __import__(f"crmlab.checks.{module}", fromlist=["_"])
    tables = [name for name in dir(mod) if not name.startswith("_")
              and isinstance(getattr(mod, name), (tuple, list, dict, pd.DataFrame))]
    assert tables == []
    assert mod.__all__ == ["CHAPTER"]
    assert not any(hasattr(ch01, name) for name in ("ACTIONS", "FIELDS", "SOURCES"))


def test_each_action_of_ident_1_belongs_to_one_step_only():
    """The two actions a teacher could key to two steps are gone: flagging customers who
    have not bought for six months (update, or analysis while integrating?) and exporting
    last month's orders (collect, or load into the database?). Their replacements answer
    one step's question each: a survey gathers information, a renamed customer changes it."""
    texts = {zh: step for zh, _en, step in ch01._ACTIONS}
    assert "每季度标出半年没有购买的客户" not in texts and "从网店后台导出上个月的全部订单" not in texts
    assert texts["给购买过的顾客发放问卷，了解他们的购买习惯"] == 2
    assert texts["企业客户更名后，把档案中的名称改为新名称，并保留旧名称备查"] == 4
    assert len({en for _zh, en, _s in ch01._ACTIONS}) == len(ch01._ACTIONS) == 15


@pytest.mark.parametrize("case, kind", [("ident_actions", "action"), ("ident_fields", "field"),
                                        ("ident_channels", "source")])
def test_the_items_are_shown_in_the_editions_language_only(case, kind):
    """The Chinese edition's tables of ident-1 … ident-3 show no English column (nor the
    English its Chinese): one column of items, in the language in use when the data are
    handed out, even when the case was drawn in the other language; the check reads either."""
    pool = {"action": ch01._ACTIONS, "field": ch01._FIELDS, "source": ch01._SOURCES}[kind]
    english = core.case_data(case, "s003")
    crmlab.set_language("zh")
    chinese = core.case_data(case, "s003")
    assert english.columns.tolist() == chinese.columns.tolist() == ["label", kind]
    assert set(chinese[kind]) <= {zh for zh, _en, _c in pool}
    assert set(english[kind]) <= {en for _zh, en, _c in pool}
    key = checks.core._expected_answer(f"ident-{('action', 'field', 'source').index(kind) + 1}",
                                       "s003")
    _as("s003")
    exercise = f"ident-{('action', 'field', 'source').index(kind) + 1}"
    assert crmlab.check(exercise, key).passed
    assert crmlab.exercise_data(exercise).columns.tolist() == ["label", kind]


def test_ident_2_reads_the_groups_as_the_prompt_and_the_lecture_write_them():
    """"psychology and attitudes" is the prompt's own name of the group; students add
    "information" or 资料 to any of the three names."""
    for words in [("基本资料", "behavioural information", "psychology and attitudes",
                   "behavioral information", "basic info", "attitude information"),
                  ("basic data", "行为信息类", "psychology and attitude", "behaviour data",
                   "基本信息", "心理和态度"),
                  ("Basic Information", "Behavioral", "Psychological and attitudinal",
                   "behavior info", "demographic information", "psychology information")]:
        answer = dict(zip("abcdef", words))
        result = crmlab.check("ident-2", answer)
        assert result.passed, (words, result.message)


@pytest.mark.parametrize("answer", ["a direct, b indirect, c indirect, d direct, e indirect, "
                                    "f direct", "a 直接, b 间接, c 间接, d 直接, e 间接, f 直接"])
def test_ident_3_reads_each_label_then_its_channel_without_a_colon(answer):
    assert crmlab.check("ident-3", answer).passed


def test_a_label_written_twice_without_a_colon_is_refused():
    result = crmlab.check("ident-3", "a direct, a indirect, c indirect, d direct, e indirect, "
                                     "f direct")
    assert result.message.startswith("?") and "more than one answer" in result.message


# ------------------------------------------------------------------ natural answers
@pytest.mark.parametrize("key, answer", [
    ("ident-1", "b, d, e, a, c"), ("ident-1", "B→D→E→A→C"), ("ident-1", ["b", "d", "e", "a", "c"]),
    ("ident-1", {"a": "update", "b": "define", "c": "信息安全", "d": "collect", "e": "整合、管理信息"}),
    ("ident-1", {"a": 4, "b": 1, "c": 5, "d": 2, "e": 3}),
    ("ident-1", {1: "b", 2: "d", 3: "e", 4: "a", 5: "c"}),
    ("ident-1", {"b": 1, "d": 2, "e": 3, "a": 4, "c": 5}), ("ident-1", "ｂｄｅａｃ"),
    ("ident-2", "基本信息, 行为信息, 心理与态度信息, 行为, 基本, 态度"),
    ("ident-2", {"basic": ["a", "e"], "behaviour": ["b", "d"], "attitude": ["c", "f"]}),
    ("ident-2", {"学历": "基本信息", "b": "behavior", "c": "attitudes", "d": "行为数据",
                 "e": "basic", "f": "心理"}),
    ("ident-3", ["直接", "间接", "间接", "直接渠道", "indirect", "Direct"]),
    ("ident-3", "a: direct, b: indirect, c: indirect, d: direct, e: indirect, f: direct"),
    ("ident-3", "direct: a, d, f; indirect: b, c, e"), ("ident-3", "间接：b、c、e\n直接：a、d、f"),
])
def test_the_checks_read_natural_answers(key, answer):
    result = crmlab.check(key, answer)
    assert result.passed, result.message


# ------------------------------------------------------------------ wrong answers, diagnosed
@pytest.mark.parametrize("key, answer, hint", [
    ("ident-1", "caedb", "backwards"),
    ("ident-1", "acdeb", "What comes first?"),
    ("ident-1", "bdaec", "the order of the slide's printed questions"),
    ("ident-1", "bedac", "3 of the five actions are in their place"),
    ("ident-1", "bdeca", "Which action protects it?"),
    ("ident-2", {"a": "basic", "b": "behaviour", "c": "attitude", "d": "behaviour",
                 "e": "basic", "f": "basic"}, "5 of 6 right; check f"),
    ("ident-3", {"a": "direct", "b": "indirect", "c": "direct", "d": "direct",
                 "e": "indirect", "f": "direct"}, "paying for data does not make the firm"),
    ("ident-3", {"a": "indirect", "b": "indirect", "c": "indirect", "d": "direct",
                 "e": "indirect", "f": "direct"}, "direct: the firm gathers it itself"),
    # the channels first, each with its labels: read, not "could not read 'direct: c'"
    ("ident-3", "direct: c, d, f; indirect: a, b, e", "4 of 6 right; check a, c."),
    ("ident-2", {"a": "behaviour", "b": "behaviour", "c": "attitude", "d": "behaviour",
                 "e": "basic", "f": "attitude"}, "You put a under behaviour"),
])
def test_wrong_answers_get_a_diagnosis(key, answer, hint):
    result = crmlab.check(key, answer)
    assert not result.passed and hint in result.message, result.message


def test_an_unknown_item_is_refused_not_ignored():
    right = checks.core._expected_answer("ident-2")
    result = crmlab.check("ident-2", {**right, "g": "basic"})
    assert not result.passed and result.message.startswith("?") and "'g'" in result.message


# ------------------------------------------------------------------ example data, stale data
def test_the_no_id_note_says_the_chapters_examples_not_the_courseware():
    ident = crmlab.check("ident-6", checks.core._expected_answer("ident-6")).message
    assert "chapter's example data" in ident and "courseware" not in ident
    man = crmlab.check("man-2", checks.core._expected_answer("man-2")).message
    assert "courseware's own numbers" in man          # chapter 2's data are the courseware's


@pytest.mark.parametrize("key", ["ident-1", "ident-6", "ident-7", "ident-10"])
def test_answers_from_the_example_data_after_setting_an_id_are_named(key):
    example = checks.core._expected_answer(key)
    _as("2024000001")
    assert checks.core._expected_answer(key, "2024000001") != example
    result = crmlab.check(key, example)
    assert not result.passed and "example data" in result.message, result.message
    assert "exercise_data" in result.message


def test_a_wrong_answer_that_is_not_the_examples_gets_no_stale_hint():
    _as("2024000001")
    assert "example data" not in crmlab.check("ident-6", "138****0000").message


# ------------------------------------------------------------------ any input, feedback
JUNK = [None, ..., "", "???", [], {}, {"x": 1}, 12345, float("nan"), float("inf"), True,
        object(), pd.DataFrame(), pd.DataFrame({"x": [1, 2]}), np.zeros((3, 3)), (1, 2),
        pd.Series(dtype=float), lambda: 3, "a" * 5000, list(range(500)),
        {"c1": None, "c2": None}, ("a", "b", "c", "d", "e", "f")]


@pytest.mark.parametrize("key", IDENT)
@pytest.mark.parametrize("answer", JUNK, ids=range(len(JUNK)))
def test_any_input_gets_one_line_of_feedback_never_a_traceback(key, answer):
    result = crmlab.check(key, answer)
    assert isinstance(result, checks.Feedback) and not result.passed
    assert result.message[0] in "?✗"
    assert "Traceback" not in result.message and len(result.message.splitlines()[0]) < 600
    assert result.detail is None, result.detail     # read or refused, never an internal error


@pytest.mark.parametrize("key, answer", [
    ("ident-3", "a " * 200_000), ("ident-5", "c1 " * 200_000), ("ident-7", "A " * 200_000),
    ("ident-7", ", ".join(["A 5"] * 50_000)), ("ident-8", "recall 5 " * 50_000)])
def test_a_huge_answer_of_words_and_spaces_is_refused_at_once(key, answer):
    """A label then its value, without a colon, is looked for near the start of each part
    only: a 400 kB answer of words and spaces is refused in well under a second, not after
    trying every space as the end of a label."""
    start = time.perf_counter()
    result = crmlab.check(key, answer)
    assert result.message.startswith("?") and time.perf_counter() - start < 10


# ------------------------------------------------------------------ the students' own numbers
@pytest.mark.parametrize("who", STUDENTS)
def test_every_variant_keeps_what_its_exercise_is_about(who):
    steps = core.case_data("ident_actions", who)
    assert checks.core._expected_answer("ident-1", who) not in ("abcde", "edcba")
    assert len(steps) == 5 and set(steps["action"]) <= {en for _zh, en, _s in ch01._ACTIONS}
    fields = core.case_data("ident_fields", who)
    groups = pd.Series(checks.core._expected_answer("ident-2", who)).value_counts()
    assert groups.to_dict() == {"basic": 2, "attitude": 2, "behaviour": 2} and len(fields) == 6
    channels = pd.Series(checks.core._expected_answer("ident-3", who)).value_counts()
    assert channels.min() >= 2 and channels.sum() == 6
    assert checks.core._expected_answer("ident-1", who) != checks.core._expected_answer("ident-1")
    assert not fields.equals(core.case_data("ident_fields", None))
    assert not core.case_data("ident_channels", who).equals(core.case_data("ident_channels", None))


@pytest.mark.parametrize("who", ["2024000001", "alice"])
def test_each_student_is_graded_on_their_own_numbers(who):
    _as(who)
    for key in IDENT:
        mine = checks.core._expected_answer(key, who)
        result = crmlab.check(key, mine)
        assert result.passed and f"[student {who}]" in result.message, result.message
    other = "alice" if who != "alice" else "2024000001"
    for key in ("ident-6", "ident-7", "ident-9"):
        assert not crmlab.check(key, checks.core._expected_answer(key, other)).passed, key


def test_variants_are_stable():
    # pinned: sha256 of the case, student and attempt only (the variant stability rule)
    assert checks.core._expected_answer("ident-1", "2024000001") == "acebd"
    # ident-6's generator changed with its case's name (ident_phone_invented: numbers of an
    # unissued block), so its variants are new ones, not the old ones silently redrawn
    assert checks.core._expected_answer("ident-6", "alice") == "154****6396"
    assert checks.core._expected_answer("ident-9", "2024000001") == 2909


# ------------------------------------------------------------------ the Chinese edition
def test_feedback_in_chinese_names_states_and_steps_by_the_term_list():
    from strategies import english_sentences

    crmlab.set_language("zh")
    try:
        right = crmlab.check("ident-4", checks.core._expected_answer("ident-4")).message
        assert "现实客户" in right and "流失客户" in right
        steps = crmlab.check("ident-1", "bdeac").message
        assert "定义信息" in steps and "信息安全" in steps
        for key, answer in [("ident-5", {"c1": "大中型", "c2": "E", "c3": "B"}),
                            ("ident-7", {"A": 3e7, "B": 1.5e8}), ("ident-6", "+86 154****1357"),
                            ("ident-2", "a, b, c")]:
            message = crmlab.check(key, answer).message
            assert english_sentences(message) == [], message
    finally:
        crmlab.set_language("en")
