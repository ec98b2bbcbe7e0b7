"""Issue 17, sections 2 and 3: bad inputs that used to pass silently or fail without naming
their cause. Each gets a clear ``ValueError``/``TypeError`` naming the argument, the value
received and what is accepted, or (where a learner would expect it) the right answer.

Nothing here starts a worker process or executes a notebook.
"""

from __future__ import annotations

import math
import os
import subprocess
import threading
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdcourse import linear, optim, theory
from gdcourse.commands.cli import main


# ------------------------------------------------------------------------- the stepper
@pytest.mark.parametrize(
    "make", [lambda: optim.SGD(0.1, momentum=0.9), lambda: optim.Adam(0.1), optim.RMSprop]
)
@pytest.mark.parametrize("shape", [(2,), (1,), (2, 3)])
def test_a_stepper_refuses_an_x_of_another_shape(make, shape):
    opt = make()
    step = opt.stepper(np.zeros(shape))
    other = np.ones((3,)) if shape != (3,) else np.ones(2)
    with pytest.raises(ValueError, match=r"`x` must have the shape .* Received"):
        step(other, other)
    with pytest.raises(ValueError, match=r"`g` must have the shape"):
        step(np.ones(shape), np.ones((5,)))
    assert opt.iterations == 0  # nothing was stepped


def test_a_list_stepper_refuses_other_shapes_and_counts():
    opt = optim.Adam(0.1)
    step = opt.stepper([np.ones(2), np.ones((2, 2))])
    with pytest.raises(ValueError, match=r"`x` must have the shapes"):
        step([np.ones(2)], [np.ones(2)])
    with pytest.raises(ValueError, match=r"`g` must have the shapes"):
        step([np.ones(2), np.ones((2, 2))], [np.ones(2), np.ones(3)])
    assert opt.iterations == 0


def test_a_stepper_still_takes_a_list_of_numbers_for_g():
    opt, ref = optim.SGD(0.1, momentum=0.9), optim.SGD(0.1, momentum=0.9)
    step = opt.stepper(np.zeros(2))
    x = step(np.ones(2), [0.5, -0.5])
    np.testing.assert_array_equal(x, ref.step(np.ones(2), np.array([0.5, -0.5])))


@pytest.mark.parametrize("shape", [(2,), (3,), (2, 2)])
@pytest.mark.parametrize(
    "make", [lambda: optim.SGD(0.1, momentum=0.9), lambda: optim.Adam(0.1), optim.Adagrad]
)
def test_a_stepper_made_before_reset_starts_afresh_like_a_new_optimizer(make, shape):
    rng = np.random.default_rng(0)
    opt, fresh = make(), make()
    x0 = rng.normal(size=shape)
    step = opt.stepper(x0)
    x = x0
    for _ in range(5):
        x = step(x, rng.normal(size=shape))
    opt.reset()
    g = rng.normal(size=shape)
    after = step(x0, g)  # the old stepper after reset(): no velocity, no moments left over
    np.testing.assert_array_equal(after, fresh.step(x0, g))
    assert opt.iterations == 1
    for slot in opt._slots:
        for a, b in zip(getattr(opt, slot), getattr(fresh, slot), strict=True):
            np.testing.assert_array_equal(a, b)


SHAPES = st.lists(st.integers(1, 3), min_size=1, max_size=2).map(tuple)


@settings(max_examples=60, deadline=None, database=None)
@given(made_for=SHAPES, given_shape=SHAPES, which=st.sampled_from(["SGD", "Adam", "RMSprop"]))
def test_a_stepper_steps_its_shape_or_nothing(made_for, given_shape, which):
    make = {"SGD": lambda: optim.SGD(0.1, momentum=0.5), "Adam": lambda: optim.Adam(0.1),
            "RMSprop": lambda: optim.RMSprop(0.1)}[which]  # fmt: skip
    opt, ref = make(), make()
    step = opt.stepper(np.zeros(made_for))
    x, g = np.full(given_shape, 0.5), np.full(given_shape, -1.0)
    if given_shape != made_for:
        with pytest.raises(ValueError, match=r"`x` must have the shape"):
            step(x, g)
        assert opt.iterations == 0
        for slot in opt._slots:
            assert all(not v.any() for v in getattr(opt, slot))
    else:
        np.testing.assert_array_equal(step(x, g), ref.step(x, g))


@settings(max_examples=100, deadline=None, database=None)
@given(st.one_of(st.integers(-(2**40), 2**40), st.none(), st.floats(), st.text(max_size=3)))
def test_any_seed_is_accepted_in_range_or_named(seed):
    from gdcourse._validate import SEED_MAX, check_seed

    try:
        assert check_seed("seed", seed) == seed
    except (TypeError, ValueError) as error:
        assert str(error).startswith("`seed` must be") and "Received: seed=" in str(error)
        assert not (isinstance(seed, int) and 0 <= seed <= SEED_MAX)
    else:
        assert isinstance(seed, int) and 0 <= seed <= SEED_MAX


def test_a_stepper_after_reset_and_another_shape_says_so():
    opt = optim.Adam(0.1)
    step = opt.stepper(np.zeros(2))
    opt.reset()
    opt.step(np.zeros(3), np.ones(3))
    with pytest.raises(ValueError, match="`params` must keep the shapes"):
        step(np.zeros(2), np.ones(2))


# ------------------------------------------------------------------------- linear.py
def test_mse_grad_with_nan_targets_names_y_and_where():
    A = linear.add_bias(np.arange(10.0).reshape(5, 2))
    y = np.array([1.0, np.nan, 2.0, np.nan, 3.0])
    with pytest.raises(ValueError, match=r"`y` must hold finite numbers.*2 NaN.*index 1"):
        linear.mse_grad(np.zeros(3), A, y)
    with pytest.raises(ValueError, match=r"`y` must hold finite"):
        linear.mse(np.zeros(3), A, y)
    A[2, 1] = np.inf
    with pytest.raises(ValueError, match=r"`A` must hold finite numbers.*1 inf.*\(2, 1\)"):
        linear.mse_grad(np.zeros(3), A, np.ones(5))


def test_a_diverged_w_still_gives_an_honest_nan_loss():
    A = linear.add_bias(np.ones((3, 1)))
    with np.errstate(all="ignore"):
        assert math.isnan(linear.mse(np.array([np.nan, 0.0]), A, np.ones(3)))


@pytest.mark.parametrize(
    ("X", "error", "match"),
    [
        ([["a", "b"], ["c", "d"]], TypeError, r"`X` must be .*numbers.*Received: X=\[\['a'"),
        ("12", TypeError, r"`X` must be .*Received: X='12'"),
        ([[1.0, 2.0], [3.0]], ValueError, r"`X` must have rows of one length.*\[2, 1\]"),
        (None, TypeError, r"`X` must be .*Received: X=None"),
        ([1.0, 2.0], ValueError, r"`X` must be a non-empty 2-D array.*shape \(2,\)"),
    ],
)
def test_add_bias_names_its_argument(X, error, match):
    with pytest.raises(error, match=match):
        linear.add_bias(X)


def test_rmse_of_none_names_y_pred():
    with pytest.raises(TypeError, match=r"`y_pred` must be .*Received: y_pred=None"):
        linear.rmse(np.ones(1), None)
    with pytest.raises(TypeError, match=r"`y_true` must be"):
        linear.rmse(None, np.ones(1))
    with pytest.raises(ValueError, match=r"`y_true` must hold finite"):
        linear.rmse(np.array([np.nan]), np.ones(1))


@settings(max_examples=60, deadline=None, database=None)
@given(
    st.lists(
        st.lists(st.one_of(st.floats(), st.text(max_size=2), st.none()), max_size=3),
        min_size=1,
        max_size=4,
    )
)
def test_add_bias_of_anything_is_a_matrix_or_a_named_error(rows):
    try:
        out = linear.add_bias(rows)
    except (TypeError, ValueError) as error:
        assert "`X`" in str(error)
    else:
        assert out.shape == (len(rows), len(rows[0]) + 1)


# ------------------------------------------------------------------------- theory.py
def _exact_trace(X, y, w):
    """tr(Sigma) = (1/N) sum_i ||g_i - g||^2 in exact rational arithmetic."""
    X = [[Fraction(v) for v in row] for row in X]
    y, w = [Fraction(v) for v in y], [Fraction(v) for v in w]
    G = []
    for xi, yi in zip(X, y, strict=True):
        r = sum(a * b for a, b in zip(xi, w, strict=True)) - yi
        G.append([2 * a * r for a in xi])
    N, d = len(G), len(w)
    g = [sum(G[i][j] for i in range(N)) / N for j in range(d)]
    return sum(sum((G[i][j] - g[j]) ** 2 for j in range(d)) for i in range(N)) / N


@pytest.mark.parametrize("scale", [1.0, 1e160, 1e250, 1e-170])
def test_minibatch_gradient_noise_does_not_overflow_for_large_finite_inputs(scale):
    rng = np.random.default_rng(3)
    X, y, w = rng.normal(size=(40, 3)), rng.normal(size=40), rng.normal(size=3)
    small = theory.minibatch_gradient_noise(X, y, w, [1, 4, 20], n_batches=20, seed=1)
    big = theory.minibatch_gradient_noise(X * scale, y, w / scale, [1, 4, 20], n_batches=20,
                                          seed=1)  # fmt: skip
    for key in ("rms", "theory", "reference", "full_norm"):
        assert np.isfinite(big[key]).all(), key
        np.testing.assert_allclose(big[key], small[key] * scale, rtol=1e-12, err_msg=key)
    exact = _exact_trace(X * scale, y, w / scale)  # brute force, no rounding at all
    unit = Fraction(scale) ** 2  # sqrt in units of scale: exact / b itself may exceed float64
    reference = [math.sqrt(exact / b / unit) * scale for b in (1, 4, 20)]
    np.testing.assert_allclose(big["reference"], reference, rtol=1e-12)
    with np.errstate(all="ignore"):  # an answer beyond float64: a named error, not inf
        with pytest.raises(ValueError, match="float64"):
            theory.minibatch_gradient_noise(X * 1e200, y, w, [1], n_batches=2)


def test_minibatch_gradient_noise_names_where_the_nan_is():
    X = np.ones((4, 2))
    X[3, 0] = np.nan
    with pytest.raises(ValueError, match=r"`X` must hold finite numbers.*1 NaN.*\(3, 0\)"):
        theory.minibatch_gradient_noise(X, np.ones(4), np.ones(2), [1])


# ------------------------------------------------------------------------- training.py
@pytest.fixture(scope="module")
def small():
    from dataclasses import replace

    from gdcourse.training import housing_splits

    data = housing_splits(seed=0)
    return replace(data, x_train=data.x_train[:64], y_train=data.y_train[:64])


def test_across_seeds_refuses_duplicates_and_a_bare_count():
    from gdcourse.training import across_seeds

    with pytest.raises(ValueError, match=r"`seeds` must be distinct.*1 .*3 times"):
        across_seeds(lambda s: 1.0, seeds=(1, 1, 1))
    with pytest.raises(TypeError, match=r"`seeds` must be .*range\(3\) or \(0, 1, 2\)"):
        across_seeds(lambda s: 1.0, seeds=3)
    assert str(across_seeds(float, seeds=range(3))).endswith("(n=3 seeds)")


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"seed": None}, TypeError, r"`seed` must be an integer .*reproducible"),
        ({"seed": -1}, ValueError, r"`seed` must be in \[0, 4294967295\]. Received: seed=-1"),
        ({"seed": 2**32}, ValueError, r"`seed` must be in \[0, 4294967295\]"),
        ({"dtype": "int32"}, ValueError, r"`dtype` must be .*'float32'.*'float64'.*int32"),
        ({"dtype": "float16"}, ValueError, r"`dtype` must be .*float16"),
        ({"dtype": "nonsense"}, ValueError, r"`dtype` must be"),
    ],
)
def test_housing_splits_refuses_what_cannot_reproduce_or_truncates(kwargs, error, match):
    from gdcourse.training import housing_splits

    with pytest.raises(error, match=match) as info:
        housing_splits(**kwargs)
    assert "random_state" not in str(info.value)


def test_housing_splits_accepts_float64_and_numpy_dtypes(mirror):
    from gdcourse.training import housing_splits

    a = housing_splits(seed=np.int64(1), dtype=np.float64)
    assert a.x_train.dtype == np.float64 and a.y_train.dtype == np.float64


def test_dense_regressor_says_to_pass_a_tuple():
    from gdcourse.training import dense_regressor

    with pytest.raises(TypeError, match=r"`hidden` must be .*\(32,\).*Received: hidden=32"):
        dense_regressor(hidden=32)


def test_fit_regressor_names_its_slips(small):
    import keras

    from gdcourse.diagnostics import CompactLog
    from gdcourse.training import dense_regressor, fit_regressor

    model = dense_regressor(hidden=(4,), seed=0)
    sgd = keras.optimizers.SGD(0.01)
    with pytest.raises(TypeError, match=r"`data` must be .*housing_splits.*Received: a tuple"):
        fit_regressor(model, sgd, (small.x_train, small.y_train), epochs=1)
    with pytest.raises(TypeError, match=r"`optimizer` .*gdcourse.optim.*\.to_keras\(\)"):
        fit_regressor(model, optim.SGD(0.01), small, epochs=1)
    with pytest.raises(TypeError, match=r"`callbacks` must be a list.*\[CompactLog"):
        fit_regressor(model, sgd, small, epochs=1, callbacks=CompactLog(every=1))
    with pytest.raises(TypeError, match=r"`callbacks\[1\]` must be a Keras callback"):
        fit_regressor(model, sgd, small, epochs=1, callbacks=[CompactLog(every=1), "log"])


def test_fit_regressor_names_nan_features(small):
    from dataclasses import replace

    import keras

    from gdcourse.training import dense_regressor, fit_regressor

    x = small.x_train.copy()
    x[5, 2] = np.nan
    with pytest.raises(ValueError, match=r"`data.x_train` must hold finite.*1 NaN.*\(5, 2\)"):
        fit_regressor(dense_regressor(hidden=(4,)), keras.optimizers.SGD(0.01),
                      replace(small, x_train=x), epochs=1)  # fmt: skip


def test_fit_seeds_names_a_make_optimizer_that_returns_none(small):
    import keras

    from gdcourse.training import fit_seeds

    def forgot_return():
        keras.optimizers.SGD(0.01)

    with pytest.raises(TypeError, match=r"`make_optimizer` returned None.*return"):
        fit_seeds(forgot_return, small, seeds=(0, 1))
    with pytest.raises(TypeError, match=r"\.to_keras\(\)"):
        fit_seeds(lambda: optim.Adam(0.01), small, seeds=(0, 1))
    with pytest.raises(ValueError, match=r"`seeds` must be distinct"):
        fit_seeds(lambda: keras.optimizers.SGD(0.01), small, seeds=(2, 2))


# ------------------------------------------------------------------------- the CLI
def test_solutions_and_run_share_one_timeout_rule(capsys):
    for command in ("solutions", "run"):
        for bad in ("0", "-5", "x", "1.5"):
            with pytest.raises(SystemExit) as exit_info:
                main([command, "--timeout", bad, "01"])
            assert exit_info.value.code == 2
            err = capsys.readouterr().err
            assert "--timeout" in err and "whole number of seconds > 0" in err and bad in err


def test_solutions_output_naming_a_file_is_a_usage_error(tmp_path, capsys):
    target = tmp_path / "notes.md"
    target.write_text("mine")
    for output in (target, target / "sub"):
        assert main(["solutions", "--output", str(output), "01"]) == 2
        err = capsys.readouterr().err
        assert "--output" in err and "is a file" in err and "Traceback" not in err
    assert target.read_text() == "mine"


def test_build_solutions_refuses_a_zero_timeout(tmp_path):
    from gdcourse.commands.solutions import build_solutions

    with pytest.raises(ValueError, match=r"`timeout` must be >= 1"):
        build_solutions([], tmp_path, timeout=0)


# ------------------------------------------------------------------------- plots
def test_contour_paths_marks_the_last_finite_point_of_a_diverged_path():
    import matplotlib.pyplot as plt

    from gdcourse.plots import contour_paths

    path = np.array([[-1.0, 1.0], [-0.5, 0.8], [0.2, 0.1], [np.nan, np.nan], [np.nan, 3.0]])
    fig = contour_paths("rosenbrock", {"Adam lr=9": path})
    ax = fig.axes[0]
    labels = [line.get_label() for line in ax.get_lines()]
    assert "Adam lr=9 (diverged after step 2)" in labels
    end = [line for line in ax.get_lines() if line.get_label() == "_end"][0]
    np.testing.assert_array_equal(np.column_stack(end.get_data()), [[0.2, 0.1]])
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Adam lr=9 (diverged after step 2)" in legend
    plt.close(fig)
    with pytest.raises(ValueError, match=r"`paths` .*'bad'.*no finite point"):
        contour_paths("rosenbrock", {"bad": np.full((3, 2), np.nan)})


# ------------------------------------------------------------------------- local_cluster
def _no_process(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a worker process was started")

    monkeypatch.setattr(subprocess, "Popen", refuse)


def test_local_cluster_limits_the_worker_count_up_front(monkeypatch):
    from gdcourse.distributed import MAX_WORKERS, local_cluster

    _no_process(monkeypatch)
    with pytest.raises(ValueError, match=rf"`n_workers` must be <= {MAX_WORKERS}.*=100000"):
        local_cluster(100_000, "result = 1", timeout=5)


def test_local_cluster_limit_follows_the_open_file_limit(monkeypatch):
    import resource

    from gdcourse import distributed

    _no_process(monkeypatch)
    monkeypatch.setattr(resource, "getrlimit", lambda which: (40, 40))
    with pytest.raises(ValueError, match=r"`n_workers` must be <= 1 .*open only 40 files"):
        distributed.local_cluster(distributed.MAX_WORKERS, "result = 1", timeout=5)


@pytest.mark.parametrize(
    ("env", "error", "match"),
    [
        ({"X": 1}, TypeError, r"`env` values must be strings.*env\['X'\]=1.*str\(1\)"),
        ({1: "a"}, TypeError, r"`env` names must be strings"),
        ({"A=B": "a"}, ValueError, r"`env` name 'A=B'"),
        ({"X": "a\0b"}, ValueError, r"`env\['X'\]` .*null"),
        (["X"], TypeError, r"`env` must be a dict"),
    ],
)
def test_local_cluster_checks_env_before_starting(monkeypatch, env, error, match):
    from gdcourse.distributed import local_cluster

    _no_process(monkeypatch)
    with pytest.raises(error, match=match):
        local_cluster(1, "result = 1", timeout=5, env=env)


def test_local_cluster_names_arguments_that_cannot_be_pickled(monkeypatch):
    from gdcourse.distributed import local_cluster

    _no_process(monkeypatch)
    lock = threading.Lock()
    with pytest.raises(TypeError, match=r"`kwargs\['guard'\]` cannot be sent.*pickle.*lock"):
        local_cluster(1, "result = 1", kwargs={"ok": 1, "guard": lock}, timeout=5)
    with pytest.raises(TypeError, match=r"`args\[1\]` cannot be sent"):
        local_cluster(1, "result = 1", args=(1, lambda: 2), timeout=5)


# ------------------------------------------------------------------------- the data cache
def test_a_symlink_loop_as_the_cache_falls_through_to_the_mirror(mirror, tmp_path, monkeypatch):
    from gdcourse.data import load_housing, where_from

    loop = tmp_path / "a"
    os.symlink(tmp_path / "b", loop)
    os.symlink(loop, tmp_path / "b")
    monkeypatch.setenv("GDCOURSE_DATA", str(loop))
    frame = load_housing()
    assert frame.attrs["source"] == "mirror" and frame.attrs["cached"] is None
    assert "symlink loop" in frame.attrs["not_cached"] and str(loop) in frame.attrs["not_cached"]
    found = where_from()
    assert any("symlink loop" in str(s) or "symlink loop" in repr(s) for s in found)
    assert Path(os.readlink(loop)) == tmp_path / "b"  # nothing touched
    from gdcourse.data.sources import setting_problems

    assert any("symlink loop" in p and "GDCOURSE_DATA" in p for p in setting_problems())


def test_a_symlink_loop_as_the_mirror_is_named(tmp_path, monkeypatch):
    from gdcourse.data._paths import mirror_problem

    loop = tmp_path / "m"
    os.symlink(loop, loop)
    monkeypatch.setenv("GDCOURSE_MIRROR", str(loop))
    assert "symlink loop" in mirror_problem() and "GDCOURSE_MIRROR" in mirror_problem()
