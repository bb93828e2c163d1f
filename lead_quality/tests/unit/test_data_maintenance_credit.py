"""Unit tests of the "credit only for real work" rules of lib/data_maintenance.py."""

import datetime

import data_maintenance as dm
from hypothesis import given
from hypothesis import strategies as st

TODAY = datetime.date(2026, 3, 2)

days_ago = st.integers(min_value=0, max_value=3000)
freshness = st.integers(min_value=1, max_value=1000)
maybe_date = st.one_of(st.none(), days_ago.map(lambda n: TODAY - datetime.timedelta(days=n)))
changes = st.lists(
    st.tuples(
        st.sampled_from(["crm.lead", "res.partner"]),
        st.integers(min_value=1, max_value=30),
        st.sampled_from(["city", "zip", "phone"]),
        st.one_of(st.none(), st.sampled_from(["a", "b"])),
        st.one_of(st.none(), st.sampled_from(["a", "b", "c"])),
        st.just(1),
    ),
    max_size=40,
)


def test_never_verified_is_due():
    assert dm.verification_due((None, False), TODAY, 365)
    assert dm.verification_due((), TODAY, 365)


def test_due_once_older_than_the_freshness_age():
    assert not dm.verification_due((TODAY - datetime.timedelta(days=365),), TODAY, 365)
    assert dm.verification_due((TODAY - datetime.timedelta(days=366),), TODAY, 365)
    # the latest known verification counts (the record's date or the last credited act)
    old, recent = TODAY - datetime.timedelta(days=900), TODAY - datetime.timedelta(days=3)
    assert not dm.verification_due((old, recent), TODAY, 365)
    assert not dm.verification_due((recent, old), TODAY, 365)


@given(first=maybe_date, second=maybe_date, days=freshness, older=st.integers(0, 500))
def test_due_is_monotonic_in_age(first, second, days, older):
    """Data verified even longer ago is due whenever the fresher data is."""
    shift = datetime.timedelta(days=older)
    aged = tuple(day - shift if day else day for day in (first, second))
    due = dm.verification_due((first, second), TODAY, days)
    assert dm.verification_due(aged, TODAY, days) or not due


@given(verified=maybe_date, days=freshness)
def test_verified_today_is_never_due(verified, days):
    assert not dm.verification_due((verified, TODAY), TODAY, days)


@given(
    user=st.integers(1, 9),
    responsible=st.sets(st.integers(1, 9), max_size=3),
    verified=maybe_date,
    days=freshness,
)
def test_creditable_only_for_responsible_users_when_due(user, responsible, verified, days):
    creditable = dm.verification_creditable(user, responsible, (verified,), TODAY, days)
    assert creditable == (user in responsible and dm.verification_due((verified,), TODAY, days))


def test_fresh_record_of_the_user_is_not_creditable():
    assert not dm.verification_creditable(7, {7}, (TODAY,), TODAY, 365)
    assert dm.verification_creditable(7, {7, 8}, (None,), TODAY, 365)
    assert not dm.verification_creditable(7, {8}, (None,), TODAY, 365)
    assert not dm.verification_creditable(False, {False}, (None,), TODAY, 365)


@given(limit=st.integers(-5, 200), used=st.integers(0, 300))
def test_bulk_allowance(limit, used):
    allowance = dm.bulk_allowance(limit, used)
    assert allowance >= 0
    assert allowance == max(limit - used, 0)
    assert allowance <= max(limit, 0)


def test_bulk_allowance_zero_or_empty_limit_credits_nothing():
    assert dm.bulk_allowance(0, 0) == 0
    assert dm.bulk_allowance(None, 0) == 0
    assert dm.bulk_allowance(50, None) == 50


@given(changes=changes, limit=st.integers(0, 50))
def test_plan_acts_limit_keeps_the_first_acts(changes, limit):
    points = dm.DEFAULT_POINTS
    unlimited = dm.plan_acts(7, TODAY, changes, points)
    limited = dm.plan_acts(7, TODAY, changes, points, limit=limit)
    assert len(limited) <= limit
    assert limited == unlimited[:limit]
    assert dm.plan_acts(7, TODAY, changes, points, limit=None) == unlimited


def test_default_points_do_not_reward_overwriting():
    assert not dm.rewards_overwriting(dm.DEFAULT_POINTS)
    assert dm.DEFAULT_POINTS[dm.CORRECTED] <= dm.DEFAULT_POINTS[dm.COMPLETED]
    assert dm.rewards_overwriting({dm.COMPLETED: 2, dm.CORRECTED: 3})
    assert not dm.rewards_overwriting({dm.COMPLETED: 2, dm.CORRECTED: 2})


def test_default_bulk_limit_is_positive():
    assert dm.DEFAULT_BULK_DAILY_LIMIT > 0


def test_check_settings_bulk_limit():
    assert dm.check_settings({}, 50, 5, 0) == []
    assert dm.check_settings({}, 50, 5, 50) == []
    assert dm.check_settings({}, 50, 5, -1) == [("bulk_limit", None)]
