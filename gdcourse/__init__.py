"""gdcourse: the helper package of the gradient-descent course.

Importing it changes nothing outside the package (no environment variable, no warning filter)
and imports no TensorFlow. ``setup()``, the first call of every notebook, sets the environment
that keeps TensorFlow's C++ log lines out of notebook outputs before it imports TensorFlow;
submodules that need TensorFlow (``diagnostics``) import it when they are first used.

    >>> import gdcourse
    >>> gdcourse.setup()          # seeds, quiet logs, plot style; returns the seed
    42
"""

from __future__ import annotations

from gdcourse.about import REPO_URL, __version__
from gdcourse.session import setup

__all__ = ["REPO_URL", "__version__", "progress", "setup"]


def progress():  # noqa: ANN201  (a ProgressReport; imported only when asked for)
    """Your progress through the exercises: every notebook's, passed / attempted / not yet.

    End a cell with ``gdcourse.progress()`` to see the table (``python -m gdcourse progress``
    in a terminal). The record stays on this computer; see :mod:`gdcourse.exercises.progress`.
    """
    from gdcourse.exercises.progress import progress as _progress

    return _progress()
