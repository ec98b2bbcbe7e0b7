"""`python -m gdcourse data`: fetch every course dataset into the cache and verify it.

Each dataset goes through the loaders' own cascade (cache, mirror, network). A dataset counts
as ready only when a verified copy sits in the cache folder afterwards: "verified" is printed
only then, so a read-only cache, a file in its place, or a cache folder that is the mirror
makes the command fail and say why.
"""

from __future__ import annotations

import argparse
import sys
import time

from gdcourse.data._errors import DataUnavailableError
from gdcourse.data._network import SettingError
from gdcourse.data._paths import data_dir
from gdcourse.data.cascade import load
from gdcourse.data.sources import course_datasets, setting_problems


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``python -m gdcourse data`` takes no options."""


def command(args: argparse.Namespace) -> int:
    """0 when every dataset is in the cache, verified; 1 when one is not; 2 for a bad setting."""
    print(f"Cache folder: {data_dir()}")
    problems = setting_problems()
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    failures = 0
    for dataset in course_datasets():
        started = time.perf_counter()
        try:
            frame = load(dataset)
        except SettingError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        except DataUnavailableError as error:
            failures += 1
            print(f"FAILED {dataset.label}\n{error}", file=sys.stderr)
            continue
        took = time.perf_counter() - started
        source = frame.attrs.get("source", "?")
        head = f"{dataset.label:<34} {len(frame):>6} rows  from {source:<7} ({took:.1f} s)"
        if frame.attrs.get("cached"):
            print(f"{head}, verified in the cache")
        else:
            failures += 1
            print(f"{head}, NOT cached: {frame.attrs.get('not_cached', 'unknown reason')}")
    return 1 if failures else 0
