"""A small demonstration set: one exercise of each kind. Used by the framework's tests."""

from __future__ import annotations

import numpy as np

from gdcourse.exercises.core import (
    Exercise,
    FunctionExercise,
    Incorrect,
    StepExercise,
    ValueExercise,
)

# ---- q1: a value -----------------------------------------------------------------------
q1 = ValueExercise(
    "Q1. The largest stable learning rate",
    """
    Gradient descent on f(x) = 2 x**2 converges for every learning rate between 0 and
    2 / L, where L is the curvature f''(x). Set `max_lr` to that threshold (within 0.1%).
    """,
    expected=0.5,
    rtol=1e-3,
    hints=["Differentiate f twice: f'(x) = 4 x.", "L = f''(x) = 4, so the threshold is 2 / 4."],
    solution="max_lr = 2 / 4",
    diagnoses=[
        (0.25, "that is 1/L, a safe rate; gradient descent converges up to twice it"),
        (4.0, "that is L itself; the threshold is a learning rate, 2 / L"),
        (2.0, "that is the 2 of 2 / L alone: divide it by the curvature L"),
        (1.0, "that takes L = 2, the coefficient of x**2; the curvature is f''(x) = 2 * 2"),
    ],
    wrong_answers=[0.25, 4.0, 2.0, 1.0, "0.5"],
)


# ---- q2: a function, checked on test cases ----------------------------------------------
def _mse_gradient(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Gradient of the mean squared error (1/n) ||X w - y||^2: (2/n) X^T (X w - y)."""
    return 2.0 / len(y) * X.T @ (X @ w - y)


def _mse_cases() -> list[tuple]:
    rng = np.random.default_rng(0)
    cases = []
    for n, d in [(5, 2), (20, 3), (1, 1)]:
        cases.append((rng.normal(size=(n, d)), rng.normal(size=n), rng.normal(size=d)))
    return cases


q2 = FunctionExercise(
    "Q2. The gradient of the mean squared error",
    """
    Write `mse_gradient(X, y, w)` returning the gradient of (1/n) * ||X @ w - y||**2
    with respect to `w`.
    """,
    reference=_mse_gradient,
    cases=_mse_cases,
    hints=[
        "Differentiate the square: the derivative of r**2 is 2 r, with r = X @ w - y.",
        "The chain rule brings in X.T; average over the n rows.",
    ],
    solution="""
    def mse_gradient(X, y, w):
        return 2 / len(y) * X.T @ (X @ w - y)
    """,
    wrong_answers=[
        lambda X, y, w: X.T @ (X @ w - y) / len(y),  # forgot the 2
        lambda X, y, w: 2 / len(y) * X.T @ (y - X @ w),  # sign flipped
    ],
)


# ---- q3: an update rule, compared step by step -----------------------------------------
def _momentum_step(w: np.ndarray, v: np.ndarray, g: np.ndarray, lr: float, beta: float):
    """Keras SGD momentum: v <- beta v - lr g;  w <- w + v."""
    v = beta * v - lr * g
    return w + v, v


def _gradient_at(k: int, state: tuple) -> tuple:
    w, _ = state
    A = np.array([[3.0, 0.5], [0.5, 1.0]])  # gradient of 0.5 w^T A w
    return (A @ w, 0.1, 0.9)


q3 = StepExercise(
    "Q3. One step of SGD with momentum",
    """
    Write `momentum_step(w, v, g, lr, beta)` returning the new `(w, v)` with Keras's rule
    v <- beta * v - lr * g, then w <- w + v.
    """,
    reference=_momentum_step,
    initial=(np.array([1.0, -2.0]), np.zeros(2)),
    extra=_gradient_at,
    steps=6,
    names=("w", "v"),
    hints=["Update the velocity first, then move the weights by it.", "v = beta * v - lr * g"],
    solution="""
    def momentum_step(w, v, g, lr, beta):
        v = beta * v - lr * g
        return w + v, v
    """,
    wrong_answers=[
        lambda w, v, g, lr, beta: (w - lr * g, v),  # plain SGD: differs from step 2 on
        lambda w, v, g, lr, beta: (w + beta * v - lr * g, beta * v + lr * g),  # wrong sign
    ],
)


# ---- q4: a custom checker ---------------------------------------------------------------
def _check_regime(answer: object) -> str:
    if not isinstance(answer, str):
        raise Incorrect(f"answer with one of the words 'converges' or 'diverges', got {answer!r}")
    if answer.strip().lower() != "diverges":
        raise Incorrect("with lr = 0.6 > 2 / L = 0.5 each step multiplies x by |1 - 4 * 0.6| > 1")
    return "each step multiplies the error by -1.4."


q4 = Exercise(
    "Q4. Converge or diverge?",
    "With lr = 0.6 on f(x) = 2 x**2, does gradient descent 'converges' or 'diverges'?",
    checker=_check_regime,
    reference="diverges",
    hints=["Compare lr with 2 / L."],
    solution='answer = "diverges"',
    wrong_answers=["converges", 3],
)
