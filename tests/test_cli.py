"""The command line: doctor, data and run, driven as a user would."""

from __future__ import annotations

import nbformat
import pytest
from notebook_tools import write_notebook

from gdcourse.commands.cli import main
from gdcourse.commands.runner import RunResult, format_table, resolve_notebooks


def test_resolve_notebooks_by_prefix_stem_and_path(tmp_path):
    for name in ("00_welcome", "01_update_rule", "02_batch_variants"):
        write_notebook(tmp_path / f"{name}.ipynb", "1")
    assert [p.stem for p in resolve_notebooks([], tmp_path)] == [
        "00_welcome",
        "01_update_rule",
        "02_batch_variants",
    ]
    assert resolve_notebooks(["01"], tmp_path)[0].stem == "01_update_rule"
    assert resolve_notebooks(["02_batch_variants"], tmp_path)[0].stem == "02_batch_variants"
    with pytest.raises(ValueError, match="names 3 notebooks"):
        resolve_notebooks(["0"], tmp_path)
    with pytest.raises(ValueError, match="names 0 notebooks"):
        resolve_notebooks(["99"], tmp_path)


def test_run_executes_and_prints_the_table(tmp_path, capsys):
    nbdir = tmp_path / "nbs"
    nbdir.mkdir()
    write_notebook(nbdir / "00_a.ipynb", "x = 21", "print(x * 2)")
    out = tmp_path / "build"
    code = main(["run", "--dir", str(nbdir), "--output", str(out), "--quiet"])
    printed = capsys.readouterr().out
    assert code == 0
    assert "00_a.ipynb" in printed and "peak memory (MiB)" in printed and "total" in printed
    executed = nbformat.read(out / "00_a.ipynb", as_version=4)
    assert executed.cells[1].outputs[0]["text"] == "42\n"
    assert nbformat.read(nbdir / "00_a.ipynb", as_version=4).cells[1].outputs == []


def test_run_inplace_and_failure_names_notebook_and_cell(tmp_path, capsys):
    nbdir = tmp_path / "nbs"
    nbdir.mkdir()
    write_notebook(nbdir / "00_ok.ipynb", "print('fine')")
    write_notebook(nbdir / "01_bad.ipynb", "a = 1", "raise ValueError('learning rate too high')")
    code = main(["run", "--dir", str(nbdir), "--output", str(tmp_path / "b"), "--inplace"])
    captured = capsys.readouterr()
    assert code == 1
    assert (
        "FAILED 01_bad.ipynb, code cell 2 (In [2]): ValueError: learning rate too high"
        in captured.err
    )
    assert nbformat.read(nbdir / "00_ok.ipynb", as_version=4).cells[0].outputs, "refreshed"
    assert nbformat.read(nbdir / "01_bad.ipynb", as_version=4).cells[0].outputs == [], (
        "a failed notebook must not overwrite the committed copy"
    )


def test_run_unknown_notebook_is_a_usage_error(tmp_path, capsys):
    assert main(["run", "--dir", str(tmp_path), "42"]) == 2
    assert "error:" in capsys.readouterr().err


def test_doctor_reports_versions_and_sources(mirror, cache_dir, capsys):
    code = main(["doctor", "--no-device"])
    printed = capsys.readouterr().out
    assert code == 0, printed
    for label in ("Python", "TensorFlow", "Keras", "NumPy", "ipywidgets", "JupyterLab"):
        assert label in printed
    assert "California housing" in printed and "mirror   $GDCOURSE_MIRROR/cal_housing.data" in (
        printed
    )
    assert printed.rstrip().endswith("All set.")


def test_doctor_fails_with_advice_when_a_package_is_missing(monkeypatch, capsys, mirror):
    from gdcourse.commands import doctor

    real = doctor._installed
    monkeypatch.setattr(doctor, "_installed", lambda d: None if d == "keras" else real(d))
    assert main(["doctor", "--no-device"]) == 1
    printed = capsys.readouterr().out
    assert "Keras is missing: run `python -m pip install -e .`" in printed


def test_data_fetches_and_verifies_both_datasets(mirror, cache_dir, capsys):
    assert main(["data"]) == 0
    printed = capsys.readouterr().out
    assert "California housing" in printed and "20640 rows  from mirror" in printed
    assert "AAPL prices 2018-01-01..2023-01-01" in printed and "1259 rows  from mirror" in printed
    assert main(["data"]) == 0
    assert capsys.readouterr().out.count("from cache") == 2


def test_data_fails_clearly_offline(cache_dir, monkeypatch, capsys):
    import sklearn.datasets._california_housing as cal
    import yfinance

    monkeypatch.delenv("GDCOURSE_MIRROR", raising=False)
    monkeypatch.setattr(cal, "_fetch_remote", lambda *a, **k: (_ for _ in ()).throw(OSError()))
    monkeypatch.setattr(yfinance, "download", lambda *a, **k: None)
    assert main(["data"]) == 1
    assert capsys.readouterr().err.count("How to fix it") == 2


def test_format_table_totals():
    table = format_table(
        [RunResult("00_a.ipynb", 1.25, 300.0, 3), RunResult("01_b.ipynb", 2.5, None, 1, "x")]
    )
    lines = table.splitlines()
    assert lines[1].split() == ["00_a.ipynb", "1.2", "300", "ok"]
    assert lines[2].split() == ["01_b.ipynb", "2.5", "n/a", "FAILED"]
    assert lines[3].split() == ["total", "3.8", "max", "300"]


def test_run_reports_a_kernel_that_dies(tmp_path, capsys):
    nbdir = tmp_path / "nbs"
    nbdir.mkdir()
    write_notebook(nbdir / "00_dies.ipynb", "import os\nos._exit(1)", "print('never')")
    code = main(["run", "--dir", str(nbdir), "--output", str(tmp_path / "b"), "--quiet"])
    assert code == 1
    assert "FAILED 00_dies.ipynb" in capsys.readouterr().err
