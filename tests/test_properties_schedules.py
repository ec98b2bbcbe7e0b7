"""Property-based tests (Hypothesis) for gdcourse.schedules: any valid settings, any step.

Each schedule is finite and >= 0 at every step, monotone where its docstring says it decays,
equal to its Keras twin at random steps, and answers a bad step or argument with the error
that names it.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdcourse import schedules as S

keras = pytest.importorskip("keras")

FAST = settings(max_examples=50, deadline=None)
rates = st.floats(1e-4, 10.0)
periods = st.integers(1, 500)
steps = st.integers(0, 5000)


@st.composite
def any_schedule(draw) -> S.LearningRateSchedule:
    kind = draw(st.sampled_from(["exp", "inv", "piece", "poly", "cos", "warm", "restarts"]))
    lr0, T = draw(rates), draw(periods)
    if kind == "exp":
        return S.ExponentialDecay(lr0, T, draw(st.floats(0.01, 1.0)), draw(st.booleans()))
    if kind == "inv":
        return S.InverseTimeDecay(lr0, T, draw(st.floats(0.0, 5.0)), draw(st.booleans()))
    if kind == "piece":
        b = sorted(draw(st.sets(st.integers(1, 3000), min_size=1, max_size=4)))
        vals = draw(st.lists(st.floats(0.0, 1.0), min_size=len(b) + 1, max_size=len(b) + 1))
        return S.PiecewiseConstantDecay(b, vals)
    if kind == "poly":
        end = lr0 * draw(st.floats(0.0, 1.0))
        return S.PolynomialDecay(lr0, T, end, draw(st.floats(0.1, 3.0)), draw(st.booleans()))
    if kind == "cos":
        return S.CosineDecay(lr0, T, alpha=draw(st.floats(0.0, 1.0)))
    if kind == "warm":
        return S.CosineDecay(lr0 / 10, T, alpha=draw(st.floats(0.0, 1.0)), warmup_target=lr0,
                             warmup_steps=draw(st.integers(0, 200)))  # fmt: skip
    t_mul = draw(st.sampled_from([1.0, 1.5, 2.0, 3.0]))
    m_mul, alpha = draw(st.floats(0.0, 1.0)), draw(st.floats(0.0, 1.0))
    return S.CosineDecayRestarts(lr0, T, t_mul=t_mul, m_mul=m_mul, alpha=alpha)


@FAST
@given(any_schedule(), st.lists(steps, min_size=1, max_size=20))
def test_finite_and_non_negative(schedule, ts) -> None:
    values = schedule(np.array(ts))
    assert values.shape == (len(ts),)
    assert np.isfinite(values).all() and (values >= 0).all()
    assert schedule(ts[0]) == pytest.approx(float(values[0]), rel=1e-12, abs=1e-300)


DECAYING = (S.ExponentialDecay, S.InverseTimeDecay, S.PolynomialDecay, S.CosineDecay)


@FAST
@given(any_schedule())
def test_monotone_where_documented(schedule) -> None:
    """Without cycles, restarts or warmup, a decay never goes up."""
    decays = isinstance(schedule, DECAYING) and not getattr(schedule, "cycle", False)
    if isinstance(schedule, S.CosineDecay) and schedule.warmup_target is not None:
        decays = False
    if isinstance(schedule, S.PiecewiseConstantDecay):
        decays = list(schedule.values) == sorted(schedule.values, reverse=True)
    if decays:
        values = schedule(np.arange(0, 3000))
        assert (np.diff(values) <= 1e-12 * values[0]).all()


@settings(max_examples=30, deadline=None)
@given(any_schedule(), st.lists(steps, min_size=1, max_size=5))
def test_matches_keras_at_random_steps(schedule, ts) -> None:
    theirs = schedule.to_keras()
    expected = [float(theirs(t)) for t in ts]  # Keras computes in float32
    np.testing.assert_allclose(schedule(np.array(ts)), expected, rtol=3e-6, atol=1e-7)


@FAST
@given(st.one_of(st.integers(max_value=-1), st.floats(max_value=-1e-9),
                 st.sampled_from([math.nan, math.inf, -math.inf])))  # fmt: skip
def test_bad_steps_raise_value_error(step) -> None:
    with pytest.raises(ValueError, match="`step` must be"):
        S.ExponentialDecay(0.1, 10, 0.5)(step)


@FAST
@given(st.floats(allow_nan=True, allow_infinity=True).filter(lambda v: not (0 < v < math.inf)))
def test_bad_decay_steps_raise_value_error(bad) -> None:
    with pytest.raises(ValueError, match="`decay_steps` must be"):
        S.ExponentialDecay(0.1, bad, 0.5)
