"""Per-layer gradient norms during training.

Keras 3 callbacks never see the gradients ``fit`` computes. :class:`GradientNormLogger`
therefore recomputes them itself: every ``every`` optimizer steps, in
``on_train_batch_end``, it runs the model on a fixed *probe batch* ``(x, y)`` under a
``tf.GradientTape``, takes the gradient of the compiled loss (``model.compute_loss``, which
includes regularisation losses) with respect to every trainable weight, and records for each
layer

    ||g_layer||_2 = sqrt( sum over the layer's trainable weights W of sum(dL/dW ** 2) ).

The probe batch is the same at every record, so the curves show how the gradient changes
with the weights, not the noise of the batches ``fit`` happens to draw. The forward pass
uses ``training=False`` (dropout off) so a record is deterministic. Cost: one forward and
backward pass on the probe batch per record.
"""

from __future__ import annotations

from typing import Any

import keras
import numpy as np
import tensorflow as tf

from gdcourse._validate import check_int


def leaf_layers(model: Any) -> list[Any]:
    """Layers that own trainable weights directly, in the model's order (nested models opened)."""
    out: list[Any] = []
    for layer in getattr(model, "layers", []):
        if getattr(layer, "layers", None):
            out.extend(leaf_layers(layer))
        elif layer.trainable_weights:
            out.append(layer)
    return out


def layer_gradient_norms(model: Any, x: Any, y: Any) -> dict[str, float]:
    """``{layer name: ||dL/dW_layer||_2}`` for the compiled loss on ``(x, y)``.

    The loss is ``model.compute_loss`` on ``model(x, training=False)``.
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"`model` must be a compiled keras.Model. Received: {type(model).__name__}")
    layers = leaf_layers(model)
    weights = [w for layer in layers for w in layer.trainable_weights]
    with tf.GradientTape() as tape:
        y_pred = model(x, training=False)
        loss = model.compute_loss(x=x, y=y, y_pred=y_pred, training=False)
    grads = tape.gradient(loss, weights)
    norms: dict[str, float] = {}
    i = 0
    for layer in layers:
        total = 0.0
        for _ in layer.trainable_weights:
            g = grads[i]
            i += 1
            if g is not None:
                total += float(tf.reduce_sum(tf.square(tf.cast(g, tf.float64))))
        norms[layer.name] = float(np.sqrt(total))
    return norms


class GradientNormLogger(keras.callbacks.Callback):
    """Record per-layer gradient norms on a fixed probe batch every ``every`` steps.

    Args:
        x, y: training inputs and targets; the first ``batch_size`` rows are the probe batch.
        every: record after every ``every``-th optimizer step (and once before training).
        batch_size: probe batch size (rows of ``x`` used).

    Attributes:
        steps: the optimizer step count of each record (0 = before the first step).
        norms: ``{layer name: [norm at each record]}``, layers in the model's order.

    Steps keep counting across several ``fit`` calls. Plot with
    ``gdcourse.plots.gradient_norms(logger)``.
    """

    def __init__(self, x: Any, y: Any, every: int = 10, batch_size: int = 256) -> None:
        super().__init__()
        self.every = check_int("every", every, minimum=1)
        self.batch_size = check_int("batch_size", batch_size, minimum=1)
        probe = {}
        for name, data in (("x", x), ("y", y)):
            a = np.asarray(data)
            if a.ndim == 0 or not np.issubdtype(a.dtype, np.number):
                raise TypeError(
                    f"`{name}` must be an array of numbers with one row per sample. "
                    f"Received: {type(data).__name__} of dtype {a.dtype}"
                )
            probe[name] = a[: self.batch_size]
            if not np.isfinite(probe[name]).all():
                raise ValueError(f"`{name}` must be finite in the probe batch (its first rows)")
        if len(x) == 0 or len(y) != len(x):
            raise ValueError(
                f"`x` and `y` must be non-empty with the same number of rows. "
                f"Received: len(x)={len(x)}, len(y)={len(y)}"
            )
        self.x = tf.convert_to_tensor(probe["x"])
        self.y = tf.convert_to_tensor(probe["y"])
        self.steps: list[int] = []
        self.norms: dict[str, list[float]] = {}
        self._step = 0

    def record(self) -> dict[str, float]:
        """Compute the norms now, append them with the current step, and return them."""
        norms = layer_gradient_norms(self.model, self.x, self.y)
        self.steps.append(self._step)
        for name, value in norms.items():
            self.norms.setdefault(name, []).append(value)
        return norms

    def on_train_begin(self, logs: dict | None = None) -> None:
        if not self.steps:
            self.record()

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self._step += 1
        if self._step % self.every == 0:
            self.record()

    def __repr__(self) -> str:
        return (
            f"GradientNormLogger(every={self.every}, batch_size={self.batch_size}, "
            f"records={len(self.steps)}, layers={list(self.norms)})"
        )
