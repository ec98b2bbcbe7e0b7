"""Alt text read from the figure: what it says, that float noise cannot move it, where it goes."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from gdcourse import plots  # noqa: E402
from gdcourse.commands.site.pages import image_alt_text  # noqa: E402
from gdcourse.plots.describe import describe, register_text_repr  # noqa: E402

pytestmark = pytest.mark.usefixtures("close_figures")


def test_a_path_plot_says_title_axes_series_and_where_each_path_starts_and_ends(rosen_paths):
    _, paths = rosen_paths
    fig = plots.contour_paths("rosenbrock", paths)
    text = describe(fig)
    ax = fig.axes[0]
    assert text.startswith(f"Figure: '{ax.get_title()}'")
    assert "x axis 'x_1 (parameter 1)' from " in text and "y axis 'x_2 (parameter 2)'" in text
    assert "series: 'minimum', 'SGD', 'Adam';" in text  # start/end keys are said by the paths
    span = np.array([np.ptp(ax.get_xlim()), np.ptp(ax.get_ylim())])
    for name, path in paths.items():
        said = re.search(rf"'{name}' starts at \((.*?), (.*?)\) and ends at \((.*?), (.*?)\)", text)
        assert said, text
        start, end = np.array(said.groups()[:2], float), np.array(said.groups()[2:], float)
        # to 1/100 of each axis's span: the real start and end, not float noise
        assert np.all(np.abs(start - path.points[0]) <= span / 100)
        assert np.all(np.abs(end - path.points[-1]) <= span / 100)
    assert "Colour bar 'loss f(x)' from " in text
    assert "<Figure" not in text and "$" not in text


def test_the_text_is_the_same_under_float_noise():
    def fig_of(scale: float):
        fig, ax = plt.subplots()
        ax.plot(np.arange(1, 11), np.geomspace(2.0, 0.0123, 10) * scale, label="train")
        ax.set(xlabel="epoch", ylabel="loss", yscale="log", title="a run")
        ax.legend()
        return describe(fig)

    assert fig_of(1.0) == fig_of(1.0 + 3e-15) == fig_of(1.0 - 3e-15)
    texts = set()
    for noise in (-1.3e-21, 0.0, 2e-21):  # one tick in view: the limits, to 1/100 of the span
        fig, ax = plt.subplots()
        ax.plot([0, 1], [noise, 1.37])
        ax.set_yticks([0.5])
        texts.add(describe(fig))
    assert texts == {"Figure: x axis from 0 to 1; y axis from -0.07 to 1.4."}
    assert "x axis 'epoch' from 2 to 10" in fig_of(1.0) and "(log scale)" in fig_of(1.0)


def test_learning_curves_name_every_series_and_several_panels_are_numbered():
    fig = plots.learning_curves({"lr=0.1": {"loss": [1.0, 0.5, 0.3], "val_loss": [1.1, 0.6, 0.4]}})
    assert "series: 'lr=0.1: train', 'lr=0.1: validation'" in describe(fig)
    fig, (a, b) = plt.subplots(1, 2)
    fig.suptitle("two views")
    a.set_title("left")
    b.set_title("right")
    text = describe(fig)
    assert text.startswith("Figure 'two views' with 2 panels. Panel 1: 'left'")
    assert "Panel 2: 'right'" in text


def test_describe_rejects_what_is_not_a_figure():
    with pytest.raises(TypeError, match="`fig` must be a matplotlib Figure. Received: fig=3"):
        describe(3)


def test_ipython_shows_the_description_as_the_figure_text():
    from IPython.core.interactiveshell import InteractiveShell

    assert not register_text_repr() or InteractiveShell.initialized()
    shell = InteractiveShell.instance()
    try:
        assert register_text_repr()
        fig, ax = plt.subplots()
        ax.set_title("shown")
        data, _ = shell.display_formatter.format(fig)
        assert data["text/plain"] == describe(fig) and "'shown'" in data["text/plain"]
    finally:
        InteractiveShell.clear_instance()


def test_the_animation_player_has_alt_text_and_a_labelled_slider(rosen_paths):
    html = plots.animate(rosen_paths[1], surface="rosenbrock", frames=3).data
    assert '<img alt="Animation of 3 frames, the last showing: Figure: ' in html
    assert "&#x27;SGD&#x27; starts at" in html
    assert '<input aria-label="Animation frame" id="_anim_slider' in html


def test_the_site_uses_the_text_as_the_image_alt():
    cell = nbformat.v4.new_code_cell("plt.show()")
    png = {"image/png": "iVBOR", "text/plain": "Figure: 'a'; x axis from 0 to 1"}
    cell.outputs = [nbformat.v4.new_output("display_data", data=png)]
    assert image_alt_text(cell) == "Figure: 'a'; x axis from 0 to 1"
    assert cell.metadata["mystnb"]["image"]["alt"] == "Figure: 'a'; x axis from 0 to 1"
    generic = nbformat.v4.new_code_cell("plt.show()")
    old = {"image/png": "iVBOR", "text/plain": "<Figure size 640x480 with 1 Axes>"}
    generic.outputs = [nbformat.v4.new_output("display_data", data=old)]
    assert image_alt_text(generic) is None and "mystnb" not in generic.metadata


def test_a_log_axis_names_only_the_ticks_inside_the_view():
    import matplotlib.pyplot as plt

    from gdcourse.plots.describe import describe

    fig, ax = plt.subplots()
    ax.semilogy([0, 1], [3e-12, 50])
    ax.set_ylim(2e-12, 100)
    ax.set_title("t")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    text = describe(fig)
    plt.close(fig)
    assert "from 1e-10 to 100" in text, text  # the major ticks inside 2e-12..100


def test_tick_values_keep_their_digits():
    import matplotlib.pyplot as plt

    from gdcourse.plots.describe import describe

    fig, ax = plt.subplots()
    ax.plot([-124.3, -114.2], [32.5, 42.0])
    ax.set_title("t")
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    text = describe(fig)
    plt.close(fig)
    assert "from -124 to -114" in text, text  # 2 significant digits gave -120


def test_mathtext_reads_as_characters_and_a_lone_dollar_stays():
    from gdcourse.plots.describe import plain_text

    assert plain_text(r"$\Vert g\Vert^2$ vs $\sigma^2/B$") == "‖ g‖² vs σ²/B"
    assert plain_text("close ($)") == "close ($)"
    assert plain_text(r"$\sqrt{H_{ii}}$") == "√H_ii"
    assert plain_text(r"MSE ((\$100k)$^2$)") == "MSE (($100k)²)"  # an escaped dollar


def test_a_date_axis_is_described_in_dates():
    import matplotlib.pyplot as plt
    import pandas as pd

    from gdcourse.plots.describe import describe

    fig, ax = plt.subplots()
    days = pd.date_range("2020-07-01", "2022-12-31", freq="D")
    ax.plot(days, range(len(days)))
    ax.set_title("t")
    ax.set_xlabel("date")
    ax.set_ylabel("y")
    text = describe(fig)
    plt.close(fig)
    assert "x axis 'date' from 2020-" in text and "to 2023-01-01" in text, text
