"""The three explorers as they move on the site: Plotly figures precomputed at build time.

On the site there is no kernel, so the ipywidgets explorers (:mod:`gdcourse.widgets`) cannot
run. Each is rebuilt here from the same gdcourse code (``paths.run`` with the playground's
optimizer presets, ``theory.lr_regime``, ``theory.minibatch_gradient_noise``) over a grid of
settings, as a Plotly figure whose own controls switch between the precomputed states:

- optimizer playground: a slider over learning rates (17 per decade band, 1e-4..1 and the
  notebook's rate); each optimizer, and Momentum and Nesterov at three momenta, is a legend
  entry that a click shows or hides;
- learning-rate explorer: a slider over learning rates from 0.02/L to 3/L (the iterates on
  the parabola, the error per step, the error factor ``|1 - eta L|``, the regime in the title);
- batch-size explorer: a menu of weights (``w = 0`` or the least-squares optimum) and of
  absolute or relative noise.

Plotly's JavaScript comes from the ``plotly`` Python package (the ``site`` extra) and is
served from the site's ``_static/`` folder (:func:`plotly_js`), so it works offline, from
``file://`` and over ``http.server``. No hand-written JavaScript.
"""

from __future__ import annotations

import ast
import html
import math
from collections.abc import Callable
from typing import Any

import numpy as np

#: Settings of the precomputed grids.
LR_PER_DECADE = 4  # playground: learning rates per decade
LR_EXPLORER_STEP = 0.05  # learning-rate explorer: slider step in log10(eta)
MOMENTA = (0.5, 0.9, 0.99)  # playground: momenta offered for Momentum and Nesterov
STEPS_SHOWN = 100  # playground default steps
DIGITS = 5  # coordinates are rounded to this many decimals in the page

#: The note shown under an interactive explorer on the site.
SITE_NOTE = (
    "*Interactive here without a kernel: every state was computed when the site was built, by "
    "the same gdcourse code the widget runs. Move the slider; click a legend entry to show or "
    "hide it. The full widget, with every control, runs in JupyterLab, on Colab or on Binder "
    "(links at the top of this page).*"
)


def _plotly() -> Any:
    try:
        import plotly.graph_objects as go
    except ImportError as error:  # pragma: no cover - the site extra installs it
        raise ImportError(
            'the site\'s explorers need plotly: pip install -e ".[site]" (the `site` extra)'
        ) from error
    return go


def plotly_js() -> str:
    """Plotly's JavaScript bundle, as shipped by the installed ``plotly`` package."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def _r(values: Any) -> list[float | None]:
    """Rounded coordinates for the page (None where not finite)."""
    arr = np.round(np.asarray(values, dtype=float), DIGITS)
    return [float(v) if math.isfinite(v) else None for v in arr]


def _slider(label: str, steps: list[dict[str, Any]], active: int) -> dict[str, Any]:
    return {
        "active": active,
        "currentvalue": {"prefix": f"{label}: "},
        "pad": {"t": 40},
        "steps": steps,
    }


def playground(
    surface: str = "rosenbrock",
    optimizers: Any = ("SGD", "Momentum", "Adam"),
    learning_rate: float = 1e-3,
    steps: int = 200,
) -> Any:
    """The optimizer playground as a Plotly figure (same arguments as the widget)."""
    from gdcourse.optim.presets import PRESETS, make_optimizer
    from gdcourse.paths import run
    from gdcourse.plots import contour_levels
    from gdcourse.plots.common import surface_grid
    from gdcourse.style import run_color
    from gdcourse.surfaces import get_surface
    from gdcourse.widgets.playground import check_optimizers

    go = _plotly()
    chosen = check_optimizers(optimizers)
    s = get_surface(surface)
    X, Y, Z = surface_grid(s, 120)
    levels = contour_levels(Z, 12, log_levels=True)
    lo_z = levels[0] - (levels[1] - levels[0])
    fig = go.Figure()
    fig.add_trace(
        go.Contour(
            x=_r(X[0]), y=_r(Y[:, 0]), z=np.log10(np.maximum(Z - lo_z, 1e-12)).round(3),
            colorscale="Blues", reversescale=True, showscale=False, opacity=0.55,
            contours={"coloring": "heatmap", "showlines": True}, hoverinfo="skip",
            name="loss contours (log)", showlegend=False,
        )
    )  # fmt: skip
    fig.add_trace(
        go.Scatter(
            x=_r(s.minima[:, 0]), y=_r(s.minima[:, 1]), mode="markers", name="minimum",
            marker={"symbol": "star", "size": 14, "color": "black"},
        )
    )  # fmt: skip
    runs: list[tuple[str, str, float]] = []  # (legend name, preset, momentum)
    for name, preset in PRESETS.items():
        if "momentum" in preset.knobs.values():
            runs += [(f"{name}, momentum {m:g}", name, m) for m in MOMENTA]
        else:
            runs.append((name, name, 0.9))
    first = len(fig.data)
    for label, name, m in runs:
        shown = name in chosen and (m == 0.9 or name not in ("Momentum", "Nesterov"))
        visible: bool | str = True if shown else "legendonly"
        fig.add_trace(
            go.Scatter(
                x=[], y=[], mode="lines+markers", name=label, visible=visible,
                line={"color": run_color(name), "width": 2,
                      "dash": {0.5: "dot", 0.99: "dash"}.get(m, "solid")},
                marker={"size": 3},
            )
        )  # fmt: skip
    exponents = np.arange(-4 * LR_PER_DECADE, 1) / LR_PER_DECADE
    rates = sorted({float(f"{10.0**e:.3g}") for e in exponents} | {float(learning_rate)})
    start = s.start
    slider_steps: list[dict[str, Any]] = []
    active = 0
    for k, lr in enumerate(rates):
        xs, ys, diverged = [], [], []
        for label, name, m in runs:
            path = run(s, make_optimizer(name, lr, momentum=m), start, steps, label=label)
            xs.append(_r(path.points[:, 0]))
            ys.append(_r(path.points[:, 1]))
            if path.diverged:
                diverged.append(label)
        title = f"{s.name}: learning rate {lr:.3g}, {steps} steps"
        if diverged:
            title += f"; diverged: {', '.join(diverged)}"
        slider_steps.append(
            {
                "label": f"{lr:.3g}",
                "method": "update",
                "args": [{"x": xs, "y": ys}, {"title.text": title},
                         list(range(first, first + len(runs)))],
            }
        )  # fmt: skip
        if lr == float(learning_rate):
            active = k
    first_args = slider_steps[active]["args"]
    for i, (xs, ys) in enumerate(zip(first_args[0]["x"], first_args[0]["y"], strict=True)):
        fig.data[first + i].x, fig.data[first + i].y = xs, ys
    (x0, x1), (y0, y1) = s.window  # type: ignore[misc]  # 2-D: a pair of ranges
    fig.update_layout(
        title={"text": first_args[1]["title.text"]},
        xaxis={"title": {"text": "x₁ (parameter 1)"}, "range": [x0, x1]},
        yaxis={"title": {"text": "x₂ (parameter 2)"}, "range": [y0, y1]},
        sliders=[_slider("learning rate", slider_steps, active)],
        height=560, margin={"l": 60, "r": 20, "t": 60, "b": 40},
        legend={"title": {"text": "click to show or hide"}, "font": {"size": 10}},
    )  # fmt: skip
    return fig


def learning_rate(curvature: float = 1.0, learning_rate: float = 0.3, steps: int = 20) -> Any:
    """The learning-rate explorer as a Plotly figure (same arguments as the widget)."""
    from plotly.subplots import make_subplots

    from gdcourse.optim import SGD
    from gdcourse.paths import run
    from gdcourse.plots import as_1d_function
    from gdcourse.style import run_color
    from gdcourse.theory import lr_regime
    from gdcourse.widgets.base import log_slider_range
    from gdcourse.widgets.learning_rate import LearningRateExplorer

    go = _plotly()
    ex = LearningRateExplorer(curvature, learning_rate, steps)  # checks the arguments
    s, L = ex.surface, ex.L
    lo, hi = log_slider_range(learning_rate, 0.02 / L, 3.0 / L)
    f, window, _ = as_1d_function(s)
    assert window is not None  # a Surface always has one
    grid = np.linspace(*window, 300)
    gd = run_color("GD steps")
    fig = make_subplots(
        rows=1, cols=3, horizontal_spacing=0.09,
        subplot_titles=("iterates on f", "error per step", "error factor per step"),
    )  # fmt: skip
    fig.add_trace(go.Scatter(x=_r(grid), y=_r(f(grid)), name="f(x) = L x²/2",
                             line={"color": "#404040"}), 1, 1)  # fmt: skip
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines+markers", name="GD steps",
                             line={"color": gd}), 1, 1)  # fmt: skip
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines+markers", name="error |x_k − x*|",
                             line={"color": gd}, showlegend=False), 1, 2)  # fmt: skip
    etas = np.geomspace(10**lo, 10**hi, 300)
    fig.add_trace(go.Scatter(x=_r(etas), y=_r(np.abs(1 - etas * L)), name="|1 − ηL|",
                             line={"color": "#404040"}), 1, 3)  # fmt: skip
    fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name="your η",
                             marker={"color": gd, "size": 11}), 1, 3)  # fmt: skip
    fig.add_vline(x=2.0 / L, line_dash="dash", row=1, col=3)
    fig.add_vline(x=1.0 / L, line_dash="dot", line_color="#737373", row=1, col=3)
    fig.add_hline(y=1.0, line_dash="dot", row=1, col=3)
    exps = np.arange(lo, hi + 1e-9, LR_EXPLORER_STEP)
    rates = sorted({float(f"{10.0**e:.3g}") for e in exps} | {float(learning_rate)})
    slider_steps: list[dict[str, Any]] = []
    active = 0
    for k, lr in enumerate(rates):
        path = run(s, SGD(learning_rate=lr), s.start, steps, max_value=1e8)
        x = path.points[:, 0]
        err = np.maximum(np.abs(x), 1e-300)
        regime = lr_regime(lr, L)
        title = f"η = {lr:.3g}: {regime}. Each step multiplies the error by 1 − ηL = "
        title += f"{1 - lr * L:.3g}; threshold 2/L = {2 / L:.3g}"
        slider_steps.append(
            {
                "label": f"{lr:.3g}",
                "method": "update",
                "args": [{"x": [_r(x), list(range(x.size)), [lr]],
                          "y": [_r(path.values), [float(f"{e:.4g}") for e in err],
                                [abs(1 - lr * L)]]},
                         {"title.text": title}, [1, 2, 4]],
            }
        )  # fmt: skip
        if lr == float(learning_rate):
            active = k
    args = slider_steps[active]["args"]
    for trace, xs, ys in zip((1, 2, 4), args[0]["x"], args[0]["y"], strict=True):
        fig.data[trace].x, fig.data[trace].y = xs, ys
    fig.update_xaxes(title_text="x (parameter)", range=list(window), row=1, col=1)
    fig.update_yaxes(title_text="f(x) (loss)", range=[-0.05 * f(grid).max(), 1.1 * f(grid).max()],
                     row=1, col=1)  # fmt: skip
    fig.update_xaxes(title_text="step k", row=1, col=2)
    fig.update_yaxes(title_text="|x_k − x*| (log scale)", type="log", exponentformat="e",
                     row=1, col=2)  # fmt: skip
    fig.update_xaxes(title_text="learning rate η (log scale)", type="log", row=1, col=3)
    fig.update_yaxes(title_text="|1 − ηL|", row=1, col=3)
    fig.update_layout(
        title={"text": args[1]["title.text"], "font": {"size": 14}},
        sliders=[_slider("learning rate η", slider_steps, active)],
        legend={"font": {"size": 10}},
        height=500, margin={"l": 60, "r": 20, "t": 80, "b": 40},
    )  # fmt: skip
    return fig


def batch_size(X: Any = None, y: Any = None, batch_sizes: Any = None) -> Any:
    """The batch-size explorer as a Plotly figure (same arguments as the widget)."""
    from gdcourse.data import load_housing, split_features
    from gdcourse.style import run_color
    from gdcourse.theory import minibatch_gradient_noise
    from gdcourse.widgets.batch_size import BatchSizeExplorer

    go = _plotly()
    if X is None:
        X, y = split_features(load_housing())
    ex = BatchSizeExplorer(X, y, batch_sizes)  # checks the arguments, standardises X
    weights = {"w = 0 (start of training)": np.zeros(ex.X.shape[1]),
               "least-squares optimum": ex.w_opt}  # fmt: skip
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines+markers", name="measured rms ‖g_B − g‖",
                             line={"color": run_color("measured")}))  # fmt: skip
    fig.add_trace(go.Scatter(x=[], y=[], name="theory, sampling without replacement",
                             line={"color": "black", "dash": "dot"}))  # fmt: skip
    fig.add_trace(go.Scatter(x=[], y=[], name="∝ 1/√B", line={"color": "#808080", "dash": "dash"}))
    buttons: list[dict[str, Any]] = []
    for label, w in weights.items():
        r = minibatch_gradient_noise(ex.X, ex.y, w, ex.batch_sizes, 100)
        B = [int(b) for b in r["batch_sizes"]]
        for relative in (False, True):
            scale = float(r["full_norm"]) if relative else 1.0
            scale = scale if scale > 0 else 1.0
            ys = [
                [float(f"{v / scale:.4g}") for v in r[key]]
                for key in ("rms", "theory", "reference")
            ]
            name = f"{label}, {'relative to ‖g‖' if relative else 'absolute'}"
            ylabel = "‖g_B − g‖ / ‖g‖" if relative else "gradient noise ‖g_B − g‖, rms"
            title = f"MSE gradient noise, n = {len(ex.y)} rows; ‖g‖ = {float(r['full_norm']):.3g}"
            buttons.append(
                {"label": name, "method": "update",
                 "args": [{"x": [B, B, B], "y": ys},
                          {"title.text": title, "yaxis.title.text": ylabel + " (log scale)"}]}
            )  # fmt: skip
    args = buttons[0]["args"]
    for i in range(3):
        fig.data[i].x, fig.data[i].y = args[0]["x"][i], args[0]["y"][i]
    fig.update_layout(
        title={"text": args[1]["title.text"], "x": 0.0, "y": 0.97, "font": {"size": 14}},
        xaxis={"title": {"text": "batch size B (examples, log scale)"}, "type": "log"},
        yaxis={"title": {"text": args[1]["yaxis.title.text"]}, "type": "log",
               "exponentformat": "e"},
        legend={"font": {"size": 10}},
        updatemenus=[{"buttons": buttons, "x": 1.0, "xanchor": "right", "y": 1.16,
                      "yanchor": "bottom", "direction": "down"}],
        height=520, margin={"l": 60, "r": 20, "t": 110, "b": 40},
    )  # fmt: skip
    return fig


#: The widget function a notebook calls -> the function building its site version.
EXPLORERS: dict[str, Callable[..., Any]] = {
    "optimizer_playground": playground,
    "learning_rate_explorer": learning_rate,
    "batch_size_explorer": batch_size,
}


def explorer_call(source: str) -> tuple[str, tuple, dict] | None:
    """``(name, args, kwargs)`` of the explorer a cell calls with literal arguments, or None."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in EXPLORERS:
            try:
                args = tuple(ast.literal_eval(a) for a in node.args)
                kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords if k.arg}
            except ValueError:
                return None
            return node.func.id, args, kwargs  # type: ignore[attr-defined]  # a Name: checked above
    return None


def explorer_html(source: str, alt: str) -> str | None:
    """The interactive Plotly version of the explorer that ``source`` (a cell) displays.

    ``None`` when the cell calls no explorer with literal arguments. The page must load
    Plotly's JavaScript first (``gdcourse.commands.site.a11y`` adds ``_static/plotly.min.js`` to
    pages holding a Plotly figure).
    """
    call = explorer_call(source)
    if call is None:
        return None
    name, args, kwargs = call
    fig = EXPLORERS[name](*args, **kwargs)
    div = fig.to_html(
        full_html=False, include_plotlyjs=False, div_id=f"gd-explorer-{name}",
        config={"displaylogo": False, "responsive": True},
    )  # fmt: skip
    label = html.escape(alt, quote=True)
    return f'<div class="gd-explorer" role="figure" aria-label="{label}">{div}</div>'


def _page(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    if "gd-explorer" in context.get("body", ""):
        app.add_js_file("plotly.min.js")  # this page only, loaded before the figure's script


def _copy_js(app: Any, exception: BaseException | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    from pathlib import Path

    target = Path(app.outdir) / "_static" / "plotly.min.js"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(plotly_js(), encoding="utf-8")


def setup(app: Any) -> dict[str, Any]:
    """Sphinx extension: Plotly's JavaScript in ``_static/``, loaded by explorer pages."""
    app.connect("html-page-context", _page)
    app.connect("build-finished", _copy_js)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
