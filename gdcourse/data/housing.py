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

import tempfile
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from gdcourse.data._cache import keep, read_csv_exact, verified_path
from gdcourse.data._errors import DataUnavailableError, describe
from gdcourse.data._network import call_with_timeout
from gdcourse.data._paths import data_dir, mirror_dir

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


def _from_cache(folder: Path) -> pd.DataFrame | None:
    path = verified_path(folder, CACHE_NAME)
    if path is None:
        return None
    frame = read_csv_exact(path, index_col=0)
    frame.index.name = None
    return _validate(frame)


def _from_network() -> pd.DataFrame:
    from sklearn.datasets import fetch_california_housing

    def download() -> pd.DataFrame:
        with (
            tempfile.TemporaryDirectory(prefix="gdcourse-sklearn-") as home,
            warnings.catch_warnings(),
        ):
            warnings.simplefilter("ignore")  # sklearn warns on each retry; we report once
            bunch = fetch_california_housing(data_home=home, as_frame=True)
            return bunch.frame.copy()

    return _validate(call_with_timeout(download))


def load_housing() -> pd.DataFrame:
    """The California housing frame: 20,640 rows, 8 features and ``MedHouseVal`` ($100k).

    Sources, in order: the cache (``GDCOURSE_DATA``), the mirror file ``cal_housing.data``
    (``GDCOURSE_MIRROR``), then ``sklearn.datasets.fetch_california_housing`` (bounded by
    ``GDCOURSE_NETWORK_TIMEOUT`` seconds). What came from the mirror or the network is cached.
    ``frame.attrs["source"]`` says which source answered: "cache", "mirror" or "network".

    Raises:
        DataUnavailableError: every source failed; the message lists each and how to fix it.
    """
    folder = data_dir()
    attempts: list[tuple[str, str]] = []

    frame = _from_cache(folder)
    if frame is not None:
        frame.attrs["source"] = "cache"
        return frame
    attempts.append((f"cache {folder / CACHE_NAME}", "not there (or failed its checksum)"))

    mirror = mirror_dir()
    if mirror is None:
        attempts.append(("mirror", "GDCOURSE_MIRROR is not set"))
    elif not (mirror / MIRROR_NAME).is_file():
        attempts.append((f"mirror {mirror / MIRROR_NAME}", "no such file"))
    else:
        try:
            frame = _validate(parse_statlib_file(mirror / MIRROR_NAME))
        except (OSError, ValueError) as error:
            attempts.append((f"mirror {mirror / MIRROR_NAME}", describe(error)))
        else:
            return keep(folder, CACHE_NAME, frame, "mirror")

    try:
        frame = _from_network()
    except Exception as error:  # any download failure becomes one clear error below
        attempts.append(("network (sklearn fetch_california_housing)", describe(error)))
        raise DataUnavailableError("California housing", attempts, MIRROR_NAME) from None
    return keep(folder, CACHE_NAME, frame, "network")


def split_features(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """``(X, y)``: the eight feature columns and the ``MedHouseVal`` target."""
    return frame[list(FEATURES)], frame[TARGET]
