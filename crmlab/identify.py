"""Customer identification (客户识别): customer states, lifecycle stages, the courseware's tables.

IDIC — identify, differentiate, interact, customise — starts with knowing *who* the
customers are. This module answers it from data, with rules that are written down and
adjustable (the courseware names the states and stages but gives no rule for them):

* :func:`customer_states` — non-customer (非客户), potential (潜在客户), actual (现实客户) or
  lost (流失客户), from a transaction log and, optionally, the people the firm knows of
  (buyers are actual or lost, first-time or repeat; people who only made contact are
  potential or non-customers); :func:`state_counts` counts them.
* :func:`lifecycle_stages` — the courseware's 6-stage lifecycle (lectures 2–4, ch. 4) or
  its 5-stage one (ch. 3 §3.1.2), from the same log.
* Reference tables of the courseware: :data:`IDENTIFICATION_STEPS` (the five-step process),
  :data:`LIFECYCLES`, :data:`INFO_SCHEMA` (what to know about individuals and
  organisations), :data:`COLLECTION_CHANNELS`, and :data:`UNICOM_DATA_KEY` (the China
  Unicom exercise, with a key that is the suite's own).
* :func:`linkage_quality` — how well a merge identified who is who: pairwise precision
  and recall against known ground truth.

The pipeline that runs the five steps on a messy customer file (clean, deduplicate,
merge into a single customer view, update) is :mod:`crmlab.customer_file`.

References
----------
Lectures 2–4 (《客户关系管理（第2.3.4讲）》), ch. 2 §2.5 (IDIC); ch. 3 §3.1.1 (客户, 顾客,
消费者), §3.1.2 (5-stage lifecycle), §3.2.3 (客户识别过程, five steps), §3.3.2–3.3.3
(individual and organisation information), §3.4.1 (collection channels); ch. 4 (6-stage
lifecycle; §4.3 five kinds of relationship: 非客户, 潜在客户, 目标客户, 现实客户, 流失客户).
Courseware ch. 3 (《客户关系管理课件》第3章), §1.3.2 (customer states 非客户 → 潜在客户 →
现实客户 → 流失客户) and §1 (Douyin persona framework; the China Unicom data-type analysis).
Peppers & Rogers, *Managing Customer Relationships* (IDIC).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._customers import require_id_kind
from .i18n import N_, Words
from .i18n import gettext as _
from ._dates import require_dates
from ._validation import (
    InputError,
    check_option,
    format_rows,
    require_columns,
    require_frame,
    require_integer,
    require_number,
)

__all__ = ["BUYERS", "BUYER_TERMS", "COLLECTION_CHANNELS", "DATA_TYPE_TERMS",
           "IDENTIFICATION_STEPS", "INFO_SCHEMA", "LIFECYCLES", "RECORD_WORDS", "STAGE_TERMS",
           "STATES",
           "STATE_TERMS", "UNICOM_DATA_KEY", "customer_states", "lifecycle_stages",
           "linkage_quality", "state_counts"]

#: The courseware's customer states, in their order (courseware ch. 3 §1.3.2).
STATES = ("non-customer", "potential", "actual", "lost")

#: Buyer kinds within actual and lost (lectures 2–4, ch. 4 §4.3: 初次购买者, 重复购买者).
BUYERS = ("first-time", "repeat")
BUYER_TERMS = {"first-time": "first_time_buyer", "repeat": "repeat_buyer"}

#: The term-list key (``crmlab/locale/terms.csv``) of each state and lifecycle stage, for
#: showing them in the session's language with ``i18n.term``; the data stay in English.
STATE_TERMS = {"non-customer": "non_customer", "potential": "potential_customer",
               "actual": "actual_customer", "lost": "lost_customer"}
STAGE_TERMS = {stage: f"stage_{stage}" for stage in ("potential", "development", "acquisition",
                                                     "growth", "maturity", "decline",
                                                     "termination")}

#: Display text of the notes of the :mod:`crmlab.customer_file` pipeline, for
#: ``i18n.localise``: one item of ``issues`` (a "; "-joined list: split it first), a
#: rejection ``reason``, a report ``status`` and an update ``action``.
RECORD_WORDS = Words({
    "phone: not a phone number": N_("phone: not a phone number"),
    "birth_date: not a date": N_("birth_date: not a date"),
    "email: not an e-mail address": N_("email: not an e-mail address"),
    "kind unknown: individual or organisation?": N_("kind unknown: individual or organisation?"),
    "no real name (missing or a placeholder such as 测试)":
        N_("no real name (missing or a placeholder such as 测试)"),
    "no identifier: no valid phone or e-mail, no birth date or city":
        N_("no identifier: no valid phone or e-mail, no birth date or city"),
    "merged": N_("merged"), "single": N_("single"), "rejected": N_("rejected"),
    "changed": N_("changed"), "filled": N_("filled"), "unknown customer": N_("unknown customer")})

#: The five-step identification process (lectures 2–4, ch. 3 §3.2.3) and its guiding
#: questions. The slide lists the questions in the order 1, 2, 4, 3, 5; they are paired
#: with the steps by meaning here.
IDENTIFICATION_STEPS = pd.DataFrame({
    "step": [1, 2, 3, 4, 5],
    "name_zh": ["定义信息", "收集信息", "整合、管理信息", "更新信息", "信息安全"],
    "name_en": ["define the information", "collect it", "integrate and manage it",
                "update it", "keep it secure"],
    "question_zh": ["需要掌握哪些资料与数据?", "从哪里可以得到所需要的信息?", "利用数据库管理信息?",
                    "客户的信息发生何种变化?", "信息是否有泄漏?有没有侵犯客户隐私?"],
    "crmlab": ["identify.INFO_SCHEMA", "identify.COLLECTION_CHANNELS",
               "customer_file.clean_customers, find_duplicates, single_customer_view",
               "customer_file.update_customers", "privacy"],
})

#: The 6-stage lifecycle (lectures 2–4, ch. 4 and appended §2.2.1) and the 5-stage one
#: (ch. 3 §3.1.2), which merges the first two stages into 潜在获取期.
LIFECYCLES = pd.DataFrame({
    "version": [6] * 6 + [5] * 5,
    "order": [1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5],
    "stage": ["potential", "development", "growth", "maturity", "decline", "termination",
              "acquisition", "growth", "maturity", "decline", "termination"],
    "name_zh": ["潜在客户期", "客户开发(发展)期", "客户成长(维系)期", "客户成熟期", "客户衰退期",
                "客户终止期", "潜在获取期", "客户成长期", "客户成熟期", "客户衰退期", "客户终止期"],
})

#: What to know about a customer (lectures 2–4, ch. 3 §3.3.2–3.3.3), one row per field:
#: ``kind`` (individual / organisation), ``group`` and the field's name in the courseware.
INFO_SCHEMA = pd.DataFrame([
    *[("individual", "basic", f) for f in ("姓名", "性别", "年龄", "性格", "血型", "电话", "传真", "住址",
                                           "婚姻状况", "子女情况", "工作单位", "职位", "收入")],
    *[("individual", "attitude", f) for f in ("购买动机", "个性", "生活方式", "信念与态度")],
    *[("individual", "behaviour", f) for f in ("购买频率", "购买种类", "购买金额", "购买途径")],
    *[("organisation", "basic", f) for f in ("名称", "地址", "电话", "创立时间", "所属行业", "规模",
                                             "经营理念", "销售或服务区域", "形象与声誉")],
    *[("organisation", "business", f) for f in ("销售能力", "销售业绩", "发展潜力与优势", "存在的问题")],
    *[("organisation", "transaction", f) for f in ("交易条件", "信用等级", "关系的紧密程度",
                                                   "合作意愿")],
    *[("organisation", "key_person", f) for f in ("高层管理者", "采购经理", "年龄、性格与兴趣")],
], columns=["kind", "group", "field_zh"])

#: Collection channels (lectures 2–4, ch. 3 §3.4.1): direct (直接渠道) and indirect (间接渠道).
COLLECTION_CHANNELS = pd.DataFrame({
    "channel": ["direct"] * 4 + ["indirect"] * 2,
    "example_zh": ["直接交谈或调查", "营销活动中收集(会员卡等)", "售后服务(客户抱怨)", "网站注册资料",
                   "公开出版物(统计年鉴、发展报告、期刊)", "购买咨询报告(如波罗的海航运指数)"],
})

#: The China Unicom exercise (courseware ch. 3 §1): one user's tags as the slide shows them,
#: and a key to its question "哪些是用户行为数据, 哪些是设备环境数据, 哪些是商业行为数据?".
#: **The key is the suite's own** (the courseware gives none), following the Douyin
#: framework's data types (地理位置 is device-environment data there). Age and gender fit
#: none of the three types, and the last two items are tags derived from data, not data.
UNICOM_DATA_KEY = pd.DataFrame({
    "item_zh": ["男", "50岁", "石家庄", "三星", "安卓系统", "打电话", "后付费", "中高端消费者",
                "中高端安卓机型 长通话套餐买家"],
    "tag_group_zh": ["基础属性", "基础属性", "基础属性", "兴趣偏好", "兴趣偏好", "兴趣偏好", "兴趣偏好",
                     "消费能力", "预测标签"],
    "data_type": ["basic attribute", "basic attribute", "device environment",
                  "device environment", "device environment", "user behaviour",
                  "business behaviour", "derived tag", "derived tag"],
    "key_source": "crmlab (suite's own key; the courseware gives none)",
})

#: The term-list keys of :data:`UNICOM_DATA_KEY`'s ``data_type`` values (for ``i18n.localise``).
DATA_TYPE_TERMS = {"basic attribute": "basic_attribute",
                   "device environment": "device_environment_data",
                   "user behaviour": "user_behaviour_data",
                   "business behaviour": "business_behaviour_data",
                   "derived tag": "derived_tag"}


def _log(transactions, population, customer, date, contact, as_of, func):
    """Validated purchases (id, date), known people (id, last contact) and the analysis date."""
    require_columns(transactions, {"customer": customer, "date": date}, func=func,
                    arg="transactions")
    if len(transactions) == 0:
        raise InputError(f"{func}: `transactions` is empty; give at least one purchase (the "
                         f"people you know of without a purchase go in `population`).")
    ids = transactions[customer]
    if ids.isna().any():
        raise InputError(f"{func}: column {customer!r} has missing customer ids at rows "
                         f"{format_rows(ids.index[ids.isna().to_numpy()])}. Drop or fill them.")
    require_id_kind(ids, func=func, name=f"column {customer!r}")
    dates = require_dates(transactions[date], func=func, name=f"column {date!r}")
    log = pd.DataFrame({"id": ids.to_numpy(), "date": dates.to_numpy()})
    people = pd.DataFrame({"id": pd.Series([], dtype=object),
                           "contact": pd.Series([], dtype="datetime64[us]")})
    if population is not None:
        require_frame(population, func=func, arg="population")
        require_columns(population, [customer], func=func, arg="population")
        known = population[customer]
        repeated = known.duplicated(keep=False).to_numpy()
        if known.isna().any() or repeated.any():
            bad = known.isna().to_numpy() | repeated
            raise InputError(f"{func}: column {customer!r} of `population` must hold one "
                             f"non-missing id per person; got {known[bad].iloc[0]!r} at rows "
                             f"{format_rows(known.index[bad])}. Drop duplicates and blanks.")
        seen = (pd.Series(pd.NaT, index=population.index, dtype="datetime64[us]")
                if contact not in population.columns else
                _optional_dates(population[contact], func, f"column {contact!r} of `population`"))
        people = pd.DataFrame({"id": known.to_numpy(), "contact": seen.to_numpy()})
    last = log["date"].max()
    when = last if as_of is None else require_dates(pd.Series([as_of], dtype=object), func=func,
                                                    name="as_of").iloc[0]
    if when < last:
        late = transactions.index[(dates > when).to_numpy()]
        raise InputError(f"{func}: as_of {when.date()} is earlier than purchases at rows "
                         f"{format_rows(late)} (last {last.date()}). Choose a later as_of or "
                         f"drop the later rows.")
    return log, people, when


def _optional_dates(values, func, name):
    present = values.notna().to_numpy()
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us]")
    if present.any():
        out[present] = require_dates(values[present], func=func, name=name).to_numpy()
    return out


def _histories(log, people, when):
    """One row per person: purchases, first and last purchase, days since, last contact."""
    grouped = log.groupby("id", sort=True)["date"]
    table = pd.DataFrame({"purchases": grouped.size(), "first_purchase": grouped.min(),
                          "last_purchase": grouped.max()})
    extra = people.loc[~people["id"].isin(table.index)]
    if len(extra):
        table = pd.concat([table, pd.DataFrame(
            {"purchases": 0, "first_purchase": pd.NaT, "last_purchase": pd.NaT},
            index=pd.Index(extra["id"].to_numpy()))])
    try:            # people without a purchase join in id order, so a list of states is too
        table = table.sort_index(kind="stable")
    except TypeError:
        pass
    table.index.name = "customer_id"
    table["purchases"] = table["purchases"].astype(int)
    table["days_since_purchase"] = (when - table["last_purchase"]) / pd.Timedelta(days=1)
    contact = (people.set_index("id")["contact"] if len(people)
               else pd.Series(dtype="datetime64[us]"))
    table["last_contact"] = contact.reindex(table.index).astype("datetime64[us]")
    table["days_since_contact"] = (when - table["last_contact"]) / pd.Timedelta(days=1)
    return table


def customer_states(transactions: pd.DataFrame, population: pd.DataFrame | None = None, *,
                    customer: str = "customer_id", date: str = "date",
                    contact: str = "last_contact", as_of=None, lost_after: float = 365,
                    min_purchases: int = 2, contact_window: float | None = None,
                    engaged_within: float | None = None) -> pd.DataFrame:
    """Each person's state — non-customer, potential, actual or lost — under explicit rules.

    The courseware draws the states as a sequence (非客户 → 潜在客户 → 现实客户 → 流失客户)
    without defining them. These rules, first match wins, are **the suite's choice**; every
    threshold is a parameter:

    1. *actual* (现实客户): at least one purchase, the last one at most ``lost_after`` days
       before ``as_of``;
    2. *lost* (流失客户): at least one purchase, the last one longer ago;
    3. *potential* (潜在客户): no purchase, but a contact (an enquiry, a registration:
       ``population[contact]``) within ``contact_window`` days;
    4. *non-customer* (非客户): no purchase and no such contact.

    The rules read purchases only: a buyer who stopped buying is lost even if they used the
    app yesterday. ``engaged_within`` (off by default) keeps such a buyer actual: a buyer
    whose last purchase is older than ``lost_after`` but whose last contact is at most
    ``engaged_within`` days old still has a relationship with the firm (the courseware's 流失
    is the end of the relationship, lectures 2–4 ch. 3 §3.1.2).

    A buyer is never a non-customer or a potential customer: lectures 2–4 (ch. 4 §4.3)
    count first-time buyers (初次购买者) among the actual customers. ``min_purchases``
    separates first-time from repeat buyers (重复购买者) within actual and lost, in the
    column ``buyer``: fewer purchases than ``min_purchases`` is ``"first-time"``, at least
    as many ``"repeat"`` (with the default 2, exactly the one-time buyers are first-time).

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase, with ``customer`` and ``date`` columns; not empty.
    population : DataFrame, optional
        Everyone the firm knows of (one row per person, column ``customer``; optional dates
        of the last contact in ``contact``). People in the log are included anyway.
    as_of : date, optional
        Analysis date; default the log's last date.
    lost_after : float, default 365
        Days without a purchase after which a customer is lost; in (0, 36500].
    min_purchases : int, default 2
        Purchases that make a repeat buyer; 2 to 1000.
    contact_window : float, optional
        Days within which a contact makes a potential customer; default ``lost_after``.
    engaged_within : float, optional
        Days within which a contact keeps a buyer who has not bought for ``lost_after``
        days actual instead of lost; default None: purchases alone decide.

    Returns
    -------
    DataFrame
        Indexed by customer id: ``purchases``, ``first_purchase``, ``last_purchase``,
        ``days_since_purchase``, ``last_contact``, ``days_since_contact``, ``state``,
        ``buyer`` (``"first-time"``, ``"repeat"``, or ``""`` for people without a purchase)
        and ``rule`` (why, in words, in the session's language: :func:`crmlab.set_language`).

    Examples
    --------
    >>> log = pd.DataFrame({"customer_id": ["a", "a", "b", "c"],
    ...                     "date": ["2024-01-05", "2024-06-01", "2023-03-01", "2024-05-20"]})
    >>> known = pd.DataFrame({"customer_id": ["d", "e"], "last_contact": ["2024-06-10", None]})
    >>> customer_states(log, known, as_of="2024-06-30")[["purchases", "state", "buyer"]]
                 purchases         state       buyer
    customer_id
    a                    2        actual      repeat
    b                    1          lost  first-time
    c                    1        actual  first-time
    d                    0     potential
    e                    0  non-customer
    """
    func = "identify.customer_states"
    lost_after = require_number(lost_after, func=func, name="lost_after", low=0, high=36500,
                                low_open=True, hint="Give a number of days, e.g. 365.")
    min_purchases = require_integer(min_purchases, func=func, name="min_purchases", low=2,
                                    high=1000)
    window = lost_after if contact_window is None else require_number(
        contact_window, func=func, name="contact_window", low=0, high=36500, low_open=True,
        hint="Give a number of days, or None for lost_after.")
    engaged_days = None if engaged_within is None else require_number(
        engaged_within, func=func, name="engaged_within", low=0, high=36500, low_open=True,
        hint="Give a number of days, or None to let purchases alone decide.")
    log, people, when = _log(transactions, population, customer, date, contact, as_of, func)
    table = _histories(log, people, when)
    bought = table["purchases"] > 0
    recent = table["days_since_purchase"] <= lost_after
    interest = table["days_since_contact"] <= window
    engaged = bought & ~recent
    engaged &= False if engaged_days is None else table["days_since_contact"] <= engaged_days
    table["state"] = np.select([bought & (recent | engaged), bought, interest],
                               ["actual", "lost", "potential"], "non-customer")
    repeat = table["purchases"] >= min_purchases
    table["buyer"] = np.select([bought & repeat, bought], ["repeat", "first-time"], "")
    table["rule"] = _state_rules(table, bought & recent, bought, interest, repeat,
                                 min_purchases, lost_after, window)
    if engaged.any():
        but = _(", but a contact {c} days ago <= {engaged}")
        table.loc[engaged, "rule"] = [rule + but.format(c=c, engaged=f"{engaged_days:g}")
                                      for rule, c in zip(table.loc[engaged, "rule"],
                                                         table.loc[engaged, "days_since_contact"]
                                                         .round(1))]
    return table


def _state_rules(table, actual, bought, interest, repeat, min_purchases, lost_after, window):
    """The ``rule`` column of :func:`customer_states`: why each person is in its state, in
    the session's language."""
    templates = {
        (True, True): _("{n} purchases >= {m} (repeat buyer), last {d} days ago <= {lost}"),
        (True, False): _("{n} purchases < {m} (first-time buyer), last {d} days ago <= {lost}"),
        (False, True): _("{n} purchases >= {m} (repeat buyer), last {d} days ago > {lost}"),
        (False, False): _("{n} purchases < {m} (first-time buyer), last {d} days ago > {lost}"),
    }
    contact = _("no purchase, a contact within {window} days").format(window=f"{window:g}")
    silent = _("no purchase, no contact within {window} days").format(window=f"{window:g}")
    rows = zip(table["purchases"], table["days_since_purchase"].round(1), actual, bought,
               interest, repeat)
    return [templates[(now, many)].format(n=n, m=min_purchases, d=d, lost=f"{lost_after:g}")
            if buyer else contact if near else silent
            for n, d, now, buyer, near, many in rows]


def state_counts(states) -> pd.DataFrame:
    """Customers per state in the courseware's order (states with nobody shown as 0).

    ``states`` is :func:`customer_states`'s table or its ``state`` column. From the table,
    the counts of first-time and repeat buyers in each state are added (``first_time``,
    ``repeat``; always 0 for potential and non-customers, who have not bought).

    Examples
    --------
    >>> state_counts(pd.Series(["actual", "lost", "actual"]))
                  customers     share
    state
    non-customer          0  0.000000
    potential             0  0.000000
    actual                2  0.666667
    lost                  1  0.333333
    """
    func = "identify.state_counts"
    buyers = None
    if isinstance(states, pd.DataFrame):
        require_columns(states, ["state"], func=func, arg="states")
        if "buyer" in states.columns:
            buyers = states["buyer"]
        states = states["state"]
    if not isinstance(states, pd.Series):
        raise InputError(f"{func}: `states` must be the table of customer_states or its "
                         f"'state' column; got {type(states).__name__}.")
    unknown = ~states.isin(STATES)
    if unknown.any():
        raise InputError(f"{func}: unknown states, e.g. {states[unknown].iloc[0]!r} at rows "
                         f"{format_rows(states.index[unknown.to_numpy()])}; states are "
                         f"{list(STATES)}.")
    counts = states.value_counts().reindex(list(STATES), fill_value=0).astype(int)
    out = pd.DataFrame({"customers": counts})
    out.index.name = "state"
    out["share"] = counts / counts.sum() if counts.sum() else 0.0
    if buyers is not None:
        for column, kind in (("first_time", "first-time"), ("repeat", "repeat")):
            out[column] = (states[(buyers == kind).to_numpy()].value_counts()
                           .reindex(list(STATES), fill_value=0).astype(int))
    return out


def lifecycle_stages(transactions: pd.DataFrame, population: pd.DataFrame | None = None, *,
                     version: int = 6, customer: str = "customer_id", date: str = "date",
                     as_of=None, lost_after: float = 365, window: float = 180) -> pd.DataFrame:
    """Each person's lifecycle stage, in the courseware's 6- or 5-stage version.

    The courseware names the stages (:data:`LIFECYCLES`) but gives no rule; these rules,
    first match wins, are **the suite's choice**. ``r`` counts the purchases in the last
    ``window`` days, ``e`` those in the ``window`` days before:

    1. no purchase (someone in ``population`` only): potential (潜在客户期; 5-stage 潜在获取期);
    2. last purchase more than ``lost_after`` days ago: termination (客户终止期);
    3. first purchase within the last ``window`` days: development (客户开发(发展)期; 5-stage
       潜在获取期, which merges the two);
    4. ``r > e``: growth; ``r < e`` or ``r == 0``: decline; ``r == e``: maturity.

    Returns
    -------
    DataFrame
        Indexed by customer id: ``purchases``, ``recent`` (r), ``earlier`` (e), ``stage``
        and ``name_zh`` (the courseware's name).

    Examples
    --------
    >>> log = pd.DataFrame({"customer_id": ["a", "a", "a", "b", "b", "c", "d"],
    ...                     "date": ["2024-05-01", "2024-06-01", "2023-12-01", "2023-11-01",
    ...                              "2023-12-01", "2024-06-20", "2022-01-01"]})
    >>> lifecycle_stages(log, as_of="2024-06-30")[["recent", "earlier", "stage", "name_zh"]]
                 recent  earlier        stage       name_zh
    customer_id
    a                 2        1       growth  客户成长(维系)期
    b                 0        2      decline       客户衰退期
    c                 1        0  development  客户开发(发展)期
    d                 0        0  termination       客户终止期
    """
    func = "identify.lifecycle_stages"
    check_option(version, (5, 6), func=func, name="version")
    lost_after = require_number(lost_after, func=func, name="lost_after", low=0, high=36500,
                                low_open=True, hint="Give a number of days, e.g. 365.")
    window = require_number(window, func=func, name="window", low=0, high=36500,
                            low_open=True, hint="Give a number of days, e.g. 180.")
    log, people, when = _log(transactions, population, customer, date, "last_contact", as_of,
                             func)
    table = _histories(log, people, when)
    age = (when - log["date"]) / pd.Timedelta(days=1)
    recent = log[age < window].groupby("id").size()
    earlier = log[(age >= window) & (age < 2 * window)].groupby("id").size()
    table["recent"] = recent.reindex(table.index, fill_value=0).astype(int)
    table["earlier"] = earlier.reindex(table.index, fill_value=0).astype(int)
    first_days = (when - table["first_purchase"]) / pd.Timedelta(days=1)
    r, e = table["recent"], table["earlier"]
    stage = np.select([table["purchases"] == 0, table["days_since_purchase"] > lost_after,
                       first_days < window, r > e, (r < e) | (r == 0)],
                      ["potential", "termination", "development", "growth", "decline"],
                      "maturity")
    if version == 5:
        stage = np.where(np.isin(stage, ["potential", "development"]), "acquisition", stage)
    names = LIFECYCLES[LIFECYCLES["version"] == version].set_index("stage")["name_zh"]
    table["stage"] = stage
    table["name_zh"] = names.reindex(stage).to_numpy()
    return table[["purchases", "first_purchase", "last_purchase", "days_since_purchase",
                  "recent", "earlier", "stage", "name_zh"]]


def linkage_quality(found, truth) -> pd.Series:
    """Pairwise precision and recall of a merge against the ground truth.

    ``found`` and ``truth`` give, for the same records in the same order, the customer id
    the merge assigned and the true person id; a missing id (a rejected record, a junk
    row) is a record alone. A pair of records is *found* if they share a customer id and
    *true* if they share a person id. Precision = correct pairs / found pairs; recall =
    correct pairs / true pairs (NaN when there are none).

    Examples
    --------
    >>> linkage_quality(["C1", "C1", "C1", "C2"], ["P1", "P1", "P2", "P2"])[
    ...     ["pairs_found", "pairs_true", "pairs_correct", "precision", "recall"]].tolist()
    [3.0, 2.0, 1.0, 0.3333333333333333, 0.5]
    """
    func = "identify.linkage_quality"
    a = pd.Series(list(found), dtype=object)
    b = pd.Series(list(truth), dtype=object)
    if len(a) != len(b):
        raise InputError(f"{func}: `found` has {len(a)} ids and `truth` {len(b)}; give one of "
                         f"each per record, in the same order.")
    alone = [f"\x00{k}" for k in range(len(a))]
    a = a.where(a.notna(), pd.Series(alone, dtype=object))
    b = b.where(b.notna(), pd.Series(alone, dtype=object))

    def pairs(counts):
        return float((counts * (counts - 1) // 2).sum())

    found_pairs, true_pairs = pairs(a.value_counts()), pairs(b.value_counts())
    correct = pairs(pd.DataFrame({"a": a, "b": b}).value_counts())
    precision = correct / found_pairs if found_pairs else np.nan
    recall = correct / true_pairs if true_pairs else np.nan
    f1 = (2 * precision * recall / (precision + recall)
          if found_pairs and true_pairs and precision + recall else np.nan)
    return pd.Series({"records": float(len(a)), "pairs_found": found_pairs,
                      "pairs_true": true_pairs, "pairs_correct": correct,
                      "precision": precision, "recall": recall, "f1": f1})
