"""Learning-rate schedules that match ``keras.optimizers.schedules``, in NumPy.

A schedule is a callable of the 0-based step count ``t``; it takes an int or an array of
steps, so a whole curve is one call, and serves as ``learning_rate`` in :mod:`gdcourse.optim`.
``to_keras()`` gives the equivalent Keras object for ``model.compile``.

    >>> import numpy as np
    >>> from gdcourse.schedules import ExponentialDecay
    >>> s = ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    >>> s(10), s(np.array([0, 20]))
    (0.05, array([0.1  , 0.025]))

Values are computed in float64; Keras computes in float32, so the two agree to ~1e-7.
Each schedule is a frozen dataclass: its fields are the Keras constructor's arguments, each
declared once with its check (``checked(check_positive)``), applied in ``__post_init__``.
A step must be a finite number >= 0 (or an array of them).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import MISSING, dataclass, field, fields
from typing import Any

import numpy as np

from gdcourse._validate import (
    as_float_array,
    check_finite,
    check_in_range,
    check_non_negative,
    check_positive,
)

Check = Callable[[str, Any], Any]


def _as_bool(name: str, value: Any) -> bool:
    return bool(value)


def _optional(check: Check) -> Check:
    """``check``, letting ``None`` through."""
    return lambda name, value: None if value is None else check(name, value)


def _number_list(check: Check) -> Check:
    """A list of numbers, each passing ``check``."""

    def checked(name: str, value: Any) -> list[float]:
        if isinstance(value, (str, bytes)) or not isinstance(value, (Sequence, np.ndarray)):
            raise TypeError(f"`{name}` must be a list of numbers. Received: {name}={value!r}")
        return [check(name, v) for v in value]

    return checked


def checked(check: Check, default: Any = MISSING) -> Any:
    """A dataclass field validated by ``check(name, value) -> value`` in ``__post_init__``."""
    return field(default=default, metadata={"check": check})


def check_step(step: Any) -> Any:
    """A step count: a finite number >= 0, or an array of them; returned as float(s)."""
    if isinstance(step, (int, np.integer)) and not isinstance(step, bool):
        if step < 0:
            raise ValueError(f"`step` must be >= 0. Received: step={step!r}")
        return float(step)
    expected = "a number >= 0 or an array of them"
    if step is None or isinstance(step, bool) or np.asarray(step).dtype == bool:
        raise TypeError(f"`step` must be {expected}. Received: step={step!r}")
    t = as_float_array("step", step, expected)
    if not np.isfinite(t).all() or (t < 0).any():
        bad = t[~(np.isfinite(t) & (t >= 0))].ravel()[0] if t.ndim else t
        raise ValueError(
            f"`step` must be finite and >= 0. Received: step={step!r} (e.g. {float(bad)!r})"
        )
    return t


@dataclass(frozen=True, repr=False)
class LearningRateSchedule:
    """Base class: ``__call__`` on ints or arrays, ``get_config``, ``to_keras``, ``repr``."""

    def __post_init__(self) -> None:
        """Apply each field's check (see :func:`checked`), keeping the value it returns."""
        for f in fields(self):
            check = f.metadata.get("check")
            if check is not None:
                object.__setattr__(self, f.name, check(f.name, getattr(self, f.name)))

    def __call__(self, step: Any) -> Any:
        """The learning rate at ``step`` (int -> float, array -> array of float64)."""
        t = check_step(step)
        out = self._value(t)
        return float(out) if np.ndim(out) == 0 else np.asarray(out, dtype=float)

    def _value(self, t: Any) -> Any:
        raise NotImplementedError

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments (the same as for the Keras class)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def to_keras(self) -> Any:
        """The equivalent ``keras.optimizers.schedules`` object."""
        import keras  # heavy: only when asked for

        return getattr(keras.optimizers.schedules, type(self).__name__)(**self.get_config())

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items() if k != "name")
        return f"{type(self).__name__}({args})"


@dataclass(frozen=True, repr=False)
class _StepCountDecay(LearningRateSchedule):
    """The fields and the progress ``p`` shared by exponential and inverse-time decay:
    ``p = t / decay_steps``, floored with ``staircase=True``."""

    initial_learning_rate: float = checked(check_positive)
    decay_steps: float = checked(check_positive)
    decay_rate: float = checked(check_non_negative)
    staircase: bool = checked(_as_bool, False)
    name: str = ""

    def _progress(self, t: Any) -> Any:
        p = t / self.decay_steps
        return np.floor(p) if self.staircase else p


@dataclass(frozen=True, repr=False)
class ExponentialDecay(_StepCountDecay):
    """lr(t) = initial_learning_rate * decay_rate ** (t / decay_steps).

    With ``staircase=True`` the exponent is ``floor(t / decay_steps)``: the rate drops in steps.
    """

    decay_rate: float = checked(check_positive)
    name: str = "ExponentialDecay"

    def _value(self, t: Any) -> Any:
        return self.initial_learning_rate * self.decay_rate ** self._progress(t)


@dataclass(frozen=True, repr=False)
class PiecewiseConstantDecay(LearningRateSchedule):
    """lr(t) = values[0] for t <= boundaries[0]; values[i] for boundaries[i-1] < t <=
    boundaries[i]; values[-1] for t > boundaries[-1]."""

    boundaries: list[float] = checked(_number_list(check_finite))
    values: list[float] = checked(_number_list(check_non_negative))
    name: str = "PiecewiseConstant"

    def __post_init__(self) -> None:
        super().__post_init__()
        if len(self.boundaries) != len(self.values) - 1:
            raise ValueError(
                "`boundaries` must have one element fewer than `values`. Received: "
                f"boundaries={self.boundaries} ({len(self.boundaries)} elements), "
                f"values={self.values} ({len(self.values)} elements)"
            )
        if any(np.diff(self.boundaries) <= 0):
            raise ValueError(
                f"`boundaries` must be increasing. Received: boundaries={self.boundaries}"
            )

    def _value(self, t: Any) -> Any:
        return np.asarray(self.values)[np.searchsorted(self.boundaries, t, side="left")]


@dataclass(frozen=True, repr=False)
class PolynomialDecay(LearningRateSchedule):
    """lr(t) = (initial - end) * (1 - t / decay_steps) ** power + end, with t capped at
    decay_steps.

    With ``cycle=True`` the horizon grows instead: decay_steps * ceil(t / decay_steps)
    (1 at t = 0), so the rate jumps back up and decays again.
    """

    initial_learning_rate: float = checked(check_positive)
    decay_steps: float = checked(check_positive)
    end_learning_rate: float = checked(check_non_negative, 0.0001)
    power: float = checked(check_non_negative, 1.0)
    cycle: bool = checked(_as_bool, False)
    name: str = "PolynomialDecay"

    def _value(self, t: Any) -> Any:
        T: Any = self.decay_steps  # an array of horizons when cycling
        if self.cycle:
            T = T * np.where(t == 0, 1.0, np.ceil(t / T))
        else:
            t = np.minimum(t, T)
        lr0, lr1 = self.initial_learning_rate, self.end_learning_rate
        return (lr0 - lr1) * (1 - t / T) ** self.power + lr1


@dataclass(frozen=True, repr=False)
class InverseTimeDecay(_StepCountDecay):
    """lr(t) = initial_learning_rate / (1 + decay_rate * t / decay_steps).

    With ``staircase=True``, ``t / decay_steps`` is floored.
    """

    name: str = "InverseTimeDecay"

    def _value(self, t: Any) -> Any:
        return self.initial_learning_rate / (1 + self.decay_rate * self._progress(t))


def _cosine(fraction: Any, alpha: float) -> Any:
    """(1 - alpha) * (1 + cos(pi * fraction)) / 2 + alpha: from 1 at 0 down to alpha at 1."""
    return (1 - alpha) * 0.5 * (1 + np.cos(math.pi * fraction)) + alpha


def _unit_interval(name: str, value: Any) -> float:
    return check_in_range(name, value, 0.0, 1.0, high_inclusive=True)


@dataclass(frozen=True, repr=False)
class CosineDecay(LearningRateSchedule):
    """Cosine decay (Loshchilov & Hutter, 2017), with optional linear warmup.

    Without warmup (``warmup_target=None``), with s = min(t, decay_steps)::

        lr(t) = initial * ((1 - alpha) * (1 + cos(pi * s / decay_steps)) / 2 + alpha)

    With warmup, for t < warmup_steps the rate climbs linearly from ``initial_learning_rate``
    to ``warmup_target``, then decays as above from ``warmup_target``, with s = min(t -
    warmup_steps, decay_steps).
    """

    initial_learning_rate: float = checked(check_non_negative)
    decay_steps: float = checked(check_positive)
    alpha: float = checked(_unit_interval, 0.0)
    name: str = "CosineDecay"
    warmup_target: float | None = checked(_optional(check_positive), None)
    warmup_steps: float = checked(check_non_negative, 0)

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.warmup_target is None and self.initial_learning_rate == 0:
            raise ValueError(
                "`initial_learning_rate` must be > 0 without warmup. "
                f"Received: initial_learning_rate={self.initial_learning_rate!r}"
            )

    def _value(self, t: Any) -> Any:
        lr0, T = self.initial_learning_rate, self.decay_steps
        if self.warmup_target is None:
            return lr0 * _cosine(np.minimum(t, T) / T, self.alpha)
        W, target = self.warmup_steps, self.warmup_target
        t = np.minimum(t, T + W)
        warm = (target - lr0) * (t / W if W > 0 else 0.0) + lr0
        decay = target * _cosine((t - W) / T, self.alpha)
        return np.where(t < W, warm, decay)


@dataclass(frozen=True, repr=False)
class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts, SGDR (Loshchilov & Hutter, 2017).

    Period i (i = 0, 1, ...) lasts ``first_decay_steps * t_mul**i`` steps and starts from
    ``initial_learning_rate * m_mul**i``. Within a period, at fraction f of its length::

        lr(t) = initial * ((1 - alpha) * m_mul**i * (1 + cos(pi * f)) / 2 + alpha)

    With ``t_mul < 1`` the periods shrink geometrically and all of them together last only
    ``first_decay_steps / (1 - t_mul)`` steps (the :attr:`horizon`); past it the schedule is
    undefined (infinitely many restarts came before), where Keras returns NaN. Calling it
    there raises ``ValueError`` naming ``step``.
    """

    initial_learning_rate: float = checked(check_positive)
    first_decay_steps: float = checked(check_positive)
    t_mul: float = checked(check_positive, 2.0)
    m_mul: float = checked(check_non_negative, 1.0)
    alpha: float = checked(_unit_interval, 0.0)
    name: str = "SGDRDecay"

    @property
    def horizon(self) -> float:
        """The steps all periods last together: ``first_decay_steps / (1 - t_mul)`` if
        ``t_mul < 1``, else ``inf``."""
        return self.first_decay_steps / (1 - self.t_mul) if self.t_mul < 1 else math.inf

    def _value(self, t: Any) -> Any:
        if self.t_mul < 1 and np.max(t, initial=0.0) >= self.horizon:
            raise ValueError(
                f"`step` must be < {self.horizon:g} = first_decay_steps / (1 - t_mul) when "
                f"t_mul={self.t_mul:g} < 1: the periods shrink and all of them end there "
                f"(Keras returns NaN beyond). Received: step up to {float(np.max(t)):g}"
            )
        f = t / self.first_decay_steps  # in units of the first period
        if self.t_mul == 1.0:
            i = np.floor(f)
            f = f - i
        else:  # periods end at (t_mul**(i+1) - 1) / (t_mul - 1); the 1e-9 absorbs rounding
            q = self.t_mul
            i = np.floor(np.log(1 - f * (1 - q)) / math.log(q) + 1e-9)
            f = np.maximum((f - (1 - q**i) / (1 - q)) / q**i, 0.0)
        decayed = 0.5 * self.m_mul**i * (1 + np.cos(math.pi * f))
        return self.initial_learning_rate * ((1 - self.alpha) * decayed + self.alpha)


__all__ = [
    "CosineDecay",
    "CosineDecayRestarts",
    "ExponentialDecay",
    "InverseTimeDecay",
    "LearningRateSchedule",
    "PiecewiseConstantDecay",
    "PolynomialDecay",
    "check_step",
]
