# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re

from lxml import etree

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import DistributionCase


@tagged("post_install", "-at_install")
class TestScreens(DistributionCase):
    """What the lead screens say about distribution: which leads wait for a pool, and why a
    lead is not ready."""

    def _to_distribute(self, user):
        """Leads of this test that the "To Distribute" filter of the lead list shows."""
        view = self.env.ref(
            "lead_distribution.view_crm_case_leads_filter_inherit_lead_distribution"
        )
        arch = etree.fromstring(view.arch)
        domain = arch.xpath("//filter[@name='distribution_to_do']")[0].get("domain")
        Lead = self.env["crm.lead"].with_user(user)
        return Lead.search([*eval(domain), ("name", "like", "Screens ")])

    def test_to_distribute_lists_only_pool_leads(self):
        no_pool_team = self.env["crm.team"].create({"name": "Team without pool"})
        Lead = self.env["crm.lead"].with_context(lead_distribution_no_auto=True)
        waiting, outside, taken = Lead.create(
            [
                {
                    "name": "Screens waiting",
                    "type": "lead",
                    "team_id": self.team.id,
                    "user_id": False,
                },
                {
                    "name": "Screens outside",
                    "type": "lead",
                    "team_id": no_pool_team.id,
                    "user_id": False,
                },
                {
                    "name": "Screens taken",
                    "type": "lead",
                    "team_id": no_pool_team.id,
                    "user_id": self.sales1.id,
                },
            ]
        )
        self.assertEqual(self._to_distribute(self.manager), waiting)
        self.assertEqual(waiting.distribution_waiting_pool_id, self.pool)
        self.assertFalse((outside | taken).distribution_waiting_pool_id)
        # distributed: no longer waiting
        self._set_quality(waiting, [60])
        waiting.with_user(self.manager).action_distribute()
        self.assertFalse(self._to_distribute(self.manager))
        self.assertFalse(waiting.distribution_waiting_pool_id)

    def test_form_says_the_pool_distributes_a_lead_created_by_hand(self):
        lead = (
            self.env["crm.lead"]
            .with_user(self.sales1)
            .create(
                {
                    "name": "Screens by hand",
                    "type": "lead",
                    "team_id": self.team.id,
                    "user_id": False,
                }
            )
        )
        # read as the salesperson, who cannot read pools' configuration but sees the notice
        values = lead.with_user(self.sales1).web_read(
            {"distribution_waiting_pool_id": {"fields": {"display_name": {}}}}
        )
        self.assertEqual(values[0]["distribution_waiting_pool_id"]["id"], self.pool.id)
        arch = (
            self.env["crm.lead"]
            .with_user(self.sales1)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        banner = etree.fromstring(arch).xpath("//div[hasclass('o_distribution_waiting_banner')]")
        self.assertTrue(banner)
        self.assertEqual(banner[0].get("invisible"), "not distribution_waiting_pool_id")

    def test_form_says_a_lead_with_a_salesperson_bypasses_the_pool(self):
        """Created in the form, a lead gets its creator as salesperson (crm's default): the
        form says so while it is created and afterwards; without salesperson it waits."""
        Lead = self.env["crm.lead"].with_user(self.sales1)
        spec = {
            "team_id": {},
            "user_id": {"fields": {"display_name": {}}},
            "distribution_bypass_pool_id": {"fields": {"display_name": {}}},
            "distribution_waiting_pool_id": {"fields": {"display_name": {}}},
        }
        new = Lead.with_context(default_team_id=self.team.id, default_type="lead").onchange(
            {}, [], spec
        )["value"]
        self.assertEqual(new["user_id"]["id"], self.sales1.id)
        self.assertEqual(new["distribution_bypass_pool_id"]["id"], self.pool.id)
        self.assertFalse(new["distribution_waiting_pool_id"])
        lead = Lead.create({"name": "Screens bypass", "type": "lead", "team_id": self.team.id})
        self.assertEqual(lead.user_id, self.sales1)
        self.assertEqual(lead.distribution_bypass_pool_id, self.pool)
        lead.write({"user_id": False})
        self.assertFalse(lead.distribution_bypass_pool_id)
        self.assertEqual(lead.distribution_waiting_pool_id, self.pool)
        # distributed by the pool: neither notice
        self._set_quality(lead, [60])
        lead.with_user(self.manager).action_distribute()
        self.assertTrue(lead.distribution_state)
        self.assertFalse(lead.distribution_bypass_pool_id | lead.distribution_waiting_pool_id)
        arch = self.env["crm.lead"].with_user(self.sales1).get_views([(False, "form")])
        banner = etree.fromstring(arch["views"]["form"]["arch"]).xpath(
            "//div[hasclass('o_distribution_bypass_banner')]"
        )
        self.assertEqual(banner[0].get("invisible"), "not distribution_bypass_pool_id")

    def test_not_ready_error_names_the_missing_fields(self):
        model = self.env["ir.model"]._get("crm.lead")
        required = self.env["ir.model.fields"].search(
            [("model_id", "=", model.id), ("name", "in", ("email_from", "phone"))]
        )
        medium = self.env["utm.medium"].create(
            {
                "name": "Screens Hotline",
                "lead_required_field_ids": [(6, 0, required.ids)],
                "min_completeness": 100,
            }
        )
        self.pool.min_grade = False
        lead = (
            self.env["crm.lead"]
            .with_context(lead_distribution_no_auto=True)
            .create(
                {
                    "name": "Screens incomplete",
                    "type": "lead",
                    "team_id": self.team.id,
                    "user_id": False,
                    "medium_id": medium.id,
                    "contact_name": "Ida Incomplete",
                }
            )
        )
        self.assertFalse(lead.is_distribution_ready)
        with self.assertRaises(UserError) as caught:
            lead.with_user(self.manager).action_distribute()
        message = str(caught.exception)
        for fname in ("email_from", "phone"):
            self.assertIn(lead._fields[fname].string, message)
        self.assertIn("Screens Hotline", message)
        self.assertIn("100", message)
        self.assertFalse(lead.distribution_state, "nothing changed")

    def test_not_ready_error_names_the_pools_grade(self):
        self.pool.require_ready = False
        lead = self._leads([10], grade="D")
        with self.assertRaisesRegex(UserError, "grade is D; the pool takes grade C or better"):
            lead.with_user(self.manager).action_distribute()


REQUIREMENT_ID = re.compile(r"\bR\d{1,2}\b|\b[Ii]ssue\s*#?\d+")
# longest column header of our lists that still reads at 1440 px next to the others
MAX_HEADER = 20


@tagged("post_install", "-at_install")
class TestTexts(TransactionCase):
    """User-facing texts of the addon carry no requirement ids; list headers are short."""

    def _our_views(self):
        data = self.env["ir.model.data"].search(
            [("module", "=", "lead_distribution"), ("model", "=", "ir.ui.view")]
        )
        return self.env["ir.ui.view"].browse(data.mapped("res_id"))

    def test_no_requirement_ids_in_texts(self):
        texts = []
        for model_name, model in self.env.registry.items():
            for field in model._fields.values():
                if field._module != "lead_distribution" and not (
                    model._module == "lead_distribution" and field._module is None
                ):
                    continue
                texts += [f"{model_name}.{field.name}: {field.string} {field.help or ''}"]
                if field.type == "selection" and isinstance(field.selection, list):
                    texts += [
                        f"{model_name}.{field.name}: {label}" for _v, label in field.selection
                    ]
        for view in self._our_views():
            texts.append(f"{view.xml_id}: {view.arch_db}")
        data = self.env["ir.model.data"].search(
            [
                ("module", "=", "lead_distribution"),
                (
                    "model",
                    "in",
                    (
                        "ir.ui.menu",
                        "ir.actions.act_window",
                        "ir.actions.server",
                        "lead.distribution.decline.reason",
                        "mail.activity.type",
                        "mail.template",
                        "ir.cron",
                    ),
                ),
            ]
        )
        for record in data:
            rec = self.env[record.model].browse(record.res_id)
            help_text = rec.help if "help" in rec._fields else ""
            texts.append(f"{record.complete_name}: {rec.display_name} {help_text or ''}")
        found = [text[:160] for text in texts if REQUIREMENT_ID.search(text)]
        self.assertEqual(found, [])

    def test_list_headers_are_short(self):
        long = []
        for view in self._our_views().filtered(lambda v: v.type == "list"):
            # the columns our view adds (inherited views: the base view's are not ours)
            for node in etree.fromstring(view.arch_db).iter("field"):
                parent = node.getparent()
                if (
                    node.get("position")  # a locator of an inherited view
                    or (parent is not None and parent.tag == "field" and not parent.get("position"))
                    or node.get("widget") == "handle"
                ):
                    continue
                field = self.env[view.model]._fields.get(node.get("name"))
                label = node.get("string") or (field.string if field else "")
                if len(label) > MAX_HEADER:
                    long.append(f"{view.xml_id}: {label}")
        self.assertEqual(long, [])


@tagged("post_install", "-at_install")
class TestDemoFigures(TransactionCase):
    """The demo shows every figure of the fairness report over several months, partner
    outcomes included (skipped without demo data)."""

    def test_fairness_report_of_the_demo(self):
        pool = self.env.ref("lead_distribution.demo_pool", raise_if_not_found=False)
        if not pool:
            self.skipTest("no demo data")
        Report = self.env["lead.distribution.report"]
        domain = [("pool_id", "=", pool.id)]
        months = Report._read_group(domain, ["date:month"], ["received:sum", "fair_share:sum"])
        busy = [month for month, received, share in months if received and share]
        self.assertGreaterEqual(len(busy), 4, "several months with leads and fair shares")
        partners = {
            channel: (won, lost, accepted, declined)
            for channel, won, lost, accepted, declined in Report._read_group(
                domain, ["channel"], ["won:sum", "lost:sum", "accepted:sum", "declined:sum"]
            )
        }
        won, lost, accepted, declined = partners["partner"]
        self.assertTrue(won and lost and accepted and declined, partners["partner"])
        self.assertTrue(all(partners["direct"][:2]), partners["direct"])
        declines = self.env["lead.distribution.log"].search([*domain, ("event", "=", "declined")])
        self.assertTrue(declines.decline_reason_id)
