"""Exercises for notebook 05 (learning-rate schedules)."""

from __future__ import annotations

import math

import numpy as np

from gdcourse.exercises.core import (
    Exercise,
    Incorrect,
    ValueExercise,
    call_answer,
)
from gdcourse.schedules import ExponentialDecay

# ---- q1: schedules count steps --------------------------------------------------------------
_ROWS, _BATCH = 16_400, 64  # 256.25 batches: the last, partial batch is one more step
_STEPS_PER_EPOCH = math.ceil(_ROWS / _BATCH)  # 257
_NOTEBOOK_STEPS_PER_EPOCH = 387  # the notebook's housing split with batch 32: not this setup


def _q1_rate(steps: float) -> float:
    """ExponentialDecay(0.1, decay_steps=1000, decay_rate=0.5) at a step: 0.1 * 0.5**(t / 1000)."""
    return 0.1 * 0.5 ** (steps / 1000)


class _Unrevealed(ValueExercise):
    """A ValueExercise whose failure message names the answer given, never the expected one."""

    def _compare(self, answer, reference):
        try:
            return super()._compare(answer, reference)
        except Incorrect:
            if isinstance(answer, bool) or not isinstance(answer, int | float | np.number):
                raise  # "give a number" and the like: no value in that message
            raise Incorrect(f"{float(answer):.6g} is not the rate after 20 epochs") from None


q1 = _Unrevealed(
    "Q1. Steps, not epochs",
    """
    A model is trained on 16,400 rows with `batch_size=64` (Keras keeps the last, smaller
    batch) and
    `SGD(learning_rate=ExponentialDecay(0.1, decay_steps=1000, decay_rate=0.5))`.
    What is the learning rate after 20 epochs? Set `lr_after_20_epochs` to that number.
    """,
    expected=_q1_rate(20 * _STEPS_PER_EPOCH),
    rtol=5e-3,  # 256.25 steps per epoch is 1.0% off, dropping the partial batch 1.4%, 19 or 21
    # epochs 16-19%: all outside
    diagnoses=[
        (0.1 * 0.5**20, "that counts 20 decay periods; decay_steps counts optimizer steps"),
        (
            _q1_rate(20 * (_ROWS // _BATCH)),  # 5120 steps; the unrounded 5125 matches it too
            "that does not count the last, partial batch as a whole step; it too is one "
            "optimizer step (round the steps per epoch up)",
        ),
        (
            0.1 * 0.5**5,
            "that is the staircase=True value; by default the rate decays smoothly, "
            "between the multiples of decay_steps too",
        ),
        (0.1, "that is the rate at step 0; the schedule halves every 1,000 steps"),
        (
            _q1_rate(20 * _NOTEBOOK_STEPS_PER_EPOCH),
            "that uses the notebook's 387 steps per epoch (batch 32 on its split); here it is "
            "16,400 rows in batches of 64",
        ),
    ],
    hints=[
        "The schedule is a function of the number of optimizer steps, not of the epoch.",
        "One epoch is ceil(16400 / 64) steps (the last batch is smaller); the rate is "
        "0.1 * 0.5 ** (steps / 1000).",
    ],
    solution="""
    import math

    steps = 20 * math.ceil(16400 / 64)   # 5140 optimizer steps
    lr_after_20_epochs = 0.1 * 0.5 ** (steps / 1000)   # about 0.00284
    """,
    wrong_answers=[
        0.1 * 0.5**20,  # counted epochs as decay periods
        _q1_rate(20 * (_ROWS // _BATCH)),  # dropped the partial batch
        0.1 * 0.5**5,  # staircase
        0.1,  # the starting rate
    ],
)


# ---- q2: when does a staircase fall below a threshold? ----------------------------------------
def _first_step_below(threshold, initial_learning_rate, decay_steps, decay_rate):
    """First step at which ExponentialDecay(..., staircase=True) is strictly below threshold.

    With staircase=True the rate is ``initial_learning_rate * decay_rate**k`` on steps
    ``k * decay_steps`` to ``(k + 1) * decay_steps - 1``, so the answer is ``k * decay_steps``
    for the smallest whole k whose rate is below the threshold.
    """
    schedule = ExponentialDecay(initial_learning_rate, decay_steps, decay_rate, staircase=True)
    drops = 0
    while schedule(drops * decay_steps) >= threshold:
        drops += 1
    return drops * decay_steps


_Q2_CASES = [
    (0.01, 0.1, 500, 0.5),  # 4 drops
    (0.005, 0.1, 250, 0.3),  # 3 drops
    (0.001, 0.1, 10_000, 0.9),  # 44 drops
    (0.05, 0.1, 100, 0.5),  # one drop lands exactly on the threshold: not below it yet
    (0.2, 0.1, 100, 0.5),  # already below at step 0
]


def _smooth_crossing(threshold, initial_learning_rate, decay_steps, decay_rate):
    """Where the smooth (staircase=False) curve first goes below the threshold."""
    if initial_learning_rate < threshold:
        return 0
    return (
        math.floor(decay_steps * math.log(threshold / initial_learning_rate) / math.log(decay_rate))
        + 1
    )


def _check_first_step(answer) -> str:
    if not callable(answer):
        raise Incorrect(f"pass your function itself (without calling it), got {answer!r}")
    name = getattr(answer, "__name__", "your function")
    for case in _Q2_CASES:
        threshold, lr0, steps, rate = case
        expected = _first_step_below(*case)
        got = call_answer(answer, *case)
        where = f"{name}{case}"
        if isinstance(got, bool) or not isinstance(got, int | float | np.number):
            raise Incorrect(f"{where}: return a step number, got {got!r}")
        if got != expected and expected > 0 and got == expected // steps:
            raise Incorrect(
                f"{where}: that counts drops of the rate; return the optimizer step, and "
                "the rate drops once every decay_steps steps"
            )
        if not float(got).is_integer():
            raise Incorrect(f"{where}: a step is a whole number, got {got!r}")
        got = int(got)
        if got == expected:
            continue
        if got == _smooth_crossing(*case):
            raise Incorrect(
                f"{where}: that is where the smooth curve (staircase=False) crosses; with "
                "staircase=True the rate only changes at multiples of decay_steps"
            )
        at_got = ExponentialDecay(lr0, steps, rate, staircase=True)(max(got, 0))
        if got >= 0 and at_got >= threshold:
            tie = " (equal to it: 'below' means strictly below)" if at_got == threshold else ""
            raise Incorrect(
                f"{where}: at step {got} the rate is {at_got:.6g}, not below {threshold}{tie}"
            )
        raise Incorrect(
            f"{where}: the rate is below {threshold} at step {got}, but it got there earlier"
        )
    return f"{name} gives the first step below the threshold on all {len(_Q2_CASES)} cases."


q2 = Exercise(
    "Q2. When does the staircase fall below a threshold?",
    """
    Complete `first_step_below(threshold, initial_learning_rate, decay_steps, decay_rate)` so
    it returns the first optimizer step at which
    `ExponentialDecay(initial_learning_rate, decay_steps, decay_rate, staircase=True)` gives a
    rate strictly below `threshold` (0 if the rate starts below it). The checker tries 5 cases,
    one of them `ExponentialDecay(0.1, decay_steps=10000, decay_rate=0.9)` with threshold
    0.001; each step must be exact.
    """,
    checker=_check_first_step,
    tolerance="exact (a whole step number) in each case",
    reference=_first_step_below,
    hints=[
        "With staircase=True the rate is initial_learning_rate * decay_rate**k from step "
        "k * decay_steps until the next drop: it only changes at multiples of decay_steps.",
        "Find the smallest whole k with initial_learning_rate * decay_rate**k < threshold "
        "(a while loop avoids rounding trouble with logarithms), then turn drops into steps.",
    ],
    solution="""
    def first_step_below(threshold, initial_learning_rate, decay_steps, decay_rate):
        drops = 0
        while initial_learning_rate * decay_rate**drops >= threshold:
            drops += 1
        return drops * decay_steps
    """,
    wrong_answers=[
        _smooth_crossing,  # ignores the staircase
        lambda thr, lr0, T, r: (
            math.ceil(math.log(thr / lr0) / math.log(r)) * T if lr0 >= thr else 0
        ),
        lambda thr, lr0, T, r: max(math.ceil(math.log(thr / lr0) / math.log(r)), 0),  # drops
    ],
)


# ---- q3: a LearningRateScheduler function ---------------------------------------------------
_START, _EPOCHS = 0.05, 10


def _scheduler(epoch, lr):
    return lr if epoch < 3 else lr * 0.8


def _rates(fn) -> list[float]:
    """Call fn as keras.callbacks.LearningRateScheduler does: epoch 0, 1, ... with the
    learning rate the previous call set."""
    lr, out = _START, []
    for epoch in range(_EPOCHS):
        lr = call_answer(fn, epoch, lr)
        if isinstance(lr, bool) or not isinstance(lr, float | np.floating):
            raise Incorrect(
                f"epoch {epoch}: return a float learning rate (Keras refuses anything else), "
                f"got {lr!r}"
            )
        out.append(float(lr))
    return out


_Q3_MISTAKES = [
    (
        lambda epoch, lr: lr * 0.8,
        "the rate shrinks from epoch 0; it should stay as it is for epochs 0, 1 and 2",
    ),
    (
        lambda epoch, lr: lr if epoch <= 3 else lr * 0.8,
        "the first cut comes one epoch late: epochs count from 0, so the 4th epoch is epoch 3",
    ),
    (
        lambda epoch, lr: lr if epoch < 2 else lr * 0.8,
        "the first cut comes one epoch early: the first 3 epochs are 0, 1 and 2",
    ),
    (
        lambda epoch, lr: lr * 0.8 ** max(epoch - 2, 0),
        "the cuts compound twice: `lr` already holds the earlier cuts, so multiply it by 0.8 once",
    ),
    (
        lambda epoch, lr: _START if epoch < 3 else _START * 0.8,
        "the rate is cut only once: multiply the current `lr`, not the starting rate",
    ),
]


def _check_scheduler(answer) -> str:
    if not callable(answer):
        raise Incorrect(f"pass your function itself (without calling it), got {answer!r}")
    expected, got = _rates(_scheduler), _rates(answer)
    right = np.allclose(got, expected, rtol=1e-6, atol=0)
    for mistake, message in [] if right else _Q3_MISTAKES:
        if np.allclose(got, _rates(mistake), rtol=1e-6, atol=0):
            raise Incorrect(message)
    for epoch, (e, g) in enumerate(zip(expected, got, strict=True)):
        if not np.isclose(g, e, rtol=1e-6, atol=0):
            raise Incorrect(
                f"epoch {epoch}: your function set the rate to {g:.6g}, which is not what "
                f"the rule gives (starting from {_START}; epochs count from 0)"
            )
    return (
        "the rates over 10 epochs match: " + ", ".join(f"{r:.3g}" for r in expected[:6]) + ", ..."
    )


q3 = Exercise(
    "Q3. A function for LearningRateScheduler",
    """
    `keras.callbacks.LearningRateScheduler(scheduler)` calls `scheduler(epoch, lr)` before each
    epoch (epoch counts from 0; `lr` is the current rate) and sets the rate it returns.
    Write `scheduler` so the rate stays as it is for the first 3 epochs, then shrinks by a
    factor 0.8 at the start of every later epoch. The checker starts from lr = 0.05.
    """,
    checker=_check_scheduler,
    tolerance="relative 1e-06 on every epoch's rate",
    reference=_scheduler,
    hints=[
        "Return lr unchanged while epoch < 3.",
        "Otherwise return lr * 0.8: the current rate already holds the earlier reductions.",
    ],
    solution="""
    def scheduler(epoch, lr):
        return lr if epoch < 3 else lr * 0.8
    """,
    wrong_answers=[
        lambda epoch, lr: lr * 0.8,  # shrinks from the first epoch
        lambda epoch, lr: lr if epoch <= 3 else lr * 0.8,  # one epoch late
        lambda epoch, lr: lr * 0.8 ** max(epoch - 2, 0),  # compounds twice
        lambda epoch, lr: 1 if epoch < 3 else lr,  # not a float
    ],
)
