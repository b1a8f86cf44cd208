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
        "b2b_leads_synthetic": True, "cdnow_master": False, "cdnow_sample": False,
        "man_banks": False, "platform_cac_2023": False, "retention_cohorts": False,
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
