"""What every optimizer shares: parameter/gradient handling, clipping, schedules, weight decay.

An optimizer subclass writes ``_build`` (create its state, like Keras's ``build``) and
``_update``, its update rule for one parameter. :meth:`Optimizer.step` runs the same pipeline
as Keras's ``apply_gradients``:

1. clip the gradients (``clipnorm``, ``global_clipnorm`` or ``clipvalue``; at most one);
2. read the learning rate ``lr = schedule(t)`` at the 0-based step count ``t``;
3. decay the weights, ``w <- w - w * weight_decay * lr`` (when ``weight_decay`` is set);
4. apply the optimizer's own update rule to each parameter;
5. ``t <- t + 1``.

The update rules are elementwise and written with plain operators, so the same rule runs on
whole arrays (:meth:`Optimizer.step`) or on one coordinate's Python floats: the fast path that
:meth:`Optimizer.stepper` takes for the 1-D and 2-D points of :mod:`gdcourse.surfaces`. Both
give the same float64 numbers bit for bit (``+ - * /`` and square roots are correctly rounded
either way).
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Sequence
from types import SimpleNamespace
from typing import Any, TypedDict

import numpy as np

from gdcourse._validate import check_in_range, check_non_negative, check_positive, real_array

ArrayOrList = np.ndarray | Sequence[np.ndarray]
LearningRate = float | Callable[..., float]
Stepper = Callable[[Any, Any], Any]

#: Largest parameter size for which :meth:`Optimizer.stepper` computes in Python floats.
FLOAT_PATH_MAX_SIZE = 2


class SharedArgs(TypedDict, total=False):
    """Keyword arguments every optimizer takes (see :class:`Optimizer`)."""

    weight_decay: float | None
    clipnorm: float | None
    clipvalue: float | None
    global_clipnorm: float | None
    allow_nonfinite: bool


def _float_maximum(a: float, b: float) -> float:
    """``np.maximum`` for two floats: NaN if either is NaN."""
    return a if (a >= b or a != a) else b


#: What an update rule calls besides operators: NumPy's functions for arrays, these for floats.
FLOAT_MATH = SimpleNamespace(sqrt=math.sqrt, maximum=_float_maximum)


def _check_clip(name: str, value: float | None) -> float | None:
    return None if value is None else check_positive(name, value)


def check_unit_interval(name: str, value: float) -> float:
    """A decay rate such as ``momentum``, ``rho`` or ``beta_1``: a number in [0, 1)."""
    return check_in_range(name, value, 0.0, 1.0)


def _check_learning_rate(value: Any) -> tuple[LearningRate, bool]:
    """A float > 0, or a callable; returns it and whether it is called with the step count.

    Like Keras, a callable that takes no argument is called as ``learning_rate()``; any other
    callable (our schedules, Keras's ``LearningRateSchedule``) as ``learning_rate(t)``.
    """
    if not callable(value):
        return check_positive("learning_rate", value), True
    try:
        params = inspect.signature(value).parameters.values()
    except (TypeError, ValueError):  # no signature to read (some builtins): pass the step
        return value, True
    required = [
        p
        for p in params
        if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    if len(required) > 1:
        raise TypeError(
            "`learning_rate` must be a float, a schedule `f(step)` or a function of no "
            f"arguments. Received: a callable needing {len(required)} arguments: {value!r}"
        )
    return value, bool(required) or any(p.kind == p.VAR_POSITIONAL for p in params)


class Optimizer:
    """Base class: shared arguments, the ``step`` pipeline, ``stepper``, ``reset()``.

    Args:
        learning_rate: a float > 0, or a schedule: a callable of the 0-based step count
            (e.g. a :mod:`gdcourse.schedules` object) returning the learning rate. As in
            Keras, a callable of no arguments is called as ``learning_rate()`` each step.
        weight_decay: if set, ``w <- w - w * weight_decay * lr`` before each update.
        clipnorm: clip each gradient to this L2 norm.
        clipvalue: clip each gradient entry to ``[-clipvalue, clipvalue]``.
        global_clipnorm: clip all gradients together to this global L2 norm.
        allow_nonfinite: accept NaN/Inf gradients instead of raising ``ValueError``.
    """

    #: Hyperparameters shown by ``repr`` (besides the shared ones); set by subclasses.
    _hyper: tuple[str, ...] = ()
    #: Names of the per-parameter state lists, in the order ``_update`` takes them;
    #: ``reset()`` empties them, and a list left empty by ``_build`` is unused.
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
        self.learning_rate, self._lr_takes_step = _check_learning_rate(learning_rate)
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
        """Forget all state: ``iterations = 0`` and empty moment/velocity lists.

        A stepper made before ``reset()`` starts afresh too: its next call rebuilds the state
        (zeros) for its parameters, exactly as a new optimizer would.
        """
        self.iterations = 0
        self._generation = getattr(self, "_generation", 0) + 1  # steppers compare against it
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
        single, ws = _as_list("params", params)
        single_grad, gs = _as_list("grads", grads)
        if single != single_grad:
            raise TypeError(
                "`grads` must be of the same kind as `params` (an array, or a list of arrays). "
                f"Received: params of type {type(params).__name__}, "
                f"grads of type {type(grads).__name__}"
            )
        ws = [real_array("params", w) for w in ws]
        gs = self._check_grads(ws, gs)
        self._build_once(ws)
        new = self._apply(ws, gs)
        return new[0] if single else type(params)(new)  # type: ignore[call-arg]

    def stepper(self, params: ArrayOrList) -> Stepper:
        """Validate once and return a fast ``step(x, g) -> x'`` for parameters like ``params``.

        ``params`` (an array, or a list of arrays) fixes the shapes and dtype; the optimizer's
        state is built for them (or checked against them). The returned function does what
        :meth:`step` does, with the same state and the same numbers, but checks only what is
        cheap: ``x`` and ``g`` must have the shapes of ``params`` (a ``ValueError`` otherwise,
        before anything is updated); their dtype should be that of ``params`` after validation
        (integers become float64), and NaN/Inf pass through. After :meth:`reset` the stepper
        starts afresh (zero velocity and moments, ``iterations = 0``), like a new optimizer.
        For one float64 vector of at most :data:`FLOAT_PATH_MAX_SIZE` entries (a point of a
        1-D or 2-D surface) it computes in Python floats, several times faster than NumPy on
        such tiny arrays.

            >>> import numpy as np
            >>> from gdcourse.optim import Adam
            >>> opt = Adam(0.1)
            >>> step = opt.stepper(np.zeros(2))
            >>> x = np.array([1.0, -1.0])
            >>> for _ in range(3):
            ...     x = step(x, 2 * x)
            >>> opt.iterations
            3
        """
        single, ws = _as_list("params", params)
        ws = [real_array("params", w) for w in ws]
        self._build_once(ws)
        if not single:
            kind = type(params)

            def step_list(xs: Any, gs: Any) -> Any:
                xs, gs = self._stepper_inputs(ws, list(xs), list(gs), "shapes")
                return kind(self._apply(xs, gs))  # type: ignore[call-arg]

            return step_list
        w = ws[0]
        if w.dtype == np.float64 and w.ndim == 1 and w.size <= FLOAT_PATH_MAX_SIZE:
            return self._float_stepper(w)
        shape, made = w.shape, [self._generation]

        def step_array(x: Any, g: Any) -> Any:
            if (
                made[0] != self._generation
                or type(x) is not np.ndarray
                or type(g) is not np.ndarray
                or x.shape != shape
                or g.shape != shape
            ):
                (x,), (g,) = self._stepper_inputs(ws, [x], [g], "shape")
                made[0] = self._generation
            return self._apply([x], [g])[0]

        return step_array

    def _stepper_inputs(
        self, template: list[np.ndarray], xs: list, gs: list, what: str
    ) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """A stepper's slow path: ``x`` and ``g`` as arrays of the shapes of ``template`` (the
        stepper's ``params``), or a ``ValueError``; after :meth:`reset`, the state rebuilt."""
        expected = [w.shape for w in template]
        xs, gs = [np.asarray(x) for x in xs], [np.asarray(g) for g in gs]
        shown = expected[0] if what == "shape" else expected
        for name, arrays in (("x", xs), ("g", gs)):
            got = [a.shape for a in arrays]
            if got != expected:
                received = got[0] if what == "shape" and len(got) == 1 else got
                raise ValueError(
                    f"`{name}` must have the {what} {shown} of the `params` this stepper was "
                    f"made for (call opt.stepper(x0) again for other shapes). "
                    f"Received: {what} {received}"
                )
        self._build_once(template)  # builds afresh after reset(); checks the shapes otherwise
        return xs, gs

    # ----------------------------------------------------------------- checks
    def _build_once(self, ws: list[np.ndarray]) -> None:
        """Build the state on the first call; later, check the parameters keep their shapes."""
        shapes = [w.shape for w in ws]
        if self._shapes is None:
            self._shapes = shapes
            self._build(ws)
        elif shapes != self._shapes:
            raise ValueError(
                "`params` must keep the shapes of the first step "
                f"(call reset() to start over). Expected: {self._shapes}, received: {shapes}"
            )

    def _check_grads(self, ws: list[np.ndarray], gs: list) -> list[np.ndarray]:
        """Validate the gradients against the parameters; cast them to the params' dtypes."""
        if len(ws) != len(gs):
            raise ValueError(
                "`grads` must have one array per parameter. "
                f"Received: {len(ws)} params and {len(gs)} grads"
            )
        gs = [np.asarray(g) for g in gs]
        for i, (w, g) in enumerate(zip(ws, gs, strict=True)):
            if w.shape != g.shape:
                raise ValueError(
                    f"`grads` must match the shapes of `params`. Received: params[{i}] of "
                    f"shape {w.shape} and grads[{i}] of shape {g.shape}"
                )
            if not np.issubdtype(g.dtype, np.number) or np.iscomplexobj(g):
                raise TypeError(f"`grads` must hold real numbers. Received: dtype {g.dtype}")
            if not self.allow_nonfinite and not np.isfinite(g).all():
                raise ValueError(
                    f"`grads` must be finite (got NaN or Inf in grads[{i}]); pass "
                    "allow_nonfinite=True to the optimizer to accept them. "
                    f"Received: grads[{i}]={g!r}"
                )
        return [g.astype(w.dtype, copy=False) for w, g in zip(ws, gs, strict=True)]

    def _lr(self, t: int) -> float:
        lr = self.learning_rate
        if callable(lr):  # a schedule; otherwise the float checked at construction
            lr = float(lr(t) if self._lr_takes_step else lr())
            if not (math.isfinite(lr) and lr >= 0):
                raise ValueError(
                    f"`learning_rate` schedule must return a finite number >= 0. "
                    f"Received: learning_rate({t})={lr}"
                )
        return lr

    # ----------------------------------------------------------------- the pipeline
    def _clip(self, gs: list[np.ndarray]) -> list[np.ndarray]:
        """Keras's clipping: ``g * c / max(|g|, c)`` per gradient or for all together,
        or each entry into ``[-c, c]``. Norms are float32 for float32 gradients, as in Keras."""
        if self.clipnorm is not None:  # each gradient to norm <= c
            out = []
            for g in gs:
                c = g.dtype.type(self.clipnorm)
                norm = np.sqrt(np.sum(g * g))
                out.append(g * c / max(norm, c))
            return out
        if self.global_clipnorm is not None:  # all gradients together to norm <= c
            c = gs[0].dtype.type(self.global_clipnorm)
            norm = np.sqrt(sum(np.sum(g * g) for g in gs))
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
        lr = self._lr(self.iterations)
        if self.weight_decay is not None:
            ws = [w - w * self.weight_decay * lr for w in ws]
        slots = [getattr(self, name) for name in self._slots]
        new = []
        for i, (w, g) in enumerate(zip(ws, gs, strict=True)):
            state = tuple(s[i] if s else None for s in slots)
            w, state = self._update(w, g, self._rate(lr, w.dtype), state, np)
            for s, value in zip(slots, state, strict=True):
                if s:
                    s[i] = value
            new.append(w)
        self.iterations += 1
        return new

    def _float_stepper(self, template: np.ndarray) -> Stepper:
        """``_apply`` for one float64 vector of ``n`` entries, a coordinate at a time in floats.

        Each step reads the state arrays and writes them back, so ``step`` and the stepper
        can be mixed. A step that Python floats cannot take (division by zero, square root of
        a negative number) is taken again by ``_apply``, which gives NumPy's inf/NaN. Each call
        checks the shapes and whether :meth:`reset` was called since (a few comparisons);
        anything else goes through :meth:`_stepper_inputs`.
        """
        n, shape = template.size, template.shape
        made: list[int] = [self._generation]  # the reset() generation the state is from
        state: list[list[list[np.ndarray]]] = [[getattr(self, name) for name in self._slots]]
        nones = (None,) * n
        decay, update, rate, clip = self.weight_decay, self._update, self._rate, self._clip_floats
        fixed_lr = type(self.learning_rate) is float
        ndarray = np.ndarray

        def step(x: np.ndarray, g: np.ndarray) -> np.ndarray:
            if (
                made[0] != self._generation
                or type(x) is not ndarray
                or type(g) is not ndarray
                or x.shape != shape
                or g.shape != shape
            ):
                (x,), (g,) = self._stepper_inputs([template], [x], [g], "shape")
                made[0] = self._generation
                state[0] = [getattr(self, name) for name in self._slots]
            slots = state[0]
            ws, gs = x.tolist(), g.tolist()
            coords = list(zip(*[s[0].tolist() if s else nones for s in slots], strict=True))
            try:
                if self._clipping:
                    gs = clip(gs)
                lr = self.learning_rate if fixed_lr else self._lr(self.iterations)
                if decay is not None:
                    ws = [w - w * decay * lr for w in ws]
                alpha = rate(lr, float)  # type: ignore[arg-type]  # fixed_lr: a float
                for j in range(n):
                    ws[j], coords[j] = update(ws[j], gs[j], alpha, coords[j], FLOAT_MATH)
            except (ArithmeticError, ValueError):
                return self._apply([x], [g])[0]
            for s, values in zip(slots, zip(*coords, strict=True), strict=True):
                if s:
                    s[0][:] = values
            self.iterations += 1
            return np.array(ws)

        return step

    def _clip_floats(self, gs: list[float]) -> list[float]:
        """:meth:`_clip` for one parameter held as at most 2 Python floats (same rounding)."""
        if self.clipvalue is not None:
            c = self.clipvalue
            return [min(max(g, -c), c) for g in gs]
        c = self.clipnorm if self.clipnorm is not None else self.global_clipnorm  # type: ignore[assignment]
        total = gs[0] * gs[0]
        for g in gs[1:]:
            total += g * g
        scale = max(math.sqrt(total), c)
        return [g * c / scale for g in gs]

    # ----------------------------------------------------------------- per optimizer
    def _build(self, ws: list[np.ndarray]) -> None:
        """Create the per-parameter state (zeros shaped like ``ws``)."""

    def _rate(self, lr: float, dtype: Any) -> float:
        """The step size ``_update`` receives (``dtype``: the params' dtype, or ``float`` on the
        float path); Adam folds its bias correction in here."""
        return lr

    def _update(self, w: Any, g: Any, lr: float, state: tuple, xp: Any) -> tuple[Any, tuple]:
        """One parameter's update rule, elementwise: ``(w, g, lr, state) -> (w', state')``.

        ``state`` holds this parameter's entries of the ``_slots`` lists, in order (``None``
        for an unused slot); ``xp`` provides ``sqrt`` and ``maximum`` (NumPy, or
        :data:`FLOAT_MATH`). ``lr`` is what :meth:`_rate` returns.
        """
        raise NotImplementedError

    # ----------------------------------------------------------------- config, display
    def get_config(self) -> dict[str, Any]:
        """The constructor arguments, by Keras's names (``allow_nonfinite`` left out)."""
        out: dict[str, Any] = {"learning_rate": self.learning_rate}
        out.update({name: getattr(self, name) for name in self._hyper})
        for name in ("weight_decay", "clipnorm", "clipvalue", "global_clipnorm"):
            out[name] = getattr(self, name)
        return out

    def to_keras(self) -> Any:
        """The twin ``keras.optimizers`` object, built from :meth:`get_config`.

        A :mod:`gdcourse.schedules` learning rate becomes its Keras schedule; another
        callable is passed as it is.
        """
        import keras  # heavy: only when asked for

        config = self.get_config()
        lr = config["learning_rate"]
        if hasattr(lr, "to_keras"):
            config["learning_rate"] = lr.to_keras()
        return getattr(keras.optimizers, type(self).__name__)(**config)

    def _settings(self) -> dict[str, object]:
        """:meth:`get_config` without the unset (``None``) arguments."""
        return {k: v for k, v in self.get_config().items() if v is not None}

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
        sig = inspect.signature(cls.__init__)
        return {k: p.default for k, p in sig.parameters.items() if p.default is not p.empty}


def _as_list(name: str, x: object) -> tuple[bool, list]:
    """``(single, arrays)``: one array-like, or a list/tuple of them."""
    if isinstance(x, (list, tuple)):
        return False, list(x)
    if x is None or isinstance(x, (str, bytes, dict, set)):
        raise TypeError(
            f"`{name}` must be an array or a list of arrays. Received: {type(x).__name__}"
        )
    return True, [x]
