"""Customer-information security (保护客户信息安全): pseudonyms, masking, a scanner, the law.

The fifth step of the courseware's identification process asks 信息是否有泄漏? 有没有侵犯客户
隐私? (any leak? any privacy violation?). This module gives the analyst's answers:

* :func:`pseudonymise` — replace an identifier by a salted SHA-256 pseudonym: the same id
  and salt always give the same pseudonym, so tables still join; without the salt nobody
  can recompute it from a guessed phone number. A salt that must stay secret is a key: in
  production use a keyed hash (HMAC, :mod:`hmac`), which is built for this.
* :func:`mask_phone` and :func:`mask_name` — show a mobile number as ``138****5678`` (the
  usual 3-4-4 form) and a name as ``张**`` or ``欧阳**``. They never raise: a value that is
  not a recognisable phone number or name comes back fully masked, a missing one missing.
* :func:`scan_personal_data` — which columns of a table hold raw personal identifiers
  (mobile numbers, resident ID-card numbers, e-mail addresses, names), with masked examples.
* :func:`penalty_table` — the courseware's data-ethics penalty table, each year checked
  (the year of the incident and the year of the fine are different things).
* :func:`pipl_fine_ceiling` — the ceiling of PIPL Article 66 for serious cases: up to
  ¥50 million **or** up to 5% of the previous year's turnover; the courseware shortens it
  to "最高可处营业额5%罚款".

Pseudonymised and masked data are still personal information under the PIPL (Art. 4;
Art. 73 separates 去标识化, de-identification, from 匿名化, anonymisation): masking and
salting reduce the risk, they do not take a table out of the law, which also asks that no
more be collected than the purpose needs (Art. 6, minimum necessary).

References
----------
Courseware ch. 3 (《客户关系管理课件》第3章), §1 讨论: 数据应用中的伦理边界在哪里? (the penalty
table; the features of Chinese regulation: 高额惩处, "最高可处营业额5%罚款(个人信息保护法第66条)");
§2 客户信息安全管理. Lectures 2–4, ch. 3 §3.2.3 (step 5, 信息安全) and §3.7 保护客户信息安全.
《中华人民共和国个人信息保护法》 (PIPL, 2021), Art. 4, Art. 6, Art. 66 and Art. 73.
GB 11643-1999 公民身份号码 (the ID-card number and its ISO 7064 MOD 11-2 check digit).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import numpy as np
import pandas as pd

from .i18n import N_, Words
from ._validation import (
    InputError,
    check_option,
    format_rows,
    format_value,
    require_frame,
    require_in_range,
    require_integer,
    require_numeric,
    require_vector,
)

__all__ = ["MASKED_PHONE", "PIPL_ARTICLE_66", "YEAR_IS_WORDS", "mask_name", "mask_phone",
           "normalise_phone", "penalty_table", "pipl_fine_ceiling", "pseudonymise",
           "scan_personal_data"]

#: Display text of :func:`penalty_table`'s ``year_is`` (which year the courseware's 时间 is),
#: translated where shown (``i18n.localise``).
YEAR_IS_WORDS = Words({"fine": N_("fine"), "incident": N_("incident"),
                       "unchecked": N_("unchecked")})

#: A value :func:`mask_phone` cannot read as a mobile number, masked whole: eleven ``*``, the
#: width of a masked mobile number, whatever the value's own length.
MASKED_PHONE = "*" * 11

#: PIPL Art. 66 in numbers (yuan). Para. 1: 责令改正… 拒不改正的, 并处一百万元以下罚款 (persons
#: responsible 一万元以上十万元以下). Para. 2, 情节严重的: 五千万元以下或者上一年度营业额百分之五以下
#: 罚款 (persons responsible 十万元以上一百万元以下).
PIPL_ARTICLE_66 = {"refusing_to_correct": 1_000_000, "serious_fixed": 50_000_000,
                   "serious_turnover_share": 0.05, "person_refusing": (10_000, 100_000),
                   "person_serious": (100_000, 1_000_000)}

#: Two-character surnames kept whole by :func:`mask_name`.
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
                     "宇文", "司徒", "夏侯", "令狐", "澹台", "端木", "轩辕", "独孤", "南宫", "西门",
                     "百里", "呼延", "闻人", "申屠", "万俟", "钟离", "赫连", "太史", "第五", "公羊")

#: Common one-character surnames: what the scanner takes as the start of a Chinese name.
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
            "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
            "龚邵万钱严覃武戴莫孔向汤")

_MOBILE = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)")
_ID_CARD = re.compile(r"(?<![\dXx])(\d{17}[\dXx])(?![\dXx])")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_HAN_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
_LATIN_NAME = re.compile(r"^[A-Za-z][A-Za-z .'-]{0,60}$")
_NAME_COLUMNS = ("name", "姓名", "名字", "客户名", "联系人", "contact", "surname", "first_name",
                 "last_name", "fullname", "full_name", "customer_name", "contact_name")


def _text(value) -> str | None:
    """A cell as NFKC-normalised text (full-width digits become ASCII); None if blank."""
    if value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value)
                         and pd.isna(value)):
        return None
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip() or None


def _blank(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value)
                             and pd.isna(value))


def _phone(value) -> str | None:
    """A mainland mobile (11 digits) or a landline ("0AA-NNNNNNNN"); None if it is neither."""
    text = _text(value)
    if text is None:
        return None
    digits = re.sub(r"[\s\-().]", "", text)
    digits = re.sub(r"^(\+86|0086)", "", digits)
    if not digits.isdigit():
        return None
    if len(digits) == 13 and digits.startswith("86") and digits[2] == "1":
        digits = digits[2:]
    if re.fullmatch(r"1[3-9]\d{9}", digits):
        return digits
    if re.fullmatch(r"0[1-9]\d{8,10}", digits):
        area = 3 if digits[1] in "12" else 4
        if 7 <= len(digits) - area <= 8 and digits[area] not in "01":
            return f"{digits[:area]}-{digits[area:]}"
    return None


def normalise_phone(values, *, errors: str = "coerce"):
    """Phone numbers in one canonical form: ``13812345678`` or ``0311-87654321``.

    Spaces, hyphens, brackets, full-width digits and ``+86``/``0086`` are removed; what is
    left must be a mainland mobile number (11 digits, 13–19) or a landline (area code, 7–8
    digits). Anything else becomes None with ``errors="coerce"`` (never raises), or is
    refused with ``errors="raise"``, naming the first malformed numbers and their rows.
    One value gives one result; several give a Series (same index for a Series).

    Examples
    --------
    >>> normalise_phone(["+86 138-1234-5678", "１３８ １２３４ ５６７８", "0311 8765 4321",
    ...                  "12345", None]).tolist()
    ['13812345678', '13812345678', '0311-87654321', None, None]
    >>> normalise_phone(["13812345678", "1381234"], errors="raise")
    Traceback (most recent call last):
    ...
    crmlab._validation.InputError: privacy.normalise_phone: `values` has malformed phone numbers, e.g. '1381234' at rows [1]. ...
    """
    func = "privacy.normalise_phone"
    check_option(errors, ("coerce", "raise"), func=func, name="errors")
    out = _each(values, _phone)
    if errors == "raise":
        cells = out if isinstance(out, pd.Series) else pd.Series([out], dtype=object)
        raw = values if isinstance(values, pd.Series) else pd.Series(
            list(values) if isinstance(out, pd.Series) else [values], index=cells.index,
            dtype=object)
        bad = cells.isna().to_numpy() & ~np.array([_blank(v) for v in raw], dtype=bool)
        if bad.any():
            raise InputError(f"{func}: `values` has malformed phone numbers, e.g. "
                             f"{format_value(raw[bad].iloc[0])} at rows "
                             f"{format_rows(raw.index[bad])}. A phone is a mainland mobile (11 "
                             f"digits, 13–19) or a landline with its area code (0311-87654321); "
                             f"fix or blank these cells, or pass errors='coerce' to make them "
                             f"None.")
    return out


def mask_phone(values):
    """Mask mobile numbers in the 3-4-4 form: ``13812345678`` → ``138****5678``.

    The number is read as :func:`normalise_phone` reads it (spaces, hyphens, full-width
    digits, ``+86``). Anything that is not a mainland mobile number (11 digits starting
    13–19) — a landline, a typo, text, bytes, an empty string — becomes :data:`MASKED_PHONE`,
    eleven ``*`` whatever its length, so the mask does not tell how long the value was (a
    landline's 12 characters and a typo's 5 look alike); a missing value stays missing.
    Never raises.

    Parameters
    ----------
    values : str, or list / array / Series of values
        One value gives one string; several give a Series (same index for a Series).

    Examples
    --------
    >>> mask_phone("138 1234 5678"), mask_phone("+86 １３９-0000-1111")
    ('138****5678', '139****1111')
    >>> mask_phone("12345"), mask_phone("0311-87654321"), mask_phone(None)
    ('***********', '***********', None)
    """
    return _each(values, _mask_phone_one)


def _mask_phone_one(value):
    if _blank(value):
        return None
    phone = _phone(value)
    if phone is not None and len(phone) == 11:
        return f"{phone[:3]}****{phone[7:]}"
    return MASKED_PHONE


def mask_name(values):
    """Mask names: keep the surname, hide the given name: ``张三丰`` → ``张**``, ``欧阳娜娜`` →
    ``欧阳**`` (two-character surnames of :data:`COMPOUND_SURNAMES` are kept whole).

    The given name always becomes ``**``, so the mask does not tell its length. A name in
    Latin letters keeps its first letter (``Smith`` → ``S**``); anything else (digits,
    symbols, an empty string) is masked whole as ``***``; a missing value stays missing.
    Never raises.

    Examples
    --------
    >>> mask_name(["张三", "欧阳娜娜", " 李 小龙 ", "Smith", "13812345678", ""]).tolist()
    ['张**', '欧阳**', '李**', 'S**', '***', '***']
    """
    return _each(values, _mask_name_one)


def _mask_name_one(value):
    if _blank(value):
        return None
    text = _text(value) or ""
    han = re.sub(r"[\s·•]", "", text)
    if _HAN_NAME.match(han) or (len(han) == 5 and han[:2] in COMPOUND_SURNAMES
                                and _HAN_NAME.match(han[2:])):
        keep = 2 if len(han) >= 3 and han[:2] in COMPOUND_SURNAMES else 1
        return han[:keep] + "**"
    if _LATIN_NAME.match(text):
        return text[0] + "**"
    return "***"


def _each(values, one):
    """Apply ``one`` to a scalar (returns a scalar) or to each element (returns a Series)."""
    if isinstance(values, (str, bytes)) or not np.iterable(values):
        return one(values)
    if isinstance(values, pd.DataFrame):
        raise InputError("privacy: pass one column of values, not a DataFrame; e.g. "
                         "mask_phone(frame['phone']).")
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    return pd.Series([one(v) for v in series], index=series.index, dtype=object,
                     name=getattr(values, "name", None))


def pseudonymise(values, *, salt: str, length: int = 16) -> pd.Series:
    """Replace identifiers by salted SHA-256 pseudonyms (``"p_" + hex digits``).

    The pseudonym is the SHA-256 of ``salt``, a separator and the id's text (``str(id)``, so
    ``1``, ``1.0`` and ``"1"`` give the same pseudonym; text is used exactly as it is, so
    clean ids first), cut to ``length`` hex digits. The
    same id and salt always give the same pseudonym, so tables still join; keep the salt
    secret and apart from the data, or anyone can hash guessed phone numbers and match them.
    A secret salt is in effect a key: for production, use a keyed hash (HMAC, e.g.
    ``hmac.new(key, id, "sha256")``), built for exactly this; this function shows the idea.

    Parameters
    ----------
    values : list, array or Series of ids (no missing ids)
    salt : str
        Required, at least 8 characters.
    length : int, default 16
        Hex digits kept, 8 to 64 (16 digits make a collision unlikely below ~10⁸ ids).

    Examples
    --------
    >>> ids = pseudonymise(["13812345678", "13812345678", "c-2"], salt="course-2025")
    >>> ids[0] == ids[1], ids[0] == ids[2], len(ids[0])
    (True, False, 18)
    """
    func = "privacy.pseudonymise"
    if not isinstance(salt, str) or len(salt) < 8:
        raise InputError(f"{func}: salt must be a secret text of at least 8 characters; got "
                         f"{salt!r}. Choose one once, keep it apart from the data, and reuse it "
                         f"so the same id always gets the same pseudonym.")
    length = require_integer(length, func=func, name="length", low=8, high=64)
    series = require_vector(values, func=func, name="values")
    missing = series.isna().to_numpy()
    if missing.any():
        raise InputError(f"{func}: `values` has missing ids at rows "
                         f"{format_rows(series.index[missing])}; a missing id has no pseudonym. "
                         f"Drop or fill these rows first.")
    text = [str(int(v)) if isinstance(v, (float, np.floating)) and float(v).is_integer()
            else str(v) for v in series]
    out = ["p_" + hashlib.sha256(f"{salt}\x1f{t}".encode("utf-8", "surrogatepass")).hexdigest()
           [:length] for t in text]
    return pd.Series(out, index=series.index, dtype=object, name=series.name)


def _id_card_valid(number: str) -> bool:
    """GB 11643 check digit (ISO 7064 MOD 11-2) and a plausible birth date."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(d) * w for d, w in zip(number[:17], weights)) % 11]
    if check != number[17].upper():
        return False
    born = pd.to_datetime(number[6:14], format="%Y%m%d", errors="coerce")
    return pd.notna(born) and 1900 <= born.year <= 2100


def _kinds(text: str) -> set:
    found = set()
    if _MOBILE.search(text):
        found.add("phone")
    if any(_id_card_valid(m) for m in _ID_CARD.findall(text)):
        found.add("id_card")
    if _EMAIL.search(text):
        found.add("email")
    return found


def scan_personal_data(data: pd.DataFrame, *, name_share: float = 0.5) -> pd.DataFrame:
    """Report the columns of ``data`` that hold raw personal identifiers.

    Looked for in every cell (numbers too: a phone stored as an integer is still a phone):
    mainland mobile numbers (also inside text, with spaces or ``+86``), 18-character
    resident ID-card numbers whose check digit is right, e-mail addresses; and names — a
    column whose name says so (``name``, ``姓名``, ``联系人`` …) or whose text values are
    mostly (``name_share``) 2–4 Chinese characters starting with a common surname.
    Examples in the report are masked.

    Returns
    -------
    DataFrame
        One row per (column, kind): ``column``, ``kind`` ("phone", "id_card", "email",
        "name"), ``cells`` (how many cells), ``share`` of the non-missing cells,
        ``example`` (masked) and ``rows`` (the first rows). Empty when nothing was found.

    Examples
    --------
    >>> table = pd.DataFrame({"id": [1, 2], "姓名": ["张三", "李四"],
    ...                       "note": ["call 138-1234-5678", "none"]})
    >>> scan_personal_data(table)[["column", "kind", "cells", "example"]]
      column   kind  cells           example
    0     姓名   name      2               张**
    1   note  phone      1  call 138****5678
    """
    func = "privacy.scan_personal_data"
    require_frame(data, func=func)
    if not (isinstance(name_share, (int, float)) and 0 < name_share <= 1):
        raise InputError(f"{func}: name_share must be a number in (0, 1]; got {name_share!r}.")
    rows = []
    for column in data.columns:
        cells = data[column]
        if isinstance(cells, pd.DataFrame):
            raise InputError(f"{func}: column {column!r} appears {cells.shape[1]} times in "
                             f"`data`; keep one, e.g. data.loc[:, ~data.columns.duplicated()].")
        if cells.dtype.kind in "bcmM":
            continue
        if cells.dtype.kind == "f" and not np.all(np.mod(cells.dropna(), 1) == 0):
            continue
        texts = pd.Series([_text(v) for v in cells], index=cells.index, dtype=object)
        present = texts.notna()
        if not present.any():
            continue
        kinds = pd.Series([_kinds(t) if t is not None else set() for t in texts], index=cells.index)
        for kind in ("phone", "id_card", "email"):
            hit = kinds.map(lambda found, k=kind: k in found).astype(bool)
            if hit.any():
                example = texts[hit].iloc[0]
                shown = {"phone": lambda t: _MOBILE.sub(
                             lambda m: f"{m.group(1)}****{m.group(3)}", t),
                         "id_card": lambda t: _ID_CARD.sub(lambda m: m.group(1)[:6] + "*" * 12, t),
                         "email": lambda t: _EMAIL.sub(lambda m: m.group(0)[0] + "***@***", t)}
                rows.append(_finding(column, kind, hit, present, shown[kind](example)))
        named = str(column).strip().lower() in _NAME_COLUMNS
        looks = texts[present].map(lambda t: bool(_HAN_NAME.match(t)) and (
            t[0] in SURNAMES or t[:2] in COMPOUND_SURNAMES)).astype(bool)
        if named or (present.sum() >= 2 and looks.mean() >= name_share):
            hit = present if named else looks.reindex(texts.index, fill_value=False).astype(bool)
            if hit.any():
                rows.append(_finding(column, "name", hit, present,
                                     _mask_name_one(texts[hit].iloc[0])))
    return pd.DataFrame(rows, columns=["column", "kind", "cells", "share", "example", "rows"])


def _finding(column, kind, hit, present, example) -> dict:
    return {"column": column, "kind": kind, "cells": int(hit.sum()),
            "share": float(hit.sum() / present.sum()), "example": example,
            "rows": format_rows(hit.index[hit.to_numpy()])}


def penalty_table() -> pd.DataFrame:
    """The courseware's data-ethics penalty table, as printed, with each year checked.

    The courseware's 时间 column mixes years: for some rows it is the year of the incident,
    for others the year of the fine. Its values are kept (``year_courseware``,
    ``penalty_courseware``) and the checked years are added beside them: ``incident_year``,
    ``fine_year`` (the year the penalty was announced; missing where it could not be
    checked), ``year_is`` ("fine", "incident" or "unchecked") and a ``note`` (``note_zh`` in
    Chinese). ``country_zh`` is the 国家 column as printed (中国, 美国, 英国); for Marriott, a
    US company, it is the regulator's country. Amounts are in ``amount`` and ``currency`` as
    printed; ``violation_zh`` and ``penalty_courseware`` are the courseware's text.

    Examples
    --------
    >>> t = penalty_table().set_index("company")
    >>> t.loc[["Didi", "Facebook", "Marriott"], ["year_courseware", "incident_year", "fine_year"]]
              year_courseware  incident_year  fine_year
    company
    Didi                 2021           2021       2022
    Facebook             2018           2018       2019
    Marriott             2020           2018       2020
    """
    nan = np.nan
    rows = [
        ("Didi", "滴滴出行", "China", 2021, "违规收集用户精准位置信息，存在数据跨境传输安全隐患",
         "罚款80.26亿元，APP下架", 8.026e9, "CNY", 2021, 2022, "incident",
         "The cybersecurity review and the app's removal came in July 2021; the Cyberspace "
         "Administration of China (国家互联网信息办公室) announced the ¥8.026 billion fine on "
         "21 July 2022, under the Cybersecurity, Data Security and PI Protection Laws.",
         "网络安全审查和应用下架在 2021 年 7 月；国家互联网信息办公室于 2022 年 7 月 21 日依据"
         "网络安全法、数据安全法和个人信息保护法公布了 80.26 亿元的罚款。"),
        ("an e-commerce platform", "某电商平台", "China", 2022, "利用大数据分析对老用户实施“杀熟”定价",
         "罚款50万元", 5e5, "CNY", nan, nan, "unchecked",
         "The platform is not named, so the row cannot be checked.",
         "没有写出平台名称，这一行无法核实。"),
        ("China Merchants Bank", "招商银行", "China", 2020, "未经授权向第三方提供客户账户信息",
         "央行罚款420万元", 4.2e6, "CNY", nan, nan, "unchecked",
         "No source for this fine was found. The well-known 2020 case of a bank handing a "
         "customer's account statement to a third party (the comedian 池子, May 2020) "
         "concerned China CITIC Bank (中信银行), which press reports say the banking regulator "
         "later fined (about ¥4.5 million; we did not find the decision itself); the row may "
         "mix the two banks.",
         "没有找到这笔罚款的来源。2020 年广为人知的银行向第三方提供客户账户流水的案例（脱口秀"
         "演员池子，2020 年 5 月）涉及的是中信银行；据媒体报道，银行业监管机构后来对其处以约 450 "
         "万元罚款（我们没有找到处罚决定书本身）。这一行可能混淆了两家银行。"),
        ("Facebook", "Facebook", "USA", 2018, "8700万用户数据被政治咨询公司Cambridge Analytica"
         "不当用于影响选举", "FTC罚款50亿美元", 5e9, "USD", 2018, 2019, "incident",
         "The Cambridge Analytica misuse came to light in March 2018; the FTC announced the "
         "US$5 billion penalty on 24 July 2019.",
         "剑桥分析事件于 2018 年 3 月曝光；美国联邦贸易委员会（FTC）于 2019 年 7 月 24 日公布 "
         "50 亿美元的罚款。"),
        ("Marriott", "万豪酒店", "UK", 2020, "5亿客户信息泄露后未及时报告", "英国ICO罚款1840万英镑",
         18.4e6, "GBP", 2018, 2020, "fine",
         "The fine year is right (ICO, 30 October 2020). The attack on Starwood's reservation "
         "system began in 2014 and was found in 2018; the ICO counted about 339 million guest "
         "records (500 million was Marriott's first estimate) and fined the failure to keep "
         "the data secure (GDPR Art. 5(1)(f) and 32), noting Marriott reported promptly. "
         "Marriott is a US company: the country is the regulator's, the UK.",
         "处罚年份正确（英国信息专员办公室 ICO，2020 年 10 月 30 日）。对喜达屋预订系统的攻击始于 "
         "2014 年，2018 年才被发现；ICO 认定涉及约 3.39 亿条客人记录（5 亿是万豪最初的估计），"
         "处罚的是未能保障数据安全（GDPR 第 5(1)(f) 条和第 32 条），并指出万豪报告及时。万豪是"
         "美国公司：表中的国家是监管机构所在的英国。"),
        ("Taobao/Tmall", "淘宝/天猫", "China", 2021, "违规推送个性化广告且未提供关闭选项",
         "浙江省市场监管局责令整改", nan, "", nan, nan, "unchecked",
         "No source for this order was found; there is no fine to check.",
         "没有找到这项整改命令的来源；也没有可以核实的罚款。"),
    ]
    columns = ["company", "company_zh", "country", "year_courseware", "violation_zh",
               "penalty_courseware", "amount", "currency", "incident_year", "fine_year",
               "year_is", "note", "note_zh"]
    table = pd.DataFrame(rows, columns=columns)
    table.insert(3, "country_zh", table["country"].map({"China": "中国", "USA": "美国",
                                                        "UK": "英国"}))
    for column in ("incident_year", "fine_year"):
        table[column] = table[column].astype("Int64")
    return table


def pipl_fine_ceiling(turnover, *, serious: bool = True) -> pd.DataFrame:
    """The most PIPL Art. 66 lets a regulator fine a firm, for a prior-year turnover in yuan.

    For serious cases (第二款, 情节严重) the law reads 五千万元以下或者上一年度营业额百分之五以下罚款:
    up to ¥50 million **or** up to 5% of the previous year's turnover. The courseware keeps
    only the 5% ("最高可处营业额5%罚款"). The law does not say "whichever is higher"; the
    regulator picks the basis, so ``highest`` is the most either basis allows. With
    ``serious=False`` (第一款: a firm that refuses to correct) the ceiling is ¥1 million
    whatever the turnover.

    Returns
    -------
    DataFrame
        ``turnover``, ``fixed_ceiling``, ``turnover_ceiling`` (5% of turnover; NaN when not
        serious), ``courseware_ceiling`` (the courseware's 5% reading) and ``highest``.

    Examples
    --------
    >>> pipl_fine_ceiling([4e8, 2e9])[["turnover_ceiling", "courseware_ceiling", "highest"]]
       turnover_ceiling  courseware_ceiling      highest
    0        20000000.0          20000000.0   50000000.0
    1       100000000.0         100000000.0  100000000.0
    """
    func = "privacy.pipl_fine_ceiling"
    if not isinstance(serious, (bool, np.bool_)):
        raise InputError(f"{func}: serious must be True or False; got {serious!r}.")
    money = require_numeric(require_vector(turnover, func=func, name="turnover", scalar=True),
                            func=func, name="turnover")
    require_in_range(money, func=func, name="turnover", low=0,
                     hint="Give the previous year's turnover in yuan (0 or more).")
    share = PIPL_ARTICLE_66["serious_turnover_share"] * money
    fixed = PIPL_ARTICLE_66["serious_fixed" if serious else "refusing_to_correct"]
    out = pd.DataFrame({"turnover": money, "fixed_ceiling": float(fixed),
                        "turnover_ceiling": share if serious else np.nan,
                        "courseware_ceiling": share})
    out["highest"] = np.fmax(out["fixed_ceiling"], out["turnover_ceiling"])
    return out
