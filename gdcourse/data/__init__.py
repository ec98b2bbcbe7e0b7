"""Real datasets for the course, with a download cache and an offline mirror.

    >>> from gdcourse.data import load_housing, load_prices
    >>> housing = load_housing()                 # 20,640 x 9, sklearn's columns
    >>> aapl = load_prices("AAPL", "2018-01-01", "2023-01-01")   # 1,259 trading days

Each loader goes through one cascade (:mod:`gdcourse.data.cascade`): the cache folder
(``GDCOURSE_DATA``), the read-only mirror folder (``GDCOURSE_MIRROR``), then the network,
bounded in time. When all fail it raises one :class:`DataUnavailableError` listing what it
tried and how to fix it.
"""

from __future__ import annotations

from gdcourse.data._errors import DataUnavailableError
from gdcourse.data._network import SettingError
from gdcourse.data._paths import DATA_ENV, MIRROR_ENV, data_dir, mirror_dir
from gdcourse.data.cascade import Dataset, DatasetSource
from gdcourse.data.housing import FEATURES, TARGET, load_housing, split_features
from gdcourse.data.prices import load_prices
from gdcourse.data.sources import course_datasets, setting_problems, where_from

__all__ = [
    "DATA_ENV",
    "FEATURES",
    "MIRROR_ENV",
    "TARGET",
    "DataUnavailableError",
    "Dataset",
    "DatasetSource",
    "SettingError",
    "course_datasets",
    "data_dir",
    "load_housing",
    "load_prices",
    "mirror_dir",
    "setting_problems",
    "split_features",
    "where_from",
]
