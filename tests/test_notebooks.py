"""Every chapter executes from its source with papermill, under several parameter sets."""

import nbformat
import papermill as pm
import pytest

from crmlab.course import build

RUNS = [
    ("01_identification", {}, "ARI 0.996\nARI 0.13\n"),
    ("01_identification", {"lost_after": 180, "min_purchases": 2, "high_spend": 2000,
                           "platinum": 0.1, "gold": 0.4, "iron": 0.9, "margin": 0.4,
                           "cost_per_order": 3.0},
     "ARI 0.996\n"),   # the hidden types do not depend on the parameters
    ("02_man_case", {}, "weights 0.4/0.3/0.3: D wins, 4.00 vs B 3.10"),
    ("02_man_case", {"w_money": 0.2, "w_authority": 0.3, "w_need": 0.5},
     "weights 0.2/0.3/0.5: B wins, 3.90 vs D 3.80"),
    ("00_start_here", {}, None),
    ("03_rfm", {}, "top 20% of customers: 67.8% of revenue; Gini 0.635"),
    ("03_rfm", {"bins": 4, "abc_a": 0.7, "abc_b": 0.9}, "23,570 customers in"),
    ("04_clv", {}, "P(alive) 0.727; expected purchases in the next 39 weeks: 1.226"),
    ("04_clv", {"margin": 50.0, "discount": 0.05, "horizon_weeks": 52, "clv_months": 24},
     "expected purchases in the next 52 weeks: "),
    ("05_satisfaction_trap", {}, "make_satisfaction_panel(n=10000, seed=20261130, latent_strength=0.6, "
                              "competitor_pressure=0.3, basic_weight=1)"),
    ("05_satisfaction_trap", {"latent_strength": 0.0, "competitor_pressure": 0.0,
                              "panel_seed": 7},
     "make_satisfaction_panel(n=10000, seed=7, latent_strength=0, competitor_pressure=0, "
     "basic_weight=1)"),
]


def _stdout(nb) -> str:
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                   for o in c.get("outputs", []) if o.get("name") == "stdout")


@pytest.mark.parametrize("chapter, parameters, expected", RUNS,
                         ids=[f"{c}-{p or 'defaults'}" for c, p, _ in RUNS])
def test_chapter_runs_with_parameters(tmp_path, chapter, parameters, expected):
    source = build.ROOT / "notebooks" / f"{chapter}.md"
    nb = build.solution_notebook(build.read_source(source))
    out = pm.execute_notebook(nb, str(tmp_path / f"{chapter}.ipynb"), parameters=parameters,
                              kernel_name="python3", cwd=str(tmp_path), progress_bar=False)
    for cell in out.cells:
        for o in cell.get("outputs", []):
            assert o.get("name") != "stderr", o.get("text")     # warnings are errors
    if expected:
        assert expected in _stdout(out)
    assert nbformat.validate(out) is None


@pytest.mark.parametrize("chapter, who", [("01_identification", "2024000004"),
                                          ("02_man_case", "2024000001"), ("03_rfm", "alice"),
                                          ("04_clv", "2024000002"),
                                          ("05_satisfaction_trap", "2024000003")])
def test_worked_solutions_pass_on_a_students_own_numbers(tmp_path, chapter, who):
    """The solution code, run on a student's variant, passes every check of that student."""
    nb = build.solution_notebook(build.read_source(build.ROOT / "notebooks" / f"{chapter}.md"))
    first = next(k for k, c in enumerate(nb.cells) if c.cell_type == "code")
    nb.cells.insert(first + 1, nbformat.v4.new_code_cell(f"crmlab.student({who!r})"))
    out = pm.execute_notebook(nb, str(tmp_path / f"{chapter}.ipynb"), kernel_name="python3",
                              cwd=str(tmp_path), progress_bar=False)
    checks = [c for c in out.cells if c.cell_type == "code" and "crmlab.check(" in c.source]
    feedback = ["".join(o.get("text", "") for o in c.outputs) for c in checks]
    assert len(feedback) >= 6
    for line in feedback:
        assert line.startswith("✓") and f"[student {who}]" in line, line
