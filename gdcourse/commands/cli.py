"""The command line: ``python -m gdcourse <command>``.

Each command lives in its own module, which defines ``add_arguments(parser)`` and
``command(args) -> int`` (the exit status). Adding a command is one line in :data:`COMMANDS`.
"""

from __future__ import annotations

import argparse
import importlib
import signal
import sys
import threading
from collections.abc import Sequence

#: (name, module, one-line help), in the order ``--help`` lists them.
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("doctor", "gdcourse.commands.doctor", "check versions, device and data sources"),
    ("data", "gdcourse.commands.data", "fetch and verify every dataset into the cache"),
    (
        "run",
        "gdcourse.commands.runner",
        "execute notebooks headless, in order, each in a fresh kernel",
    ),
    (
        "site",
        "gdcourse.commands.site.command",
        "build the course website (works offline) into build/site",
    ),
    ("progress", "gdcourse.commands.progress", "your exercises: passed, attempted, not yet"),
    (
        "solutions",
        "gdcourse.commands.solutions",
        "answer key: every published solution, run and checked",
    ),
    ("reset", "gdcourse.commands.reset", "restore notebooks as committed (a backup is kept)"),
    (
        "report",
        "gdcourse.commands.report",
        "a problem report to paste into an issue (home folders as ~)",
    ),
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m gdcourse",
        description="Gradient descent in TensorFlow/Keras: the course's command line.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name, module_name, help_text in COMMANDS:
        module = importlib.import_module(module_name)
        module.add_arguments(sub.add_parser(name, help=help_text, description=help_text))
        sub.choices[name].set_defaults(func=module.command)
    return parser


def restore_ctrl_c() -> None:
    """Make Ctrl-C raise ``KeyboardInterrupt`` again, whatever the parent process did.

    A parent that ignores SIGINT passes that on to its children, and Python then installs no
    handler of its own: a Jupyter kernel ignores SIGINT, so ``!python -m gdcourse run`` in a
    notebook could not be stopped by the interrupt button or by Ctrl-C.
    """
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.default_int_handler)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    restore_ctrl_c()
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
