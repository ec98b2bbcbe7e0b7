"""Shared test set-up: quiet TensorFlow, the offline mirror, no network, the slow marker.

No test may touch the network: an autouse fixture makes any socket connection to a
non-loopback address fail at once. Tests that need data point ``GDCOURSE_MIRROR`` at the
read-only mirror (``../shared/data`` beside the checkout, or wherever it is already set).
"""

from __future__ import annotations

import os
import socket
import tempfile
from pathlib import Path

import matplotlib
import pytest

from gdcourse._quiet import quiet_environment

quiet_environment()  # TensorFlow's quiet environment, before any test imports it

os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
# Exercise checks record a learner's progress: the tests' (and nbval kernels', which inherit
# this) go to a throw-away folder, never the user's record.
os.environ["GDCOURSE_PROGRESS_DIR"] = tempfile.mkdtemp(prefix="gdcourse-test-progress-")

# Headless plotting for the tests in this process only. Not through MPLBACKEND: nbval's kernels
# inherit the environment, and with Agg there `plt.show()` would leave no output to compare.
matplotlib.use("Agg")

REPO = Path(__file__).resolve().parents[1]
_default_mirror = REPO.parent / "shared" / "data"
if not os.environ.get("GDCOURSE_MIRROR") and _default_mirror.is_dir():
    os.environ["GDCOURSE_MIRROR"] = str(_default_mirror)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Notebooks (nbval) and browser tests are slow: ``pytest -m "not slow"`` leaves them out."""
    for item in items:
        if item.path.suffix == ".ipynb" or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)


def _loopback(address: object) -> bool:
    if isinstance(address, (str, bytes)):  # a Unix socket path
        return True
    host = str(address[0]) if isinstance(address, tuple) and address else ""
    return host in ("localhost", "::1") or host.startswith("127.")


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    real_connect = socket.socket.connect

    def guarded_connect(self: socket.socket, address: object) -> object:
        if not _loopback(address):
            raise OSError(f"tests must not touch the network (tried {address!r})")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


@pytest.fixture
def mirror() -> Path:
    """The read-only mirror folder of real data (skips when it is not available)."""
    folder = Path(os.environ.get("GDCOURSE_MIRROR", ""))
    if not (folder / "cal_housing.data").is_file():
        if os.environ.get("CI"):
            pytest.fail("CI must set GDCOURSE_MIRROR to the course data (../shared/data)")
        pytest.skip("GDCOURSE_MIRROR does not hold the course data (see ../shared/data)")
    return folder


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder, set as GDCOURSE_DATA for the test."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("GDCOURSE_DATA", str(folder))
    return folder


@pytest.fixture
def close_figures():
    """Close every matplotlib figure a test made (plot tests: ``usefixtures``)."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture(scope="module")
def rosen_paths():
    """The Rosenbrock surface and 200 steps of SGD with momentum and of Adam on it."""
    from gdcourse.optim import SGD, Adam
    from gdcourse.paths import run
    from gdcourse.surfaces import get_surface

    surface = get_surface("rosenbrock")
    return surface, {
        "SGD": run(surface, SGD(learning_rate=1e-3, momentum=0.9), steps=200),
        "Adam": run(surface, Adam(learning_rate=0.05), steps=200),
    }
