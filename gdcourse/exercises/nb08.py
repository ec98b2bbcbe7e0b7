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


# ---- q1: a constant baseline for the absolute error ----------------------------------------
def _median_baseline_mae(y_train: np.ndarray, y_test: np.ndarray) -> float:
    """MAE on the test targets of the constant prediction median(y_train):
    mean(|y_test - median(y_train)|). The median is the constant with the least absolute error,
    as the mean is the one with the least squared error."""
    return float(np.mean(np.abs(np.asarray(y_test) - np.median(y_train))))


def _baseline_cases() -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(8)
    return [
        (rng.lognormal(0.6, 0.6, 200), rng.lognormal(0.8, 0.5, 51)),  # skewed; the sets differ
        (rng.uniform(0.5, 5.0, 31) ** 2, rng.uniform(0.5, 5.0, 7)),
        (np.array([1.0, 1.5, 9.0]), np.array([4.0, 0.0, 2.5])),  # mean 3.83, median 1.5
    ]


def _check_median_baseline(answer: Any) -> str:
    if not callable(answer):
        raise Incorrect("pass your function itself, median_baseline_mae, without calling it")
    for y_train, y_test in _baseline_cases():
        got = _as_float(call_answer(answer, y_train.copy(), y_test.copy()), "the MAE")
        want = _median_baseline_mae(y_train, y_test)
        if np.isclose(got, want, rtol=1e-6, atol=1e-9):
            continue
        mean_mae = float(np.mean(np.abs(y_test - np.mean(y_train))))
        leak = float(np.mean(np.abs(y_test - np.median(y_test))))
        rmse = float(np.sqrt(np.mean((y_test - np.median(y_train)) ** 2)))
        if np.isclose(got, mean_mae, rtol=1e-6, atol=1e-9):
            raise Incorrect(
                "you predicted the training mean: it is the best constant for the squared "
                "error, but for the absolute error the best constant is the median"
            )
        if np.isclose(got, leak, rtol=1e-6, atol=1e-9):
            raise Incorrect(
                "you predicted with the median of y_test: that is leakage, the baseline may "
                "only know the training targets"
            )
        if np.isclose(got, rmse, rtol=1e-6, atol=1e-9):
            raise Incorrect("that is the RMSE of the median; the score asked for is the mean "
                            "absolute error, np.mean(np.abs(...))")  # fmt: skip
        raise Incorrect(
            f"on a case with {len(y_train)} training and {len(y_test)} test targets you "
            f"returned {got:.6g}: predict median(y_train) for every test row and average the "
            "absolute errors"
        )
    return "the median of the training targets is the yardstick for the absolute error."


q1 = Exercise(
    "Q1. A constant baseline for the absolute error",
    """
    Write `median_baseline_mae(y_train, y_test)`: the test mean absolute error (MAE) of a
    "model" that predicts the median of the *training* targets for every row.
    """,
    checker=_check_median_baseline,
    tolerance="relative 1e-06",
    reference=_median_baseline_mae,
    hints=[
        "The prediction is one number, computed from y_train only; the score averages "
        "|y_test - prediction|.",
        "np.median(y_train) is the prediction; np.mean(np.abs(y_test - prediction)) the MAE.",
    ],
    solution="""
    import numpy as np


    def median_baseline_mae(y_train, y_test):
        prediction = np.median(y_train)
        return np.mean(np.abs(y_test - prediction))
    """,
    wrong_answers=[
        lambda y_train, y_test: np.mean(np.abs(y_test - np.mean(y_train))),  # the mean
        lambda y_train, y_test: np.mean(np.abs(y_test - np.median(y_test))),  # leakage
        lambda y_train, y_test: np.sqrt(np.mean((y_test - np.median(y_train)) ** 2)),  # RMSE
    ],
)


# ---- q2: the wavelengths of the Fourier features -------------------------------------------
def _wavelengths(freq: np.ndarray) -> np.ndarray:
    """For each column (a, b) of the 2 x k array ``freq``, the distance in degrees between two
    crests of the wave sin(a lat + b lon): 2 pi / sqrt(a**2 + b**2)."""
    return 2 * np.pi / np.linalg.norm(np.asarray(freq, dtype=float), axis=0)


def _frequency_cases() -> list[np.ndarray]:
    rng = np.random.default_rng(80)
    return [
        rng.normal(0.0, 1.0, (2, 5)),
        np.array([[3.0, 0.0], [4.0, 0.5]]),  # |(3, 4)| = 5, |(0, 0.5)| = 0.5
        rng.normal(0.0, 2.0, (2, 1)),
    ]


def _check_wavelengths(answer: Any) -> str:
    if not callable(answer):
        raise Incorrect("pass your function itself, wavelengths, without calling it")
    for freq in _frequency_cases():
        want = _wavelengths(freq)
        got = np.asarray(call_answer(answer, freq.copy()), dtype=float)
        if got.shape != want.shape:
            raise Incorrect(
                f"for a 2 x {freq.shape[1]} freq return {freq.shape[1]} wavelengths, one per "
                f"column (one per wave), got shape {got.shape}: take the norm over axis 0"
            )
        if np.allclose(got, want, rtol=1e-6):
            continue
        norm = np.linalg.norm(freq, axis=0)
        if np.allclose(got, 1 / norm, rtol=1e-6):
            raise Incorrect("one full wave is 2 pi radians: divide 2 pi, not 1, by the length")
        if np.allclose(got, 2 * np.pi / np.abs(freq).sum(axis=0), rtol=1e-6):
            raise Incorrect(
                "the wave's frequency along its direction is the length sqrt(a**2 + b**2) "
                "of (a, b), not |a| + |b|"
            )
        if np.allclose(got, 2 * np.pi / freq[0], rtol=1e-6) or np.allclose(
            got, 2 * np.pi / freq[1], rtol=1e-6
        ):
            raise Incorrect(
                "that is the wavelength along one coordinate only; across the map the wave "
                "runs along (a, b), so use its length sqrt(a**2 + b**2)"
            )
        raise Incorrect(
            "the values differ from 2 pi / sqrt(a**2 + b**2) for each column (a, b) of freq"
        )
    return "short wavelengths draw fine detail, long ones broad regions."


q2 = Exercise(
    "Q2. Wavelengths of the Fourier features",
    """
    Write `wavelengths(freq)`: for each column (a, b) of the 2 x k array `freq`, the distance
    in degrees between two crests of the wave sin(a lat + b lon), as an array of k numbers.
    """,
    checker=_check_wavelengths,
    tolerance="relative 1e-06 on every entry",
    reference=_wavelengths,
    hints=[
        "Along its direction (a, b) the wave's phase grows by sqrt(a**2 + b**2) radians per "
        "degree; one full wave is 2 pi radians.",
        "2 * np.pi / np.sqrt((freq**2).sum(axis=0)), or with np.linalg.norm(freq, axis=0).",
    ],
    solution="""
    import numpy as np


    def wavelengths(freq):
        return 2 * np.pi / np.linalg.norm(freq, axis=0)
    """,
    wrong_answers=[
        lambda freq: 1 / np.linalg.norm(freq, axis=0),  # radians, not whole waves
        lambda freq: 2 * np.pi / np.abs(freq).sum(axis=0),  # |a| + |b|
        lambda freq: 2 * np.pi / np.linalg.norm(freq, axis=1),  # one per coordinate: shape
        lambda freq: 2 * np.pi / freq[0],  # latitude only
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
