"""Helpers shared by the plot functions: figure creation and path normalisation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from gdcourse.style import color_for


def new_axes(ax: Any = None, figsize: tuple[float, float] | None = None) -> tuple[Any, Any]:
    """Return ``(figure, axes)``: ``ax`` and its figure, or a new pyplot figure.

    A new figure is made with pyplot so Jupyter's inline backend shows it at the end of the
    cell (end the call with ``;`` or assign the result, so it is not shown twice).
    """
    if ax is not None:
        if not hasattr(ax, "plot") or not hasattr(ax, "figure"):
            raise TypeError(f"`ax` must be a matplotlib Axes or None. Received: ax={ax!r}")
        return ax.figure, ax
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=figsize)
    return fig, ax


def _path_array(path: Any, name: str) -> tuple[np.ndarray, str | None]:
    """An ``(n, d)`` float array from a PathResult, array or list; plus its label if known."""
    label = getattr(path, "label", None) or None
    points = getattr(path, "points", path)
    try:
        arr = np.asarray(points, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(
            f"`{name}` must be a PathResult or an array of points of shape (n, d). "
            f"Received: {name}={path!r}"
        ) from None
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or arr.shape[0] == 0:
        raise ValueError(
            f"`{name}` must hold at least one point, with shape (n, d). "
            f"Received an array of shape {arr.shape}"
        )
    return arr, label


def normalize_paths(paths: Any, name: str = "paths") -> dict[str, np.ndarray]:
    """Turn one path, a list of paths or a ``{label: path}`` dict into ``{label: (n, d)}``.

    A path is a ``PathResult`` (its ``points`` and ``label`` are used) or an array-like of
    shape ``(n, d)`` (``(n,)`` means ``d = 1``). Unlabelled paths are called "path 1", ...
    """
    if paths is None:
        return {}
    if isinstance(paths, Mapping):
        items = [(str(k), v) for k, v in paths.items()]
    elif hasattr(paths, "points") or isinstance(paths, np.ndarray):
        items = [(None, paths)]
    elif isinstance(paths, Sequence) and not isinstance(paths, str):
        if len(paths) and all(np.isscalar(p) for p in paths):
            items = [(None, paths)]  # a single 1-D path given as a list of numbers
        elif len(paths) and all(
            isinstance(p, Sequence) and len(p) and all(np.isscalar(q) for q in p) for p in paths
        ):
            items = [(None, paths)]  # a single (n, d) path given as nested lists
        else:
            items = [(None, p) for p in paths]
    else:
        raise TypeError(
            f"`{name}` must be a PathResult, an (n, d) array, a list of those or a dict "
            f"label -> path. Received: {name}={paths!r}"
        )
    out: dict[str, np.ndarray] = {}
    for i, (label, path) in enumerate(items):
        arr, own = _path_array(path, name)
        key = label or own or f"path {i + 1}"
        while key in out:
            key += "'"
        out[key] = arr
    return out


class RunColors:
    """Give each run name one palette colour, kept across calls (like tensorflow_docs)."""

    def __init__(self) -> None:
        self._table: dict[str, str] = {}

    def __call__(self, name: str) -> str:
        if name not in self._table:
            self._table[name] = color_for(len(self._table))
        return self._table[name]

    def reset(self) -> None:
        """Forget every assignment; the next run gets the first palette colour again."""
        self._table.clear()


#: The colour table used by :func:`learning_curves` and :func:`lr_schedule`.
run_colors = RunColors()


def surface_grid(surface: Any, resolution: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``X, Y, Z`` over a 2-D surface's window, ``Z = surface.value`` on a square grid."""
    (x0, x1), (y0, y1) = surface.window
    xs = np.linspace(x0, x1, resolution)
    ys = np.linspace(y0, y1, resolution)
    X, Y = np.meshgrid(xs, ys)
    Z = np.asarray(surface.value(np.stack([X, Y], axis=-1)), dtype=float)
    return X, Y, Z


def resolve_surface(surface: Any, dim: int | None = None) -> Any:
    """A Surface object from an object or a registry name; check its dimension."""
    if isinstance(surface, str):
        from gdcourse.surfaces import get_surface

        surface = get_surface(surface)
    if not hasattr(surface, "value") or not hasattr(surface, "window"):
        raise TypeError(
            "`surface` must be a gdcourse Surface (with `value` and `window`) or its name. "
            f"Received: surface={surface!r}"
        )
    if dim is not None and getattr(surface, "dim", dim) != dim:
        raise ValueError(
            f"`surface` must be {dim}-dimensional here. Received: surface "
            f"{getattr(surface, 'name', surface)!r} with dim={surface.dim}"
        )
    return surface
