"""Bundled datasets: one registry, one generic loader.

The data files live in the repository's ``datasets/`` folder, described by
``datasets/registry.json`` (title, source, licence, whether synthetic, columns, rows,
sha256). A wheel carries the same folder inside the package as ``crmlab/data``, so the
loader works from an installed wheel as well as from a checkout. Nothing is downloaded.

Examples
--------
>>> import crmlab
>>> crmlab.list_datasets()["name"].tolist()[:6]
['airline_rfm_rules', 'airline_transactions_synthetic', 'b2b_leads_synthetic', 'cdnow_master', 'cdnow_sample', 'man_banks']
>>> crmlab.load_dataset("man_banks").shape
(5, 13)
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path

import pandas as pd

__all__ = ["dataset_info", "dataset_path", "list_datasets", "load_dataset"]


def _data_dir() -> Path:
    """The folder holding the data files: inside the wheel, else the checkout's datasets/."""
    packaged = resources.files("crmlab") / "data"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "datasets"


def _registry() -> dict:
    with open(_data_dir() / "registry.json", encoding="utf-8") as fh:
        return json.load(fh)


def dataset_info(name: str) -> dict:
    """Return the registry entry (provenance, licence, columns, sha256) of a dataset.

    Raises
    ------
    ValueError
        If ``name`` is not a bundled dataset; the message lists the valid names.
    """
    registry = _registry()
    if not isinstance(name, str) or name not in registry:
        raise ValueError(
            f"load_dataset: no dataset named {name!r}; choose one of {sorted(registry)} "
            f"(crmlab.list_datasets() describes them)."
        )
    return dict(registry[name], name=name)


def dataset_path(name: str) -> Path:
    """Return the path of a dataset's data file."""
    return _data_dir() / dataset_info(name)["file"]


def list_datasets() -> pd.DataFrame:
    """List the bundled datasets.

    Returns
    -------
    DataFrame
        One row per dataset: ``name``, ``title``, ``rows``, ``synthetic`` and ``file``,
        sorted by name.
    """
    rows = [
        {"name": n, "title": e["title"], "rows": e["rows"], "synthetic": e["synthetic"],
         "file": e["file"]}
        for n, e in sorted(_registry().items())
    ]
    return pd.DataFrame(rows)


def load_dataset(name: str) -> pd.DataFrame:
    """Load a bundled dataset as a DataFrame.

    Parameters
    ----------
    name : str
        A name from :func:`list_datasets`, e.g. ``"man_banks"``.

    Returns
    -------
    DataFrame
        The columns documented in the dataset's registry entry (see :func:`dataset_info`).

    Examples
    --------
    >>> load_dataset("man_banks")["bank"].tolist()
    ['A', 'B', 'C', 'D', 'E']
    """
    info = dataset_info(name)
    read = dict(info.get("read", {}))
    if "sep" in read and read["sep"] == "whitespace":
        read["sep"] = r"\s+"
    frame = pd.read_csv(dataset_path(name), encoding="utf-8",
                        comment="#" if info.get("comment_lines") else None, **read)
    for column, fmt in info.get("dates", {}).items():
        frame[column] = pd.to_datetime(frame[column].astype(str), format=fmt)
    return frame


def sha256(path: Path) -> str:
    """Return the sha256 hex digest of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
