"""Daily stock prices through yfinance, with the same cache and mirror as every dataset.

``load_prices(ticker, start, end)`` returns rows for trading dates in ``[start, end)``,
indexed by a tz-naive ``Date``, with float columns Open, High, Low, Close and Volume. Prices
are split- and dividend-adjusted (``auto_adjust=True``), as yfinance returns them by default.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import partial
from pathlib import Path

import pandas as pd

from gdcourse.data._cache import read_csv_exact
from gdcourse.data.cascade import Dataset, load

COLUMNS: tuple[str, ...] = ("Open", "High", "Low", "Close", "Volume")
#: Yahoo symbols: letters and digits, then '.', '-' or '=' inside (BRK-B, EURUSD=X), and an
#: optional leading '^' for indices (^GSPC). No '/' or spaces, so a symbol is a safe file name.
_TICKER = re.compile(r"^\^?[A-Za-z0-9][A-Za-z0-9.\-=]{0,14}$")
TICKER_RULE = (
    "a Yahoo symbol such as 'AAPL', 'BRK-B', 'EURUSD=X' or '^GSPC': letters and digits, "
    "'.', '-' or '=' after the first character, an optional leading '^' (indices); "
    "at most 16 characters"
)
#: Dates the loaders accept (yfinance has nothing earlier; pandas stops in 2262).
EARLIEST, LATEST = pd.Timestamp("1900-01-01"), pd.Timestamp("2200-01-01")
#: A mirror file covers a window when its first and last dates lie within this slack of the
#: window's ends (markets close for weekends and holidays of up to a few days).
MIRROR_SLACK = pd.Timedelta(days=7)


def _parse_date(name: str, value: str | date | datetime) -> pd.Timestamp:
    rule = f"a date as 'YYYY-MM-DD' or a datetime.date, from {EARLIEST.date()} to {LATEST.date()}"
    if isinstance(value, (date, datetime)):
        try:
            stamp = pd.Timestamp(value)
        except (ValueError, OverflowError):
            stamp = pd.NaT
        if pd.isna(stamp):  # pd.NaT is a datetime too
            raise ValueError(f"`{name}` must be {rule}. Received: {name}={value!r}")
    elif isinstance(value, str):
        text = value.strip()
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(f"`{name}` must be {rule}. Received: {name}={value!r}")
        try:
            stamp = pd.Timestamp(datetime.strptime(text, "%Y-%m-%d"))
        except ValueError:
            raise ValueError(
                f"`{name}` is not a real date; it must be {rule}. Received: {name}={value!r}"
            ) from None
    else:
        raise TypeError(f"`{name}` must be {rule}. Received: {name}={value!r} ({type(value)})")
    stamp = stamp.tz_localize(None) if stamp.tzinfo else stamp
    stamp = stamp.normalize()
    if not EARLIEST <= stamp <= LATEST:
        raise ValueError(f"`{name}` must be {rule}. Received: {name}={value!r}")
    return stamp


def check_window(
    ticker: str, start: str | date, end: str | date
) -> tuple[str, pd.Timestamp, pd.Timestamp]:
    """Validate the arguments before anything is downloaded; return them normalised.

    Raises:
        TypeError: ``ticker`` is not a string, or a date is neither a string nor a date.
        ValueError: the ticker or a date is malformed, or ``start >= end``.
    """
    if not isinstance(ticker, str):
        raise TypeError(f"`ticker` must be {TICKER_RULE}. Received: ticker={ticker!r}")
    if not _TICKER.match(ticker.strip()):
        raise ValueError(f"`ticker` must be {TICKER_RULE}. Received: ticker={ticker!r}")
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
    try:
        frame = frame[list(COLUMNS)].astype("float64")
    except (TypeError, ValueError):
        raise ValueError(f"{what} has values that are not numbers in {list(COLUMNS)}") from None
    try:
        index = pd.DatetimeIndex(pd.to_datetime(frame.index))
    except (TypeError, ValueError):
        raise ValueError(f"{what} has rows whose Date is not a date") from None
    if index.tz is not None:
        index = index.tz_localize(None)
    frame.index = index.normalize().rename("Date")
    if frame.index.isna().any():
        raise ValueError(f"{what} has rows without a Date")
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


def cache_name(ticker: str, start: pd.Timestamp, end: pd.Timestamp) -> str:
    """The cache file of one window: ``prices_<TICKER>_<start>_<end>.csv``."""
    return f"prices_{ticker}_{start.date()}_{end.date()}.csv"


def _read_csv(path: Path) -> pd.DataFrame:
    frame = read_csv_exact(path)
    if "Date" not in frame.columns:
        raise ValueError(f"{path.name} has no Date column; it has {list(frame.columns)}")
    return frame.set_index("Date")


def _read_cache(path: Path) -> pd.DataFrame:
    return validate_prices(_read_csv(path), f"cache file {path.name}")


def _read_mirror(start: pd.Timestamp, end: pd.Timestamp, path: Path) -> pd.DataFrame:
    whole = validate_prices(_read_csv(path), f"mirror file {path.name}")
    first, last = whole.index[0], whole.index[-1]
    if first > start + MIRROR_SLACK or last < end - pd.Timedelta(days=1) - MIRROR_SLACK:
        raise ValueError(
            f"it covers {first.date()}..{last.date()}, not the window {start.date()}..{end.date()}"
        )
    return validate_prices(whole[(whole.index >= start) & (whole.index < end)], path.name)


def _download(ticker: str, start: pd.Timestamp, end: pd.Timestamp, timeout: float) -> pd.DataFrame:
    """``yfinance.download`` for the window; runs in a worker thread."""
    import yfinance as yf

    frame = yf.download(
        ticker,
        start=str(start.date()),
        end=str(end.date()),
        auto_adjust=True,
        multi_level_index=False,
        progress=False,
        threads=False,
        timeout=timeout,
    )
    if frame is None or len(frame) == 0:
        return frame
    frame = validate_prices(frame, "yfinance")
    return frame[(frame.index >= start) & (frame.index < end)]


def prices_dataset(
    ticker: str = "AAPL", start: str | date = "2018-01-01", end: str | date = "2023-01-01"
) -> Dataset:
    """The :class:`~gdcourse.data.cascade.Dataset` of one ticker's window (arguments checked)."""
    ticker, begin, finish = check_window(ticker, start, end)
    return Dataset(
        label=f"{ticker} prices {begin.date()}..{finish.date()}",
        cache_name=cache_name(ticker, begin, finish),
        mirror_name=f"{ticker}.csv",
        read_cache=_read_cache,
        read_mirror=partial(_read_mirror, begin, finish),
        download=partial(_download, ticker, begin, finish),
        network=f"yfinance.download {ticker!r}",
        chatter=("yfinance", "peewee", "curl_cffi"),
    )


def load_prices(
    ticker: str = "AAPL", start: str | date = "2018-01-01", end: str | date = "2023-01-01"
) -> pd.DataFrame:
    """Daily prices of ``ticker`` for trading dates in ``[start, end)``.

    Sources, in order: the cache (``GDCOURSE_DATA``); the mirror (``GDCOURSE_MIRROR``: the file
    ``<TICKER>.csv`` sliced to the window, or a copied cache folder);
    ``yfinance.download(..., auto_adjust=True, multi_level_index=False, progress=False)``,
    bounded by ``GDCOURSE_NETWORK_TIMEOUT`` seconds. Whatever comes back is checked (rows
    present, unique sorted dates, prices > 0, no missing Close). ``frame.attrs["source"]``
    says which source answered.

    Raises:
        TypeError, ValueError: bad arguments (a ticker that is not a Yahoo symbol, malformed
            dates, ``start >= end``), raised before any download; or
            ``GDCOURSE_NETWORK_TIMEOUT`` is not a usable number and the network was needed.
        DataUnavailableError: every source failed; the message lists each and how to fix it.
    """
    return load(prices_dataset(ticker, start, end))
