"""crmlab.course.workspace and `make lab`'s set-up: a student's edits are never lost."""

import json
import subprocess

import nbformat
import pytest

from crmlab.course import build, cli, workspace


def _chapters(folder, version: str):
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("00_start_here", "02_man_case"):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"# {name} {version}")])
        nbformat.write(nb, folder / f"{name}.ipynb")


def _answer(path, text):
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(text))
    nbformat.write(nb, path)


def test_missing_chapters_are_copied_and_edits_survive_every_later_run(tmp_path):
    source, work = tmp_path / "exercises", tmp_path / "work"
    _chapters(source, "v1")
    assert [a.action for a in workspace.sync_workspace(source, work, verbose=False)] == \
        ["copied", "copied"]
    _answer(work / "02_man_case.ipynb", "e_total = 1.08")
    edited = (work / "02_man_case.ipynb").read_bytes()
    assert [a.action for a in workspace.sync_workspace(source, work, verbose=False)] == \
        ["up to date", "kept"]
    assert (work / "02_man_case.ipynb").read_bytes() == edited


def test_a_newer_chapter_goes_beside_an_edited_one_with_a_notice(tmp_path, capsys):
    source, work = tmp_path / "exercises", tmp_path / "work"
    _chapters(source, "v1")
    workspace.sync_workspace(source, work)
    _answer(work / "02_man_case.ipynb", "e_total = 1.08")
    edited = (work / "02_man_case.ipynb").read_bytes()
    _chapters(source, "v2")
    capsys.readouterr()
    actions = workspace.sync_workspace(source, work)
    out = capsys.readouterr().out
    assert [a.action for a in actions] == ["updated", "offered"]
    assert (work / "02_man_case.ipynb").read_bytes() == edited          # the student's work
    assert "v2" in (work / "02_man_case.new.ipynb").read_text()        # the newer chapter
    assert "v2" in (work / "00_start_here.ipynb").read_text()          # unedited: updated
    assert "NOTICE: 02_man_case has a newer version" in out
    # the .new file is protected in turn once edited
    _answer(work / "02_man_case.new.ipynb", "# my notes")
    notes = (work / "02_man_case.new.ipynb").read_bytes()
    _chapters(source, "v3")
    actions = workspace.sync_workspace(source, work, verbose=False)
    assert actions[1].action == "kept both"
    assert (work / "02_man_case.new.ipynb").read_bytes() == notes
    assert (work / "02_man_case.ipynb").read_bytes() == edited


def test_a_lost_manifest_never_costs_an_edit(tmp_path):
    source, work = tmp_path / "exercises", tmp_path / "work"
    _chapters(source, "v1")
    workspace.sync_workspace(source, work, verbose=False)
    _answer(work / "02_man_case.ipynb", "x = 1")
    edited = (work / "02_man_case.ipynb").read_bytes()
    (work / workspace.MANIFEST).write_text("not json")
    actions = workspace.sync_workspace(source, work, verbose=False)
    assert actions[1].action == "offered"
    assert (work / "02_man_case.ipynb").read_bytes() == edited


def test_make_lab_set_up_keeps_an_edit_and_never_rebuilds(tmp_path):
    """`make lab`'s set-up steps (dry run) are the workspace sync, not the build."""
    steps = subprocess.run(["make", "-n", "-o", ".venv/.installed-stamp", "lab"],
                           cwd=build.ROOT, capture_output=True, text=True, check=True).stdout
    assert "crmlab workspace" in steps and "crmlab build" not in steps
    assert "--LabApp.default_url=/lab/tree/00_start_here.ipynb" in steps
    assert 'root_dir="' in steps and '/work"' in steps
    # run the set-up step itself on a copy of this checkout's chapters
    work = tmp_path / "work"
    assert cli.main(["workspace", "--dir", str(work)]) == 0
    _answer(work / "02_man_case.ipynb", "totals = {'A': 2.8}")
    edited = (work / "02_man_case.ipynb").read_bytes()
    assert cli.main(["workspace", "--dir", str(work)]) == 0
    assert (work / "02_man_case.ipynb").read_bytes() == edited
    manifest = json.loads((work / workspace.MANIFEST).read_text())
    assert "00_start_here.ipynb" in manifest


def test_the_student_folder_is_ignored_by_git():
    ignored = subprocess.run(["git", "check-ignore", "work/02_man_case.ipynb"],
                             cwd=build.ROOT, capture_output=True, text=True)
    if ignored.returncode == 128:
        pytest.skip("not a git checkout")
    assert ignored.stdout.strip() == "work/02_man_case.ipynb"
