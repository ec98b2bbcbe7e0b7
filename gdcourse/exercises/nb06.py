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
    results = [
        (losses, _first_bad_step(losses), call_answer(answer, list(losses), none_ok=True))
        for (losses,) in _LOSS_CASES
    ]
    for losses, want, got in results:  # None where the first bad loss is nan: no return reached
        if got is None and want is not None and math.isnan(losses[want - 1]):
            raise Incorrect(
                f"for losses {[str(v) for v in losses]} the first nan or inf is at step {want}, "
                "but your function returned None. nan never equals anything, itself included "
                "(`loss == float('nan')` is always False: test it with math.isnan or "
                "math.isfinite); and check that the loop reaches `return step`"
            )
    for losses, want, got in results:
        if got == want and (got is None) == (want is None):
            continue
        shown = [str(v) for v in losses]
        if got is None and want is not None:
            raise Incorrect(
                f"for losses {shown} your function returned None, but {losses[want - 1]} is not "
                "a finite loss either: inf and -inf count, as nan does (math.isfinite is False "
                "for all three)"
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
        "Loop with `for step, loss in enumerate(losses, start=1):` and return the first step "
        "whose loss is not finite; after the loop, return None.",
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
        # catches nan and inf but not -inf
        lambda losses: next(
            (i for i, v in enumerate(losses, start=1) if v != v or v == math.inf), None
        ),
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
_CAUSES = ("too high", "too low", "vanishing")
_DIAGNOSIS = {"a": "too high", "b": "vanishing", "c": "too low", "d": "too high"}
_WHY_NOT = {  # (symptom, wrong cause) -> what in the symptom rules that cause out
    ("a", "too low"): "a too-small learning rate makes the loss fall slowly, not jump between "
    "5 and 80",
    ("a", "vanishing"): "every layer's gradient is within a factor 3 of the output layer's: "
    "nothing vanished",
    ("b", "too high"): "a rate that is too large is cured by lowering it, and 10 times lower "
    "changed nothing",
    ("b", "too low"): "10 times larger changed nothing either: the learning rate is not the "
    "culprit",
    ("c", "too high"): "nothing overshoots: the loss falls steadily and stays finite",
    ("c", "vanishing"): "the first layer gets 0.4 times the output layer's gradient: the "
    "signal reaches it",
    ("d", "too low"): "a too-small learning rate never turns the loss into nan",
    ("d", "vanishing"): "at step 1 the first layer's gradient was 0.8 times the output "
    "layer's: depth alone did not shrink it",
}


def _cause(given: Any) -> str | None:
    """The cause a free-text answer names ("learning rate too high", "LR too low", "Vanishing")."""
    if not isinstance(given, str):
        return None
    text = given.lower()
    named = [
        cause
        for cause, words in [
            ("too high", ("high", "large", "big")),
            ("too low", ("low", "small")),
            ("vanishing", ("vanish",)),
        ]
        if any(word in text for word in words)
    ]
    return named[0] if len(named) == 1 else None


def _check_diagnosis(answer: Any) -> str:
    if not isinstance(answer, dict) or set(answer) != set(_DIAGNOSIS):
        raise Incorrect('answer with a dict {"a": ..., "b": ..., "c": ..., "d": ...}')
    for key in sorted(_DIAGNOSIS):
        cause = _cause(answer[key])
        if cause is None:
            raise Incorrect(f"{key}: pick one of {', '.join(repr(c) for c in _CAUSES)}")
        if cause != _DIAGNOSIS[key]:
            raise Incorrect(f"{key} is not {cause!r}: {_WHY_NOT[key, cause]}.")
    return "all four diagnoses are right."


q3 = Exercise(
    "Q3. Diagnose four runs",
    """
    For each run a-d, pick the most likely cause: "too high" (learning rate), "too low"
    (learning rate) or "vanishing" (gradients). A cause may fit more than one run.
    """,
    checker=_check_diagnosis,
    tolerance="exact (one of the three causes for each run)",
    reference=dict(_DIAGNOSIS),
    hints=[
        "Ask of each run: what changed the outcome, and what did not? A learning rate that is "
        "the culprit changes the run when you change it.",
        "A deep network is not enough for vanishing gradients: compare the first layer's "
        "gradient with the output layer's.",
    ],
    solution="""
    diagnosis = {"a": "too high", "b": "vanishing", "c": "too low", "d": "too high"}
    """,
    wrong_answers=[
        {"a": "too high", "b": "too high", "c": "too low", "d": "too high"},
        {"a": "too high", "b": "vanishing", "c": "too low", "d": "vanishing"},
        {"a": "too low", "b": "vanishing", "c": "too low", "d": "too high"},
    ],
)
