"""Where datasets live: the cache folder (written) and the mirror folder (read only).

- ``GDCOURSE_DATA`` names the cache folder. Default: the repository's ``data/`` when the package
  runs from a checkout, else a per-user cache folder.
- ``GDCOURSE_MIRROR`` names a read-only folder of pre-downloaded files (an instructor's USB
  stick, or ``../shared/data`` in CI). It is never written to, not even when ``GDCOURSE_DATA``
  names the same folder. A relative path is taken from the current folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from gdcourse._files import checkout_root, user_folder

DATA_ENV = "GDCOURSE_DATA"
MIRROR_ENV = "GDCOURSE_MIRROR"


def data_dir() -> Path:
    """The cache folder (it may not exist yet; writers create it)."""
    named = os.environ.get(DATA_ENV, "").strip()
    if named:
        return Path(named).expanduser().resolve()
    root = checkout_root()
    return root / "data" if root is not None else user_folder("cache")


def mirror_dir() -> Path | None:
    """The mirror folder named by ``GDCOURSE_MIRROR``, or ``None`` when it is unset."""
    named = os.environ.get(MIRROR_ENV, "").strip()
    return Path(named).expanduser().resolve() if named else None


def mirror_problem() -> str | None:
    """What is wrong with ``GDCOURSE_MIRROR`` (a missing folder, a file), or None."""
    named = os.environ.get(MIRROR_ENV, "").strip()
    folder = mirror_dir()
    if folder is None or folder.is_dir():
        return None
    relative = "" if Path(named).expanduser().is_absolute() else " (a relative path, taken from "
    relative += f"the current folder {Path.cwd()})" if relative else ""
    what = "is not a folder" if folder.exists() else "does not exist"
    return f"{MIRROR_ENV}={named!r} names {folder}{relative}, which {what}"


def is_mirror(folder: Path) -> bool:
    """Whether ``folder`` is the mirror folder or inside it (which must never be written)."""
    mirror = mirror_dir()
    if mirror is None:
        return False
    try:
        resolved = folder.resolve()
        return (
            resolved == mirror
            or mirror in resolved.parents
            or (folder.exists() and mirror.exists() and os.path.samefile(folder, mirror))
        )
    except OSError:
        return False
