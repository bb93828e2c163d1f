# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Which members of a pool may receive a lead (R12): pure functions, no Odoo.

A member may be restricted to countries, to an offer type and to tags; an empty restriction
means any. A lead the member declined or already had (``tried``) is not offered to it again.
"""


def is_eligible(criteria, country, offer_type, tags):
    """Whether a member with ``criteria`` (countries, offer type, tags) may receive a lead of
    ``country``, ``offer_type`` and ``tags``."""
    countries, member_offer_type, member_tags = criteria
    return (
        (not countries or country in countries)
        and (not member_offer_type or offer_type == member_offer_type)
        and (not member_tags or bool(set(member_tags) & set(tags)))
    )


def is_restricted(criteria):
    """Whether the criteria restrict the member at all."""
    countries, offer_type, tags = criteria
    return bool(countries or offer_type or tags)


def eligible_members(criteria_by_member, country, offer_type, tags, tried=()):
    """The keys of the members that may receive the lead: eligible and not ``tried``.
    ``criteria_by_member``: {member key: (countries, offer type, tags)}."""
    tried = set(tried)
    return frozenset(
        key
        for key, criteria in criteria_by_member.items()
        if key not in tried and is_eligible(criteria, country, offer_type, tags)
    )
