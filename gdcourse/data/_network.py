"""Bounded network calls: a download that hangs must not hang the course.

:func:`call_with_timeout` runs the download in a daemon thread and gives up after
``timeout`` seconds (``GDCOURSE_NETWORK_TIMEOUT``, default 20). A socket default timeout is
set as well, so the abandoned thread ends on its own soon after.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

TIMEOUT_ENV = "GDCOURSE_NETWORK_TIMEOUT"
DEFAULT_TIMEOUT = 20.0


def network_timeout() -> float:
    """Seconds one network attempt may take (from ``GDCOURSE_NETWORK_TIMEOUT``, default 20)."""
    raw = os.environ.get(TIMEOUT_ENV, "").strip()
    try:
        value = float(raw) if raw else DEFAULT_TIMEOUT
    except ValueError:
        value = DEFAULT_TIMEOUT
    return value if value > 0 else DEFAULT_TIMEOUT


def call_with_timeout(fn: Callable[[], T], timeout: float | None = None) -> T:
    """Return ``fn()``, re-raise its exception, or raise ``TimeoutError`` after ``timeout`` s."""
    limit = network_timeout() if timeout is None else timeout
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as error:  # handed to the caller below
            box["error"] = error

    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(limit)
    try:
        worker = threading.Thread(target=target, name="gdcourse-download", daemon=True)
        worker.start()
        worker.join(limit)
    finally:
        socket.setdefaulttimeout(previous)
    if worker.is_alive():
        raise TimeoutError(f"no answer within {limit:g} s")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]
