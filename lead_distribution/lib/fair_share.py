# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The fair-share choice of lead distribution, without Odoo.

Every member of a pool has a weight (its capacity share).  Over a fairness period, member *i*
should receive its share of the leads *and* of their quality (sum of quality scores).  Its
share of a lead is ``w_i / W``, ``W`` the total weight of the members that could take leads
when the lead was distributed: **a share accrues only while the member is available** (and
not at its limit), so someone back from leave is neither flooded with the leads distributed
while it was away nor starved for them.  The accrued shares are the member's *entitlement*
``E_i`` (leads) and ``QE_i`` (quality); :func:`distribute` decides, for a batch of leads, who
receives each one:

* **Quantity** follows Tijdeman's "chairman assignment" rule: a lead goes to a member whose
  quantity deficit ``E_i - count_i`` (this lead's share included) is at least
  ``sigma = 1 / (2n - 2)`` and, among those, to the one whose deficit reaches
  ``1 - sigma`` first.  With the same members throughout, this keeps every member's count
  within one lead of its share at every step.
* **Quality**: members whose deadline is equal (e.g. equal weights and equal counts) are told
  apart by how far their quality sum is above their quality entitlement relative to their
  weight, lowest first, then by the member served least recently, then by their key.  The
  batch is matched best lead first (ties: oldest first), so each "round" gives its best lead
  to the member with the lowest quality: with equal weights the quality sums of any two
  members then differ by at most the best single score.
* **Preferred members** (the customer's own salesperson, the partner serving it, the holder
  of the open lead it duplicates): a lead goes to the first of them that can take it and is
  counted in its share like any other lead, so matching can neither hoard leads nor starve
  the others: a member ahead of its share by its matched leads receives no other lead until
  the others caught up.
* **Limits**: a member's ``capacity`` is how many leads it can still take (open leads, leads
  per day); a member at its limit is skipped (the decisions say so) and accrues no share
  until the next batch.
* **Away or at its limit, a member settles its fraction**: its deficit's fraction of a lead
  (it was owed, or ahead by, less than one lead) goes to the members present, by weight, so
  that it comes back level and the members present share exactly the leads they distribute;
  whole leads (e.g. of matched leads) stay with it.  Without this no rule can keep every
  member within one lead of its share: three of six members receive a lead each, the other
  three go away, and the next lead puts one of the first three 7/6 leads above its share.
* **Eligibility**: a lead only goes to the members it names as eligible; when none of the
  members entitled by quantity is eligible, the eligible member furthest below its share
  gets it.  A lead that no member can take is returned as unassigned.

The function is pure and deterministic: same input, same output; the input is not mutated.
"""

import math
from dataclasses import dataclass

__all__ = ["Decision", "LeadIn", "MemberIn", "MemberState", "accrue", "distribute", "settled"]

# why a preferred member did not get a lead
AWAY, FULL, INELIGIBLE = "away", "full", "ineligible"


@dataclass(frozen=True)
class MemberIn:
    """A member as the distribution sees it at the start of a batch.

    ``entitled`` / ``quality_entitled``: its share of the leads (and of their quality) of the
    period so far, accrued while it was available; ``None``: the member was available for
    every lead the members received (its share of their total).  ``capacity``: how many leads
    it can still take in this batch (``None``: no limit).  ``available``: ``False`` for a
    member away (it receives nothing, accrues nothing and settles its fraction)."""

    key: object
    weight: float = 1.0
    count: int = 0  # leads received in the fairness period so far
    quality: float = 0.0  # sum of their quality scores
    last_served: float = 0.0  # when it last received a lead (larger = more recent)
    channel: str = "direct"
    entitled: float | None = None
    quality_entitled: float | None = None
    capacity: int | None = None
    available: bool = True


@dataclass(frozen=True)
class LeadIn:
    """A lead to distribute: its quality score, the keys of its eligible members, and the
    members it should go to first (in that order) when they can take it."""

    key: object
    score: float = 0.0
    eligible: frozenset | None = None  # None: every member is eligible
    preferred: tuple = ()


@dataclass
class MemberState:
    """Running state of one member during a batch; ``accrued`` / ``quality_accrued``: the
    share of this batch's leads (and quality) it accrued."""

    key: object
    weight: float
    count: int
    quality: float
    last_served: float
    channel: str
    entitled: float = 0.0
    quality_entitled: float = 0.0
    capacity: int | None = None
    available: bool = True
    accrued: float = 0.0
    quality_accrued: float = 0.0
    share: float = 0.0  # its share of the batch's first lead (0 when at its limit)


@dataclass(frozen=True)
class Decision:
    """Who received a lead and why: the figures at decision time.

    ``rule``: "quantity", "quality", "recency", "order", "eligibility" or "preferred" (it went
    to the first preferred member that could take it).  ``passed_over``: the preferred members
    that could not, as ``(key, reason)`` with reason "away" (not among the members), "full"
    (at its limit) or "ineligible".  ``skipped``: the eligible members skipped because they
    were at their limit."""

    lead: object
    member: object
    rule: str
    count_before: int
    quality_before: float
    quantity_deficit: float  # E_i - count_i before the lead, this lead's share included
    quality_deficit: float  # QE_i - quality_i, this lead's share included
    passed_over: tuple = ()
    skipped: tuple = ()


def _validate(members):
    if not members:
        raise ValueError("no member to distribute to")
    keys = set()
    for member in members:
        if member.weight is None or member.weight <= 0:
            raise ValueError(f"member {member.key!r}: weight must be positive")
        if member.capacity is not None and member.capacity < 0:
            raise ValueError(f"member {member.key!r}: capacity must not be negative")
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


def settled(deficit):
    """The part of a deficit a member away or at its limit hands over to the members present:
    its fraction of a lead (towards zero); whole leads stay with it."""
    return math.fmod(deficit, 1.0)


class _Batch:
    """The running figures of a batch, by member position (plain lists: the loop over the
    leads runs once per lead, and only a lead's receiver changes besides the shares).

    A member's entitlement is ``base[i] + (clock - since) * share[i]``: ``clock`` counts the
    leads distributed in the batch, and the bases are re-set whenever the shares change (a
    member reaching its limit).  Quality likewise with ``quality_clock`` (the quality
    distributed)."""

    def __init__(self, members):
        self.states = []
        total_count = sum(m.count for m in members)
        total_quality = sum(float(m.quality) for m in members)
        open_weight = sum(m.weight for m in members if m.available and m.capacity != 0)
        for m in members:
            can = m.available and m.capacity != 0
            # without figures of its own: its share of everything the members received
            share = m.weight / open_weight if can else 0.0
            implicit = total_count * share if can else float(m.count)
            quality_implicit = total_quality * share if can else float(m.quality)
            self.states.append(
                MemberState(
                    key=m.key,
                    weight=m.weight,
                    count=m.count,
                    quality=float(m.quality),
                    last_served=m.last_served,
                    channel=m.channel,
                    entitled=implicit if m.entitled is None else float(m.entitled),
                    quality_entitled=(
                        quality_implicit
                        if m.quality_entitled is None
                        else float(m.quality_entitled)
                    ),
                    capacity=m.capacity,
                    available=m.available,
                )
            )
        self.position = {s.key: i for i, s in enumerate(self.states)}
        self.count = [s.count for s in self.states]
        self.clock = 0
        self.quality_clock = 0.0
        self.served = max((s.last_served for s in self.states), default=0.0)
        self.open = [s.available and s.capacity != 0 for s in self.states]
        self._reshare([s.entitled for s in self.states], [s.quality_entitled for s in self.states])
        for s, share in zip(self.states, self.share, strict=True):
            s.share = share

    def _reshare(self, entitled, quality_entitled):
        """The shares of the members that can take leads, the members that cannot settled
        (see :func:`settled`), and the bases they accrue from."""
        states = self.states
        weight = sum(s.weight for s, can in zip(states, self.open, strict=True) if can)
        self.share = [
            s.weight / weight if can else 0.0 for s, can in zip(states, self.open, strict=True)
        ]
        if weight:
            for i, s in enumerate(states):
                if self.open[i]:
                    continue
                deficit = entitled[i] - self.count[i]
                handed = settled(deficit)
                # quality goes with it while the member is within one lead of its share
                quality_handed = quality_entitled[i] - s.quality if abs(deficit) < 1 else 0.0
                if not (handed or quality_handed):
                    continue
                entitled[i] -= handed
                quality_entitled[i] -= quality_handed
                for j, share in enumerate(self.share):
                    if share:
                        entitled[j] += handed * share
                        quality_entitled[j] += quality_handed * share
        self.base, self.quality_base = entitled, quality_entitled
        self.since, self.quality_since = self.clock, self.quality_clock
        n = sum(self.open)
        self.sigma = 1.0 / (2 * n - 2) if n > 1 else 0.0
        self.threshold = self.sigma - 1e-12
        self.keys = [self._sort_key(i) for i in range(len(states))]

    def entitled(self, i, clock=None):
        clock = self.clock if clock is None else clock
        return self.base[i] + (clock - self.since) * self.share[i]

    def quality_entitled(self, i, quality_clock=None):
        quality_clock = self.quality_clock if quality_clock is None else quality_clock
        return self.quality_base[i] + (quality_clock - self.quality_since) * self.share[i]

    def _sort_key(self, i):
        """Deadline of its next lead (the clock at which its deficit reaches ``1 - sigma``),
        quality above its entitlement relative to its weight, recency, position."""
        s = self.states[i]
        if not self.open[i]:
            return (math.inf, 0.0, s.last_served, i)
        deadline = self.since + (s.count + 1 - self.sigma - self.base[i]) / self.share[i]
        # the quality entitlement grows alike for everyone (by the weight's share):
        # comparing against the base gives the same order as against the entitlement
        surplus = (s.quality - self.quality_base[i]) / s.weight
        return (round(deadline, 9), round(surplus, 9), s.last_served, i)

    def deficit(self, i, step):
        return self.entitled(i, step) - self.count[i]

    def choose(self, lead):
        """(position, rule, passed over, skipped) for ``lead``, or ``None`` if nobody can."""
        states, eligible = self.states, lead.eligible
        step = self.clock + 1
        passed_over = []
        for key in lead.preferred:
            i = self.position.get(key)
            if i is None or not states[i].available:
                passed_over.append((key, AWAY))
            elif eligible is not None and key not in eligible:
                passed_over.append((key, INELIGIBLE))
            elif not self.open[i]:
                passed_over.append((key, FULL))
            else:
                return i, "preferred", tuple(passed_over), ()
        if eligible is None:
            candidates = range(len(states))
        else:
            candidates = [self.position[key] for key in eligible if key in self.position]
        pool = [i for i in candidates if self.open[i]]
        if not pool:
            return None
        skipped = tuple(
            sorted(
                (states[i].key for i in candidates if states[i].available and not self.open[i]),
                key=str,
            )
        )
        entitled = [i for i in pool if self.deficit(i, step) >= self.threshold]
        if entitled:
            # the smallest keys first (unique: they end with the member's position)
            ranked = sorted(entitled, key=self.keys.__getitem__)
            second = self.keys[ranked[1]] if len(ranked) > 1 else None
            rule = _rule(self.keys[ranked[0]], second)
        else:
            best = max(self.deficit(i, step) for i in pool)
            ranked = sorted(
                (i for i in pool if self.deficit(i, step) >= best - 1e-9),
                key=self.keys.__getitem__,
            )
            rule = "eligibility" if eligible is not None else "quantity"
        return ranked[0], rule, tuple(passed_over), skipped

    def give(self, i, lead, rule, passed_over, skipped):
        s = self.states[i]
        score = float(lead.score or 0.0)
        self.clock += 1
        self.quality_clock += score
        decision = Decision(
            lead=lead.key,
            member=s.key,
            rule=rule,
            count_before=s.count,
            quality_before=s.quality,
            quantity_deficit=self.entitled(i) - s.count,
            quality_deficit=self.quality_entitled(i) - s.quality,
            passed_over=passed_over,
            skipped=skipped,
        )
        self.served += 1
        s.count += 1
        s.quality += score
        s.last_served = self.served
        self.count[i] = s.count
        if s.capacity is not None:
            s.capacity -= 1
            if s.capacity == 0:
                # at its limit: the others accrue from what they are entitled to now
                everyone = range(len(self.states))
                entitled = [self.entitled(j) for j in everyone]
                quality_entitled = [self.quality_entitled(j) for j in everyone]
                self.open[i] = False
                self._reshare(entitled, quality_entitled)
                return decision
        self.keys[i] = self._sort_key(i)
        return decision

    def advance(self, count, quality):
        """``count`` leads of total quality ``quality`` received outside the batch (claims):
        every member that can take leads accrues its share of them."""
        self.clock += count
        self.quality_clock += quality

    def finish(self):
        result = {}
        for i, s in enumerate(self.states):
            entitled, quality_entitled = self.entitled(i), self.quality_entitled(i)
            s.accrued = entitled - s.entitled
            s.quality_accrued = quality_entitled - s.quality_entitled
            s.entitled, s.quality_entitled = entitled, quality_entitled
            result[s.key] = s
        return result


def distribute(members, leads):
    """Distribute ``leads`` (oldest first) among ``members``.

    :param members: iterable of :class:`MemberIn` (the members of the pool, available or not)
    :param leads: iterable of :class:`LeadIn`, oldest first
    :return: ``(decisions, unassigned, states)``: a list of :class:`Decision` in the order the
        leads were matched, the keys of the leads no member could take, and the final
        :class:`MemberState` of every member by key.
    """
    members = list(members)
    _validate(members)
    batch = _Batch(members)
    # best lead first; the oldest first among equal scores
    queue = sorted(enumerate(leads), key=lambda item: (-(item[1].score or 0.0), item[0]))
    decisions, unassigned = [], []
    for _index, lead in queue:
        choice = batch.choose(lead)
        if choice is None:
            unassigned.append(lead.key)
            continue
        decisions.append(batch.give(*choice[:1], lead, *choice[1:]))
    return decisions, unassigned, batch.finish()


def accrue(members, count=1, quality=0.0):
    """The shares of ``count`` leads of total quality ``quality`` that went to a member
    outside a distribution (a claim): every member that can take leads accrues its share,
    the others settle (as in :func:`distribute`). Return the :class:`MemberState` by key
    (``accrued`` / ``quality_accrued``: what changed)."""
    members = list(members)
    _validate(members)
    batch = _Batch(members)
    if any(batch.open):
        batch.advance(count, float(quality or 0.0))
    return batch.finish()
