"""crmlab.datasets: provenance, checksums, documented columns, and loading from a wheel."""

import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import crmlab
from crmlab import datasets

ROOT = Path(__file__).resolve().parent.parent
REGISTRY = json.loads((ROOT / "datasets" / "registry.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_file_matches_its_registered_sha256(name):
    data = (ROOT / "datasets" / REGISTRY[name]["file"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == REGISTRY[name]["sha256"]


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_loaded_frame_has_the_documented_columns_and_rows(name):
    frame = crmlab.load_dataset(name)
    assert list(frame.columns) == list(REGISTRY[name]["columns"])
    assert len(frame) == REGISTRY[name]["rows"]


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_entry_states_source_licence_and_whether_synthetic(name):
    entry = REGISTRY[name]
    assert entry["source"] and entry["licence"] and isinstance(entry["synthetic"], bool)
    assert entry["synthetic"] == ("synthetic" in name)
    if entry["synthetic"]:
        first_line = (ROOT / "datasets" / entry["file"]).read_text(encoding="utf-8").splitlines()[0]
        assert "SYNTHETIC" in first_line


def test_every_data_file_is_registered_and_described():
    readme = (ROOT / "datasets" / "README.md").read_text(encoding="utf-8")
    registered = {e["file"] for e in REGISTRY.values()}
    for path in (ROOT / "datasets").iterdir():
        if path.name in {"README.md", "registry.json"}:
            continue
        assert path.name in registered and path.name in readme


def test_man_banks_is_labelled_fictional_courseware_data():
    assert "虚拟数据" in crmlab.dataset_info("man_banks")["licence"]
    assert crmlab.load_dataset("man_banks")["total_doc"].tolist() == [2.8, 3.1, 2.9, 4.0, 1.4]


def test_unknown_name_lists_the_valid_ones():
    with pytest.raises(ValueError, match=r"no dataset named 'banks'; choose one of \['airline_rfm_rules', "):
        crmlab.load_dataset("banks")


def test_list_datasets_flags_synthetic_data():
    table = crmlab.list_datasets().set_index("name")
    assert table["synthetic"].to_dict() == {
        "airline_rfm_rules": False, "airline_transactions_synthetic": True,
        "b2b_leads_synthetic": True, "caravan": False, "caravan_codes": False,
        "caravan_columns": False, "cdnow_master": False, "cdnow_sample": False,
        "corp_rep_data": False, "ecsi_mobi": False, "man_banks": False, "persona_vs_segmentation": False, "platform_cac_2023": False,
        "retention_cohorts": False,
        "two_firms_churn": False}


def test_load_dataset_works_from_an_installed_wheel(tmp_path):
    subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path)],
                   cwd=ROOT, check=True, capture_output=True)
    wheel = next(tmp_path.glob("crmlab-*.whl"))
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    assert (site / "crmlab" / "data" / "man_banks.csv").exists()
    code = ("import crmlab; print(crmlab.__file__); "
            "print(crmlab.load_dataset('man_banks')['total_doc'].sum())")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, check=True, text=True,
                         capture_output=True, env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"})
    module_file, total = out.stdout.split()
    assert Path(module_file).is_relative_to(site)
    assert float(total) == pytest.approx(14.2)
    assert datasets.sha256(site / "crmlab" / "data" / "man_banks.csv") == REGISTRY["man_banks"]["sha256"]


# ---- sha256 checked at load (issue 9, section 4)
import shutil  # noqa: E402

import numpy as np  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from strategies import correct_or_clear  # noqa: E402


@pytest.fixture
def copied(tmp_path, monkeypatch):
    """A copy of the data files in a temporary folder that crmlab reads instead."""
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "datasets", folder)
    monkeypatch.setenv(datasets.DATA_DIR_ENV, str(folder))
    return folder


def test_an_untouched_copy_loads(copied):
    assert datasets.dataset_path("man_banks") == copied / "man_banks.csv"
    assert crmlab.load_dataset("man_banks")["total_doc"].tolist() == [2.8, 3.1, 2.9, 4.0, 1.4]


def test_load_dataset_refuses_a_file_changed_by_one_byte(copied):
    path = copied / "man_banks.csv"
    data = bytearray(path.read_bytes())
    data[data.index(b"2.8")] = ord("3")                      # A's total 2.8 -> 3.8
    path.write_bytes(bytes(data))
    actual = hashlib.sha256(bytes(data)).hexdigest()
    with pytest.raises(ValueError, match=(
            r"datasets.load_dataset: data file '.*man_banks.csv' differs from the registered one "
            rf"\(sha256 expected {REGISTRY['man_banks']['sha256']}, got {actual}\).*"
            r"git checkout -- datasets/man_banks.csv.*reinstall crmlab")):
        crmlab.load_dataset("man_banks")
    assert crmlab.load_dataset("two_firms_churn").shape[0] == REGISTRY["two_firms_churn"]["rows"]


def test_a_missing_file_says_how_to_restore_it(copied):
    (copied / "man_banks.csv").unlink()
    with pytest.raises(ValueError, match=r"datasets.load_dataset: data file 'man_banks.csv' of "
                                         r"dataset 'man_banks' is missing from .*CRMLAB_DATA_DIR.*"
                                         r"git checkout -- datasets/man_banks.csv"):
        crmlab.load_dataset("man_banks")


def test_verification_is_cached_until_the_file_changes(copied, monkeypatch):
    calls = []
    real = datasets.sha256
    monkeypatch.setattr(datasets, "sha256", lambda p: calls.append(p) or real(p))
    for _ in range(3):
        crmlab.load_dataset("retention_cohorts")
    assert len(calls) == 1
    path = copied / "retention_cohorts.csv"
    path.write_bytes(path.read_bytes() + b"\n")               # size and mtime change
    with pytest.raises(ValueError, match="differs from the registered one"):
        crmlab.load_dataset("retention_cohorts")
    assert len(calls) == 2


# ---- fuzz: every public function gives a correct answer or a clear error
NAMES = st.one_of(st.sampled_from(sorted(REGISTRY)), st.text(max_size=12),
                  st.sampled_from([None, 3, ["man_banks"], b"man_banks", "MAN_BANKS", np.nan]))


def test_fuzz_covers_every_public_function_of_datasets():
    public = {n for n in datasets.__all__ if callable(getattr(datasets, n))}
    assert public == {"dataset_info", "dataset_path", "list_datasets", "load_dataset"}


@settings(max_examples=60, deadline=None)
@given(NAMES)
def test_fuzz_datasets_correct_or_clear(name):
    info = correct_or_clear("datasets.dataset_info", lambda: crmlab.dataset_info(name))
    path = correct_or_clear("datasets.dataset_path", lambda: datasets.dataset_path(name))
    assert (info is None) == (path is None) == (name not in REGISTRY if isinstance(name, str)
                                                else True)
    assert len(crmlab.list_datasets()) == len(REGISTRY)
    if name in ("man_banks", "two_firms_churn", "platform_cac_2023", "retention_cohorts"):
        frame = correct_or_clear("datasets.load_dataset", lambda: crmlab.load_dataset(name))
        assert list(frame.columns) == list(REGISTRY[name]["columns"])
    elif not isinstance(name, str) or name not in REGISTRY:
        assert correct_or_clear("datasets.load_dataset", lambda: crmlab.load_dataset(name)) is None


def test_the_satisfaction_surveys_are_the_published_ones():
    """ECSI mobile survey (Tenenhaus et al. 2005): 250 respondents × 24 items on 1–10;
    corporate-reputation data (Hair et al. 2017): 344 respondents, -99 read as missing."""
    mobi = crmlab.load_dataset("ecsi_mobi")
    assert mobi.shape == (250, 24)
    assert mobi.min().min() == 1 and mobi.max().max() == 10
    corp = crmlab.load_dataset("corp_rep_data")
    assert corp.shape == (344, 41) and (corp == -99).sum().sum() == 0
    assert corp[["cusa", "cusl_1", "cusl_2", "cusl_3"]].isna().sum().tolist() == [1, 3, 4, 3]
    assert corp["cusa"].dropna().between(1, 7).all()


# ---- the CoIL 2000 Caravan customers (ISLP 0.6.0 wheel) and their data dictionary
@pytest.fixture(scope="module")
def caravan():
    return crmlab.load_dataset("caravan")


def test_caravan_is_the_islp_file_with_the_published_purchase_counts(caravan):
    """James et al. (2023), ISLP, chapter 4 lab (KNN on Caravan): 5,822 individuals,
    85 predictors, 348 purchasers ('only 6% of people purchased caravan insurance')."""
    assert REGISTRY["caravan"]["sha256"] == (
        "e89d49b6fb8fe02d76bb5bb80d8e0dab473bf9f6a72515e30c259f6d7da42269")
    assert caravan.shape == (5822, 86) and caravan.columns[-1] == "Purchase"
    assert caravan["Purchase"].value_counts().to_dict() == {"No": 5474, "Yes": 348}
    assert round(348 / 5822, 2) == 0.06
    assert caravan.drop(columns="Purchase").dtypes.map(lambda d: d.kind == "i").all()
    assert "ISLP" not in sys.modules and "islp" not in sys.modules


def test_caravan_sociodemographics_are_zip_code_attributes(caravan):
    """Columns 1-43 describe the zip-code area: many customers share one profile."""
    social = caravan.iloc[:, :43]
    assert len(social.drop_duplicates()) == 1734
    assert caravan.duplicated().sum() == 602
    assert 14 not in set(caravan["MOSTYPE"])          # 'Junior cosmopolitan' never occurs


def test_caravan_dictionary_describes_every_column_in_order(caravan):
    columns = crmlab.load_dataset("caravan_columns")
    assert columns["column"].tolist() == caravan.columns.tolist()
    assert columns["position"].tolist() == list(range(1, 87))
    assert columns.groupby("group").size().to_dict() == {
        "product_contribution": 21, "product_count": 21, "sociodemographic": 43, "target": 1}
    assert columns.set_index("column").loc["Purchase", "original_name"] == "CARAVAN"
    assert columns[["short_en", "short_zh", "description"]].notna().all().all()
    assert columns["short_en"].is_unique and columns["short_zh"].is_unique
    assert columns.set_index("column").loc[["MOSTYPE", "MGEMLEEF", "MOSHOOFD", "MGODRK",
                                            "MINK123M", "PWAPART", "PBYSTAND"],
                                           "code_table"].tolist() == [
        "L0", "L1", "L2", "L3", "L3", "L4", "L4"]


def test_every_coded_value_has_a_label(caravan):
    codes = crmlab.load_dataset("caravan_codes")
    tables = codes.groupby("table")["code"].agg(["min", "max", "size"])
    assert tables.to_dict("index") == {"L0": {"min": 1, "max": 41, "size": 41},
                                       "L1": {"min": 1, "max": 6, "size": 6},
                                       "L2": {"min": 1, "max": 10, "size": 10},
                                       "L3": {"min": 0, "max": 9, "size": 10},
                                       "L4": {"min": 0, "max": 9, "size": 10}}
    columns = crmlab.load_dataset("caravan_columns").dropna(subset=["code_table"])
    for column, table in zip(columns["column"], columns["code_table"]):
        known = set(codes.loc[codes["table"] == table, "code"])
        assert set(caravan[column]) <= known, column
    l0 = codes[codes["table"] == "L0"].set_index("code")["label"]
    assert l0[5] == l0[32] == "Mixed seniors"          # the dictionary names two subtypes alike
    assert codes["label_zh"].notna().all()


def test_persona_vs_segmentation_is_the_courseware_table():
    table = crmlab.load_dataset("persona_vs_segmentation").set_index("dimension")
    assert table.index.tolist() == ["definition", "data_basis", "granularity", "method",
                                    "dynamics", "typical_use", "tools", "visual_form"]
    assert table.loc["method", "persona_zh"] == "机器学习聚类+标签体系"
    assert table.loc["method", "segmentation_zh"] == "RFM模型/地理人口统计细分"
    assert "每小时" in table.loc["dynamics", "persona_zh"]
    assert "季度" in table.loc["dynamics", "segmentation_zh"]
