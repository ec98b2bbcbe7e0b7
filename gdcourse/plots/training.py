"""Training plots: learning curves, learning-rate schedules, per-layer gradient norms."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from gdcourse._validate import check_int
from gdcourse.plots._common import new_axes, run_colors
from gdcourse.style import color_for


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
        out = {}
        for name, h in histories.items():
            if not _is_history(h):
                raise TypeError(
                    "`histories` values must be Keras History objects or dicts of "
                    f"metric -> list. Received {name!r}: {h!r}"
                )
            out[str(name)] = getattr(h, "history", h)
        return out
    raise TypeError(
        "`histories` must be a Keras History, a dict metric -> list of values, or a dict "
        f"run name -> one of those. Received: histories={histories!r}"
    )


def learning_curves(
    histories: Any,
    ax: Any = None,
    log_scale: bool = False,
    metric: str = "loss",
    *,
    colors: Callable[[str], str] | None = None,
) -> Any:
    """Training (solid) and validation (dashed) curves of ``metric`` per epoch.

    Args:
        histories: a Keras ``History`` (what ``fit`` returns), a dict ``{"loss": [...],
            "val_loss": [...]}``, or a dict ``run name -> one of those`` to overlay runs.
        ax: axes to draw on; a new figure when ``None``.
        log_scale: use a logarithmic y-axis (for losses spanning decades).
        metric: the metric to plot; its validation curve is ``"val_" + metric``.
        colors: ``run name -> colour``; by default a shared table gives each run name the
            same palette colour in every call (``gdcourse.plots.run_colors``).

    Returns:
        The matplotlib Figure, with one line per run for training and, where recorded,
        one dashed line per run for validation.
    """
    runs = _runs(histories)
    colors = colors or run_colors
    fig, ax = new_axes(ax)
    for name, hist in runs.items():
        if metric not in hist:
            raise ValueError(
                f"`metric` must be one of the recorded metrics {sorted(hist)}. "
                f"Received: metric={metric!r}" + (f" (run {name!r})" if name else "")
            )
        train = np.asarray(hist[metric], dtype=float)
        epochs = np.arange(1, train.size + 1)
        color = colors(name or "train")
        prefix = f"{name}: " if name else ""
        ax.plot(epochs, train, "-", color=color, label=f"{prefix}train")
        val_key = "val_" + metric
        if val_key in hist:
            val = np.asarray(hist[val_key], dtype=float)
            ax.plot(np.arange(1, val.size + 1), val, "--", color=color,
                    label=f"{prefix}validation")  # fmt: skip
    if log_scale:
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel(metric.replace("_", " ") + (" (log scale)" if log_scale else ""))
    ax.legend(fontsize=9)
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
    ax: Any = None,
    *,
    log_scale: bool = False,
    colors: Callable[[str], str] | None = None,
) -> Any:
    """The learning rate ``eta_t`` a schedule gives at each step ``t = 0, 1, ...``.

    Args:
        schedules: a callable ``step -> learning rate`` (a ``gdcourse.schedules`` schedule,
            a ``keras.optimizers.schedules.LearningRateSchedule`` or a plain function), a
            list of them, or a dict ``label -> callable`` to overlay several.
        steps: how many steps (``range(steps)``) or the step numbers themselves.
        ax: axes to draw on; a new figure when ``None``.
        log_scale: logarithmic y-axis.
        colors: ``label -> colour``; by default the shared table of ``learning_curves``.

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
    colors = colors or run_colors
    fig, ax = new_axes(ax)
    for label, sched in named.items():
        ax.plot(t, _lr_values(sched, t), color=colors(label), label=label)
    if log_scale:
        ax.set_yscale("log")
    ax.set_xlabel("training step t")
    ax.set_ylabel("learning rate $\\eta_t$")
    ax.legend(fontsize=9)
    return fig


def gradient_norms(log: Any, ax: Any = None, *, layers: Sequence[str] | None = None) -> Any:
    """Per-layer gradient norms ``||dL/dW_layer||_2`` over training, on a log axis.

    Args:
        log: a :class:`gdcourse.diagnostics.GradientNormLogger` (after ``fit``), or any
            object or dict with ``steps`` (list of step numbers) and ``norms`` (dict layer
            name -> list of norms, one per recorded step).
        ax: axes to draw on; a new figure when ``None``.
        layers: the layers to show (default: all, in the model's order).

    Returns:
        The matplotlib Figure, one line per layer.
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
    names = list(norms) if layers is None else list(layers)
    for name in names:
        if name not in norms:
            raise ValueError(f"`layers` must name logged layers {list(norms)}. Received {name!r}")
    fig, ax = new_axes(ax)
    s = np.asarray(steps, dtype=float)
    for i, name in enumerate(names):
        ax.plot(s, np.asarray(norms[name], dtype=float), color=color_for(i), label=name)
    ax.set_yscale("log")
    ax.set_xlabel("training step")
    ax.set_ylabel("gradient norm $\\|\\partial L/\\partial W\\|_2$ (log scale)")
    ax.legend(fontsize=9, title="layer")
    return fig
