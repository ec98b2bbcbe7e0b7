"""The course's plot style: one colour-blind-safe palette and a few readable defaults.

The palette is Okabe & Ito's (2008), safe for the common forms of colour blindness.
"""

from __future__ import annotations

#: Okabe-Ito colours, in the order runs get them.
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
)

RC_PARAMS: dict[str, object] = {
    "figure.figsize": (7.0, 4.2),
    "figure.dpi": 80,
    "savefig.dpi": 100,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "legend.frameon": False,
    "animation.html": "jshtml",
    "animation.embed_limit": 8.0,  # MB, keeps committed notebooks small
}


def apply_style() -> None:
    """Install the palette as matplotlib's colour cycle and apply :data:`RC_PARAMS`."""
    import matplotlib as mpl
    from cycler import cycler

    mpl.rcParams.update(RC_PARAMS)
    mpl.rcParams["axes.prop_cycle"] = cycler(color=list(PALETTE))


def color_for(index: int) -> str:
    """The palette colour of the ``index``-th run (wraps around)."""
    return PALETTE[index % len(PALETTE)]
