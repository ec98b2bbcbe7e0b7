"""``python -m gdcourse site``: build the course website into ``build/site``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gdcourse.site.build import SiteBuildError, build_site


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output", default=None, help="folder for the site (build/site)")


def command(args: argparse.Namespace) -> int:
    try:
        report = build_site(out_dir=Path(args.output) if args.output else None)
    except (SiteBuildError, ImportError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(report)
    return 0
