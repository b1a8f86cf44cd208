"""The identification pipeline on a customer file: clean, deduplicate, merge, update.

Steps 3 and 4 of the courseware's identification process — 整合、管理信息 (清洗、整理 →
录入 → 分析与整理) and 更新信息 — as functions a chapter runs one at a time:

* :func:`clean_customers` — normalise names, phones (``+86``, spaces, full-width digits),
  birth dates (``1985/3/7``, ``19850307``, ``1985年3月7日``), cities (市, pinyin, typos
  such as 杭洲) and e-mails; problems are written into an ``issues`` column, nothing is
  dropped. :func:`compare_records` lists every cell that changed.
* :func:`find_duplicates` — rule-based record linkage: which records share a normalised
  phone, an e-mail, a name and birth date, … (:data:`RULES`; records of different kinds
  never link).
* :func:`single_customer_view` — merge the linked records into one row per customer (the
  "single customer view" / 360° view of the Union Bank of Norway case), with a report of
  what was merged and why, and the rows rejected and why.
* :func:`update_customers` — apply a newer extract; every changed field is logged.
* :func:`crmlab.identify.linkage_quality` measures a merge against known ground truth;
  :data:`crmlab.identify.RECORD_WORDS` shows the pipeline's notes in either language.

A rule is a choice: a shared phone also links spouses who share one, and a typo in a phone
splits a person in two. :func:`crmlab.synthetic.make_customer_file` makes a messy file
with ground truth to measure both.

References
----------
Lectures 2–4 (《客户关系管理（第2.3.4讲）》), ch. 3 §3.2.3 (客户识别过程), §3.5 整合、管理信息,
§3.6 更新客户信息. Case collection (《客户关系管理案例库》), case 5 (挪威联合银行: customer data
scattered over several systems, one unified view "to determine who their customers are").
Christen, P. (2012). *Data Matching*. Springer (record linkage; pairwise precision, recall).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from typing import NamedTuple

import numpy as np
import pandas as pd

from ._validation import InputError, check_option, format_rows, require_columns, require_frame
from .privacy import normalise_phone

__all__ = ["CITIES", "DEFAULT_RULES", "RULES", "SOURCE_PRIORITY", "SingleView", "Updated",
           "clean_customers", "compare_records", "find_duplicates", "single_customer_view",
           "update_customers"]

#: Cities the cleaner knows; a name one character away from exactly one of them is corrected.
CITIES = ("北京", "上海", "天津", "重庆", "广州", "深圳", "杭州", "南京", "苏州", "武汉", "成都",
          "西安", "郑州", "石家庄", "长沙", "济南", "青岛", "沈阳", "哈尔滨", "合肥", "福州", "厦门",
          "昆明", "大连", "宁波")
_PINYIN = dict(zip(
    "beijing shanghai tianjin chongqing guangzhou shenzhen hangzhou nanjing suzhou wuhan chengdu "
    "xian xi'an zhengzhou shijiazhuang changsha jinan qingdao shenyang harbin hefei fuzhou xiamen "
    "kunming dalian ningbo".split(), [*CITIES[:12], *CITIES[11:]]))

#: Linkage rules: name -> (kinds it applies to, the columns whose values must all agree).
RULES = {"phone": (("individual", "organisation"), ("phone",)),
         "email": (("individual", "organisation"), ("email",)),
         "name+birth_date": (("individual",), ("name", "birth_date")),
         "org_name+city": (("organisation",), ("org_key", "city")),
         "name+city": (("individual",), ("name", "city"))}

#: The rules :func:`single_customer_view` uses unless told otherwise (not the loose
#: ``"name+city"``, which links namesakes in one city).
DEFAULT_RULES = ("phone", "email", "name+birth_date", "org_name+city")

#: When records disagree and have the same ``updated`` date, the earlier source wins.
SOURCE_PRIORITY = ("store", "eshop", "callcentre")

_KINDS = dict.fromkeys(("individual", "person", "个人", "个人客户"), "individual") | dict.fromkeys(
    ("organisation", "organization", "company", "企业", "组织", "企业客户"), "organisation")
_GENDERS = {"m": "M", "male": "M", "男": "M", "先生": "M", "f": "F", "female": "F", "女": "F",
            "女士": "F"}
_PLACEHOLDERS = {"测试", "test", "无", "未知", "xxx", "客户", "匿名", "n/a", "na", "none", "-"}
_EMAIL = re.compile(r"^[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$")
_ORG_SUFFIX = re.compile(r"(股份有限公司|有限责任公司|有限公司|集团|公司)$")
_BOOK = ("record_id", "source", "issues")


def _blank(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value)
                             and pd.isna(value))


def _text(value) -> str | None:
    """NFKC text (full-width letters, digits and spaces become ASCII), stripped; None if blank."""
    return None if _blank(value) else unicodedata.normalize("NFKC", str(value)).strip() or None


def _birth(value):
    if isinstance(value, pd.Timestamp):
        return value.normalize()
    text = _text(value)
    if text is None:
        return None
    text = re.sub(r"[年月./]", "-", text).rstrip("日").strip("-")
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    stamp = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    return None if pd.isna(stamp) else stamp


def _city(value, cities):
    text = _text(value)
    if text is None:
        return None, ""
    text = _PINYIN.get(text.lower().replace(" ", ""), text)
    text = re.sub(r"\s", "", text)
    if text not in cities and text.endswith("市") and text[:-1]:
        text = text[:-1]
    if text in cities:
        return text, ""
    close = [c for c in cities if len(c) == len(text) and sum(a != b for a, b in zip(c, text)) == 1]
    if len(close) == 1:
        return close[0], ""
    return text, "city: not a known city"


def clean_customers(raw: pd.DataFrame, *, cities=CITIES) -> pd.DataFrame:
    """Step 3a, cleaning (清洗、整理): one canonical form per field; problems noted, no row dropped.

    Cleans the columns it finds among ``kind``, ``name``, ``gender``, ``birth_date``,
    ``phone``, ``email`` and ``city`` (``record_id``, ``name`` and ``phone`` are required;
    ``record_id`` must be unique). Full-width characters become ASCII everywhere; Chinese
    names lose their spaces; phones become ``13812345678`` / ``0311-87654321``; dates
    become Timestamps; gender ``M``/``F``; kind ``individual``/``organisation``; cities
    lose 市, pinyin becomes Chinese and a one-character typo of exactly one of ``cities``
    is corrected; e-mails are lower-cased. A value that cannot be read becomes missing and
    is named in the new ``issues`` column; organisations also get ``org_key`` (their name
    without 有限公司 and the like), used for linkage.

    Examples
    --------
    >>> raw = pd.DataFrame({"record_id": ["a", "b"], "name": ["张 三", "ACME有限公司"],
    ...                     "kind": ["个人", "企业"], "phone": ["+86 １３８-1234-5678", "12"],
    ...                     "birth_date": ["1985年3月7日", None], "city": ["杭洲", "Beijing"]})
    >>> clean_customers(raw)[["name", "phone", "birth_date", "city", "issues"]]
          name        phone birth_date city                   issues
    0       张三  13812345678 1985-03-07   杭州
    1  ACME有限公司         None        NaT   北京  phone: not a phone number
    """
    func = "customer_file.clean_customers"
    require_columns(raw, ["record_id", "name", "phone"], func=func, arg="raw")
    _unique_ids(raw, func, "raw")
    cities = tuple(cities)
    out = raw.copy()
    issues = [[] for _ in range(len(out))]

    def note(column, bad):
        for k in np.flatnonzero(bad):
            issues[k].append(column)

    if "kind" in out:
        kinds = [_KINDS.get((_text(v) or "").lower()) for v in out["kind"]]
        note("kind: not individual or organisation", [k is None for k in kinds])
        out["kind"] = pd.Series(kinds, index=out.index, dtype=object)
    for column in ("name", "contact_name"):
        if column in out:
            out[column] = [_name(v) for v in out[column]]
    phones = normalise_phone(out["phone"])
    note("phone: not a phone number", phones.isna() & out["phone"].map(_text).notna())
    out["phone"] = phones
    if "gender" in out:
        out["gender"] = [_GENDERS.get((_text(v) or "").lower()) for v in out["gender"]]
    if "birth_date" in out:
        born = pd.Series([_birth(v) for v in out["birth_date"]], index=out.index, dtype=object)
        note("birth_date: not a date", born.isna() & out["birth_date"].map(_text).notna())
        out["birth_date"] = pd.to_datetime(born).astype("datetime64[us]")
    if "email" in out:
        mails = [(_text(v) or "").lower().replace(" ", "") or None for v in out["email"]]
        note("email: not an e-mail address", [m is not None and not _EMAIL.match(m) for m in mails])
        out["email"] = [m if m and _EMAIL.match(m) else None for m in mails]
    if "city" in out:
        fixed = [_city(v, cities) for v in out["city"]]
        out["city"] = [c for c, _ in fixed]
        note("city: not a known city", [bool(problem) for _, problem in fixed])
    if "kind" in out:
        out["org_key"] = [(_ORG_SUFFIX.sub("", n) or n) if k == "organisation" and n else None
                          for k, n in zip(out["kind"], out["name"])]
    out["issues"] = ["; ".join(i) for i in issues]
    return out


def _name(value):
    text = _text(value)
    if text is None:
        return None
    if re.search(r"[\u4e00-\u9fff]", text):
        return re.sub(r"\s+", "", text)
    return re.sub(r"\s+", " ", text).title()


def _unique_ids(frame, func, arg, key="record_id"):
    ids = frame[key]
    bad = ids.isna().to_numpy() | ids.duplicated(keep=False).to_numpy()
    if bad.any():
        raise InputError(f"{func}: column {key!r} of `{arg}` must hold one unique id per "
                         f"record; got {ids[bad].iloc[0]!r} at rows {format_rows(ids.index[bad])}. "
                         f"Give every record its own id, e.g. source + row number.")


def _rejections(clean: pd.DataFrame) -> pd.Series:
    """Why a cleaned record cannot be linked to a customer ('' if it can)."""
    def column(name):
        return clean[name].tolist() if name in clean else [None] * len(clean)

    reasons = []
    for kind, name, phone, email, born, city in zip(
            column("kind"), column("name"), column("phone"), column("email"),
            column("birth_date"), column("city")):
        if kind not in ("individual", "organisation"):
            reasons.append("kind unknown: individual or organisation?")
        elif _blank(name) or str(name).lower() in _PLACEHOLDERS:
            reasons.append("no real name (missing or a placeholder such as 测试)")
        elif _blank(phone) and _blank(email) and not (
                (kind == "individual" and not _blank(born))
                or (kind == "organisation" and not _blank(city))):
            reasons.append("no identifier: no valid phone or e-mail, no birth date or city")
        else:
            reasons.append("")
    return pd.Series(reasons, index=clean.index, dtype=object)


def _rules(rules, func, clean=None) -> tuple:
    if rules is None:
        return tuple(r for r in DEFAULT_RULES if all(c in clean.columns for c in RULES[r][1]))
    if isinstance(rules, str):
        rules = (rules,)
    try:
        rules = tuple(rules)
    except TypeError:
        raise InputError(f"{func}: rules must be a sequence of rule names from "
                         f"{list(RULES)}; got {rules!r}.") from None
    if not rules:
        raise InputError(f"{func}: rules is empty; give at least one of {list(RULES)}.")
    for rule in rules:
        check_option(rule, list(RULES), func=func, name="each rule")
    return rules


def find_duplicates(clean: pd.DataFrame, *, rules=None) -> pd.DataFrame:
    """Step 3b, deduplication: pairs of records that a rule says are the same customer.

    A rule of :data:`RULES` links two records of the same ``kind`` whose rule columns are
    all present and equal after :func:`clean_customers` (so ``+86 138…`` and ``138 …``
    match). Rejected records (see :func:`single_customer_view`) are left out. ``rules=None``
    uses the :data:`DEFAULT_RULES` whose columns ``clean`` has; rules named explicitly
    need their columns.

    Returns
    -------
    DataFrame
        One row per linked pair and rule: ``record_a``, ``record_b``, ``rule``, ``key``
        (the shared value).

    Examples
    --------
    >>> clean = clean_customers(pd.DataFrame({"record_id": ["a", "b", "c"], "kind": "个人",
    ...     "name": ["张三", "张 三", "李四"], "phone": ["138 1234 5678", "+8613812345678", None],
    ...     "email": [None, None, "li@qq.com"]}))
    >>> find_duplicates(clean)
      record_a record_b   rule          key
    0        a        b  phone  13812345678
    """
    func = "customer_file.find_duplicates"
    require_columns(clean, ["record_id", "kind", "issues"], func=func, arg="clean")
    rules = _rules(rules, func, clean)
    needed = sorted({c for r in rules for c in RULES[r][1]})
    require_columns(clean, needed, func=func, arg="clean")
    usable = clean[_rejections(clean) == ""]
    pairs = []
    for rule in rules:
        kinds, columns = RULES[rule]
        part = usable[usable["kind"].isin(kinds)].dropna(subset=list(columns))
        keys = part[list(columns)].astype(str).agg("|".join, axis=1)
        groups = defaultdict(list)
        for record, kind, key in zip(part["record_id"], part["kind"], keys):
            groups[(kind, key)].append(record)
        for (_, key), records in groups.items():
            for i, a in enumerate(records):
                pairs += [(a, b, rule, key) for b in records[i + 1:]]
    return pd.DataFrame(pairs, columns=["record_a", "record_b", "rule", "key"])


class SingleView(NamedTuple):
    """What :func:`single_customer_view` returns: three tidy frames."""
    customers: pd.DataFrame   #: one row per customer
    report: pd.DataFrame      #: one row per input record: where it went and why
    rejected: pd.DataFrame    #: the records that could not be used, with the reason


def single_customer_view(clean: pd.DataFrame, *, rules=None,
                         priority=SOURCE_PRIORITY) -> SingleView:
    """Step 3c, merging: one row per customer from the linked records (the single view).

    Records linked by :func:`find_duplicates`, directly or through others, are one
    customer (``C0001`` …, numbered in order of their first record id); ``rules`` as in
    :func:`find_duplicates`. Each field takes
    the first present value among the customer's records, newest ``updated`` first, ties
    by ``priority`` of ``source``. Records without a kind, a real name or any identifier
    are rejected, reported and kept out — never silently dropped.

    Returns
    -------
    SingleView
        ``customers``: the merged fields plus ``records`` (how many), ``record_ids``,
        ``sources`` and ``conflicts`` (fields on which the records disagreed);
        ``report``: per input record ``customer_id``, ``status`` ("merged", "single" or
        "rejected"), ``matched_by`` (the rules that linked it), ``linked_to`` and
        ``reason``; ``rejected``: the rejected records with their ``reason``.

    Examples
    --------
    >>> clean = clean_customers(pd.DataFrame({"record_id": ["a", "b", "c", "d"],
    ...     "kind": "个人", "name": ["张三", "张 三", "李四", "测试"],
    ...     "phone": ["138 1234 5678", "+8613812345678", "13900001111", "000"],
    ...     "city": ["杭州", "北京", None, None], "source": ["store", "eshop", "store", "eshop"],
    ...     "updated": ["2024-01-01", "2025-01-01", "2024-05-01", "2024-05-01"]}))
    >>> view = single_customer_view(clean)
    >>> view.customers[["customer_id", "name", "city", "records", "conflicts"]]
      customer_id name city  records conflicts
    0       C0001   张三   北京        2      city
    1       C0002   李四  NaN        1
    >>> view.report[["record_id", "customer_id", "matched_by", "status"]]
      record_id customer_id matched_by    status
    0         a       C0001      phone    merged
    1         b       C0001      phone    merged
    2         c       C0002               single
    3         d         NaN             rejected
    """
    func = "customer_file.single_customer_view"
    pairs = find_duplicates(clean, rules=rules)
    priority = list(priority) if not isinstance(priority, str) else [priority]
    reasons = _rejections(clean)
    ids = clean["record_id"].tolist()
    parent = {r: r for r in ids}

    def root(r):
        while parent[r] != r:
            parent[r] = parent[parent[r]]
            r = parent[r]
        return r

    for a, b in zip(pairs["record_a"], pairs["record_b"]):
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb, key=str)] = min(ra, rb, key=str)
    kept = clean[(reasons == "").to_numpy()]
    cluster = pd.Series([root(r) for r in kept["record_id"]], index=kept.index)
    first = kept["record_id"].astype(str).groupby(cluster.to_numpy()).min().sort_values()
    customer = cluster.map({r: f"C{k + 1:04d}" for k, r in enumerate(first.index)})
    rank = kept.assign(_customer=customer.to_numpy())
    rank["_updated"] = (pd.to_datetime(rank["updated"], errors="coerce") if "updated" in rank
                        else pd.NaT)
    rank["_source"] = [priority.index(s) if s in priority else len(priority)
                       for s in (rank["source"] if "source" in rank else [""] * len(rank))]
    rank = rank.sort_values(["_customer", "_updated", "_source", "record_id"],
                            ascending=[True, False, True, True], na_position="last")
    fields = [c for c in clean.columns if c not in _BOOK]
    grouped = rank.groupby("_customer", sort=True)
    customers = grouped[fields].first() if fields else pd.DataFrame(index=grouped.size().index)
    text = rank[fields].astype(str).where(rank[fields].notna())
    differ = text.groupby(rank["_customer"]).nunique().drop(columns="updated", errors="ignore") > 1
    customers["records"] = grouped.size()
    customers["record_ids"] = grouped["record_id"].agg(lambda x: "|".join(sorted(map(str, x))))
    customers["sources"] = (grouped["source"].agg(lambda x: "|".join(sorted(set(map(str, x)))))
                            if "source" in rank else "")
    customers["conflicts"] = ["|".join(f for f in differ.columns if row[f]) for _, row in
                              differ.reindex(customers.index).iterrows()]
    customers = customers.rename_axis("customer_id").reset_index()
    for field in fields:
        if clean[field].dtype.kind in "iufMb" or isinstance(clean[field].dtype,
                                                              pd.api.extensions.ExtensionDtype):
            customers[field] = customers[field].astype(clean[field].dtype)
    how = defaultdict(set)
    for a, b, rule in zip(pairs["record_a"], pairs["record_b"], pairs["rule"]):
        how[a].add(rule)
        how[b].add(rule)
    cid_of = dict(zip(kept["record_id"], customer))
    members = defaultdict(list)
    for record, cid in cid_of.items():
        members[cid].append(record)
    report = pd.DataFrame({
        "record_id": clean["record_id"].to_numpy(),
        "source": clean["source"].to_numpy() if "source" in clean else None,
        "customer_id": [cid_of.get(r) for r in ids],
        "status": ["rejected" if r not in cid_of else
                   "merged" if len(members[cid_of[r]]) > 1 else "single" for r in ids],
        "matched_by": ["|".join(sorted(how[r])) for r in ids],
        "linked_to": ["|".join(str(x) for x in members[cid_of[r]] if x != r)
                      if r in cid_of else "" for r in ids],
        "reason": reasons.to_numpy(),
    })
    rejected = clean[(reasons != "").to_numpy()].assign(reason=reasons[reasons != ""])
    return SingleView(customers, report, rejected)


def compare_records(old: pd.DataFrame, new: pd.DataFrame, *,
                    key: str = "record_id") -> pd.DataFrame:
    """Every cell that differs between two versions of the same records (matched by ``key``).

    Only columns in both frames and keys in both are compared; two missing values are
    equal. Use it to see what :func:`clean_customers` changed, or what an update will.

    Examples
    --------
    >>> old = pd.DataFrame({"record_id": ["a", "b"], "city": ["杭洲", "北京"]})
    >>> compare_records(old, clean_customers(old.assign(name="x", phone=None)))
      record_id field  old new
    0         a  city   杭洲  杭州
    """
    func = "customer_file.compare_records"
    for arg, frame in (("old", old), ("new", new)):
        require_columns(frame, [key], func=func, arg=arg)
        _unique_ids(frame, func, arg, key)
    a, b = old.set_index(key), new.set_index(key)
    keys = [k for k in a.index if k in b.index]
    rows = []
    for field in [c for c in a.columns if c in b.columns]:
        for k in keys:
            x, y = a.at[k, field], b.at[k, field]
            if not (_blank(x) and _blank(y)) and (_blank(x) or _blank(y) or str(x) != str(y)):
                rows.append((k, field, x, y))
    return pd.DataFrame(rows, columns=[key, "field", "old", "new"])


class Updated(NamedTuple):
    """What :func:`update_customers` returns."""
    customers: pd.DataFrame   #: the view with the extract applied
    changes: pd.DataFrame     #: one row per changed field, and per extract row not applied


def update_customers(customers: pd.DataFrame, extract: pd.DataFrame, *,
                     key: str = "customer_id", report: pd.DataFrame | None = None) -> Updated:
    """Step 4, updating (更新信息): apply a newer extract and log every changed field.

    Each extract row is matched to a customer by ``key`` — or, with ``report`` (from
    :func:`single_customer_view`), by its ``record_id``. Present values replace the old
    ones; a blank never erases a value. Rows are applied in order (a later row wins).
    Rows of unknown customers are not applied: they are logged ("unknown customer"), to
    go through cleaning and linkage as new records.

    Returns
    -------
    Updated
        ``customers`` and ``changes``: ``customer_id``, ``field``, ``old``, ``new`` and
        ``action`` ("changed", "filled" — a missing value supplied —, "unknown customer").

    Examples
    --------
    >>> view = pd.DataFrame({"customer_id": ["C1", "C2"], "city": ["杭州", None]})
    >>> new = pd.DataFrame({"customer_id": ["C1", "C2", "C9"], "city": ["北京", "上海", "西安"]})
    >>> update_customers(view, new).changes
      customer_id field  old  new            action
    0          C1  city   杭州   北京           changed
    1          C2  city  NaN   上海            filled
    2          C9   NaN  NaN  NaN  unknown customer
    """
    func = "customer_file.update_customers"
    require_columns(customers, [key], func=func, arg="customers")
    require_frame(extract, func=func, arg="extract")
    if report is not None:
        require_columns(report, ["record_id", "customer_id"], func=func, arg="report")
        require_columns(extract, ["record_id"], func=func, arg="extract")
        mapping = dict(zip(report["record_id"], report["customer_id"]))
        extract = extract.assign(**{key: [mapping.get(r) for r in extract["record_id"]]})
    require_columns(extract, [key], func=func, arg="extract")
    _unique_ids(customers, func, "customers", key)
    ids = customers[key]
    skip = {key, "record_id", "source", "issues", "synthetic", "org_key"}
    unknown = [c for c in extract.columns if c not in customers.columns and c not in skip]
    if unknown:
        raise InputError(f"{func}: `extract` has columns the customers table lacks: {unknown}; "
                         f"drop them, or add them to the customers table first.")
    out = customers.copy()
    position = {k: i for i, k in enumerate(ids)}
    log = []
    fields = [c for c in extract.columns if c not in skip]
    for _, row in extract.iterrows():
        if row[key] not in position:
            log.append((row[key] if not _blank(row[key]) else row.get("record_id"), None, None,
                        None, "unknown customer"))
            continue
        i = position[row[key]]
        for field in fields:
            new, old = row[field], out[field].iloc[i]
            if _blank(new) or (not _blank(old) and str(old) == str(new)):
                continue
            if field != "updated":
                log.append((row[key], field, None if _blank(old) else old, new,
                            "filled" if _blank(old) else "changed"))
            try:
                out.iloc[i, out.columns.get_loc(field)] = new
            except (TypeError, ValueError):               # e.g. 4.5 into whole numbers
                out[field] = out[field].astype(object)
                out.iloc[i, out.columns.get_loc(field)] = new
    changes = pd.DataFrame(log, columns=[key, "field", "old", "new", "action"])
    return Updated(out, changes)
