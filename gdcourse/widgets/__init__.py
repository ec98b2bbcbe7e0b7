"""Interactive explorers (ipywidgets) for the course notebooks.

Each explorer function returns an ``ipywidgets.VBox`` ready to display; the object that
computes and draws is attached as ``box.explorer`` (see :mod:`gdcourse.widgets.base` for
what every explorer has: ``controls``, ``figure``, ``image``, ``readout``, ``compute()``).

    >>> from gdcourse.widgets import optimizer_playground
    >>> box = optimizer_playground("rosenbrock")    # display it: `box` as a cell's last line
    >>> sorted(box.explorer.controls)[:3]
    ['beta_1', 'beta_2', 'learning_rate']
    >>> box = optimizer_playground(); box.explorer.controls["learning_rate"].value = 0.01

Modules: :mod:`~gdcourse.widgets.base` (the explorer framework),
:mod:`~gdcourse.widgets.playground`, :mod:`~gdcourse.widgets.learning_rate`,
:mod:`~gdcourse.widgets.batch_size` (one explorer each). The maths they draw lives in
:mod:`gdcourse.theory`; the optimizer presets in :mod:`gdcourse.optim.presets`.
"""

from __future__ import annotations

from gdcourse.optim.presets import make_optimizer
from gdcourse.theory import lr_regime, minibatch_gradient_noise
from gdcourse.widgets.base import Explorer
from gdcourse.widgets.batch_size import BatchSizeExplorer, batch_size_explorer
from gdcourse.widgets.learning_rate import LearningRateExplorer, learning_rate_explorer
from gdcourse.widgets.playground import OPTIMIZERS, OptimizerPlayground, optimizer_playground

__all__ = [
    "OPTIMIZERS",
    "BatchSizeExplorer",
    "Explorer",
    "LearningRateExplorer",
    "OptimizerPlayground",
    "batch_size_explorer",
    "learning_rate_explorer",
    "lr_regime",
    "make_optimizer",
    "minibatch_gradient_noise",
    "optimizer_playground",
]
