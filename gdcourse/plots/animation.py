"""``animate``: optimizer paths as a self-contained JavaScript animation.

The animation is rendered with matplotlib's ``FuncAnimation.to_jshtml()``: every frame is
embedded as a PNG in one HTML snippet with play/pause controls, so it plays in a committed
notebook (or on GitHub/nbviewer) without a running kernel. To keep notebooks small, frames
are subsampled to at most ``frames`` (default 60) and drawn at a low ``dpi``; contours are
lines, not filled (filled areas compress poorly as PNG), and each PNG frame is re-encoded
with a 32-colour palette (Pillow, which matplotlib requires), about a third of the size.
"""

from __future__ import annotations

import base64
import io
import re
from typing import Any

import matplotlib as mpl
import numpy as np

from gdcourse._validate import check_int, check_positive
from gdcourse.plots._common import normalize_paths, resolve_surface
from gdcourse.plots.landscape import _as_1d_function, draw_path, draw_surface, path_legend
from gdcourse.style import color_for

MAX_FRAMES = 60
_PNG_FRAME = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=\\\n]+)")


def quantize_frames(html: str, colors: int = 32) -> str:
    """Re-encode every base64 PNG frame in ``to_jshtml`` output with a ``colors`` palette."""
    from PIL import Image

    def smaller(match: re.Match[str]) -> str:
        raw = base64.b64decode(match.group(1).replace("\\\n", ""))
        image = Image.open(io.BytesIO(raw)).convert("RGB")
        paletted = image.quantize(colors, method=Image.Quantize.MEDIANCUT)
        buffer = io.BytesIO()
        paletted.save(buffer, format="PNG", optimize=True)
        if buffer.tell() >= len(raw):
            return match.group(0)
        return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")

    return _PNG_FRAME.sub(smaller, html)


def frame_indices(n_points: int, frames: int) -> np.ndarray:
    """Which iterate each frame shows: ``frames`` evenly spaced indices in ``[0, n-1]``.

    Always starts at 0 and ends at ``n_points - 1``; fewer frames when there are fewer points.
    """
    k = np.linspace(0, n_points - 1, min(frames, n_points))
    return np.unique(np.round(k).astype(int))


def animate(
    paths: Any,
    surface: Any = None,
    *,
    interval: int = 120,
    frames: int = 40,
    dpi: int = 60,
    figsize: tuple[float, float] = (4.4, 3.3),
    levels: int = 12,
    log_levels: bool = True,
    title: str | None = None,
) -> Any:
    """Animate optimizer paths growing step by step; returns an ``IPython.display.HTML``.

    Args:
        paths: one path, a list, or a dict ``label -> path`` (``PathResult`` or array of
            iterates, shape ``(n, 2)`` or ``(n,)``/``(n, 1)`` for 1-D).
        surface: a ``Surface`` (or its name) to draw underneath: contours for 2-D, the curve
            ``f(x)`` for 1-D. ``None`` draws the paths on plain axes.
        interval: milliseconds between frames.
        frames: at most this many frames (1..60); long paths are subsampled evenly.
            About 15 KB of HTML per frame at the default size.
        dpi, figsize: frame resolution; the defaults keep the HTML to a few hundred KB.
        levels, log_levels: contour levels as in :func:`contour_paths`.
        title: axes title.

    Returns:
        ``IPython.display.HTML`` with the animation. The figure used to render it is closed,
        so the notebook does not also show a static image.
    """
    import matplotlib.pyplot as plt
    from IPython.display import HTML
    from matplotlib.animation import FuncAnimation

    frames = check_int("frames", frames, minimum=1)
    if frames > MAX_FRAMES:
        raise ValueError(f"`frames` must be in [1, {MAX_FRAMES}]. Received: frames={frames}")
    interval = check_int("interval", interval, minimum=10)
    dpi = check_int("dpi", dpi, minimum=20)
    check_positive("figsize[0]", figsize[0])
    check_positive("figsize[1]", figsize[1])
    named = normalize_paths(paths)
    if not named:
        raise ValueError("`paths` must hold at least one path. Received: paths=None")
    dims = {p.shape[1] for p in named.values()}
    if len(dims) != 1 or dims - {1, 2}:
        raise ValueError(f"`paths` must all be 1-D or all 2-D. Received dimensions {sorted(dims)}")
    dim = dims.pop()
    if surface is not None:
        surface = resolve_surface(surface, dim=dim)

    fig, ax = plt.subplots(figsize=figsize, dpi=dpi)
    artists: list[tuple[Any, ...]] = []
    if dim == 2:
        if surface is not None:
            draw_surface(ax, surface, levels=levels, log_levels=log_levels, filled=False,
                         resolution=100, colorbar=False)  # fmt: skip
        else:
            allp = np.concatenate([p[np.isfinite(p).all(axis=1)] for p in named.values()])
            lo, hi = allp.min(axis=0), allp.max(axis=0)
            pad = 0.1 * np.maximum(hi - lo, 1e-9)
            ax.set_xlim(lo[0] - pad[0], hi[0] + pad[0])
            ax.set_ylim(lo[1] - pad[1], hi[1] + pad[1])
            ax.set_xlabel("$x_1$ (parameter 1)")
            ax.set_ylabel("$x_2$ (parameter 2)")
        for i, (label, pts) in enumerate(named.items()):
            artists.append(draw_path(ax, pts[:1], color_for(i), label))
        path_legend(ax, fontsize=7)
    else:
        f = None
        if surface is not None:
            f, window, fname = _as_1d_function(surface)
            grid = np.linspace(*window, 300)
            ax.plot(grid, f(grid), color="0.25", label=f"{fname}(x)")
            ax.set_xlim(*window)
            ax.set_ylabel(f"{fname}(x) (loss)")
        for i, (label, pts) in enumerate(named.items()):
            x = pts[:, 0]
            y = f(x) if f is not None else np.zeros_like(x)
            (trail,) = ax.plot(x[:1], y[:1], "-", color=color_for(i), alpha=0.5, lw=1)
            (head,) = ax.plot(x[:1], y[:1], "o", color=color_for(i), label=label)
            artists.append((trail, head, np.column_stack([x, y])))
        ax.set_xlabel("x (parameter)")
        ax.legend(fontsize=7)
    if title:
        ax.set_title(title)
    step_text = ax.text(0.02, 0.03, "", transform=ax.transAxes, fontsize=8)
    fig.tight_layout()

    n_max = max(p.shape[0] for p in named.values())
    idx = frame_indices(n_max, frames)

    def update(k: int) -> list[Any]:
        for (a, b, c), pts in zip(artists, named.values(), strict=True):
            j = min(k, pts.shape[0] - 1)
            if dim == 2:
                a.set_data(pts[: j + 1, 0], pts[: j + 1, 1])
                c.set_data(pts[j : j + 1, 0], pts[j : j + 1, 1])
            else:
                xy = c
                a.set_data(xy[: j + 1, 0], xy[: j + 1, 1])
                b.set_data(xy[j : j + 1, 0], xy[j : j + 1, 1])
        step_text.set_text(f"step {k}")
        return [step_text]

    anim = FuncAnimation(fig, update, frames=idx, interval=interval, blit=False)
    try:
        # to_jshtml renders frames at savefig.dpi, not the figure's dpi: pin it to ours
        with mpl.rc_context({"savefig.dpi": dpi}):
            html = anim.to_jshtml(default_mode="once")
    finally:
        plt.close(fig)
    return HTML(quantize_frames(html))
