"""``python -m gdcourse site``: build the course website into ``build/site`` (``--pdf``: and
the whole course as ``build/course.pdf``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gdcourse.commands.site.build import SiteBuildError, build_site


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output", default=None, help="folder for the site (build/site)")
    parser.add_argument(
        "--pdf", action="store_true",
        help="also print the course to build/course.pdf (Chromium: .ci/browser-deps.sh)",
    )  # fmt: skip


def command(args: argparse.Namespace) -> int:
    try:
        report = build_site(out_dir=Path(args.output) if args.output else None)
    except (SiteBuildError, ImportError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(report)
    if getattr(args, "pdf", False):
        from gdcourse.commands.site.pdf import PdfBuildError, build_pdf

        target = report.out_dir.parent / "course.pdf"
        try:
            print(build_pdf(report.out_dir, target))
        except PdfBuildError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
    return 0
