"""Property tests of the members' eligibility and of the waiting rule: no Odoo, no database."""

from distribution_state import PENDING_STATES, is_waiting, waiting_domain
from eligibility import eligible_members, is_eligible, is_restricted
from hypothesis import given, settings
from hypothesis import strategies as st

ids = st.integers(min_value=1, max_value=6)
id_sets = st.frozensets(ids, max_size=3)
offer_types = st.sampled_from([False, "standard", "complex"])
criteria = st.tuples(id_sets, offer_types, id_sets)


@settings(max_examples=300, deadline=None)
@given(rule=criteria, country=st.one_of(st.just(False), ids), offer=offer_types, tags=id_sets)
def test_each_restriction_is_a_condition_and_an_empty_one_allows_all(rule, country, offer, tags):
    countries, offer_type, member_tags = rule
    eligible = is_eligible(rule, country, offer, tags)
    assert eligible == (
        (not countries or country in countries)
        and (not offer_type or offer_type == offer)
        and (not member_tags or bool(member_tags & tags))
    )
    if not is_restricted(rule):
        assert eligible
    # widening a restriction to nothing never makes a member ineligible
    assert not eligible or is_eligible((frozenset(), offer_type, member_tags), country, offer, tags)


@settings(max_examples=300, deadline=None)
@given(
    rules=st.dictionaries(ids, criteria, max_size=6),
    country=ids,
    offer=offer_types,
    tags=id_sets,
    tried=id_sets,
)
def test_eligible_members_are_the_eligible_ones_not_tried(rules, country, offer, tags, tried):
    chosen = eligible_members(rules, country, offer, tags, tried)
    assert chosen == {
        key
        for key, rule in rules.items()
        if key not in tried and is_eligible(rule, country, offer, tags)
    }
    assert not chosen & tried


def _matches(domain, record):
    """Evaluate a prefix-notation domain of '|', '&' and (field, 'in'/'=', value) leaves."""

    def term(index):
        item = domain[index]
        if item in ("|", "&"):
            left, index = term(index + 1)
            right, index = term(index)
            return (left or right) if item == "|" else (left and right), index
        field, operator, value = item
        actual = record[field]
        return (actual in value if operator == "in" else actual == value), index + 1

    result, end = term(0)
    assert end == len(domain)
    return result


states = st.sampled_from([False, *PENDING_STATES, "assigned", "offered", "accepted"])


@settings(max_examples=200, deadline=None)
@given(state=states, user_id=st.one_of(st.just(False), ids), active=st.booleans())
def test_waiting_domain_is_the_python_rule(state, user_id, active):
    record = {"distribution_state": state, "user_id": user_id}
    assert is_waiting(state, user_id, active) == (active and _matches(waiting_domain(), record))
    if state in PENDING_STATES:
        assert is_waiting(state, user_id, True), "a lead back in the pool waits, held or not"
    if state and state not in PENDING_STATES:
        assert not is_waiting(state, user_id, True)
