"""What differs between the Odoo series the addons support (18.0 and 19.0), held once.

Every name here bridges one change of Odoo 19.0 and says which; the three addons (and their
tests) use these instead of asking for Odoo's version themselves.  Where a difference can be
detected on the model (a field's name), it is, so the code follows the ORM it runs on.
Unlike the rest of ``lib/``, this module imports Odoo: it is not unit-tested without it.
"""

import threading

from odoo import release

#: Odoo's major version: 18 or 19
ODOO_MAJOR = release.version_info[0]

# --------------------------------------------------------------------------------------------
# Groups fields. Odoo 19.0 renamed the many2many of groups: res.users.groups_id -> group_ids,
# ir.ui.view / ir.ui.menu / ir.actions.* groups_id -> group_ids, res.groups.users -> user_ids.
# --------------------------------------------------------------------------------------------
#: res.users' groups (e.g. in the vals of a user created by a test or in a user domain)
USER_GROUPS_FIELD = "groups_id" if ODOO_MAJOR < 19 else "group_ids"


def groups_field(model):
    """Name of the many2many holding the groups of `model` (res.users, ir.actions.server,
    ir.ui.view, ir.ui.menu ...): ``group_ids`` on Odoo 19.0, ``groups_id`` before."""
    return "group_ids" if "group_ids" in model._fields else "groups_id"


def group_users(groups):
    """The users put in `groups` (not those who have them through implied groups)."""
    return groups["user_ids" if "user_ids" in groups._fields else "users"]


# --------------------------------------------------------------------------------------------
# Group categories. Odoo 19.0 puts res.groups under a privilege (res.groups.privilege, with
# the application category on it) instead of giving them an ir.module.category directly.
# --------------------------------------------------------------------------------------------
def set_group_category(group, category, privilege_xmlid):
    """File `group` under the application `category` (ir.module.category): its category_id
    on 18.0; on 19.0 a privilege of that category, `privilege_xmlid` (module.name, created
    once as data of that module, so it goes with the module)."""
    if "privilege_id" not in group._fields:
        group.category_id = category
        return
    # loaded on every install and update, as a record of the data files would be (an xml id
    # of the module not loaded during an update is deleted at its end)
    values = {"name": category.name, "category_id": category.id}
    privilege = (
        group.env["res.groups.privilege"]
        .sudo()
        ._load_records([{"xml_id": privilege_xmlid, "values": values}], update=True)
    )
    group.privilege_id = privilege


# --------------------------------------------------------------------------------------------
# Domains. Odoo 19.0 deprecates odoo.osv.expression (a DeprecationWarning on import and use)
# for odoo.fields.Domain; 18.0 has only the former. Both helpers return a list domain.
# --------------------------------------------------------------------------------------------
try:
    from odoo.fields import Domain  # Odoo 19.0
except ImportError:  # Odoo 18.0
    Domain = None
    from odoo.osv import expression as _expression


def domain_and(domains):
    """The conjunction of `domains` (lists or, on 19.0, Domain objects) as a list domain."""
    if Domain is None:
        return _expression.AND([list(domain) for domain in domains])
    return list(Domain.AND(domains))


def domain_or(domains):
    """The disjunction of `domains` as a list domain."""
    if Domain is None:
        return _expression.OR([list(domain) for domain in domains])
    return list(Domain.OR(domains))


# --------------------------------------------------------------------------------------------
# Search methods of computed fields. Odoo 19.0 rewrites '=' / '!=' into 'in' / 'not in' with a
# collection before it calls them (a boolean condition into 'in' / 'not in' [True]); 18.0 calls
# them with the operator and value of the domain.
# --------------------------------------------------------------------------------------------
def search_equality(operator, value):
    """(positive, values) of a search method's equality condition ('=' / 'in': positive);
    None for other operators."""
    if operator in ("=", "!="):
        return operator == "=", [value]
    if operator in ("in", "not in"):
        return operator == "in", list(value)
    return None


def search_boolean(operator, value):
    """Whether a search method's condition on a boolean field asks for the records where the
    field is true (True) or false (False); None for a condition that is neither."""
    equality = search_equality(operator, value)
    if equality is None:
        return None
    positive, values = equality
    truths = {bool(value) for value in values}
    if len(truths) != 1:
        return None
    return positive == truths.pop()


# --------------------------------------------------------------------------------------------
# Registry set-up. Odoo 19.0 renamed Registry.setup_models(cr) to _setup_models__(cr) (what its
# own custom fields call after a change of fields).
# --------------------------------------------------------------------------------------------
#: the Registry method
REGISTRY_SETUP = "setup_models" if ODOO_MAJOR < 19 else "_setup_models__"


def setup_models(registry, cr):
    """Set the models of `registry` up again (fields, their dependencies and triggers)."""
    getattr(registry, REGISTRY_SETUP)(cr)


# --------------------------------------------------------------------------------------------
# Message authors. Odoo 19.0 dropped the `raise_on_email` argument of
# mail.thread._message_compute_author (it no longer raises for an author without e-mail).
# --------------------------------------------------------------------------------------------
def message_author(records):
    """(author_id, email_from) of a message the current user posts now on `records`, also
    when they have no e-mail address."""
    if ODOO_MAJOR < 19:
        return records._message_compute_author(None, None, raise_on_email=False)
    return records._message_compute_author(None, None)


# --------------------------------------------------------------------------------------------
# Test runs. Odoo 19.0 no longer marks the thread that runs tests (threading.current_thread()
# .testing of 18.0); both set odoo.modules.module.current_test while tests run.
# --------------------------------------------------------------------------------------------
def running_tests():
    """Whether Odoo is running tests now (code that commits must not, then)."""
    from odoo.modules import module

    return bool(getattr(threading.current_thread(), "testing", False) or module.current_test)


# --------------------------------------------------------------------------------------------
# Time off types. Odoo 19.0 made hr.leave.type.requires_allocation a boolean (18.0: a
# selection "yes" / "no").
# --------------------------------------------------------------------------------------------
def no_allocation_value(leave_types):
    """The value of requires_allocation for a time off type that needs no allocation."""
    field = leave_types._fields["requires_allocation"]
    return False if field.type == "boolean" else "no"


# --------------------------------------------------------------------------------------------
# Class names. Odoo 19.0 renamed crm's lead model class crm.models.crm_lead.Lead to CrmLead.
# --------------------------------------------------------------------------------------------
def crm_lead_class():
    """crm's own class of the crm.lead model (e.g. to patch one of its methods in a test)."""
    from odoo.addons.crm.models import crm_lead

    return getattr(crm_lead, "CrmLead", None) or crm_lead.Lead


# --------------------------------------------------------------------------------------------
# SQL constraints. Odoo 19.0 ignores the model attribute ``_sql_constraints`` (with a warning)
# and takes one ``models.Constraint`` attribute per constraint, named ``_<name>``; 18.0 has
# only the former. The constraint's name in the database is ``<table>_<name>`` on both.
# --------------------------------------------------------------------------------------------
try:
    from odoo.models import Constraint  # Odoo 19.0
except ImportError:  # Odoo 18.0
    Constraint = None


def sql_constraints(*constraints):
    """Class attributes declaring the SQL `constraints` ``(name, definition, message)`` the
    way this Odoo reads them; in the model's class body: ``vars().update(sql_constraints(...))``.
    """
    if Constraint is None:
        return {"_sql_constraints": list(constraints)}
    return {
        f"_{name}": Constraint(definition, message) for name, definition, message in constraints
    }


__all__ = [
    "ODOO_MAJOR",
    "REGISTRY_SETUP",
    "USER_GROUPS_FIELD",
    "crm_lead_class",
    "domain_and",
    "domain_or",
    "group_users",
    "groups_field",
    "message_author",
    "no_allocation_value",
    "running_tests",
    "search_boolean",
    "search_equality",
    "setup_models",
    "set_group_category",
    "sql_constraints",
]
