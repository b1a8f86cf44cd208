"""crmlab.customer_file and the messy customer file of crmlab.synthetic: cleaning, rule-based
linkage measured against ground truth, the single customer view and its report, updates."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import correct_or_clear

from crmlab import customer_file as cf
from crmlab import identify, privacy, synthetic


@pytest.fixture(scope="module")
def messy():
    file = synthetic.make_customer_file()
    return file.drop(columns="true_id"), file["true_id"]


@pytest.fixture(scope="module")
def view(messy):
    return cf.single_customer_view(cf.clean_customers(messy[0]))


# ---- the generator
def test_the_file_is_seeded_and_labelled_synthetic():
    a = synthetic.make_customer_file(40, seed=3)
    pd.testing.assert_frame_equal(a, synthetic.make_customer_file(40, seed=3))
    assert not a.equals(synthetic.make_customer_file(40, seed=4))
    assert a["synthetic"].all() and a.attrs["synthetic"] is True
    assert a["record_id"].is_unique and set(a["source"]) <= set(synthetic.CUSTOMER_SOURCES)


def test_the_file_follows_the_courseware_schemas(messy):
    file, truth = messy
    schema = synthetic.CUSTOMER_FILE_COLUMNS
    assert set(schema) <= set(file.columns)
    groups = {(kind, group) for kind, group in schema.values()}
    for needed in [("individual", "basic"), ("individual", "attitude"), ("individual", "behaviour"),
                   ("organisation", "basic"), ("organisation", "business"),
                   ("organisation", "transaction"), ("organisation", "key_person")]:
        assert needed in groups
    people = file.assign(true_id=truth).dropna(subset=["true_id"])
    assert people.groupby("true_id")["kind"].nunique().max() == 1
    assert (people["kind"] == "organisation").groupby(people["true_id"]).first().mean() == \
        pytest.approx(0.15)
    orgs = file[file["kind"] == "organisation"]
    assert orgs["gender"].isna().all() and orgs["credit_rating"].notna().all()


def test_the_file_is_messy_in_the_documented_ways(messy):
    file, truth = messy
    phones = file["phone"].dropna()
    assert phones.str.contains(" ").any() and phones.str.startswith("+86").any()
    assert phones.str.contains("[０-９]").any() and phones.str.contains("-").any()
    assert file["city"].isin(["杭洲", "广洲", "郑洲", "石家庒", "深川", "成毒", "南惊", "武汗"]).any()
    assert file["city"].str.endswith("市").any()
    assert file["birth_date"].dropna().str.contains("年").any()
    assert file["name"].str.contains(r"\s").any()
    assert truth.isna().sum() == 4 and truth.nunique() == 200 and len(file) == 320


def test_the_update_extract_is_newer_and_holds_two_new_people(messy):
    file, _ = messy
    update = synthetic.make_customer_update(file)
    assert pd.to_datetime(update["updated"]).min() > pd.to_datetime(file["updated"]).max()
    new = update[~update["record_id"].isin(file["record_id"])]
    assert new["record_id"].tolist() == ["ST9001", "ST9002"] and update["synthetic"].all()
    with pytest.raises(ValueError, match=r"synthetic.make_customer_update: `file` must be"):
        synthetic.make_customer_update(file.drop(columns="updated"))


@settings(max_examples=25)
@given(st.one_of(st.integers(-2, 60), st.sampled_from([10**7, 2.0, "30", None, True])),
       st.one_of(st.integers(0, 2**32), st.sampled_from([-1, 1.5, None])))
def test_fuzz_the_generator_gives_a_file_or_a_clear_error(n, seed):
    file = correct_or_clear("synthetic.make_customer_file",
                            lambda: synthetic.make_customer_file(n, seed=seed))
    if file is not None:
        assert file["true_id"].nunique() == n and file["record_id"].is_unique


# ---- cleaning
def plain(column):
    """Cells as a list, missing ones (None or NaN, as pandas stores them) as None."""
    return [x if isinstance(x, str) else None for x in column]


def test_cleaning_normalises_every_field_and_drops_nothing():
    raw = pd.DataFrame({
        "record_id": ["a", "b", "c", "d"], "kind": ["个人", "individual", "企业", "?"],
        "name": ["张 三", "ｊｏｈｎ  smith", "石家庄华盛科技有限公司", "李四"],
        "phone": ["＋８６ １３８-1234-5678", "86 13812345678", "0311 8765 4321", "138-1234"],
        "gender": ["男", "F", None, "x"],
        "birth_date": ["1985年3月7日", "19850307", None, "1985-13-01"],
        "city": ["杭洲", "Beijing", "石家庄市", "火星"], "email": [" A@QQ.COM", None, "x#y.cn", ""],
    })
    clean = cf.clean_customers(raw)
    assert len(clean) == 4 and clean["record_id"].tolist() == ["a", "b", "c", "d"]
    assert plain(clean["phone"]) == ["13812345678", "13812345678", "0311-87654321", None]
    assert clean["name"].tolist() == ["张三", "John Smith", "石家庄华盛科技有限公司", "李四"]
    assert plain(clean["kind"]) == ["individual", "individual", "organisation", None]
    assert plain(clean["gender"]) == ["M", "F", None, None]
    assert clean["birth_date"].tolist()[:2] == [pd.Timestamp("1985-03-07")] * 2
    assert clean["city"].tolist() == ["杭州", "北京", "石家庄", "火星"]
    assert plain(clean["email"]) == ["a@qq.com", None, None, None]
    assert clean.loc[2, "org_key"] == "石家庄华盛科技"
    assert clean.loc[3, "issues"] == ("kind: not individual or organisation; phone: not a phone "
                                      "number; birth_date: not a date; city: not a known city")
    assert clean.loc[2, "issues"] == "email: not an e-mail address"
    log = cf.compare_records(raw, clean)
    assert ("a", "city", "杭洲", "杭州") in set(log[["record_id", "field", "old", "new"]]
                                            .itertuples(index=False, name=None))


def test_cleaning_the_messy_file(messy):
    clean = cf.clean_customers(messy[0])
    assert clean["issues"].value_counts().to_dict() == {
        "": 304, "birth_date: not a date": 8, "email: not an e-mail address": 5,
        "phone: not a phone number": 3}                     # 123, 00000000000, 1380000
    assert clean["city"].isin(cf.CITIES).all() or clean["city"].isna().any()
    assert set(clean["city"].dropna()) <= set(cf.CITIES)
    assert clean["phone"].dropna().str.fullmatch(r"1[3-9]\d{9}|0\d{2,3}-\d{7,8}").all()


@pytest.mark.parametrize("raw, message", [
    (pd.DataFrame({"record_id": ["a"], "name": ["x"]}), r"column 'phone' is missing from `raw`"),
    (pd.DataFrame({"record_id": ["a", "a"], "name": "x", "phone": None}),
     r"column 'record_id' of `raw` must hold one unique id per record; got 'a' at rows \[0, 1\]"),
    (pd.DataFrame({"record_id": [None], "name": "x", "phone": None}),
     r"column 'record_id' of `raw` must hold one unique id per record; got None at rows \[0\]"),
    ("file.csv", r"`raw` must be a pandas DataFrame"),
])
def test_cleaning_refuses_bad_input(raw, message):
    with pytest.raises(ValueError, match=r"customer_file.clean_customers: " + message):
        cf.clean_customers(raw)


@given(st.lists(st.one_of(st.text(max_size=20), st.integers(), st.floats(), st.none()),
                min_size=1, max_size=8))
def test_cleaning_never_raises_on_weird_cells(values):
    raw = pd.DataFrame({"record_id": range(len(values)), "name": values, "phone": values,
                        "birth_date": values, "city": values, "email": values, "kind": values,
                        "gender": values})
    clean = cf.clean_customers(raw)
    assert len(clean) == len(values)
    assert all(p is None or len(p) >= 11 for p in clean["phone"])


# ---- linkage and the single customer view
def test_the_merge_on_the_default_messy_file(messy, view):
    file, truth = messy
    report = view.report
    assert len(report) == len(file) == 320                    # every record accounted for
    assert report["status"].value_counts().to_dict() == {"merged": 194, "single": 120,
                                                         "rejected": 6}
    assert len(view.customers) == 201 and len(view.rejected) == 6
    quality = identify.linkage_quality(report["customer_id"], truth)
    assert quality[["pairs_found", "pairs_true", "pairs_correct"]].tolist() == [149, 150, 144]
    assert round(quality["precision"], 4) == 0.9664 and quality["recall"] == 0.96
    # the four junk rows are rejected, with a reason
    junk = report[truth.isna().to_numpy()]
    assert (junk["status"] == "rejected").all() and junk["reason"].str.len().gt(0).all()
    # wrong merges come from the spouses' shared phones, and only from them
    mixed = report.assign(truth=truth).groupby("customer_id")["truth"].nunique()
    for customer in mixed[mixed > 1].index:
        members = report[report["customer_id"] == customer]
        assert "phone" in "|".join(members["matched_by"])
        assert not set(view.customers.set_index("customer_id").loc[customer, "conflicts"]
                       .split("|")).isdisjoint({"name", "birth_date", "email"})


def test_stricter_and_looser_rules_trade_recall_for_precision(messy):
    file, truth = messy
    clean = cf.clean_customers(file)
    quality = {rules: identify.linkage_quality(
        cf.single_customer_view(clean, rules=rules).report["customer_id"], truth)
        for rules in [("phone",), ("phone", "email"), cf.DEFAULT_RULES,
                      cf.DEFAULT_RULES + ("name+city",)]}
    recall = [q["recall"] for q in quality.values()]
    assert recall == sorted(recall) and recall[0] < 0.85 < recall[2]
    assert quality[cf.DEFAULT_RULES + ("name+city",)]["precision"] < \
        quality[cf.DEFAULT_RULES]["precision"]


def test_single_view_takes_the_newest_value_and_reports_conflicts():
    clean = cf.clean_customers(pd.DataFrame({
        "record_id": ["s1", "e1", "c1"], "source": ["store", "eshop", "callcentre"],
        "kind": "individual", "name": ["王芳", "王芳", "王 芳"],
        "phone": ["13800001111", "+86 138 0000 1111", None],
        "email": [None, "w@qq.com", "w@qq.com"],
        "city": ["杭州", "北京", "北京"], "updated": ["2025-01-01", "2024-01-01", "2025-01-01"]}))
    view = cf.single_customer_view(clean)
    row = view.customers.iloc[0]
    assert (row["city"], row["email"], row["records"], row["sources"]) == (
        "杭州", "w@qq.com", 3, "callcentre|eshop|store")
    assert row["conflicts"] == "city" and str(row["updated"]).startswith("2025-01-01")
    report = view.report.set_index("record_id")
    assert report.loc["c1", "matched_by"] == "email" and report.loc["e1", "matched_by"] == \
        "email|phone"
    assert report.loc["s1", "linked_to"] == "e1|c1"


def test_records_of_different_kinds_never_link():
    clean = cf.clean_customers(pd.DataFrame({
        "record_id": ["p", "o"], "kind": ["individual", "organisation"], "name": ["王芳", "某某公司"],
        "phone": ["13800001111", "13800001111"]}))
    assert cf.find_duplicates(clean).empty
    assert len(cf.single_customer_view(clean).customers) == 2


@pytest.mark.parametrize("rules, message", [
    (("phone", "fingerprint"), r"each rule must be one of \['phone', 'email', 'name\+birth_date',"
                               r" 'org_name\+city', 'name\+city'\]; got 'fingerprint'"),
    ((), r"rules is empty"),
    (5, r"rules must be a sequence of rule names"),
    (("name+birth_date",), r"column 'birth_date' is missing from `clean`"),
])
def test_unknown_rules_and_missing_rule_columns_are_named(rules, message):
    clean = cf.clean_customers(pd.DataFrame({"record_id": ["a"], "kind": "individual",
                                             "name": ["x"], "phone": ["13800001111"]}))
    with pytest.raises(ValueError, match=r"customer_file.find_duplicates: " + message):
        cf.find_duplicates(clean, rules=rules)


def test_the_view_of_an_uncleaned_file_is_refused(messy):
    with pytest.raises(ValueError, match=r"customer_file.find_duplicates: column 'issues' is "
                                         r"missing from `clean`"):
        cf.single_customer_view(messy[0])


# ---- updating
def test_updating_the_messy_view_logs_every_change(messy, view):
    update = cf.clean_customers(synthetic.make_customer_update(messy[0]))
    result = cf.update_customers(view.customers, update, report=view.report)
    changes = result.changes
    assert changes["action"].value_counts().to_dict() == {"changed": 18, "unknown customer": 2,
                                                          "filled": 1}
    assert changes.loc[changes["action"] == "unknown customer", "customer_id"].tolist() == \
        ["ST9001", "ST9002"]
    applied = changes[changes["action"] != "unknown customer"]
    after = result.customers.set_index("customer_id")
    for customer, field, new in applied[["customer_id", "field", "new"]].itertuples(index=False):
        assert str(after.loc[customer, field]) == str(new)
    assert len(result.customers) == len(view.customers)


def test_a_blank_never_erases_and_a_later_row_wins():
    customers = pd.DataFrame({"customer_id": ["C1"], "city": ["杭州"], "email": ["a@qq.com"]})
    extract = pd.DataFrame({"customer_id": ["C1", "C1"], "city": [None, "北京"],
                            "email": [None, "b@qq.com"]})
    out = cf.update_customers(customers, extract)
    assert out.customers.iloc[0].tolist() == ["C1", "北京", "b@qq.com"]
    assert out.changes["field"].tolist() == ["city", "email"]


@pytest.mark.parametrize("customers, extract, kwargs, message", [
    (pd.DataFrame({"customer_id": ["C1", "C1"], "city": "x"}),
     pd.DataFrame({"customer_id": ["C1"]}), {}, r"column 'customer_id' of `customers` must hold "
                                                r"one unique id per record; got 'C1' at rows "
                                                r"\[0, 1\]"),
    (pd.DataFrame({"customer_id": ["C1"]}), pd.DataFrame({"customer_id": ["C1"], "vip": [1]}), {},
     r"`extract` has columns the customers table lacks: \['vip'\]"),
    (pd.DataFrame({"customer_id": ["C1"]}), pd.DataFrame({"id": ["C1"]}), {},
     r"column 'customer_id' is missing from `extract`"),
    (pd.DataFrame({"customer_id": ["C1"]}), pd.DataFrame({"customer_id": ["C1"]}),
     {"report": pd.DataFrame({"record_id": ["r"]})}, r"column 'customer_id' is missing from "
                                                    r"`report`"),
    (pd.DataFrame({"customer_id": ["C1"]}), "extract.csv", {}, r"`extract` must be a pandas"),
])
def test_updates_refuse_bad_input(customers, extract, kwargs, message):
    with pytest.raises(ValueError, match=r"customer_file.update_customers: " + message):
        cf.update_customers(customers, extract, **kwargs)


def test_the_single_view_can_be_pseudonymised_and_masked_for_sharing(view):
    shared = view.customers.assign(
        customer_id=privacy.pseudonymise(view.customers["customer_id"], salt="ch01-course"),
        phone=privacy.mask_phone(view.customers["phone"]),
        name=privacy.mask_name(view.customers["name"]),
        contact_name=privacy.mask_name(view.customers["contact_name"])).drop(
        columns=["email", "birth_date", "record_ids", "org_key"])
    left = privacy.scan_personal_data(shared)
    # masked name columns are still flagged by their column names; nothing else is left
    assert set(zip(left["column"], left["kind"])) <= {("name", "name"), ("contact_name", "name")}
    assert not shared["phone"].dropna().str.fullmatch(r"1[3-9]\d{9}").any()
    assert np.all(shared["customer_id"].str.startswith("p_"))


def test_an_update_of_another_type_widens_the_column_instead_of_failing():
    customers = pd.DataFrame({"customer_id": ["C1"], "score": pd.array([3], dtype="Int64")})
    out = cf.update_customers(customers, pd.DataFrame({"customer_id": ["C1"], "score": [4.5]}))
    assert out.customers["score"].tolist() == [4.5] and out.changes["old"].tolist() == [3]


def test_compare_records_needs_one_row_per_record():
    twice = pd.DataFrame({"record_id": ["a", "a"], "city": ["x", "y"]})
    with pytest.raises(ValueError, match=r"customer_file.compare_records: column 'record_id' of "
                                         r"`old` must hold one unique id per record; got 'a' "
                                         r"at rows \[0, 1\]"):
        cf.compare_records(twice, twice.iloc[:1])


def test_every_note_of_the_pipeline_has_display_text_in_both_languages(messy, view):
    """identify.RECORD_WORDS names every issue, rejection reason, status and update action the
    pipeline writes, so the Chinese edition can show them in Chinese."""
    from crmlab import i18n

    clean = cf.clean_customers(messy[0])
    updated = cf.update_customers(view.customers, cf.clean_customers(
        synthetic.make_customer_update(messy[0])), report=view.report)
    unknown = pd.DataFrame({"record_id": ["x"], "kind": ["robot"], "name": ["张三"],
                            "phone": ["13812345678"]})
    notes = {i for i in clean["issues"] for i in i.split("; ") if i}
    notes |= set(view.rejected["reason"]) | set(view.report["status"])
    notes |= set(updated.changes["action"])
    notes |= set(cf.single_customer_view(cf.clean_customers(unknown)).rejected["reason"])
    assert len(notes) == 12 and notes <= set(identify.RECORD_WORDS)
    i18n.set_language("zh")
    try:
        shown = i18n.localise(pd.Series(sorted(notes)), identify.RECORD_WORDS)
        assert not shown.str.contains("[a-z]{3}", regex=True).any(), shown.tolist()
        assert set(i18n.localise(view.report["status"], identify.RECORD_WORDS)) == {
            "已合并", "单独", "被拒绝"}
    finally:
        i18n.set_language("en")
    assert i18n.localise(pd.Series(sorted(notes)), identify.RECORD_WORDS).tolist() == sorted(notes)
