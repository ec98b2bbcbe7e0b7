"""The answer key, ``python -m gdcourse solutions``: every published solution, typed into its
notebook's exercise cells, runs and prints PASS; a solution that does not is named.

The full run executes notebooks (one kernel): run it under the CPU lock, e.g.
``flock /tmp/gdcourse-cpu.lock python -m pytest tests/test_solutions.py -p no:nbval``.
"""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
import pytest

from gdcourse.cli import main
from gdcourse.exercises import exercises_in, nb02, nb06
from gdcourse.kit.solutions import answer_key, build_solutions, notebooks_with_sets, typed_in

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def test_typed_in_keeps_the_cells_imports_and_its_check():
    cell = (
        "from gdcourse.exercises import ____\n"
        "from gdcourse.exercises.nb06 import q1, q2, q3\n\n\n"
        "def first_bad_step(losses):\n    return ____\n\n\n"
        "q1.check(first_bad_step)\n"
    )
    text = typed_in(cell, "def first_bad_step(losses):\n    return None")
    assert text.startswith("from gdcourse.exercises import ____\nfrom gdcourse.exercises.nb06")
    assert "return None" in text and "return ____" not in text
    assert text.rstrip().endswith("q1.check(first_bad_step)")


def test_key_covers_the_exercises_section_of_each_notebook():
    pairs = notebooks_with_sets(NOTEBOOKS)
    assert [p.name[:2] for p, _ in pairs][:9] == [f"{n:02d}" for n in range(1, 10)]
    key, checks = answer_key(*notebooks_with_sets(NOTEBOOKS, ["06"])[0])
    assert sorted(checks.values()) == sorted(exercises_in(nb06))
    assert "gdcourse.setup(" in key.cells[1].source
    assert key.cells[2].cell_type == "markdown" and "## Exercises" in key.cells[2].source


def test_an_exercise_without_a_check_cell_is_named(tmp_path: Path):
    source = nbformat.read(next(NOTEBOOKS.glob("02_*.ipynb")), as_version=4)
    source.cells = [c for c in source.cells if "q3.check(" not in c.source]
    path = tmp_path / "02_batch_variants.ipynb"
    nbformat.write(source, path)
    with pytest.raises(ValueError, match="no exercise cell checks q3"):
        answer_key(path, nb02)


def test_unknown_notebooks_are_refused(capsys: pytest.CaptureFixture[str]):
    assert main(["solutions", "00"]) == 2
    assert "not a notebook with exercises" in capsys.readouterr().err


def test_a_failing_solution_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(nb02.q3, "solution_code", "noise_ratio = 16")
    monkeypatch.setattr(nb02.q1, "solution_code", "answer = 1565")  # the cell checks `updates`
    results = build_solutions(notebooks_with_sets(NOTEBOOKS, ["02"]), tmp_path)
    (result,) = results
    failures = dict(result.failures)
    assert sorted(failures) == ["q1", "q3"] and result.passed == ["q2"]
    assert "NameError" in failures["q1"] and "updates" in failures["q1"]
    assert failures["q3"].startswith("✗ Incorrect")
    assert (tmp_path / "02_batch_variants.ipynb").is_file()


def test_every_published_solution_passes_in_its_notebook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    started = time.perf_counter()
    assert main(["solutions", "--output", str(tmp_path)]) == 0, capsys.readouterr().err
    took = time.perf_counter() - started
    out = capsys.readouterr().out
    pairs = notebooks_with_sets(NOTEBOOKS)
    assert out.count(" PASS ") == len(pairs) and "FAILED" not in out, out
    assert took < 90, f"the answer key took {took:.0f} s"
    written = sorted(p.name for p in tmp_path.glob("*.ipynb"))
    assert written == sorted(p.name for p, _ in pairs)
