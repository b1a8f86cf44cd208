"""crmlab.reproduce: one test per published number (the list in crmlab/reproduce.py), the
list's own hygiene, and the README's reproduction table equal to the generated one.

Every entry names its source (courseware document and section, or the paper) and its
basis; the values themselves are in crmlab/reproduce.py, the one place they are written.
"""

import re
from pathlib import Path

import numpy as np
import pytest

from crmlab import reproduce

README = Path(__file__).resolve().parent.parent / "README.md"
BEGIN, END = "<!-- reproduce:begin -->", "<!-- reproduce:end -->"


@pytest.mark.parametrize("entry", reproduce.ENTRIES, ids=[e.id for e in reproduce.ENTRIES])
def test_published_number_is_reproduced(entry):
    computed = float(entry.compute())
    assert np.isfinite(computed)
    assert abs(computed - entry.published) <= entry.tol, (
        f"{entry.what} ({entry.source}): published {entry.published}, computed {computed}")


def test_the_list_is_clean():
    ids = [e.id for e in reproduce.ENTRIES]
    assert len(ids) == len(set(ids)) and all(re.fullmatch(r"[A-Za-z0-9_.]+", i) for i in ids)
    for e in reproduce.ENTRIES:
        assert e.what and e.source and e.basis in ("printed", "computed"), e.id
        assert 0 < e.tol < max(1.0, abs(e.published)), e.id
        # cite documents and papers, never a file path or a digest code
        assert not re.search(r"seeds?\b|digest|shared/|\.md\b|\bF\d\b", e.source), e.id
    groups = {e.id.split("_")[0] for e in reproduce.ENTRIES}
    assert {"man", "airline", "firm1", "firm2", "cac", "margin", "timing", "netflix", "sbg",
            "cdnow", "bgnbd", "btyd", "gg", "coca", "lifetime", "nps"} <= groups


def test_a_wrong_number_fails_and_a_crash_is_a_failure():
    wrong = reproduce.Entry("wrong", "off by one", "nowhere", 1.0, lambda: 2.0, decimals=0)
    crash = reproduce.Entry("crash", "raises", "nowhere", 1.0, lambda: 1 / 0)
    right = reproduce.Entry("right", "exact", "nowhere", 0.5, lambda: 0.5004, decimals=3)
    results = reproduce.run([wrong, crash, right])
    assert results["passed"].tolist() == [False, False, True]
    assert results.loc["crash", "error"] == "ZeroDivisionError: division by zero"


def test_readme_table_equals_the_generated_one():
    text = README.read_text(encoding="utf-8")
    assert text.count(BEGIN) == 1 and text.count(END) == 1
    block = text.split(BEGIN)[1].split(END)[0].strip()
    assert block == reproduce.markdown(), (
        "the README's reproduction table is out of date: paste `crmlab reproduce --markdown` "
        "between the reproduce markers")


def test_text_table_marks_computed_values():
    entries = [e for e in reproduce.ENTRIES if e.id in ("margin_multiple_r0.8_i0.1",
                                                        "margin_multiple_r0.9_i0.1")]
    table = reproduce.text_table(entries).splitlines()
    assert table[2].split()[-3:] == ["2.67", "2.667", "pass"]
    assert table[3].split()[-3:] == ["4.50*", "4.500", "pass"]
    assert table[-2].startswith("* computed from the source's formula")
