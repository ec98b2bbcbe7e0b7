"""What the browser tests share: Debian's Chromium, its launch flags, skip-or-fail, a deadline.

The tests drive ``/usr/bin/chromium`` (installed by ``.ci/browser-deps.sh``) with Playwright;
``GDCOURSE_REQUIRE_BROWSER=1`` (set by CI) turns a missing browser into a failure.
"""

from __future__ import annotations

import importlib.util
import os
import signal
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-proxy-server",
]  # fmt: skip


def require(condition: bool, reason: str) -> None:
    """Skip the test when ``condition`` is false, or fail under GDCOURSE_REQUIRE_BROWSER=1."""
    if condition:
        return
    if os.environ.get("GDCOURSE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"GDCOURSE_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


def require_chromium() -> None:
    """Chromium and Playwright must be there (see :func:`require`)."""
    require(CHROMIUM.exists(), f"{CHROMIUM} is missing (run .ci/browser-deps.sh as root)")
    require(has_module("playwright"), "playwright is not installed")


def has_module(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


class Deadline:
    """Raise TimeoutError in the main thread after ``seconds`` (SIGALRM), whatever blocks."""

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds

    def _fire(self, signum: int, frame: object) -> None:
        raise TimeoutError(f"browser test exceeded its {self.seconds} s deadline")

    def __enter__(self) -> Deadline:
        self._old = signal.signal(signal.SIGALRM, self._fire)
        signal.alarm(self.seconds)
        return self

    def __exit__(self, *exc: object) -> None:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, self._old)
