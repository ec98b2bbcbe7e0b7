"""Exercises of notebook 08, the California housing project.

Every checker runs the learner's function on small synthetic cases built here with a fixed
generator, so checking an answer needs no data download and draws from no shared seed.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

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
        # pandas Series, as y_train and y_test are in the notebook; NumPy code works on them too
        series = pd.Series(y_train.copy(), name="MedHouseVal"), pd.Series(y_test.copy())
        got = _as_float(call_answer(answer, *series), "the MAE")
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
    "model" that predicts the median of the *training* targets for every row. The targets
    come as pandas Series, like y_train and y_test in the notebook.
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
        if np.allclose(got, np.pi / norm, rtol=1e-6):
            raise Incorrect(
                "that is half a wave, crest to trough (pi radians); crest to crest is 2 pi"
            )
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
            "the values differ from the crest-to-crest distances: measure each wave along its "
            "own direction (a, b), in degrees"
        )
    return (
        "short wavelengths draw fine detail, long ones broad regions. Now count the crests of "
        "FREQ (half a wavelength each) narrower than the 1.5-degree boxes: if few or none are, "
        "one wave cannot mark a metro box at sigma = 1, and the network must combine waves "
        "(the open-ended experiment tries larger sigma)."
    )


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

    # With the notebook's FREQ, np.sum(wavelengths(FREQ) / 2 < 1.5) counts 1 crest of 32
    # narrower than the boxes: at sigma = 1 one wave cannot mark a metro box; the network
    # must combine waves.
    """,
    wrong_answers=[
        lambda freq: 1 / np.linalg.norm(freq, axis=0),  # radians, not whole waves
        lambda freq: 2 * np.pi / np.abs(freq).sum(axis=0),  # |a| + |b|
        lambda freq: 2 * np.pi / np.linalg.norm(freq, axis=1),  # one per coordinate: shape
        lambda freq: 2 * np.pi / freq[0],  # latitude only
        lambda freq: np.pi / np.linalg.norm(freq, axis=0),  # half a wave
    ],
)


# ---- q3: when does early stopping stop? ---------------------------------------------------
def _stop_epoch(val_loss: list[float], patience: int, min_delta: float) -> int:
    """The 1-based epoch at which ``EarlyStopping(patience, min_delta)`` ends training on these
    validation losses, or ``len(val_loss)`` if it never fires. An epoch improves when
    loss + min_delta < best so far; training stops at the ``patience``-th epoch in a row
    without an improvement (Keras 3's rule)."""
    best, wait = None, 0
    for epoch, loss in enumerate(val_loss, start=1):
        wait += 1
        if best is None or loss + min_delta < best:
            best, wait = loss, 0
        elif wait >= patience:
            return epoch
    return len(val_loss)


# (losses, patience, min_delta); margins of at least 0.001, so float rounding cannot decide.
_STOP_CASES: list[tuple[list[float], int, float]] = [
    # min_delta decides: 0.695 and 0.692 beat 0.7, but not by 0.01
    ([0.9, 0.7, 0.695, 0.692, 0.691, 0.6905, 0.70, 0.71], 2, 0.01),
    # the best so far, not the previous epoch: 0.7 beats 0.8 but not 0.6
    ([1.0, 0.6, 0.8, 0.7, 0.65, 0.62, 0.61, 0.63], 3, 0.0),
    # steady progress: it never fires
    ([1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4], 3, 0.001),
]


def _stop_mistakes(losses: list[float], patience: int, min_delta: float) -> dict[str, int]:
    """What the classic mistakes return on one case, with the message each earns."""
    prev_based, wait = len(losses), 0
    for epoch in range(2, len(losses) + 1):
        wait = 0 if losses[epoch - 1] + min_delta < losses[epoch - 2] else wait + 1
        if wait >= patience:
            prev_based = epoch
            break
    late, best, wait = len(losses), None, 0
    for epoch, loss in enumerate(losses, start=1):
        wait += 1
        if best is None or loss + min_delta < best:
            best, wait = loss, 0
        elif wait > patience:
            late = epoch
            break
    right = _stop_epoch(losses, patience, min_delta)
    return {
        "an improvement must beat the best so far by more than min_delta; a smaller drop "
        "counts as no improvement": _stop_epoch(losses, patience, 0.0),
        "compare each loss with the best so far, not with the previous epoch": prev_based,
        "that is the best epoch, where restore_best_weights goes back to; training stops "
        "later, after patience epochs without improvement": int(np.argmin(losses)) + 1,
        "training stops at the patience-th epoch without improvement, not the one after": late,
        "epochs are counted from 1 (the first loss is epoch 1)": right - 1,
    }


def _never_stops(answer: Any) -> bool:
    """Whether ``answer`` returns len(val_loss) on every case (it never stops training)."""
    try:
        return all(
            call_answer(answer, list(losses), patience, min_delta) == len(losses)
            for losses, patience, min_delta in _STOP_CASES
        )
    except Exception:  # noqa: BLE001 -- a crash on another case is reported by the loop
        return False


def _check_stop_epoch(answer: Any) -> str:
    if not callable(answer):
        raise Incorrect("pass your function itself, stop_epoch, without calling it")
    for losses, patience, min_delta in _STOP_CASES:
        want = _stop_epoch(losses, patience, min_delta)
        got = call_answer(answer, list(losses), patience, min_delta)
        if got is None:
            raise Incorrect(
                "you returned None: when early stopping never fires, training runs every "
                "epoch, so return len(val_loss)"
            )
        if isinstance(got, float | np.floating) and float(got).is_integer():
            got = int(got)  # 5.0 is the epoch 5
        if isinstance(got, bool) or not isinstance(got, int | np.integer):
            raise Incorrect(f"return the epoch number as an int, got {got!r:.60}")
        if got == want:
            continue
        if got == len(losses) and _never_stops(answer):
            raise Incorrect(
                "you returned len(val_loss) on every case, as if early stopping never fired: "
                "it fires once patience epochs in a row bring no improvement"
            )
        for message, value in _stop_mistakes(losses, patience, min_delta).items():
            if got == value:
                raise Incorrect(message)
        raise Incorrect(
            f"on {len(losses)} losses with patience={patience}, min_delta={min_delta} you "
            f"returned {got}: walk through the losses, keep the best so far, and count the "
            "epochs since it was last beaten by more than min_delta"
        )
    return "that is the epoch at which keras.callbacks.EarlyStopping ends the run."


q3 = Exercise(
    "Q3. When does early stopping stop?",
    """
    Write `stop_epoch(val_loss, patience, min_delta)`: given one validation loss per epoch,
    the epoch (counting from 1) at which `EarlyStopping(patience=patience,
    min_delta=min_delta)` ends training, or `len(val_loss)` if it never fires. An epoch is an
    improvement when its loss is below the best so far by more than `min_delta`; training
    stops at the `patience`-th epoch in a row without one.
    """,
    checker=_check_stop_epoch,
    tolerance="exact (a whole epoch number)",
    reference=_stop_epoch,
    hints=[
        "Loop over enumerate(val_loss, start=1), keeping the best loss so far and a count of "
        "epochs since the last improvement.",
        "An improvement is loss + min_delta < best: reset the count; otherwise add 1 and "
        "return the epoch once the count reaches patience.",
    ],
    solution="""
    def stop_epoch(val_loss, patience, min_delta):
        best, wait = None, 0
        for epoch, loss in enumerate(val_loss, start=1):
            if best is None or loss + min_delta < best:
                best, wait = loss, 0
            else:
                wait += 1
                if wait >= patience:
                    return epoch
        return len(val_loss)
    """,
    wrong_answers=[
        lambda v, p, d: _stop_epoch(v, p, 0.0),  # min_delta ignored
        lambda v, p, d: _stop_mistakes(v, p, d)[  # the previous epoch, not the best so far
            "compare each loss with the best so far, not with the previous epoch"
        ],
        lambda v, p, d: int(np.argmin(v)) + 1,  # the best epoch
        lambda v, p, d: _stop_epoch(v, p + 1, d),  # one epoch late
        lambda v, p, d: _stop_epoch(v, p, d) - 1,  # counted from 0
    ],
)
