"""Alt text for a figure, read from the figure itself.

:func:`describe` turns a matplotlib Figure into one paragraph a screen reader can say instead
of "<Figure size 640x480 with 1 Axes>": the figure's title, then for each panel its title, each
axis's label, scale and range, the series named in its legend, and, for a path (a labelled
line with a start marker, as :func:`~gdcourse.plots.draw_path` and
:func:`~gdcourse.plots.function_steps` draw), where it starts and ends; a colour bar's label and
range.

Every number is coarse on purpose, because the text is a notebook output that nbval compares
on other machines: an axis's range is its first and last major tick inside the view (nice
numbers that the last bits of floating point do not move), else its limits to 2 significant
digits; a point is rounded to 1/100 of its axis's span (2 significant digits on a log axis).

:func:`register_text_repr` makes this the ``text/plain`` of every figure IPython displays, so
the inline backend's output carries it, and the site uses it as the image's ``alt``.
"""

from __future__ import annotations

import math
import re
from typing import Any

import matplotlib.dates as mdates
import numpy as np

from gdcourse.plots.common import format_plain

#: Labels matplotlib gives artists nobody named, and the course's marker-only labels.
_HIDDEN = ("_",)


def _number(value: float, span: float | None = None, log: bool = False, digits: int = 2) -> str:
    """``value`` rounded to 1/100 of ``span`` (linear axis), then to ``digits`` significant
    digits (2 for a point or a limit; more for a tick, which is a round number already)."""
    if not math.isfinite(value):
        return "not a finite number"
    if span and span > 0 and not log:
        step = 10.0 ** (math.floor(math.log10(span)) - 2)
        value = round(value / step) * step
        if abs(value) < step / 2:
            return "0"
    return format_plain(value, digits)


def _axis_range(axis: Any, lims: tuple[float, float], log: bool) -> str:
    lo, hi = sorted(lims)
    if log:  # on a log axis the slack is relative: 1e-9 of hi - lo can exceed lo itself
        inside = [t for t in axis.get_majorticklocs() if lo * (1 - 1e-9) <= t <= hi * (1 + 1e-9)]
    else:
        slack = 1e-9 * abs(hi - lo)
        inside = [t for t in axis.get_majorticklocs() if lo - slack <= t <= hi + slack]
    ticks = inside
    digits = 2
    if len(ticks) >= 2:  # round numbers: all their digits (-124, not -120), no float noise
        lo, hi = ticks[0], ticks[-1]
        digits = 6
    # the limits, to 1/100 of the span on a linear axis (no float noise near zero)
    span = None if log else hi - lo
    if _is_date_axis(axis) and len(ticks) >= 2:  # dates are stored as days since 1970
        first, last = (mdates.num2date(t).strftime("%Y-%m-%d") for t in (lo, hi))
        return f"from {first} to {last}"
    text = f"from {_number(lo, span, log, digits)} to {_number(hi, span, log, digits)}"
    return text + (" (log scale)" if log else "")


def _is_date_axis(axis: Any) -> bool:
    formatter = axis.get_major_formatter()
    return isinstance(
        formatter, mdates.AutoDateFormatter | mdates.ConciseDateFormatter | mdates.DateFormatter
    )


#: Mathtext commands read aloud as the character they draw.
_MATH_WORDS = {
    r"\sigma": "σ",
    r"\eta": "η",
    r"\beta": "β",
    r"\lambda": "λ",
    r"\mu": "μ",
    r"\kappa": "κ",
    r"\alpha": "α",
    r"\epsilon": "ε",
    r"\nabla": "∇",
    r"\Vert": "‖",
    r"\|": "‖",
    r"\cdot": "·",
    r"\times": "×",
    r"\sqrt": "√",
    r"\propto": "∝",
    r"\approx": "≈",
    r"\leq": "≤",
    r"\geq": "≥",
    r"\infty": "∞",
    r"\,": " ",
    r"\;": " ",
}
_MATH = re.compile(r"\$([^$]+)\$")


def _math_text(math: str) -> str:
    for command, char in sorted(_MATH_WORDS.items(), key=lambda kv: -len(kv[0])):
        math = math.replace(command, char)
    math = re.sub(r"\^\{?2\}?", "²", math)
    return math.replace("\\", "").replace("{", "").replace("}", "")


def plain_text(label: str) -> str:
    """A label without mathtext markup: ``$x_1$ (parameter 1)`` -> ``x_1 (parameter 1)``,
    ``$\\sigma^2/B$`` -> ``σ²/B``; a lone ``$`` (currency, ``close ($)``) stays."""
    escaped = label.replace("\\$", "\x00")  # "\\$" is a literal dollar in matplotlib
    text = _MATH.sub(lambda m: _math_text(m.group(1)), escaped).replace("\x00", "$")
    return " ".join(text.split())


def _axis(ax: Any, name: str) -> str:
    axis = getattr(ax, f"{name}axis")
    label = plain_text(axis.get_label().get_text())
    log = getattr(ax, f"get_{name}scale")() == "log"
    lims = getattr(ax, f"get_{name}lim")()
    head = f"{name} axis" + (f" '{label}'" if label else "")
    text = f"{head} {_axis_range(axis, lims, log)}"
    return text.replace(" (log scale)", "") if "log" in label else text


def _legend_labels(ax: Any) -> list[str]:
    legend = ax.get_legend()
    if legend is None:
        return []
    return [plain_text(t.get_text()) for t in legend.get_texts() if t.get_text().strip()]


def _point(ax: Any, x: float, y: float) -> str:
    xs = abs(np.subtract(*ax.get_xlim()))
    ys = abs(np.subtract(*ax.get_ylim()))
    xlog, ylog = ax.get_xscale() == "log", ax.get_yscale() == "log"
    return f"({_number(x, xs, xlog)}, {_number(y, ys, ylog)})"


def _paths(ax: Any) -> list[str]:
    """'SGD starts at (x, y) and ends at (x, y)' for each labelled line with a start marker."""
    lines = ax.get_lines()
    found = []
    for start in (ln for ln in lines if ln.get_label() == "_start"):
        color = start.get_color()
        owner = next(
            (
                ln
                for ln in lines
                if not ln.get_label().startswith(_HIDDEN)
                and ln.get_color() == color
                and len(ln.get_xdata()) > 1
            ),
            None,
        )
        if owner is None:
            continue
        x = np.asarray(owner.get_xdata(), dtype=float)
        y = np.asarray(owner.get_ydata(), dtype=float)
        ok = np.isfinite(x) & np.isfinite(y)
        if not ok.any():
            continue
        sx, sy = np.asarray(start.get_xdata(), float)[0], np.asarray(start.get_ydata(), float)[0]
        last = np.flatnonzero(ok)[-1]
        text = f"'{plain_text(owner.get_label())}' starts at {_point(ax, sx, sy)} and ends at "
        text += _point(ax, x[last], y[last])
        if last < len(x) - 1:
            text += " (then leaves the plot: not a finite number)"
        found.append(text)
    return found


def _colorbar(ax: Any) -> str:
    # the colour bar's long axis is the one with ticks; the short one has none
    name = "y" if len(ax.yaxis.get_majorticklocs()) else "x"
    axis = getattr(ax, f"{name}axis")
    label = plain_text(axis.get_label().get_text())
    log = getattr(ax, f"get_{name}scale")() == "log"
    lims = getattr(ax, f"get_{name}lim")()
    head = "colour bar" + (f" '{label}'" if label else "")
    return f"{head} {_axis_range(axis, lims, log)}"


def _panel(ax: Any) -> str:
    parts = []
    title = ax.get_title().strip()
    if title:
        parts.append(f"'{plain_text(title)}'")
    parts += [_axis(ax, "x"), _axis(ax, "y")]
    paths = _paths(ax)
    # the start and end marker keys of a path legend are said by the paths themselves
    series = [s for s in _legend_labels(ax) if not (paths and s in ("start", "end"))]
    if series:
        parts.append("series: " + ", ".join(f"'{name}'" for name in series))
    parts += paths
    return "; ".join(parts)


def describe(fig: Any) -> str:
    """One paragraph describing ``fig`` (a matplotlib Figure) for a reader who cannot see it.

    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([0, 1, 2], [3, 1, 0], label="loss"); _ = ax.legend()
    >>> _ = ax.set(title="Training", xlabel="epoch", ylabel="MSE")
    >>> describe(fig)
    "Figure: 'Training'; x axis 'epoch' from 0 to 2; y axis 'MSE' from 0 to 3; series: 'loss'."
    """
    if not hasattr(fig, "get_axes") or not hasattr(fig, "savefig"):
        raise TypeError(f"`fig` must be a matplotlib Figure. Received: fig={fig!r}")
    visible = [ax for ax in fig.get_axes() if ax.get_visible() and ax.axison]
    panels = [ax for ax in visible if ax.get_label() != "<colorbar>"]
    bars = [ax for ax in visible if ax.get_label() == "<colorbar>"]
    head = "Figure"
    suptitle = fig.get_suptitle().strip() if hasattr(fig, "get_suptitle") else ""
    if suptitle:
        head += f" '{plain_text(suptitle)}'"
    sentences = []
    if len(panels) == 1:
        sentences.append(f"{head}: {_panel(panels[0])}")
    else:
        sentences.append(f"{head} with {len(panels)} panels")
        sentences += [f"Panel {i}: {_panel(ax)}" for i, ax in enumerate(panels, 1)]
    sentences += ["C" + _colorbar(ax)[1:] for ax in bars]
    legends = [
        plain_text(t.get_text()) for leg in fig.legends for t in leg.get_texts() if t.get_text()
    ]
    if legends:
        sentences.append("Legend: " + ", ".join(f"'{name}'" for name in legends))
    return ". ".join(sentences) + "."


def register_text_repr() -> bool:
    """Make :func:`describe` the ``text/plain`` of figures shown in IPython; False outside it.

    The inline backend displays each figure with its PNG and this text, so the notebook's
    output, and the site's ``<img alt>``, say what the figure shows.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None:
        return False
    import matplotlib
    from matplotlib.figure import Figure

    if "inline" in matplotlib.get_backend():
        # Loading the inline backend (which pyplot does lazily) clears every formatter's entry
        # for Figure (IPython's select_figure_formats): load it first, then register.
        import matplotlib_inline.backend_inline  # noqa: F401
    formatter = shell.display_formatter.formatters["text/plain"]
    formatter.for_type(Figure, lambda fig, printer, cycle: printer.text(describe(fig)))
    return True
