"""Exercises for notebook 04 (adaptive learning rates: AdaGrad, RMSProp, Adam)."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from gdcourse.exercises.core import Incorrect, StepExercise, ValueExercise

_A = np.array([[3.0, 0.5], [0.5, 0.2]])  # an ill-conditioned bowl, f(w) = 0.5 w^T A w


# ---- q1: one AdamW step ------------------------------------------------------------------
def _adam_moments(m, v, g, beta_1, beta_2):
    return beta_1 * m + (1 - beta_1) * g, beta_2 * v + (1 - beta_2) * g**2


def _adamw_step(w, m, v, g, t, lr, beta_1, beta_2, epsilon, weight_decay):
    """Loshchilov & Hutter's AdamW as Keras applies it: decay w by lr * weight_decay * w,
    then the Adam step of Kingma & Ba's Algorithm 1 with the data gradient alone."""
    w = w - lr * weight_decay * w
    m, v = _adam_moments(m, v, g, beta_1, beta_2)
    m_hat = m / (1 - beta_1**t)
    v_hat = v / (1 - beta_2**t)
    return w - lr * m_hat / (np.sqrt(v_hat) + epsilon), m, v


def _keras_adamw_step(w, m, v, g, t, lr, beta_1, beta_2, epsilon, weight_decay):
    """keras.optimizers.AdamW's order: the bias correction folded into the rate,
    alpha = lr * sqrt(1 - beta_2**t) / (1 - beta_1**t), then w - alpha * m / (sqrt(v) + epsilon).
    In Algorithm 1's form (m_hat, v_hat) that is epsilon divided by sqrt(1 - beta_2**t)."""
    return _folded(
        w, m, v, g, t, lr, beta_1, beta_2, epsilon, weight_decay, lambda a, b: a**0.5 / b
    )


def _folded(w, m, v, g, t, lr, beta_1, beta_2, epsilon, weight_decay, factor):
    """Keras's form with alpha = lr * factor(1 - beta_2**t, 1 - beta_1**t)."""
    w = w - lr * weight_decay * w
    m, v = _adam_moments(m, v, g, beta_1, beta_2)
    alpha = lr * factor(1 - beta_2**t, 1 - beta_1**t)
    return w - alpha * m / (np.sqrt(v) + epsilon), m, v


_alpha_m_only = functools.partial(_folded, factor=lambda a, b: 1 / b)


_alpha_no_root = functools.partial(_folded, factor=lambda a, b: a / b)


_alpha_upside_down = functools.partial(_folded, factor=lambda a, b: b / a**0.5)


_alpha_root_below = functools.partial(_folded, factor=lambda a, b: 1 / (a**0.5 * b))


def _t_from_zero(step):
    """The learner treats t as counting from 0 and adds 1 in the bias corrections."""

    def wrong(w, m, v, g, t, lr, beta_1, beta_2, epsilon, weight_decay):
        return step(w, m, v, g, t + 1, lr, beta_1, beta_2, epsilon, weight_decay)

    return wrong


def _corrected_state(w, m, v, g, t, lr, beta_1, beta_2, epsilon, weight_decay):
    """Returns the bias-corrected m_hat, v_hat as the state instead of the raw averages."""
    w = w - lr * weight_decay * w
    m, v = _adam_moments(m, v, g, beta_1, beta_2)
    m_hat, v_hat = m / (1 - beta_1**t), v / (1 - beta_2**t)
    return w - lr * m_hat / (np.sqrt(v_hat) + epsilon), m_hat, v_hat


def _adam_l2(step):
    """The mistake AdamW fixes: weight_decay * w added to the gradient (L2 in the loss)."""

    def wrong(w, m, v, g, t, lr, beta_1, beta_2, epsilon, weight_decay):
        return step(w, m, v, g + weight_decay * w, t, lr, beta_1, beta_2, epsilon, 0.0)

    return wrong


def _decay_without_lr(step):
    def wrong(w, m, v, g, t, lr, beta_1, beta_2, epsilon, weight_decay):
        return step(w * (1 - weight_decay), m, v, g, t, lr, beta_1, beta_2, epsilon, 0.0)

    return wrong


def _decay_after_step(step):
    def wrong(w, m, v, g, t, lr, beta_1, beta_2, epsilon, weight_decay):
        w, m, v = step(w, m, v, g, t, lr, beta_1, beta_2, epsilon, 0.0)
        return w - lr * weight_decay * w, m, v

    return wrong


def _no_decay(step):
    def wrong(w, m, v, g, t, lr, beta_1, beta_2, epsilon, weight_decay):
        return step(w, m, v, g, t, lr, beta_1, beta_2, epsilon, 0.0)

    return wrong


# Each weight-decay mistake in both forms: the paper's (m-hat, v-hat) and Keras's (the
# skeleton's folded alpha); the two differ by epsilon's place, more than the tolerance.
_DECAY_MISTAKES = [
    (
        _adam_l2,
        "this is Adam with L2 in the loss (weight_decay * w added to the gradient), the "
        "coupling AdamW removes: shrink w itself, outside the adaptive step",
    ),
    (
        _decay_without_lr,
        "the decay is not scaled by the learning rate: Keras shrinks w by lr * weight_decay * w",
    ),
    (
        _decay_after_step,
        "the decay uses w after this step's Adam update; decay the w you were given, "
        "before the Adam step",
    ),
    (_no_decay, "this is plain Adam: the weight decay is missing"),
]


def _adamw_no_correction(w, m, v, g, t, lr, beta_1, beta_2, epsilon, weight_decay):
    w = w - lr * weight_decay * w
    m, v = _adam_moments(m, v, g, beta_1, beta_2)
    return w - lr * m / (np.sqrt(v) + epsilon), m, v


def _adamw_eps_inside(w, m, v, g, t, lr, beta_1, beta_2, epsilon, weight_decay):
    w = w - lr * weight_decay * w
    m, v = _adam_moments(m, v, g, beta_1, beta_2)
    m_hat, v_hat = m / (1 - beta_1**t), v / (1 - beta_2**t)
    return w - lr * m_hat / np.sqrt(v_hat + epsilon), m, v


def _adamw_extra(k: int, state: tuple) -> tuple:
    w = state[0]
    # g (the data gradient on the bowl), t (from 1), lr, beta_1, beta_2, epsilon, weight_decay
    return (_A @ w, k, 0.1, 0.9, 0.999, 1e-7, 0.5)


q1 = StepExercise(
    "Q1. One step of AdamW, in Keras's form",
    """
    Write `adamw_step(w, m, v, g, t, lr, beta_1, beta_2, epsilon, weight_decay)` returning
    the new `(w, m, v)` as `keras.optimizers.AdamW` does (`t` counts from 1): decoupled weight
    decay, then Adam's step with the data gradient `g` alone, where Keras never forms m-hat
    and v-hat: it folds both bias corrections into one step size `alpha` and steps
    `alpha * m / (sqrt(v) + epsilon)`. Find `alpha` from the notebook's Adam equations. The
    checker runs 8 steps on a bowl (`lr = 0.1`, `weight_decay = 0.5`); m-hat/v-hat code passes
    too.
    """,
    reference=_keras_adamw_step,
    variants=[
        (
            _adamw_step,
            "all 8 steps match AdamW written with m-hat and v-hat (Algorithm 1). Keras's "
            "folded form is the same step with epsilon divided by sqrt(1 - beta_2**t).",
        )
    ],
    diagnoses=[
        *[
            (make(step), message)
            for make, message in _DECAY_MISTAKES
            for step in (_keras_adamw_step, _adamw_step)
        ],
        (
            _adamw_no_correction,
            "the bias correction is missing: alpha must undo both (1 - beta_1**t) and "
            "(1 - beta_2**t)",
        ),
        (
            _alpha_m_only,
            "alpha corrects m only; v's correction divides v, so under the square root it "
            "brings a factor sqrt(1 - beta_2**t) into alpha",
        ),
        (
            _alpha_no_root,
            "v's correction sits under the square root: alpha carries sqrt(1 - beta_2**t), "
            "not (1 - beta_2**t)",
        ),
        (
            _alpha_upside_down,
            "alpha is upside down: m-hat divides m by (1 - beta_1**t), so (1 - beta_1**t) goes "
            "in alpha's denominator",
        ),
        (
            _alpha_root_below,
            "v_hat sits in the step's denominator, so its correction multiplies alpha by "
            "sqrt(1 - beta_2**t) instead of dividing it",
        ),
        *[
            (
                _t_from_zero(step),
                "the bias corrections use t + 1, as if t counted from 0: t counts from 1 "
                "here, so the first step divides by (1 - beta_1), not (1 - beta_1**2)",
            )
            for step in (_keras_adamw_step, _adamw_step)
        ],
        (
            _corrected_state,
            "the state returned is the bias-corrected m-hat and v-hat: return the raw moving "
            "averages m and v (the next step averages on top of them); the corrections are "
            "used only inside the step",
        ),
        (
            _adamw_eps_inside,
            "epsilon is inside the square root (RMSprop's place in Keras); Adam adds it "
            "outside: np.sqrt(v) + epsilon",
        ),
    ],
    initial=(np.array([1.0, -2.0]), np.zeros(2), np.zeros(2)),
    extra=_adamw_extra,
    steps=8,
    names=("w", "m", "v"),
    hints=[
        "Decoupled decay changes w directly, before the Adam step, and never enters m or v. "
        "How much does Keras shrink w in one step?",
        "Write lr * m_hat / sqrt(v_hat) with m_hat = m / (1 - beta_1**t) and "
        "v_hat = v / (1 - beta_2**t), and collect the factors that are not m or sqrt(v) "
        "(ignore epsilon): that is alpha. Return the uncorrected m and v as the new state.",
    ],
    solution="""
    import numpy as np


    def adamw_step(w, m, v, g, t, lr, beta_1, beta_2, epsilon, weight_decay):
        w = w - lr * weight_decay * w
        m = beta_1 * m + (1 - beta_1) * g
        v = beta_2 * v + (1 - beta_2) * g**2
        alpha = lr * np.sqrt(1 - beta_2**t) / (1 - beta_1**t)
        w = w - alpha * m / (np.sqrt(v) + epsilon)
        return w, m, v
    """,
    wrong_answers=[
        *[make(step) for make, _ in _DECAY_MISTAKES for step in (_keras_adamw_step, _adamw_step)],
        _adamw_no_correction,
        _t_from_zero(_keras_adamw_step),
        _corrected_state,
        _alpha_m_only,
        _alpha_no_root,
        _alpha_upside_down,
        _alpha_root_below,
    ],
)


# ---- q2: the first step without bias correction ------------------------------------------
class _UnrevealedValue(ValueExercise):
    """A value exercise whose failure message says which way the answer is off, never the
    expected value itself (the framework's message prints it)."""

    def _compare(self, answer: Any, reference: Any) -> str | None:
        try:
            return super()._compare(answer, reference)
        except Incorrect:
            try:
                value = float(answer) if not isinstance(answer, str | bytes) else float("nan")
            except (TypeError, ValueError):
                value = float("nan")
            if not np.isfinite(value):
                raise Incorrect(f"the answer should be one finite number, got {answer!r}") from None
            side = "large" if value > reference else "small"
            raise Incorrect(
                f"{value:g} is too {side} (outside the tolerance, {self.tolerance})"
            ) from None


q2 = _UnrevealedValue(
    "Q2. Adam's first step without bias correction",
    """
    With `beta_1 = 0.8`, `beta_2 = 0.99` (not the defaults; ignore epsilon) and any gradient
    `g`, how many times the learning rate is Adam's **first** step if the bias correction is
    left out? Set `first_step_without_correction` to that number (a float, e.g. `2.5`).
    """,
    expected=0.2 / np.sqrt(0.01),
    rtol=5e-3,
    diagnoses=[
        (
            0.01 / 0.2,
            "that is (1 - beta_2) / (1 - beta_1): upside down, and v holds squared gradients, "
            "so (1 - beta_2) needs a square root",
        ),
        (
            1.0,
            "that is the first step WITH bias correction (m-hat / sqrt(v-hat) = g / |g|); "
            "leave the corrections out: use m and v as they are after one step",
        ),
        (0.2 / 0.01, "v holds squared gradients: take the square root of (1 - beta_2)"),
        (np.sqrt(0.01) / 0.2, "upside down: the step is (1 - beta_1) / sqrt(1 - beta_2)"),
        (0.1 / np.sqrt(0.001), "that is the first step with the default betas; use 0.8 and 0.99"),
    ],
    hints=[
        "After one step from zero, m = (1 - beta_1) * g and v = (1 - beta_2) * g**2.",
        "The step is lr * m / sqrt(v) = lr * (1 - beta_1) / sqrt(1 - beta_2).",
    ],
    solution="first_step_without_correction = (1 - 0.8) / (1 - 0.99) ** 0.5  # 2.0",
    wrong_answers=[1.0, 0.05, 0.2, 20.0, 3.162],
)


# ---- q3: one step of centered RMSProp -----------------------------------------------------
def _centered_rmsprop_step(w, v, mg, g, lr, rho, epsilon):
    """keras.optimizers.RMSprop(centered=True): v averages g**2, mg averages g, and the step
    divides by the root of their difference, an estimate of the gradient's variance."""
    v = rho * v + (1 - rho) * g**2
    mg = rho * mg + (1 - rho) * g
    w = w - lr * g / np.sqrt(v - mg**2 + epsilon)
    return w, v, mg


def _plain_rmsprop(w, v, mg, g, lr, rho, epsilon):
    v = rho * v + (1 - rho) * g**2
    return w - lr * g / np.sqrt(v + epsilon), v, rho * mg + (1 - rho) * g


def _centered_eps_outside(w, v, mg, g, lr, rho, epsilon):
    v = rho * v + (1 - rho) * g**2
    mg = rho * mg + (1 - rho) * g
    return w - lr * g / (np.sqrt(v - mg**2) + epsilon), v, mg


def _centered_old_averages(w, v, mg, g, lr, rho, epsilon):
    step = lr * g / np.sqrt(v - mg**2 + epsilon)
    return w - step, rho * v + (1 - rho) * g**2, rho * mg + (1 - rho) * g


def _rmsprop_extra(k: int, state: tuple) -> tuple:
    return (_A @ state[0], 0.01, 0.9, 0.01)  # g, lr, rho, epsilon (large: its place shows)


q3 = StepExercise(
    "Q3. One step of centered RMSProp",
    """
    Keras's `RMSprop(centered=True)` keeps two moving averages with weight `rho` on the old
    value: `v` of `g**2` and `mg` of `g`. It divides by the root of `v - mg**2 + epsilon` (an
    estimate of the gradient's variance) instead of `v + epsilon`. Write
    `centered_rmsprop_step(w, v, mg, g, lr, rho, epsilon)` returning the new `(w, v, mg)`.
    The checker runs 8 steps on a bowl (`lr = 0.01`, `rho = 0.9`, `epsilon = 0.01`).
    """,
    reference=_centered_rmsprop_step,
    diagnoses=[
        (
            _plain_rmsprop,
            "this is plain RMSProp: centered RMSProp divides by sqrt(v - mg**2 + epsilon)",
        ),
        (
            _centered_eps_outside,
            "epsilon is added outside the square root (Adam's place); Keras's RMSprop adds it "
            "inside: np.sqrt(v - mg**2 + epsilon)",
        ),
        (
            _centered_old_averages,
            "the step uses the old averages: update v and mg first, then step with the new ones",
        ),
    ],
    initial=(np.array([1.0, -2.0]), np.zeros(2), np.zeros(2)),
    extra=_rmsprop_extra,
    steps=8,
    names=("w", "v", "mg"),
    hints=[
        "Start from RMSProp's two lines; add a third that averages g the way v averages g**2.",
        "v = rho * v + (1 - rho) * g**2 and mg = rho * mg + (1 - rho) * g; then "
        "w = w - lr * g / np.sqrt(v - mg**2 + epsilon).",
    ],
    solution="""
    import numpy as np


    def centered_rmsprop_step(w, v, mg, g, lr, rho, epsilon):
        v = rho * v + (1 - rho) * g**2
        mg = rho * mg + (1 - rho) * g
        w = w - lr * g / np.sqrt(v - mg**2 + epsilon)
        return w, v, mg
    """,
    wrong_answers=[
        _plain_rmsprop,
        _centered_eps_outside,
        _centered_old_averages,
        # the weights rho and 1 - rho swapped in both averages
        lambda w, v, mg, g, lr, rho, eps: _centered_rmsprop_step(w, v, mg, g, lr, 1 - rho, eps),
    ],
)
