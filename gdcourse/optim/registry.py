"""The course's optimizers in one table: each entry names a configuration of an optimizer
class and everything the course derives from it.

- :mod:`gdcourse.optim.presets` (the playground's optimizer list) offers every entry with
  ``playground=True``, building it from ``fixed`` and the ``knobs`` it reads;
- :mod:`gdcourse.style` gives each entry with a ``color`` that colour in every figure, for its
  name and its ``aliases`` (``"Heavy ball"`` is Momentum);
- ``tests/test_optim.py`` runs every entry against its Keras twin, step for step, with
  random values of the arguments its ``knobs`` name;
- ``benchmarks/bench_paths.py`` times a 1,000-step path of every entry at ``bench_lr``.

Adding an optimizer is its module (a subclass of :class:`~gdcourse.optim.Optimizer`, see
CONTRIBUTING.md) plus an entry here (and its name in ``optim/__init__.py``'s exports).

    >>> from gdcourse.optim.registry import REGISTRY
    >>> [e.name for e in REGISTRY if e.playground]
    ['SGD', 'Momentum', 'Nesterov', 'RMSprop', 'Adagrad', 'Adam', 'AdamW']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from gdcourse.optim._base import LearningRate, Optimizer
from gdcourse.optim.adagrad import Adagrad
from gdcourse.optim.adam import Adam, AdamW
from gdcourse.optim.rmsprop import RMSprop
from gdcourse.optim.sgd import SGD

#: The playground's knobs and their defaults. ``beta_2`` is also RMSprop's ``rho``.
KNOBS: Mapping[str, float] = MappingProxyType({"momentum": 0.9, "beta_1": 0.9, "beta_2": 0.999})


@dataclass(frozen=True)
class Entry:
    """One optimizer configuration as the course lists it.

    Attributes:
        name: its name in the playground, legends and tables (``"Nesterov"``).
        optimizer: the :class:`~gdcourse.optim.Optimizer` subclass.
        color: its fixed colour in every figure, or ``None`` to share the colour of the name
            it starts with (``"RMSprop centered"`` is drawn as RMSprop).
        fixed: constructor arguments it always gets (``{"nesterov": True}``).
        knobs: ``{constructor argument: playground knob}`` it reads (see :data:`KNOBS`).
        aliases: other spellings of the name, lower case, letters and digits only.
        playground: offered in the playground's optimizer list.
        bench_lr: a learning rate small enough that no benchmark path stops early.
    """

    name: str
    optimizer: type[Optimizer]
    color: str | None
    fixed: Mapping[str, Any] = field(default_factory=dict)
    knobs: Mapping[str, str] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    playground: bool = True
    bench_lr: float = 1e-3

    @property
    def key(self) -> str:
        """The canonical name: ``name`` in lower case, letters and digits only."""
        return "".join(ch for ch in self.name.lower() if ch.isalnum())

    def build(self, learning_rate: LearningRate, **knobs: float) -> Optimizer:
        """The optimizer at ``learning_rate``, reading the knobs it names (defaults: KNOBS)."""
        chosen = {arg: knobs.get(knob, KNOBS[knob]) for arg, knob in self.knobs.items()}
        make: Callable[..., Optimizer] = self.optimizer  # a subclass, with its own arguments
        return make(learning_rate=learning_rate, **self.fixed, **chosen)


_MOMENTUM = {"momentum": "momentum"}
_BETAS = {"beta_1": "beta_1", "beta_2": "beta_2"}

#: Every entry, in the order the playground lists them. Colours are Okabe & Ito's (yellow left
#: out: too pale on white), plus grey for AMSGrad.
REGISTRY: tuple[Entry, ...] = (
    Entry("SGD", SGD, "#0072B2", aliases=("gd", "gradientdescent"), bench_lr=1e-4),
    Entry("Momentum", SGD, "#E69F00", knobs=_MOMENTUM,
          aliases=("heavyball", "sgdmomentum", "sgdwithmomentum"), bench_lr=1e-4),
    Entry("Nesterov", SGD, "#D55E00", fixed={"nesterov": True}, knobs=_MOMENTUM,
          aliases=("nag", "sgdnesterov"), bench_lr=1e-4),
    Entry("RMSprop", RMSprop, "#009E73", knobs={"rho": "beta_2"}),
    Entry("RMSprop centered", RMSprop, None, fixed={"centered": True},
          knobs={"rho": "beta_2", **_MOMENTUM}, playground=False),
    Entry("Adagrad", Adagrad, "#CC79A7", bench_lr=1e-2),
    Entry("Adam", Adam, "#000000", knobs=_BETAS),
    Entry("AMSGrad", Adam, "#777777", fixed={"amsgrad": True}, knobs=_BETAS,
          aliases=("adamamsgrad",), playground=False),
    Entry("AdamW", AdamW, "#56B4E9", knobs=_BETAS),
)  # fmt: skip
