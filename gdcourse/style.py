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


#: One colour per optimizer, the same in every figure of the course. Keys are canonical names
#: (see :func:`canonical_optimizer`); Okabe-Ito colours, with yellow left out (too pale on white)
#: and grey added for AMSGrad.
OPTIMIZER_COLORS: dict[str, str] = {
    "sgd": "#0072B2",  # blue: plain (batch, mini-batch or stochastic) gradient descent
    "momentum": "#E69F00",  # orange: heavy ball
    "nesterov": "#D55E00",  # vermillion
    "adagrad": "#CC79A7",  # reddish purple
    "rmsprop": "#009E73",  # bluish green
    "adam": "#000000",  # black
    "adamw": "#56B4E9",  # sky blue
    "amsgrad": "#777777",  # grey
}

# Spellings learners and Keras use, mapped to the canonical names above. The longest alias
# that starts a run's name wins, so "Adam (lr=0.01)" is Adam and "AdamW" is AdamW.
_OPTIMIZER_ALIASES: dict[str, str] = {
    "sgd": "sgd",
    "gd": "sgd",
    "gradientdescent": "sgd",
    "batchgd": "sgd",
    "minibatch": "sgd",
    "stochastic": "sgd",
    "plaingd": "sgd",
    "momentum": "momentum",
    "heavyball": "momentum",
    "sgdmomentum": "momentum",
    "sgdwithmomentum": "momentum",
    "nesterov": "nesterov",
    "nag": "nesterov",
    "sgdnesterov": "nesterov",
    "adagrad": "adagrad",
    "rmsprop": "rmsprop",
    "adam": "adam",
    "adamw": "adamw",
    "amsgrad": "amsgrad",
    "adamamsgrad": "amsgrad",
}


def canonical_optimizer(name: str) -> str | None:
    """The canonical optimizer a run name refers to, or ``None`` if it names none.

    Case, spaces, ``-``, ``_`` and ``+`` are ignored; the longest known alias that begins the
    name decides: ``"Heavy ball"`` -> ``"momentum"``, ``"Adam, lr 0.01"`` -> ``"adam"``.
    """
    if not isinstance(name, str):
        raise TypeError(f"`name` must be a string. Received: name={name!r}")
    key = "".join(ch for ch in name.lower() if ch.isalnum())
    best = None
    for alias, canonical in _OPTIMIZER_ALIASES.items():
        if key.startswith(alias) and (best is None or len(alias) > len(best[0])):
            best = (alias, canonical)
    return best[1] if best else None


def optimizer_color(name: str) -> str | None:
    """The course's fixed colour for the optimizer ``name`` refers to, or ``None``.

    >>> optimizer_color("Adam") == optimizer_color("adam (lr=0.01)") == OPTIMIZER_COLORS["adam"]
    True
    """
    canonical = canonical_optimizer(name)
    return OPTIMIZER_COLORS[canonical] if canonical else None
