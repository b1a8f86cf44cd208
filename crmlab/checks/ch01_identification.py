"""Exercise checks of chapter 1, customer identification: the concepts (ident-1 … ident-3).

The three exercises sort concrete items by the courseware's schemes; **each key is the
suite's own** (the courseware has no such lists), and no item names its category, so no
table on the page answers them. Cases (each a courseware-style example without a student
id, the student's own variant with one):

* ``ident_actions`` — five concrete actions of the messy-file pipeline, one of each of the
  five identification steps (lectures 2–4, ch. 3 §3.2.3), shuffled and labelled a–e (never
  already in order or reversed);
* ``ident_fields`` — six information fields *not* in the courseware's lists, two of each
  group of the individual schema (§3.3.2), to classify;
* ``ident_channels`` — six sources of customer information *not* in the courseware's
  examples, at least two direct and two indirect (§3.4.1).

This module also says, for the whole chapter, what its data are without an id
(:func:`chapter`); the chapter's other check modules, like every chapter module, import
only the core: :mod:`crmlab.checks.ch01_identification_rules` (ident-4 … ident-7, one rule
applied) and :mod:`crmlab.checks.ch01_identification_data` (ident-8 … ident-10, several
steps on a data file). Every expected answer is computed from the case. Every sentence
a student reads is English inside ``_()``, translated by the catalog
``ch01_identification``; steps, groups and channels are named by the term list.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

import numpy as np
import pandas as pd

from .. import i18n, identify
from ..i18n import N_
from ..i18n import gettext as _
from .core import (Unreadable, case, chapter, describe, exercise, fold, listed,
                   read_assignments, read_number, vocabulary, wrong_items)

__all__ = ["CHAPTER"]

CHAPTER = "01_identification"
LETTERS = "abcdefghij"
# without an id: the chapter's invented examples; with one, spot answers from them
chapter(CHAPTER, examples_invented=True, stale_hint=True)


def _term_names(*keys: str) -> list[str]:
    return [name for key in keys for name in i18n.term_aliases(key)]


# ------------------------------------------------------------------ items to sort
def _shuffled(draw, rows: list) -> list:
    """``rows`` in a drawn order (Fisher-Yates, one draw per position)."""
    for i in range(len(rows) - 1, 0, -1):
        j = draw.integer(0, i)
        rows[i], rows[j] = rows[j], rows[i]
    return rows


class _Items(pd.DataFrame):
    """A case's items in both languages, handed out in the session's language.

    The case keeps ``label``, ``{kind}_zh`` and ``{kind}_en``, so its variants and its key
    do not depend on the language; every copy handed out (``case_data`` hands out a deep
    copy, to ``exercise_data`` and to the check) is a plain table of ``label`` and
    ``{kind}`` in the language of the moment: the Chinese edition shows no English column.
    """

    @property
    def _constructor(self):
        return pd.DataFrame                  # a table derived from it is an ordinary one

    def __deepcopy__(self, memo=None) -> pd.DataFrame:
        kind = next(c[:-3] for c in self.columns if c.endswith("_zh"))
        language = "zh" if i18n.get_language() == "zh" else "en"
        return pd.DataFrame({"label": self["label"].tolist(),
                             kind: self[f"{kind}_{language}"].tolist()})


def _labelled(pool: tuple, rows: list, kind: str) -> _Items:
    """Rows ``rows`` of ``pool`` (Chinese, English, category) labelled a, b, …, in the
    columns ``label``, ``{kind}_zh`` and ``{kind}_en``: the category is the key, not shown.

    >>> import copy
    >>> table = _labelled(_FIELDS, [0, 6], "field")
    >>> table.columns.tolist()
    ['label', 'field_zh', 'field_en']
    >>> copy.deepcopy(table)                  # as a student gets it, in English
      label             field
    0     a   education level
    1     b  brand preference
    """
    picked = [pool[k] for k in rows]
    return _Items({"label": list(LETTERS[:len(picked)]),
                   f"{kind}_zh": [zh for zh, _en, _c in picked],
                   f"{kind}_en": [en for _zh, en, _c in picked]})


def _rows(pool: tuple, table: pd.DataFrame, kind: str) -> dict[str, tuple]:
    """Each label's row of ``pool`` (Chinese, English, category), found by its text in
    either language (the case keeps both, a student's copy one)."""
    rows = {text: row for row in pool for text in row[:2]}
    column = kind if kind in table.columns else f"{kind}_zh"
    return {label: rows[text] for label, text in zip(table["label"], table[column])}


def _key(pool: tuple, table: pd.DataFrame, kind: str) -> dict:
    """Each label's category in ``pool``, the suite's key."""
    return {label: row[2] for label, row in _rows(pool, table, kind).items()}


def _sorted_items(answer, table, pool: tuple, kind: str, names, example: str):
    """The key, the student's category per item (named by its label or its name in either
    language) and the labels in a wrong category: how ident-2 and ident-3 read and mark an
    answer."""
    rows = _rows(pool, table, kind)
    expected = {label: row[2] for label, row in rows.items()}
    got = read_assignments(answer, {label: list(row[:2]) for label, row in rows.items()},
                           names, example)
    return expected, got, wrong_items(got, expected)


# ------------------------------------------------------------------ ident-1: the steps
_STEP_TERMS = ("step_define", "step_collect", "step_integrate", "step_update", "step_secure")

#: Concrete actions of the messy-file pipeline and the step (1–5, lectures 2–4 ch. 3
#: §3.2.3) each belongs to: **the key is the suite's own**. No action names its step, so
#: the step table does not answer ident-1: the student judges which question each answers.
_ACTIONS = (
    ("决定呼叫中心今后必须登记客户的出生日期",
     "decide that the call centre must record customers' birth dates from now on", 1),
    ("列出会员分级需要知道的客户资料", "list the customer details the loyalty tiers will need", 1),
    ("商定每家企业客户的档案要有联系人和信用等级",
     "agree that every business customer's record holds a contact person and a credit grade", 1),
    ("请门店在顾客办会员卡时登记手机号和邮箱",
     "have the stores take a phone number and an e-mail when someone joins the loyalty "
     "scheme", 2),
    ("给购买过的顾客发放问卷，了解他们的购买习惯",
     "send past buyers a questionnaire about their buying habits", 2),
    ("在售后回访电话中记下客户的意见", "note customers' comments during after-sales calls", 2),
    ("把门店和呼叫中心记在同一个手机号下的记录合并为一位客户",
     "combine the store's and the call centre's records that share a phone number into one "
     "customer", 3),
    ("把“北京市”和“北京”统一为同一个城市名，再录入客户数据库",
     "write '北京市' and '北京' as one city name before loading the records into the "
     "customer database", 3),
    ("确认同名、同生日的两条记录是同一个人", "confirm that two records with the same name and "
     "birth date are one person", 3),
    ("客户搬家后，用新地址替换旧地址并记下变动日期",
     "replace a customer's old address after a move, noting the date of the change", 4),
    ("短信被退回后，把该手机号标为已失效", "mark a phone number as dead after texts to it "
     "bounce", 4),
    ("企业客户更名后，把档案中的名称改为新名称，并保留旧名称备查",
     "when a business customer changes its name, put the new name on its record and keep "
     "the old one for reference", 4),
    ("把档案发给广告代理商之前给手机号脱敏", "mask the phone numbers before the file goes to "
     "the advertising agency", 5),
    ("只让客服人员看到手机号的后四位", "let service staff see only the last four digits of a "
     "phone number", 5),
    ("限制谁能打开客户数据库，并记录每一次导出", "restrict who may open the customer database "
     "and log every export", 5),
)
#: The order of the slide's printed guiding questions (1, 2, 4, 3, 5), a likely wrong order.
_SLIDE_ORDER = (1, 2, 4, 3, 5)


@case("ident_actions", valid=lambda t: _step_order(t) not in ("abcde", "edcba"))
def _steps_case(draw) -> pd.DataFrame:
    if draw is None:
        # update, define, secure, collect, integrate
        return _labelled(_ACTIONS, [9, 0, 12, 4, 6], "action")
    steps = [step for _zh, _en, step in _ACTIONS]
    return _labelled(_ACTIONS, _shuffled(draw, [
        int(draw.choice([k for k, s in enumerate(steps) if s == step])) for step in range(1, 6)]),
        "action")


def _action_steps(table: pd.DataFrame) -> dict[str, int]:
    """Each label's step (1–5), from the suite's key."""
    return _key(_ACTIONS, table, "action")


def _step_order(table: pd.DataFrame) -> str:
    """The labels in the order of the steps their actions belong to."""
    steps = _action_steps(table)
    return "".join(sorted(steps, key=steps.get))


def _step_names() -> dict[str, int]:
    """Normalised step name (en, zh, aliases) → step number."""
    return {fold(name): k + 1 for k, term in enumerate(_STEP_TERMS)
            for name in (*i18n.term_aliases(term),
                         *identify.IDENTIFICATION_STEPS.loc[k, ["name_zh", "name_en"]])}


def _order_answer(answer, table: pd.DataFrame) -> str:
    """A student's order as a string of the five labels: the labels in order, a dict from
    position to label, or a dict from label to its position or its step (number or name)."""
    labels = list(table["label"])
    if isinstance(answer, (Mapping, pd.Series)):
        pairs = dict(answer)
        numbered = {}
        for k, v in pairs.items():
            try:
                numbered[int(read_number(k))] = v
            except (Unreadable, ValueError, TypeError, OverflowError):
                break
        if sorted(numbered) == [1, 2, 3, 4, 5] and len(numbered) == len(pairs):
            answer = [numbered[k] for k in sorted(numbered)]       # {1: "b", 2: "d", ...}
        else:
            names, places = _step_names(), {}
            for k, v in pairs.items():
                if fold(k) not in labels:
                    raise Unreadable(_order_usage())
                if isinstance(v, str) and fold(v) in names:
                    places[fold(k)] = names[fold(v)]
                    continue
                try:
                    places[fold(k)] = int(read_number(v))
                except (Unreadable, ValueError, TypeError, OverflowError):
                    raise Unreadable(_order_usage()) from None
            if sorted(places) != labels or sorted(places.values()) != [1, 2, 3, 4, 5]:
                raise Unreadable(_order_usage())
            answer = sorted(places, key=places.get)
    if isinstance(answer, str):
        text = unicodedata.normalize("NFKC", answer).strip()
        parts = [p for p in re.split(r"\s*(?:->|→|=>|>|,|，|、|;|；|\s|-|–|—)\s*", text) if p]
        if len(parts) == 1 and re.fullmatch(r"[A-Ea-e]{5}", parts[0]):
            parts = list(parts[0])
        answer = parts
    if isinstance(answer, (list, tuple, np.ndarray, pd.Index)):
        got, steps = [], _step_names()
        for item in list(answer):
            text = fold(item)
            if text in steps:
                raise Unreadable(_("those are the names of the steps, the same for everyone; "
                                   "give the labels of your five actions, a–e, in the order "
                                   "of the steps they belong to."))
            if text not in labels:
                raise Unreadable(_("I do not know the label {shown}: give the five labels "
                                   "a–e once each, first step first, e.g. 'c, a, e, b, d'."
                                   ).format(shown=describe(item)))
            got.append(text)
        if sorted(got) != labels:
            raise Unreadable(_order_usage())
        return "".join(got)
    raise Unreadable(_order_usage())


def _order_usage() -> str:
    return _("give the five labels once each, first step first, e.g. 'c, a, e, b, d'.")


@exercise("ident-1", chapter=CHAPTER, case="ident_actions", answer=_step_order,
          prompt=N_("Order five actions by the identification steps."))
def _ident_1(answer, table):
    expected = _step_order(table)
    got = _order_answer(answer, table)
    if got == expected:
        names = " → ".join(i18n.term(k) for k in _STEP_TERMS)
        return True, _("correct: {order} — {names} (the key is the suite's own).").format(
            order=expected, names=names)
    if got == expected[::-1]:
        return False, _("that is the order backwards: the process starts with what the firm "
                        "needs to know.")
    steps = _action_steps(table)
    ran = [steps[x] for x in got]
    if tuple(ran) == _SLIDE_ORDER:
        return False, _("that is the order of the slide's printed questions: changes are "
                        "tracked on records already merged in one database, so that step "
                        "comes after merging.")
    if ran[0] != 1:
        return False, _("What comes first? Before collecting anything, the firm decides "
                        "which information it needs: which of your actions is that "
                        "decision?")
    if ran[4] != 5:
        return False, _("Look at the last step: its question concerns everything the firm "
                        "already holds. Which action protects it?")
    right = sum(a == b for a, b in zip(got, expected))
    return False, _("{right} of the five actions are in their place. For each action ask "
                    "which step's question it answers (the table of section 2).").format(
                        right=right)


# ------------------------------------------------------------------ ident-2: the fields
#: New information fields (not in the courseware's lists) and the suite's key.
_FIELDS = (
    ("学历", "education level", "basic"), ("微信号", "WeChat ID", "basic"),
    ("籍贯", "native place", "basic"), ("家庭人口数", "household size", "basic"),
    ("工作年限", "years in work", "basic"), ("邮政编码", "postcode", "basic"),
    ("品牌偏好", "brand preference", "attitude"),
    ("对环保的看法", "view of environmental protection", "attitude"),
    ("消费观念", "attitude to spending", "attitude"), ("风险偏好", "appetite for risk", "attitude"),
    ("对本店服务的评价", "opinion of the store's service", "attitude"),
    ("追求时尚的程度", "how fashion-conscious", "attitude"),
    ("最近一次购买日期", "date of the last purchase", "behaviour"),
    ("每月网购次数", "online purchases a month", "behaviour"),
    ("常用支付方式", "usual way of paying", "behaviour"),
    ("退货次数", "number of returns", "behaviour"),
    ("平均每单金额", "average amount per order", "behaviour"),
    ("最常去的门店", "store visited most", "behaviour"),
)


def _group_names(english: tuple, chinese: tuple) -> list[str]:
    """A group's names as students write them: each English name alone or with
    "information", "info" or "data" after it, each Chinese one alone or with 信息, 资料,
    数据, 类 or 信息类 after it ("attitude information", "基本资料")."""
    return [*(f"{name}{tail}" for name in english
              for tail in ("", " information", " info", " data")),
            *(f"{name}{tail}" for name in chinese
              for tail in ("", "信息", "资料", "数据", "类", "信息类"))]


_GROUPS = vocabulary({
    "basic": [*_term_names("info_basic"), "demographics",
              *_group_names(("basic", "demographic", "basic personal"),
                            ("基本", "基础", "人口统计", "个人基本"))],
    "attitude": [*_term_names("info_attitude"), "psychographics",
                 *_group_names(("attitude", "attitudes", "attitudinal", "psychology",
                                "psychological", "psychographic", "psychology and attitudes",
                                "psychology and attitude", "psychology & attitudes",
                                "psychological and attitudinal", "psychological and attitude"),
                               ("心理", "态度", "心理与态度", "心理和态度", "心理及态度", "心理态度"))],
    "behaviour": [*_term_names("info_behaviour"),
                  *_group_names(("behaviour", "behavior", "behavioural", "behavioral"),
                                ("行为", "购买行为"))],
})
_GROUP_TERMS = {"basic": "info_basic", "attitude": "info_attitude",
                "behaviour": "info_behaviour"}


def _fields_valid(table) -> bool:
    return table["field_zh"].tolist() != _fields_case(None)["field_zh"].tolist()


@case("ident_fields", valid=_fields_valid)
def _fields_case(draw) -> pd.DataFrame:
    if draw is None:
        return _labelled(_FIELDS, [0, 12, 6, 14, 3, 8], "field")
    chosen = []
    for group in ("basic", "attitude", "behaviour"):
        rows = [k for k, (_zh, _en, g) in enumerate(_FIELDS) if g == group]
        for _k in range(2):
            chosen.append(rows.pop(draw.integer(0, len(rows) - 1)))
    return _labelled(_FIELDS, _shuffled(draw, chosen), "field")


def _field_key(table) -> dict:
    return _key(_FIELDS, table, "field")


@exercise("ident-2", chapter=CHAPTER, case="ident_fields", answer=_field_key,
          prompt=N_("Classify fields as basic, attitude or behaviour."))
def _ident_2(answer, table):
    _expected, got, wrong = _sorted_items(
        answer, table, _FIELDS, "field", _GROUPS,
        "{'a': 'basic', 'b': 'attitude', 'c': 'behaviour', ...}")
    if not wrong:
        return True, _("correct: all six fields in their group (the key is the suite's own; it "
                       "applies lectures 2–4 ch. 3 §3.3.2).")
    hints = {
        "basic": _("basic information says who the customer is: demographics, family, "
                   "career, how to reach them."),
        "attitude": _("psychology and attitudes say why and how the customer buys: motives, "
                      "personality, lifestyle, beliefs and opinions."),
        "behaviour": _("behaviour is what the customer does: how often, what, how much, "
                       "through which channel."),
    }
    first = wrong[0]
    return False, _("{right} of 6 right; check {labels}. You put {label} under {group}: "
                    "{hint}").format(right=6 - len(wrong), labels=listed(wrong), label=first,
                                     group=i18n.term(_GROUP_TERMS[got[first]]),
                                     hint=hints[got[first]])


# ------------------------------------------------------------------ ident-3: the channels
#: Sources of customer information and the suite's key. None is one of the courseware's
#: examples or a paraphrase of one (talks and surveys, marketing events and loyalty cards,
#: after-sales complaints, website registrations, yearbooks, reports and journals, bought
#: consultancy reports: lectures 2–4 ch. 3 §3.4.1).
_SOURCES = (
    ("门店收银系统记下的每一笔交易", "each sale recorded by the store's tills", "direct"),
    ("企业自己 App 里的浏览与点击记录", "browsing and clicks in the firm's own app", "direct"),
    ("展会上客户递交的名片", "business cards handed over at a trade fair", "direct"),
    ("顾客连接门店 Wi-Fi 时验证的手机号", "phone numbers verified to use the store's Wi-Fi",
     "direct"),
    ("销售人员拜访企业客户后写的拜访记录", "a sales rep's notes after visiting a business "
     "customer", "direct"),
    ("本企业送货员在签收单上记下的收货人", "recipients noted on delivery slips by the firm's "
     "own couriers", "direct"),
    ("向第三方数据公司购买的人群包", "an audience segment bought from a third-party data "
     "company", "indirect"),
    ("经销商提供的终端客户名单", "a list of end customers supplied by a distributor",
     "indirect"),
    ("合作银行提供的联名卡持卡人资料", "co-branded card holders' details from a partner bank",
     "indirect"),
    ("工商登记信息中查到的企业客户资料", "a business customer's details in the company "
     "registration records", "indirect"),
    ("征信机构出具的企业信用报告", "a business credit report from a credit bureau",
     "indirect"),
    ("法院公开的涉及某客户企业的裁判文书", "published court judgments involving a business "
     "customer", "indirect"),
    ("向地图服务商购买的商圈客流数据", "trade-area footfall data bought from a map provider",
     "indirect"),
)
_CHANNELS = vocabulary({
    "direct": [*_term_names("direct_channel"), "直接", "direct channels", "first-hand",
               "firsthand", "自己收集"],
    "indirect": [*_term_names("indirect_channel"), "间接", "indirect channels",
                 "second-hand", "secondhand", "他人收集"],
})


def _channels_valid(table) -> bool:
    counts = pd.Series(_channel_key(table)).value_counts()
    return min(counts.get("direct", 0), counts.get("indirect", 0)) >= 2 and \
        table["source_zh"].tolist() != _channels_case(None)["source_zh"].tolist()


@case("ident_channels", valid=_channels_valid)
def _channels_case(draw) -> pd.DataFrame:
    if draw is None:
        return _labelled(_SOURCES, [0, 7, 6, 2, 9, 4], "source")
    rows = list(range(len(_SOURCES)))
    return _labelled(_SOURCES, [rows.pop(draw.integer(0, len(rows) - 1)) for _k in range(6)],
                     "source")


def _channel_key(table) -> dict:
    return _key(_SOURCES, table, "source")


@exercise("ident-3", chapter=CHAPTER, case="ident_channels", answer=_channel_key,
          prompt=N_("Direct or indirect collection channel?"))
def _ident_3(answer, table):
    expected, _got, wrong = _sorted_items(answer, table, _SOURCES, "source", _CHANNELS,
                                          "{'a': 'direct', 'b': 'indirect', ...}")
    if not wrong:
        return True, _("correct: every source in its channel (the key is the suite's own; it "
                       "applies lectures 2–4 ch. 3 §3.4.1).")
    rows = _rows(_SOURCES, table, "source")
    bought = [k for k in wrong if expected[k] == "indirect" and "购买" in rows[k][0]]
    hint = (_("paying for data does not make the firm its collector: someone else gathered "
              "it.") if bought else
            _("direct: the firm gathers it itself, in its own contact with the customer; "
              "indirect: someone else gathered it and published or sold it."))
    return False, _("{right} of 6 right; check {labels}. {hint}").format(
        right=6 - len(wrong), labels=listed(wrong), hint=hint)

