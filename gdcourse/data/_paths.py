"""Where datasets live: the cache folder (written) and the mirror folder (read only).

- ``GDCOURSE_DATA`` names the cache folder. Default: the repository's ``data/`` when the package
  runs from a checkout, else a per-user cache folder.
- ``GDCOURSE_MIRROR`` names a read-only folder of pre-downloaded files (an instructor's USB
  stick, or ``../shared/data`` in CI). It is never written to.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

DATA_ENV = "GDCOURSE_DATA"
MIRROR_ENV = "GDCOURSE_MIRROR"


def _checkout_root() -> Path | None:
    """The repository root when this package is imported from a source checkout."""
    root = Path(__file__).resolve().parents[2]
    if (root / "pyproject.toml").is_file() and (root / "notebooks").is_dir():
        return root
    return None


def _user_cache() -> Path:
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = str(Path.home() / "Library" / "Caches")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gdcourse"


def data_dir() -> Path:
    """The cache folder (it may not exist yet; writers create it)."""
    named = os.environ.get(DATA_ENV, "").strip()
    if named:
        return Path(named).expanduser().resolve()
    root = _checkout_root()
    return root / "data" if root is not None else _user_cache()


def mirror_dir() -> Path | None:
    """The mirror folder named by ``GDCOURSE_MIRROR``, or ``None`` when it is unset."""
    named = os.environ.get(MIRROR_ENV, "").strip()
    return Path(named).expanduser().resolve() if named else None
