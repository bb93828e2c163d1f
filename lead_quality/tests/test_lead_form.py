# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from lxml import etree

from odoo.tests import TransactionCase, tagged

QUALITY_BUTTONS = {
    "action_quality_accept",
    "action_open_quality_reject",
    "action_mark_data_verified",
}


@tagged("post_install", "-at_install")
class TestLeadForm(TransactionCase):
    """The lead form header stays Odoo's: stage bar and the buttons of Odoo's own addons."""

    def _form(self):
        arch = self.env["crm.lead"].get_views([(False, "form")])["views"]["form"]["arch"]
        return etree.fromstring(arch)

    def test_header_holds_nothing_of_lead_quality(self):
        header = self._form().find(".//header")
        names = {node.get("name") for node in header.iter("button", "field")}
        self.assertFalse(names & (QUALITY_BUTTONS | {"quality_grade"}))
        self.assertIn("stage_id", names)

    def test_quality_actions_and_grade_stay_reachable(self):
        form = self._form()
        page = form.find(".//page[@name='lead_quality']")
        buttons = page.find(".//div[@name='lead_quality_buttons']")
        self.assertEqual({button.get("name") for button in buttons.iter("button")}, QUALITY_BUTTONS)
        # the title block ("oe_title mw-100" on Odoo 19.0)
        title = next(div for div in form.iter("div") if "oe_title" in div.get("class", "").split())
        self.assertEqual(
            [
                field.get("widget")
                for field in title.iter("field")
                if field.get("name") == "quality_grade"
            ],
            ["badge"],
        )
