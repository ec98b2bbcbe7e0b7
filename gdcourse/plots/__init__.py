"""Plots for the course: every function takes ``ax=None`` and returns the Figure.

With ``ax=None`` a new figure is created (with pyplot, so Jupyter's inline backend shows it
when the cell ends); with an ``ax`` the function draws there and returns ``ax.figure``. End a
plotting cell with ``plt.show()`` or assign the result (``fig = plots...``) so the figure is
shown once: a trailing ``;`` does not suppress the output under nbval (CONTRIBUTING.md).

Runs are coloured by name, by the course's one rule (:func:`gdcourse.style.run_color`): an
optimizer's fixed colour, otherwise one colour per name kept across calls.

    >>> from gdcourse import optim, plots
    >>> from gdcourse.paths import run
    >>> from gdcourse.surfaces import get_surface
    >>> bowl = get_surface("rosenbrock")
    >>> paths = {"SGD": run(bowl, optim.SGD(1e-3), bowl.start, 300),
    ...          "Adam": run(bowl, optim.Adam(1e-2), bowl.start, 300)}
    >>> fig = plots.contour_paths(bowl, paths)
    >>> fig = plots.learning_curves({"lr=0.1": {"loss": [1.0, 0.5, 0.3]},
    ...                              "lr=0.01": {"loss": [1.0, 0.9, 0.8]}}, log_scale=True)
    >>> player = plots.animate(paths, surface=bowl)   # plays without a kernel or network

Modules: :mod:`~gdcourse.plots.landscape` (surfaces, paths, 1-D steps),
:mod:`~gdcourse.plots.training` (learning curves, schedules, gradient norms),
:mod:`~gdcourse.plots.panels` (``compare_paths``), :mod:`~gdcourse.plots.animation`
(``animate``), :mod:`~gdcourse.plots.common` (what they share), :mod:`~gdcourse.plots.describe`
(``describe``: a figure's alt text).
"""

from __future__ import annotations

from gdcourse.plots.animation import animate, frame_indices
from gdcourse.plots.common import (
    as_1d_function,
    new_axes,
    normalize_paths,
    place_legend,
    plain_log_axis,
    run_styles,
)
from gdcourse.plots.describe import describe
from gdcourse.plots.landscape import (
    contour_levels,
    contour_paths,
    draw_path,
    draw_surface,
    function_steps,
    path_legend,
)
from gdcourse.plots.panels import compare_paths
from gdcourse.plots.training import gradient_norms, learning_curves, lr_schedule
from gdcourse.style import RunColors, run_color, run_colors

__all__ = [
    "RunColors",
    "animate",
    "compare_paths",
    "as_1d_function",
    "contour_levels",
    "contour_paths",
    "describe",
    "draw_path",
    "draw_surface",
    "frame_indices",
    "function_steps",
    "gradient_norms",
    "learning_curves",
    "lr_schedule",
    "new_axes",
    "normalize_paths",
    "path_legend",
    "place_legend",
    "plain_log_axis",
    "run_color",
    "run_colors",
    "run_styles",
]
