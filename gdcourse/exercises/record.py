"""The progress record: one line per exercise check, appended whole, read without writing.

The record is a JSON Lines file ``progress.jsonl``, one line per check::

    {"notebook": "03", "exercise": "q2", "status": "fail", "time": "2026-12-02T02:15:09Z"}

**Where.** In the user's data folder (``~/.local/share/gdcourse`` on Linux,
``~/Library/Application Support/gdcourse`` on macOS, ``%APPDATA%\\gdcourse`` on Windows), or in
the folder named by ``GDCOURSE_PROGRESS_DIR``. A relative ``GDCOURSE_PROGRESS_DIR`` is taken
from the home folder (``course/progress`` means ``~/course/progress``), so every kernel, whatever
folder it runs in, records to the same file. A value that cannot be resolved (``~nosuchuser/x``)
is named in a note and the default folder is used. When a folder cannot be written the record
falls back to a per-user folder in the system's temporary directory.

**Guarantees.** Nothing in this module ever raises into a check, and nothing a learner
recorded is ever lost:

- *Appending* (:func:`record_check`) takes the record's lock (``progress.jsonl.lock``), writes
  one complete line with one ``write`` to a file opened for appending, ``fsync``-s and reads
  the bytes back. A short or failed write (a full disk) is cut back to the previous length, so
  the record always ends with a whole line, and the check says in one line that its verdict
  was not saved (it never claims otherwise). A half line left by an older version or a crash
  is never glued to a new one.
- *Reading* (:func:`read_record`) never writes. Damaged lines (not JSON) are skipped and
  counted; JSON lines it does not understand (a newer gdcourse's) are kept in the file; entries
  with a status it does not know are returned as they are.
- *Repairing* (:func:`repair_record`, ``python -m gdcourse progress --repair``) runs under the
  same lock as appends, so no check recorded meanwhile is lost: it writes a copy of the whole
  damaged file to ``progress.damaged-<time>.jsonl`` and the readable lines to a temporary
  file, verifies both, then renames the clean copy over the record in one step. The original
  stays in place until then: a kill at any instant, or a full disk, leaves the old record or
  the repaired one, never none.

The library side of the course (:mod:`gdcourse.exercises`) records through this module; the
report (``gdcourse.progress()``) lives in :mod:`gdcourse.exercises.progress` and reads through it;
the machinery (:mod:`gdcourse.commands`) only wraps it in ``python -m gdcourse progress``.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from gdcourse._files import link_or_rename, unused_path, user_folder, verified_temporary

PROGRESS_ENV = "GDCOURSE_PROGRESS_DIR"
RECORD_NAME = "progress.jsonl"
#: The statuses this version writes; a record may hold others (from a newer version).
STATUSES = ("pass", "fail", "error", "unattempted")
#: How long an append or a repair waits for another process holding the record's lock.
LOCK_SECONDS = 10.0
_FIELDS = ("notebook", "exercise", "status", "time")
_TEMP_PREFIX = ".progress."

_warned: set[str] = set()


def _step(name: str) -> None:
    """Called between the steps of a repair (the tests pause here to kill the process)."""


# ------------------------------------------------------------------------------- where
def user_data_dir() -> Path:
    """The per-user data folder of the course (it may not exist yet)."""
    return user_folder("data")


def _fallback_dir() -> Path:
    try:
        user = os.getlogin()
    except OSError:
        user = str(os.getuid()) if hasattr(os, "getuid") else "user"
    return Path(tempfile.gettempdir()) / f"gdcourse-progress-{user}"


def _named_dir(value: str) -> tuple[Path | None, str | None]:
    """``GDCOURSE_PROGRESS_DIR`` as a folder (relative: from the home folder), or a note."""
    text = value.strip()
    try:
        path = Path(text).expanduser()
        if not path.is_absolute():
            path = Path.home() / path
    except RuntimeError:  # "~nosuchuser/x", or no home folder at all
        head = text.split("/", 1)[0].split("\\", 1)[0]
        who = f"the home folder of an unknown user ({head[1:]!r})" if head[1:] else "a home folder"
        return None, (
            f"{PROGRESS_ENV}={text!r} names {who}; recording in the default folder instead "
            f"(set {PROGRESS_ENV} to an absolute path to choose another)"
        )
    return path, None


def record_folders() -> tuple[list[Path], list[str]]:
    """Folders that may hold the record, preferred first, and notes about the choice.

    The named (or default) folder, then the temporary fallback used when the first cannot be
    written. A ``GDCOURSE_PROGRESS_DIR`` that cannot be resolved gives a note, not an error.
    """
    named = os.environ.get(PROGRESS_ENV, "").strip()
    first, note = _named_dir(named) if named else (None, None)
    return [first or user_data_dir(), _fallback_dir()], [note] if note else []


def record_dirs() -> list[Path]:
    """The folders of :func:`record_folders`, without its notes."""
    return record_folders()[0]


def _note_once(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        print(message, file=sys.stderr)


# ------------------------------------------------------------------------------ append
def _lock(path: Path) -> FileLock:
    return FileLock(str(path) + ".lock", timeout=LOCK_SECONDS)


def append_line(path: Path, line: bytes) -> None:
    """Append ``line`` (one complete line, ending in ``\\n``) to ``path``, whole or not at all.

    Under the record's lock: one ``write`` with ``O_APPEND``, ``fsync``, read back. On a short
    or failed write the file is truncated back to its previous length and ``OSError`` raised.
    """
    if not line.endswith(b"\n") or b"\n" in line[:-1]:
        raise ValueError(f"`line` must be one line ending in a newline. Received: line={line!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    with _lock(path):
        flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)
        fd = os.open(path, flags, 0o666)
        try:
            before = os.fstat(fd).st_size
            data = line
            if before and _read_at(fd, 1, before - 1) != b"\n":
                data = b"\n" + line  # never glue a new line to a half line already there
            try:
                written = os.write(fd, data)
                if written != len(data):
                    raise OSError(
                        errno.ENOSPC,
                        f"No space left on device (only {written} of {len(data)} bytes written)",
                    )
                os.fsync(fd)
                if _read_at(fd, len(data), before) != data:
                    raise OSError(errno.EIO, "the line read back differs from the line written")
            except OSError:
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, before)  # the record ends with a whole line again
                raise
        finally:
            os.close(fd)


def _read_at(fd: int, size: int, offset: int) -> bytes:
    """``size`` bytes of ``fd`` from ``offset`` (``os.pread`` where there is one)."""
    if hasattr(os, "pread"):
        return os.pread(fd, size, offset)
    os.lseek(fd, offset, os.SEEK_SET)  # appends still go to the end (O_APPEND)
    return os.read(fd, size)


def _entry_line(notebook: str, exercise: str, status: str, when: float | None) -> bytes:
    entry = {
        "notebook": str(notebook).removeprefix("nb"),
        "exercise": str(exercise),
        "status": str(status),
        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(when)),
    }
    return (json.dumps(entry) + "\n").encode("utf-8")


def record_check(
    notebook: str, exercise: str, status: str, when: float | None = None
) -> Path | None:
    """Append one verdict to the record; return the file written, or ``None`` if none was.

    Never raises: a check must not fail because its verdict cannot be saved. When it is not
    saved, or saved somewhere else than asked, one line on stderr says so (once per cause).
    """
    try:
        line = _entry_line(notebook, exercise, status, when)
        folders, notes = record_folders()
    except Exception as error:  # saving must never fail a check
        _note_once(f"(progress not saved: {type(error).__name__}: {error})")
        return None
    for note in notes:
        _note_once(f"(progress: {note})")
    errors = []
    for folder in folders:
        path = folder / RECORD_NAME
        try:
            append_line(path, line)
        except Timeout:
            errors.append(f"{path}: another process held its lock for {LOCK_SECONDS:g} s")
            continue
        except (OSError, ValueError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else error
            errors.append(f"{path}: {reason}")
            continue
        except Exception as error:  # noqa: BLE001  (saving must never fail a check)
            errors.append(f"{path}: {type(error).__name__}: {error}")
            continue
        if errors:
            _note_once(f"(progress saved in {path}; {errors[0]})")
        return path
    _note_once("(progress not saved: " + "; ".join(errors) + ")")
    return None


# -------------------------------------------------------------------------------- read
@dataclass
class Record:
    """The checks read from the record files, and what was found that they do not show."""

    entries: list[dict[str, str]] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    damaged: int = 0  # lines that are not JSON (a half line, garbage): skipped
    unknown: int = 0  # JSON lines of another shape (a newer version's): kept, not shown


def _is_entry(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(value.get(k), str) for k in _FIELDS)


def _parse(line: bytes) -> Any:
    """The JSON value of one line, or ``None`` when the line is damaged."""
    try:
        value = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _lines(raw: bytes) -> Iterator[bytes]:
    for line in raw.splitlines(keepends=True):
        if line.strip():
            yield line


def read_record(folders: Iterable[Path] | None = None) -> Record:
    """Every check in the record files. Never writes, never raises on a damaged file.

    Damaged lines are skipped and counted (:func:`repair_record` sets them aside); lines of a
    shape this version does not know are left in the file and counted; entries with a status
    it does not know are returned as they are.
    """
    record = Record()
    if folders is None:
        folders, notes = record_folders()
        record.problems.extend(notes)
    seen: set[Path] = set()
    for folder in folders:
        path = Path(folder) / RECORD_NAME
        try:
            key = path.resolve()
            if key in seen or not path.is_file():
                continue
            seen.add(key)
            raw = path.read_bytes()
        except (OSError, RuntimeError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else error
            record.problems.append(f"{path}: cannot be read ({reason})")
            continue
        record.files.append(path)
        damaged = unknown = 0
        for line in _lines(raw):
            value = _parse(line)
            if value is None:
                damaged += 1
            elif _is_entry(value):
                record.entries.append({k: value[k] for k in _FIELDS})
            else:
                unknown += 1
        record.damaged += damaged
        record.unknown += unknown
        if damaged:
            record.problems.append(
                f"{path}: {damaged} damaged line(s) skipped; the file is unchanged "
                "(python -m gdcourse progress --repair sets them aside)"
            )
        if unknown:
            record.problems.append(
                f"{path}: {unknown} line(s) from another version of gdcourse kept, not shown"
            )
    record.entries.sort(key=lambda e: e["time"])
    return record


# ------------------------------------------------------------------------------ repair
def _write_verified(path: Path, data: bytes, *, replace: bool) -> None:
    """Write ``data`` to a verified temporary file beside ``path``, then rename it to ``path``
    (``replace=False``: only if ``path`` does not exist). On any failure the temporary file
    is removed and ``path`` is as it was."""
    with verified_temporary(path.parent, data, prefix=_TEMP_PREFIX) as tmp:
        with contextlib.suppress(OSError):
            os.chmod(tmp, (path if path.exists() else path.parent).stat().st_mode & 0o666)
        _step(f"renaming to {path.name}")
        if replace:
            os.replace(tmp, path)
        else:
            link_or_rename(tmp, path)
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _aside_path(path: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    return unused_path(path.parent, lambda n: f"progress.damaged-{stamp}{n}.jsonl")


def repair_record(folder: Path) -> str | None:
    """Set the damaged lines of ``folder``'s record aside; return what was done, or ``None``
    when the record is sound (or absent). Raises ``OSError`` (the record unchanged) when the
    repair cannot be completed, e.g. on a full disk.

    Lines this version does not understand but which are JSON are kept. The whole damaged
    file is kept as ``progress.damaged-<time>.jsonl``.
    """
    path = Path(folder) / RECORD_NAME
    if not path.is_file():
        return None
    with _lock(path):
        _step("locked")
        for stale in path.parent.glob(f"{_TEMP_PREFIX}*.tmp"):  # a killed repair's, ours
            stale.unlink(missing_ok=True)
        raw = path.read_bytes()
        good = [
            line if line.endswith(b"\n") else line + b"\n"
            for line in _lines(raw)
            if _parse(line) is not None
        ]
        damaged = sum(1 for _ in _lines(raw)) - len(good)
        if not damaged:
            return None
        aside = _aside_path(path)
        _write_verified(aside, raw, replace=False)
        _step("aside-written")
        try:
            _write_verified(path, b"".join(good), replace=True)
        except BaseException:
            aside.unlink(missing_ok=True)  # the record is unchanged: the copy is not needed
            raise
        _step("replaced")
    return f"{path}: {damaged} damaged line(s) set aside in {aside.name}; {len(good)} line(s) kept"


def repair_records(folders: Iterable[Path] | None = None) -> list[str]:
    """:func:`repair_record` for every record folder; what was done, or why it could not be
    (never raises: the record is unchanged when a repair fails)."""
    lines = []
    for folder in folders if folders is not None else record_dirs():
        try:
            done = repair_record(folder)
        except Timeout:
            done = f"{folder / RECORD_NAME}: busy (another process held its lock); not repaired"
        except OSError as error:
            done = (
                f"{folder / RECORD_NAME}: could not be repaired ({error.strerror or error}); "
                "it is unchanged"
            )
        if done:
            lines.append(done)
    return lines
