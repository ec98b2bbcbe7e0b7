"""Named optimizer presets: the table behind the playground's optimizer list.

The presets are the entries of :data:`gdcourse.optim.registry.REGISTRY` offered by the
playground. Each names an optimizer class, the arguments it always gets, and which of the
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
from types import MappingProxyType
from typing import Any

from gdcourse.optim._base import LearningRate, Optimizer
from gdcourse.optim.registry import KNOBS, REGISTRY, Entry

#: A preset is a registry entry offered by the playground.
Preset = Entry

#: Preset name -> :class:`Entry`, in the order the playground lists them: the registry's
#: entries with ``playground=True``.
PRESETS: Mapping[str, Entry] = MappingProxyType({e.name: e for e in REGISTRY if e.playground})


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
    learning_rate: LearningRate,
    momentum: float = KNOBS["momentum"],
    beta_1: float = KNOBS["beta_1"],
    beta_2: float = KNOBS["beta_2"],
) -> Optimizer:
    """A ``gdcourse.optim`` optimizer from the preset ``name`` (see the table above).

    Knobs the preset does not read are ignored; the optimizer's own constructor checks the
    values it gets (``momentum`` in [0, 1), ...).
    """
    preset = PRESETS[preset_name(name, "name")]
    return preset.build(learning_rate, momentum=momentum, beta_1=beta_1, beta_2=beta_2)
