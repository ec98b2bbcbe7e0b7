"""Interactive explorers (ipywidgets) for the course notebooks.

Each explorer function returns an ``ipywidgets.VBox`` ready to display; the object that
computes and draws is attached as ``box.explorer``. Every explorer (an :class:`Explorer`)
has:

- ``controls``: ``{name: widget}``; changing any of them calls ``redraw()``;
- ``figure``: one matplotlib Figure, made once (no pyplot, so nothing else shows it);
  ``redraw()`` updates its artists in place (``Line2D.set_data``) and never makes another;
- ``image``: an ``ipywidgets.Image`` holding the figure rendered as PNG, replaced on each
  redraw; ``readout``: an ``ipywidgets.HTML`` with the numbers behind the picture;
- a compute method separate from the drawing, so tests drive it without a browser.

Showing the figure through an ``Image`` widget (rather than ``%matplotlib widget`` or an
``Output`` with inline plots) works the same in JupyterLab 4, Notebook 7 and Colab, with
ipywidgets 7.7 or 8, and needs no kernel-side backend. Only widgets and traits common to
ipywidgets 7.7 and 8 are used (FloatLogSlider, FloatSlider, IntSlider, Dropdown,
SelectMultiple, Checkbox, HTML, Image, HBox/VBox, ``observe``).

    >>> from gdcourse.widgets import optimizer_playground
    >>> optimizer_playground("rosenbrock")          # display it: last line of a cell
    >>> box = optimizer_playground(); box.explorer.controls["learning_rate"].value = 0.01
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import numpy as np

from gdcourse._validate import check_choice, check_int, check_positive

OPTIMIZERS: tuple[str, ...] = ("SGD", "Momentum", "Nesterov", "RMSprop", "Adagrad", "Adam", "AdamW")


def make_optimizer(
    name: str,
    learning_rate: float,
    momentum: float = 0.9,
    beta_1: float = 0.9,
    beta_2: float = 0.999,
) -> Any:
    """A ``gdcourse.optim`` optimizer for a playground name.

    "Momentum" is ``SGD(momentum=...)`` and "Nesterov" ``SGD(momentum=..., nesterov=True)``;
    ``beta_1``/``beta_2`` go to Adam and AdamW, ``beta_2`` is RMSprop's ``rho``.
    """
    from gdcourse import optim

    check_choice("optimizer", name, OPTIMIZERS)
    if name == "SGD":
        return optim.SGD(learning_rate=learning_rate)
    if name == "Momentum":
        return optim.SGD(learning_rate=learning_rate, momentum=momentum)
    if name == "Nesterov":
        return optim.SGD(learning_rate=learning_rate, momentum=momentum, nesterov=True)
    if name == "RMSprop":
        return optim.RMSprop(learning_rate=learning_rate, rho=beta_2)
    if name == "Adagrad":
        return optim.Adagrad(learning_rate=learning_rate)
    if name == "Adam":
        return optim.Adam(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2)
    return optim.AdamW(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2)


def _new_figure(figsize: tuple[float, float], ncols: int = 1) -> tuple[Any, list[Any]]:
    """A Figure with an Agg canvas, outside pyplot (so the inline backend never shows it)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, dpi=80, layout="constrained")
    FigureCanvasAgg(fig)
    axes = [fig.add_subplot(1, ncols, i + 1) for i in range(ncols)]
    return fig, axes


def _png(rgba: np.ndarray) -> bytes:
    """Encode an RGBA buffer as PNG with fast compression (Pillow ships with matplotlib)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(np.asarray(rgba)[..., :3]).save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


class Explorer:
    """Base class: controls -> ``update()`` (compute + move artists) -> PNG in ``image``."""

    dpi = 80

    def __init__(self, controls: dict[str, Any], figure: Any) -> None:
        import ipywidgets as W

        self.controls = controls
        self.figure = figure
        self.image = W.Image(format="png")
        self.readout = W.HTML()
        self.redraws = 0
        for widget in controls.values():
            widget.observe(self._changed, names="value")

    def _changed(self, change: dict) -> None:
        self.redraw()

    def update(self) -> None:
        """Recompute and move the artists; subclasses implement it."""
        raise NotImplementedError

    def render(self) -> bytes:
        """The figure as PNG bytes (the layout is computed on the first render, then frozen)."""
        canvas = self.figure.canvas
        canvas.draw()
        self.figure.set_layout_engine("none")
        return _png(canvas.buffer_rgba())

    def redraw(self) -> None:
        """Recompute, update the figure in place and show the new picture."""
        self.update()
        self.image.value = self.render()
        self.redraws += 1

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def _box(explorer: Explorer, rows: Sequence[Any]) -> Any:
    import ipywidgets as W

    box = W.VBox([*rows, explorer.image, explorer.readout])
    box.explorer = explorer  # the controller, for tests and curious learners
    explorer.widget = box
    explorer.redraw()
    return box


def _slider_style() -> dict[str, Any]:
    return {"style": {"description_width": "110px"}}


# ---------------------------------------------------------------------------- playground
class OptimizerPlayground(Explorer):
    """Optimizer paths on a 2-D surface; see :func:`optimizer_playground`."""

    def __init__(
        self,
        surface: str,
        optimizers: Sequence[str],
        learning_rate: float,
        steps: int,
    ) -> None:
        import ipywidgets as W

        from gdcourse.surfaces import SURFACES, get_surface

        names2d = tuple(n for n in SURFACES if get_surface(n).dim == 2)
        check_choice("surface", surface, names2d)
        for name in optimizers:
            check_choice("optimizers", name, OPTIMIZERS)
        check_positive("learning_rate", learning_rate)
        steps = check_int("steps", steps, minimum=1)
        s = get_surface(surface)
        (x0, x1), (y0, y1) = s.window
        st = _slider_style()
        fmt = {"continuous_update": False, **st}
        controls = {
            "surface": W.Dropdown(options=names2d, value=surface, description="surface", **st),
            "optimizers": W.SelectMultiple(
                options=OPTIMIZERS, value=tuple(optimizers), rows=4, description="optimizers",
                **st,
            ),
            "learning_rate": W.FloatLogSlider(
                value=learning_rate, base=10, min=-4, max=0, step=0.05,
                description="learning rate", readout_format=".2g", **fmt,
            ),
            "momentum": W.FloatSlider(value=0.9, min=0.0, max=0.99, step=0.01,
                                      description="momentum", **fmt),
            "beta_1": W.FloatSlider(value=0.9, min=0.0, max=0.99, step=0.01,
                                    description="beta_1", **fmt),
            "beta_2": W.FloatSlider(value=0.999, min=0.5, max=0.9999, step=0.0001,
                                    description="beta_2 / rho", readout_format=".4f", **fmt),
            "steps": W.IntSlider(value=steps, min=10, max=1000, step=10, description="steps",
                                 **fmt),
            "x": W.FloatSlider(value=float(s.start[0]), min=x0, max=x1, step=(x1 - x0) / 200,
                               description="start x₁", **fmt),
            "y": W.FloatSlider(value=float(s.start[1]), min=y0, max=y1, step=(y1 - y0) / 200,
                               description="start x₂", **fmt),
        }  # fmt: skip
        figure, (ax,) = _new_figure((6.4, 4.6))
        self.ax = ax
        self.surface = s
        super().__init__(controls, figure)
        self._draw_background()

    def _draw_background(self) -> None:
        from gdcourse.plots.landscape import draw_path, draw_surface
        from gdcourse.style import color_for

        self.ax.clear()
        draw_surface(self.ax, self.surface, colorbar=False, resolution=120)
        empty = np.full((1, 2), np.nan)
        self.artists = {
            name: draw_path(self.ax, empty, color_for(i), name) for i, name in enumerate(OPTIMIZERS)
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
            fig.set_layout_engine("constrained")
            canvas.draw()  # everything not animated: contours, axes, labels
            fig.set_layout_engine("none")  # freeze the layout the background was drawn with
            self._background = canvas.copy_from_bbox(fig.bbox)
        canvas.restore_region(self._background)
        for triple in self.artists.values():
            for artist in triple:
                if artist.get_visible():
                    fig.draw_artist(artist)
        fig.draw_artist(self.ax.title)
        if self.ax.get_legend() is not None:
            fig.draw_artist(self.ax.get_legend())
        return _png(canvas.buffer_rgba())

    def _surface_changed(self) -> None:
        from gdcourse.surfaces import get_surface

        self.surface = get_surface(self.controls["surface"].value)
        (x0, x1), (y0, y1) = self.surface.window
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
        from gdcourse.surfaces import run

        c = {k: w.value for k, w in self.controls.items()}
        start = np.array([c["x"], c["y"]])
        out = {}
        for name in c["optimizers"]:
            opt = make_optimizer(name, c["learning_rate"], c["momentum"], c["beta_1"],
                                 c["beta_2"])  # fmt: skip
            out[name] = run(self.surface, opt, start, int(c["steps"]), label=name)
        return out

    def update(self) -> None:
        from gdcourse.plots.landscape import path_legend

        self.paths = self.compute()
        for name, (line, start, end) in self.artists.items():
            path = self.paths.get(name)
            visible = path is not None
            for artist in (line, start, end):
                artist.set_visible(visible)
            if visible:
                p = path.points
                line.set_data(p[:, 0], p[:, 1])
                start.set_data(p[:1, 0], p[:1, 1])
                end.set_data(p[-1:, 0], p[-1:, 1])
            line.set_label(name if visible else "_" + name)
        path_legend(self.ax, fontsize=8).set_animated(True)
        lr = self.controls["learning_rate"].value
        self.ax.set_title(f"{self.surface.name}: learning rate {lr:.3g}")
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
    optimizers: Sequence[str] = ("SGD", "Momentum", "Adam"),
    learning_rate: float = 1e-3,
    steps: int = 200,
) -> Any:
    """Optimizer paths on a 2-D loss surface, redrawn as the controls move.

    Controls: surface, optimizers (several at once), learning rate (log scale, 1e-4..1),
    momentum (Momentum, Nesterov), beta_1 / beta_2 (Adam, AdamW; beta_2 is RMSprop's rho),
    number of steps, start point. Every optimizer runs ``x_{k+1} = x_k + update(grad f(x_k))``
    from the same start (``gdcourse.surfaces.run``); a run that leaves ``|f| <= 1e6`` stops
    and is marked "diverged" in the table.

    Returns:
        A ``VBox``; ``box.explorer`` is the :class:`OptimizerPlayground`.
    """
    ex = OptimizerPlayground(surface, optimizers, learning_rate, steps)
    c = ex.controls
    import ipywidgets as W

    rows = [
        W.HBox([c["surface"], c["optimizers"]]),
        W.HBox([W.VBox([c["learning_rate"], c["steps"], c["x"], c["y"]]),
                W.VBox([c["momentum"], c["beta_1"], c["beta_2"]])]),
    ]  # fmt: skip
    return _box(ex, rows)


# ------------------------------------------------------------------- learning-rate (1-D)
def lr_regime(learning_rate: float, L: float) -> str:
    """Name the behaviour of gradient descent on ``f(x) = L x^2 / 2`` at ``learning_rate``.

    Each step multiplies the error by ``r = 1 - eta L``: ``|r| < 1`` converges (monotonically
    when ``r >= 0``, i.e. ``eta <= 1/L``; oscillating when ``1/L < eta < 2/L``), ``|r| = 1``
    at ``eta = 2/L`` oscillates forever, ``|r| > 1`` diverges. Below ``0.2/L`` it converges
    but needs more than 20 steps per decade: "too small".
    """
    eta_l = check_positive("learning_rate", learning_rate) * check_positive("L", L)
    if eta_l < 0.2:
        return "too small (slow)"
    if eta_l <= 1.0:
        return "good (converges)"
    if eta_l < 1.98:
        return "oscillating (converges)"
    if eta_l <= 2.02:
        return "on the edge (2/L): oscillates forever"
    return "diverging"


class LearningRateExplorer(Explorer):
    """Gradient descent on a parabola; see :func:`learning_rate_explorer`."""

    def __init__(self, curvature: float, learning_rate: float, steps: int) -> None:
        import ipywidgets as W

        from gdcourse.plots.landscape import _as_1d_function
        from gdcourse.style import color_for
        from gdcourse.surfaces import get_surface

        self.surface = get_surface("parabola", a=check_positive("curvature", curvature))
        self.L = float(self.surface.L)
        steps = check_int("steps", steps, minimum=1)
        st = _slider_style()
        controls = {
            "learning_rate": W.FloatLogSlider(
                value=check_positive("learning_rate", learning_rate), base=10,
                min=np.log10(0.02 / self.L), max=np.log10(3.0 / self.L), step=0.01,
                description="learning rate", readout_format=".3g", continuous_update=False, **st,
            ),
            "steps": W.IntSlider(value=steps, min=1, max=60, description="steps",
                                 continuous_update=False, **st),
        }  # fmt: skip
        figure, (ax_f, ax_e, ax_r) = _new_figure((11.0, 3.4), ncols=3)
        self.axes = (ax_f, ax_e, ax_r)
        f, window, _ = _as_1d_function(self.surface)
        grid = np.linspace(*window, 300)
        ax_f.plot(grid, f(grid), color="0.25", label="f(x) = L x²/2")
        (self.path_line,) = ax_f.plot([], [], "-o", color=color_for(0), ms=4, lw=1,
                                      label="GD steps")  # fmt: skip
        ax_f.set_xlim(*window)
        ax_f.set_ylim(-0.05 * f(grid).max(), 1.1 * f(grid).max())
        ax_f.set_xlabel("x (parameter)")
        ax_f.set_ylabel("f(x) (loss)")
        ax_f.legend(fontsize=8, loc="upper center")
        (self.error_line,) = ax_e.plot([], [], "-o", color=color_for(0), ms=3)
        ax_e.set_yscale("log")
        ax_e.set_xlabel("step k")
        ax_e.set_ylabel("|x_k − x*| (log scale)")
        etas = np.geomspace(0.02 / self.L, 3.0 / self.L, 200)
        ax_r.plot(etas, np.abs(1 - etas * self.L), color="0.25", label="|1 − ηL|")
        ax_r.axhline(1.0, color=color_for(3), ls=":", lw=1)
        ax_r.axvline(2.0 / self.L, color=color_for(3), ls="--", lw=1.2,
                     label=f"2/L = {2 / self.L:.3g}")  # fmt: skip
        ax_r.axvline(1.0 / self.L, color=color_for(2), ls=":", lw=1,
                     label=f"1/L = {1 / self.L:.3g}")  # fmt: skip
        (self.eta_dot,) = ax_r.plot([], [], "o", color=color_for(0), ms=8, label="your η")
        ax_r.set_xscale("log")
        ax_r.set_xlabel("learning rate η (log scale)")
        ax_r.set_ylabel("error factor per step |1 − ηL|")
        ax_r.legend(fontsize=8, loc="upper left")
        super().__init__(controls, figure)

    def compute(self) -> Any:
        """The GD path (a ``PathResult``) for the current learning rate and steps."""
        from gdcourse.optim import SGD
        from gdcourse.surfaces import run

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
    marked. The title names the regime (:func:`lr_regime`): too small, good, oscillating,
    on the edge, diverging.

    Returns:
        A ``VBox``; ``box.explorer`` is the :class:`LearningRateExplorer`.
    """
    import ipywidgets as W

    ex = LearningRateExplorer(curvature, learning_rate, steps)
    return _box(ex, [W.HBox([ex.controls["learning_rate"], ex.controls["steps"]])])


# --------------------------------------------------------------------------- batch size
def minibatch_gradient_noise(
    X: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    batch_sizes: Sequence[int],
    n_batches: int = 100,
    seed: int = 0,
) -> dict[str, np.ndarray]:
    """How far mini-batch MSE gradients stray from the full-batch gradient.

    With per-example gradients ``g_i = 2 x_i (x_i . w - y_i)`` and the full gradient
    ``g = mean_i g_i``, a batch ``B`` drawn without replacement gives ``g_B = mean_{i in B}
    g_i``. For each batch size this returns the root-mean-square deviation
    ``rms_B = sqrt(mean over batches ||g_B - g||^2)`` over ``n_batches`` random batches, and
    its exact expectation ``theory_B = sqrt(tr(Sigma) / B * (N - B) / (N - 1))`` where
    ``tr(Sigma) = mean_i ||g_i - g||^2``; without the finite-population factor that is the
    ``1/sqrt(B)`` law, returned as ``reference``.

    Returns:
        ``{"batch_sizes", "rms", "theory", "reference", "full_norm"}``.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float).reshape(-1)
    w = np.asarray(w, dtype=float).reshape(-1)
    n_batches = check_int("n_batches", n_batches, minimum=2)
    N = X.shape[0]
    sizes = np.array([check_int("batch_sizes", int(b), minimum=1) for b in batch_sizes])
    if sizes.max() > N:
        raise ValueError(f"`batch_sizes` must be <= the number of rows {N}. Received {sizes}")
    G = 2.0 * X * (X @ w - y)[:, None]
    g = G.mean(axis=0)
    trace = float(np.mean(np.sum((G - g) ** 2, axis=1)))
    rng = np.random.default_rng(seed)
    bmax = int(sizes.max())
    sq = np.zeros(sizes.size)
    for _ in range(n_batches):
        idx = rng.choice(N, size=bmax, replace=False)
        csum = np.cumsum(G[idx], axis=0)  # batch of size B = the first B of the draw
        gb = csum[sizes - 1] / sizes[:, None]
        sq += np.sum((gb - g) ** 2, axis=1)
    rms = np.sqrt(sq / n_batches)
    fpc = (N - sizes) / max(N - 1, 1)
    return {
        "batch_sizes": sizes,
        "rms": rms,
        "theory": np.sqrt(trace / sizes * fpc),
        "reference": np.sqrt(trace / sizes),
        "full_norm": np.array(float(np.linalg.norm(g))),
    }


def _housing_arrays() -> tuple[np.ndarray, np.ndarray]:
    from gdcourse.data import FEATURES, TARGET, load_housing

    frame = load_housing()
    return frame[list(FEATURES)].to_numpy(dtype=float), frame[TARGET].to_numpy(dtype=float)


class BatchSizeExplorer(Explorer):
    """Mini-batch gradient noise against batch size; see :func:`batch_size_explorer`."""

    def __init__(self, X: Any, y: Any, batch_sizes: Sequence[int] | None) -> None:
        import ipywidgets as W

        from gdcourse.style import color_for

        if X is None or y is None:
            X, y = _housing_arrays()
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float).reshape(-1)
        if X.ndim != 2 or X.shape[0] != y.shape[0] or X.shape[0] < 4:
            raise ValueError(
                "`X` must be (n, d) and `y` (n,) with the same n >= 4. "
                f"Received shapes {X.shape} and {y.shape}"
            )
        std = X.std(axis=0)
        Xs = (X - X.mean(axis=0)) / np.where(std > 0, std, 1.0)
        self.X = np.column_stack([np.ones(len(Xs)), Xs])  # bias column
        self.y = y
        self.w_opt = np.linalg.lstsq(self.X, y, rcond=None)[0]
        N = len(y)
        if batch_sizes is None:
            batch_sizes = [b for b in 2 ** np.arange(0, 13) if b <= N // 2]
        self.batch_sizes = list(batch_sizes)
        st = _slider_style()
        controls = {
            "weights": W.Dropdown(options=["w = 0 (start of training)", "least-squares optimum"],
                                  value="w = 0 (start of training)", description="weights", **st),
            "n_batches": W.IntSlider(value=100, min=10, max=400, step=10,
                                     description="random batches", continuous_update=False, **st),
            "relative": W.Checkbox(value=False, description="relative to ‖full gradient‖"),
        }  # fmt: skip
        figure, (ax,) = _new_figure((6.4, 4.2))
        self.ax = ax
        (self.rms_line,) = ax.plot([], [], "o-", color=color_for(0), label="measured rms ‖g_B − g‖")
        (self.theory_line,) = ax.plot([], [], ":", color=color_for(2), lw=2,
                                      label="theory, sampling without replacement")  # fmt: skip
        (self.ref_line,) = ax.plot([], [], "--", color=color_for(3), label="∝ 1/√B")
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xlabel("batch size B (log scale)")
        ax.legend(fontsize=8, loc="lower left")
        super().__init__(controls, figure)

    def compute(self) -> dict[str, np.ndarray]:
        """:func:`minibatch_gradient_noise` at the chosen weights."""
        at_opt = self.controls["weights"].value.startswith("least")
        w = self.w_opt if at_opt else np.zeros(self.X.shape[1])
        return minibatch_gradient_noise(self.X, self.y, w, self.batch_sizes,
                                        int(self.controls["n_batches"].value))  # fmt: skip

    def update(self) -> None:
        self.result = r = self.compute()
        scale = float(r["full_norm"]) if self.controls["relative"].value else 1.0
        scale = scale if scale > 0 else 1.0
        B = r["batch_sizes"]
        self.rms_line.set_data(B, r["rms"] / scale)
        self.theory_line.set_data(B, r["theory"] / scale)
        self.ref_line.set_data(B, r["reference"] / scale)
        ys = np.concatenate([r["rms"], r["theory"], r["reference"]]) / scale
        ys = ys[ys > 0]
        self.ax.set_xlim(B.min() / 1.4, B.max() * 1.4)
        self.ax.set_ylim(ys.min() / 2, ys.max() * 2)
        self.ax.set_ylabel(
            "‖g_B − g‖ / ‖g‖" if self.controls["relative"].value
            else "gradient noise ‖g_B − g‖ (rms)"
        )  # fmt: skip
        self.ax.set_title(
            f"MSE gradient noise, N = {len(self.y)} rows; ‖g‖ = {float(r['full_norm']):.3g}"
        )
        self.readout.value = (
            f"Batch size {B[0]}: noise {r['rms'][0] / scale:.3g}; batch size {B[-1]}: "
            f"{r['rms'][-1] / scale:.3g}. Quadrupling B halves the noise."
        )


def batch_size_explorer(
    X: Any = None, y: Any = None, batch_sizes: Sequence[int] | None = None
) -> Any:
    """Noise of the mini-batch gradient against batch size, on real data.

    Linear regression with the mean squared error on standardised features plus a bias
    (by default California housing: ``gdcourse.data.load_housing()``). At fixed weights
    (``w = 0`` or the least-squares optimum, where the full gradient is zero but batches
    still disagree) it draws many random batches of each size ``B`` and plots the rms of
    ``||g_B - g||`` against ``B`` on log axes, with the exact expectation and the
    ``1/sqrt(B)`` reference (see :func:`minibatch_gradient_noise`).

    Returns:
        A ``VBox``; ``box.explorer`` is the :class:`BatchSizeExplorer`.
    """
    import ipywidgets as W

    ex = BatchSizeExplorer(X, y, batch_sizes)
    c = ex.controls
    return _box(ex, [W.HBox([c["weights"], c["n_batches"], c["relative"]])])
