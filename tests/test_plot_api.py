"""The plot API composes, so notebook cells need not undo it: a ``legend=`` switch, paths that
start at the surface's start, ``keras_path`` and ``compare_paths`` (which notebooks 03 and 04
used to define in cells), fixed plain ticks on a log axis."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from gdcourse import optim, plots
from gdcourse.paths import keras_path, run
from gdcourse.schedules import ExponentialDecay
from gdcourse.surfaces import get_surface

# headless: tests/conftest.py selects Agg for the test process


@pytest.fixture(scope="module")
def bowl_runs():
    bowl = get_surface("rosenbrock")
    return bowl, {
        "gradient descent": run(bowl, optim.SGD(1e-3), steps=200),
        "momentum 0.9": run(bowl, optim.SGD(1e-3, momentum=0.9), steps=200),
    }


def test_run_starts_at_the_surfaces_start_by_default(bowl_runs):
    bowl, runs = bowl_runs
    again = run(bowl, optim.SGD(1e-3), bowl.start, 200)
    np.testing.assert_array_equal(runs["gradient descent"].points, again.points)
    np.testing.assert_array_equal(runs["gradient descent"].points[0], bowl.start)


def test_legend_switch(bowl_runs):
    bowl, runs = bowl_runs
    history = {"loss": [1.0, 0.5, 0.3], "val_loss": [1.1, 0.6, 0.4]}
    drawn = [
        lambda legend: plots.contour_paths(bowl, runs, legend=legend),
        lambda legend: plots.function_steps(get_surface("parabola"), [1.0, 0.5], legend=legend),
        lambda legend: plots.learning_curves(history, legend=legend),
        lambda legend: plots.lr_schedule(ExponentialDecay(0.1, 10, 0.5), 30, legend=legend),
        lambda legend: plots.gradient_norms({"steps": [1, 2], "norms": {"d": [1.0, 0.5]}},
                                            legend=legend),
    ]  # fmt: skip
    for draw in drawn:
        with_legend, without = draw(True), draw(False)
        assert isinstance(with_legend, Figure) and isinstance(without, Figure)
        assert with_legend.axes[0].get_legend() is not None
        assert without.axes[0].get_legend() is None
    with pytest.raises(TypeError, match="`legend` must be True or False. Received: legend='no'"):
        plots.learning_curves(history, legend="no")


def test_keras_path_is_the_steps_keras_takes():
    keras = pytest.importorskip("keras")
    w0 = np.array([1.0, -2.0], dtype="float32")
    grads = [np.array([0.5, -0.25 * k], dtype="float32") for k in range(6)]
    theirs = keras_path(keras.optimizers.SGD(learning_rate=0.1), w0, grads)
    assert theirs.shape == (7, 2) and theirs.dtype == np.float32
    np.testing.assert_allclose(theirs, w0 - 0.1 * np.cumsum([np.zeros(2), *grads], axis=0),
                               rtol=1e-6)  # fmt: skip
    ours = optim.Adam(0.01)
    w, path = w0, [w0]
    for g in grads:
        w = ours.step(w, g)
        path.append(w)
    np.testing.assert_allclose(path, keras_path(keras.optimizers.Adam(0.01), w0, grads),
                               atol=1e-6)  # fmt: skip
    with pytest.raises(ValueError, match=r"`grads` must hold arrays of the shape of `w0` \(2,\)"):
        keras_path(keras.optimizers.SGD(), w0, [np.zeros(3)])
    with pytest.raises(TypeError, match="`optimizer` must be a keras.optimizers optimizer"):
        keras_path(optim.SGD(), w0, grads)


def test_compare_paths_draws_a_panel_per_run_and_the_losses(bowl_runs):
    bowl, runs = bowl_runs
    fig = plots.compare_paths(bowl, runs, "200 steps", "step")
    assert isinstance(fig, Figure) and len(fig.axes) == 3
    assert [ax.get_title() for ax in fig.axes[:2]] == list(runs)
    loss = fig.axes[2]
    for line, (name, r) in zip(loss.get_lines(), runs.items(), strict=True):
        np.testing.assert_array_equal(line.get_ydata(), r.values)
        assert line.get_color() == plots.run_color(name)
    (key,) = fig.legends
    assert [t.get_text() for t in key.get_texts()] == ["minimum", "start", "end"]
    with pytest.raises(TypeError, match="`runs`"):
        plots.compare_paths(bowl, {})


def test_plain_log_axis_with_fixed_ticks():
    fig, ax = plt.subplots()
    ax.semilogy([0.4, 1.0, 4.0])
    plots.plain_log_axis(ax, ticks=[0.5, 1, 2, 4])
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert labels == ["0.5", "1", "2", "4"]
    assert ax.yaxis.get_minorticklocs().size == 0
    with pytest.raises(ValueError, match="`ticks` must be a list of positive numbers"):
        plots.plain_log_axis(ax, ticks=[0, 1])


def teardown_module() -> None:
    plt.close("all")
