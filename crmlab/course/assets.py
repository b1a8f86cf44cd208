"""The front-end files the offline slides, site and dashboards load, fetched once from npm.

An exported page needs reveal.js (4.x: nbconvert's slide template expects its layout),
require.js, jQuery 2, the widget embed script of ``@jupyter-widgets/html-manager`` and
MathJax 2. nbconvert links them from CDNs by default, so a page opened without a network
shows no widgets, no formulas and no slides. Here each package is fetched at set-up time
with the ordinary npm client (``npm pack NAME@VERSION``), its tarball checked against the
sha512 the registry published for that exact version (pinned below), and only the files a
page loads are unpacked into ``build/vendor/NAME/`` (git-ignored, about 10 MB). Nothing
is fetched when a page is shown: the pages link these files by relative paths.

Why not committed: MathJax's fonts and the widget bundle alone are several megabytes of
minified third-party code; a pinned version plus integrity hash gives the same bytes on
every machine without putting them in the repository's history.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

__all__ = ["PACKAGES", "VENDOR", "Package", "ensure", "missing", "urls"]

ROOT = Path(__file__).resolve().parent.parent.parent
#: Where the unpacked files go (``build/`` is git-ignored).
VENDOR = ROOT / "build" / "vendor"


@dataclass(frozen=True)
class Package:
    """One npm package: the exact version, the registry's sha512 of its tarball, and the
    paths (files or folders, relative to the package root) that pages load."""

    name: str
    version: str
    integrity: str
    keep: tuple[str, ...]
    skip_suffixes: tuple[str, ...] = (".map",)

    @property
    def folder(self) -> str:
        return self.name.rsplit("/", 1)[-1]


PACKAGES = (
    Package("reveal.js", "4.6.1",
            "sha512-1CW0auaXNPmwmvQ7TwpszwVxMi2Xr5cTS3J3EBC/HHgbPF32Dn7aiu/LKWDOGjMbaDwKQiGmfqcoGQ74HUHCMw==",
            ("dist/reveal.js", "dist/reveal.css", "dist/theme/", "plugin/notes/notes.js",
             "LICENSE")),
    Package("requirejs", "2.3.7",
            "sha512-DouTG8T1WanGok6Qjg2SXuCMzszOo0eHeH9hDZ5Y4x8Je+9JB38HdTLT4/VA8OaUhBa0JPVHJ0pyBkM1z+pDsw==",
            ("require.js", "README.md")),
    Package("jquery", "2.2.4",
            "sha512-lBHj60ezci2u1v2FqnZIraShGgEXq35qCzMv4lITyHGppTnA13rwR0MgwyNJh9TnDs3aXUvd1xjAotfraMHX/Q==",
            ("dist/jquery.min.js", "LICENSE.txt")),
    Package("mathjax", "2.7.7",
            "sha512-OOl0B2/0tSJAtAZarXnQuLDBLgTNRqiI9VqHTQzPsxf4okT2iIpDrvaklK9x2QEMD1sDj4yRn11Ygci41DxMAQ==",
            ("MathJax.js", "LICENSE", "config/", "extensions/", "jax/input/TeX/",
             "jax/output/CommonHTML/", "jax/element/", "fonts/HTML-CSS/TeX/woff/",
             "localization/en/", "localization/zh-hans/")),
    Package("@jupyter-widgets/html-manager", "1.0.15",
            "sha512-5thBIV6ymNgmPVOHvzx+gGy8ZSKmSazhtGw4/c4xJDVzRhG9PTeQsRjF3FUTopvFi//SABeNz1yp47bCrJ3CQA==",
            ("dist/", "LICENSE"), skip_suffixes=(".map", "embed.js", "libembed-amd.js")),
)

_MARKER = ".crmlab-package.json"


def _marker(pkg: Package, vendor: Path) -> Path:
    return vendor / pkg.folder / _MARKER


def missing(vendor: Path = VENDOR) -> list[Package]:
    """The packages not unpacked yet (or unpacked from another version)."""
    out = []
    for pkg in PACKAGES:
        try:
            info = json.loads(_marker(pkg, vendor).read_text())
        except (OSError, ValueError):
            out.append(pkg)
            continue
        if info.get("integrity") != pkg.integrity:
            out.append(pkg)
    return out


def _check_integrity(tarball: Path, integrity: str) -> None:
    algo, _, expected = integrity.partition("-")
    digest = base64.b64encode(hashlib.new(algo, tarball.read_bytes()).digest()).decode()
    if digest != expected:
        raise RuntimeError(f"{tarball.name}: {algo} is {digest}, the pinned value is {expected}; "
                           f"not unpacked")


def _wanted(pkg: Package, member: str) -> str | None:
    """The path inside the package of a tarball member that pages need, else None."""
    path = PurePosixPath(member)
    if path.is_absolute() or ".." in path.parts or len(path.parts) < 2:
        return None
    inner = PurePosixPath(*path.parts[1:]).as_posix()   # drop npm's "package/" prefix
    if inner.endswith(pkg.skip_suffixes):
        return None
    if any(inner == k or (k.endswith("/") and inner.startswith(k)) for k in pkg.keep):
        return inner
    return None


def unpack(pkg: Package, tarball: Path, vendor: Path = VENDOR) -> int:
    """Check ``tarball`` against the pinned sha512 and unpack the kept files; returns the
    number of bytes written."""
    _check_integrity(tarball, pkg.integrity)
    target = vendor / pkg.folder
    if target.exists():
        shutil.rmtree(target)
    written = 0
    with tarfile.open(tarball, "r:gz") as tar:
        for member in tar.getmembers():
            inner = _wanted(pkg, member.name) if member.isfile() else None
            if inner is None:
                continue
            out = target / inner
            out.parent.mkdir(parents=True, exist_ok=True)
            data = tar.extractfile(member).read()
            out.write_bytes(data)
            written += len(data)
    _marker(pkg, vendor).write_text(json.dumps(
        {"name": pkg.name, "version": pkg.version, "integrity": pkg.integrity}, indent=1))
    return written


def ensure(vendor: Path = VENDOR, *, quiet: bool = False) -> Path:
    """Fetch (``npm pack``), check and unpack every package not there yet; return ``vendor``.

    Needs ``npm`` (Node.js) the first time only; raises ``RuntimeError`` with what to do
    when it is missing or a tarball does not match its pinned hash.
    """
    vendor = Path(vendor)
    if not missing(vendor):
        return vendor
    vendor.mkdir(parents=True, exist_ok=True)
    with open(vendor / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)     # two builds at once: one fetches, one waits
        try:
            _fetch(missing(vendor), vendor, quiet)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return vendor


def _fetch(todo: list[Package], vendor: Path, quiet: bool) -> None:
    if not todo:
        return
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("the slides and the site need reveal.js, MathJax and the widget "
                           "script from npm once; install Node.js with npm (Debian: apt-get "
                           "install npm) and run this again")
    with tempfile.TemporaryDirectory() as tmp:
        specs = [f"{p.name}@{p.version}" for p in todo]
        if not quiet:
            print("fetching " + ", ".join(specs) + " (npm pack, once)")
        result = subprocess.run([npm, "pack", *specs, "--json", "--pack-destination", tmp],
                                capture_output=True, text=True, cwd=tmp,
                                env={**os.environ, "npm_config_fund": "false",
                                     "npm_config_audit": "false"})
        if result.returncode != 0:
            raise RuntimeError("npm pack failed: " + (result.stderr or result.stdout)[-2000:])
        files = {d["name"]: Path(tmp) / d["filename"] for d in json.loads(result.stdout)}
        for pkg in todo:
            size = unpack(pkg, files[pkg.name], vendor)
            if not quiet:
                print(f"  {pkg.name}@{pkg.version}: sha512 checked, {size / 1e6:.1f} MB "
                      f"unpacked into {vendor / pkg.folder}")


def urls(page_dir: Path, vendor: Path = VENDOR) -> dict[str, str]:
    """Relative URLs, from a page written in ``page_dir``, of the files nbconvert links."""
    rel = Path(os.path.relpath(vendor, page_dir)).as_posix()
    return {
        "reveal_url_prefix": f"{rel}/reveal.js",
        "require_js_url": f"{rel}/requirejs/require.js",
        "jquery_url": f"{rel}/jquery/dist/jquery.min.js",
        "widget_renderer_url": f"{rel}/html-manager/dist/embed-amd.js",
        "mathjax_url": f"{rel}/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe",
    }


if __name__ == "__main__":   # python -m crmlab.course.assets
    ensure()
    print(f"front-end files ready in {VENDOR}")
