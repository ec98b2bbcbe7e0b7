"""Training plots: learning curves, learning-rate schedules, per-layer gradient norms."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.ticker import MaxNLocator

from gdcourse._validate import check_bool, check_int
from gdcourse.plots.common import (
    check_title,
    markevery,
    new_axes,
    place_legend,
    plain_log_axis,
    run_styles,
    set_title,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def _is_history(obj: Any) -> bool:
    """A Keras History or a dict of metric name -> list of per-epoch numbers."""
    if hasattr(obj, "history") and isinstance(obj.history, Mapping):
        return True
    return (
        isinstance(obj, Mapping)
        and len(obj) > 0
        and all(isinstance(v, Sequence | np.ndarray) and not isinstance(v, str)
                for v in obj.values())
        and all(np.ndim(v) == 1 for v in obj.values())
    )  # fmt: skip


def _runs(histories: Any) -> dict[str, Mapping[str, Sequence[float]]]:
    if _is_history(histories):
        return {"": getattr(histories, "history", histories)}
    if isinstance(histories, Mapping) and histories:
        out: dict[str, Any] = {}
        for name, h in histories.items():
            if not _is_history(h):
                raise TypeError(
                    "`histories` values must be Keras History objects or dicts of "
                    f"metric -> list. Received {name!r}: {h!r}"
                )
            out[str(name)] = getattr(h, "history", h)
        return out
    if isinstance(histories, Mapping) and not histories:
        raise ValueError("`histories` must hold at least one run. Received an empty dict")
    raise TypeError(
        "`histories` must be a Keras History, a dict metric -> list of values, or a dict "
        f"run name -> one of those. Received: histories={histories!r}"
    )


def learning_curves(
    histories: Any,
    ax: Axes | None = None,
    log_scale: bool = False,
    metric: str = "loss",
    *,
    colors: Callable[[str], str] | None = None,
    title: str | None = None,
    legend: bool = True,
) -> Figure:
    """Training (solid) and validation (dashed) curves of ``metric`` per epoch.

    Args:
        histories: a Keras ``History`` (what ``fit`` returns), a dict ``{"loss": [...],
            "val_loss": [...]}``, or a dict ``run name -> one of those`` to overlay runs.
        ax: axes to draw on; a new figure when ``None``.
        log_scale: use a logarithmic y-axis (for losses spanning decades).
        metric: the metric to plot; its validation curve is ``"val_" + metric``.
        colors: ``run name -> colour``; by default the course's rule
            (:func:`gdcourse.style.run_color`): an optimizer's fixed colour, else one colour
            per name kept across calls. Runs that share a colour get markers.
        title: the axes title (default: "<metric> per epoch").
        legend: draw the legend; ``False`` leaves it out (for one legend shared by panels).

    Returns:
        The matplotlib Figure, with one line per run for training and, where recorded,
        one dashed line per run for validation.
    """
    runs = _runs(histories)
    if not isinstance(metric, str):
        raise TypeError(f"`metric` must be a string. Received: metric={metric!r}")
    if colors is not None and not callable(colors):
        raise TypeError(f"`colors` must be a callable name -> colour. Received: {colors!r}")
    check_title(title)
    curves = {}
    for name, hist in runs.items():
        if metric not in hist:
            raise ValueError(
                f"`metric` must be one of the recorded metrics {sorted(hist)}. "
                f"Received: metric={metric!r}" + (f" (run {name!r})" if name else "")
            )
        for key in (metric, "val_" + metric):
            if key not in hist:
                continue
            values = np.asarray(hist[key], dtype=float)
            if values.size == 0:
                raise ValueError(f"`histories` run {name!r} has no values for {key!r}")
            if log_scale and not np.any(values[np.isfinite(values)] > 0):
                raise ValueError(
                    f"`log_scale=True` needs positive values; run {name!r} has none for {key!r}"
                )
            curves[(name, key)] = values
    styles = run_styles([name or "train" for name in runs], colors)
    fig, ax = new_axes(ax)
    for i, name in enumerate(runs):
        style = styles[name or "train"]
        prefix = f"{name}: " if name else ""
        for key, ls, what in ((metric, "-", "train"), ("val_" + metric, "--", "validation")):
            if (name, key) not in curves:
                continue
            values = curves[(name, key)]
            ax.plot(
                np.arange(1, values.size + 1), values, ls, color=style["color"],
                marker=style["marker"] or "o", markersize=4 if style["marker"] else 3,
                markevery=markevery(values.size, i), label=f"{prefix}{what}",
            )  # fmt: skip
    if log_scale:
        ax.set_yscale("log")
        plain_log_axis(ax, "y")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("epoch (passes over the training data)")
    ax.set_ylabel(metric.replace("_", " ") + (" (log scale)" if log_scale else ""))
    set_title(ax, title, f"{metric.replace('_', ' ')} per epoch")
    if check_bool("legend", legend):
        place_legend(ax, fontsize=9)
    return fig


def _lr_values(schedule: Any, steps: np.ndarray) -> np.ndarray:
    """Evaluate ``schedule(step)`` at each step; vectorised when the schedule allows it."""
    try:
        out = np.asarray(schedule(steps), dtype=float)
        if out.shape == steps.shape:
            return out
    except Exception:  # a schedule written for one integer step at a time
        pass
    return np.array([float(np.asarray(schedule(int(s)))) for s in steps], dtype=float)


def _schedule_name(schedule: Any, index: int) -> str:
    for attr in ("name", "label"):
        value = getattr(schedule, attr, None)
        if isinstance(value, str) and value:
            return value
    name = getattr(schedule, "__name__", None) or type(schedule).__name__
    return "schedule" if name == "<lambda>" else f"{name}" if index == 0 else f"{name} {index}"


def lr_schedule(
    schedules: Any,
    steps: int | Sequence[int],
    ax: Axes | None = None,
    *,
    log_scale: bool = False,
    colors: Callable[[str], str] | None = None,
    title: str | None = None,
    legend: bool = True,
) -> Figure:
    """The learning rate ``eta_t`` a schedule gives at each step ``t = 0, 1, ...``.

    Args:
        schedules: a callable ``step -> learning rate`` (a ``gdcourse.schedules`` schedule,
            a ``keras.optimizers.schedules.LearningRateSchedule`` or a plain function), a
            list of them, or a dict ``label -> callable`` to overlay several.
        steps: how many steps (``range(steps)``) or the step numbers themselves.
        ax: axes to draw on; a new figure when ``None``.
        log_scale: logarithmic y-axis.
        colors: ``label -> colour``; by default the course's rule, as in
            :func:`learning_curves` (a schedule named like a run keeps that run's colour).
        title: the axes title (default: "learning-rate schedule").
        legend: draw the legend; ``False`` leaves it out (for one legend shared by panels).

    Returns:
        The matplotlib Figure, one line per schedule.
    """
    if isinstance(steps, int | np.integer) and not isinstance(steps, bool):
        check_int("steps", steps, minimum=1)
        t = np.arange(int(steps))
    else:
        t = np.asarray(steps)
        if t.ndim != 1 or t.size == 0 or not np.issubdtype(t.dtype, np.integer):
            raise ValueError(
                f"`steps` must be an integer >= 1 or a 1-D list of integer steps. "
                f"Received: steps={steps!r}"
            )
    if isinstance(schedules, Mapping):
        named = {str(k): v for k, v in schedules.items()}
    elif callable(schedules):
        named = {_schedule_name(schedules, 0): schedules}
    elif isinstance(schedules, Sequence) and not isinstance(schedules, str):
        named = {}
        for i, s in enumerate(schedules):
            key = _schedule_name(s, i)
            named[key if key not in named else f"{key} ({i + 1})"] = s
    else:
        named = {}
    if not named or not all(callable(s) for s in named.values()):
        raise TypeError(
            "`schedules` must be a callable step -> learning rate, a list of them or a dict "
            f"label -> callable. Received: schedules={schedules!r}"
        )
    if colors is not None and not callable(colors):
        raise TypeError(f"`colors` must be a callable name -> colour. Received: {colors!r}")
    check_title(title)
    values = {}
    for label, sched in named.items():
        try:
            values[label] = _lr_values(sched, t)
        except Exception as err:
            raise ValueError(
                f"`schedules` entry {label!r} failed at a step in [{t.min()}, {t.max()}]: {err}"
            ) from err
        if not np.all(np.isfinite(values[label])):
            raise ValueError(f"`schedules` entry {label!r} gives non-finite learning rates")
        if log_scale and not np.all(values[label] > 0):
            raise ValueError(f"`log_scale=True` needs positive rates; {label!r} reaches <= 0")
    styles = run_styles(list(named), colors)
    fig, ax = new_axes(ax)
    for i, (label, lr) in enumerate(values.items()):
        ax.plot(t, lr, color=styles[label]["color"], label=label, marker=styles[label]["marker"],
                markevery=markevery(t.size, i), lw=max(2.6 - 0.4 * i, 1.2))  # fmt: skip
    if log_scale:
        ax.set_yscale("log")
        plain_log_axis(ax, "y")
    ax.set_xlabel("training step t (batches)")
    ax.set_ylabel("learning rate $\\eta_t$" + (" (log scale)" if log_scale else ""))
    set_title(ax, title, "learning-rate schedule")
    if check_bool("legend", legend):
        place_legend(ax, fontsize=9)
    return fig


def gradient_norms(
    log: Any,
    ax: Axes | None = None,
    *,
    layers: Sequence[str] | str | None = None,
    title: str | None = None,
    legend: bool = True,
) -> Figure:
    """Per-layer gradient norms ``||dL/dW_layer||_2`` over training, on a log axis.

    Args:
        log: a :class:`gdcourse.diagnostics.GradientNormLogger` (after ``fit``), or any
            object or dict with ``steps`` (list of step numbers) and ``norms`` (dict layer
            name -> list of norms, one per recorded step).
        ax: axes to draw on; a new figure when ``None``.
        layers: the layers to show, one name or a list (default: all, in the model's order).
        title: the axes title (default: "gradient norm per layer").
        legend: draw the legend; ``False`` leaves it out (for one legend shared by panels).

    Returns:
        The matplotlib Figure, one line per layer, coloured by layer name
        (:func:`gdcourse.style.run_color`).
    """
    if isinstance(log, Mapping):
        steps, norms = log.get("steps"), log.get("norms")
    else:
        steps, norms = getattr(log, "steps", None), getattr(log, "norms", None)
    if steps is None or not isinstance(norms, Mapping):
        raise TypeError(
            "`log` must be a GradientNormLogger or have `steps` and `norms` (dict layer -> "
            f"list). Received: log={log!r}"
        )
    if len(steps) == 0:
        raise ValueError("`log` has no recorded steps yet: train the model with the logger first")
    names = list(norms) if layers is None else [layers] if isinstance(layers, str) else list(layers)
    if not names:
        raise ValueError(f"`layers` must name at least one logged layer of {list(norms)}")
    for name in names:
        if name not in norms:
            raise ValueError(f"`layers` must name logged layers {list(norms)}. Received {name!r}")
    check_title(title)
    s = np.asarray(steps, dtype=float)
    series = {}
    for name in names:
        series[name] = np.asarray(norms[name], dtype=float)
        if series[name].shape != s.shape:
            raise ValueError(
                f"`log` must hold one norm per step: {s.size} steps but layer {name!r} has "
                f"{series[name].size} norms"
            )
    styles = run_styles(names)
    fig, ax = new_axes(ax)
    for i, name in enumerate(names):
        ax.plot(s, series[name], color=styles[name]["color"], label=name,
                marker=styles[name]["marker"], markevery=markevery(s.size, i))  # fmt: skip
    ax.set_yscale("log")
    plain_log_axis(ax, "y")
    ax.set_xlabel("training step (batches)")
    ax.set_ylabel("gradient norm $\\|\\partial L/\\partial W\\|_2$ (log scale)")
    set_title(ax, title, "gradient norm per layer")
    if check_bool("legend", legend):
        place_legend(ax, fontsize=9, title="layer")
    return fig
