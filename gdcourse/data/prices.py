"""Daily stock prices through yfinance, with the same cache and mirror as every dataset.

``load_prices(ticker, start, end)`` returns rows for trading dates in ``[start, end)``,
indexed by a tz-naive ``Date``, with float columns Open, High, Low, Close and Volume. Prices
are split- and dividend-adjusted (``auto_adjust=True``), as yfinance returns them by default.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from gdcourse.data._cache import keep, read_csv_exact, verified_path
from gdcourse.data._errors import DataUnavailableError, describe
from gdcourse.data._network import call_with_timeout, network_timeout
from gdcourse.data._paths import data_dir, mirror_dir

COLUMNS: tuple[str, ...] = ("Open", "High", "Low", "Close", "Volume")
_TICKER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-=^]{0,14}$")
#: A mirror file covers a window when its first and last dates lie within this slack of the
#: window's ends (markets close for weekends and holidays of up to a few days).
MIRROR_SLACK = pd.Timedelta(days=7)


def _parse_date(name: str, value: str | date | datetime) -> pd.Timestamp:
    if isinstance(value, (date, datetime)) and not isinstance(value, bool):
        stamp = pd.Timestamp(value)
    elif isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            stamp = pd.Timestamp(value.strip())
        except ValueError:
            raise ValueError(
                f"`{name}` is not a real date (YYYY-MM-DD). Received: {name}={value!r}"
            ) from None
    else:
        raise ValueError(
            f"`{name}` must be a date as 'YYYY-MM-DD' or a datetime.date. "
            f"Received: {name}={value!r}"
        )
    return stamp.tz_localize(None).normalize() if stamp.tzinfo else stamp.normalize()


def check_window(
    ticker: str, start: str | date, end: str | date
) -> tuple[str, pd.Timestamp, pd.Timestamp]:
    """Validate the arguments before anything is downloaded; return them normalised."""
    if not isinstance(ticker, str) or not _TICKER.match(ticker.strip()):
        raise ValueError(
            "`ticker` must be a non-empty symbol such as 'AAPL' (letters, digits, '.', '-', "
            f"'=', '^'; at most 15 characters). Received: ticker={ticker!r}"
        )
    begin, finish = _parse_date("start", start), _parse_date("end", end)
    if begin >= finish:
        raise ValueError(
            f"`start` must be before `end` (the window is [start, end)). "
            f"Received: start={begin.date()}, end={finish.date()}"
        )
    return ticker.strip().upper(), begin, finish


def validate_prices(frame: pd.DataFrame | None, what: str) -> pd.DataFrame:
    """Normalise and check a price frame; raise ``ValueError`` saying what is wrong."""
    if frame is None or len(frame) == 0:
        raise ValueError(f"{what} returned no rows")
    frame = frame.copy()
    if isinstance(frame.columns, pd.MultiIndex):  # yfinance's (field, ticker) columns
        frame.columns = frame.columns.get_level_values(0)
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} has no column(s) {missing}; it has {list(frame.columns)}")
    frame = frame[list(COLUMNS)].astype("float64")
    index = pd.DatetimeIndex(pd.to_datetime(frame.index))
    if index.tz is not None:
        index = index.tz_localize(None)
    frame.index = index.normalize().rename("Date")
    if not frame.index.is_unique:
        raise ValueError(f"{what} has repeated dates")
    if not frame.index.is_monotonic_increasing:
        raise ValueError(f"{what} has dates out of order")
    if frame["Close"].isna().any():
        raise ValueError(f"{what} has {int(frame['Close'].isna().sum())} missing Close values")
    prices = frame[["Open", "High", "Low", "Close"]]
    if (prices.dropna() <= 0).any().any():
        raise ValueError(f"{what} has prices <= 0")
    return frame


def _cache_name(ticker: str, start: pd.Timestamp, end: pd.Timestamp) -> str:
    return f"prices_{ticker}_{start.date()}_{end.date()}.csv"


def _from_cache(path: Path | None) -> pd.DataFrame | None:
    if path is None:
        return None
    frame = read_csv_exact(path, index_col="Date", parse_dates=["Date"])
    return validate_prices(frame, f"cache file {path.name}")


def _from_mirror(path: Path, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    whole = read_csv_exact(path, index_col="Date", parse_dates=["Date"])
    whole = validate_prices(whole, f"mirror file {path.name}")
    first, last = whole.index[0], whole.index[-1]
    if first > start + MIRROR_SLACK or last < end - pd.Timedelta(days=1) - MIRROR_SLACK:
        raise ValueError(
            f"it covers {first.date()}..{last.date()}, not the window {start.date()}..{end.date()}"
        )
    return validate_prices(whole[(whole.index >= start) & (whole.index < end)], path.name)


def _from_network(ticker: str, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    import yfinance as yf

    said = io.StringIO()
    handler = logging.StreamHandler(said)
    logger = logging.getLogger("yfinance")

    def download() -> pd.DataFrame:
        logger.addHandler(handler)
        try:
            with contextlib.redirect_stdout(said), contextlib.redirect_stderr(said):
                return yf.download(
                    ticker,
                    start=str(start.date()),
                    end=str(end.date()),
                    auto_adjust=True,
                    multi_level_index=False,
                    progress=False,
                    threads=False,
                    timeout=network_timeout(),
                )
        finally:
            logger.removeHandler(handler)

    frame = call_with_timeout(download)
    if frame is None or len(frame) == 0:
        # Offline, yfinance prints an error and returns an empty frame instead of raising.
        message = " ".join(said.getvalue().split())[:300]
        raise ValueError("yfinance returned an empty frame" + (f" ({message})" if message else ""))
    frame = validate_prices(frame, "yfinance")
    return frame[(frame.index >= start) & (frame.index < end)]


def load_prices(
    ticker: str = "AAPL", start: str | date = "2018-01-01", end: str | date = "2023-01-01"
) -> pd.DataFrame:
    """Daily prices of ``ticker`` for trading dates in ``[start, end)``.

    Sources, in order: the cache (``GDCOURSE_DATA``); the mirror file ``<TICKER>.csv``
    (``GDCOURSE_MIRROR``) sliced to the window; ``yfinance.download(..., auto_adjust=True,
    multi_level_index=False, progress=False)``, bounded by ``GDCOURSE_NETWORK_TIMEOUT`` seconds.
    Whatever comes back is checked (rows present, unique sorted dates, prices > 0, no missing
    Close). ``frame.attrs["source"]`` says which source answered.

    Raises:
        ValueError: bad arguments (empty ticker, malformed dates, ``start >= end``), raised
            before any download.
        DataUnavailableError: every source failed; the message lists each and how to fix it.
    """
    ticker, begin, finish = check_window(ticker, start, end)
    folder = data_dir()
    name = _cache_name(ticker, begin, finish)
    attempts: list[tuple[str, str]] = []

    try:
        frame = _from_cache(verified_path(folder, name))
    except (OSError, ValueError) as error:
        (folder / name).unlink(missing_ok=True)
        attempts.append((f"cache {folder / name}", describe(error)))
    else:
        if frame is not None:
            frame.attrs["source"] = "cache"
            return frame
        attempts.append((f"cache {folder / name}", "not there (or failed its checksum)"))

    mirror_file = f"{ticker}.csv"
    mirror = mirror_dir()
    if mirror is None:
        attempts.append(("mirror", "GDCOURSE_MIRROR is not set"))
    elif not (mirror / mirror_file).is_file():
        attempts.append((f"mirror {mirror / mirror_file}", "no such file"))
    else:
        try:
            frame = _from_mirror(mirror / mirror_file, begin, finish)
        except (OSError, ValueError) as error:
            attempts.append((f"mirror {mirror / mirror_file}", describe(error)))
        else:
            return keep(folder, name, frame, "mirror")

    try:
        frame = _from_network(ticker, begin, finish)
    except Exception as error:  # rate limits, unknown tickers, no network: one clear error
        attempts.append((f"network (yfinance.download {ticker!r})", describe(error)))
        raise DataUnavailableError(
            f"{ticker} prices {begin.date()}..{finish.date()}", attempts, mirror_file
        ) from None
    return keep(folder, name, frame, "network")
