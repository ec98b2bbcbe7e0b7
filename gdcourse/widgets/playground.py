"""The optimizer playground: optimizer paths on a 2-D loss surface, redrawn as controls move."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as W
import numpy as np

from gdcourse._validate import check_choice, check_int, check_positive
from gdcourse.optim.presets import KNOBS, PRESETS, make_optimizer, preset_name
from gdcourse.paths import run
from gdcourse.plots.landscape import draw_path, draw_surface, path_legend
from gdcourse.style import run_color
from gdcourse.surfaces import SURFACES, get_surface
from gdcourse.widgets.base import (
    SLIDER_STYLE,
    Explorer,
    log_slider_range,
    make_box,
    new_figure,
    to_png,
)

#: The optimizers the playground offers (the preset table's names).
OPTIMIZERS: tuple[str, ...] = tuple(PRESETS)

#: Steps the playground accepts (each optimizer runs this many).
MAX_STEPS = 100_000


def surfaces_2d() -> tuple[str, ...]:
    """Names of the registered 2-D surfaces."""
    return tuple(n for n in SURFACES if get_surface(n).dim == 2)


def check_optimizers(optimizers: Any) -> tuple[str, ...]:
    """Preset names from one name or a sequence of names (any case), without repeats."""
    if isinstance(optimizers, str):
        optimizers = (optimizers,)
    if not isinstance(optimizers, Sequence | set | frozenset):
        raise TypeError(
            f"`optimizers` must be a name or a list of names from {list(OPTIMIZERS)}. "
            f"Received: optimizers={optimizers!r}"
        )
    names = [preset_name(name, "optimizers") for name in optimizers]
    return tuple(dict.fromkeys(names))


class OptimizerPlayground(Explorer):
    """Optimizer paths on a 2-D surface; see :func:`optimizer_playground`."""

    def __init__(
        self,
        surface: str,
        optimizers: Sequence[str] | str,
        learning_rate: float,
        steps: int,
    ) -> None:
        names2d = surfaces_2d()
        if not isinstance(surface, str):
            raise TypeError(f"`surface` must be the name of a 2-D surface, one of {names2d}. "
                            f"Received: surface={surface!r}")  # fmt: skip
        check_choice("surface", surface, names2d)
        optimizers = check_optimizers(optimizers)
        learning_rate = check_positive("learning_rate", learning_rate)
        if learning_rate > 1e3:
            raise ValueError(f"`learning_rate` must be in (0, 1000]. Received: {learning_rate!r}")
        steps = check_int("steps", steps, minimum=1)
        if steps > MAX_STEPS:
            raise ValueError(f"`steps` must be in [1, {MAX_STEPS}]. Received: steps={steps}")
        s = get_surface(surface)
        (x0, x1), (y0, y1) = s.window  # type: ignore[misc]  # 2-D: a pair of ranges
        lo, hi = log_slider_range(learning_rate, 1e-4, 1.0)
        st = SLIDER_STYLE
        fmt = {"continuous_update": False, **st}
        controls = {
            "surface": W.Dropdown(options=names2d, value=surface, description="surface", **st),
            "optimizers": W.SelectMultiple(
                options=OPTIMIZERS, value=optimizers, rows=4, description="optimizers", **st,
            ),
            "learning_rate": W.FloatLogSlider(
                value=learning_rate, base=10, min=lo, max=hi, step=0.05,
                description="learning rate", readout_format=".2g", **fmt,
            ),
            "momentum": W.FloatSlider(value=KNOBS["momentum"], min=0.0, max=0.99, step=0.01,
                                      description="momentum", **fmt),
            "beta_1": W.FloatSlider(value=KNOBS["beta_1"], min=0.0, max=0.99, step=0.01,
                                    description="beta_1", **fmt),
            "beta_2": W.FloatSlider(value=KNOBS["beta_2"], min=0.5, max=0.9999, step=0.0001,
                                    description="beta_2 / rho", readout_format=".4f", **fmt),
            "steps": W.IntSlider(value=steps, min=min(10, steps), max=max(1000, steps), step=10,
                                 description="steps", **fmt),
            "x": W.FloatSlider(value=float(s.start[0]), min=x0, max=x1, step=(x1 - x0) / 200,
                               description="start x₁", **fmt),
            "y": W.FloatSlider(value=float(s.start[1]), min=y0, max=y1, step=(y1 - y0) / 200,
                               description="start x₂", **fmt),
        }  # fmt: skip
        figure, (ax,) = new_figure((7.0, 4.6))
        self.ax = ax
        self.surface = s
        self.paths: dict[str, Any] = {}
        super().__init__(controls, figure)
        self._draw_background()

    def _draw_background(self) -> None:
        self.ax.clear()
        draw_surface(self.ax, self.surface, colorbar=False, resolution=120)
        empty = np.full((1, 2), np.nan)
        # each optimizer keeps its course-wide colour (gdcourse.style.run_color)
        self.artists = {
            name: draw_path(self.ax, empty, run_color(name), name) for name in OPTIMIZERS
        }
        # Blitting: the contours are drawn once into a saved background; each redraw pastes
        # it back and draws only the paths, the title and the legend (about 10x faster).
        for triple in self.artists.values():
            for artist in triple:
                artist.set_animated(True)
        self.ax.title.set_animated(True)
        self._background = None

    def render(self) -> bytes:
        """PNG of the figure: the cached contour background plus the animated artists."""
        fig = self.figure
        canvas = fig.canvas
        if self._background is None:
            # lay out once with a legend of every optimizer, so the legend's room is kept
            for name, (line, _, _) in self.artists.items():
                line.set_label(name)
            path_legend(self.ax, fontsize=8)
            fig.set_layout_engine("constrained")
            canvas.draw()  # everything not animated: contours, axes, labels
            fig.set_layout_engine("none")  # freeze the layout the background was drawn with
            self.ax.get_legend().remove()
            canvas.draw()
            self._background = canvas.copy_from_bbox(fig.bbox)
            self._update_legend()
        canvas.restore_region(self._background)
        visible = [a for triple in self.artists.values() for a in triple if a.get_visible()]
        for artist in sorted(visible, key=lambda a: a.get_zorder()):  # lines, then markers
            fig.draw_artist(artist)
        fig.draw_artist(self.ax.title)
        if self.ax.get_legend() is not None:
            fig.draw_artist(self.ax.get_legend())
        return to_png(canvas.buffer_rgba())

    def _surface_changed(self) -> None:
        self.surface = get_surface(self.controls["surface"].value)
        (x0, x1), (y0, y1) = self.surface.window  # type: ignore[misc]  # 2-D surfaces only
        for key, (lo, hi), v in (("x", (x0, x1), self.surface.start[0]),
                                 ("y", (y0, y1), self.surface.start[1])):  # fmt: skip
            slider = self.controls[key]
            with slider.hold_trait_notifications():
                slider.unobserve(self._changed, names="value")
                slider.min, slider.max = min(lo, slider.min), max(hi, slider.max)
                slider.value = float(v)
                slider.min, slider.max, slider.step = lo, hi, (hi - lo) / 200
                slider.observe(self._changed, names="value")
        self._draw_background()

    def _changed(self, change: dict) -> None:
        if change.get("owner") is self.controls["surface"]:
            self._surface_changed()
        self.redraw()

    def compute(self) -> dict[str, Any]:
        """``{optimizer name: PathResult}`` for the selected optimizers and settings."""
        c = {k: w.value for k, w in self.controls.items()}
        start = np.array([c["x"], c["y"]])
        out = {}
        for name in c["optimizers"]:
            opt = make_optimizer(name, c["learning_rate"], c["momentum"], c["beta_1"],
                                 c["beta_2"])  # fmt: skip
            out[name] = run(self.surface, opt, start, int(c["steps"]), label=name)
        return out

    def _update_legend(self) -> None:
        for name, (line, _, _) in self.artists.items():
            line.set_label(name if name in self.paths else "_" + name)
        path_legend(self.ax, fontsize=8).set_animated(True)

    def update(self) -> None:
        self.paths = self.compute()
        selected = list(self.paths)
        for name, (line, start, end) in self.artists.items():
            path = self.paths.get(name)
            visible = path is not None
            for artist in (line, start, end):
                artist.set_visible(visible)
            if path is not None:
                # the first selected is drawn widest, each next one thinner and on top, so a
                # path that runs over another never hides it completely
                rank = selected.index(name)
                line.set_linewidth(max(4.0 - 0.9 * rank, 1.2))
                line.set_zorder(6 + 0.1 * rank)
                p = path.points
                line.set_data(p[:, 0], p[:, 1])
                start.set_data(p[:1, 0], p[:1, 1])
                end.set_data(p[-1:, 0], p[-1:, 1])
        self._update_legend()
        lr = self.controls["learning_rate"].value
        diverged = [n for n, p in self.paths.items() if p.diverged]
        self.ax.set_title(
            f"{self.surface.name}: learning rate {lr:.3g}"
            + (f"; diverged: {', '.join(diverged)}" if diverged else "")
        )
        rows = "".join(
            f"<tr><td>{n}</td><td>{float(p.values[-1]):.4g}</td><td>{p.steps_taken}</td>"
            f"<td>{'diverged' if p.diverged else ''}</td></tr>"
            for n, p in self.paths.items()
        )
        self.readout.value = (
            f"<table class='gd-readout'><tr><th>optimizer</th><th>final loss</th>"
            f"<th>steps</th><th></th></tr>{rows}</table>"
        )


def optimizer_playground(
    surface: str = "rosenbrock",
    optimizers: Sequence[str] | str = ("SGD", "Momentum", "Adam"),
    learning_rate: float = 1e-3,
    steps: int = 200,
) -> Any:
    """Optimizer paths on a 2-D loss surface, redrawn as the controls move.

    Controls: surface, optimizers (several at once), learning rate (log scale, 1e-4..1,
    widened to include the ``learning_rate`` given, so ``learning_rate=2.0`` shows
    divergence), momentum (Momentum, Nesterov), beta_1 / beta_2 (Adam, AdamW; beta_2 is
    RMSprop's rho), number of steps, start point. Every optimizer runs
    ``x_{k+1} = x_k + update(grad f(x_k))`` from the same start (``gdcourse.paths.run``);
    a run that leaves ``|f| <= 1e6`` stops and is marked "diverged" in the table. Each
    optimizer has its course-wide colour (:func:`gdcourse.style.run_color`).

    Args:
        surface: a 2-D surface's name (``gdcourse.surfaces.SURFACES``).
        optimizers: one name or a list, from ``OPTIMIZERS`` (any case).
        learning_rate: in (0, 1000].
        steps: in [1, 100000].

    Returns:
        A ``VBox``; ``box.explorer`` is the :class:`OptimizerPlayground`.
    """
    ex = OptimizerPlayground(surface, optimizers, learning_rate, steps)
    c = ex.controls
    rows = [
        W.HBox([c["surface"], c["optimizers"]]),
        W.HBox([W.VBox([c["learning_rate"], c["steps"], c["x"], c["y"]]),
                W.VBox([c["momentum"], c["beta_1"], c["beta_2"]])]),
    ]  # fmt: skip
    return make_box(ex, rows)
