"""Exercises of notebook 09, the AAPL LSTM project.

Checkers run the learner's functions on short synthetic price series built here with a fixed
generator (no download, no shared seed) and compare them with the references by behaviour.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gdcourse.exercises.core import (
    Exercise,
    Incorrect,
    PlaceholderError,
    call_answer,
    uses_placeholder,
)


def _series(n: int, seed: int) -> np.ndarray:
    """A random-walk price series (geometric, daily volatility 2%) starting at 100."""
    rng = np.random.default_rng(seed)
    return 100.0 * np.exp(np.cumsum(rng.normal(0.0, 0.02, n)))


def _no_placeholder(value: Any) -> Any:
    if uses_placeholder(value):
        raise PlaceholderError("the function returned ____")
    return value


# ---- q1: sliding windows ------------------------------------------------------------------
def _create_sequences(series: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Inputs X[i] = series[i : i + window] and targets y[i] = series[i + window], for every
    i with i + window < len(series): X has shape (n - window, window), y (n - window,)."""
    series = np.asarray(series)
    X = np.array([series[i : i + window] for i in range(len(series) - window)])
    return X, series[window:].copy()


def _check_sequences(answer: Any) -> str:
    if not callable(answer):
        raise Incorrect("pass your function itself, my_create_sequences, without calling it")
    for n, window in [(12, 3), (30, 5), (7, 6)]:
        series = _series(n, seed=90 + n)
        want_X, want_y = _create_sequences(series, window)
        out = call_answer(answer, series, window)
        if not isinstance(out, tuple | list) or len(out) != 2:
            raise Incorrect("return two arrays, (X, y)")
        X, y = (np.asarray(_no_placeholder(a), dtype=float) for a in out)
        if X.ndim == 3 and X.shape[-1] == 1:
            X = X[..., 0]  # (samples, window, 1), ready for an LSTM, is fine too
        case = f"series of {n} prices, window {window}"
        if X.shape != want_X.shape or y.shape != want_y.shape:
            raise Incorrect(
                f"{case}: X should have shape {want_X.shape} and y {want_y.shape} (one window "
                f"per day that has {window} days before it), got {X.shape} and {y.shape}"
            )
        if np.allclose(y, series[window - 1 : -1]):
            raise Incorrect(
                f"{case}: each target is the last day of its own window; the target is the "
                "day *after* the window, series[i + window]"
            )
        if not np.allclose(X, want_X) or not np.allclose(y, want_y):
            raise Incorrect(
                f"{case}: window i should be series[i:i + window] and its target series[i + window]"
            )
    return "X[i] holds the window days, y[i] the day after; no future inside a window."


q1 = Exercise(
    "Q1. Sliding windows",
    """
    Write `my_create_sequences(series, window)` returning `(X, y)`: `X[i]` is
    `series[i:i + window]` and `y[i]` is the next value, `series[i + window]`, for every `i`
    where that next value exists.
    """,
    checker=_check_sequences,
    tolerance="relative 1e-05 on every value; X may also have shape (samples, window, 1)",
    reference=_create_sequences,
    hints=[
        "There are len(series) - window windows; the targets are series[window:].",
        "X = np.array([series[i:i + window] for i in range(len(series) - window)])",
    ],
    solution="""
    import numpy as np


    def my_create_sequences(series, window):
        X = np.array([series[i : i + window] for i in range(len(series) - window)])
        y = series[window:]
        return X, y
    """,
    wrong_answers=[
        lambda s, w: (  # the target is the window's own last day
            np.array([s[i : i + w] for i in range(len(s) - w)]),
            s[w - 1 : -1],
        ),
        lambda s, w: (  # one window too many, off the end
            np.array([s[i : i + w] for i in range(len(s) - w + 1)]),
            np.append(s[w:], s[-1]),
        ),
        lambda s, w: (  # windows shifted by one day
            np.array([s[i + 1 : i + 1 + w] for i in range(len(s) - w - 1)] + [s[-w:]]),
            s[w:],
        ),
    ],
)


# ---- q2: directional accuracy -----------------------------------------------------------------
def _directional_accuracy(previous: np.ndarray, actual: np.ndarray, predicted: np.ndarray) -> float:
    """Fraction of days where the predicted change from the previous close has the sign of
    the actual change: mean(sign(predicted - previous) == sign(actual - previous))."""
    previous, actual, predicted = (
        np.asarray(a, dtype=float) for a in (previous, actual, predicted)
    )
    return float(np.mean(np.sign(predicted - previous) == np.sign(actual - previous)))


def _direction_cases() -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    prices = _series(41, seed=9)
    previous, actual = prices[:-1], prices[1:]
    rng = np.random.default_rng(99)
    lagging = previous + 0.3 * (actual - previous) + rng.normal(0.0, 1.0, 40)
    return [
        (previous, actual, lagging),
        (np.array([10.0, 10.0, 12.0]), np.array([11.0, 9.0, 13.0]), np.array([10.5, 10.5, 11.0])),
    ]


def _check_direction(answer: Any) -> str:
    if not callable(answer):
        raise Incorrect("pass your function itself, directional_accuracy, without calling it")
    for previous, actual, predicted in _direction_cases():
        want = _directional_accuracy(previous, actual, predicted)
        got = call_answer(answer, previous, actual, predicted)
        try:
            got = float(np.asarray(got, dtype=float))
        except (TypeError, ValueError):
            raise Incorrect(f"return one number (a fraction), got {got!r:.60}") from None
        if np.isclose(got, 100 * want):
            raise Incorrect("return a fraction between 0 and 1, not a percentage")
        level = float(np.mean(np.sign(predicted[1:] - predicted[:-1])
                              == np.sign(actual[1:] - actual[:-1])))  # fmt: skip
        if not np.isclose(got, want) and np.isclose(got, level):
            raise Incorrect(
                "compare changes from the *previous actual close* (what you knew when "
                "forecasting), not from the previous prediction"
            )
        if not np.isclose(got, want, rtol=1e-9, atol=1e-12):
            raise Incorrect(
                f"on {len(actual)} days the directional accuracy should be {want:.4f}, got "
                f"{got:.4f}: compare sign(predicted - previous) with sign(actual - previous)"
            )
    return "a coin scores about 0.5; that is the bar for 'knows the direction'."


q2 = Exercise(
    "Q2. Directional accuracy",
    """
    Write `directional_accuracy(previous, actual, predicted)`: the fraction of days on which
    the forecast moves in the same direction as the price, both measured from the previous
    day's actual close, `previous`.
    """,
    checker=_check_direction,
    tolerance="relative 1e-09 (a fraction between 0 and 1)",
    reference=_directional_accuracy,
    hints=[
        "np.sign(predicted - previous) is +1 for a predicted rise, -1 for a fall.",
        "np.mean(np.sign(predicted - previous) == np.sign(actual - previous))",
    ],
    solution="""
    import numpy as np


    def directional_accuracy(previous, actual, predicted):
        return np.mean(np.sign(predicted - previous) == np.sign(actual - previous))
    """,
    wrong_answers=[
        lambda p, a, f: 100 * np.mean(np.sign(f - p) == np.sign(a - p)),  # a percentage
        lambda p, a, f: np.mean(np.sign(np.diff(f)) == np.sign(np.diff(a))),  # from predictions
        lambda p, a, f: np.mean(f > p),  # how often it predicts a rise
    ],
)


# ---- q3: the persistence forecast ----------------------------------------------------------
def _persistence_forecast(close: np.ndarray) -> np.ndarray:
    """Tomorrow = today: the forecast for day t + 1 is close[t], for t = 0 .. n - 2."""
    return np.asarray(close, dtype=float)[:-1].copy()


def _check_persistence(answer: Any) -> str:
    if not callable(answer):
        raise Incorrect("pass your function itself, persistence_forecast, without calling it")
    for n in (25, 3):
        close = _series(n, seed=900 + n)
        want = _persistence_forecast(close)
        got = np.asarray(call_answer(answer, close), dtype=float)
        if got.shape != want.shape:
            raise Incorrect(
                f"for {n} closes there are {n - 1} forecasts (days 2..{n}); got shape {got.shape}"
            )
        if np.allclose(got, close[1:]):
            raise Incorrect(
                "those are the actual prices of the forecast days: a forecast for tomorrow "
                "may only use prices up to today"
            )
        if not np.allclose(got, want):
            raise Incorrect("the forecast for day t + 1 should be close[t], yesterday's close")
    return "the persistence forecast is the baseline every price model must beat."


q3 = Exercise(
    "Q3. The persistence forecast",
    """
    Write `persistence_forecast(close)`: given closing prices for days 1..n, return the
    forecasts for days 2..n when every forecast is the previous day's close.
    """,
    checker=_check_persistence,
    tolerance="relative 1e-05 on every value",
    reference=_persistence_forecast,
    hints=[
        "There are n - 1 forecasts; the one for day t + 1 is close[t].",
        "close[:-1]",
    ],
    solution="""
    def persistence_forecast(close):
        return close[:-1]
    """,
    wrong_answers=[
        lambda c: c[1:],  # the answers themselves
        lambda c: np.full(len(c) - 1, np.mean(c)),  # the mean of all days, future included
        lambda c: c,  # one too many
    ],
)
