"""gdcourse: the helper package of the gradient-descent course.

Importing it sets the environment variables that keep TensorFlow's C++ log lines out of
notebook outputs; it must therefore be imported *before* TensorFlow. It does not import
TensorFlow itself: submodules that need it (``diagnostics``) import it when they are used.

    >>> import gdcourse
    >>> gdcourse.setup()          # seeds, quiet logs, plot style
"""

from __future__ import annotations

import os

# Set before TensorFlow is first imported. Seen on TF 2.21 with Keras 3.15: level 2 still let
# an E-level "NodeDef mentions attribute" line through during `fit`; level 3 with oneDNN off
# silences `fit`, and `setup()` filters the CUDA-stub lines printed at import. `setdefault`
# lets a user override them.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

from gdcourse.about import REPO_URL, __version__  # noqa: E402
from gdcourse.session import setup  # noqa: E402

__all__ = ["REPO_URL", "__version__", "setup"]
