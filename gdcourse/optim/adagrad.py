"""Adagrad, as Keras computes it (accumulator starts at 0.1, epsilon inside the root)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from gdcourse._validate import check_non_negative
from gdcourse.optim._base import LearningRate, Optimizer

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from gdcourse.optim._base import SharedArgs


class Adagrad(Optimizer):
    """Adagrad; the twin of ``keras.optimizers.Adagrad``.

    Each coordinate's step shrinks with the sum of its squared gradients so far::

        G <- G + g**2                       # G starts at initial_accumulator_value
        w <- w - lr * g / sqrt(G + eps)

    Args:
        learning_rate: float > 0 or a schedule of the 0-based step. Defaults to 0.001.
        initial_accumulator_value: G at the start, >= 0. Defaults to 0.1.
        epsilon: eps >= 0. Defaults to 1e-7.
        weight_decay, clipnorm, clipvalue, global_clipnorm, allow_nonfinite (keywords):
            see :class:`gdcourse.optim.Optimizer`.

    State: ``accumulators`` (G), one array per parameter; ``iterations``.

    Example:
        >>> import numpy as np
        >>> opt = Adagrad(learning_rate=0.1, initial_accumulator_value=0.0, epsilon=0.0)
        >>> opt.step(np.array([1.0, 1.0]), np.array([2.0, -0.5]))   # first step: lr * sign(g)
        array([0.9, 1.1])

    Reference: Duchi, Hazan & Singer, 2011, "Adaptive Subgradient Methods".
    """

    _hyper = ("initial_accumulator_value", "epsilon")
    _slots = ("accumulators",)

    def __init__(
        self,
        learning_rate: LearningRate = 0.001,
        initial_accumulator_value: float = 0.1,
        epsilon: float = 1e-7,
        **shared: Unpack[SharedArgs],
    ) -> None:
        self.initial_accumulator_value = check_non_negative(
            "initial_accumulator_value", initial_accumulator_value
        )
        self.epsilon = check_non_negative("epsilon", epsilon)
        super().__init__(learning_rate, **shared)

    def _build(self, ws: list[np.ndarray]) -> None:
        self.accumulators = [np.full_like(w, self.initial_accumulator_value) for w in ws]

    def _update(self, w: Any, g: Any, lr: float, state: tuple, xp: Any) -> tuple[Any, tuple]:
        (G,) = state
        G = G + g * g
        return w - lr * g / xp.sqrt(G + self.epsilon), (G,)
