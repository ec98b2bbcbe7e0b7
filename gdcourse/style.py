"""The course's plot style: one colour rule, colour-blind-safe palettes, readable defaults.

**The colour rule.** Every run is coloured by its *name*, through :func:`run_color`:

- a name that refers to an optimizer (:func:`canonical_optimizer`: ``"Adam"``,
  ``"adam, lr 0.01"``, ``"heavy ball"``) gets that optimizer's fixed colour from
  :data:`OPTIMIZER_COLORS`, the same in every figure of the course;
- any other name (``"lr = 0.1"``, ``"B = 32"``, a layer) gets the next colour of
  :data:`RUN_PALETTE` the first time it is seen and keeps it for the rest of the session.
  No colour of :data:`RUN_PALETTE` is an optimizer's, so a colour that means "Adam" in one
  figure never means something else in another.

Plot functions and widgets never colour a run by its position.

:data:`PALETTE` is Okabe & Ito's (2008), safe for the common forms of colour blindness; the
optimizer colours come from it. :data:`RUN_PALETTE` takes dark colours from Paul Tol's
schemes, chosen to stay apart from the optimizer colours for normal, deuteranope and
protanope vision.
"""

from __future__ import annotations

import threading
from typing import Any

from gdcourse.optim.registry import REGISTRY

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

RC_PARAMS: dict[Any, Any] = {
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
    """Apply :data:`RC_PARAMS`; matplotlib's colour cycle becomes :data:`RUN_PALETTE`.

    So a line drawn without a colour never takes an optimizer's colour; colour runs by name
    with :func:`run_color`.
    """
    import matplotlib as mpl  # here, not at the top: `gdcourse.setup` needs no plotting
    from cycler import cycler

    mpl.rcParams.update(RC_PARAMS)
    mpl.rcParams["axes.prop_cycle"] = cycler(color=list(RUN_PALETTE))


def color_for(index: int) -> str:
    """The ``index``-th colour of :data:`PALETTE` (wraps around).

    For things that are not runs (a layer in a diagram, a band). Runs are coloured by name
    with :func:`run_color`, never by position.
    """
    if isinstance(index, bool) or not isinstance(index, int):
        raise TypeError(f"`index` must be an integer. Received: index={index!r}")
    return PALETTE[index % len(PALETTE)]


#: One colour per optimizer, the same in every figure of the course: each entry of
#: :data:`gdcourse.optim.registry.REGISTRY` that has one, by canonical name (see
#: :func:`canonical_optimizer`). Blue is plain gradient descent ("SGD", "GD"); batch-size runs
#: are not it.
OPTIMIZER_COLORS: dict[str, str] = {e.key: e.color for e in REGISTRY if e.color}

# Spellings learners and Keras use, mapped to the canonical names above (the registry's names
# and aliases). The longest alias that starts a run's name wins, so "Adam (lr=0.01)" is Adam
# and "AdamW" is AdamW.
_OPTIMIZER_ALIASES: dict[str, str] = {
    alias: e.key for e in REGISTRY if e.color for alias in (e.key, *e.aliases)
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


#: Colours for runs whose name is not an optimizer's, in the order they are handed out. Dark
#: enough to read as thin lines on white; none is in :data:`OPTIMIZER_COLORS`.
RUN_PALETTE: tuple[str, ...] = (
    "#332288",  # indigo
    "#882255",  # wine
    "#999933",  # olive
    "#8C510A",  # brown
    "#7F3C8D",  # purple
    "#117733",  # dark green
)


class RunColors:
    """The colour table behind :func:`run_color`: ``name -> colour``, by the course's rule.

    An optimizer's name gets :func:`optimizer_color`; any other name gets the next colour of
    :data:`RUN_PALETTE` (wrapping around after six names) and keeps it until :meth:`reset`.
    Like tensorflow_docs' plotter, one table serves every figure of a session, so a name
    keeps its colour across cells.
    """

    def __init__(self) -> None:
        self._table: dict[str, str] = {}
        self._lock = threading.Lock()

    def __call__(self, name: str) -> str:
        if not isinstance(name, str):
            raise TypeError(f"`name` must be a string (a run name). Received: name={name!r}")
        fixed = optimizer_color(name)
        if fixed is not None:
            return fixed
        with self._lock:
            if name not in self._table:
                self._table[name] = RUN_PALETTE[len(self._table) % len(RUN_PALETTE)]
            return self._table[name]

    def reset(self) -> None:
        """Forget the names seen so far; the next non-optimizer name gets the first colour."""
        with self._lock:
            self._table.clear()

    def __repr__(self) -> str:
        return f"RunColors({len(self._table)} names seen: {dict(self._table)})"


#: The session's colour table (:func:`run_color` reads it; ``run_colors.reset()`` clears it).
run_colors = RunColors()


def run_color(name: str) -> str:
    """The colour of the run called ``name``: the one colour rule of the course.

    >>> run_color("Adam") == run_color("Adam, lr = 0.01") == OPTIMIZER_COLORS["adam"]
    True
    >>> run_color("lr = 0.1") == run_color("lr = 0.1") not in OPTIMIZER_COLORS.values()
    True
    """
    return run_colors(name)
