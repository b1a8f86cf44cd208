"""environment.yml and pyproject.toml list the same packages with the same bounds."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _key(spec: str) -> tuple[str, str]:
    name, bound = re.match(r"([A-Za-z0-9_.\-]+)\s*(.*)", spec.strip()).groups()
    return name.lower().replace("_", "-"), bound.replace(" ", "")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + [d for extra in ("lab", "test")
                                        for d in project["optional-dependencies"][extra]]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    listed = [d for d in conda + pip if not re.match(r"(python|pip)\b(?!-)|-e ", d)]
    assert sorted(map(_key, listed)) == sorted(map(_key, wanted))
    assert any(d.startswith("python>=3.11") for d in conda)
    assert project["requires-python"] == ">=3.11"
