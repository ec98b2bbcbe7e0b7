"""The download cache: CSV files written atomically, with a sha256 manifest.

A file is written to a temporary name in the same folder and renamed into place, so a crash
never leaves half a file under the real name. ``manifest.json`` records each file's sha256;
a file whose hash does not match (truncated, edited, corrupt) is deleted and reported as a
miss, so it is fetched again rather than silently used.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from gdcourse._files import write_atomically

MANIFEST = "manifest.json"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(folder: Path) -> dict[str, dict]:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def _record(folder: Path, name: str, entry: dict) -> None:
    manifest = read_manifest(folder)
    manifest[name] = entry
    text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    write_atomically(folder / MANIFEST, text.encode("utf-8"))


def store(folder: Path, name: str, frame: pd.DataFrame, source: str) -> Path:
    """Write ``frame`` as ``folder/name`` (CSV, exact float round trip) and record its hash."""
    data = frame.to_csv(index=True).encode("utf-8")
    path = folder / name
    write_atomically(path, data)
    _record(
        folder,
        name,
        {
            "sha256": hashlib.sha256(data).hexdigest(),
            "rows": int(len(frame)),
            "source": source,
            "written": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
    )
    return path


def keep(folder: Path, name: str, frame: pd.DataFrame, source: str) -> pd.DataFrame:
    """Cache ``frame`` when the folder is writable, mark where it came from, return it.

    A read-only or missing cache folder must not stop the course: the frame is still returned.
    """
    try:
        store(folder, name, frame, source)
    except OSError:
        pass
    frame.attrs["source"] = source
    return frame


def verified_path(folder: Path, name: str) -> Path | None:
    """``folder/name`` if it exists and matches its manifest hash; a bad file is deleted."""
    path = folder / name
    if not path.is_file():
        return None
    expected = read_manifest(folder).get(name, {}).get("sha256")
    if expected is None or sha256_of(path) != expected:
        path.unlink(missing_ok=True)
        return None
    return path


def read_csv_exact(path: Path, **kwargs) -> pd.DataFrame:
    """``pd.read_csv`` with floats parsed to the exact value written by ``to_csv``.

    pandas < 3 needs ``float_precision="round_trip"`` for that; pandas 3 parses exactly by
    default and deprecates the argument.
    """
    if int(pd.__version__.split(".")[0]) < 3:
        kwargs.setdefault("float_precision", "round_trip")
    return pd.read_csv(path, **kwargs)
