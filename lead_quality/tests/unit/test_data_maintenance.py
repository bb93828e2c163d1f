"""Unit tests of lib/data_maintenance.py: kinds of acts, day limit, free riders."""

import datetime
import statistics

import data_maintenance as dm
import pytest
from hypothesis import given
from hypothesis import strategies as st

DAY = datetime.date(2026, 3, 2)
POINTS = {dm.COMPLETED: 2, dm.CORRECTED: 3, dm.VERIFIED: 1}


@pytest.mark.parametrize(
    ("old", "new", "kind"),
    [
        (False, "a@b.de", dm.COMPLETED),
        ("", "Berlin", dm.COMPLETED),
        ("   ", "Berlin", dm.COMPLETED),
        (None, 7, dm.COMPLETED),
        ("Berlin", "Bonn", dm.CORRECTED),
        (3, 5, dm.CORRECTED),
        ("Berlin", "Berlin", None),
        ("Berlin", " Berlin ", None),
        ("Berlin", False, None),
        ("Berlin", "", None),
        (False, False, None),
        (5, 5, None),
    ],
)
def test_classify_change(old, new, kind):
    assert dm.classify_change(old, new) == kind


def test_normalize_empty_values():
    assert dm.normalize(False) is None
    assert dm.normalize(" ") is None
    assert dm.normalize([]) is None
    assert dm.normalize([3, 1]) == (1, 3)
    assert dm.normalize(0) == 0


def _change(res_id, field, old, new, model="crm.lead"):
    return (model, res_id, field, old, new, 1)


def test_plan_acts_kinds_and_points():
    acts = dm.plan_acts(
        7,
        DAY,
        [_change(1, "city", False, "Köln"), _change(2, "city", "Kln", "Köln")],
        POINTS,
    )
    assert [(a["res_id"], a["kind"], a["points"]) for a in acts] == [
        (1, dm.COMPLETED, 2),
        (2, dm.CORRECTED, 3),
    ]
    assert all(a["user_id"] == 7 and a["date"] == DAY and a["company_id"] == 1 for a in acts)


def test_plan_acts_skips_unchanged_and_cleared():
    acts = dm.plan_acts(
        7, DAY, [_change(1, "city", "Köln", "Köln"), _change(1, "zip", "1", "")], POINTS
    )
    assert acts == []


def test_plan_acts_day_limit_against_existing_keys():
    existing = {dm.dedup_key(7, "crm.lead", 1, "city", DAY)}
    acts = dm.plan_acts(
        7,
        DAY,
        [_change(1, "city", "Köln", "Bonn"), _change(1, "zip", False, "53111")],
        POINTS,
        existing,
    )
    assert [a["field_name"] for a in acts] == ["zip"]


def test_plan_acts_day_limit_within_one_batch_and_per_model():
    acts = dm.plan_acts(
        7,
        DAY,
        [
            _change(1, "city", False, "Köln"),
            _change(1, "city", "Köln", "Bonn"),
            _change(1, "city", False, "Köln", model="res.partner"),
        ],
        POINTS,
    )
    assert [(a["res_model"], a["kind"]) for a in acts] == [
        ("crm.lead", dm.COMPLETED),
        ("res.partner", dm.COMPLETED),
    ]


def test_plan_acts_verified_once_per_record_and_day():
    changes = [
        dm.verified_change("res.partner", 4, 1),
        dm.verified_change("res.partner", 4, 1),
        dm.verified_change("res.partner", 5, 1),
    ]
    acts = dm.plan_acts(7, DAY, changes, POINTS)
    assert [(a["res_id"], a["kind"], a["points"], a["field_name"]) for a in acts] == [
        (4, dm.VERIFIED, 1, dm.VERIFIED_FIELD),
        (5, dm.VERIFIED, 1, dm.VERIFIED_FIELD),
    ]
    existing = {dm.dedup_key(7, "res.partner", 5, dm.VERIFIED_FIELD, DAY)}
    assert [a["res_id"] for a in dm.plan_acts(7, DAY, changes, POINTS, existing)] == [4]


def test_day_limit_key_differs_by_day_user_and_field():
    key = dm.dedup_key(7, "crm.lead", 1, "city", DAY)
    assert key != dm.dedup_key(7, "crm.lead", 1, "city", DAY + datetime.timedelta(days=1))
    assert key != dm.dedup_key(8, "crm.lead", 1, "city", DAY)
    assert key != dm.dedup_key(7, "crm.lead", 1, "zip", DAY)


@pytest.mark.parametrize(
    ("values", "expected"),
    [([], 0.0), ([4], 4.0), ([1, 9, 5], 5.0), ([10, 0, 4, 6], 5.0)],
)
def test_median(values, expected):
    assert dm.median(values) == expected


def test_free_rider_rule():
    team = [40, 30, 2, 0]
    team_median = dm.median(team)  # 16
    # enough leads, below half of the median
    assert dm.is_free_rider(2, 10, team_median, 5, 50)
    # exactly at the share is not below it
    assert not dm.is_free_rider(8, 10, team_median, 5, 50)
    # too few leads received: never a free rider
    assert not dm.is_free_rider(0, 4, team_median, 5, 50)
    # a team that maintains nothing flags nobody
    assert not dm.is_free_rider(0, 10, dm.median([0, 0, 0]), 5, 50)
    # share 100 % means "below the median"
    assert dm.is_free_rider(15, 10, team_median, 5, 100)


@given(st.lists(st.integers(0, 10_000), max_size=15))
def test_median_is_the_middle_value(values):
    assert dm.median(values) == (statistics.median(values) if values else 0)


@given(
    points=st.integers(0, 50),
    leads=st.integers(0, 20),
    team=st.lists(st.integers(0, 50), min_size=1, max_size=8),
    min_leads=st.integers(0, 10),
    share=st.floats(0, 100),
)
def test_free_rider_properties(points, leads, team, min_leads, share):
    team_median = dm.median(team)
    flagged = dm.is_free_rider(points, leads, team_median, min_leads, share)
    if leads < min_leads or team_median == 0 or share == 0:
        assert not flagged
    if flagged:
        # fewer points or more leads received keep a user below team level
        assert dm.is_free_rider(points // 2, leads, team_median, min_leads, share)
        assert dm.is_free_rider(points, leads + 1, team_median, min_leads, share)
    elif leads >= min_leads:
        assert points >= team_median * share / 100


def test_points_per_lead():
    assert dm.points_per_lead(12, 4) == 3.0
    assert dm.points_per_lead(12, 0) == 0.0


def test_check_settings():
    assert dm.check_settings({"completed": 2, "corrected": 0}, 50, 5) == []
    assert dm.check_settings({"completed": -1, "verified": 1}, 50, 5) == [("points", "completed")]
    assert dm.check_settings({}, 101, 5) == [("share", None)]
    assert dm.check_settings({}, -0.5, -1) == [("share", None), ("min_leads", None)]
