"""Loss landscapes: a 2-D surface's contours with optimizer paths; a 1-D function's steps."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.lines import Line2D

from gdcourse._validate import check_bool, check_finite, check_int
from gdcourse.plots.common import (
    as_1d_function,
    check_ax,
    check_title,
    new_axes,
    normalize_paths,
    place_legend,
    plain_formatter,
    resolve_surface,
    run_styles,
    set_title,
    surface_grid,
)
from gdcourse.style import run_color

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Shading of a loss landscape: white at the minimum, grey up the walls. Neutral, so every
#: run's colour stands out on it, and the floor of a valley (where paths end) is the
#: lightest, most visible part. Perceptually uniform and colour-blind safe.
CMAP = "Greys"


def contour_levels(Z: np.ndarray, levels: int, log_levels: bool) -> np.ndarray:
    """Contour levels for the values ``Z``.

    With ``log_levels`` the levels are ``min Z + r`` for ``r`` geometrically spaced between
    ``1e-3 * (max Z - min Z)`` and ``max Z - min Z``: dense near the minimum, where the paths
    end, and sparse on the steep walls. Otherwise they are evenly spaced.
    """
    levels = check_int("levels", levels, minimum=2)
    Z = np.asarray(Z, dtype=float)
    finite = Z[np.isfinite(Z)]
    if finite.size == 0:
        raise ValueError("`Z` must hold at least one finite value. Received none")
    lo, hi = float(finite.min()), float(finite.max())
    span = hi - lo if hi > lo else 1.0
    if log_levels:
        return lo + np.geomspace(span * 1e-3, span, levels)
    return np.linspace(lo, lo + span, levels)


def draw_surface(
    ax: Any,
    surface: Any,
    *,
    levels: int = 25,
    log_levels: bool = True,
    filled: bool = True,
    resolution: int = 160,
    colorbar: bool = True,
    show_minima: bool = True,
    antialiased: bool = True,
) -> list[Any]:
    """Draw a 2-D surface's contours (and minima) on ``ax``; return the artists drawn.

    Levels as in :func:`contour_levels`; with ``filled`` the bands are shaded with
    :data:`CMAP` (light near the minimum, so the paths' ends stay visible) and a colour bar.
    ``antialiased=False`` draws the contour lines without smoothing: a third of the PNG size,
    which keeps animations small.
    """
    check_ax(ax)
    surface = resolve_surface(surface, dim=2)
    levels = check_int("levels", levels, minimum=2)
    resolution = check_int("resolution", resolution, minimum=10)
    X, Y, Z = surface_grid(surface, resolution)
    lv = contour_levels(Z, levels, log_levels)
    artists: list[Any] = []
    if filled:
        cs = ax.contourf(X, Y, Z, levels=lv, cmap=CMAP, alpha=0.5, extend="both")
        artists.append(cs)
        if colorbar:
            cb = ax.figure.colorbar(cs, ax=ax, pad=0.02, format=plain_formatter(3))
            cb.set_label("loss f(x)")
    artists.append(
        ax.contour(X, Y, Z, levels=lv, colors="0.35", linewidths=0.5, alpha=0.6,
                   antialiased=antialiased)
    )  # fmt: skip
    minima = np.asarray(getattr(surface, "minima", np.empty((0, 2))), dtype=float)
    if show_minima and minima.size:
        minima = minima.reshape(-1, 2)
        (mk,) = ax.plot(
            minima[:, 0], minima[:, 1], "*", color="black", markersize=13,
            markeredgecolor="white", linestyle="none", label="minimum", zorder=5,
        )  # fmt: skip
        artists.append(mk)
    (x0, x1), (y0, y1) = surface.window
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel("$x_1$ (parameter 1)")
    ax.set_ylabel("$x_2$ (parameter 2)")
    name = getattr(surface, "name", "")
    if name:
        ax.set_title(f"{name}: loss contours")
    return artists


def draw_path(
    ax: Any,
    points: Any,
    color: str | None = None,
    label: str = "path",
    *,
    linewidth: float = 1.8,
) -> tuple[Any, Any, Any]:
    """Draw one 2-D path: line with small dots, a start circle and an end cross.

    ``color`` defaults to the run's colour by name (:func:`gdcourse.style.run_color`).
    Returns ``(line, start, end)`` so callers can update them with ``set_data``.
    """
    check_ax(ax)
    if not isinstance(label, str):
        raise TypeError(f"`label` must be a string. Received: label={label!r}")
    points = np.asarray(points, dtype=float)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"`points` must have shape (n, 2). Received shape {points.shape}")
    color = color or run_color(label)
    linewidth = check_finite("linewidth", linewidth)
    (line,) = ax.plot(
        points[:, 0], points[:, 1], "-", marker=".", markersize=3, linewidth=linewidth,
        color=color, label=label, zorder=6,
    )  # fmt: skip
    (start,) = ax.plot(
        points[:1, 0], points[:1, 1], "o", color=color, markeredgecolor="black",
        markersize=7, label="_start", zorder=7,
    )  # fmt: skip
    (end,) = ax.plot(
        points[-1:, 0], points[-1:, 1], "X", color=color, markeredgecolor="black",
        markersize=8, label="_end", zorder=7,
    )  # fmt: skip
    return line, start, end


def path_legend(ax: Any, **kwargs: Any) -> Any:
    """A legend with the labelled artists plus grey 'start' and 'end' marker keys.

    Placed outside the axes (right of the panel or of its colour bar) unless ``loc`` is given.
    """
    check_ax(ax)
    handles, labels = ax.get_legend_handles_labels()
    handles += [
        Line2D([], [], marker="o", color="0.5", markeredgecolor="black", linestyle="none"),
        Line2D([], [], marker="X", color="0.5", markeredgecolor="black", linestyle="none"),
    ]
    labels += ["start", "end"]
    kwargs.setdefault("fontsize", 9)
    kwargs.setdefault("framealpha", 0.85)
    kwargs.setdefault("frameon", True)
    return place_legend(ax, handles=handles, labels=labels, **kwargs)


def contour_paths(
    surface: Any,
    paths: Any = None,
    ax: Axes | None = None,
    levels: int = 25,
    log_levels: bool = True,
    *,
    filled: bool = True,
    resolution: int = 160,
    title: str | None = None,
    legend: bool = True,
) -> Figure:
    """Contours of a 2-D loss surface with optimizer paths drawn over them.

    Args:
        surface: a 2-D ``gdcourse.surfaces.Surface`` or its name (``"rosenbrock"``).
        paths: one path, a list of paths, or a dict ``label -> path``; a path is a
            ``PathResult`` or an ``(n, 2)`` array of iterates ``x_0, x_1, ..., x_n``.
        ax: axes to draw on; a new figure when ``None``.
        levels: number of contour levels (an integer >= 2).
        log_levels: space levels geometrically above the minimum value (see
            :func:`contour_levels`), which shows the floor of narrow valleys.
        filled: shade between levels (``contourf``) as well as drawing the lines.
        resolution: grid points per axis for evaluating ``f``.
        title: the axes title; defaults to the surface's name.
        legend: draw the legend; ``False`` leaves it out (for one legend shared by panels).

    Returns:
        The matplotlib Figure. Each path is a line (label = its name) with a circle at
        ``x_0`` and a cross at ``x_n``; minima are black stars. A path that runs into NaN or
        inf (a diverged run given as an array) is drawn up to its last finite point ``x_k``,
        where its cross goes, and its label says so: ``"name (diverged after step k)"``.
    """
    surface = resolve_surface(surface, dim=2)
    levels = check_int("levels", levels, minimum=2)
    resolution = check_int("resolution", resolution, minimum=10)
    check_title(title)
    named = normalize_paths(paths)
    shown = {}
    for label, pts in named.items():
        if pts.shape[1] != 2:
            raise ValueError(
                f"`paths` must be 2-D points for a 2-D surface. Received path {label!r} "
                f"with shape {pts.shape}"
            )
        named[label], shown[label] = _finite_prefix(label, pts)
    fig, ax = new_axes(ax)
    draw_surface(ax, surface, levels=levels, log_levels=log_levels, filled=filled,
                 resolution=resolution)  # fmt: skip
    styles = run_styles(list(named))
    for i, (label, pts) in enumerate(named.items()):
        # earlier paths are drawn wider, so a later path on top never hides one completely
        line, _, _ = draw_path(ax, pts, styles[label]["color"], shown[label],
                               linewidth=max(3.0 - 0.6 * i, 1.2))  # fmt: skip
        if styles[label]["marker"]:
            line.set_marker(styles[label]["marker"])
            line.set_markevery(max(1, pts.shape[0] // 12))
            line.set_markersize(6)
    if title is not None:
        ax.set_title(title)
    if check_bool("legend", legend):
        path_legend(ax)
    return fig


def _finite_prefix(label: str, points: np.ndarray) -> tuple[np.ndarray, str]:
    """A path up to its first NaN/inf point, and its label (which says where it diverged).

    ``x_0 .. x_k`` are kept when ``x_{k+1}`` is the first non-finite point: the run diverged
    after step ``k``, so its end cross marks ``x_k`` rather than an invisible NaN.
    """
    bad = ~np.isfinite(points).all(axis=1)
    if not bad.any():
        return points, label
    first = int(np.argmax(bad))
    if first == 0:
        raise ValueError(
            f"`paths` entry {label!r} has no finite point to draw: its start x_0 is "
            f"{points[0].tolist()}. Received a path of shape {points.shape}"
        )
    return points[:first], f"{label} (diverged after step {first - 1})"


def function_steps(
    f: Any,
    xs: Any,
    ax: Axes | None = None,
    *,
    window: tuple[float, float] | None = None,
    max_arrows: int = 40,
    color: str | None = None,
    label: str | None = None,
    title: str | None = None,
    legend: bool = True,
) -> Figure:
    """A 1-D function with gradient-descent iterates drawn on it.

    Draws ``y = f(x)`` and the points ``(x_k, f(x_k))`` joined by arrows ``k -> k+1``, so
    overshooting shows as a zig-zag across the minimum. Non-finite iterates (a diverged run)
    are dropped; the x-range covers the function's window and the finite iterates, capped
    at five window-widths so a diverging run does not flatten the picture.

    Args:
        f: a 1-D ``Surface`` or a callable ``x -> f(x)`` (vectorised or not).
        xs: the iterates: a ``PathResult``, or an array of shape ``(n,)`` or ``(n, 1)``.
        ax: axes to draw on; a new figure when ``None``.
        window: x-range ``(xmin, xmax)``; defaults to the surface's window or the path's.
        max_arrows: draw arrows for at most this many steps (the first ones).
        color, label: of the iterates; the label defaults to "GD steps" and the colour to
            the label's by the course's rule (:func:`gdcourse.style.run_color`).
        title: the axes title (default: the function's name and the number of steps).
        legend: draw the legend; ``False`` leaves it out (for one legend shared by panels).

    Returns:
        The matplotlib Figure.
    """
    value, own_window, fname = as_1d_function(f)
    check_title(title)
    if color is not None and not isinstance(color, str):
        raise TypeError(f"`color` must be a matplotlib colour string. Received: color={color!r}")
    named = normalize_paths(xs, "xs")
    if len(named) != 1:
        raise ValueError(f"`xs` must hold the iterates of one run. Received {len(named)} runs")
    key, pts = named.popitem()
    own_label = None if key.startswith("path ") else key
    if pts.shape[1] != 1:
        raise ValueError(f"`xs` must be 1-D iterates. Received an array of shape {pts.shape}")
    max_arrows = check_int("max_arrows", max_arrows, minimum=0)
    x = pts[:, 0]
    x = x[np.isfinite(x)]
    if window is None:
        window = own_window
    if window is None:
        lo, hi = (float(x.min()), float(x.max())) if x.size else (-1.0, 1.0)
        pad = 0.15 * (hi - lo or 1.0)
        window = (lo - pad, hi + pad)
    if not isinstance(window, tuple | list | np.ndarray) or len(window) != 2:
        raise TypeError(f"`window` must be a pair (xmin, xmax). Received: window={window!r}")
    w0, w1 = check_finite("window[0]", window[0]), check_finite("window[1]", window[1])
    if not w1 > w0:
        raise ValueError(f"`window` must be (xmin, xmax) with xmin < xmax. Received: {window!r}")
    width = w1 - w0
    if x.size:
        w0 = max(min(w0, float(x.min()) - 0.05 * width), w0 - 2 * width)
        w1 = min(max(w1, float(x.max()) + 0.05 * width), w1 + 2 * width)
    grid = np.linspace(w0, w1, 400)
    fig, ax = new_axes(ax)
    ax.plot(grid, value(grid), color="0.25", linewidth=1.8, label=f"{fname}(x)")
    label = label or own_label or "GD steps"
    color = color or run_color(label)
    inside = x[(x >= w0) & (x <= w1)]
    ys = value(inside) if inside.size else inside
    ax.plot(inside, ys, "o", color=color, markersize=5, label=label, zorder=5)
    if x.size:
        ax.plot(x[:1], value(x[:1]), "o", color=color, markeredgecolor="black", markersize=9,
                label="_start", zorder=6)  # fmt: skip
    fx = value(x) if x.size else x
    for k in range(min(max_arrows, x.size - 1)):
        if not (w0 <= x[k] <= w1 and w0 <= x[k + 1] <= w1):
            break
        ax.annotate(
            "", xy=(x[k + 1], fx[k + 1]), xytext=(x[k], fx[k]),
            arrowprops=dict(arrowstyle="->", color=color, lw=1.0, alpha=0.8),
        )  # fmt: skip
    ax.set_xlim(w0, w1)
    ax.set_xlabel("x (parameter)")
    ax.set_ylabel(f"{fname}(x) (loss)")
    set_title(ax, title, f"{fname}: {max(x.size - 1, 0)} gradient-descent steps")
    if check_bool("legend", legend):
        place_legend(ax, fontsize=9)
    return fig
