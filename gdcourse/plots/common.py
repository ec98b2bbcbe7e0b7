"""What every plot function shares: axes, paths, surfaces, colours by name, readable axes.

Public so that other modules (widgets, diagnostics) draw the same way:

- :func:`new_axes`: the caller's ``ax`` or a new pyplot figure;
- :func:`normalize_paths`, :func:`resolve_surface`, :func:`surface_grid`,
  :func:`as_1d_function`: inputs in every accepted form turned into one form;
- :func:`run_styles`: the colour of each run by the course's one rule
  (:func:`gdcourse.style.run_color`), plus a marker for runs that share a colour;
- :func:`plain_log_axis`: log axes labelled ``0.002, 0.005, 0.01`` (never ``2x10^-3``);
- :func:`place_legend`: the legend outside the data.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import ticker

from gdcourse._validate import check_int

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
from gdcourse.style import run_color
from gdcourse.surfaces import get_surface


def new_axes(
    ax: Axes | None = None, figsize: tuple[float, float] | None = None
) -> tuple[Figure, Axes]:
    """Return ``(figure, axes)``: ``ax`` and its figure, or a new pyplot figure.

    A new figure is made with pyplot so Jupyter's inline backend shows it when the cell
    ends. End a plotting cell with ``plt.show()`` or assign the figure (``fig = ...``) so it
    is shown once; a trailing ``;`` does not help under nbval (see CONTRIBUTING.md).
    """
    if ax is not None:
        if not hasattr(ax, "plot") or not hasattr(ax, "figure"):
            raise TypeError(f"`ax` must be a matplotlib Axes or None. Received: ax={ax!r}")
        return cast("Figure", ax.figure), ax
    if figsize is not None:
        ok = isinstance(figsize, tuple | list) and len(figsize) == 2
        if not ok or not all(isinstance(v, int | float) and 0 < v < 100 for v in figsize):
            raise ValueError(
                f"`figsize` must be (width, height) in inches, each in (0, 100). "
                f"Received: figsize={figsize!r}"
            )
    # no layout engine: a caller's fig.tight_layout() must not warn; Jupyter's inline backend
    # saves with bbox_inches="tight", which keeps a legend placed outside the axes in view
    fig, ax = plt.subplots(figsize=figsize)
    return fig, ax


def check_ax(ax: Any) -> Any:
    """``ax`` itself if it is a matplotlib Axes, else ``TypeError`` naming it."""
    if not hasattr(ax, "plot") or not hasattr(ax, "figure"):
        raise TypeError(f"`ax` must be a matplotlib Axes. Received: ax={ax!r}")
    return ax


def check_title(title: Any) -> str | None:
    """``None`` or a string, else ``TypeError`` naming ``title``."""
    if title is not None and not isinstance(title, str):
        raise TypeError(f"`title` must be a string or None. Received: title={title!r}")
    return title


def set_title(ax: Any, title: str | None, default: str) -> None:
    """``title`` if given; else ``default``, unless the caller's axes already have one."""
    if title is not None:
        ax.set_title(title)
    elif not ax.get_title():
        ax.set_title(default)


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
    if arr.ndim != 2 or arr.shape[0] == 0 or arr.shape[1] == 0:
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
    items: list[tuple[str | None, Any]]
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


def surface_grid(surface: Any, resolution: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``X, Y, Z`` over a 2-D surface's window, ``Z = surface.value`` on a square grid."""
    surface = resolve_surface(surface, dim=2)
    resolution = check_int("resolution", resolution, minimum=2)
    (x0, x1), (y0, y1) = surface.window
    xs = np.linspace(x0, x1, resolution)
    ys = np.linspace(y0, y1, resolution)
    X, Y = np.meshgrid(xs, ys)
    Z = np.asarray(surface.value(np.stack([X, Y], axis=-1)), dtype=float)
    return X, Y, Z


def resolve_surface(surface: Any, dim: int | None = None) -> Any:
    """A Surface object from an object or a registry name; check its dimension."""
    if isinstance(surface, str):
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


def as_1d_function(
    f: Any, name: str = "f"
) -> tuple[Callable[[np.ndarray], np.ndarray], tuple[float, float] | None, str]:
    """``(value, window, label)`` for a 1-D Surface or a callable ``x -> f(x)``.

    ``value`` evaluates ``f`` elementwise on an array (point by point when ``f`` is not
    vectorised); ``window`` is the surface's x-range, or ``None`` for a callable.
    """
    if hasattr(f, "value"):
        if getattr(f, "dim", 1) != 1:
            raise ValueError(
                f"`{name}` must be a 1-D surface or a callable. Received: surface "
                f"{getattr(f, 'name', f)!r} with dim={f.dim}"
            )
        window = tuple(np.ravel(f.window)[:2]) if getattr(f, "window", None) is not None else None

        def value(x: np.ndarray) -> np.ndarray:
            return np.asarray(f.value(np.asarray(x)[..., None]), dtype=float)

        return value, window, getattr(f, "name", "f")
    if callable(f):

        def value(x: np.ndarray) -> np.ndarray:
            try:
                out = np.asarray(f(x), dtype=float)
                if out.shape == np.shape(x):
                    return out
            except Exception:  # not vectorised: evaluate point by point
                pass
            return np.array([float(f(float(v))) for v in np.ravel(x)]).reshape(np.shape(x))

        return value, None, getattr(f, "__name__", "f")
    raise TypeError(f"`{name}` must be a 1-D Surface or a callable. Received: {name}={f!r}")


#: Markers given, in turn, to runs whose colour another run of the same figure already has.
SHARED_COLOR_MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v", "P", "*")


def run_styles(
    names: Sequence[str], colors: Callable[[str], str] | None = None
) -> dict[str, dict[str, Any]]:
    """``{name: {"color": ..., "marker": ...}}`` for the runs of one figure.

    The colour is the run's by name (``colors``, default :func:`gdcourse.style.run_color`).
    The first run of each colour has no marker; later runs with the same colour (two Adam
    runs, say) get :data:`SHARED_COLOR_MARKERS` in turn, so they stay apart.
    """
    colors = colors or run_color
    seen: dict[str, int] = {}
    out: dict[str, dict[str, Any]] = {}
    for name in names:
        color = colors(name)
        k = seen.get(color, 0)
        seen[color] = k + 1
        marker = None if k == 0 else SHARED_COLOR_MARKERS[(k - 1) % len(SHARED_COLOR_MARKERS)]
        out[name] = {"color": color, "marker": marker}
    return out


def markevery(n_points: int, index: int, marks: int = 12) -> tuple[int, int]:
    """``(start, step)`` for about ``marks`` markers on a line of ``n_points`` points.

    Runs start at different offsets (``index``), so coinciding lines show every marker.
    """
    step = max(1, n_points // marks)
    return (index * max(1, step // 4)) % step, step


def format_plain(x: float, digits: int = 6) -> str:
    """A tick value in plain decimals, rounded to ``digits`` significant digits: ``0.002``,
    ``5``, ``1024``; short powers of ten outside 1e-4..1e6, where zeros are hard to count
    (``1e-6``, ``2e7``)."""
    if x == 0 or not math.isfinite(x):
        return f"{x:g}"
    if 1e-4 <= abs(x) < 1e6:
        return np.format_float_positional(float(f"{x:.{digits}g}"), trim="-")
    return f"{x:.2g}".replace("e-0", "e-").replace("e+0", "e").replace("e+", "e")


def plain_formatter(digits: int = 6) -> ticker.Formatter:
    """:func:`format_plain` as a matplotlib tick formatter (for colour bars, linear axes)."""
    return ticker.FuncFormatter(lambda v, _pos: format_plain(v, digits))


class _PlainLogMinor(ticker.Formatter):
    """Label minor log ticks in plain decimals when the axis spans less than ~2 decades."""

    def __call__(self, x: float, pos: int | None = None) -> str:
        assert self.axis is not None  # matplotlib sets it before asking for labels
        lo, hi = sorted(abs(v) for v in self.axis.get_view_interval())
        if lo <= 0 or hi <= 0:
            return ""
        decades = math.log10(hi / lo)
        mantissa = round(x / 10 ** math.floor(math.log10(x) + 1e-9), 6)
        if decades > 2.0:
            return ""
        if decades > 0.8 and mantissa not in (2.0, 5.0):
            return ""
        return format_plain(x)


def plain_log_axis(ax: Any, axis: str = "y", ticks: Sequence[float] | None = None) -> None:
    """Label a log-scaled axis in plain decimals (``0.01, 0.02, 0.05``), not ``2x10^-2``.

    ``axis`` is ``"x"``, ``"y"`` or ``"both"``. With ``ticks`` (positive numbers), exactly
    those ticks are labelled and no minor tick is drawn; otherwise matplotlib's log ticks are
    kept and labelled plainly (minor ones too when the axis spans less than two decades).
    """
    check_ax(ax)
    if axis not in ("x", "y", "both"):
        raise ValueError(f"`axis` must be one of 'x', 'y', 'both'. Received: axis={axis!r}")
    if ticks is not None:
        values = np.asarray(ticks, dtype=float) if not isinstance(ticks, str) else None
        if values is None or values.ndim != 1 or not values.size or not np.all(values > 0):
            raise ValueError(f"`ticks` must be a list of positive numbers. Received: {ticks!r}")
    for which in ("x", "y") if axis == "both" else (axis,):
        a = ax.xaxis if which == "x" else ax.yaxis
        a.set_major_formatter(plain_formatter())
        if ticks is None:
            a.set_minor_formatter(_PlainLogMinor())
        else:
            a.set_major_locator(ticker.FixedLocator(values.tolist()))
            a.set_minor_locator(ticker.NullLocator())


def place_legend(ax: Any, **kwargs: Any) -> Any:
    """A legend outside the data.

    In a one-panel figure it goes right of the axes, or below them when a colour bar takes
    the right side. With several panels it goes to the spot matplotlib finds emptiest
    (``"best"``), so it does not run into the next panel. A ``loc`` given wins.
    """
    check_ax(ax)
    panels = [a for a in ax.figure.axes if a.get_label() != "<colorbar>"]
    if len(panels) == 1 and "loc" not in kwargs:
        if len(panels) < len(ax.figure.axes):  # a colour bar on the right
            labels = kwargs.get("labels") or ax.get_legend_handles_labels()[1]
            kwargs.update(loc="upper center", bbox_to_anchor=(0.5, -0.16),
                          ncol=max(1, min(len(labels), 4)))  # fmt: skip
        else:
            kwargs.update(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0)
    kwargs.setdefault("loc", "best")
    return ax.legend(**kwargs)
