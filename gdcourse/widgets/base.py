"""The explorer framework: controls -> compute -> artists moved in place -> PNG in an Image.

Every explorer (an :class:`Explorer`) has:

- ``controls``: ``{name: widget}``; changing any of them calls ``redraw()``;
- ``figure``: one matplotlib Figure, made once (no pyplot, so nothing else shows it);
  ``redraw()`` updates its artists in place (``Line2D.set_data``) and never makes another;
- ``image``: an ``ipywidgets.Image`` holding the figure rendered as PNG, replaced on each
  redraw; ``readout``: an ``ipywidgets.HTML`` with the numbers behind the picture;
- a ``compute()`` method separate from the drawing, so tests drive it without a browser.

Showing the figure through an ``Image`` widget (rather than ``%matplotlib widget`` or an
``Output`` with inline plots) works the same in JupyterLab 4, Notebook 7 and Colab, with
ipywidgets 7.7 or 8, and needs no kernel-side backend. Only widgets and traits common to
ipywidgets 7.7 and 8 are used (FloatLogSlider, FloatSlider, IntSlider, Dropdown,
SelectMultiple, Checkbox, HTML, Image, HBox/VBox, ``observe``).
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import Any

import ipywidgets as W
import numpy as np
from IPython.display import display
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

#: Keyword arguments every slider gets: a label column wide enough for "learning rate".
SLIDER_STYLE: dict[str, Any] = {"style": {"description_width": "110px"}}

#: Resolution of the explorers' figures (the PNG is ``figsize * DPI`` pixels).
DPI = 100


def new_figure(figsize: tuple[float, float], ncols: int = 1) -> tuple[Any, list[Any]]:
    """A Figure with an Agg canvas, outside pyplot (so the inline backend never shows it)."""
    fig = Figure(figsize=figsize, dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    axes = [fig.add_subplot(1, ncols, i + 1) for i in range(ncols)]
    return fig, axes


def to_png(rgba: np.ndarray) -> bytes:
    """Encode an RGBA buffer as PNG with fast compression (Pillow ships with matplotlib)."""
    buffer = io.BytesIO()
    Image.fromarray(np.asarray(rgba)[..., :3]).save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def log_slider_range(value: float, low: float, high: float) -> tuple[float, float]:
    """Exponent range ``(min, max)`` of a base-10 log slider covering ``[low, high]`` and
    ``value``, so a slider never silently clamps the value it was given."""
    exponent = math.log10(value)
    return min(math.log10(low), math.floor(exponent)), max(math.log10(high), math.ceil(exponent))


class Explorer:
    """Base class: controls -> ``update()`` (compute + move artists) -> PNG in ``image``."""

    def __init__(self, controls: dict[str, Any], figure: Any) -> None:
        self.controls = controls
        self.figure = figure
        self.image = W.Image(format="png")
        self.readout = W.HTML()
        self.redraws = 0
        self.widget: Any = None
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
        return to_png(canvas.buffer_rgba())

    def redraw(self) -> None:
        """Recompute, update the figure in place and show the new picture."""
        self.update()
        self.image.value = self.render()
        self.redraws += 1

    def _ipython_display_(self) -> None:
        display(self.widget)

    def __repr__(self) -> str:
        values = ", ".join(f"{k}={w.value!r}" for k, w in self.controls.items())
        return f"{type(self).__name__}({values})"


def make_box(explorer: Explorer, rows: Sequence[Any]) -> Any:
    """``VBox(rows + [image, readout])`` with ``box.explorer``; draws the first picture."""
    box = W.VBox([*rows, explorer.image, explorer.readout])
    box.explorer = explorer  # the controller, for tests and curious learners
    explorer.widget = box
    explorer.redraw()
    return box
