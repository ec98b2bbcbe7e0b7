"""gdcourse.optim against keras.optimizers: parity over many random problems, plus contracts.

Parity: both optimizers get the same float32 gradients, g_t = w_t + noise_t (w_t the Keras
weights), for 100 steps; our float32 weights must follow Keras's at every step.
"""

from __future__ import annotations

import copy
import inspect

import numpy as np
import pytest

from gdcourse import optim, schedules

keras = pytest.importorskip("keras")

STEPS = 100
#: The parity configurations: every entry of the registry (adding an optimizer there adds it
#: here), by canonical name; each runs with random values of the arguments its knobs name.
VARIANTS = {entry.key: entry for entry in optim.REGISTRY}
ADAM_LIKE = {key for key, entry in VARIANTS.items() if issubclass(entry.optimizer, optim.Adam)}
SEEDS = range(3)
CASES = [(v, s) for v in VARIANTS for s in SEEDS]
#: Ranges the random configurations draw from, by argument name.
KNOB_RANGES = {"momentum": (0.5, 0.95), "rho": (0.5, 0.99), "beta_1": (0.5, 0.95),
               "beta_2": (0.9, 0.9999)}  # fmt: skip


def _random_setup(variant: str, seed: int):
    """Random shapes (1-3 arrays), hyperparameters in valid ranges, clipping, schedules."""
    rng = np.random.default_rng([seed, list(VARIANTS).index(variant)])
    entry = VARIANTS[variant]
    cls_name = entry.optimizer.__name__
    kw: dict = dict(entry.fixed)
    adaptive = cls_name != "SGD"
    kw["learning_rate"] = float(rng.uniform(0.001, 0.05 if adaptive else 0.2))
    for argument in entry.knobs:
        kw[argument] = float(rng.uniform(*KNOB_RANGES[argument]))
    arguments = inspect.signature(entry.optimizer).parameters
    if "epsilon" in arguments:
        kw["epsilon"] = float(10 ** rng.uniform(-8, -3))
    if "initial_accumulator_value" in arguments:
        kw["initial_accumulator_value"] = float(rng.uniform(0.0, 1.0))
    if cls_name == "AdamW" or rng.random() < 0.3:
        kw["weight_decay"] = float(rng.uniform(0.0, 0.1))
    clip = ["none", "clipnorm", "clipvalue", "global_clipnorm"][(seed + len(variant)) % 4]
    if clip != "none":
        kw[clip] = float(rng.uniform(0.5, 2.0))
    if seed == 2:  # a schedule in place of the float learning rate
        lr = kw["learning_rate"]
        kw["learning_rate"] = (
            schedules.ExponentialDecay(lr, int(rng.integers(5, 30)), 0.7, staircase=True)
            if len(variant) % 2
            else schedules.CosineDecay(lr / 10, 60, warmup_target=lr, warmup_steps=20)
        )
    shapes = [tuple(rng.integers(1, 5, size=rng.integers(0, 3))) for _ in range(rng.integers(1, 4))]
    w0 = [rng.normal(size=s).astype(np.float32) for s in shapes]
    noise = [[rng.normal(size=s).astype(np.float32) for s in shapes] for _ in range(STEPS)]
    return cls_name, kw, w0, noise


def _keras_kwargs(kw: dict) -> dict:
    out = dict(kw)
    if isinstance(out["learning_rate"], schedules.LearningRateSchedule):
        out["learning_rate"] = out["learning_rate"].to_keras()
    return out


@pytest.mark.parametrize("variant, seed", CASES)
def test_follows_keras(variant: str, seed: int) -> None:
    cls_name, kw, w0, noise = _random_setup(variant, seed)
    keras_kw = _keras_kwargs(kw)
    theirs = getattr(keras.optimizers, cls_name)(**keras_kw)
    if variant not in ADAM_LIKE and not isinstance(kw["learning_rate"], float):
        # Keras evaluates schedules in float32, we in float64: ~1 ulp of lr per step, which
        # momentum amplifies to ~1e-6 over 100 steps. Schedules have their own parity tests
        # (test_schedules.py); here the 1e-6 check isolates the update rule and the 0-based
        # step, so feed ours Keras's own schedule values.
        kw = dict(kw, learning_rate=lambda t: float(keras_kw["learning_rate"](t)))
    ours = getattr(optim, cls_name)(**kw)
    variables = [keras.Variable(w) for w in w0]
    ws = [w.copy() for w in w0]
    for t in range(STEPS):
        grads = [
            np.asarray(v.numpy() + n, dtype=np.float32)
            for v, n in zip(variables, noise[t], strict=True)
        ]
        theirs.apply_gradients(zip(grads, variables, strict=True))
        ws = ours.step(ws, grads)
        for w, v in zip(ws, variables, strict=True):
            assert w.dtype == np.float32
            if variant == "rmspropcentered":
                # sqrt(v - m^2) cancels digits: float32 rounding (float64 agrees to Keras's
                # float32 learning rate, 1e-7) grows to ~1e-6 over 100 steps with momentum
                np.testing.assert_allclose(w, v.numpy(), rtol=1e-5, atol=3e-6, err_msg=f"step {t}")
            elif variant in ADAM_LIKE:
                np.testing.assert_allclose(w, v.numpy(), rtol=1e-5, atol=1e-6, err_msg=f"step {t}")
            else:
                np.testing.assert_allclose(w, v.numpy(), rtol=0, atol=1e-6, err_msg=f"step {t}")
    assert ours.iterations == int(theirs.iterations.numpy()) == STEPS


# ---------------------------------------------------------------------- hand-computed steps
def test_sgd_by_hand() -> None:
    assert optim.SGD(0.1).step(np.array([1.0]), np.array([2.0]))[0] == pytest.approx(0.8)
    opt = optim.SGD(0.1, momentum=0.9)
    w = opt.step(np.array([1.0]), np.array([2.0]))  # v = -0.2, w = 0.8
    w = opt.step(w, np.array([1.0]))  # v = 0.9 * -0.2 - 0.1 = -0.28, w = 0.52
    assert w[0] == pytest.approx(0.52) and opt.velocities[0][0] == pytest.approx(-0.28)
    nesterov = optim.SGD(0.1, momentum=0.9, nesterov=True)  # w = 1 + 0.9 * -0.2 - 0.2
    assert nesterov.step(np.array([1.0]), np.array([2.0]))[0] == pytest.approx(0.62)


def test_rmsprop_by_hand() -> None:
    w = optim.RMSprop(0.1, rho=0.9).step(np.array([10.0]), np.array([10.0]))
    assert w[0] == pytest.approx(10 - 0.1 * 10 / np.sqrt(0.1 * 100 + 1e-7))
    centered = optim.RMSprop(0.1, rho=0.5, centered=True, epsilon=0.0)
    w = centered.step(np.array([1.0]), np.array([2.0]))  # v = 2, a = 1, v - a^2 = 1
    assert w[0] == pytest.approx(1 - 0.1 * 2 / 1.0)


def test_adagrad_by_hand() -> None:
    w = optim.Adagrad(0.1).step(np.array([1.0]), np.array([2.0]))  # G = 0.1 + 4
    assert w[0] == pytest.approx(1 - 0.1 * 2 / np.sqrt(4.1 + 1e-7))


def test_adam_by_hand() -> None:
    # m = 0.2, v = 0.004, alpha = 0.1 * sqrt(0.001) / 0.1, w = 1 - alpha * m / (sqrt(v) + eps)
    w = optim.Adam(0.1, epsilon=0.0).step(np.array([1.0]), np.array([2.0]))
    assert w[0] == pytest.approx(0.9)
    w = optim.AdamW(0.1, weight_decay=0.5, epsilon=0.0).step(np.array([2.0]), np.array([1.0]))
    assert w[0] == pytest.approx(2 * (1 - 0.05) - 0.1)


# ---------------------------------------------------------------------- contracts
ALL = [
    lambda: optim.SGD(0.1),
    lambda: optim.SGD(0.1, momentum=0.9, nesterov=True),
    lambda: optim.RMSprop(0.01, momentum=0.5, centered=True),
    lambda: optim.Adagrad(0.1),
    lambda: optim.Adam(0.01, amsgrad=True),
    lambda: optim.AdamW(0.01, clipnorm=1.0),
]


@pytest.mark.parametrize("make", ALL)
def test_inputs_not_mutated_and_not_aliased(make) -> None:
    rng = np.random.default_rng(0)
    params = [rng.normal(size=(3, 2)), rng.normal(size=4)]
    grads = [rng.normal(size=(3, 2)), rng.normal(size=4)]
    before = [a.copy() for a in params + grads]
    opt = make()
    new = opt.step(params, grads)
    new = opt.step(new, grads)
    for a, b in zip(params + grads, before, strict=True):
        np.testing.assert_array_equal(a, b)
    for n, p in zip(new, params, strict=True):
        assert not np.shares_memory(n, p)
        assert not np.allclose(n, p)


@pytest.mark.parametrize("make", ALL)
def test_reset_starts_over(make) -> None:
    w, g = np.array([1.0, -2.0]), np.array([0.5, 0.25])
    fresh = make().step(w, g)
    opt = make()
    for k in range(5):
        opt.step(w, g * (k + 3))
    assert opt.iterations == 5
    if not (isinstance(opt, optim.SGD) and opt.momentum == 0):  # plain SGD keeps no state
        assert not np.array_equal(copy.deepcopy(opt).step(w, g), fresh)
    opt.reset()
    assert opt.iterations == 0
    np.testing.assert_array_equal(opt.step(w, g), fresh)


@pytest.mark.parametrize("make", ALL)
def test_array_list_tuple_inputs(make) -> None:
    w, g = np.array([1.0, -2.0], dtype=np.float32), np.array([0.5, 0.25], dtype=np.float32)
    as_array = make().step(w, g)
    as_list = make().step([w], [g])
    as_tuple = make().step((w,), (g,))
    assert isinstance(as_array, np.ndarray) and as_array.dtype == np.float32
    assert isinstance(as_list, list) and isinstance(as_tuple, tuple)
    np.testing.assert_array_equal(as_array, as_list[0])
    np.testing.assert_array_equal(as_array, as_tuple[0])
    assert make().step(np.array([1, 2]), np.array([1, 1])).dtype == np.float64
    assert type(make()).__name__ in repr(make())


def test_state_is_readable() -> None:
    opt = optim.Adam(0.1, amsgrad=True)
    opt.step([np.ones(2), np.ones(3)], [np.ones(2), np.ones(3)])
    assert [m.shape for m in opt.m] == [(2,), (3,)] and len(opt.v) == len(opt.v_hat) == 2
    assert opt.iterations == 1
    rms = optim.RMSprop(momentum=0.5, centered=True)
    rms.step(np.ones(2), np.ones(2))
    assert len(rms.velocities) == len(rms.momentums) == len(rms.average_gradients) == 1
    assert optim.Adagrad(initial_accumulator_value=0.3).step(np.ones(1), np.ones(1)).shape == (1,)
    assert optim.SGD(momentum=0).momentum == 0.0  # an int 0 is fine


def test_allow_nonfinite() -> None:
    opt = optim.SGD(0.1, allow_nonfinite=True)
    assert np.isnan(opt.step(np.ones(2), np.array([np.nan, 1.0]))[0])


def test_schedule_is_called_with_zero_based_step() -> None:
    seen: list[int] = []
    opt = optim.SGD(lambda t: seen.append(t) or 0.1)
    w = np.ones(1)
    for _ in range(3):
        w = opt.step(w, np.ones(1))
    assert seen == [0, 1, 2] and opt.current_learning_rate() == pytest.approx(0.1)


# ---------------------------------------------------------------------- invalid arguments
@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda: optim.SGD(0.0), ValueError, "`learning_rate` must be > 0"),
        (lambda: optim.SGD(-0.1), ValueError, "`learning_rate` must be > 0"),
        (lambda: optim.Adam(float("nan")), ValueError, "`learning_rate` must be finite"),
        (lambda: optim.Adam(float("inf")), ValueError, "`learning_rate` must be finite"),
        (lambda: optim.SGD("0.1"), TypeError, "`learning_rate` must be a real number"),
        (lambda: optim.SGD(momentum=1.5), ValueError, r"`momentum` must be in \[0, 1\)"),
        (lambda: optim.SGD(momentum=1.0), ValueError, r"`momentum` must be in \[0, 1\)"),
        (lambda: optim.SGD(momentum=-0.1), ValueError, r"`momentum` must be in \[0, 1\)"),
        (lambda: optim.RMSprop(rho=1.0), ValueError, r"`rho` must be in \[0, 1\)"),
        (lambda: optim.RMSprop(momentum=2), ValueError, r"`momentum` must be in \[0, 1\)"),
        (lambda: optim.Adam(beta_1=1.0), ValueError, r"`beta_1` must be in \[0, 1\)"),
        (lambda: optim.Adam(beta_2=-0.5), ValueError, r"`beta_2` must be in \[0, 1\)"),
        (lambda: optim.Adam(epsilon=-1e-7), ValueError, "`epsilon` must be >= 0"),
        (lambda: optim.RMSprop(epsilon=-1.0), ValueError, "`epsilon` must be >= 0"),
        (
            lambda: optim.Adagrad(initial_accumulator_value=-0.1),
            ValueError,
            "`initial_accumulator_value` must be >= 0",
        ),
        (lambda: optim.SGD(clipnorm=0.0), ValueError, "`clipnorm` must be > 0"),
        (lambda: optim.SGD(clipvalue=-1.0), ValueError, "`clipvalue` must be > 0"),
        (lambda: optim.Adam(clipnorm=1.0, clipvalue=1.0), ValueError, "Only one of `clipnorm`"),
        (lambda: optim.SGD(weight_decay=-0.1), ValueError, "`weight_decay` must be >= 0"),
        (lambda: optim.AdamW(weight_decay=None), ValueError, "`weight_decay` must be"),
    ],
)
def test_invalid_arguments(make, error, message: str) -> None:
    with pytest.raises(error, match=message):
        make()


@pytest.mark.parametrize(
    "params, grads, error, message",
    [
        (np.ones(2), np.ones(3), ValueError, r"`grads` must match the shapes of `params`"),
        ([np.ones(2)], [np.ones(2), np.ones(2)], ValueError, "`grads` must have one array"),
        (np.ones(2), [np.ones(2)], TypeError, "`grads` must be of the same kind"),
        (np.ones(2), np.array([1.0, np.nan]), ValueError, "`grads` must be finite"),
        (np.ones(2), np.array([np.inf, 1.0]), ValueError, "`grads` must be finite"),
        (np.array(["a", "b"]), np.ones(2), TypeError, "`params` must hold real numbers"),
    ],
)
def test_invalid_step_inputs(params, grads, error, message: str) -> None:
    with pytest.raises(error, match=message):
        optim.Adam().step(params, grads)


def test_shapes_fixed_after_first_step() -> None:
    opt = optim.SGD(0.1, momentum=0.9)
    opt.step(np.ones(2), np.ones(2))
    with pytest.raises(ValueError, match="`params` must keep the shapes"):
        opt.step(np.ones(3), np.ones(3))


def test_schedule_must_return_valid_rate() -> None:
    with pytest.raises(ValueError, match="`learning_rate` schedule must return"):
        optim.SGD(lambda t: -1.0).step(np.ones(1), np.ones(1))


# ---------------------------------------------------------------------- stepper, config
STEPPER_CASES = [
    *ALL,
    lambda: optim.Adam(0.01, clipnorm=0.5, weight_decay=0.1),
    lambda: optim.SGD(0.1, clipvalue=0.3),
    lambda: optim.RMSprop(0.01, global_clipnorm=0.2),
    lambda: optim.Adam(schedules.ExponentialDecay(0.1, 5, 0.5)),
    lambda: optim.Adagrad(0.1, initial_accumulator_value=0.0, epsilon=0.0),  # 0/0 at g = 0
]


@pytest.mark.parametrize("make", STEPPER_CASES)
@pytest.mark.parametrize("shape, dtype", [((1,), np.float64), ((2,), np.float64),
                                          ((2, 3), np.float64), ((2,), np.float32)])  # fmt: skip
def test_stepper_gives_the_numbers_of_step(make, shape, dtype) -> None:
    rng = np.random.default_rng(1)
    by_step, by_stepper = make(), make()
    x = y = rng.normal(size=shape).astype(dtype)
    step = by_stepper.stepper(x)
    with np.errstate(all="ignore"):
        for k in range(30):
            g = np.zeros(shape, dtype) if k == 2 else rng.normal(size=shape).astype(dtype)
            x, y = by_step.step(x, g), step(y, g)
            np.testing.assert_array_equal(x, y, err_msg=f"step {k}")
            assert y.dtype == dtype and y.shape == shape
    assert by_step.iterations == by_stepper.iterations == 30
    for slot in by_step._slots:
        for a, b in zip(getattr(by_step, slot), getattr(by_stepper, slot), strict=True):
            np.testing.assert_array_equal(a, b)


def test_stepper_on_lists_and_mixed_with_step() -> None:
    opt, ref = optim.Adam(0.1), optim.Adam(0.1)
    ws = [np.ones(2), np.ones((2, 2))]
    gs = [np.full(2, 0.5), np.full((2, 2), -1.0)]
    step = opt.stepper(ws)
    new = step(ws, gs)
    assert isinstance(new, list)
    new = opt.step(new, gs)  # step and stepper share the state
    expected = ref.step(ref.step(ws, gs), gs)
    for a, b in zip(new, expected, strict=True):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="`params` must keep the shapes"):
        opt.stepper(np.ones(3))
    with pytest.raises(TypeError, match="`params` must hold real numbers"):
        optim.SGD().stepper(np.array(["a"]))
    with pytest.raises(TypeError, match="`params` must be an array"):
        optim.SGD().stepper(None)


def test_zero_argument_learning_rate_is_called_like_keras() -> None:
    calls: list[int] = []
    opt = optim.SGD(lambda: calls.append(1) or 0.5)
    assert opt.step(np.ones(1), np.ones(1))[0] == pytest.approx(0.5)
    assert opt.current_learning_rate() == 0.5 and len(calls) == 2
    ours = optim.Adam(lambda: 0.01)
    theirs = keras.optimizers.Adam(lambda: 0.01)
    v = keras.Variable(np.ones(2, np.float32))
    theirs.apply_gradients([(np.full(2, 0.5, np.float32), v)])
    np.testing.assert_allclose(ours.step(np.ones(2, np.float32), np.full(2, 0.5, np.float32)),
                               v.numpy(), rtol=1e-6)  # fmt: skip
    with pytest.raises(TypeError, match="`learning_rate` must be a float, a schedule"):
        optim.SGD(lambda step, extra: 0.1)


def test_get_config_and_to_keras() -> None:
    opt = optim.RMSprop(0.01, rho=0.8, momentum=0.5, centered=True, clipnorm=1.0)
    config = opt.get_config()
    assert config["rho"] == 0.8 and config["clipnorm"] == 1.0 and config["weight_decay"] is None
    assert type(opt)(**config).get_config() == config
    twin = opt.to_keras()
    assert isinstance(twin, keras.optimizers.RMSprop) and twin.centered
    lr_config = optim.SGD(schedules.ExponentialDecay(0.1, 10, 0.5)).to_keras().get_config()
    assert lr_config["learning_rate"]["class_name"] == "ExponentialDecay"
    assert optim.AdamW(weight_decay=0.1).to_keras().weight_decay == 0.1


def test_shared_arguments_are_keywords() -> None:
    with pytest.raises(TypeError):
        optim.SGD(0.1, 0.9, False, 0.01)  # weight_decay must be named
    with pytest.raises(TypeError, match="unexpected keyword argument 'clip_norm'"):
        optim.Adam(clip_norm=1.0)


# ------------------------------------------------------------------------------- registry
def test_registry_entries_are_exported_distinct_and_build_their_configuration() -> None:
    from gdcourse.optim.presets import PRESETS
    from gdcourse.style import OPTIMIZER_COLORS, canonical_optimizer

    keys = [e.key for e in optim.REGISTRY]
    assert len(set(keys)) == len(keys)
    colours = [e.color for e in optim.REGISTRY if e.color]
    assert len(set(colours)) == len(colours) and set(colours) == set(OPTIMIZER_COLORS.values())
    assert list(PRESETS) == [e.name for e in optim.REGISTRY if e.playground]
    for entry in optim.REGISTRY:
        assert getattr(optim, entry.optimizer.__name__) is entry.optimizer
        built = entry.build(0.01, momentum=0.8, beta_1=0.7, beta_2=0.95)
        config = built.get_config()
        assert all(config[k] == v for k, v in entry.fixed.items()), entry.name
        assert {config[arg] for arg in entry.knobs} <= {0.8, 0.7, 0.95}, entry.name
        # a run named after the entry is drawn in its colour (or the one its name starts with)
        assert canonical_optimizer(entry.name) in OPTIMIZER_COLORS, entry.name
