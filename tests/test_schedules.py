"""gdcourse.schedules against keras.optimizers.schedules, over many random settings."""

from __future__ import annotations

import numpy as np
import pytest

from gdcourse import schedules as S

keras = pytest.importorskip("keras")

STEPS = np.arange(0, 400)


def _random_schedule(kind: str, rng: np.random.Generator) -> S.LearningRateSchedule:
    lr0 = float(rng.uniform(0.01, 1.0))
    ds = int(rng.integers(5, 60))
    if kind == "exponential":
        return S.ExponentialDecay(lr0, ds, float(rng.uniform(0.3, 0.99)), bool(rng.random() < 0.5))
    if kind == "inverse_time":
        return S.InverseTimeDecay(lr0, ds, float(rng.uniform(0.1, 3.0)), bool(rng.random() < 0.5))
    if kind == "piecewise":
        b = np.sort(rng.choice(np.arange(1, 300), size=int(rng.integers(1, 5)), replace=False))
        vals = rng.uniform(0.001, 1.0, size=len(b) + 1)
        return S.PiecewiseConstantDecay(b.tolist(), vals.tolist())
    if kind == "polynomial":
        return S.PolynomialDecay(
            lr0,
            ds,
            end_learning_rate=lr0 * float(rng.uniform(0.0, 0.5)),
            power=float(rng.choice([0.5, 1.0, 2.0, 3.0])),
            cycle=bool(rng.random() < 0.5),
        )
    if kind == "cosine":
        warm = rng.random() < 0.5
        return S.CosineDecay(
            lr0 if not warm else lr0 / 10,
            ds * 4,
            alpha=float(rng.uniform(0.0, 0.3)),
            warmup_target=lr0 if warm else None,
            warmup_steps=int(rng.integers(0, 50)) if warm else 0,
        )
    if kind == "restarts":
        return S.CosineDecayRestarts(
            lr0,
            ds,
            t_mul=float(rng.choice([1.0, 1.5, 2.0, 3.0])),
            m_mul=float(rng.uniform(0.5, 1.0)),
            alpha=float(rng.uniform(0.0, 0.2)),
        )
    raise AssertionError(kind)


KINDS = ["exponential", "inverse_time", "piecewise", "polynomial", "cosine", "restarts"]
CASES = [(kind, seed) for kind in KINDS for seed in range(5)]


def _keras_values(ks, steps: np.ndarray) -> np.ndarray:
    if isinstance(ks, keras.optimizers.schedules.CosineDecay) and ks.warmup_target is not None:
        # Keras's warmup branch uses ops.cond, so it takes one step at a time.
        return np.array([float(ks(int(t))) for t in steps])
    return np.asarray(ks(steps.astype(np.int64)), dtype=np.float64)


@pytest.mark.parametrize("kind, seed", CASES)
def test_matches_keras(kind: str, seed: int) -> None:
    ours = _random_schedule(kind, np.random.default_rng(1000 * KINDS.index(kind) + seed))
    expected = _keras_values(ours.to_keras(), STEPS)
    # Keras computes in float32 (eps 1.2e-7), we in float64: allow ~2 float32 ulps of lr.
    np.testing.assert_allclose(ours(STEPS), expected, rtol=2.5e-7, atol=1e-7, err_msg=repr(ours))
    # Scalar calls give the same as the vectorized call.
    for t in (0, 1, 37, 399):
        assert ours(t) == pytest.approx(float(ours(STEPS)[t]), abs=1e-15)
        assert isinstance(ours(t), float)


def test_boundaries_and_staircase() -> None:
    pw = S.PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1])
    assert [pw(t) for t in (0, 10, 11, 20, 21)] == [1.0, 1.0, 0.5, 0.5, 0.1]
    ex = S.ExponentialDecay(1.0, 10, 0.5, staircase=True)
    np.testing.assert_allclose(ex(np.array([0, 9, 10, 19, 20])), [1, 1, 0.5, 0.5, 0.25])
    restarts = S.CosineDecayRestarts(1.0, 10, t_mul=2.0)
    keras_restarts = restarts.to_keras()
    for t in (9, 10, 11, 29, 30, 31, 69, 70, 71):  # restarts at t = 10, 30, 70
        assert restarts(t) == pytest.approx(float(keras_restarts(t)), abs=1e-7)
    assert restarts(10) == pytest.approx(1.0)


@pytest.mark.parametrize("kind", KINDS)
def test_to_keras_round_trip(kind: str) -> None:
    ours = _random_schedule(kind, np.random.default_rng(7))
    ks = ours.to_keras()
    assert type(ks).__name__ == type(ours).__name__
    config = ks.get_config()
    for key, value in ours.get_config().items():
        assert config[key] == value
    rebuilt = type(ours)(**config)
    np.testing.assert_array_equal(rebuilt(STEPS), ours(STEPS))
    assert type(ours).__name__ in repr(ours)


def test_usable_as_keras_learning_rate() -> None:
    opt = keras.optimizers.SGD(learning_rate=S.ExponentialDecay(0.1, 10, 0.5).to_keras())
    assert float(opt.learning_rate) == pytest.approx(0.1)


@pytest.mark.parametrize(
    "factory, message",
    [
        (lambda: S.ExponentialDecay(0.1, 0, 0.5), "`decay_steps` must be > 0"),
        (lambda: S.ExponentialDecay(-0.1, 10, 0.5), "`initial_learning_rate` must be > 0"),
        (lambda: S.ExponentialDecay(0.1, 10, float("nan")), "`decay_rate` must be finite"),
        (lambda: S.InverseTimeDecay(0.1, 10, -1.0), "`decay_rate` must be >= 0"),
        (lambda: S.PiecewiseConstantDecay([10, 20], [1.0, 0.5]), "`boundaries` must have one"),
        (lambda: S.PiecewiseConstantDecay([20, 10], [1.0, 0.5, 0.1]), "must be increasing"),
        (lambda: S.PolynomialDecay(0.1, 10, power=-1.0), "`power` must be >= 0"),
        (lambda: S.CosineDecay(0.1, 10, alpha=1.5), r"`alpha` must be in \[0, 1\]"),
        (lambda: S.CosineDecay(0.1, 10, warmup_steps=-5), "`warmup_steps` must be >= 0"),
        (lambda: S.CosineDecayRestarts(0.1, 10, t_mul=0.0), "`t_mul` must be > 0"),
        (lambda: S.CosineDecayRestarts(0.1, -3), "`first_decay_steps` must be > 0"),
    ],
)
def test_invalid_arguments(factory, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        factory()


def test_wrong_types() -> None:
    with pytest.raises(TypeError, match="`decay_steps` must be a real number"):
        S.ExponentialDecay(0.1, "10", 0.5)


# ---------------------------------------------------------------------- steps, t_mul < 1
@pytest.mark.parametrize(
    "step, error",
    [(None, TypeError), ("3", TypeError), (True, TypeError), (-1, ValueError),
     (-0.5, ValueError), (float("nan"), ValueError), (float("inf"), ValueError),
     (np.array([0, -2]), ValueError), (np.array([True]), TypeError)],
)  # fmt: skip
def test_bad_steps_name_the_argument(step, error) -> None:
    for s in (S.ExponentialDecay(0.1, 10, 0.5), S.PiecewiseConstantDecay([5], [1.0, 0.5]),
              S.CosineDecay(0.1, 10), S.CosineDecayRestarts(0.1, 10)):  # fmt: skip
        with pytest.raises(error, match="`step`"):
            s(step)


def test_restarts_with_shrinking_periods_match_keras_then_stop() -> None:
    s = S.CosineDecayRestarts(1.0, 10, t_mul=0.5, m_mul=0.9, alpha=0.1)
    assert s.horizon == pytest.approx(20.0)
    steps = np.arange(0, 20)
    expected = np.asarray(s.to_keras()(steps), dtype=float)
    np.testing.assert_allclose(s(steps), expected, rtol=1e-6, atol=1e-6)
    assert np.isfinite(s(steps)).all()
    with pytest.raises(ValueError, match=r"`step` must be < 20 .*t_mul=0.5"):
        s(20)
    with pytest.raises(ValueError, match="`step`"):
        s(np.arange(0, 30))
    assert S.CosineDecayRestarts(1.0, 10).horizon == float("inf")


def test_schedules_are_frozen_dataclasses() -> None:
    import dataclasses

    s = S.ExponentialDecay(0.1, 10, 0.5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.decay_rate = 0.9  # type: ignore[misc]
    assert s == S.ExponentialDecay(0.1, 10.0, 0.5)
    assert repr(s) == (
        "ExponentialDecay(initial_learning_rate=0.1, decay_steps=10.0, decay_rate=0.5, "
        "staircase=False)"
    )
    assert s.get_config()["name"] == "ExponentialDecay"
    assert isinstance(s.decay_steps, float)


@pytest.mark.parametrize(
    "factory, error, message",
    [
        (
            lambda: S.PiecewiseConstantDecay(10, [1.0, 0.5]),
            TypeError,
            "`boundaries` must be a list",
        ),
        (lambda: S.PiecewiseConstantDecay([10], "ab"), TypeError, "`values` must be a list"),
        (lambda: S.PiecewiseConstantDecay([10], [1.0, -0.5]), ValueError, "`values` must be >= 0"),
        (lambda: S.CosineDecay(0.0, 10), ValueError, "`initial_learning_rate` must be > 0"),
        (lambda: S.CosineDecay(0.1, 10, warmup_target=-1.0), ValueError, "`warmup_target`"),
        (lambda: S.CosineDecayRestarts(0.1, 10, m_mul=-1.0), ValueError, "`m_mul` must be >= 0"),
        (lambda: S.ExponentialDecay(None, 10, 0.5), TypeError, "`initial_learning_rate`"),
    ],
)
def test_more_invalid_arguments(factory, error, message: str) -> None:
    with pytest.raises(error, match=message):
        factory()
