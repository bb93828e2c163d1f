# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""When a lead waits for distribution: the one definition, no Odoo.

A lead waits for its pool when it is back (pending, declined, recycled) or when no
distribution touched it yet and nobody holds it (no salesperson). The pool's search, the
lock of a batch, the lead form's banners and the "To Distribute" filter all use it.
"""

PENDING_STATES = ("pending", "declined", "recycled")
HELD_STATES = ("assigned", "offered", "accepted")


def is_waiting(state, user_id, active=True):
    """Whether a lead with distribution ``state`` and salesperson ``user_id`` waits."""
    return bool(active) and (state in PENDING_STATES or (not state and not user_id))


def waiting_domain():
    """The same rule as an Odoo domain on ``crm.lead`` (without the archived test)."""
    return [
        "|",
        ("distribution_state", "in", PENDING_STATES),
        "&",
        ("distribution_state", "=", False),
        ("user_id", "=", False),
    ]


def waiting_sql_condition():
    """The same rule as an SQL condition on ``crm_lead`` (``%s``: ``PENDING_STATES``)."""
    return "(distribution_state IN %s OR (distribution_state IS NULL AND user_id IS NULL))"
