"""Property-based tests (Hypothesis) for gdcourse.surfaces and gdcourse.paths.

At random points of each surface's window the analytic gradient matches a central finite
difference of the value; ``run`` from a random start returns finite points of the right shape.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdcourse import optim
from gdcourse.paths import run
from gdcourse.surfaces import SURFACES, get_surface

FAST = settings(max_examples=50, deadline=None)
fractions = st.lists(st.floats(0.0, 1.0), min_size=2, max_size=2)


def _point(surface, fraction) -> np.ndarray:
    window = [surface.window] if surface.dim == 1 else surface.window
    return np.array([lo + f * (hi - lo) for (lo, hi), f in zip(window, fraction, strict=False)])


@FAST
@given(st.sampled_from(sorted(SURFACES)), fractions)
def test_gradient_matches_finite_differences(name, fraction) -> None:
    s = get_surface(name)
    x = _point(s, fraction)
    h = 1e-6
    numeric = np.array([(s.value(x + h * e) - s.value(x - h * e)) / (2 * h) for e in np.eye(s.dim)])
    scale = 1 + np.abs(numeric).max() + abs(float(s.value(x)))
    np.testing.assert_allclose(s.gradient(x), numeric, rtol=1e-5, atol=1e-6 * scale)


@FAST
@given(st.sampled_from(sorted(SURFACES)), fractions, st.floats(1e-4, 0.5), st.integers(1, 300))
def test_run_gives_finite_paths(name, fraction, lr, steps) -> None:
    s = get_surface(name)
    path = run(s, optim.Adam(lr), _point(s, fraction), steps)
    assert path.points.shape == (path.steps_taken + 1, s.dim)
    assert np.isfinite(path.points).all() and np.isfinite(path.values).all()
    assert path.steps_taken == steps or path.diverged


@FAST
@given(st.one_of(st.integers(max_value=0), st.floats(), st.none(), st.text(max_size=3)))
def test_bad_steps_raise(bad) -> None:
    s = get_surface("rosenbrock")
    with pytest.raises((TypeError, ValueError), match="`steps` must be"):
        run(s, optim.SGD(0.01), s.start, bad)
