"""gdcourse.widgets driven headless: move a control, the figure's artists change in place."""

from __future__ import annotations

import io

import numpy as np
import pytest

pytest.importorskip("ipywidgets")

from gdcourse import widgets as gw  # noqa: E402
from gdcourse.data import FEATURES, TARGET, load_housing  # noqa: E402
from gdcourse.optim import SGD, Adagrad, Adam, AdamW, RMSprop  # noqa: E402
from gdcourse.optim.presets import PRESETS, make_optimizer  # noqa: E402
from gdcourse.paths import run  # noqa: E402
from gdcourse.style import optimizer_color  # noqa: E402
from gdcourse.surfaces import get_surface  # noqa: E402


@pytest.fixture(scope="module")
def housing_small():
    frame = load_housing()
    return (
        frame[list(FEATURES)].to_numpy(dtype=float)[:2000],
        frame[TARGET].to_numpy(dtype=float)[:2000],
    )


def test_playground_redraws_in_place_when_the_learning_rate_moves():
    box = gw.optimizer_playground("rosenbrock", ("SGD", "Adam"), learning_rate=1e-3, steps=100)
    ex = box.explorer
    assert box.children[-2] is ex.image and box.children[-1] is ex.readout
    fig, line = ex.figure, ex.artists["SGD"][0]
    before, png = line.get_xydata().copy(), ex.image.value
    s = get_surface("rosenbrock")
    np.testing.assert_allclose(before, run(s, SGD(learning_rate=1e-3), s.start, 100).points)
    ex.controls["learning_rate"].value = 2e-3
    assert ex.figure is fig and ex.artists["SGD"][0] is line  # same figure, same Line2D
    np.testing.assert_allclose(
        line.get_xydata(), run(s, SGD(learning_rate=2e-3), s.start, 100).points
    )
    np.testing.assert_allclose(
        ex.artists["Adam"][0].get_xydata(), run(s, Adam(learning_rate=2e-3), s.start, 100).points
    )
    assert not np.allclose(line.get_xydata(), before)
    assert ex.image.value != png and ex.image.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert ex.redraws == 2
    assert "learning rate 0.002" in ex.ax.get_title()


def test_playground_optimizer_selection_start_and_surface():
    ex = gw.optimizer_playground(steps=50).explorer
    assert not ex.artists["RMSprop"][0].get_visible()
    ex.controls["optimizers"].value = ("RMSprop",)
    assert ex.artists["RMSprop"][0].get_visible() and not ex.artists["SGD"][0].get_visible()
    assert "<td>RMSprop</td>" in ex.readout.value and "<td>SGD</td>" not in ex.readout.value
    ex.controls["x"].value = 0.5
    assert ex.artists["RMSprop"][0].get_xydata()[0, 0] == pytest.approx(0.5)
    ex.controls["surface"].value = "himmelblau"
    s = get_surface("himmelblau")
    assert ex.controls["x"].value == pytest.approx(s.start[0])
    assert (ex.controls["x"].min, ex.controls["x"].max) == tuple(s.window[0])
    np.testing.assert_allclose(ex.artists["RMSprop"][0].get_xydata()[0], s.start)
    assert ex.ax.get_xlim() == tuple(s.window[0])


def test_playground_rejects_bad_arguments():
    with pytest.raises(ValueError, match="`surface` must be one of"):
        gw.optimizer_playground("parabola")
    with pytest.raises(ValueError, match="`optimizers` must be one of"):
        gw.optimizer_playground(optimizers=("LBFGS",))
    with pytest.raises(ValueError, match="`learning_rate` must be > 0"):
        gw.optimizer_playground(learning_rate=0)


@pytest.mark.parametrize(
    "eta_l, regime",
    [(0.05, "too small"), (0.5, "good"), (1.5, "oscillating"), (2.0, "on the edge"),
     (2.5, "diverging")],
)  # fmt: skip
def test_lr_regimes(eta_l, regime):
    assert gw.lr_regime(eta_l / 4.0, 4.0).startswith(regime)


def test_learning_rate_explorer_shows_the_regime_and_threshold():
    box = gw.learning_rate_explorer(curvature=2.0, learning_rate=0.25, steps=10)
    ex = box.explorer
    fig, line = ex.figure, ex.path_line
    x = line.get_xdata().copy()
    np.testing.assert_allclose(x, 2.5 * (1 - 0.25 * 2.0) ** np.arange(11))
    assert ex.regime.startswith("good")
    thresholds = [ln for ln in ex.axes[2].get_lines() if ln.get_label().startswith("2/L")]
    assert thresholds and thresholds[0].get_xdata()[0] == pytest.approx(1.0)
    ex.controls["learning_rate"].value = 0.75  # eta L = 1.5: overshoots, still converges
    assert ex.figure is fig and ex.path_line is line
    np.testing.assert_allclose(line.get_xdata(), 2.5 * (-0.5) ** np.arange(11))
    assert ex.regime.startswith("oscillating") and "oscillating" in ex.axes[0].get_title()
    ex.controls["learning_rate"].value = 1.2  # eta L = 2.4: diverges
    assert ex.regime == "diverging" and "diverging" in ex.readout.value
    assert ex.eta_dot.get_xdata()[0] == pytest.approx(1.2)


def test_minibatch_noise_matches_theory_on_real_data(housing_small):
    X, y = housing_small
    Xs = np.column_stack([np.ones(len(X)), (X - X.mean(0)) / X.std(0)])
    r = gw.minibatch_gradient_noise(Xs, y, np.zeros(9), [8, 32, 128, 512], n_batches=400)
    # the measured rms estimates the exact expectation: within 15% with 400 batches (single
    # examples are heavy-tailed here, so very small B would need many more batches)
    np.testing.assert_allclose(r["rms"], r["theory"], rtol=0.15)
    assert np.all(np.diff(r["rms"]) < 0)
    # 1/sqrt(B), measured: quadrupling the batch halves the noise, times the finite-population
    # factor sqrt((N - 4B) / (N - B)) (tests/test_theory.py checks `theory` by enumeration)
    sizes = r["batch_sizes"]
    law = 0.5 * np.sqrt((len(y) - sizes[1:]) / (len(y) - sizes[:-1]))
    np.testing.assert_allclose(r["rms"][1:] / r["rms"][:-1], law, rtol=0.2)
    with pytest.raises(ValueError, match="`batch_sizes` must be <="):
        gw.minibatch_gradient_noise(Xs, y, np.zeros(9), [4096])


def test_batch_size_explorer_redraws_on_change(housing_small):
    X, y = housing_small
    box = gw.batch_size_explorer(X, y)
    ex = box.explorer
    fig, line = ex.figure, ex.rms_line
    before = line.get_ydata().copy()
    np.testing.assert_array_equal(line.get_xdata(), 2 ** np.arange(10))  # 1..512 <= 2000 / 2
    ex.controls["weights"].value = "least-squares optimum"
    assert ex.figure is fig and ex.rms_line is line
    assert not np.allclose(line.get_ydata(), before)
    ex.controls["relative"].value = True
    assert "‖g‖" in ex.ax.get_ylabel()
    with pytest.raises(ValueError, match="`X` must be"):
        gw.batch_size_explorer(X[:10], y[:5])


def test_runs_under_the_ipywidgets_version_asked_for():
    """.ci/run re-runs this file under ipywidgets 7.7 (Colab's); make sure that one loaded."""
    import os

    import ipywidgets

    wanted = os.environ.get("GDCOURSE_EXPECT_IPYWIDGETS")
    if not wanted:
        pytest.skip("GDCOURSE_EXPECT_IPYWIDGETS not set (only .ci/run's compatibility step)")
    assert ipywidgets.__version__.startswith(wanted)


# --------------------------------------------------------------- arguments are honoured
def test_playground_honours_a_learning_rate_beyond_the_default_slider():
    ex = gw.optimizer_playground("rosenbrock", ("SGD",), learning_rate=2.0, steps=50).explorer
    slider = ex.controls["learning_rate"]
    assert slider.value == pytest.approx(2.0) and slider.max >= np.log10(2.0)
    assert ex.paths["SGD"].diverged  # what a learner asking for 2.0 wants to see
    assert "learning rate 2" in ex.ax.get_title()
    ex = gw.optimizer_playground(learning_rate=1e-6, steps=5).explorer
    assert ex.controls["learning_rate"].value == pytest.approx(1e-6)
    assert ex.controls["steps"].value == 5


def test_playground_accepts_one_optimizer_name_in_any_case():
    ex = gw.optimizer_playground(optimizers="Adam", steps=20).explorer
    assert ex.controls["optimizers"].value == ("Adam",) and list(ex.paths) == ["Adam"]
    ex = gw.optimizer_playground(optimizers=["adam", "RMSPROP", "Adam"], steps=20).explorer
    assert ex.controls["optimizers"].value == ("Adam", "RMSprop")


def test_learning_rate_explorer_honours_its_arguments():
    ex = gw.learning_rate_explorer(curvature=1.0, learning_rate=5.0, steps=100).explorer
    assert ex.controls["learning_rate"].value == pytest.approx(5.0)
    assert ex.controls["steps"].value == 100 and ex.regime == "diverging"


def test_batch_size_explorer_needs_both_x_and_y(housing_small):
    X, y = housing_small
    with pytest.raises(TypeError, match="`X` is missing"):
        gw.batch_size_explorer(y=y)
    with pytest.raises(TypeError, match="`y` is missing"):
        gw.batch_size_explorer(X)


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: gw.optimizer_playground(3), TypeError, "`surface` must be the name"),
        (lambda: gw.optimizer_playground(optimizers=3), TypeError, "`optimizers` must be"),
        (lambda: gw.optimizer_playground(optimizers=("Adam", 1)), TypeError, "`optimizers`"),
        (lambda: gw.optimizer_playground(learning_rate=float("nan")), ValueError,
         "`learning_rate` must be finite"),
        (lambda: gw.optimizer_playground(learning_rate="0.1"), TypeError, "`learning_rate`"),
        (lambda: gw.optimizer_playground(learning_rate=1e4), ValueError,
         r"`learning_rate` must be in \(0, 1000\]"),
        (lambda: gw.optimizer_playground(steps=0), ValueError, "`steps` must be >= 1"),
        (lambda: gw.optimizer_playground(steps=10**6), ValueError, r"`steps` must be in \[1,"),
        (lambda: gw.optimizer_playground(steps=2.5), TypeError, "`steps` must be an integer"),
        (lambda: gw.learning_rate_explorer(curvature=0), ValueError, "`curvature` must be > 0"),
        (lambda: gw.learning_rate_explorer(curvature=1e6), ValueError, "`curvature` must be in"),
        (lambda: gw.learning_rate_explorer(learning_rate=-1), ValueError,
         "`learning_rate` must be > 0"),
        (lambda: gw.learning_rate_explorer(learning_rate=1e5), ValueError,
         "`learning_rate` must be in"),
        (lambda: gw.learning_rate_explorer(steps=5000), ValueError, r"`steps` must be in \[1,"),
        (lambda: gw.batch_size_explorer(np.ones((10, 2)), np.ones(10), batch_sizes=[]),
         ValueError, "`batch_sizes` must list"),
        (lambda: gw.batch_size_explorer(np.ones((10, 2)), np.ones(10), batch_sizes=[20]),
         ValueError, r"`batch_sizes` must list integers in \[1, 10\]"),
        (lambda: gw.batch_size_explorer(np.ones((10, 2)), np.ones(10), batch_sizes=4),
         TypeError, "`batch_sizes` must be a list"),
        (lambda: gw.batch_size_explorer(np.full((10, 2), np.nan), np.ones(10)), ValueError,
         "finite"),
        (lambda: gw.batch_size_explorer([["a"]], [1.0]), TypeError, "`X` and `y` must be"),
        (lambda: gw.lr_regime(0.1, L=0), ValueError, "`L` must be > 0"),
        (lambda: gw.minibatch_gradient_noise(np.ones((5, 2)), np.ones(4), np.ones(2), [2]),
         ValueError, "`y` must have one value per row"),
        (lambda: gw.minibatch_gradient_noise(np.ones((5, 2)), np.ones(5), np.ones(3), [2]),
         ValueError, "`w` must have one weight per column"),
        (lambda: gw.minibatch_gradient_noise(np.ones((5, 2)), np.ones(5), np.ones(2), []),
         ValueError, "`batch_sizes` must list at least one"),
        (lambda: gw.minibatch_gradient_noise(np.ones((5, 2)), np.ones(5), np.ones(2), [2],
                                             n_batches=1), ValueError, "`n_batches` must be >= 2"),
        (lambda: gw.make_optimizer("LBFGS", 0.1), ValueError, "`name` must be one of"),
    ],
)  # fmt: skip
def test_bad_input_is_named(call, error, match):
    with pytest.raises(error, match=match):
        call()


# --------------------------------------------------------------- presets and colours
@pytest.mark.parametrize(
    "name, expected",
    [
        ("SGD", lambda: SGD(learning_rate=0.1)),
        ("Momentum", lambda: SGD(learning_rate=0.1, momentum=0.8)),
        ("Nesterov", lambda: SGD(learning_rate=0.1, momentum=0.8, nesterov=True)),
        ("RMSprop", lambda: RMSprop(learning_rate=0.1, rho=0.95)),
        ("Adagrad", lambda: Adagrad(learning_rate=0.1)),
        ("Adam", lambda: Adam(learning_rate=0.1, beta_1=0.7, beta_2=0.95)),
        ("AdamW", lambda: AdamW(learning_rate=0.1, beta_1=0.7, beta_2=0.95)),
    ],
)
def test_presets_build_the_optimizer_they_name(name, expected):
    got = make_optimizer(name, 0.1, momentum=0.8, beta_1=0.7, beta_2=0.95)
    want = expected()
    assert type(got) is type(want)
    s = get_surface("rosenbrock")
    np.testing.assert_allclose(run(s, got, s.start, 30).points, run(s, want, s.start, 30).points)
    assert tuple(PRESETS) == gw.OPTIMIZERS


def test_playground_colours_each_optimizer_by_name():
    ex = gw.optimizer_playground(steps=10).explorer
    for name, (line, _, _) in ex.artists.items():
        assert line.get_color() == optimizer_color(name), name
    assert ex.artists["RMSprop"][0].get_color() != ex.artists["Adam"][0].get_color()


def test_explorer_figures_are_at_least_600_pixels_wide():
    for box in (gw.optimizer_playground(steps=10), gw.learning_rate_explorer(steps=5)):
        from PIL import Image

        width, _ = Image.open(io.BytesIO(box.explorer.image.value)).size
        assert width >= 600
