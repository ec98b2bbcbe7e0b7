"""gdcourse: the helper package of the gradient-descent course.

Importing it sets the environment variables that keep TensorFlow's C++ log lines out of
notebook outputs; it must therefore be imported *before* TensorFlow. It does not import
TensorFlow itself: submodules that need it (``diagnostics``) import it when they are used.

    >>> import gdcourse
    >>> gdcourse.setup()          # seeds, quiet logs, plot style; returns the seed
    42
"""

from __future__ import annotations

import os

from gdcourse._quiet import QUIET_TF_ENV  # imports no TensorFlow

# `setdefault` lets a user override them.
for _name, _value in QUIET_TF_ENV.items():
    os.environ.setdefault(_name, _value)
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

from gdcourse.about import REPO_URL, __version__  # noqa: E402
from gdcourse.session import setup  # noqa: E402

__all__ = ["REPO_URL", "__version__", "progress", "setup"]


def progress():  # noqa: ANN201  (a ProgressReport; imported only when asked for)
    """Your progress through the exercises: every notebook's, passed / attempted / not yet.

    End a cell with ``gdcourse.progress()`` to see the table (``python -m gdcourse progress``
    in a terminal). The record stays on this computer; see :mod:`gdcourse.kit.progress`.
    """
    from gdcourse.kit.progress import progress as _progress

    return _progress()
