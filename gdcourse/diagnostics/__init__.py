"""Keras 3 callbacks and helpers that show what gradient descent is doing.

- :class:`GradientNormLogger`: per-layer gradient norms on a fixed probe batch, every N steps.
- :func:`find_learning_rate`: the learning-rate range test; leaves the model as it found it.
- :class:`CompactLog`: a deterministic one-line-every-k-epochs log (stable under nbval).
- :class:`NaNGuard`: stops at the first non-finite loss and names the first bad layer.

Importing this module imports TensorFlow (quietly, see :mod:`gdcourse._quiet`).

    >>> from gdcourse.diagnostics import CompactLog, GradientNormLogger, NaNGuard
    >>> grads = GradientNormLogger(x_train[:256], y_train[:256], every=10)
    >>> model.fit(x, y, epochs=50, verbose=0, callbacks=[CompactLog(10), grads, NaNGuard()])
"""

from __future__ import annotations

from gdcourse._quiet import import_tensorflow_quietly

import_tensorflow_quietly()

from gdcourse.diagnostics.callbacks import CompactLog, NaNGuard, format_number  # noqa: E402
from gdcourse.diagnostics.gradients import (  # noqa: E402
    GradientNormLogger,
    layer_gradient_norms,
    leaf_layers,
)
from gdcourse.diagnostics.lr_finder import (  # noqa: E402
    LRFinderResult,
    find_learning_rate,
    per_batch_losses,
    smooth_losses,
    suggest_learning_rate,
)

__all__ = [
    "CompactLog",
    "GradientNormLogger",
    "LRFinderResult",
    "NaNGuard",
    "find_learning_rate",
    "format_number",
    "layer_gradient_norms",
    "leaf_layers",
    "per_batch_losses",
    "smooth_losses",
    "suggest_learning_rate",
]
