"""The package layout: the library by topic, the course by chapter, and no import cycle.

Reads the import statements of every module (ast), so it tests the source as written.
"""

import ast
from pathlib import Path

import pytest

import crmlab

PACKAGE = Path(crmlab.__file__).parent
COURSE_ONLY = {"jupytext", "nbclient", "papermill", "nbconvert", "nbformat"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Absolute names of the modules ``path`` imports (relative imports resolved)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            base = base[: len(base) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            found.add(module)
            found |= {f"{module}.{a.name}" for a in node.names}
    return found


MODULES = {_module_name(p): _imports(p) for p in sorted(PACKAGE.rglob("*.py"))}
PRESENTATION = ("crmlab.checks", "crmlab.widgets", "crmlab.course", "crmlab.plotting",
                "crmlab.cli")
#: every module but the presentation and course packages: the library by topic
COMPUTE = sorted(n.removeprefix("crmlab.") for n in MODULES
                 if n not in ("crmlab", "crmlab.__main__") and not n.startswith(PRESENTATION))


def _internal(name: str) -> set[str]:
    return {m for m in MODULES[name] if m in MODULES and m != name}


def test_there_is_no_import_cycle():
    # a cycle through a package's __init__ is how `checks` and `checks_*` used to loop
    graph = {name: {m for m in _internal(name) if not name.startswith(m + ".")}
             for name in MODULES}
    seen, stack = set(), []

    def visit(node):
        if node in stack:
            pytest.fail("import cycle: " + " -> ".join(stack[stack.index(node):] + [node]))
        if node in seen:
            return
        stack.append(node)
        for nxt in sorted(graph[node]):
            visit(nxt)
        stack.pop()
        seen.add(node)

    for name in sorted(graph):
        visit(name)


@pytest.mark.parametrize("name", COMPUTE)
def test_compute_modules_import_no_presentation_or_course_code(name):
    assert {"man", "rfm", "btyd", "synthetic.sales", "identify", "personas"} <= set(COMPUTE)
    imports = MODULES[f"crmlab.{name}"]
    top = {m.split(".")[0] for m in imports}
    assert not top & ({"matplotlib", "ipywidgets", "seaborn"} | COURSE_ONLY)
    assert not {m for m in imports if m.startswith(PRESENTATION)}


@pytest.mark.parametrize("package", ["checks", "widgets"])
def test_the_core_imports_no_chapter_and_chapters_import_only_the_core(package):
    core = f"crmlab.{package}.core"
    assert not {m for m in MODULES[core] if m.startswith(f"crmlab.{package}.ch")}
    chapters = [n for n in MODULES if n.startswith(f"crmlab.{package}.ch")]
    assert len(chapters) >= 3
    for chapter in chapters:
        siblings = {m for m in MODULES[chapter] if m.startswith(f"crmlab.{package}.")
                    and m in MODULES}
        assert siblings <= {core}, (chapter, siblings)


def test_only_the_course_package_imports_the_notebook_tools():
    for name, imports in MODULES.items():
        if not name.startswith("crmlab.course"):
            assert not {m.split(".")[0] for m in imports} & COURSE_ONLY, name


def test_no_module_imports_another_modules_private_helpers():
    for name, imports in MODULES.items():
        for m in imports:
            owner, _, attr = m.rpartition(".")
            if attr.startswith("_") and not attr.startswith("__") and owner in MODULES \
                    and owner != name and m not in MODULES:
                pytest.fail(f"{name} imports {attr} from {owner}")


def test_public_entry_points_keep_working():
    from crmlab.widgets import man_dashboard  # noqa: F401

    assert callable(crmlab.check) and callable(crmlab.list_exercises)
    assert callable(crmlab.student) and callable(crmlab.exercise_data)
    from crmlab.course.cli import main
    assert main(["build", "--check"]) == 0


CHECK_CHAPTERS = sorted(p.stem for p in (PACKAGE / "checks").glob("ch[0-9][0-9]_*.py"))


@pytest.mark.parametrize("module", CHECK_CHAPTERS)
def test_each_check_module_has_the_size_of_a_module_and_its_own_translated_catalog(module):
    """A chapter's checks split by topic (ch03_rfm and ch03_rfm_data …): each module
    150–500 lines, its strings in the catalog named after it, every one translated."""
    from crmlab.course import catalogs
    path = PACKAGE / "checks" / f"{module}.py"
    assert 150 <= len(path.read_text(encoding="utf-8").splitlines()) <= 500
    assert path in catalogs.domains()[module]
    assert (crmlab.i18n.LOCALE_DIR / "zh" / "LC_MESSAGES" / f"{module}.mo").exists()
    assert [p for p in catalogs.problems("zh") if p.startswith(f"zh/{module}.")] == []


def test_the_exercises_are_listed_in_course_order_whatever_module_checks_them():
    listed = crmlab.list_exercises()["exercise"].tolist()
    course = ([f"ident-{k}" for k in range(1, 11)] + [f"man-{k}" for k in range(1, 7)]
              + [f"rfm-{k}" for k in range(1, 10)] + [f"clv-{k}" for k in range(1, 12)]
              + [f"sat-{k}" for k in range(1, 8)])
    assert listed == course
