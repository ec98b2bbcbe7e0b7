"""Linear regression by hand, in NumPy: the pieces notebooks 01 and 02 build gradient descent from.

With a design matrix ``A = [1, X]`` (a column of ones for the bias) and weights ``w``:

- the mean squared error is ``L(w) = (1/n) ||A w - y||²``,
- its gradient is ``∇L(w) = (2/n) Aᵀ (A w - y)``,
- and the root mean squared error of predictions is ``sqrt(mean((y - ŷ)²))``.
"""

from __future__ import annotations

import numpy as np


def _matrix(name: str, value: object) -> np.ndarray:
    array = np.asarray(value, dtype=float)
    if array.ndim != 2 or array.shape[0] == 0:
        raise ValueError(
            f"`{name}` must be a non-empty 2-D array (rows x features). "
            f"Received shape {array.shape}"
        )
    return array


def add_bias(X: np.ndarray) -> np.ndarray:
    """``[1, X]``: ``X`` with a leading column of ones, so ``A @ w`` includes the bias ``w[0]``."""
    X = _matrix("X", X)
    return np.hstack([np.ones((len(X), 1)), X])


def _residual(w: np.ndarray, A: np.ndarray, y: np.ndarray) -> np.ndarray:
    A = _matrix("A", A)
    w, y = np.asarray(w, dtype=float), np.asarray(y, dtype=float)
    if w.shape != (A.shape[1],):
        raise ValueError(f"`w` must have shape ({A.shape[1]},) to match `A`. Received {w.shape}")
    if y.shape != (A.shape[0],):
        raise ValueError(f"`y` must have shape ({A.shape[0]},) to match `A`. Received {y.shape}")
    return A @ w - y


def mse(w: np.ndarray, A: np.ndarray, y: np.ndarray) -> float:
    """Mean squared error ``(1/n) ||A w - y||²`` of the linear model ``w``."""
    r = _residual(w, A, y)
    return float(np.mean(r**2))


def mse_grad(w: np.ndarray, A: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Gradient of :func:`mse` with respect to ``w``: ``(2/n) Aᵀ (A w - y)``."""
    r = _residual(w, A, y)
    return 2.0 / len(r) * (np.asarray(A, dtype=float).T @ r)


def rmse(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Root mean squared error ``sqrt(mean((y_true - y_pred)²))``, in the units of ``y``."""
    y_true = np.asarray(y_true, dtype=float).ravel()
    y_pred = np.asarray(y_pred, dtype=float).ravel()
    if y_true.shape != y_pred.shape or y_true.size == 0:
        raise ValueError(
            "`y_true` and `y_pred` must be non-empty and of the same length. "
            f"Received {y_true.shape} and {y_pred.shape}"
        )
    return float(np.sqrt(np.mean((y_true - y_pred) ** 2)))
