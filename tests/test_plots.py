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
from gdcourse.optim import SGD  # noqa: E402
from gdcourse.paths import run  # noqa: E402
from gdcourse.schedules import CosineDecay, ExponentialDecay  # noqa: E402
from gdcourse.style import OPTIMIZER_COLORS, RUN_PALETTE, optimizer_color, run_color  # noqa: E402
from gdcourse.surfaces import get_surface  # noqa: E402

pytestmark = pytest.mark.usefixtures("close_figures")


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
    # each path in its optimizer's colour, by name
    assert [by_label[n].get_color() for n in paths] == [optimizer_color(n) for n in paths]


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
    assert colour["fast: train"] == lines[0].get_color() == RUN_PALETTE[0]
    assert colour["slow: train"] == lines[2].get_color() == RUN_PALETTE[1]


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
    # one palette shared by all frames (colours stay put): 803 KB here, 779 KB per-frame
    assert len(text) < 850_000, f"animation HTML is {len(text) / 1e3:.0f} KB"
    assert plt.get_fignums() == before  # the rendering figure was closed


def test_animate_1d_and_errors():
    s = get_surface("parabola")
    html = plots.animate(run(s, SGD(learning_rate=0.3), [2.5], 30), surface=s, frames=10)
    assert len(re.findall(r"frames\[\d+\] =", html.data)) == 10
    with pytest.raises(ValueError, match=r"`frames` must be in \[1, 60\]"):
        plots.animate(np.zeros((5, 2)), frames=100)
    with pytest.raises(ValueError, match="must all be 1-D or all 2-D"):
        plots.animate([np.zeros((5, 2)), np.zeros(5)])


# ------------------------------------------------------------------ one colour rule, by name
def _colour_of(ax, label):
    return next(ln.get_color() for ln in ax.get_lines() if ln.get_label() == label)


def test_an_optimizer_has_one_colour_in_every_plot(rosen_paths):
    s, paths = rosen_paths
    adam = optimizer_color("Adam")
    fig = plots.contour_paths(s, {"Momentum": paths["SGD"], "Adam": paths["Adam"]})
    assert _colour_of(fig.axes[0], "Adam") == adam
    fig = plots.contour_paths(s, {"Adam": paths["Adam"]})  # first and only: still Adam's
    assert _colour_of(fig.axes[0], "Adam") == adam
    fig = plots.learning_curves({"SGD": {"loss": [2.0, 1.0]}, "Adam": {"loss": [1.5, 0.5]}})
    assert _colour_of(fig.axes[0], "Adam: train") == adam
    fig = plots.lr_schedule({"Adam": lambda t: 0.01}, 5)
    assert _colour_of(fig.axes[0], "Adam") == adam
    fig = plots.function_steps(s_1d := get_surface("parabola"), [2.0, 1.0], label="Adam")
    assert _colour_of(fig.axes[0], "Adam") == adam and s_1d.dim == 1
    html = plots.animate({"Adam": paths["Adam"]}, surface=s, frames=2)
    assert html.data  # drawn with run_color as well (checked through draw_path above)


def test_non_optimizer_runs_never_take_an_optimizer_colour():
    plots.run_colors.reset()
    names = [f"lr = {k}" for k in range(8)] + ["dense", "output"]
    colours = {run_color(n) for n in names}
    assert colours.isdisjoint(OPTIMIZER_COLORS.values())
    assert run_color("lr = 0") == RUN_PALETTE[0] and run_color("lr = 1") == RUN_PALETTE[1]
    assert run_color("heavy ball") == OPTIMIZER_COLORS["momentum"]
    with pytest.raises(TypeError, match="`name` must be a string"):
        run_color(3)


def test_rmsprop_and_adam_are_far_apart():
    def rgb(h):
        return np.array([int(h[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)

    assert np.linalg.norm(rgb(optimizer_color("RMSprop")) - rgb(optimizer_color("Adam"))) > 100


def test_runs_sharing_a_colour_get_markers(rosen_paths):
    s, paths = rosen_paths
    fig = plots.contour_paths(s, {"Adam lr 0.05": paths["Adam"], "Adam lr 0.1": paths["SGD"]})
    a, b = (next(ln for ln in fig.axes[0].get_lines() if ln.get_label() == n)
            for n in ("Adam lr 0.05", "Adam lr 0.1"))  # fmt: skip
    assert a.get_color() == b.get_color() and a.get_marker() != b.get_marker()
    assert a.get_linewidth() > b.get_linewidth()  # the first is wider: never fully hidden


# ------------------------------------------------------------------ readable figures
def _tick_texts(fig):
    fig.canvas.draw()
    out = []
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            out += [t.get_text() for t in axis.get_ticklabels(which="both")]
    return [t for t in out if t]


@pytest.mark.parametrize("top", [6.0, 40.0, 1e4])
def test_log_axes_use_plain_decimals(top):
    h = {"loss": list(np.geomspace(top, 0.2, 12)), "val_loss": list(np.geomspace(top, 0.3, 12))}
    fig = plots.learning_curves(h, log_scale=True)
    texts = _tick_texts(fig)
    assert texts and not any("times" in t or "^" in t or "10^" in t for t in texts), texts
    log = {"steps": [0, 1, 2], "norms": {"dense": [3.0, 5.0, 7.0]}}
    texts = _tick_texts(plots.gradient_norms(log))
    assert not any("times" in t or "^" in t for t in texts), texts
    assert plots.common.format_plain(0.002) == "0.002" and plots.common.format_plain(6) == "6"


def test_default_titles_and_legend_outside_the_data():
    fig = plots.learning_curves({"loss": [1.0, 0.5]})
    ax = fig.axes[0]
    assert ax.get_title() == "loss per epoch"
    fig.canvas.draw()
    legend = ax.get_legend().get_window_extent()
    assert legend.x0 >= ax.get_window_extent().x1  # right of the panel, not on the lines
    fig, ax = plt.subplots()
    ax.set_title("mine")
    plots.lr_schedule(lambda t: 0.1, 5, ax=ax)
    assert ax.get_title() == "mine"  # a caller's title is kept


def test_animation_plays_offline_and_is_readable(rosen_paths):
    s, paths = rosen_paths
    text = plots.animate(paths, surface=s, frames=3).data
    assert "http://" not in text and "https://" not in text  # no CDN (Font Awesome) needed
    assert 'class="fa' not in text
    first = re.search(r"data:image/png;base64,([A-Za-z0-9+/=\\\n]+)", text).group(1)
    import base64
    import io

    from PIL import Image

    width, height = Image.open(io.BytesIO(base64.b64decode(first.replace("\\\n", "")))).size
    assert width >= 600, (width, height)
    with pytest.raises(ValueError, match="`dpi` must be >= 100"):
        plots.animate(paths, surface=s, dpi=60)
    with pytest.raises(ValueError, match=r"`figsize\[0\] \* dpi` must be >= 600"):
        plots.animate(paths, surface=s, figsize=(4.0, 3.0))


def test_animation_frames_share_one_palette(rosen_paths):
    """A path keeps its colour from frame to frame: every frame uses the same 32 colours."""
    import base64
    import io

    from PIL import Image

    s, paths = rosen_paths
    text = plots.animate(paths, surface=s, frames=6).data
    found = re.findall(r"data:image/png;base64,([A-Za-z0-9+/=\\\n]+)", text)
    images = [Image.open(io.BytesIO(base64.b64decode(f.replace("\\\n", "")))) for f in found]
    assert len(images) == 6 and all(im.mode == "P" for im in images)
    assert len({bytes(im.getpalette()) for im in images}) == 1


# ------------------------------------------------------------------ bad input, named
@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: plots.contour_paths("rosenbrock", None, resolution=3), ValueError,
         "`resolution` must be >= 10"),
        (lambda: plots.contour_paths("rosenbrock", None, title=3), TypeError, "`title`"),
        (lambda: plots.contour_paths(3.0), TypeError, "`surface` must be"),
        (lambda: plots.contour_levels([np.nan, np.inf], 5, True), ValueError, "`Z` must hold"),
        (lambda: plots.contour_levels([1.0, 2.0], 1, True), ValueError, "`levels` must be >= 2"),
        (lambda: plots.draw_path("ax", np.zeros((3, 2))), TypeError, "`ax` must be"),
        (lambda: plots.draw_path(plt.gca(), np.zeros((3, 3))), ValueError,
         r"`points` must have shape \(n, 2\)"),
        (lambda: plots.draw_surface(plt.gca(), "parabola"), ValueError, "2-dimensional"),
        (lambda: plots.path_legend(None), TypeError, "`ax` must be"),
        (lambda: plots.function_steps(lambda x: x**2, [1.0], window=(1.0, 0.0)), ValueError,
         "`window` must be"),
        (lambda: plots.function_steps(lambda x: x**2, [1.0], window=5), TypeError,
         "`window` must be a pair"),
        (lambda: plots.function_steps(lambda x: x**2, [1.0], max_arrows=-1), ValueError,
         "`max_arrows` must be >= 0"),
        (lambda: plots.function_steps(lambda x: x**2, []), ValueError, "`xs` must hold"),
        (lambda: plots.learning_curves({}), ValueError, "`histories` must hold at least one"),
        (lambda: plots.learning_curves({"loss": []}), ValueError, "no values"),
        (lambda: plots.learning_curves({"loss": [1.0]}, metric=3), TypeError, "`metric`"),
        (lambda: plots.learning_curves({"loss": [-1.0, 0.0]}, log_scale=True), ValueError,
         "`log_scale=True` needs positive"),
        (lambda: plots.learning_curves({"loss": [1.0]}, colors="red"), TypeError, "`colors`"),
        (lambda: plots.lr_schedule(lambda t: 0.1, [0.5, 1.5]), ValueError, "`steps` must be"),
        (lambda: plots.lr_schedule(lambda t: float("nan"), 5), ValueError, "non-finite"),
        (lambda: plots.lr_schedule(lambda t: 0.0, 5, log_scale=True), ValueError,
         "`log_scale=True` needs positive"),
        (lambda: plots.gradient_norms({"steps": [0, 1], "norms": {"a": [1.0]}}), ValueError,
         "one norm per step"),
        (lambda: plots.gradient_norms({"steps": [0], "norms": {"a": [1.0]}}, layers=[]),
         ValueError, "at least one"),
        (lambda: plots.gradient_norms({"steps": [0], "norms": {"a": [1.0]}}, layers="b"),
         ValueError, "`layers` must name"),
        (lambda: plots.frame_indices(0, 5), ValueError, "`n_points` must be >= 1"),
        (lambda: plots.frame_indices(5, 2.5), TypeError, "`frames` must be an integer"),
        (lambda: plots.animate({}), ValueError, "`paths` must hold at least one"),
        (lambda: plots.animate(np.zeros((3, 2)), figsize=7), TypeError, "`figsize` must be"),
        (lambda: plots.animate(np.zeros((3, 2)), interval=1), ValueError,
         "`interval` must be >= 10"),
        (lambda: plots.animate(np.zeros((3, 2)), surface="parabola"), ValueError,
         "2-dimensional"),
        (lambda: plots.normalize_paths(3), TypeError, "`paths` must be"),
        (lambda: plots.new_axes(figsize="big"), ValueError, "`figsize` must be"),
        (lambda: plots.place_legend(None), TypeError, "`ax` must be"),
        (lambda: plots.plain_log_axis(plt.gca(), "z"), ValueError, "`axis` must be one of"),
        (lambda: plots.animate(np.full((3, 2), np.nan)), ValueError, "at least one finite"),
        (lambda: plots.run_styles([1]), TypeError, "`name` must be a string"),
        (lambda: plots.as_1d_function(get_surface("rosenbrock")), ValueError, "1-D surface"),
    ],
)  # fmt: skip
def test_bad_input_is_named(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_a_single_layer_name_is_accepted():
    fig = plots.gradient_norms({"steps": [0, 1], "norms": {"a": [1.0, 2.0], "b": [1, 1]}},
                               layers="a")  # fmt: skip
    assert [ln.get_label() for ln in fig.axes[0].get_lines()] == ["a"]
