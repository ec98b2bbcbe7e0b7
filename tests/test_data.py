"""The data layer: real data, exact parity with scikit-learn, cache, mirror, clear failures."""

from __future__ import annotations

import hashlib
import io
import tarfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from gdcourse.data import (
    FEATURES,
    TARGET,
    DataUnavailableError,
    load_housing,
    load_prices,
    where_from,
)
from gdcourse.data import housing as housing_module
from gdcourse.data._cache import MANIFEST, read_manifest


def _fingerprint(folder: Path) -> dict[str, tuple[str, float]]:
    return {
        p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime)
        for p in sorted(folder.iterdir())
    }


@pytest.fixture
def sklearn_from_mirror(mirror: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Make scikit-learn's real fetcher read the mirror file instead of downloading it.

    scikit-learn downloads ``cal_housing.tgz`` and parses ``CaliforniaHousing/cal_housing.data``
    inside it; we hand it the same archive built from the mirror, so its own derivation runs.
    """
    import sklearn.datasets._california_housing as cal

    archive = tmp_path / "cal_housing.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(mirror / "cal_housing.data", arcname="CaliforniaHousing/cal_housing.data")
    calls = []

    def fake_fetch_remote(remote, dirname=None, **kwargs):
        calls.append(remote.url)
        return str(archive)

    monkeypatch.setattr(cal, "_fetch_remote", fake_fetch_remote)
    return calls


# --- California housing ---------------------------------------------------------------------


def test_housing_matches_scikit_learn_exactly(mirror, cache_dir, sklearn_from_mirror, tmp_path):
    from sklearn.datasets import fetch_california_housing

    ours = load_housing()
    reference = fetch_california_housing(data_home=tmp_path / "skl", as_frame=True).frame
    assert ours.attrs["source"] == "mirror"
    assert ours.shape == (20640, 9)
    assert list(ours.columns) == [*FEATURES, TARGET]
    pd.testing.assert_frame_equal(ours, reference, check_exact=True, check_like=False)


def test_housing_first_row(mirror, cache_dir):
    first = load_housing().iloc[0].to_numpy()
    expected = [8.3252, 41.0, 6.984127, 1.023810, 322.0, 2.555556, 37.88, -122.23, 4.526]
    np.testing.assert_allclose(first, expected, atol=5e-7)


def test_housing_cache_round_trip_is_exact(mirror, cache_dir):
    first = load_housing()
    second = load_housing()
    assert (first.attrs["source"], second.attrs["source"]) == ("mirror", "cache")
    pd.testing.assert_frame_equal(first, second, check_exact=True)
    entry = read_manifest(cache_dir)[housing_module.CACHE_NAME]
    assert entry["rows"] == 20640 and entry["source"] == "mirror" and len(entry["sha256"]) == 64
    assert not list(cache_dir.glob("*.tmp")), "no temporary file is left behind"


@pytest.mark.parametrize("damage", ["truncate", "flip", "delete-manifest"])
def test_corrupt_cache_is_replaced(mirror, cache_dir, damage):
    reference = load_housing()
    path = cache_dir / housing_module.CACHE_NAME
    if damage == "truncate":
        path.write_bytes(path.read_bytes()[:5000])
    elif damage == "flip":
        data = bytearray(path.read_bytes())
        data[1000] = ord("7") if data[1000] != ord("7") else ord("3")
        path.write_bytes(bytes(data))
    else:
        (cache_dir / MANIFEST).unlink()
    again = load_housing()
    assert again.attrs["source"] == "mirror", "a damaged cache file must not be used"
    pd.testing.assert_frame_equal(again, reference, check_exact=True)
    assert load_housing().attrs["source"] == "cache", "the cache is repaired"


def test_network_source_is_scikit_learn(cache_dir, sklearn_from_mirror, monkeypatch, mirror):
    monkeypatch.delenv("GDCOURSE_MIRROR")
    frame = load_housing()
    assert frame.attrs["source"] == "network"
    assert len(sklearn_from_mirror) == 1
    assert frame.shape == (20640, 9)


def test_mirror_is_never_written(mirror, cache_dir):
    before = _fingerprint(mirror)
    load_housing()
    load_prices("AAPL", "2018-01-01", "2023-01-01")
    load_prices("AAPL", "2019-03-01", "2019-06-01")
    assert _fingerprint(mirror) == before
    assert not (mirror / MANIFEST).exists()


# --- offline failures -----------------------------------------------------------------------


def test_offline_failure_is_clear(cache_dir, monkeypatch):
    import sklearn.datasets._california_housing as cal

    monkeypatch.delenv("GDCOURSE_MIRROR", raising=False)

    def offline(*args, **kwargs):
        raise OSError("[Errno -2] Name or service not known")

    monkeypatch.setattr(cal, "_fetch_remote", offline)
    with pytest.raises(DataUnavailableError) as caught:
        load_housing()
    message = str(caught.value)
    assert "Tried, in order" in message
    assert "cache" in message and "GDCOURSE_MIRROR is not set" in message
    assert "Name or service not known" in message
    assert "set GDCOURSE_MIRROR" in message and "connect to the internet" in message
    assert len(caught.value.attempts) == 3


def test_hanging_download_is_bounded(cache_dir, monkeypatch):
    import sklearn.datasets._california_housing as cal

    monkeypatch.delenv("GDCOURSE_MIRROR", raising=False)
    monkeypatch.setenv("GDCOURSE_NETWORK_TIMEOUT", "1")
    monkeypatch.setattr(cal, "_fetch_remote", lambda *a, **k: time.sleep(30))
    started = time.perf_counter()
    with pytest.raises(DataUnavailableError, match=r"no answer within 1 s"):
        load_housing()
    assert time.perf_counter() - started < 5


# --- prices ---------------------------------------------------------------------------------


def test_aapl_course_window(mirror, cache_dir):
    frame = load_prices("AAPL", "2018-01-01", "2023-01-01")
    assert len(frame) == 1259
    assert list(frame.columns) == ["Open", "High", "Low", "Close", "Volume"]
    assert all(dtype == np.float64 for dtype in frame.dtypes)
    assert isinstance(frame.index, pd.DatetimeIndex) and frame.index.tz is None
    assert frame.index.name == "Date"
    assert frame.index.is_monotonic_increasing and frame.index.is_unique
    assert frame.index[0] >= pd.Timestamp("2018-01-01")
    assert frame.index[-1] < pd.Timestamp("2023-01-01")
    assert (frame[["Open", "High", "Low", "Close"]] > 0).all().all()
    again = load_prices("AAPL", "2018-01-01", "2023-01-01")
    assert again.attrs["source"] == "cache"
    pd.testing.assert_frame_equal(frame, again, check_exact=True, check_freq=False)


def test_prices_window_is_half_open(mirror, cache_dir):
    frame = load_prices("aapl", "2019-01-02", "2019-01-04")
    assert [d.strftime("%Y-%m-%d") for d in frame.index] == ["2019-01-02", "2019-01-03"]


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("", "2018-01-01", "2019-01-01"), "`ticker`"),
        (("   ", "2018-01-01", "2019-01-01"), "`ticker`"),
        (("AAPL", "2019-01-01", "2018-01-01"), "`start` must be before `end`"),
        (("AAPL", "2019-01-01", "2019-01-01"), "`start` must be before `end`"),
        (("AAPL", "2018-13-01", "2019-01-01"), "`start` is not a real date"),
        (("AAPL", "yesterday", "2019-01-01"), "`start` must be a date"),
        (("AAPL", "2018-01-01", "01/01/2019"), "`end` must be a date"),
    ],
)
def test_bad_price_arguments_fail_before_download(args, match, cache_dir, monkeypatch):
    """Malformed arguments: a ValueError naming the argument, before any download."""
    import yfinance

    def must_not_download(*a, **k):
        raise AssertionError("no download may start for bad arguments")

    monkeypatch.setattr(yfinance, "download", must_not_download)
    with pytest.raises(ValueError, match=match):
        load_prices(*args)


def test_empty_yfinance_frame_is_a_failure(cache_dir, monkeypatch, capsys):
    import yfinance

    monkeypatch.delenv("GDCOURSE_MIRROR", raising=False)

    def offline_download(*args, **kwargs):
        # What yfinance does offline: log an error and return an empty frame.
        import logging

        logging.getLogger("yfinance").error("1 Failed download: ['AAPL']: ConnectionError")
        return pd.DataFrame()

    monkeypatch.setattr(yfinance, "download", offline_download)
    with pytest.raises(DataUnavailableError) as caught:
        load_prices("AAPL", "2018-01-01", "2023-01-01")
    message = str(caught.value)
    assert "returned no rows" in message and "Failed download" in message
    assert "Failed download" not in capsys.readouterr().err, "yfinance's log is quoted, not shown"
    assert "AAPL.csv" in message


def test_yfinance_is_called_with_explicit_defaults(cache_dir, monkeypatch, mirror):
    import yfinance

    monkeypatch.delenv("GDCOURSE_MIRROR")
    seen = {}
    rows = pd.read_csv(mirror / "AAPL.csv", index_col="Date", parse_dates=["Date"]).iloc[:30]

    def fake_download(ticker, **kwargs):
        seen.update(kwargs, ticker=ticker)
        return rows.tz_localize("America/New_York")

    monkeypatch.setattr(yfinance, "download", fake_download)
    frame = load_prices("AAPL", "2018-01-01", "2018-02-01")
    assert seen["auto_adjust"] is True and seen["multi_level_index"] is False
    assert seen["progress"] is False and seen["ticker"] == "AAPL"
    assert frame.index.tz is None and frame.attrs["source"] == "network"
    assert frame.index[-1] < pd.Timestamp("2018-02-01")


@pytest.mark.parametrize(
    ("column", "value", "match"),
    [("Close", np.nan, "missing Close"), ("Open", -1.0, "prices <= 0")],
)
def test_bad_downloaded_prices_are_rejected(cache_dir, monkeypatch, mirror, column, value, match):
    import yfinance

    monkeypatch.delenv("GDCOURSE_MIRROR")
    rows = pd.read_csv(mirror / "AAPL.csv", index_col="Date", parse_dates=["Date"]).iloc[:30]
    rows.iloc[5, rows.columns.get_loc(column)] = value
    monkeypatch.setattr(yfinance, "download", lambda *a, **k: rows)
    with pytest.raises(DataUnavailableError, match=match):
        load_prices("AAPL", "2018-01-01", "2018-02-01")


def test_window_outside_the_mirror_goes_to_the_network(cache_dir, monkeypatch, mirror):
    import yfinance

    monkeypatch.setattr(yfinance, "download", lambda *a, **k: pd.DataFrame())
    with pytest.raises(DataUnavailableError) as caught:
        load_prices("AAPL", "2010-01-01", "2011-01-01")
    assert "covers 2018-01-02..2025-12-30" in str(caught.value)


def test_where_from_reports_each_dataset(mirror, cache_dir):
    assert [s.source for s in where_from()] == ["mirror", "mirror"]
    load_housing()
    assert [s.source for s in where_from()] == ["cache", "mirror"]


def test_missing_mirror_file_is_reported(tmp_path, cache_dir, monkeypatch):
    import yfinance

    monkeypatch.setenv("GDCOURSE_MIRROR", str(tmp_path))
    monkeypatch.setattr(yfinance, "download", lambda *a, **k: pd.DataFrame())
    with pytest.raises(DataUnavailableError, match="holds neither MSFT.csv nor prices_MSFT"):
        load_prices("MSFT", "2018-01-01", "2019-01-01")


def test_unwritable_cache_still_loads(mirror, tmp_path, monkeypatch):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be")
    monkeypatch.setenv("GDCOURSE_DATA", str(blocked))
    assert load_housing().shape == (20640, 9)


def test_statlib_parse_rejects_wrong_shape():
    with pytest.raises(ValueError, match=r"\(n, 9\)"):
        housing_module.from_statlib(np.zeros((3, 8)))
    with pytest.raises(ValueError):
        housing_module.parse_statlib_file(io.StringIO("1,2,3\n"))  # type: ignore[arg-type]
