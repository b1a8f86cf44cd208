"""Test-session setup shared by tests/, the doctests in crmlab/ and the notebooks.

A fresh MPLCONFIGDIR: a matplotlib font cache built before a font was installed never
sees it, so tests (and the kernels they start, which inherit the environment) begin
with an empty cache.
"""

import os
import tempfile

os.environ["MPLCONFIGDIR"] = tempfile.mkdtemp(prefix="crmlab-mpl-")

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")
