"""Property tests of the fair-share choice (R11, R12): no Odoo, no database."""

import pytest
from fair_share import LeadIn, MemberIn, distribute
from hypothesis import given, settings
from hypothesis import strategies as st

scores = st.integers(min_value=0, max_value=100)
lead_scores = st.lists(scores, min_size=0, max_size=120)


def _leads(values):
    return [LeadIn(key=index, score=value) for index, value in enumerate(values)]


def _result(members, values):
    decisions, unassigned, states = distribute(members, _leads(values))
    return decisions, unassigned, states


@settings(max_examples=300, deadline=None)
@given(n=st.integers(min_value=1, max_value=8), values=lead_scores)
def test_equal_weights_counts_within_one_and_quality_within_best_score(n, values):
    members = [MemberIn(key=f"m{i}") for i in range(n)]
    decisions, unassigned, states = _result(members, values)
    assert not unassigned
    assert len(decisions) == len(values)
    counts = [s.count for s in states.values()]
    qualities = [s.quality for s in states.values()]
    assert max(counts) - min(counts) <= 1
    best = max(values, default=0)
    assert max(qualities) - min(qualities) <= best


@settings(max_examples=200, deadline=None)
@given(n=st.integers(min_value=2, max_value=6), batches=st.lists(lead_scores, max_size=6))
def test_equal_weights_counts_stay_within_one_over_successive_batches(n, batches):
    """Batch after batch (the state carried over), counts never drift apart."""
    members = [MemberIn(key=i) for i in range(n)]
    for values in batches:
        _decisions, _unassigned, states = _result(members, values)
        members = [
            MemberIn(
                key=s.key,
                weight=s.weight,
                count=s.count,
                quality=s.quality,
                last_served=s.last_served,
            )
            for s in states.values()
        ]
        counts = [m.count for m in members]
        assert max(counts) - min(counts) <= 1


@settings(max_examples=300, deadline=None)
@given(
    weights=st.lists(st.integers(min_value=1, max_value=10), min_size=1, max_size=7),
    values=lead_scores,
)
def test_weighted_counts_track_weights_within_one_lead(weights, values):
    members = [MemberIn(key=i, weight=float(w)) for i, w in enumerate(weights)]
    total_weight = sum(weights)
    decisions, _unassigned, _states = _result(members, values)
    counts = dict.fromkeys(range(len(weights)), 0)
    # after every single lead, not only at the end
    for step, decision in enumerate(decisions, start=1):
        counts[decision.member] += 1
        for key, weight in enumerate(weights):
            assert abs(counts[key] - step * weight / total_weight) < 1


@settings(max_examples=200, deadline=None)
@given(
    n_direct=st.integers(min_value=1, max_value=5),
    n_partner=st.integers(min_value=1, max_value=5),
    values=st.lists(scores, min_size=1, max_size=150),
)
def test_partners_do_not_get_systematically_worse_leads(n_direct, n_partner, values):
    """R12: per member, partners' average quality is not below direct sales' beyond the
    unavoidable rounding of one lead."""
    members = [MemberIn(key=f"d{i}", channel="direct") for i in range(n_direct)]
    members += [MemberIn(key=f"p{i}", channel="partner") for i in range(n_partner)]
    _decisions, _unassigned, states = _result(members, values)

    def per_member(channel):
        group = [s for s in states.values() if s.channel == channel]
        return sum(s.quality for s in group) / len(group)

    best = max(values)
    assert per_member("partner") >= per_member("direct") - best


def test_partners_get_their_share_of_the_best_leads():
    """A concrete case: 2 direct, 2 partners, leads of very different quality."""
    members = [
        MemberIn("d1"),
        MemberIn("d2"),
        MemberIn("p1", channel="partner"),
        MemberIn("p2", channel="partner"),
    ]
    values = [90, 10, 80, 20, 70, 30, 60, 40]
    _decisions, _unassigned, states = _result(members, values)
    assert {s.quality for s in states.values()} == {100.0}


@settings(max_examples=100, deadline=None)
@given(n=st.integers(min_value=1, max_value=6), values=lead_scores)
def test_deterministic_and_input_untouched(n, values):
    members = [MemberIn(key=i, count=i % 2, quality=float(i)) for i in range(n)]
    first = distribute(members, _leads(values))
    second = distribute(members, _leads(values))
    assert [(d.lead, d.member) for d in first[0]] == [(d.lead, d.member) for d in second[0]]
    assert [m.count for m in members] == [i % 2 for i in range(n)]


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=6),
    data=st.data(),
)
def test_eligibility_is_respected(n, data):
    keys = list(range(n))
    leads = data.draw(
        st.lists(
            st.builds(
                LeadIn,
                key=st.uuids(),
                score=scores,
                eligible=st.one_of(st.none(), st.frozensets(st.sampled_from(keys))),
            ),
            max_size=40,
        )
    )
    members = [MemberIn(key=k) for k in keys]
    decisions, unassigned, _states = distribute(members, leads)
    by_key = {lead.key: lead for lead in leads}
    for decision in decisions:
        eligible = by_key[decision.lead].eligible
        assert eligible is None or decision.member in eligible
    for key in unassigned:
        assert by_key[key].eligible == frozenset()
    assert len(decisions) + len(unassigned) == len(leads)


def test_history_of_the_period_counts():
    """A member far ahead in the period receives nothing until the others caught up."""
    members = [MemberIn("a", count=5, quality=300.0), MemberIn("b"), MemberIn("c")]
    decisions, _u, states = distribute(members, _leads([50] * 8))
    assert "a" not in [d.member for d in decisions]
    assert states["b"].count == states["c"].count == 4


def test_tie_goes_to_member_served_least_recently():
    members = [MemberIn("a", last_served=20.0), MemberIn("b", last_served=10.0)]
    decisions, _u, _s = distribute(members, _leads([40]))
    assert decisions[0].member == "b"
    assert decisions[0].rule == "recency"


def test_lowest_quality_sum_wins_among_equal_counts():
    members = [MemberIn("a", count=2, quality=150.0), MemberIn("b", count=2, quality=90.0)]
    decisions, _u, _s = distribute(members, _leads([70]))
    assert decisions[0].member == "b"
    assert decisions[0].rule == "quality"
    assert decisions[0].quantity_deficit == pytest.approx(0.5)


@pytest.mark.parametrize("weight", [0, -1.0, None])
def test_bad_weight_is_refused(weight):
    with pytest.raises(ValueError, match="weight"):
        distribute([MemberIn("a", weight=weight)], _leads([1]))


def test_no_member_is_refused():
    with pytest.raises(ValueError, match="no member"):
        distribute([], _leads([1]))
