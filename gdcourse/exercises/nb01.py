"""Exercises for notebook 01 (the update rule: gradient descent by hand)."""

from __future__ import annotations

import math

import numpy as np

from gdcourse.exercises.core import (
    Exercise,
    Incorrect,
    StepExercise,
    call_answer,
    tolerance_text,
)

# ---- q1: one gradient-descent step on a function whose gradient the learner derives --------
_LR1 = (0.1, 0.05)  # three steps at each rate, so a rate written into the step fails


def _lr_of_step(k: int, state: tuple) -> tuple[float]:
    """The learning rate of step ``k`` (from 1): the first three use 0.1, the rest 0.05."""
    return (_LR1[0] if k <= 3 else _LR1[1],)


def _gd_step(w: np.ndarray, lr: float) -> np.ndarray:
    """One step on f(w) = (w_1 - 1)^2 + 4 w_2^2, whose gradient is (2 (w_1 - 1), 8 w_2)."""
    return w - lr * np.array([2 * (w[0] - 1), 8 * w[1]])


q1 = StepExercise(
    "Q1. One step of gradient descent",
    """
    Write `gd_step(w, lr)` returning the new weights `w = [w1, w2]` (a NumPy array) after one
    gradient-descent step with learning rate `lr` on f(w) = (w1 - 1)^2 + 4 w2^2 (derive its
    gradient by hand). The checker compares 6 steps from `w = [3, 1]`: 3 at lr = 0.1, 3 at 0.05.
    """,
    reference=_gd_step,
    diagnoses=[
        (
            lambda w, lr: w + lr * np.array([2 * (w[0] - 1), 8 * w[1]]),
            "this steps uphill: the gradient points uphill, subtract it",
        ),
        (
            lambda w, lr: w - np.array([2 * (w[0] - 1), 8 * w[1]]),
            "the step ignores the learning rate: scale the gradient by lr",
        ),
        (
            lambda w, lr: w - 0.1 * np.array([2 * (w[0] - 1), 8 * w[1]]),
            "the step always uses lr = 0.1: use the argument `lr`, which changes at step 4",
        ),
        (
            lambda w, lr: w - lr * np.array([w[0] - 1, 4 * w[1]]),
            "the gradient is half the right size: the derivative of u^2 is 2u",
        ),
        (
            lambda w, lr: w - lr * 2 * w,
            "this is the step for the notebook's f(x) = x^2 (gradient 2x); Q1's f is "
            "(w1 - 1)^2 + 4 w2^2: derive its own gradient",
        ),
        (
            lambda w, lr: w - lr * np.array([2 * w[0], 8 * w[1]]),
            "the first partial derivative lost the shift: differentiate (w1 - 1)^2, not w1^2",
        ),
        (
            lambda w, lr: w - lr * np.array([2 * (w[0] + 1), 8 * w[1]]),
            "the first partial derivative has the shift's sign flipped: f has (w1 - 1)^2, "
            "whose derivative is zero at w1 = 1, not at w1 = -1",
        ),
        (
            lambda w, lr: w - lr * np.array([2 * (w[0] - 1), 4 * w[1]]),
            "the second partial derivative is off: redo the derivative of 4 w2^2",
        ),
        (
            lambda w, lr: w - lr * np.array([2 * (w[0] - 1), 2 * w[1]]),
            "the second partial derivative dropped the factor 4: differentiate 4 w2^2, not w2^2",
        ),
        (
            lambda w, lr: np.array([2 * (w[0] - 1), 8 * w[1]]),
            "this returns the gradient, not the new weights: return w minus lr times it",
        ),
        (
            lambda w, lr: lr * np.array([2 * (w[0] - 1), 8 * w[1]]),
            "this returns the change lr times the gradient, not the new weights: subtract it "
            "from w",
        ),
    ],
    initial=np.array([3.0, 1.0]),
    extra=_lr_of_step,
    steps=6,
    names=("w",),
    hints=[
        "Take the partial derivative of f with respect to w1, then w2; step against them.",
        "The gradient is (2 (w1 - 1), 8 w2); subtract lr times it from w.",
    ],
    solution="""
    import numpy as np


    def gd_step(w, lr):
        grad = np.array([2 * (w[0] - 1), 8 * w[1]])
        return w - lr * grad
    """,
    wrong_answers=[
        lambda w, lr: w + lr * np.array([2 * (w[0] - 1), 8 * w[1]]),  # uphill
        lambda w, lr: w - np.array([2 * (w[0] - 1), 8 * w[1]]),  # forgot the learning rate
        lambda w, lr: w - lr * np.array([w[0] - 1, 4 * w[1]]),  # forgot the factor 2
        lambda w, lr: w - lr * 2 * w,  # copied the notebook's df for f(x) = x^2
        lambda w, lr: w - lr * np.array([2 * (w[0] - 1), 2 * w[1]]),  # dropped the 4
        lambda w, lr: np.array([2 * (w[0] - 1), 8 * w[1]]),  # returned the gradient
        lambda w, lr: w - lr * np.array([2 * (w[0] + 1), 8 * w[1]]),  # flipped the shift
    ],
)


# ---- q2: the threshold, the best fixed learning rate and how many steps it needs -------------
_MU, _L = 2.0, 50.0
_RTOL_RATES = 5e-3  # 3 significant figures
_SHRINK = 1e-6  # the distance to the minimum must shrink by this factor


def _steps_needed(factor: float) -> int:
    """Smallest n with factor**n <= _SHRINK (a float64 margin keeps an exact power on the edge)."""
    return math.ceil(math.log(_SHRINK) / math.log(factor) - 1e-9)


_STEPS = _steps_needed((_L - _MU) / (_L + _MU))


def _check_steps(steps: float) -> None:
    if steps == _STEPS:
        return
    if steps == _STEPS - 1:
        raise Incorrect(
            f"steps = {steps:g} leaves the distance just above 1e-6 of the start: round the "
            "number of steps up, not down"
        )
    if steps == _steps_needed(((_L - _MU) / (_L + _MU)) ** 2):
        raise Incorrect(
            f"steps = {steps:g} uses the squared factor, the loss's; the distance shrinks by "
            "the factor itself each step"
        )
    if steps == _steps_needed(1 - _MU / _L):
        raise Incorrect(
            f"steps = {steps:g} is the count at lr = 1/L (factor 1 - mu/L); at best_lr the "
            "factor is smaller"
        )
    raise Incorrect(
        f"steps = {steps:g} is not the smallest n with factor**n <= 1e-6; what is the factor "
        "per step at best_lr?"
    )


def _check_rates(answer: object) -> str:
    if isinstance(answer, np.ndarray):
        answer = answer.ravel().tolist()  # np.array([max_lr, best_lr, steps]) is three numbers too
    if not isinstance(answer, tuple | list) or len(answer) != 3:
        raise Incorrect(f"give three numbers, (max_lr, best_lr, steps); got {answer!r}")
    if any(isinstance(a, str | bytes) for a in answer):
        raise Incorrect(f"all three answers should be numbers, not text; got {answer!r}")
    try:
        max_lr, best_lr, steps = (float(a) for a in answer)
    except (TypeError, ValueError):
        raise Incorrect(f"all three answers should be numbers; got {answer!r}") from None
    for name, got, want in (("max_lr", max_lr, 2 / _L), ("best_lr", best_lr, 2 / (_L + _MU))):
        if not np.isclose(got, want, rtol=_RTOL_RATES) and np.isclose(got, want, rtol=0.03):
            raise Incorrect(
                f"{name} = {got:.6g} is close to the right value but not within 0.5%: "
                "keep 3 significant figures (or write it as a fraction)"
            )
    if np.isclose(max_lr, 2 / (_L + _MU), rtol=_RTOL_RATES) and np.isclose(
        best_lr, 2 / _L, rtol=_RTOL_RATES
    ):
        raise Incorrect(
            "max_lr and best_lr are swapped: the threshold is the larger of the two, and the "
            "best rate sits a little below it"
        )
    if not np.isclose(max_lr, 2 / _L, rtol=_RTOL_RATES):
        if np.isclose(max_lr, 2 / _MU, rtol=_RTOL_RATES):
            raise Incorrect(
                f"max_lr = {max_lr:.4g} uses the smallest curvature; the steepest direction "
                "(curvature L = 50) is the one that diverges first"
            )
        if np.isclose(max_lr, 1 / _L, rtol=_RTOL_RATES):
            raise Incorrect(
                f"max_lr = {max_lr:.4g} is 1/L; gradient descent still converges (oscillating) "
                "up to twice that"
            )
        raise Incorrect(f"max_lr = {max_lr:.6g} is not the threshold 2/L; what is L here?")
    if not np.isclose(best_lr, 2 / (_L + _MU), rtol=_RTOL_RATES):
        if np.isclose(best_lr, 1 / _L, rtol=_RTOL_RATES):
            raise Incorrect(
                f"max_lr is right; best_lr = {best_lr:.6g} is 1/L, the safe rate for any "
                "smooth function; on this bowl a larger one balances the two directions"
            )
        raise Incorrect(
            f"max_lr is right; best_lr = {best_lr:.6g} is not where the factors "
            "|1 - lr mu| and |1 - lr L| are equal"
        )
    if not steps.is_integer():
        raise Incorrect(f"steps = {steps:g} should be a whole number of steps")
    _check_steps(steps)
    return (
        f"max_lr = 2/L = {2 / _L:.4g} and best_lr = 2/(L + mu) = {2 / (_L + _MU):.4g}, "
        f"where each step shrinks the error by (L - mu)/(L + mu) = {(_L - _MU) / (_L + _MU):.3f}, "
        f"so {_STEPS} steps shrink it by 1e-6."
    )


q2 = Exercise(
    "Q2. The threshold, the best learning rate and its number of steps",
    """
    A quadratic bowl has curvatures mu = 2 and L = 50. Set `max_lr`, the learning rate above
    which gradient descent diverges, `best_lr`, the fixed rate that converges fastest, and
    `steps`, the smallest number of steps at `best_lr` that shrinks the distance to the minimum
    to 1e-6 of the start, or less (from any start).
    """,
    checker=_check_rates,
    tolerance=tolerance_text(_RTOL_RATES) + " on the rates; steps: the exact whole number",
    reference=(2 / _L, 2 / (_L + _MU), _STEPS),
    hints=[
        "max_lr comes from the steepest direction; best_lr is where the two factors of the "
        "threshold section, |1 - lr mu| and |1 - lr L|, are equal; at best_lr both directions "
        "shrink by the same factor each step.",
        "max_lr = 2/L; best_lr solves lr * L - 1 = 1 - lr * mu; steps is the smallest n with "
        "((L - mu)/(L + mu))**n <= 1e-6 (take logarithms, round up).",
    ],
    solution="""
    import math

    mu, L = 2, 50
    max_lr = 2 / L  # 0.04
    best_lr = 2 / (L + mu)  # about 0.0385
    factor = (L - mu) / (L + mu)  # each step multiplies the distance by this
    steps = math.ceil(math.log(1e-6) / math.log(factor))
    """,
    wrong_answers=[
        (2 / _MU, 2 / (_L + _MU), _STEPS),  # the flattest direction's threshold
        (1 / _L, 2 / (_L + _MU), _STEPS),  # 1/L as the threshold
        (2 / _L, 1 / _L, _STEPS),  # 1/L as the best rate
        (2 / (_L + _MU), 2 / _L, _STEPS),  # the two swapped
        (2 / _L, 2 / (_L + _MU), _STEPS - 1),  # rounded down
        (2 / _L, 2 / (_L + _MU), _steps_needed(((_L - _MU) / (_L + _MU)) ** 2)),  # loss factor
        (2 / _L, 2 / (_L + _MU), _steps_needed(1 - _MU / _L)),  # the count at 1/L
    ],
)


# ---- q3: scale to [0, 1] with training statistics only --------------------------------------
def _min_max(X_train: np.ndarray, X_test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Scale both sets with the training set's column minimum and range (max - min)."""
    low, high = X_train.min(axis=0), X_train.max(axis=0)
    return (X_train - low) / (high - low), (X_test - low) / (high - low)


def _split() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(1)
    X_train = rng.normal(loc=[5.0, -3.0], scale=[2.0, 10.0], size=(60, 2))
    X_test = rng.normal(loc=[6.0, 1.0], scale=[1.0, 5.0], size=(25, 2))
    X_test[0] = X_train.max(axis=0) + [1.0, 4.0]  # a test row beyond the training range
    return X_train, X_test


_RTOL = 1e-6


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(np.allclose(a, b, rtol=_RTOL, atol=1e-8))


def _check_min_max(fn: object) -> str:
    if not callable(fn):
        raise Incorrect(f"pass your function itself (without calling it); got {fn!r}")
    X_train, X_test = _split()
    try:
        out = call_answer(fn, X_train, X_test)
    except ValueError as exc:  # e.g. (60, 2) - (60,) from statistics taken with axis=1
        if "broadcast" not in str(exc):
            raise
        raise Incorrect(
            "the shapes do not broadcast: the statistics must be one number per column, "
            f"shape {X_train.shape[1:]}, so take them with axis=0, not axis=1 ({exc})"
        ) from None
    if not isinstance(out, tuple | list) or len(out) != 2:
        raise Incorrect("return two arrays, (train_scaled, test_scaled)")
    train, test = (np.asarray(a, dtype=float) for a in out)
    if train.shape != X_train.shape or test.shape != X_test.shape:
        raise Incorrect(
            f"the results should keep the shapes {X_train.shape} and {X_test.shape}; "
            f"got {train.shape} and {test.shape}"
        )
    want_train, want_test = _min_max(X_train, X_test)
    if _close(train, want_train) and _close(test, want_test):
        return (
            "both sets are scaled with the training minimum and range; one test row lies "
            "beyond the training range, so its scaled values exceed 1, as they should."
        )
    both_train, both_test = _min_max(np.vstack([X_train, X_test]), X_test)
    if _close(test, both_test):
        raise Incorrect(
            "the minimum and maximum came from train and test together: that leaks the test "
            "set into training; use X_train's only"
        )
    if _close(train, (X_train - X_train.mean(axis=0)) / X_train.std(axis=0)):
        raise Incorrect("that is standardization (mean 0, std 1); this asks for a [0, 1] range")
    if _close(train, (X_train - X_train.min(axis=0)) / X_train.max(axis=0)):
        raise Incorrect("divide by the range of each column (its max minus its min), not its max")
    if _close(train, X_train / (X_train.max(axis=0) - X_train.min(axis=0))):
        raise Incorrect("subtract each column's training minimum before dividing")
    if not _close(train, want_train):
        raise Incorrect(
            "the scaled training set should span exactly [0, 1] in every column: its minimum "
            "maps to 0 and its maximum to 1"
        )
    if _close(test, _min_max(X_test, X_test)[0]):
        raise Incorrect(
            "the test set was scaled with its own minimum and maximum; use the training set's, "
            "as the model will see new data scaled with the numbers it was trained with"
        )
    if _close(test, np.clip(want_test, 0, 1)):
        raise Incorrect(
            "the test set was clipped to [0, 1]: a value beyond the training range is real "
            "information, keep it (above 1 or below 0)"
        )
    raise Incorrect("the test set should be scaled with the training set's minimum and range")


q3 = Exercise(
    "Q3. Scale to [0, 1] without leaking",
    """
    Min-max scaling is the other common way to put features on one scale. Write
    `min_max_scale(X_train, X_test)` returning `(train_scaled, test_scaled)`: each column
    minus its minimum, divided by its range (maximum minus minimum), with the minimum and
    maximum computed **on the training set only**. The checker uses a test set with a row
    beyond the training range.
    """,
    checker=_check_min_max,
    tolerance=tolerance_text(_RTOL, 1e-8),
    reference=_min_max,
    hints=[
        "Compute the minimum and maximum of X_train with axis=0 (one number per column).",
        "Apply the same (X - low) / (high - low) to both sets; do not clip the test set.",
    ],
    solution="""
    def min_max_scale(X_train, X_test):
        low, high = X_train.min(axis=0), X_train.max(axis=0)
        return (X_train - low) / (high - low), (X_test - low) / (high - low)
    """,
    wrong_answers=[
        lambda a, b: (
            (a - a.min(0)) / (a.max(0) - a.min(0)),
            (b - b.min(0)) / (b.max(0) - b.min(0)),
        ),  # the test set's own statistics
        lambda a, b: tuple(
            (x - np.vstack([a, b]).min(0)) / np.ptp(np.vstack([a, b]), axis=0) for x in (a, b)
        ),  # statistics of train + test
        lambda a, b: ((a - a.min(0)) / a.max(0), (b - a.min(0)) / a.max(0)),  # divided by max
        lambda a, b: tuple(
            np.clip((x - a.min(0)) / np.ptp(a, axis=0), 0, 1) for x in (a, b)
        ),  # clipped the test set
    ],
)
