"""Bundled datasets: one registry, one generic loader, every file checked at load.

The data files live in the repository's ``datasets/`` folder, described by
``datasets/registry.json`` (title, source, licence, whether synthetic, columns, rows,
sha256). A wheel carries the same folder inside the package as ``crmlab/data``, so the
loader works from an installed wheel as well as from a checkout. Nothing is downloaded.

:func:`load_dataset` checks each file's sha256 against the registry before reading it,
so an edited or damaged file is refused with a message saying how to restore it, instead
of silently giving other numbers. A file is hashed once per session (the result is kept
per path, modification time and size), so later loads cost nothing.

To read the files from another folder (a copy, a mounted course folder), set the
environment variable ``CRMLAB_DATA_DIR`` to it; the files are still checked against the
registry installed with crmlab.

Examples
--------
>>> import crmlab
>>> crmlab.list_datasets()["name"].tolist()[:5]
['airline_rfm_rules', 'airline_transactions_synthetic', 'b2b_leads_synthetic', 'caravan', 'caravan_codes']
>>> crmlab.load_dataset("man_banks").shape
(5, 17)
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib import resources
from pathlib import Path

import pandas as pd

from ._validation import InputError

__all__ = ["DATA_DIR_ENV", "dataset_info", "dataset_path", "list_datasets", "load_dataset"]

#: Environment variable naming another folder to read the data files from.
DATA_DIR_ENV = "CRMLAB_DATA_DIR"

#: Files whose sha256 matched the registry: path -> (mtime_ns, size) when it was checked.
_VERIFIED: dict[str, tuple[int, int]] = {}


def _package_data_dir() -> Path:
    """The installed data folder: inside the wheel, else the checkout's datasets/."""
    packaged = resources.files("crmlab") / "data"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "datasets"


def _data_dir() -> Path:
    """The folder the data files are read from: ``$CRMLAB_DATA_DIR`` if set, else installed."""
    override = os.environ.get(DATA_DIR_ENV)
    return Path(override) if override else _package_data_dir()


def _registry() -> dict:
    with open(_package_data_dir() / "registry.json", encoding="utf-8") as fh:
        return json.load(fh)


def _entry(name, func: str) -> dict:
    registry = _registry()
    if not isinstance(name, str) or name not in registry:
        raise InputError(
            f"datasets.{func}: no dataset named {name!r}; choose one of {sorted(registry)} "
            f"(crmlab.list_datasets() describes them)."
        )
    return dict(registry[name], name=name)


def dataset_info(name: str) -> dict:
    """Return the registry entry (provenance, licence, columns, sha256) of a dataset.

    Raises
    ------
    ValueError
        If ``name`` is not a bundled dataset; the message lists the valid names.
    """
    return _entry(name, "dataset_info")


def dataset_path(name: str) -> Path:
    """Return the path of a dataset's data file (in ``$CRMLAB_DATA_DIR`` if that is set).

    The file is not checked here; :func:`load_dataset` checks it.
    """
    return _data_dir() / _entry(name, "dataset_path")["file"]


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


def _restore_hint(file: str) -> str:
    return (f"Restore it with `git checkout -- datasets/{file}` in a crmlab checkout, or "
            f"reinstall crmlab (pip install --force-reinstall crmlab)")


def _verify(path: Path, info: dict, func: str) -> None:
    """Raise unless the file's sha256 is the registered one; remember files that passed."""
    try:
        stat = path.stat()
    except OSError:
        where = f" (${DATA_DIR_ENV} = {os.environ[DATA_DIR_ENV]!r})" if os.environ.get(
            DATA_DIR_ENV) else ""
        raise InputError(f"datasets.{func}: data file {info['file']!r} of dataset "
                         f"{info['name']!r} is missing from {path.parent}{where}. "
                         f"{_restore_hint(info['file'])}.") from None
    key, seen = str(path.resolve()), (stat.st_mtime_ns, stat.st_size)
    if _VERIFIED.get(key) == seen:
        return
    actual = sha256(path)
    if actual != info["sha256"]:
        raise InputError(
            f"datasets.{func}: data file {str(path)!r} differs from the registered one "
            f"(sha256 expected {info['sha256']}, got {actual}): it was edited or damaged, and "
            f"every number computed from it would be off. {_restore_hint(info['file'])}. "
            f"If you changed it on purpose, load it with pd.read_csv instead."
        )
    _VERIFIED[key] = seen


def load_dataset(name: str) -> pd.DataFrame:
    """Load a bundled dataset as a DataFrame, after checking the file's sha256.

    Parameters
    ----------
    name : str
        A name from :func:`list_datasets`, e.g. ``"man_banks"``.

    Returns
    -------
    DataFrame
        The columns documented in the dataset's registry entry (see :func:`dataset_info`).

    Raises
    ------
    ValueError
        If ``name`` is unknown, or the data file is missing or differs from the
        registered sha256 (the message names the file, both hashes and how to restore it).

    Examples
    --------
    >>> load_dataset("man_banks")["bank"].tolist()
    ['A', 'B', 'C', 'D', 'E']
    """
    info = _entry(name, "load_dataset")
    path = _data_dir() / info["file"]
    _verify(path, info, "load_dataset")
    read = dict(info.get("read", {}))
    if "sep" in read and read["sep"] == "whitespace":
        read["sep"] = r"\s+"
    frame = pd.read_csv(path, encoding="utf-8",
                        comment="#" if info.get("comment_lines") else None, **read)
    for column, fmt in info.get("dates", {}).items():
        frame[column] = pd.to_datetime(frame[column].astype(str), format=fmt)
    return frame


def sha256(path: Path) -> str:
    """Return the sha256 hex digest of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
