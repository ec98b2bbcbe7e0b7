"""RMSprop (plain and centered, with optional momentum), as Keras computes it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from gdcourse._validate import check_non_negative
from gdcourse.optim._base import LearningRate, Optimizer, check_unit_interval

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from gdcourse.optim._base import SharedArgs


class RMSprop(Optimizer):
    """RMSprop; the twin of ``keras.optimizers.RMSprop``.

    Divide the gradient by a running root-mean-square of recent gradients::

        v <- rho * v + (1 - rho) * g**2               # mean square, starts at 0
        centered:  a <- rho * a + (1 - rho) * g       # mean gradient
                   step = lr * g / sqrt(v - a**2 + eps)
        otherwise: step = lr * g / sqrt(v + eps)      # eps inside the root, as in Keras
        momentum > 0:  s <- momentum * s + step;  w <- w - s
        otherwise:     w <- w - step

    Args:
        learning_rate: float > 0 or a schedule of the 0-based step. Defaults to 0.001.
        rho: decay rate of the averages, in [0, 1). Defaults to 0.9.
        momentum: in [0, 1). Defaults to 0.0.
        epsilon: eps >= 0. Defaults to 1e-7.
        centered: divide by an estimate of the gradient's variance instead of its second
            moment. Defaults to False.
        weight_decay, clipnorm, clipvalue, global_clipnorm, allow_nonfinite (keywords):
            see :class:`gdcourse.optim.Optimizer`.

    State: ``velocities`` (v), ``average_gradients`` (a, when centered), ``momentums``
    (s, when momentum > 0), one array per parameter; ``iterations``.

    Example:
        >>> import numpy as np
        >>> opt = RMSprop(learning_rate=0.1)
        >>> np.round(opt.step(np.array([10.0]), np.array([10.0])), 6)  # 10 - 0.1/sqrt(0.1)
        array([9.683772])

    Reference: Hinton, 2012, Neural Networks for Machine Learning, lecture 6e.
    """

    _hyper = ("rho", "momentum", "epsilon", "centered")
    _slots = ("velocities", "average_gradients", "momentums")

    def __init__(
        self,
        learning_rate: LearningRate = 0.001,
        rho: float = 0.9,
        momentum: float = 0.0,
        epsilon: float = 1e-7,
        centered: bool = False,
        **shared: Unpack[SharedArgs],
    ) -> None:
        self.rho = check_unit_interval("rho", rho)
        self.momentum = check_unit_interval("momentum", momentum)
        self.epsilon = check_non_negative("epsilon", epsilon)
        self.centered = bool(centered)
        super().__init__(learning_rate, **shared)

    def _build(self, ws: list[np.ndarray]) -> None:
        self.velocities = [np.zeros_like(w) for w in ws]
        self.average_gradients = [np.zeros_like(w) for w in ws] if self.centered else []
        self.momentums = [np.zeros_like(w) for w in ws] if self.momentum > 0 else []

    def _update(self, w: Any, g: Any, lr: float, state: tuple, xp: Any) -> tuple[Any, tuple]:
        rho, eps = self.rho, self.epsilon
        v, a, s = state
        v = rho * v + (1 - rho) * (g * g)
        if self.centered:
            a = rho * a + (1 - rho) * g
            step = lr * g / xp.sqrt(v - a * a + eps)
        else:
            step = lr * g / xp.sqrt(v + eps)
        if self.momentum > 0:
            s = self.momentum * s + step
            return w - s, (v, a, s)
        return w - step, (v, a, s)
