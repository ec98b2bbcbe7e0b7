"""Bad input to the loaders, property-based: a clear TypeError/ValueError naming the argument
and the accepted range, raised before anything is downloaded, or a normalised window."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdcourse.data import load_prices, split_features
from gdcourse.data.prices import EARLIEST, LATEST, check_window

SYMBOL = re.compile(r"^\^?[A-Za-z0-9][A-Za-z0-9.\-=]{0,14}$")


@settings(max_examples=300, deadline=None, database=None)
@given(st.text(max_size=20))
def test_any_text_ticker_is_accepted_or_named(ticker):
    try:
        symbol, _, _ = check_window(ticker, "2020-01-01", "2020-02-01")
    except ValueError as error:
        assert "`ticker`" in str(error) and "Received: ticker=" in str(error)
        assert not SYMBOL.match(ticker.strip())
    else:
        assert SYMBOL.match(ticker.strip()) and symbol == ticker.strip().upper()
        assert "/" not in symbol and "\\" not in symbol


@settings(max_examples=100, deadline=None, database=None)
@given(st.one_of(st.integers(), st.floats(), st.none(), st.lists(st.text()), st.binary()))
def test_non_string_ticker_is_a_type_error(ticker):
    with pytest.raises(TypeError, match="`ticker`"):
        check_window(ticker, "2020-01-01", "2020-02-01")


@settings(max_examples=200, deadline=None, database=None)
@given(st.dates(), st.dates())
def test_any_pair_of_dates_is_a_window_or_named(start, end):
    try:
        _, begin, finish = check_window("AAPL", start, end)
    except ValueError as error:
        message = str(error)
        in_range = (
            EARLIEST.date() <= start <= LATEST.date() and EARLIEST.date() <= end <= LATEST.date()
        )
        if in_range:
            assert start >= end and "`start` must be before `end`" in message
        else:
            assert re.search(
                r"`(start|end)` must be a date .* from 1900-01-01 to 2200-01-01", message
            )
    else:
        assert begin < finish and begin.date() == start and finish.date() == end


@settings(max_examples=200, deadline=None, database=None)
@given(st.text(max_size=12))
def test_any_text_date_is_parsed_or_named(text):
    try:
        _, begin, _ = check_window("AAPL", text, "2201-01-01")
    except ValueError as error:
        assert "`start`" in str(error) or "`end`" in str(error)
    else:  # pragma: no cover - the end is out of range, so this never passes
        raise AssertionError(begin)


@settings(max_examples=50, deadline=None, database=None)
@given(st.one_of(st.integers(), st.floats(), st.none(), st.just(pd.NaT), st.binary()))
def test_non_date_types_are_type_errors(value):
    with pytest.raises((TypeError, ValueError), match="`start`"):
        check_window("AAPL", value, "2020-01-01")


def test_datetimes_and_timezones_are_normalised():
    _, begin, finish = check_window(
        " msft ", datetime(2020, 1, 1, 15, 30), pd.Timestamp("2020-03-01 09:00", tz="US/Eastern")
    )
    assert begin == pd.Timestamp("2020-01-01") and finish == pd.Timestamp("2020-03-01")
    assert check_window("brk-b", date(2020, 1, 1), date(2020, 1, 1) + timedelta(days=1))[0] == (
        "BRK-B"
    )


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ((123, "2018-01-01", "2019-01-01"), TypeError, "`ticker`"),
        (("AAPL", 20180101, "2019-01-01"), TypeError, "`start`"),
        (("AAPL", "2018-01-01", None), TypeError, "`end`"),
        (("AAPL", "2018-02-30", "2019-01-01"), ValueError, "`start` is not a real date"),
        (("../etc", "2018-01-01", "2019-01-01"), ValueError, "`ticker`"),
        (("AAPL", "1850-01-01", "2019-01-01"), ValueError, "from 1900-01-01 to 2200-01-01"),
    ],
)
def test_bad_arguments_name_themselves_before_any_download(args, error, match, monkeypatch):
    import yfinance

    monkeypatch.setattr(yfinance, "download", lambda *a, **k: pytest.fail("no download"))
    with pytest.raises(error, match=match):
        load_prices(*args)


def test_split_features_checks_its_frame():
    with pytest.raises(TypeError, match="`frame`"):
        split_features([[1, 2]])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="lacks the column"):
        split_features(pd.DataFrame({"MedInc": [1.0]}))
