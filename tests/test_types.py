"""The package type-checks: ``mypy`` with the settings of ``[tool.mypy]`` in pyproject.toml
(every function body checked, ``--check-untyped-defs``) reports no error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow  # ~20 s from an empty cache on 2 idle cores; keeps the quick lane < 2 min
def test_mypy_finds_no_error(tmp_path: Path):
    pytest.importorskip("mypy")
    command = [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "cache")]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-8000:] + done.stderr[-2000:]
    assert "Success: no issues found" in done.stdout, done.stdout
