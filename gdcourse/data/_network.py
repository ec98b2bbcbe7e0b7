"""Bounded network calls: a download that hangs must not hang the course, nor break it.

:func:`call_with_timeout` runs the download in a daemon thread and gives up after ``timeout``
seconds (``GDCOURSE_NETWORK_TIMEOUT``, default 20). What the libraries say meanwhile (yfinance
logs "Failed download" errors) is captured by a filter on their loggers that keeps the records
of *download threads* only, so an abandoned thread changes nothing the caller sees: no stream is
redirected, no warning filter is swapped, and its result, if it ever comes, is thrown away (only
the caller writes the cache, and only with what came back in time).

The socket default timeout is set by the caller for the time the thread starts, so the
sockets it opens (scikit-learn passes no timeout of its own) end on their own.
"""

from __future__ import annotations

import io
import logging
import math
import os
import socket
import threading
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")

TIMEOUT_ENV = "GDCOURSE_NETWORK_TIMEOUT"
DEFAULT_TIMEOUT = 20.0
MAX_TIMEOUT = 3600.0


class SettingError(ValueError):
    """An environment variable of the course holds a value it cannot use."""


def network_timeout() -> float:
    """Seconds one network attempt may take (``GDCOURSE_NETWORK_TIMEOUT``, default 20).

    Raises:
        SettingError: the variable is set to something other than a number of seconds in
            ``(0, 3600]``; the message names the variable and the accepted range.
    """
    raw = os.environ.get(TIMEOUT_ENV, "").strip()
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (0 < value <= MAX_TIMEOUT):  # also catches nan
        raise SettingError(
            f"{TIMEOUT_ENV}={raw!r} is not a number of seconds in (0, {MAX_TIMEOUT:g}]; "
            f"set it to e.g. 20, or unset it for the default ({DEFAULT_TIMEOUT:g} s)"
        )
    return value


class _ThreadCapture(logging.Filter):
    """A logger filter: records from registered threads go to their buffer, not the screen."""

    def __init__(self) -> None:
        super().__init__("gdcourse-capture")
        self.buffers: dict[int, io.StringIO] = {}
        self.lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        buffer = self.buffers.get(record.thread or 0)
        if buffer is None:
            return True  # not a download thread: untouched
        try:
            buffer.write(record.getMessage() + "\n")
        except Exception:  # a record that cannot format must not break the download
            pass
        return False


_capture = _ThreadCapture()


def _install_capture(loggers: Iterable[str]) -> None:
    with _capture.lock:
        for name in loggers:
            logger = logging.getLogger(name)
            if _capture not in logger.filters:
                logger.addFilter(_capture)


def call_with_timeout(
    fn: Callable[[], T],
    timeout: float | None = None,
    *,
    quiet_loggers: Iterable[str] = (),
    said: io.StringIO | None = None,
) -> T:
    """Return ``fn()``, re-raise its exception, or raise ``TimeoutError`` after ``timeout`` s.

    Log records that ``fn`` emits through ``quiet_loggers`` (from its own thread) are written
    to ``said`` instead of the screen, for the caller to quote in an error message. A logger's
    filter sees only the records created on that logger, so name each logger exactly.
    """
    limit = network_timeout() if timeout is None else timeout
    buffer = said if said is not None else io.StringIO()
    _install_capture(quiet_loggers)
    box: dict[str, object] = {}
    registered = threading.Event()

    def target() -> None:
        registered.wait()
        try:
            box["value"] = fn()
        except BaseException as error:  # handed to the caller below
            box["error"] = error

    worker = threading.Thread(target=target, name="gdcourse-download", daemon=True)
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(limit)
    try:
        worker.start()
        _capture.buffers[worker.ident or 0] = buffer
        registered.set()
        worker.join(limit)
    finally:
        socket.setdefaulttimeout(previous)
    if worker.is_alive():
        # Abandoned: its records stay captured (into a buffer nobody reads) until it ends;
        # its result, if any, is never used.
        threading.Thread(target=_forget, args=(worker,), daemon=True).start()
        raise TimeoutError(f"no answer within {limit:g} s")
    _capture.buffers.pop(worker.ident or 0, None)
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]


def _forget(worker: threading.Thread) -> None:
    worker.join()
    _capture.buffers.pop(worker.ident or 0, None)
