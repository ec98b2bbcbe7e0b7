"""Exercises of notebook 06: the troubleshooting lab."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gdcourse.exercises.core import Exercise, FunctionExercise, Incorrect, call_answer


# ---- q1: the first non-finite loss ---------------------------------------------------------
def _first_bad_step(losses: Any) -> int | None:
    for step, loss in enumerate(losses, start=1):
        if not math.isfinite(loss):
            return step
    return None


_LOSS_CASES = [
    ([1.0, 0.8, 0.7],),
    ([1.0, 3.0, float("inf"), float("nan")],),
    ([float("nan")],),
    ([2.0, 1.5, 1.2, 1.1, float("nan"), 0.5],),
    ([0.5, -float("inf")],),
]


def _check_first_bad_step(answer: Any) -> str:
    if not callable(answer):
        raise Incorrect("pass your function itself, first_bad_step, without calling it")
    for (losses,) in _LOSS_CASES:
        want, got = _first_bad_step(losses), call_answer(answer, list(losses), none_ok=True)
        if got == want and (got is None) == (want is None):
            continue
        shown = [str(v) for v in losses]
        if got is None:
            raise Incorrect(
                f"for losses {shown} the first nan or inf is at step {want}, but your function "
                "returned None: did it reach `return step`?"
            )
        if want is None:
            raise Incorrect(f"for losses {shown} every loss is finite: return None, got {got!r}")
        if got == want - 1:
            raise Incorrect(
                f"for losses {shown} you returned {got!r}: count steps from 1, as NaNGuard does"
            )
        raise Incorrect(
            f"for losses {shown} the first nan or inf is at step {want}, got {got!r} "
            "(inf counts too: math.isfinite is False for both)"
        )
    return f"correct on all {len(_LOSS_CASES)} test cases."


q1 = Exercise(
    "Q1. The first bad step",
    """
    Write `first_bad_step(losses)`: the 1-based step of the first loss that is nan or inf,
    or None when every loss is finite.
    """,
    checker=_check_first_bad_step,
    tolerance="exact (a step number, or None)",
    reference=_first_bad_step,
    hints=[
        "One test covers both nan and inf: it is False for both, True for ordinary numbers.",
        "np.isfinite(loss) (or math.isfinite) is False for nan and inf.",
    ],
    solution="""
    import numpy as np


    def first_bad_step(losses):
        for step, loss in enumerate(losses, start=1):
            if not np.isfinite(loss):
                return step
        return None
    """,
    wrong_answers=[
        # only nan is caught: inf slips through
        lambda losses: next((i for i, v in enumerate(losses, start=1) if v != v), None),
        # counts from 0
        lambda losses: next((i for i, v in enumerate(losses) if not math.isfinite(v)), None),
    ],
)


# ---- q2: the fraction of dead units ---------------------------------------------------------
def _dead_units(activations: Any) -> float:
    return float(np.mean(np.all(np.asarray(activations) <= 0, axis=0)))


def _dead_cases() -> list[tuple]:
    rng = np.random.default_rng(6)
    a = np.maximum(rng.normal(size=(50, 8)), 0.0)
    a[:, [1, 5, 6]] = 0.0  # three dead units out of eight
    b = np.maximum(rng.normal(size=(20, 4)) + 2.0, 0.0)  # all alive
    c = np.zeros((5, 3))  # all dead
    return [(a,), (b,), (c,)]


q2 = FunctionExercise(
    "Q2. Count the dead units",
    """
    Write `dead_units(activations)`: the fraction of units (columns) that are 0 for every
    example (row) of a ReLU layer's output.
    """,
    reference=_dead_units,
    cases=_dead_cases,
    rtol=1e-9,
    atol=1e-12,
    hints=[
        "A unit is dead when its whole column is 0: np.all(activations == 0, axis=0) gives one "
        "True/False per unit.",
        "The mean of True/False values is the fraction of True: np.mean(np.all(..., axis=0)).",
    ],
    solution="""
    import numpy as np


    def dead_units(activations):
        return np.mean(np.all(activations == 0, axis=0))
    """,
    wrong_answers=[
        lambda a: float(np.mean(np.asarray(a) == 0)),  # fraction of zero entries, not units
        lambda a: float(np.mean(np.all(np.asarray(a) == 0, axis=1))),  # rows, not columns
    ],
)


# ---- q3: diagnosis ---------------------------------------------------------------------------
_CAUSES = ("learning rate", "vanishing", "unscaled", "saddle")
_DIAGNOSIS = {"a": "vanishing", "b": "unscaled", "c": "saddle", "d": "learning rate"}
_LOOK = {  # where to look again, without naming the cause
    "a": "compare the first layer's gradient with the output layer's",
    "b": "which change made the run work, and which did not",
    "c": "a long flat stretch with a tiny gradient, then a fast drop",
    "d": "the one setting that differs between the run that broke and the run that worked",
}


def _cause(given: Any) -> str | None:
    """The cause a free-text answer names ("Vanishing gradients", "learning_rate", "lr")."""
    if not isinstance(given, str):
        return None
    text = " ".join(given.lower().replace("_", " ").replace("-", " ").split())
    text = text.replace("plateau", "saddle")  # the lab's table: "plateau (or saddle)"
    if text in ("lr", "high lr", "lr too high"):
        return "learning rate"
    named = [cause for cause in _CAUSES if cause in text]
    return named[0] if len(named) == 1 else None


def _check_diagnosis(answer: Any) -> str:
    if not isinstance(answer, dict) or set(answer) != set(_DIAGNOSIS):
        raise Incorrect('answer with a dict {"a": ..., "b": ..., "c": ..., "d": ...}')
    for key in sorted(_DIAGNOSIS):
        given = answer[key]
        if _cause(given) is None:
            raise Incorrect(f"{key}: pick one of {', '.join(repr(c) for c in _CAUSES)}")
        if _cause(given) != _DIAGNOSIS[key]:
            raise Incorrect(f"{key} is not {given!r}. Look again: {_LOOK[key]}.")
    return "all four diagnoses are right."


q3 = Exercise(
    "Q3. Diagnose four runs",
    """
    For each symptom a-d, pick the most likely cause: "learning rate", "vanishing",
    "unscaled" or "saddle" ("plateau" is accepted for it, as in the lab's table).
    """,
    checker=_check_diagnosis,
    tolerance="exact (one of the four causes for each symptom)",
    reference=dict(_DIAGNOSIS),
    hints=[
        "Use the symptom -> cause -> fix table above. Each cause is used once.",
        "Ask of each: what fixed it (or would)? A smaller learning rate, standardized inputs, "
        "a different activation, or just more steps?",
    ],
    solution="""
    diagnosis = {"a": "vanishing", "b": "unscaled", "c": "saddle", "d": "learning rate"}
    """,
    wrong_answers=[
        {"a": "vanishing", "b": "learning rate", "c": "saddle", "d": "unscaled"},
        {"a": "saddle", "b": "unscaled", "c": "vanishing", "d": "learning rate"},
    ],
)
