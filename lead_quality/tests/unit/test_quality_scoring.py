"""Unit tests of the lead quality arithmetic (lib/quality_scoring.py)."""

import pytest
import quality_scoring as qs

W = {"weight_rank": 40, "weight_completeness": 40, "weight_freshness": 20, "touch_bonus": 5}


def score(rank, completeness, stale=False, touches=1, **overrides):
    params = {**W, **overrides}
    return qs.quality_score(
        rank,
        completeness,
        stale,
        touches,
        params["weight_rank"],
        params["weight_completeness"],
        params["weight_freshness"],
        params["touch_bonus"],
    )


def test_rank_points_best_worst_and_unranked():
    assert qs.rank_points(1) == 100
    assert qs.rank_points(6) == pytest.approx(100 / 6)
    assert qs.rank_points(3) == pytest.approx(400 / 6)
    assert qs.rank_points(0) == 0
    assert qs.rank_points(7) == 0
    assert qs.rank_points(-1) == 0


def test_rank_points_decrease_with_rank():
    points = [qs.rank_points(r) for r in range(1, 7)]
    assert points == sorted(points, reverse=True)
    assert len(set(points)) == 6


def test_completeness():
    assert qs.completeness(0, 0) == 100
    assert qs.completeness(4, 4) == 100
    assert qs.completeness(4, 3) == 75
    assert qs.completeness(3, 1) == 33
    assert qs.completeness(3, 2) == 67
    assert qs.completeness(5, 0) == 0
    # more filled than required cannot exceed 100
    assert qs.completeness(2, 5) == 100


def test_staleness():
    assert qs.is_stale(None, 365)
    assert not qs.is_stale(0, 365)
    assert not qs.is_stale(365, 365)
    assert qs.is_stale(366, 365)


def test_score_weighted_mean():
    # telemarketing, complete, fresh: perfect
    assert score(1, 100) == 100
    # rank 6 (16.67 points), complete, fresh: (40*16.67 + 40*100 + 20*100) / 100 = 66.67
    assert score(6, 100) == 67
    # rank 1, half complete, stale: (4000 + 2000 + 0) / 100
    assert score(1, 50, stale=True) == 60
    # unranked, nothing, stale
    assert score(0, 0, stale=True) == 0


def test_score_touch_bonus_per_extra_medium_and_cap():
    base = score(3, 50)
    assert score(3, 50, touches=2) == base + 5
    assert score(3, 50, touches=4) == base + 15
    assert score(3, 50, touches=0) == base
    assert score(1, 100, touches=5) == 100


def test_score_weights_change_result():
    assert score(6, 100, weight_rank=100, weight_completeness=0, weight_freshness=0) == 17
    assert score(6, 100, weight_rank=0, weight_completeness=100, weight_freshness=0) == 100
    assert score(6, 100, weight_rank=0, weight_completeness=0, weight_freshness=0) == 0


def test_grade_thresholds():
    assert qs.grade(100, 80, 60, 40) == "A"
    assert qs.grade(80, 80, 60, 40) == "A"
    assert qs.grade(79, 80, 60, 40) == "B"
    assert qs.grade(60, 80, 60, 40) == "B"
    assert qs.grade(59, 80, 60, 40) == "C"
    assert qs.grade(40, 80, 60, 40) == "C"
    assert qs.grade(39, 80, 60, 40) == "D"
    assert qs.grade(0, 80, 60, 40) == "D"
    assert qs.grade(50, 90, 70, 50) == "C"


def test_grade_at_least():
    assert qs.grade_at_least("A", "C")
    assert qs.grade_at_least("C", "C")
    assert not qs.grade_at_least("D", "C")
    assert not qs.grade_at_least("B", "A")
    assert not qs.grade_at_least(False, "D")


def test_thresholds_and_weights_validation():
    assert qs.thresholds_valid(80, 60, 40)
    assert qs.thresholds_valid(100, 50, 0)
    assert not qs.thresholds_valid(60, 80, 40)
    assert not qs.thresholds_valid(80, 60, 60)
    assert not qs.thresholds_valid(101, 60, 40)
    assert not qs.thresholds_valid(80, 60, -1)
    assert qs.weights_valid(40, 40, 20)
    assert qs.weights_valid(0, 0, 1)
    assert not qs.weights_valid(0, 0, 0)
    assert not qs.weights_valid(-1, 50, 50)


def test_evidence_score_leaves_out_missing_rates():
    assert qs.evidence_score(90, 60, 30) == pytest.approx(60)
    assert qs.evidence_score(None, 60, 30) == pytest.approx(45)
    assert qs.evidence_score(None, None, None) == 0


def test_evidence_ranks_order_and_tie_break():
    ranks = qs.evidence_ranks(
        [("Phone", 40, 100), ("Event", 70, 10), ("Fair", 40, 500), ("Web", 10, 0)]
    )
    assert ranks == {"Event": 1, "Fair": 2, "Phone": 3, "Web": 4}
    assert qs.evidence_ranks([]) == {}


def test_lead_quality_chain():
    params = dict(qs.DEFAULT_PARAMS)
    # rank 1, complete, fresh, one medium: 100 points, grade A, ready
    assert qs.lead_quality(1, 100, 10, 1, 60, params) == (False, 100, "A", True)
    # never verified: stale, freshness points lost -> 80, still A
    assert qs.lead_quality(1, 100, None, 1, 60, params) == (True, 80, "A", True)
    # older than the freshness age: stale as well
    assert qs.lead_quality(1, 100, 366, 1, 60, params)[0] is True
    assert qs.lead_quality(1, 100, 365, 1, 60, params)[0] is False
    # below the medium's minimum completeness: not ready even with grade A
    # (0.4 * 100 + 0.4 * 50 + 0.2 * 100 = 80, plus 2 extra media * 5 = 90)
    assert qs.lead_quality(1, 50, 0, 3, 60, params) == (False, 90, "A", False)


def test_lead_quality_grade_gate_and_params():
    params = dict(qs.DEFAULT_PARAMS, min_grade="B")
    # rank 6, half complete, fresh: 0.4 * 16.7 + 0.4 * 50 + 0.2 * 100 = 46.7 -> 47, grade C
    assert qs.lead_quality(6, 50, 0, 1, 0, params) == (False, 47, "C", False)
    # the same lead under a company that accepts grade C is ready
    assert qs.lead_quality(6, 50, 0, 1, 0, dict(params, min_grade="C"))[3] is True
    # weights and thresholds come from params
    only_rank = dict(params, weight_completeness=0, weight_freshness=0, threshold_a=90)
    assert qs.lead_quality(2, 0, None, 1, 0, only_rank) == (True, 83, "B", True)
