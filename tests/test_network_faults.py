"""A dead network, for real: a proxy on loopback that accepts connections and never answers.

This is a classroom's captive or dead Wi-Fi. With no mirror and an empty cache, each loader
must fail with :class:`DataUnavailableError` within 30 s (here: within a few seconds, with
``GDCOURSE_NETWORK_TIMEOUT=2``), and leave the caller as it found it: the next ``print``
reaches the real stdout, in a script and in a Jupyter kernel.

The loaders run in child processes (a script, a kernel), whose every HTTP(S) request goes to
the loopback proxy through ``HTTPS_PROXY``/``HTTP_PROXY``; a guard in each child refuses any
Python-level connection or name lookup that is not loopback, and the proxy counts the
connections it received, so the test proves the download really went to the dead network.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
TIMEOUT_S = 2

#: Run first in each child: Python sockets may reach loopback only.
GUARD = """
import socket
_connect, _getaddrinfo = socket.socket.connect, socket.getaddrinfo
def _loopback(host):
    return str(host) in ("localhost", "::1") or str(host).startswith("127.")
def connect(self, address):
    if not isinstance(address, (str, bytes)) and not _loopback(address[0]):
        raise OSError(f"the test forbids a connection to {address!r}")
    return _connect(self, address)
def getaddrinfo(host, *args, **kwargs):
    if host is not None and not _loopback(host):
        raise OSError(f"the test forbids looking up {host!r}")
    return _getaddrinfo(host, *args, **kwargs)
socket.socket.connect, socket.getaddrinfo = connect, getaddrinfo
"""


class DeadProxy:
    """A TCP server on 127.0.0.1 that accepts every connection and never sends a byte."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0), backlog=64)
        self.port = self.server.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def close(self) -> None:
        self.server.close()
        for conn in self.accepted:
            conn.close()


@pytest.fixture
def dead_network(tmp_path: Path) -> Iterator[tuple[DeadProxy, dict[str, str]]]:
    """The proxy, and a child environment: dead network, no mirror, an empty cache."""
    proxy = DeadProxy()
    url = f"http://127.0.0.1:{proxy.port}"
    env = {k: v for k, v in os.environ.items() if k.upper() not in ("NO_PROXY", "ALL_PROXY")}
    env.pop("GDCOURSE_MIRROR", None)
    env.update(
        HTTPS_PROXY=url,
        HTTP_PROXY=url,
        https_proxy=url,
        http_proxy=url,
        GDCOURSE_DATA=str(tmp_path / "cache"),
        GDCOURSE_NETWORK_TIMEOUT=str(TIMEOUT_S),
        PYTHONPATH=os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        HOME=str(tmp_path / "home"),  # yfinance's own caches go there, not the user's
        XDG_CACHE_HOME=str(tmp_path / "xdg"),
    )
    yield proxy, env
    proxy.close()


SCRIPT = (
    GUARD
    + """
import json, sys, time
from gdcourse.data import DataUnavailableError, load_housing, load_prices
seconds = {}
for name, load in (("prices", load_prices), ("housing", load_housing)):
    started = time.perf_counter()
    try:
        load()
    except DataUnavailableError as error:
        seconds[name] = round(time.perf_counter() - started, 2)
        print(f"{name}: DataUnavailableError, last attempt: {error.attempts[-1][1]}")
print(json.dumps(seconds))
time.sleep({late})  # the abandoned downloads' sockets time out meanwhile: no late chatter
print("stdout still works")
print("stderr still works", file=sys.stderr)
"""
)


@pytest.mark.slow  # a fresh Python process / a Jupyter kernel
def test_dead_network_script_fails_fast_and_keeps_streams(dead_network, tmp_path):
    proxy, env = dead_network
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT.replace("{late}", str(TIMEOUT_S + 1.5))],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    total = time.perf_counter() - started
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[-1] == "stdout still works", done.stdout
    assert "stderr still works" in done.stderr
    seconds = json.loads(lines[-2])
    assert set(seconds) == {"prices", "housing"}, done.stdout
    assert all(s < 30 for s in seconds.values()), seconds
    assert all(s < TIMEOUT_S + 5 for s in seconds.values()), seconds
    assert done.stdout.count(f"no answer within {TIMEOUT_S} s") == 2, done.stdout
    # Under a loaded CPU a library may spend the whole timeout starting up, before it
    # connects; at least one download must have reached the dead proxy.
    assert proxy.accepted, "the downloads must go to the dead proxy"
    assert total < 60
    assert "Traceback" not in done.stderr and "Exception in thread" not in done.stderr
    assert not any((tmp_path / "cache").glob("*.csv")), "nothing may reach the cache"
    # The abandoned download threads are still blocked; none of them may print later.
    assert "Failed download" not in done.stderr and "Retry downloading" not in done.stderr


@pytest.mark.slow  # a fresh Python process / a Jupyter kernel
def test_dead_network_in_a_jupyter_kernel(dead_network, tmp_path):
    """After a failed load in a real kernel, the next cell's print shows."""
    from nbclient import NotebookClient

    proxy, env = dead_network
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(GUARD),
        nbformat.v4.new_code_cell(
            "from gdcourse.data import DataUnavailableError, load_housing, load_prices\n"
            "for load in (load_prices, load_housing):\n"
            "    try:\n"
            "        load()\n"
            "    except DataUnavailableError:\n"
            "        pass"
        ),
        nbformat.v4.new_code_cell("print('the next cell prints')"),
        nbformat.v4.new_code_cell("import sys; print('and to stderr', file=sys.stderr)"),
    ]
    client = NotebookClient(
        nb,
        timeout=90,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    with client.setup_kernel(env=env):
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
    assert nb.cells[1].outputs == [], nb.cells[1].outputs
    assert [o.get("text") for o in nb.cells[2].outputs] == ["the next cell prints\n"]
    assert [(o.get("name"), o.get("text")) for o in nb.cells[3].outputs] == [
        ("stderr", "and to stderr\n")
    ]
    assert proxy.accepted
