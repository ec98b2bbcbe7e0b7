"""Keras 3 callbacks and helpers that show what gradient descent is doing.

- :class:`GradientNormLogger`: per-layer gradient norms on a fixed probe batch, every N steps.
- :func:`find_learning_rate`: the learning-rate range test; leaves the model as it found it.
- :class:`CompactLog`: a deterministic one-line-every-k-epochs log (stable under nbval).
- :class:`NaNGuard`: stops at the first non-finite loss and names the first bad layer.

Importing this package imports no TensorFlow; the first name used from it imports TensorFlow
(quietly, see :mod:`gdcourse._quiet`) and the submodule that defines the name.

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

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gdcourse.diagnostics.callbacks import CompactLog, NaNGuard, format_number
    from gdcourse.diagnostics.gradients import (
        GradientNormLogger,
        layer_gradient_norms,
        leaf_layers,
    )
    from gdcourse.diagnostics.lr_finder import (
        LRFinderResult,
        find_learning_rate,
        per_batch_losses,
        smooth_losses,
        suggest_learning_rate,
    )

#: Public name -> the submodule that defines it (imported, with TensorFlow, on first use).
_WHERE = {
    "CompactLog": "callbacks",
    "NaNGuard": "callbacks",
    "format_number": "callbacks",
    "GradientNormLogger": "gradients",
    "layer_gradient_norms": "gradients",
    "leaf_layers": "gradients",
    "LRFinderResult": "lr_finder",
    "find_learning_rate": "lr_finder",
    "per_batch_losses": "lr_finder",
    "smooth_losses": "lr_finder",
    "suggest_learning_rate": "lr_finder",
}

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


def __getattr__(name: str) -> Any:
    """Import the submodule holding ``name`` on first use, TensorFlow quietly first."""
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from gdcourse._quiet import import_tensorflow_quietly

    import_tensorflow_quietly()
    value = getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])
