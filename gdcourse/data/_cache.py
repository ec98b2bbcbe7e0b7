"""The download cache: CSV files written atomically, listed with their sha256 in a manifest.

A file is written to a temporary name in the same folder and renamed into place, so a crash
never leaves half a file under the real name. ``manifest.json`` records each file's sha256; a
file that is missing from it or does not match (truncated, edited, foreign) is a *miss*: it is
fetched again and replaced, never silently used. Reading never changes anything on disk.

Writers take a lock (``manifest.json.lock``, through the ``filelock`` package) around the
manifest's read-modify-write, so processes filling one cache at once lose no entry. A manifest
that cannot be read (a bad byte, not JSON) is named in the miss it causes, and the next write
sets it aside as ``manifest.json.damaged`` and starts a fresh one.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
from filelock import FileLock

from gdcourse._files import write_atomically

MANIFEST = "manifest.json"
LOCK_SECONDS = 30.0


class Miss(Exception):
    """A source that has nothing (usable) to give; the message says why."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(folder: Path) -> dict[str, dict]:
    """The manifest's entries; ``{}`` when there is none.

    Raises:
        ValueError: the manifest exists but is damaged; the message names the file.
    """
    path = folder / MANIFEST
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise ValueError(f"cannot read {path}: {error}") from None
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{path} is damaged ({type(error).__name__}: {error})") from None
    valid = isinstance(manifest, dict) and all(
        isinstance(entry, dict) and isinstance(entry.get("sha256"), str)
        for entry in manifest.values()
    )
    if not valid:
        raise ValueError(f"{path} is damaged (not a table of {{file: {{sha256: ...}}}})")
    return manifest


def verified_path(folder: Path, name: str) -> Path:
    """``folder/name`` if it is listed in the manifest with a matching sha256.

    Raises:
        Miss: the file is missing, unlisted, damaged, or the manifest is (message says which).
    """
    path = folder / name
    if not path.is_file():
        raise Miss("not there")
    try:
        entry = read_manifest(folder).get(name)
    except ValueError as error:
        raise Miss(str(error)) from None
    if entry is None:
        raise Miss(f"not listed in {MANIFEST}")
    try:
        actual = sha256_of(path)
    except OSError as error:
        raise Miss(f"unreadable ({error})") from None
    if actual != entry["sha256"]:
        raise Miss(f"fails its sha256 check (damaged or replaced since {MANIFEST} listed it)")
    return path


def store(folder: Path, name: str, data: bytes, *, rows: int, source: str) -> Path:
    """Write ``data`` as ``folder/name`` and list its sha256 in the manifest, under a lock."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    with FileLock(folder / f"{MANIFEST}.lock", timeout=LOCK_SECONDS):
        try:
            manifest = read_manifest(folder)
        except ValueError:
            os.replace(folder / MANIFEST, folder / f"{MANIFEST}.damaged")
            manifest = {}
        write_atomically(path, data)
        manifest[name] = {
            "sha256": hashlib.sha256(data).hexdigest(),
            "rows": int(rows),
            "source": source,
            "written": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
        write_atomically(folder / MANIFEST, text.encode("utf-8"))
    return path


def frame_bytes(frame: pd.DataFrame) -> bytes:
    """The CSV text a frame is cached as (index included; floats round-trip exactly)."""
    return frame.to_csv(index=True).encode("utf-8")


def read_csv_exact(path: Path, **kwargs) -> pd.DataFrame:
    """``pd.read_csv`` with floats parsed to the exact value written by ``to_csv``.

    pandas < 3 needs ``float_precision="round_trip"`` for that; pandas 3 parses exactly by
    default and deprecates the argument.
    """
    if int(pd.__version__.split(".")[0]) < 3:
        kwargs.setdefault("float_precision", "round_trip")
    return pd.read_csv(path, **kwargs)
