"""`setup()`: the one call at the top of every notebook.

It fixes every seed (Python, NumPy, TensorFlow through ``keras.utils.set_random_seed``), asks
TensorFlow for deterministic kernels, keeps TensorFlow's log lines and the deprecation warnings
of the libraries it names (:data:`QUIET_LIBRARIES`) out of cell outputs, applies the course plot
style, and makes every figure a notebook shows carry alt text (its ``text/plain`` is
:func:`gdcourse.plots.describe`, not "<Figure size 640x480 with 1 Axes>"). Calling it twice is
harmless.
"""

from __future__ import annotations

import logging
import warnings

from gdcourse._validate import check_int

DEFAULT_SEED = 42

#: The libraries whose log lines (below ERROR) and deprecation warnings (``DeprecationWarning``,
#: ``FutureWarning``; also ``UserWarning`` from TensorFlow and Keras) ``setup()`` keeps out of
#: cell outputs. A warning from anywhere else, the learner's own code included, still shows.
QUIET_LIBRARIES = ("tensorflow", "keras", "absl", "h5py", "matplotlib", "yfinance", "peewee")


def _quiet_logs() -> None:
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(logging.ERROR)
        # `module` matches the module a warning is attributed to: the library or a submodule
        module = rf"{name}(\.|$)"
        kinds = [DeprecationWarning, FutureWarning]
        kinds += [UserWarning] if name in ("tensorflow", "keras") else []
        for kind in kinds:
            warnings.filterwarnings("ignore", category=kind, module=module)


def setup(seed: int = DEFAULT_SEED, *, deterministic: bool = True, style: bool = True) -> int:
    """Prepare a notebook session and return the seed used.

    Args:
        seed: seed for Python's ``random``, NumPy and TensorFlow (an integer >= 0).
        deterministic: ask TensorFlow for deterministic op implementations and full float32
            matrix products (no TF32 on GPUs), so that two runs of a notebook print the same
            numbers (what nbval checks).
        style: apply :func:`gdcourse.style.apply_style` to matplotlib.
    """
    seed = check_int("seed", seed, minimum=0)
    _quiet_logs()
    from gdcourse._quiet import import_tensorflow_quietly

    import_tensorflow_quietly()
    import keras
    import tensorflow as tf

    tf.get_logger().setLevel(logging.ERROR)
    try:
        from absl import logging as absl_logging

        absl_logging.set_verbosity(absl_logging.ERROR)
    except ImportError:  # absl ships with TensorFlow, but stay safe
        pass
    keras.utils.set_random_seed(seed)
    if deterministic:
        tf.config.experimental.enable_op_determinism()
        # On Ampere and newer GPUs TensorFlow multiplies float32 matrices in TF32 (a 10-bit
        # mantissa) by default: the notebooks' float32 checks against Keras would not hold.
        tf.config.experimental.enable_tensor_float_32_execution(False)
    if style:
        from gdcourse.style import apply_style

        apply_style()
    _describe_figures()
    return seed


def _describe_figures() -> None:
    """Figures shown in IPython carry their alt text as ``text/plain`` (plots.describe)."""
    from gdcourse.plots.describe import register_text_repr

    register_text_repr()
