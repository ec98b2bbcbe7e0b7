"""Linear regression by hand, in NumPy: the pieces notebooks 01 and 02 build gradient descent from.

With a design matrix ``A = [1, X]`` (a column of ones for the bias) and weights ``w``:

- the mean squared error is ``L(w) = (1/n) ||A w - y||²``,
- its gradient is ``∇L(w) = (2/n) Aᵀ (A w - y)``,
- and the root mean squared error of predictions is ``sqrt(mean((y - ŷ)²))``.
"""

from __future__ import annotations

import math

import numpy as np

from gdcourse._validate import as_float_array, check_all_finite, matrix


def add_bias(X: np.ndarray) -> np.ndarray:
    """``[1, X]``: ``X`` with a leading column of ones, so ``A @ w`` includes the bias ``w[0]``."""
    X = matrix("X", X)
    return np.hstack([np.ones((len(X), 1)), X])


def _residual(w: np.ndarray, A: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(A, A w - y)`` after checking the data: ``A`` and ``y`` must be finite (a NaN there
    would make every loss and gradient NaN without a word). ``w`` may be NaN or inf: a run that
    diverged gets an honest NaN/inf loss."""
    A = matrix("A", A)
    w = as_float_array("w", w, "an array of weights, one per column of `A`")
    y = as_float_array("y", y, "an array of targets, one per row of `A`")
    if w.shape != (A.shape[1],):
        raise ValueError(f"`w` must have shape ({A.shape[1]},) to match `A`. Received {w.shape}")
    if y.shape != (A.shape[0],):
        raise ValueError(f"`y` must have shape ({A.shape[0]},) to match `A`. Received {y.shape}")
    r = A @ w - y
    if not math.isfinite(r.sum()):  # a NaN or inf in A or y reaches r: name it, if it is there
        check_all_finite("A", A)
        check_all_finite("y", y)
    return A, r


def mse(w: np.ndarray, A: np.ndarray, y: np.ndarray) -> float:
    """Mean squared error ``(1/n) ||A w - y||²`` of the linear model ``w``."""
    _, r = _residual(w, A, y)
    return float(np.mean(r**2))


def mse_grad(w: np.ndarray, A: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Gradient of :func:`mse` with respect to ``w``: ``(2/n) Aᵀ (A w - y)``."""
    A, r = _residual(w, A, y)
    return 2.0 / len(r) * (A.T @ r)


def rmse(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Root mean squared error ``sqrt(mean((y_true - y_pred)²))``, in the units of ``y``.

    ``y_true`` must be finite; ``y_pred`` may hold NaN (a diverged model's honest NaN score).
    """
    y_true = as_float_array("y_true", y_true, "an array of target values").ravel()
    y_pred = as_float_array("y_pred", y_pred, "an array of predictions").ravel()
    if y_true.shape != y_pred.shape or y_true.size == 0:
        raise ValueError(
            "`y_true` and `y_pred` must be non-empty and of the same length. "
            f"Received {y_true.shape} and {y_pred.shape}"
        )
    check_all_finite("y_true", y_true)
    return float(np.sqrt(np.mean((y_true - y_pred) ** 2)))
