"""Closed-form results the course checks its experiments against (plain NumPy).

- :func:`lr_regime`: what gradient descent does on ``f(x) = L x^2 / 2`` at a learning rate;
- :func:`minibatch_gradient_noise`: how far mini-batch gradients stray from the full one,
  measured and predicted.

The explorers in :mod:`gdcourse.widgets` draw these; tests and notebooks call them directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from gdcourse._validate import as_float_array, check_int, check_positive


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


def _finite_array(name: str, value: Any, ndim: int) -> np.ndarray:
    arr = as_float_array(name, value)
    if ndim == 1:
        arr = arr.reshape(-1)
    if arr.ndim != ndim or arr.size == 0:
        raise ValueError(f"`{name}` must be a non-empty {ndim}-D array. Received shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"`{name}` must hold finite numbers only (it has NaN or inf)")
    return arr


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
        ``{"batch_sizes", "rms", "theory", "reference", "full_norm"}``.
    """
    X = _finite_array("X", X, 2)
    y = _finite_array("y", y, 1)
    w = _finite_array("w", w, 1)
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
    G = 2.0 * X * (X @ w - y)[:, None]
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
    return {
        "batch_sizes": sizes,
        "rms": rms,
        "theory": np.sqrt(trace / sizes * fpc),
        "reference": np.sqrt(trace / sizes),
        "full_norm": np.array(float(np.linalg.norm(g))),
    }
