"""Exercises for notebook 05 (learning-rate schedules)."""

from __future__ import annotations

import math

import numpy as np

from gdcourse.exercises.core import (
    Exercise,
    FunctionExercise,
    Incorrect,
    ValueExercise,
    call_answer,
)
from gdcourse.schedules import ExponentialDecay

# ---- q1: schedules count steps --------------------------------------------------------------
_STEPS_PER_EPOCH = math.ceil(16_512 / 64)  # 258
_NOTEBOOK_STEPS_PER_EPOCH = 387  # the notebook's housing split with batch 32: not this setup


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
    A model is trained on 16,512 rows with `batch_size=64` and
    `SGD(learning_rate=ExponentialDecay(0.1, decay_steps=10000, decay_rate=0.9))`.
    What is the learning rate after 20 epochs? Set `lr_after_20_epochs` to that number.
    """,
    expected=0.1 * 0.9 ** (20 * _STEPS_PER_EPOCH / 10_000),
    rtol=1e-3,  # 19 or 21 epochs are 0.27% off: outside the tolerance
    diagnoses=[
        (0.1 * 0.9**20, "that counts 20 decay periods; decay_steps counts optimizer steps"),
        (
            0.1 * 0.9 ** (20 * 16_512 / 10_000),
            "that counts rows; one optimizer step uses a whole batch of 64",
        ),
        (0.1, "that is the rate at step 0; the schedule decays by 0.9 every 10,000 steps"),
        (
            0.1 * 0.9 ** (20 * _NOTEBOOK_STEPS_PER_EPOCH / 10_000),
            "that uses the notebook's 387 steps per epoch (batch 32 on its split); here it is "
            "16,512 rows in batches of 64",
        ),
    ],
    hints=[
        "The schedule is a function of the number of optimizer steps, not of the epoch.",
        "One epoch is ceil(16512 / 64) = 258 steps; the rate is 0.1 * 0.9 ** (steps / 10000).",
    ],
    solution="""
    import math

    steps = 20 * math.ceil(16512 / 64)   # 5160 optimizer steps
    lr_after_20_epochs = 0.1 * 0.9 ** (steps / 10000)   # about 0.0947
    """,
    wrong_answers=[
        0.1 * 0.9**20,  # counted epochs as decay periods
        0.1 * 0.9 ** (20 * 16_512 / 10_000),  # counted samples, not batches
        0.1,  # staircase reasoning: not asked for
    ],
)


# ---- q2: write ExponentialDecay -------------------------------------------------------------
def _exponential_decay(step, initial_learning_rate, decay_steps, decay_rate, staircase):
    """Keras's ExponentialDecay at one step."""
    schedule = ExponentialDecay(initial_learning_rate, decay_steps, decay_rate, staircase)
    return schedule(int(step))


def _decay_cases() -> list[tuple]:
    cases = []
    for staircase in (False, True):
        for step in (0, 1, 99, 100, 101, 250, 1000):
            cases.append((step, 0.1, 100, 0.5, staircase))
    cases.append((5160, 0.1, 10_000, 0.9, False))
    return cases


q2 = FunctionExercise(
    "Q2. Exponential decay, by hand",
    """
    Complete `exponential_decay(step, initial_learning_rate, decay_steps, decay_rate,
    staircase)` so it returns what `keras.optimizers.schedules.ExponentialDecay` gives at
    `step`: `initial_learning_rate * decay_rate ** (step / decay_steps)`, where with
    `staircase=True` the exponent is rounded down to a whole number.
    """,
    reference=_exponential_decay,
    cases=_decay_cases,
    rtol=1e-9,
    hints=[
        "The exponent is step / decay_steps.",
        "With staircase=True use step // decay_steps (or math.floor(step / decay_steps)).",
    ],
    solution="""
    def exponential_decay(step, initial_learning_rate, decay_steps, decay_rate, staircase):
        exponent = step // decay_steps if staircase else step / decay_steps
        return initial_learning_rate * decay_rate**exponent
    """,
    wrong_answers=[
        lambda step, lr0, T, r, staircase: lr0 * r ** (step / T),  # ignores staircase
        lambda step, lr0, T, r, staircase: lr0 * r ** (step // T),  # always staircase
        lambda step, lr0, T, r, staircase: lr0 * r ** (T / max(step, 1)),  # upside down
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


def _check_scheduler(answer) -> str:
    if not callable(answer):
        raise Incorrect(f"pass your function itself (without calling it), got {answer!r}")
    expected, got = _rates(_scheduler), _rates(answer)
    for epoch, (e, g) in enumerate(zip(expected, got, strict=True)):
        if not np.isclose(g, e, rtol=1e-6, atol=0):
            raise Incorrect(
                f"epoch {epoch}: the learning rate should be {e:.6g}, got {g:.6g} "
                f"(starting from {_START}; epochs count from 0)"
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
