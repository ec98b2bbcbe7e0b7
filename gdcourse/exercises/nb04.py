"""Exercises for notebook 04 (adaptive learning rates: AdaGrad, RMSProp, Adam)."""

from __future__ import annotations

import numpy as np

from gdcourse.exercises.core import StepExercise, ValueExercise

_A = np.array([[3.0, 0.5], [0.5, 0.2]])  # an ill-conditioned bowl, f(w) = 0.5 w^T A w


# ---- q1: one Adam step -------------------------------------------------------------------
def _adam_step(w, m, v, g, t, lr, beta_1, beta_2, epsilon):
    """Kingma & Ba, Algorithm 1: moments, bias correction, step."""
    m = beta_1 * m + (1 - beta_1) * g
    v = beta_2 * v + (1 - beta_2) * g**2
    m_hat = m / (1 - beta_1**t)
    v_hat = v / (1 - beta_2**t)
    w = w - lr * m_hat / (np.sqrt(v_hat) + epsilon)
    return w, m, v


def _keras_adam_step(w, m, v, g, t, lr, beta_1, beta_2, epsilon):
    """keras.optimizers.Adam's order: the bias correction folded into the rate,
    alpha = lr * sqrt(1 - beta_2**t) / (1 - beta_1**t), then w - alpha * m / (sqrt(v) + epsilon).
    The same as Algorithm 1 with epsilon scaled by sqrt(1 - beta_2**t)."""
    m = beta_1 * m + (1 - beta_1) * g
    v = beta_2 * v + (1 - beta_2) * g**2
    alpha = lr * np.sqrt(1 - beta_2**t) / (1 - beta_1**t)
    return w - alpha * m / (np.sqrt(v) + epsilon), m, v


def _adam_no_correction(w, m, v, g, t, lr, beta_1, beta_2, epsilon):
    m = beta_1 * m + (1 - beta_1) * g
    v = beta_2 * v + (1 - beta_2) * g**2
    return w - lr * m / (np.sqrt(v) + epsilon), m, v


def _adam_eps_inside(w, m, v, g, t, lr, beta_1, beta_2, epsilon):
    m = beta_1 * m + (1 - beta_1) * g
    v = beta_2 * v + (1 - beta_2) * g**2
    m_hat, v_hat = m / (1 - beta_1**t), v / (1 - beta_2**t)
    return w - lr * m_hat / np.sqrt(v_hat + epsilon), m, v


def _adam_extra(k: int, state: tuple) -> tuple:
    w = state[0]
    return (_A @ w, k, 0.1, 0.9, 0.999, 1e-7)  # g, t (from 1), lr, beta_1, beta_2, epsilon


q1 = StepExercise(
    "Q1. One step of Adam",
    """
    Write `adam_step(w, m, v, g, t, lr, beta_1, beta_2, epsilon)` returning the new
    `(w, m, v)`. `t` is the step number, counted from 1. Update both moving averages, correct
    their bias, then step: `w - lr * m_hat / (sqrt(v_hat) + epsilon)`.
    The checker runs 8 steps on a bowl, from `w = [1, -2]` with `m = v = 0`. Keras's order
    (the correction folded into the rate, epsilon added to `sqrt(v)`) is accepted too.
    """,
    reference=_adam_step,
    variants=[
        (
            _keras_adam_step,
            "all 8 steps match Keras's form of Adam (correction folded into the rate, so its "
            "epsilon acts as epsilon * sqrt(1 - beta_2**t) in the paper's form); both are Adam.",
        )
    ],
    diagnoses=[
        (
            _adam_no_correction,
            "this is Adam without bias correction: divide m by (1 - beta_1**t) and v by "
            "(1 - beta_2**t) before the step",
        ),
        (
            _adam_eps_inside,
            "epsilon is inside the square root (RMSprop's place in Keras); Adam adds it "
            "outside: np.sqrt(v_hat) + epsilon",
        ),
    ],
    initial=(np.array([1.0, -2.0]), np.zeros(2), np.zeros(2)),
    extra=_adam_extra,
    steps=8,
    names=("w", "m", "v"),
    hints=[
        "m is an average of the gradient g, v of its square g**2; both with weights beta and "
        "1 - beta.",
        "Bias correction divides m by (1 - beta_1**t) and v by (1 - beta_2**t); return "
        "the uncorrected m and v as the new state.",
    ],
    solution="""
    import numpy as np


    def adam_step(w, m, v, g, t, lr, beta_1, beta_2, epsilon):
        m = beta_1 * m + (1 - beta_1) * g
        v = beta_2 * v + (1 - beta_2) * g**2
        m_hat = m / (1 - beta_1**t)
        v_hat = v / (1 - beta_2**t)
        w = w - lr * m_hat / (np.sqrt(v_hat) + epsilon)
        return w, m, v
    """,
    wrong_answers=[
        # no bias correction: the first step is already too large
        lambda w, m, v, g, t, lr, b1, b2, eps: (
            w - lr * (b1 * m + (1 - b1) * g) / (np.sqrt(b2 * v + (1 - b2) * g**2) + eps),
            b1 * m + (1 - b1) * g,
            b2 * v + (1 - b2) * g**2,
        ),
        # keeps the bias-corrected moments as the state: w is right at step 1, m is not
        lambda w, m, v, g, t, lr, b1, b2, eps: (
            w
            - lr
            * ((b1 * m + (1 - b1) * g) / (1 - b1**t))
            / (np.sqrt((b2 * v + (1 - b2) * g**2) / (1 - b2**t)) + eps),
            (b1 * m + (1 - b1) * g) / (1 - b1**t),
            (b2 * v + (1 - b2) * g**2) / (1 - b2**t),
        ),
        # forgot the square root
        lambda w, m, v, g, t, lr, b1, b2, eps: (
            w
            - lr
            * ((b1 * m + (1 - b1) * g) / (1 - b1**t))
            / ((b2 * v + (1 - b2) * g**2) / (1 - b2**t) + eps),
            b1 * m + (1 - b1) * g,
            b2 * v + (1 - b2) * g**2,
        ),
    ],
)


# ---- q2: the first step without bias correction ------------------------------------------
q2 = ValueExercise(
    "Q2. Adam's first step without bias correction",
    """
    With `beta_1 = 0.8`, `beta_2 = 0.99` (not the defaults; ignore epsilon) and any gradient
    `g`, how many times the learning rate is Adam's **first** step if the bias correction is
    left out? Set `first_step_without_correction` to that number (a float, e.g. `2.5`).
    """,
    expected=0.2 / np.sqrt(0.01),
    rtol=5e-3,
    diagnoses=[
        (0.01 / 0.2, "that is sqrt(1 - beta_2) / (1 - beta_1) squared; invert the ratio"),
        (0.2 / 0.01, "v holds squared gradients: take the square root of (1 - beta_2)"),
        (np.sqrt(0.01) / 0.2, "upside down: the step is (1 - beta_1) / sqrt(1 - beta_2)"),
        (0.1 / np.sqrt(0.001), "that is the first step with the default betas; use 0.8 and 0.99"),
    ],
    hints=[
        "After one step from zero, m = (1 - beta_1) * g and v = (1 - beta_2) * g**2.",
        "The step is lr * m / sqrt(v) = lr * (1 - beta_1) / sqrt(1 - beta_2).",
    ],
    solution="first_step_without_correction = (1 - 0.8) / (1 - 0.99) ** 0.5  # 2.0",
    wrong_answers=[1.0, 0.2, 20.0, 3.162],
)


# ---- q3: one RMSProp step ----------------------------------------------------------------
def _rmsprop_step(w, v, g, lr, rho, epsilon):
    """Keras's RMSprop: epsilon inside the square root."""
    v = rho * v + (1 - rho) * g**2
    w = w - lr * g / np.sqrt(v + epsilon)
    return w, v


def _rmsprop_eps_outside(w, v, g, lr, rho, epsilon):
    v = rho * v + (1 - rho) * g**2
    return w - lr * g / (np.sqrt(v) + epsilon), v


def _rmsprop_extra(k: int, state: tuple) -> tuple:
    return (_A @ state[0], 0.01, 0.9, 1e-7)  # g, lr, rho, epsilon


q3 = StepExercise(
    "Q3. One step of RMSProp",
    """
    Write `rmsprop_step(w, v, g, lr, rho, epsilon)` returning the new `(w, v)` with Keras's
    rule: `v` is a moving average of `g**2` with weight `rho` on the old value; the step is
    `lr * g / sqrt(v + epsilon)` (epsilon *inside* the root). The checker runs 8 steps.
    """,
    reference=_rmsprop_step,
    diagnoses=[
        (
            _rmsprop_eps_outside,
            "epsilon is added outside the square root (Adam's and PyTorch's place); Keras's "
            "RMSprop adds it inside: np.sqrt(v + epsilon)",
        )
    ],
    initial=(np.array([1.0, -2.0]), np.zeros(2)),
    extra=_rmsprop_extra,
    steps=8,
    names=("w", "v"),
    hints=[
        "v = rho * v + (1 - rho) * g**2",
        "Then w = w - lr * g / np.sqrt(v + epsilon), with the new v.",
    ],
    solution="""
    import numpy as np


    def rmsprop_step(w, v, g, lr, rho, epsilon):
        v = rho * v + (1 - rho) * g**2
        w = w - lr * g / np.sqrt(v + epsilon)
        return w, v
    """,
    wrong_answers=[
        # AdaGrad: a sum instead of an average
        lambda w, v, g, lr, rho, eps: (w - lr * g / np.sqrt(v + g**2 + eps), v + g**2),
        # the weights rho and 1 - rho swapped
        lambda w, v, g, lr, rho, eps: (
            w - lr * g / np.sqrt((1 - rho) * v + rho * g**2 + eps),
            (1 - rho) * v + rho * g**2,
        ),
        # the step uses the old v
        lambda w, v, g, lr, rho, eps: (
            w - lr * g / np.sqrt(v + eps),
            rho * v + (1 - rho) * g**2,
        ),
    ],
)
