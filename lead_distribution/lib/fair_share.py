# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The fair-share choice of lead distribution, without Odoo.

Every member of a pool has a weight (its capacity share).  Over a fairness period, member *i*
should receive the share ``p_i = w_i / W`` of the leads *and* of their quality (sum of quality
scores).  :func:`distribute` decides, for a batch of leads, who receives each one:

* **Quantity** follows Tijdeman's "chairman assignment" rule: the *t*-th lead of the period goes
  to a member whose quantity deficit ``t * p_i - count_i`` is at least ``sigma = 1 / (2n - 2)``
  and, among those, to the one with the earliest deadline ``(count_i + 1 - sigma) / p_i``.  This
  keeps every member's count within one lead of its exact share ``t * p_i`` at every step.
* **Quality**: members whose deadline is equal (e.g. equal weights and equal counts) are told
  apart by their quality sum relative to their weight, lowest first, then by the member served
  least recently, then by their key.  The batch is matched best lead first (ties: oldest first),
  so each "round" gives its best lead to the member with the lowest quality sum: with equal
  weights the quality sums of any two members then differ by at most the best single score.
* **Eligibility**: a lead only goes to the members it names as eligible; when none of the members
  entitled by quantity is eligible, the eligible member furthest below its quantity share gets it.
  A lead without any eligible member is returned as unassigned.

The function is pure and deterministic: same input, same output; the input is not mutated.
"""

from dataclasses import dataclass

__all__ = ["Decision", "LeadIn", "MemberIn", "MemberState", "distribute"]


@dataclass(frozen=True)
class MemberIn:
    """A member as the distribution sees it at the start of a batch."""

    key: object
    weight: float = 1.0
    count: int = 0  # leads received in the fairness period so far
    quality: float = 0.0  # sum of their quality scores
    last_served: float = 0.0  # when it last received a lead (larger = more recent)
    channel: str = "direct"


@dataclass(frozen=True)
class LeadIn:
    """A lead to distribute: its quality score and the keys of its eligible members."""

    key: object
    score: float = 0.0
    eligible: frozenset | None = None  # None: every member is eligible


@dataclass
class MemberState:
    """Running state of one member during a batch."""

    key: object
    weight: float
    count: int
    quality: float
    last_served: float
    channel: str
    share: float = 0.0


@dataclass(frozen=True)
class Decision:
    """Who received a lead and why: the figures at decision time."""

    lead: object
    member: object
    rule: str  # "quantity", "quality", "recency", "order" or "eligibility"
    count_before: int
    quality_before: float
    quantity_deficit: float  # t * p_i - count_i before the lead
    quality_deficit: float  # Q * p_i - quality_i before the lead (Q incl. this lead)


def _validate(members):
    if not members:
        raise ValueError("no member to distribute to")
    keys = set()
    for member in members:
        if member.weight is None or member.weight <= 0:
            raise ValueError(f"member {member.key!r}: weight must be positive")
        if member.key in keys:
            raise ValueError(f"member {member.key!r} twice")
        keys.add(member.key)


def _rule(first, second):
    """Which criterion decided between the two best keys of the members entitled by quantity."""
    if second is None or first[0] != second[0]:
        return "quantity"
    if first[1] != second[1]:
        return "quality"
    return "recency" if first[2] != second[2] else "order"


def distribute(members, leads):
    """Distribute ``leads`` (oldest first) among ``members``.

    :param members: iterable of :class:`MemberIn` (the available members of the pool)
    :param leads: iterable of :class:`LeadIn`, oldest first
    :return: ``(decisions, unassigned, states)``: a list of :class:`Decision` in the order the
        leads were matched, the keys of the leads no member could take, and the final
        :class:`MemberState` of every member by key.
    """
    members = list(members)
    _validate(members)
    total_weight = sum(m.weight for m in members)
    states = {
        m.key: MemberState(
            key=m.key,
            weight=m.weight,
            count=m.count,
            quality=float(m.quality),
            last_served=m.last_served,
            channel=m.channel,
            share=m.weight / total_weight,
        )
        for m in members
    }
    everyone = list(states.values())
    n = len(members)
    sigma = 1.0 / (2 * n - 2) if n > 1 else 0.0
    threshold = sigma - 1e-12
    total_count = sum(s.count for s in everyone)
    total_quality = sum(s.quality for s in everyone)
    # the running figures by member position (plain lists: this loop runs once per lead)
    share = [s.share for s in everyone]
    count = [s.count for s in everyone]
    position = {s.key: index for index, s in enumerate(everyone)}

    def sort_key(i):
        # deadline of its next lead, quality relative to weight, recency, position
        s = everyone[i]
        return (
            round((s.count + 1 - sigma) / s.share, 9),
            round(s.quality / s.weight, 9),
            s.last_served,
            i,
        )

    # a member's sort key only changes when it receives a lead: computed once, then updated
    keys = [sort_key(i) for i in range(n)]
    # best lead first; the oldest first among equal scores
    queue = sorted(enumerate(leads), key=lambda item: (-(item[1].score or 0.0), item[0]))
    clock = max((s.last_served for s in everyone), default=0.0)
    decisions, unassigned = [], []
    all_positions = range(n)
    for _index, lead in queue:
        score = float(lead.score or 0.0)
        eligible = lead.eligible
        pool = (
            all_positions
            if eligible is None
            else [i for i in all_positions if everyone[i].key in eligible]
        )
        if not pool:
            unassigned.append(lead.key)
            continue
        step = total_count + 1
        entitled = [i for i in pool if step * share[i] - count[i] >= threshold]
        if entitled:
            # the smallest keys first (unique: they end with the member's position)
            ranked = sorted(entitled, key=keys.__getitem__)
            rule = _rule(keys[ranked[0]], keys[ranked[1]] if len(ranked) > 1 else None)
        else:
            best = max(step * share[i] - count[i] for i in pool)
            candidates = [i for i in pool if step * share[i] - count[i] >= best - 1e-9]
            ranked = sorted(candidates, key=keys.__getitem__)
            rule = "eligibility"
        chosen = everyone[ranked[0]]
        quality_after = total_quality + score
        decisions.append(
            Decision(
                lead=lead.key,
                member=chosen.key,
                rule=rule,
                count_before=chosen.count,
                quality_before=chosen.quality,
                quantity_deficit=step * chosen.share - chosen.count,
                quality_deficit=quality_after * chosen.share - chosen.quality,
            )
        )
        clock += 1
        chosen.count += 1
        chosen.quality += score
        chosen.last_served = clock
        i = position[chosen.key]
        count[i] = chosen.count
        keys[i] = sort_key(i)
        total_count += 1
        total_quality += score
    return decisions, unassigned, states
