"""Optimizers in NumPy that follow ``keras.optimizers`` step for step.

Same argument names and defaults as Keras; each ``step(params, grads)`` returns new
parameters and keeps its state (``velocities``, ``m``, ``v``, ``iterations``) readable.

    >>> import numpy as np
    >>> from gdcourse.optim import Adam
    >>> opt = Adam(learning_rate=0.1)
    >>> w = np.array([1.0, 1.0])
    >>> for _ in range(3):
    ...     w = opt.step(w, 2 * w)
    >>> opt.iterations
    3

``opt.stepper(w)`` validates once and returns a fast ``step(w, g) -> w'`` with the same numbers
(:func:`gdcourse.paths.run` uses it); ``opt.to_keras()`` builds the Keras twin.
:data:`REGISTRY` lists the course's optimizer configurations; the playground's presets, the
colours, the Keras parity tests and the path benchmark derive from it.
"""

from __future__ import annotations

from gdcourse.optim._base import Optimizer
from gdcourse.optim.adagrad import Adagrad
from gdcourse.optim.adam import Adam, AdamW
from gdcourse.optim.presets import PRESETS, make_optimizer
from gdcourse.optim.registry import REGISTRY, Entry
from gdcourse.optim.rmsprop import RMSprop
from gdcourse.optim.sgd import SGD

__all__ = [
    "SGD",
    "RMSprop",
    "Adagrad",
    "Adam",
    "AdamW",
    "Optimizer",
    "REGISTRY",
    "Entry",
    "PRESETS",
    "make_optimizer",
]
