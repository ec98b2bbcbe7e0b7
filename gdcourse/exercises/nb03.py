"""Exercises for notebook 03 (momentum: heavy ball and Nesterov)."""

from __future__ import annotations

import math

import numpy as np

from gdcourse.exercises.core import Exercise, Incorrect, StepExercise, tolerance_text

_A = np.array([[3.0, 0.5], [0.5, 0.2]])  # an ill-conditioned bowl f(w) = 0.5 w^T A w


# ---- q1: one Nesterov step, with the velocity stored without the learning rate -------------
def _nesterov_step(w: np.ndarray, b: np.ndarray, g: np.ndarray, lr: float, beta: float):
    """PyTorch's SGD(nesterov=True): b <- beta b + g;  w <- w - lr (g + beta b).

    With b = -v/lr (v Keras's velocity) and a constant lr, this is Keras's
    v <- beta v - lr g;  w <- w + beta v - lr g, so the weights follow the same path.
    """
    b = beta * b + g
    return w - lr * (g + beta * b), b


def _bowl_gradient(k: int, state: tuple) -> tuple:
    w, _ = state
    return (_A @ w, 0.1, 0.9)  # g, lr, beta


q1 = StepExercise(
    "Q1. One step of Nesterov momentum, without the learning rate in the velocity",
    """
    PyTorch's `torch.optim.SGD(momentum=beta, nesterov=True)` stores the velocity without the
    learning rate: its buffer is `b = -v / lr`, where `v` is the notebook's (Keras's) velocity.
    Write `nesterov_step(w, b, g, lr, beta)` returning the new `(w, b)` in that form, so that
    with a constant learning rate the weights follow Keras's Nesterov path exactly. Derive it
    from Keras's two lines; the checker runs 8 steps on a bowl from `w = [1, -2]`, `b = 0`.
    """,
    reference=_nesterov_step,
    diagnoses=[
        (
            lambda w, b, g, lr, beta: (w + beta * (beta * b - lr * g) - lr * g, beta * b - lr * g),
            "this is Keras's form: your second value is the velocity v, which holds the "
            "learning rate; the buffer b = -v / lr does not",
        ),
        (
            lambda w, b, g, lr, beta: (w - lr * (beta * b + g), beta * b + g),
            "this is heavy ball: w moved by -lr * (beta * (old b) + g), which is -lr * (new b); "
            "Nesterov's look-ahead moves it by -lr * (g + beta * (new b))",
        ),
        (
            lambda w, b, g, lr, beta: (w + lr * (beta * (beta * b - g) - g), beta * b - g),
            "your b has the opposite sign: b = -v / lr adds up the gradients themselves",
        ),
        (
            lambda w, b, g, lr, beta: (w - (g + beta * (beta * b + g)), beta * b + g),
            "your w moved without the learning rate: b holds no lr, so the weights' step must "
            "multiply it back in",
        ),
        (
            lambda w, b, g, lr, beta: (beta * b + g, w - lr * (g + beta * (beta * b + g))),
            "you returned (b, w): the checker expects the weights first, (w, b)",
        ),
        (
            lambda w, b, g, lr, beta: (w - lr * (g + (beta * b + g)), beta * b + g),
            "your w moved by -lr * (g + b): the look-ahead adds only beta times the new b, "
            "the beta is missing",
        ),
        (
            lambda w, b, g, lr, beta: (w - lr * g - beta * (beta * b + lr * g), beta * b + lr * g),
            "your buffer adds up lr * g: that is -v, Keras's velocity with its sign flipped; "
            "b = -v / lr adds up the gradients g themselves, without the learning rate",
        ),
        (
            lambda w, b, g, lr, beta: (
                w - lr * (g + beta * (beta * b + lr * g)),
                beta * b + lr * g,
            ),
            "your buffer adds up lr * g and w multiplies it by lr again, so the learning rate "
            "enters twice: b = -v / lr adds up the gradients g themselves",
        ),
    ],
    initial=(np.array([1.0, -2.0]), np.zeros(2)),
    extra=_bowl_gradient,
    steps=8,
    names=("w", "b"),
    hints=[
        "Put v = -lr * b into Keras's v <- beta * v - lr * g and divide both sides by -lr.",
        "That gives b <- beta * b + g. In w <- w + beta * v - lr * g, v is the new velocity: "
        "write it with the new b.",
    ],
    solution="""
    def nesterov_step(w, b, g, lr, beta):
        b = beta * b + g
        w = w - lr * (g + beta * b)
        return w, b
    """,
    wrong_answers=[
        lambda w, b, g, lr, beta: (w + beta * (beta * b - lr * g) - lr * g, beta * b - lr * g),
        lambda w, b, g, lr, beta: (w - lr * (beta * b + g), beta * b + g),  # heavy ball
        lambda w, b, g, lr, beta: (w + lr * (beta * (beta * b - g) - g), beta * b - g),  # sign
        lambda w, b, g, lr, beta: (w - (g + beta * (beta * b + g)), beta * b + g),  # no lr
        lambda w, b, g, lr, beta: (beta * b + g, w - lr * (g + beta * (beta * b + g))),  # (b, w)
        lambda w, b, g, lr, beta: (w - lr * (g + (beta * b + g)), beta * b + g),  # beta dropped
        lambda w, b, g, lr, beta: (w - lr * g - beta * (beta * b + lr * g), beta * b + lr * g),
        lambda w, b, g, lr, beta: (w - lr * (g + beta * (beta * b + lr * g)), beta * b + lr * g),
    ],
)


# ---- q2: heavy ball's best learning rate, and the momentum that keeps it stable ----------------
_MU, _L = 1.0, 100.0
_KAPPA = _L / _MU
_BEST_LR = 4 / (math.sqrt(_L) + math.sqrt(_MU)) ** 2
_BEST_BETA = ((math.sqrt(_KAPPA) - 1) / (math.sqrt(_KAPPA) + 1)) ** 2
_HB_RATE_Q2 = (math.sqrt(_KAPPA) - 1) / (math.sqrt(_KAPPA) + 1)  # the rate r, not a learning rate
_MIN_BETA = _BEST_LR * _L / 2 - 1  # heavy ball converges iff lr * L < 2 (1 + beta)
_RTOL_HB = 5e-3  # 3 significant figures


def _check_heavy_ball(answer: object) -> str:
    if isinstance(answer, np.ndarray):
        answer = answer.ravel().tolist()  # np.array([lr, beta]) is two numbers too
    if not isinstance(answer, tuple | list) or len(answer) != 2:
        raise Incorrect(f"give two numbers, (best_lr, min_momentum); got {answer!r}")
    try:
        lr, beta = (float(a) for a in answer)
    except (TypeError, ValueError):
        raise Incorrect(f"both answers should be numbers; got {answer!r}") from None
    if not math.isclose(lr, _BEST_LR, rel_tol=_RTOL_HB):
        if math.isclose(lr, _BEST_LR, rel_tol=0.03):
            raise Incorrect(
                f"best_lr = {lr:.6g} is close but not within 0.5%: keep 3 significant figures"
            )
        if math.isclose(lr, 2 / (_L + _MU), rel_tol=_RTOL_HB):
            raise Incorrect(
                "best_lr = 2/(L + mu) is gradient descent's best learning rate; heavy ball's is "
                "in the notebook's table"
            )
        if math.isclose(lr, 2 / _L, rel_tol=_RTOL_HB):
            raise Incorrect(
                "best_lr = 2/L is gradient descent's limit; heavy ball's best is above it"
            )
        if math.isclose(lr, 4 / (math.sqrt(_L) + math.sqrt(_MU)), rel_tol=_RTOL_HB):
            raise Incorrect(
                "best_lr = 4 / (sqrt(L) + sqrt(mu)) has forgotten the square: the table's "
                "denominator is (sqrt(L) + sqrt(mu)) squared"
            )
        if math.isclose(lr, _HB_RATE_Q2, rel_tol=_RTOL_HB):
            raise Incorrect(
                "best_lr is heavy ball's convergence rate r (the table's last column), the "
                "factor the error shrinks by each step; the learning rate is another column"
            )
        raise Incorrect(f"best_lr = {lr:.6g} is not heavy ball's best learning rate from the table")
    if math.isclose(beta, _MIN_BETA, rel_tol=_RTOL_HB):
        return (
            f"the best momentum, {_BEST_BETA:.4f}, sits just above this edge: the tuned "
            "heavy ball works close to its stability limit."
        )
    if math.isclose(beta, _BEST_BETA, rel_tol=_RTOL_HB):
        raise Incorrect(
            "best_lr is right; min_momentum is the best momentum of the table, but a smaller "
            "one still converges: solve lr * L < 2 (1 + beta) for beta"
        )
    if beta >= 1:
        raise Incorrect(
            f"best_lr is right; min_momentum = {beta:.6g} is not below 1, where heavy ball never "
            "settles: the stable range is lr * L < 2 (1 + beta), with the factor 2"
        )
    if beta <= 0:
        raise Incorrect(
            f"best_lr is right; min_momentum = {beta:.6g} is not above 0, yet gradient descent "
            "(momentum 0) diverges at this rate: the steep direction, curvature L, sets the limit"
        )
    if math.isclose(beta, _MIN_BETA, rel_tol=0.03):
        raise Incorrect(
            f"best_lr is right; min_momentum = {beta:.6g} is close but not within 0.5%: keep 3 "
            "significant figures"
        )
    raise Incorrect(
        f"best_lr is right; min_momentum = {beta:.6g} is not the edge of lr * L < 2 (1 + beta)"
    )


q2 = Exercise(
    "Q2. The best heavy-ball learning rate, and the momentum it needs",
    """
    A quadratic has curvatures mu = 1 and L = 100. Give `(best_lr, min_momentum)`: heavy
    ball's best learning rate on it (from the notebook's table), and the momentum at the edge
    of heavy ball's stable range at that learning rate: it converges for every momentum above
    `min_momentum` (and below 1) and diverges below it. (Gradient descent, momentum 0,
    diverges at this learning rate: it is above 2/L.)
    """,
    checker=_check_heavy_ball,
    tolerance=tolerance_text(_RTOL_HB),
    reference=(_BEST_LR, _MIN_BETA),
    hints=[
        "best_lr = 4 / (sqrt(L) + sqrt(mu))**2. Heavy ball converges exactly when "
        "0 < lr * c < 2 (1 + beta) for every curvature c of the bowl.",
        "The largest curvature L gives the tightest bound: solve best_lr * L = 2 (1 + beta).",
    ],
    solution="""
    import numpy as np

    mu_q2, L_q2 = 1.0, 100.0  # this exercise's bowl, not the notebook's
    best_lr = 4 / (np.sqrt(L_q2) + np.sqrt(mu_q2)) ** 2
    min_momentum = best_lr * L_q2 / 2 - 1  # the edge of best_lr * L < 2 (1 + beta)
    """,
    wrong_answers=[
        (2 / (_L + _MU), _MIN_BETA),
        (_BEST_LR, _BEST_BETA),
        (_BEST_LR, _BEST_LR * _L - 1),  # the factor 2 forgotten
        (_BEST_LR, _BEST_LR * _MU / 2 - 1),  # mu instead of L
        (_BEST_LR, 0.9),
        (_HB_RATE_Q2, _MIN_BETA),  # the convergence rate r, not the learning rate
        (4 / (math.sqrt(_L) + math.sqrt(_MU)), _MIN_BETA),  # the denominator not squared
    ],
)


# ---- q3: how many times fewer steps? --------------------------------------------------------
_K3 = 10.0
_GD_RATE = (_K3 - 1) / (_K3 + 1)
_HB_RATE = (math.sqrt(_K3) - 1) / (math.sqrt(_K3) + 1)
_SPEED_UP = math.log(_HB_RATE) / math.log(_GD_RATE)  # steps(GD) / steps(heavy ball), 3.26
_RTOL_Q3 = 0.005  # 3 significant figures; sqrt(kappa) = 3.16, the large-kappa estimate, is 3% off
# the notebook's step table (cell "Steps to converge") rounds ln(1e6) / ln(1/r) to whole steps:
# 69 / 21 = 3.286 is 0.7% off the ratio of the rates themselves
# its measured columns give 69 / 26 = 2.65: heavy ball's count carries its double root's factor k
_MEASURED_RATIO = 69 / 26
_TABLE_RATIO = round(math.log(1e6) / math.log(1 / _GD_RATE)) / round(
    math.log(1e6) / math.log(1 / _HB_RATE)
)


def _check_speed_up(answer: object) -> str:
    if isinstance(answer, np.ndarray) and answer.ndim == 0:
        answer = answer[()]  # np.array(3.26), e.g. from np.log(...) / np.log(...), is a number too
    if isinstance(answer, bool) or not isinstance(answer, int | float | np.number):
        raise Incorrect(f"give the ratio as a number; got {answer!r}")
    a = float(answer)
    if math.isclose(a, _SPEED_UP, rel_tol=_RTOL_Q3):
        return (
            f"ln(r_heavy_ball) / ln(r_gd) = {_SPEED_UP:.2f}, a little above the large-kappa "
            f"estimate sqrt(kappa) = {math.sqrt(_K3):.2f}."
        )
    if math.isclose(a, math.sqrt(_K3), rel_tol=_RTOL_Q3):
        raise Incorrect(
            "that is sqrt(kappa), the large-kappa estimate; at kappa = 10 it is about 3% off: "
            "compute the ratio from the two rates themselves"
        )
    if math.isclose(a, _TABLE_RATIO, rel_tol=1e-3):
        raise Incorrect(
            "that ratio was read off the table's rounded steps (whole numbers of steps, about "
            "0.7% off): compute it from the two rates themselves"
        )
    if math.isclose(a, _MEASURED_RATIO, rel_tol=1e-3):
        raise Incorrect(
            "that ratio uses the table's measured steps, and heavy ball's measured count carries "
            "the extra factor k of its double root: compute it from the two rates themselves"
        )
    if math.isclose(a, _SPEED_UP, rel_tol=0.05):
        raise Incorrect(
            f"speed_up = {a:.6g} is close but not within 0.5%: keep 3 significant figures"
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
    On a quadratic with condition number kappa = 10, both methods at their optimal
    parameters: by the ratio their rates predict, how many times more steps does gradient
    descent need than heavy ball to reach the same accuracy? (Use the rates alone; the
    notebook measured heavy ball needing some 20-40% more steps than its rate predicts.)
    Set `speed_up`.
    """,
    checker=_check_speed_up,
    tolerance=tolerance_text(_RTOL_Q3),
    reference=_SPEED_UP,
    hints=[
        "To shrink the error by a factor F takes ln(F) / ln(1/r) steps, for rate r.",
        "Write both rates with kappa = 10 and divide ln(1/r_gd) into ln(1/r_hb); for large "
        "kappa the ratio tends to sqrt(kappa), but not within 0.5% at kappa = 10.",
    ],
    solution="""
    import numpy as np

    kappa = 10
    r_gd = (kappa - 1) / (kappa + 1)
    r_hb = (np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)
    speed_up = np.log(r_hb) / np.log(r_gd)   # 3.26; sqrt(kappa) = 3.16 is the large-kappa limit
    """,
    # 69 / 21: the table's rounded theory steps; 69 / 26: its measured steps
    wrong_answers=[_K3, 1 / _SPEED_UP, math.sqrt(_K3), 69 / 21, _MEASURED_RATIO],
)
