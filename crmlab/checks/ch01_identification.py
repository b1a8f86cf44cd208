"""Exercise checks of chapter 1, customer identification (ident-1 … ident-10), and their cases.

Cases (each a courseware-style example without a student id, the student's own variant
with one):

* ``ident_actions`` — five concrete actions of the messy-file pipeline, one of each of the
  five identification steps (lectures 2–4, ch. 3 §3.2.3; the key is the suite's own),
  shuffled and labelled a–e (never already in order or reversed);
* ``ident_fields`` — six information fields *not* in the courseware's lists, two of each
  group of the individual schema (§3.3.2), to classify; **the key is the suite's own**;
* ``ident_channels`` — six sources of customer information *not* in the courseware's
  examples, at least two direct and two indirect (§3.4.1); the key is the suite's own;
* ``ident_states`` — five people, their purchases and last contacts, and a set of state
  rules (:func:`crmlab.identify.customer_states`); at least three states occur, and no
  customer sits on a threshold;
* ``ident_hsbc`` — three customers' loyalty, value and status (the HSBC case, lectures
  2–4 ch. 4), with B or C among their tiers;
* ``ident_phone`` — one mobile number written the messy ways a file holds them;
* ``ident_pipl`` — two firms' previous-year turnovers, one below ¥1 billion and one above,
  for the ceiling of PIPL Art. 66 para. 2;
* ``ident_merge`` — a synthetic customer file (size and seed) and a set of linkage rules
  other than the default (multi-step: clean, merge, measure against the truth);
* ``ident_cdnow`` — an analysis date, state rules and one state (multi-step on CDNOW);
* ``ident_caravan`` — a number of personas k and one persona (multi-step on Caravan).

Every expected answer is computed from the case by crmlab's compute functions. Every
sentence a student reads is English inside ``_()``, translated by the catalog
``ch01_identification``; states, tiers, steps and groups are named by the term list.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

import numpy as np
import pandas as pd

from .. import customer_file, i18n, identify, personas, privacy, synthetic, tiers
from ..datasets import load_dataset
from ..i18n import N_
from ..i18n import gettext as _
from .core import (Unreadable, case, chapter, describe, exercise, fold, item_key,
                   labelled_values, listed, read_assignments, read_category, read_number,
                   read_pair, values_in_text, vocabulary, wrong_items)

__all__ = ["ACTIONS", "CHAPTER", "FIELDS", "SOURCES"]

CHAPTER = "01_identification"
LETTERS = "abcdefghij"
# without an id: the chapter's invented examples; with one, spot answers from them
chapter(CHAPTER, examples_invented=True, stale_hint=True)


# ------------------------------------------------------------------ reading answers
# the generic readers of categories (crmlab.checks.categories, through core), by this
# module's names
_norm, _vocabulary, _category, _item_key = fold, vocabulary, read_category, item_key
_pairs_in_text, _assignments, _wrong_items, _listed = (values_in_text, read_assignments,
                                                       wrong_items, listed)


def _term_names(*keys: str) -> list[str]:
    return [name for key in keys for name in i18n.term_aliases(key)]


# ------------------------------------------------------------------ ident-1: the steps
_STEP_TERMS = ("step_define", "step_collect", "step_integrate", "step_update", "step_secure")

#: Concrete actions of the messy-file pipeline and the step (1–5, lectures 2–4 ch. 3
#: §3.2.3) each belongs to: **the key is the suite's own**. No action names its step, so
#: the step table does not answer ident-1: the student judges which question each answers.
ACTIONS = (
    ("决定呼叫中心今后必须登记客户的出生日期",
     "decide that the call centre must record customers' birth dates from now on", 1),
    ("列出会员分级需要知道的客户资料", "list the customer details the loyalty tiers will need", 1),
    ("商定每家企业客户的档案要有联系人和信用等级",
     "agree that every business customer's record holds a contact person and a credit grade", 1),
    ("请门店在顾客办会员卡时登记手机号和邮箱",
     "have the stores take a phone number and an e-mail when someone joins the loyalty "
     "scheme", 2),
    ("从网店后台导出上个月的全部订单", "export last month's orders from the online shop", 2),
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
    ("每季度标出半年没有购买的客户", "every quarter, flag the customers who have not bought "
     "for six months", 4),
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
    pool = pd.DataFrame(ACTIONS, columns=["action_zh", "action_en", "step"])
    if draw is None:
        picked = [9, 0, 12, 4, 6]          # update, define, secure, collect, integrate
    else:
        picked = [int(draw.choice(pool.index[pool["step"] == s].tolist())) for s in range(1, 6)]
        for i in range(4, 0, -1):        # Fisher-Yates, one draw per position
            j = draw.integer(0, i)
            picked[i], picked[j] = picked[j], picked[i]
    rows = pool.iloc[picked]
    return pd.DataFrame({"label": list(LETTERS[:5]), "action_zh": rows["action_zh"].to_numpy(),
                         "action_en": rows["action_en"].to_numpy()})


def _action_steps(table: pd.DataFrame) -> dict[str, int]:
    """Each label's step (1–5), from the suite's key."""
    key = {zh: step for zh, _en, step in ACTIONS}
    return {label: key[zh] for label, zh in zip(table["label"], table["action_zh"])}


def _step_order(table: pd.DataFrame) -> str:
    """The labels in the order of the steps their actions belong to."""
    steps = _action_steps(table)
    return "".join(sorted(steps, key=steps.get))


def _step_names() -> dict[str, int]:
    """Normalised step name (en, zh, aliases) → step number."""
    return {_norm(name): k + 1 for k, term in enumerate(_STEP_TERMS)
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
                if _norm(k) not in labels:
                    raise Unreadable(_order_usage())
                if isinstance(v, str) and _norm(v) in names:
                    places[_norm(k)] = names[_norm(v)]
                    continue
                try:
                    places[_norm(k)] = int(read_number(v))
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
            text = _norm(item)
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
FIELDS = (
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
_GROUPS = _vocabulary({
    "basic": [*_term_names("info_basic"), "basic info", "demographic", "demographics",
              "demographic data", "人口统计", "人口统计数据", "基本", "基础信息", "基础"],
    "attitude": [*_term_names("info_attitude"), "attitudes", "attitudinal", "psychology",
                 "psychological", "psychographic", "心理", "态度", "心理信息", "态度信息",
                 "心理与态度", "心理态度"],
    "behaviour": [*_term_names("info_behaviour"), "behavioural", "behavioral", "行为"],
})
_GROUP_TERMS = {"basic": "info_basic", "attitude": "info_attitude",
                "behaviour": "info_behaviour"}


def _fields_valid(table) -> bool:
    return table["field_zh"].tolist() != _fields_case(None)["field_zh"].tolist()


@case("ident_fields", valid=_fields_valid)
def _fields_case(draw) -> pd.DataFrame:
    pool = pd.DataFrame(FIELDS, columns=["field_zh", "field_en", "group"])
    if draw is None:
        picked = pool.iloc[[0, 12, 6, 14, 3, 8]]
    else:
        chosen = []
        for group in ("basic", "attitude", "behaviour"):
            rows = pool.index[pool["group"] == group].tolist()
            for _k in range(2):
                chosen.append(rows.pop(draw.integer(0, len(rows) - 1)))
        for i in range(len(chosen) - 1, 0, -1):
            j = draw.integer(0, i)
            chosen[i], chosen[j] = chosen[j], chosen[i]
        picked = pool.loc[chosen]
    return pd.DataFrame({"label": list(LETTERS[:6]), "field_zh": picked["field_zh"].to_numpy(),
                         "field_en": picked["field_en"].to_numpy()})


def _field_key(table) -> dict:
    key = {zh: group for zh, _en, group in FIELDS}
    return {label: key[zh] for label, zh in zip(table["label"], table["field_zh"])}


def _items(table, *columns) -> dict:
    return {label: [row[c] for c in columns] for label, (_i, row) in
            zip(table["label"], table.iterrows())}


@exercise("ident-2", chapter=CHAPTER, case="ident_fields", answer=_field_key,
          prompt=N_("Classify fields as basic, attitude or behaviour."))
def _ident_2(answer, table):
    expected = _field_key(table)
    got = _assignments(answer, _items(table, "field_zh", "field_en"), _GROUPS,
                       "{'a': 'basic', 'b': 'attitude', 'c': 'behaviour', ...}")
    wrong = _wrong_items(got, expected)
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
                    "{hint}").format(right=6 - len(wrong), labels=_listed(wrong), label=first,
                                     group=i18n.term(_GROUP_TERMS[got[first]]),
                                     hint=hints[got[first]])


# ------------------------------------------------------------------ ident-3: the channels
#: Sources of customer information and the suite's key. None is one of the courseware's
#: examples or a paraphrase of one (talks and surveys, marketing events and loyalty cards,
#: after-sales complaints, website registrations, yearbooks, reports and journals, bought
#: consultancy reports: lectures 2–4 ch. 3 §3.4.1).
SOURCES = (
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
_CHANNELS = _vocabulary({
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
    pool = pd.DataFrame(SOURCES, columns=["source_zh", "source_en", "channel"])
    if draw is None:
        picked = pool.iloc[[0, 7, 6, 2, 9, 4]]
    else:
        rows = list(range(len(pool)))
        chosen = [rows.pop(draw.integer(0, len(rows) - 1)) for _k in range(6)]
        picked = pool.iloc[chosen]
    return pd.DataFrame({"label": list(LETTERS[:6]), "source_zh": picked["source_zh"].to_numpy(),
                         "source_en": picked["source_en"].to_numpy()})


def _channel_key(table) -> dict:
    key = {zh: channel for zh, _en, channel in SOURCES}
    return {label: key[zh] for label, zh in zip(table["label"], table["source_zh"])}


@exercise("ident-3", chapter=CHAPTER, case="ident_channels", answer=_channel_key,
          prompt=N_("Direct or indirect collection channel?"))
def _ident_3(answer, table):
    expected = _channel_key(table)
    got = _assignments(answer, _items(table, "source_zh", "source_en"), _CHANNELS,
                       "{'a': 'direct', 'b': 'indirect', ...}")
    wrong = _wrong_items(got, expected)
    if not wrong:
        return True, _("correct: every source in its channel (the key is the suite's own; it "
                       "applies lectures 2–4 ch. 3 §3.4.1).")
    bought = [k for k in wrong if expected[k] == "indirect" and
              "购买" in table.set_index("label").loc[k, "source_zh"]]
    hint = (_("paying for data does not make the firm its collector: someone else gathered "
              "it.") if bought else
            _("direct: the firm gathers it itself, in its own contact with the customer; "
              "indirect: someone else gathered it and published or sold it."))
    return False, _("{right} of 6 right; check {labels}. {hint}").format(
        right=6 - len(wrong), labels=_listed(wrong), hint=hint)


# ------------------------------------------------------------------ ident-4: the states
_STATES = _vocabulary({
    "non-customer": [*_term_names("non_customer"), "non customer", "noncustomer", "none",
                     "非顾客"],
    "potential": [*_term_names("potential_customer"), "potential", "潜在", "潜在客户",
                  "prospective customer"],
    "actual": [*_term_names("actual_customer"), "actual", "现实", "现有客户", "current",
               "active", "active customer", "现实顾客"],
    "lost": [*_term_names("lost_customer"), "lost", "流失", "churned", "已流失客户",
             "lost customer", "former customer", "流失顾客"],
    "target": [*_term_names("target_customer"), "目标"],
    "buyer": [*_term_names("first_time_buyer", "repeat_buyer"), "first-time buyer",
              "repeat buyer", "初次购买", "重复购买", "忠实客户", "loyal customer"],
})
_AS_OF = "2025-06-30"
_RULES = ("lost_after", "min_purchases", "contact_window")


def _states_table(c, *, contacts: bool = True, **change) -> pd.DataFrame:
    rules = {k: c[k] for k in _RULES} | change
    people = c["people"] if contacts else c["people"].assign(last_contact=pd.NaT)
    return identify.customer_states(c["purchases"], people, as_of=c["as_of"], **rules)


def _states_of(c, *, contacts: bool = True, **change) -> dict:
    """Each person's state under the case's rules (``change`` replaces some; without
    ``contacts`` the last contacts are ignored, as a student who forgot them would)."""
    table = _states_table(c, contacts=contacts, **change)
    return {str(k): str(v) for k, v in sorted(table["state"].items())}


def _states_by_purchase_count(c) -> dict:
    """The wrong method the rule once was: fewer than ``min_purchases`` purchases makes a
    buyer potential (a purchase or contact within the window) or a non-customer."""
    table = _states_table(c)
    few = table["purchases"] < c["min_purchases"]
    recent = (table["days_since_purchase"] <= c["contact_window"]) | \
        (table["days_since_contact"] <= c["contact_window"])
    state = table["state"].where(~few, np.where(recent, "potential", "non-customer"))
    return {str(k): str(v) for k, v in sorted(state.items())}


def _states_valid(c) -> bool:
    states = _states_of(c)
    if len(set(states.values())) < 3 or _states_by_purchase_count(c) == states:
        return False
    table = _states_table(c)
    for column, limit in (("days_since_purchase", c["lost_after"]),
                          ("days_since_contact", c["contact_window"]),
                          ("days_since_purchase", c["contact_window"])):
        if ((table[column] - limit).abs() < 3).any():
            return False
    return True


@case("ident_states", valid=_states_valid)
def _states_case(draw) -> dict:
    ids = [f"c{k}" for k in range(1, 6)]
    when = pd.Timestamp(_AS_OF)
    if draw is None:
        purchases = [("c1", "2025-01-10"), ("c1", "2025-05-20"), ("c2", "2024-08-15"),
                     ("c3", "2025-06-01")]
        contacts = ["2025-05-20", "2024-09-01", None, "2025-05-15", "2024-12-01"]
        rules = {"lost_after": 180, "min_purchases": 2, "contact_window": 90}
    else:
        rules = {"lost_after": draw.choice([90, 120, 180, 270, 365]),
                 "min_purchases": draw.integer(2, 3),
                 "contact_window": draw.choice([30, 60, 90, 180])}
        purchases, contacts = [], []
        for customer in ids:
            n = draw.integer(0, rules["min_purchases"] + 1)
            last = draw.integer(5, 600)
            for k in range(n):
                ago = last + k * draw.integer(15, 120)
                purchases.append((customer, (when - pd.Timedelta(days=ago)).strftime("%Y-%m-%d")))
            # the last contact: never before the last purchase (a purchase is a contact)
            contact = draw.integer(3, last if n else 400) if draw.integer(0, 2) else None
            contacts.append(None if contact is None else
                            (when - pd.Timedelta(days=contact)).strftime("%Y-%m-%d"))
        if not purchases:
            purchases.append((ids[0], (when - pd.Timedelta(days=40)).strftime("%Y-%m-%d")))
    log = pd.DataFrame(purchases, columns=["customer_id", "date"])
    log["date"] = pd.to_datetime(log["date"])
    people = pd.DataFrame({"customer_id": ids, "last_contact": pd.to_datetime(contacts)})
    return {"purchases": log, "people": people, "as_of": _AS_OF, **rules}


@exercise("ident-4", chapter=CHAPTER, case="ident_states", answer=_states_of,
          prompt=N_("States of five people under given rules."))
def _ident_4(answer, c):
    expected = _states_of(c)
    items = {k: [] for k in expected}
    got = _assignments(answer, items, _STATES, "{'c1': 'actual', 'c2': 'lost', ...}")
    wrong = _wrong_items(got, expected)
    if not wrong:
        return True, _("correct: {states}.").format(states=_listed(
            [f"{k} {i18n.term(identify.STATE_TERMS[v])}" for k, v in expected.items()]))
    if any(got[k] == "target" for k in wrong):
        return False, _("目标客户 (target customer) is one of the courseware's five kinds of "
                        "relationship, but it is the firm's choice, not a fact in the data: "
                        "these rules have four states.")
    if any(got[k] == "buyer" for k in wrong):
        return False, _("first-time and repeat buyers are kinds of buyer inside a state: give "
                        "each person's state (a buyer is actual or lost).")
    if got == _states_by_purchase_count(c):
        return False, _("a buyer is never potential or a non-customer: a first-time buyer "
                        "(初次购买者) is an actual customer (lectures 2–4, ch. 4 §4.3). "
                        "min_purchases only separates first-time from repeat buyers.")
    for change, hint in (
            ({"contact_window": c["lost_after"]}, _("the window for potential customers is "
                                                    "contact_window, not lost_after.")),
            ({"contacts": False}, _("someone who never bought may still be potential: "
                                    "look at the last contacts too."))):
        if got == _states_of(c, **change) != expected:
            return False, hint
    buyers = [k for k in wrong if got[k] in ("potential", "non-customer")
              and expected[k] in ("actual", "lost")]
    if buyers:
        return False, _("{labels} bought, so they are actual or lost, whatever their number "
                        "of purchases.").format(labels=_listed(buyers))
    return False, _("{right} of 5 right; check {labels}: apply the rules in order — "
                    "actual, lost, potential, non-customer.").format(
                        right=5 - len(wrong), labels=_listed(wrong))


# ------------------------------------------------------------------ ident-5: HSBC
_TIER_NAMES = _vocabulary({
    "A": ["a", "tier a", "顶级", "top", "a级", "a类"],
    "B": ["b", "tier b", "b级", "b类"], "C": ["c", "tier c", "c级", "c类"],
    "D": ["d", "tier d", "小型", "small", "d级", "d类"],
    "E": ["e", "tier e", "非活跃客户", "非活跃", "inactive", "inactive customers", "e级", "e类"],
    "F": ["f", "tier f", "可能客户", "possible customers", "prospect", "prospects", "f级", "f类"],
    "B|C": ["大中型", "large/medium", "large or medium", "large-medium"],
})


def _hsbc_valid(table) -> bool:
    letters = tiers.hsbc_tiers(table)["tier"]
    return letters.isin(["B", "C"]).any() and letters.nunique() == 3 and \
        not table.equals(_hsbc_case(None))


@case("ident_hsbc", valid=_hsbc_valid)
def _hsbc_case(draw) -> pd.DataFrame:
    if draw is None:
        rows = [("high", "low", "active"), ("low", "low", "inactive"), ("low", "high", "active")]
    else:
        rows = []
        for _k in range(3):
            status = draw.choice(["active", "active", "active", "inactive", "prospect"])
            rows.append((draw.choice(["high", "low"]), draw.choice(["high", "low"]), status))
    return pd.DataFrame(rows, columns=["loyalty", "value", "status"],
                        index=pd.Index(["c1", "c2", "c3"], name="customer"))


def _hsbc_key(table) -> dict:
    return tiers.hsbc_tiers(table)["tier"].to_dict()


@exercise("ident-5", chapter=CHAPTER, case="ident_hsbc", answer=_hsbc_key,
          prompt=N_("HSBC tiers (A–F) of three customers."))
def _ident_5(answer, table):
    expected = _hsbc_key(table)
    got = _assignments(answer, {k: [] for k in expected}, _TIER_NAMES,
                       "{'c1': 'A', 'c2': 'E', 'c3': 'D'}")
    wrong = _wrong_items(got, expected)
    if not wrong:
        return True, _("correct: {tiers}.").format(
            tiers=_listed([f"{k} {v}" for k, v in expected.items()]))
    first = wrong[0]
    row = table.loc[first]
    if got[first] == "B|C":
        hint = _("大中型 names both B and C on the slide: give the letter.")
    elif row["status"] != "active" and got[first] in "ABCD":
        hint = _("{label} is not active: inactive customers and prospects sit outside the "
                 "loyalty × value grid.").format(label=first)
    elif {got[first], expected[first]} == {"B", "C"}:
        hint = _("For {label}, loyalty and value are swapped: read which of the two is "
                 "high.").format(label=first)
    elif {got[first], expected[first]} == {"E", "F"}:
        hint = _("E and F are two different groups: customers who have gone quiet, and "
                 "people who are not customers yet.")
    else:
        hint = _("Read {label}'s status first, then its loyalty and value.").format(
            label=first)
    return False, _("{right} of 3 right. {hint}").format(right=3 - len(wrong), hint=hint)


# ------------------------------------------------------------------ ident-6: masking
_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151",
             "152", "153", "155", "156", "157", "158", "159", "166", "173", "176", "177",
             "180", "181", "182", "183", "185", "186", "187", "188", "189", "191", "198", "199")
_WIDE = str.maketrans("0123456789+-", "０１２３４５６７８９＋－")


@case("ident_phone", valid=lambda c: c["phone"] != "+86 139 2468 1357")
def _phone_case(draw) -> dict:
    if draw is None:
        return {"phone": "+86 139 2468 1357"}
    digits = draw.choice(_PREFIXES) + "".join(str(draw.integer(0, 9)) for _k in range(8))
    a, b, c = digits[:3], digits[3:7], digits[7:]
    style = draw.integer(0, 5)
    phone = [f"+86 {a} {b} {c}", f"+86-{a}-{b}-{c}", f"0086 {digits}", f"{a}-{b}-{c}",
             f"(+86){digits}", f"{a} {b} {c}".translate(_WIDE)][style]
    return {"phone": phone}


def _masked(c) -> str:
    return str(privacy.mask_phone(c["phone"]))


@exercise("ident-6", chapter=CHAPTER, case="ident_phone", answer=_masked,
          prompt=N_("Mask a mobile number in the 3-4-4 form."))
def _ident_6(answer, c):
    expected = _masked(c)
    if isinstance(answer, (list, tuple, pd.Series, np.ndarray)) and len(answer) == 1:
        answer = list(answer)[0]
    if not isinstance(answer, str):
        raise Unreadable(_("give the masked number as text, e.g. '130****0000'."))
    text = unicodedata.normalize("NFKC", answer).strip().replace("＊", "*")
    plain = re.sub(r"[\s\-]", "", text)
    digits = privacy.normalise_phone(c["phone"])
    if plain == expected:
        return True, _("correct: {masked} — the first three and the last four digits.").format(
            masked=expected)
    if re.sub(r"\D", "", plain).endswith(digits) and "*" not in plain:
        return False, _("that is the number itself: hide the middle four digits.")
    if plain and set(plain) == {"*"}:
        return False, _("that hides every digit: mask the number itself, my_phone[\"phone\"], "
                        "not the whole dict exercise_data returns.")
    if plain.startswith(("+86", "86", "0086", "(+86)")) and "*" in plain:
        return False, _("drop the country code +86 first: the 3-4-4 form is the 11-digit "
                        "number.")
    if not re.fullmatch(r"[\d*]+", plain):
        raise Unreadable(_("I could not read {shown} as a masked number: digits and * only, "
                           "e.g. '130****0000'.").format(shown=describe(answer)))
    written = re.sub(r"\D", "", unicodedata.normalize("NFKC", c["phone"]))
    if plain[:3] in {written[:3], "008", "861"} - {digits[:3]} and plain[-4:] == digits[-4:]:
        return False, _("those first three digits are the country code's: drop 0086 or +86 "
                        "first, then mask the 11-digit number.")
    if plain.count("*") != 4:
        return False, _("hide exactly four digits, each as one *.")
    if len(plain) != 11 or not re.fullmatch(r"\d{3}\*{4}\d{4}", plain):
        return False, _("keep the first three and the last four digits, and hide the four in "
                        "between.")
    return False, _("the digits you show must be the number's own first three and last "
                    "four (full-width digits count as ordinary ones).")


# ------------------------------------------------------------------ ident-7: PIPL
@case("ident_pipl", valid=lambda t: not t.equals(_pipl_case(None)))
def _pipl_case(draw) -> pd.DataFrame:
    if draw is None:
        turnovers = [6e8, 3e9]
    else:
        small = draw.integer(2, 19) * 5e7            # ¥100 million to ¥950 million
        large = draw.integer(12, 400) * 1e8           # ¥1.2 billion to ¥40 billion
        turnovers = [small, large] if draw.integer(0, 1) else [large, small]
    return pd.DataFrame({"firm": ["A", "B"], "previous_year_turnover_yuan": turnovers})


def _ceilings(table) -> dict:
    out = privacy.pipl_fine_ceiling(table["previous_year_turnover_yuan"].to_numpy())
    return {firm: float(v) for firm, v in zip(table["firm"], out["highest"])}


#: Chinese and English units of an amount, longest first ("元" is removed before).
_MULTIPLIERS = (("千万", 1e7), ("亿", 1e8), ("億", 1e8), ("万", 1e4), ("萬", 1e4), ("千", 1e3),
                ("billion", 1e9), ("million", 1e6), ("bn", 1e9), ("m", 1e6))
_POWER = re.compile(r"([-+]?\d+(?:\.\d+)?)\s*[x×*]\s*10\s*(?:\^|\*\*)\s*(\d+)")


def _yuan(value) -> float:
    """An amount of yuan as a student writes it: 50000000, '5000万', '5千万', '0.5亿元',
    '¥50 million', '1.62×10^9'."""
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip().lower().replace(",", "")
        text = re.sub(r"^(?:¥|rmb|cny)\s*|\s*(?:元|yuan|rmb|cny)$", "", text).strip()
        power = _POWER.fullmatch(text)
        if power:
            return float(power.group(1)) * 10 ** int(power.group(2))
        for word, factor in _MULTIPLIERS:
            if text.endswith(word):
                return read_number(text[: -len(word)].strip(), example="50000000") * factor
    return read_number(value, example="50000000")


def _by_firm(answer) -> dict:
    """One amount of yuan per firm: a dict or Series by firm ("A", "firm A", "企业B"), a
    pair in firm order, text "A: 5000万, B: 1.5亿", or pipl_fine_ceiling's table."""
    if isinstance(answer, pd.DataFrame):
        frame = answer.set_index("firm") if "firm" in answer.columns else answer
        numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]
        if "highest" not in frame.columns and not numeric:
            raise Unreadable(_firm_usage())
        answer = frame["highest" if "highest" in frame.columns else numeric[-1]]
    if isinstance(answer, pd.Series) and len(answer) == 2 and \
            list(answer.index) == list(range(2)):
        answer = answer.tolist()                   # pipl_fine_ceiling's rows, in order
    if isinstance(answer, str):
        answer = values_in_text(answer)
    if not isinstance(answer, (Mapping, pd.Series, list, tuple, np.ndarray)) or \
            np.ndim(answer) != 1 and not isinstance(answer, Mapping):
        raise Unreadable(_firm_usage())
    try:
        raw = labelled_values(answer, ["A", "B"], "firm")   # its message is replaced
    except Unreadable:
        raise Unreadable(_firm_usage()) from None
    return {k: _yuan(v) for k, v in raw.items()}


def _amount(yuan: float) -> str:
    """An amount as a reader of the session's language writes it: ¥1,620,000,000 in
    English, 16.2亿元 or 5000万元 in Chinese.

    >>> _amount(1.62e9), _amount(5e7)
    ('¥1,620,000,000', '¥50,000,000')
    """
    if i18n.get_language() != "zh":
        return f"¥{yuan:,.0f}"
    if yuan >= 1e8:
        return f"{yuan / 1e8:.4g}亿元"
    return f"{yuan / 1e4:.6g}万元" if yuan >= 1e4 else f"{yuan:,.0f}元"


def _firm_usage() -> str:
    return _("give one ceiling per firm in yuan, e.g. {{'A': 50000000, 'B': '1.5亿'}}.").format()


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= max(1.0, 1e-6 * abs(b))


@exercise("ident-7", chapter=CHAPTER, case="ident_pipl", answer=_ceilings,
          prompt=N_("PIPL Art. 66 ceilings for two firms' turnovers."))
def _ident_7(answer, table):
    expected = _ceilings(table)
    got = _by_firm(answer)
    if all(_same(got[k], expected[k]) for k in expected):
        return True, _("correct: A {a} and B {b} — the most the law allows under either "
                       "basis: ¥50,000,000 or 5% of the previous year's turnover.").format(
                           a=_amount(expected["A"]), b=_amount(expected["B"]))
    turnover = dict(zip(table["firm"], table["previous_year_turnover_yuan"]))
    for firm in ("A", "B"):
        value, want, t = got[firm], expected[firm], turnover[firm]
        if _same(value, want):
            continue
        if _same(value, 0.05 * t):
            return False, _("firm {firm}: that is the courseware's 5%. The law also allows "
                            "¥50,000,000, which is more here.").format(firm=firm)
        if _same(value, 5e7):
            return False, _("firm {firm}: 5% of its previous year's turnover is more than "
                            "¥50,000,000, and the law allows either basis.").format(firm=firm)
        if _same(value, 1e6):
            return False, _("firm {firm}: ¥1,000,000 is paragraph 1 for a firm that refuses "
                            "to correct; serious cases fall under paragraph 2.").format(firm=firm)
        if _same(value * 1e6, want):
            return False, _("firm {firm}: that reads as millions of yuan, the unit of the "
                            "penalty table; give the amount in yuan — e.g. 50000000, or "
                            "write the unit: '5000万'.").format(firm=firm)
        if _same(value * 1e4, want) or _same(value * 1e8, want):
            return False, _("firm {firm}: give the amount in yuan — e.g. 50000000, or write "
                            "the unit: '5000万'.").format(firm=firm)
        if _same(value, 0.005 * t) or _same(value, 0.5 * t):
            return False, _("firm {firm}: 5% is 0.05 of the turnover.").format(firm=firm)
        if _same(value, t):
            return False, _("firm {firm}: that is the turnover itself, not the fine.").format(
                firm=firm)
        return False, _("firm {firm}: give the most the law allows under either basis: "
                        "¥50,000,000, or 5% of its previous year's turnover.").format(firm=firm)
    return False, _firm_usage()


# ------------------------------------------------------------------ ident-8: the merge
_RULE_SETS = (("phone",), ("phone", "email"), ("phone", "email", "name+birth_date"),
              ("email", "name+birth_date", "org_name+city"),
              (*customer_file.DEFAULT_RULES, "name+city"))


@lru_cache(maxsize=16)
def _merge(n_people: int, seed: int, rules: tuple) -> dict:
    file = synthetic.make_customer_file(n_people, seed=seed)
    truth = file.pop("true_id")
    clean = customer_file.clean_customers(file)
    view = customer_file.single_customer_view(clean, rules=rules)
    quality = identify.linkage_quality(view.report["customer_id"], truth)
    return {"customers": len(view.customers), "recall": round(float(quality["recall"]), 6),
            "precision": round(float(quality["precision"]), 6), "records": len(file),
            "usable": int((view.report["status"] != "rejected").sum())}


def _merge_of(c) -> dict:
    return _merge(c["n_people"], c["seed"], tuple(c["rules"]))


def _merge_valid(c) -> bool:
    mine = _merge_of(c)
    default = _merge(c["n_people"], c["seed"], tuple(customer_file.DEFAULT_RULES))
    return mine["customers"] != default["customers"] and mine["recall"] < 1


@case("ident_merge", valid=_merge_valid)
def _merge_case(draw) -> dict:
    if draw is None:
        return {"n_people": 150, "seed": 7, "rules": ["phone", "email", "name+birth_date"]}
    return {"n_people": draw.integer(80, 240), "seed": draw.integer(1, 10**6),
            "rules": list(draw.choice(_RULE_SETS))}


#: The names a student may give the two values of ident-8.
_MERGE_KEYS = (("customers", "customer", "客户", "客户数", "n", "count", "单一客户视图"),
               ("recall", "召回率", "查全率"))


@exercise("ident-8", chapter=CHAPTER, case="ident_merge", keys=_MERGE_KEYS,
          answer=lambda c: (_merge_of(c)["customers"], _merge_of(c)["recall"]),
          prompt=N_("Single customer view under your rules (steps)."))
def _ident_8(answer, c):
    result = _merge_of(c)
    customers, recall = read_pair(answer, _("the number of customers and the recall"),
                                  keys=_MERGE_KEYS, example="(150, 0.9)")
    if 0 < customers <= 1 < recall:
        return False, _("the two values are in the other order: give (customers, recall).")
    recall = recall / 100 if 1 < recall <= 100 else recall
    right_n = customers == result["customers"]
    right_r = abs(recall - result["recall"]) <= 0.0005
    if right_n and right_r:
        return True, _("correct: {n} customers, recall {recall:.4f} (precision "
                       "{precision:.4f}).").format(n=result["customers"],
                                                    recall=result["recall"],
                                                    precision=result["precision"])
    default = _merge(c["n_people"], c["seed"], tuple(customer_file.DEFAULT_RULES))
    if not right_n:
        if customers == result["records"]:
            return False, _("that counts the records of the file; count the customers of the "
                            "single view.")
        if customers == result["usable"]:
            return False, _("that counts the records that were not rejected; several records "
                            "may be one customer.")
        if customers == default["customers"]:
            return False, _("that is the view with the default rules; merge with your rules.")
        return False, _("check the number of customers: clean the file, merge it with your "
                        "rules, count the rows of the view.")
    if abs(recall - result["precision"]) <= 0.0005:
        return False, _("the customers are right; that is the precision — recall is the "
                        "share of the true pairs that were found.")
    return False, _("the customers are right; check the recall: measure the view's customer "
                    "ids against the file's true ids.")


# ------------------------------------------------------------------ ident-9: CDNOW
_BUYER_COLUMNS = {"first-time": "first_time", "repeat": "repeat"}


@lru_cache(maxsize=32)
def _cdnow_counts(as_of: str, lost_after: int, min_purchases: int,
                  before: bool = False) -> dict:
    """Customers per (state, buyer) on CDNOW up to ``as_of`` (``before``: strictly before,
    a student's slip), and per state under ``(state, "")``."""
    log = load_dataset("cdnow_master")
    when = pd.Timestamp(as_of)
    log = log[log["date"] < when] if before else log[log["date"] <= when]
    counts = identify.state_counts(identify.customer_states(
        log, as_of=as_of, lost_after=lost_after, min_purchases=min_purchases))
    out = {(state, ""): int(n) for state, n in counts["customers"].items()}
    for buyer, column in _BUYER_COLUMNS.items():
        out |= {(state, buyer): int(n) for state, n in counts[column].items()}
    return out


def _cdnow_count(q) -> int:
    return _cdnow_counts(q["as_of"], q["lost_after"], q["min_purchases"])[
        (q["state"], q["buyer"])]


_MONTH_ENDS = ("1997-09-30", "1997-10-31", "1997-11-30", "1997-12-31", "1998-01-31",
               "1998-02-28", "1998-03-31", "1998-04-30", "1998-05-31")


def _cdnow_valid(q) -> bool:
    n = _cdnow_count(q)
    key = (q["state"], q["buyer"])
    others = {_cdnow_counts(q["as_of"], 365, 2)[key],
              _cdnow_counts("1998-06-30", q["lost_after"], q["min_purchases"])[key],
              _cdnow_counts(q["as_of"], q["lost_after"], q["min_purchases"])[(q["state"], "")]}
    return n > 0 and n not in others


@case("ident_cdnow", valid=_cdnow_valid)
def _cdnow_case(draw) -> dict:
    if draw is None:
        return {"as_of": "1998-03-31", "lost_after": 180, "min_purchases": 2, "state": "lost",
                "buyer": "first-time"}
    return {"as_of": draw.choice(_MONTH_ENDS), "lost_after": draw.choice([90, 120, 150, 240,
                                                                          270]),
            "min_purchases": draw.integer(2, 4), "state": draw.choice(["actual", "lost"]),
            "buyer": draw.choice(["first-time", "repeat"])}


def _group_name(state: str, buyer: str) -> str:
    if not buyer:
        return i18n.term(identify.STATE_TERMS[state])
    return _("{state}: {buyer}").format(
        buyer=i18n.term(identify.BUYER_TERMS[buyer]),
        state=i18n.term(identify.STATE_TERMS[state]))


@exercise("ident-9", chapter=CHAPTER, case="ident_cdnow", answer=_cdnow_count,
          prompt=N_("CDNOW buyers of one kind in a state at your date and rules."))
def _ident_9(answer, q):
    expected = _cdnow_count(q)
    got = read_number(answer)
    group = _group_name(q["state"], q["buyer"])
    rules = (q["as_of"], q["lost_after"], q["min_purchases"])
    if got == expected:
        return True, _("correct: {n:,} customers on {date} ({group}).").format(
            n=expected, group=group, date=q["as_of"])
    if 0 < got < 1:
        return False, _("give the number of customers, not their share.")
    counts = _cdnow_counts(*rules)
    if got == counts[(q["state"], "")]:
        return False, _("that is everyone in the state; count only the {buyer} (with your "
                        "min_purchases = {m}).").format(
                            buyer=i18n.term(identify.BUYER_TERMS[q["buyer"]]),
                            m=q["min_purchases"])
    for key, n in counts.items():
        if key != (q["state"], q["buyer"]) and n == got and n > 0:
            return False, _("that is the number of another group ({group}).").format(
                group=_group_name(*key))
    if got == _cdnow_counts(*rules, before=True)[(q["state"], q["buyer"])]:
        return False, _("keep the purchases up to and including {date} (<=, not <).").format(
            date=q["as_of"])
    if got == _cdnow_counts("1998-06-30", q["lost_after"], q["min_purchases"])[
            (q["state"], q["buyer"])]:
        return False, _("that is the count at the end of the data: keep only the purchases up "
                        "to {date} and use it as the analysis date.").format(date=q["as_of"])
    if got == _cdnow_counts(q["as_of"], 365, 2)[(q["state"], q["buyer"])]:
        return False, _("that uses the default rules; set lost_after and min_purchases as "
                        "your exercise says.")
    return False, _("keep the purchases up to {date}, label the states with your rules, and "
                    "count the customers in the group {group}.").format(
                        date=q["as_of"], group=group)


# ------------------------------------------------------------------ ident-10: Caravan
@lru_cache(maxsize=1)
def _caravan() -> pd.DataFrame:
    return load_dataset("caravan")


@lru_cache(maxsize=8)
def _caravan_labels(k: int) -> pd.Series:
    return personas.find_personas(_caravan(), k, columns=personas.CARAVAN_COLUMNS).labels


def _owner_share(q) -> float:
    owners = _caravan()["Purchase"] == "Yes"
    return round(float(owners[_caravan_labels(q["k"]) == q["persona"]].mean()), 6)


@case("ident_caravan", valid=lambda q: abs(_owner_share(q) - 348 / 5822) > 0.002)
def _caravan_case(draw) -> dict:
    if draw is None:
        return {"k": 3, "persona": 3}
    k = draw.integer(3, 5)
    return {"k": k, "persona": draw.integer(1, k)}


@exercise("ident-10", chapter=CHAPTER, case="ident_caravan", answer=_owner_share,
          prompt=N_("Caravan: caravan-policy owners in one persona."))
def _ident_10(answer, q):
    expected = _owner_share(q)
    got = read_number(answer, example="0.25")
    labels = _caravan_labels(q["k"])
    owners = _caravan()["Purchase"] == "Yes"
    members = labels == q["persona"]
    if got > 1:
        if got == owners[members].sum():
            return False, _("that is the number of owners; give their share of the "
                            "persona's customers.")
        if got == members.sum():
            return False, _("that is the persona's size; give the share of its customers "
                            "who own a caravan policy.")
        got = got / 100
    if abs(got - expected) <= 0.0005:
        return True, _("correct: {share:.1%} of the {n:,} customers of persona {p} own a "
                       "caravan policy (all customers: 6.0%).").format(
                           share=expected, n=int(members.sum()), p=q["persona"])
    if abs(got - 348 / 5822) <= 0.0005:
        return False, _("that is the share among all customers; take persona {p}'s customers "
                        "only.").format(p=q["persona"])
    if abs(got - members.mean()) <= 0.0005:
        return False, _("that is the persona's share of all customers; the question is the "
                        "share of owners within it.")
    for other in range(1, q["k"] + 1):
        if other != q["persona"] and abs(got - owners[labels == other].mean()) <= 0.0005:
            return False, _("that is another persona's share: personas are numbered by size, "
                            "1 the largest.")
    return False, _("cluster with k = {k} on the chapter's columns (personas.CARAVAN_COLUMNS, "
                    "random_state at its default), then take persona {p}.").format(
                        k=q["k"], p=q["persona"])

