"""What every exercise set must satisfy, one parametrised test per property and set.

Soundness: each reference passes its own checker and each known wrong answer fails with a
message; the placeholder, and a function that returns it, read as not attempted; a function
that forgets ``return`` is told so; every exercise has hints, a solution and a stated
tolerance. The answer key: the published solutions, typed into the committed notebook's
exercise cells by :func:`gdcourse.commands.solutions.answer_key` (as ``python -m gdcourse
solutions`` does), run in this process and every check prints PASS. This is the only place the
whole key runs; ``tests/test_solutions.py`` runs the command itself on one notebook.
"""

from __future__ import annotations

import contextlib
import inspect
import io
from pathlib import Path

import pytest

from gdcourse.commands.solutions import PASS_MARK, answer_key
from gdcourse.exercises import Status, ____, all_exercise_sets, exercises_in, self_check

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
SETS = all_exercise_sets()


@pytest.mark.parametrize("set_name", sorted(SETS))
def test_set_is_sound(set_name: str) -> None:
    module = SETS[set_name]
    assert self_check(module) == []
    exercises = exercises_in(module)
    assert 2 <= len(exercises) <= 4
    for name, ex in exercises.items():
        assert ex.where == (set_name, name)
        assert ex.hints and ex.solution_code, name
        assert ex.tolerance, f"{name}: the prompt must state its tolerance"
        assert "Tolerance:" in ex._repr_markdown_()
        assert ex.evaluate(____)[0] is Status.UNATTEMPTED
        assert ex.wrong_answers, f"{name}: no known wrong answer"
        for wrong in ex.wrong_answers:
            status, message = ex.evaluate(wrong)
            assert status is Status.FAIL and len(message) > 20, (name, message)
        if callable(ex.reference):

            def half_done(*args):
                return ____

            def forgot_return(*args):
                _ = args

            assert ex.evaluate(half_done)[0] is Status.UNATTEMPTED, name
            status, message = ex.evaluate(forgot_return)
            assert status is Status.FAIL and "return" in message, (name, message)


@pytest.mark.parametrize("set_name", sorted(SETS))
def test_published_solutions_pass_in_the_notebook(set_name: str) -> None:
    module = SETS[set_name]
    found = sorted(NOTEBOOKS.glob(f"{set_name.removeprefix('nb')}_*.ipynb"))
    assert found, f"no notebook for the exercise set {set_name}"
    key, checks = answer_key(found[0], module)
    namespace: dict = {"__name__": "__main__"}
    printed = {}
    for index, cell in enumerate(key.cells):
        if cell.cell_type != "code" or "gdcourse.setup(" in cell.source:
            continue
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(cell.source, f"<{found[0].name} key cell {index}>", "exec"), namespace)
        printed[index] = out.getvalue()
    for index, name in checks.items():
        assert printed[index].startswith(PASS_MARK), (name, printed[index])
    assert sorted(checks.values()) == sorted(exercises_in(module))


@pytest.mark.parametrize("set_name", sorted(SETS))
def test_published_solutions_pass_typed_into_a_fresh_namespace(set_name: str) -> None:
    """A function solution carries its own imports: typed in after a kernel restart, it still
    passes (value solutions are checked in the notebook, above)."""
    for name, ex in exercises_in(SETS[set_name]).items():
        if not callable(ex.reference):
            continue
        namespace: dict = {"__name__": "__main__"}
        exec(compile(ex.solution_code, f"<{set_name}.{name} solution>", "exec"), namespace)
        functions = [value for value in namespace.values() if inspect.isfunction(value)]
        answer = functions[-1]
        status, message = ex.evaluate(answer)
        assert status is Status.PASS, (name, message)
