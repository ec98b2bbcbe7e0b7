"""Exercises for notebook 01 (the update rule: gradient descent by hand)."""

from __future__ import annotations

import numpy as np

from gdcourse.exercises.core import (
    Exercise,
    Incorrect,
    StepExercise,
    call_answer,
    tolerance_text,
)

_A = np.array([[3.0, 1.0], [1.0, 2.0]])  # a bowl f(w) = 0.5 w^T A w, gradient A w


# ---- q1: one gradient-descent step ---------------------------------------------------------
def _gd_step(w: np.ndarray, g: np.ndarray, lr: float) -> np.ndarray:
    """The update rule: w <- w - lr * g."""
    return w - lr * g


def _bowl_gradient(k: int, state: tuple) -> tuple:
    (w,) = state
    return (_A @ w, 0.2)  # g, lr


q1 = StepExercise(
    "Q1. One step of gradient descent",
    """
    Write `gd_step(w, g, lr)` returning the new weights after one step of gradient descent
    with gradient `g` and learning rate `lr`. The checker runs 6 steps on a 2-D bowl from
    `w = [1, -2]` and compares each one with the reference.
    """,
    reference=_gd_step,
    diagnoses=[
        (lambda w, g, lr: w + lr * g, "this steps uphill: the gradient points uphill, subtract it"),
        (lambda w, g, lr: w - g, "the step ignores the learning rate: scale g by lr"),
    ],
    initial=np.array([1.0, -2.0]),
    extra=_bowl_gradient,
    steps=6,
    names=("w",),
    hints=[
        "The gradient points uphill; step the other way.",
        "Scale the gradient by the learning rate and subtract it from w.",
    ],
    solution="""
    def gd_step(w, g, lr):
        return w - lr * g
    """,
    wrong_answers=[
        lambda w, g, lr: w + lr * g,  # uphill
        lambda w, g, lr: w - g,  # forgot the learning rate
    ],
)


# ---- q2: the threshold and the best fixed learning rate --------------------------------------
_MU, _L = 2.0, 50.0
_RTOL_RATES = 5e-3  # 3 significant figures


def _check_rates(answer: object) -> str:
    if isinstance(answer, np.ndarray):
        answer = answer.ravel().tolist()  # np.array([max_lr, best_lr]) is two numbers too
    if not isinstance(answer, tuple | list) or len(answer) != 2:
        raise Incorrect(f"give two numbers, (max_lr, best_lr); got {answer!r}")
    if any(isinstance(a, str | bytes) for a in answer):
        raise Incorrect(f"both answers should be numbers, not text; got {answer!r}")
    try:
        max_lr, best_lr = (float(a) for a in answer)
    except (TypeError, ValueError):
        raise Incorrect(f"both answers should be numbers; got {answer!r}") from None
    for name, got, want in (("max_lr", max_lr, 2 / _L), ("best_lr", best_lr, 2 / (_L + _MU))):
        if not np.isclose(got, want, rtol=_RTOL_RATES) and np.isclose(got, want, rtol=0.03):
            raise Incorrect(
                f"{name} = {got:.6g} is close to the right value but not within 0.5%: "
                "keep 3 significant figures (or write it as a fraction)"
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
    return (
        f"max_lr = 2/L = {2 / _L:.4g} and best_lr = 2/(L + mu) = {2 / (_L + _MU):.4g}, "
        f"where each step shrinks the error by (L - mu)/(L + mu) = {(_L - _MU) / (_L + _MU):.3f}."
    )


q2 = Exercise(
    "Q2. The threshold and the best learning rate",
    """
    A quadratic bowl has curvatures mu = 2 (its flattest direction) and L = 50 (its
    steepest). Set `max_lr`, the learning rate above which gradient descent diverges, and
    `best_lr`, the fixed learning rate that makes it converge fastest.
    """,
    checker=_check_rates,
    tolerance=tolerance_text(_RTOL_RATES),
    reference=(2 / _L, 2 / (_L + _MU)),
    hints=[
        "max_lr comes from the steepest direction; best_lr is where the two lines of the "
        "'factor per step' plot cross.",
        "max_lr = 2/L; best_lr solves lr * L - 1 = 1 - lr * mu.",
    ],
    solution="""
    mu, L = 2, 50
    max_lr = 2 / L  # 0.04
    best_lr = 2 / (L + mu)  # about 0.0385
    """,
    wrong_answers=[(2 / _MU, 2 / (_L + _MU)), (1 / _L, 2 / (_L + _MU)), (2 / _L, 1 / _L)],
)


# ---- q3: standardize with training statistics only -------------------------------------------
def _standardize(X_train: np.ndarray, X_test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Scale both sets with the training set's column means and standard deviations."""
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    return (X_train - mean) / std, (X_test - mean) / std


def _split() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(1)
    X_train = rng.normal(loc=[5.0, -3.0], scale=[2.0, 10.0], size=(60, 2))
    X_test = rng.normal(loc=[6.0, 1.0], scale=[1.0, 5.0], size=(25, 2))
    return X_train, X_test


_RTOL = 1e-6


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(np.allclose(a, b, rtol=_RTOL, atol=1e-8))


def _check_standardize(fn: object) -> str:
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
    want_train, want_test = _standardize(X_train, X_test)
    if train.shape != X_train.shape or test.shape != X_test.shape:
        raise Incorrect(
            f"the results should keep the shapes {X_train.shape} and {X_test.shape}; "
            f"got {train.shape} and {test.shape}"
        )
    both = np.vstack([X_train, X_test])
    mean, std = both.mean(axis=0), both.std(axis=0)
    if _close(train, (X_train - mean) / std) and _close(test, (X_test - mean) / std):
        raise Incorrect(
            "the statistics came from train and test together: that leaks the test set into "
            "training; use X_train's mean and std only"
        )
    sample_std = X_train.std(axis=0, ddof=1)
    if _close(train, (X_train - X_train.mean(axis=0)) / sample_std):
        if _close(test, (X_test - X_train.mean(axis=0)) / sample_std):
            return (
                "both sets are scaled with the training statistics only. You used the sample "
                "standard deviation (ddof=1); StandardScaler and keras Normalization use ddof=0 "
                "(np.std's default): with 60 rows the two differ by 0.8%, either is right."
            )
    if not _close(train, want_train):
        raise Incorrect(
            "the scaled training set should have mean 0 and standard deviation 1 in every "
            "column: subtract X_train.mean(axis=0), divide by X_train.std(axis=0)"
        )
    if _close(test, want_test):
        return "both sets are scaled with the training statistics only."
    if _close(test, (X_test - X_test.mean(axis=0)) / X_test.std(axis=0)):
        raise Incorrect(
            "the test set was scaled with its own mean and std; use the training set's, as "
            "the model will see new data scaled with the numbers it was trained with"
        )
    raise Incorrect("the test set should be scaled with the training set's mean and std")


q3 = Exercise(
    "Q3. Standardize without leaking",
    """
    Write `standardize(X_train, X_test)` returning `(train_scaled, test_scaled)`: each column
    minus its mean, divided by its standard deviation, with the mean and standard deviation
    computed **on the training set only**.
    """,
    checker=_check_standardize,
    tolerance=tolerance_text(_RTOL, 1e-8) + "; either ddof of the standard deviation",
    reference=_standardize,
    hints=[
        "Compute mean and std from X_train with axis=0 (one number per column).",
        "Apply the same (X - mean) / std to both sets.",
    ],
    solution="""
    def standardize(X_train, X_test):
        mean, std = X_train.mean(axis=0), X_train.std(axis=0)
        return (X_train - mean) / std, (X_test - mean) / std
    """,
    wrong_answers=[
        lambda a, b: ((a - a.mean(0)) / a.std(0), (b - b.mean(0)) / b.std(0)),  # test stats
        lambda a, b: tuple(
            (x - np.vstack([a, b]).mean(0)) / np.vstack([a, b]).std(0) for x in (a, b)
        ),  # statistics of train + test
        lambda a, b: (a - a.mean(0), b - a.mean(0)),  # forgot to divide by std
    ],
)
