"""gdcourse.surfaces: analytic derivatives against tf.GradientTape, minima, and run()."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from gdcourse import optim, surfaces
from gdcourse.paths import PathResult, run
from gdcourse.surfaces import SURFACES, Surface, get_surface

tf = pytest.importorskip("tensorflow")

# The textbook definitions, written in TensorFlow (float64), for autodiff.
TF_DEFINITIONS = {
    "parabola": lambda x, p: 0.5 * p["a"] * x[:, 0] ** 2,
    "double_well": lambda x, p: x[:, 0] ** 4 / 4 - x[:, 0] ** 2 / 2 + p["tilt"] * x[:, 0],
    "sine_bowl": lambda x, p: (
        x[:, 0] ** 2 / 2 + p["amplitude"] * (1 - tf.cos(p["frequency"] * x[:, 0]))
    ),
    "quadratic": lambda x, p: 0.5 * tf.einsum("ni,ij,nj->n", x, tf.constant(p["A"]), x),
    "rosenbrock": lambda x, p: (p["a"] - x[:, 0]) ** 2 + p["b"] * (x[:, 1] - x[:, 0] ** 2) ** 2,
    "beale": lambda x, p: (
        (1.5 - x[:, 0] + x[:, 0] * x[:, 1]) ** 2
        + (2.25 - x[:, 0] + x[:, 0] * x[:, 1] ** 2) ** 2
        + (2.625 - x[:, 0] + x[:, 0] * x[:, 1] ** 3) ** 2
    ),
    "himmelblau": lambda x, p: (
        (x[:, 0] ** 2 + x[:, 1] - 11) ** 2 + (x[:, 0] + x[:, 1] ** 2 - 7) ** 2
    ),
    "saddle": lambda x, p: x[:, 0] ** 2 - x[:, 1] ** 2 / 2 + x[:, 1] ** 4 / 4,
    "plateau": lambda x, p: (
        p["depth"] * (1 - tf.exp(-tf.reduce_sum(x**2, 1) / (2 * p["width"] ** 2)))
    ),
}

VARIANTS = [(name, {}) for name in SURFACES] + [
    ("parabola", {"a": 3.0}),
    ("double_well", {"tilt": 0.2}),
    ("sine_bowl", {"amplitude": 1.0, "frequency": 3.0}),
    ("quadratic", {"condition_number": 25.0, "angle": 0.7, "scale": 0.5}),
    ("rosenbrock", {"a": -0.5, "b": 10.0}),
    ("plateau", {"width": 1.5, "depth": 2.0}),
]
IDS = [f"{n}-{i}" for i, (n, _) in enumerate(VARIANTS)]


def _random_points(s: Surface, n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    window = [s.window] if s.dim == 1 else s.window
    return np.stack([rng.uniform(lo, hi, size=n) for lo, hi in window], axis=-1)


def _tf_derivatives(s: Surface, x: np.ndarray):
    params = dict(s.params, A=getattr(s, "A", None))
    xt = tf.constant(x, dtype=tf.float64)
    with tf.GradientTape() as outer:
        outer.watch(xt)
        with tf.GradientTape() as inner:
            inner.watch(xt)
            f = TF_DEFINITIONS[s.name](xt, params)
        g = inner.gradient(f, xt)
    h = outer.batch_jacobian(g, xt)
    return f.numpy(), g.numpy(), h.numpy()


@pytest.mark.parametrize("name, kwargs", VARIANTS, ids=IDS)
def test_value_gradient_hessian_match_tf(name: str, kwargs: dict) -> None:
    s = get_surface(name, **kwargs)
    x = _random_points(s, 64, seed=len(IDS) + len(kwargs))
    f, g, h = _tf_derivatives(s, x)
    scale = 1 + np.abs(f).max()
    np.testing.assert_allclose(s.value(x), f, rtol=1e-12, atol=1e-12 * scale)
    np.testing.assert_allclose(s.gradient(x), g, rtol=1e-10, atol=1e-10 * scale)
    np.testing.assert_allclose(s.hessian(x), h, rtol=1e-10, atol=1e-10 * scale)
    # One point at a time gives the same as the batch.
    for i in (0, 17):
        assert s.value(x[i]) == pytest.approx(f[i], rel=1e-12, abs=1e-12)
        np.testing.assert_allclose(s.gradient(x[i]), g[i], rtol=1e-10, atol=1e-10 * scale)
        np.testing.assert_allclose(s.hessian(x[i]), h[i], rtol=1e-10, atol=1e-10 * scale)


@pytest.mark.parametrize("name, kwargs", VARIANTS, ids=IDS)
def test_minima_are_minima(name: str, kwargs: dict) -> None:
    s = get_surface(name, **kwargs)
    assert s.minima.ndim == 2 and s.minima.shape[1] == s.dim and len(s.minima) >= 1
    _, g, h = _tf_derivatives(s, s.minima)
    np.testing.assert_allclose(g, 0.0, atol=1e-8)
    assert (np.linalg.eigvalsh(h) > 0).all()
    # The first minimum is global: no random point in the window is lower.
    assert s.value(s.minima[0]) <= s.value(_random_points(s, 2000, seed=1)).min() + 1e-12
    assert s.start.shape == (s.dim,)
    assert name in repr(s)


WITH_L = [(n, kw) for n, kw in VARIANTS if get_surface(n, **kw).L is not None]


@pytest.mark.parametrize("name, kwargs", WITH_L)
def test_smoothness_constant_bounds_the_hessian(name: str, kwargs: dict) -> None:
    s = get_surface(name, **kwargs)
    _, _, h = _tf_derivatives(s, _random_points(s, 500, seed=2))
    eig = np.linalg.eigvalsh(h)
    assert eig.max() <= s.L * (1 + 1e-9)
    if s.mu is not None:
        assert eig.min() >= s.mu * (1 - 1e-9)


def test_quadratic_constants() -> None:
    s = surfaces.quadratic(condition_number=20.0, angle=0.3, scale=0.5)
    np.testing.assert_allclose(np.linalg.eigvalsh(s.A), [0.5, 10.0])
    assert (s.L, s.mu) == (10.0, 0.5)
    np.testing.assert_allclose(s.A, s.A.T)


def test_value_vectorizes_over_grids() -> None:
    s = get_surface("himmelblau")
    X, Y, Z = s.grid(resolution=30)
    assert X.shape == Y.shape == Z.shape == (30, 30)
    assert Z[4, 7] == pytest.approx(float(s.value(np.array([X[4, 7], Y[4, 7]]))))
    pts = np.stack([X, Y], axis=-1)
    assert s.gradient(pts).shape == (30, 30, 2) and s.hessian(pts).shape == (30, 30, 2, 2)
    p = get_surface("parabola")
    xs = np.linspace(-2, 2, 11)
    assert p.value(xs).shape == (11,) and p.gradient(xs).shape == (11,)
    np.testing.assert_allclose(p.value(xs[:, None]), p.value(xs))
    assert p.grid(resolution=5)[1].shape == (5,)
    with pytest.raises(ValueError, match=r"`x` must have shape \(\.\.\., 2\)"):
        s.value(np.ones(3))
    with pytest.raises(TypeError, match=r"`x` must be points of shape \(\.\.\., 2\)"):
        s.gradient(["a", "b"])


# ---------------------------------------------------------------------- run()
def test_run_converges_on_a_quadratic() -> None:
    s = surfaces.quadratic(condition_number=10.0)
    path = run(s, optim.SGD(learning_rate=1 / s.L), s.start, 300)
    assert isinstance(path, PathResult)
    assert path.points.shape == (301, 2) and path.values.shape == (301,)
    assert not path.diverged and path.steps_taken == 300
    assert path.values[-1] < 1e-10 < path.values[0]
    np.testing.assert_allclose(path.points[0], s.start)
    np.testing.assert_allclose(path.values, s.value(path.points))
    assert path.label == "SGD lr=0.1" and "SGD" in repr(path)


@pytest.mark.parametrize("max_value", [1e6, math.inf])
def test_run_flags_divergence_and_stays_finite(max_value: float) -> None:
    s = surfaces.quadratic(condition_number=10.0)
    path = run(s, optim.SGD(learning_rate=2.5 / s.L), s.start, 5000, max_value=max_value)
    assert path.diverged and path.steps_taken < 5000
    assert np.isfinite(path.points).all() and np.isfinite(path.values).all()
    assert len(path.points) == len(path.values) == path.steps_taken + 1
    assert np.abs(path.values).max() <= max_value
    assert path.values[-1] > path.values[0]


def test_run_on_a_steep_surface_with_each_optimizer() -> None:
    s = get_surface("rosenbrock")
    for opt in (optim.SGD(0.01), optim.Adam(0.5), optim.RMSprop(0.3, momentum=0.9)):
        path = run(s, opt, s.start, 1000, max_value=math.inf)
        assert np.isfinite(path.points).all() and np.isfinite(path.values).all()


def test_run_resets_the_optimizer() -> None:
    s, opt = get_surface("beale"), optim.Adam(0.01)
    first = run(s, opt, s.start, 200)
    assert opt.iterations == 200
    second = run(s, opt, s.start, 200, label="again")
    np.testing.assert_array_equal(first.points, second.points)
    assert second.label == "again"


def test_run_accepts_any_object_with_step_and_reset() -> None:
    class HalfStep:
        def reset(self) -> None:
            pass

        def step(self, x, g):
            return x - 0.5 * g

    path = run(get_surface("parabola"), HalfStep(), [2.0], 3)
    np.testing.assert_allclose(path.points[:, 0], [2.0, 1.0, 0.5, 0.25])


def test_path_result_is_frozen() -> None:
    path = run(get_surface("saddle"), optim.SGD(0.1), [1.0, 0.5], 5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        path.diverged = True  # type: ignore[misc]


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda s, o: run(s, o, s.start, 0), ValueError, "`steps` must be >= 1"),
        (lambda s, o: run(s, o, s.start, 2.5), TypeError, "`steps` must be an integer"),
        (lambda s, o: run(s, o, [1.0, 2.0, 3.0], 5), ValueError, r"`start` must have shape"),
        (lambda s, o: run(s, o, [np.nan, 0.0], 5), ValueError, "`start` must be finite"),
        (lambda s, o: run(s, o, s.start, 5, max_value=0), ValueError, "`max_value` must be > 0"),
        (lambda s, o: run("rosenbrock", o, s.start, 5), TypeError, "`surface` must be"),
        (lambda s, o: run(s, "adam", s.start, 5), TypeError, "`optimizer` must have"),
    ],
)
def test_run_bad_arguments(call, error, message: str) -> None:
    with pytest.raises(error, match=message):
        call(get_surface("rosenbrock"), optim.SGD(0.001))


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: get_surface("banana"), ValueError, "`name` must be one of 'parabola'"),
        (lambda: surfaces.quadratic(condition_number=0.5), ValueError, "`condition_number`"),
        (lambda: surfaces.quadratic(scale=-1.0), ValueError, "`scale` must be > 0"),
        (lambda: surfaces.rosenbrock(b=0.0), ValueError, "`b` must be > 0"),
        (lambda: surfaces.parabola(a=float("inf")), ValueError, "`a` must be finite"),
        (lambda: surfaces.plateau(width=0.0), ValueError, "`width` must be > 0"),
        (lambda: surfaces.double_well(tilt="x"), TypeError, "`tilt` must be a real number"),
    ],
)
def test_bad_surface_arguments(call, error, message: str) -> None:
    with pytest.raises(error, match=message):
        call()


# ---------------------------------------------------------------------- paths module, overflow
def test_run_lives_in_paths_only() -> None:
    # no re-export through surfaces (issue 18: no import circle kept alive by a shim)
    assert not hasattr(surfaces, "run") and not hasattr(surfaces, "PathResult")


def test_gradient_overflow_gives_inf_and_the_run_stops_cleanly() -> None:
    s = get_surface("beale")
    with np.errstate(all="ignore"):
        g = s.gradient(np.array([1e120, 1e120]))
    assert not np.isfinite(g).all()  # no OverflowError from Python floats
    path = run(s, optim.SGD(1.0), s.start, 500)
    assert path.diverged and np.isfinite(path.points).all()


def test_run_uses_the_stepper_and_matches_step_by_step() -> None:
    s = get_surface("rosenbrock")
    opt = optim.Adam(0.05, amsgrad=True, clipnorm=1.0)
    path = run(s, opt, s.start, 100)
    ref, x = optim.Adam(0.05, amsgrad=True, clipnorm=1.0), s.start.copy()
    for k in range(100):
        x = ref.step(x, s.gradient(x))
        np.testing.assert_array_equal(path.points[k + 1], x)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda s, o: run(s, o, "abc", 5), TypeError, "`start` must be a point"),
        (lambda s, o: run(s, o, [[1.0, 2.0]], 5), ValueError, "`start` must have shape"),
        (lambda s, o: run(s, o, s.start, 5, label=3), TypeError, "`label` must be a string"),
        (lambda s, o: run(s, o, s.start, 5, max_value=float("nan")), ValueError, "`max_value`"),
        (lambda s, o: run(s, o, s.start, None), TypeError, "`steps` must be an integer"),
    ],
)
def test_run_more_bad_arguments(call, error, message: str) -> None:
    with pytest.raises(error, match=message):
        call(get_surface("rosenbrock"), optim.SGD(0.001))
