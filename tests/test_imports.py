"""Importing gdcourse changes nothing outside the package, and ``setup()`` quiets only the
libraries it names. Each check runs in a fresh interpreter, so nothing this process already
imported or set can hide a side effect."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

_PROBE = """
import json, os, sys, warnings
# what third-party imports do to the filters is theirs: import them first
import matplotlib.pyplot, numpy, numpy.polynomial, pandas, scipy.stats, sklearn.linear_model
env, filters = dict(os.environ), list(warnings.filters)
import gdcourse, gdcourse.diagnostics, gdcourse.plots, gdcourse.optim, gdcourse.surfaces
print(json.dumps({
    "env_changed": sorted(k for k in set(env) | set(os.environ) if env.get(k) != os.environ.get(k)),
    "filters_changed": filters != list(warnings.filters),
    "tensorflow": "tensorflow" in sys.modules,
    "keras": "keras" in sys.modules,
}))
"""


def _fresh(code: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "KERAS_"))}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    env["MPLBACKEND"] = "Agg"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_import_sets_no_environment_variable_no_filter_and_imports_no_tensorflow():
    found = json.loads(_fresh(_PROBE).strip().splitlines()[-1])
    assert found == {
        "env_changed": [],
        "filters_changed": False,
        "tensorflow": False,
        "keras": False,
    }


@pytest.mark.slow  # a fresh interpreter that imports TensorFlow
def test_diagnostics_imports_tensorflow_on_first_use():
    code = (
        "import sys, gdcourse.diagnostics as d\n"
        "assert 'tensorflow' not in sys.modules\n"
        "d.CompactLog\n"
        "import os\n"
        "print('tensorflow' in sys.modules, os.environ['TF_ENABLE_ONEDNN_OPTS'])\n"
    )
    assert _fresh(code).split() == ["True", "0"]


@pytest.mark.slow  # a fresh interpreter that imports TensorFlow
def test_setup_quiets_the_libraries_it_names_and_nothing_else():
    code = """
import json, warnings, gdcourse
warnings.resetwarnings()  # only setup's own filters, then show everything else
gdcourse.setup(style=False)
warnings.simplefilter("always", append=True)
modules = ["keras.src.layers", "tensorflow", "yfinance.base", "__main__", "pandas.core.frame",
           "kerasx", "mylib"]
with warnings.catch_warnings(record=True) as caught:
    for module in modules:
        for kind in (DeprecationWarning, FutureWarning):
            warnings.warn_explicit(module, kind, "f.py", 1, module=module, registry={})
print(json.dumps(sorted({str(w.message) for w in caught})))
"""
    shown = json.loads(_fresh(code).strip().splitlines()[-1])
    assert shown == ["__main__", "kerasx", "mylib", "pandas.core.frame"]


def test_setup_turns_off_tf32_so_float32_checks_hold_on_gpus():
    code = (
        "import gdcourse, tensorflow as tf; gdcourse.setup(style=False); "
        "print(tf.config.experimental.tensor_float_32_execution_enabled())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"
