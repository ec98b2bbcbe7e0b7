"""Exercises of notebook 08, the California housing project.

Every checker runs the learner's function on small synthetic cases built here with a fixed
generator, so checking an answer needs no data download and draws from no shared seed.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gdcourse.exercises.core import Exercise, Incorrect, call_answer


def _as_float(value: Any, what: str) -> float:
    try:
        out = float(np.asarray(value, dtype=float))
    except (TypeError, ValueError):
        raise Incorrect(f"{what} should be one number, got {value!r:.60}") from None
    if not np.isfinite(out):
        raise Incorrect(f"{what} should be a finite number, got {out}")
    return out


# ---- q1: the mean baseline ---------------------------------------------------------------
def _mean_baseline_rmse(y_train: np.ndarray, y_test: np.ndarray) -> float:
    """RMSE on the test targets of the constant prediction mean(y_train):
    sqrt(mean((y_test - mean(y_train))**2))."""
    return float(np.sqrt(np.mean((np.asarray(y_test) - np.mean(y_train)) ** 2)))


def _baseline_cases() -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(8)
    return [
        (rng.normal(2.0, 1.0, 200), rng.normal(2.6, 1.2, 50)),  # the two sets differ
        (rng.uniform(0.5, 5.0, 31), rng.uniform(0.5, 5.0, 7)),
        (np.array([1.0, 2.0, 3.0]), np.array([4.0, 0.0])),
    ]


def _check_mean_baseline(answer: Any) -> str:
    if not callable(answer):
        raise Incorrect("pass your function itself, mean_baseline_rmse, without calling it")
    for y_train, y_test in _baseline_cases():
        got = _as_float(call_answer(answer, y_train, y_test), "the RMSE")
        want = _mean_baseline_rmse(y_train, y_test)
        if np.isclose(got, want, rtol=1e-6, atol=1e-9):
            continue
        leak = float(np.std(y_test))  # predicting the *test* mean gives the test std
        if np.isclose(got, leak, rtol=1e-6, atol=1e-9):
            raise Incorrect(
                "you predicted with the mean of y_test: that is leakage, the baseline may only "
                "know the training targets. Predict mean(y_train) for every test row."
            )
        if np.isclose(got, want**2, rtol=1e-6, atol=1e-9):
            raise Incorrect("that is the mean squared error: take its square root for the RMSE")
        raise Incorrect(
            f"on a case with {len(y_train)} training and {len(y_test)} test targets the RMSE "
            f"should be {want:.6g}, got {got:.6g}"
        )
    return "the constant mean(y_train) is the yardstick every model must beat."


q1 = Exercise(
    "Q1. The mean baseline",
    """
    Write `mean_baseline_rmse(y_train, y_test)`: the test RMSE of a "model" that predicts the
    mean of the *training* targets for every row.
    """,
    checker=_check_mean_baseline,
    tolerance="relative 1e-06",
    reference=_mean_baseline_rmse,
    hints=[
        "The prediction is one number, computed from y_train only.",
        "np.sqrt(np.mean((y_test - np.mean(y_train)) ** 2))",
    ],
    solution="""
    import numpy as np


    def mean_baseline_rmse(y_train, y_test):
        prediction = np.mean(y_train)
        return np.sqrt(np.mean((y_test - prediction) ** 2))
    """,
    wrong_answers=[
        lambda y_train, y_test: np.std(y_test),  # the test mean: leakage
        lambda y_train, y_test: np.mean((y_test - np.mean(y_train)) ** 2),  # MSE, no root
        lambda y_train, y_test: np.sqrt(np.mean((y_train - np.mean(y_train)) ** 2)),  # train
    ],
)


# ---- q2: Fourier features of the coordinates ----------------------------------------------
def _fourier_features(coords: np.ndarray, freq: np.ndarray) -> np.ndarray:
    """With z = coords @ freq (n x k), the n x 2k array [sin(z), cos(z)]."""
    z = np.asarray(coords) @ np.asarray(freq)
    return np.hstack([np.sin(z), np.cos(z)])


def _fourier_cases() -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(80)
    coords = np.column_stack([rng.uniform(32.5, 42.0, 6), rng.uniform(-124.3, -114.3, 6)])
    return [
        (coords, rng.normal(0.0, 1.0, (2, 3))),
        (coords[:1], rng.normal(0.0, 1.0, (2, 1))),
        (np.array([[0.0, 0.0], [np.pi / 2, 0.0]]), np.eye(2)),
    ]


def _check_fourier(answer: Any) -> str:
    if not callable(answer):
        raise Incorrect("pass your function itself, fourier_features, without calling it")
    for coords, freq in _fourier_cases():
        want = _fourier_features(coords, freq)
        got = np.asarray(call_answer(answer, coords, freq), dtype=float)
        if (
            got.shape == want.shape[::-1]
            and not np.allclose(got, want)
            and np.allclose(got.T, want)
        ):
            raise Incorrect(
                f"the result is transposed: shape {got.shape}, want {want.shape}, one row per "
                "place (coords @ freq, not freq.T @ coords.T)"
            )
        if got.shape != want.shape:
            raise Incorrect(
                f"for {len(coords)} rows and {freq.shape[1]} frequencies the result should have "
                f"shape {want.shape} (sines, then cosines, side by side), got {got.shape}"
            )
        k = freq.shape[1]
        if np.allclose(got, np.hstack([want[:, k:], want[:, :k]]), atol=1e-9):
            raise Incorrect("put the sines first, then the cosines: [sin(z), cos(z)]")
        interleaved = np.empty_like(want)
        interleaved[:, 0::2], interleaved[:, 1::2] = want[:, :k], want[:, k:]
        if k > 1 and np.allclose(got, interleaved, atol=1e-9):
            raise Incorrect(
                "the columns are interleaved (sin, cos for each frequency in turn); the layout "
                "asked for is all k sines, then all k cosines: np.hstack([np.sin(z), np.cos(z)])"
            )
        if not np.allclose(got, want, rtol=1e-6, atol=1e-9):
            raise Incorrect(
                "the values differ from [sin(z), cos(z)] with z = coords @ freq; check the "
                "matrix product (coords is n x 2, freq is 2 x k)"
            )
    return "each column is a wave across the map; the network adds them up."


q2 = Exercise(
    "Q2. Fourier features",
    """
    Write `fourier_features(coords, freq)`: with `coords` an n x 2 array of (latitude,
    longitude) and `freq` a 2 x k array of frequencies, return the n x 2k array
    `[sin(z), cos(z)]` where `z = coords @ freq`.
    """,
    checker=_check_fourier,
    tolerance="relative 1e-06, absolute 1e-09 on every entry",
    reference=_fourier_features,
    hints=[
        "z = coords @ freq has one column per frequency; np.hstack puts arrays side by side.",
        "z = coords @ freq, then return np.hstack([np.sin(z), np.cos(z)])",
    ],
    solution="""
    import numpy as np


    def fourier_features(coords, freq):
        z = coords @ freq
        return np.hstack([np.sin(z), np.cos(z)])
    """,
    wrong_answers=[
        lambda coords, freq: np.hstack([np.cos(coords @ freq), np.sin(coords @ freq)]),
        lambda coords, freq: np.sin(coords @ freq),
        lambda coords, freq: np.hstack([np.sin(coords), np.cos(coords)]),  # no frequencies
    ],
)


# ---- q3: choose the epoch on validation ----------------------------------------------------
def _best_epoch(history: dict) -> int:
    """The 1-based epoch with the lowest validation loss (what EarlyStopping restores)."""
    return int(np.argmin(history["val_loss"])) + 1


def _histories() -> list[dict[str, list[float]]]:
    rng = np.random.default_rng(88)
    out = []
    for n, best in [(30, 17), (12, 4), (8, 8)]:
        epochs = np.arange(1, n + 1)
        loss = 1.0 / epochs + 0.01 * rng.random(n)  # training loss keeps falling...
        loss[-1] += 0.05  # ...with a wiggle at the end, as mini-batch losses have
        val = 0.3 + 0.002 * (epochs - best) ** 2 + 0.0005 * rng.random(n)
        out.append({"loss": loss.tolist(), "val_loss": val.tolist()})
    return out


def _check_best_epoch(answer: Any) -> str:
    if not callable(answer):
        raise Incorrect("pass your function itself, best_epoch, without calling it")
    for history in _histories():
        want = _best_epoch(history)
        got = call_answer(answer, {k: list(v) for k, v in history.items()})
        if isinstance(got, float | np.floating) and float(got).is_integer():
            got = int(got)  # 17.0 is the epoch 17
        if isinstance(got, bool) or not isinstance(got, int | np.integer):
            raise Incorrect(f"return the epoch number as an int, got {got!r:.60}")
        if got == len(history["val_loss"]) and got != want:
            raise Incorrect(
                f"epoch {got} is simply the last one; the validation loss was lowest earlier, "
                "before the model began to overfit"
            )
        if got == int(np.argmin(history["loss"])) + 1 and got != want:
            raise Incorrect(
                "you chose by the training loss, which keeps falling while the model overfits: "
                "choose by val_loss"
            )
        if got == want - 1:
            raise Incorrect("epochs are counted from 1 (Keras's 'epoch 1' is index 0): add 1")
        if got != want:
            raise Incorrect(f"the lowest val_loss is at epoch {want}, you returned {got}")
    return "that is the epoch EarlyStopping(restore_best_weights=True) goes back to."


q3 = Exercise(
    "Q3. Choose the epoch on validation",
    """
    Write `best_epoch(history)`: given a dict like `fit(...).history`, with lists `"loss"`
    and `"val_loss"` (one number per epoch), return the epoch number (counting from 1) with
    the lowest validation loss.
    """,
    checker=_check_best_epoch,
    tolerance="exact (a whole epoch number)",
    reference=_best_epoch,
    hints=[
        "np.argmin gives the index of the smallest value; indices count from 0, epochs from 1.",
        "int(np.argmin(history['val_loss'])) + 1",
    ],
    solution="""
    import numpy as np


    def best_epoch(history):
        return int(np.argmin(history["val_loss"])) + 1
    """,
    wrong_answers=[
        lambda h: int(np.argmin(h["loss"])) + 1,  # training loss
        lambda h: int(np.argmin(h["val_loss"])),  # 0-based
        lambda h: len(h["val_loss"]),  # the last epoch
    ],
)
