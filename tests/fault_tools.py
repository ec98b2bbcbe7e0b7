"""Real faults for the tests: a tiny full filesystem, and a process killed (SIGKILL) at a chosen
step of its work.

``tiny_disk`` mounts a real tmpfs of a few kilobytes (root only; the test is skipped with the
reason otherwise). ``fill`` writes to it until the kernel answers ``ENOSPC``. ``kill_at``
runs a Python snippet in a child process whose module hook pauses at a named step, then kills
it with ``SIGKILL`` there: nothing in the child gets a chance to clean up.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def tiny_disk(folder: Path, size: str = "64k") -> Iterator[Path]:
    """A real tmpfs of ``size`` mounted at ``folder`` for the duration (skips if not allowed)."""
    if not sys.platform.startswith("linux"):
        pytest.skip("a tiny tmpfs needs Linux")
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path) -> Path:
    """Fill ``folder``'s filesystem to the last byte with a file ``filler``; return it."""
    path = folder / "filler"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        chunk = b"\0" * 4096
        while True:
            try:
                os.write(fd, chunk)
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise
                break
    finally:
        os.close(fd)
    return path


def child_env() -> dict[str, str]:
    """The environment for a child process that imports this checkout's gdcourse."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def kill_at(module: str, step: str, code: str, timeout: float = 120.0) -> list[str]:
    """Run ``code`` in a child process, pause it when ``module._step`` is called with a name
    starting with ``step``, kill it there with SIGKILL, and return the steps it printed.

    Fails the test if the child finished (or died) without reaching the step.
    """
    script = textwrap.dedent(
        f"""
        import sys, time
        import {module} as _target

        def _pause(name):
            print(name, flush=True)
            if name.startswith({step!r}):
                print("PAUSED", flush=True)
                time.sleep(600)

        _target._step = _pause
        """
    ) + textwrap.dedent(code)
    child = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(),
    )
    steps = []
    try:
        assert child.stdout is not None
        for line in child.stdout:
            line = line.strip()
            if line == "PAUSED":
                child.send_signal(signal.SIGKILL)
                child.wait(timeout)
                return steps
            steps.append(line)
        child.wait(timeout)
        err = child.stderr.read() if child.stderr else ""
        pytest.fail(f"the child never reached step {step!r} (steps: {steps}); stderr: {err}")
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    return steps
