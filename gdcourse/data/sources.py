"""The course's datasets, and where each would come from, without downloading anything."""

from __future__ import annotations

from gdcourse.data._network import SettingError, network_timeout
from gdcourse.data._paths import (
    DATA_ENV,
    MIRROR_ENV,
    data_dir,
    data_problem,
    is_mirror,
    mirror_problem,
)
from gdcourse.data.cascade import Dataset, DatasetSource, look
from gdcourse.data.housing import HOUSING
from gdcourse.data.prices import prices_dataset

#: The price window the course uses (notebook 09).
COURSE_PRICES = ("AAPL", "2018-01-01", "2023-01-01")


def course_datasets() -> list[Dataset]:
    """Every dataset the notebooks load, in course order."""
    return [HOUSING, prices_dataset(*COURSE_PRICES)]


def where_from() -> list[DatasetSource]:
    """For each course dataset, the first source that would answer: cache, mirror or network.

    It reads and checks local files the way the loaders do, and changes nothing on disk.
    """
    return [look(dataset) for dataset in course_datasets()]


def setting_problems() -> list[str]:
    """What is wrong with the data settings (mirror, cache, network timeout), each with a fix."""
    problems = []
    mirror = mirror_problem()
    if mirror:
        problems.append(f"{mirror}: fix the path (an absolute one) or unset {MIRROR_ENV}.")
    cache = data_problem()
    if cache:
        problems.append(f"{cache}: point {DATA_ENV} at a real folder, or unset it.")
    if is_mirror(data_dir()):
        problems.append(
            f"{DATA_ENV} names the mirror folder, which is never written, so nothing will be "
            f"cached: point {DATA_ENV} at another folder, or unset it."
        )
    try:
        network_timeout()
    except SettingError as error:
        problems.append(f"{error}.")
    return problems
