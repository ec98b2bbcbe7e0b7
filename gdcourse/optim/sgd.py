"""Stochastic gradient descent, with optional (Nesterov) momentum, as Keras computes it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from gdcourse.optim._base import LearningRate, Optimizer, check_unit_interval

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from gdcourse.optim._base import SharedArgs


class SGD(Optimizer):
    """Gradient descent with optional momentum; the twin of ``keras.optimizers.SGD``.

    With learning rate ``lr`` (eta), momentum ``mu`` and gradient ``g``::

        momentum == 0:   w <- w - lr * g
        momentum  > 0:   v <- mu * v - lr * g              # velocity, starts at 0
                         w <- w + v
        nesterov=True:   v <- mu * v - lr * g
                         w <- w + mu * v - lr * g          # look one step ahead

    Args:
        learning_rate: float > 0 or a schedule of the 0-based step. Defaults to 0.01.
        momentum: mu in [0, 1). 0 is plain gradient descent. Defaults to 0.0.
        nesterov: use Nesterov momentum. Defaults to False.
        weight_decay, clipnorm, clipvalue, global_clipnorm, allow_nonfinite (keywords):
            see :class:`gdcourse.optim.Optimizer`.

    State: ``velocities`` (one array per parameter, when momentum > 0), ``iterations``.

    Example:
        >>> import numpy as np
        >>> opt = SGD(learning_rate=0.1, momentum=0.9)
        >>> w = np.array([1.0, -2.0])
        >>> w = opt.step(w, grads=2 * w)          # f(w) = |w|^2, grad 2w
        >>> w
        array([ 0.8, -1.6])

    Reference: Sutskever et al., 2013, "On the importance of initialization and momentum".
    """

    _hyper = ("momentum", "nesterov")
    _slots = ("velocities",)

    def __init__(
        self,
        learning_rate: LearningRate = 0.01,
        momentum: float = 0.0,
        nesterov: bool = False,
        **shared: Unpack[SharedArgs],
    ) -> None:
        self.momentum = check_unit_interval("momentum", momentum)
        self.nesterov = bool(nesterov)
        super().__init__(learning_rate, **shared)

    def _build(self, ws: list[np.ndarray]) -> None:
        self.velocities = [np.zeros_like(w) for w in ws] if self.momentum > 0 else []

    def _update(self, w: Any, g: Any, lr: float, state: tuple, xp: Any) -> tuple[Any, tuple]:
        if self.momentum == 0:
            return w - lr * g, state
        mu, (v,) = self.momentum, state
        v = mu * v - lr * g
        if self.nesterov:
            return w + (mu * v - lr * g), (v,)
        return w + v, (v,)
