"""Closed-form results the course checks its experiments against (plain NumPy).

- :func:`lr_regime`: what gradient descent does on ``f(x) = L x^2 / 2`` at a learning rate;
- :func:`minibatch_gradient_noise`: how far mini-batch gradients stray from the full one,
  measured and predicted.

The explorers in :mod:`gdcourse.widgets` draw these; tests and notebooks call them directly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from gdcourse._validate import check_int, check_positive, finite_array


def lr_regime(learning_rate: float, L: float) -> str:
    """Name the behaviour of gradient descent on ``f(x) = L x^2 / 2`` at ``learning_rate``.

    One step is ``x_{k+1} = x_k - eta f'(x_k) = (1 - eta L) x_k``, so the error is multiplied
    by ``r = 1 - eta L`` each step:

    - ``eta L < 0.2``: converges, but needs more than 20 steps per decade: "too small";
    - ``0.2 <= eta L <= 1`` (``0 <= r < 1``): converges monotonically: "good";
    - ``1 < eta L < 2`` (``-1 < r < 0``): overshoots the minimum, converges: "oscillating";
    - ``eta L = 2`` (``r = -1``, within 1%): oscillates forever: "on the edge";
    - ``eta L > 2`` (``|r| > 1``): "diverging".

    >>> lr_regime(0.5, L=1.0), lr_regime(1.5, L=1.0), lr_regime(3.0, L=1.0)
    ('good (converges)', 'oscillating (converges)', 'diverging')
    """
    eta_l = check_positive("learning_rate", learning_rate) * check_positive("L", L)
    if eta_l < 0.2:
        return "too small (slow)"
    if eta_l <= 1.0:
        return "good (converges)"
    if eta_l < 1.98:
        return "oscillating (converges)"
    if eta_l <= 2.02:
        return "on the edge (2/L): oscillates forever"
    return "diverging"


def minibatch_gradient_noise(
    X: Any,
    y: Any,
    w: Any,
    batch_sizes: Sequence[int],
    n_batches: int = 100,
    seed: int = 0,
) -> dict[str, np.ndarray]:
    """How far mini-batch MSE gradients stray from the full-batch gradient.

    With per-example gradients ``g_i = 2 x_i (x_i . w - y_i)`` and the full gradient
    ``g = (1/N) sum_i g_i``, a batch ``B`` drawn without replacement gives
    ``g_B = (1/|B|) sum_{i in B} g_i``. For each batch size this returns:

    - ``rms``: the measured root-mean-square deviation
      ``sqrt(mean over n_batches random batches of ||g_B - g||^2)``;
    - ``theory``: its exact expectation ``sqrt(tr(Sigma) / B * (N - B) / (N - 1))``, where
      ``tr(Sigma) = (1/N) sum_i ||g_i - g||^2``;
    - ``reference``: the same without the finite-population factor, ``sqrt(tr(Sigma) / B)``:
      the ``1/sqrt(B)`` law (quadrupling the batch halves the noise's rms; its variance
      halves when the batch doubles);
    - ``full_norm``: ``||g||``.

    Args:
        X: features, shape ``(N, d)`` (add a column of ones for a bias).
        y: targets, shape ``(N,)``.
        w: weights, shape ``(d,)``.
        batch_sizes: batch sizes, integers in ``[1, N]``.
        n_batches: random batches per size, >= 2.
        seed: seed of the batch draws.

    Returns:
        ``{"batch_sizes", "rms", "theory", "reference", "full_norm"}``. The gradients are
        computed in units of a power of two (exact), so large or tiny finite inputs neither
        overflow to inf nor underflow to 0 on the way.

    Raises:
        ValueError: an argument out of range, a NaN or inf in ``X``, ``y`` or ``w`` (its count
            and first index named), or an answer beyond float64's range (about 1.8e308).
    """
    X = finite_array("X", X, 2)
    y = finite_array("y", y, 1)
    w = finite_array("w", w, 1)
    N, d = X.shape
    if y.shape[0] != N:
        raise ValueError(f"`y` must have one value per row of `X` ({N}). Received {y.shape[0]}")
    if w.shape[0] != d:
        raise ValueError(f"`w` must have one weight per column of `X` ({d}). Received {w.shape[0]}")
    n_batches = check_int("n_batches", n_batches, minimum=2)
    seed = check_int("seed", seed, minimum=0)
    if isinstance(batch_sizes, str) or not isinstance(batch_sizes, Sequence | np.ndarray):
        raise TypeError(
            f"`batch_sizes` must be a list of integers in [1, {N}]. Received: {batch_sizes!r}"
        )
    if len(batch_sizes) == 0:
        raise ValueError(f"`batch_sizes` must list at least one integer in [1, {N}]")
    sizes = np.array([check_int("batch_sizes", b, minimum=1) for b in batch_sizes])
    if sizes.max() > N:
        raise ValueError(
            f"`batch_sizes` must be <= the number of rows {N}. Received {sizes.tolist()}"
        )
    G, e = _scaled_gradients(X, y, w)
    g = G.mean(axis=0)
    trace = float(np.mean(np.sum((G - g) ** 2, axis=1)))
    rng = np.random.default_rng(seed)
    bmax = int(sizes.max())
    sq = np.zeros(sizes.size)
    for _ in range(n_batches):
        idx = rng.choice(N, size=bmax, replace=False)
        csum = np.cumsum(G[idx], axis=0)  # the batch of size B = the first B of the draw
        gb = csum[sizes - 1] / sizes[:, None]
        sq += np.sum((gb - g) ** 2, axis=1)
    rms = np.sqrt(sq / n_batches)
    fpc = (N - sizes) / max(N - 1, 1)
    with np.errstate(over="ignore"):
        out = {
            "rms": np.ldexp(rms, e),
            "theory": np.ldexp(np.sqrt(trace / sizes * fpc), e),
            "reference": np.ldexp(np.sqrt(trace / sizes), e),
            "full_norm": np.array(np.ldexp(float(np.linalg.norm(g)), e)),
        }
    if not all(np.isfinite(v).all() for v in out.values()):
        raise ValueError(
            "the gradients of these `X`, `y` and `w` exceed float64's range (about 1.8e308), "
            "so their noise cannot be given as numbers: rescale the data (standardize `X`) "
            f"or start from smaller weights. Received: max |X| = {np.abs(X).max():.3g}, "
            f"max |y| = {np.abs(y).max():.3g}, max |w| = {np.abs(w).max():.3g}"
        )
    return {"batch_sizes": sizes, **out}


def _scaled_gradients(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, int]:
    """The per-example gradients ``G = 2 X (X w - y)`` as ``(G / 2**e, e)`` with ``|G / 2**e|``
    below 1, so squares and sums of squares cannot overflow (or underflow) for large (tiny)
    finite inputs. Scaling by a power of two is exact: results are ``2**e`` times the scaled
    ones, bit for bit the same as unscaled arithmetic wherever that does not overflow.

    The residual ``r = X w - y`` is computed from ``X / 2**a`` and ``w / 2**b`` (each below 1),
    and ``G = 2 x_i r_i`` from ``x_i / 2**a`` and ``r_i / 2**c`` the same way.
    """
    a, b, c0 = _exponent(X), _exponent(w), _exponent(y)
    Xs, ws = np.ldexp(X, -a), np.ldexp(w, -b)
    # r / 2**c with c >= the exponents of both terms: Xs ws below d, y / 2**c below 1
    c = max(a + b, c0)
    r = np.ldexp(Xs @ ws, a + b - c) - np.ldexp(y, -c)
    cr = _exponent(r)
    G = 2.0 * Xs * np.ldexp(r, -cr)[:, None]  # below 2 in magnitude
    e = _exponent(G)
    return np.ldexp(G, -e), a + c + cr + e


def _exponent(values: np.ndarray) -> int:
    """The ``e`` with ``max |values| < 2**e`` (``frexp``'s exponent); 0 for all zeros."""
    top = float(np.max(np.abs(values))) if values.size else 0.0
    return math.frexp(top)[1] if top > 0 else 0
