"""``animate``: optimizer paths as a self-contained JavaScript animation.

The animation is rendered with matplotlib's ``FuncAnimation.to_jshtml()``: every frame is
embedded as a PNG in one HTML snippet with play/pause controls, so it plays in a committed
notebook (or on GitHub/nbviewer) without a running kernel. matplotlib's player draws its
buttons with Font Awesome icons from a CDN; :func:`self_contained` drops that link and uses
plain text symbols, so the player works with no network at all.

Frames are readable: at least 100 dpi and 600 px wide (default 640 x 440 px). To keep
notebooks small they are subsampled to at most ``frames`` (default 40, at most 60);
contours are lines, not filled (filled areas compress poorly as PNG), and each PNG frame is
re-encoded with one 32-colour palette shared by all frames (Pillow, which matplotlib
requires), about a third of the size.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Sequence
from html import escape as html_escape
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import HTML
from matplotlib.animation import FuncAnimation
from matplotlib.colors import to_rgb
from PIL import Image

from gdcourse._validate import check_int, check_positive
from gdcourse.plots.common import (
    as_1d_function,
    check_title,
    normalize_paths,
    place_legend,
    resolve_surface,
    run_styles,
)
from gdcourse.plots.describe import describe
from gdcourse.plots.landscape import draw_path, draw_surface, path_legend

MAX_FRAMES = 60
MIN_DPI = 100
MIN_WIDTH_PX = 600
_PNG_FRAME = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=\\\n]+)")
_CDN_LINK = re.compile(r"<link[^>]*https?://[^>]*>\s*")
# Font Awesome icon -> a text symbol every font has (the buttons keep their titles).
_ICONS = {
    "fa fa-minus": "\u2212",  # slower
    "fa fa-fast-backward": "|\u25c0\u25c0",  # first frame
    "fa fa-step-backward": "|\u25c0",  # previous frame
    "fa fa-play fa-flip-horizontal": "\u25c0",  # play backwards
    "fa fa-pause": "\u275a\u275a",  # pause
    "fa fa-play": "\u25b6",  # play
    "fa fa-step-forward": "\u25b6|",  # next frame
    "fa fa-fast-forward": "\u25b6\u25b6|",  # last frame
    "fa fa-plus": "+",  # faster
}
_ICON = re.compile(r'<i class="(fa [^"]+)"></i>')


def self_contained(html: str) -> str:
    """``to_jshtml`` output that needs no network: no CDN stylesheet, text-symbol buttons.

    (A test checks that no ``http(s)://`` reference is left with the installed matplotlib.)
    """
    html = _CDN_LINK.sub("", html)
    return _ICON.sub(lambda m: _ICONS.get(m.group(1), m.group(1).split("-")[-1]), html)


def labelled(html: str, alt: str) -> str:
    """``to_jshtml`` output whose frame image says what it shows (``alt``) and whose frame
    slider has a name, for screen readers (matplotlib leaves both unlabelled)."""
    alt = html_escape(alt, quote=True)
    html = html.replace('<img id="_anim_img', f'<img alt="{alt}" id="_anim_img', 1)
    return html.replace(
        '<input id="_anim_slider', '<input aria-label="Animation frame" id="_anim_slider', 1
    )


def quantize_frames(html: str, colors: int = 32, keep: Sequence[Any] = ()) -> str:
    """Re-encode every base64 PNG frame in ``to_jshtml`` output with one ``colors`` palette.

    The palette is shared by all frames, so a colour never changes from one frame to the
    next: the exact ``keep`` colours (matplotlib colours, e.g. each path's), then a median
    cut of the last frame (the whole run drawn) for the rest.
    """
    colors = check_int("colors", colors, minimum=2)
    kept = [tuple(round(255 * c) for c in to_rgb(k)) for k in keep][: colors - 1]

    def decode(data: str) -> Image.Image:
        return Image.open(io.BytesIO(base64.b64decode(data.replace("\\\n", "")))).convert("RGB")

    found = _PNG_FRAME.findall(html)
    if not found:
        return html
    rest = decode(found[-1]).quantize(colors - len(kept), method=Image.Quantize.MEDIANCUT)
    median_cut = rest.getpalette() or []  # a quantized image always has one
    entries = [c for rgb in kept for c in rgb] + median_cut[: 3 * (colors - len(kept))]
    palette = Image.new("P", (1, 1))
    palette.putpalette(entries + [0] * (768 - len(entries)))

    def smaller(match: re.Match[str]) -> str:
        raw = base64.b64decode(match.group(1).replace("\\\n", ""))
        image = Image.open(io.BytesIO(raw)).convert("RGB")
        paletted = image.quantize(palette=palette, dither=Image.Dither.NONE)
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
    n_points = check_int("n_points", n_points, minimum=1)
    frames = check_int("frames", frames, minimum=1)
    k = np.linspace(0, n_points - 1, min(frames, n_points))
    return np.unique(np.round(k).astype(int))


def animate(
    paths: Any,
    surface: Any = None,
    *,
    interval: int = 120,
    frames: int = 40,
    dpi: int = 100,
    figsize: tuple[float, float] = (6.4, 4.4),
    levels: int = 10,
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
        dpi, figsize: frame resolution, at least 100 dpi and 600 pixels wide
            (``figsize[0] * dpi >= 600``) so the labels stay readable; default 640 x 440 px.
        levels, log_levels: contour levels as in :func:`contour_paths`.
        title: axes title.

    Returns:
        ``IPython.display.HTML`` with the animation, playable offline (no CDN). The figure
        used to render it is closed, so the notebook does not also show a static image.
        Each path keeps its colour by name (:func:`gdcourse.style.run_color`).
    """
    frames = check_int("frames", frames, minimum=1)
    if frames > MAX_FRAMES:
        raise ValueError(f"`frames` must be in [1, {MAX_FRAMES}]. Received: frames={frames}")
    interval = check_int("interval", interval, minimum=10)
    dpi = check_int("dpi", dpi, minimum=MIN_DPI)
    if not isinstance(figsize, tuple | list) or len(figsize) != 2:
        raise TypeError(
            f"`figsize` must be a pair (width, height) in inches. Received: {figsize!r}"
        )
    width, height = (
        check_positive("figsize[0]", figsize[0]),
        check_positive("figsize[1]", figsize[1]),
    )
    if width * dpi < MIN_WIDTH_PX:
        raise ValueError(
            f"`figsize[0] * dpi` must be >= {MIN_WIDTH_PX} pixels so the frames stay readable. "
            f"Received: figsize[0]={width:g}, dpi={dpi} ({width * dpi:.0f} px)"
        )
    levels = check_int("levels", levels, minimum=2)
    check_title(title)
    named = normalize_paths(paths)
    if not named:
        raise ValueError("`paths` must hold at least one path. Received: paths=None")
    dims = {p.shape[1] for p in named.values()}
    if len(dims) != 1 or dims - {1, 2}:
        raise ValueError(f"`paths` must all be 1-D or all 2-D. Received dimensions {sorted(dims)}")
    dim = dims.pop()
    if surface is not None:
        surface = resolve_surface(surface, dim=dim)

    styles = run_styles(list(named))
    fig, ax = plt.subplots(figsize=(width, height), dpi=dpi)
    artists: list[tuple[Any, ...]] = []
    if dim == 2:
        if surface is not None:
            draw_surface(ax, surface, levels=levels, log_levels=log_levels, filled=False,
                         resolution=100, colorbar=False, antialiased=False)  # fmt: skip
        else:
            allp = np.concatenate([p[np.isfinite(p).all(axis=1)] for p in named.values()])
            if allp.size == 0:
                raise ValueError("`paths` must hold at least one finite point to animate")
            lo, hi = allp.min(axis=0), allp.max(axis=0)
            pad = 0.1 * np.maximum(hi - lo, 1e-9)
            ax.set_xlim(lo[0] - pad[0], hi[0] + pad[0])
            ax.set_ylim(lo[1] - pad[1], hi[1] + pad[1])
            ax.set_xlabel("$x_1$ (parameter 1)")
            ax.set_ylabel("$x_2$ (parameter 2)")
        for i, (label, pts) in enumerate(named.items()):
            line, start, end = draw_path(ax, pts[:1], styles[label]["color"], label,
                                         linewidth=max(3.0 - 0.6 * i, 1.2))  # fmt: skip
            if styles[label]["marker"]:
                line.set_marker(styles[label]["marker"])
            artists.append((line, start, end))
        path_legend(ax, fontsize=8)
    else:
        f = None
        if surface is not None:
            f, window, fname = as_1d_function(surface, "surface")
            assert window is not None  # resolve_surface let only a Surface through
            grid = np.linspace(*window, 300)
            ax.plot(grid, f(grid), color="0.25", label=f"{fname}(x)")
            ax.set_xlim(*window)
            ax.set_ylabel(f"{fname}(x) (loss)")
        for i, (label, pts) in enumerate(named.items()):
            x = pts[:, 0]
            y = f(x) if f is not None else np.zeros_like(x)
            color, marker = styles[label]["color"], styles[label]["marker"] or "o"
            (trail,) = ax.plot(x[:1], y[:1], "-", color=color, alpha=0.5, lw=1)
            # later runs get smaller heads, drawn on top: runs at one point stay visible
            (head,) = ax.plot(x[:1], y[:1], marker, color=color, label=label,
                              markersize=max(12 - 4 * i, 5), markeredgecolor="white",
                              zorder=5 + 0.1 * i)  # fmt: skip
            artists.append((trail, head, np.column_stack([x, y])))
        ax.set_xlabel("x (parameter)")
        place_legend(ax, fontsize=8)
    name = getattr(surface, "name", "")
    ax.set_title(title or (f"{name}: optimizer paths" if name else "optimizer paths"))
    step_text = ax.text(0.02, 0.03, "", transform=ax.transAxes, fontsize=9,
                        bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none"})  # fmt: skip
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

    update(idx[-1])  # the whole run drawn, to describe it; the animation starts at frame 0
    alt = f"Animation of {len(idx)} frames, the last showing: {describe(fig)}"
    anim = FuncAnimation(fig, update, frames=idx, interval=interval, blit=False)
    try:
        # to_jshtml renders frames at savefig.dpi, not the figure's dpi: pin it to ours
        with mpl.rc_context({"savefig.dpi": dpi}):
            html = anim.to_jshtml(default_mode="once")
    finally:
        plt.close(fig)
    keep = [style["color"] for style in styles.values()]
    return HTML(labelled(self_contained(quantize_frames(html, keep=keep)), alt))
