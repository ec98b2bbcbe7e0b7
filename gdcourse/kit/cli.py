"""The kit's subcommands of ``python -m gdcourse``: ``progress``, ``solutions`` and ``reset``.

``gdcourse.cli`` calls :func:`add_commands` once; everything else lives here.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def _course_notebooks() -> Path:
    """The course's notebooks folder: the checkout the package runs from, else ./notebooks."""
    root = Path(__file__).resolve().parents[2]
    if (root / "notebooks").is_dir() and (root / "pyproject.toml").is_file():
        return root / "notebooks"
    return Path.cwd() / "notebooks"


def cmd_progress(args: argparse.Namespace) -> int:
    from gdcourse.kit.progress import progress

    report = progress()
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
    else:
        print(report)
    return 0


def cmd_solutions(args: argparse.Namespace) -> int:
    from gdcourse.kit.solutions import build_solutions, notebooks_with_sets

    folder = Path(args.dir) if args.dir else _course_notebooks()
    try:
        pairs = notebooks_with_sets(folder, args.notebooks)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not pairs:
        print(f"error: no notebook with an exercise set in {folder}", file=sys.stderr)
        return 2
    output = Path(args.output)
    print(f"Answer key for {len(pairs)} notebook(s): solutions typed in, run, in {output}/")
    started = time.perf_counter()
    results = build_solutions(pairs, output, timeout=args.timeout)
    for r in results:
        state = "ok" if r.ok else "FAILED"
        print(f"{r.notebook:<38} {len(r.passed)} PASS  {r.seconds:5.1f} s  {state}")
    print(f"total {time.perf_counter() - started:.1f} s")
    failed = [(r.notebook, name, why) for r in results for name, why in r.failures]
    for notebook, name, why in failed:
        print(f"FAILED {notebook[:2]} {name}: {why}", file=sys.stderr)
    return 1 if failed else 0


def cmd_reset(args: argparse.Namespace) -> int:
    from gdcourse.kit.reset import ResetError, reset_notebook

    folder = Path(args.dir) if args.dir else _course_notebooks()
    status = 0
    for name in args.notebooks:
        try:
            for line in reset_notebook(name, folder, dry_run=args.dry_run):
                print(line)
        except ResetError as error:
            print(f"reset {name}: {error}", file=sys.stderr)
            status = 2
    return status


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Add ``progress``, ``solutions`` and ``reset`` to the ``python -m gdcourse`` parser."""
    progress = sub.add_parser("progress", help="your exercises: passed, attempted, not yet")
    progress.add_argument("--json", action="store_true", help="plain data, for instructors")
    progress.set_defaults(func=cmd_progress)

    solutions = sub.add_parser(
        "solutions", help="answer key: run every published solution in its notebook"
    )
    solutions.add_argument("notebooks", nargs="*", help="numbers like 03; default: all")
    solutions.add_argument("--output", default="build/solutions", help="(build/solutions)")
    solutions.add_argument("--dir", default=None, help="notebook folder (default: the course's)")
    solutions.add_argument("--timeout", type=int, default=120, help="seconds per cell (120)")
    solutions.set_defaults(func=cmd_solutions)

    reset = sub.add_parser("reset", help="restore notebooks as committed (a backup is kept)")
    reset.add_argument("notebooks", nargs="+", help="numbers like 03, or notebook names")
    reset.add_argument("--dry-run", action="store_true", help="say what would be done, do nothing")
    reset.add_argument("--dir", default=None, help="notebook folder (default: the course's)")
    reset.set_defaults(func=cmd_reset)
