"""The learning-rate explorer: gradient descent on a parabola, one slider for the rate."""

from __future__ import annotations

from typing import Any

import ipywidgets as W
import numpy as np

from gdcourse._validate import check_int, check_positive
from gdcourse.optim import SGD
from gdcourse.paths import run
from gdcourse.plots.common import as_1d_function, plain_log_axis
from gdcourse.style import run_color
from gdcourse.surfaces import get_surface
from gdcourse.theory import lr_regime
from gdcourse.widgets.base import SLIDER_STYLE, Explorer, log_slider_range, make_box, new_figure

#: Steps the explorer accepts.
MAX_STEPS = 1000

# Reference lines are not runs: neutral greys and black, told apart by line style.
_CURVE, _THRESHOLD, _OPTIMAL = "0.25", "black", "0.45"


class LearningRateExplorer(Explorer):
    """Gradient descent on a parabola; see :func:`learning_rate_explorer`."""

    def __init__(self, curvature: float, learning_rate: float, steps: int) -> None:
        curvature = check_positive("curvature", curvature)
        if not 1e-3 <= curvature <= 1e3:
            raise ValueError(f"`curvature` must be in [0.001, 1000]. Received: {curvature!r}")
        self.surface = get_surface("parabola", a=curvature)
        assert self.surface.L is not None  # a parabola's curvature is its L
        self.L = L = float(self.surface.L)
        learning_rate = check_positive("learning_rate", learning_rate)
        if learning_rate * L > 1e3:
            raise ValueError(
                f"`learning_rate` must be in (0, {1e3 / L:g}] (eta L <= 1000) for curvature "
                f"{curvature:g}. Received: learning_rate={learning_rate!r}"
            )
        steps = check_int("steps", steps, minimum=1)
        if steps > MAX_STEPS:
            raise ValueError(f"`steps` must be in [1, {MAX_STEPS}]. Received: steps={steps}")
        lo, hi = log_slider_range(learning_rate, 0.02 / L, 3.0 / L)
        st = SLIDER_STYLE
        controls = {
            "learning_rate": W.FloatLogSlider(
                value=learning_rate, base=10, min=lo, max=hi, step=0.01,
                description="learning rate", readout_format=".3g", continuous_update=False, **st,
            ),
            "steps": W.IntSlider(value=steps, min=1, max=max(60, steps), description="steps",
                                 continuous_update=False, **st),
        }  # fmt: skip
        figure, (ax_f, ax_e, ax_r) = new_figure((12.0, 3.8), ncols=3)
        self.axes = (ax_f, ax_e, ax_r)
        gd = run_color("GD steps")  # plain gradient descent: the SGD colour
        f, window, _ = as_1d_function(self.surface)
        assert window is not None  # a Surface always has one
        grid = np.linspace(*window, 300)
        ax_f.plot(grid, f(grid), color=_CURVE, label="f(x) = L x²/2")
        (self.path_line,) = ax_f.plot([], [], "-o", color=gd, ms=4, lw=1, label="GD steps",
                                      zorder=5)  # fmt: skip
        ax_f.set_xlim(*window)
        ax_f.set_ylim(-0.05 * f(grid).max(), 1.1 * f(grid).max())
        ax_f.set_xlabel("x (parameter)")
        ax_f.set_ylabel("f(x) (loss)")
        ax_f.legend(fontsize=8, loc="upper center")
        (self.error_line,) = ax_e.plot([], [], "-o", color=gd, ms=3)
        ax_e.set_yscale("log")
        ax_e.set_xlabel("step k")
        ax_e.set_ylabel("error |x_k − x*| (log scale)")
        ax_e.set_title("distance to the minimum")
        etas = np.geomspace(10**lo, 10**hi, 300)
        ax_r.plot(etas, np.abs(1 - etas * L), color=_CURVE, label="|1 − ηL|")
        ax_r.axhline(1.0, color=_THRESHOLD, ls=":", lw=1)
        ax_r.axvline(2.0 / L, color=_THRESHOLD, ls="--", lw=1.2, label=f"2/L = {2 / L:.3g}")
        ax_r.axvline(1.0 / L, color=_OPTIMAL, ls=":", lw=1.2, label=f"1/L = {1 / L:.3g}")
        (self.eta_dot,) = ax_r.plot([], [], "o", color=gd, ms=8, label="your η", zorder=5)
        ax_r.set_xscale("log")
        plain_log_axis(ax_r, "x")
        ax_r.set_xlabel("learning rate η (log scale)")
        ax_r.set_ylabel("error factor per step |1 − ηL|")
        ax_r.set_title("error factor against the rate")
        ax_r.legend(fontsize=8, loc="lower left")
        super().__init__(controls, figure)

    def compute(self) -> Any:
        """The GD path (a ``PathResult``) for the current learning rate and steps."""
        lr = self.controls["learning_rate"].value
        return run(self.surface, SGD(learning_rate=lr), self.surface.start,
                   int(self.controls["steps"].value), max_value=1e8)  # fmt: skip

    def update(self) -> None:
        self.path = path = self.compute()
        lr = self.controls["learning_rate"].value
        x = path.points[:, 0]
        self.path_line.set_data(x, path.values)
        err = np.maximum(np.abs(x), 1e-300)
        self.error_line.set_data(np.arange(x.size), err)
        ax_e = self.axes[1]
        ax_e.set_xlim(-0.5, max(x.size, 2) - 0.5)
        ax_e.set_ylim(max(err.min(), 1e-16) / 3, max(err.max(), 1.0) * 3)
        plain_log_axis(ax_e, "y")
        self.eta_dot.set_data([lr], [abs(1 - lr * self.L)])
        self.regime = lr_regime(lr, self.L)
        self.axes[0].set_title(f"η = {lr:.3g}: {self.regime}", fontsize=11)
        self.readout.value = (
            f"<b>{self.regime}</b>: η·L = {lr * self.L:.3g}; each step multiplies the error by "
            f"1 − ηL = {1 - lr * self.L:.3g}. Threshold 2/L = {2 / self.L:.3g}."
            + (" The run left the picture (|f| > 1e8)." if path.diverged else "")
        )


def learning_rate_explorer(
    curvature: float = 1.0, learning_rate: float = 0.3, steps: int = 20
) -> Any:
    """Gradient descent on ``f(x) = L x^2 / 2`` with a learning-rate slider.

    Panels: the iterates on the parabola; the error ``|x_k|`` per step on a log axis; the
    error factor ``|1 - eta L|`` against ``eta`` with ``1/L`` and the threshold ``2/L``
    marked. The title names the regime (:func:`gdcourse.theory.lr_regime`): too small, good,
    oscillating, on the edge, diverging.

    Args:
        curvature: ``L``, in [0.001, 1000].
        learning_rate: ``eta > 0`` with ``eta L <= 1000``; the slider spans ``0.02/L`` to
            ``3/L``, widened to include the value given.
        steps: in [1, 1000].

    Returns:
        A ``VBox``; ``box.explorer`` is the :class:`LearningRateExplorer`.
    """
    ex = LearningRateExplorer(curvature, learning_rate, steps)
    return make_box(ex, [W.HBox([ex.controls["learning_rate"], ex.controls["steps"]])])
