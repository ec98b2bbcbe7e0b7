"""Training logs for notebooks: :class:`CompactLog` and :class:`NaNGuard`."""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from typing import Any, TextIO

import keras
import numpy as np

from gdcourse._validate import check_int
from gdcourse.diagnostics.gradients import leaf_layers


def format_number(value: Any, digits: int = 4) -> str:
    """``value`` with ``digits`` significant digits, trailing zeros kept: ``0.4123``,
    ``12.30``, ``1.235e+04``; ``nan``/``inf`` as such."""
    digits = check_int("digits", digits, minimum=1)
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"`value` must be a number. Received: value={value!r}") from None
    if not math.isfinite(v):
        return str(v)
    return f"{v:#.{digits}g}".rstrip(".")


class CompactLog(keras.callbacks.Callback):
    """Print one line every ``every`` epochs, and a final line; nothing else.

    ::

        epoch  10  loss 0.4123  val_loss 0.4310
        epoch  20  loss 0.3012  val_loss 0.3398
        final epoch 25  loss 0.2877  val_loss 0.3301

    Numbers have 4 significant digits and there are no timings or progress bars, so two runs
    print the same text (what nbval compares). Use with ``fit(..., verbose=0)``.

    Args:
        every: print after epochs ``every, 2*every, ...`` (1-based, as Keras prints them).
        metrics: names to show, in this order; default all of ``logs`` in Keras's order.
        digits: significant digits.
        file: where to print (default ``sys.stdout`` at print time).
    """

    def __init__(
        self,
        every: int = 10,
        metrics: Sequence[str] | None = None,
        digits: int = 4,
        file: TextIO | None = None,
    ) -> None:
        super().__init__()
        self.every = check_int("every", every, minimum=1)
        self.digits = check_int("digits", digits, minimum=1)
        if isinstance(metrics, str):
            metrics = [metrics]
        if metrics is not None and not (
            isinstance(metrics, Sequence) and all(isinstance(m, str) for m in metrics)
        ):
            raise TypeError(
                f"`metrics` must be a metric name, a list of names or None. Received: {metrics!r}"
            )
        self.metrics = list(metrics) if metrics is not None else None
        if file is not None and not hasattr(file, "write"):
            raise TypeError(f"`file` must be a writable text stream or None. Received: {file!r}")
        self.file = file
        self._last: tuple[int, dict] | None = None

    def _line(self, epoch: int, logs: dict) -> str:
        names = self.metrics if self.metrics is not None else list(logs)
        width = len(str(self.params.get("epochs", epoch))) if self.params else len(str(epoch))
        parts = [f"epoch {epoch:>{width}d}"]
        for name in names:
            if name in logs:
                parts.append(f"{name} {format_number(logs[name], self.digits)}")
        return "  ".join(parts)

    def _print(self, text: str) -> None:
        print(text, file=self.file or sys.stdout)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        logs = dict(logs or {})
        self._last = (epoch + 1, logs)
        if (epoch + 1) % self.every == 0:
            self._print(self._line(epoch + 1, logs))

    def on_train_end(self, logs: dict | None = None) -> None:
        if self._last is not None:
            self._print("final " + self._line(*self._last))


class NaNGuard(keras.callbacks.Callback):
    """Stop training at the first non-finite batch loss and say where it went wrong.

    After each batch it checks ``logs["loss"]``; Keras reports the running mean over the
    epoch, which turns non-finite at the same batch as the batch loss itself. It then looks
    through the layers in model order for the first whose weights hold NaN or Inf (after that
    batch's update) and prints one line, e.g.::

        NaNGuard: loss is inf at step 4 (epoch 1, batch 4); first layer with non-finite
        weights: 'hidden' (kernel). Training stopped.

    Attributes (all counts 1-based, as a person counts; ``None`` until something happens):
        bad_step: optimizer step (batch) number since training began.
        bad_epoch, bad_batch: epoch number and batch number within that epoch.
        bad_layer: name of the first layer with non-finite weights, or ``None`` if the
            weights were still finite (the forward pass overflowed).
        bad_loss: the loss value that triggered the stop.
    """

    def __init__(self, verbose: bool = True) -> None:
        super().__init__()
        self.verbose = verbose
        self.bad_step: int | None = None
        self.bad_epoch: int | None = None
        self.bad_batch: int | None = None
        self.bad_layer: str | None = None
        self.bad_loss: float | None = None
        self.message: str | None = None
        self._step = 0
        self._epoch = 0

    def on_train_begin(self, logs: dict | None = None) -> None:
        self._step = 0
        self.bad_step = self.bad_epoch = self.bad_batch = None
        self.bad_layer = self.bad_loss = self.message = None

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._epoch = epoch

    def first_bad_layer(self) -> tuple[str, str] | None:
        """``(layer name, weight name)`` of the first weight holding NaN/Inf, or ``None``."""
        for layer in leaf_layers(self.model):
            for w in layer.weights:
                if not np.isfinite(keras.ops.convert_to_numpy(w)).all():
                    return layer.name, w.name
        return None

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self._step += 1
        loss = (logs or {}).get("loss")
        if loss is None or math.isfinite(float(loss)):
            return
        self.bad_step, self.bad_epoch, self.bad_batch = self._step, self._epoch + 1, batch + 1
        self.bad_loss = float(loss)
        bad = self.first_bad_layer()
        if bad is not None:
            self.bad_layer = bad[0]
            where = f"first layer with non-finite weights: {bad[0]!r} ({bad[1]})"
        else:
            where = "all weights are still finite (the forward pass overflowed)"
        self.message = (
            f"NaNGuard: loss is {self.bad_loss} at step {self.bad_step} (epoch "
            f"{self.bad_epoch}, batch {self.bad_batch}); {where}. Training stopped."
        )
        if self.verbose:
            print(self.message)
        self.model.stop_training = True
