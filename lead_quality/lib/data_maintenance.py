# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Pure rules of the data-maintenance incentives (no Odoo import).

* which change of a maintained field is which kind of act (``completed``,
  ``corrected``) and which change earns nothing;
* the day-limit key: at most one credited act per user, record, field and day;
* the free-rider rule ("maintenance below team level"): a user who received at least
  ``min_leads`` leads in the period and whose points stay below ``share_percent`` % of the
  team median. The scoreboard (``report/lead_maintenance_scoreboard.py``) computes it for
  all users at once in its SQL view; ``tests/test_maintenance_scoreboard_rule.py`` checks
  the view against ``median``, ``points_per_lead`` and ``is_free_rider`` on random data;
* credit only for real work: a verification earns credit only when the record was due
  (never verified, or longer ago than the freshness age) and the user is responsible for it
  (its salesperson or data steward); bulk edits earn at most a daily number of acts.
"""

COMPLETED = "completed"
CORRECTED = "corrected"
VERIFIED = "verified"
KINDS = (COMPLETED, CORRECTED, VERIFIED)

#: default points per kind: a correction cannot be told apart from overwriting good data,
#: so it never pays more than completing an empty field
DEFAULT_POINTS = {COMPLETED: 2, CORRECTED: 1, VERIFIED: 1}
#: default number of acts a user earns per day from writes over several records at once
DEFAULT_BULK_DAILY_LIMIT = 50

#: pseudo field name of a "Data verified" act (it confirms the whole record)
VERIFIED_FIELD = "data_verified_date"

#: default maintained fields (technical names) per model
DEFAULT_LEAD_FIELDS = (
    "email_from",
    "phone",
    "mobile",
    "street",
    "zip",
    "city",
    "country_id",
    "website",
    "function",
    "partner_name",
)
DEFAULT_PARTNER_FIELDS = (
    "email",
    "phone",
    "mobile",
    "street",
    "zip",
    "city",
    "country_id",
    "website",
    "function",
    "company_name",
    "vat",
)
#: contact fields whose absence puts a contact on its steward's "To verify" list
CONTACT_CORE_FIELDS = ("email", "phone", "city", "country_id")


def normalize(value):
    """Comparable form of a field value: empty values become ``None``.

    Strings are stripped (a change of surrounding blanks is no maintenance),
    records are represented by their id (the caller passes ids or ``False``).
    """
    if value is None or value is False:
        return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(sorted(value)) or None
    return value


def classify_change(old, new):
    """Kind of act for a field going from ``old`` to ``new``, or ``None``.

    empty -> filled is ``completed``, value -> other value is ``corrected``;
    clearing a value or writing the same value again earns nothing.
    """
    old, new = normalize(old), normalize(new)
    if new is None or old == new:
        return None
    return COMPLETED if old is None else CORRECTED


def dedup_key(user_id, res_model, res_id, field_name, day):
    """Key of the day limit: one credited act per user, record, field and day."""
    return (user_id, res_model, res_id, field_name, day)


def plan_acts(user_id, day, changes, points, existing_keys=(), limit=None):
    """Acts to record for one write.

    :param changes: iterable of ``(res_model, res_id, field_name, old, new, company_id)``
        tuples, optionally with a 7th item forcing the kind (see ``verified_change``)
    :param points: dict kind -> points
    :param existing_keys: day-limit keys already credited (from the database)
    :param limit: at most this many acts (the first ones in ``changes`` order); None: no limit
    :return: list of dicts ready for ``create``
    """
    seen = set(existing_keys)
    acts = []
    for res_model, res_id, field_name, old, new, company_id, *forced in changes:
        if limit is not None and len(acts) >= limit:
            break
        kind = forced[0] if forced else classify_change(old, new)
        if not kind:
            continue
        key = dedup_key(user_id, res_model, res_id, field_name, day)
        if key in seen:
            continue
        seen.add(key)
        acts.append(
            {
                "user_id": user_id,
                "res_model": res_model,
                "res_id": res_id,
                "field_name": field_name,
                "kind": kind,
                "points": points.get(kind, 0),
                "date": day,
                "company_id": company_id,
            }
        )
    return acts


def verified_change(res_model, res_id, company_id):
    """Change tuple of a "Data verified" confirmation of a whole record."""
    return (res_model, res_id, VERIFIED_FIELD, None, True, company_id, VERIFIED)


def verification_due(verified_dates, today, freshness_days):
    """Whether a record's data is due for verification on ``today``.

    ``verified_dates`` are the days the data is known to have been verified (the record's
    verification date, the last credited verification; empty values ignored). Due when
    none is known or the latest is more than ``freshness_days`` days old, the same age at
    which a lead's data counts as stale.
    """
    known = [day for day in verified_dates if day]
    if not known:
        return True
    return (today - max(known)).days > freshness_days


def verification_creditable(user_id, responsible_ids, verified_dates, today, freshness_days):
    """Whether confirming a record's data earns ``user_id`` a verified act.

    Only a user responsible for the record (``responsible_ids``: its salesperson, its
    data steward) earns it, and only when the verification was due: re-confirming fresh
    data is no work.
    """
    if not user_id or user_id not in set(responsible_ids):
        return False
    return verification_due(verified_dates, today, freshness_days)


def bulk_allowance(daily_limit, credited_today):
    """Acts a write over several records may still credit today.

    ``daily_limit`` acts per user and day (0 or empty: bulk edits earn nothing), minus the
    ``credited_today`` acts of earlier bulk edits of the day; never negative.
    """
    return max((daily_limit or 0) - (credited_today or 0), 0)


def rewards_overwriting(points_by_kind):
    """True when correcting a value pays more than filling an empty field."""
    return (points_by_kind.get(CORRECTED) or 0) > (points_by_kind.get(COMPLETED) or 0)


def median(values):
    """Median of a list of numbers; 0 for an empty list."""
    ordered = sorted(values)
    count = len(ordered)
    if not count:
        return 0.0
    middle = count // 2
    if count % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2.0


def is_free_rider(points, leads_received, team_median, min_leads, share_percent):
    """True when the user consumed enough leads but maintains too little.

    A team whose median is 0 flags nobody: the user is only compared to peers.
    """
    if leads_received < min_leads:
        return False
    return points < team_median * share_percent / 100.0


def points_per_lead(points, leads_received):
    """Maintenance points per lead received (0 without leads)."""
    return points / leads_received if leads_received else 0.0


def check_settings(points_by_kind, share_percent, min_leads, bulk_limit=None):
    """Codes of out-of-range settings (empty list when all is valid).

    ``("points", kind)`` negative points, ``("share", None)`` share outside
    0-100 %, ``("min_leads", None)`` negative minimum of leads, ``("bulk_limit", None)``
    negative daily limit of bulk acts.  The caller turns them into translated messages.
    """
    errors = [
        ("points", kind)
        for kind, value in sorted(points_by_kind.items())
        if value is not None and value < 0
    ]
    if share_percent is not None and not 0 <= share_percent <= 100:
        errors.append(("share", None))
    if min_leads is not None and min_leads < 0:
        errors.append(("min_leads", None))
    if bulk_limit is not None and bulk_limit < 0:
        errors.append(("bulk_limit", None))
    return errors
