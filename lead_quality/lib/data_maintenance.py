# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Pure rules of the data-maintenance incentives (no Odoo import).

* which change of a maintained field is which kind of act (``completed``,
  ``corrected``) and which change earns nothing;
* the day-limit key: at most one credited act per user, record, field and day;
* the free-rider rule: a user who received at least ``min_leads`` leads in the
  period and whose points stay below ``share_percent`` % of the team median.
"""

COMPLETED = "completed"
CORRECTED = "corrected"
VERIFIED = "verified"
KINDS = (COMPLETED, CORRECTED, VERIFIED)

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


def plan_acts(user_id, day, changes, points, existing_keys=()):
    """Acts to record for one write.

    :param changes: iterable of ``(res_model, res_id, field_name, old, new, company_id)``
        tuples, optionally with a 7th item forcing the kind (see ``verified_change``)
    :param points: dict kind -> points
    :param existing_keys: day-limit keys already credited (from the database)
    :return: list of dicts ready for ``create``
    """
    seen = set(existing_keys)
    acts = []
    for res_model, res_id, field_name, old, new, company_id, *forced in changes:
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


def check_settings(points_by_kind, share_percent, min_leads):
    """Codes of out-of-range settings (empty list when all is valid).

    ``("points", kind)`` negative points, ``("share", None)`` share outside
    0-100 %, ``("min_leads", None)`` negative minimum of leads.  The caller
    turns them into translated messages.
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
    return errors
