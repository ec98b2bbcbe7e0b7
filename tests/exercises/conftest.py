"""What every exercise set must satisfy, as fixtures each set's test module calls.

``check_set(module)``: each reference passes its own checker and each known wrong answer
fails with a message (``self_check``); the placeholder, and a function that returns it, read
as not attempted; a function that forgets ``return`` is told so; every exercise has hints, a
solution and a stated tolerance. ``solutions_pass_in_notebook(number, module)``: the
published solutions, typed into the committed notebook's exercise cells (as ``python -m
gdcourse solutions`` does), run in this process and every check prints PASS.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from types import ModuleType

import pytest

from gdcourse.exercises import Status, ____, exercises_in, self_check
from gdcourse.kit.solutions import PASS_MARK, answer_key

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def _check_set(module: ModuleType) -> None:
    assert self_check(module) == []
    exercises = exercises_in(module)
    assert 2 <= len(exercises) <= 4
    for name, ex in exercises.items():
        assert ex.where == (module.__name__.rsplit(".", 1)[1], name)
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


def _solutions_pass_in_notebook(number: str, module: ModuleType) -> None:
    found = sorted(NOTEBOOKS.glob(f"{number}_*.ipynb"))
    if not found:
        pytest.skip(f"no notebook {number}_*.ipynb")
    key, checks = answer_key(found[0], module)
    namespace: dict = {}
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


@pytest.fixture
def check_set():
    return _check_set


@pytest.fixture
def solutions_pass_in_notebook():
    return _solutions_pass_in_notebook
