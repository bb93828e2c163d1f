# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Deadlines in working days, without Odoo.

A member's working days come from its working hours (Odoo's ``resource`` calendar): the days
on which the calendar has working time in a known stretch (public holidays and the member's
time off already taken out), and beyond that stretch the weekdays the calendar works.
"""

from datetime import datetime, timedelta

__all__ = ["add_working_days"]

WEEKDAYS = frozenset(range(5))  # Monday to Friday


def add_working_days(start, days, working=frozenset(), known_until=None, weekdays=WEEKDAYS):
    """The moment ``days`` working days after ``start``, at the time of day of ``start``.

    The first day counted is the day after ``start``.  A day up to ``known_until`` is a working
    day when it is in ``working``; after it (or always, without ``known_until``), when its
    weekday (Monday = 0) is in ``weekdays``.  Without any weekday (a calendar that never
    works), calendar days count.

    :param start: a :class:`datetime.datetime`
    :param days: how many working days (0: ``start`` itself)
    :param working: the working days (:class:`datetime.date`) up to ``known_until``
    :param known_until: the last day ``working`` knows about, or ``None``
    :param weekdays: the working weekdays after ``known_until``
    """
    if not isinstance(start, datetime):
        raise TypeError("start must be a datetime")
    if days < 0:
        raise ValueError("days must not be negative")
    if not weekdays:
        return start + timedelta(days=days)
    day, left = start.date(), days
    while left:
        day += timedelta(days=1)
        if known_until is not None and day <= known_until:
            left -= day in working
        else:
            left -= day.weekday() in weekdays
    return datetime.combine(day, start.time(), tzinfo=start.tzinfo)
