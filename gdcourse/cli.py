"""The command line: ``python -m gdcourse {doctor,data,run,progress,solutions,reset}``."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path


def _notebooks_dir() -> Path:
    from gdcourse.data._paths import _checkout_root

    root = _checkout_root()
    return root / "notebooks" if root is not None else Path.cwd() / "notebooks"


def resolve_notebooks(names: Sequence[str], folder: Path) -> list[Path]:
    """Notebook paths for ``names`` (paths, file names, stems or number prefixes like ``03``).

    With no names, every ``*.ipynb`` in ``folder`` in name order (the course order).
    """
    available = sorted(folder.glob("[0-9][0-9]_*.ipynb")) if folder.is_dir() else []
    if not names:
        if not available:
            raise ValueError(f"no notebooks (NN_name.ipynb) found in {folder}")
        return available
    chosen = []
    for name in names:
        path = Path(name)
        if path.suffix == ".ipynb" and path.is_file():
            chosen.append(path.resolve())
            continue
        matches = [p for p in available if p.stem == name or p.name == name]
        matches = matches or [p for p in available if p.name.startswith(name)]
        if len(matches) != 1:
            listed = ", ".join(p.stem for p in available) or "none"
            raise ValueError(f"`{name}` names {len(matches)} notebooks; available: {listed}")
        chosen.append(matches[0])
    return chosen


def cmd_doctor(args: argparse.Namespace) -> int:
    from gdcourse.doctor import diagnose

    report = diagnose(check_device=not args.no_device)
    print(report)
    return 1 if report.problems else 0


def cmd_data(args: argparse.Namespace) -> int:
    from gdcourse.data import DataUnavailableError, data_dir, load_housing, load_prices
    from gdcourse.data.sources import COURSE_PRICES

    print(f"Cache folder: {data_dir()}")
    failures = 0
    jobs = [
        ("California housing", load_housing),
        ("{} prices {}..{}".format(*COURSE_PRICES), lambda: load_prices(*COURSE_PRICES)),
    ]
    for label, load in jobs:
        started = time.perf_counter()
        try:
            frame = load()
        except DataUnavailableError as error:
            failures += 1
            print(f"FAILED {label}\n{error}", file=sys.stderr)
            continue
        took = time.perf_counter() - started
        source = frame.attrs.get("source", "?")
        print(f"{label:<34} {len(frame):>6} rows  from {source:<7} ({took:.1f} s), verified")
    return 1 if failures else 0


def cmd_run(args: argparse.Namespace) -> int:
    from gdcourse.runner import ProgressBar, format_table, run_notebooks

    try:
        paths = resolve_notebooks(args.notebooks, Path(args.dir) if args.dir else _notebooks_dir())
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    output = Path(args.output)
    print(f"Running {len(paths)} notebook(s), each in a fresh kernel; executed copies in {output}/")
    results = run_notebooks(
        paths,
        output_dir=output,
        inplace=args.inplace,
        timeout=args.timeout,
        progress=None if args.quiet else ProgressBar(),
    )
    print()
    print(format_table(results))
    failed = [r for r in results if not r.ok]
    for r in failed:
        print(f"FAILED {r.notebook}, {r.error}", file=sys.stderr)
    return 1 if failed else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m gdcourse",
        description="Gradient descent in TensorFlow/Keras: the course's command line.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    doctor = sub.add_parser("doctor", help="check versions, device and data sources")
    doctor.add_argument("--no-device", action="store_true", help="skip starting TensorFlow")
    doctor.set_defaults(func=cmd_doctor)

    data = sub.add_parser("data", help="fetch and verify every dataset into the cache")
    data.set_defaults(func=cmd_data)

    run = sub.add_parser("run", help="execute notebooks headless, in order, each in a fresh kernel")
    run.add_argument("notebooks", nargs="*", help="names, prefixes (03) or paths; default: all")
    run.add_argument("--inplace", action="store_true", help="refresh the committed copies")
    run.add_argument("--output", default="build", help="folder for executed copies (build)")
    run.add_argument("--dir", default=None, help="notebook folder (default: the course's)")
    run.add_argument("--timeout", type=int, default=600, help="seconds per cell (600)")
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    run.set_defaults(func=cmd_run)

    from gdcourse.kit.cli import add_commands  # progress, solutions, reset

    add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
