"""Named optimizer presets: the table behind the playground's optimizer list.

Each preset names an optimizer class, the arguments it always gets, and which of the
playground's three knobs it reads (``momentum``; ``beta_1``; ``beta_2``, which is
RMSprop's ``rho``):

=========  =================================  ====================
name       optimizer                          knobs
=========  =================================  ====================
SGD        ``SGD()``                          -
Momentum   ``SGD(momentum=m)``                momentum
Nesterov   ``SGD(momentum=m, nesterov=True)`` momentum
RMSprop    ``RMSprop(rho=beta_2)``            beta_2
Adagrad    ``Adagrad()``                      -
Adam       ``Adam(beta_1, beta_2)``           beta_1, beta_2
AdamW      ``AdamW(beta_1, beta_2)``          beta_1, beta_2
=========  =================================  ====================

    >>> from gdcourse.optim.presets import make_optimizer
    >>> make_optimizer("Nesterov", 0.01, momentum=0.95)
    SGD(learning_rate=0.01, momentum=0.95, nesterov=True; iterations=0)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from gdcourse.optim import SGD, Adagrad, Adam, AdamW, RMSprop


@dataclass(frozen=True)
class Preset:
    """An optimizer class, the arguments it always gets, and ``{argument: knob}`` it reads."""

    optimizer: type
    fixed: Mapping[str, Any] = field(default_factory=dict)
    knobs: Mapping[str, str] = field(default_factory=dict)

    def build(self, learning_rate: Any, **knobs: float) -> Any:
        """The optimizer at ``learning_rate`` with the knobs this preset reads."""
        chosen = {arg: knobs[knob] for arg, knob in self.knobs.items()}
        return self.optimizer(learning_rate=learning_rate, **self.fixed, **chosen)


#: The playground's knobs and their defaults.
KNOBS: Mapping[str, float] = MappingProxyType({"momentum": 0.9, "beta_1": 0.9, "beta_2": 0.999})

_BETAS = {"beta_1": "beta_1", "beta_2": "beta_2"}

#: Preset name -> :class:`Preset`, in the order the playground lists them.
PRESETS: Mapping[str, Preset] = MappingProxyType({
    "SGD": Preset(SGD),
    "Momentum": Preset(SGD, knobs={"momentum": "momentum"}),
    "Nesterov": Preset(SGD, fixed={"nesterov": True}, knobs={"momentum": "momentum"}),
    "RMSprop": Preset(RMSprop, knobs={"rho": "beta_2"}),
    "Adagrad": Preset(Adagrad),
    "Adam": Preset(Adam, knobs=_BETAS),
    "AdamW": Preset(AdamW, knobs=_BETAS),
})  # fmt: skip


def preset_name(name: Any, argument: str = "name") -> str:
    """The preset's name for ``name``, ignoring case (``"adam"`` -> ``"Adam"``).

    Raises ``TypeError``/``ValueError`` naming ``argument`` and listing the presets.
    """
    listed = ", ".join(repr(n) for n in PRESETS)
    if not isinstance(name, str):
        raise TypeError(f"`{argument}` must be a preset name: one of {listed}. Received: {name!r}")
    for known in PRESETS:
        if known.lower() == name.strip().lower():
            return known
    raise ValueError(f"`{argument}` must be one of {listed}. Received: {argument}={name!r}")


def make_optimizer(
    name: str,
    learning_rate: Any,
    momentum: float = KNOBS["momentum"],
    beta_1: float = KNOBS["beta_1"],
    beta_2: float = KNOBS["beta_2"],
) -> Any:
    """A ``gdcourse.optim`` optimizer from the preset ``name`` (see the table above).

    Knobs the preset does not read are ignored; the optimizer's own constructor checks the
    values it gets (``momentum`` in [0, 1), ...).
    """
    preset = PRESETS[preset_name(name, "name")]
    return preset.build(learning_rate, momentum=momentum, beta_1=beta_1, beta_2=beta_2)
