"""gdcourse.theory against brute force: the mini-batch gradient noise of every possible batch
of a small set of California housing rows, enumerated, not a closed form of our own."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from gdcourse.data import FEATURES, TARGET, load_housing
from gdcourse.theory import lr_regime, minibatch_gradient_noise

N = 9  # small enough to enumerate every batch


@pytest.fixture(scope="module")
def small_set() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    frame = load_housing().iloc[:N]
    X = frame[list(FEATURES[:2])].to_numpy(dtype=float)
    X = np.column_stack([np.ones(N), (X - X.mean(axis=0)) / X.std(axis=0)])
    return X, frame[TARGET].to_numpy(dtype=float), np.array([0.5, -0.2, 0.1])


def _gradient(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The MSE gradient of the rows given, computed directly: (2/n) X^T (X w - y)."""
    return 2.0 / len(y) * X.T @ (X @ w - y)


def test_theory_is_the_mean_over_every_batch_without_replacement(small_set):
    X, y, w = small_set
    full = _gradient(X, y, w)
    sizes = [1, 2, 4, 8, N]
    brute = []
    for B in sizes:
        sq = [np.sum((_gradient(X[list(b)], y[list(b)], w) - full) ** 2)
              for b in itertools.combinations(range(N), B)]  # fmt: skip
        brute.append(np.sqrt(np.mean(sq)))
    r = minibatch_gradient_noise(X, y, w, sizes, n_batches=2)
    np.testing.assert_allclose(r["theory"], brute, rtol=1e-12, atol=1e-12)
    assert r["full_norm"] == pytest.approx(np.linalg.norm(full), rel=1e-12)


def test_reference_is_the_noise_of_batches_drawn_with_replacement(small_set):
    X, y, w = small_set
    full = _gradient(X, y, w)
    brute = []
    for B in (1, 2, 3):
        sq = [np.sum((_gradient(X[list(b)], y[list(b)], w) - full) ** 2)
              for b in itertools.product(range(N), repeat=B)]  # fmt: skip
        brute.append(np.sqrt(np.mean(sq)))
    r = minibatch_gradient_noise(X, y, w, [1, 2, 3], n_batches=2)
    np.testing.assert_allclose(r["reference"], brute, rtol=1e-12)


def test_measured_rms_estimates_the_enumerated_value(small_set):
    X, y, w = small_set
    full = _gradient(X, y, w)
    B = 3
    sq = [np.sum((_gradient(X[list(b)], y[list(b)], w) - full) ** 2)
          for b in itertools.combinations(range(N), B)]  # fmt: skip
    r = minibatch_gradient_noise(X, y, w, [B], n_batches=4000, seed=1)
    # 4000 random batches out of 84: the mean square is within a few per cent
    assert r["rms"][0] == pytest.approx(np.sqrt(np.mean(sq)), rel=0.05)


def test_lr_regime_names_what_iterating_the_step_does():
    # x_{k+1} = (1 - eta L) x_k, iterated: the named regime is what the iterates do
    for eta, expected in [(0.05, "too small"), (0.5, "good"), (1.5, "oscillating"),
                          (2.0, "on the edge"), (2.5, "diverging")]:  # fmt: skip
        xs = [1.0]
        for _ in range(50):
            xs.append(xs[-1] - eta * 1.0 * xs[-1])
        assert lr_regime(eta, L=1.0).startswith(expected)
        signs = np.sign(xs[1:])
        if expected == "diverging":
            assert abs(xs[-1]) > 1e6
        elif expected in ("oscillating", "on the edge"):
            assert np.all(signs[::2] == -signs[1::2]) and abs(xs[-1]) <= 1.0
        else:
            assert np.all(signs > 0) and xs[-1] < 1.0
