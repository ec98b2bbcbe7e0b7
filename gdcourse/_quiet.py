"""Keep TensorFlow's C++ start-up lines out of notebook outputs.

On CPU-only machines the ``tensorflow`` wheel prints lines such as
``cudart_stub.cc:31] Could not find cuda drivers`` and ``failed call to cuInit`` straight to
file descriptor 2, before ``TF_CPP_MIN_LOG_LEVEL`` is read; Jupyter forwards that descriptor
into cell outputs. :func:`import_tensorflow_quietly` imports TensorFlow and initialises its
devices with descriptor 2 pointed at a temporary file, then re-emits every line that is not
known start-up noise, so real errors still reach the user.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

#: Set before TensorFlow is first imported. Seen on TF 2.21 with Keras 3.15: log level 2 still
#: let an E-level "NodeDef mentions attribute" line through during `fit`; level 3 with oneDNN
#: off silences `fit`, and :func:`import_tensorflow_quietly` filters the CUDA-stub lines printed
#: at import.
QUIET_TF_ENV = {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"}

#: The environment TensorFlow reads once, at its first import; also which Keras backend.
TF_ENV = {**QUIET_TF_ENV, "KERAS_BACKEND": "tensorflow"}


def quiet_environment() -> None:
    """Set :data:`TF_ENV` where the user has not (``setdefault``), before TensorFlow's first
    import. Called where gdcourse first imports TensorFlow (:func:`import_tensorflow_quietly`,
    so ``gdcourse.setup()``; ``distributed.logical_devices``), never at ``import gdcourse``."""
    for name, value in TF_ENV.items():
        os.environ.setdefault(name, value)


#: Start-up lines that say nothing actionable on a CPU-only machine.
NOISE = re.compile(
    r"All log messages before absl::InitializeLog|cudart_stub\.cc|cuda_platform\.cc|"
    r"cuInit|cuda_dnn\.cc|cuda_fft\.cc|cuda_blas\.cc|computation placer|port\.cc:\d+\] oneDNN|"
    r"TensorFlow binary is optimized|rebuild TensorFlow with the appropriate compiler flags|"
    r"Unable to register cu(DNN|FFT|BLAS) factory"
)


@contextmanager
def filtered_stderr(noise: re.Pattern[str] = NOISE) -> Iterator[None]:
    """Capture descriptor 2 while the block runs; re-emit the lines ``noise`` does not match."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile(mode="w+b") as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            text = sink.read().decode("utf-8", errors="replace")
            kept = [line for line in text.splitlines() if line.strip() and not noise.search(line)]
            if kept:
                print("\n".join(kept), file=sys.stderr)


_imported = False


def import_tensorflow_quietly() -> None:
    """Import TensorFlow and Keras and list devices, hiding only known start-up noise."""
    global _imported
    if _imported:
        return
    quiet_environment()
    with filtered_stderr():
        import keras  # noqa: F401
        import tensorflow as tf

        tf.config.list_physical_devices()
        tf.constant(0.0) + 1.0  # the first op initialises the (absent) CUDA platform
    _imported = True
