"""California housing (Pace & Barry, 1997): 20,640 block groups of the 1990 census.

``load_housing()`` returns exactly the frame scikit-learn's ``fetch_california_housing``
builds: eight features and the target ``MedHouseVal`` in units of $100,000. From the raw
StatLib columns (longitude, latitude, housingMedianAge, totalRooms, totalBedrooms, population,
households, medianIncome, medianHouseValue) scikit-learn derives

    AveRooms  = totalRooms / households        AveBedrms = totalBedrooms / households
    AveOccup  = population / households        MedHouseVal = medianHouseValue / 100000

and keeps MedInc, HouseAge, Population, Latitude and Longitude as they are.
"""

from __future__ import annotations

import inspect
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from gdcourse.data._cache import read_csv_exact
from gdcourse.data.cascade import Dataset, load

FEATURES: tuple[str, ...] = (
    "MedInc",
    "HouseAge",
    "AveRooms",
    "AveBedrms",
    "Population",
    "AveOccup",
    "Latitude",
    "Longitude",
)
TARGET = "MedHouseVal"
CACHE_NAME = "california_housing.csv"
MIRROR_NAME = "cal_housing.data"
N_ROWS = 20640


def from_statlib(raw: np.ndarray) -> pd.DataFrame:
    """Derive scikit-learn's features from the raw StatLib array of shape (n, 9)."""
    if raw.ndim != 2 or raw.shape[1] != 9:
        raise ValueError(f"expected the raw StatLib array of shape (n, 9), got {raw.shape}")
    longitude, latitude, age, rooms, bedrooms, population, households, income, value = raw.T
    return pd.DataFrame(
        {
            "MedInc": income,
            "HouseAge": age,
            "AveRooms": rooms / households,
            "AveBedrms": bedrooms / households,
            "Population": population,
            "AveOccup": population / households,
            "Latitude": latitude,
            "Longitude": longitude,
            TARGET: value / 100000.0,
        }
    )


def parse_statlib_file(path: Path) -> pd.DataFrame:
    """Parse the raw ``cal_housing.data`` file (comma-separated, no header)."""
    return from_statlib(np.loadtxt(path, delimiter=","))


def _validate(frame: pd.DataFrame) -> pd.DataFrame:
    expected = [*FEATURES, TARGET]
    if list(frame.columns) != expected:
        raise ValueError(f"columns {list(frame.columns)} are not {expected}")
    if len(frame) != N_ROWS:
        raise ValueError(f"{len(frame)} rows, expected {N_ROWS}")
    if frame.isna().any().any():
        raise ValueError("missing values")
    return frame.astype("float64").reset_index(drop=True)


def _read_cache(path: Path) -> pd.DataFrame:
    frame = read_csv_exact(path, index_col=0)
    frame.index.name = None
    return _validate(frame)


def _read_mirror(path: Path) -> pd.DataFrame:
    return _validate(parse_statlib_file(path))


def _download(timeout: float) -> pd.DataFrame:
    """scikit-learn's fetcher into a private temporary folder; runs in a worker thread."""
    from sklearn.datasets import fetch_california_housing

    options: dict[str, Any] = {"data_home": None, "as_frame": True}
    if "n_retries" in inspect.signature(fetch_california_housing).parameters:
        options.update(n_retries=1, delay=0.1)  # its least; the caller bounds the whole
    with tempfile.TemporaryDirectory(prefix="gdcourse-sklearn-") as home:
        options["data_home"] = home
        bunch = fetch_california_housing(**options)
        return _validate(bunch.frame.copy())


HOUSING = Dataset(
    label="California housing",
    cache_name=CACHE_NAME,
    mirror_name=MIRROR_NAME,
    read_cache=_read_cache,
    read_mirror=_read_mirror,
    download=_download,
    network="sklearn fetch_california_housing",
    chatter=("sklearn.datasets._california_housing", "sklearn.datasets._base"),
    quiet_warnings=(r"Retry downloading from url",),
)


def load_housing() -> pd.DataFrame:
    """The California housing frame: 20,640 rows, 8 features and ``MedHouseVal`` ($100k).

    Sources, in order: the cache (``GDCOURSE_DATA``), the mirror (``GDCOURSE_MIRROR``: the raw
    ``cal_housing.data``, or a copied cache folder), then
    ``sklearn.datasets.fetch_california_housing`` (bounded by ``GDCOURSE_NETWORK_TIMEOUT``
    seconds). What came from the mirror or the network is cached. ``frame.attrs["source"]``
    says which source answered: "cache", "mirror" or "network".

    Raises:
        DataUnavailableError: every source failed; the message lists each and how to fix it.
        ValueError: ``GDCOURSE_NETWORK_TIMEOUT`` is not a usable number and the network was
            needed.
    """
    return load(HOUSING)


def split_features(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """``(X, y)``: the eight feature columns and the ``MedHouseVal`` target."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(
            f"`frame` must be the DataFrame load_housing() returns. Received: {type(frame)}"
        )
    missing = [c for c in (*FEATURES, TARGET) if c not in frame.columns]
    if missing:
        raise ValueError(
            f"`frame` lacks the column(s) {missing}; pass the frame load_housing() returns"
        )
    return frame[list(FEATURES)], frame[TARGET]
