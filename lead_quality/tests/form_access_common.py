# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Forms opened as the web client opens them, by the people who use them.

The web client reads a form with ``web_read`` (an existing record) or ``onchange`` (a new one)
and a specification of every field in the view, sub-views included. :class:`FormAccessMixin`
builds that specification from the view as the user gets it (fields of other groups removed)
and reads it as that user: an access error on any field (a compute reading a model the user
may not read, a relation to a technical model) fails the test. The form tests of
lead_quality, lead_distribution and lead_reporting use it.
"""

from lxml import etree

RELATIONAL = ("many2one", "many2many", "one2many")
SUBVIEWS = ("list", "form", "kanban")


def view_spec(node, model_name, models):
    """The client's field specification of the fields under ``node`` (a view's arch)."""
    model_fields = models[model_name]["fields"]
    spec = {}
    for child in node.iterchildren(tag=etree.Element):
        if child.tag != "field":
            spec.update(view_spec(child, model_name, models))
            continue
        name = child.get("name")
        field = model_fields[name]
        if field["type"] not in RELATIONAL:
            spec[name] = {}
            continue
        sub = {"display_name": {}}
        comodel = field["relation"]
        if comodel in models:
            for view in child.iterchildren(*SUBVIEWS):
                sub.update(view_spec(view, comodel, models))
        spec[name] = {"fields": sub}
    return spec


class FormAccessMixin:
    """For a ``TransactionCase``: open a form as a user, list the forms and models of an
    addon (to check that a test opens every form of it)."""

    def _open(self, user, record=None, model_name=None, view_ref=None, context=None):
        """Read a form as ``user``: the record's fields (web_read) or a new one's (onchange).

        ``view_ref``: the xml id of the form view (default: the model's default form);
        ``context``: the context the form is opened with (defaults of a new record)."""
        model_name = record._name if record else model_name
        model = self.env[model_name].with_user(user).with_context(**(context or {}))
        view_id = self.env.ref(view_ref).id if view_ref else False
        result = model.get_views([(view_id, "form")])
        spec = view_spec(
            etree.fromstring(result["views"]["form"]["arch"]), model_name, result["models"]
        )
        self.assertTrue(spec, model_name)
        if record:
            [values] = record.with_env(model.env).web_read(spec)
            self.assertEqual(values["id"], record.id)
        else:
            values = model.onchange({}, [], spec)["value"]
        self.assertLessEqual(set(values) - {"id"}, set(spec))
        return values

    def _form_models(self, module):
        """The models of the form views that ``module`` defines."""
        views = self.env["ir.model.data"].search(
            [("module", "=", module), ("model", "=", "ir.ui.view")]
        )
        return {
            view.model
            for view in self.env["ir.ui.view"].browse(views.mapped("res_id"))
            if view.type == "form"
        }

    def _own_models(self, module):
        """The models (not abstract) that ``module`` defines."""
        return {
            name
            for name, model in self.env.registry.items()
            if model._original_module == module and not model._abstract
        }
