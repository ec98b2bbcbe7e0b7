"""Loss landscapes for teaching: analytic value, gradient and Hessian.

Every surface takes points of shape ``(..., d)``, so a whole contour grid is one call::

    >>> import numpy as np
    >>> from gdcourse.surfaces import get_surface
    >>> from gdcourse.paths import run              # also importable from gdcourse.surfaces
    >>> from gdcourse.optim import SGD
    >>> s = get_surface("rosenbrock")
    >>> X, Y, Z = s.grid(resolution=50)            # Z = s.value(np.stack([X, Y], -1))
    >>> path = run(s, SGD(learning_rate=1e-3, momentum=0.9), start=s.start, steps=500)
    >>> path.points.shape, bool(path.diverged)
    ((501, 2), False)

1-D surfaces (``parabola``, ``double_well``, ``sine_bowl``) also take a plain array of x
values: ``parabola().value(np.linspace(-3, 3, 100))``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from gdcourse._validate import as_float_array, check_finite, check_int, check_positive

_F64 = np.dtype(np.float64)
Window = tuple[tuple[float, float], tuple[float, float]] | tuple[float, float]


class Surface:
    """A function f: R^d -> R (d = 1 or 2) with its analytic derivatives.

    Attributes:
        name: registry name, e.g. ``"rosenbrock"``.
        dim: d, the number of coordinates.
        minima: known local minimizers, shape ``(k, d)``, the global ones first.
        window: plotting window, ``((xmin, xmax), (ymin, ymax))`` in 2-D, ``(xmin, xmax)`` in 1-D.
        start: a starting point that makes an instructive path, shape ``(d,)``.
        L: smoothness constant (largest Hessian eigenvalue over R^d) where finite, else None.
        mu: strong-convexity constant (smallest Hessian eigenvalue) where positive, else None.
        params: the factory's arguments, for ``repr``.
    """

    def __init__(
        self,
        name: str,
        dim: int,
        f: Callable[..., Any],
        grad: Callable[..., tuple[Any, ...]],
        hess: Callable[..., tuple[tuple[Any, ...], ...]] | None,
        *,
        minima: Any,
        window: Window,
        start: Any,
        L: float | None = None,
        mu: float | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        self.name = name
        self.dim = dim
        self._f, self._grad, self._hess = f, grad, hess
        self.minima = np.asarray(minima, dtype=float).reshape(-1, dim)
        self.window = window
        self.start = np.asarray(start, dtype=float).reshape(dim)
        self.L, self.mu = L, mu
        self.params = dict(params or {})

    def _coords(self, x: Any) -> tuple[np.ndarray, tuple[np.ndarray, ...], bool]:
        """Split points ``(..., d)`` into d coordinate arrays; ``flat`` for bare 1-D x values."""
        x = as_float_array("x", x, f"points of shape (..., {self.dim}) (real numbers)")
        if self.dim == 1 and (x.ndim == 0 or x.shape[-1] != 1):
            return x, (x,), True
        if x.ndim == 0 or x.shape[-1] != self.dim:
            raise ValueError(
                f"`x` must have shape (..., {self.dim}) for the {self.dim}-D surface "
                f"{self.name!r}. Received: x of shape {x.shape}"
            )
        return x, tuple(x[..., i] for i in range(self.dim)), False

    def value(self, x: Any) -> np.ndarray:
        """f(x) for points of shape ``(..., d)``; returns shape ``(...)``."""
        _, c, _ = self._coords(x)
        return np.asarray(self._f(*c))

    def __call__(self, x: Any) -> np.ndarray:
        return self.value(x)

    def gradient(self, x: Any) -> np.ndarray:
        """The analytic gradient, same shape as ``x``."""
        if type(x) is np.ndarray and x.shape == (self.dim,) and x.dtype is _F64:  # one point
            try:  # in Python floats: fast
                return np.array(self._grad(*x.tolist()), dtype=float)
            except ArithmeticError:  # a float overflowed: NumPy below gives inf instead
                pass
        x, c, flat = self._coords(x)
        parts = self._grad(*c)
        if flat:
            return np.broadcast_to(parts[0], x.shape).astype(float)
        if x.ndim == 1:
            return np.array(parts, dtype=float)
        return np.stack(np.broadcast_arrays(*parts), axis=-1)

    def hessian(self, x: Any) -> np.ndarray | None:
        """The analytic Hessian, shape ``(..., d, d)`` (``x.shape`` for bare 1-D x values)."""
        if self._hess is None:
            return None
        x, c, flat = self._coords(x)
        rows = self._hess(*c)
        if flat:
            return np.broadcast_to(rows[0][0], x.shape).astype(float)
        entries = np.broadcast_arrays(*[e for row in rows for e in row], c[0])[:-1]
        return np.stack(entries, axis=-1).reshape(*c[0].shape, self.dim, self.dim)

    def grid(self, resolution: int = 200) -> tuple[np.ndarray, ...]:
        """Evaluate f over :attr:`window`: ``(X, Y, Z)`` in 2-D, ``(xs, fs)`` in 1-D."""
        n = check_int("resolution", resolution, minimum=2)
        if self.dim == 1:
            xs = np.linspace(*self.window, n)  # type: ignore[call-overload,misc]  # 1-D: a range
            return xs, self.value(xs)
        (x0, x1), (y0, y1) = self.window  # type: ignore[misc]  # 2-D: a pair of ranges
        X, Y = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
        return X, Y, self.value(np.stack([X, Y], axis=-1))

    def __repr__(self) -> str:
        args = "".join(f", {k}={v!r}" for k, v in self.params.items())
        return f"Surface({self.name!r}{args}; dim={self.dim}, minima={self.minima.tolist()})"


class Quadratic(Surface):
    """f(x) = 1/2 x^T A x, with ``A`` symmetric positive definite; ``L``/``mu`` its eigenvalues."""

    A: np.ndarray


# ---------------------------------------------------------------------------- 2-D surfaces
def quadratic(condition_number: float = 10.0, angle: float = 0.0, scale: float = 1.0) -> Quadratic:
    """A bowl f(x) = 1/2 x^T A x with A = R diag(mu, L) R^T.

    ``mu = scale`` and ``L = scale * condition_number`` are the eigenvalues (strong convexity
    and smoothness constants); R rotates by ``angle`` radians. Gradient descent converges for
    ``learning_rate < 2 / L``; the best fixed rate is ``2 / (L + mu)``.
    """
    kappa = check_finite("condition_number", condition_number)
    if kappa < 1:
        raise ValueError(
            f"`condition_number` must be >= 1. Received: condition_number={condition_number!r}"
        )
    theta = check_finite("angle", angle)
    mu = check_positive("scale", scale)
    L = mu * kappa
    R = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    A = R @ np.diag([mu, L]) @ R.T
    a, b, d = A[0, 0], A[0, 1], A[1, 1]

    s = Quadratic(
        "quadratic",
        2,
        lambda x, y: 0.5 * (a * x * x + 2 * b * x * y + d * y * y),
        lambda x, y: (a * x + b * y, b * x + d * y),
        lambda x, y: ((a, b), (b, d)),
        minima=[[0.0, 0.0]],
        window=((-2.0, 2.0), (-2.0, 2.0)),
        start=R @ np.array([-1.8, 0.6]),
        L=L,
        mu=mu,
        params={"condition_number": kappa, "angle": theta, "scale": mu},
    )
    s.A = A
    return s


def rosenbrock(a: float = 1.0, b: float = 100.0) -> Surface:
    """Rosenbrock's banana valley f(x, y) = (a - x)^2 + b (y - x^2)^2; minimum at (a, a^2)."""
    a = check_finite("a", a)
    b = check_positive("b", b)
    return Surface(
        "rosenbrock",
        2,
        lambda x, y: (a - x) ** 2 + b * (y - x * x) ** 2,
        lambda x, y: (-2 * (a - x) - 4 * b * x * (y - x * x), 2 * b * (y - x * x)),
        lambda x, y: ((2 - 4 * b * y + 12 * b * x * x, -4 * b * x), (-4 * b * x, 2 * b + 0 * x)),
        minima=[[a, a * a]],
        window=((-2.0, 2.0), (-1.0, 3.0)),
        start=[-1.5, 2.0],
        params={"a": a, "b": b},
    )


def _beale_terms(x: Any, y: Any) -> tuple[Any, ...]:
    return 1.5 - x + x * y, 2.25 - x + x * y**2, 2.625 - x + x * y**3


def _beale_grad(x: Any, y: Any) -> tuple[Any, Any]:
    t1, t2, t3 = _beale_terms(x, y)
    gx = 2 * t1 * (y - 1) + 2 * t2 * (y**2 - 1) + 2 * t3 * (y**3 - 1)
    gy = 2 * t1 * x + 2 * t2 * (2 * x * y) + 2 * t3 * (3 * x * y**2)
    return gx, gy


def _beale_hess(x: Any, y: Any) -> tuple[tuple[Any, Any], tuple[Any, Any]]:
    t1, t2, t3 = _beale_terms(x, y)
    hxx = 2 * (y - 1) ** 2 + 2 * (y**2 - 1) ** 2 + 2 * (y**3 - 1) ** 2
    hxy = (
        2 * ((y - 1) * x + t1)
        + 2 * ((y**2 - 1) * 2 * x * y + 2 * y * t2)
        + 2 * ((y**3 - 1) * 3 * x * y**2 + 3 * y**2 * t3)
    )
    hyy = (
        2 * x**2 + 2 * ((2 * x * y) ** 2 + 2 * x * t2) + 2 * ((3 * x * y**2) ** 2 + 6 * x * y * t3)
    )
    return (hxx, hxy), (hxy, hyy)


def beale() -> Surface:
    """Beale's function: sum of (c_i - x + x y^i)^2, c = (1.5, 2.25, 2.625); minimum (3, 0.5)."""
    return Surface(
        "beale",
        2,
        lambda x, y: sum(t**2 for t in _beale_terms(x, y)),
        _beale_grad,
        _beale_hess,
        minima=[[3.0, 0.5]],
        window=((-4.5, 4.5), (-4.5, 4.5)),
        start=[1.0, 1.5],
    )


def himmelblau() -> Surface:
    """Himmelblau's f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2: four minima, all f = 0."""

    def grad(x: Any, y: Any) -> tuple[Any, Any]:
        u, w = x * x + y - 11, x + y * y - 7
        return 4 * x * u + 2 * w, 2 * u + 4 * y * w

    def hess(x: Any, y: Any) -> tuple[tuple[Any, Any], tuple[Any, Any]]:
        u, w = x * x + y - 11, x + y * y - 7
        hxy = 4 * x + 4 * y
        return (4 * u + 8 * x * x + 2, hxy), (hxy, 4 * w + 8 * y * y + 2)

    return Surface(
        "himmelblau",
        2,
        lambda x, y: (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2,
        grad,
        hess,
        minima=[
            [3.0, 2.0],
            [-2.805118086952745, 3.131312518250573],
            [-3.779310253377747, -3.283185991286169],
            [3.5844283403304917, -1.8481265269644034],
        ],
        window=((-5.0, 5.0), (-5.0, 5.0)),
        start=[0.0, 0.0],
    )


def saddle() -> Surface:
    """f(x, y) = x^2 - y^2/2 + y^4/4: a saddle at the origin, minima at (0, +-1), f = -1/4.

    The Hessian at the origin is diag(2, -1). Started exactly on the line y = 0, gradient
    descent converges to the saddle; any push in y lets it escape to a minimum.
    """
    return Surface(
        "saddle",
        2,
        lambda x, y: x * x - 0.5 * y * y + 0.25 * y**4,
        lambda x, y: (2 * x, y**3 - y),
        lambda x, y: ((2 + 0 * x, 0 * x), (0 * x, 3 * y * y - 1)),
        minima=[[0.0, 1.0], [0.0, -1.0]],
        window=((-2.0, 2.0), (-2.0, 2.0)),
        start=[-1.5, 1e-3],
    )


def plateau(width: float = 1.0, depth: float = 1.0) -> Surface:
    """A Gaussian well in a flat plain: f(x) = depth * (1 - exp(-|x|^2 / (2 width^2))).

    Far from the origin the gradient all but vanishes (a plateau), so plain gradient descent
    crawls while methods that normalize the step (RMSprop, Adam) cross quickly.
    """
    w2 = check_positive("width", width) ** 2
    d = check_positive("depth", depth)

    def grad(x: Any, y: Any) -> tuple[Any, Any]:
        e = d * np.exp(-(x * x + y * y) / (2 * w2)) / w2
        return e * x, e * y

    def hess(x: Any, y: Any) -> tuple[tuple[Any, Any], tuple[Any, Any]]:
        e = d * np.exp(-(x * x + y * y) / (2 * w2)) / w2
        hxy = -e * x * y / w2
        return (e * (1 - x * x / w2), hxy), (hxy, e * (1 - y * y / w2))

    return Surface(
        "plateau",
        2,
        lambda x, y: d * (1 - np.exp(-(x * x + y * y) / (2 * w2))),
        grad,
        hess,
        minima=[[0.0, 0.0]],
        window=((-4.0, 4.0), (-4.0, 4.0)),
        start=[-3.5, 3.0],
        L=d / w2,
        params={"width": float(np.sqrt(w2)), "depth": d},
    )


# ---------------------------------------------------------------------------- 1-D surfaces
def _minima_1d(df: Callable[[Any], Any], d2f: Callable[[Any], Any], lo: float, hi: float) -> list:
    """Local minimizers in [lo, hi]: sign changes - to + of f', refined by bisection."""
    xs = np.linspace(lo, hi, 4001)
    g = df(xs)
    idx = np.nonzero((g[:-1] < 0) & (g[1:] >= 0))[0]
    a, b = xs[idx], xs[idx + 1]
    for _ in range(60):
        m = 0.5 * (a + b)
        neg = df(m) < 0
        a, b = np.where(neg, m, a), np.where(neg, b, m)
    return [[x] for x in 0.5 * (a + b) if d2f(x) > 0]


def _surface_1d(
    name: str,
    f: Callable[[Any], Any],
    df: Callable[[Any], Any],
    d2f: Callable[[Any], Any],
    *,
    search: float,
    window: tuple[float, float],
    start: float,
    params: dict[str, Any],
    L: float | None = None,
) -> Surface:
    """A 1-D surface from f, f', f''; its minima found in [-search, search], lowest first."""
    minima = sorted(_minima_1d(df, d2f, -search, search), key=lambda m: f(m[0]))
    return Surface(name, 1, f, lambda x: (df(x),), lambda x: ((d2f(x),),), minima=minima,
                   window=window, start=[start], L=L, params=params)  # fmt: skip


def parabola(a: float = 1.0) -> Surface:
    """f(x) = a x^2 / 2, so f'(x) = a x and L = mu = a: gradient descent converges iff lr < 2/a."""
    a = check_positive("a", a)
    return Surface(
        "parabola",
        1,
        lambda x: 0.5 * a * x * x,
        lambda x: (a * x,),
        lambda x: ((a + 0 * x,),),
        minima=[[0.0]],
        window=(-3.0, 3.0),
        start=[2.5],
        L=a,
        mu=a,
        params={"a": a},
    )


def double_well(tilt: float = 0.0) -> Surface:
    """A quartic double well f(x) = x^4/4 - x^2/2 + tilt * x (minima near +-1, a hump at 0).

    With ``tilt != 0`` one well is deeper: a start in the shallow one finds a local minimum.
    """
    c = check_finite("tilt", tilt)

    def df(x: Any) -> Any:
        return x**3 - x + c

    def d2f(x: Any) -> Any:
        return 3 * x * x - 1

    def f(x: Any) -> Any:
        return 0.25 * x**4 - 0.5 * x * x + c * x

    return _surface_1d("double_well", f, df, d2f, search=3.0, window=(-2.0, 2.0), start=1.8,
                       params={"tilt": c})  # fmt: skip


def sine_bowl(amplitude: float = 0.5, frequency: float = 4.0) -> Surface:
    """A bumpy bowl f(x) = x^2/2 + amplitude * (1 - cos(frequency * x)).

    f''(x) = 1 + amplitude * frequency^2 * cos(frequency * x), so L = 1 + amplitude *
    frequency^2; local minima appear beside the global one at 0 when that product exceeds 1.
    """
    A = check_positive("amplitude", amplitude)
    w = check_positive("frequency", frequency)

    def df(x: Any) -> Any:
        return x + A * w * np.sin(w * x)

    def d2f(x: Any) -> Any:
        return 1 + A * w * w * np.cos(w * x)

    def f(x: Any) -> Any:
        return 0.5 * x * x + A * (1 - np.cos(w * x))

    return _surface_1d("sine_bowl", f, df, d2f, search=6.0, window=(-4.0, 4.0), start=3.5,
                       L=1 + A * w * w, params={"amplitude": A, "frequency": w})  # fmt: skip


#: Every surface by name; each factory can be called with no arguments.
SURFACES: dict[str, Callable[..., Surface]] = {
    "parabola": parabola,
    "double_well": double_well,
    "sine_bowl": sine_bowl,
    "quadratic": quadratic,
    "rosenbrock": rosenbrock,
    "beale": beale,
    "himmelblau": himmelblau,
    "saddle": saddle,
    "plateau": plateau,
}


def get_surface(name: str, **kwargs: Any) -> Surface:
    """The surface called ``name`` (see :data:`SURFACES`), built with ``kwargs``."""
    if name not in SURFACES:
        listed = ", ".join(repr(n) for n in SURFACES)
        raise ValueError(f"`name` must be one of {listed}. Received: name={name!r}")
    return SURFACES[name](**kwargs)
