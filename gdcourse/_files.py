"""Where the course's files live, and writing them so that nothing is ever half-written."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path


def checkout_root() -> Path | None:
    """The repository root when this package is imported from a source checkout, else None."""
    root = Path(__file__).resolve().parents[1]
    if (root / "pyproject.toml").is_file() and (root / "notebooks").is_dir():
        return root
    return None


def user_folder(kind: str) -> Path:
    """The course's per-user folder for ``kind`` ``"cache"`` or ``"data"``, by platform custom:
    ``~/.cache`` / ``~/.local/share`` (or ``XDG_*_HOME``) on Linux, ``~/Library/Caches`` /
    ``~/Library/Application Support`` on macOS, ``%LOCALAPPDATA%`` / ``%APPDATA%`` on Windows.
    The folder may not exist yet."""
    if kind not in ("cache", "data"):
        raise ValueError(f"`kind` must be 'cache' or 'data'. Received: kind={kind!r}")
    home = Path.home()
    if sys.platform == "win32":
        name, fallback = (
            ("LOCALAPPDATA", home / "AppData" / "Local")
            if kind == "cache"
            else ("APPDATA", home / "AppData" / "Roaming")
        )
    elif sys.platform == "darwin":
        name = ""
        fallback = home / "Library" / ("Caches" if kind == "cache" else "Application Support")
    else:
        name, fallback = (
            ("XDG_CACHE_HOME", home / ".cache")
            if kind == "cache"
            else ("XDG_DATA_HOME", home / ".local" / "share")
        )
    base = os.environ.get(name) if name else None
    return Path(base or fallback) / "gdcourse"


def current_umask() -> int:
    """The process's file-creation mask, read without changing it where the OS allows."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # elsewhere: read it by setting it, then put it back at once
    os.umask(mask)
    return mask


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place.

    A crash or an error leaves either the old file or the new one, never half of either, and
    no temporary file behind. The file gets the permissions of the file it replaces, or else
    the ones any new file gets (``0o666`` less the umask), never the temporary file's 0600.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o7777
    except OSError:
        mode = 0o666 & ~current_umask()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def link_or_rename(tmp: Path, path: Path) -> None:
    """Give the complete file ``tmp`` the name ``path``, never over an existing file.

    A hard link (which fails if ``path`` exists), then ``tmp`` is removed; where the
    filesystem has no hard links (FAT on a USB stick) a rename after checking that ``path``
    does not exist.
    """
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError:
        if path.exists():
            raise FileExistsError(17, "File exists", str(path)) from None
        os.rename(tmp, path)
        return
    tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def verified_temporary(folder: Path, data: bytes, *, prefix: str) -> Iterator[Path]:
    """A temporary file in ``folder`` holding ``data``, flushed to disk and read back.

    Its size and SHA-256 must equal ``data``'s (a full disk or a failing stick can accept a
    write and keep less), else ``OSError(EIO)``. The caller gives it its permissions and
    renames or links it into place inside the ``with`` block; on leaving, the temporary file
    is removed if it is still there (after a failure, or after a hard link), so nothing the
    caller did not ask for is left behind.
    """
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        copy = tmp.read_bytes()
        if len(copy) != len(data) or hashlib.sha256(copy).digest() != hashlib.sha256(data).digest():
            raise OSError(
                errno.EIO,
                f"{tmp.name} read back differs from what was written "
                f"({len(copy)} of {len(data)} bytes)",
            )
        yield tmp
    finally:
        tmp.unlink(missing_ok=True)


def unused_path(folder: Path, name: Callable[[str], str]) -> Path:
    """The first of ``name("")``, ``name("-2")``, ``name("-3")``, ... in ``folder`` that does
    not exist yet: a fresh name for a backup or a set-aside copy, never an existing file."""
    candidate, n = folder / name(""), 1
    while candidate.exists():
        n += 1
        candidate = folder / name(f"-{n}")
    return candidate
