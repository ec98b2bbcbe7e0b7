"""The one error a loader raises when every source failed, listing what it tried."""

from __future__ import annotations


class DataUnavailableError(RuntimeError):
    """Every source of a dataset failed. ``attempts`` lists ``(source, what happened)``."""

    def __init__(self, dataset: str, attempts: list[tuple[str, str]], mirror_file: str) -> None:
        self.dataset = dataset
        self.attempts = list(attempts)
        lines = [f"Could not load {dataset}. Tried, in order:"]
        lines += [f"  {i}. {source}: {outcome}" for i, (source, outcome) in enumerate(attempts, 1)]
        lines += [
            "How to fix it: connect to the internet and run again, or set GDCOURSE_MIRROR to a",
            f"folder that holds {mirror_file} or a copy of a filled data/ folder (an",
            "instructor's USB stick, see README.md 'Offline and workshops'; ../shared/data in CI).",
            "`python -m gdcourse doctor` shows where each dataset would come from.",
        ]
        super().__init__("\n".join(lines))


def describe(error: BaseException) -> str:
    """One line for an attempt that failed: the exception's type and its first line."""
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0] if lines else ''}".rstrip(": ")
