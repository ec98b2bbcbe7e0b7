"""Adam and AMSGrad, as Keras computes them (bias correction folded into the step size)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from gdcourse._validate import check_non_negative
from gdcourse.optim._base import LearningRate, Optimizer, check_unit_interval

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from gdcourse.optim._base import SharedArgs


class Adam(Optimizer):
    """Adam (and AMSGrad); the twin of ``keras.optimizers.Adam``.

    With step ``t = iterations + 1``, decay rates ``b1, b2``, gradient ``g``::

        m <- m + (1 - b1) * (g - m)            # = b1*m + (1-b1)*g, 1st moment
        v <- v + (1 - b2) * (g**2 - v)         # = b2*v + (1-b2)*g^2, 2nd moment
        alpha = lr * sqrt(1 - b2**t) / (1 - b1**t)   # bias correction in the step size
        amsgrad:  v_hat <- max(v_hat, v);  v = v_hat
        w <- w - alpha * m / (sqrt(v) + eps)

    ``eps`` is the paper's "epsilon hat": it sits outside the square root and is not
    bias-corrected, so it differs slightly from Algorithm 1 of Kingma & Ba.

    Args:
        learning_rate: float > 0 or a schedule of the 0-based step. Defaults to 0.001.
        beta_1: b1 in [0, 1). Defaults to 0.9.
        beta_2: b2 in [0, 1). Defaults to 0.999.
        epsilon: eps >= 0. Defaults to 1e-7.
        amsgrad: use the AMSGrad variant (Reddi et al., 2018). Defaults to False.
        weight_decay, clipnorm, clipvalue, global_clipnorm, allow_nonfinite (keywords):
            see :class:`gdcourse.optim.Optimizer`.

    State: ``m``, ``v`` (and ``v_hat`` with amsgrad), one array per parameter;
    ``iterations``.

    Example:
        >>> import numpy as np
        >>> opt = Adam(learning_rate=0.1)
        >>> w = opt.step(np.array([1.0, -2.0]), np.array([2.0, -4.0]))
        >>> np.round(w, 4)                      # the first step moves each entry by ~lr
        array([ 0.9, -1.9])

    Reference: Kingma & Ba, 2015, "Adam: A Method for Stochastic Optimization".
    """

    _hyper = ("beta_1", "beta_2", "epsilon", "amsgrad")
    _slots = ("m", "v", "v_hat")

    def __init__(
        self,
        learning_rate: LearningRate = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        amsgrad: bool = False,
        **shared: Unpack[SharedArgs],
    ) -> None:
        self.beta_1 = check_unit_interval("beta_1", beta_1)
        self.beta_2 = check_unit_interval("beta_2", beta_2)
        self.epsilon = check_non_negative("epsilon", epsilon)
        self.amsgrad = bool(amsgrad)
        super().__init__(learning_rate, **shared)

    def _build(self, ws: list[np.ndarray]) -> None:
        self.m = [np.zeros_like(w) for w in ws]
        self.v = [np.zeros_like(w) for w in ws]
        self.v_hat = [np.zeros_like(w) for w in ws] if self.amsgrad else []

    def _update(self, w: Any, g: Any, alpha: float, state: tuple, xp: Any) -> tuple[Any, tuple]:
        b1, b2 = self.beta_1, self.beta_2
        m, v, v_hat = state
        m = m + (g - m) * (1 - b1)
        v = v + (g * g - v) * (1 - b2)
        if self.amsgrad:
            v_hat = xp.maximum(v_hat, v)
            return w - m * alpha / (xp.sqrt(v_hat) + self.epsilon), (m, v, v_hat)
        return w - m * alpha / (xp.sqrt(v) + self.epsilon), (m, v, v_hat)

    def _rate(self, lr: float, dtype: Any) -> float:
        """alpha = lr * sqrt(1 - b2**t) / (1 - b1**t), t = iterations + 1, in ``dtype``."""
        t = self.iterations + 1
        if dtype is float or dtype == np.float64:  # Python floats are float64, and fast
            return lr * math.sqrt(1 - self.beta_2**t) / (1 - self.beta_1**t)
        b1, b2, t = dtype.type(self.beta_1), dtype.type(self.beta_2), dtype.type(t)
        return lr * np.sqrt(1 - b2**t) / (1 - b1**t)


class AdamW(Adam):
    """Adam with decoupled weight decay; the twin of ``keras.optimizers.AdamW``.

    Before the Adam update (see :class:`Adam`) the weights shrink by a fraction of the
    learning rate, independent of the gradient::

        w <- w - w * weight_decay * lr
        w <- Adam update of w with the (clipped) gradient g

    Args:
        learning_rate: float > 0 or a schedule. Defaults to 0.001.
        weight_decay: >= 0. Defaults to 0.004.
        beta_1, beta_2, epsilon, amsgrad: as in :class:`Adam`.
        clipnorm, clipvalue, global_clipnorm, allow_nonfinite (keywords): see
            :class:`gdcourse.optim.Optimizer`.

    Example:
        >>> import numpy as np
        >>> opt = AdamW(learning_rate=0.1, weight_decay=0.5)
        >>> np.round(opt.step(np.array([2.0]), np.array([1.0])), 4)   # 2*(1-0.05) - 0.1
        array([1.8])

    Reference: Loshchilov & Hutter, 2019, "Decoupled Weight Decay Regularization".
    """

    def __init__(  # type: ignore[misc]  # weight_decay: required here, optional in SharedArgs
        self,
        learning_rate: LearningRate = 0.001,
        weight_decay: float = 0.004,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        amsgrad: bool = False,
        **shared: Unpack[SharedArgs],
    ) -> None:
        if weight_decay is None:
            raise ValueError(
                "`weight_decay` must be a number >= 0 for AdamW. Received: weight_decay=None"
            )
        super().__init__(
            learning_rate,
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            amsgrad=amsgrad,
            weight_decay=weight_decay,
            **shared,
        )
