"""Where datasets live: the cache folder (written) and the mirror folder (read only).

- ``GDCOURSE_DATA`` names the cache folder. Default: the repository's ``data/`` when the package
  runs from a checkout, else a per-user cache folder.
- ``GDCOURSE_MIRROR`` names a read-only folder of pre-downloaded files (an instructor's USB
  stick, or ``../shared/data`` in CI). It is never written to, not even when ``GDCOURSE_DATA``
  names the same folder. A relative path is taken from the current folder.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from gdcourse._files import checkout_root, user_folder

DATA_ENV = "GDCOURSE_DATA"
MIRROR_ENV = "GDCOURSE_MIRROR"


def _resolved(named: str) -> Path:
    """``named`` as an absolute path with its links followed as far as they go; a symlink
    loop (which ``resolve`` refuses) is kept as the absolute path itself, so that reading it
    fails, by name, where it is used (see :func:`loop_problem`)."""
    path = Path(named).expanduser()
    try:
        return path.resolve()
    except (RuntimeError, OSError):  # a symlink loop (RuntimeError before Python 3.13)
        return Path(os.path.abspath(path))


def loop_problem(folder: Path) -> str | None:
    """``"... is a symlink loop ..."`` when ``folder`` (or a folder above it) is a chain of
    symbolic links that leads back to itself, else ``None``."""
    try:
        os.stat(folder)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return (
                f"{folder} is a symlink loop (a link that leads back to itself), so nothing "
                "can be read or written there"
            )
    except ValueError:  # a NUL byte in the path
        return None
    return None


def data_dir() -> Path:
    """The cache folder (it may not exist yet; writers create it)."""
    named = os.environ.get(DATA_ENV, "").strip()
    if named:
        return _resolved(named)
    root = checkout_root()
    return root / "data" if root is not None else user_folder("cache")


def data_problem() -> str | None:
    """What is wrong with the cache folder that no write could fix (a symlink loop), or None."""
    problem = loop_problem(data_dir())
    return f"{DATA_ENV}: {problem}" if problem else None


def mirror_dir() -> Path | None:
    """The mirror folder named by ``GDCOURSE_MIRROR``, or ``None`` when it is unset."""
    named = os.environ.get(MIRROR_ENV, "").strip()
    return _resolved(named) if named else None


def mirror_problem() -> str | None:
    """What is wrong with ``GDCOURSE_MIRROR`` (a missing folder, a file), or None."""
    named = os.environ.get(MIRROR_ENV, "").strip()
    folder = mirror_dir()
    if folder is None or folder.is_dir():
        return None
    relative = "" if Path(named).expanduser().is_absolute() else " (a relative path, taken from "
    relative += f"the current folder {Path.cwd()})" if relative else ""
    loop = loop_problem(folder)
    if loop:
        return f"{MIRROR_ENV}={named!r}: {loop}"
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
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop, before Python 3.13
        return False
