"""The record of verified stacks: written from real runs, shown in the README, and held
against the learner's stack by `doctor` (versions faked with monkeypatch, never installed)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from notebook_tools import write_notebook

from gdcourse.commands import doctor, verified
from gdcourse.commands.cli import main

REPO = Path(__file__).resolve().parents[1]


def _stack(name: str, tf: str, keras: str, numpy: str) -> dict:
    versions = {"Python": "3.11.7", "TensorFlow": tf, "Keras": keras, "NumPy": numpy}
    versions.update({label: "1.0" for label, _ in verified.STACK_PACKAGES if label not in versions})
    return {
        "date": "2026-12-04",
        "versions": versions,
        "platform": "Linux x86_64",
        "device": "CPU",
        "notebooks": {"ran": 11, "of": 11, "failed": []},
        "nbval": "not run",
        "result": "passed",
    }


@pytest.fixture
def record(tmp_path, monkeypatch) -> Path:
    """A record with two stacks, the one the doctor reads for these tests."""
    path = tmp_path / "verified_stacks.json"
    stacks = {
        "local": _stack("local", "2.21.0", "3.15.1", "2.4.6"),
        "colab": _stack("colab", "2.20.0", "3.13.2", "2.0.2"),
    }
    verified.save({"schema": 1, "stacks": stacks}, path)
    monkeypatch.setattr(doctor, "load", lambda: verified.load(path))
    return path


def _fake_versions(monkeypatch, **versions: str) -> None:
    real = doctor._installed
    monkeypatch.setattr(doctor, "_installed", lambda d: versions.get(d, real(d)))


# --- the committed record and the README -----------------------------------------------------


def test_committed_record_is_valid_and_readme_shows_it():
    record = verified.load()
    for name, stack in record["stacks"].items():
        assert name in verified.STACK_NAMES
        assert stack["result"] in ("passed", "failed")
        assert set(stack["versions"]) == {"Python", *(lb for lb, _ in verified.STACK_PACKAGES)}
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", stack["date"])
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert verified.readme_block(record) in readme, (
        "README.md's 'Verified on' block differs from gdcourse/commands/verified_stacks.json; run\n"
        "python -m gdcourse.commands.verified readme"
    )


def test_record_ships_with_the_package():
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"gdcourse.commands" = ["verified_stacks.json"]' in pyproject
    assert verified.record_path().is_file()
    assert verified.record_path().parent == Path(verified.__file__).resolve().parent


def test_save_is_atomic_ordered_and_load_names_a_bad_file(tmp_path):
    path = tmp_path / "r.json"
    verified.save({"stacks": {"colab": {"x": 1}, "local": {"y": 2}}}, path)
    assert list(json.loads(path.read_text())["stacks"]) == ["local", "colab"]
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"], "no temporary file left"
    assert verified.load(tmp_path / "absent.json") == verified.empty_record()
    path.write_text("{not json")
    with pytest.raises(ValueError, match="r.json"):
        verified.load(path)
    path.write_text('{"schema": 99, "stacks": {}}')
    with pytest.raises(ValueError, match="schema 1"):
        verified.load(path)


def test_readme_sync_rewrites_only_the_block(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"before\n{verified.README_START}\nold\n{verified.README_END}\nafter\n")
    record = {"schema": 1, "stacks": {"colab": _stack("colab", "2.20.0", "3.13.2", "2.0.2")}}
    assert verified.sync_readme(readme, record)
    text = readme.read_text()
    assert text.startswith("before\n") and text.endswith("\nafter\n") and "old" not in text
    assert "TensorFlow 2.20.0, Keras 3.13.2, NumPy 2.0.2" in text
    assert "On a GPU**: not verified yet" in text
    assert not verified.sync_readme(readme, record), "a second sync changes nothing"
    (tmp_path / "NO.md").write_text("no markers")
    with pytest.raises(ValueError, match="no verified-stacks block"):
        verified.sync_readme(tmp_path / "NO.md", record)


# --- entries written by the runs that verify them --------------------------------------------


def test_a_run_record_becomes_a_stack_entry(tmp_path, capsys):
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    write_notebook(nbs / "00_a.ipynb", "print(1)")
    write_notebook(nbs / "01_b.ipynb", "1 / 0")
    assert main(["run", "--dir", str(nbs), "--output", str(tmp_path / "out"), "--quiet"]) == 1
    run = json.loads((tmp_path / "build" / "last-run.json").read_text())
    entry = verified.entry_from_run(run, expected=["00_a.ipynb", "01_b.ipynb", "02_c.ipynb"])
    assert entry["result"] == "failed"
    assert entry["notebooks"]["ran"] == 1 and entry["notebooks"]["of"] == 3
    assert entry["notebooks"]["failed"] == [
        "01_b.ipynb: code cell 1 (In [1]): ZeroDivisionError: division by zero",
        "02_c.ipynb: not run",
    ]
    assert entry["versions"] == verified.current_versions()
    passed = verified.entry_from_run(run, expected=["00_a.ipynb"])
    assert passed["result"] == "passed" and passed["nbval"] == "not run"


def test_record_command_writes_the_entry_and_the_readme(tmp_path, monkeypatch):
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    write_notebook(nbs / "00_a.ipynb", "print(1)")
    assert main(["run", "--dir", str(nbs), "--output", str(tmp_path / "out"), "--quiet"]) == 0
    monkeypatch.setattr(verified, "course_notebooks", lambda: ["00_a.ipynb"])
    pins = tmp_path / "pins.txt"
    pins.write_text("# colab-python: 3.99.1\n# colab-source: backend-info@abc (2026-08-14)\n")
    readme = tmp_path / "README.md"
    readme.write_text(f"{verified.README_START}\n{verified.README_END}\n")
    target = tmp_path / "record.json"
    argv = ["record", "--stack", "colab", "--run", str(tmp_path / "build" / "last-run.json")]
    argv += ["--pins", str(pins), "--record", str(target), "--readme", str(readme)]
    assert verified.main(argv) == 0
    entry = verified.load(target)["stacks"]["colab"]
    assert entry["result"] == "passed"
    assert entry["notes"][0] == "pins from backend-info@abc (2026-08-14)"
    assert "not Colab's 3.99.1" in entry["notes"][1]
    assert verified.readme_block(verified.load(target)) in readme.read_text()


def test_nbval_results_become_the_local_entry(tmp_path):
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    write_notebook(nbs / "00_a.ipynb", "print(1)")
    junit = tmp_path / "junit.xml"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
         "--nbval-current-env", f"--junitxml={junit}", "notebooks/00_a.ipynb"],
        cwd=tmp_path, env=env, capture_output=True, check=True, timeout=300,
    )  # fmt: skip
    entry = verified.entry_from_junit(junit, expected=["00_a.ipynb", "01_b.ipynb"])
    assert entry["notebooks"] == {"ran": 1, "of": 2, "failed": ["01_b.ipynb: nbval did not run it"]}
    assert entry["nbval"] == "failed" and entry["result"] == "failed"
    assert verified.entry_from_junit(junit, expected=["00_a.ipynb"])["nbval"] == "passed"


# --- the doctor against the record ------------------------------------------------------------


def test_a_verified_stack_gets_no_warning(record, monkeypatch, capsys):
    _fake_versions(monkeypatch, tensorflow="2.20.1", keras="3.15.0", numpy="2.0.9")
    report = doctor.diagnose(check_device=False)
    assert report.warnings == []


@pytest.mark.parametrize(
    ("fake", "unverified"),
    [
        ({"tensorflow": "2.22.0"}, "TensorFlow 2.22.0"),
        ({"numpy": "1.26.4", "keras": "3.14.0"}, "Keras 3.14.0, NumPy 1.26.4"),
    ],
)
def test_unverified_versions_warn_locally_with_the_install_command(
    record, monkeypatch, capsys, fake, unverified
):
    _fake_versions(monkeypatch, **fake)
    monkeypatch.setattr(doctor, "where_running", lambda: "local machine")
    code = main(["doctor", "--no-device"])
    out = capsys.readouterr().out
    assert "Warnings:" in out and out.rstrip().endswith("All set."), out
    (warning,) = doctor.diagnose(check_device=False).warnings
    assert warning.startswith(f"{unverified}: the course was never verified with")
    assert code in (0, 1)  # a warning is not a problem; the data settings decide the rest


def test_the_nearest_stack_and_the_local_command(record, monkeypatch):
    _fake_versions(monkeypatch, tensorflow="2.22.0", keras="3.15.1", numpy="2.4.6")
    found = verified.drift({"TensorFlow": "2.22.0", "Keras": "3.15.1", "NumPy": "2.4.6"},
                           verified.load(record))  # fmt: skip
    assert found is not None and found.nearest == "local"
    advice = found.advice("local machine")
    assert "nearest verified stack is the local install CI ran (TensorFlow 2.21.0," in advice
    assert 'python -m pip install "tensorflow==2.21.*" "keras==3.15.*" "numpy==2.4.*"' in advice
    older = verified.drift({"TensorFlow": "2.19.0", "Keras": "3.13.0", "NumPy": "2.0.2"},
                           verified.load(record))  # fmt: skip
    assert older is not None and older.nearest == "colab"
    assert list(older.unverified) == ["TensorFlow"]


def test_on_colab_the_advice_is_nothing_or_one_pin(record, monkeypatch):
    monkeypatch.setattr(doctor, "where_running", lambda: "Colab")
    _fake_versions(monkeypatch, tensorflow="2.20.0", keras="3.16.0", numpy="2.0.2")
    (warning,) = doctor.diagnose(check_device=False).warnings
    assert 'one pin helps: run `%pip install -q "keras==3.13.*"`' in warning
    _fake_versions(monkeypatch, tensorflow="2.23.0", keras="3.13.2", numpy="2.0.2")
    (warning,) = doctor.diagnose(check_device=False).warnings
    assert "On Colab there is nothing to do" in warning and "pip install" not in warning


def test_a_damaged_record_is_a_warning_not_a_crash(tmp_path, monkeypatch):
    bad = tmp_path / "verified_stacks.json"
    bad.write_text("[]")
    monkeypatch.setattr(doctor, "load", lambda: verified.load(bad))
    (warning,) = doctor.diagnose(check_device=False).warnings
    assert "is not a record of verified stacks" in warning


def test_nbval_sanitizer_hides_only_the_warning_block(record, monkeypatch):
    from nbval.plugin import get_sanitize_patterns  # nbval's own reading of the file

    patterns = get_sanitize_patterns((REPO / "tests" / "nbval_sanitize.cfg").read_text("utf-8"))
    assert any("Warnings:" in regex for regex, _ in patterns)

    def sanitized(text: str) -> str:  # as nbval applies them: every pattern, in order
        for regex, replace in patterns:
            text = re.sub(regex, replace, text)
        return text

    clean = str(doctor.diagnose(check_device=False)) + "\n"
    _fake_versions(monkeypatch, tensorflow="2.99.0")
    warned = str(doctor.diagnose(check_device=False)) + "\n"
    assert "Warnings:" in warned and "Warnings:" not in clean
    assert sanitized(warned) == sanitized(clean)
