"""``python -m gdcourse progress``: the learner's progress table in a terminal.

The report itself (:func:`gdcourse.exercises.progress.progress`, also ``gdcourse.progress()``)
is library code: it reads the record through :mod:`gdcourse.exercises.record`. This module is
only the command around it, with ``--json`` and ``--repair``.
"""

from __future__ import annotations

import argparse
import json

from gdcourse.exercises.progress import progress
from gdcourse.exercises.record import repair_records

__all__ = ["add_arguments", "command"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="plain data, for instructors")
    parser.add_argument(
        "--repair",
        action="store_true",
        help="set damaged lines of the record aside (a copy is kept; readable lines stay)",
    )


def command(args: argparse.Namespace) -> int:
    if args.repair:
        for line in repair_records() or ["the record has no damaged lines; nothing to repair"]:
            print(line)
    report = progress()
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
    else:
        print(report)
    return 0
