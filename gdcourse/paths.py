"""Run an optimizer on a surface: the path x_0, x_1, ... that the landscape plots draw.

    >>> from gdcourse.optim import SGD
    >>> from gdcourse.paths import run
    >>> from gdcourse.surfaces import get_surface
    >>> s = get_surface("rosenbrock")
    >>> path = run(s, SGD(learning_rate=1e-3, momentum=0.9), steps=500)   # from s.start
    >>> path.points.shape, bool(path.diverged)
    ((501, 2), False)

Each step is ``x_{k+1} = optimizer.step(x_k, grad f(x_k))``, taken through the optimizer's
:meth:`~gdcourse.optim.Optimizer.stepper`, which validates once: a 1,000-step 2-D path takes a
few milliseconds (``benchmarks/bench_paths.py``). :func:`keras_path` takes the steps of a
Keras optimizer fed given gradients, to compare ours with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from gdcourse._validate import as_float_array, check_int, check_real
from gdcourse.surfaces import Surface


@dataclass(frozen=True, repr=False)
class PathResult:
    """The path of an optimizer on a surface.

    Attributes:
        points: iterates x_0 (the start), x_1, ..., shape ``(steps_taken + 1, d)``; all finite.
        values: f at each point, shape ``(steps_taken + 1,)``.
        diverged: True if the run stopped early because f or x became non-finite or
            ``|f| > max_value``; the offending point is not included.
        steps_taken: number of steps in ``points``.
        label: legend label (the optimizer's by default).
    """

    points: np.ndarray
    values: np.ndarray
    diverged: bool
    steps_taken: int
    label: str

    def __repr__(self) -> str:
        end = np.array2string(self.points[-1], precision=4)
        return (
            f"PathResult({self.label!r}, steps_taken={self.steps_taken}, "
            f"diverged={self.diverged}, final_value={float(self.values[-1]):.4g}, "
            f"final_point={end})"
        )


_CHUNK = 64  # steps between divergence checks (values are evaluated a chunk at a time)


def run(
    surface: Surface,
    optimizer: Any,
    start: Any = None,
    steps: int = 100,
    *,
    max_value: float = 1e6,
    label: str | None = None,
) -> PathResult:
    """Run ``optimizer`` on ``surface`` from ``start`` (the surface's own start by default) for
    ``steps`` steps.

    Each step is ``x <- optimizer.step(x, surface.gradient(x))`` in float64. The optimizer is
    ``reset()`` first, so each call starts fresh (its state afterwards is the run's). The run
    stops early with ``diverged=True`` once x or f(x) is non-finite or ``|f(x)| > max_value``
    (``max_value=math.inf`` flags only non-finite values); the points returned stop at the
    last good one, so they are always finite.

    Args:
        surface: a :class:`gdcourse.surfaces.Surface`.
        optimizer: a :mod:`gdcourse.optim` optimizer, or any object with ``reset()`` and
            ``step(x, g)`` (and optionally ``stepper(x0)``, used when present).
        start: the starting point, shape ``(d,)`` (a number for a 1-D surface), finite;
            ``None`` (the default) is ``surface.start``.
        steps: number of steps, an integer >= 1. Defaults to 100.
        max_value: a run whose ``|f|`` exceeds this counts as diverged; > 0.
        label: legend label; defaults to ``optimizer.label``.
    """
    if not isinstance(surface, Surface):
        raise TypeError(
            f"`surface` must be a gdcourse.surfaces.Surface. Received: {type(surface).__name__}"
        )
    if not (hasattr(optimizer, "step") and hasattr(optimizer, "reset")):
        raise TypeError(
            "`optimizer` must have step() and reset() (a gdcourse.optim optimizer). "
            f"Received: {optimizer!r}"
        )
    n = check_int("steps", steps, minimum=1)
    max_value = check_real("max_value", max_value)
    if not max_value > 0:
        raise ValueError(f"`max_value` must be > 0. Received: max_value={max_value!r}")
    if label is not None and not isinstance(label, str):
        raise TypeError(f"`label` must be a string or None. Received: label={label!r}")
    x0, f0 = _check_start(surface, surface.start if start is None else start, max_value)

    optimizer.reset()
    step = optimizer.stepper(x0) if hasattr(optimizer, "stepper") else optimizer.step
    grad = surface.gradient
    points = np.empty((n + 1, surface.dim))
    values = np.empty(n + 1)
    points[0], values[0] = x0, f0
    x, last, diverged = x0, n, False
    with np.errstate(all="ignore"):
        for lo in range(1, n + 1, _CHUNK):
            hi = min(lo + _CHUNK, n + 1)
            for k in range(lo, hi):
                x = step(x, grad(x))
                points[k] = x
            values[lo:hi] = surface.value(points[lo:hi])
            vals = values[lo:hi]
            good = np.isfinite(points[lo:hi]).all(axis=1) & np.isfinite(vals)
            bad = ~(good & (np.abs(vals) <= max_value))
            if bad.any():
                last, diverged = lo + int(np.argmax(bad)) - 1, True
                break
    return PathResult(
        points=points[: last + 1].copy(),
        values=values[: last + 1].copy(),
        diverged=diverged,
        steps_taken=last,
        label=label if label is not None else getattr(optimizer, "label", repr(optimizer)),
    )


def _check_start(surface: Surface, start: Any, max_value: float) -> tuple[np.ndarray, float]:
    """``start`` as a float array of shape ``(d,)`` and f(start); both finite."""
    x0 = as_float_array("start", start, f"a point of {surface.dim} real number(s)")
    if x0.shape != (surface.dim,) and not (surface.dim == 1 and x0.shape == ()):
        raise ValueError(
            f"`start` must have shape ({surface.dim},) for the surface {surface.name!r}. "
            f"Received: start of shape {x0.shape}"
        )
    x0 = x0.reshape(surface.dim)
    with np.errstate(all="ignore"):
        f0 = float(surface.value(x0))
    if not (np.isfinite(x0).all() and np.isfinite(f0) and abs(f0) <= max_value):
        raise ValueError(
            f"`start` must be finite with |f(start)| <= max_value={max_value:g}. "
            f"Received: start={x0.tolist()}, f(start)={f0}"
        )
    return x0, f0


def keras_path(optimizer: Any, w0: Any, grads: Any) -> np.ndarray:
    """The weights after each step of a Keras optimizer fed the given gradients.

    ``w_0 = w0`` and ``w_{k+1}`` is ``w_k`` after ``optimizer.apply_gradients`` with
    ``grads[k]``: the path a ``keras.optimizers`` object takes, for comparing with ours step by
    step (``np.abs(ours - keras_path(...)).max()``). The gradients are given, not computed from
    the weights, so both optimizers see exactly the same numbers.

    Args:
        optimizer: a ``keras.optimizers`` optimizer (fresh: its state is used and changed).
        w0: the starting weights, an array (its dtype is kept: float32 as Keras's default).
        grads: the gradients, one array shaped like ``w0`` per step.

    Returns:
        An array of shape ``(len(grads) + 1, *w0.shape)``.
    """
    import keras  # heavy: only when asked for

    if not hasattr(optimizer, "apply_gradients"):
        raise TypeError(
            f"`optimizer` must be a keras.optimizers optimizer. Received: {optimizer!r}"
        )
    given = w0
    w0 = as_float_array("w0", w0, "an array of weights")
    if np.issubdtype(np.asarray(given).dtype, np.floating):  # float32 stays float32
        w0 = w0.astype(np.asarray(given).dtype)
    gs = [as_float_array("grads", g, "arrays shaped like `w0`") for g in grads]
    for k, g in enumerate(gs):
        if g.shape != w0.shape:
            raise ValueError(
                f"`grads` must hold arrays of the shape of `w0` {w0.shape}. "
                f"Received: grads[{k}] of shape {g.shape}"
            )
    w = keras.Variable(w0)
    path = [w.numpy()]
    for g in gs:
        optimizer.apply_gradients([(keras.ops.convert_to_tensor(g.astype(w0.dtype)), w)])
        path.append(w.numpy())
    return np.array(path)
