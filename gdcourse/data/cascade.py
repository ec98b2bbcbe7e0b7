"""The one cascade every dataset goes through: cache, then mirror, then network.

A :class:`Dataset` says how to read its cache file, how to read its mirror file and how to
download it. :func:`sources` lists, in order, where it can come from; :func:`load` tries each
with one error policy (any failure of a source is recorded and the next is tried; a setting
that cannot be used, such as a nonsense ``GDCOURSE_NETWORK_TIMEOUT``, is raised at once) and
caches what the mirror or the network gave; :func:`look` answers "where would it come from?"
without downloading or writing anything.

The mirror may hold a file in the mirror layout (``cal_housing.data``, ``AAPL.csv``) or be a
copy of a cache folder (its files checked against its own ``manifest.json``), so an instructor
can copy a filled ``data/`` folder to a USB stick and point ``GDCOURSE_MIRROR`` at it.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from gdcourse.data._cache import Miss, frame_bytes, sha256_of, store, verified_path
from gdcourse.data._errors import DataUnavailableError, describe
from gdcourse.data._network import SettingError, call_with_timeout, network_timeout
from gdcourse.data._paths import (
    MIRROR_ENV,
    data_dir,
    data_problem,
    is_mirror,
    mirror_dir,
    mirror_problem,
)


@dataclass(frozen=True)
class Dataset:
    """One dataset: its names in the cache and the mirror, and how to read or fetch it.

    ``read_cache(path)`` and ``read_mirror(path)`` parse and validate a file (raising on
    anything wrong); ``download(timeout)`` fetches it over the network and runs in a worker
    thread, so it must touch no process-wide state; ``chatter`` names the loggers whose
    records a download produces (kept out of the learner's output), ``quiet_warnings`` the
    messages (regular expressions) of warnings it may raise that say nothing to a learner.
    """

    label: str
    cache_name: str
    mirror_name: str
    read_cache: Callable[[Path], pd.DataFrame]
    read_mirror: Callable[[Path], pd.DataFrame]
    download: Callable[[float], pd.DataFrame]
    network: str
    chatter: tuple[str, ...] = ()
    quiet_warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Source:
    """One place a dataset can come from: ``kind`` is "cache", "mirror" or "network"."""

    kind: str
    location: str
    read: Callable[[], pd.DataFrame]


def _from_cache(dataset: Dataset, folder: Path) -> pd.DataFrame:
    problem = data_problem() if folder == data_dir() else None
    if problem:
        raise Miss(problem)
    return dataset.read_cache(verified_path(folder, dataset.cache_name))


def _from_mirror(dataset: Dataset, mirror: Path | None) -> pd.DataFrame:
    if mirror is None:
        raise Miss(f"{MIRROR_ENV} is not set")
    problem = mirror_problem()
    if problem:
        raise Miss(problem)
    if (mirror / dataset.mirror_name).is_file():
        return dataset.read_mirror(mirror / dataset.mirror_name)
    if (mirror / dataset.cache_name).is_file():  # a copy of a cache folder
        return _from_cache(dataset, mirror)
    raise Miss(f"holds neither {dataset.mirror_name} nor {dataset.cache_name}")


def _silence(messages: tuple[str, ...]) -> None:
    """Ignore these warning messages from now on (added by the calling thread, once).

    A download thread that is abandoned may warn long after its caller returned; a filter
    scoped to the attempt (``catch_warnings``) would be process-wide anyway and restored at
    the wrong time, so a narrow permanent filter is the one that cannot misfire.
    """
    present = {f[1].pattern for f in warnings.filters if f[0] == "ignore" and f[1] is not None}
    for message in messages:
        if message not in present:
            warnings.filterwarnings("ignore", message=message)


def _from_network(dataset: Dataset) -> pd.DataFrame:
    limit = network_timeout()  # a nonsense setting raises SettingError here
    _silence(dataset.quiet_warnings)
    said = io.StringIO()
    try:
        frame = call_with_timeout(
            lambda: dataset.download(limit), limit, quiet_loggers=dataset.chatter, said=said
        )
    except Exception as error:
        raise _with_chatter(error, said) from None
    if frame is None or len(frame) == 0:
        # Offline, yfinance logs an error and returns an empty frame instead of raising.
        raise _with_chatter(ValueError(f"{dataset.network} returned no rows"), said)
    return frame


def _with_chatter(error: Exception, said: io.StringIO) -> Exception:
    """``error`` as a :class:`Miss` that also quotes what the library logged meanwhile."""
    message = " ".join(said.getvalue().split())[:300]
    return Miss(describe(error) + (f" (it said: {message})" if message else ""))


def sources(dataset: Dataset) -> list[Source]:
    """Where ``dataset`` can come from, in the order they are tried."""
    folder, mirror = data_dir(), mirror_dir()
    mirror_at = str(mirror) if mirror is not None else ""
    return [
        Source("cache", str(folder / dataset.cache_name), lambda: _from_cache(dataset, folder)),
        Source("mirror", mirror_at, lambda: _from_mirror(dataset, mirror)),
        Source("network", dataset.network, lambda: _from_network(dataset)),
    ]


def _describe(source: Source, error: Exception) -> tuple[str, str]:
    reason = str(error) if isinstance(error, Miss) else describe(error)
    return f"{source.kind} {source.location}".rstrip(), reason


def keep(dataset: Dataset, frame: pd.DataFrame, source: str) -> pd.DataFrame:
    """Cache ``frame`` when the cache folder can take it; say in ``frame.attrs`` what happened.

    ``attrs["source"]`` is where it came from; ``attrs["cached"]`` the verified cache file, or
    ``None`` with ``attrs["not_cached"]`` saying why (a read-only folder, a file in its place,
    the mirror folder). A cache that cannot be written never stops the course.
    """
    folder = data_dir()
    frame.attrs["source"] = source
    frame.attrs["cached"] = None
    if is_mirror(folder):
        frame.attrs["not_cached"] = f"the cache folder {folder} is the mirror, which is read-only"
        return frame
    problem = data_problem()
    if problem:
        frame.attrs["not_cached"] = problem
        return frame
    data = frame_bytes(frame)
    try:
        path = store(folder, dataset.cache_name, data, rows=len(frame), source=source)
        if sha256_of(path) != hashlib.sha256(data).hexdigest():
            raise OSError(f"{path} does not read back as written")
    except Exception as error:  # read-only, a file in the way, a full disk, a stuck lock
        frame.attrs["not_cached"] = f"cannot write {folder}: {describe(error)}"
        return frame
    frame.attrs["cached"] = str(path)
    return frame


def load(dataset: Dataset) -> pd.DataFrame:
    """The dataset from the first source that answers; cached when it was not the cache.

    Raises:
        DataUnavailableError: every source failed; the message lists each and how to fix it.
        SettingError: (a ``ValueError``) a course setting such as ``GDCOURSE_NETWORK_TIMEOUT``
            holds a value that cannot be used, and the network was needed.
    """
    attempts: list[tuple[str, str]] = []
    for source in sources(dataset):
        try:
            frame = source.read()
        except SettingError:
            raise
        except Exception as error:  # one policy: record it, try the next source
            attempts.append(_describe(source, error))
            continue
        if source.kind == "cache":
            frame.attrs.update(source="cache", cached=source.location)
            return frame
        return keep(dataset, frame, source.kind)
    raise DataUnavailableError(dataset.label, attempts, dataset.mirror_name)


@dataclass(frozen=True)
class DatasetSource:
    """One dataset, the first source that would answer for it, and why earlier ones would not."""

    dataset: str
    source: str  # "cache", "mirror" or "network"
    location: str
    skipped: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        return f"{self.dataset:<34} {self.source:<8} {self.location}"


def look(dataset: Dataset) -> DatasetSource:
    """Where ``dataset`` would come from now. Reads local files; downloads and writes nothing."""
    skipped: list[tuple[str, str]] = []
    for source in sources(dataset):
        if source.kind == "network":
            return DatasetSource(dataset.label, "network", source.location, tuple(skipped))
        try:
            source.read()
        except Exception as error:
            skipped.append(_describe(source, error))
            continue
        location = source.location
        if source.kind == "mirror":
            mirror = Path(source.location)
            name = dataset.mirror_name
            location = str(mirror / (name if (mirror / name).is_file() else dataset.cache_name))
        return DatasetSource(dataset.label, source.kind, location, tuple(skipped))
    raise AssertionError("the network is always the last source")
