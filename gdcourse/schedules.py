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
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from gdcourse._validate import (
    check_finite,
    check_in_range,
    check_non_negative,
    check_positive,
)


class LearningRateSchedule:
    """Base class: ``__call__`` on ints or arrays, ``get_config``, ``to_keras``, ``repr``."""

    _arg_names: tuple[str, ...] = ()

    def __call__(self, step: Any) -> Any:
        """The learning rate at ``step`` (int -> float, array -> array of float64)."""
        if isinstance(step, (int, np.integer)) and not isinstance(step, bool):
            return float(self._value(float(step)))
        t = np.asarray(step, dtype=float)
        out = self._value(t)
        return float(out) if np.ndim(out) == 0 else np.asarray(out, dtype=float)

    def _value(self, t: Any) -> Any:
        raise NotImplementedError

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments (the same as for the Keras class)."""
        return {name: getattr(self, name) for name in self._arg_names}

    def to_keras(self) -> Any:
        """The equivalent ``keras.optimizers.schedules`` object."""
        import keras

        return getattr(keras.optimizers.schedules, type(self).__name__)(**self.get_config())

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items() if k != "name")
        return f"{type(self).__name__}({args})"


class ExponentialDecay(LearningRateSchedule):
    """lr(t) = initial_learning_rate * decay_rate ** (t / decay_steps).

    With ``staircase=True`` the exponent is ``floor(t / decay_steps)``: the rate drops in steps.
    """

    _arg_names = ("initial_learning_rate", "decay_steps", "decay_rate", "staircase", "name")

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: float,
        decay_rate: float,
        staircase: bool = False,
        name: str = "ExponentialDecay",
    ) -> None:
        self.initial_learning_rate = check_positive("initial_learning_rate", initial_learning_rate)
        self.decay_steps = check_positive("decay_steps", decay_steps)
        self.decay_rate = check_positive("decay_rate", decay_rate)
        self.staircase = bool(staircase)
        self.name = name

    def _value(self, t: Any) -> Any:
        p = t / self.decay_steps
        if self.staircase:
            p = np.floor(p)
        return self.initial_learning_rate * self.decay_rate**p


class PiecewiseConstantDecay(LearningRateSchedule):
    """lr(t) = values[0] for t <= boundaries[0]; values[i] for boundaries[i-1] < t <=
    boundaries[i]; values[-1] for t > boundaries[-1]."""

    _arg_names = ("boundaries", "values", "name")

    def __init__(
        self,
        boundaries: Sequence[float],
        values: Sequence[float],
        name: str = "PiecewiseConstant",
    ) -> None:
        self.boundaries = [check_finite("boundaries", b) for b in boundaries]
        self.values = [check_non_negative("values", v) for v in values]
        if len(self.boundaries) != len(self.values) - 1:
            raise ValueError(
                "`boundaries` must have one element fewer than `values`. Received: "
                f"boundaries={list(boundaries)} ({len(self.boundaries)} elements), "
                f"values={list(values)} ({len(self.values)} elements)"
            )
        if any(np.diff(self.boundaries) <= 0):
            raise ValueError(
                f"`boundaries` must be increasing. Received: boundaries={list(boundaries)}"
            )
        self.name = name
        self._b, self._v = np.array(self.boundaries), np.array(self.values)

    def _value(self, t: Any) -> Any:
        return self._v[np.searchsorted(self._b, t, side="left")]


class PolynomialDecay(LearningRateSchedule):
    """lr(t) = (initial - end) * (1 - t / decay_steps) ** power + end, with t capped at
    decay_steps.

    With ``cycle=True`` the horizon grows instead: decay_steps * ceil(t / decay_steps)
    (1 at t = 0), so the rate jumps back up and decays again.
    """

    _arg_names = (
        "initial_learning_rate",
        "decay_steps",
        "end_learning_rate",
        "power",
        "cycle",
        "name",
    )

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: float,
        end_learning_rate: float = 0.0001,
        power: float = 1.0,
        cycle: bool = False,
        name: str = "PolynomialDecay",
    ) -> None:
        self.initial_learning_rate = check_positive("initial_learning_rate", initial_learning_rate)
        self.decay_steps = check_positive("decay_steps", decay_steps)
        self.end_learning_rate = check_non_negative("end_learning_rate", end_learning_rate)
        self.power = check_non_negative("power", power)
        self.cycle = bool(cycle)
        self.name = name

    def _value(self, t: Any) -> Any:
        T = self.decay_steps
        if self.cycle:
            T = T * np.where(t == 0, 1.0, np.ceil(t / T))
        else:
            t = np.minimum(t, T)
        lr0, lr1 = self.initial_learning_rate, self.end_learning_rate
        return (lr0 - lr1) * (1 - t / T) ** self.power + lr1


class InverseTimeDecay(LearningRateSchedule):
    """lr(t) = initial_learning_rate / (1 + decay_rate * t / decay_steps).

    With ``staircase=True``, ``t / decay_steps`` is floored.
    """

    _arg_names = ("initial_learning_rate", "decay_steps", "decay_rate", "staircase", "name")

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: float,
        decay_rate: float,
        staircase: bool = False,
        name: str = "InverseTimeDecay",
    ) -> None:
        self.initial_learning_rate = check_positive("initial_learning_rate", initial_learning_rate)
        self.decay_steps = check_positive("decay_steps", decay_steps)
        self.decay_rate = check_non_negative("decay_rate", decay_rate)
        self.staircase = bool(staircase)
        self.name = name

    def _value(self, t: Any) -> Any:
        p = t / self.decay_steps
        if self.staircase:
            p = np.floor(p)
        return self.initial_learning_rate / (1 + self.decay_rate * p)


def _cosine(fraction: Any, alpha: float) -> Any:
    """(1 - alpha) * (1 + cos(pi * fraction)) / 2 + alpha: from 1 at 0 down to alpha at 1."""
    return (1 - alpha) * 0.5 * (1 + np.cos(math.pi * fraction)) + alpha


class CosineDecay(LearningRateSchedule):
    """Cosine decay (Loshchilov & Hutter, 2017), with optional linear warmup.

    Without warmup (``warmup_target=None``), with s = min(t, decay_steps)::

        lr(t) = initial * ((1 - alpha) * (1 + cos(pi * s / decay_steps)) / 2 + alpha)

    With warmup, for t < warmup_steps the rate climbs linearly from ``initial_learning_rate``
    to ``warmup_target``, then decays as above from ``warmup_target``, with s = min(t -
    warmup_steps, decay_steps).
    """

    _arg_names = (
        "initial_learning_rate",
        "decay_steps",
        "alpha",
        "name",
        "warmup_target",
        "warmup_steps",
    )

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: float,
        alpha: float = 0.0,
        name: str = "CosineDecay",
        warmup_target: float | None = None,
        warmup_steps: float = 0,
    ) -> None:
        self.initial_learning_rate = check_non_negative(
            "initial_learning_rate", initial_learning_rate
        )
        self.decay_steps = check_positive("decay_steps", decay_steps)
        self.alpha = check_in_range("alpha", alpha, 0.0, 1.0, high_inclusive=True)
        self.name = name
        self.warmup_target = (
            None if warmup_target is None else check_positive("warmup_target", warmup_target)
        )
        self.warmup_steps = check_non_negative("warmup_steps", warmup_steps)
        if self.warmup_target is None and self.initial_learning_rate == 0:
            raise ValueError(
                "`initial_learning_rate` must be > 0 without warmup. "
                f"Received: initial_learning_rate={initial_learning_rate!r}"
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


class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts, SGDR (Loshchilov & Hutter, 2017).

    Period i (i = 0, 1, ...) lasts ``first_decay_steps * t_mul**i`` steps and starts from
    ``initial_learning_rate * m_mul**i``. Within a period, at fraction f of its length::

        lr(t) = initial * ((1 - alpha) * m_mul**i * (1 + cos(pi * f)) / 2 + alpha)
    """

    _arg_names = ("initial_learning_rate", "first_decay_steps", "t_mul", "m_mul", "alpha", "name")

    def __init__(
        self,
        initial_learning_rate: float,
        first_decay_steps: float,
        t_mul: float = 2.0,
        m_mul: float = 1.0,
        alpha: float = 0.0,
        name: str = "SGDRDecay",
    ) -> None:
        self.initial_learning_rate = check_positive("initial_learning_rate", initial_learning_rate)
        self.first_decay_steps = check_positive("first_decay_steps", first_decay_steps)
        self.t_mul = check_positive("t_mul", t_mul)
        self.m_mul = check_non_negative("m_mul", m_mul)
        self.alpha = check_in_range("alpha", alpha, 0.0, 1.0, high_inclusive=True)
        self.name = name

    def _value(self, t: Any) -> Any:
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
