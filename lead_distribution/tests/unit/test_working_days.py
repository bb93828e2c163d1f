"""Property tests of the working-day deadlines: no Odoo, no database."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from working_days import add_working_days

# hypothesis wants naive bounds; the moments it draws are in UTC
starts = st.datetimes(
    min_value=datetime(2020, 1, 1),  # noqa: DTZ001
    max_value=datetime(2030, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)
weekday_sets = st.frozensets(st.integers(min_value=0, max_value=6), min_size=1)


def _is_working(day, working, known_until, weekdays):
    if known_until is not None and day <= known_until:
        return day in working
    return day.weekday() in weekdays


@st.composite
def calendars(draw):
    """Working days known for a stretch after the start, weekdays beyond it."""
    start = draw(starts)
    length = draw(st.integers(min_value=0, max_value=60))
    known = [start.date() + timedelta(days=i) for i in range(1, length + 1)]
    working = draw(st.frozensets(st.sampled_from(known))) if known else frozenset()
    return start, working, known[-1] if known else None, draw(weekday_sets)


@settings(max_examples=500, deadline=None)
@given(calendar=calendars(), days=st.integers(min_value=0, max_value=40))
def test_exactly_that_many_working_days_and_ends_on_one(calendar, days):
    start, working, known_until, weekdays = calendar
    deadline = add_working_days(start, days, working, known_until, weekdays)
    assert deadline.time() == start.time()
    counted = [
        start.date() + timedelta(days=i)
        for i in range(1, (deadline.date() - start.date()).days + 1)
    ]
    assert sum(_is_working(d, working, known_until, weekdays) for d in counted) == days
    if days:
        assert _is_working(deadline.date(), working, known_until, weekdays)
    assert deadline >= start + timedelta(days=days), "never sooner than calendar days"


@settings(max_examples=300, deadline=None)
@given(calendar=calendars(), days=st.integers(min_value=0, max_value=30))
def test_one_more_day_is_later(calendar, days):
    start, working, known_until, weekdays = calendar
    assert add_working_days(start, days + 1, working, known_until, weekdays) > add_working_days(
        start, days, working, known_until, weekdays
    )


@settings(max_examples=200, deadline=None)
@given(start=starts, days=st.integers(min_value=0, max_value=30))
def test_every_day_working_is_calendar_days(start, days):
    assert add_working_days(start, days, weekdays=frozenset(range(7))) == start + timedelta(
        days=days
    )


def test_weekend_and_holiday_are_skipped():
    friday = datetime(2026, 5, 8, 10, 30, tzinfo=UTC)  # the next Wednesday (13 May) is a holiday
    known = {date(2026, 5, d) for d in (11, 12, 14, 15)}
    deadline = add_working_days(friday, 5, known, date(2026, 5, 15))
    assert deadline == datetime(2026, 5, 18, 10, 30, tzinfo=UTC)  # Mon, Tue, Thu, Fri, Mon


def test_time_off_in_the_known_stretch_then_weekdays():
    monday = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    # on leave the whole first week after Monday: nothing known as working until Sunday
    deadline = add_working_days(monday, 3, frozenset(), date(2026, 3, 8))
    assert deadline == datetime(2026, 3, 11, 9, 0, tzinfo=UTC)  # Mon 9, Tue 10, Wed 11


def test_calendar_that_never_works_counts_calendar_days():
    start = datetime(2026, 1, 1, 8, tzinfo=UTC)
    assert add_working_days(start, 4, weekdays=frozenset()) == datetime(2026, 1, 5, 8, tzinfo=UTC)


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="negative"):
        add_working_days(datetime(2026, 1, 1, tzinfo=UTC), -1)
    with pytest.raises(TypeError, match="datetime"):
        add_working_days(date(2026, 1, 1), 1)
