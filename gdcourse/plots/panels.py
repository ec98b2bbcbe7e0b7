"""Several runs on one surface, side by side: :func:`compare_paths`.

One contour panel per run, so no path hides another, then one panel of each run's loss
against the step; the marker key (minimum, start, end) goes once, below the figure.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import matplotlib.pyplot as plt

from gdcourse.plots.common import check_title, normalize_paths, resolve_surface
from gdcourse.plots.landscape import draw_path, draw_surface, path_legend
from gdcourse.style import run_color

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: The keys of :func:`~gdcourse.plots.path_legend` the figure-wide legend keeps.
MARKER_KEYS = ("minimum", "start", "end")


def compare_paths(
    surface: Any,
    runs: Mapping[str, Any],
    title: str | None = None,
    steps_label: str = "step",
    *,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Each run's path on its own contour panel, then the runs' losses ``f(x_k)`` against k.

    Args:
        surface: a 2-D ``gdcourse.surfaces.Surface`` or its name.
        runs: ``{name: PathResult}`` (from :func:`gdcourse.paths.run`), at least one; each is
            coloured by its name (:func:`gdcourse.style.run_color`).
        title: the figure's title.
        steps_label: the x label of the loss panel.
        figsize: default ``(5 * (len(runs) + 1), 4.4)`` inches.

    Returns:
        The matplotlib Figure (``len(runs) + 1`` panels).
    """
    surface = resolve_surface(surface, dim=2)
    check_title(title)
    if not isinstance(runs, Mapping) or not runs:
        raise TypeError(f"`runs` must be a non-empty dict name -> PathResult. Received: {runs!r}")
    missing = [name for name, r in runs.items() if not hasattr(r, "values")]
    if missing:
        raise TypeError(
            f"`runs` values must be PathResults (from gdcourse.paths.run). Received for {missing}"
        )
    if not isinstance(steps_label, str):
        raise TypeError(f"`steps_label` must be a string. Received: {steps_label!r}")
    points = normalize_paths(dict(runs), "runs")
    size = figsize or (5.0 * (len(runs) + 1), 4.4)
    fig, axes = plt.subplots(1, len(runs) + 1, figsize=size, layout="constrained")
    for ax, name in zip(axes[:-1], runs, strict=True):
        draw_surface(ax, surface, colorbar=False)
        draw_path(ax, points[name], run_color(name), name)
        ax.set_title(name)
    loss = axes[-1]
    for name, r in runs.items():
        loss.plot(r.values, color=run_color(name), label=name)
    loss.set_xlabel(steps_label)
    loss.set_ylabel("loss f")
    loss.set_title("loss against step")
    loss.legend(loc="center right")
    key = path_legend(axes[0])  # the marker keys, moved below the figure
    handles, labels = key.legend_handles, [t.get_text() for t in key.get_texts()]
    key.remove()
    keep = [i for i, label in enumerate(labels) if label in MARKER_KEYS]
    fig.legend([handles[i] for i in keep], [labels[i] for i in keep],
               loc="outside lower center", ncol=len(keep))  # fmt: skip
    if title is not None:
        fig.suptitle(title)
    return fig
