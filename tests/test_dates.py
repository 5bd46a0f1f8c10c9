"""Dates as briefs write them, without strftime's "%-d" (not there on Windows)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from briefing.dates import format_date, short_date, short_stamp


def test_dates_have_no_leading_zero() -> None:
    assert format_date(date(2026, 5, 7)) == "7 May 2026"
    assert short_date(date(2026, 9, 17)) == "17 Sep 2026"


def test_a_stamp_is_shown_in_local_time(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        assert short_stamp(datetime(2026, 9, 6, 20, 5, tzinfo=UTC)) == "7 Sep 2026 05:05"
    finally:
        monkeypatch.undo()
        time.tzset()
