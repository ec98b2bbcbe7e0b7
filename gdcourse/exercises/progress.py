"""``gdcourse.progress()``: where a learner stands (``python -m gdcourse progress`` prints it).

Every exercise check appends its verdict to a small local record (see
:mod:`gdcourse.exercises.record`: where it lives, and why no check is ever lost). This module
reads it, never writes it (``python -m gdcourse progress --repair``, in
:mod:`gdcourse.commands.progress`, is the one exception, and it keeps every readable line),
and joins it with the published exercises into a table.

An exercise counts as *passed* once any check passed, *attempted* when checked with a wrong
answer or an error but never passed, and *not yet* otherwise (running a cell that still holds
``____`` is not an attempt). Entries with a status this version does not know (a newer
gdcourse's) count as checks but change no state. Nothing is ever sent anywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gdcourse.exercises import all_exercise_sets, exercises_in
from gdcourse.exercises.record import (
    PROGRESS_ENV,
    RECORD_NAME,
    Record,
    read_record,
    record_dirs,
)

__all__ = [
    "PROGRESS_ENV",
    "RECORD_NAME",
    "ExerciseProgress",
    "ProgressReport",
    "build_report",
    "catalogue",
    "progress",
    "read_record",
    "record_dirs",
]


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
