"""Every example in the package's docstrings runs and prints what it shows.

The doctests run in a fresh interpreter (``pytest --doctest-modules gdcourse``), so that
``gdcourse.setup()`` in an example (seeds, op determinism, plot style) never changes the
process the other tests run in. Examples that need a process of their own say
``# doctest: +SKIP`` and name the test that runs them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow  # a fresh interpreter that imports TensorFlow and trains two tiny models
def test_docstring_examples_run():
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p)
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": path}
    command = [sys.executable, "-m", "pytest", "--doctest-modules", "gdcourse", "-q"]
    command += ["--ignore=gdcourse/__main__.py", "-o", "addopts=-p no:cacheprovider"]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and "no tests ran" not in done.stdout, done.stdout
