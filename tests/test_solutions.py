"""The answer key, ``python -m gdcourse solutions``: every published solution, typed into its
notebook's exercise cells, runs and prints PASS; a solution that does not is named.

The command test runs one notebook's key in a kernel (marked slow); that every published
solution passes is checked once, in this process, by ``tests/exercises/test_sets.py``.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from gdcourse.commands.cli import main
from gdcourse.commands.solutions import answer_key, notebooks_with_sets, typed_in
from gdcourse.exercises import exercises_in, nb02, nb06

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


@pytest.mark.slow  # runs notebook 02's key in a Jupyter kernel
def test_the_command_names_a_failing_solution(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    """The command end to end, on one notebook: the key is written, run in a kernel, and each
    failure named. (That every published solution passes is tests/exercises/test_sets.py's,
    in this process, so the whole key runs once per test session, not twice.)"""
    monkeypatch.setattr(nb02.q3, "solution_code", "noise_ratio = 16")
    monkeypatch.setattr(nb02.q1, "solution_code", "answer = 1565")  # the cell checks `updates`
    assert main(["solutions", "02", "--output", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert "1 PASS" in captured.out, captured.out
    failed = [line for line in captured.err.splitlines() if line.startswith("FAILED 02 ")]
    assert [line.split()[2] for line in failed] == ["q1:", "q3:"], captured.err
    assert "NameError" in failed[0] and "updates" in failed[0]
    assert "✗ Incorrect" in failed[1]
    assert [p.name for p in tmp_path.glob("*.ipynb")] == ["02_batch_variants.ipynb"]


def test_key_skips_going_further_but_keeps_an_optional_exercise():
    """Optional material after the exercises needs the notebook's earlier cells: not in the key."""
    from gdcourse.commands.solutions import _key_cells

    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    cells = [
        md("## Exercises"), code("ex.q1"), md("### Q2, a subsection"), code("ex.q2"),
        md("## Going further (optional, about 20 min)"), code("plots.animate(race)"),
        md("### Exercise 3 (optional): more"), code("ex.q3"),
        md("### Open-ended experiment"), code("uses_the_notebook()"),
    ]  # fmt: skip
    kept = [c.source for c in _key_cells(cells, 0)]
    assert kept == ["## Exercises", "ex.q1", "### Q2, a subsection", "ex.q2",
                    "### Exercise 3 (optional): more", "ex.q3"]  # fmt: skip
