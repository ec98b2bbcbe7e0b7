"""What the browser tests share: Debian's Chromium, its launch flags, skip-or-fail, a deadline.

The tests drive ``/usr/bin/chromium`` (installed by ``.ci/browser-deps.sh``) with Playwright;
``GDCOURSE_REQUIRE_BROWSER=1`` (set by CI) turns a missing browser into a failure.
:func:`axe_violations` runs axe-core, installed from npm by the same script, on a page.
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


#: axe-core, the accessibility engine, from tests/a11y/package.json (.ci/browser-deps.sh runs npm).
AXE_JS = Path(__file__).parent / "a11y" / "node_modules" / "axe-core" / "axe.min.js"

_AXE_RUN = """async () => {
    const result = await axe.run(document, {resultTypes: ['violations']});
    return result.violations
        .filter(v => v.impact === 'critical' || v.impact === 'serious')
        .map(v => `${v.impact} ${v.id} (${v.nodes.length}x): ${v.help}; first: `
                  + v.nodes[0].html.slice(0, 160));
}"""


def axe_violations(page) -> list[str]:
    """Critical and serious accessibility violations axe-core finds on ``page`` (Playwright).

    axe is injected from the local file (no network); one line per violated rule.
    """
    require(AXE_JS.is_file(), f"{AXE_JS} is missing (run .ci/browser-deps.sh)")
    page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(_AXE_RUN)


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
