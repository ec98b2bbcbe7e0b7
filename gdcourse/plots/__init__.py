"""Plots for the course: every function takes ``ax=None`` and returns the Figure.

With ``ax=None`` a new figure is created (with pyplot, so Jupyter's inline backend shows it
when the cell ends: finish the line with ``;`` or assign the result to avoid a second copy);
with an ``ax`` the function draws there and returns ``ax.figure``. Colours come from the
colour-blind-safe :data:`gdcourse.style.PALETTE`; run names keep their colour across calls.

    >>> from gdcourse import plots
    >>> plots.contour_paths("rosenbrock", {"SGD": sgd_path, "Adam": adam_path});
    >>> plots.learning_curves({"lr=0.1": h1, "lr=0.01": h2}, log_scale=True);
    >>> plots.animate(paths, surface="rosenbrock")     # plays without a kernel
"""

from __future__ import annotations

from gdcourse.plots._common import RunColors, normalize_paths, run_colors
from gdcourse.plots.animation import animate, frame_indices
from gdcourse.plots.landscape import (
    contour_levels,
    contour_paths,
    draw_path,
    draw_surface,
    function_steps,
    path_legend,
)
from gdcourse.plots.training import gradient_norms, learning_curves, lr_schedule

__all__ = [
    "RunColors",
    "animate",
    "contour_levels",
    "contour_paths",
    "draw_path",
    "draw_surface",
    "frame_indices",
    "function_steps",
    "gradient_norms",
    "learning_curves",
    "lr_schedule",
    "normalize_paths",
    "path_legend",
    "run_colors",
]
