"""Self-checking exercises (learntools-style): the framework and the per-notebook sets.

A notebook imports its set and the placeholder, and learners pass answers explicitly::

    from gdcourse.exercises import ____
    from gdcourse.exercises import nb03 as ex

    lr = ____              # learner replaces the blank
    ex.q1.check(lr)        # prints "✓ Correct" / "✗ Incorrect: ..." and returns a Status;
                           # the verdict is recorded locally (gdcourse.progress())
    ex.q1.hint()           # hint(2) for the next level
    ex.q1.solution()

A set is a module ``gdcourse/exercises/nbXX.py`` defining ``Exercise`` objects named
``q1, q2, ...`` (see ``demo.py``). Each ``solution`` must PASS when typed into its notebook's
exercise cell, with its own imports: ``python -m gdcourse solutions`` checks that.
:func:`all_exercise_sets` finds every set so one test can run each reference through its
checker (:func:`self_check`).
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from gdcourse.exercises.core import (
    Exercise,
    FunctionExercise,
    Incorrect,
    PlaceholderError,
    Status,
    StepExercise,
    ValueExercise,
    ____,
    assert_close,
    call_answer,
    miss_text,
    tolerance_text,
    uses_placeholder,
)

__all__ = [
    "Exercise",
    "FunctionExercise",
    "Incorrect",
    "PlaceholderError",
    "Status",
    "StepExercise",
    "ValueExercise",
    "____",
    "all_exercise_sets",
    "assert_close",
    "call_answer",
    "miss_text",
    "exercises_in",
    "self_check",
    "tolerance_text",
    "uses_placeholder",
]


def all_exercise_sets(include_demo: bool = False) -> dict[str, ModuleType]:
    """``{name: module}`` for every set ``gdcourse/exercises/nb*.py`` (plus ``demo``)."""
    out: dict[str, ModuleType] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("nb") or (include_demo and info.name == "demo"):
            out[info.name] = importlib.import_module(f"{__name__}.{info.name}")
    return out


def exercises_in(module: ModuleType) -> dict[str, Exercise]:
    """The module's exercises ``{"q1": ..., "q2": ...}``, in numeric order."""
    found = {k: v for k, v in vars(module).items() if isinstance(v, Exercise)}

    def order(name: str) -> tuple[int, str]:
        digits = "".join(ch for ch in name if ch.isdigit())
        return (int(digits) if digits else 10**6, name)

    return {k: found[k] for k in sorted(found, key=order)}


def self_check(module: ModuleType) -> list[str]:
    """Problems with a set: references that do not PASS, wrong answers that do not FAIL.

    Returns an empty list when every exercise is sound. Nothing is printed.
    """
    problems = []
    for name, ex in exercises_in(module).items():
        status, message = ex.evaluate(ex.reference)
        if status is not Status.PASS:
            problems.append(f"{module.__name__}.{name}: reference gives {status.name}: {message}")
        for i, wrong in enumerate(ex.wrong_answers):
            status, message = ex.evaluate(wrong)
            if status is not Status.FAIL or not message:
                problems.append(
                    f"{module.__name__}.{name}: wrong answer {i} gives {status.name}: {message}"
                )
        if not ex.hints or not ex.solution_code:
            problems.append(f"{module.__name__}.{name}: needs at least one hint and a solution")
    return problems
