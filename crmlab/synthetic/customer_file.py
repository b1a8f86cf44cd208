"""A SYNTHETIC messy customer file for the identification pipeline (:mod:`crmlab.customer_file`).

Invented people and organisations from three sources, with duplicates, typos and missing
fields, and the ground truth of who is who; seeded (``numpy.random.default_rng(seed)`` only).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._validation import InputError, require_integer
from .sales import MAX_ROWS

__all__ = ["CUSTOMER_FILE_COLUMNS", "CUSTOMER_FILE_SEED", "CUSTOMER_SOURCES", "make_customer_file",
           "make_customer_update"]

#: Seed of the default messy customer file.
CUSTOMER_FILE_SEED = 20250301

#: Sources of the messy customer file: a store CRM, an online shop, a call centre.
CUSTOMER_SOURCES = ("store", "eshop", "callcentre")

#: Each column of :func:`make_customer_file`: (kind, group) in the courseware's information
#: schemas (lectures 2–4, ch. 3 §3.3.2–3.3.3); ``record`` columns describe the record itself.
CUSTOMER_FILE_COLUMNS = {
    "record_id": ("record", "record"), "source": ("record", "record"),
    "updated": ("record", "record"), "kind": ("record", "record"),
    "name": ("both", "basic"), "phone": ("both", "basic"), "email": ("both", "basic"),
    "city": ("both", "basic"), "gender": ("individual", "basic"),
    "birth_date": ("individual", "basic"), "occupation": ("individual", "basic"),
    "income_band": ("individual", "basic"), "purchase_motive": ("individual", "attitude"),
    "lifestyle": ("individual", "attitude"), "attitude_score": ("individual", "attitude"),
    "purchases_per_year": ("individual", "behaviour"), "category": ("individual", "behaviour"),
    "annual_spend": ("individual", "behaviour"), "channel": ("individual", "behaviour"),
    "founded": ("organisation", "basic"), "industry": ("organisation", "basic"),
    "employees": ("organisation", "basic"), "annual_sales_wan": ("organisation", "business"),
    "sales_trend": ("organisation", "business"), "credit_rating": ("organisation", "transaction"),
    "payment_terms": ("organisation", "transaction"),
    "contact_name": ("organisation", "key_person"), "contact_role": ("organisation", "key_person"),
}

_SURNAMES = tuple("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗") + ("欧阳", "司马", "上官")
_GIVEN = tuple("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华建红梅鹏飞宇婷欣怡浩然子涵")
_SOUNDALIKE = dict(zip("伟芳娜敏静丽强磊军洋勇艳杰娟涛明", "玮方纳民晶莉墙蕾君阳永燕洁鹃滔铭"))
_CITY_LIST = ("北京", "上海", "广州", "深圳", "杭州", "南京", "武汉", "成都", "西安", "石家庄", "郑州",
              "长沙")
_CITY_TYPO = {"杭州": "杭洲", "广州": "广洲", "石家庄": "石家庒", "郑州": "郑洲", "深圳": "深川",
              "成都": "成毒", "南京": "南惊", "武汉": "武汗"}
_CITY_PINYIN = {"北京": "Beijing", "上海": "Shanghai", "广州": "Guangzhou", "深圳": "Shenzhen",
                "杭州": "Hangzhou", "南京": "Nanjing", "武汉": "Wuhan", "成都": "Chengdu",
                "西安": "Xi'an", "石家庄": "Shijiazhuang", "郑州": "Zhengzhou", "长沙": "Changsha"}
_AREA = {"北京": "010", "上海": "021", "广州": "020", "深圳": "0755", "杭州": "0571", "南京": "025",
         "武汉": "027", "成都": "028", "西安": "029", "石家庄": "0311", "郑州": "0371", "长沙": "0731"}
_PICK = {"occupation": ("教师", "工程师", "销售", "医生", "公务员", "学生", "自由职业"),
         "income_band": ("<5k", "5k-10k", "10k-20k", ">20k"),
         "purchase_motive": ("价格", "品质", "品牌", "便利", "服务"),
         "lifestyle": ("家庭型", "时尚型", "节俭型", "商务型"),
         "category": ("服装", "家电", "食品", "美妆", "数码"), "channel": ("门店", "网店", "电话"),
         "industry": ("制造", "零售", "物流", "餐饮", "教育", "医疗"),
         "sales_trend": ("up", "flat", "down"), "credit_rating": ("AAA", "AA", "A", "B"),
         "payment_terms": ("现结", "月结30天", "月结60天"),
         "contact_role": ("总经理", "采购经理", "财务总监")}
_JUNK = (("测试", "00000000000"), ("test", "123"), ("无", None), ("客户", "1380000"))


def make_customer_file(n_people: int = 200, *, seed: int = CUSTOMER_FILE_SEED) -> pd.DataFrame:
    """Generate a SYNTHETIC messy customer file from three sources, with its ground truth.

    Invented individuals (85%) and organisations (15%) — fields from the courseware's
    information schemas (:data:`CUSTOMER_FILE_COLUMNS`) — are recorded by a store CRM, an
    online shop and a call centre (each person in 1–3 of them; 6% of records entered twice
    in one source). The records are messy the way real ones are: phones as ``138 1234
    5678``, ``+86-138…``, ``138-1234-5678`` or in full-width digits, some missing or
    mistyped; spaces in names, sound-alike characters from the call centre; birth dates as
    ``1985/3/7``, ``19850307`` or ``1985年3月7日``; cities with 市, in pinyin or mistyped
    (杭洲); e-mails in mixed case; fields a source does not collect left empty. Three
    traps: three pairs of different people share a phone (a spouse's), two pairs of
    namesakes live in the same city, and four junk rows (测试, test …) identify nobody.

    ``true_id`` is the ground truth (the same ``P…`` id = the same person; missing for
    junk rows): drop it before running the pipeline and use it to measure the merge.
    ``synthetic`` is True on every row, and ``attrs["synthetic"]`` is True.

    Examples
    --------
    >>> f = make_customer_file(30, seed=1)
    >>> f[["record_id", "source", "kind"]].head(3).shape, bool(f["synthetic"].all())
    ((3, 3), True)
    >>> make_customer_file(30, seed=1).equals(f)
    True
    """
    func = "synthetic.make_customer_file"
    n = require_integer(n_people, func=func, name="n_people", low=10, high=MAX_ROWS // 10)
    rng = np.random.default_rng(require_integer(seed, func=func, name="seed", low=0))
    people = [_person(rng, k, k >= round(0.85 * n)) for k in range(n)]
    individuals = [p for p in people if p["kind"] == "individual"]
    for a, b in rng.choice(len(individuals), size=(3, 2), replace=False):
        individuals[b]["phone"] = individuals[a]["phone"]            # a spouse's phone
        individuals[b]["city"] = individuals[a]["city"]
    for a, b in rng.choice(len(individuals), size=(2, 2), replace=False):
        individuals[b]["name"] = individuals[a]["name"]              # namesakes, one city
        individuals[b]["city"] = individuals[a]["city"]
    rows = []
    for person in people:
        pool = CUSTOMER_SOURCES if person["kind"] == "individual" else ("store", "callcentre")
        count = min(rng.choice([1, 2, 3], p=[0.55, 0.33, 0.12]), len(pool))
        for source in rng.choice(pool, size=count, replace=False):
            for _ in range(2 if rng.random() < 0.06 else 1):
                rows.append(_record(rng, person, str(source)))
    for name, phone in _JUNK:
        rows.append({"source": str(rng.choice(CUSTOMER_SOURCES)), "kind": "individual",
                     "name": name, "phone": phone,
                     "updated": pd.Timestamp("2024-01-01")
                     + pd.Timedelta(days=int(rng.integers(0, 600)))})
    file = pd.DataFrame(rows).reindex(columns=[*CUSTOMER_FILE_COLUMNS, "true_id"])
    file = file.iloc[rng.permutation(len(file))].reset_index(drop=True)
    prefix = {"store": "ST", "eshop": "ES", "callcentre": "CC"}
    number = file.groupby("source").cumcount() + 1
    file["record_id"] = [f"{prefix[s]}{k:04d}" for s, k in zip(file["source"], number)]
    for column in ("attitude_score", "purchases_per_year", "founded", "employees"):
        file[column] = file[column].astype("Int64")
    file["synthetic"] = True
    file.attrs["synthetic"] = True
    return file


def _person(rng, k: int, organisation: bool) -> dict:
    city = str(rng.choice(_CITY_LIST))
    mobile = "1" + str(rng.choice(list("3456789"))) + "".join(map(str, rng.integers(0, 10, 9)))
    person = {"true_id": f"P{k + 1:04d}", "city": city,
              "email": f"u{k + 1:04d}@" + str(rng.choice(["qq.com", "163.com", "126.com"]))}
    if organisation:
        words = rng.choice(list("华盛恒泰鑫达永联创新宏远"), size=2, replace=False)
        person |= {"kind": "organisation",
                   "name": f"{city}{''.join(words)}{rng.choice(['科技', '商贸', '食品'])}有限公司",
                   "phone": f"{_AREA[city]}-{rng.integers(2, 9)}{rng.integers(0, 10**6):06d}"
                            + str(rng.integers(0, 10)),
                   "founded": int(rng.integers(1990, 2021)),
                   "employees": int(rng.choice([20, 50, 120, 300, 800])),
                   "annual_sales_wan": float(np.round(rng.lognormal(np.log(800), 1.0))),
                   "contact_name": _name(rng)}
        for field in ("industry", "sales_trend", "credit_rating", "payment_terms",
                      "contact_role"):
            person[field] = str(rng.choice(_PICK[field]))
        return person
    person |= {"kind": "individual", "name": _name(rng), "phone": mobile,
               "gender": str(rng.choice(["M", "F"])),
               "birth_date": pd.Timestamp("1960-01-01")
               + pd.Timedelta(days=int(rng.integers(0, 365 * 45))),
               "attitude_score": int(rng.integers(1, 6)),
               "purchases_per_year": int(rng.integers(1, 25)),
               "annual_spend": float(np.round(rng.lognormal(np.log(3000), 0.8)))}
    for field in ("occupation", "income_band", "purchase_motive", "lifestyle", "category",
                  "channel"):
        person[field] = str(rng.choice(_PICK[field]))
    return person


def _name(rng) -> str:
    return str(rng.choice(_SURNAMES)) + "".join(rng.choice(_GIVEN, size=rng.integers(1, 3)))


_WIDE = str.maketrans("0123456789-+", "０１２３４５６７８９－＋")


def _record(rng, person: dict, source: str) -> dict:
    """One source's record of a person, messy in that source's ways."""
    keep = {"store": set(CUSTOMER_FILE_COLUMNS),
            "eshop": set(CUSTOMER_FILE_COLUMNS) - {"purchase_motive", "lifestyle",
                                                   "attitude_score", "occupation"},
            "callcentre": set(CUSTOMER_FILE_COLUMNS) - {"purchases_per_year", "category",
                                                        "annual_spend", "income_band"}}[source]
    row = {k: v for k, v in person.items() if k in keep or k == "true_id"}
    row |= {"source": source, "updated": pd.Timestamp("2023-01-01")
            + pd.Timedelta(days=int(rng.integers(0, 900)))}
    name = person["name"]
    if source == "callcentre" and rng.random() < 0.15 and name[-1] in _SOUNDALIKE:
        name = name[:-1] + _SOUNDALIKE[name[-1]]
    if rng.random() < 0.15 and person["kind"] == "individual":
        name = name[0] + str(rng.choice([" ", "\u3000", "  "])) + name[1:]
    row["name"] = name + (" " if rng.random() < 0.1 else "")
    phone = person["phone"]
    if rng.random() < 0.05:                                         # one digit mistyped
        spot = int(rng.integers(4, len(phone)))
        spot += not phone[spot].isdigit()            # the hyphen of a landline: next digit
        phone = phone[:spot] + str((int(phone[spot]) + 1) % 10) + phone[spot + 1:]
    if phone and len(phone) == 11 and phone[0] == "1":
        phone = {"store": f"{phone[:3]} {phone[3:7]} {phone[7:]}", "eshop": f"+86 {phone}",
                 "callcentre": f"{phone[:3]}-{phone[3:7]}-{phone[7:]}"}[source]
    if rng.random() < 0.12:
        phone = phone.translate(_WIDE)
    row["phone"] = None if rng.random() < 0.07 else phone
    row["email"] = None
    if rng.random() < {"store": 0.5, "eshop": 1.0, "callcentre": 0.3}[source]:
        email = person["email"]
        if person["kind"] == "organisation":
            email = email.split("@")[0] + "@corp.cn"
        roll = rng.random()
        row["email"] = (email.upper() if roll < 0.2 else email.replace("@", "#") if roll < 0.23
                        else email)
    city = person["city"]
    roll = rng.random()
    city = (_CITY_TYPO.get(city, city) if roll < 0.12 else city + "市" if roll < 0.3
            else _CITY_PINYIN[city] if roll < 0.36 and source == "eshop" else city)
    row["city"] = city
    born = person.get("birth_date")
    if born is not None:
        style = {"store": "{y}/{m}/{d}", "eshop": "{y}-{m:02d}-{d:02d}",
                 "callcentre": str(rng.choice(["{y}{m:02d}{d:02d}", "{y}年{m}月{d}日"]))}[source]
        missing = {"store": 0.1, "eshop": 0.5, "callcentre": 0.2}[source]
        roll = rng.random()
        row["birth_date"] = (None if roll < missing else f"{born.year}-{born.month + 12}-1"
                             if roll < missing + 0.03 else
                             style.format(y=born.year, m=born.month, d=born.day))
    return row


def make_customer_update(file: pd.DataFrame, *, seed: int = CUSTOMER_FILE_SEED + 1) -> pd.DataFrame:
    """Generate a SYNTHETIC newer extract from the store CRM for :func:`make_customer_file`.

    One in eight of the file's store records of individuals has moved city, changed phone
    or e-mail, or spent a new amount (messy again, as the store writes them); only the
    changed fields are filled in (a delta extract). Two new customers, ``ST9001`` and
    ``ST9002``, complete the extract: they are in no earlier record. Every row is dated
    after the file's last update; ``synthetic`` is True.

    Examples
    --------
    >>> update = make_customer_update(make_customer_file(40, seed=1), seed=2)
    >>> update.columns.tolist()[:4], update["record_id"].tail(2).tolist()
    (['record_id', 'source', 'updated', 'kind'], ['ST9001', 'ST9002'])
    """
    func = "synthetic.make_customer_update"
    if not isinstance(file, pd.DataFrame) or not {"record_id", "source", "kind",
                                                  "updated"} <= set(file.columns):
        raise InputError(f"{func}: `file` must be the frame of make_customer_file (with columns "
                         f"record_id, source, kind, updated).")
    rng = np.random.default_rng(require_integer(seed, func=func, name="seed", low=0))
    start = pd.to_datetime(file["updated"]).max() + pd.Timedelta(days=1)
    store = file[(file["source"] == "store") & (file["kind"] == "individual")]
    chosen = store.iloc[np.sort(rng.choice(len(store), size=max(1, len(store) // 8),
                                           replace=False))]
    rows = []
    for k, record in enumerate(chosen["record_id"]):
        row = {"record_id": record, "source": "store", "kind": "individual",
               "updated": start + pd.Timedelta(days=k)}
        for field in rng.choice(["city", "phone", "email", "annual_spend"],
                                size=int(rng.integers(1, 3)), replace=False):
            if field == "city":
                row["city"] = str(rng.choice(_CITY_LIST)) + str(rng.choice(["", "市"]))
            elif field == "phone":
                digits = "1" + str(rng.choice(list("3589"))) + "".join(
                    map(str, rng.integers(0, 10, 9)))
                row["phone"] = f"{digits[:3]} {digits[3:7]} {digits[7:]}"
            elif field == "email":
                row["email"] = f"new{rng.integers(1000, 9999)}@163.com"
            else:
                row["annual_spend"] = float(np.round(rng.lognormal(np.log(3000), 0.8)))
        rows.append(row)
    for k in range(2):
        person = _person(rng, 9000 + k, False)
        record = _record(rng, person, "store")
        record.pop("true_id")
        rows.append(record | {"record_id": f"ST{9001 + k}", "updated": start + pd.Timedelta(
            days=len(rows))})
    columns = [c for c in CUSTOMER_FILE_COLUMNS if c != "true_id"]
    update = pd.DataFrame(rows).reindex(columns=columns)
    for column in ("attitude_score", "purchases_per_year", "founded", "employees"):
        update[column] = update[column].astype("Int64")
    update["synthetic"] = True
    update.attrs["synthetic"] = True
    return update
