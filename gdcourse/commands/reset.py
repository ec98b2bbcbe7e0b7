"""Restore a notebook as committed, after backing up the learner's copy beside it.

``python -m gdcourse reset 03`` finds ``notebooks/03_*.ipynb`` in the course's git checkout,
copies the learner's file to ``notebooks/backup-<YYYYmmdd-HHMMSS>-03_name.ipynb``, then writes
the committed version (``git show HEAD:<path>``) in its place atomically. The backup is written
to a temporary name, flushed to disk, read back and checked (size and SHA-256), and only then
renamed to its final name: a full disk or a kill never leaves a truncated backup, and a failure
removes only that temporary file and says what happened. Nothing is lost: the backup opens in
Jupyter like any notebook, and its name does not start with a number, so course tools do not
mistake it for a lesson. Outside a git checkout (a download, a pip install) it refuses, and says
where to get the notebook again; ``--dry-run`` says what it would do and does nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import subprocess
import sys
import time
from pathlib import Path

from gdcourse._files import link_or_rename, unused_path, verified_temporary, write_atomically
from gdcourse.about import REPO_URL
from gdcourse.commands.runner import notebooks_dir


class ResetError(Exception):
    """A reset that cannot (or must not) be done; the message says why and what to do."""


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", "-C", str(folder), *args], capture_output=True, timeout=60, check=False
        )
    except FileNotFoundError:
        raise ResetError("git is not installed; reset restores notebooks from git") from None


def _find(name: str, folder: Path) -> Path:
    """The notebook ``name`` names: on disk, or committed (a deleted notebook can be reset)."""
    name = Path(name).name
    tracked = _git(folder, "ls-files", "--", "[0-9][0-9]_*.ipynb").stdout.decode().split()
    on_disk = {p.name for p in folder.glob("[0-9][0-9]_*.ipynb")}
    candidates = [folder / n for n in sorted(on_disk | {Path(t).name for t in tracked})]
    match = [
        p for p in candidates if name in (p.name, p.stem) or (len(name) == 2 and p.name[:2] == name)
    ]
    if len(match) != 1:
        known = ", ".join(p.name[:2] for p in candidates) or "none"
        raise ResetError(f"`{name}` names no notebook in {folder} (notebooks: {known})")
    return match[0]


def backup_path(path: Path, stamp: str | None = None) -> Path:
    """A fresh ``backup-<time>-<name>`` path beside ``path`` (never an existing file)."""
    stamp = stamp or time.strftime("%Y%m%d-%H%M%S")
    return unused_path(path.parent, lambda n: f"backup-{stamp}{n}-{path.name}")


def write_backup(source: Path, data: bytes, backup: Path) -> None:
    """Write ``data`` (the bytes of ``source``) as ``backup``, whole or not at all.

    A temporary file beside ``backup`` gets the bytes, is flushed to disk and read back; its
    size and SHA-256 must match ``data``; then it takes ``source``'s times and permissions and
    is linked to ``backup`` (never over an existing file). On any failure the temporary file,
    the only thing created, is removed and ``OSError`` raised.
    """
    with verified_temporary(backup.parent, data, prefix=f".{backup.name}.") as tmp:
        with contextlib.suppress(OSError):
            shutil.copystat(source, tmp)
        link_or_rename(tmp, backup)


def reset_notebook(name: str, folder: Path, *, dry_run: bool = False) -> list[str]:
    """Restore notebook ``name`` (``03``, a stem or a file name) in ``folder`` as committed.

    Returns the lines to show. Raises :class:`ResetError` (nothing changed) when the folder
    is not in a git checkout, the notebook is not committed, or the backup cannot be written.
    """
    folder = Path(folder).resolve()
    inside = _git(folder, "rev-parse", "--show-toplevel") if folder.is_dir() else None
    if inside is None or inside.returncode != 0:
        raise ResetError(
            f"{folder} is not in a git checkout of the course, so there is no committed copy "
            f"to restore. Clone it (git clone {REPO_URL}) or download the notebook again from "
            f"{REPO_URL}/tree/main/notebooks. Nothing was changed."
        )
    root = Path(inside.stdout.decode().strip())
    path = _find(name, folder)
    relative = path.resolve().relative_to(root.resolve()).as_posix()
    committed = _git(root, "show", f"HEAD:{relative}")
    if committed.returncode != 0:
        raise ResetError(f"{relative} is not committed in {root}; nothing to restore it from")
    current = path.read_bytes() if path.exists() else None
    if current == committed.stdout:
        return [f"{relative} is already as committed; nothing to do."]
    backup = backup_path(path)
    lines = []
    if current is not None:
        lines.append(f"back up your copy of {relative} as {backup.name}")
    lines.append(f"restore {relative} as committed (HEAD)")
    if dry_run:
        return ["Would " + lines[0]] + [f"then {line}" for line in lines[1:]] + ["(dry run)"]
    if current is not None:
        try:
            write_backup(path, current, backup)
        except OSError as error:  # never replace a notebook without a sound backup
            raise ResetError(
                f"could not write the backup {backup.name} ({error.strerror or error}); "
                f"nothing was replaced and no backup was left: your copy of {relative} is "
                "unchanged"
            ) from None
    try:
        write_atomically(path, committed.stdout)
    except OSError as error:
        kept = f"; your copy is also backed up as {backup.name}" if current is not None else ""
        raise ResetError(
            f"could not restore {relative} ({error.strerror or error}); it is unchanged{kept}"
        ) from None
    done = [f"Backed up your copy as {backup}"] if current is not None else []
    return done + [f"Restored {relative} as committed."]


# ``python -m gdcourse reset`` (registered in gdcourse.commands.cli.COMMANDS)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("notebooks", nargs="+", help="numbers like 03, or notebook names")
    parser.add_argument("--dry-run", action="store_true", help="say what would be done, do nothing")
    parser.add_argument("--dir", default=None, help="notebook folder (default: the course's)")


def command(args: argparse.Namespace) -> int:
    from gdcourse.commands.reset import ResetError, reset_notebook

    folder = Path(args.dir) if args.dir else notebooks_dir()
    status = 0
    for name in args.notebooks:
        try:
            for line in reset_notebook(name, folder, dry_run=args.dry_run):
                print(line)
        except ResetError as error:
            print(f"reset {name}: {error}", file=sys.stderr)
            status = 2
    return status
