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


# ---- q1: sliding windows, h days ahead -----------------------------------------------------
def _create_sequences(
    series: np.ndarray, window: int, horizon: int
) -> tuple[np.ndarray, np.ndarray]:
    """Inputs X[i] = series[i : i + window] and targets y[i] = series[i + window + horizon - 1]
    (the value ``horizon`` days after the window's last day), for every i whose target exists:
    X has shape (n - window - horizon + 1, window), y (n - window - horizon + 1,)."""
    series = np.asarray(series)
    count = len(series) - window - horizon + 1
    X = np.array([series[i : i + window] for i in range(count)])
    return X, series[window + horizon - 1 :].copy()


def _check_sequences(answer: Any) -> str:
    if not callable(answer):
        raise Incorrect("pass your function itself, my_create_sequences, without calling it")
    for n, window, horizon in [(12, 3, 1), (30, 5, 3), (20, 6, 2), (11, 4, 5)]:
        series = _series(n, seed=90 + n)
        want_X, want_y = _create_sequences(series, window, horizon)
        out = call_answer(answer, series, window, horizon)
        if not isinstance(out, tuple | list) or len(out) != 2:
            raise Incorrect("return two arrays, (X, y)")
        X, y = (np.asarray(_no_placeholder(a), dtype=float) for a in out)
        if X.ndim == 3 and X.shape[-1] == 1:
            X = X[..., 0]  # (samples, window, 1), ready for an LSTM, is fine too
        case = f"series of {n} prices, window {window}, horizon {horizon}"
        if X.shape != want_X.shape or y.shape != want_y.shape:
            raise Incorrect(
                f"{case}: X should have shape {want_X.shape} and y {want_y.shape} (one window "
                f"per day whose target, {horizon} day(s) after the window, exists), got "
                f"{X.shape} and {y.shape}"
            )
        if horizon > 1 and np.allclose(y, series[window : window + len(y)]):
            raise Incorrect(
                f"{case}: each target is the day right after its window; with horizon "
                f"{horizon} the target lies {horizon} days after the window's last day"
            )
        if np.allclose(y, series[window - 1 : window - 1 + len(y)]):
            raise Incorrect(
                f"{case}: each target is the last day of its own window; the target comes "
                "*after* the window"
            )
        if len(y) > 1 and np.allclose(y[:-1], want_y[1:]):
            raise Incorrect(
                f"{case}: each target is one day too late; with horizon 1 the target must be "
                "the day right after the window"
            )
        if not np.allclose(X, want_X):
            raise Incorrect(f"{case}: window i should be series[i:i + window]")
        if not np.allclose(y, want_y):
            raise Incorrect(f"{case}: the targets are not the days `horizon` after each window")
    return "X[i] holds the window days, y[i] the day h after it; no future inside a window."


q1 = Exercise(
    "Q1. Sliding windows, h days ahead",
    """
    Write `my_create_sequences(series, window, horizon)` returning `(X, y)`: `X[i]` is
    `series[i:i + window]` and `y[i]` is the value `horizon` days after the window's last
    day (with `horizon=1`, the next day, as in the notebook), for every `i` where that
    value exists.
    """,
    checker=_check_sequences,
    tolerance="relative 1e-05 on every value; X may also have shape (samples, window, 1)",
    reference=_create_sequences,
    hints=[
        "The window's last day is series[i + window - 1]; count how many windows have a "
        "target inside the series.",
        "There are len(series) - window - horizon + 1 windows; the first target is "
        "series[window + horizon - 1].",
    ],
    solution="""
    import numpy as np


    def my_create_sequences(series, window, horizon):
        count = len(series) - window - horizon + 1
        X = np.array([series[i : i + window] for i in range(count)])
        y = series[window + horizon - 1 :]
        return X, y
    """,
    wrong_answers=[
        lambda s, w, h: (  # the target is the window's own last day
            np.array([s[i : i + w] for i in range(len(s) - w - h + 1)]),
            s[w - 1 : len(s) - h],
        ),
        lambda s, w, h: (  # the horizon ignored: always the next day
            np.array([s[i : i + w] for i in range(len(s) - w - h + 1)]),
            s[w : len(s) - h + 1],
        ),
        lambda s, w, h: (  # one day too late
            np.array([s[i : i + w] for i in range(len(s) - w - h + 1)]),
            np.append(s[w + h :], s[-1]),
        ),
        lambda s, w, h: (  # windows as in the notebook, horizon ignored: one per day
            np.array([s[i : i + w] for i in range(len(s) - w)]),
            s[w:],
        ),
    ],
)


# ---- q2: how often a predicted rise comes true -------------------------------------------------
def _rise_hit_rate(
    previous: np.ndarray,
    actual: np.ndarray,
    predicted: np.ndarray,
    calls_rise: Any = np.greater,
    rose: Any = np.greater,
) -> float:
    """Among the days on which the forecast predicts a rise (predicted > previous), the
    fraction on which the price did rise (actual > previous). ``calls_rise`` and ``rose``
    replace the two comparisons (``np.greater_equal`` gives the ``>=`` mistakes)."""
    previous, actual, predicted = (
        np.asarray(a, dtype=float) for a in (previous, actual, predicted)
    )
    calls = calls_rise(predicted, previous)
    return float(np.mean(rose(actual[calls], previous[calls])))


def _direction_cases() -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    prices = _series(41, seed=9)
    previous, actual = prices[:-1], prices[1:]
    rng = np.random.default_rng(99)
    lagging = previous + 0.3 * (actual - previous) + rng.normal(0.0, 1.0, 40)
    return [
        (previous, actual, lagging),
        (
            np.array([10.0, 10.0, 12.0, 12.0, 11.0]),
            np.array([11.0, 9.0, 13.0, 11.0, 12.0]),
            np.array([10.5, 10.5, 11.0, 12.5, 10.0]),
        ),
        (  # ties: a forecast equal to the last close predicts no rise; an equal close is none
            np.full(6, 10.0),
            np.array([11.0, 10.0, 9.0, 11.0, 10.0, 12.0]),
            np.array([10.0, 11.0, 11.0, 12.0, 10.0, 9.0]),
        ),
    ]


_LOOSE_COMPARISONS = (
    (np.greater_equal, np.greater_equal),
    (np.greater_equal, np.greater),
    (np.greater, np.greater_equal),
)  # ">=" where the prompt says ">", in the call, in the rise, or in both


def _check_rise_hit_rate(answer: Any) -> str:
    if not callable(answer):
        raise Incorrect("pass your function itself, rise_hit_rate, without calling it")
    for previous, actual, predicted in _direction_cases():
        want = _rise_hit_rate(previous, actual, predicted)
        got = call_answer(answer, previous, actual, predicted)
        try:
            got = float(np.asarray(got, dtype=float))
        except (TypeError, ValueError):
            raise Incorrect(f"return one number (a fraction), got {got!r:.60}") from None
        if np.isclose(got, want, rtol=1e-9, atol=1e-12):
            continue
        if np.isclose(got, 100 * want):
            raise Incorrect("return a fraction between 0 and 1, not a percentage")
        loose = [
            _rise_hit_rate(previous, actual, predicted, calls_rise, rose)
            for calls_rise, rose in _LOOSE_COMPARISONS
        ]
        if any(np.isclose(got, rate) for rate in loose):
            raise Incorrect(
                "on a tie use > (not >=): a forecast equal to the last close predicts no rise, "
                "and a close equal to the last one is no rise"
            )
        every_day = np.mean(np.sign(predicted - previous) == np.sign(actual - previous))
        if np.isclose(got, every_day):
            raise Incorrect(
                "that is the directional accuracy over every day; count only the days on "
                "which the forecast predicts a rise"
            )
        ups = actual > previous
        if np.isclose(got, np.mean(predicted[ups] > previous[ups])):
            raise Incorrect(
                "that is, of the up days, the share the forecast called 'up'; the question is "
                "the reverse: of the days called 'up', the share on which the price rose"
            )
        if np.isclose(got, np.mean(predicted > previous)):
            raise Incorrect(
                "that is how often the forecast predicts a rise; among those days, how often "
                "did the price rise?"
            )
        if np.isclose(got, np.mean(actual > previous)):
            raise Incorrect(
                "that is the share of up days, whatever the forecast said; keep only the days "
                "on which the forecast predicts a rise"
            )
        if np.isclose(got, np.mean((predicted > previous) & (actual > previous))):
            raise Incorrect(
                "that divides by every day; divide by the number of days on which the "
                "forecast predicts a rise"
            )
        raise Incorrect(
            f"wrong on a case of {len(actual)} days: measure both the predicted and the actual "
            "move from `previous`, the last close known when forecasting"
        )
    return "a model that says 'up' is right as often as the up days' share, if it knows nothing."


q2 = Exercise(
    "Q2. When the model says 'up'",
    """
    Write `rise_hit_rate(previous, actual, predicted)`: among the days on which the forecast
    predicts a rise from the previous day's actual close (`predicted > previous`), the
    fraction on which the price did rise (`actual > previous`).
    """,
    checker=_check_rise_hit_rate,
    tolerance="relative 1e-09 (a fraction between 0 and 1)",
    reference=_rise_hit_rate,
    hints=[
        "A boolean array `calls = predicted > previous` selects the days with an 'up' call.",
        "Index `actual` and `previous` with `calls`, then take the mean of a comparison.",
    ],
    solution="""
    import numpy as np


    def rise_hit_rate(previous, actual, predicted):
        calls = predicted > previous
        return np.mean(actual[calls] > previous[calls])
    """,
    wrong_answers=[
        lambda p, a, f: 100 * np.mean(a[f > p] > p[f > p]),  # a percentage
        lambda p, a, f: np.mean(np.sign(f - p) == np.sign(a - p)),  # every day's direction
        lambda p, a, f: np.mean(f > p),  # how often it predicts a rise
        lambda p, a, f: np.mean((f > p) & (a > p)),  # divided by every day
        lambda p, a, f: np.mean(f[a > p] > p[a > p]),  # the condition swapped: of the up days
    ],
)


# ---- q3: the persistence forecast, h days ahead ---------------------------------------------
def _persistence_forecast(close: np.ndarray, horizon: int) -> np.ndarray:
    """The forecast for day t + horizon is close[t]: the forecasts for days horizon + 1 .. n
    (1-based), that is close[:-horizon]."""
    return np.asarray(close, dtype=float)[:-horizon].copy()


def _check_persistence(answer: Any) -> str:
    if not callable(answer):
        raise Incorrect("pass your function itself, persistence_forecast, without calling it")
    for n, horizon in [(25, 1), (25, 5), (6, 2)]:
        close = _series(n, seed=900 + n)
        want = _persistence_forecast(close, horizon)
        got = np.asarray(_no_placeholder(call_answer(answer, close, horizon)), dtype=float)
        if got.shape != want.shape:
            raise Incorrect(
                f"for {n} closes and horizon {horizon} there are {n - horizon} forecasts "
                f"(days {horizon + 1}..{n}); got shape {got.shape}"
            )
        if np.allclose(got, close[horizon:]):
            raise Incorrect(
                "those are the actual prices of the forecast days: a forecast may only use "
                "prices known `horizon` days before"
            )
        if not np.allclose(got, want):
            raise Incorrect(
                f"for {n} closes and horizon {horizon}: the forecast for a day is the close "
                "`horizon` days before it"
            )
    return "the persistence forecast is the baseline every price model must beat."


q3 = Exercise(
    "Q3. The persistence forecast, h days ahead",
    """
    Write `persistence_forecast(close, horizon)`: given closing prices for days 1..n, return
    the forecasts for days horizon + 1..n when each forecast is the close `horizon` days
    before the forecast day.
    """,
    checker=_check_persistence,
    tolerance="relative 1e-05 on every value",
    reference=_persistence_forecast,
    hints=[
        "There are n - horizon forecasts; the first is for day horizon + 1.",
        "The forecast for day t + horizon is close[t]: slice off the end of `close`.",
    ],
    solution="""
    def persistence_forecast(close, horizon):
        return close[:-horizon]
    """,
    wrong_answers=[
        lambda c, h: c[h:],  # the answers themselves
        lambda c, h: c[:-1],  # the horizon ignored
        lambda c, h: np.full(len(c) - h, np.mean(c)),  # the mean of all days, future included
    ],
)
