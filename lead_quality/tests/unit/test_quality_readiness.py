"""Why a lead is not ready for distribution (quality_scoring.readiness_blockers)."""

import quality_scoring as qs
from hypothesis import given
from hypothesis import strategies as st

percent = st.integers(min_value=0, max_value=100)
grades = st.sampled_from(qs.GRADES)


def test_blockers_name_each_unmet_condition():
    assert qs.readiness_blockers(100, 60, "A", "C") == ()
    assert qs.readiness_blockers(50, 60, "A", "C") == (("completeness", 50, 60),)
    assert qs.readiness_blockers(100, 60, "D", "C") == (("grade", "D", "C"),)
    assert qs.readiness_blockers(0, 60, "D", "B") == (
        ("completeness", 0, 60),
        ("grade", "D", "B"),
    )
    # a medium without minimum, an empty completeness
    assert qs.readiness_blockers(None, None, "C", "C") == ()


@given(
    rank=st.integers(min_value=0, max_value=7),
    completeness=percent,
    age=st.one_of(st.none(), st.integers(min_value=0, max_value=800)),
    touches=st.integers(min_value=0, max_value=5),
    min_completeness=percent,
    min_grade=grades,
)
def test_ready_exactly_when_nothing_blocks(
    rank, completeness, age, touches, min_completeness, min_grade
):
    params = dict(qs.DEFAULT_PARAMS, min_grade=min_grade)
    _stale, _score, grade, ready = qs.lead_quality(
        rank, completeness, age, touches, min_completeness, params
    )
    blockers = qs.readiness_blockers(completeness, min_completeness, grade, min_grade)
    assert ready == (not blockers)
    kinds = {blocker[0] for blocker in blockers}
    assert ("completeness" in kinds) == (completeness < min_completeness)
    assert ("grade" in kinds) == (qs.GRADES.index(grade) > qs.GRADES.index(min_grade))
