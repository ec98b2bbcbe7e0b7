"""Property-based tests (Hypothesis) for gdcourse.optim: any valid settings, any finite input.

A step from finite parameters and gradients is finite, the fast ``stepper`` gives exactly the
numbers of ``step``, and an out-of-range hyperparameter raises ``ValueError`` naming it.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from gdcourse import optim

FAST = settings(max_examples=50, deadline=None)
unit = st.floats(0.0, 0.999)
positive = st.floats(1e-4, 1.0)
clipping = st.sampled_from([{}, {"clipnorm": 1.0}, {"clipvalue": 0.5}, {"global_clipnorm": 2.0}])


@st.composite
def any_optimizer(draw) -> optim.Optimizer:
    kind = draw(st.sampled_from(["sgd", "rmsprop", "adagrad", "adam", "adamw"]))
    lr, kw = draw(positive), dict(draw(clipping))
    if draw(st.booleans()) and kind != "adamw":
        kw["weight_decay"] = draw(st.floats(0.0, 0.5))
    if kind == "sgd":
        return optim.SGD(lr, draw(unit), draw(st.booleans()), **kw)
    if kind == "rmsprop":
        return optim.RMSprop(lr, draw(unit), draw(unit), draw(st.floats(1e-8, 1e-3)),
                             draw(st.booleans()), **kw)  # fmt: skip
    if kind == "adagrad":
        return optim.Adagrad(lr, draw(st.floats(0.01, 1.0)), draw(st.floats(1e-8, 1e-3)), **kw)
    cls = optim.Adam if kind == "adam" else optim.AdamW
    return cls(lr, beta_1=draw(unit), beta_2=draw(unit), epsilon=draw(st.floats(1e-8, 1e-3)),
               amsgrad=draw(st.booleans()), **kw)  # fmt: skip


values = st.floats(-1e3, 1e3)
vectors = st.integers(1, 2).flatmap(
    lambda n: st.lists(hnp.arrays(np.float64, n, elements=values), min_size=2, max_size=12)
)


@FAST
@given(any_optimizer(), vectors)
def test_finite_inputs_give_finite_steps(opt, arrays) -> None:
    x = arrays[0]
    for g in arrays[1:]:
        x = opt.step(x, g)
        assert np.isfinite(x).all()


@FAST
@given(any_optimizer(), vectors)
def test_stepper_equals_step(opt, arrays) -> None:
    twin = type(opt)(**opt.get_config())
    x = y = arrays[0]
    step = twin.stepper(y)
    for g in arrays[1:]:
        x, y = opt.step(x, g), step(y, g)
        np.testing.assert_array_equal(x, y)
    assert opt.iterations == twin.iterations


@FAST
@given(
    st.sampled_from(["momentum", "rho", "beta_1", "beta_2"]),
    st.one_of(st.floats(min_value=1.0), st.floats(max_value=-1e-12), st.just(float("nan"))),
)
def test_decay_rates_outside_the_unit_interval_raise(name, bad) -> None:
    cls = optim.SGD if name == "momentum" else optim.RMSprop if name == "rho" else optim.Adam
    with pytest.raises(ValueError, match=f"`{name}` must be"):
        cls(**{name: bad})


@FAST
@given(st.one_of(st.floats(max_value=0.0), st.just(float("inf")), st.just(float("nan"))))
def test_bad_learning_rates_raise(bad) -> None:
    with pytest.raises(ValueError, match="`learning_rate` must be"):
        optim.Adam(bad)
