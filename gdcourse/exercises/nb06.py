"""Exercises of notebook 06: the troubleshooting lab."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gdcourse.exercises.core import Exercise, Incorrect, call_answer


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


# ---- q2: the fraction of nearly dead units --------------------------------------------------
_NEARLY = 0.99  # a unit 0 on at least this share of the examples counts as nearly dead


def _nearly_dead(activations: Any) -> float:
    zero_share = np.mean(np.asarray(activations) == 0, axis=0)  # per unit (column)
    return float(np.mean(zero_share >= _NEARLY))


def _nearly_cases() -> list[np.ndarray]:
    """Each case separates the answer from one typical mistake (see :data:`_MISTAKES`)."""
    rng = np.random.default_rng(6)
    a = np.maximum(rng.normal(size=(200, 8)) + 1.0, 0.0) + 0.01  # alive on (almost) every row
    a[:, [1, 5, 6]] = 0.0  # three units 0 on every row
    a[:, 2] = 0.0
    a[7, 2] = 0.8  # 0 on 199 of 200 rows (99.5%)
    a[:, 4] = 0.0
    a[[3, 150], 4] = 1.2  # 0 on exactly 198 of 200 rows: 99%, which counts
    a[:, 0] = 0.0
    a[:5, 0] = 0.3  # 0 on 195 rows (97.5%): alive enough
    b = np.maximum(rng.normal(size=(50, 4)) + 2.0, 0.0) + 0.01  # every unit alive
    c = np.zeros((100, 3))  # every unit dead
    return [a, b, c]


_MISTAKES = [  # (a typical wrong function, what its result says about the mistake)
    (
        lambda a: float(np.mean(np.all(np.asarray(a) == 0, axis=0))),
        "that counts only units that are 0 on every example; 0 on at least 99% of them is "
        "enough here",
    ),
    (
        lambda a: float(np.mean(np.mean(np.asarray(a) == 0, axis=0) > _NEARLY)),
        "a unit that is 0 on exactly 99% of the examples counts too: at least 99%, not more "
        "than 99%",
    ),
    (
        lambda a: float(np.sum(np.mean(np.asarray(a) == 0, axis=0) >= _NEARLY)),
        "that is the number of nearly dead units; return their fraction of all units",
    ),
    (
        lambda a: float(np.mean(np.asarray(a) == 0)),
        "that is the fraction of zero entries, not of units (columns)",
    ),
    (
        lambda a: float(np.mean(np.mean(np.asarray(a) == 0, axis=1) >= _NEARLY)),
        "that looks along each example (row); a unit is a column: take the share over axis=0",
    ),
]


def _check_nearly_dead(answer: Any) -> str:
    if not callable(answer):
        raise Incorrect(
            f"pass your function itself, nearly_dead, without calling it; got {answer!r}"
        )
    cases = _nearly_cases()
    for index, case in enumerate(cases, start=1):
        where = f"test case {index} ({case.shape[0]} examples, {case.shape[1]} units)"
        want = _nearly_dead(case)
        got = call_answer(answer, case.copy())
        try:
            value = float(got)
        except (TypeError, ValueError):
            raise Incorrect(
                f"return one number (a fraction between 0 and 1), got {got!r}"
            ) from None
        if math.isclose(value, want, rel_tol=1e-9, abs_tol=1e-12):
            continue
        for mistake, message in _MISTAKES:
            if math.isclose(value, mistake(case), rel_tol=1e-9, abs_tol=1e-12):
                raise Incorrect(f"{where}: {message}")
        raise Incorrect(
            f"{where}: {value:.6g} "
            "is not the fraction of units that are 0 on at least 99% of the examples"
        )
    return f"correct on all {len(cases)} test cases."


q2 = Exercise(
    "Q2. Count the nearly dead units",
    """
    Station 6 counted units that are 0 on every example. A unit that fires on a handful of
    examples learns almost as little. Write `nearly_dead(activations)`: given one ReLU layer's
    outputs, an array of shape (examples, units), return the fraction of units that are 0 on at
    least 99% of the examples.
    """,
    checker=_check_nearly_dead,
    tolerance="relative 1e-09 on the fraction, on three test layers",
    reference=_nearly_dead,
    hints=[
        "First, per unit (column), the share of examples on which it is 0: "
        "np.mean(activations == 0, axis=0).",
        "Then the fraction of units whose share is at least 0.99: the mean of a True/False array.",
    ],
    solution="""
    import numpy as np


    def nearly_dead(activations):
        zero_share = np.mean(np.asarray(activations) == 0, axis=0)  # per unit (column)
        return np.mean(zero_share >= 0.99)
    """,
    wrong_answers=[mistake for mistake, _ in _MISTAKES],
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
