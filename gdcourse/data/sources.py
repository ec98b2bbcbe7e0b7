"""Where each course dataset would come from, without downloading anything."""

from __future__ import annotations

from dataclasses import dataclass

from gdcourse.data import housing, prices
from gdcourse.data._cache import verified_path
from gdcourse.data._paths import data_dir, mirror_dir

#: The price window the course uses (notebook 09).
COURSE_PRICES = ("AAPL", "2018-01-01", "2023-01-01")


@dataclass(frozen=True)
class DatasetSource:
    """One dataset and the first source that would answer for it."""

    dataset: str
    source: str  # "cache", "mirror" or "network"
    location: str

    def __str__(self) -> str:
        return f"{self.dataset:<34} {self.source:<8} {self.location}"


def where_from() -> list[DatasetSource]:
    """For each course dataset: cache if a verified copy exists, else mirror, else network."""
    folder, mirror = data_dir(), mirror_dir()
    ticker, start, end = prices.check_window(*COURSE_PRICES)
    candidates = [
        ("California housing", housing.CACHE_NAME, housing.MIRROR_NAME, "scikit-learn download"),
        (
            f"{ticker} prices {start.date()}..{end.date()}",
            prices._cache_name(ticker, start, end),
            f"{ticker}.csv",
            "yfinance download",
        ),
    ]
    found = []
    for dataset, cache_name, mirror_name, network in candidates:
        if verified_path(folder, cache_name) is not None:
            found.append(DatasetSource(dataset, "cache", str(folder / cache_name)))
        elif mirror is not None and (mirror / mirror_name).is_file():
            found.append(DatasetSource(dataset, "mirror", str(mirror / mirror_name)))
        else:
            found.append(DatasetSource(dataset, "network", network))
    return found
