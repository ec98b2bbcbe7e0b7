"""gdcourse.linear against the real thing: scikit-learn's metrics and least squares, and
TensorFlow's automatic differentiation of the same loss, on California housing rows."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_squared_error

from gdcourse.data import FEATURES, TARGET, load_housing
from gdcourse.linear import add_bias, mse, mse_grad, rmse


@pytest.fixture(scope="module")
def housing() -> tuple[np.ndarray, np.ndarray]:
    frame = load_housing().iloc[:500]
    X = frame[list(FEATURES)].to_numpy(dtype=float)
    return (X - X.mean(axis=0)) / X.std(axis=0), frame[TARGET].to_numpy(dtype=float)


@pytest.fixture(scope="module")
def weights() -> np.ndarray:
    return np.random.default_rng(0).normal(size=len(FEATURES) + 1)


def test_add_bias_puts_the_intercept_first(housing):
    X, _ = housing
    A = add_bias(X)
    assert A.shape == (len(X), X.shape[1] + 1)
    np.testing.assert_array_equal(A[:, 0], 1.0)
    np.testing.assert_array_equal(A[:, 1:], X)


def test_mse_and_rmse_match_scikit_learn(housing, weights):
    X, y = housing
    A = add_bias(X)
    y_pred = A @ weights
    assert mse(weights, A, y) == pytest.approx(mean_squared_error(y, y_pred), rel=1e-12)
    assert rmse(y, y_pred) == pytest.approx(np.sqrt(mean_squared_error(y, y_pred)), rel=1e-12)


def test_mse_grad_matches_gradient_tape(housing, weights):
    tf = pytest.importorskip("tensorflow")
    X, y = housing
    A = add_bias(X)
    w = tf.Variable(weights, dtype=tf.float64)
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(tf.linalg.matvec(tf.constant(A), w) - y))
    np.testing.assert_allclose(mse_grad(weights, A, y), tape.gradient(loss, w).numpy(), rtol=1e-10)
    assert mse(weights, A, y) == pytest.approx(float(loss), rel=1e-12)


def test_the_gradient_vanishes_at_scikit_learns_least_squares_fit(housing):
    X, y = housing
    fit = LinearRegression().fit(X, y)
    w_star = np.concatenate([[fit.intercept_], fit.coef_])
    A = add_bias(X)
    assert np.linalg.norm(mse_grad(w_star, A, y)) < 1e-10 * np.linalg.norm(
        mse_grad(0 * w_star, A, y)
    )
    assert mse(w_star, A, y) == pytest.approx(mean_squared_error(y, fit.predict(X)), rel=1e-12)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: add_bias(np.ones(3)), "`X`"),
        (lambda: mse(np.ones(2), np.ones((4, 3)), np.ones(4)), "`w`"),
        (lambda: mse_grad(np.ones(3), np.ones((4, 3)), np.ones(5)), "`y`"),
        (lambda: rmse(np.ones(3), np.ones(4)), "`y_true` and `y_pred`"),
    ],
)
def test_bad_shapes_are_named(call, name):
    with pytest.raises(ValueError, match=name):
        call()
