"""Keras 3 callbacks and helpers that show what gradient descent is doing.

- :class:`GradientNormLogger`: per-layer gradient norms on a fixed probe batch, every N steps.
- :func:`find_learning_rate`: the learning-rate range test; leaves the model as it found it.
- :class:`CompactLog`: a deterministic one-line-every-k-epochs log (stable under nbval).
- :class:`NaNGuard`: stops at the first non-finite loss and names the first bad layer.

Importing this module imports TensorFlow (quietly, see :mod:`gdcourse._quiet`).

    >>> from gdcourse.diagnostics import CompactLog, GradientNormLogger, NaNGuard
    >>> from gdcourse.training import dense_regressor, housing_splits
    >>> data = housing_splits()
    >>> model = dense_regressor(hidden=(8,))
    >>> model.compile("sgd", "mse")
    >>> grads = GradientNormLogger(data.x_train[:256], data.y_train[:256], every=10)
    >>> history = model.fit(data.x_train, data.y_train, epochs=2, batch_size=256, verbose=0,
    ...                     callbacks=[CompactLog(1), grads, NaNGuard()])  # doctest: +ELLIPSIS
    epoch 1  loss ...
    epoch 2  loss ...
    final epoch 2  loss ...
    >>> sorted(grads.norms)
    ['dense', 'dense_1']
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
