"""What every optimizer shares: parameter/gradient handling, clipping, schedules, weight decay.

An optimizer subclass only writes ``_build`` (create its state, like Keras's ``build``) and
``_update`` (one parameter's update rule). :meth:`Optimizer.step` runs the same pipeline as
Keras's ``apply_gradients``:

1. clip the gradients (``clipnorm``, ``global_clipnorm`` or ``clipvalue``; at most one);
2. read the learning rate ``lr = schedule(t)`` at the 0-based step count ``t``;
3. decay the weights, ``w <- w - w * weight_decay * lr`` (when ``weight_decay`` is set);
4. apply the optimizer's own update rule to each parameter;
5. ``t <- t + 1``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from gdcourse._validate import check_in_range, check_non_negative, check_positive

ArrayOrList = np.ndarray | Sequence[np.ndarray]
LearningRate = float | Callable[[int], float]


def _check_clip(name: str, value: float | None) -> float | None:
    return None if value is None else check_positive(name, value)


def check_unit_interval(name: str, value: float) -> float:
    """A decay rate such as ``momentum``, ``rho`` or ``beta_1``: a number in [0, 1)."""
    return check_in_range(name, value, 0.0, 1.0)


class Optimizer:
    """Base class: shared arguments, the ``step`` pipeline, ``iterations`` and ``reset()``.

    Args:
        learning_rate: a float > 0, or a schedule: a callable of the 0-based step count
            (e.g. a :mod:`gdcourse.schedules` object) returning the learning rate.
        weight_decay: if set, ``w <- w - w * weight_decay * lr`` before each update.
        clipnorm: clip each gradient to this L2 norm.
        clipvalue: clip each gradient entry to ``[-clipvalue, clipvalue]``.
        global_clipnorm: clip all gradients together to this global L2 norm.
        allow_nonfinite: accept NaN/Inf gradients instead of raising ``ValueError``.
    """

    #: Hyperparameters shown by ``repr`` (besides the shared ones); set by subclasses.
    _hyper: tuple[str, ...] = ()
    #: Names of the per-parameter state lists; ``reset()`` empties them.
    _slots: tuple[str, ...] = ()

    def __init__(
        self,
        learning_rate: LearningRate,
        *,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        allow_nonfinite: bool = False,
    ) -> None:
        if callable(learning_rate):
            self.learning_rate: LearningRate = learning_rate
        else:
            self.learning_rate = check_positive("learning_rate", learning_rate)
        self.weight_decay = (
            None if weight_decay is None else check_non_negative("weight_decay", weight_decay)
        )
        self.clipnorm = _check_clip("clipnorm", clipnorm)
        self.clipvalue = _check_clip("clipvalue", clipvalue)
        self.global_clipnorm = _check_clip("global_clipnorm", global_clipnorm)
        n_clip = sum(c is not None for c in (clipnorm, clipvalue, global_clipnorm))
        if n_clip > 1:
            raise ValueError(
                "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. "
                f"Received: clipnorm={clipnorm}, clipvalue={clipvalue}, "
                f"global_clipnorm={global_clipnorm}"
            )
        self._clipping = n_clip > 0
        self.allow_nonfinite = bool(allow_nonfinite)
        self.reset()

    # ----------------------------------------------------------------- public API
    def reset(self) -> None:
        """Forget all state: ``iterations = 0`` and empty moment/velocity lists."""
        self.iterations = 0
        self._shapes: list[tuple[int, ...]] | None = None
        for slot in self._slots:
            setattr(self, slot, [])

    def current_learning_rate(self) -> float:
        """The learning rate the next ``step`` will use: ``schedule(iterations)``."""
        return self._lr(self.iterations)

    def step(self, params: ArrayOrList, grads: ArrayOrList) -> ArrayOrList:
        """Return the parameters after one update. Inputs are never modified.

        ``params`` and ``grads`` are an array or a list (or tuple) of arrays of matching
        shapes; the result is of the same kind. Arithmetic follows the dtype of ``params``
        (float32 in, float32 math, as in Keras); integer params are promoted to float64.
        """
        single = not isinstance(params, (list, tuple))
        ws = [params] if single else list(params)
        if single == isinstance(grads, (list, tuple)):
            raise TypeError(
                "`grads` must be of the same kind as `params` (an array, or a list of arrays). "
                f"Received: params of type {type(params).__name__}, "
                f"grads of type {type(grads).__name__}"
            )
        gs = [grads] if single else list(grads)
        ws, gs = self._check(ws, gs)
        new = self._apply(ws, gs)
        return new[0] if single else type(params)(new)

    # ----------------------------------------------------------------- internals
    def _check(self, ws: list, gs: list) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Validate shapes, dtypes and finiteness; build state on the first call."""
        if len(ws) != len(gs):
            raise ValueError(
                "`grads` must have one array per parameter. "
                f"Received: {len(ws)} params and {len(gs)} grads"
            )
        ws = [_as_float_array("params", w) for w in ws]
        gs = [np.asarray(g) for g in gs]
        for i, (w, g) in enumerate(zip(ws, gs, strict=True)):
            if w.shape != g.shape:
                raise ValueError(
                    f"`grads` must match the shapes of `params`. Received: params[{i}] of "
                    f"shape {w.shape} and grads[{i}] of shape {g.shape}"
                )
            if not self.allow_nonfinite and not np.isfinite(g).all():
                raise ValueError(
                    f"`grads` must be finite (got NaN or Inf in grads[{i}]); pass "
                    "allow_nonfinite=True to the optimizer to accept them. "
                    f"Received: grads[{i}]={g!r}"
                )
        shapes = [w.shape for w in ws]
        if self._shapes is None:
            self._shapes = shapes
            self._build(ws)
        elif shapes != self._shapes:
            raise ValueError(
                "`params` must keep the shapes of the first step "
                f"(call reset() to start over). Expected: {self._shapes}, received: {shapes}"
            )
        return ws, [g.astype(w.dtype, copy=False) for w, g in zip(ws, gs, strict=True)]

    def _lr(self, t: int) -> float:
        lr = self.learning_rate
        if not isinstance(lr, float):
            lr = float(lr(t))
            if not (math.isfinite(lr) and lr >= 0):
                raise ValueError(
                    f"`learning_rate` schedule must return a finite number >= 0. "
                    f"Received: learning_rate({t})={lr}"
                )
        return lr

    def _clip(self, gs: list[np.ndarray]) -> list[np.ndarray]:
        """Keras's clipping: ``g * c / max(|g|, c)`` per gradient or for all together,
        or each entry into ``[-c, c]``. Norms are float32 for float32 gradients, as in Keras."""
        if self.clipnorm is not None:  # each gradient to norm <= c
            out = []
            for g in gs:
                c = g.dtype.type(self.clipnorm)
                norm = np.sqrt(np.vdot(g, g))
                out.append(g * c / max(norm, c))
            return out
        if self.global_clipnorm is not None:  # all gradients together to norm <= c
            c = gs[0].dtype.type(self.global_clipnorm)
            norm = np.sqrt(sum(np.vdot(g, g) for g in gs))
            return [g * c / max(norm, c) for g in gs]
        if self.clipvalue is not None:  # each entry into [-c, c]
            return [np.clip(g, -self.clipvalue, self.clipvalue) for g in gs]
        return gs

    def _apply(self, ws: list[np.ndarray], gs: list[np.ndarray]) -> list[np.ndarray]:
        """The Keras pipeline on validated arrays: clip, decay, update, count.

        ``lr`` stays a Python float: NumPy treats it as a "weak" scalar, so float32 params
        give float32 arithmetic with ``lr`` rounded to float32, exactly as Keras casts it.
        """
        if self._clipping:
            gs = self._clip(gs)
        lr = self.learning_rate
        if type(lr) is not float:
            lr = self._lr(self.iterations)
        if self.weight_decay is not None:
            ws = [w - w * self.weight_decay * lr for w in ws]
        new = [self._update(i, ws[i], gs[i], lr) for i in range(len(ws))]
        self.iterations += 1
        return new

    def _build(self, ws: list[np.ndarray]) -> None:
        """Create the per-parameter state (zeros shaped like ``ws``)."""

    def _update(self, i: int, w: np.ndarray, g: np.ndarray, lr: float) -> np.ndarray:
        raise NotImplementedError

    # ----------------------------------------------------------------- display
    def _settings(self) -> dict[str, object]:
        out: dict[str, object] = {"learning_rate": self.learning_rate}
        out.update({name: getattr(self, name) for name in self._hyper})
        for name in ("weight_decay", "clipnorm", "clipvalue", "global_clipnorm"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        return out

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self._settings().items())
        return f"{type(self).__name__}({args}; iterations={self.iterations})"

    @property
    def label(self) -> str:
        """A short legend label, e.g. ``'SGD lr=0.1 momentum=0.9'`` (defaults left out)."""
        parts = [type(self).__name__]
        lr = self.learning_rate
        parts.append(f"lr={lr:g}" if isinstance(lr, float) else f"lr={lr!r}")
        defaults = type(self)._defaults()
        for k, v in self._settings().items():
            if k != "learning_rate" and defaults.get(k, object()) != v:
                parts.append(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}")
        return " ".join(parts)

    @classmethod
    def _defaults(cls) -> dict[str, object]:
        import inspect

        sig = inspect.signature(cls.__init__)
        return {k: p.default for k, p in sig.parameters.items() if p.default is not p.empty}


def _as_float_array(name: str, x: object) -> np.ndarray:
    a = np.asarray(x)
    if not np.issubdtype(a.dtype, np.floating):
        if not np.issubdtype(a.dtype, np.number) or np.issubdtype(a.dtype, np.complexfloating):
            raise TypeError(f"`{name}` must hold real numbers. Received: dtype {a.dtype}")
        a = a.astype(np.float64)
    return a
