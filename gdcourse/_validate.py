"""Argument checks shared by every helper, so each error names the argument and its range.

Each check returns the validated value, so call sites read
``lr = check_positive("learning_rate", lr)``.
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Any


def _fmt(value: Any) -> str:
    return repr(value)


def check_real(name: str, value: Any) -> float:
    """Return ``value`` as a float, or raise ``TypeError`` naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"`{name}` must be a real number. Received: {name}={_fmt(value)}")
    return float(value)


def check_finite(name: str, value: Any) -> float:
    """A finite real number."""
    x = check_real(name, value)
    if not math.isfinite(x):
        raise ValueError(f"`{name}` must be finite. Received: {name}={_fmt(value)}")
    return x


def check_positive(name: str, value: Any) -> float:
    """A finite real number > 0."""
    x = check_finite(name, value)
    if x <= 0:
        raise ValueError(f"`{name}` must be > 0. Received: {name}={_fmt(value)}")
    return x


def check_non_negative(name: str, value: Any) -> float:
    """A finite real number >= 0."""
    x = check_finite(name, value)
    if x < 0:
        raise ValueError(f"`{name}` must be >= 0. Received: {name}={_fmt(value)}")
    return x


def check_in_range(
    name: str,
    value: Any,
    low: float,
    high: float,
    *,
    low_inclusive: bool = True,
    high_inclusive: bool = False,
) -> float:
    """A finite real number in the interval between ``low`` and ``high``.

    The interval is written in the error the way a mathematician would: ``[0, 1)``.
    """
    x = check_finite(name, value)
    above = x >= low if low_inclusive else x > low
    below = x <= high if high_inclusive else x < high
    if not (above and below):
        opening = "[" if low_inclusive else "("
        closing = "]" if high_inclusive else ")"
        interval = f"{opening}{low:g}, {high:g}{closing}"
        raise ValueError(f"`{name}` must be in {interval}. Received: {name}={_fmt(value)}")
    return x


def check_int(name: str, value: Any, *, minimum: int | None = None) -> int:
    """An integer (not a bool), optionally ``>= minimum``."""
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            import numpy as np

            if isinstance(value, np.integer):
                value = int(value)
            else:
                raise TypeError
        except TypeError:
            raise TypeError(
                f"`{name}` must be an integer. Received: {name}={_fmt(value)}"
            ) from None
    if minimum is not None and value < minimum:
        raise ValueError(f"`{name}` must be >= {minimum}. Received: {name}={_fmt(value)}")
    return int(value)


def check_choice(name: str, value: Any, choices: tuple[Any, ...]) -> Any:
    """One of ``choices``."""
    if value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"`{name}` must be one of {listed}. Received: {name}={_fmt(value)}")
    return value


def check_bool(name: str, value: Any) -> bool:
    """``True`` or ``False`` (NumPy's bools too), else ``TypeError``: a switch, not a number."""
    import numpy as np

    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"`{name}` must be True or False. Received: {name}={_fmt(value)}")
    return bool(value)


def as_float_array(name: str, value: Any, expected: str = "an array of numbers") -> Any:
    """``value`` as a float64 NumPy array, or a ``TypeError`` saying what ``name`` must be."""
    import numpy as np

    if isinstance(value, (str, bytes)):
        raise TypeError(f"`{name}` must be {expected}. Received: {name}={_fmt(value)}")
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"`{name}` must be {expected}. Received: {name}={_fmt(value)}") from None
