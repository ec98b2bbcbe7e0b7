"""`python -m gdcourse report`, made from a real failing `python -m gdcourse run`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from notebook_tools import write_notebook

from gdcourse.commands import report
from gdcourse.commands.cli import main
from gdcourse.commands.verified import STACK_PACKAGES, current_versions


@pytest.fixture
def failed_run(tmp_path, capsys) -> Path:
    """A course-like folder whose notebook fails in its third code cell with a home path in
    the error; returns its build/ folder."""
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    write_notebook(
        nbs / "03_bad.ipynb",
        "# md # Title",
        "import pathlib",
        "# md Some text",
        "x = 1",
        "open(pathlib.Path.home() / 'gdcourse-report-test' / 'missing.csv')",
        "print('never')",
    )
    write_notebook(nbs / "04_ok.ipynb", "print(1)")
    assert main(["run", "--dir", str(nbs), "--output", str(tmp_path / "out"), "--quiet"]) == 1
    capsys.readouterr()
    return tmp_path / "build"


def test_the_run_records_the_failed_cell_as_jupyter_numbers_it(failed_run):
    record = json.loads((failed_run / "last-failure.json").read_text())
    bad, ok = record["results"]
    assert ok == {**ok, "notebook": "04_ok.ipynb", "ok": True, "failure": None}
    failure = bad["failure"]
    assert (failure["cell_index"], failure["execution_count"]) == (4, 3)
    assert failure["ename"] == "FileNotFoundError"
    assert "~/gdcourse-report-test/missing.csv" in failure["evalue"]
    assert failure["traceback"].splitlines()[-1].startswith("FileNotFoundError:")
    assert "\x1b[" not in failure["traceback"], "no colour codes"
    assert record["versions"] == current_versions()
    assert json.loads((failed_run / "last-run.json").read_text()) == record


def test_report_names_the_notebook_cell_and_error(failed_run, mirror, capsys):
    assert main(["report", "--no-device", "--build", str(failed_run)]) == 0
    captured = capsys.readouterr()
    out = captured.out
    assert "Home folders are shown as `~`; nothing else personal is included" in out
    assert "- Notebook: `03_bad.ipynb`" in out
    assert "- Cell: In [3] (the execution count JupyterLab shows after Run All: code cell 3)" in out
    assert "cell 5 counting every cell from 1, Markdown included" in out
    assert "- Error: FileNotFoundError: [Errno 2] No such file or directory:" in out
    assert "'~/gdcourse-report-test/missing.csv'" in out
    assert "04_ok" not in out, "only the failed notebook is reported"
    for label, _ in STACK_PACKAGES:
        assert f"{label} " in out
    assert "California housing: " in out and "AAPL prices" in out
    assert "- Against the verified stacks: " in out
    assert "issues/new" in captured.err, "where to paste it, outside the report itself"


def test_report_keeps_home_folders_out(failed_run, mirror, capsys, monkeypatch):
    home = str(Path.home())
    if len(home) <= 1:
        pytest.skip("no home folder to hide")
    monkeypatch.setenv("GDCOURSE_MIRROR", str(mirror))
    assert main(["report", "--no-device", "--build", str(failed_run)]) == 0
    assert home + "/" not in capsys.readouterr().out


def test_a_later_success_is_said_and_no_failure_is_said(failed_run, tmp_path, capsys):
    nbs = tmp_path / "notebooks"
    write_notebook(nbs / "03_bad.ipynb", "print('fixed')")
    assert main(["run", "--dir", str(nbs), "--output", str(tmp_path / "out"), "--quiet"]) == 0
    text = "\n".join(report.failure_section(failed_run))
    assert "- Notebook: `03_bad.ipynb`" in text
    assert "of this notebook succeeded" in text
    assert report.failure_section(tmp_path / "nowhere") == [
        "No failed `python -m gdcourse run` is recorded here."
    ]


def test_report_survives_a_damaged_run_record(failed_run, capsys):
    (failed_run / "last-failure.json").write_text("{half")
    assert "No failed" in "\n".join(report.failure_section(failed_run))


def test_a_kernel_that_dies_is_pinned_to_its_cell(tmp_path, capsys):
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    write_notebook(nbs / "05_dies.ipynb", "x = 1", "# md text", "import os\nos._exit(1)")
    assert main(["run", "--dir", str(nbs), "--output", str(tmp_path / "out"), "--quiet"]) == 1
    assert "FAILED 05_dies.ipynb, kernel: " in capsys.readouterr().err
    text = "\n".join(report.failure_section(tmp_path / "build"))
    assert "- Notebook: `05_dies.ipynb`" in text
    assert "- Cell: In [2] (the execution count JupyterLab shows after Run All" in text
    assert "cell 3 counting every cell from 1" in text
