"""Exercises for notebook 03 (momentum: heavy ball and Nesterov)."""

from __future__ import annotations

import math

import numpy as np

from gdcourse.exercises.core import Exercise, Incorrect, StepExercise, tolerance_text

_A = np.array([[3.0, 0.5], [0.5, 0.2]])  # an ill-conditioned bowl f(w) = 0.5 w^T A w


# ---- q1: one Nesterov step, Keras's form -----------------------------------------------------
def _nesterov_step(w: np.ndarray, v: np.ndarray, g: np.ndarray, lr: float, beta: float):
    """keras.optimizers.SGD(nesterov=True): v <- beta v - lr g;  w <- w + beta v - lr g."""
    v = beta * v - lr * g
    return w + beta * v - lr * g, v


def _bowl_gradient(k: int, state: tuple) -> tuple:
    w, _ = state
    return (_A @ w, 0.1, 0.9)  # g, lr, beta


q1 = StepExercise(
    "Q1. One step of Nesterov momentum",
    """
    Write `nesterov_step(w, v, g, lr, beta)` returning the new `(w, v)` with Keras's rule:
    first `v <- beta * v - lr * g`, then `w <- w + beta * v - lr * g` (with the new `v`).
    The checker runs 8 steps on a bowl from `w = [1, -2]`, `v = 0`.
    """,
    reference=_nesterov_step,
    diagnoses=[
        (
            lambda w, v, g, lr, beta: (w + beta * v - lr * g, beta * v - lr * g),
            "this is heavy ball: w moved by beta * (old v) - lr * g, which is the new v; "
            "Nesterov moves by beta * (new v) - lr * g, so update v first, then use it",
        ),
        (
            lambda w, v, g, lr, beta: (w + beta * v - lr * g + v, beta * v - lr * g),
            "w moved by the old v as well: its whole step is beta * (new v) - lr * g",
        ),
        (
            lambda w, v, g, lr, beta: (w + beta * (beta * v - lr * g), beta * v - lr * g),
            "w moved by beta * (new v) only: Nesterov also subtracts lr * g",
        ),
    ],
    initial=(np.array([1.0, -2.0]), np.zeros(2)),
    extra=_bowl_gradient,
    steps=8,
    names=("w", "v"),
    hints=[
        "Update the velocity first, exactly as for heavy ball.",
        "The weights then move by beta * (new v) - lr * g, not by v.",
    ],
    solution="""
    def nesterov_step(w, v, g, lr, beta):
        v = beta * v - lr * g
        w = w + beta * v - lr * g
        return w, v
    """,
    wrong_answers=[
        lambda w, v, g, lr, beta: (w + beta * v - lr * g, beta * v - lr * g),  # old v
        lambda w, v, g, lr, beta: (w + beta * v - lr * g + v, beta * v - lr * g),
        lambda w, v, g, lr, beta: (w + (beta * v - lr * g), beta * v - lr * g),  # heavy ball
    ],
)


# ---- q2: the optimal heavy-ball parameters ------------------------------------------------
_MU, _L = 1.0, 100.0
_KAPPA = _L / _MU
_BEST_LR = 4 / (math.sqrt(_L) + math.sqrt(_MU)) ** 2
_BEST_BETA = ((math.sqrt(_KAPPA) - 1) / (math.sqrt(_KAPPA) + 1)) ** 2
_RTOL_HB = 5e-3  # 3 significant figures


def _check_heavy_ball(answer: object) -> str:
    if isinstance(answer, np.ndarray):
        answer = answer.ravel().tolist()  # np.array([lr, beta]) is two numbers too
    if not isinstance(answer, tuple | list) or len(answer) != 2:
        raise Incorrect(f"give two numbers, (best_lr, best_momentum); got {answer!r}")
    try:
        lr, beta = (float(a) for a in answer)
    except (TypeError, ValueError):
        raise Incorrect(f"both answers should be numbers; got {answer!r}") from None
    lr_ok = math.isclose(lr, _BEST_LR, rel_tol=_RTOL_HB)
    beta_ok = math.isclose(beta, _BEST_BETA, rel_tol=_RTOL_HB)
    if lr_ok and beta_ok:
        rate = (math.sqrt(_KAPPA) - 1) / (math.sqrt(_KAPPA) + 1)
        return f"the rate is then (sqrt(kappa) - 1)/(sqrt(kappa) + 1) = {rate:.4f} per step."
    if not lr_ok:
        if math.isclose(lr, _BEST_LR, rel_tol=0.03):
            raise Incorrect(
                f"best_lr = {lr:.6g} is close to {_BEST_LR:.6g} but not within 0.5%: keep 3 "
                "significant figures"
            )
        if math.isclose(lr, 2 / (_L + _MU), rel_tol=_RTOL_HB):
            raise Incorrect(
                "best_lr = 2/(L + mu) is gradient descent's best rate; heavy ball's is "
                "4/(sqrt(L) + sqrt(mu))**2"
            )
        raise Incorrect(f"best_lr = {lr:.6g} is not 4/(sqrt(L) + sqrt(mu))**2")
    if math.isclose(beta, _BEST_BETA, rel_tol=0.03):
        raise Incorrect(
            f"best_lr is right; best_momentum = {beta:.6g} is close to {_BEST_BETA:.6g} but not "
            "within 0.5%: keep 3 significant figures"
        )
    if math.isclose(beta, math.sqrt(_BEST_BETA), rel_tol=_RTOL_HB):
        raise Incorrect(
            "best_lr is right; best_momentum is (sqrt(kappa) - 1)/(sqrt(kappa) + 1) squared"
        )
    raise Incorrect(
        f"best_lr is right; best_momentum = {beta:.6g} is not "
        "((sqrt(kappa) - 1)/(sqrt(kappa) + 1))**2 with kappa = L/mu"
    )


q2 = Exercise(
    "Q2. The best heavy-ball parameters",
    """
    A quadratic has curvatures mu = 1 and L = 100. Give `(best_lr, best_momentum)`, the
    learning rate and momentum that make heavy ball converge fastest on it.
    """,
    checker=_check_heavy_ball,
    tolerance=tolerance_text(_RTOL_HB),
    reference=(_BEST_LR, _BEST_BETA),
    hints=[
        "The table in the notebook gives both; kappa = L / mu.",
        "best_lr = 4 / (sqrt(L) + sqrt(mu))**2, best_momentum = "
        "((sqrt(kappa) - 1) / (sqrt(kappa) + 1))**2.",
    ],
    solution="""
    import numpy as np

    mu_q2, L_q2 = 1.0, 100.0  # this exercise's bowl, not the notebook's
    kappa = L_q2 / mu_q2
    best_lr = 4 / (np.sqrt(L_q2) + np.sqrt(mu_q2)) ** 2
    best_momentum = ((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2
    """,
    wrong_answers=[
        (2 / (_L + _MU), _BEST_BETA),
        (_BEST_LR, math.sqrt(_BEST_BETA)),
        (_BEST_LR, 0.9),
    ],
)


# ---- q3: how many times fewer steps? --------------------------------------------------------
_K3 = 10_000.0
_GD_RATE = (_K3 - 1) / (_K3 + 1)
_HB_RATE = (math.sqrt(_K3) - 1) / (math.sqrt(_K3) + 1)
_SPEED_UP = math.log(_HB_RATE) / math.log(_GD_RATE)  # steps(GD) / steps(heavy ball)


def _check_speed_up(answer: object) -> str:
    if isinstance(answer, bool) or not isinstance(answer, int | float | np.number):
        raise Incorrect(f"give the ratio as a number; got {answer!r}")
    a = float(answer)
    if math.isclose(a, _SPEED_UP, rel_tol=0.05):
        return (
            f"ln(r_heavy_ball) / ln(r_gd) = {_SPEED_UP:.1f}, close to sqrt(kappa) = "
            f"{math.sqrt(_K3):.0f}."
        )
    if math.isclose(a, _K3, rel_tol=0.05):
        raise Incorrect(
            "that is kappa itself; gradient descent needs about kappa/2 steps per factor e, "
            "heavy ball about sqrt(kappa)/2: what is their ratio?"
        )
    if a < 1:
        raise Incorrect("heavy ball needs fewer steps, so the ratio steps(GD)/steps(HB) is above 1")
    raise Incorrect(
        "steps to a given accuracy are proportional to 1 / ln(1/r); divide gradient descent's "
        "by heavy ball's"
    )


q3 = Exercise(
    "Q3. How much faster?",
    """
    On a quadratic with condition number kappa = 10,000, both methods at their optimal
    parameters: by the ratio their rates predict, how many times more steps does gradient
    descent need than heavy ball to reach the same accuracy? (Use the rates alone; the
    notebook measured heavy ball needing some 20-40% more steps than its rate predicts.)
    Set `speed_up`.
    """,
    checker=_check_speed_up,
    tolerance=tolerance_text(0.05),
    reference=_SPEED_UP,
    hints=[
        "To shrink the error by a factor F takes ln(F) / ln(1/r) steps, for rate r.",
        "For large kappa, ln(1/r) is about 2/kappa for gradient descent and 2/sqrt(kappa) for "
        "heavy ball.",
    ],
    solution="""
    import numpy as np

    kappa = 10_000
    r_gd = (kappa - 1) / (kappa + 1)
    r_hb = (np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)
    speed_up = np.log(r_hb) / np.log(r_gd)   # about sqrt(kappa) = 100
    """,
    wrong_answers=[_K3, 1 / _SPEED_UP, 10.0],
)
