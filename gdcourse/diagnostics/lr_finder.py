"""The learning-rate range test (Smith, 2017; popularised by fast.ai).

Train for one epoch (or ``epochs``) while the learning rate grows exponentially from
``min_lr`` to ``max_lr``: at step ``k`` of ``n``

    eta_k = min_lr * (max_lr / min_lr) ** (k / (n - 1)).

Record the loss of each batch, smooth it, and read off a good learning rate: where the loss
falls fastest. Afterwards the model's weights and its optimizer's state (iterations,
learning rate, moments) are put back exactly, so the test leaves no trace.

Per-batch losses. In Keras 3 the ``loss`` a callback sees after batch ``k`` (0-based, within
an epoch) is the running mean over the epoch so far, weighted by batch size ``n_j``:
``m_k = sum_{j<=k} n_j l_j / S_k`` with ``S_k = sum_{j<=k} n_j``. The batch's own loss is
therefore ``l_k = (S_k m_k - S_{k-1} m_{k-1}) / n_k``; with equal batches this is
``l_k = (k+1) m_k - k m_{k-1}`` (:func:`per_batch_losses`).

Smoothing. An exponential moving average with bias correction (as in Adam):
``a_k = beta a_{k-1} + (1 - beta) l_k``, ``s_k = a_k / (1 - beta^(k+1))`` (:func:`smooth_losses`).

Suggestion. The rate at the steepest descent of the smoothed loss against ``log10(eta)``,
searched before the smoothed minimum; if the curve never falls, ``eta_min_loss / 10``
(:func:`suggest_learning_rate`). The sweep stops early once the smoothed loss exceeds
``stop_factor`` times its best value, or the loss is not finite.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import keras
import numpy as np

from gdcourse._validate import as_float_array, check_in_range, check_int, check_positive


class _BatchLosses:
    """Undo Keras's running epoch mean one batch at a time (``start_epoch`` at each epoch):
    ``l_k = (S_k m_k - S_{k-1} m_{k-1}) / n_k``."""

    def __init__(self) -> None:
        self.start_epoch()

    def start_epoch(self) -> None:
        self.total, self.mean = 0.0, 0.0  # S_{k-1}, m_{k-1}

    def add(self, running_mean: float, batch_size: float) -> float:
        total = self.total + batch_size
        loss = (total * running_mean - self.total * self.mean) / batch_size
        self.total, self.mean = total, running_mean
        return loss


class _Smoother:
    """Bias-corrected exponential moving average, one value at a time:
    ``a_k = beta a_{k-1} + (1 - beta) l_k``, ``s_k = a_k / (1 - beta^(k+1))``."""

    def __init__(self, beta: float) -> None:
        self.beta, self.avg, self.count = beta, 0.0, 0

    def add(self, loss: float) -> float:
        self.count += 1
        self.avg = self.beta * self.avg + (1.0 - self.beta) * loss
        return self.avg / (1.0 - self.beta**self.count)


def _as_1d(name: str, values: Any) -> np.ndarray:
    """A non-empty 1-D float array, or a ``TypeError``/``ValueError`` naming ``name``."""
    a = as_float_array(name, values, "a 1-D sequence of numbers")
    if a.ndim != 1 or a.size == 0:
        raise ValueError(
            f"`{name}` must be a non-empty 1-D sequence of numbers. Received shape {a.shape}"
        )
    return a


def per_batch_losses(running_means: Sequence[float], batch_sizes: Sequence[int]) -> np.ndarray:
    """Undo Keras's running epoch mean: ``l_k = (S_k m_k - S_{k-1} m_{k-1}) / n_k``.

    ``running_means[k]`` is the ``loss`` logged after batch ``k`` of one epoch and
    ``batch_sizes[k]`` that batch's number of samples (> 0).
    """
    m = _as_1d("running_means", running_means)
    n = _as_1d("batch_sizes", batch_sizes)
    if m.shape != n.shape:
        raise ValueError(
            "`running_means` and `batch_sizes` must be 1-D and of equal length. "
            f"Received lengths {m.shape} and {n.shape}"
        )
    if not (np.isfinite(n).all() and (n > 0).all()):
        raise ValueError(f"`batch_sizes` must be finite and > 0. Received: {n.tolist()}")
    losses = _BatchLosses()
    return np.array([losses.add(mk, nk) for mk, nk in zip(m.tolist(), n.tolist(), strict=True)])


def smooth_losses(losses: Sequence[float] | np.ndarray, beta: float = 0.98) -> np.ndarray:
    """Bias-corrected exponential moving average ``s_k = a_k / (1 - beta^(k+1))``.

    ``beta`` is in ``[0, 1)``; NaN/Inf losses carry through (a blown-up sweep shows as such).
    """
    beta = check_in_range("beta", beta, 0.0, 1.0)
    smoother = _Smoother(beta)
    return np.array([smoother.add(loss) for loss in _as_1d("losses", losses).tolist()])


def suggest_learning_rate(
    rates: Sequence[float] | np.ndarray, smoothed: Sequence[float] | np.ndarray, skip_start: int = 0
) -> float:
    """The rate where ``d smoothed / d log10(rate)`` is most negative, before the minimum.

    The first ``skip_start`` points are left out: an exponential moving average with factor
    ``beta`` needs about ``1 / (1 - beta)`` points before it stops being batch noise, and a
    slope measured there points at the very start of the sweep. Falls back to
    ``rate_at_min / 10`` when the curve has fewer than 3 points or never falls.
    """
    skip = check_int("skip_start", skip_start, minimum=0)
    r, s = _as_1d("rates", rates), _as_1d("smoothed", smoothed)
    if r.shape != s.shape:
        raise ValueError(
            f"`rates` and `smoothed` must have equal length. Received {r.size} and {s.size}"
        )
    if not (np.isfinite(r).all() and (r > 0).all()):
        raise ValueError("`rates` must be finite and > 0 (they are plotted on a log scale)")
    r, s = r[skip:], s[skip:]
    finite = np.isfinite(s)
    r, s = r[finite], s[finite]
    if r.size == 0:
        raise ValueError(
            "`smoothed` holds no finite loss after the first skip_start="
            f"{skip} points: the sweep blew up at once (lower `min_lr`) or was too short"
        )
    i_min = int(np.argmin(s))
    if i_min >= 2:
        slope = np.gradient(s[: i_min + 1], np.log10(r[: i_min + 1]))
        i = int(np.argmin(slope))
        if slope[i] < 0:
            return float(r[i])
    return float(max(r[i_min] / 10.0, r[0]))


@dataclass
class LRFinderResult:
    """What :func:`find_learning_rate` measured.

    Attributes:
        rates: learning rate used at each step.
        losses: smoothed losses (bias-corrected EMA), one per step.
        raw_losses: each batch's own loss (recovered from Keras's running mean).
        suggested: the suggested learning rate (steepest descent of ``losses``).
        stopped_early: True if the sweep stopped because the loss blew up.
    """

    rates: np.ndarray
    losses: np.ndarray
    raw_losses: np.ndarray
    suggested: float
    stopped_early: bool

    def plot(self, ax: Any = None) -> Any:
        """Loss against learning rate (log x-axis), raw and smoothed, suggestion marked."""
        from gdcourse.plots import new_axes, place_legend, plain_log_axis
        from gdcourse.style import run_color

        fig, ax = new_axes(ax)
        color = run_color("range test")
        ax.plot(self.rates, self.raw_losses, color=color, alpha=0.3, lw=1,
                label="batch loss")  # fmt: skip
        ax.plot(self.rates, self.losses, color=color, lw=2, label="smoothed")
        ax.axvline(self.suggested, color="black", ls="--",
                   label=f"suggested {self.suggested:.2g}")  # fmt: skip
        finite = self.losses[np.isfinite(self.losses)]
        if finite.size:
            lo, first = float(finite.min()), float(finite[0])
            ax.set_ylim(lo - 0.05 * abs(first - lo), first + 0.5 * abs(first - lo) + 1e-12)
        ax.set_xscale("log")
        plain_log_axis(ax, "x")
        ax.set_xlabel("learning rate $\\eta$ (log scale)")
        ax.set_ylabel("training loss")
        ax.set_title("Learning-rate range test")
        place_legend(ax, fontsize=9)
        return fig

    def __repr__(self) -> str:
        return (
            f"LRFinderResult(suggested={self.suggested:.3g}, steps={len(self.rates)}, "
            f"rates={self.rates[0]:.2g}..{self.rates[-1]:.2g}, stopped_early={self.stopped_early})"
        )


class _Sweep(keras.callbacks.Callback):
    """Set the rate before each batch; record the batch's own loss; stop when it blows up."""

    def __init__(self, rates: np.ndarray, sizes: list[int], beta: float, stop: float) -> None:
        super().__init__()
        self.rates, self.sizes, self.stop = rates, sizes, stop
        self.raw: list[float] = []
        self._losses, self._smoother = _BatchLosses(), _Smoother(beta)
        self._batch, self._best = 0, math.inf
        self.stopped_early = False

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._losses.start_epoch()
        self._batch = 0

    def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        self.model.optimizer.learning_rate = float(self.rates[len(self.raw)])

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        loss = self._losses.add(float((logs or {})["loss"]), self.sizes[self._batch])
        self._batch += 1
        self.raw.append(loss)
        smoothed = self._smoother.add(loss)
        self._best = min(self._best, smoothed)
        blew_up = not math.isfinite(loss) or smoothed > self.stop * self._best
        if blew_up or len(self.raw) >= len(self.rates):
            self.stopped_early = blew_up and len(self.raw) < len(self.rates)
            self.model.stop_training = True


def _check_data(x: Any, y: Any) -> int:
    """The number of rows of ``x`` and ``y``: non-empty, equal, numeric and finite."""
    for name, data in (("x", x), ("y", y)):
        a = as_float_array(name, data, "an array of numbers (as for model.fit)")
        if a.ndim == 0 or len(a) == 0:
            raise ValueError(f"`{name}` must hold at least one row. Received shape {a.shape}")
        bad = int(np.size(a) - np.isfinite(a).sum())
        if bad:
            raise ValueError(
                f"`{name}` must be finite: it holds {bad} NaN or Inf value(s) of {a.size}. "
                "Clean or impute the data before the range test."
            )
    if len(x) != len(y):
        raise ValueError(
            f"`x` and `y` must have the same number of rows. Received: {len(x)} and {len(y)}"
        )
    return len(x)


def find_learning_rate(
    model: Any,
    x: Any,
    y: Any,
    min_lr: float = 1e-6,
    max_lr: float = 1.0,
    batch_size: int = 32,
    epochs: int = 1,
    smoothing: float = 0.98,
    *,
    stop_factor: float = 4.0,
    shuffle: bool = True,
    callbacks: Sequence[Any] = (),
) -> LRFinderResult:
    """Run the learning-rate range test on a compiled model; restore it afterwards.

    Args:
        model: a compiled Keras model (its optimizer must have a float learning rate, not a
            schedule).
        x, y: training data, as for ``model.fit``: arrays of numbers with the same
            number of rows (at least one), all finite.
        min_lr, max_lr: the sweep's first and last learning rate (``0 < min_lr < max_lr``).
        batch_size: batch size of the sweep.
        epochs: epochs to spread the sweep over (usually 1).
        smoothing: ``beta`` of the moving average, in ``[0, 1)``.
        stop_factor: stop once the smoothed loss exceeds this many times its best (> 1).
        shuffle: shuffle batches, as ``fit`` does.
        callbacks: extra Keras callbacks for the sweep's ``fit`` (e.g. to watch it).

    Returns:
        An :class:`LRFinderResult`; ``result.plot()`` draws the curve. The model's weights
        and optimizer variables are restored exactly, whatever happened in the sweep.
    """
    min_lr = check_positive("min_lr", min_lr)
    max_lr = check_positive("max_lr", max_lr)
    if not max_lr > min_lr:
        raise ValueError(f"`max_lr` must be > min_lr={min_lr:g}. Received: max_lr={max_lr:g}")
    batch_size = check_int("batch_size", batch_size, minimum=1)
    epochs = check_int("epochs", epochs, minimum=1)
    smoothing = check_in_range("smoothing", smoothing, 0.0, 1.0)
    stop_factor = check_positive("stop_factor", stop_factor)
    if stop_factor <= 1:
        raise ValueError(f"`stop_factor` must be > 1. Received: stop_factor={stop_factor!r}")
    if not isinstance(model, keras.Model):
        raise TypeError(f"`model` must be a compiled keras.Model. Received: {type(model).__name__}")
    n = _check_data(x, y)
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None:
        raise ValueError("`model` must be compiled (model.compile(optimizer=..., loss=...))")
    try:  # Keras refuses to set the rate of an optimizer built with a schedule
        optimizer.learning_rate = float(keras.ops.convert_to_numpy(optimizer.learning_rate))
    except TypeError:
        raise TypeError(
            "`model`'s optimizer uses a LearningRateSchedule, whose rate cannot be set; "
            "compile it with a float learning_rate for the range test"
        ) from None
    per_epoch = math.ceil(n / batch_size)
    sizes = [batch_size] * (per_epoch - 1) + [n - batch_size * (per_epoch - 1)]
    total = per_epoch * epochs
    rates = min_lr * (max_lr / min_lr) ** (np.arange(total) / max(total - 1, 1))

    if not model.built:
        model(np.asarray(x)[:1])
    if not optimizer.built:
        optimizer.build(model.trainable_variables)
    saved_weights = [np.array(w) for w in model.get_weights()]
    saved_optimizer = [keras.ops.convert_to_numpy(v) for v in optimizer.variables]
    saved_history = getattr(model, "history", None)
    sweep = _Sweep(rates, sizes, smoothing, stop_factor)
    try:
        model.fit(x, y, batch_size=batch_size, epochs=epochs, shuffle=shuffle, verbose=0,
                  callbacks=[sweep, *callbacks])  # fmt: skip
    finally:
        model.set_weights(saved_weights)
        for variable, value in zip(optimizer.variables, saved_optimizer, strict=True):
            variable.assign(value)
        model.stop_training = False
        if saved_history is not None:
            model.history = saved_history
    raw = np.asarray(sweep.raw)
    if raw.size == 0:
        raise ValueError("the sweep recorded no batch: `x` gave model.fit nothing to train on")
    used = rates[: raw.size]
    smoothed = smooth_losses(raw, smoothing)
    return LRFinderResult(
        rates=used,
        losses=smoothed,
        raw_losses=raw,
        suggested=suggest_learning_rate(
            used, smoothed, skip_start=min(int(1 / (1 - smoothing)), len(used) // 3)
        ),
        stopped_early=sweep.stopped_early,
    )
