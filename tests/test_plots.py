"""gdcourse.plots: each function returns a Figure, honours ax=, draws what it says."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from gdcourse import plots  # noqa: E402
from gdcourse.optim import SGD, Adam  # noqa: E402
from gdcourse.schedules import CosineDecay, ExponentialDecay  # noqa: E402
from gdcourse.style import PALETTE  # noqa: E402
from gdcourse.surfaces import get_surface, run  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def rosen_paths():
    s = get_surface("rosenbrock")
    return s, {
        "SGD": run(s, SGD(learning_rate=1e-3, momentum=0.9), s.start, 200),
        "Adam": run(s, Adam(learning_rate=0.05), s.start, 200),
    }


def _labels(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_contour_paths_draws_each_path_with_markers_and_minimum(rosen_paths):
    s, paths = rosen_paths
    fig = plots.contour_paths(s, paths)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    by_label = {ln.get_label(): ln for ln in ax.get_lines()}
    for name, path in paths.items():
        np.testing.assert_allclose(np.asarray(by_label[name].get_xydata()), path.points)
    # a start and an end marker per path, plus the minimum star
    assert sum(ln.get_label() == "_start" for ln in ax.get_lines()) == 2
    assert sum(ln.get_label() == "_end" for ln in ax.get_lines()) == 2
    np.testing.assert_allclose(by_label["minimum"].get_xydata(), s.minima)
    assert _labels(ax) == ["minimum", "SGD", "Adam", "start", "end"]
    assert ax.get_xlabel() and ax.get_ylabel()
    assert ax.get_xlim() == tuple(s.window[0])
    # one colour per path, from the palette, in order
    assert [by_label[n].get_color() for n in paths] == list(PALETTE[:2])


def test_contour_paths_accepts_names_arrays_and_lists():
    arr = np.array([[-1.0, 2.0], [0.0, 1.0], [1.0, 1.0]])
    fig = plots.contour_paths("himmelblau", [arr, arr * 0.5], log_levels=False, filled=False)
    labels = [ln.get_label() for ln in fig.axes[0].get_lines()]
    assert "path 1" in labels and "path 2" in labels


def test_contour_paths_honours_ax(rosen_paths):
    s, paths = rosen_paths
    fig, (a, b) = plt.subplots(1, 2)
    out = plots.contour_paths(s, paths["SGD"], ax=b)
    assert out is fig
    assert len(a.get_lines()) == 0 and len(b.get_lines()) > 0


def test_contour_paths_rejects_bad_arguments():
    with pytest.raises(ValueError, match="2-dimensional"):
        plots.contour_paths("parabola", None)
    with pytest.raises(ValueError, match="`levels` must be >= 2"):
        plots.contour_paths("rosenbrock", None, levels=1)
    with pytest.raises(ValueError, match="2-D points"):
        plots.contour_paths("rosenbrock", np.zeros((5, 3)))
    with pytest.raises(TypeError, match="`ax` must be a matplotlib Axes"):
        plots.contour_paths("rosenbrock", None, ax="left")
    with pytest.raises(ValueError, match="`name` must be one of"):
        plots.contour_paths("no-such-surface")


def test_log_levels_are_dense_near_the_minimum():
    Z = np.linspace(0.0, 1000.0, 101)
    lv = plots.contour_levels(Z, 10, log_levels=True)
    assert lv[0] == pytest.approx(1.0) and lv[-1] == pytest.approx(1000.0)
    assert np.all(np.diff(lv) > 0) and np.diff(lv)[0] < np.diff(lv)[-1] / 100


def test_function_steps_draws_iterates_and_arrows():
    s = get_surface("parabola")
    path = run(s, SGD(learning_rate=1.8 / s.L), [2.5], 12)  # oscillates across 0
    fig = plots.function_steps(s, path, max_arrows=5)
    ax = fig.axes[0]
    dots = [ln for ln in ax.get_lines() if ln.get_marker() == "o" and ln.get_label() != "_start"]
    np.testing.assert_allclose(dots[0].get_xdata(), path.points[:, 0])
    np.testing.assert_allclose(dots[0].get_ydata(), path.values)
    arrows = [c for c in ax.get_children() if isinstance(c, matplotlib.text.Annotation)]
    assert len(arrows) == 5
    assert "loss" in ax.get_ylabel()


def test_function_steps_with_a_plain_callable_and_ax():
    fig, ax = plt.subplots()
    out = plots.function_steps(lambda x: (x - 1.0) ** 2, [3.0, 2.0, 1.5, 1.25], ax=ax)
    assert out is fig
    curve = ax.get_lines()[0]
    np.testing.assert_allclose(curve.get_ydata(), (curve.get_xdata() - 1.0) ** 2)
    with pytest.raises(ValueError, match="1-D iterates"):
        plots.function_steps(lambda x: x**2, np.zeros((3, 2)))
    with pytest.raises(TypeError, match="`f` must be"):
        plots.function_steps(3.0, [1.0])


def test_learning_curves_one_colour_per_run_across_calls():
    plots.run_colors.reset()
    h1 = {"loss": [1.0, 0.5, 0.25], "val_loss": [1.1, 0.6, 0.4]}
    h2 = {"loss": [2.0, 1.0, 0.9], "val_loss": [2.1, 1.2, 1.1]}
    fig = plots.learning_curves({"fast": h1, "slow": h2}, log_scale=True)
    ax = fig.axes[0]
    lines = ax.get_lines()
    assert [ln.get_label() for ln in lines] == [
        "fast: train", "fast: validation", "slow: train", "slow: validation",
    ]  # fmt: skip
    assert [ln.get_linestyle() for ln in lines] == ["-", "--", "-", "--"]
    np.testing.assert_allclose(lines[0].get_xydata(), [[1, 1.0], [2, 0.5], [3, 0.25]])
    assert ax.get_yscale() == "log"
    # called again with the runs in another order, the colours stay with the names
    fig2 = plots.learning_curves({"slow": h2, "fast": h1})
    colour = {ln.get_label(): ln.get_color() for ln in fig2.axes[0].get_lines()}
    assert colour["fast: train"] == lines[0].get_color() == PALETTE[0]
    assert colour["slow: train"] == lines[2].get_color() == PALETTE[1]


def test_learning_curves_single_history_and_errors():
    fig = plots.learning_curves({"loss": [3.0, 2.0], "mae": [1.0, 0.9]}, metric="mae")
    assert [ln.get_label() for ln in fig.axes[0].get_lines()] == ["train"]
    with pytest.raises(ValueError, match="`metric` must be one of the recorded metrics"):
        plots.learning_curves({"loss": [1.0]}, metric="accuracy")
    with pytest.raises(TypeError, match="`histories` must be"):
        plots.learning_curves([1, 2, 3])


def test_lr_schedule_plots_the_schedule_values():
    exp = ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    cos = CosineDecay(0.1, decay_steps=50)
    fig = plots.lr_schedule({"exponential": exp, "cosine": cos, "step": lambda t: 0.1}, 50)
    lines = {ln.get_label(): ln for ln in fig.axes[0].get_lines()}
    t = np.arange(50)
    np.testing.assert_allclose(lines["exponential"].get_ydata(), 0.1 * 0.5 ** (t / 10))
    np.testing.assert_allclose(lines["cosine"].get_ydata(), [cos(int(k)) for k in t])
    np.testing.assert_allclose(lines["step"].get_ydata(), np.full(50, 0.1))
    with pytest.raises(ValueError, match="`steps` must be >= 1"):
        plots.lr_schedule(exp, 0)
    with pytest.raises(TypeError, match="`schedules` must be"):
        plots.lr_schedule(0.1, 10)


def test_lr_schedule_with_a_keras_schedule():
    keras = pytest.importorskip("keras")
    ks = keras.optimizers.schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    fig = plots.lr_schedule([ks], [0, 10, 20])
    np.testing.assert_allclose(fig.axes[0].get_lines()[0].get_ydata(), [0.1, 0.05, 0.025])


def test_gradient_norms_one_log_line_per_layer():
    log = {"steps": [0, 10, 20], "norms": {"dense": [1.0, 0.5, 0.2], "out": [2.0, 1.0, 0.1]}}
    fig, ax = plt.subplots()
    assert plots.gradient_norms(log, ax=ax) is fig
    assert [ln.get_label() for ln in ax.get_lines()] == ["dense", "out"]
    assert ax.get_yscale() == "log"
    with pytest.raises(ValueError, match="no recorded steps"):
        plots.gradient_norms({"steps": [], "norms": {}})
    with pytest.raises(TypeError, match="`log` must be"):
        plots.gradient_norms([1, 2])


def test_frame_indices_subsample_evenly():
    idx = plots.frame_indices(201, 40)
    assert idx[0] == 0 and idx[-1] == 200 and len(idx) == 40
    assert list(plots.frame_indices(5, 40)) == [0, 1, 2, 3, 4]


def test_animate_returns_small_self_contained_html(rosen_paths):
    s, paths = rosen_paths
    before = plt.get_fignums()
    html = plots.animate(paths, surface=s)
    text = html._repr_html_() if hasattr(html, "_repr_html_") else html.data
    frames = re.findall(r"frames\[(\d+)\] = \"data:image/png;base64,", text)
    assert len(frames) == 40  # 201 points subsampled to the default 40 frames
    assert "<script" in text and "anim" in text
    assert len(text) < 800_000, f"animation HTML is {len(text) / 1e3:.0f} KB"
    assert plt.get_fignums() == before  # the rendering figure was closed


def test_animate_1d_and_errors():
    s = get_surface("parabola")
    html = plots.animate(run(s, SGD(learning_rate=0.3), [2.5], 30), surface=s, frames=10)
    assert len(re.findall(r"frames\[\d+\] =", html.data)) == 10
    with pytest.raises(ValueError, match=r"`frames` must be in \[1, 60\]"):
        plots.animate(np.zeros((5, 2)), frames=100)
    with pytest.raises(ValueError, match="must all be 1-D or all 2-D"):
        plots.animate([np.zeros((5, 2)), np.zeros(5)])
