"""crmlab.privacy: masking never leaks and never raises, pseudonyms, the scanner over every
bundled dataset, the courseware's penalty table with its years checked, and PIPL Art. 66."""

import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import crmlab
from crmlab import privacy, synthetic

WEIRD = st.one_of(st.text(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                  st.none(), st.booleans(), st.binary(max_size=8),
                  st.sampled_from([pd.NA, pd.NaT, np.nan, "１３８１２３４５６７８", "+86", "   ",
                                   "\u3000", "138****5678", "张", "欧阳", "·",
                                   pd.Timestamp("2024-01-01"), 1 + 2j]))


# ---- phone numbers
@pytest.mark.parametrize("raw, masked", [
    ("13812345678", "138****5678"), ("138 1234 5678", "138****5678"),
    ("138-1234-5678", "138****5678"), ("+86 138 1234 5678", "138****5678"),
    ("8613812345678", "138****5678"), ("１３８１２３４５６７８", "138****5678"),
    (13812345678, "138****5678"), (13812345678.0, "138****5678"),
    ("0311-87654321", "***********"), ("12345678901", "***********"), ("abc", "***********"),
    ("", "***********"), (b"13812345678", "***********"), ("1" * 40, "***********"),
    (None, None), (np.nan, None),
])
def test_mask_phone_uses_the_3_4_4_form_or_masks_everything(raw, masked):
    assert privacy.mask_phone(raw) == masked


def test_mask_phone_keeps_a_series_index():
    out = privacy.mask_phone(pd.Series(["13812345678", None], index=["a", "b"]))
    assert out.index.tolist() == ["a", "b"] and out.tolist() == ["138****5678", None]


@given(WEIRD)
def test_mask_phone_never_raises_and_never_shows_the_middle_digits(value):
    out = privacy.mask_phone(value)
    # a mobile number in the 3-4-4 form, or eleven stars whatever the value's length
    assert out is None or re.fullmatch(r"1[3-9]\d\*{4}\d{4}|\*{11}", out), out
    phone = privacy.normalise_phone([value]).iloc[0]
    if phone is not None and len(phone) == 11:
        assert phone[3:7] not in out[:7]


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), st.sampled_from(["", " ", "-"]))
def test_every_mobile_number_is_masked_to_its_first_three_and_last_four(number, sep):
    raw = sep.join([number[:3], number[3:7], number[7:]])
    assert privacy.mask_phone(raw) == number[:3] + "****" + number[7:]


# ---- names
@pytest.mark.parametrize("raw, masked", [
    ("张三", "张**"), ("张三丰", "张**"), ("欧阳娜娜", "欧阳**"), ("欧阳锋", "欧阳**"),
    ("司马相如", "司马**"), (" 李 小龙 ", "李**"), ("诸葛亮", "诸葛**"), ("Smith", "S**"),
    ("John Smith", "J**"), ("13812345678", "***"), ("", "***"), ("@#!", "***"),
    ("张三李四王五赵六", "***"), (None, None),
])
def test_mask_name(raw, masked):
    assert privacy.mask_name(raw) == masked


@given(WEIRD)
def test_mask_name_never_raises_and_keeps_at_most_the_surname(value):
    out = privacy.mask_name(value)
    assert out is None or out == "***" or (out.endswith("**") and len(out) in (3, 4)), out


@given(st.text(alphabet="伟芳娜敏静丽强磊军洋", min_size=1, max_size=2),
       st.sampled_from(["王", "李", "欧阳", "司马"]))
def test_a_masked_chinese_name_hides_the_given_name(given_name, surname):
    assert privacy.mask_name(surname + given_name) == surname + "**"


# ---- pseudonyms
def test_pseudonyms_are_deterministic_salted_and_join():
    a = privacy.pseudonymise(["13812345678", 42, "42"], salt="course-2025")
    b = privacy.pseudonymise(pd.Series(["13812345678"], index=["x"]), salt="course-2025")
    other = privacy.pseudonymise(["13812345678"], salt="another-salt")
    assert a[0] == b["x"] and a[0] != other[0] and a[1] == a[2]
    assert re.fullmatch(r"p_[0-9a-f]{16}", a[0])
    assert len(privacy.pseudonymise([1], salt="course-2025", length=64)[0]) == 66


@pytest.mark.parametrize("call, message", [
    (lambda: privacy.pseudonymise([1], salt=None), r"salt must be a secret text of at least 8"),
    (lambda: privacy.pseudonymise([1], salt="short"), r"got 'short'"),
    (lambda: privacy.pseudonymise([1], salt=12345678), r"salt must be a secret text"),
    (lambda: privacy.pseudonymise([1, None], salt="course-2025"), r"missing ids at rows \[1\]"),
    (lambda: privacy.pseudonymise([1], salt="course-2025", length=4), r"length must be a whole"),
    (lambda: privacy.pseudonymise("13812345678", salt="course-2025"), r"must be a list"),
])
def test_pseudonymise_refuses_bad_input(call, message):
    with pytest.raises(ValueError, match=r"privacy.pseudonymise: .*" + message):
        call()


def test_pseudonymise_requires_the_salt_keyword():
    with pytest.raises(TypeError):
        privacy.pseudonymise([1])       # no salt: refused by Python itself


@given(st.lists(st.text(max_size=12), min_size=1, max_size=30, unique=True))
def test_distinct_ids_get_distinct_pseudonyms_and_the_same_ones_again(ids):
    once = privacy.pseudonymise(ids, salt="course-2025")
    assert once.is_unique and once.equals(privacy.pseudonymise(ids, salt="course-2025"))


# ---- the scanner
def _id_card(body17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body17 + "10X98765432"[sum(int(d) * w for d, w in zip(body17, weights)) % 11]


def test_scanner_finds_each_kind_and_masks_its_examples():
    card = _id_card("11010519491231002")             # GB 11643's worked example: ...002X
    assert card == "11010519491231002X"
    table = pd.DataFrame({
        "customer_id": [1, 2, 3], "mobile": [13812345678, 13900001111, 13700002222],
        "note": ["ID " + card, "none", "mail me: A.Li@qq.com"],
        "contact_name": ["Li", "Wang", None], "buyer": ["张伟", "李娜", "王芳"],
        "amount": [13812345678.5, 2.0, 3.0], "day": pd.to_datetime(["2024-01-01"] * 3),
    })
    found = privacy.scan_personal_data(table).set_index(["column", "kind"])
    assert set(found.index) == {("mobile", "phone"), ("note", "id_card"), ("note", "email"),
                                ("contact_name", "name"), ("buyer", "name")}
    assert found.loc[("mobile", "phone"), "cells"] == 3
    assert found.loc[("note", "id_card"), "example"] == "ID 110105************"
    assert found.loc[("note", "email"), "example"] == "mail me: A***@***"
    assert found.loc[("buyer", "name"), "example"] == "张**"
    assert "13812345678" not in found.to_string()


def test_scanner_ignores_id_numbers_with_a_wrong_check_digit_and_plain_numbers():
    table = pd.DataFrame({"x": ["110105194912310021", "2024-01-01", "12345678901"],
                          "y": [19970101, 2_500_315, 11], "z": ["银行", "保险", "证券"]})
    assert privacy.scan_personal_data(table).empty


@pytest.mark.parametrize("name", crmlab.list_datasets()["name"].tolist())
def test_no_bundled_dataset_holds_a_raw_personal_identifier(name):
    findings = privacy.scan_personal_data(crmlab.load_dataset(name))
    assert findings.empty, findings.to_string()


def test_the_messy_customer_file_is_flagged_column_by_column():
    found = privacy.scan_personal_data(synthetic.make_customer_file(40, seed=1))
    kinds = set(zip(found["column"], found["kind"]))
    assert {("name", "name"), ("phone", "phone"), ("email", "email"),
            ("contact_name", "name")} <= kinds


@pytest.mark.parametrize("data, name_share, message", [
    (None, 0.5, r"`data` must be a pandas DataFrame"),
    (pd.DataFrame({"a": [1]}), 0, r"name_share must be a number in \(0, 1\]; got 0"),
    (pd.DataFrame([[1, 2]], columns=["a", "a"]), 0.5, r"column 'a' appears 2 times"),
])
def test_scanner_refuses_bad_input(data, name_share, message):
    with pytest.raises(ValueError, match=r"privacy.scan_personal_data: " + message):
        privacy.scan_personal_data(data, name_share=name_share)


# ---- the courseware's penalty table (courseware ch. 3, §1 讨论: 数据应用中的伦理边界在哪里?)
def test_penalty_table_keeps_the_courseware_values():
    t = privacy.penalty_table().set_index("company_zh")
    assert t["year_courseware"].to_dict() == {"滴滴出行": 2021, "某电商平台": 2022, "招商银行": 2020,
                                              "Facebook": 2018, "万豪酒店": 2020, "淘宝/天猫": 2021}
    assert t.loc["滴滴出行", "amount"] == 8.026e9 and t.loc["滴滴出行", "penalty_courseware"] == \
        "罚款80.26亿元，APP下架"
    assert t.loc["某电商平台", "amount"] == 500_000 and t.loc["招商银行", "amount"] == 4_200_000
    assert (t.loc["Facebook", "amount"], t.loc["Facebook", "currency"]) == (5e9, "USD")
    assert (t.loc["万豪酒店", "amount"], t.loc["万豪酒店", "currency"]) == (18.4e6, "GBP")
    assert math.isnan(t.loc["淘宝/天猫", "amount"])
    # the 国家 and 主要违规行为 columns as printed (Marriott: the regulator's country)
    assert t["country_zh"].tolist() == ["中国", "中国", "中国", "美国", "英国", "中国"]
    assert t.loc["万豪酒店", "violation_zh"] == "5亿客户信息泄露后未及时报告"


def test_every_penalty_note_is_in_both_languages():
    t = privacy.penalty_table().set_index("company")
    assert t["note"].str.len().min() > 20 and t["note_zh"].str.len().min() > 10
    assert not t["note_zh"].str.contains(r"[A-Za-z]{12,}").any()        # no English sentences
    assert "3.39 亿" in t.loc["Marriott", "note_zh"] and "2022 年" in t.loc["Didi", "note_zh"]
    assert "did not find the decision" in t.loc["China Merchants Bank", "note"]


def test_penalty_years_checked_incident_versus_fine():
    t = privacy.penalty_table().set_index("company")
    # Didi: review and app removal July 2021, CAC fine 21 July 2022; Facebook: Cambridge
    # Analytica 2018, FTC penalty 24 July 2019; Marriott: ICO fine 30 October 2020.
    assert (t.loc["Didi", "fine_year"], t.loc["Didi", "year_is"]) == (2022, "incident")
    assert (t.loc["Facebook", "fine_year"], t.loc["Facebook", "year_is"]) == (2019, "incident")
    assert (t.loc["Marriott", "fine_year"], t.loc["Marriott", "year_is"]) == (2020, "fine")
    assert "339 million" in t.loc["Marriott", "note"]
    unchecked = t[t["year_is"] == "unchecked"]
    assert len(unchecked) == 3 and unchecked["fine_year"].isna().all()
    checked = t[t["year_is"] != "unchecked"]
    assert ((checked["year_courseware"] == checked["fine_year"])
            == (checked["year_is"] == "fine")).all()


# ---- PIPL Art. 66
def test_pipl_ceiling_is_50_million_or_5_percent_of_turnover():
    out = privacy.pipl_fine_ceiling([0, 4e8, 1e9, 2e9, 80e9])
    assert out["fixed_ceiling"].eq(50_000_000).all()
    assert out["turnover_ceiling"].tolist() == [0, 2e7, 5e7, 1e8, 4e9]
    assert out["courseware_ceiling"].tolist() == out["turnover_ceiling"].tolist()
    assert out["highest"].tolist() == [5e7, 5e7, 5e7, 1e8, 4e9]
    # the courseware's 5% alone understates the ceiling below ¥1 billion of turnover
    small = out[out["turnover"] < 1e9]
    assert (small["courseware_ceiling"] < small["highest"]).all()


def test_pipl_ceiling_of_a_firm_refusing_to_correct_is_one_million():
    out = privacy.pipl_fine_ceiling(5e9, serious=False)
    assert out["highest"].tolist() == [1_000_000] and out["turnover_ceiling"].isna().all()
    assert privacy.PIPL_ARTICLE_66["person_serious"] == (100_000, 1_000_000)


@pytest.mark.parametrize("turnover, serious, message", [
    (-1, True, r"turnover must be >= 0; got -1.0"), ("lots", True, r"turnover must be numeric"),
    (np.nan, True, r"turnover has missing values"),
    ([1, np.inf], True, r"turnover must be finite; got inf at rows \[1\]"),
    (1e9, "yes", r"serious must be True or False; got 'yes'"),
])
def test_pipl_ceiling_refuses_bad_input(turnover, serious, message):
    with pytest.raises(ValueError, match=r"privacy.pipl_fine_ceiling: " + message):
        privacy.pipl_fine_ceiling(turnover, serious=serious)


@given(st.lists(st.floats(0, 1e15), min_size=2, max_size=20))
def test_pipl_ceiling_grows_with_turnover_and_never_falls_below_either_basis(turnovers):
    out = privacy.pipl_fine_ceiling(sorted(turnovers))
    assert (np.diff(out["highest"]) >= 0).all()
    assert (out["highest"] >= out["courseware_ceiling"]).all() and (out["highest"] >= 5e7).all()


# ---- normalising phones: coerce (never raises) or raise (names the malformed numbers)
def test_normalise_phone_scalar_and_series():
    assert privacy.normalise_phone("＋86 138 1234 5678") == "13812345678"
    assert privacy.normalise_phone("0311 8765 4321") == "0311-87654321"
    assert privacy.normalise_phone("00000000000") is None
    out = privacy.normalise_phone(pd.Series(["13812345678", "x"], index=[5, 6]))
    assert out.index.tolist() == [5, 6] and out.tolist() == ["13812345678", None]


@pytest.mark.parametrize("values, message", [
    (["13812345678", "1381234", None], r"e.g. '1381234' at rows \[1\]"),
    ("138-1234", r"e.g. '138-1234' at rows \[0\]"),
    (pd.Series(["x", "y"], index=["a", "b"]), r"e.g. 'x' at rows \['a', 'b'\]"),
    ([12345], r"e.g. 12345 at rows \[0\]"),
])
def test_normalise_phone_can_refuse_malformed_numbers(values, message):
    with pytest.raises(ValueError, match=r"privacy.normalise_phone: `values` has malformed phone "
                                         r"numbers, " + message):
        privacy.normalise_phone(values, errors="raise")


def test_normalise_phone_refuses_an_unknown_errors_option():
    with pytest.raises(ValueError, match=r"errors must be one of \['coerce', 'raise'\]; got 'x'"):
        privacy.normalise_phone(["13812345678"], errors="x")


@given(st.lists(WEIRD, max_size=6), st.sampled_from(["coerce", "raise"]))
def test_normalise_phone_gives_phones_or_a_clear_error(values, errors):
    from strategies import correct_or_clear

    out = correct_or_clear("privacy.normalise_phone",
                           lambda: privacy.normalise_phone(values, errors=errors))
    if out is not None:
        assert all(p is None or re.fullmatch(r"1[3-9]\d{9}|0\d{2,3}-\d{7,8}", p) for p in out)
