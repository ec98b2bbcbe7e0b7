"""A learner's progress: every exercise check, recorded locally, shown as a table.

The record is a JSON Lines file ``progress.jsonl``, one line per check::

    {"notebook": "03", "exercise": "q2", "status": "fail", "time": "2026-12-02T02:15:09Z"}

It lives in the user's data folder (``~/.local/share/gdcourse`` on Linux,
``~/Library/Application Support/gdcourse`` on macOS, ``%APPDATA%\\gdcourse`` on Windows), or in
the folder named by ``GDCOURSE_PROGRESS_DIR``. When that folder cannot be written (a read-only
home, a locked-down lab machine) the record falls back to a per-user folder in the system's
temporary directory, and when nothing can be written the check still works and says once that
its verdict was not saved. Each check is one ``write`` of one short line to a file opened for
appending, so concurrent kernels do not interleave lines. Reading never fails on a damaged
record: unreadable lines are moved, with the whole file, to ``progress.corrupt-<time>.jsonl``
beside it (reported), and the readable entries are kept. Nothing is ever sent anywhere.

An exercise counts as *passed* once any check passed, *attempted* when checked with a wrong
answer or an error but never passed, and *not yet* otherwise (running a cell that still holds
``____`` is not an attempt).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gdcourse._files import user_folder

PROGRESS_ENV = "GDCOURSE_PROGRESS_DIR"
RECORD_NAME = "progress.jsonl"
STATUSES = ("pass", "fail", "error", "unattempted")

_warned: set[str] = set()


def user_data_dir() -> Path:
    """The per-user data folder of the course (it may not exist yet)."""
    return user_folder("data")


def _fallback_dir() -> Path:
    try:
        user = os.getlogin()
    except OSError:
        user = str(os.getuid()) if hasattr(os, "getuid") else "user"
    return Path(tempfile.gettempdir()) / f"gdcourse-progress-{user}"


def record_dirs() -> list[Path]:
    """Folders that may hold the record, preferred first: the named (or user) folder, then the
    temporary fallback used when the first cannot be written."""
    named = os.environ.get(PROGRESS_ENV, "").strip()
    first = Path(named).expanduser() if named else user_data_dir()
    return [first, _fallback_dir()]


def _note_once(key: str, message: str) -> None:
    if key not in _warned:
        _warned.add(key)
        print(message, file=sys.stderr)


def record_check(
    notebook: str, exercise: str, status: str, when: float | None = None
) -> Path | None:
    """Append one verdict to the record; return the file written, or ``None`` if none could be.

    Never raises: a check must not fail because its verdict cannot be saved.
    """
    entry = {
        "notebook": str(notebook).removeprefix("nb"),
        "exercise": str(exercise),
        "status": str(status),
        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(when)),
    }
    line = (json.dumps(entry) + "\n").encode("utf-8")
    errors = []
    for folder in record_dirs():
        path = folder / RECORD_NAME
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, line)  # one write of one short line: appends stay whole
            finally:
                os.close(fd)
        except OSError as error:
            errors.append(f"{path}: {error.strerror or error}")
            continue
        if errors:
            _note_once(f"fallback:{path}", f"(progress saved in {path}; {errors[0]})")
        return path
    _note_once("none", "(progress not saved: " + "; ".join(errors) + ")")
    return None


@dataclass
class Record:
    """The checks read from the record files, and what went wrong reading them."""

    entries: list[dict[str, str]] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _valid(entry: Any) -> bool:
    return (
        isinstance(entry, dict)
        and all(isinstance(entry.get(k), str) for k in ("notebook", "exercise", "status", "time"))
        and entry["status"] in STATUSES
    )


def _set_aside(path: Path, good: list[bytes], bad: int) -> str:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"progress.corrupt-{stamp}.jsonl")
    n = 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"progress.corrupt-{stamp}-{n}.jsonl")
    try:
        os.replace(path, aside)
        fd, tmp = tempfile.mkstemp(prefix=".progress.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(b"".join(good))
        os.replace(tmp, path)
    except OSError as error:
        return (
            f"{path}: {bad} unreadable line(s) skipped; could not set the file aside "
            f"({error.strerror or error})"
        )
    return (
        f"{path}: {bad} unreadable line(s); the damaged file was set aside as {aside.name} "
        f"and its {len(good)} readable entries kept"
    )


def read_record(folders: Iterable[Path] | None = None) -> Record:
    """Every check in the record files; damaged lines are reported and set aside, never raised."""
    record = Record()
    seen: set[Path] = set()
    for folder in folders if folders is not None else record_dirs():
        path = Path(folder) / RECORD_NAME
        key = path.resolve() if path.exists() else path
        if key in seen or not path.exists():
            continue
        seen.add(key)
        try:
            raw = path.read_bytes()
        except OSError as error:
            record.problems.append(f"{path}: cannot be read ({error.strerror or error})")
            continue
        record.files.append(path)
        good, bad = [], 0
        for line in raw.splitlines(keepends=True):
            if not line.strip():
                continue
            try:
                entry = json.loads(line.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                entry = None
            if _valid(entry):
                record.entries.append(entry)
                good.append(line if line.endswith(b"\n") else line + b"\n")
            else:
                bad += 1
        if bad:
            record.problems.append(_set_aside(path, good, bad))
    record.entries.sort(key=lambda e: e["time"])
    return record


@dataclass(frozen=True)
class ExerciseProgress:
    notebook: str
    exercise: str
    title: str
    state: str  # "passed", "attempted" or "not yet"
    checks: int
    last: str | None


@dataclass
class ProgressReport:
    """Every notebook's exercises and where the learner stands; prints as a table."""

    exercises: list[ExerciseProgress]
    files: list[Path]
    problems: list[str]

    def totals(self, notebook: str | None = None) -> dict[str, int]:
        rows = [e for e in self.exercises if notebook is None or e.notebook == notebook]
        out = {"passed": 0, "attempted": 0, "not yet": 0}
        for row in rows:
            out[row.state] += 1
        out["total"] = len(rows)
        return out

    def notebooks(self) -> list[str]:
        return sorted({e.notebook for e in self.exercises})

    def as_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return {
            "record": [str(p) for p in self.files],
            "problems": list(self.problems),
            "notebooks": [
                {
                    "notebook": nb,
                    **{k.replace(" ", "_"): v for k, v in self.totals(nb).items()},
                    "exercises": [
                        {
                            "exercise": e.exercise,
                            "title": e.title,
                            "state": e.state,
                            "checks": e.checks,
                            "last_check": e.last,
                        }
                        for e in self.exercises
                        if e.notebook == nb
                    ],
                }
                for nb in self.notebooks()
            ],
            "totals": {k.replace(" ", "_"): v for k, v in self.totals().items()},
        }

    def _rows(self, sep: str = "") -> list[tuple[str, dict[str, int], str]]:
        """``(notebook, its totals, "q1✓ q2·...")`` per notebook; ``sep`` goes before marks."""
        mark = {"passed": "✓", "attempted": "✗", "not yet": "·"}
        return [
            (
                nb,
                self.totals(nb),
                " ".join(
                    f"{e.exercise}{sep}{mark[e.state]}" for e in self.exercises if e.notebook == nb
                ),
            )
            for nb in self.notebooks()
        ]

    def __str__(self) -> str:
        lines = [f"{'notebook':<9} {'passed':>6} {'attempted':>9} {'not yet':>7}  exercises"]
        for nb, t, marks in self._rows():
            lines.append(f"{nb:<9} {t['passed']:>6} {t['attempted']:>9} {t['not yet']:>7}  {marks}")
        t = self.totals()
        lines.append(f"{'total':<9} {t['passed']:>6} {t['attempted']:>9} {t['not yet']:>7}  "
                     f"of {t['total']} exercises")  # fmt: skip
        lines.append("✓ passed  ✗ attempted, not passed yet  · not yet")
        where = ", ".join(str(p) for p in self.files) or "no checks recorded yet"
        lines.append(f"record: {where} (kept on this computer only)")
        lines.extend(f"note: {p}" for p in self.problems)
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_markdown_(self) -> str:
        rows = ["| notebook | passed | attempted | not yet | exercises |", "|---|---|---|---|---|"]
        for nb, t, marks in self._rows(sep=" "):
            rows.append(f"| {nb} | {t['passed']} | {t['attempted']} | {t['not yet']} | {marks} |")
        t = self.totals()
        rows.append(
            f"| **total** | **{t['passed']}** | **{t['attempted']}** | **{t['not yet']}** "
            f"| of {t['total']} |"
        )
        notes = [f"\n\n*Note: {p}*" for p in self.problems]
        return "\n".join(rows) + "\n\n✓ passed, ✗ attempted, · not yet" + "".join(notes)


def build_report(catalogue: Sequence[tuple[str, str, str]], record: Record) -> ProgressReport:
    """Join ``catalogue`` (``(notebook, exercise, title)`` for every published exercise) with
    the recorded checks."""
    by_key: dict[tuple[str, str], list[dict[str, str]]] = {}
    for entry in record.entries:
        by_key.setdefault((entry["notebook"], entry["exercise"]), []).append(entry)
    rows = []
    for notebook, exercise, title in catalogue:
        checks = by_key.get((notebook, exercise), [])
        statuses = {c["status"] for c in checks}
        if "pass" in statuses:
            state = "passed"
        elif statuses & {"fail", "error"}:
            state = "attempted"
        else:
            state = "not yet"
        tried = [c for c in checks if c["status"] != "unattempted"]
        last = max((c["time"] for c in tried), default=None)
        rows.append(ExerciseProgress(notebook, exercise, title, state, len(tried), last))
    return ProgressReport(rows, record.files, record.problems)


def catalogue() -> list[tuple[str, str, str]]:
    """``(notebook, exercise, title)`` for every exercise of every notebook's set."""
    from gdcourse.exercises import all_exercise_sets, exercises_in

    out = []
    for name, module in all_exercise_sets().items():
        for exercise, ex in exercises_in(module).items():
            out.append((name.removeprefix("nb"), exercise, ex.title))
    return out


def progress() -> ProgressReport:
    """Where you stand: every notebook's exercises, passed / attempted / not yet.

    In a notebook, end a cell with ``gdcourse.progress()`` to see the table; in a terminal,
    ``python -m gdcourse progress`` (``--json`` for plain data). Nothing leaves this computer.
    """
    return build_report(catalogue(), read_record())


# ``python -m gdcourse progress`` (registered in gdcourse.cli.COMMANDS)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="plain data, for instructors")


def command(args: argparse.Namespace) -> int:
    from gdcourse.kit.progress import progress

    report = progress()
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
    else:
        print(report)
    return 0
